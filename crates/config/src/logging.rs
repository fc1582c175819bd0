//! How the binaries log, read with every other setting (real variables over `.env`) and
//! handed to `process-io`, which reads no environment of its own.

use crate::{ConfigError, Env};

/// Set (to anything) to keep colour codes out of the output even on a terminal.
pub const NO_COLOR_VAR: &str = "NO_COLOR";
/// A `tracing` filter, e.g. `debug` or `warn,migration=debug`.
pub const LOG_FILTER_VAR: &str = "RUST_LOG";

/// The logging settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSettings {
    /// `NO_COLOR` is set.
    pub no_color: bool,
    /// `RUST_LOG`, when set.
    pub filter: Option<String>,
}

impl LogSettings {
    /// The settings of `env`, or the defaults when it could not be loaded (the binary
    /// reports that error once it can log).
    pub fn of(env: &Result<Env, ConfigError>) -> Self {
        let Ok(env) = env else { return Self::default() };
        Self {
            no_color: env.get(NO_COLOR_VAR).is_some(),
            filter: env.get(LOG_FILTER_VAR).map(|(filter, _)| filter),
        }
    }
}
