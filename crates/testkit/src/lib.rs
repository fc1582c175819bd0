//! Throwaway databases for tests: a real PostgreSQL and SQLite files.
//!
//! PostgreSQL is the server named by `TEST_DATABASE_URL` (one where the tests may create
//! and drop databases) or, when that is unset, a cluster this crate starts from the local
//! PostgreSQL binaries. That cluster is shared by every test process of a run (nextest runs
//! each test in its own process) and removed a few seconds after the last one exits. Each
//! test gets its own database, cloned from a template migrated once.
//!
//! [`tls_server`] is a second shared cluster that accepts only TLS, with a certificate for
//! `localhost` signed by a CA generated for the run.
//!
//! SQLite databases are files in a temporary directory, copied from a migrated template
//! file shared by the test processes of a build.
//!
//! ```no_run
//! # async fn demo() -> Result<(), testkit::Error> {
//! use testkit::{Backend, TestDb};
//! let db = TestDb::migrated(Backend::Postgres).await?;
//! // use db.conn() …; the database is dropped with `db`.
//! # Ok(()) }
//! ```

pub mod binary;
mod certs;
mod cluster;
mod error;
mod pgbouncer;
mod postgres;
mod roles;
mod schema_dump;
mod sqlite;
mod tls;

use sea_orm::DatabaseConnection;

pub use error::Error;
pub use pgbouncer::pgbouncer_url;
pub use roles::{
    APP_ROLE, OWNER_ROLE, OwnedDatabase, PASSWORD, PASSWORD_ROLE, app_role_url, as_role,
    password_role_url,
};
pub use schema_dump::schema_dump;
pub use tls::{TlsServer, tls_server};

/// Names templates after the migrations and this test binary, so that a rebuilt binary
/// (say, with an edited migration) never reuses an older template.
fn fingerprint() -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    migration::Migrator::names().hash(&mut hasher);
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        meta.len().hash(&mut hasher);
        meta.modified().ok().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Migrates the database at `url` the way deployments do ([`migration::up`]: the
/// migrators' lock, the database's environment recorded as `test`).
async fn migrate(url: &str) -> Result<(), Error> {
    let env = db_config::Env::from_pairs([("DATABASE_URL", url), ("APP_ENV", "test")], []);
    let config =
        db_config::DatabaseConfig::resolve(&env).map_err(|e| Error::Migrate(e.to_string()))?;
    migration::up(&config).await.map_err(|e| Error::Migrate(e.to_string()))?;
    Ok(())
}

/// A database backend under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL (see the crate docs for which server).
    Postgres,
    /// SQLite, in a temporary file.
    Sqlite,
}

impl Backend {
    /// Both backends, for tests that run the same scenario on each.
    pub const ALL: [Backend; 2] = [Backend::Postgres, Backend::Sqlite];
}

/// A database that exists for one test and is dropped with this value.
pub struct TestDb {
    conn: DatabaseConnection,
    url: String,
    backend: Backend,
    _cleanup: Cleanup,
}

#[expect(dead_code, reason = "held only so that dropping it removes the database")]
enum Cleanup {
    Postgres(postgres::DropOnExit),
    Sqlite(tempfile::TempDir),
}

impl TestDb {
    /// A database with every migration applied (V1–V3).
    pub async fn migrated(backend: Backend) -> Result<Self, Error> {
        Self::create(backend, true).await
    }

    /// An empty database: no tables, not even the migrations table.
    pub async fn empty(backend: Backend) -> Result<Self, Error> {
        Self::create(backend, false).await
    }

    async fn create(backend: Backend, migrated: bool) -> Result<Self, Error> {
        let (conn, url, cleanup) = match backend {
            Backend::Postgres => {
                let (conn, url, guard) = postgres::create(migrated).await?;
                (conn, url, Cleanup::Postgres(guard))
            }
            Backend::Sqlite => {
                let (conn, url, dir) = sqlite::create(migrated).await?;
                (conn, url, Cleanup::Sqlite(dir))
            }
        };
        Ok(Self { conn, url, backend, _cleanup: cleanup })
    }

    /// The connection pool of this database.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// The database's URL, for running binaries against it (it has no password).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Opens another connection pool to the same database.
    pub async fn reconnect(&self) -> Result<DatabaseConnection, Error> {
        Ok(sea_orm::Database::connect(self.url.as_str()).await?)
    }
}
