//! Applying and rolling back migrations, one transaction each, under a lock that lives in
//! that transaction.
//!
//! PostgreSQL: every migration's transaction takes `pg_advisory_xact_lock`-style ownership
//! (polled with `pg_try_advisory_xact_lock`, so the wait can be announced and bounded) and
//! then re-reads the history: a migrator that waited finds the work done and moves on. The
//! lock ends with the transaction, so no pooled session has to outlive anything, and it
//! holds through a transaction-pooling PgBouncer. SQLite: `BEGIN IMMEDIATE` takes the
//! database's write lock, waited for with a busy timeout.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use db_config::DatabaseConfig;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::sea_query::{Expr, ExprTrait, Query};
use sea_orm_migration::{MigrationTrait, MigratorTraitSelf, SchemaManager};
use serde::Serialize;

use crate::ddl::statement_by_statement;
use crate::history::{History, MIGRATIONS_TABLE, State};
use crate::metadata::Metadata;
use crate::schema::SEED_LEDGER_TABLE;
use crate::{MigrateError, Migrator};

mod outside;

/// The advisory lock key every migrator of this schema takes.
pub const LOCK_KEY: i64 = crate::locks::MIGRATORS;
/// How long a migrator waits for another by default (`--lock-timeout`).
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(200);

/// Which way to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Apply pending migrations, oldest first.
    Up,
    /// Roll back applied migrations, newest first.
    Down,
}

/// How far to move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Every pending (up) or applied (down) migration.
    All,
    /// At most this many.
    Steps(u32),
    /// Up to and including this version (up), or back until it is the newest applied
    /// (down; `0` for an empty database).
    To(String),
}

/// What a step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The migration was applied.
    Applied,
    /// The migration was rolled back.
    RolledBack,
}

/// One migration applied or rolled back.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// What happened.
    pub action: Action,
    /// The migration.
    pub migration: String,
    /// How long it took.
    pub millis: f64,
}

/// What [`Runner::step`] found to do.
enum Next {
    /// A migration applied or rolled back in the transaction.
    Done(Step),
    /// A migration that runs outside a transaction (PostgreSQL): the transaction has to end
    /// before it runs.
    OutsideTransaction(String),
}

/// Runs migrations against one database.
pub struct Runner<'a> {
    db: &'a DatabaseConnection,
    config: &'a DatabaseConfig,
    migrator: Migrator,
    /// How long to wait for another migrator (and, on PostgreSQL, for a table lock).
    pub lock_timeout: Duration,
}

impl<'a> Runner<'a> {
    /// A runner for `db`, with the migrations' settings from `config`.
    pub fn new(db: &'a DatabaseConnection, config: &'a DatabaseConfig) -> Self {
        Self::with_migrator(db, config, Migrator::new(config.migrations.clone()))
    }

    /// A runner of `migrator`'s migrations (see [`Migrator::with_appended`]).
    pub fn with_migrator(
        db: &'a DatabaseConnection,
        config: &'a DatabaseConfig,
        migrator: Migrator,
    ) -> Self {
        Self { db, config, migrator, lock_timeout: DEFAULT_LOCK_TIMEOUT }
    }

    /// Records every statement executed on `db` from now on (for `--dry-run`).
    pub fn record_statements(db: &mut DatabaseConnection) -> Arc<Mutex<Vec<String>>> {
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&recorded);
        db.set_metric_callback(move |info| {
            if let Ok(mut statements) = sink.lock() {
                statements.push(info.statement.to_string());
            }
        });
        recorded
    }

    /// Moves `direction` towards `goal`, one transaction per migration, calling `report`
    /// after each. With `dry_run`, everything happens in one transaction that is rolled
    /// back at the end.
    pub async fn run(
        &self,
        direction: Direction,
        goal: &Goal,
        dry_run: bool,
        report: &mut dyn FnMut(&Step),
    ) -> Result<Vec<Step>, MigrateError> {
        self.check_goal(goal)?;
        let mut done = Vec::new();
        if dry_run {
            let txn = self.begin_locked().await?;
            // Statement by statement: the dry run prints what the migrations execute.
            while let Some(next) =
                statement_by_statement(self.step(&txn, direction, goal, done.len())).await?
            {
                let step = match next {
                    Next::Done(step) => step,
                    Next::OutsideTransaction(version) => {
                        cannot_rehearse(&version);
                        break;
                    }
                };
                report(&step);
                done.push(step);
            }
            txn.rollback().await.map_err(|e| self.database("rolling back the dry run", e))?;
            return Ok(done);
        }
        loop {
            let txn = self.begin_locked().await?;
            let step = match self.step(&txn, direction, goal, done.len()).await? {
                None => {
                    txn.rollback().await.map_err(|e| self.database("ending a transaction", e))?;
                    return Ok(done);
                }
                Some(Next::Done(step)) => {
                    self.config.commit(txn).await.map_err(|e| MigrateError::Failed {
                        migration: step.migration.clone(),
                        message: self.config.describe_error(&e),
                    })?;
                    step
                }
                Some(Next::OutsideTransaction(version)) => {
                    txn.rollback().await.map_err(|e| self.database("ending a transaction", e))?;
                    match outside::run(self, direction, &version).await? {
                        Some(step) => step,
                        None => continue, // another migrator ran it meanwhile
                    }
                }
            };
            report(&step);
            done.push(step);
        }
    }

    /// Applies pending migrations towards `goal` in one transaction under the lock, then
    /// rolls it back: nothing changes. `before` sees the transaction before each migration
    /// (the tables as that migration finds them); each step comes back with what it gave.
    pub async fn rehearse<T>(
        &self,
        goal: &Goal,
        mut before: impl AsyncFnMut(&DatabaseTransaction) -> Result<T, DbErr>,
    ) -> Result<Vec<(Step, T)>, MigrateError> {
        self.check_goal(goal)?;
        let txn = self.begin_locked().await?;
        let mut done = Vec::new();
        loop {
            let seen = before(&txn)
                .await
                .map_err(|e| self.database("reading the tables before a migration", e))?;
            let rehearsed = self.step(&txn, Direction::Up, goal, done.len());
            let step = match statement_by_statement(rehearsed).await? {
                Some(Next::Done(step)) => step,
                Some(Next::OutsideTransaction(version)) => {
                    cannot_rehearse(&version);
                    break;
                }
                None => break,
            };
            done.push((step, seen));
        }
        txn.rollback().await.map_err(|e| self.database("rolling back the rehearsal", e))?;
        Ok(done)
    }

    /// Drops every table (and, on PostgreSQL, every function outside extensions) in one
    /// transaction under the lock: what `fresh` does before applying everything.
    pub async fn drop_everything(&self) -> Result<(), MigrateError> {
        let sqlite = self.db.get_database_backend() == DbBackend::Sqlite;
        let foreign_keys =
            |on: bool| format!("PRAGMA foreign_keys = {}", if on { "ON" } else { "OFF" });
        if sqlite {
            // Only outside a transaction does SQLite let foreign keys be switched off.
            self.db
                .execute_unprepared(&foreign_keys(false))
                .await
                .map_err(|e| self.database("dropping tables", e))?;
        }
        let dropped = async {
            let txn = self.begin_locked().await?;
            let tables = if sqlite { SQLITE_TABLES } else { POSTGRES_TABLES };
            let rows =
                txn.query_all_raw(Statement::from_string(txn.get_database_backend(), tables)).await;
            let rows = rows.map_err(|e| self.database("listing tables", e))?;
            for row in rows {
                let name: String =
                    row.try_get("", "name").map_err(|e| self.database("listing tables", e))?;
                let cascade = if sqlite { "" } else { " CASCADE" };
                let sql =
                    format!("DROP TABLE IF EXISTS \"{}\"{cascade}", name.replace('"', "\"\""));
                txn.execute_unprepared(&sql)
                    .await
                    .map_err(|e| self.database("dropping tables", e))?;
            }
            if !sqlite {
                txn.execute_unprepared(DROP_POSTGRES_FUNCTIONS)
                    .await
                    .map_err(|e| self.database("dropping functions", e))?;
            }
            self.config.commit(txn).await.map_err(|e| self.database("dropping tables", e))
        };
        let result = dropped.await;
        if sqlite {
            self.db
                .execute_unprepared(&foreign_keys(true))
                .await
                .map_err(|e| self.database("dropping tables", e))?;
        }
        result
    }

    fn check_goal(&self, goal: &Goal) -> Result<(), MigrateError> {
        match goal {
            Goal::To(version) if version != "0" && !self.migrator.listed().contains(version) => {
                Err(MigrateError::UnknownTarget { version: version.clone() })
            }
            _ => Ok(()),
        }
    }

    /// One migration in `txn` (which holds the lock), or `None` when the goal is reached.
    async fn step(
        &self,
        txn: &DatabaseTransaction,
        direction: Direction,
        goal: &Goal,
        done: usize,
    ) -> Result<Option<Next>, MigrateError> {
        let install = async {
            self.migrator.install(txn).await?;
            Metadata::install(txn).await
        };
        let creating = "creating the migration tables (seaql_migrations, chatdb_metadata)";
        install.await.map_err(|e| self.database(creating, e))?;
        let history = History::read_for(txn, self.migrator.listed())
            .await
            .map_err(|e| self.database("reading the migration history", e))?;
        let command = if direction == Direction::Up { "up" } else { "down" };
        let unknown = history.versions(State::Unknown);
        if !unknown.is_empty() {
            return Err(MigrateError::UnknownApplied { command, versions: unknown.join(", ") });
        }
        if done == 0 && direction == Direction::Up {
            self.migrator.hash_ahead(&plan(&history, direction, goal));
        }
        let Some(version) = next(&self.migrator.listed(), &history, direction, goal, done) else {
            return Ok(None);
        };
        let Some(migration) = self.migrator.migrations().into_iter().find(|m| m.name() == version)
        else {
            return Ok(None);
        };
        if migration.use_transaction() == Some(false)
            && self.db.get_database_backend() == DbBackend::Postgres
        {
            return Ok(Some(Next::OutsideTransaction(version)));
        }
        let started = Instant::now();
        let result = match direction {
            Direction::Up => self.apply(txn, migration.as_ref()).await,
            Direction::Down => self.roll_back(txn, migration.as_ref()).await,
        };
        result.map_err(|e| MigrateError::Failed {
            migration: version.clone(),
            message: self.config.scrub(&describe(&e, self.config)),
        })?;
        let action = if direction == Direction::Up { Action::Applied } else { Action::RolledBack };
        let millis = started.elapsed().as_secs_f64() * 1e3;
        Ok(Some(Next::Done(Step { action, migration: version, millis })))
    }

    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        migration: &dyn MigrationTrait,
    ) -> Result<(), DbErr> {
        Metadata::record(txn, self.config.app_env.value).await?;
        migration.up(&SchemaManager::new(txn)).await?;
        record_applied(txn, migration.name()).await
    }

    async fn roll_back(
        &self,
        txn: &DatabaseTransaction,
        migration: &dyn MigrationTrait,
    ) -> Result<(), DbErr> {
        migration.down(&SchemaManager::new(txn)).await?;
        if self.migrator.listed().first().is_some_and(|first| first == migration.name()) {
            // The database is empty now: a ledger left behind would claim seedings that are gone.
            txn.execute_unprepared(&format!("DROP TABLE IF EXISTS {SEED_LEDGER_TABLE}")).await?;
        }
        record_rolled_back(txn, migration.name()).await
    }

    /// A transaction holding the migration lock.
    async fn begin_locked(&self) -> Result<DatabaseTransaction, MigrateError> {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => self.begin_sqlite().await,
            _ => {
                let txn = self
                    .config
                    .begin(self.db)
                    .await
                    .map_err(|e| self.database("starting a transaction", e))?;
                self.lock_postgres(&txn).await?;
                Ok(txn)
            }
        }
    }

    async fn lock_postgres(&self, txn: &DatabaseTransaction) -> Result<(), MigrateError> {
        // A migration may run longer than the app's statement timeout allows; a table lock
        // it cannot get within --lock-timeout fails it instead of queueing the app behind it.
        let settings = format!(
            "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = {}",
            self.lock_timeout.as_millis()
        );
        txn.execute_unprepared(&settings)
            .await
            .map_err(|e| self.database("setting timeouts", e))?;
        self.poll_lock(txn, "pg_try_advisory_xact_lock").await
    }

    /// Polls `function` (`pg_try_advisory_xact_lock` or, for a session, `pg_try_advisory_lock`)
    /// on the migrators' key until it is taken, announcing the wait; gives up after
    /// `--lock-timeout`.
    async fn poll_lock<C: ConnectionTrait>(
        &self,
        db: &C,
        function: &str,
    ) -> Result<(), MigrateError> {
        let deadline = Instant::now() + self.lock_timeout;
        let try_lock = Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT {function}({LOCK_KEY}) AS locked"),
        );
        let mut announced = false;
        loop {
            let row = db
                .query_one_raw(try_lock.clone())
                .await
                .map_err(|e| self.database("taking the migration lock", e))?;
            let locked: bool = match row {
                Some(row) => row
                    .try_get("", "locked")
                    .map_err(|e| self.database("taking the migration lock", e))?,
                None => false,
            };
            if locked {
                return Ok(());
            }
            if !announced {
                tracing::warn!(
                    "Waiting for another migrator to finish (advisory lock {LOCK_KEY}, at most {}s, --lock-timeout)",
                    self.lock_timeout.as_secs()
                );
                announced = true;
            }
            if Instant::now() >= deadline {
                return Err(MigrateError::LockTimeout {
                    seconds: self.lock_timeout.as_secs(),
                    what: "the migrators' PostgreSQL advisory lock",
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// `BEGIN IMMEDIATE`: first without waiting, so that a wait can be announced, then
    /// with a busy timeout of `--lock-timeout`.
    async fn begin_sqlite(&self) -> Result<DatabaseTransaction, MigrateError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let busy_timeout = |millis: u128| format!("PRAGMA busy_timeout = {millis}");
        let pragma = |e| self.database("setting the busy timeout", e);
        self.db.execute_unprepared(&busy_timeout(0)).await.map_err(pragma)?;
        let wait = busy_timeout(self.lock_timeout.as_millis());
        match self.db.begin_with_options(options).await {
            Ok(txn) => {
                txn.execute_unprepared(&wait).await.map_err(pragma)?;
                Ok(txn)
            }
            Err(e) if is_busy(&e) => {
                tracing::warn!(
                    "Waiting for another migrator to finish (SQLite write lock, at most {}s, --lock-timeout)",
                    self.lock_timeout.as_secs()
                );
                self.db.execute_unprepared(&wait).await.map_err(pragma)?;
                self.db.begin_with_options(options).await.map_err(|e| {
                    if is_busy(&e) {
                        MigrateError::LockTimeout {
                            seconds: self.lock_timeout.as_secs(),
                            what: "SQLite write lock",
                        }
                    } else {
                        self.database("starting a transaction", e)
                    }
                })
            }
            Err(e) => Err(self.database("starting a transaction", e)),
        }
    }

    fn database(&self, doing: &'static str, e: DbErr) -> MigrateError {
        MigrateError::Database { doing, message: self.config.scrub(&describe(&e, self.config)) }
    }
}

/// A dry run (or a lint) stops before a migration that runs outside a transaction.
fn cannot_rehearse(version: &str) {
    tracing::warn!(
        "{version} runs outside a transaction: its statements cannot run inside the rehearsal's \
         transaction, so the rehearsal stops before it (lint its statements with `lint --sql`)"
    );
}

/// The history says `version` is applied.
async fn record_applied<C: ConnectionTrait>(db: &C, version: &str) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert.into_table(MIGRATIONS_TABLE).columns(["version", "applied_at"]);
    insert
        .values([version.into(), chrono::Utc::now().timestamp().into()])
        .map_err(|e| DbErr::Migration(e.to_string()))?;
    db.execute(&insert).await?;
    Ok(())
}

/// The history says `version` is not applied.
async fn record_rolled_back<C: ConnectionTrait>(db: &C, version: &str) -> Result<(), DbErr> {
    let delete = Query::delete()
        .from_table(MIGRATIONS_TABLE)
        .and_where(Expr::col("version").eq(version))
        .to_owned();
    db.execute(&delete).await?;
    Ok(())
}

/// The next migration to apply or roll back towards `goal`, after `done` steps.
fn next(
    names: &[String],
    history: &History,
    direction: Direction,
    goal: &Goal,
    done: usize,
) -> Option<String> {
    let position = |version: &str| names.iter().position(|n| n == version);
    match direction {
        Direction::Up => {
            let candidate = history.versions(State::Pending).first()?.to_string();
            let within = match goal {
                Goal::All => true,
                Goal::Steps(n) => done < *n as usize,
                Goal::To(target) => position(&candidate) <= position(target),
            };
            within.then_some(candidate)
        }
        Direction::Down => {
            let candidate = history.current()?.to_owned();
            let within = match goal {
                Goal::All => true,
                Goal::Steps(n) => done < *n as usize,
                Goal::To(target) if target == "0" => true,
                Goal::To(target) => position(&candidate) > position(target),
            };
            within.then_some(candidate)
        }
    }
}

/// The versions a run towards `goal` would apply or roll back, in order.
pub(crate) fn plan(history: &History, direction: Direction, goal: &Goal) -> Vec<String> {
    let mut history = history.clone();
    let mut versions = Vec::new();
    let names = Migrator::names();
    while let Some(version) = next(&names, &history, direction, goal, versions.len()) {
        if let Some(entry) = history.entries.iter_mut().find(|e| e.version == version) {
            entry.state = if direction == Direction::Up { State::Applied } else { State::Pending };
        }
        versions.push(version);
    }
    versions
}

/// SQLITE_BUSY: another connection holds the write lock.
fn is_busy(e: &DbErr) -> bool {
    db_config::codes::is(e, db_config::codes::SQLITE_BUSY)
}

/// A database error, with PostgreSQL's lock timeout explained.
fn describe(e: &DbErr, config: &DatabaseConfig) -> String {
    let text = e.to_string();
    if db_config::codes::is(e, db_config::codes::LOCK_NOT_AVAILABLE) {
        format!(
            "{text} (a table it changes stays locked by another session; see pg_locks, then retry or raise --lock-timeout)"
        )
    } else if db_config::codes::is(e, db_config::codes::INSUFFICIENT_PRIVILEGE)
        && text.contains("for schema")
        && let db_config::Target::Postgres(pg) = &config.target
    {
        format!(
            "{text}; the role {user} needs CREATE on that schema: GRANT CREATE ON SCHEMA public TO {user} \
             (since PostgreSQL 15 only the schema's owner has it), or migrate as the owner",
            user = pg.user.value
        )
    } else {
        text
    }
}

const POSTGRES_TABLES: &str =
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()";
const SQLITE_TABLES: &str =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

/// Drops the functions of the current schema (trigger functions outlive `DROP TABLE`),
/// sparing those that belong to an extension.
const DROP_POSTGRES_FUNCTIONS: &str = "DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
END
$$";
