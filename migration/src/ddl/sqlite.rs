//! SQL that only SQLite needs: triggers in place of PL/pgSQL and of the constraints
//! SQLite lacks, and the checks that stand in for PostgreSQL's types.

/// How a timestamp is stored: RFC 3339 in UTC, as sqlx writes `DateTime<Utc>`, so that
/// text order is time order.
pub(crate) const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%f+00:00";

/// The current time in [`TIME_FORMAT`].
pub(crate) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')";

/// The column is valid JSON of the given shape (`object` or `array`).
pub(crate) fn json_shape(column: &str, shape: &str) -> String {
    format!("json_valid({column}) AND json_type({column}) = '{shape}'")
}

/// The column is an exact decimal written as text, with at most `scale` decimals and
/// `precision - scale` integer digits: the stand-in for `numeric(precision, scale)`.
pub(crate) fn decimal_text(column: &str, precision: u8, scale: u8) -> String {
    let digits = ltrim_sign(column);
    let too_many_decimals = format!("*.{}*", "?".repeat(usize::from(scale) + 1));
    let integer_digits = precision - scale;
    format!(
        "typeof({column}) = 'text' AND {digits} GLOB '[0-9]*' \
         AND {digits} NOT GLOB '*[^0-9.]*' AND {digits} NOT GLOB '*.*.*' \
         AND {digits} NOT GLOB '{too_many_decimals}' \
         AND abs(CAST({column} AS REAL)) < 1e{integer_digits}"
    )
}

fn ltrim_sign(column: &str) -> String {
    format!("ltrim({column}, '-')")
}

/// Keeps `table.updated_at` current on every UPDATE. Triggers do not fire themselves
/// again (`recursive_triggers` is off), so the inner UPDATE ends there.
pub(crate) fn touch_updated_at_trigger(table: &str) -> Vec<String> {
    vec![format!(
        "CREATE TRIGGER trg_{table}_touch_updated_at AFTER UPDATE ON {table} FOR EACH ROW\n\
         BEGIN\n    UPDATE {table} SET updated_at = {NOW} WHERE id = NEW.id;\nEND"
    )]
}

/// Triggers that keep a nullable `child.column -> parent.id` link inside the tenant: on
/// the child's insert and update, and on a parent moving to another tenant.
pub(crate) fn same_tenant_guards(child: &str, column: &str, parent: &str) -> Vec<String> {
    let cross_tenant = format!(
        "NEW.{column} IS NOT NULL AND EXISTS \
         (SELECT 1 FROM {parent} p WHERE p.id = NEW.{column} AND p.tenant_id <> NEW.tenant_id)"
    );
    let message = format!("{child}.{column} must reference a {parent} row of the same tenant");
    vec![
        format!(
            "CREATE TRIGGER trg_{child}_{column}_same_tenant_on_insert BEFORE INSERT ON {child} \
             FOR EACH ROW WHEN {cross_tenant}\n\
             BEGIN\n    SELECT RAISE(ABORT, '{message}');\nEND"
        ),
        format!(
            "CREATE TRIGGER trg_{child}_{column}_same_tenant_on_update \
             BEFORE UPDATE OF tenant_id, {column} ON {child} FOR EACH ROW WHEN {cross_tenant}\n\
             BEGIN\n    SELECT RAISE(ABORT, '{message}');\nEND"
        ),
        format!(
            "CREATE TRIGGER {} BEFORE UPDATE OF tenant_id ON {parent} FOR EACH ROW \
             WHEN EXISTS (SELECT 1 FROM {child} c WHERE c.{column} = NEW.id AND c.tenant_id <> NEW.tenant_id)\n\
             BEGIN\n    SELECT RAISE(ABORT, '{parent} row is still referenced by {child}.{column} of its tenant');\nEND",
            parent_guard_name(child, column)
        ),
    ]
}

/// Drops the parent-side trigger of [`same_tenant_guards`], which lives on the parent
/// table and so does not go away with the child.
pub(crate) fn drop_parent_guard(child: &str, column: &str) -> String {
    format!("DROP TRIGGER {}", parent_guard_name(child, column))
}

fn parent_guard_name(child: &str, column: &str) -> String {
    format!("trg_{child}_{column}_parent_tenant")
}

/// A random (version 4) UUID in the stored form, evaluated once per row.
pub(crate) const RANDOM_UUID: &str = "unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) \
     || substr('89AB', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(8)), 2))";

/// Runs `statements` without `table`'s `updated_at` trigger, for backfills that must not
/// look like user edits.
pub(crate) fn without_touch_trigger(table: &str, statements: Vec<String>) -> Vec<String> {
    let mut all = vec![format!("DROP TRIGGER trg_{table}_touch_updated_at")];
    all.extend(statements);
    all.extend(touch_updated_at_trigger(table));
    all
}
