//! SQL that only PostgreSQL needs: PL/pgSQL functions and triggers, comments, checks
//! that use PostgreSQL types.

/// The function behind every `updated_at` trigger.
pub(crate) const CREATE_TOUCH_FUNCTION: &str = "CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$";

/// Drops [`CREATE_TOUCH_FUNCTION`].
pub(crate) const DROP_TOUCH_FUNCTION: &str = "DROP FUNCTION touch_updated_at()";

/// Keeps `table.updated_at` current on every UPDATE.
pub(crate) fn touch_updated_at_trigger(table: &str) -> Vec<String> {
    vec![format!(
        "CREATE TRIGGER trg_{table}_touch_updated_at BEFORE UPDATE ON {table} \
         FOR EACH ROW EXECUTE FUNCTION touch_updated_at()"
    )]
}

/// `COMMENT ON TABLE`.
pub(crate) fn comment_on_table(table: &str, comment: &str) -> String {
    format!("COMMENT ON TABLE {table} IS {}", super::quote(comment))
}

/// `COMMENT ON COLUMN`.
pub(crate) fn comment_on_column(table: &str, column: &str, comment: &str) -> String {
    format!("COMMENT ON COLUMN {table}.{column} IS {}", super::quote(comment))
}

/// The column holds text that parses as an IP address.
pub(crate) fn ip_address_check(column: &str) -> String {
    format!("{column}::inet IS NOT NULL")
}

/// Every element of the JSON array in `column` is a string.
pub(crate) fn string_elements_check(column: &str) -> String {
    format!("NOT jsonb_path_exists({column}, '$[*] ? (@.type() != \"string\")')")
}

/// Runs `statements` without `table`'s `updated_at` trigger, for backfills that must not
/// look like user edits.
pub(crate) fn without_touch_trigger(table: &str, statements: Vec<String>) -> Vec<String> {
    let mut all = vec![format!("ALTER TABLE {table} DISABLE TRIGGER trg_{table}_touch_updated_at")];
    all.extend(statements);
    all.push(format!("ALTER TABLE {table} ENABLE TRIGGER trg_{table}_touch_updated_at"));
    all
}
