//! Helpers shared by the end-to-end tests: fixtures written through the entities, raw SQL
//! helpers, and a macro that runs one scenario on both backends.

use chrono::{DateTime, Utc};
use entity::enums::{Priority, UserRole};
use entity::prelude::*;
use sea_orm::sea_query::{InsertStatement, Query, SimpleExpr};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, ExecResult,
    Set, Statement,
};
use uuid::Uuid;

pub use testkit::{Backend, TestDb};

/// Defines `mod $name { postgres, sqlite }`: the scenario `$name(Backend)` as one test per
/// backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn postgres() {
                super::$name($crate::Backend::Postgres).await
            }
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::Backend::Sqlite).await
            }
        }
    )+};
}

/// A fresh, fully migrated database; panics (failing the test) when none can be had.
pub async fn migrated(backend: Backend) -> TestDb {
    match TestDb::migrated(backend).await {
        Ok(db) => db,
        Err(err) => panic!("no {backend:?} test database: {err}"),
    }
}

/// A fresh, empty database.
pub async fn empty(backend: Backend) -> TestDb {
    match TestDb::empty(backend).await {
        Ok(db) => db,
        Err(err) => panic!("no {backend:?} test database: {err}"),
    }
}

/// Runs raw SQL.
pub async fn exec(db: &DatabaseConnection, sql: &str) -> Result<ExecResult, DbErr> {
    db.execute_unprepared(sql).await
}

/// Runs an INSERT built with sea-query (values bound, so uuids work on both backends).
pub async fn insert(db: &DatabaseConnection, stmt: &InsertStatement) -> Result<(), DbErr> {
    db.execute(stmt).await.map(|_| ())
}

/// `INSERT INTO table (columns) VALUES (values)`.
pub fn insert_into(table: &str, columns: &[&str], values: Vec<SimpleExpr>) -> InsertStatement {
    let mut stmt = Query::insert();
    stmt.into_table(sea_orm::sea_query::Alias::new(table))
        .columns(columns.iter().map(|c| sea_orm::sea_query::Alias::new(*c)));
    match stmt.values(values) {
        Ok(_) => stmt,
        Err(err) => panic!("bad test insert into {table}: {err}"),
    }
}

/// The first column of the first row of `sql`, on a connection or in a transaction.
pub async fn first_value<T: sea_orm::TryGetable, C: ConnectionTrait>(db: &C, sql: &str) -> T {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index(0).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A single integer from a query such as `SELECT count(*) …`.
pub async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    first_value(db, sql).await
}

/// The first column of the first row of `sql`, as text.
pub async fn text(db: &DatabaseConnection, sql: &str) -> String {
    first_value(db, sql).await
}

/// The current time at the precision both backends store (microseconds).
pub fn now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

/// A new tenant with the given SLA resolution time.
pub async fn tenant(db: &DatabaseConnection, name: &str) -> tenants::Model {
    let tenant = tenant_model(name);
    tenant.insert(db).await.unwrap_or_else(|e| panic!("tenant {name}: {e}"))
}

/// A tenant model, not yet inserted.
pub fn tenant_model(name: &str) -> tenants::ActiveModel {
    let mut tenant = tenants::ActiveModel::new();
    tenant.name = Set(name.to_owned());
    tenant.plan_type = Set(entity::enums::PlanType::Professional);
    tenant.status = Set(entity::enums::TenantStatus::Active);
    tenant.max_users = Set(10);
    tenant.max_conversations = Set(100);
    tenant.max_storage_mb = Set(1000);
    tenant.features = Set(serde_json::json!({}));
    tenant.settings = Set(serde_json::json!({}));
    tenant.timezone = Set("Europe/London".to_owned());
    tenant.working_hours = Set(Default::default());
    tenant.sla_policies = Set(Default::default());
    tenant
}

/// A new agent of `tenant`.
pub async fn agent(db: &DatabaseConnection, tenant: Uuid, email: &str) -> users::Model {
    let mut user = users::ActiveModel::new();
    user.tenant_id = Set(tenant);
    user.email = Set(email.to_owned());
    user.first_name = Set("Alex".to_owned());
    user.last_name = Set("Agent".to_owned());
    user.role = Set(UserRole::Agent);
    user.status = Set(entity::enums::UserStatus::Active);
    user.preferences = Set(serde_json::json!({}));
    user.working_hours = Set(Default::default());
    user.skills = Set(["billing"].into_iter().collect());
    user.availability_status = Set(entity::enums::AvailabilityStatus::Online);
    user.insert(db).await.unwrap_or_else(|e| panic!("agent {email}: {e}"))
}

/// A new customer of `tenant`.
pub async fn customer(db: &DatabaseConnection, tenant: Uuid) -> customers::Model {
    customer_model(tenant).insert(db).await.unwrap_or_else(|e| panic!("customer: {e}"))
}

/// A customer model of `tenant`, not yet inserted.
pub fn customer_model(tenant: Uuid) -> customers::ActiveModel {
    let mut customer = customers::ActiveModel::new();
    customer.tenant_id = Set(tenant);
    customer.email = Set(Some(format!("{}@example.net", Uuid::now_v7().simple())));
    customer.custom_attributes = Set(serde_json::json!({"plan": "pro"}));
    customer.status = Set(entity::enums::CustomerStatus::Active);
    customer
}

/// A conversation model of `customer`, not yet inserted.
pub fn conversation_of(
    customer: &customers::Model,
    priority: Priority,
) -> conversations::ActiveModel {
    let mut conversation = conversations::ActiveModel::new();
    conversation.tenant_id = Set(customer.tenant_id);
    conversation.customer_id = Set(customer.id);
    conversation.status = Set(entity::enums::ConversationStatus::Open);
    conversation.priority = Set(priority);
    conversation.subject = Set(Some("Where is my order?".to_owned()));
    conversation.custom_attributes = Set(serde_json::json!({}));
    conversation.priority_score = Set(0);
    conversation.escalation_level = Set(0);
    conversation
}

/// A new conversation of `customer`.
pub async fn conversation(
    db: &DatabaseConnection,
    customer: &customers::Model,
) -> conversations::Model {
    conversation_of(customer, Priority::Medium)
        .insert(db)
        .await
        .unwrap_or_else(|e| panic!("conversation: {e}"))
}

/// A new message from the customer in `conversation`.
pub async fn message(
    db: &DatabaseConnection,
    conversation: &conversations::Model,
) -> messages::Model {
    let mut message = messages::ActiveModel::new();
    message.tenant_id = Set(conversation.tenant_id);
    message.conversation_id = Set(conversation.id);
    message.sender_type = Set(entity::enums::SenderType::Customer);
    message.sender_id = Set(Some(conversation.customer_id));
    message.content = Set("Hello?".to_owned());
    message.message_type = Set(entity::enums::MessageType::Text);
    message.metadata = Set(serde_json::json!({}));
    message.is_read = Set(false);
    message.insert(db).await.unwrap_or_else(|e| panic!("message: {e}"))
}

/// A new tag of `tenant`.
pub async fn tag(db: &DatabaseConnection, tenant: Uuid, name: &str) -> tags::Model {
    let mut tag = tags::ActiveModel::new();
    tag.tenant_id = Set(tenant);
    tag.name = Set(name.to_owned());
    tag.colour = Set("#3B82F6".to_owned());
    tag.usage_count = Set(0);
    tag.insert(db).await.unwrap_or_else(|e| panic!("tag {name}: {e}"))
}

/// Child rows whose tenant differs from their parent's, and tag counts that disagree with
/// the links; each query must count zero.
pub const CROSS_TENANT: &[(&str, &str)] = &[
    (
        "conversation/customer",
        "SELECT count(*) FROM conversations c JOIN customers p ON p.id = c.customer_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "conversation/agent",
        "SELECT count(*) FROM conversations c JOIN users p ON p.id = c.assigned_agent_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "message/conversation",
        "SELECT count(*) FROM messages c JOIN conversations p ON p.id = c.conversation_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "attachment/message",
        "SELECT count(*) FROM file_attachments c JOIN messages p ON p.id = c.message_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "conversation tag",
        "SELECT count(*) FROM conversation_tags c JOIN tags t ON t.id = c.tag_id JOIN conversations p ON p.id = c.conversation_id WHERE t.tenant_id <> c.tenant_id OR p.tenant_id <> c.tenant_id",
    ),
    (
        "customer tag",
        "SELECT count(*) FROM customer_tags c JOIN tags t ON t.id = c.tag_id JOIN customers p ON p.id = c.customer_id WHERE t.tenant_id <> c.tenant_id OR p.tenant_id <> c.tenant_id",
    ),
    (
        "notification settings/user",
        "SELECT count(*) FROM notification_settings c JOIN users p ON p.id = c.user_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "metric/user",
        "SELECT count(*) FROM performance_metrics c JOIN users p ON p.id = c.user_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "audit/user",
        "SELECT count(*) FROM audit_logs c JOIN users p ON p.id = c.user_id WHERE p.tenant_id <> c.tenant_id",
    ),
    (
        "message sender",
        "SELECT count(*) FROM messages m WHERE m.sender_type = 'USER' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.sender_id AND u.tenant_id = m.tenant_id)",
    ),
    (
        "tag usage",
        "SELECT count(*) FROM tags t WHERE t.usage_count <> (SELECT count(*) FROM conversation_tags l WHERE l.tag_id = t.id) + (SELECT count(*) FROM customer_tags l WHERE l.tag_id = t.id)",
    ),
];
