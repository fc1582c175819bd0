//! `conversation_tags`: A tag on a conversation (both in the row's tenant).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A row of `conversation_tags`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "conversation_tags")]
pub struct Model {
    /// The owning tenant.
    pub tenant_id: Uuid,
    /// The conversation (same tenant).
    #[sea_orm(primary_key, auto_increment = false)]
    pub conversation_id: Uuid,
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
    /// The row of `conversations` that `conversation_id` points at.
    #[sea_orm(
        belongs_to = "super::conversations::Entity",
        from = "Column::ConversationId",
        to = "super::conversations::Column::Id",
        on_delete = "Cascade"
    )]
    Conversation,
    /// The row of `tags` that `tag_id` points at.
    #[sea_orm(
        belongs_to = "super::tags::Entity",
        from = "Column::TagId",
        to = "super::tags::Column::Id",
        on_delete = "Cascade"
    )]
    Tag,
}

impl Related<super::conversations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Conversation.def()
    }
}

impl Related<super::tags::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tag.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
