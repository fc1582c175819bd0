//! The sample rows, as sea-query statements with bound values (a migration never uses
//! today's entities).

use sea_orm_migration::prelude::*;

use crate::ddl::Dialect;

/// One value of a sample row.
enum V {
    /// The fixed id of sample row `n` of a table (see [`id`]).
    Id(u16, u16),
    Str(&'static str),
    Owned(String),
    Int(i64),
    /// An exact decimal, written as text.
    Dec(&'static str),
    Bool(bool),
    Json(&'static str),
    /// So many hours before the migration ran.
    HoursAgo(i64),
    /// So many hours after the migration ran.
    HoursAhead(i64),
    Null,
}

use V::*;

pub(crate) const TENANT: u16 = 1;
const USER: u16 = 2;
const CUSTOMER: u16 = 3;
const CONVERSATION: u16 = 4;
const MESSAGE: u16 = 5;
const TAG: u16 = 6;
const SUBSCRIPTION: u16 = 7;
const NOTIFICATION: u16 = 8;
const METRIC: u16 = 9;
const WEBHOOK: u16 = 10;
const AUDIT: u16 = 11;
const ATTACHMENT: u16 = 12;

/// The fixed, UUIDv7-shaped id of sample row `n` of the table numbered `table`:
/// `0193a000-<table>-7000-8000-<n>`.
pub(crate) fn uuid(table: u16, n: u16) -> uuid::Uuid {
    let fixed = (0x0193_a000_u128 << 96) | (0x7000_u128 << 64) | (0x8000_u128 << 48);
    uuid::Uuid::from_u128(fixed | (u128::from(table) << 80) | u128::from(n))
}

struct Insert {
    table: &'static str,
    columns: &'static [&'static str],
    /// The columns that identify a row (`id`, or a junction's two ends).
    key: &'static [&'static str],
    rows: Vec<Vec<V>>,
}

const ID: &[&str] = &["id"];

const NINE_TO_FIVE: &str = r#"{"monday":{"start":"09:00","end":"17:00"},"tuesday":{"start":"09:00","end":"17:00"},"wednesday":{"start":"09:00","end":"17:00"},"thursday":{"start":"09:00","end":"17:00"},"friday":{"start":"09:00","end":"17:00"},"saturday":null,"sunday":null}"#;
const EIGHT_TO_SIX: &str = r#"{"monday":{"start":"08:00","end":"18:00"},"tuesday":{"start":"08:00","end":"18:00"},"wednesday":{"start":"08:00","end":"18:00"},"thursday":{"start":"08:00","end":"18:00"},"friday":{"start":"08:00","end":"18:00"},"saturday":{"start":"10:00","end":"14:00"},"sunday":null}"#;
const ROUND_THE_CLOCK: &str = r#"{"monday":{"start":"00:00","end":"23:59"},"tuesday":{"start":"00:00","end":"23:59"},"wednesday":{"start":"00:00","end":"23:59"},"thursday":{"start":"00:00","end":"23:59"},"friday":{"start":"00:00","end":"23:59"},"saturday":{"start":"00:00","end":"23:59"},"sunday":{"start":"00:00","end":"23:59"}}"#;

// One sample row per line reads best as a table.
#[rustfmt::skip]
fn data(password_hash: &str) -> Vec<Insert> {
    let pw = || Owned(password_hash.to_owned());
    vec![
        Insert {
            table: "tenants",
            columns: &["id", "name", "domain", "plan_type", "status", "max_users", "max_conversations", "max_storage_mb", "features", "settings", "timezone", "working_hours", "sla_policies"],
            key: ID,
            rows: vec![
                vec![Id(TENANT, 1), Str("Acme Outdoor Gear"), Str("acme.example.com"), Str("STARTER"), Str("ACTIVE"), Int(10), Int(500), Int(5000), Json(r#"{"live_chat":true,"ai_assist":false}"#), Json(r#"{"locale":"en-US"}"#), Str("America/New_York"), Json(EIGHT_TO_SIX), Json(r#"{"response_time":30,"resolution_time":1440,"business_hours_only":true}"#)],
                vec![Id(TENANT, 2), Str("Globex Software"), Str("globex.example.com"), Str("PROFESSIONAL"), Str("ACTIVE"), Int(50), Int(5000), Int(50000), Json(r#"{"live_chat":true,"ai_assist":true}"#), Json(r#"{"locale":"de-DE"}"#), Str("Europe/Berlin"), Json(NINE_TO_FIVE), Json(r#"{"response_time":10,"resolution_time":480,"business_hours_only":true}"#)],
                vec![Id(TENANT, 3), Str("Initech Health"), Str("initech.example.com"), Str("ENTERPRISE"), Str("TRIAL"), Int(500), Int(100000), Int(500000), Json(r#"{"live_chat":true,"ai_assist":true,"sso":true}"#), Json(r#"{"locale":"ja-JP"}"#), Str("Asia/Tokyo"), Json(ROUND_THE_CLOCK), Json(r#"{"response_time":5,"resolution_time":240,"business_hours_only":false}"#)],
            ],
        },
        Insert {
            table: "users",
            columns: &["id", "tenant_id", "email", "password_hash", "first_name", "last_name", "role", "skills", "working_hours", "availability_status", "last_login_at"],
            key: ID,
            rows: vec![
                vec![Id(USER, 1), Id(TENANT, 1), Str("maria.lopez@acme.example.com"), pw(), Str("Maria"), Str("Lopez"), Str("TENANT_ADMIN"), Json(r#"["billing","returns"]"#), Json(EIGHT_TO_SIX), Str("ONLINE"), HoursAgo(2)],
                vec![Id(USER, 2), Id(TENANT, 1), Str("sam.okafor@acme.example.com"), pw(), Str("Sam"), Str("Okafor"), Str("AGENT"), Json(r#"["returns","shipping"]"#), Json(EIGHT_TO_SIX), Str("BUSY"), HoursAgo(1)],
                vec![Id(USER, 3), Id(TENANT, 2), Str("lena.fischer@globex.example.com"), pw(), Str("Lena"), Str("Fischer"), Str("TENANT_ADMIN"), Json(r#"["api","onboarding"]"#), Json(NINE_TO_FIVE), Str("AWAY"), HoursAgo(20)],
                vec![Id(USER, 4), Id(TENANT, 2), Str("tom.becker@globex.example.com"), pw(), Str("Tom"), Str("Becker"), Str("AGENT"), Json(r#"["api","bugs"]"#), Json(NINE_TO_FIVE), Str("ONLINE"), HoursAgo(3)],
                vec![Id(USER, 5), Id(TENANT, 2), Str("ana.silva@globex.example.com"), pw(), Str("Ana"), Str("Silva"), Str("SUPERVISOR"), Json(r#"["escalations"]"#), Json(NINE_TO_FIVE), Str("OFFLINE"), HoursAgo(48)],
                vec![Id(USER, 6), Id(TENANT, 3), Str("yuki.tanaka@initech.example.com"), pw(), Str("Yuki"), Str("Tanaka"), Str("TENANT_ADMIN"), Json(r#"["compliance","billing"]"#), Json(ROUND_THE_CLOCK), Str("ONLINE"), HoursAgo(5)],
                vec![Id(USER, 7), Id(TENANT, 3), Str("kenji.sato@initech.example.com"), pw(), Str("Kenji"), Str("Sato"), Str("AGENT"), Json(r#"["appointments","records"]"#), Json(ROUND_THE_CLOCK), Str("ONLINE"), HoursAgo(1)],
            ],
        },
        Insert {
            table: "customers",
            columns: &["id", "tenant_id", "email", "phone", "first_name", "last_name", "custom_attributes", "status"],
            key: ID,
            rows: vec![
                vec![Id(CUSTOMER, 1), Id(TENANT, 1), Str("jordan.lee@mail.example.net"), Str("+1 212 555 0101"), Str("Jordan"), Str("Lee"), Json(r#"{"loyalty_tier":"gold","orders":14}"#), Str("ACTIVE")],
                vec![Id(CUSTOMER, 2), Id(TENANT, 1), Str("priya.patel@mail.example.net"), Null, Str("Priya"), Str("Patel"), Json(r#"{"loyalty_tier":"silver","orders":3}"#), Str("ACTIVE")],
                vec![Id(CUSTOMER, 3), Id(TENANT, 2), Str("ops@northwind.example.org"), Str("+49 30 5550 1234"), Str("Nora"), Str("Wind"), Json(r#"{"company":"Northwind","seats":120}"#), Str("ACTIVE")],
                vec![Id(CUSTOMER, 4), Id(TENANT, 2), Null, Null, Null, Null, Json(r#"{"source":"widget"}"#), Str("BLOCKED")],
                vec![Id(CUSTOMER, 5), Id(TENANT, 3), Str("hiro.yamada@mail.example.jp"), Str("+81 3 5550 0199"), Str("Hiro"), Str("Yamada"), Json(r#"{"patient_id":"P-20931","insurance":"basic"}"#), Str("ACTIVE")],
            ],
        },
        Insert {
            table: "conversations",
            columns: &["id", "tenant_id", "customer_id", "assigned_agent_id", "status", "priority", "subject", "custom_attributes", "resolved_at", "escalation_level", "estimated_resolution_time", "created_at"],
            key: ID,
            rows: vec![
                vec![Id(CONVERSATION, 1), Id(TENANT, 1), Id(CUSTOMER, 1), Id(USER, 2), Str("OPEN"), Str("MEDIUM"), Str("Tent pole arrived bent"), Json(r#"{"order":"A-1042"}"#), Null, Int(0), Int(120), HoursAgo(5)],
                vec![Id(CONVERSATION, 2), Id(TENANT, 1), Id(CUSTOMER, 2), Null, Str("PENDING"), Str("LOW"), Str("Do you ship to Canada?"), Json("{}"), Null, Int(0), Null, HoursAgo(30)],
                vec![Id(CONVERSATION, 3), Id(TENANT, 2), Id(CUSTOMER, 3), Id(USER, 4), Str("IN_PROGRESS"), Str("URGENT"), Str("API returns 500 on bulk export"), Json(r#"{"plan":"business","affected_users":120}"#), Null, Int(2), Int(240), HoursAgo(9)],
                vec![Id(CONVERSATION, 4), Id(TENANT, 2), Id(CUSTOMER, 3), Id(USER, 3), Str("RESOLVED"), Str("HIGH"), Str("SSO login loop"), Json("{}"), HoursAgo(50), Int(0), Int(60), HoursAgo(72)],
                vec![Id(CONVERSATION, 5), Id(TENANT, 3), Id(CUSTOMER, 5), Id(USER, 7), Str("CLOSED"), Str("MEDIUM"), Str("Reschedule my appointment"), Json(r#"{"clinic":"Shibuya"}"#), HoursAgo(140), Int(0), Int(30), HoursAgo(150)],
            ],
        },
        Insert {
            table: "messages",
            columns: &["id", "tenant_id", "conversation_id", "sender_type", "sender_id", "content", "message_type", "metadata", "is_read", "read_at", "created_at"],
            key: ID,
            rows: vec![
                vec![Id(MESSAGE, 1), Id(TENANT, 1), Id(CONVERSATION, 1), Str("CUSTOMER"), Id(CUSTOMER, 1), Str("Hi, one of the tent poles in order A-1042 arrived bent. Photo attached."), Str("IMAGE"), Json(r#"{"channel":"email"}"#), Bool(true), HoursAgo(4), HoursAgo(5)],
                vec![Id(MESSAGE, 2), Id(TENANT, 1), Id(CONVERSATION, 1), Str("USER"), Id(USER, 2), Str("Sorry about that, Jordan! A replacement pole ships today."), Str("TEXT"), Json("{}"), Bool(false), Null, HoursAgo(4)],
                vec![Id(MESSAGE, 3), Id(TENANT, 1), Id(CONVERSATION, 2), Str("CUSTOMER"), Id(CUSTOMER, 2), Str("Do you ship to Canada, and how long does it take?"), Str("TEXT"), Json(r#"{"channel":"widget"}"#), Bool(true), HoursAgo(29), HoursAgo(30)],
                vec![Id(MESSAGE, 4), Id(TENANT, 1), Id(CONVERSATION, 2), Str("AI"), Null, Str("We ship to Canada in 5-7 business days. An agent will confirm shortly."), Str("TEXT"), Json(r#"{"model":"assist-1"}"#), Bool(true), HoursAgo(29), HoursAgo(30)],
                vec![Id(MESSAGE, 5), Id(TENANT, 2), Id(CONVERSATION, 3), Str("CUSTOMER"), Id(CUSTOMER, 3), Str("Bulk export fails with HTTP 500 for all 120 of our users."), Str("TEXT"), Json(r#"{"channel":"api"}"#), Bool(true), HoursAgo(8), HoursAgo(9)],
                vec![Id(MESSAGE, 6), Id(TENANT, 2), Id(CONVERSATION, 3), Str("SYSTEM"), Null, Str("Conversation escalated to level 2."), Str("TEXT"), Json("{}"), Bool(true), HoursAgo(7), HoursAgo(7)],
                vec![Id(MESSAGE, 7), Id(TENANT, 2), Id(CONVERSATION, 3), Str("USER"), Id(USER, 4), Str("We reproduced it; a fix is being deployed."), Str("TEXT"), Json("{}"), Bool(false), Null, HoursAgo(2)],
                vec![Id(MESSAGE, 8), Id(TENANT, 2), Id(CONVERSATION, 4), Str("CUSTOMER"), Id(CUSTOMER, 3), Str("Our users are stuck in a login loop after enabling SSO."), Str("TEXT"), Json("{}"), Bool(true), HoursAgo(71), HoursAgo(72)],
                vec![Id(MESSAGE, 9), Id(TENANT, 2), Id(CONVERSATION, 4), Str("USER"), Id(USER, 3), Str("The redirect URL needed a trailing slash; fixed on your tenant."), Str("TEXT"), Json("{}"), Bool(true), HoursAgo(51), HoursAgo(52)],
                vec![Id(MESSAGE, 10), Id(TENANT, 3), Id(CONVERSATION, 5), Str("CUSTOMER"), Id(CUSTOMER, 5), Str("Can I move my appointment to Friday?"), Str("TEXT"), Json(r#"{"channel":"sms"}"#), Bool(true), HoursAgo(149), HoursAgo(150)],
                vec![Id(MESSAGE, 11), Id(TENANT, 3), Id(CONVERSATION, 5), Str("USER"), Id(USER, 7), Str("Done: Friday 10:30 at Shibuya."), Str("TEXT"), Json("{}"), Bool(true), HoursAgo(141), HoursAgo(145)],
            ],
        },
        Insert {
            table: "file_attachments",
            columns: &["id", "tenant_id", "message_id", "file_name", "file_path", "file_size", "mime_type", "file_hash", "storage_provider", "storage_metadata", "created_by"],
            key: ID,
            rows: vec![vec![Id(ATTACHMENT, 1), Id(TENANT, 1), Id(MESSAGE, 1), Str("bent-pole.jpg"), Str("acme/2024/bent-pole.jpg"), Int(482_133), Str("image/jpeg"), Str("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), Str("S3"), Json(r#"{"bucket":"acme-attachments"}"#), Null]],
        },
        Insert {
            table: "tags",
            columns: &["id", "tenant_id", "name", "colour", "description", "usage_count"],
            key: ID,
            rows: vec![
                vec![Id(TAG, 1), Id(TENANT, 1), Str("damaged-item"), Str("#EF4444"), Str("Product arrived damaged"), Int(1)],
                vec![Id(TAG, 2), Id(TENANT, 1), Str("shipping"), Str("#3B82F6"), Null, Int(2)],
                vec![Id(TAG, 3), Id(TENANT, 2), Str("api"), Str("#8B5CF6"), Str("API and integrations"), Int(2)],
                vec![Id(TAG, 4), Id(TENANT, 2), Str("vip"), Str("#F59E0B"), Str("High-value account"), Int(1)],
                vec![Id(TAG, 5), Id(TENANT, 3), Str("appointments"), Str("#10B981"), Null, Int(1)],
            ],
        },
        Insert {
            table: "conversation_tags",
            columns: &["tenant_id", "conversation_id", "tag_id", "created_by"],
            key: &["conversation_id", "tag_id"],
            rows: vec![
                vec![Id(TENANT, 1), Id(CONVERSATION, 1), Id(TAG, 1), Id(USER, 2)],
                vec![Id(TENANT, 1), Id(CONVERSATION, 1), Id(TAG, 2), Id(USER, 2)],
                vec![Id(TENANT, 1), Id(CONVERSATION, 2), Id(TAG, 2), Null],
                vec![Id(TENANT, 2), Id(CONVERSATION, 3), Id(TAG, 3), Id(USER, 4)],
                vec![Id(TENANT, 2), Id(CONVERSATION, 4), Id(TAG, 3), Id(USER, 3)],
                vec![Id(TENANT, 3), Id(CONVERSATION, 5), Id(TAG, 5), Id(USER, 7)],
            ],
        },
        Insert {
            table: "customer_tags",
            columns: &["tenant_id", "customer_id", "tag_id", "created_by"],
            key: &["customer_id", "tag_id"],
            rows: vec![vec![Id(TENANT, 2), Id(CUSTOMER, 3), Id(TAG, 4), Id(USER, 3)]],
        },
        Insert {
            table: "subscriptions",
            columns: &["id", "tenant_id", "plan_type", "status", "current_period_start", "current_period_end", "cancel_at_period_end", "stripe_subscription_id", "paypal_subscription_id", "amount", "currency"],
            key: ID,
            rows: vec![
                vec![Id(SUBSCRIPTION, 1), Id(TENANT, 1), Str("STARTER"), Str("ACTIVE"), HoursAgo(240), HoursAhead(480), Bool(false), Str("sub_sample_acme"), Null, Dec("29.00"), Str("USD")],
                vec![Id(SUBSCRIPTION, 2), Id(TENANT, 2), Str("PROFESSIONAL"), Str("PAST_DUE"), HoursAgo(700), HoursAgo(20), Bool(false), Null, Str("I-SAMPLEGLOBEX"), Dec("249.50"), Str("EUR")],
                vec![Id(SUBSCRIPTION, 3), Id(TENANT, 3), Str("ENTERPRISE"), Str("TRIALING"), HoursAgo(72), HoursAhead(264), Bool(true), Str("sub_sample_initech"), Null, Dec("0.00"), Str("JPY")],
            ],
        },
        Insert {
            table: "notification_settings",
            columns: &["id", "tenant_id", "user_id", "email_notifications", "push_notifications", "sms_notifications", "quiet_hours"],
            key: ID,
            rows: (1..=7)
                .map(|n| {
                    let tenant = [1, 1, 2, 2, 2, 3, 3][usize::from(n - 1)];
                    let quiet = if n % 2 == 0 { r#"{"enabled":true,"start":"21:00","end":"07:00"}"# } else { r#"{"enabled":false,"start":"22:00","end":"08:00"}"# };
                    vec![Id(NOTIFICATION, n), Id(TENANT, tenant), Id(USER, n), Bool(true), Bool(n != 5), Bool(n == 7), Json(quiet)]
                })
                .collect(),
        },
        Insert {
            table: "performance_metrics",
            columns: &["id", "tenant_id", "user_id", "metric_type", "metric_value", "metric_unit", "period_start", "period_end", "metadata"],
            key: ID,
            rows: vec![
                vec![Id(METRIC, 1), Id(TENANT, 1), Id(USER, 2), Str("first_response_time"), Dec("12.50"), Str("minutes"), HoursAgo(168), HoursAgo(0), Json(r#"{"conversations":18}"#)],
                vec![Id(METRIC, 2), Id(TENANT, 2), Id(USER, 4), Str("resolution_time"), Dec("310.00"), Str("minutes"), HoursAgo(168), HoursAgo(0), Json(r#"{"conversations":42}"#)],
                vec![Id(METRIC, 3), Id(TENANT, 2), Null, Str("csat"), Dec("4.60"), Str("score"), HoursAgo(720), HoursAgo(0), Json(r#"{"responses":230}"#)],
            ],
        },
        Insert {
            table: "webhooks",
            columns: &["id", "tenant_id", "name", "url", "events", "secret_key", "headers", "retry_count", "created_by"],
            key: ID,
            rows: vec![vec![Id(WEBHOOK, 1), Id(TENANT, 2), Str("CRM sync"), Str("https://hooks.globex.example.com/chatdb"), Json(r#"["conversation.created","conversation.resolved"]"#), Str("whsec_sample_not_a_real_secret"), Json(r#"{"X-Source":"chatdb"}"#), Int(5), Id(USER, 3)]],
        },
        Insert {
            table: "audit_logs",
            columns: &["id", "tenant_id", "user_id", "action", "entity_type", "entity_id", "old_values", "new_values", "ip_address", "user_agent"],
            key: ID,
            rows: vec![
                vec![Id(AUDIT, 1), Id(TENANT, 2), Id(USER, 4), Str("conversation.escalated"), Str("conversation"), Id(CONVERSATION, 3), Json(r#"{"escalation_level":1}"#), Json(r#"{"escalation_level":2}"#), Str("203.0.113.7"), Str("Mozilla/5.0")],
                vec![Id(AUDIT, 2), Id(TENANT, 2), Id(USER, 3), Str("conversation.resolved"), Str("conversation"), Id(CONVERSATION, 4), Json(r#"{"status":"IN_PROGRESS"}"#), Json(r#"{"status":"RESOLVED"}"#), Str("2001:db8::1"), Null],
                vec![Id(AUDIT, 3), Id(TENANT, 1), Id(USER, 1), Str("tenant.plan_changed"), Str("tenant"), Id(TENANT, 1), Json("{}"), Json(r#"{"plan_type":"STARTER"}"#), Null, Null],
            ],
        },
    ]
}

/// A value as an expression: bound, or (times, NULL) plain SQL that holds no input.
fn value(value: &V, dialect: Dialect) -> SimpleExpr {
    let typed = |text: &str, postgres_type: &'static str| match dialect {
        Dialect::Postgres => Expr::val(text).cast_as(postgres_type),
        Dialect::Sqlite => Expr::val(text),
    };
    match value {
        Id(table, n) => Expr::val(uuid(*table, *n)),
        Str(s) => Expr::val(*s),
        Owned(s) => Expr::val(s.as_str()),
        Int(i) => Expr::val(*i),
        Dec(d) => typed(d, "numeric"),
        Bool(b) => Expr::val(*b),
        Json(j) => typed(j, "jsonb"),
        HoursAgo(h) => Expr::cust(dialect.time_ago(*h, "hours")),
        HoursAhead(h) => Expr::cust(dialect.time_ago(-*h, "hours")),
        Null => Expr::cust("NULL"),
    }
}

/// INSERT statements for every sample row, parents first.
pub(super) fn inserts(
    dialect: Dialect,
    password_hash: &str,
) -> Result<Vec<InsertStatement>, DbErr> {
    data(password_hash)
        .iter()
        .map(|insert| {
            let mut statement = Query::insert();
            statement.into_table(insert.table).columns(insert.columns.iter().copied());
            for row in &insert.rows {
                let values: Vec<SimpleExpr> = row.iter().map(|v| value(v, dialect)).collect();
                statement.values(values).map_err(|e| DbErr::Migration(e.to_string()))?;
            }
            Ok(statement)
        })
        .collect()
}

/// DELETE statements for exactly the sample rows, children first, each row found by its
/// key columns (named, never by position).
pub(super) fn deletes(dialect: Dialect) -> Vec<DeleteStatement> {
    data("")
        .iter()
        .rev()
        .map(|insert| {
            let mut rows = Condition::any();
            for row in &insert.rows {
                let mut key = Condition::all();
                for column in insert.key {
                    let at = insert.columns.iter().position(|c| c == column);
                    if let Some(v) = at.and_then(|i| row.get(i)) {
                        key = key.add(Expr::col(*column).eq(value(v, dialect)));
                    }
                }
                rows = rows.add(key);
            }
            Query::delete().from_table(insert.table).cond_where(rows).to_owned()
        })
        .collect()
}
