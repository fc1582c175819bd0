//! Going up from empty to head, down to empty and up again.

use e2e::{Backend, empty, migrated, on_both_backends};
use migration::{MigrationStatus, Migrator, MigratorTraitSelf};
use testkit::schema_dump;

on_both_backends!(
    empty_database_migrates_to_head,
    down_to_empty_and_up_again_gives_the_same_schema
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
