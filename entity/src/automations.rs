//! `automations`: A rule that acts on messages, conversations, schedules or webhooks.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::TriggerType;

/// A row of `automations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "automations")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// Trigger type.
    pub trigger_type: TriggerType,
    /// Conditions that must hold.
    #[sea_orm(column_type = "JsonBinary")]
    pub trigger_conditions: Json,
    /// Actions to run, in order.
    #[sea_orm(column_type = "JsonBinary")]
    pub actions: Json,
    /// Is active.
    pub is_active: bool,
    /// Priority.
    pub priority: i32,
    /// The user who created the row.
    pub created_by: Option<Uuid>,
    /// The user who last changed the row.
    pub updated_by: Option<Uuid>,
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
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_updates);
