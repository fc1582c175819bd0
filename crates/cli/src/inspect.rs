//! What an operator wants to know about a database connection.

use std::time::Instant;

use migration::history::{History, State};
use migration::isolation::Confinement;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};
use serde::Serialize;

/// The answer of `chatdb check`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Inspection {
    /// Always true: an unreachable database is an error instead.
    pub reachable: bool,
    /// `postgres` or `sqlite`.
    pub backend: &'static str,
    /// The server's version string.
    pub server_version: String,
    /// Whether this connection is encrypted, as the server reports it (`None` for SQLite).
    pub tls: Option<bool>,
    /// The TLS version, when encrypted.
    pub tls_version: Option<String>,
    /// Round trip of `SELECT 1`.
    pub latency_ms: f64,
    /// Migrations applied.
    pub migrations_applied: usize,
    /// Migrations pending, by name.
    pub migrations_pending: Vec<String>,
    /// Migrations applied by a newer release that this build does not know.
    pub migrations_unknown: Vec<String>,
    /// Whether row-level security confines this connection to one tenant per transaction.
    pub tenant_isolation: Confinement,
}

async fn text<C: ConnectionTrait>(db: &C, sql: &str) -> Result<Option<String>, DbErr> {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    row.map(|r| r.try_get_by_index::<Option<String>>(0)).transpose().map(Option::flatten)
}

/// Asks the server about itself, without writing anything (not even the migrations table).
/// Give it a transaction (`DatabaseConfig::begin`) to work through a transaction-pooling
/// PgBouncer.
pub(crate) async fn inspect<C: ConnectionTrait>(db: &C) -> Result<Inspection, DbErr> {
    let started = Instant::now();
    db.query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT 1")).await?;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (backend, server_version, tls, tls_version) = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let version = text(db, "SHOW server_version").await?.unwrap_or_default();
            let tls =
                text(db, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()").await?;
            let tls_version =
                text(db, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").await?;
            ("postgres", version, Some(tls.as_deref() == Some("true")), tls_version)
        }
        _ => ("sqlite", text(db, "SELECT sqlite_version()").await?.unwrap_or_default(), None, None),
    };
    let history = History::read(db).await?;
    let migrations_pending: Vec<String> =
        history.versions(State::Pending).into_iter().map(str::to_owned).collect();
    let migrations_unknown: Vec<String> =
        history.versions(State::Unknown).into_iter().map(str::to_owned).collect();
    let tenant_isolation = migration::isolation::confinement(db).await?;
    Ok(Inspection {
        reachable: true,
        backend,
        server_version,
        tls,
        tls_version,
        latency_ms,
        migrations_applied: history.count(State::Applied),
        migrations_pending,
        migrations_unknown,
        tenant_isolation,
    })
}
