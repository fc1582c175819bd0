//! Verified copies of the platform's data between two databases that carry its schema:
//! SQLite → PostgreSQL (going to production), PostgreSQL → SQLite (a tenant pulled into a
//! local file to debug), PostgreSQL → PostgreSQL (a tenant moved to another server), and
//! through files (`export`/`import`) when the two cannot see each other.
//!
//! A copy is one transaction on the target. Rows stream from the source (one snapshot)
//! while the target writes them; every table's rows are digested on both sides (row
//! count plus an order-independent hash of the normalised values, see [`value`]) and the
//! target is read back and compared before it commits. Into an empty PostgreSQL target
//! the tables are loaded bare and their keys, indexes and foreign keys built afterwards
//! in the same transaction, as `pg_restore` does.

mod conn;
mod copy;
mod error;
mod files;
mod load;
mod moving;
mod pg_binary;
mod postgres;
mod sqlite;
pub mod tables;
pub mod time;
pub mod value;
mod verify;
mod versions;

use tokio::sync::mpsc;

pub use copy::{CopyOptions, CopyReport, TableReport, copy};
pub use error::TransferError;
pub use files::{MANIFEST, Manifest, TableFile, export, import};
use tables::TableSpec;
use value::{Digest, Value, row_hash};

/// Rows in flight between the reader and the writer, per message.
pub(crate) const ROWS_PER_BATCH: usize = 1024;
/// Messages in flight: reading runs ahead of writing by at most this many batches.
pub(crate) const IN_FLIGHT: usize = 8;

/// Rows on their way from the reader to the writer.
pub(crate) type Batch = Vec<Vec<Value>>;

/// What the reader sends the writer: rows, then the end of a table with its digest.
pub(crate) enum Feed {
    Rows(Batch),
    End(Digest),
}

/// Where a reader's rows go besides its digest.
pub(crate) enum Sink<'a> {
    /// Nowhere (reading a side back to compare).
    Digest,
    /// To the writer.
    Feed(&'a mpsc::Sender<Feed>),
    /// Each row's key and hash (finding the first difference).
    Keys(&'a mut Vec<(String, u128)>),
}

/// The rows a reader has decoded: digested as they come, batched for their sink.
pub(crate) struct Collect<'a> {
    sink: Sink<'a>,
    batch: Batch,
    digest: Digest,
}

impl<'a> Collect<'a> {
    pub(crate) fn new(sink: Sink<'a>) -> Self {
        Self { sink, batch: Vec::new(), digest: Digest::default() }
    }

    pub(crate) fn push(&mut self, table: &TableSpec, row: Vec<Value>) {
        let hash = row_hash(&row);
        self.digest.add_hash(hash);
        match &mut self.sink {
            Sink::Digest => {}
            Sink::Feed(_) => self.batch.push(row),
            Sink::Keys(keys) => keys.push((table.describe_key(&row), hash)),
        }
    }

    /// Counts a row already hashed (read only to be digested).
    pub(crate) fn add_hash(&mut self, hash: u128) {
        self.digest.add_hash(hash);
    }

    pub(crate) fn full(&self) -> bool {
        self.batch.len() >= ROWS_PER_BATCH
    }

    pub(crate) async fn flush(&mut self) -> Result<(), TransferError> {
        if let Sink::Feed(sender) = &self.sink
            && !self.batch.is_empty()
        {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(ROWS_PER_BATCH));
            sender.send(Feed::Rows(batch)).await.map_err(|_| TransferError::WriterStopped)?;
        }
        Ok(())
    }

    pub(crate) async fn finish(mut self) -> Result<Digest, TransferError> {
        self.flush().await?;
        Ok(self.digest)
    }
}

/// A driver error while `doing` something on `database`, as the operator should read it.
pub(crate) fn database_error(
    database: &str,
    doing: &str,
    e: sea_orm::sqlx::Error,
) -> TransferError {
    use sea_orm::sqlx::postgres::PgDatabaseError;
    const FOREIGN_KEY_VIOLATION: &str = "23503";
    /// SQLSTATE class 23: unique, check, not-null, exclusion violations.
    const INTEGRITY_CONSTRAINT_VIOLATION: &str = "23";
    let postgres = e.as_database_error().and_then(|d| d.try_downcast_ref::<PgDatabaseError>());
    if let Some(pg) = postgres.filter(|pg| pg.code() == FOREIGN_KEY_VIOLATION) {
        // Re-adding a foreign key found a row the source let in without its parent.
        return TransferError::Orphan {
            table: pg.table().unwrap_or("a table").to_owned(),
            detail: pg.detail().unwrap_or(pg.message()).trim_end_matches('.').to_owned(),
        };
    }
    if let Some(pg) = postgres.filter(|pg| pg.code().starts_with(INTEGRITY_CONSTRAINT_VIOLATION)) {
        let detail =
            pg.detail().map(|d| format!(" ({})", d.trim_end_matches('.'))).unwrap_or_default();
        return TransferError::Rejected {
            database: database.to_owned(),
            doing: doing.to_owned(),
            message: format!("{}{detail}", pg.message()),
        };
    }
    TransferError::Database {
        database: database.to_owned(),
        doing: doing.to_owned(),
        message: config::process::tidy(&e.to_string()),
    }
}
