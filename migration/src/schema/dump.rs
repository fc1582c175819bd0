//! A normalised, ordered text dump of a database's schema: one object per entry, in a
//! stable order, without data and without the bookkeeping tables of the tools.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// The seeder's ledger (created by the seeder, dropped when V1 is rolled back).
pub const SEED_LEDGER_TABLE: &str = "chatdb_seed_runs";

/// Tables that belong to the tools, not to the schema: migration history, the database's
/// own metadata, the seeder's ledger.
pub const BOOKKEEPING_TABLES: &[&str] = &["seaql_migrations", "chatdb_metadata", SEED_LEDGER_TABLE];

const POSTGRES_QUERIES: &[(&str, &str)] = &[
    (
        "column",
        "SELECT table_name || '.' || column_name || ' ' || data_type \
           || coalesce('(' || character_maximum_length || ')', '') \
           || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '') \
           || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END \
           || coalesce(' DEFAULT ' || column_default, ''), table_name \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         ORDER BY table_name, ordinal_position",
    ),
    (
        "constraint",
        "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid), \
                conrelid::regclass::text \
         FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1",
    ),
    (
        "index",
        "SELECT indexdef, tablename::text FROM pg_indexes \
         WHERE schemaname = current_schema() ORDER BY indexname",
    ),
    (
        "trigger",
        "SELECT pg_get_triggerdef(oid) \
                || CASE tgenabled WHEN 'D' THEN ' -- DISABLED' ELSE '' END, \
                tgrelid::regclass::text FROM pg_trigger \
         WHERE NOT tgisinternal AND tgrelid::regclass::text NOT LIKE 'pg_%' ORDER BY tgname",
    ),
    (
        "function",
        "SELECT pg_get_functiondef(p.oid), '' FROM pg_proc p \
         WHERE p.pronamespace = current_schema()::regnamespace ORDER BY p.proname",
    ),
    (
        "row-security table",
        "SELECT c.relname || ': ' || CASE WHEN c.relrowsecurity THEN 'enabled' ELSE 'disabled' END \
                || CASE WHEN c.relforcerowsecurity THEN ', forced' ELSE '' END, c.relname::text \
         FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace \
           AND c.relkind IN ('r', 'p') ORDER BY 1",
    ),
    (
        "policy",
        "SELECT tablename || '.' || policyname || ': ' || permissive || ' FOR ' || cmd \
                || ' TO ' || array_to_string(roles, ', ') \
                || coalesce(' USING (' || qual || ')', '') \
                || coalesce(' WITH CHECK (' || with_check || ')', ''), tablename::text \
         FROM pg_policies WHERE schemaname = current_schema() ORDER BY tablename, policyname",
    ),
    (
        "comment",
        "SELECT c.relname || coalesce('.' || a.attname, '') || ': ' || d.description, c.relname::text \
         FROM pg_description d JOIN pg_class c ON c.oid = d.objoid \
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0 \
         WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1",
    ),
];

const SQLITE_QUERY: &str = "SELECT type || ' ' || name || ': ' || coalesce(sql, ''), tbl_name \
    FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";

/// A schema: for each kind of object (`column`, `index`, … or, on SQLite, `object`), its
/// objects' definitions in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaDump {
    /// `(kind, definitions)`, in a fixed order of kinds.
    pub sections: Vec<(String, Vec<String>)>,
}

impl SchemaDump {
    /// Reads the schema of `db`.
    pub async fn read<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let queries: Vec<(&str, &str)> = match backend {
            DbBackend::Sqlite => vec![("object", SQLITE_QUERY)],
            _ => POSTGRES_QUERIES.to_vec(),
        };
        let mut sections = Vec::new();
        for (kind, sql) in queries {
            let mut objects = Vec::new();
            for row in db.query_all_raw(Statement::from_string(backend, sql)).await? {
                let table: String = row.try_get_by_index(1)?;
                if BOOKKEEPING_TABLES.contains(&table.as_str()) {
                    continue;
                }
                let definition: String = row.try_get_by_index(0)?;
                objects.push(definition.trim_end().to_owned());
            }
            sections.push((plural(kind), objects));
        }
        Ok(Self { sections })
    }

    /// The dump as the snapshot files hold it: `-- kinds` headers, one object per entry.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for (kind, objects) in &self.sections {
            text.push_str(&format!("-- {kind}\n"));
            for object in objects {
                text.push_str(object);
                text.push('\n');
            }
        }
        text
    }

    /// Reads a snapshot file back (the inverse of [`SchemaDump::to_text`]).
    pub fn parse(text: &str) -> Self {
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        for line in text.lines() {
            if let Some(kind) = line.strip_prefix("-- ") {
                sections.push((kind.to_owned(), Vec::new()));
                continue;
            }
            let Some((kind, objects)) = sections.last_mut() else { continue };
            match objects.last_mut() {
                Some(last) if continues(kind, line) => {
                    last.push('\n');
                    last.push_str(line);
                }
                _ => objects.push(line.to_owned()),
            }
        }
        Self { sections }
    }
}

/// The section header of `kind`: `indexs` is the snapshots' historical spelling.
fn plural(kind: &str) -> String {
    match kind.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{kind}s"),
    }
}

/// Whether `line` continues the previous object of `kind` (multi-line definitions:
/// PostgreSQL functions, SQLite triggers and tables).
fn continues(kind: &str, line: &str) -> bool {
    match kind {
        "functions" => !line.starts_with("CREATE OR REPLACE FUNCTION"),
        "objects" => !["table ", "index ", "trigger ", "view "]
            .iter()
            .any(|t| line.starts_with(t) && line.contains(": ")),
        _ => false,
    }
}
