//! The SQLite side: rows read with their storage classes checked (a UUID is a 16-byte
//! blob, a timestamp text or a Julian day, JSON valid text), written with prepared
//! multi-row INSERTs in one transaction, with the triggers set aside meanwhile.

use futures_util::TryStreamExt;
use sea_orm::sqlx::sqlite::{SqliteArguments, SqliteRow, SqliteValueRef};
use sea_orm::sqlx::{self, Decode, Row, Sqlite, SqliteConnection, TypeInfo, ValueRef};
use tokio::sync::mpsc;

use crate::tables::TableSpec;
use crate::time;
use crate::value::{Digest, Kind, Value};
use crate::{Collect, Feed, Sink, TransferError};

/// SQLite binds at most 32,766 parameters per statement; rows per INSERT stay well below.
const MAX_ROWS_PER_INSERT: usize = 200;
const MAX_PARAMS: usize = 32_000;

/// A UUID as an SQLite literal (a blob).
pub(crate) fn uuid_literal(id: &uuid::Uuid) -> String {
    format!("X'{}'", id.simple())
}

/// Streams the rows of `table` (of `tenants` only) to `sink` in batches; returns their
/// digest.
pub(crate) async fn read_table(
    conn: &mut SqliteConnection,
    database: &str,
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
    let failed =
        |e: sqlx::Error| crate::database_error(database, &format!("reading {}", table.name), e);
    let mut collected = Collect::new(sink);
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        collected.push(table, decode_row(table, &row)?);
        if collected.full() {
            collected.flush().await?;
        }
    }
    drop(rows);
    collected.finish().await
}

fn decode_row(table: &TableSpec, row: &SqliteRow) -> Result<Vec<Value>, TransferError> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        let decoded = row
            .try_get_raw(i)
            .map_err(|e| e.to_string())
            .and_then(|raw| decode_value(column.kind, raw));
        match decoded {
            Ok(value) => values.push(value),
            Err(problem) => {
                // Name the row by what can be read of its key.
                let mut partial = values;
                partial.resize(table.columns.len(), Value::Null);
                for &k in &table.key {
                    partial[k] = read_leniently(row, k, table.columns[k].kind);
                }
                return Err(TransferError::BadValue {
                    table: table.name,
                    key: table.describe_key(&partial),
                    column: column.name,
                    problem,
                });
            }
        }
    }
    Ok(values)
}

/// Column `i` of `row` for a message: decoded when it can be, else as it is.
fn read_leniently(row: &SqliteRow, i: usize, kind: Kind) -> Value {
    let decoded =
        row.try_get_raw(i).map_err(|e| e.to_string()).and_then(|raw| decode_value(kind, raw));
    decoded
        .or_else(|_| row.try_get_raw(i).map_err(|e| e.to_string()).and_then(lenient))
        .unwrap_or(Value::Null)
}

/// A value that is not what it should be, shown as it is (hex for blobs).
fn lenient(raw: SqliteValueRef<'_>) -> Result<Value, String> {
    match raw.type_info().name() {
        "BLOB" => {
            let bytes = <&[u8] as Decode<Sqlite>>::decode(raw).map_err(|e| e.to_string())?;
            Ok(Value::Text(format!(
                "X'{}'",
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
            )))
        }
        _ => <String as Decode<Sqlite>>::decode(raw).map(Value::Text).map_err(|e| e.to_string()),
    }
}

fn decode_value(kind: Kind, raw: SqliteValueRef<'_>) -> Result<Value, String> {
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let storage = raw.type_info().name().to_owned();
    let wrong = || format!("a {} value where {} was expected", storage, expected(kind));
    let text = |raw| <&str as Decode<Sqlite>>::decode(raw).map_err(|e| e.to_string());
    let integer = |raw| <i64 as Decode<Sqlite>>::decode(raw).map_err(|e| e.to_string());
    Ok(match (kind, storage.as_str()) {
        (Kind::Uuid, "BLOB") => {
            let bytes = <&[u8] as Decode<Sqlite>>::decode(raw).map_err(|e| e.to_string())?;
            Value::Uuid(bytes.try_into().map_err(|_| {
                format!("a malformed UUID ({} bytes where 16 were expected)", bytes.len())
            })?)
        }
        (Kind::Text, "TEXT") => Value::Text(text(raw)?.to_owned()),
        (Kind::Int4, "INTEGER") => {
            let n = integer(raw)?;
            i32::try_from(n).map_err(|_| format!("{n} does not fit a 32-bit integer"))?;
            Value::Int(n)
        }
        (Kind::Int8, "INTEGER") => Value::Int(integer(raw)?),
        (Kind::Bool, "INTEGER") => match integer(raw)? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            n => return Err(format!("{n} where a boolean (0 or 1) was expected")),
        },
        (Kind::Timestamp, "TEXT") => {
            let text = text(raw)?;
            Value::Timestamp(
                time::parse_sqlite_text(text)
                    .ok_or_else(|| format!("a malformed timestamp {text:?}"))?,
            )
        }
        (Kind::Timestamp, "REAL" | "INTEGER") => {
            let day = <f64 as Decode<Sqlite>>::decode(raw).map_err(|e| e.to_string())?;
            Value::Timestamp(
                time::from_julian_day(day)
                    .ok_or_else(|| format!("a malformed Julian day {day}"))?,
            )
        }
        (Kind::Decimal, "TEXT") => {
            let text = text(raw)?;
            Value::Decimal(
                text.trim().parse().map_err(|_| format!("a malformed decimal {text:?}"))?,
            )
        }
        (Kind::Json, "TEXT") => {
            let text = text(raw)?;
            Value::Json(serde_json::from_str(text).map_err(|e| format!("invalid JSON ({e})"))?)
        }
        _ => return Err(wrong()),
    })
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Uuid => "a 16-byte UUID blob",
        Kind::Text => "text",
        Kind::Int4 | Kind::Int8 => "an integer",
        Kind::Bool => "0 or 1",
        Kind::Timestamp => "a timestamp",
        Kind::Decimal => "decimal text",
        Kind::Json => "JSON text",
    }
}

fn bind<'q>(
    query: sqlx::query::Query<'q, Sqlite, SqliteArguments>,
    value: &Value,
) -> sqlx::query::Query<'q, Sqlite, SqliteArguments> {
    match value {
        Value::Null => query.bind(None::<String>),
        Value::Uuid(bytes) => query.bind(bytes.to_vec()),
        Value::Text(text) => query.bind(text.clone()),
        Value::Int(n) => query.bind(*n),
        Value::Bool(b) => query.bind(*b),
        Value::Timestamp(micros) => query.bind(time::format_rfc3339(*micros)),
        // Kept at its scale: 12.50 stays "12.50", as the application writes it.
        Value::Decimal(d) => query.bind(d.to_string()),
        Value::Json(doc) => query.bind(doc.to_string()),
    }
}

/// Writes the rows arriving on `feed` for `table` with prepared INSERTs, until its end;
/// returns the rows written and the source's digest.
pub(crate) async fn write_table(
    conn: &mut SqliteConnection,
    table: &TableSpec,
    feed: &mut mpsc::Receiver<Feed>,
    progress: &indicatif::ProgressBar,
) -> Result<(u64, Option<Digest>), sqlx::Error> {
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
    let mut written = 0u64;
    let mut pending: Vec<Vec<Value>> = Vec::new();
    let mut source_digest = None;
    while let Some(message) = feed.recv().await {
        let rows = match message {
            Feed::Rows(rows) => rows,
            Feed::End(digest) => {
                source_digest = Some(digest);
                break;
            }
        };
        config::progress::advance(progress, rows.len() as u64);
        pending.extend(rows);
        let whole = pending.len() / per_insert * per_insert;
        for chunk in pending[..whole].chunks(per_insert) {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(full_insert.as_str()));
            for value in chunk.iter().flatten() {
                query = bind(query, value);
            }
            query.execute(&mut *conn).await?;
        }
        written += whole as u64;
        pending.drain(..whole);
    }
    for row in &pending {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(single_insert.as_str()));
        for value in row {
            query = bind(query, value);
        }
        query.execute(&mut *conn).await?;
    }
    written += pending.len() as u64;
    Ok((written, source_digest))
}

/// Starts the copy's transaction: `BEGIN IMMEDIATE` to write (foreign keys checked at
/// commit, so rows may arrive in any order), a plain `BEGIN` to read one snapshot.
pub(crate) async fn begin(conn: &mut SqliteConnection, write: bool) -> Result<(), sqlx::Error> {
    if write {
        sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        sqlx::raw_sql("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
    } else {
        sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
    }
    Ok(())
}

/// Ends the transaction.
pub(crate) async fn end(conn: &mut SqliteConnection, commit: bool) -> Result<(), sqlx::Error> {
    let end = if commit { "COMMIT" } else { "ROLLBACK" };
    sqlx::raw_sql(sqlx::AssertSqlSafe(end)).execute(&mut *conn).await?;
    Ok(())
}

/// `(child, parent)` for every foreign key.
pub(crate) async fn references(
    conn: &mut SqliteConnection,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
         WHERE m.type = 'table'",
    )
    .fetch_all(&mut *conn)
    .await
}

/// The triggers on `tables`, as `(name, CREATE statement)`.
pub(crate) async fn triggers(
    conn: &mut SqliteConnection,
    tables: &[&str],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let all: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(all
        .into_iter()
        .filter(|(_, table, _)| tables.contains(&table.as_str()))
        .map(|(name, _, sql)| (name, sql))
        .collect())
}

/// Runs each statement in turn.
pub(crate) async fn execute_all(
    conn: &mut SqliteConnection,
    statements: &[String],
) -> Result<(), sqlx::Error> {
    for statement in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.as_str())).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The first row whose reference points nowhere, if any: `(table, rowid, parent)`.
pub(crate) async fn first_orphan(
    conn: &mut SqliteConnection,
) -> Result<Option<(String, i64, String)>, sqlx::Error> {
    let row: Option<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(table, rowid, parent)| (table, rowid.unwrap_or(-1), parent)))
}

/// The key of the row `rowid` of `table`, described, for messages.
pub(crate) async fn describe_rowid(
    conn: &mut SqliteConnection,
    table: &TableSpec,
    rowid: i64,
) -> String {
    let sql = format!("SELECT {} FROM {} WHERE rowid = ?", table.column_list(), table.name);
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(rowid).fetch_optional(&mut *conn).await {
        Ok(Some(row)) => {
            let values: Vec<Value> = (0..table.columns.len())
                .map(|i| read_leniently(&row, i, table.columns[i].kind))
                .collect();
            table.describe_key(&values)
        }
        _ => format!("rowid {rowid}"),
    }
}

/// The number of rows of `table` that `filter` (a WHERE clause, or nothing) selects.
pub(crate) async fn count(
    conn: &mut SqliteConnection,
    table: &TableSpec,
    filter: &str,
) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT count(*) FROM {}{filter}", table.name);
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *conn).await
}
