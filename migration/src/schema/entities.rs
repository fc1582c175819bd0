//! The models-versus-migrations check: every entity maps to a table, every entity column
//! exists with a compatible type and the same nullability, every table has an entity.

use entity::schema::{EntityColumn, tables};
use sea_orm_migration::sea_orm::sea_query::ColumnType;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use serde::Serialize;

use super::BOOKKEEPING_TABLES;

/// Where the entities and the database disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The table (and column, as `table.column`).
    pub name: String,
    /// What is wrong, and what would fix it.
    pub problem: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.problem)
    }
}

struct LiveColumn {
    table: String,
    column: String,
    data_type: String,
    nullable: bool,
}

const POSTGRES_COLUMNS: &str = "SELECT table_name::text, column_name::text, data_type::text, \
    is_nullable = 'YES' FROM information_schema.columns WHERE table_schema = current_schema()";
const SQLITE_COLUMNS: &str = "SELECT m.name, p.name, lower(p.type), p.\"notnull\" = 0 AND p.pk = 0 \
    FROM sqlite_master m JOIN pragma_table_info(m.name) p \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";

async fn live_columns<C: ConnectionTrait>(db: &C) -> Result<Vec<LiveColumn>, DbErr> {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Sqlite { SQLITE_COLUMNS } else { POSTGRES_COLUMNS };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await?;
    rows.iter()
        .map(|row| {
            Ok(LiveColumn {
                table: row.try_get_by_index(0)?,
                column: row.try_get_by_index(1)?,
                data_type: row.try_get_by_index(2)?,
                nullable: row.try_get_by_index(3)?,
            })
        })
        .collect()
}

/// Compares the `entity` crate with the schema of `db`.
pub async fn check_entities<C: ConnectionTrait>(db: &C) -> Result<Vec<Mismatch>, DbErr> {
    let backend = db.get_database_backend();
    let live = live_columns(db).await?;
    let entities = tables();
    let mut found = Vec::new();
    let mismatch = |name: String, problem: String| Mismatch { name, problem };
    for table in &entities {
        let columns: Vec<&LiveColumn> = live.iter().filter(|c| c.table == table.name).collect();
        if columns.is_empty() {
            found.push(mismatch(
                table.name.to_owned(),
                "the entity maps a table the database does not have".into(),
            ));
            continue;
        }
        for column in &table.columns {
            let name = format!("{}.{}", table.name, column.name);
            let Some(live) = columns.iter().find(|c| c.column == column.name) else {
                found.push(mismatch(
                    name,
                    "the entity maps a column the database does not have".into(),
                ));
                continue;
            };
            let expected = stored_types(backend, column);
            if !expected.contains(&live.data_type.as_str()) {
                found.push(mismatch(
                    name.clone(),
                    format!(
                        "the database stores {}, the entity expects {}",
                        live.data_type,
                        expected.join(" or ")
                    ),
                ));
            }
            if live.nullable != column.nullable {
                let problem = if live.nullable {
                    "the database allows NULL, the entity cannot read it (make the field an Option)"
                } else {
                    "the entity allows NULL, the database refuses it (make the field non-optional)"
                };
                found.push(mismatch(name, problem.to_owned()));
            }
        }
        for live in columns {
            if !table.columns.iter().any(|c| c.name == live.column) {
                let name = format!("{}.{}", table.name, live.column);
                found.push(mismatch(name, "the database has a column no entity maps".into()));
            }
        }
    }
    let mut unmapped: Vec<&str> = live.iter().map(|c| c.table.as_str()).collect();
    unmapped.sort_unstable();
    unmapped.dedup();
    for table in unmapped {
        if !BOOKKEEPING_TABLES.contains(&table) && !entities.iter().any(|e| e.name == table) {
            found
                .push(mismatch(table.to_owned(), "the database has a table no entity maps".into()));
        }
    }
    Ok(found)
}

/// How `backend` stores a column of the entity's type (as `information_schema` or SQLite's
/// declared type says it).
fn stored_types(backend: DbBackend, column: &EntityColumn) -> &'static [&'static str] {
    let sqlite = backend == DbBackend::Sqlite;
    match (&column.column_type, sqlite) {
        (ColumnType::Uuid, false) => &["uuid"],
        (ColumnType::Uuid, true) => &["blob"],
        (ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_), false) => {
            &["text", "character varying", "character", "inet"]
        }
        (ColumnType::Integer | ColumnType::SmallInteger, false) => &["integer", "smallint"],
        (ColumnType::BigInteger, false) => &["bigint"],
        (ColumnType::Integer | ColumnType::SmallInteger | ColumnType::BigInteger, true) => {
            &["integer", "bigint"]
        }
        (ColumnType::Boolean, false) => &["boolean"],
        (ColumnType::Boolean, true) => &["boolean"],
        (
            ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime,
            false,
        ) => &["timestamp with time zone", "timestamp without time zone"],
        (ColumnType::Json | ColumnType::JsonBinary, false) => &["jsonb", "json"],
        (ColumnType::Decimal(_) | ColumnType::Money(_), false) => &["numeric"],
        (ColumnType::Float | ColumnType::Double, false) => &["real", "double precision"],
        (ColumnType::Float | ColumnType::Double, true) => &["real"],
        (_, true) => &["text"],
        (_, false) => &["text", "character varying", "USER-DEFINED", "ARRAY"],
    }
}
