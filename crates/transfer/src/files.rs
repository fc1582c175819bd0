//! `chatdb export DIR` and `chatdb import DIR`: a copy through files, for two databases
//! that cannot see each other and for handing a tenant its data. One JSON-lines file per
//! table (one object per row: UUIDs hyphenated, times RFC 3339 in UTC with microseconds,
//! decimals as strings, JSON as JSON) and `manifest.json` with the migrations applied and
//! each table's row count and digest. The manifest is written last: a directory without
//! one is an export that did not finish. `import` checks every file against the manifest
//! and the target against the files before it commits.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use config::DatabaseConfig;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::conn::Side;
use crate::copy::{CopyOptions, CopyReport, Occupancy, Scope, deliver, occupancy, source_checks};
use crate::load::Origin;
use crate::tables::{self, TableSpec};
use crate::value::{Digest, Kind, Value, row_hash};
use crate::{Batch, Feed, IN_FLIGHT, ROWS_PER_BATCH, Sink, TransferError, time, versions};

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The version of the layout this build writes and reads.
const FORMAT: u32 = 1;

/// What an export holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout's version.
    pub format: u32,
    /// The migrations applied to the exported database, oldest first.
    pub migrations: Vec<String>,
    /// The exported database, described (no password).
    pub source: String,
    /// When the export was taken (RFC 3339).
    pub exported_at: String,
    /// The tenants exported (empty: everything).
    pub tenants: Vec<Uuid>,
    /// Every table's file.
    pub tables: Vec<TableFile>,
}

/// One table of an export.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TableFile {
    /// The table.
    pub table: String,
    /// Its file, relative to the export's directory.
    pub file: String,
    /// Rows in it.
    pub rows: u64,
    /// The digest of those rows (as `chatdb copy` computes it).
    pub hash: String,
}

fn file_error(path: &Path, problem: impl std::fmt::Display) -> TransferError {
    TransferError::File { path: path.display().to_string(), problem: problem.to_string() }
}

/// Exports the database of `config` (or `tenants` only) into the new directory `dir`.
pub async fn export(
    config: &DatabaseConfig,
    dir: &Path,
    tenants: &[Uuid],
    progress: bool,
) -> Result<Manifest, TransferError> {
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| file_error(dir, e))?.next().is_some() {
        return Err(file_error(dir, "is not empty; export into a new or empty directory"));
    }
    let source = Side::open(config, "the configured database", false).await?;
    std::fs::create_dir_all(dir)
        .map_err(|e| file_error(dir, format!("{e}; check the path and its permissions")))?;
    let migrations = versions::applied_to(&source).await?;
    let scope = (!tenants.is_empty()).then_some(tenants);
    let mut src = source.conn().await?;
    let tables = tables::parents_first(tables::all()?, &src.references().await?);
    src.begin(false).await?;
    let expected = source_checks(&mut src, &tables, scope).await?;
    let bars = config::progress::Progress::new(progress);
    let mut files = Vec::with_capacity(tables.len());
    for (table, rows) in tables.iter().zip(expected) {
        let started = Instant::now();
        let bar = bars.table(table.name, rows);
        let file = format!("{}.jsonl", table.name);
        let path = dir.join(&file);
        let (sender, receiver) = mpsc::channel::<Feed>(IN_FLIGHT);
        let writer = spawn_writer(path.clone(), table.clone(), receiver, bar.clone());
        let read = src.read_table(table, scope, Sink::Feed(&sender)).await;
        drop(sender); // ends the writer's loop
        let written = writer.await.map_err(|e| file_error(&path, e))?;
        let digest = read?;
        written?;
        bars.done(&bar, table.name, digest.rows, started.elapsed().as_secs_f64());
        files.push(TableFile {
            table: table.name.to_owned(),
            file,
            rows: digest.rows,
            hash: digest.hex(),
        });
    }
    src.end(false).await?;
    let manifest = Manifest {
        format: FORMAT,
        migrations,
        source: source.name.clone(),
        exported_at: chrono::Utc::now().to_rfc3339(),
        tenants: tenants.to_vec(),
        tables: files,
    };
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| file_error(&path, e))?;
    std::fs::write(&path, text + "\n").map_err(|e| file_error(&path, e))?;
    Ok(manifest)
}

/// Writes the rows arriving on `feed` into `path`, a JSON object per line.
fn spawn_writer(
    path: PathBuf,
    table: TableSpec,
    mut feed: mpsc::Receiver<Feed>,
    bar: indicatif::ProgressBar,
) -> tokio::task::JoinHandle<Result<(), TransferError>> {
    tokio::task::spawn_blocking(move || {
        let file = File::create(&path).map_err(|e| file_error(&path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        while let Some(Feed::Rows(rows)) = feed.blocking_recv() {
            for row in &rows {
                let object: serde_json::Map<String, serde_json::Value> = table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(column, value)| (column.name.to_owned(), value.to_json()))
                    .collect();
                serde_json::to_writer(&mut out, &object).map_err(|e| file_error(&path, e))?;
                out.write_all(b"\n").map_err(|e| file_error(&path, e))?;
            }
            config::progress::advance(&bar, rows.len() as u64);
        }
        out.flush().map_err(|e| file_error(&path, e))?;
        out.into_inner()
            .map_err(|e| file_error(&path, e.error()))?
            .sync_all()
            .map_err(|e| file_error(&path, e))
    })
}

/// An export being imported: its directory and manifest.
pub(crate) struct ExportDir {
    dir: PathBuf,
    manifest: Manifest,
}

impl ExportDir {
    fn open(dir: &Path) -> Result<Self, TransferError> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            file_error(
                &path,
                format!(
                    "{e}; is {} an export made by `chatdb export` that finished?",
                    dir.display()
                ),
            )
        })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| file_error(&path, format!("not a manifest of `chatdb export`: {e}")))?;
        if manifest.format != FORMAT {
            return Err(file_error(
                &path,
                format!("layout {} is not {FORMAT}, the one this build reads", manifest.format),
            ));
        }
        Ok(Self { dir: dir.to_owned(), manifest })
    }

    fn entry(&self, table: &str) -> Result<&TableFile, TransferError> {
        self.manifest.tables.iter().find(|t| t.table == table).ok_or_else(|| {
            file_error(&self.dir.join(MANIFEST), format!("has no file for table {table}"))
        })
    }

    /// Streams one table's file into `feed`, checking it against the manifest.
    pub(crate) async fn read_table(
        &mut self,
        table: &TableSpec,
        feed: &mpsc::Sender<Feed>,
    ) -> Result<Digest, TransferError> {
        let entry = self.entry(table.name)?.clone();
        let path = self.dir.join(&entry.file);
        let (sender, mut receiver) = mpsc::channel::<Batch>(IN_FLIGHT);
        let spec = table.clone();
        let reading = tokio::task::spawn_blocking(move || read_file(&path, &spec, &sender));
        while let Some(batch) = receiver.recv().await {
            feed.send(Feed::Rows(batch)).await.map_err(|_| TransferError::WriterStopped)?;
        }
        let path = self.dir.join(&entry.file);
        let digest = reading.await.map_err(|e| file_error(&path, e))??;
        if digest.rows != entry.rows || digest.hex() != entry.hash {
            return Err(file_error(
                &path,
                format!(
                    "holds {} rows ({}) where the manifest says {} ({}): it was changed or cut short \
                     since the export; export again",
                    digest.rows,
                    digest.hex(),
                    entry.rows,
                    entry.hash
                ),
            ));
        }
        Ok(digest)
    }
}

fn read_file(
    path: &Path,
    table: &TableSpec,
    sender: &mpsc::Sender<Batch>,
) -> Result<Digest, TransferError> {
    let file = File::open(path).map_err(|e| file_error(path, e))?;
    let mut digest = Digest::default();
    let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
    for (n, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let line = line.map_err(|e| file_error(path, e))?;
        let at = || format!("{}, line {}", path.display(), n + 1);
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line)
            .map_err(|e| file_error(path, format!("line {}: {e}", n + 1)))?;
        if let Some(unknown) =
            object.keys().find(|k| !table.columns.iter().any(|c| c.name == k.as_str()))
        {
            return Err(file_error(
                path,
                format!("line {}: {unknown} is not a column of {}", n + 1, table.name),
            ));
        }
        let row = table
            .columns
            .iter()
            .map(|column| {
                from_json(column.kind, object.get(column.name)).map_err(|problem| {
                    TransferError::BadValue {
                        table: table.name,
                        key: at(),
                        column: column.name,
                        problem,
                    }
                })
            })
            .collect::<Result<Vec<Value>, _>>()?;
        digest.add_hash(row_hash(&row));
        batch.push(row);
        if batch.len() >= ROWS_PER_BATCH
            && sender
                .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(ROWS_PER_BATCH)))
                .is_err()
        {
            return Err(TransferError::WriterStopped);
        }
    }
    if !batch.is_empty() && sender.blocking_send(batch).is_err() {
        return Err(TransferError::WriterStopped);
    }
    Ok(digest)
}

/// A value of `kind` from its JSON form (the inverse of [`Value::to_json`]).
fn from_json(kind: Kind, json: Option<&serde_json::Value>) -> Result<Value, String> {
    use serde_json::Value as J;
    let Some(json) = json else { return Err("missing".to_owned()) };
    if json.is_null() {
        return Ok(Value::Null);
    }
    let wrong = || {
        format!(
            "{json} is not {}",
            match kind {
                Kind::Uuid => "a UUID",
                Kind::Text => "text",
                Kind::Int4 | Kind::Int8 => "an integer",
                Kind::Bool => "true or false",
                Kind::Timestamp => "an RFC 3339 time",
                Kind::Decimal => "a decimal",
                Kind::Json => "JSON",
            }
        )
    };
    Ok(match (kind, json) {
        (Kind::Uuid, J::String(s)) => {
            Value::Uuid(*Uuid::parse_str(s).map_err(|_| wrong())?.as_bytes())
        }
        (Kind::Text, J::String(s)) => Value::Text(s.clone()),
        (Kind::Int4, J::Number(n)) => {
            let n = n.as_i64().filter(|n| i32::try_from(*n).is_ok()).ok_or_else(wrong)?;
            Value::Int(n)
        }
        (Kind::Int8, J::Number(n)) => Value::Int(n.as_i64().ok_or_else(wrong)?),
        (Kind::Bool, J::Bool(b)) => Value::Bool(*b),
        (Kind::Timestamp, J::String(s)) => {
            Value::Timestamp(time::parse_sqlite_text(s).ok_or_else(wrong)?)
        }
        (Kind::Decimal, J::String(s)) => Value::Decimal(s.parse().map_err(|_| wrong())?),
        (Kind::Json, doc) => Value::Json(doc.clone()),
        _ => return Err(wrong()),
    })
}

/// Imports the export in `dir` into the database of `config`: the same checks, one
/// transaction and verification as `chatdb copy`, against the files and their manifest.
pub async fn import(
    config: &DatabaseConfig,
    dir: &Path,
    options: &CopyOptions,
) -> Result<CopyReport, TransferError> {
    let export = ExportDir::open(dir)?;
    let target = Side::open(config, "the configured database", options.migrate_target).await?;
    let source_name = format!("{} (export of {})", dir.display(), export.manifest.source);
    versions::check(&export.manifest.migrations, &source_name, &target, options.migrate_target)
        .await?;
    let tenants = export.manifest.tenants.clone();
    let scope = (!tenants.is_empty()).then_some(tenants.as_slice());
    let mut dst = target.conn().await?;
    let tables = tables::parents_first(tables::all()?, &dst.references().await?);
    let expected = tables
        .iter()
        .map(|t| export.entry(t.name).map(|e| e.rows))
        .collect::<Result<Vec<_>, _>>()?;
    dst.begin(false).await?;
    let occupancy: Occupancy = occupancy(&mut dst, &tables, scope).await?;
    dst.end(false).await?;
    let report = CopyReport::new(&source_name, &target.name, &tenants);
    let plan = Scope { tables: &tables, tenants: scope, expected: &expected };
    deliver(&target, dst, Origin::Files(export), &plan, &occupancy, options, report).await
}
