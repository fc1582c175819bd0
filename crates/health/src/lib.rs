//! Is the database there? A bounded check for load balancers ([`check`], [`router`]):
//! what an application mounts, and nothing heavier (the operator's fuller inspection lives
//! in `chatdb check`).
//!
//! Mount the route in an application's own router:
//!
//! ```no_run
//! # async fn demo(db: sea_orm::DatabaseConnection) {
//! let app = axum::Router::new().merge(health::router(db));
//! # let _ = app; }
//! ```

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;

/// How long [`check`] waits before calling the database unreachable.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether the database answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It answered in time.
    Ok,
    /// It did not.
    Error,
}

/// The database's side of the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Connection {
    /// It answered.
    Connected,
    /// It did not.
    Disconnected,
}

/// The answer of `GET /health/db`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Health {
    /// `ok` or `error`.
    pub status: Status,
    /// `connected` or `disconnected`.
    pub database: Connection,
    /// Round trip of `SELECT 1`, when connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// Why not, when disconnected (never a secret: the driver's message is not included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Health {
    /// Whether the database answered.
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }
}

/// Runs `SELECT 1`, giving up after `timeout`. The probe is a simple-protocol query (no
/// prepared statement), so it works through a transaction-pooling PgBouncer as it is.
pub async fn check(db: &DatabaseConnection, timeout: Duration) -> Health {
    let started = Instant::now();
    let probe = db.execute_unprepared("SELECT 1");
    match tokio::time::timeout(timeout, probe).await {
        Ok(Ok(_)) => Health {
            status: Status::Ok,
            database: Connection::Connected,
            latency_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
            error: None,
        },
        // The driver's text can echo connection details; say what happened instead.
        Ok(Err(_)) => disconnected("the database refused or dropped the query"),
        Err(_) => disconnected(&format!("no answer within {} s", timeout.as_secs())),
    }
}

fn disconnected(reason: &str) -> Health {
    Health {
        status: Status::Error,
        database: Connection::Disconnected,
        latency_ms: None,
        error: Some(reason.to_owned()),
    }
}

/// `GET /health/db`: 200 with [`Health`] when the database answers, 503 otherwise, within
/// [`CHECK_TIMEOUT`].
pub fn router(db: DatabaseConnection) -> Router {
    Router::new().route("/health/db", get(health_db)).with_state(db)
}

async fn health_db(State(db): State<DatabaseConnection>) -> (StatusCode, Json<Health>) {
    let health = check(&db, CHECK_TIMEOUT).await;
    let code = if health.is_ok() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(health))
}
