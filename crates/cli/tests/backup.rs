//! Backups and restores as an operator uses them, and the backup every destructive command
//! takes first.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::chatdb;
use testkit::binary;
use testkit::{Backend, TestDb};

async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

/// The backup file a run named on stdout (`Backed up to FILE (…)`) or stderr.
fn backup_file(output: &str) -> String {
    let line = output.lines().find_map(|l| l.split("Backed up to ").nth(1)).expect("a backup line");
    line.split(" (").next().expect("a file").to_owned()
}

#[tokio::test]
async fn a_dropped_table_comes_back_with_its_rows_after_restore() {
    for backend in Backend::ALL {
        let db = TestDb::empty(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let env = [("DATABASE_URL", db.url())];
        assert_eq!(chatdb(dir.path(), &env, &["migrate", "up"]).code, 0);
        let entries = count(db.url(), "SELECT count(*) FROM audit_logs").await;
        assert!(entries > 0, "V3 wrote sample audit entries");

        let backup = chatdb(dir.path(), &env, &["backup"]);
        assert_eq!(backup.code, 0, "{backend:?}: {}", backup.output());
        let file = backup_file(&backup.stdout);
        assert!(
            dir.path().join(&file).is_file() || std::path::Path::new(&file).is_file(),
            "{file}"
        );

        binary::execute(db.url(), "DROP TABLE audit_logs").await.expect("drop");
        let restore = chatdb(dir.path(), &env, &["restore", &file, "--no-backup"]);
        assert_eq!(restore.code, 0, "{backend:?}: {}", restore.output());
        assert_eq!(
            count(db.url(), "SELECT count(*) FROM audit_logs").await,
            entries,
            "{backend:?}"
        );
        let json = chatdb(dir.path(), &env, &["--json", "backup", "--out", "second.backup"]);
        let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
        assert!(report["backup"]["bytes"].as_u64().is_some_and(|b| b > 0), "{report}");
    }
}

#[tokio::test]
async fn fresh_in_production_is_refused_then_forced_after_a_backup_that_restores() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let production = [
        ("DATABASE_URL", db.url()),
        ("APP_ENV", "production"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
        ("DB_SSL_MODE", "disable"),
        ("DB_ALLOW_INSECURE", "true"),
    ];
    assert_eq!(chatdb(dir.path(), &production, &["migrate", "up"]).code, 0);
    binary::execute(
        db.url(),
        "INSERT INTO tenants (name, domain) VALUES ('Real customer', 'real.example')",
    )
    .await
    .expect("a real tenant");

    let refused = chatdb(dir.path(), &production, &["migrate", "fresh"]);
    assert_eq!(refused.code, 2, "{}", refused.output());
    assert!(refused.stderr.contains("APP_ENV=production"), "{}", refused.stderr);
    let laptop = [("DATABASE_URL", db.url())];
    let refused = chatdb(dir.path(), &laptop, &["migrate", "fresh"]);
    assert_eq!(refused.code, 2, "the database remembers it is production: {}", refused.output());
    let restore = chatdb(dir.path(), &laptop, &["restore", "anything.dump"]);
    assert_eq!(restore.code, 2, "restore is guarded like fresh: {}", restore.output());
    assert_eq!(count(db.url(), "SELECT count(*) FROM tenants").await, 2, "nothing was lost");

    let forced = chatdb(dir.path(), &laptop, &["migrate", "fresh", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.output());
    assert!(forced.stderr.contains("Backed up to"), "{}", forced.stderr);
    assert_eq!(
        count(db.url(), "SELECT count(*) FROM tenants WHERE name = 'Real customer'").await,
        0
    );

    let file = backup_file(&forced.stderr);
    let restored = chatdb(dir.path(), &laptop, &["restore", &file, "--force"]);
    assert_eq!(restored.code, 0, "{}", restored.output());
    assert_eq!(
        count(db.url(), "SELECT count(*) FROM tenants WHERE name = 'Real customer'").await,
        1
    );
}
