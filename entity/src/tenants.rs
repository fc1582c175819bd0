//! `tenants`: An organisation using the platform; every other row belongs to one.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{PlanType, TenantStatus};
use crate::json::{SlaPolicies, WorkingHours};

/// A row of `tenants`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Platform subdomain; unique when set.
    pub domain: Option<String>,
    /// The tenant's own domain; unique when set.
    pub custom_domain: Option<String>,
    /// Plan type.
    pub plan_type: PlanType,
    /// Status.
    pub status: TenantStatus,
    /// Limit of users (>= 0).
    pub max_users: i32,
    /// Limit of conversations (>= 0).
    pub max_conversations: i32,
    /// Storage limit in MiB (>= 0).
    pub max_storage_mb: i32,
    /// Feature flags.
    #[sea_orm(column_type = "JsonBinary")]
    pub features: Json,
    /// Free-form settings.
    #[sea_orm(column_type = "JsonBinary")]
    pub settings: Json,
    /// The user who created the row.
    pub created_by: Option<Uuid>,
    /// The user who last changed the row.
    pub updated_by: Option<Uuid>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed (kept by a database trigger).
    pub updated_at: DateTimeUtc,
    /// IANA time zone name, e.g. `Europe/London`.
    pub timezone: String,
    /// Weekly working hours.
    #[sea_orm(column_type = "JsonBinary")]
    pub working_hours: WorkingHours,
    /// Service-level targets.
    #[sea_orm(column_type = "JsonBinary")]
    pub sla_policies: SlaPolicies,
}

/// Links to other tables.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Rows of `users` that belong to this one.
    #[sea_orm(has_many = "super::users::Entity")]
    Users,
    /// Rows of `customers` that belong to this one.
    #[sea_orm(has_many = "super::customers::Entity")]
    Customers,
    /// Rows of `conversations` that belong to this one.
    #[sea_orm(has_many = "super::conversations::Entity")]
    Conversations,
    /// Rows of `messages` that belong to this one.
    #[sea_orm(has_many = "super::messages::Entity")]
    Messages,
    /// Rows of `subscriptions` that belong to this one.
    #[sea_orm(has_many = "super::subscriptions::Entity")]
    Subscriptions,
    /// Rows of `automations` that belong to this one.
    #[sea_orm(has_many = "super::automations::Entity")]
    Automations,
    /// Rows of `tags` that belong to this one.
    #[sea_orm(has_many = "super::tags::Entity")]
    Tags,
    /// Rows of `webhooks` that belong to this one.
    #[sea_orm(has_many = "super::webhooks::Entity")]
    Webhooks,
    /// Rows of `user_sessions` that belong to this one.
    #[sea_orm(has_many = "super::user_sessions::Entity")]
    UserSessions,
    /// Rows of `notification_settings` that belong to this one.
    #[sea_orm(has_many = "super::notification_settings::Entity")]
    NotificationSettings,
    /// Rows of `performance_metrics` that belong to this one.
    #[sea_orm(has_many = "super::performance_metrics::Entity")]
    PerformanceMetrics,
    /// Rows of `audit_logs` that belong to this one.
    #[sea_orm(has_many = "super::audit_logs::Entity")]
    AuditLogs,
    /// Rows of `file_attachments` that belong to this one.
    #[sea_orm(has_many = "super::file_attachments::Entity")]
    FileAttachments,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::customers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customers.def()
    }
}

impl Related<super::conversations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Conversations.def()
    }
}

impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
    }
}

impl Related<super::subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscriptions.def()
    }
}

impl Related<super::automations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Automations.def()
    }
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tags.def()
    }
}

impl Related<super::webhooks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Webhooks.def()
    }
}

impl Related<super::user_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserSessions.def()
    }
}

impl Related<super::notification_settings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NotificationSettings.def()
    }
}

impl Related<super::performance_metrics::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PerformanceMetrics.def()
    }
}

impl Related<super::audit_logs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLogs.def()
    }
}

impl Related<super::file_attachments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FileAttachments.def()
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_updates);
