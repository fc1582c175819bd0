//! One generated value, written as PostgreSQL COPY text or bound as an SQLite parameter.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::{ToSqlOutput, ValueRef};
use uuid::Uuid;

/// A generated column value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Field {
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Bool(bool),
    Time(DateTime<Utc>),
    /// A JSON document, already serialised.
    Json(String),
    /// An exact decimal, as text.
    Decimal(String),
    Null,
}

impl From<Uuid> for Field {
    fn from(id: Uuid) -> Self {
        Self::Uuid(id)
    }
}

impl From<Option<Uuid>> for Field {
    fn from(id: Option<Uuid>) -> Self {
        id.map_or(Self::Null, Self::Uuid)
    }
}

/// An enumerated column's value, spelt as the entity's enum spells it.
pub(crate) fn variant<E: sea_orm::ActiveEnum<Value = String>>(value: E) -> Field {
    Field::Text(value.to_value())
}

impl From<String> for Field {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for Field {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<i64> for Field {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl From<bool> for Field {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<DateTime<Utc>> for Field {
    fn from(at: DateTime<Utc>) -> Self {
        Self::Time(at)
    }
}

impl From<Option<DateTime<Utc>>> for Field {
    fn from(at: Option<DateTime<Utc>>) -> Self {
        at.map_or(Self::Null, Self::Time)
    }
}

impl From<serde_json::Value> for Field {
    fn from(json: serde_json::Value) -> Self {
        Self::Json(json.to_string())
    }
}

impl Field {
    /// Appends the value in COPY's text format (tab-separated, `\N` for NULL).
    pub(crate) fn write_copy(&self, out: &mut Vec<u8>) {
        match self {
            Self::Uuid(id) => out.extend_from_slice(
                id.hyphenated().encode_lower(&mut Uuid::encode_buffer()).as_bytes(),
            ),
            Self::Text(text) | Self::Json(text) => escape_copy(text, out),
            Self::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Self::Bool(b) => out.push(if *b { b't' } else { b'f' }),
            Self::Time(at) => {
                out.extend_from_slice(at.to_rfc3339_opts(SecondsFormat::Micros, false).as_bytes())
            }
            Self::Decimal(text) => out.extend_from_slice(text.as_bytes()),
            Self::Null => out.extend_from_slice(b"\\N"),
        }
    }
}

/// A value bound as an SQLite parameter, stored as sqlx stores the same Rust value (what
/// the application reads back through sea-orm): a UUID as its 16 bytes, a time as RFC 3339
/// text with as many fractional digits as it needs, a boolean as 0 or 1.
impl rusqlite::ToSql for Field {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Self::Uuid(id) => ToSqlOutput::Borrowed(ValueRef::Blob(id.as_bytes())),
            Self::Text(text) | Self::Decimal(text) | Self::Json(text) => {
                ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes()))
            }
            Self::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Self::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Self::Time(at) => ToSqlOutput::Owned(rusqlite::types::Value::Text(
                at.to_rfc3339_opts(SecondsFormat::AutoSi, false),
            )),
            Self::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

fn escape_copy(text: &str, out: &mut Vec<u8>) {
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_would_misread() {
        let mut out = Vec::new();
        Field::Text("a\tb\\c\nd".into()).write_copy(&mut out);
        assert_eq!(out, b"a\\tb\\\\c\\nd");
        out.clear();
        Field::Null.write_copy(&mut out);
        assert_eq!(out, b"\\N");
    }
}
