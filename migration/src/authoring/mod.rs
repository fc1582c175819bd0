//! `migrate new NAME`: the next migration's file, written from a template that compiles
//! and runs with this crate's tests (so it cannot rot), and registered in the migrator's
//! list after the newest migration.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::MigrateError;

#[cfg(test)]
mod template;

/// The template, as written into a new migration's file.
const TEMPLATE: &str = include_str!("template.rs");

/// The longest name accepted (the file name stays readable in listings).
const MAX_NAME: usize = 60;

/// A migration written by [`create`].
#[derive(Clone, Debug, serde::Serialize)]
pub struct Created {
    /// Its module and version name, `mYYYYMMDD_HHMMSS_<name>`.
    pub migration: String,
    /// The file written.
    pub file: PathBuf,
    /// The file the migrator's list is in, where it was registered.
    pub registered_in: PathBuf,
}

/// Writes `src/m<now>_<name>.rs` into the migration crate at `crate_dir` and registers it
/// in `src/lib.rs` (its `mod` line and its place at the end of the migrator's list).
/// Nothing is written when the name is not a snake-case identifier or is taken, or when
/// `now` would not sort after the newest migration.
pub fn create(crate_dir: &Path, name: &str, now: DateTime<Utc>) -> Result<Created, MigrateError> {
    check_name(name)?;
    let lib = crate_dir.join("src").join("lib.rs");
    let registry = std::fs::read_to_string(&lib).map_err(|e| MigrateError::Authoring {
        problem: format!(
            "cannot read {}: {e}; run from the workspace (or its migration crate), or pass --dir \
             with the migration crate's directory",
            lib.display()
        ),
    })?;
    let existing = registered(&registry);
    if let Some(taken) = existing.iter().find(|m| m.get(17..) == Some(name)) {
        return Err(MigrateError::Authoring {
            problem: format!("the name {name:?} is taken by {taken}; choose another"),
        });
    }
    let migration = format!("m{}_{name}", now.format("%Y%m%d_%H%M%S"));
    if let Some(newest) = existing.last().filter(|newest| newest.as_str() >= migration.as_str()) {
        return Err(MigrateError::Authoring {
            problem: format!(
                "{migration} would not sort after the newest migration {newest}; check the clock"
            ),
        });
    }
    let registered = register(&registry, &migration).ok_or_else(|| MigrateError::Authoring {
        problem: format!(
            "{} has no `mod mYYYYMMDD_HHMMSS_…;` line or no `Box::new(m…::Migration…)` entry to \
             add the new migration after; register it there by hand",
            lib.display()
        ),
    })?;
    let file = crate_dir.join("src").join(format!("{migration}.rs"));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .and_then(|mut f| std::io::Write::write_all(&mut f, TEMPLATE.as_bytes()));
    written.map_err(|e| MigrateError::Authoring {
        problem: format!("cannot write {}: {e}", file.display()),
    })?;
    if let Err(e) = std::fs::write(&lib, registered) {
        let _ = std::fs::remove_file(&file);
        return Err(MigrateError::Authoring {
            problem: format!("cannot write {}: {e}; nothing was added", lib.display()),
        });
    }
    Ok(Created { migration, file, registered_in: lib })
}

/// The migration crate's directory: `dir` when given, else the `migration` crate of the
/// workspace around the current directory.
pub fn crate_dir(dir: Option<&Path>) -> Result<PathBuf, MigrateError> {
    if let Some(dir) = dir {
        return Ok(dir.to_owned());
    }
    let here = std::fs::canonicalize(".").map_err(|e| MigrateError::Authoring {
        problem: format!("cannot read the current directory: {e}; pass --dir"),
    })?;
    here.ancestors()
        .flat_map(|dir| [dir.to_owned(), dir.join("migration")])
        .find(|dir| is_migration_crate(dir))
        .ok_or_else(|| MigrateError::Authoring {
            problem: format!(
                "no migration crate in {} or above it; run from the workspace, or pass --dir \
                 with the migration crate's directory",
                here.display()
            ),
        })
}

fn is_migration_crate(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "name = \"migration\""))
        && dir.join("src").join("lib.rs").is_file()
}

fn check_name(name: &str) -> Result<(), MigrateError> {
    let snake = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.ends_with('_')
        && !name.contains("__");
    if snake && name.len() <= MAX_NAME {
        return Ok(());
    }
    Err(MigrateError::Authoring {
        problem: format!(
            "{name:?} is not a migration name: use lower-case words joined by '_', starting \
             with a letter, at most {MAX_NAME} characters (e.g. add_conversation_language)"
        ),
    })
}

/// Whether `word` is a migration's module name, `mYYYYMMDD_HHMMSS_name`.
fn is_migration(word: &str) -> bool {
    let bytes = word.as_bytes();
    word.len() > 17
        && bytes[0] == b'm'
        && bytes[9] == b'_'
        && bytes[16] == b'_'
        && bytes[1..9].iter().chain(&bytes[10..16]).all(u8::is_ascii_digit)
}

/// The migrations `lib` declares (`mod m…;`), in order.
fn registered(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
        .filter(|word| is_migration(word))
        .map(str::to_owned)
        .collect()
}

/// `lib` with `migration`'s `mod` line after the last migration's and its entry after the
/// last one in the migrator's list; `None` when either place is missing.
fn register(lib: &str, migration: &str) -> Option<String> {
    let lines: Vec<&str> = lib.lines().collect();
    let last_mod = lines.iter().rposition(|line| {
        line.strip_prefix("mod ").and_then(|rest| rest.strip_suffix(';')).is_some_and(is_migration)
    })?;
    let last_entry = lines.iter().rposition(|line| {
        line.trim_start()
            .strip_prefix("Box::new(")
            .and_then(|rest| rest.split("::").next())
            .is_some_and(is_migration)
    })?;
    let indent =
        &lines[last_entry][..lines[last_entry].len() - lines[last_entry].trim_start().len()];
    let mut out = Vec::with_capacity(lines.len() + 2);
    for (i, line) in lines.iter().enumerate() {
        out.push((*line).to_owned());
        if i == last_mod {
            out.push(format!("mod {migration};"));
        }
        if i == last_entry {
            out.push(format!("{indent}Box::new({migration}::Migration),"));
        }
    }
    Some(out.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    #![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

    use sea_orm_migration::{MigrationTrait, MigratorTraitSelf};

    use super::*;

    /// The released migrations and the template after them, as a new migration would be.
    struct WithTemplate;

    #[async_trait::async_trait]
    impl MigratorTraitSelf for WithTemplate {
        fn migrations(&self) -> Vec<Box<dyn MigrationTrait>> {
            let mut all = crate::Migrator::default().migrations();
            all.push(Box::new(template::Migration));
            all
        }
    }

    #[tokio::test]
    async fn the_template_migrates_up_and_down_on_both_backends() {
        for backend in testkit::Backend::ALL {
            let db = testkit::TestDb::empty(backend).await.expect("database");
            let conn =
                sea_orm_migration::sea_orm::Database::connect(db.url()).await.expect("connect");
            WithTemplate.up(&conn, None).await.expect("up to the template");
            WithTemplate.down(&conn, Some(1)).await.expect("the template down");
            WithTemplate.up(&conn, None).await.expect("and up again");
        }
    }

    #[test]
    fn a_new_migration_is_registered_after_the_newest() {
        let lib = "mod m20240101_000001_core_schema;\nmod m20261204_000001_tenant_isolation;\n\
                   pub use x;\n        vec![\n            Box::new(m20240101_000001_core_schema::Migration { settings }),\n            \
                   Box::new(m20261204_000001_tenant_isolation::Migration),\n        ]\n";
        let registered = register(lib, "m20261205_101500_add_language").expect("registered");
        assert_eq!(
            registered,
            "mod m20240101_000001_core_schema;\nmod m20261204_000001_tenant_isolation;\n\
             mod m20261205_101500_add_language;\npub use x;\n        vec![\n            \
             Box::new(m20240101_000001_core_schema::Migration { settings }),\n            \
             Box::new(m20261204_000001_tenant_isolation::Migration),\n            \
             Box::new(m20261205_101500_add_language::Migration),\n        ]\n"
        );
        assert_eq!(register("mod other;\n", "m20261205_101500_x"), None);
    }

    #[test]
    fn names_that_are_not_snake_case_identifiers_are_refused() {
        for bad in ["", "AddIndex", "add-index", "1st", "add index", "_x", "x_", "a__b", "é"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name(&"x".repeat(MAX_NAME + 1)).is_err());
        assert!(check_name("add_conversation_language2").is_ok());
    }
}
