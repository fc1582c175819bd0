//! Where a copy's rows come from: a database (its connection, in one snapshot) or an
//! export directory (its files, checked against the manifest as they are read).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc;
use uuid::Uuid;

use crate::TransferError;
use crate::conn::Conn;
use crate::export_format::{FORMAT, MANIFEST, Manifest, TableFile, file_error};
use crate::stream::{Batch, BlockingBatches, Feed, IN_FLIGHT, Sink};
use crate::tables::TableSpec;
use crate::time;
use crate::value::{Digest, Kind, Value};

/// Where rows come from: a database (its connection, in one snapshot) or an export.
pub(crate) enum Origin {
    Database(Conn),
    Files(ExportDir),
}

/// Reads every table in order into the writer's feed; gives the origin back.
pub(crate) async fn read_all(
    mut src: Origin,
    tables: Arc<Vec<TableSpec>>,
    scope: Option<Vec<Uuid>>,
    sender: mpsc::Sender<Feed>,
) -> Result<Origin, (Option<Origin>, TransferError)> {
    for table in tables.iter() {
        let read = match &mut src {
            Origin::Database(conn) => {
                conn.read_table(table, scope.as_deref(), Sink::Feed(&sender)).await
            }
            Origin::Files(dir) => dir.read_table(table, &sender).await,
        };
        let digest = match read {
            Ok(digest) => digest,
            Err(e) => return Err((Some(src), e)),
        };
        if sender.send(Feed::End(digest)).await.is_err() {
            return Err((Some(src), TransferError::WriterStopped));
        }
    }
    Ok(src)
}

/// An export being imported: its directory and manifest.
pub(crate) struct ExportDir {
    dir: PathBuf,
    pub(crate) manifest: Manifest,
}

impl ExportDir {
    pub(crate) fn open(dir: &Path) -> Result<Self, TransferError> {
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

    pub(crate) fn entry(&self, table: &str) -> Result<&TableFile, TransferError> {
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
        let reading = tokio::task::spawn_blocking(move || read_file(&path, &spec, sender));
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
    sender: mpsc::Sender<Batch>,
) -> Result<Digest, TransferError> {
    let file = File::open(path).map_err(|e| file_error(path, e))?;
    let mut batches = BlockingBatches::new(sender, true);
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
        batches.push(row)?;
    }
    batches.finish()
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
