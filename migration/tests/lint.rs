//! `migrate lint` against a database whose tables hold rows (V3's sample data): each rule
//! of the corpus (`tests/lint-corpus/CODE.sql`, a statement on `messages`) fires with its
//! code; the same statement on a table created alongside it, or on an empty table, does
//! not (except a DROP or RENAME the running release's entities map, which breaks it at any
//! size); V1–V4 from an empty database have no finding; nothing the lint runs stays.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;

use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

fn migration(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    binary::run(env!("CARGO_BIN_EXE_migration"), dir, env, args)
}

/// `(code, statement on messages)` of every corpus file.
fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint-corpus");
    let mut cases: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("the corpus")
        .map(|f| {
            let path = f.expect("file").path();
            let code = path.file_stem().expect("name").to_string_lossy().into_owned();
            (code, std::fs::read_to_string(&path).expect("read"))
        })
        .collect();
    cases.sort();
    cases
}

/// The codes `lint --sql` finds in `sql` (and its whole JSON report).
fn findings(
    dir: &Path,
    url: &str,
    sql: &str,
    max_rows: &str,
) -> (Vec<String>, serde_json::Value, Run) {
    let args = ["--json", "lint", "--sql", sql, "--max-rows", max_rows];
    let run = migration(dir, &[("DATABASE_URL", url)], &args);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.output()));
    let codes = report["lint"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect();
    (codes, report, run)
}

#[tokio::test]
async fn each_rule_fires_on_a_table_with_rows_and_never_on_a_new_or_empty_one() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let rows: i64 = binary::scalar(db.url(), "SELECT count(*) FROM messages").await.expect("rows");
    let empty: i64 =
        binary::scalar(db.url(), "SELECT count(*) FROM automations").await.expect("rows");
    assert!(rows > 0 && empty == 0, "messages {rows}, automations {empty}");
    let schema_before = testkit::schema_dump(db.conn()).await.expect("schema");
    let cases = corpus();
    assert_eq!(cases.len(), migration::lint::RULES.len(), "a corpus file for every rule");

    for (code, on_messages) in &cases {
        let (found, report, run) = findings(dir.path(), db.url(), on_messages, "5");
        assert_eq!(found, std::slice::from_ref(code), "{code}: {}", run.output());
        let finding = &report["lint"]["findings"][0];
        assert_eq!(
            (finding["table"].as_str(), finding["level"].as_str()),
            (Some("messages"), Some("error"))
        );
        assert!(finding["estimated_rows"].as_i64() > Some(0), "{code}: the planner's estimate");
        assert_eq!(run.code, 1, "{code}: an error fails the lint");

        let (found, report, run) = findings(dir.path(), db.url(), on_messages, "100000");
        assert_eq!(found, std::slice::from_ref(code), "{code}");
        let level = report["lint"]["findings"][0]["level"].as_str();
        if code == "breaks-running-release" {
            assert_eq!((level, run.code), (Some("error"), 1), "{code}: at any size");
        } else {
            assert_eq!(level, Some("warning"), "{code}: below --max-rows");
        }

        let created_here = format!(
            "CREATE TABLE lint_fresh (id uuid, tenant_id uuid, created_at timestamptz NOT NULL); {}",
            on_messages.replace("messages", "lint_fresh")
        );
        let (found, _, run) = findings(dir.path(), db.url(), &created_here, "5");
        assert!(found.is_empty(), "{code} on a table created alongside: {}", run.output());
        assert_eq!(run.code, 0, "{code}: {}", run.output());

        let on_empty = on_messages.replace("messages", "automations");
        let (found, _, run) = findings(dir.path(), db.url(), &on_empty, "5");
        if code == "breaks-running-release" {
            assert_eq!(
                found,
                std::slice::from_ref(code),
                "the entities map automations: {}",
                run.output()
            );
        } else {
            assert!(found.is_empty(), "{code} on an empty table: {}", run.output());
        }
    }
    assert_eq!(
        testkit::schema_dump(db.conn()).await.expect("schema"),
        schema_before,
        "rolled back"
    );
}

#[tokio::test]
async fn an_acknowledged_finding_is_reported_and_does_not_fail_the_lint() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let sql = "CREATE INDEX lint_i ON messages (created_at) \
               -- lint: allow index-not-concurrent: messages is small everywhere we deploy\n";
    let (found, report, run) = findings(dir.path(), db.url(), sql, "5");
    assert_eq!(found, ["index-not-concurrent"]);
    assert_eq!(run.code, 0, "{}", run.output());
    let reason = report["lint"]["findings"][0]["acknowledged"].as_str();
    assert_eq!(reason, Some("messages is small everywhere we deploy"));

    let text = migration(
        dir.path(),
        &[("DATABASE_URL", db.url())],
        &["lint", "--sql", sql, "--max-rows", "5"],
    );
    assert!(text.stdout.contains("acknowledged: messages is small"), "{}", text.stdout);
}

#[tokio::test]
async fn the_released_migrations_have_no_finding_from_an_empty_database() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];
    let run = migration(dir.path(), &env, &["--json", "lint", "--all"]);
    assert_eq!(run.code, 0, "{}", run.output());
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["lint"]["migrations"].as_array().map(Vec::len), Some(4));
    assert_eq!(report["lint"]["findings"], serde_json::json!([]));
    let scratch: i64 = binary::scalar(
        db.url(),
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'chatdb_lint_%'",
    )
    .await
    .expect("databases");
    assert_eq!(scratch, 0, "the scratch database is dropped");

    // A database at V1 with rows: V2–V4 rehearsed against it, nothing applied.
    let at_v1 = TestDb::empty(Backend::Postgres).await.expect("database");
    let env = [("DATABASE_URL", at_v1.url())];
    assert_eq!(
        migration(dir.path(), &env, &["up", "--to", "m20240101_000001_core_schema"]).code,
        0
    );
    let run = migration(dir.path(), &env, &["up", "--dry-run", "--lint"]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert!(run.stdout.contains("Rehearsed 3 migration(s)"), "{}", run.stdout);
    let applied: i64 = binary::scalar(at_v1.url(), "SELECT count(*) FROM seaql_migrations")
        .await
        .expect("history");
    assert_eq!(applied, 1, "still at V1");
}

#[tokio::test]
async fn lint_needs_postgresql_and_says_so() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let run = migration(dir.path(), &[("DATABASE_URL", db.url())], &["lint"]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("PostgreSQL") && run.stderr.contains("DATABASE_URL"),
        "{}",
        run.stderr
    );
}
