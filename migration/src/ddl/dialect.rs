use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::sqlite;

tokio::task_local! {
    /// Set while a run records the statements it executes (see [`Dialect::run`]).
    static STATEMENT_BY_STATEMENT: ();
}

/// Runs `work` with every [`Dialect::run`] in it executing statement by statement, each
/// seen by the connection's metric callback.
pub(crate) async fn statement_by_statement<F: Future>(work: F) -> F::Output {
    STATEMENT_BY_STATEMENT.scope((), work).await
}

/// The backend a migration renders SQL for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// PostgreSQL 15+.
    Postgres,
    /// SQLite 3.35+.
    Sqlite,
}

impl Dialect {
    /// The dialect of the connection the migration runs on.
    pub(crate) fn of(manager: &SchemaManager<'_>) -> Result<Self, DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => Ok(Self::Postgres),
            DbBackend::Sqlite => Ok(Self::Sqlite),
            other => Err(DbErr::Migration(format!(
                "the {other:?} backend is not supported; use PostgreSQL or SQLite"
            ))),
        }
    }

    /// Runs the statements in order on the migration's connection: as one batch, in one
    /// round trip (a prepared statement each would cost two round trips and a parse, and
    /// a migration runs hundreds); statement by statement inside [`statement_by_statement`],
    /// where the connection's metric callback must see each one (`up --dry-run` prints
    /// them, `lint` checks them).
    pub(crate) async fn run<S: AsRef<str>>(
        manager: &SchemaManager<'_>,
        statements: impl IntoIterator<Item = S>,
    ) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if STATEMENT_BY_STATEMENT.try_with(|_| ()).is_ok() {
            let backend = db.get_database_backend();
            for statement in statements {
                db.execute_raw(Statement::from_string(backend, statement.as_ref())).await?;
            }
            return Ok(());
        }
        // A statement may end in a `--` comment: the separator starts on a line of its own.
        let statements: Vec<S> = statements.into_iter().collect();
        let batch: Vec<&str> = statements.iter().map(AsRef::as_ref).collect();
        if !batch.is_empty() {
            db.execute_unprepared(&batch.join("\n;\n")).await?;
        }
        Ok(())
    }

    /// A UUID literal in the stored form of a uuid column.
    pub(crate) fn uuid_literal(self, id: &str) -> String {
        match self {
            Self::Postgres => format!("'{id}'::uuid"),
            Self::Sqlite => format!("X'{}'", id.replace('-', "")),
        }
    }

    /// A JSON literal for a json column.
    pub(crate) fn json_literal(self, json: &str) -> String {
        let quoted = super::quote(json);
        match self {
            Self::Postgres => format!("{quoted}::jsonb"),
            Self::Sqlite => quoted,
        }
    }

    /// A boolean literal.
    pub(crate) fn bool_literal(self, value: bool) -> &'static str {
        match (self, value) {
            (Self::Postgres, true) => "true",
            (Self::Postgres, false) => "false",
            (Self::Sqlite, true) => "1",
            (Self::Sqlite, false) => "0",
        }
    }

    /// The time `amount` `unit`s (e.g. `3 hours`) before now, in the stored form.
    pub(crate) fn time_ago(self, amount: i64, unit: &str) -> String {
        match self {
            Self::Postgres => format!("now() - interval '{amount} {unit}'"),
            Self::Sqlite => {
                format!("strftime('{}', 'now', '{:+} {unit}')", sqlite::TIME_FORMAT, -amount)
            }
        }
    }
}
