//! The live tables as a migration finds them: each one's estimated rows, and which table
//! each index belongs to.

use std::collections::HashMap;

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// The tables of the current schema, read before a migration runs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tables {
    rows: HashMap<String, u64>,
    index_tables: HashMap<String, String>,
}

impl Tables {
    /// Reads the catalog: the planner's estimate where the table was analysed, otherwise a
    /// count that stops at `enough` rows (an exact zero for an empty table either way).
    pub(crate) async fn read<C: ConnectionTrait>(db: &C, enough: u64) -> Result<Self, DbErr> {
        let query =
            |sql: String| db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql));
        let mut rows = HashMap::new();
        let listed = query(
            "SELECT c.relname::text, c.reltuples::float8 FROM pg_class c \
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
                .to_owned(),
        )
        .await?;
        for row in listed {
            let name: String = row.try_get_by_index(0)?;
            let estimate: f64 = row.try_get_by_index(1)?;
            let estimate = if estimate > 0.0 {
                estimate as u64
            } else {
                let quoted = name.replace('"', "\"\"");
                let count = format!(
                    "SELECT count(*) FROM (SELECT 1 FROM \"{quoted}\" LIMIT {}) rows",
                    enough.saturating_add(1)
                );
                let counted = query(count).await?;
                counted.first().map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0)
                    as u64
            };
            rows.insert(name, estimate);
        }
        let mut index_tables = HashMap::new();
        let indexes = query(
            "SELECT i.relname::text, t.relname::text FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
             WHERE t.relnamespace = current_schema()::regnamespace"
                .to_owned(),
        )
        .await?;
        for row in indexes {
            index_tables.insert(row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        }
        Ok(Self { rows, index_tables })
    }

    /// The table's estimated rows; `None` when it did not exist (the migration creates it).
    pub(crate) fn rows(&self, table: &str) -> Option<u64> {
        self.rows.get(table).copied()
    }

    /// The table an existing index belongs to.
    pub(crate) fn table_of_index(&self, index: &str) -> Option<&str> {
        self.index_tables.get(index).map(String::as_str)
    }
}
