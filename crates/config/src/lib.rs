//! Database configuration from the environment, used by every binary of the workspace.
//!
//! [`DatabaseConfig::from_env`] loads `.env` (real variables win) and resolves:
//!
//! | what | variables, first match wins | default |
//! |---|---|---|
//! | environment | `APP_ENV` | `development` |
//! | URL | `DATABASE_URL`, `POSTGRES_URL` (`postgres://`, `postgresql://`, `sqlite:`) | — |
//! | host | `ZERODB_POSTGRES_HOST`, `POSTGRES_HOST`, `DB_HOST`, `PGHOST` | `localhost` |
//! | port | `ZERODB_POSTGRES_PORT`, `POSTGRES_PORT`, `DB_PORT`, `PGPORT` | `5432` |
//! | database | `ZERODB_POSTGRES_DATABASE`, `POSTGRES_DB`, `DB_NAME`, `PGDATABASE` | `postgres` |
//! | user | `ZERODB_POSTGRES_USERNAME`, `POSTGRES_USER`, `DB_USER`, `PGUSER` | `postgres` |
//! | password | `ZERODB_POSTGRES_PASSWORD`, `POSTGRES_PASSWORD`, `DB_PASSWORD`, `PGPASSWORD` | none |
//! | TLS mode | `DB_SSL_MODE`, `ZERODB_POSTGRES_SSL_MODE`, `PGSSLMODE`, the URL's `sslmode` | `prefer`; `require` in staging/production |
//! | root certificate | `DB_SSL_ROOT_CERT`, `PGSSLROOTCERT`, the URL's `sslrootcert` | none |
//! | plain text in production | `DB_ALLOW_INSECURE=true` | refused |
//! | transaction-pooling PgBouncer | `DB_PGBOUNCER`, the URL's `pgbouncer` | `false` |
//! | pool | `DB_POOL_SIZE` (20), `DB_POOL_MIN` (5), `DB_POOL_TIMEOUT` (30 s), `DB_POOL_RECYCLE` (1800 s), `DB_CONNECT_TIMEOUT` (5 s), `DB_STATEMENT_TIMEOUT` (none) | |
//!
//! A URL wins over parts. Parts are used as soon as any host or database variable is set;
//! each part is taken from the first family that sets it. With neither, development and
//! test use the embedded SQLite file `data/chatdb-<env>.sqlite3` in the project root (the
//! directory of `.env`, else the current directory);
//! staging and production refuse to guess. Every value records where it came from
//! ([`Source`]); passwords are [`Secret`]s that print as `***`.

mod app_env;
pub mod codes;
mod connect;
mod env;
mod error;
mod logging;
mod migrations;
mod pool;
mod source;
mod target;
mod tls;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use app_env::{APP_ENV_VAR, AppEnv, InvalidAppEnv};
pub use connect::{SQLITE_BUSY_TIMEOUT, clear_prepared_statements};
pub use env::Env;
pub use error::ConfigError;
pub use logging::{LOG_FILTER_VAR, LogSettings, NO_COLOR_VAR};
pub use migrations::{
    ADMIN_EMAIL_VAR, ADMIN_PASSWORD_VAR, AdminPassword, DEFAULT_ADMIN_EMAIL,
    MIN_ADMIN_PASSWORD_LEN, MigrationSettings, SEED_SAMPLE_DATA_VAR,
};
pub use pool::PoolConfig;
pub use source::{Source, Sourced};
pub use target::{DIRECT_URL_VAR, PostgresTarget, Secret, SqliteTarget, Target};
pub use tls::SslMode;

/// Where the embedded SQLite databases live: `data/` in the project root of `env` (the
/// directory of its `.env`, else the current directory), found when the binary runs,
/// never where it was built.
pub fn embedded_dir(env: &Env) -> PathBuf {
    env.project_root().join("data")
}

/// The resolved database configuration.
#[derive(Clone, Debug, Serialize)]
pub struct DatabaseConfig {
    /// `APP_ENV`.
    pub app_env: Sourced<AppEnv>,
    /// Where to connect.
    pub target: Target,
    /// Pool settings.
    pub pool: PoolConfig,
    /// What the migrations read besides the connection.
    pub migrations: MigrationSettings,
    /// Variables that are set but were not used: PostgreSQL settings (a port, a password…)
    /// without a host or database to go with them, when the embedded SQLite file is used.
    pub unused: Vec<String>,
    /// `DATABASE_DIRECT_URL`: where migrations connect instead of [`Self::target`].
    pub direct: Option<Target>,
}

impl DatabaseConfig {
    /// Loads `.env`, then resolves from the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::resolve(&Env::load()?)
    }

    /// Resolves from `env`, with the embedded default in the workspace's `data/`.
    pub fn resolve(env: &Env) -> Result<Self, ConfigError> {
        Self::resolve_with_embedded_dir(env, &embedded_dir(env))
    }

    /// Resolves from `env`, with the embedded default in `dir`.
    pub fn resolve_with_embedded_dir(env: &Env, dir: &Path) -> Result<Self, ConfigError> {
        let app_env = AppEnv::resolve(env)?;
        let target = Target::resolve(env, app_env.value, dir)?;
        let pool = PoolConfig::resolve(env)?;
        let migrations = MigrationSettings::resolve(env, app_env.value)?;
        let unused = target.unused_variables(env);
        if !unused.is_empty() {
            tracing::warn!(
                "{} set but unused: without a host or database variable (or DATABASE_URL) the \
                 embedded SQLite file is used; set DB_HOST or DATABASE_URL to use PostgreSQL",
                unused.join(", ")
            );
        }
        let direct = Target::resolve_direct(env, app_env.value)?;
        if let Some(direct) = &direct {
            target.check_direct(env, direct)?;
        }
        Ok(Self { app_env, target, pool, migrations, unused, direct })
    }

    /// The configuration of `env` with the database a command-line `flag` names by `url`
    /// (e.g. `chatdb copy --from URL`), its settings otherwise as `env` resolves them.
    pub fn resolve_url(env: &Env, flag: &str, url: &str) -> Result<Self, ConfigError> {
        let app_env = AppEnv::resolve(env)?;
        let target = Target::from_flag(env, app_env.value, flag, url)?;
        let pool = PoolConfig::resolve(env)?;
        let migrations = MigrationSettings::resolve(env, app_env.value)?;
        Ok(Self { app_env, target, pool, migrations, unused: Vec::new(), direct: None })
    }

    /// The configuration migrations use: the same, connecting to `DATABASE_DIRECT_URL`
    /// when it is set (a session of their own behind a transaction pooler).
    pub fn for_migrations(&self) -> Self {
        match &self.direct {
            Some(direct) => Self { target: direct.clone(), direct: None, ..self.clone() },
            None => self.clone(),
        }
    }

    /// `text` with the passwords, if any, replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for password in [self.target.password(), self.direct.as_ref().and_then(Target::password)]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
        {
            text = text.replace(password, "***");
        }
        text
    }

    /// What a database `error` says, for a person: the password redacted and, when it
    /// looks like a transaction-pooling PgBouncer that this configuration does not know
    /// about (prepared statements colliding between clients), what to set.
    pub fn describe_error(&self, error: &sea_orm::DbErr) -> String {
        let text = self.scrub(&error.to_string());
        // Statement names colliding (or missing) between clients; a protocol error of the
        // pooler's has no code.
        let pooler_symptom = codes::is(error, codes::DUPLICATE_PREPARED_STATEMENT)
            || codes::is(error, codes::INVALID_SQL_STATEMENT_NAME)
            || text.contains("unexpected connection status");
        if pooler_symptom && matches!(self.target, Target::Postgres(_)) && !self.behind_pgbouncer()
        {
            format!(
                "{text}\nThis looks like a transaction-pooling PgBouncer (or another pooler) in front of \
                 the server: set DB_PGBOUNCER=true, or add ?pgbouncer=true to the URL"
            )
        } else {
            text
        }
    }

    /// Human-readable lines, `name = value (source)`, with the password redacted.
    pub fn explain(&self) -> Vec<String> {
        let mut lines = vec![format!("app_env = {} ({})", self.app_env.value, self.app_env.source)];
        let line = |name: &str, value: &dyn std::fmt::Display, source: &Source| {
            format!("{name} = {value} ({source})")
        };
        match &self.target {
            Target::Postgres(pg) => {
                lines.push("backend = postgres".to_owned());
                lines.push(line("host", &pg.host.value, &pg.host.source));
                lines.push(line("port", &pg.port.value, &pg.port.source));
                lines.push(match pg.database.source {
                    Source::Default => format!(
                        "database = {} (default: neither the URL nor a database variable names one)",
                        pg.database.value
                    ),
                    ref source => line("database", &pg.database.value, source),
                });
                lines.push(line("user", &pg.user.value, &pg.user.source));
                match &pg.password {
                    Some(p) => lines.push(line("password", &"***", &p.source)),
                    None => lines.push("password = (none)".to_owned()),
                }
                lines.push(line("sslmode", &pg.ssl_mode.value, &pg.ssl_mode.source));
                if let Some(cert) = &pg.root_cert {
                    lines.push(line("sslrootcert", &cert.value.display(), &cert.source));
                }
                lines.push(line("pgbouncer", &pg.pgbouncer.value, &pg.pgbouncer.source));
            }
            Target::Sqlite(sqlite) => {
                lines.push("backend = sqlite".to_owned());
                lines.push(match sqlite.path.source {
                    Source::Default => format!(
                        "path = {} (default: data/ in the directory of .env, else the current directory)",
                        sqlite.path.value
                    ),
                    ref source => line("path", &sqlite.path.value, source),
                });
            }
        }
        let pool = &self.pool;
        lines.push(line("pool.max", &pool.max.value, &pool.max.source));
        lines.push(line("pool.min", &pool.min.value, &pool.min.source));
        let secs = |d: &std::time::Duration| format!("{}s", d.as_secs());
        lines.push(line(
            "pool.acquire_timeout",
            &secs(&pool.acquire_timeout.value),
            &pool.acquire_timeout.source,
        ));
        lines.push(line(
            "pool.max_lifetime",
            &secs(&pool.max_lifetime.value),
            &pool.max_lifetime.source,
        ));
        lines.push(line(
            "pool.connect_timeout",
            &secs(&pool.connect_timeout.value),
            &pool.connect_timeout.source,
        ));
        match &pool.statement_timeout {
            Some(t) => lines.push(line("statement_timeout", &secs(&t.value), &t.source)),
            None => lines.push("statement_timeout = (none) (default)".to_owned()),
        }
        lines.push(match &self.direct {
            Some(direct) => {
                format!("migrations = {} (from {})", direct.describe(), target::DIRECT_URL_VAR)
            }
            None => format!("migrations = the database above ({} not set)", target::DIRECT_URL_VAR),
        });
        if !self.unused.is_empty() {
            lines.push(format!(
                "unused = {} (PostgreSQL settings without a host or database: not used)",
                self.unused.join(", ")
            ));
        }
        let migrations = &self.migrations;
        lines.push(line(
            "admin_email",
            &migrations.admin_email.value,
            &migrations.admin_email.source,
        ));
        match &migrations.admin_password {
            Some(p) => lines.push(line("admin_password", &"***", &p.source)),
            None => lines.push(format!(
                "admin_password = (none): {}",
                match migrations.admin_password() {
                    AdminPassword::Invite => "V1 creates the admin as invited, without a password",
                    _ => "V1 generates one and shows it once",
                }
            )),
        }
        lines.push(line(
            "backup_dir",
            &migrations.backup_dir.value.display(),
            &migrations.backup_dir.source,
        ));
        lines.push(line(
            "seed_sample_data",
            &migrations.inserts_sample_data(),
            &migrations.seed_sample_data.source,
        ));
        lines
    }
}

/// A yes/no variable: `true`/`1`/`yes` or `false`/`0`/`no`, any case.
pub(crate) fn parse_bool(var: &str, text: &str) -> Result<bool, ConfigError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ConfigError::Invalid {
            var: var.to_owned(),
            value: text.to_owned(),
            expected: "true or false".to_owned(),
        }),
    }
}
