//! `webhooks`: An HTTP endpoint notified of a tenant's events.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::json::StringList;

/// A row of `webhooks`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// Name.
    pub name: String,
    /// `http` or `https` URL.
    pub url: String,
    /// Event names the webhook receives (at least one).
    #[sea_orm(column_type = "JsonBinary")]
    pub events: StringList,
    /// Is active.
    pub is_active: bool,
    /// The key the webhook's deliveries are signed with. Never serialized: a `Model`
    /// returned as JSON from an endpoint must not publish it.
    #[serde(skip_serializing)]
    pub secret_key: String,
    /// Headers.
    #[sea_orm(column_type = "JsonBinary")]
    pub headers: Json,
    /// Delivery attempts, 0 to 10.
    pub retry_count: i32,
    /// Last delivery attempt.
    pub last_triggered_at: Option<DateTimeUtc>,
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
