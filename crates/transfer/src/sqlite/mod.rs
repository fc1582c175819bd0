//! The SQLite side: rows read with their storage classes checked (a UUID is a 16-byte
//! blob, a timestamp text or a Julian day, JSON valid text), written with prepared
//! multi-row INSERTs in one transaction, with the triggers set aside meanwhile.
//!
//! The copy talks to SQLite through rusqlite on blocking threads: values are read in
//! place, without the per-row allocations and thread hops of an async driver, which
//! would otherwise cost more than everything else the copy does.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params_from_iter};
use tokio::sync::mpsc;

use crate::TransferError;
use crate::stream::{Batch, BlockingBatches, Feed, IN_FLIGHT, Sink};
use crate::tables::TableSpec;
use crate::value::{Digest, Value, row_hash};
use bulk_load::{self as bulk, SetAside};

mod values;

use values::{decode_row, describe_columns, describe_rowid, to_sql};

/// A row whose reference points nowhere (SQLite lets such rows in with foreign keys off).
pub(crate) struct Orphan {
    /// Its table.
    pub(crate) table: String,
    /// Its key (`id=…`).
    pub(crate) key: String,
    /// The referencing columns and their values.
    pub(crate) reference: String,
    /// The table it refers to.
    pub(crate) parent: String,
}

/// Rows per INSERT statement (SQLite binds at most 32,766 parameters per statement).
const MAX_ROWS_PER_INSERT: usize = 100;
const MAX_PARAMS: usize = 32_000;
/// How long to wait for another writer of the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection of the copy's own, shared with the blocking threads that use it.
#[derive(Clone)]
pub(crate) struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    database: String,
}

/// What a blocking SQLite step failed with: a driver error, or a row that cannot be copied.
enum Failure {
    Driver(rusqlite::Error),
    Copy(TransferError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Self::Driver(e)
    }
}

impl Sqlite {
    /// Opens the file at `path` (which must exist: it is a migrated database).
    pub(crate) async fn open(path: &str, database: &str) -> Result<Self, TransferError> {
        let owned = path.to_owned();
        let opened = tokio::task::spawn_blocking(move || {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(Path::new(&owned), flags)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.pragma_update(None, "foreign_keys", true)?;
            Ok::<_, rusqlite::Error>(conn)
        })
        .await;
        let conn = match opened {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => return Err(driver_error(database, "opening the file", &e)),
            Err(e) => return Err(driver_error(database, "opening the file", &e)),
        };
        Ok(Self { conn: Arc::new(Mutex::new(conn)), database: database.to_owned() })
    }

    /// Runs `step` on a blocking thread with the connection.
    async fn blocking<T: Send + 'static>(
        &self,
        doing: &str,
        step: impl FnOnce(&Connection) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, TransferError> {
        let conn = Arc::clone(&self.conn);
        let outcome = tokio::task::spawn_blocking(move || step(&lock(&conn))).await;
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(Failure::Copy(e))) => Err(e),
            Ok(Err(Failure::Driver(rusqlite::Error::SqliteFailure(code, message))))
                if code.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(TransferError::Rejected {
                    database: self.database.clone(),
                    doing: doing.to_owned(),
                    message: message.unwrap_or_else(|| code.to_string()),
                })
            }
            Ok(Err(Failure::Driver(e))) => Err(driver_error(&self.database, doing, &e)),
            Err(e) => Err(driver_error(&self.database, doing, &e)),
        }
    }

    /// Streams the rows of `table` (of `tenants` only) to `sink`; returns their digest.
    pub(crate) async fn read_table(
        &self,
        table: &TableSpec,
        tenants: Option<&[uuid::Uuid]>,
        sink: Sink<'_>,
    ) -> Result<Digest, TransferError> {
        let sql = format!(
            "SELECT {} FROM {}{}",
            table.column_list(),
            table.name,
            table.tenant_filter(tenants, uuid_literal)
        );
        let keep_rows = !matches!(sink, Sink::Digest);
        let (sender, mut receiver) = mpsc::channel::<Batch>(IN_FLIGHT);
        let spec = table.clone();
        let doing = format!("reading {}", table.name);
        let reading = self.blocking(&doing, move |conn| {
            let mut statement = conn.prepare(&sql)?;
            let mut rows = statement.query([])?;
            let mut batches = BlockingBatches::new(sender, keep_rows);
            while let Some(row) = rows.next()? {
                batches
                    .push(decode_row(&spec, row).map_err(Failure::Copy)?)
                    .map_err(Failure::Copy)?;
            }
            batches.finish().map_err(Failure::Copy)
        });
        let relaying = async {
            let mut sink = sink;
            while let Some(batch) = receiver.recv().await {
                match &mut sink {
                    Sink::Digest => {}
                    Sink::Feed(feed) => {
                        feed.send(Feed::Rows(batch))
                            .await
                            .map_err(|_| TransferError::WriterStopped)?;
                    }
                    Sink::Keys(keys) => {
                        keys.extend(
                            batch.iter().map(|row| (table.describe_key(row), row_hash(row))),
                        );
                    }
                }
            }
            Ok::<(), TransferError>(())
        };
        let (digest, relayed) = tokio::join!(reading, relaying);
        relayed?;
        digest
    }

    /// Writes the rows arriving on `feed` for `table` with prepared INSERTs, until its end;
    /// returns the rows written and the source's digest (`None` when the reader stopped).
    pub(crate) async fn write_table(
        &self,
        table: &TableSpec,
        feed: &mut mpsc::Receiver<Feed>,
        progress: &indicatif::ProgressBar,
    ) -> Result<(u64, Option<Digest>), TransferError> {
        let columns = table.columns.len();
        let per_insert = (MAX_PARAMS / columns).clamp(1, MAX_ROWS_PER_INSERT);
        let placeholders = format!("({})", vec!["?"; columns].join(", "));
        let insert = |rows: usize| {
            format!(
                "INSERT INTO {} ({}) VALUES {}",
                table.name,
                table.column_list(),
                vec![placeholders.as_str(); rows].join(", ")
            )
        };
        let (full_insert, single_insert) = (insert(per_insert), insert(1));
        let (sender, mut receiver) = mpsc::channel::<Batch>(IN_FLIGHT);
        let doing = format!("writing {}", table.name);
        let writing = self.blocking(&doing, move |conn| {
            let mut full = conn.prepare_cached(&full_insert)?;
            let mut single = conn.prepare_cached(&single_insert)?;
            let mut pending: Vec<Vec<Value>> = Vec::new();
            let mut written = 0u64;
            while let Some(batch) = receiver.blocking_recv() {
                pending.extend(batch);
                let whole = pending.len() / per_insert * per_insert;
                for chunk in pending[..whole].chunks(per_insert) {
                    full.execute(params_from_iter(chunk.iter().flatten().map(to_sql)))?;
                }
                written += whole as u64;
                pending.drain(..whole);
            }
            for row in &pending {
                single.execute(params_from_iter(row.iter().map(to_sql)))?;
            }
            Ok(written + pending.len() as u64)
        });
        let feeding = async {
            let sender = sender; // dropped when the table ends, which ends the writer's loop
            while let Some(message) = feed.recv().await {
                match message {
                    Feed::Rows(rows) => {
                        process_io::progress::advance(progress, rows.len() as u64);
                        if sender.send(rows).await.is_err() {
                            return None; // the writer failed: its error is the one to report
                        }
                    }
                    Feed::End(digest) => return Some(digest),
                }
            }
            None
        };
        let (written, digest) = tokio::join!(writing, feeding);
        Ok((written?, digest))
    }

    /// Starts the copy's transaction: `BEGIN IMMEDIATE` to write (foreign keys checked at
    /// commit, so rows may arrive in any order), a plain `BEGIN` to read one snapshot.
    pub(crate) async fn begin(&self, write: bool) -> Result<(), TransferError> {
        self.blocking("starting the transaction", move |conn| {
            if write {
                conn.execute_batch(bulk::sqlite::LOAD_PRAGMAS)?;
                conn.execute_batch("BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON;")?;
            } else {
                conn.execute_batch("BEGIN")?;
            }
            Ok(())
        })
        .await
    }

    /// Ends the transaction.
    pub(crate) async fn end(&self, commit: bool) -> Result<(), TransferError> {
        let doing = if commit { "committing" } else { "rolling back" };
        self.blocking(doing, move |conn| {
            conn.execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })?;
            Ok(())
        })
        .await
    }

    /// `(child, parent)` for every foreign key.
    pub(crate) async fn references(&self) -> Result<Vec<(String, String)>, TransferError> {
        self.blocking("reading the foreign keys", |conn| {
            let sql = "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                       WHERE m.type = 'table'";
            let mut statement = conn.prepare(sql)?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// Sets aside for a load into the tables of `loads` what [`bulk::sqlite::plan`] names;
    /// returns the statements that create it again.
    pub(crate) async fn set_aside(
        &self,
        loads: &[(&str, u64)],
        what: SetAside,
    ) -> Result<Vec<String>, TransferError> {
        let objects = self
            .blocking("reading the indexes and triggers", |conn| Ok(bulk::sqlite::objects(conn)?))
            .await?;
        let (drop, restore) = bulk::sqlite::plan(objects, loads, what);
        self.execute_all("setting indexes and triggers aside for the load", &drop).await?;
        Ok(restore)
    }

    /// Runs each statement in turn.
    pub(crate) async fn execute_all(
        &self,
        doing: &str,
        statements: &[String],
    ) -> Result<(), TransferError> {
        let statements = statements.to_vec();
        self.blocking(doing, move |conn| {
            for statement in &statements {
                conn.execute_batch(statement)?;
            }
            Ok(())
        })
        .await
    }

    /// The first row whose reference points nowhere, if any: `(table, its key, the
    /// reference, parent)`.
    pub(crate) async fn first_orphan(
        &self,
        tables: &[TableSpec],
    ) -> Result<Option<Orphan>, TransferError> {
        let tables = tables.to_vec();
        self.blocking("checking the foreign keys", move |conn| {
            let found = conn
                .query_row(
                    "SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check LIMIT 1",
                    [],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, Option<i64>>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, i64>(3)?,
                        ))
                    },
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
            let Some((table, rowid, parent, foreign_key)) = found else { return Ok(None) };
            let (Some(spec), Some(rowid)) = (tables.iter().find(|t| t.name == table), rowid) else {
                let key = format!("rowid {}", rowid.unwrap_or(-1));
                return Ok(Some(Orphan { table, key, reference: String::new(), parent }));
            };
            let mut columns = conn.prepare(
                "SELECT \"from\" FROM pragma_foreign_key_list(?1) WHERE id = ?2 ORDER BY seq",
            )?;
            let columns: Vec<usize> = columns
                .query_map(rusqlite::params![table, foreign_key], |row| row.get::<_, String>(0))?
                .filter_map(|name| {
                    let name = name.ok()?;
                    spec.columns.iter().position(|c| c.name == name)
                })
                .collect();
            Ok(Some(Orphan {
                key: describe_rowid(conn, spec, rowid),
                reference: describe_columns(conn, spec, rowid, &columns),
                table,
                parent,
            }))
        })
        .await
    }

    /// The `columns` counts `sql` selects, in one row.
    pub(crate) async fn counts(
        &self,
        sql: String,
        columns: usize,
    ) -> Result<Vec<i64>, TransferError> {
        self.blocking("counting the rows of each table", move |conn| {
            Ok(conn.query_row(&sql, [], |row| (0..columns).map(|i| row.get(i)).collect())?)
        })
        .await
    }

    /// The count `sql` selects from `table`.
    pub(crate) async fn count_sql(&self, table: &str, sql: String) -> Result<i64, TransferError> {
        self.blocking(&format!("counting {table}"), move |conn| {
            Ok(conn.query_row(&sql, [], |row| row.get(0))?)
        })
        .await
    }
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic on another thread cannot leave the connection half-used: rusqlite steps
    // are whole calls.
    conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn driver_error(database: &str, doing: &str, e: &dyn std::fmt::Display) -> TransferError {
    TransferError::Database {
        database: database.to_owned(),
        doing: doing.to_owned(),
        message: e.to_string(),
    }
}

/// A UUID as an SQLite literal (a blob).
pub(crate) fn uuid_literal(id: &uuid::Uuid) -> String {
    format!("X'{}'", id.simple())
}
