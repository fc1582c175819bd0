//! `validate` and `schema dump` as a deploy script uses them: clean after `up`, exit 1
//! naming each change after someone altered the database by hand.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;

use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

fn migration(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    binary::run(env!("CARGO_BIN_EXE_migration"), dir, env, args)
}

/// A database migrated by the binary, as a deploy leaves it.
async fn deployed(backend: Backend) -> (TestDb, tempfile::TempDir) {
    let db = TestDb::empty(backend).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let up = migration(dir.path(), &[("DATABASE_URL", db.url())], &["up"]);
    assert_eq!(up.code, 0, "{}", up.output());
    (db, dir)
}

#[tokio::test]
async fn a_freshly_migrated_database_matches_its_snapshot_and_the_entities() {
    for backend in Backend::ALL {
        let (db, dir) = deployed(backend).await;
        let env = [("DATABASE_URL", db.url())];

        let run = migration(dir.path(), &env, &["validate"]);

        assert_eq!(run.code, 0, "{backend:?}: {}", run.output());
        assert!(run.stdout.contains("Schema matches migration/schema/"), "{}", run.stdout);
        assert!(run.stdout.contains("Entities match the schema (16 tables)"), "{}", run.stdout);

        let out = dir.path().join("dump.sql");
        let dump =
            migration(dir.path(), &env, &["schema", "dump", "--out", &out.to_string_lossy()]);
        assert_eq!(dump.code, 0, "{}", dump.output());
        let file = match backend {
            Backend::Postgres => "postgres.sql",
            Backend::Sqlite => "sqlite.sql",
        };
        let committed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema").join(file),
        )
        .expect("snapshot");
        assert_eq!(std::fs::read_to_string(&out).expect("dump"), committed, "{backend:?}");
    }
}

#[tokio::test]
async fn drift_is_named_object_by_object_and_fails_the_check() {
    for backend in Backend::ALL {
        let (db, dir) = deployed(backend).await;
        let mut drift = vec![
            "ALTER TABLE tenants ADD COLUMN extra text",
            "DROP INDEX idx_automations_is_active",
        ];
        if backend == Backend::Postgres {
            drift.push("ALTER TABLE tenants ALTER COLUMN max_users SET DEFAULT 7");
        }
        for sql in drift {
            binary::execute(db.url(), sql).await.expect(sql);
        }

        let run = migration(dir.path(), &[("DATABASE_URL", db.url())], &["validate"]);

        assert_eq!(run.code, 1, "{backend:?}: {}", run.output());
        let expected = match backend {
            Backend::Postgres => vec![
                "column tenants.extra is not in the snapshot",
                "index idx_automations_is_active is missing",
                "column tenants.max_users changed",
                "tenants.extra: the database has a column no entity maps",
            ],
            Backend::Sqlite => vec![
                "object table tenants changed",
                "object index idx_automations_is_active is missing",
                "tenants.extra: the database has a column no entity maps",
            ],
        };
        for line in expected {
            assert!(run.stdout.contains(line), "{backend:?} should say {line:?}: {}", run.stdout);
        }
        assert!(run.stderr.contains("the schema has drifted"), "{}", run.stderr);

        let json = migration(dir.path(), &[("DATABASE_URL", db.url())], &["--json", "validate"]);
        let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
        assert_eq!(report["valid"], false);
    }
}

#[tokio::test]
async fn behind_head_validate_says_what_is_pending() {
    let db = TestDb::empty(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    assert_eq!(migration(dir.path(), &env, &["up", "-n", "1"]).code, 0);

    let run = migration(dir.path(), &env, &["validate"]);

    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stdout.contains("Behind head: 3 pending"), "{}", run.stdout);
    assert!(run.stdout.contains("m20240201_000001_support_tables"), "{}", run.stdout);
}

#[tokio::test]
async fn tenant_isolation_lifted_by_hand_is_drift() {
    let (db, dir) = deployed(Backend::Postgres).await;
    for sql in [
        "DROP POLICY tenant_isolation ON messages",
        "ALTER TABLE customers DISABLE ROW LEVEL SECURITY",
        "CREATE POLICY everyone ON users USING (true)",
        "ALTER TABLE conversations DISABLE TRIGGER trg_conversations_compute_priority",
    ] {
        binary::execute(db.url(), sql).await.expect(sql);
    }

    let run = migration(dir.path(), &[("DATABASE_URL", db.url())], &["validate"]);

    assert_eq!(run.code, 1, "{}", run.output());
    for line in [
        "policy messages.tenant_isolation is missing",
        "row-security table customers changed",
        "policy users.everyone is not in the snapshot",
        "trigger trg_conversations_compute_priority changed",
    ] {
        assert!(run.stdout.contains(line), "should say {line:?}: {}", run.stdout);
    }
}
