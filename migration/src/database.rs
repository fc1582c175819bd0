//! Which database the migration binary uses, and connecting to it.
//!
//! `DATABASE_URL` when set; otherwise, in development and test, an SQLite file inside the
//! workspace (`data/chatdb-<env>.sqlite3`, created on first use and git-ignored). Staging
//! and production must set `DATABASE_URL`.

use std::path::PathBuf;
use std::time::Duration;

use sea_orm_migration::sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::app_env::{AppEnv, InvalidAppEnv};

/// The variable that names the database.
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// How long connecting may take before the command gives up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the embedded SQLite databases live, relative to the workspace root.
pub const EMBEDDED_DIR: &str = "data";

/// A database to migrate and where its URL came from.
#[derive(Clone)]
pub struct DatabaseTarget {
    url: String,
    /// Where the URL came from.
    pub source: TargetSource,
    /// The environment it was resolved for.
    pub env: AppEnv,
}

/// Where a [`DatabaseTarget`]'s URL came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetSource {
    /// The `DATABASE_URL` variable.
    DatabaseUrl,
    /// The embedded SQLite default at this path.
    EmbeddedDefault(PathBuf),
}

/// Why no database could be chosen or reached.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// `APP_ENV` is invalid.
    #[error(transparent)]
    AppEnv(#[from] InvalidAppEnv),
    /// Staging or production without `DATABASE_URL`.
    #[error(
        "DATABASE_URL is not set; APP_ENV={0} has no embedded default, so set DATABASE_URL to the database's URL"
    )]
    MissingUrl(AppEnv),
    /// `DATABASE_URL` has an unsupported scheme.
    #[error(
        "DATABASE_URL ({0}) is not a postgres://, postgresql:// or sqlite: URL; fix the variable"
    )]
    UnsupportedScheme(String),
    /// The embedded database's directory could not be created.
    #[error(
        "could not create {path}: {source}; check that the workspace is writable or set DATABASE_URL"
    )]
    EmbeddedDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `DATABASE_URL` cannot be parsed.
    #[error("DATABASE_URL ({0}) is not a valid URL: {1}; fix the variable")]
    MalformedUrl(String, String),
    /// Connecting failed.
    #[error(
        "could not connect to {url}: {message}; check DATABASE_URL and that the server is running"
    )]
    Connect {
        /// The redacted URL.
        url: String,
        /// The driver's message, with any password removed.
        message: String,
    },
}

impl std::fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseTarget")
            .field("url", &self.redacted_url())
            .field("source", &self.source)
            .field("env", &self.env)
            .finish()
    }
}

impl DatabaseTarget {
    /// Resolves the target from the process environment.
    pub fn from_env() -> Result<Self, TargetError> {
        let env = AppEnv::from_env()?;
        match std::env::var(DATABASE_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => Self::from_url(url.trim(), env),
            _ if env.holds_real_data() => Err(TargetError::MissingUrl(env)),
            _ => Self::embedded(env),
        }
    }

    /// A target for an explicit URL.
    pub fn from_url(url: &str, env: AppEnv) -> Result<Self, TargetError> {
        let supported = ["postgres://", "postgresql://", "sqlite:"];
        if !supported.iter().any(|scheme| url.starts_with(scheme)) {
            return Err(TargetError::UnsupportedScheme(redact(url)));
        }
        if let Err(err) = url::Url::parse(url) {
            return Err(TargetError::MalformedUrl(redact(url), err.to_string()));
        }
        Ok(Self { url: url.to_owned(), source: TargetSource::DatabaseUrl, env })
    }

    /// The embedded SQLite database of `env`, its directory created when missing.
    pub fn embedded(env: AppEnv) -> Result<Self, TargetError> {
        let dir = workspace_dir().join(EMBEDDED_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|source| TargetError::EmbeddedDir { path: dir.clone(), source })?;
        let path = dir.join(format!("chatdb-{env}.sqlite3"));
        Ok(Self {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            source: TargetSource::EmbeddedDefault(path),
            env,
        })
    }

    /// The URL with any password replaced by `***`, safe to print.
    pub fn redacted_url(&self) -> String {
        redact(&self.url)
    }

    /// Whether the target is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// One line saying which database this is and why.
    pub fn describe(&self) -> String {
        match &self.source {
            TargetSource::DatabaseUrl => format!("{} (from DATABASE_URL)", self.redacted_url()),
            TargetSource::EmbeddedDefault(path) => format!(
                "{} (embedded {} default; set DATABASE_URL to use another database)",
                path.display(),
                self.env
            ),
        }
    }

    /// Connects with a single connection, so that a session-level lock and every
    /// migration's transaction share it.
    pub async fn connect(&self) -> Result<DatabaseConnection, TargetError> {
        let mut options = ConnectOptions::new(self.url.clone());
        options
            .max_connections(1)
            .min_connections(1)
            .connect_timeout(CONNECT_TIMEOUT)
            .sqlx_logging(false);
        Database::connect(options).await.map_err(|e| self.connect_error(&e))
    }

    /// A connection error with the password scrubbed from the driver's message.
    pub fn connect_error(&self, error: &DbErr) -> TargetError {
        TargetError::Connect { url: self.redacted_url(), message: self.scrub(&error.to_string()) }
    }

    /// `text` with this target's password, raw or percent-decoded, replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut scrubbed = text.to_owned();
        for secret in passwords_of(&self.url) {
            scrubbed = scrubbed.replace(&secret, "***");
        }
        scrubbed
    }
}

/// The workspace root: the migration crate's parent directory.
fn workspace_dir() -> PathBuf {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().map(PathBuf::from).unwrap_or(crate_dir)
}

/// The URL's password as written and as decoded, longest first; empty when none.
fn passwords_of(url: &str) -> Vec<String> {
    let Some(raw) = url::Url::parse(url).ok().and_then(|u| u.password().map(str::to_owned)) else {
        return Vec::new();
    };
    let decoded = percent_encoding::percent_decode_str(&raw).decode_utf8_lossy().into_owned();
    let mut secrets: Vec<String> = vec![raw, decoded];
    secrets.retain(|s| !s.is_empty());
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    secrets
}

/// `url` with its password replaced by `***`; unparseable URLs are cut to their scheme.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => match url.split_once(':') {
            Some((scheme, _)) => format!("{scheme}:<unparseable URL>"),
            None => "<unparseable URL>".to_owned(),
        },
    }
}
