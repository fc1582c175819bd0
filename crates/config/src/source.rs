//! Provenance: where each resolved value came from.

use std::fmt;

use serde::Serialize;

/// Where a configuration value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Source {
    /// A real environment variable.
    Var(String),
    /// A variable from the `.env` file.
    DotEnv(String),
    /// A part of the URL in this variable (`DATABASE_URL` or `POSTGRES_URL`) or flag.
    Url(String),
    /// A command-line flag (e.g. `--from` of `chatdb copy`).
    Flag(String),
    /// The built-in default.
    Default,
}

impl Source {
    /// The variable this came from, if any.
    pub fn variable(&self) -> Option<&str> {
        match self {
            Self::Var(name) | Self::DotEnv(name) | Self::Url(name) | Self::Flag(name) => Some(name),
            Self::Default => None,
        }
    }

    /// The same origin, for a value taken out of a URL held by this variable.
    pub(crate) fn url_part(&self) -> Self {
        match self {
            Self::Var(name) | Self::DotEnv(name) | Self::Flag(name) => Self::Url(name.clone()),
            other => other.clone(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Var(name) | Self::Flag(name) => write!(f, "from {name}"),
            Self::DotEnv(name) => write!(f, "from {name} in .env"),
            Self::Url(name) => write!(f, "from the URL in {name}"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

impl<T> Sourced<T> {
    /// A value from `source`.
    pub fn new(value: T, source: Source) -> Self {
        Self { value, source }
    }

    /// A built-in default.
    pub fn default_value(value: T) -> Self {
        Self { value, source: Source::Default }
    }
}
