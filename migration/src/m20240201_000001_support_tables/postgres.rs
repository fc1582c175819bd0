//! V2's PostgreSQL-only SQL.

use crate::ddl::postgres::{comment_on_column, comment_on_table, without_touch_trigger};

/// Base score per priority, then 25 per escalation level and one per whole hour open.
const SCORE: &str = "CASE NEW.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 \
    WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END \
    + 25 * NEW.escalation_level \
    + GREATEST(0, floor(extract(epoch FROM now() - NEW.created_at) / 3600))::integer";

/// The tenant's resolution time in minutes, or NULL when its policy has none.
const RESOLUTION_MINUTES: &str = "(SELECT CASE WHEN jsonb_typeof(t.sla_policies -> 'resolution_time') = 'number' \
    THEN (t.sla_policies ->> 'resolution_time')::numeric::integer END \
    FROM tenants t WHERE t.id = NEW.tenant_id)";

/// The trigger function that computes priority scores and SLA deadlines, the backfill of
/// existing conversations, and the trigger.
pub(super) fn create_conversation_rules() -> Vec<String> {
    let backfill = "UPDATE conversations c SET \
        priority_score = CASE c.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 \
            WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END \
            + 25 * c.escalation_level \
            + GREATEST(0, floor(extract(epoch FROM now() - c.created_at) / 3600))::integer, \
        sla_deadline = COALESCE(c.sla_deadline, c.created_at + make_interval(mins => \
            (SELECT CASE WHEN jsonb_typeof(t.sla_policies -> 'resolution_time') = 'number' \
             THEN (t.sla_policies ->> 'resolution_time')::numeric::integer END \
             FROM tenants t WHERE t.id = c.tenant_id)))"
        .to_owned();
    let mut statements = without_touch_trigger("conversations", vec![backfill]);
    statements.push(format!(
        "CREATE FUNCTION conversations_compute_priority() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.priority_score := {SCORE};
    IF TG_OP = 'INSERT' AND NEW.sla_deadline IS NULL THEN
        NEW.sla_deadline := NEW.created_at + make_interval(mins => {RESOLUTION_MINUTES});
    END IF;
    RETURN NEW;
END
$$"
    ));
    statements.push(
        "CREATE TRIGGER trg_conversations_compute_priority BEFORE INSERT OR UPDATE ON conversations \
         FOR EACH ROW EXECUTE FUNCTION conversations_compute_priority()"
            .to_owned(),
    );
    statements
}

/// Undoes [`create_conversation_rules`].
pub(super) fn drop_conversation_rules() -> Vec<String> {
    vec![
        "DROP TRIGGER trg_conversations_compute_priority ON conversations".to_owned(),
        "DROP FUNCTION conversations_compute_priority()".to_owned(),
    ]
}

/// See `normalise_tags` in the migration.
pub(super) fn normalise_tags(table: &str, links: &str, owner: &str) -> Vec<String> {
    vec![
        format!(
            "INSERT INTO tags (tenant_id, name, created_at) \
             SELECT o.tenant_id, e.name, min(o.created_at) \
             FROM {table} o CROSS JOIN LATERAL jsonb_array_elements_text(o.tags) AS e(name) \
             GROUP BY o.tenant_id, e.name \
             ON CONFLICT (tenant_id, name) DO UPDATE SET created_at = LEAST(tags.created_at, EXCLUDED.created_at)"
        ),
        format!(
            "INSERT INTO {links} (tenant_id, {owner}, tag_id, created_at) \
             SELECT o.tenant_id, o.id, t.id, o.created_at + (min(e.position) - 1) * interval '1 millisecond' \
             FROM {table} o CROSS JOIN LATERAL jsonb_array_elements_text(o.tags) WITH ORDINALITY AS e(name, position) \
             JOIN tags t ON t.tenant_id = o.tenant_id AND t.name = e.name \
             GROUP BY o.tenant_id, o.id, t.id, o.created_at"
        ),
    ]
}

/// See `rebuild_tag_lists` in the migration.
pub(super) fn rebuild_tag_list(table: &str, links: &str, owner: &str) -> String {
    format!(
        "UPDATE {table} o SET tags = l.tags FROM ( \
             SELECT x.{owner}, jsonb_agg(t.name ORDER BY x.created_at, t.name) AS tags \
             FROM {links} x JOIN tags t ON t.id = x.tag_id GROUP BY x.{owner} \
         ) l WHERE l.{owner} = o.id"
    )
}

/// V2's table and column comments.
pub(super) fn comments() -> Vec<String> {
    vec![
        comment_on_table(
            "audit_logs",
            "Append-only record of changes; tenant_id is NULL for system-wide events.",
        ),
        comment_on_table(
            "tags",
            "Tags of a tenant; linked through customer_tags and conversation_tags.",
        ),
        comment_on_column("tags", "usage_count", "Number of customer and conversation links."),
        comment_on_column(
            "user_sessions",
            "session_token",
            "A hash of the session token, never the token itself.",
        ),
        comment_on_column(
            "conversations",
            "priority_score",
            "Computed by trigger: priority base + 25 x escalation_level + whole hours open.",
        ),
        comment_on_column(
            "conversations",
            "sla_deadline",
            "Defaults on insert to created_at + the tenant's sla_policies.resolution_time minutes.",
        ),
        comment_on_column("conversations", "estimated_resolution_time", "Minutes."),
    ]
}
