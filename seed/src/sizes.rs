//! How much data to generate: presets and per-table counts.

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

/// A named size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// A few tenants, tens of conversations, about a thousand messages.
    #[default]
    Small,
    /// About 100,000 messages.
    Medium,
    /// 1,000,000 messages.
    Large,
}

/// Rows to generate per table (tags per tenant).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sizes {
    /// New tenants (0 when seeding into an existing tenant).
    pub tenants: u32,
    /// Users (agents and admins), spread over the tenants.
    pub users: u32,
    /// Customers.
    pub customers: u32,
    /// Conversations.
    pub conversations: u32,
    /// Messages, spread over the conversations.
    pub messages: u32,
    /// Tags of each tenant.
    pub tags_per_tenant: u32,
    /// File attachments.
    pub attachments: u32,
    /// User sessions.
    pub sessions: u32,
    /// Audit log entries.
    pub audit_logs: u32,
    /// Performance metrics.
    pub metrics: u32,
}

impl Preset {
    /// The preset's sizes.
    pub fn sizes(self) -> Sizes {
        let scaled = |tenants, users, customers, conversations, messages, extra: u32| Sizes {
            tenants,
            users,
            customers,
            conversations,
            messages,
            tags_per_tenant: 8,
            attachments: extra,
            sessions: users * 2,
            audit_logs: extra * 4,
            metrics: users * 3,
        };
        match self {
            Self::Small => scaled(3, 12, 40, 60, 1_000, 50),
            Self::Medium => scaled(20, 200, 5_000, 6_000, 100_000, 5_000),
            Self::Large => scaled(100, 2_000, 50_000, 60_000, 1_000_000, 50_000),
        }
    }
}

impl Sizes {
    /// Refuses sizes that cannot be honoured (rather than quietly writing fewer rows).
    pub fn check(&self) -> Result<(), crate::SeedError> {
        let refuse = |flag, problem: &str| {
            Err(crate::SeedError::Usage { flag, problem: problem.to_owned() })
        };
        if self.messages > 0 && self.conversations == 0 {
            return refuse(
                "--messages",
                "messages belong to conversations: raise --conversations or set --messages 0",
            );
        }
        if self.conversations > 0 && self.customers == 0 {
            return refuse(
                "--conversations",
                "conversations belong to customers: raise --customers or set --conversations 0 (and --messages 0)",
            );
        }
        Ok(())
    }

    /// Total rows the seeding writes, for progress.
    pub fn total_rows(&self) -> u64 {
        [
            self.tenants,
            self.users,
            self.customers,
            self.conversations,
            self.messages,
            self.attachments,
            self.sessions,
            self.audit_logs,
            self.metrics,
        ]
        .iter()
        .map(|n| u64::from(*n))
        .sum()
    }
}
