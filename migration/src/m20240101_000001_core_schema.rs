//! V1, the core schema: tenants, users, customers, conversations, messages,
//! subscriptions and automations, plus the admin tenant and its SUPER_ADMIN user.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use db_config::{AdminPassword, MigrationSettings};

use crate::ddl::{Col, Default, Dialect, Index, OnDelete, Table, postgres};
use crate::{password, seeded_ids};

const PLAN_TYPES: &[&str] = &["FREE", "STARTER", "PROFESSIONAL", "ENTERPRISE"];
const TENANT_STATUSES: &[&str] = &["ACTIVE", "TRIAL", "SUSPENDED", "CANCELLED"];
const USER_ROLES: &[&str] = &["SUPER_ADMIN", "TENANT_ADMIN", "SUPERVISOR", "AGENT"];
const USER_STATUSES: &[&str] = &["ACTIVE", "INACTIVE", "SUSPENDED", "INVITED"];
const CUSTOMER_STATUSES: &[&str] = &["ACTIVE", "INACTIVE", "BLOCKED"];
const CONVERSATION_STATUSES: &[&str] = &["OPEN", "IN_PROGRESS", "PENDING", "RESOLVED", "CLOSED"];
const PRIORITIES: &[&str] = &["LOW", "MEDIUM", "HIGH", "URGENT"];
const SENDER_TYPES: &[&str] = &["USER", "CUSTOMER", "SYSTEM", "AI"];
const MESSAGE_TYPES: &[&str] = &["TEXT", "IMAGE", "FILE", "AUDIO", "VIDEO", "LOCATION"];
const SUBSCRIPTION_STATUSES: &[&str] = &["ACTIVE", "TRIALING", "PAST_DUE", "CANCELLED", "EXPIRED"];
const TRIGGER_TYPES: &[&str] = &["MESSAGE", "CONVERSATION", "SCHEDULE", "WEBHOOK"];

/// V1: the core schema.
#[derive(DeriveMigrationName)]
pub struct Migration {
    /// The SUPER_ADMIN's e-mail and password.
    pub settings: MigrationSettings,
}

fn tables() -> Vec<Table> {
    vec![
        tenants(),
        users(),
        customers(),
        conversations(),
        messages(),
        subscriptions(),
        automations(),
    ]
}

fn tenants() -> Table {
    Table::new("tenants")
        .column(Col::varchar("name", 255).not_null())
        .column(Col::varchar("domain", 255))
        .column(Col::varchar("custom_domain", 255))
        .column(Col::enumeration("plan_type", PLAN_TYPES, "FREE"))
        .column(Col::enumeration("status", TENANT_STATUSES, "ACTIVE"))
        .column(limit("max_users", 5))
        .column(limit("max_conversations", 100))
        .column(limit("max_storage_mb", 1000))
        .column(Col::json_object("features", "{}"))
        .column(Col::json_object("settings", "{}"))
        .column(Col::uuid("created_by"))
        .column(Col::uuid("updated_by"))
        .timestamps()
        .index(Index::unique("uq_tenants_domain", "tenants", "domain"))
        .index(Index::unique("uq_tenants_custom_domain", "tenants", "custom_domain"))
}

fn limit(name: &'static str, default: i64) -> Col {
    Col::integer(name).not_null().default(Default::Int(default)).check(format!("{name} >= 0"))
}

fn users() -> Table {
    Table::new("users")
        .tenant_id()
        .column(Col::varchar("email", 255).not_null())
        .column(Col::varchar("password_hash", 255))
        .column(Col::varchar("first_name", 100).not_null())
        .column(Col::varchar("last_name", 100).not_null())
        .column(Col::enumeration("role", USER_ROLES, "AGENT"))
        .column(Col::enumeration("status", USER_STATUSES, "ACTIVE"))
        .column(Col::varchar("avatar_url", 500))
        .column(Col::json_object("preferences", "{}"))
        .column(Col::timestamp("last_login_at"))
        .audit_references()
        .timestamps()
        .tenant_scoped_key()
        .index(Index::unique("uq_users_tenant_email", "users", "tenant_id, lower(email)"))
        .index(Index::on("idx_users_role", "users", "role"))
        .index(Index::on("idx_users_status", "users", "status"))
}

fn customers() -> Table {
    Table::new("customers")
        .tenant_id()
        .column(Col::varchar("email", 255))
        .column(Col::varchar("phone", 50))
        .column(Col::varchar("first_name", 100))
        .column(Col::varchar("last_name", 100))
        .column(Col::varchar("avatar_url", 500))
        .column(Col::json_object("custom_attributes", "{}"))
        .column(Col::string_list("tags"))
        .column(Col::enumeration("status", CUSTOMER_STATUSES, "ACTIVE"))
        .audit_references()
        .timestamps()
        .tenant_scoped_key()
        .index(
            Index::unique("uq_customers_tenant_email", "customers", "tenant_id, lower(email)")
                .partial("email IS NOT NULL"),
        )
        .index(Index::on("idx_customers_status", "customers", "status"))
        .index(Index::gin("idx_customers_custom_attributes", "customers", "custom_attributes"))
}

fn conversations() -> Table {
    Table::new("conversations")
        .tenant_id()
        .column(Col::uuid("customer_id").not_null())
        .column(Col::uuid("assigned_agent_id"))
        .column(Col::enumeration("status", CONVERSATION_STATUSES, "OPEN"))
        .column(Col::enumeration("priority", PRIORITIES, "MEDIUM"))
        .column(Col::varchar("subject", 500))
        .column(Col::string_list("tags"))
        .column(Col::json_object("custom_attributes", "{}"))
        .column(Col::timestamp("resolved_at"))
        .audit_references()
        .timestamps()
        .tenant_scoped_key()
        .tenant_link("customer_id", "customers", OnDelete::Cascade)
        .tenant_link("assigned_agent_id", "users", OnDelete::SetNull)
        .index(Index::on("idx_conversations_status", "conversations", "status"))
        .index(Index::on("idx_conversations_created_at", "conversations", "created_at"))
        .index(Index::on(
            "idx_conversations_tenant_status_recent",
            "conversations",
            "tenant_id, status, created_at DESC",
        ))
        .index(Index::gin(
            "idx_conversations_custom_attributes",
            "conversations",
            "custom_attributes",
        ))
}

fn messages() -> Table {
    Table::new("messages")
        .tenant_id()
        .column(Col::uuid("conversation_id").not_null())
        .column(Col::required_enumeration("sender_type", SENDER_TYPES))
        .column(Col::uuid("sender_id"))
        .column(Col::text("content").not_null())
        .column(Col::enumeration("message_type", MESSAGE_TYPES, "TEXT"))
        .column(Col::json_object("metadata", "{}"))
        .column(Col::boolean("is_read", false))
        .column(Col::timestamp("read_at"))
        .timestamps()
        .tenant_scoped_key()
        .tenant_link("conversation_id", "conversations", OnDelete::Cascade)
        .index(Index::on("idx_messages_sender_type", "messages", "sender_type"))
        .index(Index::on("idx_messages_created_at", "messages", "created_at"))
        .index(Index::on(
            "idx_messages_conversation_timeline",
            "messages",
            "conversation_id, created_at",
        ))
}

fn subscriptions() -> Table {
    Table::new("subscriptions")
        .tenant_id()
        .column(Col::enumeration("plan_type", PLAN_TYPES, "FREE"))
        .column(Col::enumeration("status", SUBSCRIPTION_STATUSES, "ACTIVE"))
        .column(Col::timestamp("current_period_start").not_null())
        .column(Col::timestamp("current_period_end").not_null())
        .column(Col::boolean("cancel_at_period_end", false))
        .column(Col::timestamp("cancelled_at"))
        .column(Col::varchar("stripe_subscription_id", 255))
        .column(Col::varchar("paypal_subscription_id", 255))
        .column(Col::decimal("amount", 10, 2).not_null().check("amount >= 0"))
        .column(
            Col::varchar("currency", 3)
                .not_null()
                .default(Default::Str("GBP"))
                .check_by_dialect("currency ~ '^[A-Z]{3}$'", "currency GLOB '[A-Z][A-Z][A-Z]'"),
        )
        .timestamps()
        .constraint("CHECK (current_period_end > current_period_start)")
        .index(Index::on("idx_subscriptions_status", "subscriptions", "status"))
        .index(Index::on("idx_subscriptions_period_end", "subscriptions", "current_period_end"))
}

fn automations() -> Table {
    Table::new("automations")
        .tenant_id()
        .column(Col::varchar("name", 255).not_null())
        .column(Col::text("description"))
        .column(Col::required_enumeration("trigger_type", TRIGGER_TYPES))
        .column(Col::json_object("trigger_conditions", "{}"))
        .column(Col::json_array("actions"))
        .column(Col::boolean("is_active", true))
        .column(Col::integer("priority").not_null().default(Default::Int(0)))
        .audit_references()
        .timestamps()
        .index(Index::on("idx_automations_trigger_type", "automations", "trigger_type"))
        .index(Index::on("idx_automations_is_active", "automations", "is_active"))
}

fn postgres_comments() -> Vec<String> {
    vec![
        postgres::comment_on_table(
            "tenants",
            "Organisations using the platform; every tenant's data is isolated by tenant_id.",
        ),
        postgres::comment_on_table("users", "Agents and administrators of a tenant."),
        postgres::comment_on_table("customers", "People who write in to a tenant."),
        postgres::comment_on_table(
            "conversations",
            "Support threads between a customer and a tenant's agents.",
        ),
        postgres::comment_on_table(
            "messages",
            "Messages of a conversation, in the conversation's tenant.",
        ),
        postgres::comment_on_table("subscriptions", "Billing subscriptions of tenants."),
        postgres::comment_on_table(
            "automations",
            "Rules that act on messages, conversations, schedules or webhooks.",
        ),
        postgres::comment_on_column(
            "users",
            "password_hash",
            "Argon2id PHC string; NULL for invited users without a password.",
        ),
        postgres::comment_on_column(
            "messages",
            "sender_id",
            "A users.id or customers.id, depending on sender_type.",
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        if dialect == Dialect::Postgres {
            Dialect::run(manager, [postgres::CREATE_TOUCH_FUNCTION]).await?;
        }
        for table in tables() {
            Dialect::run(manager, table.create(dialect)).await?;
        }
        if dialect == Dialect::Postgres {
            Dialect::run(manager, postgres_comments()).await?;
        }
        seed_admin(manager, &self.settings).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        for table in tables().iter().rev() {
            Dialect::run(manager, table.drop(dialect)).await?;
        }
        if dialect == Dialect::Postgres {
            Dialect::run(manager, [postgres::DROP_TOUCH_FUNCTION]).await?;
        }
        Ok(())
    }
}

/// The admin tenant and its SUPER_ADMIN. There is no published password: it is
/// `ADMIN_PASSWORD`; without it, generated and shown once in development and test, and
/// none at all in staging and production (the admin is invited), where whatever is printed
/// ends up in a deploy log.
async fn seed_admin(
    manager: &SchemaManager<'_>,
    settings: &MigrationSettings,
) -> Result<(), DbErr> {
    let email = settings.admin_email.value.clone();
    let (password, status) = match settings.admin_password() {
        AdminPassword::Given(password) => (Some(password.expose().to_owned()), "ACTIVE"),
        AdminPassword::Generate => (Some(password::generate()), "ACTIVE"),
        AdminPassword::Invite => (None, "INVITED"),
    };
    let password_hash = match &password {
        Some(password) => Some(
            password::hash(password)
                .map_err(|e| DbErr::Migration(format!("could not hash the admin password: {e}")))?,
        ),
        None => None,
    };

    let db = manager.get_connection();
    let tenant = Query::insert()
        .into_table("tenants")
        .columns(["id", "name", "domain", "plan_type"])
        .values([
            seeded_ids::ADMIN_TENANT.into(),
            "Platform administration".into(),
            "admin.localhost".into(),
            "ENTERPRISE".into(),
        ])
        .map_err(|e| DbErr::Migration(e.to_string()))?
        .to_owned();
    db.execute(&tenant).await?;
    let user = Query::insert()
        .into_table("users")
        .columns([
            "id",
            "tenant_id",
            "email",
            "password_hash",
            "first_name",
            "last_name",
            "role",
            "status",
        ])
        .values([
            seeded_ids::ADMIN_USER.into(),
            seeded_ids::ADMIN_TENANT.into(),
            email.clone().into(),
            password_hash.into(),
            "Platform".into(),
            "Admin".into(),
            "SUPER_ADMIN".into(),
            status.into(),
        ])
        .map_err(|e| DbErr::Migration(e.to_string()))?
        .to_owned();
    db.execute(&user).await?;

    match settings.admin_password() {
        AdminPassword::Generate => tracing::warn!(
            "Created the SUPER_ADMIN {email} with the generated password {}\n\
             It is shown only this once; set ADMIN_PASSWORD before migrating to choose it.",
            password.unwrap_or_default()
        ),
        AdminPassword::Invite => tracing::warn!(
            "Created the SUPER_ADMIN {email} as INVITED, without a password (APP_ENV={} and \
             no ADMIN_PASSWORD); give it one through the app's invitation or password reset.",
            settings.app_env
        ),
        AdminPassword::Given(_) => {}
    }
    Ok(())
}
