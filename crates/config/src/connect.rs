//! Opening a connection pool for a [`DatabaseConfig`].

use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sea_orm::{DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};

use crate::{ConfigError, DatabaseConfig, PoolConfig, Target};

/// How long SQLite waits for a lock held by another connection.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl DatabaseConfig {
    /// Opens a pool as configured.
    pub async fn connect(&self) -> Result<DatabaseConnection, ConfigError> {
        self.connect_with(&self.pool).await
    }

    /// Opens a pool of a single connection (for a session lock, or migrations).
    pub async fn connect_single(&self) -> Result<DatabaseConnection, ConfigError> {
        self.connect_with(&self.pool.single()).await
    }

    async fn connect_with(&self, pool: &PoolConfig) -> Result<DatabaseConnection, ConfigError> {
        let connecting = async {
            match &self.target {
                Target::Postgres(_) => self.connect_postgres(pool).await,
                Target::Sqlite(_) => self.connect_sqlite(pool).await,
            }
        };
        match tokio::time::timeout(pool.connect_timeout.value, connecting).await {
            Ok(result) => result,
            Err(_) => Err(self.connect_error(&format!(
                "no connection within {}s (DB_CONNECT_TIMEOUT)",
                pool.connect_timeout.value.as_secs()
            ))),
        }
    }

    fn connect_error(&self, message: &str) -> ConfigError {
        ConfigError::Connect {
            target: self.target.describe(),
            settings: self.target.settings(),
            message: self.scrub(message),
        }
    }

    async fn connect_postgres(&self, pool: &PoolConfig) -> Result<DatabaseConnection, ConfigError> {
        let Target::Postgres(pg) = &self.target else { unreachable_target() };
        let mut options = PgConnectOptions::new_without_pgpass()
            .host(&pg.host.value)
            .port(pg.port.value)
            .username(&pg.user.value)
            .database(&pg.database.value)
            .ssl_mode(pg.ssl_mode.value.to_sqlx())
            .application_name("chatdb");
        if let Some(password) = &pg.password {
            options = options.password(password.value.expose());
        }
        if let Some(cert) = &pg.root_cert {
            options = options.ssl_root_cert(&cert.value);
        }
        if let Some(timeout) = &pool.statement_timeout {
            let millis = timeout.value.as_millis().to_string();
            options = options.options([("statement_timeout", millis.as_str())]);
        }
        let sqlx_pool = PgPoolOptions::new()
            .max_connections(pool.max.value)
            .min_connections(pool.min.value)
            .acquire_timeout(pool.acquire_timeout.value.min(pool.connect_timeout.value))
            .max_lifetime(pool.max_lifetime.value)
            .connect_with(options)
            .await
            .map_err(|e| self.connect_error(&e.to_string()))?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(sqlx_pool))
    }

    async fn connect_sqlite(&self, pool: &PoolConfig) -> Result<DatabaseConnection, ConfigError> {
        let Target::Sqlite(sqlite) = &self.target else { unreachable_target() };
        let path = &sqlite.path.value;
        let options = if path == ":memory:" {
            SqliteConnectOptions::from_str("sqlite::memory:")
                .map_err(|e| self.connect_error(&e.to_string()))?
        } else {
            if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| ConfigError::EmbeddedDir {
                    path: dir.display().to_string(),
                    reason: e.to_string(),
                })?;
            }
            SqliteConnectOptions::new().filename(path).create_if_missing(true).journal_mode(SqliteJournalMode::Wal)
        };
        let options = options.foreign_keys(true).busy_timeout(SQLITE_BUSY_TIMEOUT);
        // One in-memory database exists per connection, so it gets exactly one.
        let max = if path == ":memory:" { 1 } else { pool.max.value };
        let sqlx_pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(pool.min.value.min(max))
            .acquire_timeout(pool.acquire_timeout.value)
            .max_lifetime(pool.max_lifetime.value)
            .connect_with(options)
            .await
            .map_err(|e| self.connect_error(&e.to_string()))?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(sqlx_pool))
    }
}

/// `connect_with` dispatches on the target, so the other arm cannot happen.
fn unreachable_target() -> ! {
    unreachable!("connect dispatches on the target kind")
}
