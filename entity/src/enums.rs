//! The enumerated columns, stored as upper-case strings that the database checks.
//!
//! Each enum prints and parses as its stored value and gives it as a `&'static str`:
//!
//! ```
//! use entity::enums::{AsStr, ConversationStatus};
//! let status: ConversationStatus = "IN_PROGRESS".parse().unwrap();
//! assert_eq!(status, ConversationStatus::InProgress);
//! assert_eq!(status.to_string(), "IN_PROGRESS");
//! assert_eq!(status.as_str(), "IN_PROGRESS");
//! assert!("in progress".parse::<ConversationStatus>().is_err());
//! ```

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An enumerated column's type: stored as upper-case text the database checks, printed,
/// parsed and serialized as that text.
macro_rules! stored_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident,)+ }) => {
        $(#[$meta])*
        #[derive(
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
            Hash,
            EnumIter,
            DeriveActiveEnum,
            Serialize,
            Deserialize,
            strum::Display,
            strum::EnumString,
            strum::IntoStaticStr,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }
    };
}

stored_enum! {
    /// A tenant's or subscription's plan. Defaults to `FREE` in the database.
    pub enum PlanType {
        /// `FREE`.
        #[sea_orm(string_value = "FREE")]
        Free,
        /// `STARTER`.
        #[sea_orm(string_value = "STARTER")]
        Starter,
        /// `PROFESSIONAL`.
        #[sea_orm(string_value = "PROFESSIONAL")]
        Professional,
        /// `ENTERPRISE`.
        #[sea_orm(string_value = "ENTERPRISE")]
        Enterprise,
    }
}

stored_enum! {
    /// Whether a tenant may use the platform. Defaults to `ACTIVE` in the database.
    pub enum TenantStatus {
        /// `ACTIVE`.
        #[sea_orm(string_value = "ACTIVE")]
        Active,
        /// `TRIAL`.
        #[sea_orm(string_value = "TRIAL")]
        Trial,
        /// `SUSPENDED`.
        #[sea_orm(string_value = "SUSPENDED")]
        Suspended,
        /// `CANCELLED`.
        #[sea_orm(string_value = "CANCELLED")]
        Cancelled,
    }
}

stored_enum! {
    /// What a user may do. Defaults to `AGENT` in the database.
    pub enum UserRole {
        /// `SUPER_ADMIN`.
        #[sea_orm(string_value = "SUPER_ADMIN")]
        SuperAdmin,
        /// `TENANT_ADMIN`.
        #[sea_orm(string_value = "TENANT_ADMIN")]
        TenantAdmin,
        /// `SUPERVISOR`.
        #[sea_orm(string_value = "SUPERVISOR")]
        Supervisor,
        /// `AGENT`.
        #[sea_orm(string_value = "AGENT")]
        Agent,
    }
}

stored_enum! {
    /// Whether a user may sign in. Defaults to `ACTIVE` in the database.
    pub enum UserStatus {
        /// `ACTIVE`.
        #[sea_orm(string_value = "ACTIVE")]
        Active,
        /// `INACTIVE`.
        #[sea_orm(string_value = "INACTIVE")]
        Inactive,
        /// `SUSPENDED`.
        #[sea_orm(string_value = "SUSPENDED")]
        Suspended,
        /// `INVITED`.
        #[sea_orm(string_value = "INVITED")]
        Invited,
    }
}

stored_enum! {
    /// Whether an agent takes conversations now. Defaults to `ONLINE` in the database.
    pub enum AvailabilityStatus {
        /// `ONLINE`.
        #[sea_orm(string_value = "ONLINE")]
        Online,
        /// `AWAY`.
        #[sea_orm(string_value = "AWAY")]
        Away,
        /// `BUSY`.
        #[sea_orm(string_value = "BUSY")]
        Busy,
        /// `OFFLINE`.
        #[sea_orm(string_value = "OFFLINE")]
        Offline,
    }
}

stored_enum! {
    /// Whether a customer may write in. Defaults to `ACTIVE` in the database.
    pub enum CustomerStatus {
        /// `ACTIVE`.
        #[sea_orm(string_value = "ACTIVE")]
        Active,
        /// `INACTIVE`.
        #[sea_orm(string_value = "INACTIVE")]
        Inactive,
        /// `BLOCKED`.
        #[sea_orm(string_value = "BLOCKED")]
        Blocked,
    }
}

stored_enum! {
    /// Where a conversation stands. Defaults to `OPEN` in the database.
    pub enum ConversationStatus {
        /// `OPEN`.
        #[sea_orm(string_value = "OPEN")]
        Open,
        /// `IN_PROGRESS`.
        #[sea_orm(string_value = "IN_PROGRESS")]
        InProgress,
        /// `PENDING`.
        #[sea_orm(string_value = "PENDING")]
        Pending,
        /// `RESOLVED`.
        #[sea_orm(string_value = "RESOLVED")]
        Resolved,
        /// `CLOSED`.
        #[sea_orm(string_value = "CLOSED")]
        Closed,
    }
}

stored_enum! {
    /// How urgent a conversation is. Defaults to `MEDIUM` in the database.
    pub enum Priority {
        /// `LOW`.
        #[sea_orm(string_value = "LOW")]
        Low,
        /// `MEDIUM`.
        #[sea_orm(string_value = "MEDIUM")]
        Medium,
        /// `HIGH`.
        #[sea_orm(string_value = "HIGH")]
        High,
        /// `URGENT`.
        #[sea_orm(string_value = "URGENT")]
        Urgent,
    }
}

stored_enum! {
    /// Who wrote a message.
    pub enum SenderType {
        /// `USER`.
        #[sea_orm(string_value = "USER")]
        User,
        /// `CUSTOMER`.
        #[sea_orm(string_value = "CUSTOMER")]
        Customer,
        /// `SYSTEM`.
        #[sea_orm(string_value = "SYSTEM")]
        System,
        /// `AI`.
        #[sea_orm(string_value = "AI")]
        Ai,
    }
}

stored_enum! {
    /// What a message carries. Defaults to `TEXT` in the database.
    pub enum MessageType {
        /// `TEXT`.
        #[sea_orm(string_value = "TEXT")]
        Text,
        /// `IMAGE`.
        #[sea_orm(string_value = "IMAGE")]
        Image,
        /// `FILE`.
        #[sea_orm(string_value = "FILE")]
        File,
        /// `AUDIO`.
        #[sea_orm(string_value = "AUDIO")]
        Audio,
        /// `VIDEO`.
        #[sea_orm(string_value = "VIDEO")]
        Video,
        /// `LOCATION`.
        #[sea_orm(string_value = "LOCATION")]
        Location,
    }
}

stored_enum! {
    /// Where a subscription stands. Defaults to `ACTIVE` in the database.
    pub enum SubscriptionStatus {
        /// `ACTIVE`.
        #[sea_orm(string_value = "ACTIVE")]
        Active,
        /// `TRIALING`.
        #[sea_orm(string_value = "TRIALING")]
        Trialing,
        /// `PAST_DUE`.
        #[sea_orm(string_value = "PAST_DUE")]
        PastDue,
        /// `CANCELLED`.
        #[sea_orm(string_value = "CANCELLED")]
        Cancelled,
        /// `EXPIRED`.
        #[sea_orm(string_value = "EXPIRED")]
        Expired,
    }
}

stored_enum! {
    /// What sets off an automation.
    pub enum TriggerType {
        /// `MESSAGE`.
        #[sea_orm(string_value = "MESSAGE")]
        Message,
        /// `CONVERSATION`.
        #[sea_orm(string_value = "CONVERSATION")]
        Conversation,
        /// `SCHEDULE`.
        #[sea_orm(string_value = "SCHEDULE")]
        Schedule,
        /// `WEBHOOK`.
        #[sea_orm(string_value = "WEBHOOK")]
        Webhook,
    }
}

stored_enum! {
    /// Where an attachment is stored. Defaults to `LOCAL` in the database.
    pub enum StorageProvider {
        /// `LOCAL`.
        #[sea_orm(string_value = "LOCAL")]
        Local,
        /// `S3`.
        #[sea_orm(string_value = "S3")]
        S3,
        /// `GCS`.
        #[sea_orm(string_value = "GCS")]
        Gcs,
        /// `AZURE`.
        #[sea_orm(string_value = "AZURE")]
        Azure,
    }
}

/// The stored value of an enumerated column's value, without allocating.
pub trait AsStr {
    /// E.g. `"IN_PROGRESS"` for [`ConversationStatus::InProgress`].
    fn as_str(&self) -> &'static str;
}

impl<T> AsStr for T
where
    for<'a> &'a T: Into<&'static str>,
{
    fn as_str(&self) -> &'static str {
        self.into()
    }
}
