//! Deploying as an operator does: settings only in `.env`, a database that remembers it is
//! production, an older binary after a rollback, dry runs and targets.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

const ADMIN_PASSWORD: &str = "Zx9-distinctive-admin-pass";

fn migration(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    binary::run(env!("CARGO_BIN_EXE_migration"), dir, env, args)
}

async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

#[tokio::test]
async fn a_production_deploy_configured_only_in_dotenv_gets_no_sample_data_and_its_own_admin() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let dotenv = format!(
        "APP_ENV=production\nDATABASE_URL={}\nDB_SSL_MODE=disable\nDB_ALLOW_INSECURE=true\n\
         ADMIN_EMAIL=ops@example.com\nADMIN_PASSWORD={ADMIN_PASSWORD}\n",
        db.url()
    );
    std::fs::write(dir.path().join(".env"), dotenv).expect("write .env");

    let up = migration(dir.path(), &[], &["up"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains("without inserting anything"), "{}", up.stderr);
    assert!(!up.output().contains(ADMIN_PASSWORD), "the password was printed");
    assert_eq!(count(db.url(), "SELECT count(*) FROM tenants").await, 1, "only the admin tenant");
    let email: String = binary::scalar(db.url(), "SELECT email FROM users").await.expect("admin");
    assert_eq!(email, "ops@example.com");
    let hash: String =
        binary::scalar(db.url(), "SELECT password_hash FROM users").await.expect("hash");
    let parsed = PasswordHash::new(&hash).expect("PHC string");
    assert!(Argon2::default().verify_password(ADMIN_PASSWORD.as_bytes(), &parsed).is_ok());
    let stored: String =
        binary::scalar(db.url(), "SELECT value FROM chatdb_metadata WHERE key = 'environment'")
            .await
            .expect("stored environment");
    assert_eq!(stored, "production");
}

#[tokio::test]
async fn a_development_dotenv_is_honoured_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "dev.sqlite3");
    std::fs::write(
        dir.path().join(".env"),
        format!("DATABASE_URL={url}\nADMIN_EMAIL=dev@example.com\n"),
    )
    .expect("write .env");

    let up = migration(dir.path(), &[], &["up"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert_eq!(count(&url, "SELECT count(*) FROM tenants").await, 4, "admin + 3 sample tenants");
    let email: String = binary::scalar(&url, "SELECT email FROM users WHERE role = 'SUPER_ADMIN'")
        .await
        .expect("admin");
    assert_eq!(email, "dev@example.com");
}

#[tokio::test]
async fn production_without_admin_password_invites_the_admin_and_prints_no_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "prod.sqlite3");
    let env = [("DATABASE_URL", url.as_str()), ("APP_ENV", "production")];

    let up = migration(dir.path(), &env, &["up"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains("as INVITED, without a password"), "{}", up.stderr);
    assert!(!up.output().contains("generated password"), "{}", up.output());
    let invited = "SELECT count(*) FROM users WHERE status = 'INVITED' AND password_hash IS NULL";
    assert_eq!(count(&url, invited).await, 1);
}

#[test]
fn a_database_stored_as_production_refuses_destruction_whatever_app_env_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "prod.sqlite3");
    let production = [
        ("DATABASE_URL", url.as_str()),
        ("APP_ENV", "production"),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD),
    ];
    assert_eq!(migration(dir.path(), &production, &["up"]).code, 0);
    let unset = [("DATABASE_URL", url.as_str())];

    let fresh = migration(dir.path(), &unset, &["fresh"]);
    assert_eq!(fresh.code, 2, "{}", fresh.output());
    assert!(fresh.stderr.contains("belongs to production"), "{}", fresh.stderr);
    assert!(fresh.stderr.contains("chatdb_metadata"), "{}", fresh.stderr);
    assert!(fresh.stderr.contains("drop every table"), "says what would be lost: {}", fresh.stderr);

    let down = migration(dir.path(), &[("APP_ENV", "development"), unset[0]], &["down"]);
    assert_eq!(down.code, 2, "{}", down.output());
    assert!(down.stderr.contains("m20261204_000001_tenant_isolation"), "{}", down.stderr);

    let up = migration(dir.path(), &[("APP_ENV", "development"), unset[0]], &["up"]);
    assert_eq!(up.code, 2, "a laptop pointed at production: {}", up.output());
    assert!(up.stderr.contains("APP_ENV=development"), "{}", up.stderr);

    let status = migration(dir.path(), &unset, &["status"]);
    assert!(status.stdout.contains("4 applied, 0 pending"), "nothing was lost: {}", status.stdout);

    let forced = migration(dir.path(), &unset, &["fresh", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.output());
}

#[tokio::test]
async fn an_older_binary_reports_a_newer_database_and_refuses_only_to_move_it() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let future = "m20991231_000001_from_the_future";
    let insert =
        format!("INSERT INTO seaql_migrations (version, applied_at) VALUES ('{future}', 0)");
    binary::execute(db.url(), &insert).await.expect("a newer release's row");
    let env = [("DATABASE_URL", db.url())];

    let status = migration(dir.path(), &env, &["status"]);
    assert_eq!(status.code, 0, "{}", status.output());
    assert!(status.stdout.contains("from_the_future"), "{}", status.stdout);
    assert!(status.stdout.contains("unknown to this build"), "{}", status.stdout);

    for command in [&["up"][..], &["down"]] {
        let run = migration(dir.path(), &env, command);
        assert_eq!(run.code, 2, "{command:?}: {}", run.output());
        assert!(run.stderr.contains(future), "{}", run.stderr);
        assert!(run.stderr.contains("newer release"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn targets_move_to_a_named_version_and_back_to_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "app.sqlite3");
    let env = [("DATABASE_URL", url.as_str())];

    let up = migration(dir.path(), &env, &["up", "--to", "m20240201_000001_support_tables"]);
    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stdout.contains("2 applied, 2 pending"), "{}", up.stdout);

    let pending = migration(dir.path(), &env, &["status", "--exit-code"]);
    assert_eq!(pending.code, 1, "pending migrations fail --exit-code: {}", pending.output());

    let down = migration(dir.path(), &env, &["down", "--to", "0"]);
    assert_eq!(down.code, 0, "{}", down.output());
    assert!(down.stdout.contains("0 applied, 4 pending"), "{}", down.stdout);

    let unknown = migration(dir.path(), &env, &["up", "--to", "m2099_nothing"]);
    assert_eq!(unknown.code, 2, "{}", unknown.output());
    assert!(unknown.stderr.contains("--to m2099_nothing"), "{}", unknown.stderr);

    assert_eq!(migration(dir.path(), &env, &["up"]).code, 0);
    assert_eq!(migration(dir.path(), &env, &["status", "--exit-code"]).code, 0);
}

#[tokio::test]
async fn a_dry_run_prints_the_statements_and_changes_nothing() {
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let db = TestDb::empty(backend).await.expect("database");
        let dir = tempfile::tempdir().expect("tempdir");
        let env = [("DATABASE_URL", db.url())];

        let dry = migration(dir.path(), &env, &["up", "--dry-run"]);

        assert_eq!(dry.code, 0, "{backend:?}: {}", dry.output());
        assert!(dry.stdout.contains("CREATE TABLE tenants"), "{backend:?}: {}", dry.stdout);
        assert!(dry.stdout.contains("Would apply m20240301_000001_sample_data"), "{}", dry.stdout);
        assert!(dry.stdout.contains("rolled back; nothing changed"), "{}", dry.stdout);
        let status = migration(dir.path(), &env, &["status"]);
        assert!(status.stdout.contains("0 applied, 4 pending"), "{backend:?}: {}", status.stdout);
        let tables = match backend {
            Backend::Postgres => "SELECT count(*) FROM pg_tables WHERE tablename = 'tenants'",
            Backend::Sqlite => "SELECT count(*) FROM sqlite_master WHERE name = 'tenants'",
        };
        assert_eq!(count(db.url(), tables).await, 0, "{backend:?}: no table was left behind");
    }
}

#[test]
fn a_malformed_dotenv_is_named_by_line_and_variable_and_its_secret_stays_hidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = "Qv7-unclosed-Secret";
    std::fs::write(
        dir.path().join(".env"),
        format!("APP_ENV=production\nADMIN_PASSWORD=\"{secret}\n"),
    )
    .expect("write .env");

    let run = migration(dir.path(), &[], &["up"]);

    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("line 2 (ADMIN_PASSWORD)"), "{}", run.stderr);
    assert!(!run.output().contains(secret), "the secret leaked: {}", run.output());
}

#[test]
fn up_waits_for_a_database_that_is_not_there_yet_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", "postgres://app@127.0.0.1:1/chatdb"), ("DB_CONNECT_TIMEOUT", "1")];

    let started = std::time::Instant::now();
    let run = migration(dir.path(), &env, &["up", "--wait", "5"]);

    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stderr.matches("waiting for the database").count() >= 1, "{}", run.stderr);
    // Like dbmate --wait: it gives up only once the whole wait has passed (it used to stop
    // after 3.7 s when the next pause would have overrun it).
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(5),
        "gave up after {:?}",
        started.elapsed()
    );
}

/// A database developed on, then deployed to production by a later `up`: it remembers the
/// stronger environment, and a development shell can no longer destroy it.
#[test]
fn the_stored_environment_moves_up_with_a_later_up_and_then_guards() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = binary::sqlite_url(dir.path(), "app.sqlite3");
    let development = [("DATABASE_URL", url.as_str())];
    let v1 = migration(dir.path(), &development, &["up", "--to", "m20240101_000001_core_schema"]);
    assert_eq!(v1.code, 0, "{}", v1.output());
    let production = [
        ("DATABASE_URL", url.as_str()),
        ("APP_ENV", "production"),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD),
    ];

    let up = migration(dir.path(), &production, &["up"]);

    assert_eq!(up.code, 0, "{}", up.output());
    let fresh = migration(dir.path(), &development, &["fresh"]);
    assert_eq!(fresh.code, 2, "{}", fresh.output());
    assert!(fresh.stderr.contains("belongs to production"), "{}", fresh.stderr);
}
