//! A migration that fails half-way leaves the database as it was.

use e2e::{Backend, empty, exec, on_both_backends};
use migration::{MigrationStatus, Migrator, MigratorTraitSelf};
use testkit::schema_dump;

on_both_backends!(a_failed_migration_leaves_the_previous_version);

async fn a_failed_migration_leaves_the_previous_version(backend: Backend) {
    let db = empty(backend).await;
    let db = db.conn();
    Migrator::default().up(db, Some(1)).await.expect("V1");
    // V2 creates this index late, after many other changes.
    exec(db, "CREATE INDEX idx_conversations_sla_deadline ON conversations (created_at)")
        .await
        .expect("conflict");
    let before = schema_dump(db).await.expect("dump");

    let result = Migrator::default().up(db, None).await;

    assert!(result.is_err(), "V2 should fail on the conflicting index");
    assert_eq!(
        schema_dump(db).await.expect("dump"),
        before,
        "V2's partial changes were rolled back"
    );
    let status: Vec<MigrationStatus> = Migrator::default()
        .get_migration_with_status(db)
        .await
        .expect("status")
        .iter()
        .map(|m| m.status())
        .collect();
    assert_eq!(
        status,
        [
            MigrationStatus::Applied,
            MigrationStatus::Pending,
            MigrationStatus::Pending,
            MigrationStatus::Pending
        ]
    );
}
