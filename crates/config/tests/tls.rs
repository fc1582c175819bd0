//! Real TLS against a server that only accepts TLS, with a certificate for `localhost`
//! from a CA made for the test run.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;

use db_config::{DatabaseConfig, Env};
use sea_orm::{ConnectionTrait, Statement};
use testkit::tls_server;

fn config_for(host: &str, pairs: &[(&str, &str)]) -> DatabaseConfig {
    let server = tls_server().expect("TLS test server");
    let url = format!("postgres://postgres@{host}:{}/postgres", server.port);
    let mut env = vec![("DATABASE_URL", url.as_str()), ("DB_CONNECT_TIMEOUT", "10")];
    env.extend_from_slice(pairs);
    DatabaseConfig::resolve_with_embedded_dir(&Env::from_pairs(env, []), Path::new("/unused"))
        .expect("configuration")
}

async fn server_says_tls(config: &DatabaseConfig) -> Result<bool, String> {
    let db = config.connect().await.map_err(|e| e.to_string())?;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        ))
        .await
        .map_err(|e| e.to_string())?
        .expect("a row for this backend");
    row.try_get_by_index::<bool>(0).map_err(|e| e.to_string())
}

#[tokio::test]
async fn verify_full_with_the_ca_and_the_right_host_connects_encrypted() {
    let ca = tls_server().expect("server").ca_cert;
    let ca = ca.to_str().expect("utf-8 path");
    let config =
        config_for("localhost", &[("DB_SSL_MODE", "verify-full"), ("DB_SSL_ROOT_CERT", ca)]);
    assert_eq!(server_says_tls(&config).await, Ok(true));
}

#[tokio::test]
async fn verify_full_with_another_host_name_is_rejected() {
    let ca = tls_server().expect("server").ca_cert;
    let ca = ca.to_str().expect("utf-8 path");
    // The certificate names localhost, not 127.0.0.1.
    let config =
        config_for("127.0.0.1", &[("DB_SSL_MODE", "verify-full"), ("DB_SSL_ROOT_CERT", ca)]);
    let err = server_says_tls(&config).await.expect_err("host name mismatch");
    assert!(err.contains("could not connect"), "{err}");
}

#[tokio::test]
async fn verify_full_without_the_ca_is_rejected() {
    let config = config_for("localhost", &[("DB_SSL_MODE", "verify-full")]);
    let err = server_says_tls(&config).await.expect_err("unknown CA");
    assert!(err.contains("could not connect"), "{err}");
}

#[tokio::test]
async fn verify_ca_accepts_any_host_name_the_ca_signed_for() {
    let ca = tls_server().expect("server").ca_cert;
    let ca = ca.to_str().expect("utf-8 path");
    let config = config_for("127.0.0.1", &[("PGSSLMODE", "verify-ca"), ("PGSSLROOTCERT", ca)]);
    assert_eq!(server_says_tls(&config).await, Ok(true));
}

#[tokio::test]
async fn require_connects_encrypted_without_verifying() {
    let config = config_for("127.0.0.1", &[("DB_SSL_MODE", "require")]);
    assert_eq!(server_says_tls(&config).await, Ok(true));
}

#[tokio::test]
async fn disable_is_refused_by_the_server_with_a_clear_message() {
    let config = config_for("localhost", &[("DB_SSL_MODE", "disable")]);
    let err = server_says_tls(&config).await.expect_err("plain text refused");
    assert!(err.contains("pg_hba.conf") && err.contains("no encryption"), "{err}");
}
