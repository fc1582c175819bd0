//! The `migration` binary as an operator uses it: environment in, lines and exit codes out.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

/// Runs the binary with exactly `env` (nothing inherited) in `dir`, so no `.env` file or
/// developer setting leaks in.
fn migration(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    binary::run(env!("CARGO_BIN_EXE_migration"), dir, env, args)
}

fn sqlite_url(dir: &Path) -> String {
    binary::sqlite_url(dir, "app.sqlite3")
}

async fn scalar(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

async fn text(url: &str, sql: &str) -> String {
    binary::scalar(url, sql).await.expect("query")
}

#[test]
fn up_applies_every_migration_then_status_and_a_second_up_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    let env = [("DATABASE_URL", url.as_str())];

    let up = migration(dir.path(), &env, &["up"]);
    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains("Database: sqlite://"), "says which database: {}", up.stderr);
    assert!(up.stderr.contains("DATABASE_URL"), "and where it came from: {}", up.stderr);
    assert!(!up.output().contains('\x1b'), "no colour codes into a pipe: {:?}", up.output());
    for name in [
        "m20240101_000001_core_schema",
        "m20240201_000001_support_tables",
        "m20240301_000001_sample_data",
    ] {
        assert!(up.stdout.contains(&format!("Applied {name} (")), "{}", up.stdout);
    }

    let status = migration(dir.path(), &env, &["status"]);
    assert!(status.stdout.contains("4 applied, 0 pending"), "{}", status.stdout);
    let again = migration(dir.path(), &env, &["up"]);
    assert_eq!(again.code, 0);
    assert!(!again.stdout.contains("ms)"), "nothing applied twice: {}", again.stdout);
    assert!(again.stdout.contains("4 applied, 0 pending"), "{}", again.stdout);
}

#[tokio::test]
async fn the_admin_comes_from_the_environment_and_its_password_is_never_printed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    let password = "Correct-Horse-Battery-42";
    // The most verbose logging must not show it either.
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("ADMIN_EMAIL", "ops@example.org"),
        ("ADMIN_PASSWORD", password),
        ("RUST_LOG", "trace"),
    ];

    let up = migration(dir.path(), &env, &["up", "-n", "1"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert!(!up.output().contains(password), "the password was printed");
    let hash = text(
        &url,
        "SELECT password_hash FROM users WHERE email = 'ops@example.org' AND role = 'SUPER_ADMIN'",
    )
    .await;
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let parsed = PasswordHash::new(&hash).expect("PHC string");
    assert!(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
}

#[tokio::test]
async fn without_admin_password_a_random_one_is_generated_and_shown_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());

    let up = migration(dir.path(), &[("DATABASE_URL", url.as_str())], &["up", "-n", "1"]);

    assert_eq!(up.code, 0, "{}", up.output());
    let shown = up
        .stderr
        .split("with the generated password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the generated password is shown on stderr");
    assert!(shown.len() >= 20, "a strong password: {shown}");
    let hash = text(&url, "SELECT password_hash FROM users WHERE role = 'SUPER_ADMIN'").await;
    let parsed = PasswordHash::new(&hash).expect("PHC string");
    assert!(Argon2::default().verify_password(shown.as_bytes(), &parsed).is_ok());
    let status = migration(dir.path(), &[("DATABASE_URL", url.as_str())], &["status"]);
    assert!(!status.output().contains(shown), "shown only once");
}

#[test]
fn a_short_admin_password_is_refused_and_nothing_is_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    let short = "Zq-7-short";
    let env = [("DATABASE_URL", url.as_str()), ("ADMIN_PASSWORD", short)];

    let up = migration(dir.path(), &env, &["up"]);

    assert_eq!(up.code, 2, "a configuration error");
    assert!(up.stderr.contains("ADMIN_PASSWORD"), "{}", up.stderr);
    assert!(!up.output().contains(short), "the password was printed: {}", up.output());
    let status = migration(dir.path(), &[("DATABASE_URL", url.as_str())], &["status"]);
    assert!(status.stdout.contains("0 applied, 4 pending"), "{}", status.stdout);
}

#[test]
fn staging_and_production_need_a_database_url() {
    let dir = tempfile::tempdir().expect("tempdir");
    for env in ["staging", "production"] {
        let run = migration(dir.path(), &[("APP_ENV", env)], &["status"]);
        assert_eq!(run.code, 2, "a configuration error");
        assert!(
            run.stderr.contains("set DATABASE_URL") && run.stderr.contains(env),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn an_unknown_app_env_is_refused_with_the_accepted_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = migration(dir.path(), &[("APP_ENV", "prod")], &["status"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("APP_ENV=\"prod\""), "{}", run.stderr);
    assert!(run.stderr.contains("development, test, staging, production"), "{}", run.stderr);
}

#[test]
fn destructive_commands_need_force_in_production() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("APP_ENV", "production"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
    ];
    assert_eq!(migration(dir.path(), &env, &["up"]).code, 0);

    for command in [&["down"][..], &["reset"], &["fresh"], &["refresh"], &["down", "-n", "3"]] {
        let run = migration(dir.path(), &env, command);
        assert_eq!(run.code, 2, "{command:?} ran in production");
        assert!(run.stderr.contains("--force"), "{}", run.stderr);
    }
    let status = migration(dir.path(), &env, &["status"]);
    assert!(status.stdout.contains("4 applied, 0 pending"), "nothing was lost: {}", status.stdout);

    let forced = migration(dir.path(), &env, &["down", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.output());
    assert!(
        forced.stdout.contains("Rolled back m20261204_000001_tenant_isolation"),
        "{}",
        forced.stdout
    );
}

#[tokio::test]
async fn production_records_sample_data_without_inserting_it_unless_asked() {
    let plain = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    // The throwaway test server has no TLS, which production must be told to accept.
    let insecure = [("DB_SSL_MODE", "disable"), ("DB_ALLOW_INSECURE", "true")];
    let mut env = vec![
        ("DATABASE_URL", plain.url()),
        ("APP_ENV", "production"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
    ];
    env.extend(insecure);

    let up = migration(dir.path(), &env, &["up"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains("without inserting anything"), "{}", up.stderr);
    assert!(migration(dir.path(), &env, &["status"]).stdout.contains("4 applied, 0 pending"));
    assert_eq!(
        scalar(plain.url(), "SELECT count(*) FROM tenants").await,
        1,
        "only the admin tenant"
    );

    let seeded = TestDb::empty(Backend::Postgres).await.expect("database");
    let mut env = vec![
        ("DATABASE_URL", seeded.url()),
        ("APP_ENV", "production"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
        ("SEED_SAMPLE_DATA", "true"),
    ];
    env.extend(insecure);
    assert_eq!(migration(dir.path(), &env, &["up"]).code, 0);
    assert_eq!(scalar(seeded.url(), "SELECT count(*) FROM tenants").await, 4);
}

#[test]
fn database_passwords_never_appear_in_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = "Sup3r-S3cret-P4ss";
    for url in [
        format!("postgres://app:{secret}@127.0.0.1:1/chatdb"),
        format!("mysql://app:{secret}@localhost/chatdb"),
        format!("postgres://app:{secret}@[bad"),
    ] {
        let run = migration(dir.path(), &[("DATABASE_URL", url.as_str())], &["status"]);
        assert_ne!(run.code, 0, "{url} should fail");
        assert!(!run.output().contains(secret), "password leaked for {url}: {}", run.output());
        assert!(
            run.stderr.contains("DATABASE_URL"),
            "the error names the variable: {}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn zerodb_variables_are_picked_up() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let (_, after_port) = db.url().rsplit_once(':').expect("port in the test URL");
    let (port, name) = after_port.split_once('/').expect("database in the test URL");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [
        ("ZERODB_POSTGRES_HOST", "127.0.0.1"),
        ("ZERODB_POSTGRES_PORT", port),
        ("ZERODB_POSTGRES_DATABASE", name),
        ("ZERODB_POSTGRES_USERNAME", "postgres"),
        ("ZERODB_POSTGRES_PASSWORD", "unused-by-trust-auth"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
    ];

    let up = migration(dir.path(), &env, &["up"]);

    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains(&format!("@127.0.0.1:{port}/{name}")), "{}", up.stderr);
    assert!(!up.output().contains("unused-by-trust-auth"));
    assert_eq!(
        scalar(db.url(), "SELECT count(*) FROM seaql_migrations").await,
        migration::Migrator::names().len() as i64
    );
}

#[tokio::test]
async fn fresh_refresh_and_reset_work_in_development_on_postgres() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url()), ("ADMIN_PASSWORD", "a-long-enough-password")];
    assert_eq!(migration(dir.path(), &env, &["up"]).code, 0);

    for command in ["fresh", "refresh"] {
        let run = migration(dir.path(), &env, &[command]);
        assert_eq!(run.code, 0, "{command}: {}", run.output());
        assert!(run.stdout.contains("4 applied, 0 pending"), "{command}: {}", run.stdout);
    }
    let reset = migration(dir.path(), &env, &["--json", "reset"]);
    assert_eq!(reset.code, 0, "{}", reset.output());
    let report: serde_json::Value = serde_json::from_str(&reset.stdout).expect("JSON");
    assert_eq!((report["applied"].clone(), report["pending"].clone()), (0.into(), 4.into()));
    assert_eq!(
        scalar(
            db.url(),
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
        )
        .await,
        0
    );
}

/// RUST_LOG is a setting like any other: `.env` may hold it, and it is obeyed.
#[test]
fn the_log_filter_in_dotenv_is_obeyed() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".env"), "RUST_LOG=error\n").expect(".env");
    let quiet = migration(dir.path(), &[], &["status"]);
    assert_eq!(quiet.code, 0, "{}", quiet.output());
    assert!(!quiet.stderr.contains("Database:"), "info lines filtered out: {}", quiet.stderr);

    std::fs::write(dir.path().join(".env"), "RUST_LOG=debug\n").expect(".env");
    let chatty = migration(dir.path(), &[], &["status"]);
    assert!(chatty.stderr.contains("db.statement"), "debug lines shown: {}", chatty.stderr);
}

/// `new` in a copy of the migration crate's manifest and list: the file from the template,
/// registered after the newest; bad and taken names refused with nothing written.
#[test]
fn new_writes_the_next_migration_and_refuses_bad_or_taken_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crate_dir = dir.path().join("workspace").join("migration");
    std::fs::create_dir_all(crate_dir.join("src")).expect("mkdir");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["Cargo.toml", "src/lib.rs"] {
        std::fs::copy(here.join(file), crate_dir.join(file)).expect("copy");
    }
    let lib = || std::fs::read_to_string(crate_dir.join("src/lib.rs")).expect("lib.rs");
    let sources = || std::fs::read_dir(crate_dir.join("src")).expect("src").count();
    let before = lib();

    // Found from the workspace around the current directory, as `cargo run -p migration`.
    let run = migration(&dir.path().join("workspace"), &[], &["new", "add_conversation_language"]);
    assert_eq!(run.code, 0, "{}", run.output());
    let created = std::fs::read_dir(crate_dir.join("src"))
        .expect("src")
        .map(|f| f.expect("file").file_name().to_string_lossy().into_owned())
        .find(|f| f.ends_with("_add_conversation_language.rs"))
        .expect("the new file");
    let module = created.trim_end_matches(".rs");
    assert!(run.stdout.contains(module), "{}", run.stdout);
    let registered = lib();
    assert!(registered.contains(&format!("mod m20261204_000001_tenant_isolation;\nmod {module};")));
    assert!(registered.contains(&format!(
        "Box::new(m20261204_000001_tenant_isolation::Migration),\n            Box::new({module}::Migration),"
    )));
    assert_eq!(registered.lines().count(), before.lines().count() + 2);
    let text = std::fs::read_to_string(crate_dir.join("src").join(&created)).expect("file");
    assert!(text.contains("impl MigrationTrait for Migration") && text.contains("fn sqlite_up"));

    let dir_flag = crate_dir.to_str().expect("path");
    for (name, says) in [
        ("add_conversation_language", "is taken by"),
        ("Add-Index", "is not a migration name"),
        ("drop table", "is not a migration name"),
    ] {
        let (files, registry) = (sources(), lib());
        let run = migration(dir.path(), &[], &["new", name, "--dir", dir_flag]);
        assert_eq!(run.code, 2, "{name}: {}", run.output());
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
        assert_eq!((sources(), lib()), (files, registry), "{name}: nothing written");
    }
    let run = migration(dir.path(), &[], &["new", "x"]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("--dir"), "outside a workspace: {}", run.stderr);
}
