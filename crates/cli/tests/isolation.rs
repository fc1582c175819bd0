//! The two roles of a deployment as an operator sets them up: the owner migrates, seeds
//! and backs up every tenant; `chatdb db grant-app` makes the application's role, which
//! `chatdb check` reports as confined by row-level security.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use common::chatdb;
use testkit::binary;
use testkit::{APP_ROLE, Backend, OWNER_ROLE, OwnedDatabase, TestDb};

/// Every tenant's row count in every table that holds tenants' rows, as text lines.
async fn rows_per_tenant(url: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for table in entity::schema::tables() {
        let column = if table.name == "tenants" { "id" } else { "tenant_id" };
        if !table.columns.iter().any(|c| c.name == column) {
            continue;
        }
        let sql = format!(
            "SELECT coalesce(string_agg(t || '=' || n, ',' ORDER BY t), '') FROM \
             (SELECT {column}::text AS t, count(*) AS n FROM {} GROUP BY 1) x",
            table.name
        );
        let counts: String = binary::scalar(url, &sql).await.expect("counts");
        lines.push(format!("{}: {counts}", table.name));
    }
    lines
}

#[tokio::test]
async fn an_ordinary_owner_backs_up_and_restores_every_tenant_under_row_level_security() {
    let server = TestDb::empty(Backend::Postgres).await.expect("server");
    let (source, restored) = (
        OwnedDatabase::create(server.url()).await.expect("database"),
        OwnedDatabase::create(server.url()).await.expect("database"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let as_owner = [("DATABASE_URL", source.url())];
    let up = chatdb(dir.path(), &as_owner, &["migrate", "up"]);
    assert_eq!(up.code, 0, "{}", up.output());
    let seed = chatdb(dir.path(), &as_owner, &["seed", "--tenants", "2", "--messages", "200"]);
    assert_eq!(seed.code, 0, "the owner seeds under row-level security: {}", seed.output());
    testkit::app_role_url(server.url()).await.expect("app role");
    let grant = chatdb(dir.path(), &as_owner, &["db", "grant-app", APP_ROLE]);
    assert_eq!(grant.code, 0, "{}", grant.output());
    let before = rows_per_tenant(source.url()).await;
    let messages = before.iter().find(|l| l.starts_with("messages:")).expect("messages");
    assert!(messages.matches('=').count() >= 4, "several tenants' messages: {messages}");

    let as_app = [("DATABASE_URL", &*testkit::as_role(source.url(), APP_ROLE).expect("URL"))];
    let partial = chatdb(dir.path(), &as_app, &["backup", "--out", "one-tenant.dump"]);
    assert_eq!(partial.code, 1, "pg_dump refuses rather than dump nothing: {}", partial.output());
    assert!(partial.stderr.contains("as the tables' owner"), "{}", partial.stderr);

    let backup = chatdb(dir.path(), &as_owner, &["backup", "--out", "all.dump"]);
    assert_eq!(backup.code, 0, "{}", backup.output());
    let into_empty = [("DATABASE_URL", restored.url())];
    let restore = chatdb(dir.path(), &into_empty, &["restore", "all.dump", "--no-backup"]);
    assert_eq!(restore.code, 0, "{}", restore.output());

    assert_eq!(rows_per_tenant(restored.url()).await, before, "every tenant's rows came back");
    let validate = chatdb(dir.path(), &into_empty, &["migrate", "validate"]);
    assert_eq!(validate.code, 0, "policies restored too: {}", validate.output());
}

#[tokio::test]
async fn check_tells_the_owner_from_the_confined_application() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let app_url = testkit::app_role_url(db.url()).await.expect("app role");
    let grant = chatdb(dir.path(), &[("DATABASE_URL", db.url())], &["db", "grant-app", APP_ROLE]);
    assert_eq!(grant.code, 0, "{}", grant.output());

    let owner = chatdb(dir.path(), &[("DATABASE_URL", db.url())], &["check"]);
    assert_eq!(owner.code, 0, "{}", owner.output());
    assert!(
        owner.stdout.contains("isolation  NOT confined: postgres is a superuser"),
        "{}",
        owner.stdout
    );

    let app = chatdb(dir.path(), &[("DATABASE_URL", &app_url)], &["--json", "check"]);
    assert_eq!(app.code, 0, "{}", app.output());
    let report: serde_json::Value = serde_json::from_str(&app.stdout).expect("JSON");
    assert_eq!(report["tenant_isolation"]["confined"], true, "{report}");
    assert_eq!(report["tenant_isolation"]["role"], APP_ROLE, "{report}");

    let sqlite = chatdb(dir.path(), &[("DATABASE_URL", "sqlite::memory:")], &["check"]);
    assert!(sqlite.stdout.contains("isolation  n/a (SQLite has no roles"), "{}", sqlite.output());
}

#[tokio::test]
async fn grant_app_refuses_every_role_that_row_level_security_would_not_confine() {
    let server = TestDb::empty(Backend::Postgres).await.expect("server");
    let owned = OwnedDatabase::create(server.url()).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let as_owner = [("DATABASE_URL", owned.url())];
    assert_eq!(chatdb(dir.path(), &as_owner, &["migrate", "up"]).code, 0);
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..12];
    let (bypass, member) = (format!("bypass_{suffix}"), format!("member_{suffix}"));
    for sql in [
        format!("CREATE ROLE {bypass} LOGIN BYPASSRLS"),
        format!("CREATE ROLE {member} LOGIN IN ROLE {OWNER_ROLE}"),
    ] {
        binary::execute(server.url(), &sql).await.expect("role");
    }

    for (role, why) in [
        (OWNER_ROLE, "owns the tables"),
        (bypass.as_str(), "has BYPASSRLS"),
        ("postgres", "is a superuser"),
        (member.as_str(), "has the privileges of chatdb_test_owner, the tables' owner"),
        ("no_such_role", "no such role; create it first"),
    ] {
        let run = chatdb(dir.path(), &as_owner, &["db", "grant-app", role]);
        assert_eq!(run.code, 2, "{role}: {}", run.output());
        assert!(run.stderr.contains(why), "{role} refused because it {why}: {}", run.stderr);
    }
    let sqlite =
        chatdb(dir.path(), &[("DATABASE_URL", "sqlite::memory:")], &["db", "grant-app", "x"]);
    assert_eq!(sqlite.code, 2, "{}", sqlite.output());
    assert!(sqlite.stderr.contains("SQLite, which has no roles"), "{}", sqlite.stderr);

    drop(owned);
    for role in [bypass, member] {
        binary::execute(server.url(), &format!("DROP ROLE {role}")).await.expect("drop role");
    }
}
