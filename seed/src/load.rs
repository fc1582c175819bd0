//! Writing generated rows: PostgreSQL `COPY … FROM STDIN`, SQLite multi-row INSERTs. Rows
//! are generated on a blocking thread while the previous batch is being written, through a
//! small bounded channel, so memory stays flat whatever the size.

use std::sync::Arc;

use indicatif::ProgressBar;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::sqlx::PgConnection;
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use tokio::sync::mpsc;

use crate::SeedError;
use crate::plan::Plan;
use crate::tables::{Row, TableSpec};

/// COPY data sent per message.
const COPY_CHUNK_BYTES: usize = 1 << 20;
/// Batches in flight between the generator and the writer.
const IN_FLIGHT: usize = 4;
/// SQLite binds at most 32,766 parameters per statement.
const SQLITE_MAX_PARAMS: usize = 32_000;

/// Streams `spec`'s rows into PostgreSQL with COPY (`freeze`: written frozen, the table
/// having been emptied in this transaction); returns the row count.
pub(crate) async fn copy_table(
    conn: &mut PgConnection,
    spec: &TableSpec,
    plan: &Arc<Plan>,
    progress: &ProgressBar,
    freeze: bool,
) -> Result<u64, SeedError> {
    let (sender, mut receiver) = mpsc::channel::<(Vec<u8>, u64)>(IN_FLIGHT);
    let generate = spec.generate;
    let plan = Arc::clone(plan);
    let generator = tokio::task::spawn_blocking(move || {
        let mut chunk = Vec::with_capacity(COPY_CHUNK_BYTES + 4096);
        let mut rows = 0u64;
        for row in generate(plan) {
            encode_copy_row(&row, &mut chunk);
            rows += 1;
            if chunk.len() >= COPY_CHUNK_BYTES {
                let full =
                    std::mem::replace(&mut chunk, Vec::with_capacity(COPY_CHUNK_BYTES + 4096));
                if sender.blocking_send((full, rows)).is_err() {
                    return;
                }
                rows = 0;
            }
        }
        let _ = sender.blocking_send((chunk, rows));
    });
    let options = if freeze { " (FREEZE)" } else { "" };
    let statement = format!("COPY {} ({}) FROM STDIN{options}", spec.name, spec.columns.join(", "));
    let mut copy = conn.copy_in_raw(&statement).await?;
    while let Some((chunk, rows)) = receiver.recv().await {
        if let Err(err) = copy.send(chunk).await {
            let _ = copy.abort(err.to_string()).await;
            return Err(err.into());
        }
        process_io::progress::advance(progress, rows);
    }
    generator.await.map_err(SeedError::Generator)?;
    Ok(copy.finish().await?)
}

fn encode_copy_row(row: &Row, out: &mut Vec<u8>) {
    for (i, field) in row.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        field.write_copy(out);
    }
    out.push(b'\n');
}

/// Writes `spec`'s rows into SQLite with multi-row INSERTs in the seeding's transaction.
pub(crate) async fn insert_table(
    txn: &DatabaseTransaction,
    spec: &TableSpec,
    plan: &Arc<Plan>,
    progress: &ProgressBar,
) -> Result<u64, SeedError> {
    let per_batch = (SQLITE_MAX_PARAMS / spec.columns.len()).max(1);
    let (sender, mut receiver) = mpsc::channel::<Vec<Row>>(IN_FLIGHT);
    let generate = spec.generate;
    let plan = Arc::clone(plan);
    let generator = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(per_batch);
        for row in generate(plan) {
            batch.push(row);
            if batch.len() == per_batch
                && sender
                    .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(per_batch)))
                    .is_err()
            {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
    });
    let mut written = 0u64;
    while let Some(batch) = receiver.recv().await {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(spec.name))
            .columns(spec.columns.iter().map(|c| Alias::new(*c)));
        for row in &batch {
            insert
                .values(row.iter().map(|f| f.to_value().into()))
                .map_err(|source| SeedError::RowShape { table: spec.name, source })?;
        }
        txn.execute(&insert).await?;
        written += batch.len() as u64;
        process_io::progress::advance(progress, batch.len() as u64);
    }
    generator.await.map_err(SeedError::Generator)?;
    Ok(written)
}
