//! V3's sample data: present, consistent, and removed exactly by its `down`.

use e2e::{Backend, CROSS_TENANT, count, migrated, on_both_backends, tenant};
use migration::{Migrator, MigratorTraitSelf};
use sea_orm::EntityTrait;

on_both_backends!(
    sample_data_is_present_and_within_its_tenants,
    sample_data_down_removes_only_sample_rows
);

async fn sample_data_is_present_and_within_its_tenants(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();

    assert_eq!(
        count(db, "SELECT count(*) FROM tenants").await,
        1 + 3,
        "the admin tenant and three samples"
    );
    assert_eq!(
        count(
            db,
            "SELECT count(DISTINCT plan_type) FROM tenants WHERE name <> 'Platform administration'"
        )
        .await,
        3
    );
    assert!(count(db, "SELECT count(DISTINCT timezone) FROM tenants").await >= 3);
    assert!(count(db, "SELECT count(*) FROM users WHERE role = 'TENANT_ADMIN'").await >= 3);
    assert!(count(db, "SELECT count(*) FROM conversations WHERE escalation_level > 0").await >= 1);
    assert!(count(db, "SELECT count(DISTINCT status) FROM conversations").await >= 3);
    assert!(count(db, "SELECT count(DISTINCT sender_type) FROM messages").await >= 2);
    assert_eq!(count(db, "SELECT count(DISTINCT currency) FROM subscriptions").await, 3);
    assert_eq!(
        count(db, "SELECT count(*) FROM users u WHERE u.role <> 'SUPER_ADMIN' AND NOT EXISTS (SELECT 1 FROM notification_settings n WHERE n.user_id = u.id)").await,
        0,
        "every sample user has notification settings"
    );
    for table in [
        "webhooks",
        "audit_logs",
        "performance_metrics",
        "file_attachments",
        "customer_tags",
        "conversation_tags",
    ] {
        assert!(count(db, &format!("SELECT count(*) FROM {table}")).await > 0, "no sample {table}");
    }
    for (what, sql) in CROSS_TENANT {
        assert_eq!(count(db, sql).await, 0, "{what} crosses tenants");
    }
    // The entities read every sample row.
    entity::prelude::Conversations::find().all(db).await.expect("conversations");
    entity::prelude::Subscriptions::find().all(db).await.expect("subscriptions");
    entity::prelude::Users::find().all(db).await.expect("users");
}

async fn sample_data_down_removes_only_sample_rows(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let mine = tenant(db, "Created by a developer").await;

    Migrator::default().down(db, Some(2)).await.expect("V4 and V3 down");

    let remaining = entity::prelude::Tenants::find().all(db).await.expect("tenants");
    let mut names: Vec<&str> = remaining.iter().map(|t| t.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Created by a developer", "Platform administration"]);
    assert!(remaining.iter().any(|t| t.id == mine.id));
    for table in ["users", "tags"] {
        assert_eq!(
            count(
                db,
                &format!(
                    "SELECT count(*) FROM {table} WHERE tenant_id NOT IN (SELECT id FROM tenants)"
                )
            )
            .await,
            0
        );
    }
    assert_eq!(count(db, "SELECT count(*) FROM users").await, 1, "only the SUPER_ADMIN is left");
    assert_eq!(
        count(db, "SELECT count(*) FROM tags").await,
        3,
        "only the admin tenant's default tags are left"
    );
}
