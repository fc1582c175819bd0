//! `chatdb` as an operator uses it.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use testkit::{Backend, TestDb};

use common::{Server, chatdb};

const SECRET: &str = "Qv7-distinctive-Secret";

#[test]
fn config_shows_each_value_with_its_source_and_hides_the_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [
        ("ZERODB_POSTGRES_HOST", "db.internal"),
        ("ZERODB_POSTGRES_PORT", "25060"),
        ("PGDATABASE", "chat"),
        ("ZERODB_POSTGRES_PASSWORD", SECRET),
        ("DB_POOL_SIZE", "40"),
    ];
    let run = chatdb(dir.path(), &env, &["config"]);

    assert_eq!(run.code, 0, "{}", run.output());
    for line in [
        "host = db.internal (from ZERODB_POSTGRES_HOST)",
        "port = 25060 (from ZERODB_POSTGRES_PORT)",
        "database = chat (from PGDATABASE)",
        "user = postgres (default)",
        "password = *** (from ZERODB_POSTGRES_PASSWORD)",
        "sslmode = prefer (default)",
        "pool.max = 40 (from DB_POOL_SIZE)",
    ] {
        assert!(run.stdout.contains(line), "missing {line:?} in\n{}", run.stdout);
    }
    let json = chatdb(dir.path(), &env, &["--json", "config"]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(parsed["target"]["host"]["value"], "db.internal");
    assert_eq!(parsed["target"]["host"]["source"]["name"], "ZERODB_POSTGRES_HOST");
    for output in [run.output(), json.output()] {
        assert!(!output.contains(SECRET), "password leaked: {output}");
    }
}

#[test]
fn dotenv_values_are_used_and_named_and_the_real_environment_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".env"), "PGHOST=from-dotenv\nPGPORT=6000\n")
        .expect("write .env");
    let run = chatdb(dir.path(), &[("PGPORT", "7000")], &["config"]);
    assert!(run.stdout.contains("host = from-dotenv (from PGHOST in .env)"), "{}", run.stdout);
    assert!(run.stdout.contains("port = 7000 (from PGPORT)"), "{}", run.stdout);
}

#[test]
fn configuration_and_usage_errors_exit_2_and_name_the_variable() {
    let dir = tempfile::tempdir().expect("tempdir");
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a str);
    let cases: &[Case] = &[
        (&[("APP_ENV", "prod")], &["config"], "APP_ENV"),
        (&[("PGHOST", "db"), ("PGPORT", "x")], &["check"], "PGPORT"),
        (&[("APP_ENV", "production")], &["check"], "DATABASE_URL"),
        (&[], &["frobnicate"], "frobnicate"),
    ];
    for (env, args, needle) in cases {
        let run = chatdb(dir.path(), env, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.output());
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
}

#[tokio::test]
async fn check_reports_on_a_running_server() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];

    let run = chatdb(dir.path(), &env, &["check"]);
    assert_eq!(run.code, 0, "{}", run.output());
    let major: u32 = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("server     postgres "))
        .and_then(|v| v.split('.').next()?.parse().ok())
        .expect("a server line with the major version");
    assert!(major >= 15, "PostgreSQL 15 or newer: {major}");
    for needle in ["reachable  yes", "tls        no", "migrations 4 applied, none pending"] {
        assert!(run.stdout.contains(needle), "missing {needle:?} in\n{}", run.stdout);
    }

    let json = chatdb(dir.path(), &env, &["--json", "check", "--wait", "5"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["reachable"], true);
    assert_eq!(report["backend"], "postgres");
    assert_eq!(report["tls"], false);
    assert!(report["latency_ms"].is_number());
    assert_eq!(report["migrations_applied"], migration::Migrator::names().len());
    assert_eq!(report["migrations_pending"], serde_json::json!([]));
}

#[test]
fn check_against_a_stopped_server_fails_with_exit_1_and_waits_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("postgres://app:{SECRET}@127.0.0.1:1/chatdb");
    let env = [("DATABASE_URL", url.as_str()), ("DB_CONNECT_TIMEOUT", "1"), ("RUST_LOG", "trace")];

    let run = chatdb(dir.path(), &env, &["--json", "check"]);
    assert_eq!(run.code, 1, "{}", run.output());
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["error"]["kind"], "failure");
    let message = report["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("DATABASE_URL"), "{report}");

    let waited = chatdb(dir.path(), &env, &["check", "--wait", "3"]);
    assert_eq!(waited.code, 1);
    assert!(waited.stderr.contains("waiting for the database"), "{}", waited.stderr);
    for output in [run.output(), waited.output()] {
        assert!(!output.contains(SECRET), "password leaked: {output}");
    }
}

#[tokio::test]
async fn health_serve_answers_200_when_up_and_503_when_down() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let up = Server::start(&[("DATABASE_URL", db.url())]);
    let response = up.get("/health/db");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains(r#""status":"ok""#) && response.contains(r#""database":"connected""#),
        "{response}"
    );

    let url = format!("postgres://app:{SECRET}@127.0.0.1:1/chatdb");
    let down = Server::start(&[("DATABASE_URL", url.as_str())]);
    let response = down.get("/health/db");
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(
        response.contains(r#""status":"error""#)
            && response.contains(r#""database":"disconnected""#),
        "{response}"
    );
    assert!(!response.contains(SECRET));
}

#[tokio::test]
async fn migrate_uses_the_same_configuration_as_everything_else() {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    let url = url::Url::parse(db.url()).expect("test URL");
    let port = url.port().expect("port").to_string();
    let name = url.path().trim_start_matches('/').to_owned();
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [
        ("ZERODB_POSTGRES_HOST", "127.0.0.1"),
        ("ZERODB_POSTGRES_PORT", port.as_str()),
        ("ZERODB_POSTGRES_DATABASE", name.as_str()),
        ("ZERODB_POSTGRES_USERNAME", "postgres"),
        ("ADMIN_PASSWORD", "a-long-enough-password"),
    ];

    let up = chatdb(dir.path(), &env, &["migrate", "up"]);
    assert_eq!(up.code, 0, "{}", up.output());
    assert!(up.stderr.contains("from ZERODB_POSTGRES_HOST"), "{}", up.stderr);

    let status = chatdb(dir.path(), &env, &["--json", "migrate", "status"]);
    let report: serde_json::Value = serde_json::from_str(&status.stdout).expect("JSON");
    let head = migration::Migrator::names().len();
    assert_eq!((report["applied"].clone(), report["pending"].clone()), (head.into(), 0.into()));

    let refused = chatdb(
        dir.path(),
        &[&env[..], &[("APP_ENV", "staging"), ("DB_SSL_MODE", "disable")]].concat(),
        &["migrate", "reset"],
    );
    assert_eq!(refused.code, 2, "{}", refused.output());
    assert!(refused.stderr.contains("--force"));
}

#[tokio::test]
async fn seed_writes_a_summary_once_and_refuses_an_unmigrated_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bare = TestDb::empty(Backend::Sqlite).await.expect("database");
    let refused = chatdb(dir.path(), &[("DATABASE_URL", bare.url())], &["seed"]);
    assert_eq!(refused.code, 2, "{}", refused.output());
    assert!(refused.stderr.contains("chatdb migrate up"), "{}", refused.stderr);

    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let env = [("DATABASE_URL", db.url())];
    let first = chatdb(dir.path(), &env, &["--json", "seed", "--messages", "200"]);
    assert_eq!(first.code, 0, "{}", first.output());
    let summary: serde_json::Value = serde_json::from_str(&first.stdout).expect("JSON summary");
    let messages = summary["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["table"] == "messages")
        .cloned();
    assert_eq!(messages.map(|t| t["rows"].clone()), Some(200.into()));

    let second = chatdb(dir.path(), &env, &["seed", "--messages", "200"]);
    assert_eq!(second.code, 0);
    assert!(second.stdout.contains("Already seeded"), "{}", second.stdout);
    let production =
        chatdb(dir.path(), &[("DATABASE_URL", db.url()), ("APP_ENV", "production")], &["seed"]);
    assert_eq!(production.code, 2);
    assert!(production.stderr.contains("production"), "{}", production.stderr);
}

#[tokio::test]
async fn check_and_seed_still_work_on_a_database_a_newer_release_migrated() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let future = "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 0)";
    testkit::binary::execute(db.url(), future).await.expect("a newer release's row");
    let env = [("DATABASE_URL", db.url())];

    let check = chatdb(dir.path(), &env, &["check"]);
    assert_eq!(check.code, 0, "{}", check.output());
    assert!(
        check.stdout.contains("from_the_future applied by a newer release"),
        "{}",
        check.stdout
    );

    let seed = chatdb(dir.path(), &env, &["seed", "--tenants", "1", "--messages", "20"]);
    assert_eq!(seed.code, 0, "{}", seed.output());
}

#[tokio::test]
async fn tenants_lists_every_tenant_with_its_rows_and_seed_points_at_it() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("DATABASE_URL", db.url())];

    let run = chatdb(dir.path(), &env, &["--json", "tenants"]);
    assert_eq!(run.code, 0, "{}", run.output());
    let tenants: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let acme = tenants
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == "Acme Outdoor Gear"))
        .cloned();
    let acme = acme.expect("the sample tenant Acme");
    assert_eq!((acme["plan"].clone(), acme["messages"].clone()), ("STARTER".into(), 4.into()));
    assert_eq!(tenants.as_array().map(Vec::len), Some(4));

    let unknown =
        chatdb(dir.path(), &env, &["seed", "--tenant", "00000000-0000-7000-8000-000000000000"]);
    assert_eq!(unknown.code, 2, "{}", unknown.output());
    assert!(unknown.stderr.contains("`chatdb tenants` lists them"), "{}", unknown.stderr);

    let seeding = ["--json", "seed", "--tenants", "1", "--messages", "20", "--conversations", "5"];
    assert_eq!(chatdb(dir.path(), &env, &seeding).code, 0);
    let again = chatdb(dir.path(), &env, &seeding);
    let report: serde_json::Value = serde_json::from_str(&again.stdout).expect("JSON");
    assert!(report["already_seeded"]["sizes"].is_object(), "no JSON inside JSON strings: {report}");
}

#[tokio::test]
async fn scale_check_names_what_blocks_distribution_and_fails_until_it_is_fixed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let env = [("DATABASE_URL", db.url())];
    let run = chatdb(dir.path(), &env, &["scale", "check"]);
    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.stdout.contains("tenants                  reference"), "{}", run.stdout);
    assert!(run.stdout.contains("blocker[SC01] messages: messages_pkey"), "{}", run.stdout);
    assert!(run.stderr.contains("blocker(s)"), "{}", run.stderr);

    let json = chatdb(dir.path(), &env, &["--json", "scale", "check"]);
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(plan["distribution_column"], "tenant_id");
    assert!(plan["findings"].as_array().is_some_and(|f| !f.is_empty()));

    let sqlite = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let run = chatdb(dir.path(), &[("DATABASE_URL", sqlite.url())], &["scale", "check"]);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(run.stderr.contains("PostgreSQL"), "{}", run.stderr);
}
