//! The seeder's two ways of writing, as an operator meets them: a fresh database is loaded
//! in bulk and ends with every index, key and trigger back; a database that already holds
//! more than the seeding writes keeps the indexed path; a seeding killed while loading or
//! while building leaves the database exactly as it was.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use std::time::Duration;

use common::chatdb;
use common::copying::{assert_same_content, content};
use testkit::binary;
use testkit::{Backend, TestDb};

/// `seed` of two tenants, 100 conversations and `messages` messages.
fn seeding(messages: &'static str) -> [&'static str; 7] {
    ["seed", "--tenants", "2", "--conversations", "100", "--messages", messages]
}

/// `chatdb --json seed ARGS`, successful; its `load_path`.
fn seeded_by(dir: &std::path::Path, url: &str, args: &[&str]) -> String {
    let mut all = vec!["--json", "seed"];
    all.extend_from_slice(args);
    let run = chatdb(dir, &[("DATABASE_URL", url)], &all);
    assert_eq!(run.code, 0, "{}", run.output());
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON summary");
    summary["load_path"].as_str().expect("load_path").to_owned()
}

fn schema_dump(dir: &std::path::Path, url: &str) -> String {
    let run = chatdb(dir, &[("DATABASE_URL", url)], &["migrate", "schema", "dump"]);
    assert_eq!(run.code, 0, "{}", run.output());
    run.stdout
}

#[tokio::test]
async fn a_fresh_database_is_seeded_in_bulk_and_validates_clean_and_a_fuller_one_stays_indexed() {
    for backend in Backend::ALL {
        let db = TestDb::migrated(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let schema = schema_dump(dir.path(), db.url());

        let run = chatdb(dir.path(), &[("DATABASE_URL", db.url())], &["seed"]);
        assert_eq!(run.code, 0, "{}", run.output());
        assert!(run.stderr.contains("Loading in bulk"), "{backend:?}: {}", run.stderr);
        let rebuilt = match backend {
            Backend::Postgres => "Building keys, indexes and foreign keys",
            Backend::Sqlite => "Building indexes",
        };
        assert!(run.stderr.contains(rebuilt), "{backend:?}: {}", run.stderr);
        assert!(run.stdout.contains("loaded in bulk"), "{backend:?}: {}", run.stdout);
        let validate = chatdb(dir.path(), &[("DATABASE_URL", db.url())], &["migrate", "validate"]);
        assert_eq!(validate.code, 0, "{backend:?}: everything back: {}", validate.output());
        assert_eq!(schema, schema_dump(dir.path(), db.url()), "{backend:?}: the same schema");

        // The database now holds ~1,500 rows: a seeding of ~200 goes through the indexes.
        let small = ["--seed", "9", "--tenants", "1", "--conversations", "4", "--messages", "150"];
        assert_eq!(seeded_by(dir.path(), db.url(), &small), "indexed", "{backend:?}");
        let validate = chatdb(dir.path(), &[("DATABASE_URL", db.url())], &["migrate", "validate"]);
        assert_eq!(validate.code, 0, "{backend:?}: {}", validate.output());
    }
}

/// Starts a seeding whose messages take a moment, kills it (SIGKILL) once it says `when`,
/// and checks that it was still running.
fn kill_seeding_when(dir: &std::path::Path, url: &str, when: &str) {
    let args = seeding("30000");
    let mut child =
        binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir, &[("DATABASE_URL", url)], &args)
            .expect("start");
    let said = binary::said_within(&mut child, when, Duration::from_secs(120));
    let running = matches!(child.try_wait(), Ok(None));
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(said && running, "killed at {when:?} (said it: {said}, running: {running})");
}

#[tokio::test]
async fn a_seeding_killed_while_loading_or_building_leaves_the_database_as_it_was() {
    for backend in Backend::ALL {
        for when in ["conversations: ", "Building "] {
            let db = TestDb::migrated(backend).await.expect("database");
            let dir = tempfile::tempdir().expect("tempdir");
            let (rows, schema) = (content(db.conn()).await, schema_dump(dir.path(), db.url()));

            kill_seeding_when(dir.path(), db.url(), when);
            if backend == Backend::Postgres {
                // The server notices the dead client and rolls its transaction back.
                let ours = "SELECT count(*) FROM pg_stat_activity \
                            WHERE application_name = 'chatdb' AND datname = current_database()";
                for _ in 0..1500 {
                    if binary::scalar::<i64>(db.url(), ours).await.expect("query") == 0 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            let step = format!("{backend:?}, killed at {when:?}");
            assert_same_content(&rows, &content(db.conn()).await, &step);
            assert_eq!(schema, schema_dump(dir.path(), db.url()), "{step}: the same schema");

            let run = chatdb(dir.path(), &[("DATABASE_URL", db.url())], &seeding("300"));
            assert_eq!(run.code, 0, "{step}: seeding works again: {}", run.output());
        }
    }
}
