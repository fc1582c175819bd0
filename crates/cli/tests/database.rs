//! `chatdb db create` / `db drop` and `migrate up --create`, as sqlx-cli and Rails users
//! expect them.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::chatdb;
use testkit::{Backend, TestDb};

/// A URL to a database of the test server that does not exist yet.
fn missing_database(server: &TestDb, name: &str) -> String {
    let base = server.url().rsplit_once('/').map(|(base, _)| base).expect("a URL with a path");
    format!("{base}/{name}")
}

#[tokio::test]
async fn create_migrate_refuse_then_drop_a_postgres_database() {
    let server = TestDb::empty(Backend::Postgres).await.expect("server");
    let url = missing_database(&server, &format!("chatdb_lifecycle_{}", std::process::id()));
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", url.as_str())];

    let created = chatdb(dir.path(), &env, &["db", "create"]);
    assert_eq!(created.code, 0, "{}", created.output());
    assert!(created.stdout.starts_with("Created postgres://"), "{}", created.stdout);
    assert!(chatdb(dir.path(), &env, &["db", "create"]).stdout.contains("already exists"));
    assert_eq!(chatdb(dir.path(), &env, &["migrate", "up"]).code, 0);

    let production = [
        ("DATABASE_URL", url.as_str()),
        ("APP_ENV", "production"),
        ("DB_SSL_MODE", "disable"),
        ("DB_ALLOW_INSECURE", "true"),
    ];
    let refused = chatdb(dir.path(), &production, &["db", "drop"]);
    assert_eq!(refused.code, 2, "{}", refused.output());
    assert!(refused.stderr.contains("drop the database"), "{}", refused.stderr);

    let dropped = chatdb(dir.path(), &env, &["--json", "db", "drop"]);
    assert_eq!(dropped.code, 0, "{}", dropped.output());
    let report: serde_json::Value = serde_json::from_str(&dropped.stdout).expect("JSON");
    assert_eq!(report["dropped"], true);
    assert!(dropped.stderr.contains("Backed up to"), "backed up first: {}", dropped.stderr);
    assert!(chatdb(dir.path(), &env, &["db", "drop"]).stdout.contains("does not exist"));
}

#[tokio::test]
async fn up_create_makes_the_database_then_migrates_it() {
    let server = TestDb::empty(Backend::Postgres).await.expect("server");
    let url = missing_database(&server, &format!("chatdb_up_create_{}", std::process::id()));
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", url.as_str())];

    let up = chatdb(dir.path(), &env, &["migrate", "up", "--create"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains("Created the database"), "{}", up.stderr);
    assert!(up.stdout.contains("4 applied, 0 pending"), "{}", up.stdout);
    assert_eq!(chatdb(dir.path(), &env, &["db", "drop", "--no-backup"]).code, 0);
}

#[test]
fn sqlite_databases_are_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("made.sqlite3");
    let url = format!("sqlite://{}", file.display());
    let env = [("DATABASE_URL", url.as_str())];

    let created = chatdb(dir.path(), &env, &["db", "create"]);
    assert_eq!(created.code, 0, "{}", created.output());
    assert!(created.stdout.starts_with("Created sqlite://"), "{}", created.stdout);
    assert!(file.is_file());
    assert!(chatdb(dir.path(), &env, &["db", "create"]).stdout.contains("already exists"));
    let dropped = chatdb(dir.path(), &env, &["db", "drop", "--no-backup"]);
    assert_eq!(dropped.code, 0, "{}", dropped.output());
    assert!(!file.exists(), "the file is gone");
}
