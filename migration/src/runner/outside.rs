//! A migration that runs outside a transaction (PostgreSQL: `CREATE INDEX CONCURRENTLY`,
//! `VALIDATE CONSTRAINT` in steps), declared by `use_transaction() == Some(false)`.
//!
//! Its statements commit one by one, so the migrators' lock is a session lock on a
//! connection of its own — impossible through a transaction-pooling PgBouncer, hence
//! `DATABASE_DIRECT_URL`. The history records it only once it finished. An interrupted
//! `CREATE INDEX CONCURRENTLY` leaves an INVALID index behind: it is found and named,
//! before and after the migration, instead of being taken for a finished one.

use std::time::Instant;

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use sea_orm_migration::{MigrationTrait, MigratorTraitSelf, SchemaManager};

use super::{Action, Direction, Runner, Step, record_applied, record_rolled_back};
use crate::MigrateError;
use crate::ddl::statement_by_statement;
use crate::history::{History, State};
use crate::metadata::Metadata;

/// Runs `version` outside a transaction under a session lock; `None` when another migrator
/// ran it meanwhile.
pub(super) async fn run(
    runner: &Runner<'_>,
    direction: Direction,
    version: &str,
) -> Result<Option<Step>, MigrateError> {
    if let db_config::Target::Postgres(pg) = &runner.config.target
        && pg.pgbouncer.value
    {
        return Err(MigrateError::NeedsSession { migration: version.to_owned() });
    }
    let Some(migration) = runner.migrator.migrations().into_iter().find(|m| m.name() == version)
    else {
        return Ok(None);
    };
    let db = runner.db;
    runner.poll_lock(db, "pg_try_advisory_lock").await?;
    let ran = run_locked(runner, direction, migration.as_ref()).await;
    let settle = db
        .execute_unprepared(&format!(
            "RESET statement_timeout; RESET lock_timeout; RESET client_connection_check_interval; \
             SELECT pg_advisory_unlock({})",
            super::LOCK_KEY
        ))
        .await
        .map_err(|e| runner.database("releasing the migration lock", e));
    let step = ran?;
    settle?;
    Ok(step)
}

async fn run_locked(
    runner: &Runner<'_>,
    direction: Direction,
    migration: &dyn MigrationTrait,
) -> Result<Option<Step>, MigrateError> {
    let db = runner.db;
    let version = migration.name().to_owned();
    let history = History::read_for(db, runner.migrator.listed())
        .await
        .map_err(|e| runner.database("reading the migration history", e))?;
    let waiting = if direction == Direction::Up { State::Pending } else { State::Applied };
    if !history.entries.iter().any(|e| e.version == version && e.state == waiting) {
        return Ok(None);
    }
    let invalid = invalid_indexes(db).await.map_err(|e| runner.database("reading indexes", e))?;
    if !invalid.is_empty() {
        return Err(MigrateError::InvalidIndexes {
            migration: version,
            indexes: invalid.join(", "),
        });
    }
    // A killed migrator's server session notices within a second, even while it waits,
    // instead of building on unattended (PostgreSQL 14+).
    let settings = format!(
        "SET statement_timeout = 0; SET lock_timeout = {}; SET client_connection_check_interval = 1000",
        runner.lock_timeout.as_millis()
    );
    db.execute_unprepared(&settings).await.map_err(|e| runner.database("setting timeouts", e))?;
    let started = Instant::now();
    let manager = SchemaManager::new(db);
    // One statement at a time: several in one message make an implicit transaction, which
    // `CREATE INDEX CONCURRENTLY` refuses.
    let ran = statement_by_statement(async {
        match direction {
            Direction::Up => migration.up(&manager).await,
            Direction::Down => migration.down(&manager).await,
        }
    })
    .await;
    let left = invalid_indexes(db).await.map_err(|e| runner.database("reading indexes", e))?;
    if let Err(e) = ran {
        let message = runner.config.scrub(&super::describe(&e, runner.config));
        return Err(MigrateError::FailedOutsideTransaction {
            migration: version,
            message,
            invalid: left.join(", "),
        });
    }
    if !left.is_empty() {
        return Err(MigrateError::InvalidIndexes { migration: version, indexes: left.join(", ") });
    }
    let record = async {
        let txn = runner.config.begin(db).await?;
        match direction {
            Direction::Up => {
                Metadata::record(&txn, runner.config.app_env.value).await?;
                record_applied(&txn, &version).await?;
            }
            Direction::Down => record_rolled_back(&txn, &version).await?,
        }
        runner.config.commit(txn).await
    };
    record.await.map_err(|e| runner.database("recording the migration in the history", e))?;
    let action = if direction == Direction::Up { Action::Applied } else { Action::RolledBack };
    Ok(Some(Step { action, migration: version, millis: started.elapsed().as_secs_f64() * 1e3 }))
}

/// The indexes of the current schema that an interrupted `CREATE INDEX CONCURRENTLY` left
/// INVALID (or that one is building right now).
async fn invalid_indexes<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    let sql = "SELECT c.relname::text FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid \
               WHERE NOT x.indisvalid AND c.relnamespace = current_schema()::regnamespace \
               ORDER BY 1";
    let rows = db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
    rows.iter().map(|row| row.try_get_by_index::<String>(0)).collect()
}
