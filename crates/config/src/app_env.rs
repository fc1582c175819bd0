//! `APP_ENV`: which kind of environment the migrations run in.

use std::fmt;
use std::str::FromStr;

/// The environment variable that names the environment.
pub const APP_ENV_VAR: &str = "APP_ENV";

/// The kind of environment, from `APP_ENV` (default `development`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppEnv {
    /// A developer's machine (the default).
    #[default]
    Development,
    /// Automated tests.
    Test,
    /// A pre-production deployment.
    Staging,
    /// Production.
    Production,
}

impl AppEnv {
    /// Every accepted value, as written in `APP_ENV`.
    pub const ACCEPTED: &'static str = "development, test, staging, production";

    /// Reads `APP_ENV` from `env`, with where it came from.
    pub fn resolve(env: &crate::Env) -> Result<crate::Sourced<Self>, InvalidAppEnv> {
        match env.get(APP_ENV_VAR) {
            Some((value, source)) => Ok(crate::Sourced::new(value.parse()?, source)),
            None => Ok(crate::Sourced::default_value(Self::default())),
        }
    }

    /// Staging and production hold real data: destructive commands and sample data are
    /// refused there unless explicitly asked for.
    pub fn holds_real_data(self) -> bool {
        matches!(self, Self::Staging | Self::Production)
    }

    /// The name as written in `APP_ENV`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Test => "test",
            Self::Staging => "staging",
            Self::Production => "production",
        }
    }
}

impl fmt::Display for AppEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `APP_ENV` holds a value that is not one of [`AppEnv::ACCEPTED`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("APP_ENV={value:?} is not a known environment; set it to one of: {accepted}", accepted = AppEnv::ACCEPTED)]
pub struct InvalidAppEnv {
    /// The rejected value.
    pub value: String,
}

impl FromStr for AppEnv {
    type Err = InvalidAppEnv;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "development" => Ok(Self::Development),
            "test" => Ok(Self::Test),
            "staging" => Ok(Self::Staging),
            "production" => Ok(Self::Production),
            _ => Err(InvalidAppEnv { value: value.to_owned() }),
        }
    }
}
