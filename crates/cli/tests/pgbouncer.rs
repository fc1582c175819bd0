//! Everything through a transaction-pooling PgBouncer, as hosted PostgreSQL offers it:
//! concurrent migrators, `check`, `health serve` and `seed`, with `?pgbouncer=true`.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::{Server, chatdb};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb, pgbouncer_url};

fn through_pgbouncer(db: &TestDb) -> String {
    format!("{}?pgbouncer=true", pgbouncer_url(db.url()).expect("PgBouncer"))
}

/// Six migrators through the pooler while the migrators' lock is held: at least as many
/// as PgBouncer has server connections (3) are seen waiting inside their transactions at
/// once before it is released, so they certainly overlap.
#[tokio::test]
async fn six_migrators_at_once_through_pgbouncer_apply_each_migration_once() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let url = through_pgbouncer(&db);
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", url.as_str())];
    let conn = sea_orm::Database::connect(db.url()).await.expect("connect");
    let holder = conn.begin().await.expect("begin");
    let lock = format!("SELECT pg_advisory_xact_lock({})", migration::locks::MIGRATORS);
    holder.execute_unprepared(&lock).await.expect("take the migrators' lock");

    let mut children: Vec<_> = (0..6)
        .map(|_| {
            binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &env, &["migrate", "up"])
                .expect("start a migrator")
        })
        .collect();
    let limit = std::time::Duration::from_secs(60);
    let waiting = binary::say_within(&mut children, "Waiting for another migrator", 3, limit);
    holder.rollback().await.expect("release");
    let runs: Vec<Run> = children.into_iter().map(|c| binary::finish_within(c, limit)).collect();

    assert_eq!(waiting, 3, "three migrators waited at once");

    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.output());
    }
    let head = migration::Migrator::names().len();
    let applied: usize = runs.iter().map(|r| r.stdout.matches("Applied m20").count()).sum();
    assert_eq!(applied, head, "each migration applied once");
    let count: i64 =
        binary::scalar(db.url(), "SELECT count(*) FROM seaql_migrations").await.expect("count");
    assert_eq!(count, head as i64);
}

#[tokio::test]
async fn check_health_and_seed_work_through_pgbouncer() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let url = through_pgbouncer(&db);
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", url.as_str()), ("DB_STATEMENT_TIMEOUT", "30")];

    let config = chatdb(dir.path(), &env, &["config"]);
    assert!(
        config.stdout.contains("pgbouncer = true (from the URL in DATABASE_URL)"),
        "{}",
        config.stdout
    );

    let checks: Vec<_> = (0..4)
        .map(|_| {
            binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &env, &["check"])
                .expect("check")
        })
        .collect();
    for run in checks.into_iter().map(binary::finish) {
        assert_eq!(run.code, 0, "{}", run.output());
        assert!(run.stdout.contains("4 applied, none pending"), "{}", run.stdout);
    }

    let server = Server::start(&env);
    for _ in 0..5 {
        let response = server.get("/health/db");
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }

    let count_messages = "SELECT count(*) FROM messages";
    let before: i64 = binary::scalar(db.url(), count_messages).await.expect("count");
    let seed = chatdb(dir.path(), &env, &["seed", "--tenants", "2", "--messages", "300"]);
    assert_eq!(seed.code, 0, "{}", seed.output());
    let again = chatdb(dir.path(), &env, &["seed", "--tenants", "2", "--messages", "300"]);
    assert!(again.stdout.contains("Already seeded"), "{}", again.output());
    let messages: i64 = binary::scalar(db.url(), count_messages).await.expect("count");
    assert_eq!(messages, before + 300, "exactly the seeded messages, once");
}

#[tokio::test]
async fn database_lifecycle_and_backups_work_through_pgbouncer() {
    let server = TestDb::empty(Backend::Postgres).await.expect("server");
    let base = pgbouncer_url(server.url()).expect("PgBouncer");
    let base = base.rsplit_once('/').map(|(b, _)| b.to_owned()).expect("a URL with a path");
    let url = format!("{base}/chatdb_bouncer_{}?pgbouncer=true", std::process::id());
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", url.as_str())];

    let name = url.rsplit('/').next().and_then(|n| n.split('?').next()).expect("a name");
    let exists = format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'");
    let databases = || async { binary::scalar::<i64>(server.url(), &exists).await.expect("count") };
    let outputs: Vec<(&[&str], String)> =
        [&["migrate", "up", "--create"][..], &["migrate", "status"], &["tenants"], &["backup"]]
            .into_iter()
            .map(|args| {
                let run = chatdb(dir.path(), &env, args);
                assert_eq!(run.code, 0, "{args:?}: {}", run.output());
                (args, run.stdout)
            })
            .collect();
    assert_eq!(databases().await, 1, "created");
    assert!(outputs[1].1.contains("4 applied, 0 pending"), "{}", outputs[1].1);
    assert!(outputs[2].1.contains("Platform administration"), "{}", outputs[2].1);
    assert!(outputs[3].1.contains("Backed up to"), "{}", outputs[3].1);

    let dropped = chatdb(dir.path(), &env, &["db", "drop"]);
    assert_eq!(dropped.code, 0, "{}", dropped.output());
    assert!(dropped.stdout.starts_with("Dropped"), "{}", dropped.stdout);
    assert_eq!(databases().await, 0, "gone");
}

#[tokio::test]
async fn without_the_pooler_setting_the_failure_names_it() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let plain = testkit::pgbouncer_url(db.url()).expect("PgBouncer");
    let dir = tempfile::tempdir().expect("tempdir");

    // Each run leaves its named prepared statements on the server connection the next
    // run is given, until one collides.
    let failed = (0..10)
        .map(|_| chatdb(dir.path(), &[("DATABASE_URL", &plain)], &["check"]))
        .find(|run| run.code != 0)
        .expect("a run without DB_PGBOUNCER collides with an earlier client's statements");

    assert_eq!(failed.code, 1, "{}", failed.output());
    assert!(failed.stderr.contains("prepared statement"), "{}", failed.stderr);
    assert!(
        failed.stderr.contains("DB_PGBOUNCER=true") && failed.stderr.contains("?pgbouncer=true"),
        "names the setting: {}",
        failed.stderr
    );
}
