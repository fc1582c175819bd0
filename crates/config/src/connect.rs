//! Opening a connection pool for a [`DatabaseConfig`].

use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, SqlxPostgresConnector,
    SqlxSqliteConnector, TransactionTrait,
};

use crate::{ConfigError, DatabaseConfig, PoolConfig, Target};

/// Pause between attempts of [`DatabaseConfig::connect_waiting`], doubling up to
/// [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(250);
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// How long SQLite waits for a lock held by another connection (every connection to an
/// SQLite file waits as long, sqlx's and any a crate opens itself).
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl DatabaseConfig {
    /// Opens a pool as configured.
    pub async fn connect(&self) -> Result<DatabaseConnection, ConfigError> {
        self.connect_with(&self.pool).await
    }

    /// Opens a pool of a single connection (for a session lock, or migrations).
    pub async fn connect_single(&self) -> Result<DatabaseConnection, ConfigError> {
        self.connect_with(&self.pool.single()).await
    }

    /// Opens a pool (of one connection with `single`), retrying a refused or unreachable
    /// server for up to `wait` with a line on stderr per attempt: for a database that is
    /// still starting beside the app.
    pub async fn connect_waiting(
        &self,
        wait: Duration,
        single: bool,
    ) -> Result<DatabaseConnection, ConfigError> {
        let pool = if single { self.pool.single() } else { self.pool.clone() };
        let deadline = tokio::time::Instant::now() + wait;
        let mut pause = FIRST_PAUSE;
        loop {
            let result = self.connect_with(&pool).await;
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match result {
                // Keep trying until the time is up, the last attempt at the deadline.
                Err(err @ ConfigError::Connect { .. }) if !left.is_zero() => {
                    tracing::warn!("waiting for the database: {err}");
                    tokio::time::sleep(pause.min(left)).await;
                    pause = (pause * 2).min(MAX_PAUSE);
                }
                result => return result,
            }
        }
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
            Err(_) => Err(self.timed_out(pool)),
        }
    }

    /// sqlx keeps retrying a refused connection until its deadline, then reports only that
    /// the pool timed out; say what that means instead.
    fn timed_out(&self, pool: &PoolConfig) -> ConfigError {
        let seconds = pool.connect_timeout.value.as_secs();
        self.connect_error(&match &self.target {
            Target::Postgres(_) => {
                format!("no server accepted the connection within {seconds}s (DB_CONNECT_TIMEOUT)")
            }
            // Opening switches the file to WAL, which needs a moment without a writer.
            Target::Sqlite(_) => format!(
                "the file stayed locked by another connection's write transaction for {seconds}s \
                 (DB_CONNECT_TIMEOUT); end that transaction, or switch the file to WAL once \
                 (`sqlite3 FILE 'PRAGMA journal_mode=WAL'`) so that readers and one writer can share it"
            ),
        })
    }

    fn driver_error(&self, pool: &PoolConfig, error: &sea_orm::sqlx::Error) -> ConfigError {
        match error {
            sea_orm::sqlx::Error::PoolTimedOut => self.timed_out(pool),
            other => self.connect_error(&other.to_string()),
        }
    }

    fn connect_error(&self, message: &str) -> ConfigError {
        ConfigError::Connect {
            target: self.target.describe(),
            settings: self.target.settings(),
            message: self.scrub(message),
            server: matches!(self.target, Target::Postgres(_)),
        }
    }

    /// A pool that connects on first use: for servers that must start while the database
    /// is down (a health endpoint reports that instead of failing to start).
    pub fn connect_lazy(&self) -> Result<DatabaseConnection, ConfigError> {
        match &self.target {
            Target::Postgres(_) => Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(
                self.pg_pool_options(&self.pool).connect_lazy_with(self.pg_options()),
            )),
            Target::Sqlite(_) => Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(
                self.sqlite_pool_options(&self.pool).connect_lazy_with(self.sqlite_options()?),
            )),
        }
    }

    /// A refused connection is known at once; sqlx would retry it until the deadline and
    /// then report only a timeout.
    async fn refused_at_once(&self, pool: &PoolConfig) -> Result<(), ConfigError> {
        let Target::Postgres(pg) = &self.target else { return Ok(()) };
        if pg.host.value.starts_with('/') {
            return Ok(()); // a Unix socket directory
        }
        let address = (pg.host.value.as_str(), pg.port.value);
        let probe = tokio::time::timeout(
            pool.connect_timeout.value,
            tokio::net::TcpStream::connect(address),
        );
        match probe.await {
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(self
                .connect_error(&format!(
                    "nothing listens on {}:{} (connection refused)",
                    pg.host.value, pg.port.value
                ))),
            _ => Ok(()),
        }
    }

    async fn connect_postgres(&self, pool: &PoolConfig) -> Result<DatabaseConnection, ConfigError> {
        self.refused_at_once(pool).await?;
        let sqlx_pool = self
            .pg_pool_options(pool)
            .connect_with(self.pg_options())
            .await
            .map_err(|e| self.driver_error(pool, &e))?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(sqlx_pool))
    }

    fn pg_options(&self) -> PgConnectOptions {
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
        if pg.pgbouncer.value {
            // Every statement gets a fresh name that is never reused; `begin` clears them.
            options = options.statement_cache_capacity(0);
        } else if let Some(timeout) = &self.pool.statement_timeout {
            // A pooler refuses startup options: there `begin` sets the timeout instead.
            let millis = timeout.value.as_millis().to_string();
            options = options.options([("statement_timeout", millis.as_str())]);
        }
        options
    }

    /// The same server and credentials, connected to `database` instead (e.g. the
    /// maintenance database `postgres`, to create or drop the configured one).
    pub fn on_database(&self, database: &str) -> Self {
        let mut other = self.clone();
        if let Target::Postgres(pg) = &mut other.target {
            pg.database = crate::Sourced::default_value(database.to_owned());
        }
        other
    }

    /// True when the server is a transaction-pooling PgBouncer (`DB_PGBOUNCER`).
    pub fn behind_pgbouncer(&self) -> bool {
        matches!(&self.target, Target::Postgres(pg) if pg.pgbouncer.value)
    }

    /// Behind a transaction-pooling PgBouncer, drops the prepared statements on the server
    /// connection a transaction was given (an earlier client's at its start, ours before it
    /// ends): the one rule for every transaction of ours, including those run through sqlx
    /// directly (COPY) — pass `behind_pgbouncer` to [`clear_prepared_statements`].
    pub async fn clear_prepared_statements(
        &self,
        conn: &mut sea_orm::sqlx::PgConnection,
    ) -> Result<(), sea_orm::sqlx::Error> {
        clear_prepared_statements(conn, self.behind_pgbouncer()).await
    }

    /// Commits a transaction started with [`DatabaseConfig::begin`]. Behind a PgBouncer it
    /// first drops the prepared statements the transaction made, so that the server
    /// connection goes back to the pool as clean as it came (the next client may be an
    /// application whose driver names its statements as sqlx does).
    pub async fn commit(&self, txn: DatabaseTransaction) -> Result<(), DbErr> {
        if self.behind_pgbouncer() {
            txn.execute_unprepared(DEALLOCATE_ALL).await?;
        }
        txn.commit().await
    }

    /// Starts a transaction, the unit in which the workspace's own code talks to the
    /// database. Behind a transaction-pooling PgBouncer a server connection is ours only
    /// inside a transaction, so every statement must run in one; each starts by dropping
    /// the prepared statements an earlier client left on that server connection (sqlx
    /// names them per client, so names collide) and by setting the statement timeout,
    /// which a pooler cannot take when connecting.
    pub async fn begin(&self, db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
        let txn = db.begin().await?;
        if self.behind_pgbouncer() {
            txn.execute_unprepared(DEALLOCATE_ALL).await?;
            if let Some(timeout) = &self.pool.statement_timeout {
                let sql = format!("SET LOCAL statement_timeout = {}", timeout.value.as_millis());
                txn.execute_unprepared(&sql).await?;
            }
        }
        Ok(txn)
    }

    /// Runs `work` in a transaction confined to `tenant` by row-level security (see
    /// [`entity::tenancy`]), begun and committed as [`DatabaseConfig::begin`] and
    /// [`DatabaseConfig::commit`] do: the scoped transaction of an application that connects
    /// with this configuration, PgBouncer or not. An error from `work` rolls it back.
    pub async fn scoped<F, T, E>(
        &self,
        db: &DatabaseConnection,
        tenant: uuid::Uuid,
        work: F,
    ) -> Result<T, E>
    where
        F: for<'c> AsyncFnOnce(&'c DatabaseTransaction) -> Result<T, E>,
        E: From<DbErr>,
    {
        let txn = self.begin(db).await?;
        entity::tenancy::enter(&txn, tenant).await?;
        let done = work(&txn).await?;
        self.commit(txn).await?;
        Ok(done)
    }

    fn pg_pool_options(&self, pool: &PoolConfig) -> PgPoolOptions {
        PgPoolOptions::new()
            .max_connections(pool.max.value)
            .min_connections(pool.min.value)
            .acquire_timeout(pool.acquire_timeout.value.min(pool.connect_timeout.value))
            .max_lifetime(pool.max_lifetime.value)
    }

    async fn connect_sqlite(&self, pool: &PoolConfig) -> Result<DatabaseConnection, ConfigError> {
        let options = self.sqlite_options()?;
        let started = tokio::time::Instant::now();
        loop {
            match self.sqlite_pool_options(pool).connect_with(options.clone()).await {
                Ok(sqlx_pool) => return Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(sqlx_pool)),
                // Switching a new file to WAL takes a lock that SQLite's busy timeout does not
                // wait for: processes opening it at once retry instead of failing.
                Err(e) if is_sqlite_busy(&e) && started.elapsed() < SQLITE_BUSY_TIMEOUT => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(self.driver_error(pool, &e)),
            }
        }
    }

    fn is_in_memory(&self) -> bool {
        matches!(&self.target, Target::Sqlite(s) if s.path.value == ":memory:")
    }

    fn sqlite_options(&self) -> Result<SqliteConnectOptions, ConfigError> {
        let Target::Sqlite(sqlite) = &self.target else { unreachable_target() };
        let path = &sqlite.path.value;
        let option = |name: &str| {
            sqlite.options.iter().find(|(n, _)| n == name).map(|(_, value)| value.as_str())
        };
        // mode=rw and mode=ro open an existing file only; the default creates it.
        let creates = matches!(option("mode"), None | Some("rwc"));
        if !self.is_in_memory() && creates {
            self.check_sqlite_path(std::path::Path::new(path))?;
        } else if !self.is_in_memory() && !std::path::Path::new(path).exists() {
            return Err(ConfigError::SqlitePath {
                path: path.clone(),
                origin: sqlite.path.source.clone(),
                problem: "does not exist, and mode=ro or mode=rw opens an existing file only; \
                          fix the path, or drop the mode to create it"
                    .into(),
            });
        }
        let mut options = if self.is_in_memory() {
            SqliteConnectOptions::from_str("sqlite::memory:")
                .map_err(|e| self.connect_error(&e.to_string()))?
        } else {
            let read_only = sqlite.read_only();
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(creates)
                .read_only(read_only);
            // Switching to WAL writes to the file.
            if read_only { options } else { options.journal_mode(SqliteJournalMode::Wal) }
        };
        if let Some(cache) = option("cache") {
            options = options.shared_cache(cache == "shared");
        }
        if let Some(immutable) = option("immutable") {
            options = options.immutable(immutable == "true");
        }
        Ok(options.foreign_keys(true).busy_timeout(SQLITE_BUSY_TIMEOUT))
    }

    /// What is wrong with an SQLite path, said plainly (SQLite's own words are "unable to
    /// open database file").
    fn check_sqlite_path(&self, path: &std::path::Path) -> Result<(), ConfigError> {
        let Target::Sqlite(sqlite) = &self.target else { return Ok(()) };
        let problem = |problem: String| ConfigError::SqlitePath {
            path: path.display().to_string(),
            origin: sqlite.path.source.clone(),
            problem,
        };
        if path.is_dir() {
            return Err(problem("is a directory; name a file in it, e.g. chatdb.sqlite3".into()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            return Err(problem(format!(
                "cannot have its directory created ({e}); make it writable or set DATABASE_URL to another path"
            )));
        }
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path);
        match opened {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {
                Err(problem("is on a read-only file system; choose a writable place".into()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(problem(
                "cannot be written (permission denied); choose a writable place".into(),
            )),
            Err(e) => Err(problem(format!(
                "cannot be opened for writing ({e}); fix the path or set DATABASE_URL to another one"
            ))),
        }
    }

    fn sqlite_pool_options(&self, pool: &PoolConfig) -> SqlitePoolOptions {
        // Each connection to :memory: is a database of its own, so it gets exactly one.
        let max = if self.is_in_memory() { 1 } else { pool.max.value };
        SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(pool.min.value.min(max))
            .acquire_timeout(pool.acquire_timeout.value)
            .max_lifetime(pool.max_lifetime.value)
    }
}

/// The statement that drops every prepared statement of a server connection.
const DEALLOCATE_ALL: &str = "DEALLOCATE ALL";

/// [`DatabaseConfig::clear_prepared_statements`] for a connection whose configuration says
/// `behind_pgbouncer`.
pub async fn clear_prepared_statements(
    conn: &mut sea_orm::sqlx::PgConnection,
    behind_pgbouncer: bool,
) -> Result<(), sea_orm::sqlx::Error> {
    if behind_pgbouncer {
        sea_orm::sqlx::raw_sql(DEALLOCATE_ALL).execute(conn).await?;
    }
    Ok(())
}

/// SQLITE_BUSY ("database is locked"), by its result code.
fn is_sqlite_busy(error: &sea_orm::sqlx::Error) -> bool {
    crate::codes::driver_code(error).as_deref() == Some(crate::codes::SQLITE_BUSY)
}

/// `connect_with` dispatches on the target, so the other arm cannot happen.
fn unreachable_target() -> ! {
    unreachable!("connect dispatches on the target kind")
}
