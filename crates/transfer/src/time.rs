//! Timestamps as SQLite holds them: text in whichever form its writer chose (the schema's
//! defaults write `2024-05-01T09:30:00.123+00:00`, drivers `2024-05-01 09:30:00.123456+00:00`
//! or `…Z`, people `2024-05-01 09:30`), or a Julian day number, all of which `julianday()`
//! accepts. Read into microseconds since the epoch, never compared as text.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;
/// The Julian day number of 1970-01-01 00:00 UTC.
const UNIX_EPOCH_JULIAN_DAY: f64 = 2_440_587.5;

/// Microseconds since the epoch of an SQLite time text, or `None` when it is not one.
pub fn parse_sqlite_text(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter()
            .try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let date = NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)?;
    let days = date.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days();
    let mut micros = days * MICROS_PER_DAY;
    let mut at = 10;
    if b.len() > at {
        if b[at] != b'T' && b[at] != b' ' {
            return None;
        }
        let (hour, minute) = (digits(at + 1, 2)?, digits(at + 4, 2)?);
        if b.get(at + 3) != Some(&b':') || hour > 23 || minute > 59 {
            return None;
        }
        micros += (hour * 3600 + minute * 60) * MICROS_PER_SECOND;
        at += 6;
        if b.get(at) == Some(&b':') {
            let second = digits(at + 1, 2)?;
            if second > 59 {
                return None;
            }
            micros += second * MICROS_PER_SECOND;
            at += 3;
            if b.get(at) == Some(&b'.') {
                at += 1;
                let start = at;
                let mut fraction = 0i64;
                while let Some(c) = b.get(at).filter(|c| c.is_ascii_digit()) {
                    if at - start < 6 {
                        fraction = fraction * 10 + i64::from(c - b'0');
                    }
                    at += 1;
                }
                if at == start {
                    return None;
                }
                let kept = (at - start).min(6) as u32;
                micros += fraction * 10i64.pow(6 - kept);
            }
        }
        micros -= offset_micros(&b[at..])?;
    }
    Some(micros)
}

/// The offset from UTC a timestamp's suffix names: nothing, `Z`, ` UTC`, `±HH`, `±HHMM`,
/// `±HH:MM`.
fn offset_micros(suffix: &[u8]) -> Option<i64> {
    let suffix = suffix.strip_prefix(b" ").unwrap_or(suffix);
    match suffix {
        b"" | b"Z" | b"z" | b"UTC" => return Some(0),
        _ => {}
    }
    let sign = match suffix.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest: Vec<u8> = suffix[1..].iter().copied().filter(|&c| c != b':').collect();
    if !(rest.len() == 2 || rest.len() == 4) || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |s: &[u8]| s.iter().fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'));
    let minutes = number(&rest[..2]) * 60 + if rest.len() == 4 { number(&rest[2..]) } else { 0 };
    Some(sign * minutes * 60 * MICROS_PER_SECOND)
}

/// Microseconds since the epoch of a Julian day number (what `julianday()` returns).
pub fn from_julian_day(day: f64) -> Option<i64> {
    let micros = ((day - UNIX_EPOCH_JULIAN_DAY) * MICROS_PER_DAY as f64).round();
    (day.is_finite() && micros.abs() < 9.0e18).then_some(micros as i64)
}

/// The RFC 3339 text of a time, in UTC with microseconds: how the copy writes SQLite
/// timestamps (the form the driver writes, so the application reads it back unchanged).
pub fn format_rfc3339(micros: i64) -> String {
    DateTime::<Utc>::from_timestamp_micros(micros)
        .map(|at| at.to_rfc3339_opts(SecondsFormat::Micros, false))
        .unwrap_or_else(|| format!("@{micros}µs"))
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a test fails loudly on anything unexpected")]
mod tests {
    use super::*;

    #[test]
    fn every_form_sqlite_accepts_reads_as_the_same_instant() {
        let expected = parse_sqlite_text("2024-05-01T09:30:00.123+00:00").unwrap();
        for text in [
            "2024-05-01 09:30:00.123",
            "2024-05-01T09:30:00.123000+00:00",
            "2024-05-01 09:30:00.123Z",
            "2024-05-01T10:30:00.123+01:00",
            "2024-05-01T10:30:00.123+0100",
            "2024-05-01 09:30:00.1230000001 UTC",
        ] {
            assert_eq!(parse_sqlite_text(text), Some(expected), "{text}");
        }
        assert_eq!(parse_sqlite_text("2024-05-01 09:30"), Some(expected - 123_000));
        assert_eq!(from_julian_day(2_440_588.0), Some(MICROS_PER_DAY / 2));
        assert_eq!(format_rfc3339(expected), "2024-05-01T09:30:00.123000+00:00");
        assert_eq!(parse_sqlite_text(&format_rfc3339(expected)), Some(expected));
    }

    #[test]
    fn text_that_is_no_time_is_refused() {
        for text in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30 10:00",
            "2024-05-01 25:00",
            "2024-05-01T09:30:00+1",
        ] {
            assert_eq!(parse_sqlite_text(text), None, "{text}");
        }
    }
}
