//! `chatdb export DIR` and `chatdb import DIR`: a copy through files, for two databases
//! that cannot see each other and for handing a tenant its data. One JSON-lines file per
//! table (one object per row: UUIDs hyphenated, times RFC 3339 in UTC with microseconds,
//! decimals as strings, JSON as JSON) and `manifest.json` with the migrations applied and
//! each table's row count and digest. The manifest is written last: a directory without
//! one is an export that did not finish. `import` checks every file against the manifest
//! and the target against the files before it commits.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use db_config::DatabaseConfig;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::conn::{Role, Side};
use crate::deliver::{deliver, occupancy, source_checks};
use crate::export_format::{FORMAT, MANIFEST, Manifest, TableFile, file_error};
use crate::origin::{ExportDir, Origin};
use crate::report::{CopyOptions, CopyReport, Occupancy, Scope};
use crate::stream::{Feed, IN_FLIGHT, Sink};
use crate::tables::{self, TableSpec};
use crate::{TransferError, versions};

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
    src.begin(Role::Read).await?;
    let expected = source_checks(&mut src, &tables, scope).await?;
    let bars = process_io::progress::Progress::new(progress);
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
            process_io::progress::advance(&bar, rows.len() as u64);
        }
        out.flush().map_err(|e| file_error(&path, e))?;
        out.into_inner()
            .map_err(|e| file_error(&path, e.error()))?
            .sync_all()
            .map_err(|e| file_error(&path, e))
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
    dst.begin(Role::Read).await?;
    let occupancy: Occupancy = occupancy(&mut dst, &tables, scope).await?;
    dst.end(false).await?;
    let report = CopyReport::new(&source_name, &target.name, &tenants);
    let plan = Scope { tables: &tables, tenants: scope, expected: &expected };
    deliver(&target, dst, Origin::Files(export), &plan, &occupancy, options, report).await
}
