//! `users`: An agent or administrator of a tenant.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{AvailabilityStatus, UserRole, UserStatus};
use crate::json::{StringList, WorkingHours};

/// A row of `users`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// E-mail address, unique per tenant regardless of case.
    pub email: String,
    /// Argon2id PHC string; `None` for a user invited without a password. Never serialized:
    /// a `Model` returned as JSON from an endpoint must not publish it.
    #[serde(skip_serializing, default)]
    pub password_hash: Option<String>,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Role.
    pub role: UserRole,
    /// Status.
    pub status: UserStatus,
    /// Avatar url.
    pub avatar_url: Option<String>,
    /// UI preferences.
    #[sea_orm(column_type = "JsonBinary")]
    pub preferences: Json,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTimeUtc>,
    /// The user who created the row.
    pub created_by: Option<Uuid>,
    /// The user who last changed the row.
    pub updated_by: Option<Uuid>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed (kept by a database trigger).
    pub updated_at: DateTimeUtc,
    /// Weekly working hours.
    #[sea_orm(column_type = "JsonBinary")]
    pub working_hours: WorkingHours,
    /// Free-form skill names used for routing.
    #[sea_orm(column_type = "JsonBinary")]
    pub skills: StringList,
    /// Availability status.
    pub availability_status: AvailabilityStatus,
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
    /// Rows of `user_sessions` that belong to this one.
    #[sea_orm(has_many = "super::user_sessions::Entity")]
    UserSessions,
    /// Rows of `notification_settings` that belong to this one.
    #[sea_orm(has_many = "super::notification_settings::Entity")]
    NotificationSettings,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::user_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserSessions.def()
    }
}

impl Related<super::notification_settings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NotificationSettings.def()
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_updates);

impl Entity {
    /// The user of `tenant` whose e-mail is `email`, in any case, through the unique e-mail
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
