//! `subscriptions`: A tenant's billing subscription.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{PlanType, SubscriptionStatus};
use crate::numeric::Numeric;

/// A row of `subscriptions`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// Plan type.
    pub plan_type: PlanType,
    /// Status.
    pub status: SubscriptionStatus,
    /// Current period start.
    pub current_period_start: DateTimeUtc,
    /// Current period end.
    pub current_period_end: DateTimeUtc,
    /// Cancel at period end.
    pub cancel_at_period_end: bool,
    /// When the subscription was cancelled.
    pub cancelled_at: Option<DateTimeUtc>,
    /// Stripe subscription id.
    pub stripe_subscription_id: Option<String>,
    /// Paypal subscription id.
    pub paypal_subscription_id: Option<String>,
    /// Price per period, exact to the cent.
    #[sea_orm(column_type = "Decimal(Some((10, 2)))")]
    pub amount: Numeric,
    /// ISO 4217 code, three upper-case letters.
    pub currency: String,
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
