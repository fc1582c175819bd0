//! sea-orm entities for every table of the support platform's database, with Rust enums
//! for the enumerated columns and typed structs for fixed-shape JSON.
//!
//! The same entities work on PostgreSQL and SQLite. Ids are UUIDs: `ActiveModel::new()`
//! fills in a time-ordered UUIDv7. Timestamps are UTC. Decimal amounts use [`Numeric`],
//! which stays exact on SQLite. `updated_at`, `priority_score` and a missing
//! `sla_deadline` are kept by the database.
//!
//! ```
//! use entity::prelude::*;
//! use entity::enums::Priority;
//! use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
//!
//! /// The open, urgent conversations of a tenant, highest priority score first.
//! async fn urgent_queue(db: &DatabaseConnection, tenant: uuid::Uuid) -> Result<Vec<conversations::Model>, DbErr> {
//!     Conversations::find()
//!         .filter(conversations::Column::TenantId.eq(tenant))
//!         .filter(conversations::Column::Priority.eq(Priority::Urgent))
//!         .order_by_desc(conversations::Column::PriorityScore)
//!         .all(db)
//!         .await
//! }
//!
//! /// Renames a tag; the database keeps it within its tenant.
//! async fn rename(db: &DatabaseConnection, tag: tags::Model, name: &str) -> Result<tags::Model, DbErr> {
//!     let mut tag: tags::ActiveModel = tag.into();
//!     tag.name = Set(name.to_owned());
//!     tag.update(db).await
//! }
//! ```

pub mod enums;
pub mod json;
pub mod numeric;
pub mod schema;
pub mod tenancy;
mod triggers;

pub mod audit_logs;
pub mod automations;
pub mod conversation_tags;
pub mod conversations;
pub mod customer_tags;
pub mod customers;
pub mod file_attachments;
pub mod messages;
pub mod notification_settings;
pub mod performance_metrics;
pub mod subscriptions;
pub mod tags;
pub mod tenants;
pub mod user_sessions;
pub mod users;
pub mod webhooks;

pub use numeric::Numeric;

/// The entities under their conventional names, plus the table modules.
pub mod prelude {
    pub use crate::audit_logs::{self, Entity as AuditLogs};
    pub use crate::automations::{self, Entity as Automations};
    pub use crate::conversation_tags::{self, Entity as ConversationTags};
    pub use crate::conversations::{self, Entity as Conversations};
    pub use crate::customer_tags::{self, Entity as CustomerTags};
    pub use crate::customers::{self, Entity as Customers};
    pub use crate::file_attachments::{self, Entity as FileAttachments};
    pub use crate::messages::{self, Entity as Messages};
    pub use crate::notification_settings::{self, Entity as NotificationSettings};
    pub use crate::performance_metrics::{self, Entity as PerformanceMetrics};
    pub use crate::subscriptions::{self, Entity as Subscriptions};
    pub use crate::tags::{self, Entity as Tags};
    pub use crate::tenants::{self, Entity as Tenants};
    pub use crate::user_sessions::{self, Entity as UserSessions};
    pub use crate::users::{self, Entity as Users};
    pub use crate::webhooks::{self, Entity as Webhooks};
}

/// The README's code examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
