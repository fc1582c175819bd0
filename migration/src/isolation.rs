//! The two roles of a PostgreSQL deployment and whether row-level security confines a
//! connection (migration V4).
//!
//! The *owner* of the tables migrates, seeds, copies and backs up; row-level security
//! does not apply to it. The *application's role* is given only what an application needs
//! ([`grant_app`]); every query it runs is confined to the tenant of its transaction
//! (`entity::tenancy`). [`confinement`] tells which of the two a connection is.

use db_config::DatabaseConfig;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use serde::Serialize;

use crate::MigrateError;
use crate::lifecycle::identifier;
use crate::schema::BOOKKEEPING_TABLES;

/// Whether row-level security confines a connection's role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confinement {
    /// The role the connection runs as (`None` on SQLite).
    pub role: Option<String>,
    /// True when every tenant's table enforces row-level security for this role.
    pub confined: bool,
    /// Why not, or by what.
    pub reason: String,
}

/// A role's attributes that decide whether row-level security applies to it.
struct RoleFacts {
    role: String,
    exists: bool,
    superuser: bool,
    bypass_rls: bool,
    /// Owners of the application's tables whose privileges the role has (itself included).
    owners_held: Vec<String>,
    /// Owners it may become with `SET ROLE`.
    owners_reachable: Vec<String>,
    /// Application tables where row-level security is off.
    unprotected: Vec<String>,
}

/// The application's tables, by the entities' names.
fn app_tables() -> Vec<&'static str> {
    entity::schema::tables().iter().map(|t| t.name).collect()
}

fn array_literal(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| crate::ddl::quote(n)).collect();
    format!("ARRAY[{}]::text[]", quoted.join(", "))
}

async fn role_facts<C: ConnectionTrait>(db: &C, role: &str) -> Result<RoleFacts, DbErr> {
    let sql = format!(
        "WITH t AS (SELECT c.relname, c.relowner, c.relrowsecurity FROM pg_class c \
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
                      AND c.relname = ANY({tables})), \
              r AS (SELECT oid, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1) \
         SELECT EXISTS (SELECT 1 FROM r), \
                coalesce((SELECT rolsuper FROM r), false), \
                coalesce((SELECT rolbypassrls FROM r), false), \
                coalesce((SELECT array_agg(DISTINCT o.rolname::text) FROM t JOIN pg_roles o ON o.oid = t.relowner \
                          WHERE EXISTS (SELECT 1 FROM r) AND pg_has_role($1, t.relowner, 'USAGE')), '{{}}'), \
                coalesce((SELECT array_agg(DISTINCT o.rolname::text) FROM t JOIN pg_roles o ON o.oid = t.relowner \
                          WHERE EXISTS (SELECT 1 FROM r) AND pg_has_role($1, t.relowner, 'MEMBER')), '{{}}'), \
                coalesce((SELECT array_agg(relname::text ORDER BY relname) FROM t WHERE NOT relrowsecurity), '{{}}')",
        tables = array_literal(&app_tables()),
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [role.into()]))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the role's attributes".into()))?;
    Ok(RoleFacts {
        role: role.to_owned(),
        exists: row.try_get_by_index(0)?,
        superuser: row.try_get_by_index(1)?,
        bypass_rls: row.try_get_by_index(2)?,
        owners_held: row.try_get_by_index(3)?,
        owners_reachable: row.try_get_by_index(4)?,
        unprotected: row.try_get_by_index(5)?,
    })
}

impl RoleFacts {
    /// Why row-level security would not apply to the role, if it would not.
    fn escapes(&self) -> Option<String> {
        if self.superuser {
            return Some("is a superuser, which row-level security never applies to".into());
        }
        if self.bypass_rls {
            return Some("has BYPASSRLS, which row-level security never applies to".into());
        }
        if let Some(owner) = self.owners_held.first() {
            let how = if *owner == self.role {
                "owns the tables".to_owned()
            } else {
                format!("has the privileges of {owner}, the tables' owner")
            };
            return Some(format!(
                "{how}, and row-level security does not apply to a table's owner"
            ));
        }
        if let Some(owner) = self.owners_reachable.first() {
            return Some(format!(
                "can SET ROLE {owner}, the tables' owner, and so leave row-level security at will"
            ));
        }
        None
    }
}

/// Whether the connection `db` is confined by row-level security. `Ok` on SQLite, which
/// has no roles, with `confined: false`.
pub async fn confinement<C: ConnectionTrait>(db: &C) -> Result<Confinement, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(Confinement {
            role: None,
            confined: false,
            reason: "SQLite has no roles or row-level security: queries must filter by tenant"
                .into(),
        });
    }
    let role = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, "SELECT current_user::text"))
        .await?
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    let facts = role_facts(db, &role).await?;
    let (confined, reason) = match facts.escapes() {
        Some(why) => (false, format!("{role} {why}")),
        None if !facts.unprotected.is_empty() => (
            false,
            format!(
                "row-level security is off on {} (is migration V4 applied?)",
                facts.unprotected.join(", ")
            ),
        ),
        None => (true, format!("{role} sees only the tenant its transaction sets (app.tenant_id)")),
    };
    Ok(Confinement { role: Some(role), confined, reason })
}

/// What [`grant_app`] granted.
#[derive(Clone, Debug, Serialize)]
pub struct Grant {
    /// The role.
    pub role: String,
    /// Tables it may read and write (confined by row-level security).
    pub tables: Vec<String>,
    /// Bookkeeping tables it may read only.
    pub read_only: Vec<String>,
}

/// Gives the existing `role` what the application needs and nothing more: the schema,
/// reading and writing the application's tables (not `TRUNCATE`, which row-level security
/// does not cover), reading the bookkeeping tables. Earlier privileges on those tables are
/// replaced, so running it again converges. Refuses a role that row-level security would
/// not confine. Run it again after a migration that adds tables.
pub async fn grant_app(config: &DatabaseConfig, role: &str) -> Result<Grant, MigrateError> {
    let refuse = |problem: String| MigrateError::AppRole { role: role.to_owned(), problem };
    if !matches!(config.target, db_config::Target::Postgres(_)) {
        return Err(refuse(
            "the database is SQLite, which has no roles; grant-app is for PostgreSQL".into(),
        ));
    }
    let failed = |e: DbErr| MigrateError::Database {
        doing: "granting the application's privileges",
        message: config.describe_error(&e),
    };
    let db = config.connect_single().await?;
    let txn = config.begin(&db).await.map_err(failed)?;
    let facts = role_facts(&txn, role).await.map_err(failed)?;
    if !facts.exists {
        return Err(refuse(format!(
            "no such role; create it first (CREATE ROLE {} LOGIN PASSWORD '…')",
            identifier(role)
        )));
    }
    if let Some(why) = facts.escapes() {
        return Err(refuse(format!("it {why}; the application must connect as a role of its own")));
    }
    let tables = app_tables();
    let read_only = existing(&txn, BOOKKEEPING_TABLES).await.map_err(failed)?;
    let schema = current_schema(&txn).await.map_err(failed)?;
    for sql in grants(role, &schema, &tables, &read_only) {
        txn.execute_unprepared(&sql).await.map_err(failed)?;
    }
    config.commit(txn).await.map_err(failed)?;
    Ok(Grant {
        role: role.to_owned(),
        tables: tables.iter().map(|t| (*t).to_owned()).collect(),
        read_only,
    })
}

/// The statements of [`grant_app`].
fn grants(role: &str, schema: &str, tables: &[&str], read_only: &[String]) -> Vec<String> {
    let role = identifier(role);
    let tables = tables.join(", ");
    let mut statements = vec![
        format!("GRANT USAGE ON SCHEMA {} TO {role}", identifier(schema)),
        format!("REVOKE ALL ON TABLE {tables} FROM {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {tables} TO {role}"),
    ];
    if !read_only.is_empty() {
        let read_only = read_only.join(", ");
        statements.push(format!("REVOKE ALL ON TABLE {read_only} FROM {role}"));
        statements.push(format!("GRANT SELECT ON TABLE {read_only} TO {role}"));
    }
    statements
}

/// Those of `tables` that exist in the current schema.
async fn existing<C: ConnectionTrait>(db: &C, tables: &[&str]) -> Result<Vec<String>, DbErr> {
    let sql = format!(
        "SELECT relname::text FROM pg_class WHERE relnamespace = current_schema()::regnamespace \
         AND relkind = 'r' AND relname = ANY({}) ORDER BY relname",
        array_literal(tables)
    );
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .iter()
        .map(|row| row.try_get_by_index(0))
        .collect()
}

async fn current_schema<C: ConnectionTrait>(db: &C) -> Result<String, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, "SELECT current_schema()::text"))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the current schema".into()))?;
    row.try_get_by_index(0)
}
