//! `notification_settings`: How a user is notified; one row per user.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::json::{NotificationTypes, QuietHours};

/// A row of `notification_settings`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "notification_settings")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The user (same tenant where the schema requires it).
    pub user_id: Uuid,
    /// Email notifications.
    pub email_notifications: bool,
    /// Push notifications.
    pub push_notifications: bool,
    /// Sms notifications.
    pub sms_notifications: bool,
    /// Which events to notify of.
    #[sea_orm(column_type = "JsonBinary")]
    pub notification_types: NotificationTypes,
    /// When not to notify.
    #[sea_orm(column_type = "JsonBinary")]
    pub quiet_hours: QuietHours,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed (kept by a database trigger).
    pub updated_at: DateTimeUtc,
}

/// Links to other tables.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The row of `tenants` that `tenant_id` points at.
    #[sea_orm(
        belongs_to = "super::tenants::Entity",
        from = "Column::TenantId",
        to = "super::tenants::Column::Id",
        on_delete = "Cascade"
    )]
    Tenant,
    /// The row of `users` that `user_id` points at.
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_updates);
