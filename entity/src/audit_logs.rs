//! `audit_logs`: An append-only record of a change; `tenant_id` is `None` for system-wide events.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `audit_logs`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_logs")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Option<Uuid>,
    /// The user (same tenant where the schema requires it).
    pub user_id: Option<Uuid>,
    /// Action.
    pub action: String,
    /// Kind of the changed row, e.g. `conversation`.
    pub entity_type: String,
    /// Id of the changed row.
    pub entity_id: Uuid,
    /// Changed fields before the change.
    #[sea_orm(column_type = "JsonBinary")]
    pub old_values: Json,
    /// Changed fields after the change.
    #[sea_orm(column_type = "JsonBinary")]
    pub new_values: Json,
    /// Client IP address (validated on PostgreSQL).
    #[sea_orm(column_type = "Text")]
    pub ip_address: Option<String>,
    /// User agent.
    #[sea_orm(column_type = "Text")]
    pub user_agent: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
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
        on_delete = "SetNull"
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

crate::triggers::uuid_v7_behaviour!();
