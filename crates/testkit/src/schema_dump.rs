//! A normalised, ordered text dump of a database's schema, for comparing schemas.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement};

const POSTGRES_QUERIES: &[(&str, &str)] = &[
    (
        "column",
        "SELECT table_name || '.' || column_name || ' ' || data_type \
           || coalesce('(' || character_maximum_length || ')', '') \
           || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '') \
           || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END \
           || coalesce(' DEFAULT ' || column_default, '') \
         FROM information_schema.columns WHERE table_schema = 'public' \
         ORDER BY table_name, ordinal_position",
    ),
    (
        "constraint",
        "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) \
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1",
    ),
    ("index", "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"),
    (
        "trigger",
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger \
         WHERE NOT tgisinternal AND tgrelid::regclass::text NOT LIKE 'pg_%' ORDER BY tgname",
    ),
    (
        "function",
        "SELECT pg_get_functiondef(p.oid) FROM pg_proc p \
         WHERE p.pronamespace = 'public'::regnamespace ORDER BY p.proname",
    ),
    (
        "comment",
        "SELECT c.relname || coalesce('.' || a.attname, '') || ': ' || d.description \
         FROM pg_description d JOIN pg_class c ON c.oid = d.objoid \
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0 \
         WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1",
    ),
];

const SQLITE_QUERY: &str = "SELECT type || ' ' || name || ': ' || coalesce(sql, '') \
    FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";

/// Every table, column, constraint, index, trigger, function and comment of the database,
/// one per line (multi-line definitions as written), in a stable order. Data is not
/// included.
pub async fn schema_dump(db: &DatabaseConnection) -> Result<String, DbErr> {
    let backend = db.get_database_backend();
    let queries: Vec<(&str, &str)> = match backend {
        DatabaseBackend::Postgres => POSTGRES_QUERIES.to_vec(),
        _ => vec![("object", SQLITE_QUERY)],
    };
    let mut dump = String::new();
    for (kind, sql) in queries {
        dump.push_str(&format!("-- {kind}s\n"));
        for row in db.query_all_raw(Statement::from_string(backend, sql)).await? {
            let line: String = row.try_get_by_index(0)?;
            dump.push_str(line.trim_end());
            dump.push('\n');
        }
    }
    Ok(dump)
}
