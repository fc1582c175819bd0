//! V2, support tables and improvements: audit logs, attachments, webhooks, tags and their
//! junction tables, sessions, notification settings and metrics; SLA and workload columns;
//! priority scores and SLA deadlines computed by the database; free-form tag lists moved
//! into `tags` (and back on `down`).

mod postgres;
mod sqlite;

use sea_orm_migration::prelude::*;

use crate::ddl::{self, Col, Default, Dialect, Index, OnDelete, Table, quote};
use crate::seeded_ids;

const STORAGE_PROVIDERS: &[&str] = &["LOCAL", "S3", "GCS", "AZURE"];
const AVAILABILITY: &[&str] = &["ONLINE", "AWAY", "BUSY", "OFFLINE"];

const WORKING_HOURS: &str = r#"{"monday":{"start":"09:00","end":"17:00"},"tuesday":{"start":"09:00","end":"17:00"},"wednesday":{"start":"09:00","end":"17:00"},"thursday":{"start":"09:00","end":"17:00"},"friday":{"start":"09:00","end":"17:00"},"saturday":null,"sunday":null}"#;
const SLA_POLICIES: &str =
    r#"{"response_time":15,"resolution_time":480,"business_hours_only":true}"#;
const NOTIFICATION_TYPES: &str =
    r#"{"new_conversation":true,"message_received":true,"conversation_assigned":true}"#;
const QUIET_HOURS: &str = r#"{"enabled":false,"start":"22:00","end":"08:00"}"#;

/// Tags every deployment's admin tenant starts with: name, colour, description.
const ADMIN_TAGS: &[(&str, &str, &str)] = &[
    ("urgent", "#EF4444", "Needs attention now"),
    ("bug", "#F59E0B", "Something is broken"),
    ("feature-request", "#10B981", "A customer asks for something new"),
];

/// V2: support tables and improvements.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// New tables, in creation order (parents first).
fn tables() -> Vec<Table> {
    vec![
        tags(),
        tag_links("conversation_tags", "conversation_id", "conversations"),
        tag_links("customer_tags", "customer_id", "customers"),
        audit_logs(),
        file_attachments(),
        webhooks(),
        user_sessions(),
        notification_settings(),
        performance_metrics(),
    ]
}

fn tags() -> Table {
    Table::new("tags")
        .tenant_id()
        .column(Col::varchar("name", 100).not_null())
        .column(
            Col::varchar("colour", 7).not_null().default(Default::Str("#3B82F6")).check_by_dialect(
                "colour ~ '^#[0-9A-Fa-f]{6}$'",
                "colour GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'",
            ),
        )
        .column(Col::text("description"))
        .column(non_negative("usage_count"))
        .created_by()
        .created_at()
        .tenant_scoped_key()
        .constraint("CONSTRAINT uq_tags_tenant_name UNIQUE (tenant_id, name)")
}

fn non_negative(name: &'static str) -> Col {
    Col::integer(name).not_null().default(Default::Int(0)).check(format!("{name} >= 0"))
}

fn tag_links(table: &'static str, owner: &'static str, owner_table: &'static str) -> Table {
    Table::bare(table)
        .tenant_id()
        .column(Col::uuid(owner).not_null())
        .column(Col::uuid("tag_id").not_null())
        .created_by()
        .created_at()
        .primary_key(&format!("{owner}, tag_id"))
        .tenant_link(owner, owner_table, OnDelete::Cascade)
        .tenant_link("tag_id", "tags", OnDelete::Cascade)
}

fn audit_logs() -> Table {
    Table::new("audit_logs")
        .column(Col::uuid("tenant_id").references("tenants", "CASCADE"))
        .column(Col::uuid("user_id").references("users", "SET NULL"))
        .column(Col::varchar("action", 100).not_null())
        .column(Col::varchar("entity_type", 50).not_null())
        .column(Col::uuid("entity_id").not_null())
        .column(Col::json_object("old_values", "{}"))
        .column(Col::json_object("new_values", "{}"))
        .column(Col::ip_address("ip_address"))
        .column(Col::text("user_agent"))
        .created_at()
        .index(Index::on("idx_audit_logs_tenant_time", "audit_logs", "tenant_id, created_at"))
        .index(Index::on("idx_audit_logs_user_id", "audit_logs", "user_id"))
        .index(Index::on("idx_audit_logs_entity", "audit_logs", "entity_type, entity_id"))
}

fn file_attachments() -> Table {
    Table::new("file_attachments")
        .tenant_id()
        .column(Col::uuid("message_id").not_null())
        .column(Col::varchar("file_name", 255).not_null())
        .column(Col::varchar("file_path", 500).not_null())
        .column(Col::bigint("file_size").not_null().check("file_size >= 0"))
        .column(Col::varchar("mime_type", 100).not_null())
        .column(Col::varchar("file_hash", 64))
        .column(Col::enumeration("storage_provider", STORAGE_PROVIDERS, "LOCAL"))
        .column(Col::json_object("storage_metadata", "{}"))
        .created_by()
        .created_at()
        .tenant_link("message_id", "messages", OnDelete::Cascade)
}

fn webhooks() -> Table {
    Table::new("webhooks")
        .tenant_id()
        .column(Col::varchar("name", 255).not_null())
        .column(Col::varchar("url", 500).not_null().check_by_dialect(
            "url ~ '^https?://'",
            "(url GLOB 'http://*' OR url GLOB 'https://*')",
        ))
        .column(
            Col::json_array("events").check_by_dialect(
                "jsonb_array_length(events) > 0",
                "json_array_length(events) > 0",
            ),
        )
        .column(Col::boolean("is_active", true))
        .column(Col::varchar("secret_key", 255).not_null())
        .column(Col::json_object("headers", "{}"))
        .column(
            Col::integer("retry_count")
                .not_null()
                .default(Default::Int(3))
                .check("retry_count BETWEEN 0 AND 10"),
        )
        .column(Col::timestamp("last_triggered_at"))
        .audit_references()
        .timestamps()
}

fn user_sessions() -> Table {
    Table::new("user_sessions")
        .tenant_id()
        .column(Col::uuid("user_id").not_null())
        .column(Col::varchar("session_token", 255).not_null())
        .column(Col::ip_address("ip_address"))
        .column(Col::text("user_agent"))
        .column(Col::boolean("is_active", true))
        .column(Col::timestamp("expires_at").not_null())
        .column(Col::timestamp("last_activity_at"))
        .timestamps()
        .constraint("CONSTRAINT uq_user_sessions_token UNIQUE (session_token)")
        .constraint("CHECK (expires_at > created_at)")
        .tenant_link("user_id", "users", OnDelete::Cascade)
        .index(Index::on("idx_user_sessions_expires_at", "user_sessions", "expires_at"))
}

fn notification_settings() -> Table {
    Table::new("notification_settings")
        .tenant_id()
        .column(Col::uuid("user_id").not_null())
        .column(Col::boolean("email_notifications", true))
        .column(Col::boolean("push_notifications", true))
        .column(Col::boolean("sms_notifications", false))
        .column(Col::json_object("notification_types", NOTIFICATION_TYPES))
        .column(Col::json_object("quiet_hours", QUIET_HOURS))
        .timestamps()
        .constraint("CONSTRAINT uq_notification_settings_user UNIQUE (user_id)")
        .tenant_link("user_id", "users", OnDelete::Cascade)
}

fn performance_metrics() -> Table {
    Table::new("performance_metrics")
        .tenant_id()
        .column(Col::uuid("user_id").references("users", "SET NULL"))
        .column(Col::varchar("metric_type", 50).not_null())
        .column(Col::decimal("metric_value", 10, 2).not_null())
        .column(Col::varchar("metric_unit", 20).not_null())
        .column(Col::timestamp("period_start").not_null())
        .column(Col::timestamp("period_end").not_null())
        .column(Col::json_object("metadata", "{}"))
        .created_at()
        .constraint("CHECK (period_end >= period_start)")
        .index(Index::on(
            "idx_performance_metrics_tenant_type_period",
            "performance_metrics",
            "tenant_id, metric_type, period_start",
        ))
        .index(Index::on("idx_performance_metrics_user_id", "performance_metrics", "user_id"))
}

/// Columns added to existing tables, by table.
fn new_columns() -> Vec<(&'static str, Vec<Col>)> {
    vec![
        (
            "tenants",
            vec![
                Col::varchar("timezone", 64).not_null().default(Default::Str("Europe/London")),
                Col::json_object("working_hours", WORKING_HOURS),
                Col::json_object("sla_policies", SLA_POLICIES),
            ],
        ),
        (
            "users",
            vec![
                Col::json_object("working_hours", WORKING_HOURS),
                Col::json_array("skills").default(Default::Json("[]")),
                Col::enumeration("availability_status", AVAILABILITY, "ONLINE"),
            ],
        ),
        (
            "conversations",
            vec![
                Col::integer("priority_score").not_null().default(Default::Int(0)),
                Col::integer("estimated_resolution_time").check("estimated_resolution_time >= 0"),
                Col::timestamp("sla_deadline"),
                Col::integer("escalation_level")
                    .not_null()
                    .default(Default::Int(0))
                    .check("escalation_level BETWEEN 0 AND 10"),
            ],
        ),
    ]
}

/// Indexes on the new columns of existing tables.
fn new_column_indexes() -> Vec<Index> {
    vec![
        Index::on(
            "idx_conversations_agent_queue",
            "conversations",
            "tenant_id, priority_score DESC",
        )
        .partial("status IN ('OPEN', 'IN_PROGRESS', 'PENDING')"),
        Index::on("idx_conversations_sla_deadline", "conversations", "sla_deadline"),
    ]
}

/// The V1 columns whose free-form tag lists move into `tags`.
const TAGGED: &[(&str, &str, &str)] = &[
    ("customers", "customer_tags", "customer_id"),
    ("conversations", "conversation_tags", "conversation_id"),
];

fn admin_tags(dialect: Dialect) -> Vec<String> {
    let tenant = dialect.uuid_literal(&seeded_ids::ADMIN_TENANT.to_string());
    let id = match dialect {
        Dialect::Postgres => "gen_random_uuid()",
        Dialect::Sqlite => ddl::sqlite::RANDOM_UUID,
    };
    ADMIN_TAGS
        .iter()
        .map(|(name, colour, description)| {
            let (name, colour, description) = (quote(name), quote(colour), quote(description));
            format!(
                "INSERT INTO tags (id, tenant_id, name, colour, description) \
                 SELECT {id}, id, {name}, {colour}, {description} FROM tenants WHERE id = {tenant} \
                 ON CONFLICT (tenant_id, name) DO NOTHING"
            )
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        for table in tables() {
            Dialect::run(manager, table.create(dialect)).await?;
        }
        for (table, columns) in new_columns() {
            let adds = columns
                .iter()
                .map(|c| format!("ALTER TABLE {table} ADD COLUMN {}", c.render(dialect)))
                .collect::<Vec<_>>();
            Dialect::run(manager, adds).await?;
        }
        for (table, links, owner) in TAGGED {
            Dialect::run(manager, normalise_tags(dialect, table, links, owner)).await?;
        }
        Dialect::run(manager, [count_tag_usage()]).await?;
        for (table, ..) in TAGGED {
            Dialect::run(manager, [format!("ALTER TABLE {table} DROP COLUMN tags")]).await?;
        }
        Dialect::run(manager, admin_tags(dialect)).await?;
        let computed = match dialect {
            Dialect::Postgres => postgres::create_conversation_rules(),
            Dialect::Sqlite => sqlite::create_conversation_rules(),
        };
        Dialect::run(manager, computed).await?;
        let indexes: Vec<String> =
            new_column_indexes().iter().filter_map(|i| i.create(dialect)).collect();
        Dialect::run(manager, indexes).await?;
        if dialect == Dialect::Postgres {
            Dialect::run(manager, postgres::comments()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        let computed = match dialect {
            Dialect::Postgres => postgres::drop_conversation_rules(),
            Dialect::Sqlite => sqlite::drop_conversation_rules(),
        };
        Dialect::run(manager, computed).await?;
        for (table, links, owner) in TAGGED {
            let add = format!(
                "ALTER TABLE {table} ADD COLUMN {}",
                Col::string_list("tags").render(dialect)
            );
            Dialect::run(manager, [add]).await?;
            Dialect::run(manager, rebuild_tag_lists(dialect, table, links, owner)).await?;
        }
        let drop_indexes: Vec<String> =
            new_column_indexes().iter().map(|i| format!("DROP INDEX {}", i.name())).collect();
        Dialect::run(manager, drop_indexes).await?;
        for (table, columns) in new_columns().into_iter().rev() {
            let drops: Vec<String> = columns
                .iter()
                .rev()
                .map(|c| format!("ALTER TABLE {table} DROP COLUMN {}", c.name()))
                .collect();
            Dialect::run(manager, drops).await?;
        }
        for table in tables().iter().rev() {
            Dialect::run(manager, table.drop(dialect)).await?;
        }
        Ok(())
    }
}

/// One `tags` row per tenant and distinct listed name, then one link per listed name. A
/// link's `created_at` is its owner's plus one millisecond per list position, which keeps
/// the list order for `down`; a name listed twice becomes one link.
fn normalise_tags(dialect: Dialect, table: &str, links: &str, owner: &str) -> Vec<String> {
    match dialect {
        Dialect::Postgres => postgres::normalise_tags(table, links, owner),
        Dialect::Sqlite => sqlite::normalise_tags(table, links, owner),
    }
}

/// The tag lists of `table` rebuilt from its links, in link order; untagged rows keep `[]`.
fn rebuild_tag_lists(dialect: Dialect, table: &str, links: &str, owner: &str) -> Vec<String> {
    match dialect {
        Dialect::Postgres => ddl::postgres::without_touch_trigger(
            table,
            vec![postgres::rebuild_tag_list(table, links, owner)],
        ),
        Dialect::Sqlite => ddl::sqlite::without_touch_trigger(
            table,
            vec![sqlite::rebuild_tag_list(table, links, owner)],
        ),
    }
}

fn count_tag_usage() -> String {
    crate::RECOUNT_TAG_USAGE.to_owned()
}
