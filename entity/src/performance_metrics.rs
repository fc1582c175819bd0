//! `performance_metrics`: A measured figure of a tenant or agent over a period.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::numeric::Numeric;

/// A row of `performance_metrics`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "performance_metrics")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The user (same tenant where the schema requires it).
    pub user_id: Option<Uuid>,
    /// Metric type.
    pub metric_type: String,
    /// The measured value, exact to two decimals.
    #[sea_orm(column_type = "Decimal(Some((10, 2)))")]
    pub metric_value: Numeric,
    /// Metric unit.
    pub metric_unit: String,
    /// Period start.
    pub period_start: DateTimeUtc,
    /// Period end.
    pub period_end: DateTimeUtc,
    /// Metadata.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
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
