//! `migrate lint`: the migrations about to run, rehearsed against the live database in a
//! transaction that is rolled back, every statement they execute checked against rules
//! that weigh the table it touches — its rows, whether the migration created it, whether
//! the running release maps it. Text-only linters (squawk, Atlas) cannot tell a new, empty
//! table from a busy one; the rehearsal can. squawk reads each statement's text.
//!
//! A migration acknowledges a finding in its own SQL with a comment
//! `-- lint: allow CODE: the reason`; the finding is then reported as acknowledged and
//! does not fail the lint.

mod rules;
mod tables;

use db_config::{DatabaseConfig, Target};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde::Serialize;

use rules::Context;
pub use rules::{LintRule, RULES};
use tables::Tables;

use crate::MigrateError;
use crate::runner::{Goal, Runner};

/// The default `--max-rows`: above this many estimated rows a lock rule is an error.
pub const DEFAULT_MAX_ROWS: u64 = 100_000;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Fails the lint: a table at or above `--max-rows`, or a release that breaks.
    Error,
    /// A lock on a table with rows but below `--max-rows`: brief, but worth knowing.
    Warning,
}

/// A statement that would hurt the live database.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule (see [`RULES`]).
    pub code: &'static str,
    /// How serious.
    pub level: Level,
    /// The migration that runs it (`--sql` for statements given on the command line).
    pub migration: String,
    /// The statement, on one line and shortened.
    pub statement: String,
    /// The table it touches.
    pub table: String,
    /// That table's estimated rows before the migration.
    pub estimated_rows: u64,
    /// Why it is dangerous.
    pub why: &'static str,
    /// The safe way.
    pub safe: &'static str,
    /// The migration's reason, when it acknowledges the finding.
    pub acknowledged: Option<String>,
}

/// What a lint found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Whether statements given as text (`--sql`) were linted, rather than migrations.
    pub statements_given: bool,
    /// The migrations rehearsed, oldest first.
    pub migrations: Vec<String>,
    /// What they would do to the live tables.
    pub findings: Vec<Finding>,
    /// `--sql`: what the database said when the statements failed on the live data (a
    /// NOT NULL column over rows with NULLs, say): an error in itself.
    pub fails: Option<String>,
}

impl Report {
    /// Findings that fail the lint: errors nobody acknowledged (and statements that fail).
    pub fn errors(&self) -> usize {
        let failing = usize::from(self.fails.is_some());
        failing
            + self
                .findings
                .iter()
                .filter(|f| f.level == Level::Error && f.acknowledged.is_none())
                .count()
    }
}

/// Which migrations to lint.
#[derive(Clone, Debug)]
pub enum Scope {
    /// The pending ones, against the live tables.
    Pending,
    /// One pending migration (and those before it, which it needs).
    Migration(String),
    /// Every migration, from an empty scratch database on the same server.
    All,
    /// Statements given as text, against the live tables.
    Sql(String),
}

/// Lints `scope` on the database of `config` (PostgreSQL), with lock rules an error at or
/// above `max_rows` estimated rows.
pub async fn lint(
    config: &DatabaseConfig,
    scope: &Scope,
    max_rows: u64,
) -> Result<Report, MigrateError> {
    let Target::Postgres(pg) = &config.target else {
        return Err(MigrateError::Authoring {
            problem: "lint rehearses migrations against PostgreSQL's catalog and locks; point \
                      DATABASE_URL at a PostgreSQL database (a copy of production's schema and \
                      sizes is best)"
                .to_owned(),
        });
    };
    match scope {
        Scope::All => {
            let mut scratch = config.clone();
            if let Target::Postgres(target) = &mut scratch.target {
                target.database.value = format!("chatdb_lint_{}", uuid::Uuid::new_v4().simple());
            }
            crate::lifecycle::create(&scratch, std::time::Duration::ZERO).await?;
            let report = rehearse(&scratch, &Goal::All, max_rows).await;
            crate::lifecycle::drop(&scratch, true, true).await?;
            report
        }
        Scope::Pending => rehearse(config, &Goal::All, max_rows).await,
        Scope::Migration(name) => {
            let mut report = rehearse(config, &Goal::To(name.clone()), max_rows).await?;
            if !report.migrations.contains(name) {
                return Err(MigrateError::Authoring {
                    problem: format!(
                        "{name} is not pending in {}; lint an applied migration with --all (on a \
                         scratch database)",
                        pg.database.value
                    ),
                });
            }
            report.findings.retain(|f| &f.migration == name);
            report.migrations.retain(|m| m == name);
            Ok(report)
        }
        Scope::Sql(sql) => statements(config, sql, max_rows).await,
    }
}

/// Pending migrations towards `goal`, rehearsed and checked one by one.
async fn rehearse(
    config: &DatabaseConfig,
    goal: &Goal,
    max_rows: u64,
) -> Result<Report, MigrateError> {
    // A SUPER_ADMIN that V1 creates in the rehearsal is rolled back with it: no password
    // to generate and print for it.
    let mut config = config.clone();
    let throwaway = db_config::Secret::new(uuid::Uuid::new_v4().simple().to_string());
    config.migrations.admin_password = Some(db_config::Sourced::default_value(throwaway));
    let config = &config;
    let mut db = config.connect_single().await?;
    let recorded = Runner::record_statements(&mut db);
    let runner = Runner::new(&db, config);
    let mark = || recorded.lock().map(|s| s.len()).unwrap_or_default();
    let steps = runner
        .rehearse(goal, async |txn| {
            let tables = Tables::read(txn, max_rows).await?;
            Ok((tables, mark()))
        })
        .await?;
    let statements = recorded.lock().map(|s| s.clone()).unwrap_or_default();
    let mut report = Report::default();
    for (i, (step, (tables, from))) in steps.iter().enumerate() {
        let to = steps.get(i + 1).map_or(statements.len(), |(_, (_, next))| *next);
        let context =
            Context { migration: &step.migration, tables, max_rows, in_transaction: true };
        report.findings.extend(rules::check(&statements[*from..to], &context));
        report.migrations.push(step.migration.clone());
    }
    close(config, db).await?;
    Ok(report)
}

/// `--sql`: the statements run in a transaction that is rolled back (so that they are
/// known to run), checked against the tables as they were.
async fn statements(
    config: &DatabaseConfig,
    sql: &str,
    max_rows: u64,
) -> Result<Report, MigrateError> {
    let db = config.connect_single().await?;
    let failed = |doing: &'static str| {
        move |e| MigrateError::Database { doing, message: config.describe_error(&e) }
    };
    let txn = db.begin().await.map_err(failed("starting a transaction"))?;
    let tables = Tables::read(&txn, max_rows).await.map_err(failed("reading the tables"))?;
    let fails = txn.execute_unprepared(sql).await.err().map(|e| config.describe_error(&e));
    txn.rollback().await.map_err(failed("rolling back"))?;
    let context = Context { migration: "--sql", tables: &tables, max_rows, in_transaction: true };
    let findings = rules::check(&[sql.to_owned()], &context);
    close(config, db).await?;
    Ok(Report { statements_given: true, migrations: Vec::new(), findings, fails })
}

async fn close(config: &DatabaseConfig, db: DatabaseConnection) -> Result<(), MigrateError> {
    db.close().await.map_err(|e| MigrateError::Database {
        doing: "closing the connection",
        message: config.describe_error(&e),
    })
}
