//! V2's SQLite-only SQL.
//!
//! SQLite triggers cannot change the row being written, so the computed columns are set
//! by an UPDATE after the write. That UPDATE must not count as a user's edit, which is
//! why `updated_at` is touched only when other columns change (`UPDATE OF …`), and a
//! guard corrects a priority score that a writer set by hand.

use crate::ddl::sqlite::{NOW, RANDOM_UUID, TIME_FORMAT, touch_updated_at_trigger};

/// Every conversation column a user edit can change, i.e. all but the computed ones
/// (`priority_score`, `sla_deadline`) and `updated_at`. A later migration that adds a
/// column to conversations must recreate `trg_conversations_touch_and_score`.
const EDITABLE_COLUMNS: &str = "id, tenant_id, customer_id, assigned_agent_id, status, priority, \
    subject, custom_attributes, resolved_at, created_by, updated_by, created_at, \
    estimated_resolution_time, escalation_level";

fn score(row: &str) -> String {
    format!(
        "(CASE {row}.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 WHEN 'HIGH' THEN 100 \
         WHEN 'URGENT' THEN 150 ELSE 0 END \
         + 25 * {row}.escalation_level \
         + max(0, (unixepoch('now') - unixepoch({row}.created_at)) / 3600))"
    )
}

/// `created_at` plus the tenant's resolution time. Whole minutes leave the seconds alone,
/// so a canonical UTC timestamp keeps its full precision (strftime's `%f` has only
/// milliseconds); other forms are normalised.
fn sla_deadline(row: &str) -> String {
    let minutes =
        "'+' || CAST(json_extract(t.sla_policies, '$.resolution_time') AS INTEGER) || ' minutes'";
    format!(
        "(SELECT CASE WHEN {row}.created_at GLOB '????-??-??T??:??:*+00:00' \
             THEN strftime('%Y-%m-%dT%H:%M', {row}.created_at, {minutes}) || substr({row}.created_at, 17) \
             ELSE strftime('{TIME_FORMAT}', {row}.created_at, {minutes}) END \
         FROM tenants t WHERE t.id = {row}.tenant_id \
         AND json_type(t.sla_policies, '$.resolution_time') IN ('integer', 'real'))"
    )
}

/// The backfill of existing conversations and the triggers that replace V1's
/// `updated_at` trigger on conversations.
pub(super) fn create_conversation_rules() -> Vec<String> {
    let new_score = score("NEW");
    vec![
        "DROP TRIGGER trg_conversations_touch_updated_at".to_owned(),
        format!(
            "UPDATE conversations SET priority_score = {}, \
             sla_deadline = COALESCE(sla_deadline, {})",
            score("conversations"),
            sla_deadline("conversations")
        ),
        format!(
            "CREATE TRIGGER trg_conversations_score_on_insert AFTER INSERT ON conversations FOR EACH ROW
BEGIN
    UPDATE conversations SET priority_score = {new_score} WHERE id = NEW.id;
    UPDATE conversations SET sla_deadline = {} WHERE id = NEW.id AND sla_deadline IS NULL;
END",
            sla_deadline("NEW")
        ),
        format!(
            "CREATE TRIGGER trg_conversations_touch_and_score AFTER UPDATE OF {EDITABLE_COLUMNS} ON conversations FOR EACH ROW
BEGIN
    UPDATE conversations SET updated_at = {NOW}, priority_score = {new_score} WHERE id = NEW.id;
END"
        ),
        format!(
            "CREATE TRIGGER trg_conversations_guard_computed AFTER UPDATE OF priority_score, sla_deadline ON conversations FOR EACH ROW
WHEN NEW.priority_score IS NOT {new_score}
    OR (OLD.sla_deadline IS NOT NULL AND NEW.sla_deadline IS NOT OLD.sla_deadline)
BEGIN
    UPDATE conversations SET updated_at = {NOW}, priority_score = {new_score} WHERE id = NEW.id;
END"
        ),
    ]
}

/// Undoes [`create_conversation_rules`], restoring V1's trigger.
pub(super) fn drop_conversation_rules() -> Vec<String> {
    let mut statements = vec![
        "DROP TRIGGER trg_conversations_score_on_insert".to_owned(),
        "DROP TRIGGER trg_conversations_touch_and_score".to_owned(),
        "DROP TRIGGER trg_conversations_guard_computed".to_owned(),
    ];
    statements.extend(touch_updated_at_trigger("conversations"));
    statements
}

/// See `normalise_tags` in the migration.
pub(super) fn normalise_tags(table: &str, links: &str, owner: &str) -> Vec<String> {
    vec![
        format!(
            "INSERT INTO tags (id, tenant_id, name, created_at) \
             SELECT {RANDOM_UUID}, o.tenant_id, e.value, min(o.created_at) \
             FROM {table} o, json_each(o.tags) e WHERE true \
             GROUP BY o.tenant_id, e.value \
             ON CONFLICT (tenant_id, name) DO UPDATE SET created_at = min(tags.created_at, excluded.created_at)"
        ),
        format!(
            "INSERT INTO {links} (tenant_id, {owner}, tag_id, created_at) \
             SELECT o.tenant_id, o.id, t.id, \
                 strftime('{TIME_FORMAT}', o.created_at, '+' || (min(e.key) / 1000.0) || ' seconds') \
             FROM {table} o, json_each(o.tags) e \
             JOIN tags t ON t.tenant_id = o.tenant_id AND t.name = e.value \
             GROUP BY o.id, t.id"
        ),
    ]
}

/// See `rebuild_tag_lists` in the migration.
pub(super) fn rebuild_tag_list(table: &str, links: &str, owner: &str) -> String {
    format!(
        "UPDATE {table} SET tags = ( \
             SELECT json_group_array(name) FROM ( \
                 SELECT t.name FROM {links} x JOIN tags t ON t.id = x.tag_id \
                 WHERE x.{owner} = {table}.id ORDER BY x.created_at, t.name)) \
         WHERE EXISTS (SELECT 1 FROM {links} x WHERE x.{owner} = {table}.id)"
    )
}
