//! `file_attachments`: A file attached to a message.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::StorageProvider;

/// A row of `file_attachments`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "file_attachments")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The message (same tenant).
    pub message_id: Uuid,
    /// File name.
    pub file_name: String,
    /// File path.
    pub file_path: String,
    /// Bytes.
    pub file_size: i64,
    /// Mime type.
    pub mime_type: String,
    /// Hex digest of the content.
    pub file_hash: Option<String>,
    /// Storage provider.
    pub storage_provider: StorageProvider,
    /// Storage metadata.
    #[sea_orm(column_type = "JsonBinary")]
    pub storage_metadata: Json,
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
    /// The row of `messages` that `message_id` points at.
    #[sea_orm(
        belongs_to = "super::messages::Entity",
        from = "Column::MessageId",
        to = "super::messages::Column::Id",
        on_delete = "Cascade"
    )]
    Message,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Message.def()
    }
}

crate::triggers::uuid_v7_behaviour!();
