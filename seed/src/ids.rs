//! Deterministic values: every id and random choice is a pure function of the seed, the
//! table and the row, so the same seeding gives the same rows on any backend, and any
//! row's id can be computed again without generating the others.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// SplitMix64: a fast, well-mixed 64-bit hash step.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A hash of the run's seed and a row's coordinates.
pub(crate) fn hash(seed: u64, table: u64, index: u64, part: u64) -> u64 {
    mix(mix(mix(seed ^ mix(table)) ^ index) ^ part)
}

/// A UUIDv7 whose time is `at` and whose random bits come from the row's hash, so ids are
/// time-ordered like the application's and reproducible.
pub(crate) fn uuid_v7(seed: u64, table: u64, index: u64, at: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0) & 0xFFFF_FFFF_FFFF;
    let random =
        u128::from(hash(seed, table, index, 1)) << 64 | u128::from(hash(seed, table, index, 2));
    let mut value = u128::from(millis) << 80 | (random & ((1u128 << 80) - 1));
    value = (value & !(0xF << 76)) | (0x7 << 76); // version 7
    value = (value & !(0x3 << 62)) | (0x2 << 62); // RFC 4122 variant
    Uuid::from_u128(value)
}

/// A value in `0..n` for the row.
pub(crate) fn pick(seed: u64, table: u64, index: u64, part: u64, n: u64) -> u64 {
    if n == 0 { 0 } else { hash(seed, table, index, part) % n }
}
