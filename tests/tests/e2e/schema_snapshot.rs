//! The schema at head must match the committed snapshot of each backend.

use std::path::PathBuf;

use e2e::{Backend, migrated, on_both_backends};
use testkit::schema_dump;

on_both_backends!(schema_at_head_matches_the_committed_snapshot);

fn snapshot_path(backend: Backend) -> PathBuf {
    let file = match backend {
        Backend::Postgres => "postgres.sql",
        Backend::Sqlite => "sqlite.sql",
    };
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../migration/schema").join(file)
}

async fn schema_at_head_matches_the_committed_snapshot(backend: Backend) {
    let db = migrated(backend).await;
    let dump = schema_dump(db.conn()).await.expect("dump");
    let path = snapshot_path(backend);

    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &dump).expect("write snapshot");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == dump,
        "the {backend:?} schema at head differs from {}.\n\
         If the migrations changed on purpose, regenerate the snapshots with\n    \
         UPDATE_SNAPSHOTS=1 cargo test -p e2e schema_snapshot\n\
         and review the diff. Otherwise a migration changed by accident.\n\
         --- first differing lines ---\n{}",
        path.display(),
        first_difference(&committed, &dump)
    );
}

fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    for (n, line) in actual.lines().enumerate() {
        match expected_lines.next() {
            Some(old) if old == line => continue,
            old => {
                return format!(
                    "line {}:\n  snapshot: {}\n  database: {line}",
                    n + 1,
                    old.unwrap_or("<end>")
                );
            }
        }
    }
    "the database's dump ends early".to_owned()
}
