//! A migration that runs outside a transaction (`CREATE INDEX CONCURRENTLY`), appended
//! after the workspace's own as the next release's would be: applied once by migrators
//! racing through PgBouncer with `DATABASE_DIRECT_URL`, refused through PgBouncer without
//! it, and killed half way: the rerun names the INVALID index it left.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::time::Duration;

use migration::runner::{Direction, Goal, Runner};
use migration::{MigrateError, Migrator};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use testkit::binary;
use testkit::{Backend, TestDb};

const INDEX: &str = "idx_messages_created_at_fixture";

/// The next release's migration: an index built without blocking writes.
#[derive(DeriveMigrationName)]
struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(false)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql =
            format!("CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON messages (created_at)");
        manager.get_connection().execute_unprepared(&sql).await.map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = format!("DROP INDEX CONCURRENTLY IF EXISTS {INDEX}");
        manager.get_connection().execute_unprepared(&sql).await.map(drop)
    }
}

fn with_the_fixture() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(Migration)]
}

fn config(pairs: &[(&str, &str)]) -> db_config::DatabaseConfig {
    let mut pairs = pairs.to_vec();
    pairs.push(("APP_ENV", "test"));
    db_config::DatabaseConfig::resolve(&db_config::Env::from_pairs(pairs, [])).expect("config")
}

/// `up` of the workspace's migrations and the fixture, as `migration::up` would run it.
async fn up(config: &db_config::DatabaseConfig) -> Result<Vec<String>, MigrateError> {
    let config = config.for_migrations();
    let db = config.connect_single().await?;
    let migrator = Migrator::with_appended(config.migrations.clone(), with_the_fixture);
    let runner = Runner::with_migrator(&db, &config, migrator);
    let steps = runner.run(Direction::Up, &Goal::All, false, &mut |_| {}).await?;
    Ok(steps.into_iter().map(|s| s.migration).collect())
}

async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

fn index_is(valid: bool) -> String {
    format!(
        "SELECT count(*) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid \
         WHERE c.relname = '{INDEX}' AND x.indisvalid = {valid}"
    )
}

#[tokio::test]
async fn migrators_racing_through_pgbouncer_with_a_direct_url_build_the_index_once() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let pooled = format!("{}?pgbouncer=true", testkit::pgbouncer_url(db.url()).expect("PgBouncer"));
    let config = config(&[("DATABASE_URL", &pooled), ("DATABASE_DIRECT_URL", db.url())]);
    assert!(
        config
            .explain()
            .iter()
            .any(|l| l.starts_with("migrations = ") && l.contains("DATABASE_DIRECT_URL"))
    );

    let (a, b, c) = tokio::join!(up(&config), up(&config), up(&config));
    let applied: Vec<String> = [a, b, c].into_iter().flat_map(|run| run.expect("up")).collect();

    assert_eq!(applied.len(), 1, "applied once: {applied:?}");
    assert_eq!(count(db.url(), &index_is(true)).await, 1);
    let recorded = "SELECT count(*) FROM seaql_migrations WHERE version = 'outside_transaction'";
    assert_eq!(count(db.url(), recorded).await, 1);
}

#[tokio::test]
async fn through_pgbouncer_without_a_direct_url_it_is_refused_naming_the_variable() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let pooled = format!("{}?pgbouncer=true", testkit::pgbouncer_url(db.url()).expect("PgBouncer"));

    let refused = up(&config(&[("DATABASE_URL", &pooled)])).await.expect_err("refused");

    assert!(matches!(refused, MigrateError::NeedsSession { .. }), "{refused}");
    assert!(refused.to_string().contains("DATABASE_DIRECT_URL"), "{refused}");
    assert_eq!(refused.exit_code(), 2);
    assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, 4);
    assert_eq!(count(db.url(), &index_is(true)).await + count(db.url(), &index_is(false)).await, 0);
}

/// Run by the kill test in a child process: `up` with the fixture on `CHILD_DATABASE_URL`.
#[tokio::test]
#[ignore = "a child process of the kill test, not a test of its own"]
async fn child_builds_the_index() {
    let Ok(url) = std::env::var("CHILD_DATABASE_URL") else { return };
    up(&config(&[("DATABASE_URL", &url)])).await.expect("up");
}

#[tokio::test]
async fn killed_while_building_the_index_the_rerun_names_the_invalid_index_left_behind() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    // A writer in the middle of a transaction on messages: CREATE INDEX CONCURRENTLY has
    // recorded its (not yet valid) index and waits for this transaction to end.
    let writer_conn = sea_orm::Database::connect(db.url()).await.expect("connect");
    let writer = sea_orm::TransactionTrait::begin(&writer_conn).await.expect("begin");
    writer.execute_unprepared("UPDATE messages SET is_read = is_read").await.expect("write");
    let mut child = std::process::Command::new(std::env::current_exe().expect("this test"))
        .args(["--ignored", "--exact", "child_builds_the_index"])
        .env("CHILD_DATABASE_URL", db.url())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the child");
    let waiting = binary::until_waiting_on_a_lock(db.url(), Duration::from_secs(60)).await;
    child.kill().expect("kill -9");
    let _ = child.wait();
    // The server notices the dead client (client_connection_check_interval) and stops.
    let ours = "SELECT count(*) FROM pg_stat_activity \
                WHERE application_name = 'chatdb' AND datname = current_database()";
    for _ in 0..300 {
        if count(db.url(), ours).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(db.url(), ours).await, 0, "the killed migrator's session ended");
    writer.rollback().await.expect("the writer ends");
    assert!(waiting.expect("pg_stat_activity"), "the index build waited for the writer");
    assert_eq!(count(db.url(), &index_is(false)).await, 1, "an INVALID index is left");

    let rerun = up(&config(&[("DATABASE_URL", db.url())])).await.expect_err("refused");
    let said = rerun.to_string();
    assert!(matches!(rerun, MigrateError::InvalidIndexes { .. }), "{said}");
    assert!(said.contains(INDEX) && said.contains("DROP INDEX CONCURRENTLY"), "{said}");
    assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, 4, "not recorded");

    binary::execute(db.url(), &format!("DROP INDEX CONCURRENTLY {INDEX}")).await.expect("drop");
    let applied = up(&config(&[("DATABASE_URL", db.url())])).await.expect("up");
    assert_eq!(applied.len(), 1);
    assert_eq!(count(db.url(), &index_is(true)).await, 1);
}
