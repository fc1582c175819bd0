//! One value of a row, in the form both backends agree on, and the order-independent
//! digest of a table built from it.
//!
//! Every reader decodes its backend's storage into [`Value`] (a timestamp is microseconds
//! since the epoch whatever text SQLite held, a decimal is exact, JSON is parsed), so the
//! digest of the same rows is the same on either side however each stores them.

use rust_decimal::Decimal;
use sea_orm::sea_query::ColumnType;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// How a column's values are read, written and compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A UUID: `uuid`, or a 16-byte blob on SQLite.
    Uuid,
    /// Text of any length, enumerated values included.
    Text,
    /// A 32-bit integer.
    Int4,
    /// A 64-bit integer.
    Int8,
    /// A boolean: `boolean`, or 0/1 on SQLite.
    Bool,
    /// A point in time: `timestamptz`, or text SQLite's `julianday` understands.
    Timestamp,
    /// An exact decimal: `numeric`, or decimal text on SQLite.
    Decimal,
    /// A JSON document: `jsonb`, or JSON text on SQLite.
    Json,
}

impl Kind {
    /// The kind of a column of the entities' type, if the copy knows it.
    pub fn of(column_type: &ColumnType) -> Option<Self> {
        Some(match column_type {
            ColumnType::Uuid => Self::Uuid,
            ColumnType::Text | ColumnType::String(_) | ColumnType::Char(_) => Self::Text,
            ColumnType::Enum { .. } => Self::Text,
            ColumnType::Integer | ColumnType::SmallInteger | ColumnType::TinyInteger => Self::Int4,
            ColumnType::BigInteger => Self::Int8,
            ColumnType::Boolean => Self::Bool,
            ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime => {
                Self::Timestamp
            }
            ColumnType::Decimal(_) | ColumnType::Money(_) => Self::Decimal,
            ColumnType::Json | ColumnType::JsonBinary => Self::Json,
            _ => return None,
        })
    }
}

/// A value as both backends agree on it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A UUID's 16 bytes.
    Uuid([u8; 16]),
    /// Text.
    Text(String),
    /// An integer (either width).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Microseconds since 1970-01-01 00:00 UTC.
    Timestamp(i64),
    /// An exact decimal.
    Decimal(Decimal),
    /// A parsed JSON document.
    Json(serde_json::Value),
}

impl Value {
    /// The value as a JSON document (exports, error messages): UUIDs hyphenated,
    /// timestamps RFC 3339 in UTC with microseconds, decimals as strings.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Self::Null => J::Null,
            Self::Uuid(bytes) => J::String(uuid::Uuid::from_bytes(*bytes).to_string()),
            Self::Text(text) => J::String(text.clone()),
            Self::Int(n) => J::from(*n),
            Self::Bool(b) => J::Bool(*b),
            Self::Timestamp(micros) => J::String(crate::time::format_rfc3339(*micros)),
            Self::Decimal(d) => J::String(d.to_string()),
            Self::Json(doc) => doc.clone(),
        }
    }

    /// Feeds the value's canonical form into `hasher` (see [`Canonical`]).
    fn feed(&self, hasher: &mut Xxh3) {
        match self {
            Self::Null => Canonical::null(hasher),
            Self::Uuid(bytes) => Canonical::uuid(hasher, bytes),
            Self::Text(text) => Canonical::text(hasher, text.as_bytes()),
            Self::Int(n) => Canonical::int(hasher, *n),
            Self::Bool(b) => Canonical::bool(hasher, *b),
            Self::Timestamp(micros) => Canonical::timestamp(hasher, *micros),
            Self::Decimal(d) => Canonical::decimal(hasher, d),
            Self::Json(doc) => Canonical::json(hasher, doc),
        }
    }
}

/// The canonical form of each kind of value as the digest sees it: a tag, then the value
/// (lengths prefixed), so that no two different rows feed the same bytes. Readers that
/// only digest (reading a target back) feed it straight from the wire, without building
/// [`Value`]s.
pub(crate) struct Canonical;

impl Canonical {
    pub(crate) fn null(hasher: &mut Xxh3) {
        hasher.update(&[0]);
    }

    pub(crate) fn uuid(hasher: &mut Xxh3, bytes: &[u8; 16]) {
        hasher.update(&[1]);
        hasher.update(bytes);
    }

    pub(crate) fn text(hasher: &mut Xxh3, utf8: &[u8]) {
        hasher.update(&[2]);
        hasher.update(&(utf8.len() as u64).to_le_bytes());
        hasher.update(utf8);
    }

    pub(crate) fn int(hasher: &mut Xxh3, n: i64) {
        hasher.update(&[3]);
        hasher.update(&n.to_le_bytes());
    }

    pub(crate) fn bool(hasher: &mut Xxh3, b: bool) {
        hasher.update(&[4, u8::from(b)]);
    }

    pub(crate) fn timestamp(hasher: &mut Xxh3, micros: i64) {
        hasher.update(&[5]);
        hasher.update(&micros.to_le_bytes());
    }

    pub(crate) fn decimal(hasher: &mut Xxh3, d: &Decimal) {
        // 12.5 and 12.50 are the same amount: compare the normalised value.
        let text = d.normalize().to_string();
        hasher.update(&[6]);
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }

    pub(crate) fn json(hasher: &mut Xxh3, doc: &serde_json::Value) {
        hasher.update(&[7]);
        feed_json(doc, hasher);
    }
}

/// A JSON number by its exact value, as PostgreSQL's jsonb keeps it (`1e2` and `100`,
/// `-0.0` and `0` alike): read as a decimal, never through a double, which would make
/// 2⁶⁴ + 1 and 2⁶⁴ the same. Numbers beyond a decimal's 28 digits are compared as written.
fn json_number(n: &serde_json::Number) -> String {
    let written = n.to_string();
    Decimal::from_str_exact(&written)
        .or_else(|_| Decimal::from_scientific(&written))
        .map_or(written, |d| d.normalize().to_string())
}

/// JSON in a canonical form: object keys sorted, numbers by value.
fn feed_json(doc: &serde_json::Value, hasher: &mut Xxh3) {
    use serde_json::Value as J;
    match doc {
        J::Null => hasher.update(b"n"),
        J::Bool(b) => hasher.update(if *b { b"t" } else { b"f" }),
        J::Number(n) => {
            let text = json_number(n);
            hasher.update(b"#");
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        J::String(s) => {
            hasher.update(b"s");
            hasher.update(&(s.len() as u64).to_le_bytes());
            hasher.update(s.as_bytes());
        }
        J::Array(items) => {
            hasher.update(b"[");
            hasher.update(&(items.len() as u64).to_le_bytes());
            items.iter().for_each(|item| feed_json(item, hasher));
        }
        J::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            hasher.update(b"{");
            hasher.update(&(entries.len() as u64).to_le_bytes());
            for (key, value) in entries {
                hasher.update(&(key.len() as u64).to_le_bytes());
                hasher.update(key.as_bytes());
                feed_json(value, hasher);
            }
        }
    }
}

/// The digest of a set of rows: how many, and the sum (mod 2¹²⁸) of each row's 128-bit
/// hash, so the order rows are read in does not matter and a row twice counts twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    /// Rows counted.
    pub rows: u64,
    sum: u128,
}

impl Digest {
    /// Adds one row.
    pub fn add(&mut self, row: &[Value]) {
        self.add_hash(row_hash(row));
    }

    /// Adds a row already hashed with [`row_hash`].
    pub fn add_hash(&mut self, hash: u128) {
        self.rows += 1;
        self.sum = self.sum.wrapping_add(hash);
    }

    /// The digest as 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.sum)
    }
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.hex())
    }
}

/// The 128-bit hash of one row's canonical form.
pub fn row_hash(row: &[Value]) -> u128 {
    let mut hasher = Xxh3::new();
    for value in row {
        value.feed(&mut hasher);
    }
    hasher.digest128()
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a test fails loudly on anything unexpected")]
mod tests {
    use super::*;

    fn digest(rows: &[Vec<Value>]) -> Digest {
        let mut digest = Digest::default();
        rows.iter().for_each(|row| digest.add(row));
        digest
    }

    #[test]
    fn the_order_of_rows_does_not_change_the_digest_but_any_value_does() {
        let a = vec![Value::Int(1), Value::Text("a".into())];
        let b = vec![Value::Int(2), Value::Null];
        assert_eq!(digest(&[a.clone(), b.clone()]), digest(&[b.clone(), a.clone()]));
        assert_ne!(digest(&[a.clone(), b.clone()]), digest(&[a.clone(), a.clone()]));
        let changed = vec![Value::Int(2), Value::Text(String::new())];
        assert_ne!(digest(&[a.clone(), b]), digest(&[a, changed]));
    }

    #[test]
    fn equal_amounts_and_equal_documents_hash_alike() {
        let amount = |text: &str| vec![Value::Decimal(text.parse().unwrap())];
        assert_eq!(row_hash(&amount("12.5")), row_hash(&amount("12.50")));
        let doc = |text: &str| vec![Value::Json(serde_json::from_str(text).unwrap())];
        assert_eq!(
            row_hash(&doc(r#"{"a":1,"b":[true]}"#)),
            row_hash(&doc(r#"{"b": [true], "a": 1}"#))
        );
        assert_ne!(row_hash(&doc(r#"{"a":"1"}"#)), row_hash(&doc(r#"{"a":1}"#)));
    }
}
