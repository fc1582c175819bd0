//! `messages`: A message of a conversation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{MessageType, SenderType};

/// A row of `messages`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    /// Primary key (UUIDv7 when created through `ActiveModel::new`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The conversation (same tenant).
    pub conversation_id: Uuid,
    /// Sender type.
    pub sender_type: SenderType,
    /// A user or customer id, depending on `sender_type`; `None` for system and AI messages.
    pub sender_id: Option<Uuid>,
    /// Content.
    #[sea_orm(column_type = "Text")]
    pub content: String,
    /// Message type.
    pub message_type: MessageType,
    /// Metadata.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// Is read.
    pub is_read: bool,
    /// When the message was read.
    pub read_at: Option<DateTimeUtc>,
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
    /// The row of `conversations` that `conversation_id` points at.
    #[sea_orm(
        belongs_to = "super::conversations::Entity",
        from = "Column::ConversationId",
        to = "super::conversations::Column::Id",
        on_delete = "Cascade"
    )]
    Conversation,
    /// Rows of `file_attachments` that belong to this one.
    #[sea_orm(has_many = "super::file_attachments::Entity")]
    FileAttachments,
}

impl Related<super::tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::conversations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Conversation.def()
    }
}

impl Related<super::file_attachments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FileAttachments.def()
    }
}

crate::triggers::uuid_v7_behaviour!(read_back_updates);
