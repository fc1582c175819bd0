//! V4, tenant isolation enforced by PostgreSQL: row-level security on every table that
//! holds a tenant's rows, keyed on the transaction's `app.tenant_id` setting.
//!
//! A role that is not the tables' owner (the application's) sees and writes only the rows
//! of the tenant its transaction set; with no tenant set it sees nothing and can write
//! nothing. The owner — the role that migrates, seeds, copies and backs up — is not
//! confined: row-level security is enabled, not forced, so no `BYPASSRLS` is needed.
//!
//! A confined role's own conditions run after the policies unless their functions are
//! leakproof, so the unique indexes on `lower(email)` cannot serve its e-mail lookups;
//! `customers_with_email` and `users_with_email` look up the transaction's tenant's row
//! through them, as the owner, and nothing outside that tenant.
//!
//! SQLite has no roles and no row-level security: there V4 records itself as applied and
//! does nothing.

use sea_orm_migration::prelude::*;

use crate::ddl::Dialect;

/// Every table with a `tenant_id` column, in V1 and V2 order.
const TENANT_TABLES: &[&str] = &[
    "users",
    "customers",
    "conversations",
    "messages",
    "subscriptions",
    "automations",
    "tags",
    "conversation_tags",
    "customer_tags",
    "audit_logs",
    "file_attachments",
    "webhooks",
    "user_sessions",
    "notification_settings",
    "performance_metrics",
];

/// The name of each table's one policy.
const POLICY: &str = "tenant_isolation";

/// The transaction's tenant. `current_setting(…, true)` is NULL when the setting was never
/// made and '' after a transaction that set it locally has ended: both mean no tenant, and
/// a comparison with NULL admits no row. The cast is a stable expression, so the planner
/// uses the `tenant_id` indexes with it.
const CURRENT_TENANT: &str = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

/// Tables looked up by e-mail, case-insensitively, through their unique index on
/// `(tenant_id, lower(email))`.
const BY_EMAIL: &[&str] = &["customers", "users"];

/// V4: tenant isolation by row-level security.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match Dialect::of(manager)? {
            Dialect::Postgres => Dialect::run(manager, postgres_enable_isolation()).await,
            Dialect::Sqlite => Ok(()),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match Dialect::of(manager)? {
            Dialect::Postgres => Dialect::run(manager, postgres_disable_isolation()).await,
            Dialect::Sqlite => Ok(()),
        }
    }
}

/// `(table, the column that names its tenant)`: `tenants` is its own tenant.
fn isolated_tables() -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(("tenants", "id")).chain(TENANT_TABLES.iter().map(|t| (*t, "tenant_id")))
}

/// Row-level security on, and one policy per table that confines reads (`USING`) and
/// writes (`WITH CHECK`, so a row can neither be inserted for nor moved to another
/// tenant).
fn postgres_enable_isolation() -> Vec<String> {
    let mut statements: Vec<String> = isolated_tables()
        .flat_map(|(table, column)| {
            let rule = format!("{column} = {CURRENT_TENANT}");
            [
                format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
                format!("CREATE POLICY {POLICY} ON {table} USING ({rule}) WITH CHECK ({rule})"),
            ]
        })
        .collect();
    statements.extend(BY_EMAIL.iter().map(|table| postgres_lookup_by_email(table)));
    statements
}

/// `<table>_with_email(tenant, email)`: the row of `tenant` whose e-mail is `email`, any
/// case — only when `tenant` is the transaction's tenant. It runs as its owner (the
/// tables' owner, whom the policies do not confine) so that the unique index serves it;
/// PL/pgSQL rather than SQL so that a session plans its query once, not on every call.
fn postgres_lookup_by_email(table: &str) -> String {
    format!(
        "CREATE FUNCTION {table}_with_email(wanted_tenant uuid, wanted_email text) RETURNS SETOF {table}
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY SELECT * FROM {table}
        WHERE tenant_id = wanted_tenant AND tenant_id = {CURRENT_TENANT}
          AND lower(email) = lower(wanted_email);
END
$$"
    )
}

/// Undoes [`postgres_enable_isolation`].
fn postgres_disable_isolation() -> Vec<String> {
    let mut statements: Vec<String> = BY_EMAIL
        .iter()
        .map(|table| format!("DROP FUNCTION {table}_with_email(uuid, text)"))
        .collect();
    statements.extend(isolated_tables().flat_map(|(table, _)| {
        [
            format!("DROP POLICY {POLICY} ON {table}"),
            format!("ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"),
        ]
    }));
    statements
}
