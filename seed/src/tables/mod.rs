//! The tables the seeder fills, in foreign-key order, each with its columns and a lazy,
//! deterministic iterator over its rows.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use sea_orm::{EntityName, IdenStatic};

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

/// A table to fill. Its name and columns are the entity's spelling.
pub(crate) struct TableSpec {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    /// Rows it will have (for progress).
    pub rows: u64,
    pub generate: fn(Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send>,
}

/// The names of `columns`, in order.
fn names<C: IdenStatic>(columns: &[C]) -> Vec<&'static str> {
    columns.iter().map(|c| c.as_str()).collect()
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
            name: entity::tenants::Entity.table_name(),
            columns: tenant_columns(),
            rows: tenants,
            generate: tenant_rows,
        });
    }
    all.extend([
        TableSpec {
            name: entity::users::Entity.table_name(),
            columns: user_columns(),
            rows: sizes.users.into(),
            generate: user_rows,
        },
        TableSpec {
            name: entity::customers::Entity.table_name(),
            columns: customer_columns(),
            rows: sizes.customers.into(),
            generate: customer_rows,
        },
        TableSpec {
            name: entity::tags::Entity.table_name(),
            columns: tag_columns(),
            rows: tenants * u64::from(sizes.tags_per_tenant),
            generate: tag_rows,
        },
        TableSpec {
            name: entity::conversations::Entity.table_name(),
            columns: conversation_columns(),
            rows: conversations,
            generate: conversation_rows,
        },
        TableSpec {
            name: entity::conversation_tags::Entity.table_name(),
            columns: conversation_tag_columns(),
            rows: conversations,
            generate: conversation_tag_rows,
        },
        TableSpec {
            name: entity::customer_tags::Entity.table_name(),
            columns: customer_tag_columns(),
            rows: sizes.customers.into(),
            generate: customer_tag_rows,
        },
        TableSpec {
            name: entity::messages::Entity.table_name(),
            columns: message_columns(),
            rows: messages,
            generate: message_rows,
        },
        TableSpec {
            name: entity::file_attachments::Entity.table_name(),
            columns: attachment_columns(),
            rows: sizes.attachments.into(),
            generate: attachment_rows,
        },
        TableSpec {
            name: entity::user_sessions::Entity.table_name(),
            columns: session_columns(),
            rows: sizes.sessions.into(),
            generate: session_rows,
        },
        TableSpec {
            name: entity::notification_settings::Entity.table_name(),
            columns: settings_columns(),
            rows: sizes.users.into(),
            generate: settings_rows,
        },
    ]);
    if plan.creates_tenants {
        all.push(TableSpec {
            name: entity::subscriptions::Entity.table_name(),
            columns: subscription_columns(),
            rows: tenants,
            generate: subscription_rows,
        });
    }
    all.extend([
        TableSpec {
            name: entity::audit_logs::Entity.table_name(),
            columns: audit_columns(),
            rows: sizes.audit_logs.into(),
            generate: audit_rows,
        },
        TableSpec {
            name: entity::performance_metrics::Entity.table_name(),
            columns: metric_columns(),
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
