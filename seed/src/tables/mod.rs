//! The tables the seeder fills, in foreign-key order, each with its columns and a lazy,
//! deterministic iterator over its rows.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

use crate::field::Field;
use crate::ids::{hash, pick};
use crate::plan::Plan;

mod accounts;
mod conversations;
mod records;

use accounts::*;
use conversations::*;
use records::*;

/// A row: one value per column.
pub(crate) type Row = Vec<Field>;

/// A table to fill.
pub(crate) struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Rows it will have (for progress).
    pub rows: u64,
    pub generate: fn(Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send>,
}

/// Every table of a seeding, parents first.
pub(crate) fn tables(plan: &Plan) -> Vec<TableSpec> {
    let sizes = &plan.sizes;
    let tenants = plan.tenant_count();
    let conversations = plan.conversations.len() as u64;
    let messages: u64 = plan.conversations.iter().map(|c| u64::from(c.messages)).sum();
    let mut all = Vec::new();
    if plan.creates_tenants {
        all.push(TableSpec {
            name: "tenants",
            columns: TENANT_COLUMNS,
            rows: tenants,
            generate: tenant_rows,
        });
    }
    all.extend([
        TableSpec {
            name: "users",
            columns: USER_COLUMNS,
            rows: sizes.users.into(),
            generate: user_rows,
        },
        TableSpec {
            name: "customers",
            columns: CUSTOMER_COLUMNS,
            rows: sizes.customers.into(),
            generate: customer_rows,
        },
        TableSpec {
            name: "tags",
            columns: TAG_COLUMNS,
            rows: tenants * u64::from(sizes.tags_per_tenant),
            generate: tag_rows,
        },
        TableSpec {
            name: "conversations",
            columns: CONVERSATION_COLUMNS,
            rows: conversations,
            generate: conversation_rows,
        },
        TableSpec {
            name: "conversation_tags",
            columns: CONVERSATION_TAG_COLUMNS,
            rows: conversations,
            generate: conversation_tag_rows,
        },
        TableSpec {
            name: "customer_tags",
            columns: CUSTOMER_TAG_COLUMNS,
            rows: sizes.customers.into(),
            generate: customer_tag_rows,
        },
        TableSpec {
            name: "messages",
            columns: MESSAGE_COLUMNS,
            rows: messages,
            generate: message_rows,
        },
        TableSpec {
            name: "file_attachments",
            columns: ATTACHMENT_COLUMNS,
            rows: sizes.attachments.into(),
            generate: attachment_rows,
        },
        TableSpec {
            name: "user_sessions",
            columns: SESSION_COLUMNS,
            rows: sizes.sessions.into(),
            generate: session_rows,
        },
        TableSpec {
            name: "notification_settings",
            columns: SETTINGS_COLUMNS,
            rows: sizes.users.into(),
            generate: settings_rows,
        },
    ]);
    if plan.creates_tenants {
        all.push(TableSpec {
            name: "subscriptions",
            columns: SUBSCRIPTION_COLUMNS,
            rows: tenants,
            generate: subscription_rows,
        });
    }
    all.extend([
        TableSpec {
            name: "audit_logs",
            columns: AUDIT_COLUMNS,
            rows: sizes.audit_logs.into(),
            generate: audit_rows,
        },
        TableSpec {
            name: "performance_metrics",
            columns: METRIC_COLUMNS,
            rows: sizes.metrics.into(),
            generate: metric_rows,
        },
    ]);
    all
}

pub(super) fn rng(plan: &Plan, table: u64, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(hash(plan.seed, table, index, 77))
}

pub(super) fn choose<T: Copy>(plan: &Plan, table: u64, index: u64, part: u64, items: &[T]) -> T {
    items[pick(plan.seed, table, index, part, items.len() as u64) as usize]
}

pub(super) fn email_part(text: &str) -> String {
    text.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}
