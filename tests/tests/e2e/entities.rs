//! Every table through the entities: insert a row and read it back unchanged, on both
//! backends (uuids, JSON, exact decimals, timestamps and enums).

use std::str::FromStr;

use chrono::Duration;
use e2e::{
    Backend, agent, conversation, customer, message, migrated, now, on_both_backends, tag, tenant,
};
use entity::Numeric;
use entity::enums::*;
use entity::json::{NotificationTypes, QuietHours};
use entity::prelude::*;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, DatabaseConnection, EntityTrait, Iterable,
    ModelTrait, Set,
};
use serde_json::json;

on_both_backends!(
    every_table_round_trips_through_its_entity,
    decimals_stay_exact,
    enums_match_the_check_lists_of_their_columns
);

/// Inserts `model` and checks that reading it back by `id` gives every value that was set
/// (and what the insert returned).
macro_rules! round_trip {
    ($db:expr, $entity:ty, $model:expr) => {{
        let model = $model;
        let set: Vec<_> = <$entity as EntityTrait>::Column::iter()
            .filter_map(|column| match model.get(column) {
                ActiveValue::Set(value) => Some((column, value)),
                _ => None,
            })
            .collect();
        let inserted = model.insert($db).await.expect(concat!("insert into ", stringify!($entity)));
        let found = <$entity>::find_by_id(inserted.id).one($db).await.expect("find").expect("row");
        for (column, value) in set {
            assert_eq!(found.get(column), value, "{}.{column:?} round trip", stringify!($entity));
        }
        assert_eq!(found, inserted, "{} read back as inserted", stringify!($entity));
        found
    }};
}

async fn every_table_round_trips_through_its_entity(backend: Backend) {
    let db = migrated(backend).await;
    let db: &DatabaseConnection = db.conn();
    let acme = tenant(db, "Acme").await;
    let sam = agent(db, acme.id, "Sam@Acme.example.com").await;
    let jordan = customer(db, acme.id).await;
    let thread = conversation(db, &jordan).await;
    let hello = message(db, &thread).await;
    let vip = tag(db, acme.id, "vip").await;
    for (found, id) in [
        (Tenants::find_by_id(acme.id).one(db).await.expect("find").map(|m| m.id), acme.id),
        (Users::find_by_id(sam.id).one(db).await.expect("find").map(|m| m.id), sam.id),
        (Customers::find_by_id(jordan.id).one(db).await.expect("find").map(|m| m.id), jordan.id),
        (
            Conversations::find_by_id(thread.id).one(db).await.expect("find").map(|m| m.id),
            thread.id,
        ),
        (Messages::find_by_id(hello.id).one(db).await.expect("find").map(|m| m.id), hello.id),
        (Tags::find_by_id(vip.id).one(db).await.expect("find").map(|m| m.id), vip.id),
    ] {
        assert_eq!(found, Some(id));
    }
    assert_eq!(
        Conversations::find_by_id(thread.id).one(db).await.expect("find"),
        Some(thread.clone())
    );
    assert_eq!(Users::find_by_id(sam.id).one(db).await.expect("find"), Some(sam.clone()));

    let start = now() - Duration::days(10);
    let mut subscription = subscriptions::ActiveModel::new();
    subscription.tenant_id = Set(acme.id);
    subscription.plan_type = Set(PlanType::Starter);
    subscription.status = Set(SubscriptionStatus::Trialing);
    subscription.current_period_start = Set(start);
    subscription.current_period_end = Set(start + Duration::days(30));
    subscription.cancel_at_period_end = Set(true);
    subscription.stripe_subscription_id = Set(Some("sub_123".into()));
    subscription.amount = Set(Numeric::from_str("12345678.91").expect("decimal"));
    subscription.currency = Set("EUR".into());
    round_trip!(db, Subscriptions, subscription);

    let mut automation = automations::ActiveModel::new();
    automation.tenant_id = Set(acme.id);
    automation.name = Set("Auto-assign VIPs".into());
    automation.trigger_type = Set(TriggerType::Conversation);
    automation.trigger_conditions = Set(json!({"tag": "vip"}));
    automation.actions = Set(json!([{"assign": sam.id}]));
    automation.is_active = Set(true);
    automation.priority = Set(10);
    automation.created_by = Set(Some(sam.id));
    round_trip!(db, Automations, automation);

    let mut audit = audit_logs::ActiveModel::new();
    audit.tenant_id = Set(Some(acme.id));
    audit.user_id = Set(Some(sam.id));
    audit.action = Set("conversation.assigned".into());
    audit.entity_type = Set("conversation".into());
    audit.entity_id = Set(thread.id);
    audit.old_values = Set(json!({}));
    audit.new_values = Set(json!({"assigned_agent_id": sam.id}));
    audit.ip_address = Set(Some("192.0.2.10".into()));
    round_trip!(db, AuditLogs, audit);

    let mut attachment = file_attachments::ActiveModel::new();
    attachment.tenant_id = Set(acme.id);
    attachment.message_id = Set(hello.id);
    attachment.file_name = Set("receipt.pdf".into());
    attachment.file_path = Set("acme/receipt.pdf".into());
    attachment.file_size = Set(5_000_000_000);
    attachment.mime_type = Set("application/pdf".into());
    attachment.storage_provider = Set(StorageProvider::Gcs);
    attachment.storage_metadata = Set(json!({"bucket": "b"}));
    round_trip!(db, FileAttachments, attachment);

    let mut webhook = webhooks::ActiveModel::new();
    webhook.tenant_id = Set(acme.id);
    webhook.name = Set("CRM".into());
    webhook.url = Set("https://crm.example.com/hook".into());
    webhook.events = Set(["conversation.created"].into_iter().collect());
    webhook.is_active = Set(true);
    webhook.secret_key = Set("whsec_x".into());
    webhook.headers = Set(json!({}));
    webhook.retry_count = Set(3);
    webhook.last_triggered_at = Set(Some(now()));
    round_trip!(db, Webhooks, webhook);

    let mut session = user_sessions::ActiveModel::new();
    session.tenant_id = Set(acme.id);
    session.user_id = Set(sam.id);
    session.session_token = Set("sha256:abc".into());
    session.is_active = Set(true);
    session.expires_at = Set(now() + Duration::hours(8));
    round_trip!(db, UserSessions, session);

    let mut settings = notification_settings::ActiveModel::new();
    settings.tenant_id = Set(acme.id);
    settings.user_id = Set(sam.id);
    settings.email_notifications = Set(true);
    settings.push_notifications = Set(false);
    settings.sms_notifications = Set(true);
    settings.notification_types =
        Set(NotificationTypes { message_received: false, ..Default::default() });
    settings.quiet_hours = Set(QuietHours { enabled: true, ..Default::default() });
    round_trip!(db, NotificationSettings, settings);

    let mut metric = performance_metrics::ActiveModel::new();
    metric.tenant_id = Set(acme.id);
    metric.user_id = Set(Some(sam.id));
    metric.metric_type = Set("first_response_time".into());
    metric.metric_value = Set(Numeric::from_str("0.10").expect("decimal"));
    metric.metric_unit = Set("minutes".into());
    metric.period_start = Set(start);
    metric.period_end = Set(start);
    metric.metadata = Set(json!({"n": 1}));
    round_trip!(db, PerformanceMetrics, metric);

    let link = conversation_tags::ActiveModel {
        tenant_id: Set(acme.id),
        conversation_id: Set(thread.id),
        tag_id: Set(vip.id),
        created_by: Set(Some(sam.id)),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("conversation tag");
    let found = ConversationTags::find_by_id((thread.id, vip.id)).one(db).await.expect("find");
    assert_eq!(found, Some(link));
    let link = customer_tags::ActiveModel {
        tenant_id: Set(acme.id),
        customer_id: Set(jordan.id),
        tag_id: Set(vip.id),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("customer tag");
    let found = CustomerTags::find_by_id((jordan.id, vip.id)).one(db).await.expect("find");
    assert_eq!(found, Some(link));
}

async fn decimals_stay_exact(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let acme = tenant(db, "Acme").await;
    for text in ["12345678.91", "0.10", "0.01", "99999999.99"] {
        let start = now();
        let mut subscription = subscriptions::ActiveModel::new();
        subscription.tenant_id = Set(acme.id);
        subscription.plan_type = Set(PlanType::Starter);
        subscription.status = Set(SubscriptionStatus::Active);
        subscription.current_period_start = Set(start);
        subscription.current_period_end = Set(start + Duration::days(30));
        subscription.cancel_at_period_end = Set(false);
        subscription.amount = Set(Numeric::from_str(text).expect("decimal"));
        subscription.currency = Set("GBP".into());
        let saved = subscription.insert(db).await.expect("insert");
        let found = Subscriptions::find_by_id(saved.id).one(db).await.expect("find").expect("row");
        assert_eq!(found.amount.to_string(), text, "amount {text} read back exactly");
        assert_eq!(found.amount.value(), Decimal::from_str(text).expect("decimal"));
    }
}

/// An application that returns a model from an endpoint publishes what it serializes: the
/// password hash, the webhook's signing key and the session token hash must not be there,
/// while code still reads them from the model.
#[tokio::test]
async fn models_serialized_as_json_hold_no_secret() {
    let db = migrated(Backend::Sqlite).await;
    let config = db_config::DatabaseConfig::resolve(&db_config::Env::from_pairs(
        [("DATABASE_URL", db.url())],
        [],
    ))
    .expect("configuration");
    let sizes = seed::Sizes { tenants: 1, users: 3, sessions: 3, ..seed::Preset::Small.sizes() };
    let options = seed::SeedOptions {
        preset: seed::Preset::Small,
        sizes,
        seed: 3,
        anchor: seed::default_anchor(),
        tenant: None,
        allow_staging: false,
        progress: false,
    };
    seed::seed(&config, &options).await.expect("seeding");
    let db = db.conn();

    let mut secrets = Vec::new();
    for user in Users::find().all(db).await.expect("users") {
        let json = serde_json::to_string(&user).expect("JSON");
        let hash = user.password_hash.clone().expect("V3 and seeded users have passwords");
        assert!(!json.contains(&hash) && !json.contains("password_hash"), "{json}");
        assert!(json.contains(&user.email), "the rest is serialized: {json}");
        secrets.push(hash);
    }
    for webhook in Webhooks::find().all(db).await.expect("webhooks") {
        let json = serde_json::to_string(&webhook).expect("JSON");
        assert!(!json.contains(&webhook.secret_key) && !json.contains("secret_key"), "{json}");
        secrets.push(webhook.secret_key);
    }
    for session in UserSessions::find().all(db).await.expect("sessions") {
        let json = serde_json::to_string(&session).expect("JSON");
        assert!(
            !json.contains(&session.session_token) && !json.contains("session_token"),
            "{json}"
        );
        secrets.push(session.session_token);
    }
    assert!(secrets.len() >= 3 && secrets.iter().all(|s| s.len() >= 16), "{secrets:?}");
}

/// On SQLite (no row-level security) the e-mail lookup is an ordinary query of that tenant.
#[tokio::test]
async fn e_mail_lookups_on_sqlite_are_case_insensitive_and_per_tenant() {
    let db = migrated(Backend::Sqlite).await;
    let db = db.conn();
    let (mine, other) = (tenant(db, "Mine").await, tenant(db, "Other").await);
    let person = agent(db, mine.id, "Casey.Jones@Example.com").await;

    let found = Users::find_by_email(db, mine.id, "casey.jones@example.COM").await.expect("lookup");
    assert_eq!(found.map(|u| u.id), Some(person.id));
    let elsewhere =
        Users::find_by_email(db, other.id, "casey.jones@example.com").await.expect("lookup");
    assert!(elsewhere.is_none());
}

/// Every enum's values, as the entity spells them, against the CHECK list the migrations
/// put on its column: a value added on one side only fails here, not in production.
async fn enums_match_the_check_lists_of_their_columns(backend: Backend) {
    use entity::enums::AsStr;
    fn values<E: Iterable + AsStr>() -> Vec<&'static str> {
        let mut all: Vec<&'static str> = E::iter().map(|v| v.as_str()).collect();
        all.sort();
        all
    }
    let columns: Vec<(&str, &str, Vec<&str>)> = vec![
        ("tenants", "plan_type", values::<PlanType>()),
        ("tenants", "status", values::<TenantStatus>()),
        ("users", "role", values::<UserRole>()),
        ("users", "status", values::<UserStatus>()),
        ("users", "availability_status", values::<AvailabilityStatus>()),
        ("customers", "status", values::<CustomerStatus>()),
        ("conversations", "status", values::<ConversationStatus>()),
        ("conversations", "priority", values::<Priority>()),
        ("messages", "sender_type", values::<SenderType>()),
        ("messages", "message_type", values::<MessageType>()),
        ("subscriptions", "plan_type", values::<PlanType>()),
        ("subscriptions", "status", values::<SubscriptionStatus>()),
        ("automations", "trigger_type", values::<TriggerType>()),
        ("file_attachments", "storage_provider", values::<StorageProvider>()),
    ];
    let db = migrated(backend).await;
    for (table, column, expected) in columns {
        let sql = match backend {
            Backend::Postgres => format!(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint \
                 WHERE conrelid = '{table}'::regclass AND contype = 'c' \
                   AND pg_get_constraintdef(oid) LIKE '%({column} = ANY%'"
            ),
            Backend::Sqlite => {
                format!("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
            }
        };
        let definition: String = e2e::text(db.conn(), &sql).await;
        let list = match backend {
            Backend::Postgres => definition.clone(),
            Backend::Sqlite => {
                let start = definition
                    .find(&format!("CHECK ({column} IN ("))
                    .unwrap_or_else(|| panic!("{table}.{column} has no CHECK list: {definition}"));
                let rest = &definition[start..];
                rest[..rest.find(')').unwrap_or(rest.len())].to_owned()
            }
        };
        let mut found: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        found.sort();
        assert_eq!(found, expected, "{backend:?} {table}.{column}: {list}");
    }
}
