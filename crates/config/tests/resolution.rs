//! Where each value comes from: every level of the chain, mixed families, precedence,
//! defaults per environment, and `.env` against the real environment.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use std::path::Path;

use db_config::{AppEnv, ConfigError, DatabaseConfig, Env, Source, SslMode, Target};

const PASSWORD: &str = "Zx9-distinctive-Pa55word";

fn resolve(
    process: &[(&str, &str)],
    dotenv: &[(&str, &str)],
) -> Result<DatabaseConfig, ConfigError> {
    let env = Env::from_pairs(process.iter().copied(), dotenv.iter().copied());
    DatabaseConfig::resolve_with_embedded_dir(&env, Path::new("/embedded"))
}

fn postgres(config: &DatabaseConfig) -> &db_config::PostgresTarget {
    match &config.target {
        Target::Postgres(pg) => pg,
        Target::Sqlite(s) => panic!("expected PostgreSQL, got SQLite at {}", s.path.value),
    }
}

fn var(name: &str) -> Source {
    Source::Var(name.to_owned())
}

#[test]
fn nothing_set_means_the_embedded_sqlite_file_in_development_and_test() {
    for (app_env, file) in [("development", "chatdb-development"), ("test", "chatdb-test")] {
        let config = resolve(&[("APP_ENV", app_env)], &[]).expect("resolves");
        let Target::Sqlite(sqlite) = &config.target else { panic!("expected SQLite") };
        assert_eq!(sqlite.path.value, format!("/embedded/{file}.sqlite3"));
        assert_eq!(sqlite.path.source, Source::Default);
    }
    let config = resolve(&[], &[]).expect("resolves");
    assert_eq!(config.app_env.value, AppEnv::Development);
    assert_eq!(config.app_env.source, Source::Default);
}

#[test]
fn staging_and_production_with_nothing_set_list_what_was_looked_for() {
    for app_env in ["staging", "production"] {
        let err = resolve(&[("APP_ENV", app_env)], &[]).expect_err("refused");
        let message = err.to_string();
        for expected in
            ["DATABASE_URL", "POSTGRES_URL", "ZERODB_POSTGRES_HOST", "PGHOST", "DB_NAME"]
        {
            assert!(message.contains(expected), "{message}");
        }
    }
}

#[test]
fn database_url_wins_over_postgres_url_and_over_parts() {
    let config = resolve(
        &[
            ("DATABASE_URL", "postgres://app@db.one:6543/main"),
            ("POSTGRES_URL", "postgres://other@db.two/other"),
            ("ZERODB_POSTGRES_HOST", "zero.example"),
        ],
        &[],
    )
    .expect("resolves");
    let pg = postgres(&config);
    assert_eq!(
        (pg.host.value.as_str(), pg.port.value, pg.database.value.as_str()),
        ("db.one", 6543, "main")
    );
    assert_eq!(pg.host.source, Source::Url("DATABASE_URL".into()));

    let config =
        resolve(&[("POSTGRES_URL", "postgresql://u@db.two/other")], &[]).expect("resolves");
    assert_eq!(postgres(&config).host.source, Source::Url("POSTGRES_URL".into()));
}

#[test]
fn each_part_comes_from_the_first_family_that_sets_it() {
    let config = resolve(
        &[
            ("POSTGRES_HOST", "pg.internal"),
            ("DB_HOST", "ignored.internal"),
            ("DB_PORT", "6432"),
            ("PGDATABASE", "chat"),
            ("ZERODB_POSTGRES_USERNAME", "zero_user"),
            ("PGPASSWORD", PASSWORD),
        ],
        &[],
    )
    .expect("resolves");
    let pg = postgres(&config);
    assert_eq!(pg.host.value, "pg.internal");
    assert_eq!(pg.host.source, var("POSTGRES_HOST"));
    assert_eq!((pg.port.value, pg.port.source.clone()), (6432, var("DB_PORT")));
    assert_eq!(
        (pg.database.value.as_str(), pg.database.source.clone()),
        ("chat", var("PGDATABASE"))
    );
    assert_eq!(pg.user.source, var("ZERODB_POSTGRES_USERNAME"));
    assert_eq!(pg.password.as_ref().map(|p| p.source.clone()), Some(var("PGPASSWORD")));
}

#[test]
fn parts_default_to_libpq_conventions_once_a_host_or_database_is_set() {
    let config = resolve(&[("PGDATABASE", "chat")], &[]).expect("resolves");
    let pg = postgres(&config);
    assert_eq!(
        (pg.host.value.as_str(), pg.port.value, pg.user.value.as_str()),
        ("localhost", 5432, "postgres")
    );
    assert_eq!(pg.host.source, Source::Default);
    assert!(pg.password.is_none());
    // A user or password alone does not switch away from the embedded default.
    let config = resolve(&[("POSTGRES_USER", "someone"), ("POSTGRES_PASSWORD", PASSWORD)], &[])
        .expect("resolves");
    assert!(matches!(config.target, Target::Sqlite(_)));
}

#[test]
fn zerodb_variables_win_over_every_other_family() {
    let config = resolve(
        &[
            ("PGHOST", "pg"),
            ("DB_HOST", "db"),
            ("POSTGRES_HOST", "postgres"),
            ("ZERODB_POSTGRES_HOST", "zero"),
            ("ZERODB_POSTGRES_PORT", "25060"),
            ("ZERODB_POSTGRES_DATABASE", "defaultdb"),
            ("ZERODB_POSTGRES_PASSWORD", PASSWORD),
            ("ZERODB_POSTGRES_SSL_MODE", "verify-full"),
        ],
        &[],
    )
    .expect("resolves");
    let pg = postgres(&config);
    assert_eq!((pg.host.value.as_str(), pg.port.value), ("zero", 25060));
    assert_eq!(pg.ssl_mode.value, SslMode::VerifyFull);
    assert_eq!(pg.ssl_mode.source, var("ZERODB_POSTGRES_SSL_MODE"));
}

#[test]
fn sslmode_precedence_and_defaults_per_environment() {
    let url = "postgres://app@db/main?sslmode=verify-ca";
    let bare = "postgres://app@db/main";
    type Case<'a> = (&'a [(&'a str, &'a str)], SslMode, Source);
    let cases: &[Case] = &[
        (&[("DATABASE_URL", url)], SslMode::VerifyCa, Source::Url("DATABASE_URL".into())),
        // The connection string wins over ambient variables, as in libpq.
        (
            &[("DATABASE_URL", url), ("PGSSLMODE", "require"), ("DB_SSL_MODE", "disable")],
            SslMode::VerifyCa,
            Source::Url("DATABASE_URL".into()),
        ),
        (&[("DATABASE_URL", bare), ("PGSSLMODE", "require")], SslMode::Require, var("PGSSLMODE")),
        (
            &[
                ("DATABASE_URL", bare),
                ("PGSSLMODE", "require"),
                ("ZERODB_POSTGRES_SSL_MODE", "allow"),
            ],
            SslMode::Allow,
            var("ZERODB_POSTGRES_SSL_MODE"),
        ),
        (
            &[
                ("DATABASE_URL", bare),
                ("ZERODB_POSTGRES_SSL_MODE", "allow"),
                ("DB_SSL_MODE", "disable"),
            ],
            SslMode::Disable,
            var("DB_SSL_MODE"),
        ),
        (&[("DATABASE_URL", "postgres://app@db/main")], SslMode::Prefer, Source::Default),
        (
            &[("DATABASE_URL", "postgres://app@db/main"), ("APP_ENV", "staging")],
            SslMode::Require,
            Source::Default,
        ),
        (
            &[("DATABASE_URL", "postgres://app@db/main"), ("APP_ENV", "production")],
            SslMode::Require,
            Source::Default,
        ),
    ];
    for (env, mode, source) in cases {
        let config = resolve(env, &[]).expect("resolves");
        let pg = postgres(&config);
        assert_eq!((pg.ssl_mode.value, &pg.ssl_mode.source), (*mode, source), "{env:?}");
    }
}

#[test]
fn production_refuses_plain_text_modes_unless_allowed() {
    for mode in ["disable", "allow", "prefer"] {
        let env = [
            ("APP_ENV", "production"),
            ("DATABASE_URL", "postgres://app@db/main"),
            ("DB_SSL_MODE", mode),
        ];
        let err = resolve(&env, &[]).expect_err("refused");
        assert!(err.to_string().contains("DB_ALLOW_INSECURE=true"), "{err}");
        let mut allowed = env.to_vec();
        allowed.push(("DB_ALLOW_INSECURE", "true"));
        resolve(&allowed, &[]).expect("allowed explicitly");
    }
}

#[test]
fn the_real_environment_wins_over_dotenv_and_dotenv_is_named_as_the_source() {
    let config =
        resolve(&[("PGHOST", "real.host")], &[("PGHOST", "dotenv.host"), ("PGPORT", "7777")])
            .expect("resolves");
    let pg = postgres(&config);
    assert_eq!((pg.host.value.as_str(), pg.host.source.clone()), ("real.host", var("PGHOST")));
    assert_eq!((pg.port.value, pg.port.source.clone()), (7777, Source::DotEnv("PGPORT".into())));
    assert_eq!(pg.port.source.to_string(), "from PGPORT in .env");
}

#[test]
fn url_parts_are_percent_decoded_and_sqlite_urls_are_accepted() {
    let config = resolve(&[("DATABASE_URL", "postgres://us%40er:p%2Fss@[::1]:5433/my%20db")], &[])
        .expect("resolves");
    let pg = postgres(&config);
    assert_eq!(
        (pg.user.value.as_str(), pg.host.value.as_str(), pg.database.value.as_str()),
        ("us@er", "::1", "my db")
    );
    assert_eq!(pg.password.as_ref().map(|p| p.value.expose()), Some("p/ss"));

    let config =
        resolve(&[("DATABASE_URL", "sqlite://var/app.sqlite3?mode=rwc")], &[]).expect("resolves");
    let Target::Sqlite(sqlite) = &config.target else { panic!("expected SQLite") };
    assert_eq!(sqlite.path.value, "var/app.sqlite3");
}

#[test]
fn pool_settings_and_their_defaults() {
    let config = resolve(&[], &[]).expect("resolves");
    assert_eq!((config.pool.max.value, config.pool.min.value), (20, 5));
    assert_eq!(config.pool.acquire_timeout.value.as_secs(), 30);
    assert_eq!(config.pool.max_lifetime.value.as_secs(), 1800);
    assert_eq!(config.pool.connect_timeout.value.as_secs(), 5);
    assert!(config.pool.statement_timeout.is_none());

    let config =
        resolve(&[("DB_POOL_SIZE", "3"), ("DB_STATEMENT_TIMEOUT", "15")], &[]).expect("resolves");
    assert_eq!(
        (config.pool.max.value, config.pool.min.value),
        (3, 3),
        "the default minimum never exceeds the maximum"
    );
    assert_eq!(config.pool.statement_timeout.map(|t| t.value.as_secs()), Some(15));
}

#[test]
fn bad_inputs_name_the_variable_and_what_it_accepts_and_never_the_password() {
    let url = format!("postgres://app:{PASSWORD}@db/main");
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a [&'a str]);
    let cases: Vec<Case> = vec![
        (vec![("APP_ENV", "prod")], &["APP_ENV", "development, test, staging, production"]),
        (
            vec![("DATABASE_URL", "postgres://app:Zx9-distinctive-Pa55word@[bad/x")],
            &["DATABASE_URL", "not a valid URL"],
        ),
        (
            vec![("DATABASE_URL", "mysql://app:Zx9-distinctive-Pa55word@db/x")],
            &["DATABASE_URL", "\"mysql\""],
        ),
        (
            vec![("PGHOST", "db"), ("PGPORT", "postgres"), ("PGPASSWORD", PASSWORD)],
            &["PGPORT", "1 to 65535"],
        ),
        (
            vec![("PGHOST", "db"), ("DB_PORT", "70000"), ("PGPASSWORD", PASSWORD)],
            &["DB_PORT", "1 to 65535"],
        ),
        (
            vec![("DATABASE_URL", &url), ("DB_SSL_MODE", "sometimes")],
            &["DB_SSL_MODE", "verify-full"],
        ),
        (
            vec![(
                "DATABASE_URL",
                "postgres://app:Zx9-distinctive-Pa55word@db/main?sslmode=strict",
            )],
            &["DATABASE_URL (sslmode)", "verify-ca"],
        ),
        (
            vec![(
                "DATABASE_URL",
                "postgres://app:Zx9-distinctive-Pa55word@db/main?sslmde=require",
            )],
            &["DATABASE_URL", "\"sslmde\"", "sslmode"],
        ),
        (
            vec![("DATABASE_URL", "postgres://app:Zx9-distinctive/Pa55word@db/main")],
            &["DATABASE_URL", "percent-encode", "%2F", "DB_PASSWORD"],
        ),
        (vec![("DATABASE_URL", &url), ("DB_POOL_SIZE", "lots")], &["DB_POOL_SIZE", "1 to 1000"]),
        (vec![("DATABASE_URL", &url), ("DB_POOL_SIZE", "0")], &["DB_POOL_SIZE"]),
        (
            vec![("DATABASE_URL", &url), ("DB_POOL_SIZE", "4"), ("DB_POOL_MIN", "9")],
            &["DB_POOL_MIN=9", "DB_POOL_SIZE=4"],
        ),
        (vec![("DATABASE_URL", &url), ("DB_POOL_TIMEOUT", "-1")], &["DB_POOL_TIMEOUT", "seconds"]),
        (vec![("DATABASE_URL", &url), ("DB_CONNECT_TIMEOUT", "1.5")], &["DB_CONNECT_TIMEOUT"]),
        (
            vec![("DATABASE_URL", &url), ("DB_SSL_ROOT_CERT", "/nonexistent/ca.pem")],
            &["/nonexistent/ca.pem", "DB_SSL_ROOT_CERT"],
        ),
        (
            vec![("APP_ENV", "production"), ("DATABASE_URL", &url), ("PGSSLMODE", "prefer")],
            &["prefer", "PGSSLMODE", "DB_ALLOW_INSECURE"],
        ),
    ];
    for (env, expected) in cases {
        let err = resolve(&env, &[]).expect_err("refused");
        let message = format!("{err} {err:?}");
        for needle in expected {
            assert!(message.contains(needle), "{env:?}: {message} lacks {needle}");
        }
        assert!(!message.contains(PASSWORD), "{env:?}: password leaked: {message}");
        assert!(err.is_configuration());
    }
}

#[test]
fn debug_display_and_json_never_show_the_password() {
    let config = resolve(&[("DATABASE_URL", &format!("postgres://app:{PASSWORD}@db/main"))], &[])
        .expect("resolves");
    let debug = format!("{config:?}");
    let json = serde_json::to_string(&config).expect("json");
    let explained = config.explain().join("\n");
    for output in [&debug, &json, &explained] {
        assert!(!output.contains(PASSWORD), "password leaked: {output}");
    }
    assert!(explained.contains("password = *** (from the URL in DATABASE_URL)"), "{explained}");
    assert_eq!(config.scrub(&format!("oops {PASSWORD}")), "oops ***");
}

#[test]
fn sqlite_url_parameters_are_checked_like_postgres_ones() {
    let misspelt =
        resolve(&[("DATABASE_URL", "sqlite://x.db?mdoe=rwc")], &[]).expect_err("refused");
    let message = misspelt.to_string();
    assert!(message.contains("DATABASE_URL") && message.contains("\"mdoe\""), "{message}");
    assert!(message.contains("mode, cache, immutable"), "says what is accepted: {message}");

    let bad_value =
        resolve(&[("DATABASE_URL", "sqlite://x.db?mode=rwx")], &[]).expect_err("refused");
    assert!(bad_value.to_string().contains("ro, rw, rwc"), "{bad_value}");

    let config =
        resolve(&[("DATABASE_URL", "sqlite://x.db?mode=ro&cache=shared")], &[]).expect("resolves");
    let Target::Sqlite(sqlite) = &config.target else { panic!("expected SQLite") };
    assert_eq!(sqlite.options, [("mode".into(), "ro".into()), ("cache".into(), "shared".into())]);
}

#[tokio::test]
async fn a_read_only_sqlite_url_opens_an_existing_file_and_never_creates_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("app.sqlite3");
    let url = |mode: &str| format!("sqlite://{}?mode={mode}", file.display());

    let missing = resolve(&[("DATABASE_URL", &url("ro"))], &[]).expect("resolves");
    let refused = missing.connect().await.expect_err("mode=ro must not create the file");
    assert!(refused.to_string().contains("does not exist"), "{refused}");
    assert!(!file.exists());

    let created = resolve(&[("DATABASE_URL", &url("rwc"))], &[]).expect("resolves");
    let db = created.connect().await.expect("rwc creates");
    sea_orm::ConnectionTrait::execute_unprepared(&db, "CREATE TABLE t (x)").await.expect("write");
    db.close().await.expect("close");

    let read_only = resolve(&[("DATABASE_URL", &url("ro"))], &[]).expect("resolves");
    let db = read_only.connect().await.expect("ro opens it");
    let write = sea_orm::ConnectionTrait::execute_unprepared(&db, "INSERT INTO t VALUES (1)").await;
    assert!(write.is_err(), "mode=ro refuses writes");
}

#[test]
fn postgres_settings_without_a_host_are_named_as_unused() {
    let config = resolve(&[("DB_PORT", "6543"), ("DB_PASSWORD", PASSWORD), ("PGUSER", "me")], &[])
        .expect("resolves");

    assert!(matches!(config.target, Target::Sqlite(_)), "still the embedded default");
    assert_eq!(config.unused, ["DB_PORT", "DB_PASSWORD"], "libpq's PG* of the shell are not named");
    let explained = config.explain().join("\n");
    assert!(explained.contains("unused = DB_PORT, DB_PASSWORD"), "{explained}");
    assert!(!explained.contains(PASSWORD));

    let with_host = resolve(&[("DB_HOST", "db"), ("DB_PORT", "6543")], &[]).expect("resolves");
    assert!(with_host.unused.is_empty());
}

#[tokio::test]
async fn an_sqlite_file_locked_by_another_writer_is_named_as_locked_not_as_a_missing_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.sqlite3").display());
    // Another program's connection, in the default rollback-journal mode, mid-write.
    let other = sea_orm::Database::connect(&url).await.expect("connect");
    let writing = sea_orm::TransactionTrait::begin(&other).await.expect("begin");
    sea_orm::ConnectionTrait::execute_unprepared(&writing, "CREATE TABLE t (x)")
        .await
        .expect("write");

    let config =
        resolve(&[("DATABASE_URL", &url), ("DB_CONNECT_TIMEOUT", "1")], &[]).expect("resolves");
    let refused = config.connect().await.expect_err("locked");
    let message = refused.to_string();
    assert!(
        message.contains("locked by another connection") && message.contains("WAL"),
        "{message}"
    );
    assert!(!message.contains("server"), "{message}");
    writing.rollback().await.expect("rollback");
}

#[test]
fn a_database_url_overridden_in_the_environment_does_not_leave_migrations_on_the_dotenv_database() {
    let pooled = |db: &str| format!("postgres://app:{PASSWORD}@pooler:6432/{db}?pgbouncer=true");
    let direct = |db: &str| format!("postgres://app:{PASSWORD}@db:5432/{db}");
    let dotenv_url = pooled("app");
    let dotenv_direct = direct("app");
    let dotenv = [("DATABASE_URL", dotenv_url.as_str()), ("DATABASE_DIRECT_URL", &dotenv_direct)];

    // Someone points the application elsewhere for one command and forgets the direct URL.
    let elsewhere = pooled("scratch");
    let refused = resolve(&[("DATABASE_URL", &elsewhere)], &dotenv).expect_err("refused");
    let message = refused.to_string();
    assert!(message.contains("DATABASE_URL in the environment"), "{message}");
    assert!(message.contains("DATABASE_DIRECT_URL in .env"), "{message}");
    assert!(message.contains("\"scratch\"") && message.contains("\"app\""), "{message}");
    assert!(!message.contains(PASSWORD), "{message}");

    // Both overridden together, or only the password: fine.
    let direct_elsewhere = direct("scratch");
    let both = [("DATABASE_URL", elsewhere.as_str()), ("DATABASE_DIRECT_URL", &direct_elsewhere)];
    let config = resolve(&both, &dotenv).expect("both in the environment");
    assert_eq!(
        config.for_migrations().target.describe(),
        "postgres://app@db:5432/scratch (sslmode=prefer)"
    );
    let same_database = pooled("app").replace(PASSWORD, "rotated");
    resolve(&[("DATABASE_URL", &same_database)], &dotenv).expect("the same database");
    // In one place, a pooler's name for the database may differ from the server's.
    let alias = [("DATABASE_URL", elsewhere.as_str()), ("DATABASE_DIRECT_URL", &dotenv_direct)];
    resolve(&[], &alias).expect("one place, the pooler's alias");
}
