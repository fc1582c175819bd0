//! Rows on their way from a reader to the writer: batches through a bounded channel, each
//! table ending with its digest, digested as they are read.

use tokio::sync::mpsc;

use crate::TransferError;
use crate::tables::TableSpec;
use crate::value::{Digest, Value, row_hash};

/// Rows in flight between the reader and the writer, per message.
pub(crate) const ROWS_PER_BATCH: usize = 1024;
/// Messages in flight: reading runs ahead of writing by at most this many batches.
pub(crate) const IN_FLIGHT: usize = 8;
/// Messages in flight when moving tenants: the source deletes them as soon as it has read
/// them, so reading runs further ahead (up to 64k rows, some tens of MB) and the delete
/// overlaps the load instead of following it. Into a full target, whose indexed load is
/// the longer part, an 18k-row move took 1.1–1.4 s instead of 1.4–2.6 s.
pub(crate) const IN_FLIGHT_MOVING: usize = 64;

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

/// The rows a reader on a blocking thread decodes (SQLite, export files): digested as they
/// come and, when kept, sent in batches to the async side that relays them.
pub(crate) struct BlockingBatches {
    sender: mpsc::Sender<Batch>,
    batch: Batch,
    keep: bool,
    digest: Digest,
}

impl BlockingBatches {
    /// Batches for `sender`; with `keep` false, rows are only digested.
    pub(crate) fn new(sender: mpsc::Sender<Batch>, keep: bool) -> Self {
        let batch = Vec::with_capacity(if keep { ROWS_PER_BATCH } else { 0 });
        Self { sender, batch, keep, digest: Digest::default() }
    }

    pub(crate) fn push(&mut self, row: Vec<Value>) -> Result<(), TransferError> {
        self.digest.add_hash(row_hash(&row));
        if !self.keep {
            return Ok(());
        }
        self.batch.push(row);
        if self.batch.len() >= ROWS_PER_BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(ROWS_PER_BATCH));
            self.sender.blocking_send(full).map_err(|_| TransferError::WriterStopped)?;
        }
        Ok(())
    }

    /// Sends what is left; the rows' digest.
    pub(crate) fn finish(self) -> Result<Digest, TransferError> {
        if !self.batch.is_empty() {
            self.sender.blocking_send(self.batch).map_err(|_| TransferError::WriterStopped)?;
        }
        Ok(self.digest)
    }
}
