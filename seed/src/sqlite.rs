//! The SQLite seeding's connection: one of its own, driven through rusqlite on blocking
//! threads, as the copy's is. Through sqlx, the hop of each statement to its worker thread
//! and the conversion of every value took about a fifth of the writer's time. The
//! seeding's whole transaction (lock, ledger, rows, indexes, recount) runs on it.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use db_config::SqliteTarget;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params_from_iter};
use uuid::Uuid;

use crate::SeedError;
use crate::ledger::{self, LedgerEntry};

/// The seeding's connection, shared with the blocking thread of each step. Dropped with its
/// transaction open (a failure, a cancelled seeding), it rolls back.
#[derive(Clone)]
pub(crate) struct Seeding {
    conn: Arc<Mutex<Connection>>,
}

impl Seeding {
    /// Opens the file `target` names and takes its write lock (`BEGIN IMMEDIATE`, after
    /// the load's pragmas, which must precede it): a second seeding waits, then is told.
    pub(crate) async fn begin(target: &SqliteTarget) -> Result<Self, SeedError> {
        let path = target.path.value.clone();
        // Read-write: a `mode=ro` URL was refused before (`check_environment`).
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = blocking(move || {
            let conn = Connection::open_with_flags(&path, flags)?;
            conn.busy_timeout(db_config::SQLITE_BUSY_TIMEOUT)?;
            conn.pragma_update(None, "foreign_keys", true)?;
            conn.execute_batch(bulk_load::sqlite::LOAD_PRAGMAS)?;
            match conn.execute_batch("BEGIN IMMEDIATE") {
                Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
                    Err(SeedError::Busy)
                }
                begun => Ok(begun.map(|()| conn)?),
            }
        })
        .await?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `step` on a blocking thread with the connection.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        step: impl FnOnce(&Connection) -> Result<T, SeedError> + Send + 'static,
    ) -> Result<T, SeedError> {
        let conn = Arc::clone(&self.conn);
        blocking(move || step(&lock(&conn))).await
    }

    /// Creates the ledger if needed and says whether this seeding may go ahead: not when
    /// another one recorded it meanwhile. A recorded seeding whose rows are gone is
    /// forgotten.
    pub(crate) async fn claim(&self, fingerprint: &str) -> Result<bool, SeedError> {
        let fingerprint = fingerprint.to_owned();
        self.run(move |conn| {
            conn.execute_batch(&ledger::create())?;
            let find = format!(
                "SELECT created_tenants, target_tenant FROM {} WHERE fingerprint = ?1",
                ledger::LEDGER_TABLE
            );
            let row = conn
                .query_row(&find, [&fingerprint], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let Some((created_tenants, target_tenant)) = row else { return Ok(true) };
            let entry = LedgerEntry::identifying(&fingerprint, created_tenants, target_tenant);
            let ids = entry.tenants()?;
            let count =
                format!("SELECT count(*) FROM tenants WHERE id IN ({})", placeholders(&ids));
            let found: i64 = conn.query_row(&count, params_from_iter(blobs(&ids)), |r| r.get(0))?;
            if !ids.is_empty() && found == ids.len() as i64 {
                return Ok(false);
            }
            let forget = format!("DELETE FROM {} WHERE fingerprint = ?1", ledger::LEDGER_TABLE);
            conn.execute(&forget, [&fingerprint])?;
            Ok(true)
        })
        .await
    }

    /// Runs each statement in turn.
    pub(crate) async fn execute_all(&self, statements: Vec<String>) -> Result<(), SeedError> {
        self.run(move |conn| {
            statements.iter().try_for_each(|statement| conn.execute_batch(statement))?;
            Ok(())
        })
        .await
    }

    /// Recounts the tags' usage of `tenants`, records `entry` in the ledger and commits.
    pub(crate) async fn finish(
        &self,
        tenants: Vec<Uuid>,
        entry: LedgerEntry,
    ) -> Result<(), SeedError> {
        self.run(move |conn| {
            let recount = format!(
                "{} WHERE tenant_id IN ({})",
                migration::RECOUNT_TAG_USAGE,
                placeholders(&tenants)
            );
            conn.execute(&recount, params_from_iter(blobs(&tenants)))?;
            ledger::record_sqlite(conn, &entry)?;
            conn.execute_batch("COMMIT")?;
            Ok(())
        })
        .await
    }
}

/// `?, ?, …`, one for each of `values`.
fn placeholders<T>(values: &[T]) -> String {
    vec!["?"; values.len()].join(", ")
}

/// UUIDs as SQLite stores them (as sqlx binds them): their 16 bytes.
fn blobs(ids: &[Uuid]) -> impl Iterator<Item = &[u8]> {
    ids.iter().map(|id| id.as_bytes().as_slice())
}

async fn blocking<T: Send + 'static>(
    step: impl FnOnce() -> Result<T, SeedError> + Send + 'static,
) -> Result<T, SeedError> {
    tokio::task::spawn_blocking(step).await.map_err(SeedError::Writer)?
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panicked step cannot leave the connection half-used: rusqlite calls are whole.
    conn.lock().unwrap_or_else(PoisonError::into_inner)
}
