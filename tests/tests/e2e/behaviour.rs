//! What the database computes and refuses, whoever writes to it.

use chrono::Duration;
use e2e::{
    Backend, conversation_of, count, customer, customer_model, exec, migrated, now,
    on_both_backends, tenant, tenant_model,
};
use entity::enums::{Priority, TriggerType};
use entity::json::SlaPolicies;
use entity::prelude::*;
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

on_both_backends!(
    priority_score_follows_priority_escalation_and_age,
    sla_deadline_comes_from_the_tenant_policy,
    updated_at_moves_on_every_update,
    invalid_enum_values_are_rejected,
    wrong_json_shapes_are_rejected,
);

async fn priority_score_follows_priority_escalation_and_age(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let acme = tenant(db, "Acme").await;
    let jordan = customer(db, acme.id).await;

    for (priority, base) in [
        (Priority::Low, 25),
        (Priority::Medium, 50),
        (Priority::High, 100),
        (Priority::Urgent, 150),
    ] {
        let mut conversation = conversation_of(&jordan, priority);
        conversation.priority_score = Set(9999);
        let conversation = conversation.insert(db).await.expect("insert");
        assert_eq!(conversation.priority_score, base, "{priority:?}: a writer's score is replaced");
    }

    let mut three_hours_old = conversation_of(&jordan, Priority::High);
    three_hours_old.created_at = Set(now() - Duration::minutes(190));
    let three_hours_old = three_hours_old.insert(db).await.expect("insert");
    assert_eq!(three_hours_old.priority_score, 100 + 3, "one point per whole hour open");

    let mut escalated = three_hours_old.into_active_model();
    escalated.escalation_level = Set(2);
    let escalated = escalated.update(db).await.expect("escalate");
    assert_eq!(escalated.priority_score, 100 + 2 * 25 + 3);

    let id = escalated.id;
    let mut hand_set = escalated.into_active_model();
    hand_set.priority_score = Set(1);
    hand_set.update(db).await.expect("update");
    let stored = Conversations::find_by_id(id).one(db).await.expect("find").expect("row");
    assert_eq!(stored.priority_score, 153, "a score set by hand is recomputed");
}

async fn sla_deadline_comes_from_the_tenant_policy(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let mut globex = tenant(db, "Globex").await.into_active_model();
    globex.sla_policies =
        Set(SlaPolicies { response_time: 10, resolution_time: 120, business_hours_only: false });
    let globex = globex.update(db).await.expect("policy");
    let nora = customer(db, globex.id).await;

    let created = now() - Duration::minutes(30);
    let mut conversation = conversation_of(&nora, Priority::Medium);
    conversation.created_at = Set(created);
    let conversation = conversation.insert(db).await.expect("insert");
    let stored =
        Conversations::find_by_id(conversation.id).one(db).await.expect("find").expect("row");
    assert_eq!(stored.sla_deadline, Some(created + Duration::minutes(120)));

    let agreed = now() + Duration::days(3);
    let mut explicit = conversation_of(&nora, Priority::Low);
    explicit.sla_deadline = Set(Some(agreed));
    let explicit = explicit.insert(db).await.expect("insert");
    let stored = Conversations::find_by_id(explicit.id).one(db).await.expect("find").expect("row");
    assert_eq!(stored.sla_deadline, Some(agreed), "a deadline given on insert is kept");
}

async fn updated_at_moves_on_every_update(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let long_ago = now() - Duration::days(30);
    // Every row starts a month old, so only a trigger can bring updated_at to now.
    let mut acme = tenant_model("Acme");
    acme.created_at = Set(long_ago);
    acme.updated_at = Set(long_ago);
    let acme = acme.insert(db).await.expect("tenant");
    let mut jordan = customer_model(acme.id);
    jordan.created_at = Set(long_ago);
    jordan.updated_at = Set(long_ago);
    let jordan = jordan.insert(db).await.expect("customer");
    assert_eq!((acme.updated_at, jordan.updated_at), (long_ago, long_ago), "inserts keep it");
    let mut conversation = conversation_of(&jordan, Priority::Low);
    conversation.created_at = Set(long_ago);
    conversation.updated_at = Set(long_ago);
    let conversation = conversation.insert(db).await.expect("insert");
    assert_eq!(conversation.updated_at, long_ago, "an insert keeps the given updated_at");

    for table in ["tenants", "customers", "conversations"] {
        exec(db, &format!("UPDATE {table} SET created_at = created_at")).await.expect("touch");
    }
    let before_update = now() - Duration::seconds(5);
    let tenant = Tenants::find_by_id(acme.id).one(db).await.expect("find").expect("row");
    let customer = Customers::find_by_id(jordan.id).one(db).await.expect("find").expect("row");
    let conversation =
        Conversations::find_by_id(conversation.id).one(db).await.expect("find").expect("row");
    for (table, updated_at) in [
        ("tenants", tenant.updated_at),
        ("customers", customer.updated_at),
        ("conversations", conversation.updated_at),
    ] {
        assert!(updated_at > before_update, "{table}.updated_at did not move: {updated_at}");
    }
}

async fn invalid_enum_values_are_rejected(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    // V3 writes no automation: give the check a row to refuse.
    let acme = tenant(db, "Acme").await;
    let mut automation = automations::ActiveModel::new();
    automation.tenant_id = Set(acme.id);
    automation.name = Set("Escalate urgent chats".to_owned());
    automation.trigger_type = Set(TriggerType::Message);
    automation.trigger_conditions = Set(serde_json::json!({}));
    automation.actions = Set(serde_json::json!([]));
    automation.is_active = Set(true);
    automation.priority = Set(0);
    automation.insert(db).await.expect("automation");
    for (table, column) in [
        ("tenants", "plan_type"),
        ("tenants", "status"),
        ("users", "role"),
        ("customers", "status"),
        ("conversations", "priority"),
        ("messages", "message_type"),
        ("subscriptions", "status"),
        ("automations", "trigger_type"),
        ("file_attachments", "storage_provider"),
        ("users", "availability_status"),
    ] {
        let rows = count(db, &format!("SELECT count(*) FROM {table}")).await;
        assert!(rows > 0, "{table} needs a row for its check to be tried");
        let result = exec(db, &format!("UPDATE {table} SET {column} = 'not-a-value'")).await;
        assert!(result.is_err(), "{table}.{column} accepted an invalid value");
        let result = exec(db, &format!("UPDATE {table} SET {column} = lower({column})")).await;
        assert!(result.is_err(), "{table}.{column} accepted a lower-case value");
    }
}

async fn wrong_json_shapes_are_rejected(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let cases = [
        ("tenants", "features", "'[]'"),
        ("tenants", "sla_policies", "'\"480\"'"),
        ("users", "skills", "'{}'"),
        ("customers", "custom_attributes", "'[1, 2]'"),
        ("conversations", "custom_attributes", "'null'"),
        ("webhooks", "events", "'{}'"),
        ("webhooks", "events", "'[]'"),
        ("notification_settings", "quiet_hours", "'[]'"),
        ("customers", "custom_attributes", "'not json'"),
    ];
    for (table, column, value) in cases {
        let result = exec(db, &format!("UPDATE {table} SET {column} = {value}")).await;
        assert!(result.is_err(), "{table}.{column} accepted {value}");
    }
}
