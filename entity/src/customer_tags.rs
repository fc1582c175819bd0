//! `customer_tags`: A tag on a customer (both in the row's tenant).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `customer_tags`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "customer_tags")]
pub struct Model {
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The customer (same tenant).
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    /// The tag (same tenant).
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag_id: Uuid,
    /// The user who created the row.
    pub created_by: Option<Uuid>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// Links to other tables.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The row of `customers` that `customer_id` points at.
    #[sea_orm(
        belongs_to = "super::customers::Entity",
        from = "Column::CustomerId",
        to = "super::customers::Column::Id",
        on_delete = "Cascade"
    )]
    Customer,
    /// The row of `tags` that `tag_id` points at.
    #[sea_orm(
        belongs_to = "super::tags::Entity",
        from = "Column::TagId",
        to = "super::tags::Column::Id",
        on_delete = "Cascade"
    )]
    Tag,
}

impl Related<super::customers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tag.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
