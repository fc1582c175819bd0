//! Several migrators at once, a migrator that waits for a lock, and one killed while it
//! waits: each migration is applied exactly once and a killed run leaves nothing half done.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, TransactionTrait};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

const MIGRATIONS: usize = 4;

/// Every run here waits on a lock: a regression fails within this, not never.
const LOCK_TEST_LIMIT: Duration = Duration::from_secs(60);

fn migration(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    binary::run_within(LOCK_TEST_LIMIT, env!("CARGO_BIN_EXE_migration"), dir, env, args)
}

fn spawn(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Child {
    binary::spawn(env!("CARGO_BIN_EXE_migration"), dir, env, args).expect("start a migrator")
}

async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

/// Runs `n` `up`s at once (after `first` alone) and checks that all succeed and each
/// migration ran once.
async fn concurrent_ups(db: &TestDb, n: usize, first: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    let already = match first {
        Some(version) => {
            assert_eq!(migration(dir.path(), &env, &["up", "--to", version]).code, 0);
            1
        }
        None => 0,
    };
    let children: Vec<Child> = (0..n).map(|_| spawn(dir.path(), &env, &["up"])).collect();
    let runs: Vec<Run> =
        children.into_iter().map(|c| binary::finish_within(c, LOCK_TEST_LIMIT)).collect();

    for run in &runs {
        assert_eq!(run.code, 0, "{:?}: {}", db.backend(), run.output());
    }
    let applied: usize = runs.iter().map(|r| r.stdout.matches("Applied m20").count()).sum();
    assert_eq!(applied, MIGRATIONS - already, "each migration applied by exactly one migrator");
    assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, MIGRATIONS as i64);
    assert_eq!(count(db.url(), "SELECT count(*) FROM tenants").await, 4, "admin + 3 samples once");
}

#[tokio::test]
async fn six_migrators_at_once_on_postgres_apply_each_migration_once() {
    concurrent_ups(&TestDb::empty(Backend::Postgres).await.expect("database"), 6, None).await;
}

#[tokio::test]
async fn three_migrators_at_once_on_sqlite_wait_for_each_other() {
    concurrent_ups(&TestDb::empty(Backend::Sqlite).await.expect("database"), 3, None).await;
    // With the history table in place, only a write lock taken at BEGIN keeps a second
    // migrator from reading a history that the first is about to change.
    let at_v1 = TestDb::empty(Backend::Sqlite).await.expect("database");
    concurrent_ups(&at_v1, 3, Some("m20240101_000001_core_schema")).await;
}

/// Holds the migration lock (PostgreSQL) or the write lock (SQLite) until dropped.
async fn hold_the_lock(db: &TestDb) -> (DatabaseConnection, sea_orm::DatabaseTransaction) {
    let conn = Database::connect(db.url()).await.expect("connect");
    if db.backend() == Backend::Sqlite {
        // As another migrator of ours would have left the file.
        conn.execute_unprepared("PRAGMA journal_mode = WAL").await.expect("WAL");
    }
    let txn = conn.begin().await.expect("begin");
    let sql = match db.backend() {
        Backend::Postgres => {
            format!("SELECT pg_advisory_xact_lock({})", migration::locks::MIGRATORS)
        }
        Backend::Sqlite => "CREATE TABLE held_by_a_test (x INTEGER)".to_owned(),
    };
    txn.execute_unprepared(&sql).await.expect("take the lock");
    (conn, txn)
}

#[tokio::test]
async fn a_migrator_says_it_waits_and_gives_up_after_the_lock_timeout() {
    for backend in Backend::ALL {
        let db = TestDb::empty(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let env = [("DATABASE_URL", db.url())];
        assert_eq!(migration(dir.path(), &env, &["up", "-n", "1"]).code, 0);
        let (_conn, _held) = hold_the_lock(&db).await;

        let run = migration(dir.path(), &env, &["up", "--lock-timeout", "1"]);

        assert_eq!(run.code, 1, "{backend:?}: {}", run.output());
        assert!(run.stderr.contains("Waiting for another migrator"), "{backend:?}: {}", run.stderr);
        // The lock timeout's own error, not a database error on the way.
        assert!(
            run.stderr.contains("another migrator held the migration lock for more than 1s")
                && run.stderr.contains("nothing was changed"),
            "{backend:?}: {}",
            run.stderr
        );
        assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, 1);
    }
}

#[tokio::test]
async fn a_waiting_migrator_goes_on_when_the_other_finishes() {
    for backend in Backend::ALL {
        let db = TestDb::empty(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let env = [("DATABASE_URL", db.url())];
        let (conn, held) = hold_the_lock(&db).await;
        let mut child = spawn(dir.path(), &env, &["up", "--lock-timeout", "30"]);
        let waiting =
            binary::said_within(&mut child, "Waiting for another migrator", LOCK_TEST_LIMIT);
        held.rollback().await.expect("release the lock");
        let run = binary::finish_within(child, LOCK_TEST_LIMIT);

        assert!(waiting, "{backend:?}: it said it waits: {}", run.output());
        assert_eq!(run.code, 0, "{backend:?}: {}", run.output());
        let applied = count(db.url(), "SELECT count(*) FROM seaql_migrations").await;
        assert_eq!(applied, MIGRATIONS as i64, "{backend:?}");
        drop(conn);
    }
}

/// A migration blocked on a table for longer than the application's statement timeout:
/// the timeout is the application's, the migration's transaction has none of its own.
#[tokio::test]
async fn the_statement_timeout_never_cuts_a_migration_that_waits_for_a_table() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url()), ("DB_STATEMENT_TIMEOUT", "1")];
    let v1 = migration(dir.path(), &env, &["up", "--to", "m20240101_000001_core_schema"]);
    assert_eq!(v1.code, 0, "{}", v1.output());
    let (conn, blocker) = lock_customers(&db).await;

    let child = spawn(dir.path(), &env, &["up", "--lock-timeout", "30"]);
    let blocked = binary::until_waiting_on_a_lock(db.url(), LOCK_TEST_LIMIT).await;
    // Held past the statement timeout (1 s), so that a statement timeout would have fired.
    tokio::time::sleep(Duration::from_secs(2)).await;
    blocker.rollback().await.expect("release the table");
    let run = binary::finish_within(child, LOCK_TEST_LIMIT);

    assert!(blocked.expect("pg_stat_activity"), "V2 waited for customers: {}", run.output());
    assert_eq!(run.code, 0, "{}", run.output());
    assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, MIGRATIONS as i64);
    drop(conn);
}

#[tokio::test]
async fn a_migrator_killed_while_blocked_inside_v2_leaves_v1_and_the_next_up_finishes() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    assert_eq!(
        migration(dir.path(), &env, &["up", "--to", "m20240101_000001_core_schema"]).code,
        0
    );
    let (_conn, blocker) = lock_customers(&db).await;

    let mut child = spawn(dir.path(), &env, &["up"]);
    let blocked = binary::until_waiting_on_a_lock(db.url(), LOCK_TEST_LIMIT).await;
    assert!(blocked.expect("pg_stat_activity"), "the migrator never blocked on customers");
    child.kill().expect("kill -9");
    let killed = binary::finish_within(child, LOCK_TEST_LIMIT);
    blocker.rollback().await.expect("release the table");

    assert_ne!(killed.code, 0);
    let next = migration(dir.path(), &env, &["up"]);
    assert_eq!(next.code, 0, "{}", next.output());
    assert!(
        next.stdout.contains("Applied m20240201_000001_support_tables"),
        "V2 was not half done: {}",
        next.stdout
    );
    assert!(next.stdout.contains("4 applied, 0 pending"), "{}", next.stdout);
}

#[tokio::test]
async fn a_migrator_killed_while_waiting_on_sqlite_leaves_v1_and_the_next_up_finishes() {
    let db = TestDb::empty(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    assert_eq!(
        migration(dir.path(), &env, &["up", "--to", "m20240101_000001_core_schema"]).code,
        0
    );
    let (conn, held) = hold_the_lock(&db).await;

    let mut child = spawn(dir.path(), &env, &["up"]);
    let waiting = binary::said_within(&mut child, "Waiting for another migrator", LOCK_TEST_LIMIT);
    child.kill().expect("kill -9");
    binary::finish_within(child, LOCK_TEST_LIMIT);
    assert!(waiting, "killed while it waited for the write lock, not before or after");
    held.rollback().await.expect("release");
    drop(conn);

    assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, 1, "still at V1");
    let next = migration(dir.path(), &env, &["up"]);
    assert_eq!(next.code, 0, "{}", next.output());
    assert!(next.stdout.contains("4 applied, 0 pending"), "{}", next.stdout);
}

/// An application migrating at start-up from two tasks (or replicas) at once, through the
/// library: each migration applied by one of them, the environment recorded.
#[tokio::test]
async fn two_tasks_migrating_through_the_library_at_once_apply_each_migration_once() {
    for backend in Backend::ALL {
        let db = TestDb::empty(backend).await.expect("database");
        let env = db_config::Env::from_pairs(
            [
                ("DATABASE_URL", db.url()),
                ("APP_ENV", "staging"),
                ("DB_SSL_MODE", "disable"),
                ("DB_ALLOW_INSECURE", "true"),
                ("ADMIN_PASSWORD", "a-long-enough-password"),
            ],
            [],
        );
        let config = db_config::DatabaseConfig::resolve(&env).expect("configuration");

        let (first, second) = tokio::join!(migration::up(&config), migration::up(&config));

        let applied = first.expect("first task").len() + second.expect("second task").len();
        assert_eq!(applied, MIGRATIONS, "{backend:?}: each migration applied once");
        assert_eq!(
            count(db.url(), "SELECT count(*) FROM seaql_migrations").await,
            MIGRATIONS as i64
        );
        let stored: String =
            binary::scalar(db.url(), "SELECT value FROM chatdb_metadata WHERE key = 'environment'")
                .await
                .expect("metadata");
        assert_eq!(stored, "staging", "{backend:?}: the guards know the database is staging");
        let again = migration::up(&config).await.expect("nothing left");
        assert!(again.is_empty());
    }
}

/// A table the application holds locked fails the migration after `--lock-timeout` with
/// PostgreSQL's lock timeout, explained, instead of queueing everyone behind it.
#[tokio::test]
async fn a_table_locked_by_the_application_fails_the_migration_with_the_reason() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    let v1 = migration(dir.path(), &env, &["up", "--to", "m20240101_000001_core_schema"]);
    assert_eq!(v1.code, 0, "{}", v1.output());
    let (_conn, blocker) = lock_customers(&db).await;

    let run = migration(dir.path(), &env, &["up", "--lock-timeout", "1"]);
    blocker.rollback().await.expect("release");

    assert_eq!(run.code, 1, "{}", run.output());
    assert!(
        run.stderr.contains("m20240201_000001_support_tables failed and was rolled back"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("stays locked by another session"), "explained: {}", run.stderr);
    assert_eq!(count(db.url(), "SELECT count(*) FROM seaql_migrations").await, 1, "still at V1");
}

/// A session of its own holding `customers` in ACCESS EXCLUSIVE mode, as an application
/// might, until the transaction is rolled back.
async fn lock_customers(db: &TestDb) -> (DatabaseConnection, sea_orm::DatabaseTransaction) {
    let conn = Database::connect(db.url()).await.expect("connect");
    let blocker = conn.begin().await.expect("begin");
    blocker
        .execute_unprepared("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE")
        .await
        .expect("lock");
    (conn, blocker)
}

/// Run by [`two_processes_migrating_through_the_library_at_once_apply_each_migration_once`]
/// in child processes of this test binary: an application's start-up, `migration::up` on
/// the database the environment names.
#[tokio::test]
#[ignore = "a child process of the two-process test, not a test of its own"]
async fn child_migrates_at_start_up() {
    let Ok(url) = std::env::var("CHILD_DATABASE_URL") else { return };
    let env = db_config::Env::from_pairs([("DATABASE_URL", url.as_str()), ("APP_ENV", "test")], []);
    let config = db_config::DatabaseConfig::resolve(&env).expect("configuration");
    let applied = migration::up(&config).await.expect("up");
    println!("applied {}", applied.len());
}

#[tokio::test]
async fn two_processes_migrating_through_the_library_at_once_apply_each_migration_once() {
    for backend in Backend::ALL {
        let db = TestDb::empty(backend).await.expect("database");
        let start = || {
            std::process::Command::new(std::env::current_exe().expect("this test binary"))
                .args(["--ignored", "--exact", "child_migrates_at_start_up", "--nocapture"])
                .env("CHILD_DATABASE_URL", db.url())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start a child")
        };
        let children = [start(), start()];
        let mut applied = 0;
        for child in children {
            let out = child.wait_with_output().expect("child");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{backend:?}: {stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            applied += stdout
                .lines()
                .find_map(|l| l.strip_prefix("applied "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .expect("the child's count");
        }
        assert_eq!(applied, MIGRATIONS, "{backend:?}: each migration applied by one of them");
        let sql = "SELECT value FROM chatdb_metadata WHERE key = 'environment'";
        let stored: String = binary::scalar(db.url(), sql).await.expect("metadata");
        assert_eq!(stored, "test");
    }
}
