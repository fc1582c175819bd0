//! Writing generated rows: PostgreSQL `COPY … FROM STDIN`, SQLite multi-row INSERTs. Rows
//! are generated on a blocking thread while the previous batch is being written, through a
//! small bounded channel, so memory stays flat whatever the size.

use std::sync::Arc;

use indicatif::ProgressBar;
use sea_orm::sqlx::PgConnection;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};
use tokio::sync::mpsc;

use crate::SeedError;
use crate::field::Field;
use crate::plan::Plan;
use crate::tables::{Row, TableSpec};

/// COPY data sent per message.
const COPY_CHUNK_BYTES: usize = 1 << 20;
/// Batches in flight between the generator and the writer.
const IN_FLIGHT: usize = 4;
/// Parameters bound per SQLite INSERT (SQLite allows 32,766). From 400 to 2,500 the
/// large preset seeds equally fast; 32,000 was slower and held 80 MB more (each bound
/// value is a copy SQLite keeps until the statement is done).
const SQLITE_PARAMS_PER_INSERT: usize = 1_000;

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
/// The generator thread turns each batch into the statement's values; every full batch
/// shares one SQL text (and so one prepared statement).
pub(crate) async fn insert_table(
    txn: &DatabaseTransaction,
    spec: &TableSpec,
    plan: &Arc<Plan>,
    progress: &ProgressBar,
) -> Result<u64, SeedError> {
    let columns = spec.columns.len();
    let per_batch = (SQLITE_PARAMS_PER_INSERT / columns).max(1);
    let (sender, mut receiver) = mpsc::channel::<Result<Batch, SeedError>>(IN_FLIGHT);
    let (generate, table) = (spec.generate, spec.name);
    let plan = Arc::clone(plan);
    let generator = tokio::task::spawn_blocking(move || {
        let mut batch = Batch::new(per_batch * columns);
        for row in generate(plan) {
            if row.len() != columns {
                let shape = SeedError::RowShape { table, values: row.len(), columns };
                let _ = sender.blocking_send(Err(shape));
                return;
            }
            batch.values.extend(row.into_iter().map(Field::into_value));
            batch.rows += 1;
            if batch.rows == per_batch
                && sender
                    .blocking_send(Ok(std::mem::replace(
                        &mut batch,
                        Batch::new(per_batch * columns),
                    )))
                    .is_err()
            {
                return;
            }
        }
        if batch.rows > 0 {
            let _ = sender.blocking_send(Ok(batch));
        }
    });
    let full_batch = insert_sql(spec, per_batch);
    let mut written = 0u64;
    while let Some(batch) = receiver.recv().await {
        let batch = batch?;
        let sql =
            if batch.rows == per_batch { full_batch.clone() } else { insert_sql(spec, batch.rows) };
        txn.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, batch.values))
            .await?;
        written += batch.rows as u64;
        process_io::progress::advance(progress, batch.rows as u64);
    }
    generator.await.map_err(SeedError::Generator)?;
    Ok(written)
}

/// Rows on their way to one INSERT: their values, row after row.
struct Batch {
    values: Vec<Value>,
    rows: usize,
}

impl Batch {
    fn new(values: usize) -> Self {
        Self { values: Vec::with_capacity(values), rows: 0 }
    }
}

/// `INSERT INTO table (columns) VALUES (?, …), …` for `rows` rows.
fn insert_sql(spec: &TableSpec, rows: usize) -> String {
    let row = format!("({})", vec!["?"; spec.columns.len()].join(", "));
    format!(
        "INSERT INTO \"{}\" ({}) VALUES {}",
        spec.name,
        spec.columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
        vec![row; rows].join(", ")
    )
}
