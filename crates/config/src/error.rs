/// Why a configuration could not be built or used. Messages name the variable and what
/// would fix it, and never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `APP_ENV` is invalid.
    #[error(transparent)]
    AppEnv(#[from] crate::app_env::InvalidAppEnv),
    /// The `.env` file could not be read.
    #[error("could not read {path}: {reason}; fix or remove the file")]
    DotEnvUnreadable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A line of the `.env` file does not parse; its value is never repeated.
    #[error(
        "{path}, line {line} ({variable}): not a valid KEY=value line (an unclosed quote?); fix that line or remove it"
    )]
    DotEnvLine {
        /// The file.
        path: String,
        /// The line number, from 1 (0 when it could not be found).
        line: usize,
        /// The variable the line sets.
        variable: String,
    },
    /// A variable holds a value outside what it accepts.
    #[error("{var}={value:?} is not valid: expected {expected}")]
    Invalid {
        /// The variable.
        var: String,
        /// The rejected value (never a secret).
        value: String,
        /// What the variable accepts.
        expected: String,
    },
    /// `DATABASE_DIRECT_URL` and the URL it stands in for come from different places and
    /// name different databases.
    #[error(
        "{url} names the database {database:?}, but {direct} names {direct_database:?}: migrations would run on another database than the application's; set DATABASE_DIRECT_URL in the same place as the URL, to that database reached without the pooler"
    )]
    DirectUrlElsewhere {
        /// The URL's variable and where it was set, e.g. "DATABASE_URL in the environment".
        url: String,
        /// `DATABASE_DIRECT_URL` and where it was set.
        direct: String,
        /// The URL's database.
        database: String,
        /// `DATABASE_DIRECT_URL`'s database.
        direct_database: String,
    },
    /// A URL cannot be parsed; the URL itself is not repeated, as it may hold a password.
    #[error(
        "{var} is not a valid URL ({reason}); expected postgres://user:password@host:port/database or sqlite://path"
    )]
    MalformedUrl {
        /// The variable.
        var: String,
        /// The parser's reason.
        reason: String,
    },
    /// A URL carries a parameter this configuration does not know.
    #[error(
        "{var} has the unknown parameter {parameter:?}; accepted: {accepted}. Fix the spelling or remove it"
    )]
    UnknownUrlParameter {
        /// The variable.
        var: String,
        /// The parameter's name.
        parameter: String,
        /// Every accepted name.
        accepted: String,
    },
    /// A URL has a scheme other than PostgreSQL's or SQLite's.
    #[error("{var} has the scheme {scheme:?}; expected postgres://, postgresql:// or sqlite:")]
    UnsupportedScheme {
        /// The variable.
        var: String,
        /// The scheme found.
        scheme: String,
    },
    /// Staging or production, and no database configured.
    #[error(
        "no database is configured for APP_ENV={env}; set DATABASE_URL (or one of: {looked_for})"
    )]
    NoDatabase {
        /// The environment.
        env: crate::AppEnv,
        /// Every variable that was looked for.
        looked_for: String,
    },
    /// Production with a TLS mode that allows plain text.
    #[error(
        "sslmode={mode} ({origin}) allows unencrypted connections, which production refuses; use require, verify-ca or verify-full, or set DB_ALLOW_INSECURE=true"
    )]
    InsecureInProduction {
        /// The mode.
        mode: crate::SslMode,
        /// Where it came from.
        origin: crate::Source,
    },
    /// The root certificate file does not exist.
    #[error("the root certificate {path} ({origin}) does not exist; fix the path or unset it")]
    MissingRootCert {
        /// The path.
        path: String,
        /// Where it came from.
        origin: crate::Source,
    },
    /// `ADMIN_PASSWORD` is too short; the value itself is never shown.
    #[error(
        "ADMIN_PASSWORD ({origin}) is shorter than {min} characters; set a longer one, or unset it"
    )]
    WeakAdminPassword {
        /// Where it came from.
        origin: crate::Source,
        /// The shortest accepted length.
        min: usize,
    },
    /// `DB_POOL_MIN` above `DB_POOL_SIZE`.
    #[error(
        "DB_POOL_MIN={min} is above DB_POOL_SIZE={max}; lower DB_POOL_MIN or raise DB_POOL_SIZE"
    )]
    PoolMinAboveMax {
        /// The minimum.
        min: u32,
        /// The maximum.
        max: u32,
    },
    /// The SQLite database's path cannot be used.
    #[error("the SQLite database {path} ({origin}) {problem}")]
    SqlitePath {
        /// The path.
        path: String,
        /// Where it came from.
        origin: crate::Source,
        /// What is wrong, and the fix.
        problem: String,
    },
    /// Connecting failed.
    #[error(
        "could not connect to {target}: {message}; check {settings}{}",
        if *.server { " and that the server is reachable" } else { "" }
    )]
    Connect {
        /// The redacted target.
        target: String,
        /// The variables the target came from.
        settings: String,
        /// The driver's message, passwords removed.
        message: String,
        /// Whether there is a server to reach (PostgreSQL), not a local file (SQLite).
        server: bool,
    },
}

impl ConfigError {
    /// True for mistakes in the configuration (as opposed to an unreachable database):
    /// the CLI exits with 2 for these.
    pub fn is_configuration(&self) -> bool {
        !matches!(self, Self::Connect { .. })
    }
}
