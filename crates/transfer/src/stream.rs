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
