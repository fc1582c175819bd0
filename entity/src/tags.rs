//! `tags`: A tag of a tenant, linked to customers and conversations.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `tags`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tags")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// Name.
    pub name: String,
    /// `#RRGGBB`.
    pub colour: String,
    /// Description.
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// Number of customer and conversation links.
    pub usage_count: i32,
    /// The user who created the row.
    pub created_by: Option<Uuid>,
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
    /// Rows of `conversation_tags` that belong to this one.
    #[sea_orm(has_many = "super::conversation_tags::Entity")]
    ConversationTags,
    /// Rows of `customer_tags` that belong to this one.
    #[sea_orm(has_many = "super::customer_tags::Entity")]
    CustomerTags,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::conversation_tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ConversationTags.def()
    }
}

impl Related<super::customer_tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerTags.def()
    }
}

crate::triggers::uuid_v7_behaviour!();
