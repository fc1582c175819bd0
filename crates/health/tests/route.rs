//! `GET /health/db` as a load balancer sees it.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use db_config::{DatabaseConfig, Env};
use http_body_util::BodyExt;
use testkit::{Backend, TestDb};
use tower::ServiceExt;

async fn get_health(db: sea_orm::DatabaseConnection) -> (StatusCode, serde_json::Value) {
    let request = Request::get("/health/db").body(Body::empty()).expect("request");
    let response = health::router(db).oneshot(request).await.expect("response");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice(&body).expect("JSON body"))
}

#[tokio::test]
async fn a_reachable_database_is_200_ok_and_connected() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");

    let (status, body) = get_health(db.conn().clone()).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "connected");
    assert!(body["latency_ms"].is_number());
}

/// A careless implementation would echo the driver's text, which names the database
/// (`database "…" does not exist`): the answer must carry none of the connection details.
#[tokio::test]
async fn a_refused_connection_is_503_and_echoes_nothing_of_the_driver() {
    let server = testkit::TestDb::empty(testkit::Backend::Postgres).await.expect("server");
    let address =
        server.url().split('@').nth(1).and_then(|rest| rest.split('/').next()).expect("host:port");
    let (secret, database) = ("Hunter2-distinctive-secret", "no_such_db_distinctive_name");
    let url = format!("postgres://postgres:{secret}@{address}/{database}");
    let env = Env::from_pairs([("DATABASE_URL", url.as_str())], []);
    let config = DatabaseConfig::resolve(&env).expect("configuration");
    let db = config.connect_lazy().expect("lazy pool");

    let (status, body) = get_health(db).await;

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let text = body.to_string();
    for detail in [secret, database, "does not exist"] {
        assert!(!text.contains(detail), "the answer echoes {detail:?}: {text}");
    }
    assert_eq!(body["error"], "the database refused or dropped the query");
}

#[tokio::test]
async fn an_unreachable_database_is_503_without_secrets() {
    let secret = "Hunter2-distinctive-secret";
    let url = format!("postgres://app:{secret}@127.0.0.1:1/chatdb");
    let env = Env::from_pairs([("DATABASE_URL", url.as_str()), ("DB_POOL_TIMEOUT", "60")], []);
    let config = DatabaseConfig::resolve(&env).expect("configuration");
    let db = config.connect_lazy().expect("lazy pool");

    let (status, body) = get_health(db).await;

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "error");
    assert_eq!(body["database"], "disconnected");
    assert!(body["error"].is_string());
    assert!(!body.to_string().contains(secret));
}
