//! Progress bars while seeding and the summary afterwards.

use std::io::IsTerminal;
use std::time::Duration;

use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

/// Progress while seeding, when wanted: a bar per table on a terminal, otherwise (a log,
/// a pipe) a line per table as it is done, so that long seedings are never silent.
pub(crate) struct Progress {
    bars: Option<MultiProgress>,
    lines: bool,
}

impl Progress {
    pub(crate) fn new(wanted: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        Self {
            bars: (wanted && terminal)
                .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            lines: wanted && !terminal,
        }
    }

    pub(crate) fn table(&self, name: &str, rows: u64) -> ProgressBar {
        let Some(bars) = &self.bars else { return ProgressBar::hidden() };
        let bar = bars.add(ProgressBar::new(rows));
        let style = ProgressStyle::with_template(
            "{prefix:>22} {bar:30.cyan/blue} {human_pos:>9}/{human_len:<9} {rate:>10} {elapsed:>4}",
        )
        .map(|style| {
            style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(name.to_owned());
        bar
    }

    /// A table is done: the bar stops, or a line says so.
    pub(crate) fn done(&self, bar: &ProgressBar, report: &TableReport) {
        bar.finish();
        if self.lines {
            tracing::info!("{}: {} rows in {:.1} s", report.table, report.rows, report.seconds);
        }
    }
}

/// Moves `bar` on by `rows`; the expected total was an estimate, so it grows with the
/// count instead of being overrun.
pub(crate) fn advance(bar: &ProgressBar, rows: u64) {
    bar.inc(rows);
    if bar.length().is_some_and(|len| bar.position() > len) {
        bar.set_length(bar.position());
    }
}

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
}

impl Summary {
    pub(crate) fn new(tables: Vec<TableReport>, elapsed: Duration) -> Self {
        let total_rows = tables.iter().map(|t| t.rows).sum();
        let seconds = elapsed.as_secs_f64();
        Self { tables, total_rows, seconds, rows_per_second: total_rows as f64 / seconds.max(1e-9) }
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
        table.to_string()
    }
}
