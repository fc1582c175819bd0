//! What `chatdb` prints is an interface: JSON on failure too under `--json`, a quiet end
//! when the reader of stdout has gone (and no end at all when stderr's has: the work goes
//! on), no colour codes into a pipe.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

mod common;

use std::process::{Command, Stdio};

use common::chatdb;

#[test]
fn every_command_fails_in_json_under_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("APP_ENV", "prod")];
    for args in [
        &["config"][..],
        &["check"],
        &["health", "serve"],
        &["migrate", "up"],
        &["migrate", "status"],
        &["migrate", "validate"],
        &["migrate", "down"],
        &["backup"],
        &["restore", "nothing.dump"],
        &["seed"],
    ] {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let run = chatdb(dir.path(), &env, &all);

        assert_eq!(run.code, 2, "{args:?}: {}", run.output());
        let report: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {:?}", run.stdout));
        assert_eq!(report["error"]["kind"], "usage", "{args:?}: {report}");
        let message = report["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("APP_ENV=\"prod\""), "{args:?}: {report}");
        assert!(
            report["error"]["hint"].as_str().is_some_and(|h| h.contains("development")),
            "{report}"
        );
    }
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatdb"))
        .args(["--json", "config"])
        .env_clear()
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chatdb");
    drop(child.stdout.take()); // the reader goes before anything is written
    let out = child.wait_with_output().expect("wait");

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Runs `chatdb` in `dir` with exactly `env`, its stderr a pipe whose reader has gone
/// before anything is written (`chatdb … 2>&1 | head -2`): returns the exit code.
fn with_stderr_closed(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatdb"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chatdb");
    drop(child.stderr.take());
    child.wait().expect("wait").code()
}

#[test]
fn a_closed_stderr_neither_stops_the_work_nor_hides_a_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("app.sqlite3").display());
    let env = [("DATABASE_URL", db.as_str())];

    // Migrating and seeding log each step on stderr, into the closed pipe.
    assert_eq!(with_stderr_closed(dir.path(), &env, &["migrate", "up"]), Some(0));
    assert_eq!(with_stderr_closed(dir.path(), &env, &["seed", "--preset", "small"]), Some(0));
    let listed = chatdb(dir.path(), &env, &["--json", "tenants"]);
    assert_eq!(listed.code, 0, "{}", listed.output());
    assert!(listed.stdout.contains("Zemlak and Nicolas Inc"), "not seeded: {}", listed.output());

    let refused = with_stderr_closed(dir.path(), &[("APP_ENV", "prod")], &["migrate", "up"]);
    assert_eq!(refused, Some(2), "a refusal nobody reads is still a refusal");
}

/// Each command's own failure, not a configuration error before it runs, comes as one JSON
/// document on stdout with the command's exit code.
#[test]
fn each_commands_own_failure_is_json_under_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |name: &str| dir.path().join(name).display().to_string();
    let missing = format!("sqlite://{}", file("missing.sqlite3"));
    let migrated = format!("sqlite://{}", file("app.sqlite3"));
    let unmigrated = format!("sqlite://{}", file("empty.sqlite3"));
    assert_eq!(chatdb(dir.path(), &[("DATABASE_URL", &migrated)], &["migrate", "up"]).code, 0);
    std::fs::create_dir(dir.path().join("not-an-export")).expect("dir");
    std::fs::write(dir.path().join("not-an-export/notes.txt"), "mine").expect("a file");
    // A command, the database it runs against, its APP_ENV, and how it must fail.
    type Case<'a> = (&'a [&'a str], &'a str, Option<&'a str>, i32, &'a str);
    let not_an_export = file("not-an-export");
    let cases: [Case; 6] = [
        (&["copy", "--from", &missing, "--to", &migrated], &migrated, None, 2, "--from"),
        (&["export", &not_an_export], &migrated, None, 2, "not-an-export"),
        (&["import", &not_an_export], &migrated, None, 2, "manifest.json"),
        (&["tenants"], &unmigrated, None, 1, "not migrated"),
        (&["db", "grant-app", "app"], &migrated, None, 2, "SQLite, which has no roles"),
        (&["db", "drop"], &migrated, Some("production"), 2, "--force"),
    ];
    for (args, database, app_env, code, says) in cases {
        let mut env = vec![("DATABASE_URL", database)];
        env.extend(app_env.map(|e| ("APP_ENV", e)));
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let run = chatdb(dir.path(), &env, &all);

        assert_eq!(run.code, code, "{args:?}: {}", run.output());
        let report: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {:?}", run.stdout));
        let message = report["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{args:?} should say {says:?}: {report}");
        let kind = if code == 2 { "usage" } else { "failure" };
        assert_eq!(report["error"]["kind"], kind, "{args:?}: {report}");
    }
}
