//! What `chatdb copy` refuses, and that a refusal leaves the target as it was: broken
//! source rows, a target with data, other versions, links between tenants, wrong paths.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::chatdb;
use common::copying::*;
use testkit::binary;
use testkit::{Backend, TestDb};

/// Rows of a prototype that break the schema's rules, each refused with the table, the
/// broken row (its id, or the reference that points nowhere) and what is wrong with it,
/// into either backend, leaving it as it was.
#[tokio::test]
async fn broken_source_rows_are_named_by_key_and_the_target_is_left_as_it_was() {
    let broken = "WHERE id = (SELECT min(id) FROM messages)";
    let cases = [
        (
            format!(
                "PRAGMA foreign_keys = OFF; UPDATE messages SET conversation_id = \
                 X'0000000000007000800000000000dead' {broken}"
            ),
            "00000000-0000-7000-8000-00000000dead",
        ),
        (
            format!(
                "PRAGMA ignore_check_constraints = ON; UPDATE messages SET metadata = '{{oops' {broken}"
            ),
            "column metadata: invalid JSON",
        ),
        (
            format!(
                "PRAGMA ignore_check_constraints = ON; UPDATE messages SET sender_id = X'0102' {broken}"
            ),
            "column sender_id: a malformed UUID",
        ),
        (
            format!(
                "PRAGMA ignore_check_constraints = ON; UPDATE messages SET read_at = 'yesterday' {broken}"
            ),
            "column read_at: a malformed timestamp \"yesterday\"",
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for backend in Backend::ALL {
        let target = TestDb::migrated(backend).await.expect("database");
        let before = content(target.conn()).await;
        for (break_it, says) in &cases {
            let source = seeded_sqlite(dir.path()).await;
            let row: uuid::Uuid =
                binary::scalar(source.url(), "SELECT min(id) FROM messages").await.expect("id");
            binary::execute(source.url(), break_it).await.expect("break a row");
            let run = copy(dir.path(), source.url(), target.url(), &[]);
            assert_eq!(run.code, 2, "{backend:?} {break_it}: {}", run.output());
            let error = run.stderr.lines().find(|l| l.starts_with("error:")).unwrap_or_default();
            // PostgreSQL's foreign key names the reference only; SQLite's check the row too.
            let reference_only = says.ends_with("dead") && backend == Backend::Postgres;
            assert!(
                error.contains("messages")
                    && (reference_only || error.contains(&row.to_string()))
                    && error.contains(says),
                "{backend:?} {break_it}: names messages, row {row} and {says}: {}",
                run.stderr
            );
            let after = content(&target.reconnect().await.expect("reopen")).await;
            assert_same_content(&before, &after, break_it);
        }
    }
}

#[tokio::test]
async fn a_target_with_data_is_refused_before_any_write_unless_replace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), target.url());
    let before = content(target.conn()).await;

    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("is not empty: tenants:") && run.stderr.contains("--replace"),
        "{}",
        run.stderr
    );
    assert_same_content(&before, &content(target.conn()).await, "after the refusal");

    let production = [
        ("APP_ENV", "production"),
        ("DB_ALLOW_INSECURE", "true"),
        ("DB_SSL_MODE", "disable"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
    ];
    let args = ["copy", "--from", source.url(), "--to", target.url(), "--replace", "--no-backup"];
    let run = chatdb(dir.path(), &production, &args);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("APP_ENV=production") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );

    let run = copy(dir.path(), source.url(), target.url(), &["--replace", "--no-backup"]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_same_content(&content(source.conn()).await, &content(target.conn()).await, "replaced");
}

#[tokio::test]
async fn databases_at_different_versions_are_refused_until_the_target_is_migrated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let down =
        chatdb(dir.path(), &[("DATABASE_URL", target.url())], &["migrate", "down", "--no-backup"]);
    assert_eq!(down.code, 0, "{}", down.output());

    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("m20261204_000001_tenant_isolation")
            && run.stderr.contains("m20240301_000001_sample_data")
            && run.stderr.contains("--migrate-target"),
        "shows both versions and the fix: {}",
        run.stderr
    );
    let run = copy(dir.path(), source.url(), target.url(), &["--migrate-target"]);
    assert_eq!(run.code, 0, "{}", run.output());
}

#[tokio::test]
async fn a_link_between_two_tenants_is_refused_by_either_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    // Written past the source's own guards: a conversation assigned to another tenant's agent.
    binary::execute(
        source.url(),
        "DROP TRIGGER trg_conversations_assigned_agent_id_same_tenant_on_update; \
         UPDATE conversations SET assigned_agent_id = \
           (SELECT u.id FROM users u WHERE u.tenant_id <> conversations.tenant_id LIMIT 1) \
         WHERE id = (SELECT min(id) FROM conversations);",
    )
    .await
    .expect("break tenancy");
    for (backend, says) in [
        (Backend::Sqlite, "must reference a users row of the same tenant"),
        (Backend::Postgres, "is not present in table \"users\""),
    ] {
        let target = TestDb::migrated(backend).await.expect("database");
        let before = content(target.conn()).await;
        let run = copy(dir.path(), source.url(), target.url(), &[]);
        assert_eq!(run.code, 2, "{backend:?}: {}", run.output());
        assert!(
            run.stderr.contains("conversations") && run.stderr.contains(says),
            "{backend:?}: {}",
            run.stderr
        );
        assert_same_content(&before, &content(target.conn()).await, "after the refusal");
    }
}

#[tokio::test]
async fn a_mistyped_path_or_the_source_itself_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let missing = dir.path().join("typo.sqlite3");
    let missing_url = format!("sqlite://{}", missing.display());
    let run = copy(dir.path(), source.url(), &missing_url, &[]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("--to") && run.stderr.contains("--migrate-target"),
        "{}",
        run.stderr
    );
    assert!(!missing.exists(), "no empty file left behind");

    let file =
        source.url().trim_start_matches("sqlite://").split('?').next().expect("path").to_owned();
    let parent = std::path::Path::new(&file).parent().expect("dir");
    let same = format!(
        "sqlite://{}/../{}/{}",
        parent.display(),
        parent.file_name().expect("name").to_string_lossy(),
        std::path::Path::new(&file).file_name().expect("file").to_string_lossy()
    );
    let run = copy(dir.path(), source.url(), &same, &["--replace", "--no-backup"]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("is also the source"), "{}", run.stderr);

    let run = copy(dir.path(), source.url(), &missing_url, &["--migrate-target"]);
    assert_eq!(run.code, 0, "--migrate-target creates and migrates it: {}", run.output());
}

/// The target remembers it is production (`chatdb_metadata`): `--replace` from a shell
/// whose APP_ENV says nothing is refused all the same, and `--force` overrides it.
#[tokio::test]
async fn replace_is_refused_where_the_target_recorded_production_whatever_app_env_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), target.url());
    binary::execute(
        target.url(),
        "UPDATE chatdb_metadata SET value = 'production' WHERE key = 'environment'",
    )
    .await
    .expect("a production database");
    let before = content(target.conn()).await;

    let run = copy(dir.path(), source.url(), target.url(), &["--replace", "--no-backup"]);

    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("belongs to production") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_same_content(&before, &content(target.conn()).await, "after the refusal");
    let forced =
        copy(dir.path(), source.url(), target.url(), &["--replace", "--force", "--no-backup"]);
    assert_eq!(forced.code, 0, "{}", forced.output());
}
