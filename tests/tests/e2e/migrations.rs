//! Going up from empty to head, down to empty and up again.

use e2e::{Backend, empty, migrated, on_both_backends};
use migration::{MigrationStatus, Migrator, MigratorTraitSelf};
use testkit::schema_dump;

on_both_backends!(
    empty_database_migrates_to_head,
    down_to_empty_and_up_again_gives_the_same_schema,
    every_step_down_gives_back_the_schema_before_it
);

async fn empty_database_migrates_to_head(backend: Backend) {
    let db = empty(backend).await;

    Migrator::default().up(db.conn(), None).await.expect("up");

    let status = Migrator::default().get_migration_with_status(db.conn()).await.expect("status");
    let names: Vec<(&str, MigrationStatus)> =
        status.iter().map(|m| (m.name(), m.status())).collect();
    assert_eq!(
        names,
        [
            ("m20240101_000001_core_schema", MigrationStatus::Applied),
            ("m20240201_000001_support_tables", MigrationStatus::Applied),
            ("m20240301_000001_sample_data", MigrationStatus::Applied),
            ("m20261204_000001_tenant_isolation", MigrationStatus::Applied),
        ]
    );
}

async fn down_to_empty_and_up_again_gives_the_same_schema(backend: Backend) {
    let db = migrated(backend).await;
    let at_head = schema_dump(db.conn()).await.expect("dump");

    Migrator::default().down(db.conn(), None).await.expect("down to empty");
    let emptied = schema_dump(db.conn()).await.expect("dump");
    let leftovers: Vec<&str> = emptied
        .lines()
        .filter(|l| !l.starts_with("-- ") && !l.contains("seaql_migrations"))
        .collect();
    assert!(leftovers.is_empty(), "down to empty left objects behind: {leftovers:#?}");

    Migrator::default().up(db.conn(), None).await.expect("up again");
    assert_eq!(schema_dump(db.conn()).await.expect("dump"), at_head);
}

/// The schema with the order of columns (and of the lines of a definition) set aside:
/// a column that `down` adds back lands at the end of its table.
fn order_aside(dump: &str) -> Vec<String> {
    let parsed = migration::schema::SchemaDump::parse(dump);
    let mut objects: Vec<String> = parsed
        .sections
        .into_iter()
        .flat_map(|(kind, objects)| objects.into_iter().map(move |o| format!("{kind} {o}")))
        .map(|object| {
            let mut parts: Vec<String> = object
                .split(['\n', ','])
                .map(|p| p.trim().trim_end_matches(')').trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect();
            parts.sort();
            parts.join(" | ")
        })
        .collect();
    objects.sort();
    objects
}

async fn every_step_down_gives_back_the_schema_before_it(backend: Backend) {
    let db = empty(backend).await;
    let migrator = Migrator::default();
    let mut before = vec![order_aside(&schema_dump(db.conn()).await.expect("dump"))];
    for _ in Migrator::names() {
        migrator.up(db.conn(), Some(1)).await.expect("one step up");
        before.push(order_aside(&schema_dump(db.conn()).await.expect("dump")));
    }
    for (step, name) in Migrator::names().iter().enumerate().rev() {
        migrator.down(db.conn(), Some(1)).await.expect("one step down");
        let after = order_aside(&schema_dump(db.conn()).await.expect("dump"));
        let missing: Vec<&String> = before[step].iter().filter(|o| !after.contains(o)).collect();
        let extra: Vec<&String> = after.iter().filter(|o| !before[step].contains(o)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{backend:?}: down of {name} did not give back the schema before it\nmissing: {missing:#?}\nextra: {extra:#?}"
        );
    }
}
