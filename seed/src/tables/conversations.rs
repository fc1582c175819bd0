//! Rows of the conversation tables: tags, conversations and their links, messages,
//! attachments.

use std::sync::Arc;

use chrono::Duration;
use serde_json::json;

use entity::enums::*;

use super::{Row, choose};
use crate::field::Field;
use crate::field::variant;
use crate::ids::{hash, pick, uuid_v7};
use crate::plan::{Plan, minutes, stream::*};
use crate::text;

pub(super) fn tag_columns() -> Vec<&'static str> {
    use entity::tags::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::Name,
        C::Colour,
        C::Description,
        C::UsageCount,
        C::CreatedAt,
    ])
}

pub(super) fn tag_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    let per_tenant = u64::from(plan.sizes.tags_per_tenant);
    Box::new((0..plan.tenant_count() * per_tenant).map(move |i| {
        let (t, k) = (i / per_tenant, i % per_tenant);
        let (name, colour) = text::TAGS[(k as usize) % text::TAGS.len()];
        let name =
            if k as usize >= text::TAGS.len() { format!("{name}-{k}") } else { name.to_owned() };
        let name = if plan.creates_tenants { name } else { format!("{name}-{}", plan.marker) };
        vec![
            plan.tag_id(t, k).into(),
            plan.tenants[t as usize].id.into(),
            name.into(),
            colour.into(),
            Field::Null,
            0i64.into(),
            plan.tenants[t as usize].created_at.into(),
        ]
    }))
}

pub(super) fn conversation_columns() -> Vec<&'static str> {
    use entity::conversations::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::CustomerId,
        C::AssignedAgentId,
        C::Status,
        C::Priority,
        C::Subject,
        C::CustomAttributes,
        C::ResolvedAt,
        C::EscalationLevel,
        C::EstimatedResolutionTime,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn conversation_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.conversations.len()).map(move |i| {
        let conversation = &plan.conversations[i];
        let c = conversation.index;
        let idle = plan.anchor - conversation.last_activity;
        let status = if idle > Duration::days(14) {
            choose(&plan, CONVERSATIONS, c, 10, &[ConversationStatus::Resolved, ConversationStatus::Resolved, ConversationStatus::Closed, ConversationStatus::Pending])
        } else {
            choose(&plan, CONVERSATIONS, c, 10, &[ConversationStatus::Open, ConversationStatus::Open, ConversationStatus::InProgress, ConversationStatus::Pending, ConversationStatus::Resolved])
        };
        let resolved_at = matches!(status, ConversationStatus::Resolved | ConversationStatus::Closed).then_some(conversation.last_activity);
        let escalation = if pick(plan.seed, CONVERSATIONS, c, 11, 20) == 0 { 1 + pick(plan.seed, CONVERSATIONS, c, 12, 3) } else { 0 };
        let agent = conversation.agent.map(|u| plan.user_id(u));
        vec![
            conversation.id.into(),
            plan.tenants[conversation.tenant as usize].id.into(),
            plan.customer_id(conversation.customer).into(),
            agent.into(),
            variant(status),
            variant(choose(&plan, CONVERSATIONS, c, 13, &[Priority::Low, Priority::Medium, Priority::Medium, Priority::Medium, Priority::High, Priority::Urgent])),
            text::subject(plan.seed, c).into(),
            json!({"channel": choose(&plan, CONVERSATIONS, c, 14, &["email", "widget", "whatsapp", "api"])}).into(),
            resolved_at.into(),
            (escalation as i64).into(),
            ((15 + pick(plan.seed, CONVERSATIONS, c, 15, 480)) as i64).into(),
            conversation.created_at.into(),
            conversation.last_activity.into(),
        ]
    }))
}

pub(super) fn conversation_tag_columns() -> Vec<&'static str> {
    use entity::conversation_tags::Column as C;
    super::names(&[C::TenantId, C::ConversationId, C::TagId, C::CreatedAt])
}

/// The tag numbers (within the tenant) linked to row `index`: none, one or two.
pub(crate) fn linked_tags(plan: &Plan, owner: u64, index: u64) -> Vec<u64> {
    let per_tenant = u64::from(plan.sizes.tags_per_tenant);
    if per_tenant == 0 {
        return Vec::new();
    }
    let first = pick(plan.seed, LINKS, owner * (1 << 40) + index, 1, per_tenant);
    match pick(plan.seed, LINKS, owner * (1 << 40) + index, 2, 4) {
        0 => Vec::new(),
        3 if per_tenant > 1 => {
            vec![first, (first + 1 + pick(plan.seed, LINKS, index, 3, per_tenant - 1)) % per_tenant]
        }
        _ => vec![first],
    }
}

pub(super) fn conversation_tag_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.conversations.len()).flat_map(move |i| {
        let conversation = &plan.conversations[i];
        let tenant = u64::from(conversation.tenant);
        linked_tags(&plan, 1, conversation.index)
            .into_iter()
            .map(|k| {
                vec![
                    plan.tenants[tenant as usize].id.into(),
                    conversation.id.into(),
                    plan.tag_id(tenant, k).into(),
                    conversation.created_at.into(),
                ]
            })
            .collect::<Vec<_>>()
    }))
}

pub(super) fn customer_tag_columns() -> Vec<&'static str> {
    use entity::customer_tags::Column as C;
    super::names(&[C::TenantId, C::CustomerId, C::TagId, C::CreatedAt])
}

pub(super) fn customer_tag_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.customers)).flat_map(move |c| {
        let tenant = c % plan.tenant_count();
        linked_tags(&plan, 2, c)
            .into_iter()
            .take(1)
            .map(|k| {
                vec![
                    plan.tenants[tenant as usize].id.into(),
                    plan.customer_id(c).into(),
                    plan.tag_id(tenant, k).into(),
                    plan.customer_created_at(c).into(),
                ]
            })
            .collect::<Vec<_>>()
    }))
}

pub(super) fn message_columns() -> Vec<&'static str> {
    use entity::messages::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::ConversationId,
        C::SenderType,
        C::SenderId,
        C::Content,
        C::MessageType,
        C::Metadata,
        C::IsRead,
        C::ReadAt,
        C::CreatedAt,
        C::UpdatedAt,
    ])
}

pub(super) fn message_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.conversations.len()).flat_map(move |i| {
        let plan = Arc::clone(&plan);
        let conversation = plan.conversations[i].clone();
        let mut at = conversation.created_at;
        (0..u64::from(conversation.messages)).map(move |k| {
            if k > 0 {
                at += plan.message_gap(conversation.index, k);
            }
            let global = conversation.first_message + k;
            let from_customer = k % 2 == 0;
            let (sender_type, sender_id) = match (from_customer, conversation.agent) {
                (true, _) => (SenderType::Customer, Some(plan.customer_id(conversation.customer))),
                (false, Some(agent)) => (SenderType::User, Some(plan.user_id(agent))),
                (false, None) => (SenderType::Ai, None),
            };
            let last = k + 1 == u64::from(conversation.messages);
            let read_at =
                (!last).then(|| at + minutes(1 + pick(plan.seed, MESSAGES, global, 11, 30)));
            vec![
                uuid_v7(plan.seed, MESSAGES, global, at).into(),
                plan.tenants[conversation.tenant as usize].id.into(),
                conversation.id.into(),
                variant(sender_type),
                sender_id.into(),
                text::message(plan.seed, global, from_customer).into(),
                variant(if k == 0 && pick(plan.seed, MESSAGES, global, 12, 25) == 0 {
                    MessageType::Image
                } else {
                    MessageType::Text
                }),
                json!({"channel": "email"}).into(),
                (!last).into(),
                read_at.into(),
                at.into(),
                at.into(),
            ]
        })
    }))
}

pub(super) fn attachment_columns() -> Vec<&'static str> {
    use entity::file_attachments::Column as C;
    super::names(&[
        C::Id,
        C::TenantId,
        C::MessageId,
        C::FileName,
        C::FilePath,
        C::FileSize,
        C::MimeType,
        C::FileHash,
        C::StorageProvider,
        C::StorageMetadata,
        C::CreatedAt,
    ])
}

pub(super) fn attachment_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    let with_messages: Vec<usize> =
        (0..plan.conversations.len()).filter(|&i| plan.conversations[i].messages > 0).collect();
    Box::new((0..u64::from(plan.sizes.attachments)).filter_map(move |a| {
        let i = *with_messages.get((a as usize * 7919) % with_messages.len().max(1))?;
        let conversation = &plan.conversations[i];
        let message =
            uuid_v7(plan.seed, MESSAGES, conversation.first_message, conversation.created_at);
        let (file, mime) = choose(&plan, ATTACHMENTS, a, 10, text::FILES);
        let tenant = &plan.tenants[conversation.tenant as usize];
        Some(vec![
            uuid_v7(plan.seed, ATTACHMENTS, a, conversation.created_at).into(),
            tenant.id.into(),
            message.into(),
            format!("{a}-{file}").into(),
            format!("{}/{a}/{file}", tenant.domain).into(),
            ((10_000 + pick(plan.seed, ATTACHMENTS, a, 11, 5_000_000)) as i64).into(),
            mime.into(),
            format!(
                "{:016x}{:016x}{:016x}{:016x}",
                hash(plan.seed, ATTACHMENTS, a, 1),
                hash(plan.seed, ATTACHMENTS, a, 2),
                hash(plan.seed, ATTACHMENTS, a, 3),
                hash(plan.seed, ATTACHMENTS, a, 4)
            )
            .into(),
            variant(choose(
                &plan,
                ATTACHMENTS,
                a,
                12,
                &[
                    StorageProvider::S3,
                    StorageProvider::S3,
                    StorageProvider::Gcs,
                    StorageProvider::Local,
                ],
            )),
            json!({"bucket": "attachments"}).into(),
            conversation.created_at.into(),
        ])
    }))
}
