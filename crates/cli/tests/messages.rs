//! The messages an operator sees when something is off: each names the input and the fix,
//! and none carries a secret.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::chatdb;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use testkit::binary;
use testkit::{Backend, TestDb};

const SECRET: &str = "Qv7-distinctive-Secret";

#[test]
fn a_refused_connection_is_called_that() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("postgres://app:{SECRET}@127.0.0.1:1/chatdb");
    let run = chatdb(dir.path(), &[("DATABASE_URL", url.as_str())], &["check"]);

    assert_eq!(run.code, 1, "{}", run.output());
    assert!(
        run.stderr.contains("nothing listens on 127.0.0.1:1 (connection refused)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("DATABASE_URL"), "{}", run.stderr);
    assert!(!run.output().contains(SECRET));
}

#[test]
fn an_sqlite_path_that_is_a_directory_is_called_that() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().display());
    let run = chatdb(dir.path(), &[("DATABASE_URL", url.as_str())], &["migrate", "status"]);

    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("is a directory; name a file in it"), "{}", run.stderr);
    assert!(run.stderr.contains("DATABASE_URL"), "{}", run.stderr);
}

#[test]
fn config_says_why_a_database_name_was_chosen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = chatdb(dir.path(), &[("DATABASE_URL", "postgres://app@db.example")], &["config"]);

    assert!(
        run.stdout.contains(
            "database = postgres (default: neither the URL nor a database variable names one)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn health_serve_binds_a_host_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "health.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatdb"))
        .args(["health", "serve", "--bind", "localhost:0"])
        .env_clear()
        .env("DATABASE_URL", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let _ = child.kill();
    let _ = child.wait();

    assert!(line.starts_with("Listening on http://"), "{line:?}");
}

#[tokio::test]
async fn a_role_without_create_on_public_is_told_which_grant_it_needs() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let role = format!("app_{}", std::process::id());
    binary::execute(db.url(), &format!("CREATE ROLE {role} LOGIN")).await.expect("role");
    let as_role = db.url().replacen("postgres@", &format!("{role}@"), 1);
    let dir = tempfile::tempdir().expect("tempdir");

    let run = binary::run(
        env!("CARGO_BIN_EXE_chatdb"),
        dir.path(),
        &[("DATABASE_URL", &as_role)],
        &["migrate", "up"],
    );

    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stderr.contains("permission denied for schema public"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("GRANT CREATE ON SCHEMA public TO {role}")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("creating the migration tables"),
        "says what it was doing: {}",
        run.stderr
    );
    assert!(!run.stderr.contains(" at line "), "no server source positions: {}", run.stderr);
    binary::execute(db.url(), &format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .await
        .expect("drop role");
}

#[tokio::test]
async fn a_statement_timeout_points_at_its_variable() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    let seeded = chatdb(
        dir.path(),
        &env,
        &[
            "seed",
            "--tenants",
            "1",
            "--users",
            "2",
            "--customers",
            "2",
            "--conversations",
            "2",
            "--messages",
            "4",
        ],
    );
    assert_eq!(seeded.code, 0, "{}", seeded.output());
    let conn = Database::connect(db.url()).await.expect("connect");
    let blocker = conn.begin().await.expect("begin");
    blocker.execute_unprepared("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE").await.expect("lock");

    let run = chatdb(
        dir.path(),
        &[("DATABASE_URL", db.url()), ("DB_STATEMENT_TIMEOUT", "1")],
        &["seed", "--reset"],
    );
    blocker.rollback().await.expect("release");

    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stderr.contains("statement timeout"), "{}", run.stderr);
    assert!(run.stderr.contains("raise or unset DB_STATEMENT_TIMEOUT"), "{}", run.stderr);
}
