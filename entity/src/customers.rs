//! `customers`: A person who writes in to a tenant.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::CustomerStatus;

/// A row of `customers`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// E-mail address, unique per tenant regardless of case.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Avatar url.
    pub avatar_url: Option<String>,
    /// Free-form attributes (GIN-indexed on PostgreSQL).
    #[sea_orm(column_type = "JsonBinary")]
    pub custom_attributes: Json,
    /// Status.
    pub status: CustomerStatus,
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
    /// Rows of `conversations` that belong to this one.
    #[sea_orm(has_many = "super::conversations::Entity")]
    Conversations,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::conversations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Conversations.def()
    }
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        super::customer_tags::Relation::Tag.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::customer_tags::Relation::Customer.def().rev())
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_updates);

impl Entity {
    /// The customer of `tenant` whose e-mail is `email`, in any case, through the unique e-mail
    /// index. On PostgreSQL, call it in a transaction scoped to `tenant`
    /// ([`crate::tenancy::scoped`]): it answers for that tenant only.
    pub async fn find_by_email<C: sea_orm::ConnectionTrait>(
        db: &C,
        tenant: Uuid,
        email: &str,
    ) -> Result<Option<Model>, DbErr> {
        crate::tenancy::find_by_email::<Entity, C>(db, tenant, email).await
    }
}
