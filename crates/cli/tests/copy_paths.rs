//! The copy's other roads: like to like (SQLite → SQLite, PostgreSQL → PostgreSQL), a
//! whole database through files, one tenant to and from SQLite, the application writing
//! to the source meanwhile, and the same database under another name.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use std::time::Duration;

use common::chatdb;
use common::copying::*;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};
use testkit::binary;
use testkit::{Backend, TestDb};

#[tokio::test]
async fn sqlite_copies_to_sqlite_and_postgres_to_postgres_while_the_application_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prototype = seeded_sqlite(dir.path()).await;
    let original = content(prototype.conn()).await;

    let local = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let run = copy(dir.path(), prototype.url(), local.url(), &[]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_same_content(&original, &content(local.conn()).await, "SQLite → SQLite");

    let primary = TestDb::migrated(Backend::Postgres).await.expect("database");
    let run = copy(dir.path(), prototype.url(), primary.url(), &[]);
    assert_eq!(run.code, 0, "{}", run.output());
    // The replica's tenants held by a reader: the copy has its snapshot of the primary and
    // waits to empty the replica, while the application writes to the primary.
    let replica = TestDb::migrated(Backend::Postgres).await.expect("database");
    let reader_conn = Database::connect(replica.url()).await.expect("connect");
    let reader = reader_conn.begin().await.expect("begin");
    reader.execute_unprepared("SELECT count(*) FROM tenants").await.expect("read");
    let args = ["copy", "--from", primary.url(), "--to", replica.url()];
    let child = binary::spawn(env!("CARGO_BIN_EXE_chatdb"), dir.path(), &[], &args).expect("start");
    let waited = binary::until_waiting_on_a_lock(replica.url(), Duration::from_secs(60)).await;
    binary::execute(
        primary.url(),
        &format!(
            "UPDATE messages SET content = 'written during the copy' WHERE id = \
               (SELECT id FROM messages ORDER BY id LIMIT 1); \
             DELETE FROM webhooks; \
             INSERT INTO tags (tenant_id, name) VALUES ('{SAMPLE_TENANT}', 'during-the-copy')"
        ),
    )
    .await
    .expect("the application writes");
    reader.rollback().await.expect("the reader finishes");
    let run = binary::finish_within(child, Duration::from_secs(120));

    assert!(waited.expect("pg_stat_activity"), "the copy waited for the reader");
    assert_eq!(run.code, 0, "{}", run.output());
    assert!(run.stdout.contains("verified"), "{}", run.stdout);
    assert_same_content(&original, &content(replica.conn()).await, "as of the copy's snapshot");
    let written = "SELECT count(*) FROM messages WHERE content = 'written during the copy'";
    assert_eq!(count(primary.url(), written).await, 1, "the write stays in the primary");
    assert_eq!(count(replica.url(), written).await, 0);
}

#[tokio::test]
async fn a_whole_sqlite_database_exported_to_files_is_imported_into_postgres() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prototype = seeded_sqlite(dir.path()).await;
    let export_dir = dir.path().join("export");
    let export = export_dir.to_str().expect("path");
    let run = chatdb(dir.path(), &[("DATABASE_URL", prototype.url())], &["export", export]);
    assert_eq!(run.code, 0, "{}", run.output());
    let files = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("the export")
            .map(|f| f.expect("file").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let exported = files(&export_dir);
    assert_eq!(exported.len(), 17, "a manifest and a file a table: {exported:?}");

    // Exporting again into the same (now non-empty) directory is refused, and it stays.
    let manifest = std::fs::read_to_string(export_dir.join("manifest.json")).expect("manifest");
    let run = chatdb(dir.path(), &[("DATABASE_URL", prototype.url())], &["export", export]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains(export) && run.stderr.contains("not empty"), "{}", run.stderr);
    assert_eq!(files(&export_dir), exported);
    let unchanged = std::fs::read_to_string(export_dir.join("manifest.json")).expect("manifest");
    assert_eq!(unchanged, manifest);

    let production = TestDb::migrated(Backend::Postgres).await.expect("database");
    let run = chatdb(dir.path(), &[("DATABASE_URL", production.url())], &["import", export]);
    assert_eq!(run.code, 0, "{}", run.output());
    assert_same_content(
        &content(prototype.conn()).await,
        &content(production.conn()).await,
        "SQLite → files → PostgreSQL",
    );
    let env = [("DATABASE_URL", production.url())];
    let validate = chatdb(dir.path(), &env, &["migrate", "validate"]);
    assert_eq!(validate.code, 0, "{}", validate.output());
}

#[tokio::test]
async fn a_tenant_goes_from_sqlite_to_postgres_and_from_there_to_another_sqlite_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prototype = seeded_sqlite(dir.path()).await;
    let tenant = SAMPLE_TENANT;
    let theirs = of_tenant(&content(prototype.conn()).await, tenant, true);
    assert!(!theirs["messages"].is_empty());

    let production = TestDb::migrated(Backend::Postgres).await.expect("database");
    binary::execute(production.url(), &format!("DELETE FROM tenants WHERE id = '{tenant}'"))
        .await
        .expect("make room");
    let others = of_tenant(&content(production.conn()).await, tenant, false);
    let run = copy(dir.path(), prototype.url(), production.url(), &["--tenant", tenant]);
    assert_eq!(run.code, 0, "{}", run.output());
    let after = content(production.conn()).await;
    assert_same_content(&theirs, &of_tenant(&after, tenant, true), "SQLite → PostgreSQL");
    assert_same_content(&others, &of_tenant(&after, tenant, false), "the others, untouched");

    let laptop = TestDb::migrated(Backend::Sqlite).await.expect("database");
    binary::execute(
        laptop.url(),
        &format!("DELETE FROM tenants WHERE id = X'{}'", tenant.replace('-', "")),
    )
    .await
    .expect("make room");
    let run = copy(dir.path(), production.url(), laptop.url(), &["--tenant", tenant]);
    assert_eq!(run.code, 0, "{}", run.output());
    let copied = of_tenant(&content(laptop.conn()).await, tenant, true);
    assert_same_content(&theirs, &copied, "PostgreSQL → SQLite");
}

#[tokio::test]
async fn the_same_postgres_database_under_another_host_name_or_a_pooler_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), db.url());
    let before = content(db.conn()).await;
    let by_name = db.url().replace("127.0.0.1", "localhost");
    let pooled = format!("{}?pgbouncer=true", testkit::pgbouncer_url(db.url()).expect("PgBouncer"));
    for other_name in [by_name, pooled] {
        let run = copy(dir.path(), db.url(), &other_name, &["--replace", "--no-backup"]);
        assert_eq!(run.code, 2, "{other_name}: {}", run.output());
        assert!(run.stderr.contains("is also the source"), "{other_name}: {}", run.stderr);
    }
    assert_same_content(&before, &content(db.conn()).await, "after the refusals");
}

#[tokio::test]
async fn a_source_older_than_the_target_is_refused_until_the_source_is_migrated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = TestDb::migrated(Backend::Postgres).await.expect("database");
    seed(dir.path(), source.url());
    let env = [("DATABASE_URL", source.url())];
    let down = chatdb(dir.path(), &env, &["migrate", "down", "--no-backup"]);
    assert_eq!(down.code, 0, "{}", down.output());
    let target = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let before = content(target.conn()).await;

    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("m20261204_000001_tenant_isolation"), "{}", run.stderr);
    assert_same_content(&before, &content(target.conn()).await, "after the refusal");

    assert_eq!(chatdb(dir.path(), &env, &["migrate", "up"]).code, 0);
    let run = copy(dir.path(), source.url(), target.url(), &[]);
    assert_eq!(run.code, 0, "once migrated: {}", run.output());
}
