//! The seeder's memory and its refusals, as an operator meets them: after the migrations
//! empty the database, with two tenants, with sizes it cannot honour, two at once.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::chatdb;
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

const ADMIN_TENANT: &str = "01900000-0000-7000-8000-000000000001";
/// A V3 sample tenant whose id has the same low 64 bits as the admin tenant's.
const SAMPLE_TENANT: &str = "0193a000-0001-7000-8000-000000000001";
const SMALL: &[&str] = &[
    "--tenants",
    "1",
    "--users",
    "2",
    "--customers",
    "3",
    "--conversations",
    "4",
    "--messages",
    "10",
];

fn seed(dir: &std::path::Path, env: &[(&str, &str)], extra: &[&str]) -> Run {
    let mut args = vec!["seed"];
    args.extend_from_slice(SMALL);
    args.extend_from_slice(extra);
    chatdb(dir, env, &args)
}

async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

#[tokio::test]
async fn after_migrate_refresh_the_seeder_remembers_nothing_and_seeds_again() {
    for backend in Backend::ALL {
        let db = TestDb::migrated(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let env = [("DATABASE_URL", db.url())];
        let first = seed(dir.path(), &env, &[]);
        assert_eq!(first.code, 0, "{}", first.output());
        assert!(
            first.stderr.contains("messages: 10 rows in"),
            "a line per table off a terminal: {}",
            first.stderr
        );

        let refresh = chatdb(dir.path(), &env, &["migrate", "refresh", "--no-backup"]);
        assert_eq!(refresh.code, 0, "{}", refresh.output());
        let reset = chatdb(dir.path(), &env, &["--json", "seed", "--reset"]);
        assert_eq!(reset.code, 0, "{}", reset.output());
        let removed: serde_json::Value = serde_json::from_str(&reset.stdout).expect("JSON");
        assert_eq!(
            removed["tenants"], 0,
            "{backend:?}: nothing seeded is left to remove: {removed}"
        );

        let again = seed(dir.path(), &env, &[]);
        assert_eq!(again.code, 0, "{}", again.output());
        assert!(!again.stdout.contains("Already seeded"), "{backend:?}: {}", again.stdout);
        assert_eq!(
            count(db.url(), "SELECT count(*) FROM tenants").await,
            5,
            "admin + 3 samples + 1 seeded"
        );
    }
}

#[tokio::test]
async fn a_seeding_whose_tenants_were_deleted_counts_as_not_done() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    assert_eq!(seed(dir.path(), &env, &[]).code, 0);
    let seeded_tenants = "DELETE FROM tenants WHERE lower(hex(id)) IN \
        (SELECT replace(value, '-', '') FROM chatdb_seed_runs, json_each(created_tenants))";
    binary::execute(db.url(), seeded_tenants).await.expect("delete the seeded tenant");
    assert_eq!(
        count(db.url(), "SELECT count(*) FROM tenants").await,
        4,
        "the seeded tenant is gone"
    );

    let again = seed(dir.path(), &env, &[]);

    assert_eq!(again.code, 0, "{}", again.output());
    assert!(!again.stdout.contains("Already seeded"), "{}", again.stdout);
}

#[tokio::test]
async fn two_tenants_whose_ids_share_their_low_bits_are_two_seedings() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];

    let first = seed(dir.path(), &env, &["--tenant", ADMIN_TENANT]);
    let second = seed(dir.path(), &env, &["--tenant", SAMPLE_TENANT]);

    assert_eq!(first.code, 0, "{}", first.output());
    assert_eq!(second.code, 0, "{}", second.output());
    assert!(!second.stdout.contains("Already seeded"), "{}", second.stdout);
    let seedings = count(db.url(), "SELECT count(*) FROM chatdb_seed_runs").await;
    assert_eq!(seedings, 2);
}

#[test]
fn sizes_that_cannot_be_honoured_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "never-created.sqlite3");
    let env = [("DATABASE_URL", url.as_str())];
    for (args, flag) in [
        (&["seed", "--conversations", "0", "--messages", "10"][..], "--messages"),
        (&["seed", "--customers", "0"][..], "--conversations"),
    ] {
        let run = chatdb(dir.path(), &env, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.output());
        assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
    }
}

#[tokio::test]
async fn two_identical_seedings_at_once_seed_once() {
    for backend in Backend::ALL {
        let db = TestDb::migrated(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let env = [("DATABASE_URL", db.url())];
        let mut args = vec!["seed"];
        args.extend_from_slice(SMALL);
        let children: Vec<_> = (0..2)
            .map(|_| {
                binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &env, &args).expect("seed")
            })
            .collect();
        let runs: Vec<Run> = children.into_iter().map(binary::finish).collect();

        for run in &runs {
            assert_eq!(run.code, 0, "{backend:?}: {}", run.output());
        }
        assert_eq!(
            runs.iter().filter(|r| r.stdout.contains("Already seeded")).count(),
            1,
            "{backend:?}"
        );
        assert_eq!(count(db.url(), "SELECT count(*) FROM chatdb_seed_runs").await, 1);
    }
}

#[tokio::test]
async fn a_tenant_seeding_with_a_sub_second_anchor_is_reset_exactly() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    let customers = "SELECT count(*) FROM customers";
    let before = count(db.url(), customers).await;

    let seeded = seed(
        dir.path(),
        &env,
        &["--tenant", SAMPLE_TENANT, "--anchor", "2026-10-01T12:00:00.250Z"],
    );
    assert_eq!(seeded.code, 0, "{}", seeded.output());
    assert_eq!(count(db.url(), customers).await, before + 3);

    let reset = chatdb(dir.path(), &env, &["seed", "--reset"]);
    assert_eq!(reset.code, 0, "{}", reset.output());
    assert_eq!(count(db.url(), customers).await, before, "the seeded customers are gone");
}

#[tokio::test]
async fn reset_keeps_a_ledger_it_cannot_read() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    assert_eq!(seed(dir.path(), &env, &[]).code, 0);
    binary::execute(db.url(), "UPDATE chatdb_seed_runs SET created_tenants = 'not json'")
        .await
        .expect("corrupt");

    let reset = chatdb(dir.path(), &env, &["seed", "--reset"]);

    assert_ne!(reset.code, 0, "{}", reset.output());
    assert!(reset.stderr.contains("created_tenants"), "{}", reset.stderr);
    assert_eq!(
        count(db.url(), "SELECT count(*) FROM chatdb_seed_runs").await,
        1,
        "the ledger is intact"
    );
}

/// Overlap made certain: both seedings are started while a test holds the seeders' lock and
/// are seen waiting for it, so the second finds the work done under the lock (re-checked
/// there), not by the early look at the ledger.
#[tokio::test]
async fn two_seedings_that_wait_on_the_lock_together_seed_once() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    let mut args = vec!["seed"];
    args.extend_from_slice(SMALL);
    let conn = sea_orm::Database::connect(db.url()).await.expect("connect");
    let holder = conn.begin().await.expect("begin");
    let lock = format!("SELECT pg_advisory_xact_lock({})", migration::locks::SEEDERS);
    holder.execute_unprepared(&lock).await.expect("take the seeders' lock");

    let limit = std::time::Duration::from_secs(60);
    let mut children: Vec<_> = (0..2)
        .map(|_| {
            binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &env, &args).expect("seed")
        })
        .collect();
    let waiting = binary::say_within(&mut children, "Waiting for another seeding", 2, limit);
    assert_eq!(waiting, 2, "both wait for the lock");
    holder.rollback().await.expect("release");
    let runs: Vec<Run> = children.into_iter().map(|c| binary::finish_within(c, limit)).collect();

    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.output());
    }
    assert_eq!(runs.iter().filter(|r| r.stdout.contains("Already seeded")).count(), 1);
    assert_eq!(count(db.url(), "SELECT count(*) FROM chatdb_seed_runs").await, 1);
}

#[tokio::test]
async fn seeding_a_file_opened_read_only_is_refused_and_says_why() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let read_only = db.url().replace("mode=rwc", "mode=ro");
    assert!(read_only.ends_with("?mode=ro"), "{read_only}");
    let env = [("DATABASE_URL", read_only.as_str())];

    for args in [&[][..], &["--reset"][..]] {
        let run = seed(dir.path(), &env, args);

        assert_eq!(run.code, 2, "{args:?}: {}", run.output());
        assert!(run.stderr.contains("has mode=ro"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("from the URL in DATABASE_URL"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(count(db.url(), "SELECT count(*) FROM tenants").await, 4, "nothing written");
}
