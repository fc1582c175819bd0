//! The tables the seeder fills, in foreign-key order, each with its columns and a lazy,
//! deterministic iterator over its rows.

use std::sync::Arc;

use chrono::Duration;
use fake::Fake;
use fake::faker::company::en::{Bs, CompanyName};
use fake::faker::name::en::{FirstName, LastName};
use fake::faker::phone_number::en::PhoneNumber;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use serde_json::json;

use crate::field::Field;
use crate::ids::{hash, pick, uuid_v7};
use crate::plan::{Plan, minutes, stream::*};
use crate::text;

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

fn rng(plan: &Plan, table: u64, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(hash(plan.seed, table, index, 77))
}

fn choose<T: Copy>(plan: &Plan, table: u64, index: u64, part: u64, items: &[T]) -> T {
    items[pick(plan.seed, table, index, part, items.len() as u64) as usize]
}

fn email_part(text: &str) -> String {
    text.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

const TENANT_COLUMNS: &[&str] = &[
    "id",
    "name",
    "domain",
    "plan_type",
    "status",
    "max_users",
    "max_conversations",
    "max_storage_mb",
    "features",
    "settings",
    "timezone",
    "working_hours",
    "sla_policies",
    "created_at",
    "updated_at",
];
const PLANS: &[(&str, i64, i64, i64)] = &[
    ("FREE", 5, 100, 1_000),
    ("STARTER", 10, 1_000, 5_000),
    ("PROFESSIONAL", 50, 20_000, 50_000),
    ("ENTERPRISE", 1_000, 1_000_000, 1_000_000),
];
const TIMEZONES: &[&str] = &[
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Kolkata",
];

fn tenant_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.tenant_count()).map(move |t| {
        let tenant = &plan.tenants[t as usize];
        let (plan_type, max_users, max_conversations, storage) = choose(&plan, TENANTS, t, 10, PLANS);
        let resolution = choose(&plan, TENANTS, t, 11, &[240, 480, 1440, 2880]);
        let name: String = CompanyName().fake_with_rng(&mut rng(&plan, TENANTS, t));
        vec![
            tenant.id.into(),
            name.into(),
            tenant.domain.as_str().into(),
            plan_type.into(),
            choose(&plan, TENANTS, t, 12, &["ACTIVE", "ACTIVE", "ACTIVE", "TRIAL"]).into(),
            max_users.into(),
            max_conversations.into(),
            storage.into(),
            json!({"live_chat": true, "ai_assist": t % 2 == 0}).into(),
            json!({"locale": "en"}).into(),
            choose(&plan, TENANTS, t, 13, TIMEZONES).into(),
            text::working_hours().into(),
            json!({"response_time": resolution / 16, "resolution_time": resolution, "business_hours_only": t % 3 != 0}).into(),
            tenant.created_at.into(),
            tenant.created_at.into(),
        ]
    }))
}

const USER_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "email",
    "password_hash",
    "first_name",
    "last_name",
    "role",
    "status",
    "preferences",
    "last_login_at",
    "working_hours",
    "skills",
    "availability_status",
    "created_at",
    "updated_at",
];

fn user_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.users)).map(move |u| {
        let tenant = plan.tenant_of(u);
        let mut r = rng(&plan, USERS, u);
        let first: String = FirstName().fake_with_rng(&mut r);
        let last: String = LastName().fake_with_rng(&mut r);
        let email = format!(
            "{}.{}.{u}.{}@{}",
            email_part(&first),
            email_part(&last),
            plan.marker,
            tenant.domain
        );
        let role = match u / plan.tenant_count() {
            0 => "TENANT_ADMIN",
            1 => "SUPERVISOR",
            _ => "AGENT",
        };
        let created_at = plan.user_created_at(u);
        let skills = [text::SKILLS[(u % 7) as usize], text::SKILLS[((u / 7) % 7) as usize]];
        vec![
            plan.user_id(u).into(),
            tenant.id.into(),
            email.into(),
            plan.password_hash.as_str().into(),
            first.into(),
            last.into(),
            role.into(),
            choose(
                &plan,
                USERS,
                u,
                10,
                &["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "INACTIVE", "INVITED"],
            )
            .into(),
            json!({"theme": choose(&plan, USERS, u, 11, &["light", "dark"])}).into(),
            (plan.anchor - minutes(pick(plan.seed, USERS, u, 12, 60 * 24 * 14))).into(),
            text::working_hours().into(),
            json!(skills).into(),
            choose(&plan, USERS, u, 13, &["ONLINE", "AWAY", "BUSY", "OFFLINE"]).into(),
            created_at.into(),
            created_at.into(),
        ]
    }))
}

const CUSTOMER_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "custom_attributes",
    "status",
    "created_at",
    "updated_at",
];

fn customer_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.customers)).map(move |c| {
        let mut r = rng(&plan, CUSTOMERS, c);
        let first: String = FirstName().fake_with_rng(&mut r);
        let last: String = LastName().fake_with_rng(&mut r);
        let phone: String = PhoneNumber().fake_with_rng(&mut r);
        let email = format!(
            "{}.{}.{c}.{}@mail.example.net",
            email_part(&first),
            email_part(&last),
            plan.marker
        );
        let created_at = plan.customer_created_at(c);
        vec![
            plan.customer_id(c).into(),
            plan.tenant_of(c).id.into(),
            email.into(),
            phone.into(),
            first.into(),
            last.into(),
            json!({
                "plan": choose(&plan, CUSTOMERS, c, 10, &["free", "basic", "pro", "business"]),
                "orders": pick(plan.seed, CUSTOMERS, c, 11, 40),
                "source": choose(&plan, CUSTOMERS, c, 12, &["widget", "email", "api", "phone"]),
            })
            .into(),
            choose(
                &plan,
                CUSTOMERS,
                c,
                13,
                &["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "INACTIVE", "BLOCKED"],
            )
            .into(),
            created_at.into(),
            created_at.into(),
        ]
    }))
}

const TAG_COLUMNS: &[&str] =
    &["id", "tenant_id", "name", "colour", "description", "usage_count", "created_at"];

fn tag_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
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

const CONVERSATION_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "customer_id",
    "assigned_agent_id",
    "status",
    "priority",
    "subject",
    "custom_attributes",
    "resolved_at",
    "escalation_level",
    "estimated_resolution_time",
    "created_at",
    "updated_at",
];

fn conversation_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.conversations.len()).map(move |i| {
        let conversation = &plan.conversations[i];
        let c = conversation.index;
        let idle = plan.anchor - conversation.last_activity;
        let status = if idle > Duration::days(14) {
            choose(&plan, CONVERSATIONS, c, 10, &["RESOLVED", "RESOLVED", "CLOSED", "PENDING"])
        } else {
            choose(&plan, CONVERSATIONS, c, 10, &["OPEN", "OPEN", "IN_PROGRESS", "PENDING", "RESOLVED"])
        };
        let resolved_at = matches!(status, "RESOLVED" | "CLOSED").then_some(conversation.last_activity);
        let escalation = if pick(plan.seed, CONVERSATIONS, c, 11, 20) == 0 { 1 + pick(plan.seed, CONVERSATIONS, c, 12, 3) } else { 0 };
        let agent = conversation.agent.map(|u| plan.user_id(u));
        vec![
            conversation.id.into(),
            plan.tenants[conversation.tenant as usize].id.into(),
            plan.customer_id(conversation.customer).into(),
            agent.into(),
            status.into(),
            choose(&plan, CONVERSATIONS, c, 13, &["LOW", "MEDIUM", "MEDIUM", "MEDIUM", "HIGH", "URGENT"]).into(),
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

const CONVERSATION_TAG_COLUMNS: &[&str] = &["tenant_id", "conversation_id", "tag_id", "created_at"];

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

fn conversation_tag_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
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

const CUSTOMER_TAG_COLUMNS: &[&str] = &["tenant_id", "customer_id", "tag_id", "created_at"];

fn customer_tag_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
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

const MESSAGE_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "conversation_id",
    "sender_type",
    "sender_id",
    "content",
    "message_type",
    "metadata",
    "is_read",
    "read_at",
    "created_at",
    "updated_at",
];

fn message_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
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
                (true, _) => ("CUSTOMER", Some(plan.customer_id(conversation.customer))),
                (false, Some(agent)) => ("USER", Some(plan.user_id(agent))),
                (false, None) => ("AI", None),
            };
            let last = k + 1 == u64::from(conversation.messages);
            let read_at =
                (!last).then(|| at + minutes(1 + pick(plan.seed, MESSAGES, global, 11, 30)));
            vec![
                uuid_v7(plan.seed, MESSAGES, global, at).into(),
                plan.tenants[conversation.tenant as usize].id.into(),
                conversation.id.into(),
                sender_type.into(),
                sender_id.into(),
                text::message(plan.seed, global, from_customer).into(),
                if k == 0 && pick(plan.seed, MESSAGES, global, 12, 25) == 0 {
                    "IMAGE"
                } else {
                    "TEXT"
                }
                .into(),
                json!({"channel": "email"}).into(),
                (!last).into(),
                read_at.into(),
                at.into(),
                at.into(),
            ]
        })
    }))
}

const ATTACHMENT_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "message_id",
    "file_name",
    "file_path",
    "file_size",
    "mime_type",
    "file_hash",
    "storage_provider",
    "storage_metadata",
    "created_at",
];

fn attachment_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
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
            choose(&plan, ATTACHMENTS, a, 12, &["S3", "S3", "GCS", "LOCAL"]).into(),
            json!({"bucket": "attachments"}).into(),
            conversation.created_at.into(),
        ])
    }))
}

const SESSION_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "user_id",
    "session_token",
    "ip_address",
    "user_agent",
    "is_active",
    "expires_at",
    "last_activity_at",
    "created_at",
    "updated_at",
];

fn session_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    let users = u64::from(plan.sizes.users);
    Box::new((0..u64::from(plan.sizes.sessions)).filter(move |_| users > 0).map(move |s| {
        let u = s % users;
        let started = plan.time_before_anchor(SESSIONS, s, 60 * 24 * 30);
        let expires = started + Duration::hours(12);
        vec![
            uuid_v7(plan.seed, SESSIONS, s, started).into(),
            plan.tenant_of(u).id.into(),
            plan.user_id(u).into(),
            format!(
                "sha256:{:016x}{:016x}",
                hash(plan.seed, SESSIONS, s, 1),
                hash(plan.seed, SESSIONS, s, 2)
            )
            .into(),
            format!("10.{}.{}.{}", s % 256, (s / 256) % 256, 1 + s % 250).into(),
            choose(&plan, SESSIONS, s, 10, text::USER_AGENTS).into(),
            (expires > plan.anchor).into(),
            expires.into(),
            (started + minutes(pick(plan.seed, SESSIONS, s, 11, 600))).into(),
            started.into(),
            started.into(),
        ]
    }))
}

const SETTINGS_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "user_id",
    "email_notifications",
    "push_notifications",
    "sms_notifications",
    "created_at",
    "updated_at",
];

fn settings_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.users)).map(move |u| {
        let created_at = plan.user_created_at(u);
        vec![
            uuid_v7(plan.seed, SETTINGS, u, created_at).into(),
            plan.tenant_of(u).id.into(),
            plan.user_id(u).into(),
            true.into(),
            (u % 3 != 0).into(),
            (u % 5 == 0).into(),
            created_at.into(),
            created_at.into(),
        ]
    }))
}

const SUBSCRIPTION_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "plan_type",
    "status",
    "current_period_start",
    "current_period_end",
    "amount",
    "currency",
    "created_at",
    "updated_at",
];

fn subscription_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..plan.tenant_count()).map(move |t| {
        let (plan_type, ..) = choose(&plan, TENANTS, t, 10, PLANS);
        let amount = match plan_type {
            "FREE" => "0.00",
            "STARTER" => "29.00",
            "PROFESSIONAL" => "249.50",
            _ => "1999.99",
        };
        let start = plan.time_before_anchor(SUBSCRIPTIONS, t, 60 * 24 * 28);
        vec![
            uuid_v7(plan.seed, SUBSCRIPTIONS, t, start).into(),
            plan.tenants[t as usize].id.into(),
            plan_type.into(),
            choose(&plan, SUBSCRIPTIONS, t, 10, &["ACTIVE", "ACTIVE", "TRIALING", "PAST_DUE"])
                .into(),
            start.into(),
            (start + Duration::days(30)).into(),
            Field::Decimal(amount.to_owned()),
            choose(&plan, SUBSCRIPTIONS, t, 11, &["GBP", "EUR", "USD"]).into(),
            start.into(),
            start.into(),
        ]
    }))
}

const AUDIT_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "user_id",
    "action",
    "entity_type",
    "entity_id",
    "old_values",
    "new_values",
    "ip_address",
    "user_agent",
    "created_at",
];

fn audit_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    Box::new((0..u64::from(plan.sizes.audit_logs)).filter_map(move |a| {
        let conversation = plan.conversations.get(
            (hash(plan.seed, AUDIT, a, 1) % plan.conversations.len().max(1) as u64) as usize,
        )?;
        let tenant = u64::from(conversation.tenant);
        let user = plan
            .user_of_tenant(tenant, pick(plan.seed, AUDIT, a, 2, u64::MAX))
            .map(|u| plan.user_id(u));
        let (action, old, new) = choose(&plan, AUDIT, a, 10, text::AUDIT_ACTIONS);
        let at = conversation.last_activity;
        Some(vec![
            uuid_v7(plan.seed, AUDIT, a, at).into(),
            plan.tenants[tenant as usize].id.into(),
            user.into(),
            action.into(),
            "conversation".into(),
            conversation.id.into(),
            json!({"status": old}).into(),
            json!({"status": new}).into(),
            format!("192.0.2.{}", 1 + a % 254).into(),
            choose(&plan, AUDIT, a, 11, text::USER_AGENTS).into(),
            at.into(),
        ])
    }))
}

const METRIC_COLUMNS: &[&str] = &[
    "id",
    "tenant_id",
    "user_id",
    "metric_type",
    "metric_value",
    "metric_unit",
    "period_start",
    "period_end",
    "metadata",
    "created_at",
];

fn metric_rows(plan: Arc<Plan>) -> Box<dyn Iterator<Item = Row> + Send> {
    let users = u64::from(plan.sizes.users);
    Box::new((0..u64::from(plan.sizes.metrics)).filter(move |_| users > 0).map(move |m| {
        let u = m % users;
        let (metric, unit, scale) = choose(&plan, METRICS, m, 10, text::METRICS);
        let end = plan.anchor - Duration::days(7 * (m / users) as i64);
        let cents = pick(plan.seed, METRICS, m, 11, scale * 100);
        let mut r = rng(&plan, METRICS, m);
        let note: String = Bs().fake_with_rng(&mut r);
        vec![
            uuid_v7(plan.seed, METRICS, m, end).into(),
            plan.tenant_of(u).id.into(),
            Some(plan.user_id(u)).into(),
            metric.into(),
            Field::Decimal(format!("{}.{:02}", cents / 100, cents % 100)),
            unit.into(),
            (end - Duration::days(7)).into(),
            end.into(),
            json!({"note": note}).into(),
            end.into(),
        ]
    }))
}
