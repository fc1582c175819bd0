//! Progress bars while seeding and the summary afterwards.

use std::time::Duration;

use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::LoadPath;

/// Rows written to one table.
#[derive(Clone, Debug, Serialize)]
pub struct TableReport {
    /// The table.
    pub table: &'static str,
    /// Rows written.
    pub rows: u64,
    /// Seconds spent on it.
    pub seconds: f64,
}

/// What a seeding wrote, and how fast.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Per table, in the order written.
    pub tables: Vec<TableReport>,
    /// Rows in all.
    pub total_rows: u64,
    /// Seconds in all.
    pub seconds: f64,
    /// Rows per second overall.
    pub rows_per_second: f64,
    /// Which way the rows were written.
    pub load_path: LoadPath,
}

impl Summary {
    pub(crate) fn new(tables: Vec<TableReport>, load_path: LoadPath, elapsed: Duration) -> Self {
        let total_rows = tables.iter().map(|t| t.rows).sum();
        let seconds = elapsed.as_secs_f64();
        let rows_per_second = total_rows as f64 / seconds.max(1e-9);
        Self { tables, total_rows, seconds, rows_per_second, load_path }
    }

    /// The summary as a table for people.
    pub fn render(&self) -> String {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header(["table", "rows", "seconds", "rows/s"]);
        let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);
        for t in &self.tables {
            table.add_row(vec![
                Cell::new(t.table),
                right(t.rows.to_string()),
                right(format!("{:.2}", t.seconds)),
                right(format!("{:.0}", t.rows as f64 / t.seconds.max(1e-9))),
            ]);
        }
        table.add_row(vec![
            Cell::new("total"),
            right(self.total_rows.to_string()),
            right(format!("{:.2}", self.seconds)),
            right(format!("{:.0}", self.rows_per_second)),
        ]);
        let path = match self.load_path {
            LoadPath::Bulk => "loaded in bulk (what slows a load built after the rows)",
            LoadPath::Indexed => "loaded through the indexes (the tables already held data)",
        };
        format!("{table}\n{path}")
    }
}
