//! The workspace's shape, as the README's layer diagram and "one home per piece of
//! plumbing" promise it: each crate depends only on the layers above it, no module cycles,
//! and the pieces that must exist once exist once.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workspace crates a crate's `[dependencies]` name (not its dev-dependencies).
fn dependencies(manifest: &str) -> Vec<String> {
    let text = std::fs::read_to_string(workspace().join(manifest)).expect(manifest);
    let section = text.split("[dependencies]").nth(1).unwrap_or_default();
    let section = section.split("\n[").next().unwrap_or_default();
    let ours = [
        "entity",
        "db-config",
        "process-io",
        "bulk-load",
        "migration",
        "seed",
        "transfer",
        "health",
        "testkit",
    ];
    section
        .lines()
        .filter_map(|line| line.split(['.', ' ', '=']).next())
        .filter(|name| ours.contains(name))
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_crate_depends_only_on_the_layers_above_it() {
    let allowed: &[(&str, &[&str])] = &[
        ("entity/Cargo.toml", &[]),
        ("crates/config/Cargo.toml", &["entity"]),
        ("crates/process-io/Cargo.toml", &[]),
        ("crates/bulk-load/Cargo.toml", &[]),
        ("migration/Cargo.toml", &["entity", "db-config", "process-io"]),
        ("seed/Cargo.toml", &["entity", "db-config", "process-io", "bulk-load", "migration"]),
        (
            "crates/transfer/Cargo.toml",
            &["entity", "db-config", "process-io", "bulk-load", "migration"],
        ),
        ("crates/health/Cargo.toml", &[]),
        ("crates/testkit/Cargo.toml", &["db-config", "migration"]),
    ];
    for (manifest, above) in allowed {
        for dependency in dependencies(manifest) {
            assert!(above.contains(&dependency.as_str()), "{manifest} depends on {dependency}");
        }
    }
}

/// `../shared/tools/modcycles.py` beside the checkout (as in CI); skipped where absent.
#[test]
fn no_crate_has_module_cycles() {
    let tool = workspace().join("../shared/tools/modcycles.py");
    if !tool.is_file() {
        eprintln!("{} not found: skipped", tool.display());
        return;
    }
    for src in [
        "crates/transfer/src",
        "crates/testkit/src",
        "migration/src",
        "crates/config/src",
        "crates/bulk-load/src",
        "seed/src",
    ] {
        let out = std::process::Command::new("python3")
            .arg(&tool)
            .arg(workspace().join(src))
            .output()
            .expect("python3");
        let cycles = String::from_utf8_lossy(&out.stdout);
        assert!(cycles.trim().is_empty(), "{src} has module cycles:\n{cycles}");
    }
}

/// Every `.rs` file of the workspace's crates (tests of the crates included).
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && !path.ends_with("target") {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                found.push((path, text));
            }
        }
    }
    let mut found = Vec::new();
    for dir in ["entity", "migration/src", "seed/src", "crates"] {
        walk(&workspace().join(dir), &mut found);
    }
    found
}

#[test]
fn each_piece_of_plumbing_has_one_home() {
    let sources = sources();
    let places = |needle: &str| -> Vec<String> {
        sources
            .iter()
            .filter(|(_, text)| text.contains(needle))
            .map(|(path, _)| path.strip_prefix(workspace()).unwrap_or(path).display().to_string())
            .collect()
    };
    // Behind PgBouncer, prepared statements are cleared in one place.
    assert_eq!(places("\"DEALLOCATE ALL\""), ["crates/config/src/connect.rs"]);
    // The seed ledger's name is spelt once.
    assert_eq!(places("\"chatdb_seed_runs\""), ["migration/src/schema/dump.rs"]);
    // Errors are told apart by their codes, not their wording.
    assert!(places("contains(\"database is locked\")").is_empty());
    assert!(places("contains(\"lock timeout\")").is_empty());
    // The advisory lock keys are numbers in one module.
    assert_eq!(places("7_261_636_86"), ["migration/src/locks.rs"]);
    // The guard is library policy: library code does not reach into the CLI for it.
    assert!(places("cli::guard::refuse").is_empty());
}
