//! `chatdb copy` as an operator uses it: a prototype's SQLite file moved to PostgreSQL and
//! back, a tenant pulled out or moved, and every way it must refuse or roll back.
//!
//! Content is compared independently of the copy's own hashing: every row of every table
//! read through the entities (typed values: times, decimals, JSON), as JSON, sorted.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::chatdb;
use entity::prelude::*;
use sea_orm::{DatabaseConnection, EntityTrait};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

const SAMPLE_TENANT: &str = "0193a000-0001-7000-8000-000000000001";

/// Every row of every table, as the entities read them, sorted: what "the same content"
/// means to the application.
async fn content(db: &DatabaseConnection) -> BTreeMap<&'static str, Vec<String>> {
    async fn rows<E>(db: &DatabaseConnection) -> Vec<String>
    where
        E: EntityTrait,
        E::Model: serde::Serialize,
    {
        let mut rows: Vec<String> = E::find()
            .all(db)
            .await
            .expect("read the table")
            .iter()
            .map(|m| serde_json::to_string(m).expect("JSON"))
            .collect();
        rows.sort();
        rows
    }
    BTreeMap::from([
        ("audit_logs", rows::<AuditLogs>(db).await),
        ("automations", rows::<Automations>(db).await),
        ("conversation_tags", rows::<ConversationTags>(db).await),
        ("conversations", rows::<Conversations>(db).await),
        ("customer_tags", rows::<CustomerTags>(db).await),
        ("customers", rows::<Customers>(db).await),
        ("file_attachments", rows::<FileAttachments>(db).await),
        ("messages", rows::<Messages>(db).await),
        ("notification_settings", rows::<NotificationSettings>(db).await),
        ("performance_metrics", rows::<PerformanceMetrics>(db).await),
        ("subscriptions", rows::<Subscriptions>(db).await),
        ("tags", rows::<Tags>(db).await),
        ("tenants", rows::<Tenants>(db).await),
        ("user_sessions", rows::<UserSessions>(db).await),
        ("users", rows::<Users>(db).await),
        ("webhooks", rows::<Webhooks>(db).await),
    ])
}

fn assert_same_content(
    a: &BTreeMap<&'static str, Vec<String>>,
    b: &BTreeMap<&'static str, Vec<String>>,
    step: &str,
) {
    for (table, rows) in a {
        let other = &b[table];
        assert_eq!(rows.len(), other.len(), "{step}: {table} row count");
        if let Some((x, y)) = rows.iter().zip(other).find(|(x, y)| x != y) {
            panic!("{step}: {table} differs:\n  {x}\n  {y}");
        }
    }
}

async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

/// Seeds a small, realistic data set (two tenants) into the database at `url`.
fn seed(dir: &Path, url: &str) {
    let args = [
        "seed",
        "--tenants",
        "2",
        "--users",
        "3",
        "--customers",
        "5",
        "--conversations",
        "6",
        "--messages",
        "40",
    ];
    let run = chatdb(dir, &[("DATABASE_URL", url)], &args);
    assert_eq!(run.code, 0, "{}", run.output());
}

fn copy(dir: &Path, from: &str, to: &str, extra: &[&str]) -> Run {
    let mut args = vec!["copy", "--from", from, "--to", to];
    args.extend_from_slice(extra);
    chatdb(dir, &[], &args)
}

async fn seeded_sqlite(dir: &Path) -> TestDb {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    seed(dir, db.url());
    db
}

#[tokio::test]
async fn a_prototype_moves_to_postgres_and_back_with_every_value_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prototype = seeded_sqlite(dir.path()).await;
    // What people and other drivers leave in an SQLite file: times in other text forms,
    // text with every awkward character; and a priority score from an older formula,
    // which the target's scoring trigger would recompute if it ran during the copy.
    binary::execute(
        prototype.url(),
        "UPDATE messages SET created_at = '2024-05-01 09:30:00', \
           content = 'tab\there' || char(10) || 'back\\slash, quote '' é 😀' || char(13) \
         WHERE id = (SELECT min(id) FROM messages); \
         UPDATE messages SET read_at = '2024-05-01T10:30:00.5+01:00' \
         WHERE id = (SELECT max(id) FROM messages); \
         DROP TRIGGER trg_conversations_guard_computed; \
         DROP TRIGGER trg_conversations_touch_and_score; \
         UPDATE conversations SET priority_score = 999 WHERE id = (SELECT min(id) FROM conversations);",
    )
    .await
    .expect("edit the prototype");
    let original = content(prototype.conn()).await;

    let production = TestDb::migrated(Backend::Postgres).await.expect("database");
    let run = copy(dir.path(), prototype.url(), production.url(), &[]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert!(run.stdout.contains("verified"), "{}", run.stdout);
    assert!(
        run.stdout.contains("the migrations' own rows"),
        "says what it replaced: {}",
        run.stdout
    );
    assert_same_content(&original, &content(production.conn()).await, "SQLite → PostgreSQL");
    let validate =
        chatdb(dir.path(), &[("DATABASE_URL", production.url())], &["migrate", "validate"]);
    assert_eq!(
        validate.code,
        0,
        "keys, indexes and foreign keys are all back: {}",
        validate.output()
    );

    let debug_copy = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let run = copy(dir.path(), production.url(), debug_copy.url(), &["--json"]);
    assert_eq!(run.code, 0, "{}", run.output());
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let tables = report["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 16);
    assert!(tables.iter().all(|t| t["ok"] == true && t["source_hash"] == t["target_hash"]));
    assert_same_content(
        &original,
        &content(debug_copy.conn()).await,
        "SQLite → PostgreSQL → SQLite",
    );
    let env = [("DATABASE_URL", debug_copy.url())];
    let validate = chatdb(dir.path(), &env, &["migrate", "validate"]);
    assert_eq!(validate.code, 0, "indexes and triggers are all back: {}", validate.output());
}

#[tokio::test]
async fn a_tenant_is_copied_alone_and_a_move_deletes_it_from_the_source_only_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), source.url());
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let tenant_messages =
        format!("SELECT count(*) FROM messages WHERE tenant_id = '{SAMPLE_TENANT}'");
    let expected = count(source.url(), &tenant_messages).await;
    assert!(expected > 0);
    // The target already has the migrations' sample tenants: a tenant copy needs only that
    // tenant to be absent.
    binary::execute(target.url(), &format!("DELETE FROM tenants WHERE id = '{SAMPLE_TENANT}'"))
        .await
        .expect("make room");
    let target_tenants = count(target.url(), "SELECT count(*) FROM tenants").await;

    let run = copy(dir.path(), source.url(), target.url(), &["--tenant", SAMPLE_TENANT]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_eq!(count(target.url(), &tenant_messages).await, expected);
    assert_eq!(
        count(target.url(), "SELECT count(*) FROM tenants").await,
        target_tenants + 1,
        "exactly that tenant, nothing of the others"
    );
    assert_eq!(count(source.url(), &tenant_messages).await, expected, "a copy leaves the source");

    // As if a move had stopped between the target's commit and the source's deletion:
    // running it again sees the identical copy and finishes the move.
    let run = copy(dir.path(), source.url(), target.url(), &["--tenant", SAMPLE_TENANT, "--move"]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert!(run.stdout.contains("already in"), "{}", run.stdout);
    assert_eq!(count(source.url(), &tenant_messages).await, 0, "moved out of the source");
    assert_eq!(count(target.url(), &tenant_messages).await, expected);
    assert!(count(source.url(), "SELECT count(*) FROM tenants").await > 0, "the others stay");

    // A second copy of that tenant is refused: it is there already.
    let again =
        copy(dir.path(), target.url(), source.url(), &["--tenant", SAMPLE_TENANT, "--move"]);
    assert_eq!(again.code, 0, "and it can move back: {}", again.output());
    assert_eq!(count(target.url(), &tenant_messages).await, 0);
    assert_eq!(count(source.url(), &tenant_messages).await, expected);
}

#[tokio::test]
async fn broken_source_rows_are_named_and_the_target_is_left_as_it_was() {
    let cases = [
        (
            "PRAGMA foreign_keys = OFF; UPDATE messages SET conversation_id = X'00000000000000000000000000000001' \
             WHERE id = (SELECT min(id) FROM messages)",
            "messages",
            "does not exist",
        ),
        (
            "PRAGMA ignore_check_constraints = ON; UPDATE messages SET metadata = '{oops' \
             WHERE id = (SELECT min(id) FROM messages)",
            "column metadata: invalid JSON",
            "id=",
        ),
        (
            "PRAGMA ignore_check_constraints = ON; UPDATE messages SET sender_id = X'0102' \
             WHERE id = (SELECT min(id) FROM messages)",
            "column sender_id: a malformed UUID",
            "messages (id=",
        ),
        (
            "PRAGMA ignore_check_constraints = ON; UPDATE messages SET read_at = 'yesterday' \
             WHERE id = (SELECT min(id) FROM messages)",
            "column read_at: a malformed timestamp \"yesterday\"",
            "messages (id=",
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let before = content(target.conn()).await;
    for (break_it, says, names) in cases {
        let source = seeded_sqlite(dir.path()).await;
        binary::execute(source.url(), break_it).await.expect("break a row");
        let run = copy(dir.path(), source.url(), target.url(), &[]);
        assert_eq!(run.code, 2, "{break_it}: {}", run.output());
        assert!(
            run.stderr.contains(says) && run.stderr.contains(names),
            "{break_it}: {}",
            run.stderr
        );
        assert_same_content(&before, &content(target.conn()).await, break_it);
    }
}

#[tokio::test]
async fn a_target_that_changes_a_value_fails_verification_and_is_rolled_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    // A target that silently loses precision: times rounded to the second.
    binary::execute(
        target.url(),
        "ALTER TABLE messages ALTER COLUMN created_at TYPE timestamp(0) with time zone",
    )
    .await
    .expect("alter the target");
    let before = content(target.conn()).await;
    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 1, "{}", run.output());
    assert!(
        run.stderr.contains("verification failed for messages")
            && run.stderr.contains("first difference at id=")
            && run.stderr.contains("rolled back"),
        "{}",
        run.stderr
    );
    assert_same_content(&before, &content(target.conn()).await, "after the failed copy");
}

#[tokio::test]
async fn a_copy_killed_halfway_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let args = ["seed", "--tenants", "1", "--conversations", "200", "--messages", "60000"];
    let run = chatdb(dir.path(), &[("DATABASE_URL", source.url())], &args);
    assert_eq!(run.code, 0, "{}", run.output());
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let before = content(target.conn()).await;

    let args = ["copy", "--from", source.url(), "--to", target.url()];
    let mut child =
        binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &[], &args).expect("start");
    let copying = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY messages%'";
    let mut seen = false;
    for _ in 0..400 {
        if count(target.url(), copying).await > 0 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(seen, "the copy reached the messages");
    // The server notices the dead client and rolls its transaction back.
    for _ in 0..200 {
        let waiting = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%' AND pid <> pg_backend_pid()";
        if count(target.url(), waiting).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_same_content(&before, &content(target.conn()).await, "after kill -9");
    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 0, "and the copy can simply run again: {}", run.output());
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
        run.stderr.contains("m20240301_000001_sample_data")
            && run.stderr.contains("m20240201_000001_support_tables")
            && run.stderr.contains("--migrate-target"),
        "shows both versions and the fix: {}",
        run.stderr
    );
    let run = copy(dir.path(), source.url(), target.url(), &["--migrate-target"]);
    assert_eq!(run.code, 0, "{}", run.output());
}

#[tokio::test]
async fn a_copy_goes_through_pgbouncer_and_never_shows_a_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let pooled =
        format!("{}?pgbouncer=true", testkit::pgbouncer_url(target.url()).expect("pgbouncer"));
    let run = copy(dir.path(), source.url(), &pooled, &[]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_same_content(
        &content(source.conn()).await,
        &content(target.conn()).await,
        "through PgBouncer",
    );

    let run = copy(dir.path(), source.url(), "postgres://app:s3cret-pw@127.0.0.1:1/chatdb", &[]);
    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stderr.contains("--to") && !run.output().contains("s3cret-pw"), "{}", run.output());
}

#[tokio::test]
async fn a_tenant_exported_to_files_is_imported_elsewhere_and_a_changed_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), source.url());
    let export_dir = dir.path().join("tenant-export");
    let export_path = export_dir.to_str().expect("path");
    let run = chatdb(
        dir.path(),
        &[("DATABASE_URL", source.url())],
        &["--json", "export", export_path, "--tenant", SAMPLE_TENANT],
    );
    assert_eq!(run.code, 0, "{}", run.output());
    let manifest: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON manifest");
    assert_eq!(manifest["migrations"].as_array().map(Vec::len), Some(3));
    assert!(
        export_dir.join("manifest.json").is_file() && export_dir.join("messages.jsonl").is_file()
    );

    // Elsewhere: a local SQLite file without that tenant.
    let local = TestDb::migrated(Backend::Sqlite).await.expect("database");
    binary::execute(
        local.url(),
        &format!("DELETE FROM tenants WHERE id = X'{}'", SAMPLE_TENANT.replace('-', "")),
    )
    .await
    .expect("make room");
    let env = [("DATABASE_URL", local.url())];
    let run = chatdb(dir.path(), &env, &["import", export_path]);
    assert_eq!(run.code, 0, "{}", run.output());
    let messages = |url: &str, literal: String| {
        let url = url.to_owned();
        async move {
            count(&url, &format!("SELECT count(*) FROM messages WHERE tenant_id = {literal}")).await
        }
    };
    assert_eq!(
        messages(local.url(), format!("X'{}'", SAMPLE_TENANT.replace('-', ""))).await,
        messages(source.url(), format!("'{SAMPLE_TENANT}'")).await
    );

    // A file changed after the export is refused, and the database stays as it was.
    let file = export_dir.join("messages.jsonl");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("\"content\":\"", "\"content\":\"edited: ", 1))
        .expect("edit");
    let before = content(local.conn()).await;
    let run = chatdb(dir.path(), &env, &["import", export_path, "--replace", "--no-backup"]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.stderr.contains("messages.jsonl") && run.stderr.contains("changed"),
        "{}",
        run.stderr
    );
    assert_same_content(&before, &content(local.conn()).await, "after the refused import");
}

#[tokio::test]
async fn the_database_owner_can_copy_without_being_a_superuser() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    // A database owned by an ordinary role, migrated and copied into as that role.
    let server = TestDb::migrated(Backend::Postgres).await.expect("database");
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let (role, database) = (format!("owner_{}", &suffix[..12]), format!("owned_{}", &suffix[..12]));
    binary::execute(
        server.url(),
        &format!("CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"),
    )
    .await
    .expect("role");
    binary::execute(server.url(), &format!("CREATE DATABASE {database} OWNER {role}"))
        .await
        .expect("db");
    let mut owned = url::Url::parse(server.url()).expect("URL");
    owned.set_username(&role).expect("user");
    owned.set_path(&database);
    let owned = owned.to_string();
    let up = chatdb(dir.path(), &[("DATABASE_URL", &owned)], &["migrate", "up"]);
    assert_eq!(up.code, 0, "{}", up.output());

    let run = copy(dir.path(), source.url(), &owned, &[]);
    assert_eq!(run.code, 0, "{}", run.output());
    let validate = chatdb(dir.path(), &[("DATABASE_URL", &owned)], &["migrate", "validate"]);
    assert_eq!(validate.code, 0, "{}", validate.output());
    let target = sea_orm::Database::connect(owned.as_str()).await.expect("connect");
    assert_same_content(&content(source.conn()).await, &content(&target).await, "as the owner");
    drop(target);
    binary::execute(server.url(), &format!("DROP DATABASE {database} WITH (FORCE)"))
        .await
        .expect("drop");
    binary::execute(server.url(), &format!("DROP ROLE {role}")).await.expect("drop role");
}

#[tokio::test]
async fn a_copy_into_sqlite_killed_halfway_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    let args = ["seed", "--tenants", "1", "--conversations", "200", "--messages", "60000"];
    let run = chatdb(dir.path(), &[("DATABASE_URL", source.url())], &args);
    assert_eq!(run.code, 0, "{}", run.output());
    let target = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let before = content(target.conn()).await;
    let file =
        target.url().trim_start_matches("sqlite://").split('?').next().expect("path").to_owned();
    let journal =
        |suffix: &str| std::fs::metadata(format!("{file}{suffix}")).map_or(0, |m| m.len());

    let args = ["copy", "--from", source.url(), "--to", target.url()];
    let mut child =
        binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &[], &args).expect("start");
    let mut seen = false;
    for _ in 0..800 {
        // Rows are being written: the transaction's journal grows.
        if journal("-wal") + journal("-journal") > 1 << 20 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(seen, "the copy was writing");
    assert_same_content(
        &before,
        &content(&target.reconnect().await.expect("reopen")).await,
        "after kill -9",
    );
    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 0, "and the copy can simply run again: {}", run.output());
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
