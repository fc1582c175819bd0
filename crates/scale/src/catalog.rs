//! What the check reads from PostgreSQL's catalog: the tables of the current schema, their
//! columns, keys, unique indexes, foreign keys, triggers and functions.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement};

use crate::ScaleError;

/// A table and what the rules look at.
#[derive(Clone, Debug, Default)]
pub(crate) struct Table {
    pub(crate) name: String,
    /// `(name, NOT NULL, default expression)`, in column order.
    pub(crate) columns: Vec<(String, bool, Option<String>)>,
    /// Primary key, unique and exclusion constraints, and unique indexes that back none:
    /// `(name, kind, plain columns)`.
    pub(crate) unique: Vec<(String, &'static str, Vec<String>)>,
    pub(crate) row_security: bool,
}

/// A foreign key.
#[derive(Clone, Debug)]
pub(crate) struct ForeignKey {
    pub(crate) name: String,
    pub(crate) table: String,
    pub(crate) columns: Vec<String>,
    pub(crate) parent: String,
    pub(crate) parent_columns: Vec<String>,
    /// Columns an `ON DELETE SET NULL / SET DEFAULT` sets (all of `columns` without a list).
    pub(crate) sets: Vec<String>,
}

/// A function (a trigger's, or one the application calls) and its body.
#[derive(Clone, Debug)]
pub(crate) struct Function {
    pub(crate) name: String,
    pub(crate) body: String,
    /// The tables whose triggers call it.
    pub(crate) triggers_on: Vec<String>,
}

/// The schema as the catalog describes it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) tables: Vec<Table>,
    pub(crate) foreign_keys: Vec<ForeignKey>,
    pub(crate) functions: Vec<Function>,
}

impl Catalog {
    pub(crate) async fn read<C: ConnectionTrait>(db: &C) -> Result<Self, ScaleError> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Err(ScaleError::NotPostgres);
        }
        let mut tables: Vec<Table> = query(db, "tables", TABLES)
            .await?
            .iter()
            .map(|row| {
                Ok(Table { name: get(row, 0)?, row_security: get(row, 1)?, ..Table::default() })
            })
            .collect::<Result<_, ScaleError>>()?;
        for row in query(db, "columns", COLUMNS).await? {
            let table: String = get(&row, 0)?;
            if let Some(t) = tables.iter_mut().find(|t| t.name == table) {
                t.columns.push((get(&row, 1)?, get(&row, 2)?, get(&row, 3)?));
            }
        }
        for row in query(db, "keys and unique indexes", UNIQUE).await? {
            let table: String = get(&row, 0)?;
            let kind: String = get(&row, 2)?;
            let kind = match kind.as_str() {
                "p" => "primary key",
                "u" => "unique constraint",
                "x" => "exclusion constraint",
                _ => "unique index",
            };
            if let Some(t) = tables.iter_mut().find(|t| t.name == table) {
                t.unique.push((get(&row, 1)?, kind, get(&row, 3)?));
            }
        }
        let foreign_keys = query(db, "foreign keys", FOREIGN_KEYS)
            .await?
            .iter()
            .map(|row| {
                Ok(ForeignKey {
                    table: get(row, 0)?,
                    name: get(row, 1)?,
                    parent: get(row, 2)?,
                    columns: get(row, 3)?,
                    parent_columns: get(row, 4)?,
                    sets: get(row, 5)?,
                })
            })
            .collect::<Result<_, ScaleError>>()?;
        let functions = query(db, "functions", FUNCTIONS)
            .await?
            .iter()
            .map(|row| {
                Ok(Function { name: get(row, 0)?, body: get(row, 1)?, triggers_on: get(row, 2)? })
            })
            .collect::<Result<_, ScaleError>>()?;
        Ok(Self { tables, foreign_keys, functions })
    }
}

async fn query<C: ConnectionTrait>(
    db: &C,
    reading: &'static str,
    sql: &str,
) -> Result<Vec<QueryResult>, ScaleError> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .map_err(|e| ScaleError::Catalog { reading, message: e.to_string() })
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, i: usize) -> Result<T, ScaleError> {
    row.try_get_by_index(i)
        .map_err(|e| ScaleError::Catalog { reading: "a row", message: e.to_string() })
}

const TABLES: &str = "SELECT relname::text, relrowsecurity FROM pg_class \
     WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') ORDER BY relname";

const COLUMNS: &str = "SELECT c.relname::text, a.attname::text, a.attnotnull, \
     pg_get_expr(d.adbin, d.adrelid) \
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') \
       AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum";

/// Constraints, then unique indexes no constraint owns; expressions leave no column name.
const UNIQUE: &str = "SELECT c.relname::text, k.conname::text, k.contype::text, \
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) n JOIN pg_attribute a \
             ON a.attrelid = k.conrelid AND a.attnum = n) \
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
     WHERE c.relnamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u', 'x') \
     UNION ALL \
     SELECT c.relname::text, i.relname::text, 'i', \
       ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) n JOIN pg_attribute a \
             ON a.attrelid = x.indrelid AND a.attnum = n) \
     FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid \
     WHERE c.relnamespace = current_schema()::regnamespace AND x.indisunique \
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) \
     ORDER BY 1, 2";

const FOREIGN_KEYS: &str = "SELECT c.relname::text, k.conname::text, p.relname::text, \
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY n(num, o) \
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = n.num ORDER BY n.o), \
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY n(num, o) \
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = n.num ORDER BY n.o), \
       CASE WHEN k.confdeltype IN ('n', 'd') OR k.confupdtype IN ('n', 'd') THEN \
         ARRAY(SELECT a.attname::text FROM unnest(coalesce(k.confdelsetcols, k.conkey)) n \
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = n) \
       ELSE ARRAY[]::text[] END \
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
     WHERE c.relnamespace = current_schema()::regnamespace AND k.contype = 'f' ORDER BY 1, 2";

/// PL/pgSQL and SQL functions of the schema, with the tables whose triggers call them.
const FUNCTIONS: &str = "SELECT f.proname::text, coalesce(f.prosrc, ''), \
       ARRAY(SELECT DISTINCT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE t.tgfoid = f.oid AND NOT t.tgisinternal ORDER BY 1) \
     FROM pg_proc f WHERE f.pronamespace = current_schema()::regnamespace AND f.prokind = 'f' \
     ORDER BY 1";
