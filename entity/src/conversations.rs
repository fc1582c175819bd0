//! `conversations`: A support thread between a customer and a tenant's agents. `priority_score` and (when not given) `sla_deadline` are computed by the database.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{ConversationStatus, Priority};

/// A row of `conversations`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The customer (same tenant).
    pub customer_id: Uuid,
    /// The agent handling it (same tenant); `None` when unassigned.
    pub assigned_agent_id: Option<Uuid>,
    /// Status.
    pub status: ConversationStatus,
    /// Priority.
    pub priority: Priority,
    /// Subject.
    pub subject: Option<String>,
    /// Free-form attributes (GIN-indexed on PostgreSQL).
    #[sea_orm(column_type = "JsonBinary")]
    pub custom_attributes: Json,
    /// When the conversation was resolved.
    pub resolved_at: Option<DateTimeUtc>,
    /// The user who created the row.
    pub created_by: Option<Uuid>,
    /// The user who last changed the row.
    pub updated_by: Option<Uuid>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed (kept by a database trigger).
    pub updated_at: DateTimeUtc,
    /// Computed by the database on every write: priority base (25/50/100/150) + 25 x escalation level + whole hours open.
    pub priority_score: i32,
    /// Estimated minutes to resolution.
    pub estimated_resolution_time: Option<i32>,
    /// When resolution is due; on insert without one, the database sets created_at + the tenant's resolution time.
    pub sla_deadline: Option<DateTimeUtc>,
    /// 0 (not escalated) to 10.
    pub escalation_level: i32,
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
    /// The row of `customers` that `customer_id` points at.
    #[sea_orm(
        belongs_to = "super::customers::Entity",
        from = "Column::CustomerId",
        to = "super::customers::Column::Id",
        on_delete = "Cascade"
    )]
    Customer,
    /// The row of `users` that `assigned_agent_id` points at.
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::AssignedAgentId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    AssignedAgent,
    /// Rows of `messages` that belong to this one.
    #[sea_orm(has_many = "super::messages::Entity")]
    Messages,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::customers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
    }
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        super::conversation_tags::Relation::Tag.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::conversation_tags::Relation::Conversation.def().rev())
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_all_saves);
