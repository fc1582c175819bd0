//! PostgreSQL's binary COPY format: rows encoded for `COPY … FROM STDIN (FORMAT binary)`
//! and decoded from `COPY … TO STDOUT (FORMAT binary)`, for the types the schema uses.
//! Binary spares the server parsing timestamps, UUIDs and numbers from text.

use rust_decimal::Decimal;

use xxhash_rust::xxh3::Xxh3;

use crate::value::{Canonical, Kind, Value};

/// What every binary COPY stream starts with: signature, flags, header extension length.
pub(crate) const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// What ends one: a field count of -1.
pub(crate) const TRAILER: &[u8] = &[0xff, 0xff];
/// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
const POSTGRES_EPOCH_MICROS: i64 = 946_684_800_000_000;
const NUMERIC_NEGATIVE: u16 = 0x4000;
const NUMERIC_NAN: u16 = 0xC000;

/// The SQL type each kind is read and written as (columns are cast to it when read, so
/// the bytes are always in the layout expected here).
pub(crate) fn sql_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Uuid => "uuid",
        Kind::Text => "text",
        Kind::Int4 => "int4",
        Kind::Int8 => "int8",
        Kind::Bool => "bool",
        Kind::Timestamp => "timestamptz",
        Kind::Decimal => "numeric",
        Kind::Json => "jsonb",
    }
}

/// Appends one row.
pub(crate) fn encode_row(row: &[Value], kinds: &[Kind], out: &mut Vec<u8>) {
    out.extend_from_slice(&(row.len() as i16).to_be_bytes());
    for (value, kind) in row.iter().zip(kinds) {
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        match value {
            Value::Null => {
                out[at..at + 4].copy_from_slice(&(-1i32).to_be_bytes());
                continue;
            }
            Value::Uuid(bytes) => out.extend_from_slice(bytes),
            Value::Text(text) => out.extend_from_slice(text.as_bytes()),
            Value::Int(n) if *kind == Kind::Int4 => {
                out.extend_from_slice(&(*n as i32).to_be_bytes())
            }
            Value::Int(n) => out.extend_from_slice(&n.to_be_bytes()),
            Value::Bool(b) => out.push(u8::from(*b)),
            Value::Timestamp(micros) => {
                out.extend_from_slice(&(micros - POSTGRES_EPOCH_MICROS).to_be_bytes())
            }
            Value::Decimal(d) => encode_numeric(*d, out),
            Value::Json(doc) => {
                out.push(1); // jsonb's format version
                // Writing into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, doc);
            }
        }
        let len = (out.len() - at - 4) as i32;
        out[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }
}

/// `numeric`'s binary form: base-10000 digits, weight, sign, display scale.
fn encode_numeric(d: Decimal, out: &mut Vec<u8>) {
    let scale = d.scale() as usize;
    let text = d.abs().to_string();
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let int_part = int_part.trim_start_matches('0');
    let int_padded = format!("{}{int_part}", "0".repeat((4 - int_part.len() % 4) % 4));
    let frac_padded = format!("{frac_part}{}", "0".repeat((4 - frac_part.len() % 4) % 4));
    let group = |s: &str| s.bytes().fold(0u16, |acc, c| acc * 10 + u16::from(c - b'0'));
    let mut digits: Vec<u16> = int_padded
        .as_bytes()
        .chunks(4)
        .chain(frac_padded.as_bytes().chunks(4))
        .map(|chunk| group(std::str::from_utf8(chunk).unwrap_or("0")))
        .collect();
    let mut weight = (int_padded.len() / 4) as i16 - 1;
    while digits.first() == Some(&0) {
        digits.remove(0);
        weight -= 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        weight = 0;
    }
    let sign = if d.is_sign_negative() && !digits.is_empty() { NUMERIC_NEGATIVE } else { 0 };
    out.extend_from_slice(&(digits.len() as u16).to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&(scale as u16).to_be_bytes());
    digits.iter().for_each(|digit| out.extend_from_slice(&digit.to_be_bytes()));
}

fn decode_numeric(bytes: &[u8]) -> Option<Decimal> {
    let word = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let (ndigits, weight, sign, scale) = (word(0)?, word(2)? as i16, word(4)?, word(6)?);
    if sign == NUMERIC_NAN {
        return None;
    }
    let mut text = String::with_capacity(32);
    if sign == NUMERIC_NEGATIVE {
        text.push('-');
    }
    let digit = |i: i32| -> u16 {
        if i < 0 || i >= i32::from(ndigits) { 0 } else { word(8 + 2 * i as usize).unwrap_or(0) }
    };
    let int_groups = i32::from(weight) + 1;
    if int_groups <= 0 {
        text.push('0');
    }
    for i in 0..int_groups.max(0) {
        if i == 0 {
            text.push_str(&digit(i).to_string());
        } else {
            text.push_str(&format!("{:04}", digit(i)));
        }
    }
    if scale > 0 {
        text.push('.');
        let mut fraction = String::new();
        let mut i = int_groups;
        while fraction.len() < usize::from(scale) {
            fraction.push_str(&format!("{:04}", digit(i)));
            i += 1;
        }
        fraction.truncate(usize::from(scale));
        text.push_str(&fraction);
    }
    text.parse().ok()
}

/// Why a field could not be decoded.
pub(crate) type DecodeProblem = String;

/// Decodes one field of `kind`.
pub(crate) fn decode_field(kind: Kind, bytes: &[u8]) -> Result<Value, DecodeProblem> {
    let fixed = |n: usize| -> Result<&[u8], DecodeProblem> {
        if bytes.len() == n {
            Ok(bytes)
        } else {
            Err(format!("{} bytes where {n} were expected", bytes.len()))
        }
    };
    Ok(match kind {
        Kind::Uuid => Value::Uuid(fixed(16)?.try_into().map_err(|_| "uuid".to_owned())?),
        Kind::Text => Value::Text(
            String::from_utf8(bytes.to_vec()).map_err(|e| format!("text is not UTF-8: {e}"))?,
        ),
        Kind::Int4 => Value::Int(i64::from(i32::from_be_bytes(
            fixed(4)?.try_into().map_err(|_| "int4".to_owned())?,
        ))),
        Kind::Int8 => {
            Value::Int(i64::from_be_bytes(fixed(8)?.try_into().map_err(|_| "int8".to_owned())?))
        }
        Kind::Bool => Value::Bool(fixed(1)?[0] != 0),
        Kind::Timestamp => Value::Timestamp(
            i64::from_be_bytes(fixed(8)?.try_into().map_err(|_| "timestamptz".to_owned())?)
                .saturating_add(POSTGRES_EPOCH_MICROS),
        ),
        Kind::Decimal => Value::Decimal(
            decode_numeric(bytes).ok_or_else(|| "a numeric out of range (or NaN)".to_owned())?,
        ),
        Kind::Json => {
            let text = bytes.strip_prefix(&[1]).ok_or("unknown jsonb version")?;
            Value::Json(serde_json::from_slice(text).map_err(|e| format!("invalid JSON: {e}"))?)
        }
    })
}

/// Feeds one field of `kind` into `hasher` in its canonical form, straight from the wire:
/// what [`decode_field`] then hashing would feed, without building the value.
pub(crate) fn feed_field(kind: Kind, bytes: &[u8], hasher: &mut Xxh3) -> Result<(), DecodeProblem> {
    match kind {
        Kind::Uuid => {
            Canonical::uuid(hasher, bytes.try_into().map_err(|_| "a malformed uuid".to_owned())?)
        }
        // The server's encoding is UTF-8 (sqlx requires it), so text arrives valid.
        Kind::Text => Canonical::text(hasher, bytes),
        _ => match decode_field(kind, bytes)? {
            Value::Int(n) => Canonical::int(hasher, n),
            Value::Bool(b) => Canonical::bool(hasher, b),
            Value::Timestamp(micros) => Canonical::timestamp(hasher, micros),
            Value::Decimal(d) => Canonical::decimal(hasher, &d),
            Value::Json(doc) => Canonical::json(hasher, &doc),
            _ => return Err(format!("no canonical form for {kind:?}")),
        },
    }
    Ok(())
}

/// Splits a binary COPY stream, arriving in chunks of any size, into rows.
#[derive(Default)]
pub(crate) struct RowSplitter {
    buffer: Vec<u8>,
    header_seen: bool,
    done: bool,
}

impl RowSplitter {
    /// Adds a chunk; calls `row` with each complete row's fields (`None` for NULL).
    pub(crate) fn push<E>(
        &mut self,
        chunk: &[u8],
        mut row: impl FnMut(&[Option<&[u8]>]) -> Result<(), E>,
        malformed: impl Fn(&str) -> E,
    ) -> Result<(), E> {
        self.buffer.extend_from_slice(chunk);
        let mut at = 0;
        if !self.header_seen {
            if self.buffer.len() < HEADER.len() {
                return Ok(());
            }
            let extension = u32::from_be_bytes([
                self.buffer[15],
                self.buffer[16],
                self.buffer[17],
                self.buffer[18],
            ]) as usize;
            if !self.buffer.starts_with(&HEADER[..11]) {
                return Err(malformed("no binary COPY signature"));
            }
            if self.buffer.len() < HEADER.len() + extension {
                return Ok(());
            }
            at = HEADER.len() + extension;
            self.header_seen = true;
        }
        let mut fields: Vec<Option<&[u8]>> = Vec::with_capacity(32);
        while let Some(count) = self.buffer.get(at..at + 2) {
            let count = i16::from_be_bytes([count[0], count[1]]);
            if count < 0 {
                self.done = true;
                at += 2;
                break;
            }
            fields.clear();
            let mut cursor = at + 2;
            let mut complete = true;
            for _ in 0..count {
                let Some(len) = self.buffer.get(cursor..cursor + 4) else {
                    complete = false;
                    break;
                };
                let len = i32::from_be_bytes([len[0], len[1], len[2], len[3]]);
                cursor += 4;
                if len < 0 {
                    fields.push(None);
                    continue;
                }
                let end = cursor + len as usize;
                if end > self.buffer.len() {
                    complete = false;
                    break;
                }
                fields.push(Some(&self.buffer[cursor..end]));
                cursor = end;
            }
            if !complete {
                break;
            }
            row(&fields)?;
            at = cursor;
        }
        self.buffer.drain(..at);
        Ok(())
    }

    /// Whether the trailer was seen.
    pub(crate) fn finished(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a test fails loudly on anything unexpected")]
mod tests {
    use super::*;

    #[test]
    fn numerics_survive_the_binary_form() {
        for text in
            ["0", "0.00", "12.50", "-12.50", "99999999.99", "0.01", "10000", "1234.5678", "-0.10"]
        {
            let d: Decimal = text.parse().unwrap();
            let mut out = Vec::new();
            encode_numeric(d, &mut out);
            let back = decode_numeric(&out).unwrap();
            assert_eq!(back.to_string(), d.to_string(), "{text}");
        }
    }

    #[test]
    fn rows_split_across_chunks_come_out_whole() {
        let kinds = [Kind::Uuid, Kind::Text, Kind::Int4, Kind::Timestamp, Kind::Json, Kind::Bool];
        let row = vec![
            Value::Uuid([7; 16]),
            Value::Text("tab\there, newline\n, ünïcode".into()),
            Value::Int(-5),
            Value::Timestamp(1_714_555_800_123_456),
            Value::Json(serde_json::json!({"a": [1, 2.5, null]})),
            Value::Null,
        ];
        let mut stream = HEADER.to_vec();
        encode_row(&row, &kinds, &mut stream);
        encode_row(&row, &kinds, &mut stream);
        stream.extend_from_slice(TRAILER);
        let mut splitter = RowSplitter::default();
        let mut decoded = Vec::new();
        for chunk in stream.chunks(7) {
            splitter
                .push(
                    chunk,
                    |fields| {
                        let values: Vec<Value> = fields
                            .iter()
                            .zip(kinds)
                            .map(|(f, k)| f.map_or(Value::Null, |b| decode_field(k, b).unwrap()))
                            .collect();
                        decoded.push(values);
                        Ok::<(), String>(())
                    },
                    |m| m.to_owned(),
                )
                .unwrap();
        }
        assert!(splitter.finished());
        assert_eq!(decoded, vec![row.clone(), row]);
    }

    /// Values that exercise the codec: every scale 0-20 both signs, zeros with a scale,
    /// base-10000 group boundaries, rust_decimal's largest and smallest, pseudo-random ones.
    fn numeric_cases() -> Vec<Decimal> {
        let mut cases = Vec::new();
        for scale in 0..=20 {
            cases.push(Decimal::new(123_456_789, scale));
            cases.push(Decimal::new(-987_654_321_012, scale));
            cases.push(Decimal::new(0, scale));
            cases.push(Decimal::new(1, scale));
        }
        for text in [
            "10000",
            "9999.9999",
            "0.0001",
            "0.00001",
            "100000000",
            "-0.10",
            "12.50",
            "12.5",
            "-0.00",
            "9999999999999999999999999999",
            "-7922816251426433759354395033",
            "0.0000000000000000000000000001",
            "1234567890.123456789012345678",
        ] {
            cases.push(text.parse().unwrap());
        }
        let mut state: u64 = 0x5eed;
        for _ in 0..300 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mantissa = (state >> 1) as i64 * if state & 1 == 0 { 1 } else { -1 };
            cases.push(Decimal::new(mantissa, (state % 21) as u32));
        }
        cases
    }

    /// Both directions against PostgreSQL's own `numeric`: what we encode must read back
    /// as the server's parse of the same text, and what the server encodes must decode to
    /// the server's text.
    #[tokio::test]
    async fn numerics_round_trip_through_a_real_server() {
        use sea_orm::sqlx::{self, Connection};
        let db = testkit::TestDb::empty(testkit::Backend::Postgres).await.unwrap();
        let mut conn = sqlx::PgConnection::connect(db.url()).await.unwrap();
        sqlx::raw_sql("CREATE TABLE n (i int4 PRIMARY KEY, v numeric, t text)")
            .execute(&mut conn)
            .await
            .unwrap();
        let cases = numeric_cases();
        let mut stream = HEADER.to_vec();
        for (i, d) in cases.iter().enumerate() {
            let row = [Value::Int(i as i64), Value::Decimal(*d), Value::Text(d.to_string())];
            encode_row(&row, &[Kind::Int4, Kind::Decimal, Kind::Text], &mut stream);
        }
        stream.extend_from_slice(TRAILER);
        let mut copy =
            conn.copy_in_raw("COPY n (i, v, t) FROM STDIN (FORMAT binary)").await.unwrap();
        copy.send(stream.as_slice()).await.unwrap();
        copy.finish().await.unwrap();

        let wrong = texts(
            &mut conn,
            "SELECT t || ' sent, server read ' || v::text FROM n WHERE v::text <> t::numeric::text ORDER BY i",
        )
        .await;
        assert!(wrong.is_empty(), "encoded wrongly: {wrong:?}");

        let expected = texts(&mut conn, "SELECT t::numeric::text FROM n ORDER BY i").await;
        let decoded: Vec<String> =
            copy_out(&mut conn, "SELECT t::numeric FROM n ORDER BY i", |field| {
                decode_numeric(field).unwrap().to_string()
            })
            .await;
        assert_eq!(decoded, expected, "decoded wrongly");

        // Beyond rust_decimal's 28 digits: refused, never a wrong number.
        let refused = copy_out(
            &mut conn,
            "SELECT '12345678901234567890123456789012345678'::numeric",
            |field| decode_field(Kind::Decimal, field).is_err(),
        )
        .await;
        assert_eq!(refused, [true], "a 38-digit numeric must be refused");
    }

    /// The first column of `sql`'s rows, as text.
    async fn texts(conn: &mut sea_orm::sqlx::PgConnection, sql: &'static str) -> Vec<String> {
        use sea_orm::sqlx::{self, Row};
        let rows = sqlx::query(sql).fetch_all(conn).await.unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    }

    /// The first column of `query`'s rows, in PostgreSQL's binary COPY form, through `decode`.
    async fn copy_out<T>(
        conn: &mut sea_orm::sqlx::PgConnection,
        query: &str,
        decode: impl Fn(&[u8]) -> T,
    ) -> Vec<T> {
        let sql = format!("COPY ({query}) TO STDOUT (FORMAT binary)");
        let mut out = conn.copy_out_raw(&sql).await.unwrap();
        let mut splitter = RowSplitter::default();
        let mut values = Vec::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut out).await {
            splitter
                .push(
                    &chunk.unwrap(),
                    |fields| {
                        values.push(decode(fields[0].unwrap()));
                        Ok::<(), String>(())
                    },
                    |m| m.to_owned(),
                )
                .unwrap();
        }
        values
    }
}
