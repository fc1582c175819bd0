//! What a database says has been applied, read without a lock and without creating
//! anything, so that read-only commands (`status`, `validate`, `check`, the seeder's
//! version check) never wait for a migrator or need DDL rights. Migrations this build does
//! not know (a newer release applied them; this binary is older) are reported, not errors.

use chrono::{DateTime, Utc};
use sea_orm_migration::sea_orm::{self, ConnectionTrait, DbErr, FromQueryResult, Statement};
use serde::Serialize;

use crate::Migrator;

/// The table where applied migrations are recorded (sea-orm-migration's).
pub const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// Where a migration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Recorded as applied.
    Applied,
    /// Known to this build, not applied.
    Pending,
    /// Recorded as applied, but this build does not have it (a newer release applied it).
    Unknown,
}

/// One migration and where it stands.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Its version, e.g. `m20240101_000001_core_schema`.
    pub version: String,
    /// Where it stands.
    pub state: State,
    /// When it was applied, if it was.
    pub applied_at: Option<DateTime<Utc>>,
}

/// Every migration this build knows, oldest first, then those it does not know.
#[derive(Clone, Debug, Default, Serialize)]
pub struct History {
    /// The migrations.
    pub entries: Vec<Entry>,
}

#[derive(FromQueryResult)]
struct Row {
    version: String,
    applied_at: i64,
}

impl History {
    /// Reads the history of `db` (empty when nothing was ever migrated).
    pub async fn read<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        Self::read_for(db, Migrator::names()).await
    }

    /// Reads the history of `db` against the migrations `names` (oldest first).
    pub async fn read_for<C: ConnectionTrait>(db: &C, names: Vec<String>) -> Result<Self, DbErr> {
        let rows = if table_exists(db, MIGRATIONS_TABLE).await? {
            let sql =
                format!("SELECT version, applied_at FROM {MIGRATIONS_TABLE} ORDER BY version");
            let statement = Statement::from_string(db.get_database_backend(), sql);
            Row::find_by_statement(statement).all(db).await?
        } else {
            Vec::new()
        };
        Ok(Self::from_rows(names, rows))
    }

    fn from_rows(names: Vec<String>, mut rows: Vec<Row>) -> Self {
        let at = |secs: i64| DateTime::from_timestamp(secs, 0);
        let mut entries: Vec<Entry> = names
            .into_iter()
            .map(|version| match rows.iter().position(|r| r.version == version) {
                Some(i) => {
                    let row = rows.remove(i);
                    Entry { version, state: State::Applied, applied_at: at(row.applied_at) }
                }
                None => Entry { version, state: State::Pending, applied_at: None },
            })
            .collect();
        entries.extend(rows.into_iter().map(|row| Entry {
            version: row.version,
            state: State::Unknown,
            applied_at: at(row.applied_at),
        }));
        Self { entries }
    }

    /// The versions in `state`, in order.
    pub fn versions(&self, state: State) -> Vec<&str> {
        self.entries.iter().filter(|e| e.state == state).map(|e| e.version.as_str()).collect()
    }

    /// How many migrations are in `state`.
    pub fn count(&self, state: State) -> usize {
        self.entries.iter().filter(|e| e.state == state).count()
    }

    /// The newest applied migration this build knows, if any.
    pub fn current(&self) -> Option<&str> {
        self.versions(State::Applied).last().copied()
    }

    /// True when nothing is pending and nothing unknown is applied.
    pub fn is_at_head(&self) -> bool {
        self.count(State::Pending) == 0 && self.count(State::Unknown) == 0
    }
}

/// Whether `table` (a constant of this crate, never user input) exists.
pub async fn table_exists<C: ConnectionTrait>(db: &C, table: &str) -> Result<bool, DbErr> {
    let catalog = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => "sqlite_master WHERE type = 'table' AND name",
        _ => "pg_tables WHERE schemaname = current_schema() AND tablename",
    };
    let sql = format!("SELECT 1 AS present FROM {catalog} = '{table}'");
    Ok(db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(version: &str) -> Row {
        Row { version: version.to_owned(), applied_at: 1_700_000_000 }
    }

    #[test]
    fn a_newer_release_s_migration_is_reported_not_an_error() {
        let names = Migrator::names();
        let rows = vec![row(&names[0]), row("m20991231_000001_from_the_future")];
        let history = History::from_rows(names.clone(), rows);
        assert_eq!(history.versions(State::Applied), vec![names[0].as_str()]);
        assert_eq!(history.versions(State::Unknown), vec!["m20991231_000001_from_the_future"]);
        assert_eq!(history.count(State::Pending), names.len() - 1);
        assert!(!history.is_at_head());
    }
}
