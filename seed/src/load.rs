//! Writing generated rows: PostgreSQL `COPY … FROM STDIN`, SQLite prepared INSERTs. Rows
//! are generated on a blocking thread while the previous batch is being written, through a
//! small bounded channel, so memory stays flat whatever the size.

use std::sync::Arc;

use indicatif::ProgressBar;
use sea_orm::sqlx::PgConnection;
use tokio::sync::mpsc;

use crate::SeedError;
use crate::field::Field;
use crate::plan::Plan;
use crate::sqlite::Seeding;
use crate::tables::{Row, TableSpec};

/// COPY data sent per message.
const COPY_CHUNK_BYTES: usize = 1 << 20;
/// Batches in flight between the generator and the writer.
const IN_FLIGHT: usize = 4;

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

/// Rows generated ahead of the SQLite writer, per batch.
const SQLITE_ROWS_PER_BATCH: usize = 256;

/// Writes `spec`'s rows into SQLite with one prepared single-row INSERT (as fast here as
/// multi-row ones, which must be rebuilt for the last batch), in the seeding's transaction;
/// the generator thread sends the rows in batches, each row's values checked against the
/// table's columns.
pub(crate) async fn insert_table(
    seeding: &Seeding,
    spec: &TableSpec,
    plan: &Arc<Plan>,
    progress: &ProgressBar,
) -> Result<u64, SeedError> {
    let columns = spec.columns.len();
    let (sender, mut receiver) = mpsc::channel::<Result<Vec<Field>, SeedError>>(IN_FLIGHT);
    let (generate, table) = (spec.generate, spec.name);
    let plan = Arc::clone(plan);
    let generator = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(SQLITE_ROWS_PER_BATCH * columns);
        for row in generate(plan) {
            if row.len() != columns {
                let shape = SeedError::RowShape { table, values: row.len(), columns };
                let _ = sender.blocking_send(Err(shape));
                return;
            }
            batch.extend(row);
            if batch.len() == SQLITE_ROWS_PER_BATCH * columns
                && sender
                    .blocking_send(Ok(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(SQLITE_ROWS_PER_BATCH * columns),
                    )))
                    .is_err()
            {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send(Ok(batch));
        }
    });
    let sql = insert_sql(spec);
    let progress = progress.clone();
    let written = seeding
        .run(move |conn| {
            let mut insert = conn.prepare(&sql)?;
            let mut written = 0u64;
            while let Some(batch) = receiver.blocking_recv() {
                let batch = batch?;
                for row in batch.chunks(columns) {
                    insert.execute(rusqlite::params_from_iter(row))?;
                }
                let rows = (batch.len() / columns) as u64;
                written += rows;
                process_io::progress::advance(&progress, rows);
            }
            Ok(written)
        })
        .await;
    generator.await.map_err(SeedError::Generator)?;
    written
}

/// `INSERT INTO table (columns) VALUES (?, …)`.
fn insert_sql(spec: &TableSpec) -> String {
    format!(
        "INSERT INTO \"{}\" ({}) VALUES ({})",
        spec.name,
        spec.columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
        vec!["?"; spec.columns.len()].join(", ")
    )
}
