//! `user_sessions`: A login session. `session_token` holds a hash of the token, never the token.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `user_sessions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "user_sessions")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The user (same tenant where the schema requires it).
    pub user_id: Uuid,
    /// A hash of the session token, never the token itself. Never serialized: a `Model`
    /// returned as JSON from an endpoint must not publish it.
    #[serde(skip_serializing)]
    pub session_token: String,
    /// Client IP address (validated on PostgreSQL).
    #[sea_orm(column_type = "Text")]
    pub ip_address: Option<String>,
    /// User agent.
    #[sea_orm(column_type = "Text")]
    pub user_agent: Option<String>,
    /// Is active.
    pub is_active: bool,
    /// When the session ends; after `created_at`.
    pub expires_at: DateTimeUtc,
    /// Last request seen in the session.
    pub last_activity_at: Option<DateTimeUtc>,
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
