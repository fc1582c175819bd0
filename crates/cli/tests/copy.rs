//! `chatdb copy` as an operator uses it: a prototype's SQLite file moved to PostgreSQL and
//! back with every value intact, a target that changes a value, `kill -9`, PgBouncer, and
//! the database owner as the only rights needed.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::chatdb;
use common::copying::*;
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

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
    // Values a normalising comparison would hide: trailing zeros, negative numbers and a
    // negative zero, JSON numbers beyond 64 bits and beyond a double's precision.
    binary::execute(
        prototype.url(),
        "UPDATE subscriptions SET amount = '12.5' WHERE id = (SELECT min(id) FROM subscriptions); \
         UPDATE subscriptions SET amount = '12.50' WHERE id = (SELECT max(id) FROM subscriptions); \
         UPDATE performance_metrics SET metric_value = '-3.25', metadata = \
           '{\"big\": 18446744073709551617, \"precise\": 1.2345678901234567891, \"ratio\": 12.50}' \
         WHERE id = (SELECT min(id) FROM performance_metrics); \
         UPDATE performance_metrics SET metric_value = '-0.00' WHERE id = (SELECT max(id) FROM performance_metrics);",
    )
    .await
    .expect("awkward numbers");
    let original = content(prototype.conn()).await;
    let original_texts = stored_texts(prototype.conn()).await;

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
    let production_texts = stored_texts(production.conn()).await;
    let step = "SQLite → PostgreSQL, stored text";
    assert_same_stored_texts(&original_texts, &production_texts, production.conn(), false, step)
        .await;
    let validate =
        chatdb(dir.path(), &[("DATABASE_URL", production.url())], &["migrate", "validate"]);
    assert_eq!(
        validate.code,
        0,
        "keys, indexes and foreign keys are all back: {}",
        validate.output()
    );
    // The application writes into the copy afterwards: its triggers compute again.
    binary::execute(
        production.url(),
        "INSERT INTO conversations (id, tenant_id, customer_id, priority, created_at) \
         SELECT '00000000-0000-7000-8000-00000000c0fe', tenant_id, id, 'URGENT', now() - interval '2 hours' \
         FROM customers ORDER BY id LIMIT 1",
    )
    .await
    .expect("a new conversation in the copy");
    let computed = "SELECT priority_score::bigint * 100000 \
         + extract(epoch FROM sla_deadline - created_at)::bigint / 60 \
         FROM conversations WHERE id = '00000000-0000-7000-8000-00000000c0fe'";
    let expected = "SELECT 152 * 100000 + (t.sla_policies ->> 'resolution_time')::bigint \
         FROM conversations c JOIN tenants t ON t.id = c.tenant_id \
         WHERE c.id = '00000000-0000-7000-8000-00000000c0fe'";
    assert_eq!(
        count(production.url(), computed).await,
        count(production.url(), expected).await,
        "URGENT (150) + 2 whole hours, and the tenant's SLA, computed on insert"
    );
    binary::execute(
        production.url(),
        "DELETE FROM conversations WHERE id = '00000000-0000-7000-8000-00000000c0fe'",
    )
    .await
    .expect("the probe removed");

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
    let debug_texts = stored_texts(debug_copy.conn()).await;
    let step = "PostgreSQL → SQLite, stored text";
    assert_same_stored_texts(&debug_texts, &production_texts, production.conn(), true, step).await;
    let env = [("DATABASE_URL", debug_copy.url())];
    let validate = chatdb(dir.path(), &env, &["migrate", "validate"]);
    assert_eq!(validate.code, 0, "indexes and triggers are all back: {}", validate.output());
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

fn start_copy(dir: &std::path::Path, from: &str, to: &str) -> std::process::Child {
    let args = ["copy", "--from", from, "--to", to];
    binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir, &[], &args).expect("start")
}

/// Kills the copy (SIGKILL) once it says it has written every row and is building the
/// indexes back: inside its transaction, with everything loaded and nothing committed.
fn kill_once_every_row_is_written(child: &mut std::process::Child) {
    let loaded = "Building keys, indexes and foreign keys";
    let said = binary::said_within(child, loaded, std::time::Duration::from_secs(120));
    let running = matches!(child.try_wait(), Ok(None));
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(said && running, "the copy was killed while loading (said it: {said})");
}

#[tokio::test]
async fn a_copy_killed_halfway_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let args = ["seed", "--tenants", "1", "--conversations", "100", "--messages", "20000"];
    let run = chatdb(dir.path(), &[("DATABASE_URL", source.url())], &args);
    assert_eq!(run.code, 0, "{}", run.output());
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let before = content(target.conn()).await;

    let mut child = start_copy(dir.path(), source.url(), target.url());
    kill_once_every_row_is_written(&mut child);
    // The server notices the dead client and rolls its transaction back.
    let ours = "SELECT count(*) FROM pg_stat_activity \
                WHERE application_name = 'chatdb' AND datname = current_database()";
    for _ in 0..1500 {
        if count(target.url(), ours).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_same_content(&before, &content(target.conn()).await, "after kill -9");
    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 0, "and the copy can simply run again: {}", run.output());
}

#[tokio::test]
async fn a_copy_into_sqlite_killed_halfway_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    let args = ["seed", "--tenants", "1", "--conversations", "100", "--messages", "20000"];
    let run = chatdb(dir.path(), &[("DATABASE_URL", source.url())], &args);
    assert_eq!(run.code, 0, "{}", run.output());
    let target = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let before = content(target.conn()).await;
    let mut child = start_copy(dir.path(), source.url(), target.url());
    kill_once_every_row_is_written(&mut child);
    assert_same_content(
        &before,
        &content(&target.reconnect().await.expect("reopen")).await,
        "after kill -9",
    );
    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 0, "and the copy can simply run again: {}", run.output());
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
}

/// URLs with a password the server checks, through a copy, its refusal, a replacing copy
/// with its backup, an export and an import, in text and JSON: the password is never
/// printed, nor written into the export.
#[tokio::test]
async fn copies_exports_and_imports_never_show_the_password_they_connect_with() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = seeded_sqlite(dir.path()).await;
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    let elsewhere = TestDb::migrated(Backend::Postgres).await.expect("database");
    let with_password = testkit::password_role_url(target.url()).await.expect("role");
    let elsewhere_with_password = testkit::password_role_url(elsewhere.url()).await.expect("role");
    let export_dir = dir.path().join("export");
    let export = export_dir.to_str().expect("path");
    let runs = [
        copy(dir.path(), source.url(), &with_password, &[]),
        copy(dir.path(), source.url(), &with_password, &[]),
        copy(dir.path(), source.url(), &with_password, &["--replace", "--json"]),
        chatdb(dir.path(), &[("DATABASE_URL", &with_password)], &["export", export]),
        chatdb(
            dir.path(),
            &[("DATABASE_URL", &elsewhere_with_password)],
            &["--json", "import", export],
        ),
        copy(dir.path(), source.url(), &with_password.replace(testkit::PASSWORD, "wrong-Pw7"), &[]),
    ];
    let codes: Vec<i32> = runs.iter().map(|run| run.code).collect();
    let all = runs.iter().map(Run::output).collect::<Vec<_>>().join("\n----\n");

    assert_eq!(codes, [0, 2, 0, 0, 0, 1], "{all}");
    assert!(
        all.contains("is not empty") && all.contains("password authentication failed"),
        "{all}"
    );
    assert!(
        all.contains("messages: ") && all.contains("\"rows_per_second\""),
        "progress and JSON: {all}"
    );
    assert!(!all.contains(testkit::PASSWORD) && !all.contains("wrong-Pw7"), "{all}");
    for file in std::fs::read_dir(&export_dir).expect("the export") {
        let text = std::fs::read_to_string(file.expect("file").path()).expect("read");
        assert!(!text.contains(testkit::PASSWORD));
    }
    assert_same_content(
        &content(source.conn()).await,
        &content(elsewhere.conn()).await,
        "exported and imported elsewhere",
    );
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
    // Row-level security (V4) does not confine the owner: a tenant's rows all come out.
    let own: Vec<String> = migration::seeded_ids::migrations_own_tenants()
        .iter()
        .map(|id| format!("'{id}'"))
        .collect();
    let seeded: String = binary::scalar(
        &owned,
        &format!("SELECT min(id::text) FROM tenants WHERE id NOT IN ({})", own.join(", ")),
    )
    .await
    .expect("a seeded tenant");
    let tenant_file = binary::sqlite_url(dir.path(), "tenant.sqlite3");
    let tenant = copy(dir.path(), &owned, &tenant_file, &["--tenant", &seeded, "--migrate-target"]);
    assert_eq!(tenant.code, 0, "{}", tenant.output());
    let sql = format!("SELECT count(*) FROM messages WHERE tenant_id = '{seeded}'");
    let messages = count(&owned, &sql).await;
    assert!(messages > 0);
    let blob = seeded.replace('-', "").to_uppercase();
    let in_file = format!("SELECT count(*) FROM messages WHERE hex(tenant_id) = '{blob}'");
    assert_eq!(count(&tenant_file, &in_file).await, messages);
    drop(target);
    binary::execute(server.url(), &format!("DROP DATABASE {database} WITH (FORCE)"))
        .await
        .expect("drop");
    binary::execute(server.url(), &format!("DROP ROLE {role}")).await.expect("drop role");
}
