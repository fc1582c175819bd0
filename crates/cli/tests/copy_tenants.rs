//! One tenant at a time: copied alone, moved to another server (and a stopped move
//! finished), exported to files and imported elsewhere.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use std::time::Duration;

use common::chatdb;
use common::copying::*;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use testkit::binary;
use testkit::{Backend, TestDb};

/// A seeded PostgreSQL source, and a migrated target without [`SAMPLE_TENANT`] (it has the
/// migrations' other sample tenants): room for a copy of that tenant.
async fn seeded_source_and_a_target_without_the_sample_tenant(
    dir: &std::path::Path,
) -> (TestDb, TestDb) {
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir, source.url());
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    binary::execute(target.url(), &format!("DELETE FROM tenants WHERE id = '{SAMPLE_TENANT}'"))
        .await
        .expect("make room");
    (source, target)
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
async fn a_tenant_the_source_does_not_have_is_refused_by_name_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (source, target) = seeded_source_and_a_target_without_the_sample_tenant(dir.path()).await;
    let before = (content(source.conn()).await, content(target.conn()).await);
    let unknown = "0193a000-0001-7000-8000-0000000000ff";

    let run = copy(
        dir.path(),
        source.url(),
        target.url(),
        &["--tenant", SAMPLE_TENANT, "--tenant", unknown, "--move"],
    );
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains(&format!("--tenant {unknown}: no such tenant")), "{}", run.stderr);
    assert!(!run.stderr.contains(SAMPLE_TENANT), "only the missing one is named: {}", run.stderr);
    assert_same_content(&before.0, &content(source.conn()).await, "the source");
    assert_same_content(&before.1, &content(target.conn()).await, "the target");
}

#[tokio::test]
async fn a_tenant_moves_from_the_sqlite_prototype_to_postgres_and_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prototype = seeded_sqlite(dir.path()).await;
    let server = TestDb::migrated(Backend::Postgres).await.expect("database");
    binary::execute(server.url(), &format!("DELETE FROM tenants WHERE id = '{SAMPLE_TENANT}'"))
        .await
        .expect("make room");
    let tenant = of_tenant(&content(prototype.conn()).await, SAMPLE_TENANT, true);
    let others = of_tenant(&content(prototype.conn()).await, SAMPLE_TENANT, false);
    let tenant_messages =
        format!("SELECT count(*) FROM messages WHERE tenant_id = '{SAMPLE_TENANT}'");

    let there = ["--tenant", SAMPLE_TENANT, "--move"];
    let run = copy(dir.path(), prototype.url(), server.url(), &there);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_eq!(count(prototype.url(), &tenant_messages).await, 0, "gone from the file");
    assert_same_content(
        &tenant,
        &of_tenant(&content(server.conn()).await, SAMPLE_TENANT, true),
        "the tenant, on the server",
    );
    assert_same_content(&others, &content(prototype.conn()).await, "the file keeps the others");

    let run = copy(dir.path(), server.url(), prototype.url(), &there);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_eq!(count(server.url(), &tenant_messages).await, 0, "gone from the server");
    assert_same_content(
        &tenant,
        &of_tenant(&content(prototype.conn()).await, SAMPLE_TENANT, true),
        "the tenant, back in the file",
    );
}

#[tokio::test]
async fn a_tenant_exported_to_files_is_imported_elsewhere_and_a_changed_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), source.url());
    // A seeded tenant, given what the seeder does not write, so that it has rows in every table.
    let own: Vec<String> = migration::seeded_ids::migrations_own_tenants()
        .iter()
        .map(|id| format!("'{id}'"))
        .collect();
    let tenant: String = binary::scalar(
        source.url(),
        &format!("SELECT min(id::text) FROM tenants WHERE id NOT IN ({})", own.join(", ")),
    )
    .await
    .expect("a seeded tenant");
    binary::execute(
        source.url(),
        &format!(
            "INSERT INTO automations (tenant_id, name, trigger_type, actions) \
             VALUES ('{tenant}', 'Escalate', 'MESSAGE', '[]'); \
             INSERT INTO webhooks (tenant_id, name, url, events, secret_key) \
             VALUES ('{tenant}', 'CRM', 'https://crm.example.com/hook', '[\"message.created\"]', 'hashed')"
        ),
    )
    .await
    .expect("automation and webhook");
    let of_tenant = |all: &Content, mine: bool| common::copying::of_tenant(all, &tenant, mine);
    let exported = of_tenant(&content(source.conn()).await, true);
    assert!(exported.values().all(|rows| !rows.is_empty()), "rows in every table: {exported:?}");
    let export_dir = dir.path().join("tenant-export");
    let export_path = export_dir.to_str().expect("path");
    let run = chatdb(
        dir.path(),
        &[("DATABASE_URL", source.url())],
        &["--json", "export", export_path, "--tenant", &tenant],
    );
    assert_eq!(run.code, 0, "{}", run.output());
    let manifest: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON manifest");
    assert_eq!(
        manifest["migrations"].as_array().map(Vec::len),
        Some(migration::Migrator::names().len())
    );
    assert!(
        export_dir.join("manifest.json").is_file() && export_dir.join("messages.jsonl").is_file()
    );

    // Elsewhere: a local SQLite file with tenants of its own (V1's and V3's).
    let local = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let others_before = of_tenant(&content(local.conn()).await, false);
    let env = [("DATABASE_URL", local.url())];
    let run = chatdb(dir.path(), &env, &["import", export_path]);
    assert_eq!(run.code, 0, "{}", run.output());
    let after = content(local.conn()).await;
    assert_same_content(&exported, &of_tenant(&after, true), "the tenant, table by table");
    assert_same_content(&others_before, &of_tenant(&after, false), "the other tenants, untouched");

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
async fn a_write_to_the_tenant_during_its_move_stops_the_move_and_changes_neither_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (source, target) = seeded_source_and_a_target_without_the_sample_tenant(dir.path()).await;
    let tenant_messages =
        format!("SELECT count(*) FROM messages WHERE tenant_id = '{SAMPLE_TENANT}'");
    let messages = count(source.url(), &tenant_messages).await;
    // The application, in the source: edits one of the tenant's messages and holds the
    // tenant's row. The move waits for the row, but its snapshot is older than the edit:
    // deleting the edited message must fail rather than lose the edit.
    let app = Database::connect(source.url()).await.expect("connect");
    let edit = app.begin().await.expect("begin");
    edit.execute_unprepared(&format!(
        "UPDATE messages SET content = 'edited during the move' WHERE id = \
           (SELECT id FROM messages WHERE tenant_id = '{SAMPLE_TENANT}' ORDER BY id LIMIT 1); \
         SELECT 1 FROM tenants WHERE id = '{SAMPLE_TENANT}' FOR UPDATE"
    ))
    .await
    .expect("the application's write");

    let args = ["copy", "--from", source.url(), "--to", target.url()];
    let args = [&args[..], &["--tenant", SAMPLE_TENANT, "--move"]].concat();
    let child = binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &[], &args).expect("start");
    let waited = binary::until_waiting_on_a_lock(source.url(), Duration::from_secs(60)).await;
    edit.commit().await.expect("the application commits");
    let run = binary::finish_within(child, Duration::from_secs(60));

    assert!(waited.expect("pg_stat_activity"), "the move never waited: {}", run.output());
    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stderr.contains("written to in"), "{}", run.stderr);
    assert!(run.stderr.contains("run it again"), "{}", run.stderr);
    assert_eq!(count(source.url(), &tenant_messages).await, messages, "nothing deleted");
    let edited = format!("{tenant_messages} AND content = 'edited during the move'");
    assert_eq!(count(source.url(), &edited).await, 1, "the application's write is kept");
    assert_eq!(count(target.url(), &tenant_messages).await, 0, "nothing copied");

    // Once the application is done, the same move goes through, the edit with it.
    let run = chatdb(dir.path(), &[], &args);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_eq!(count(source.url(), &tenant_messages).await, 0, "moved away");
    assert_eq!(count(target.url(), &edited).await, 1, "the edit moved with it");
}

#[tokio::test]
async fn a_move_run_again_after_the_source_changed_is_refused_and_deletes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (source, target) = seeded_source_and_a_target_without_the_sample_tenant(dir.path()).await;
    let run = copy(dir.path(), source.url(), target.url(), &["--tenant", SAMPLE_TENANT]);
    assert_eq!(run.code, 0, "{}", run.output());
    // Written in the source after the copy: the target's copy is no longer the whole tenant.
    binary::execute(
        source.url(),
        &format!(
            "UPDATE messages SET content = content || ' (edited)' WHERE id = \
                  (SELECT id FROM messages WHERE tenant_id = '{SAMPLE_TENANT}' ORDER BY id LIMIT 1)"
        ),
    )
    .await
    .expect("write after the copy");
    let before = content(source.conn()).await;

    let run = copy(dir.path(), source.url(), target.url(), &["--tenant", SAMPLE_TENANT, "--move"]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_same_content(
        &before,
        &content(source.conn()).await,
        "the source after the refused move",
    );
}

/// `copy --json` run by the operator; returns whether the target was loaded in bulk.
fn moved_in_bulk(dir: &std::path::Path, from: &str, to: &str) -> bool {
    let args = ["--json", "copy", "--from", from, "--to", to, "--tenant", SAMPLE_TENANT, "--move"];
    let run = chatdb(dir, &[], &args);
    assert_eq!(run.code, 0, "{}", run.output());
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    report["bare_load"].as_bool().expect("bare_load")
}

/// `migrate validate` is clean on `url` and its schema is `schema`.
fn everything_back(dir: &std::path::Path, url: &str, schema: &str) {
    let validate = chatdb(dir, &[("DATABASE_URL", url)], &["migrate", "validate"]);
    assert_eq!(validate.code, 0, "every key, index and foreign key back: {}", validate.output());
    let dump = chatdb(dir, &[("DATABASE_URL", url)], &["migrate", "schema", "dump"]);
    assert_eq!(dump.stdout, schema, "the same schema");
}

#[tokio::test]
async fn a_tenant_moved_to_an_empty_server_loads_in_bulk_and_back_into_a_full_one_through_the_indexes()
 {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), source.url());
    let target = TestDb::migrated(Backend::Postgres).await.expect("database");
    binary::execute(target.url(), "DELETE FROM tenants").await.expect("an empty server");
    let schema =
        chatdb(dir.path(), &[("DATABASE_URL", target.url())], &["migrate", "schema", "dump"]);
    let tenant = of_tenant(&content(source.conn()).await, SAMPLE_TENANT, true);

    assert!(moved_in_bulk(dir.path(), source.url(), target.url()), "nothing there: in bulk");
    everything_back(dir.path(), target.url(), &schema.stdout);
    assert_eq!(
        of_tenant(&content(&target.reconnect().await.expect("reopen")).await, SAMPLE_TENANT, true),
        tenant
    );

    // Filled in bulk and never analyzed: a move out of it first gives the planner what its
    // delete needs (autovacuum kept away, so that only the move can have done it).
    let statistics = "SELECT count(*) FROM pg_stats WHERE tablename = 'messages'";
    binary::execute(target.url(), "ALTER TABLE messages SET (autovacuum_enabled = off)")
        .await
        .expect("autovacuum kept away");
    assert_eq!(count(target.url(), statistics).await, 0, "no statistics after the bulk load");

    assert!(!moved_in_bulk(dir.path(), target.url(), source.url()), "the others there: indexed");
    assert!(count(target.url(), statistics).await > 0, "analyzed before its delete");
    everything_back(dir.path(), source.url(), &schema.stdout);
    assert_eq!(
        of_tenant(&content(&source.reconnect().await.expect("reopen")).await, SAMPLE_TENANT, true),
        tenant
    );
}
