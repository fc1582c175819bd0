//! Connection pool settings.

use std::time::Duration;

use serde::Serialize;

use crate::{ConfigError, Env, Sourced};

/// Most connections, `DB_POOL_SIZE`.
pub const DEFAULT_POOL_SIZE: u32 = 20;
/// Idle connections kept open, `DB_POOL_MIN` (never above the maximum).
pub const DEFAULT_POOL_MIN: u32 = 5;
/// Seconds to wait for a free connection, `DB_POOL_TIMEOUT`.
pub const DEFAULT_POOL_TIMEOUT_SECS: u64 = 30;
/// Seconds before a connection is replaced, `DB_POOL_RECYCLE`.
pub const DEFAULT_POOL_RECYCLE_SECS: u64 = 1800;
/// Seconds to establish a connection, `DB_CONNECT_TIMEOUT`.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 5;

/// How the connection pool behaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolConfig {
    /// Most open connections.
    pub max: Sourced<u32>,
    /// Connections kept open when idle.
    pub min: Sourced<u32>,
    /// How long to wait for a free connection.
    pub acquire_timeout: Sourced<Duration>,
    /// Largest age of a connection.
    pub max_lifetime: Sourced<Duration>,
    /// How long establishing a connection may take.
    pub connect_timeout: Sourced<Duration>,
    /// Longest a statement may run (PostgreSQL), if limited.
    pub statement_timeout: Option<Sourced<Duration>>,
}

fn number<T: std::str::FromStr + PartialOrd + Copy + std::fmt::Display>(
    env: &Env,
    var: &str,
    range: std::ops::RangeInclusive<T>,
    unit: &str,
) -> Result<Option<Sourced<T>>, ConfigError> {
    let Some((text, source)) = env.get(var) else { return Ok(None) };
    match text.trim().parse::<T>() {
        Ok(value) if range.contains(&value) => Ok(Some(Sourced::new(value, source))),
        _ => Err(ConfigError::Invalid {
            var: var.to_owned(),
            value: text,
            expected: format!("a whole number of {unit} from {} to {}", range.start(), range.end()),
        }),
    }
}

fn seconds(env: &Env, var: &str, max: u64) -> Result<Option<Sourced<Duration>>, ConfigError> {
    Ok(number(env, var, 1..=max, "seconds")?
        .map(|s| Sourced::new(Duration::from_secs(s.value), s.source)))
}

impl PoolConfig {
    /// Reads `DB_POOL_SIZE`, `DB_POOL_MIN`, `DB_POOL_TIMEOUT`, `DB_POOL_RECYCLE`,
    /// `DB_CONNECT_TIMEOUT` and `DB_STATEMENT_TIMEOUT`.
    pub fn resolve(env: &Env) -> Result<Self, ConfigError> {
        let max = number(env, "DB_POOL_SIZE", 1..=1000, "connections")?
            .unwrap_or(Sourced::default_value(DEFAULT_POOL_SIZE));
        let min = match number(env, "DB_POOL_MIN", 0..=1000, "connections")? {
            Some(min) if min.value > max.value => {
                return Err(ConfigError::PoolMinAboveMax { min: min.value, max: max.value });
            }
            Some(min) => min,
            None => Sourced::default_value(DEFAULT_POOL_MIN.min(max.value)),
        };
        let default_secs = |secs| Sourced::default_value(Duration::from_secs(secs));
        Ok(Self {
            max,
            min,
            acquire_timeout: seconds(env, "DB_POOL_TIMEOUT", 3600)?
                .unwrap_or(default_secs(DEFAULT_POOL_TIMEOUT_SECS)),
            max_lifetime: seconds(env, "DB_POOL_RECYCLE", 7 * 86400)?
                .unwrap_or(default_secs(DEFAULT_POOL_RECYCLE_SECS)),
            connect_timeout: seconds(env, "DB_CONNECT_TIMEOUT", 600)?
                .unwrap_or(default_secs(DEFAULT_CONNECT_TIMEOUT_SECS)),
            statement_timeout: seconds(env, "DB_STATEMENT_TIMEOUT", 86400)?,
        })
    }

    /// A pool of exactly one connection, e.g. for migrations that hold a session lock.
    pub fn single(&self) -> Self {
        Self { max: Sourced::default_value(1), min: Sourced::default_value(1), ..self.clone() }
    }
}
