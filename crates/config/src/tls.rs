//! TLS: libpq's six `sslmode`s and where the root certificate is.

use std::fmt;
use std::str::FromStr;

use sea_orm::sqlx::postgres::PgSslMode;
use serde::Serialize;

/// libpq's `sslmode`, with libpq's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain text first, TLS if the server insists.
    Allow,
    /// TLS if the server offers it, else plain text.
    Prefer,
    /// TLS, without checking the certificate.
    Require,
    /// TLS, with a certificate signed by a trusted CA.
    VerifyCa,
    /// TLS, with a trusted certificate for the host name connected to.
    VerifyFull,
}

impl SslMode {
    /// Every accepted value.
    pub const ACCEPTED: &'static str = "disable, allow, prefer, require, verify-ca, verify-full";

    /// Whether the mode may fall back to an unencrypted connection.
    pub fn allows_plain_text(self) -> bool {
        matches!(self, Self::Disable | Self::Allow | Self::Prefer)
    }

    pub(crate) fn to_sqlx(self) -> PgSslMode {
        match self {
            Self::Disable => PgSslMode::Disable,
            Self::Allow => PgSslMode::Allow,
            Self::Prefer => PgSslMode::Prefer,
            Self::Require => PgSslMode::Require,
            Self::VerifyCa => PgSslMode::VerifyCa,
            Self::VerifyFull => PgSslMode::VerifyFull,
        }
    }
}

impl FromStr for SslMode {
    type Err = ();

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "disable" => Ok(Self::Disable),
            "allow" => Ok(Self::Allow),
            "prefer" => Ok(Self::Prefer),
            "require" => Ok(Self::Require),
            "verify-ca" => Ok(Self::VerifyCa),
            "verify-full" => Ok(Self::VerifyFull),
            _ => Err(()),
        }
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        })
    }
}
