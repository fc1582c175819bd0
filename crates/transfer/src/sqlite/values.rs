//! Values as SQLite stores them in this schema: decoded with their storage classes checked
//! (a UUID is a 16-byte blob, a time text or a Julian day, JSON valid text), encoded back.

use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::TransferError;
use crate::tables::TableSpec;
use crate::time;
use crate::value::{Kind, Value};

pub(super) fn decode_row(
    table: &TableSpec,
    row: &rusqlite::Row<'_>,
) -> Result<Vec<Value>, TransferError> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        let decoded = row
            .get_ref(i)
            .map_err(|e| e.to_string())
            .and_then(|raw| decode_value(column.kind, raw));
        match decoded {
            Ok(value) => values.push(value),
            Err(problem) => {
                let values: Vec<Value> = table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| read_leniently(row, i, c.kind))
                    .collect();
                return Err(TransferError::BadValue {
                    table: table.name,
                    key: table.describe_key(&values),
                    column: column.name,
                    problem,
                });
            }
        }
    }
    Ok(values)
}

/// Column `i` of `row` for a message: decoded when it can be, else as it is.
fn read_leniently(row: &rusqlite::Row<'_>, i: usize, kind: Kind) -> Value {
    let Ok(raw) = row.get_ref(i) else { return Value::Null };
    decode_value(kind, raw).unwrap_or_else(|_| match raw {
        ValueRef::Blob(bytes) => Value::Text(format!(
            "X'{}'",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )),
        ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(x) => Value::Text(x.to_string()),
        ValueRef::Null => Value::Null,
    })
}

fn decode_value(kind: Kind, raw: ValueRef<'_>) -> Result<Value, String> {
    let text = |bytes: &[u8]| -> Result<String, String> {
        String::from_utf8(bytes.to_vec()).map_err(|e| format!("text that is not UTF-8 ({e})"))
    };
    Ok(match (kind, raw) {
        (_, ValueRef::Null) => Value::Null,
        (Kind::Uuid, ValueRef::Blob(bytes)) => Value::Uuid(bytes.try_into().map_err(|_| {
            format!("a malformed UUID ({} bytes where 16 were expected)", bytes.len())
        })?),
        (Kind::Text, ValueRef::Text(bytes)) => Value::Text(text(bytes)?),
        (Kind::Int4, ValueRef::Integer(n)) => {
            i32::try_from(n).map_err(|_| format!("{n} does not fit a 32-bit integer"))?;
            Value::Int(n)
        }
        (Kind::Int8, ValueRef::Integer(n)) => Value::Int(n),
        (Kind::Bool, ValueRef::Integer(0)) => Value::Bool(false),
        (Kind::Bool, ValueRef::Integer(1)) => Value::Bool(true),
        (Kind::Bool, ValueRef::Integer(n)) => {
            return Err(format!("{n} where a boolean (0 or 1) was expected"));
        }
        (Kind::Timestamp, ValueRef::Text(bytes)) => {
            let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
            Value::Timestamp(
                time::parse_sqlite_text(text)
                    .ok_or_else(|| format!("a malformed timestamp {text:?}"))?,
            )
        }
        (Kind::Timestamp, ValueRef::Real(day)) => Value::Timestamp(
            time::from_julian_day(day).ok_or_else(|| format!("a malformed Julian day {day}"))?,
        ),
        (Kind::Timestamp, ValueRef::Integer(day)) => Value::Timestamp(
            time::from_julian_day(day as f64)
                .ok_or_else(|| format!("a malformed Julian day {day}"))?,
        ),
        (Kind::Decimal, ValueRef::Text(bytes)) => {
            let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
            Value::Decimal(
                text.trim().parse().map_err(|_| format!("a malformed decimal {text:?}"))?,
            )
        }
        (Kind::Json, ValueRef::Text(bytes)) => {
            Value::Json(serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON ({e})"))?)
        }
        (kind, raw) => {
            return Err(format!(
                "a {} value where {} was expected",
                storage_class(raw),
                expected(kind)
            ));
        }
    })
}

fn storage_class(raw: ValueRef<'_>) -> &'static str {
    match raw {
        ValueRef::Null => "NULL",
        ValueRef::Integer(_) => "INTEGER",
        ValueRef::Real(_) => "REAL",
        ValueRef::Text(_) => "TEXT",
        ValueRef::Blob(_) => "BLOB",
    }
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

/// A value as SQLite stores it in this schema (borrowed where it can be).
pub(super) fn to_sql(value: &Value) -> ToSqlOutput<'_> {
    use rusqlite::types::Value as V;
    match value {
        Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        Value::Uuid(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
        Value::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        Value::Int(n) => ToSqlOutput::Owned(V::Integer(*n)),
        Value::Bool(b) => ToSqlOutput::Owned(V::Integer(i64::from(*b))),
        Value::Timestamp(micros) => ToSqlOutput::Owned(V::Text(time::format_rfc3339(*micros))),
        // Kept at its scale: 12.50 stays "12.50", as the application writes it.
        Value::Decimal(d) => ToSqlOutput::Owned(V::Text(d.to_string())),
        Value::Json(doc) => ToSqlOutput::Owned(V::Text(doc.to_string())),
    }
}

/// The key of the row `rowid` of `table`, described, for messages.
pub(super) fn describe_rowid(conn: &Connection, table: &TableSpec, rowid: i64) -> String {
    describe_columns(conn, table, rowid, &table.key)
}

/// `name=value, …` of the `columns` (indexes into the table's columns) of one row.
pub(super) fn describe_columns(
    conn: &Connection,
    table: &TableSpec,
    rowid: i64,
    columns: &[usize],
) -> String {
    let sql = format!("SELECT {} FROM {} WHERE rowid = ?", table.column_list(), table.name);
    let described = conn.query_row(&sql, [rowid], |row| {
        let values: Vec<Value> =
            table.columns.iter().enumerate().map(|(i, c)| read_leniently(row, i, c.kind)).collect();
        Ok(table.describe_columns(&values, columns))
    });
    described.unwrap_or_else(|_| format!("rowid {rowid}"))
}
