//! Transactions confined to one tenant.
//!
//! On PostgreSQL, row-level security (migration V4) confines every role but the tables'
//! owner to the tenant named by the transaction's `app.tenant_id` setting: the application
//! connects as such a role and does its work in [`scoped`] transactions. Inside one, every
//! query sees only that tenant's rows and can write only rows of that tenant, whatever
//! filters it forgets; outside one it sees nothing and can write nothing.
//!
//! The setting is made with `set_config(…, true)`: it lives as long as the transaction,
//! so a pooled connection — sqlx's, or a transaction-mode PgBouncer's server connection —
//! never hands it to the next transaction.
//!
//! SQLite has no roles and no row-level security: there [`scoped`] is a plain transaction,
//! and queries must filter by tenant themselves.
//!
//! ```no_run
//! use entity::prelude::*;
//! use sea_orm::{DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};
//!
//! /// The number of conversations of `tenant`: no `WHERE tenant_id` needed, and none
//! /// forgotten can leak another tenant's rows.
//! async fn conversation_count(db: &DatabaseConnection, tenant: uuid::Uuid) -> Result<u64, DbErr> {
//!     entity::tenancy::scoped(db, tenant, async |txn| Conversations::find().count(txn).await).await
//! }
//! ```
//!
//! Behind a transaction-pooling PgBouncer, begin and commit the way the connection needs
//! (`db_config::DatabaseConfig::scoped` does) and call [`enter`] first thing in the transaction.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, TransactionTrait,
};
use uuid::Uuid;

/// The setting the row-level security policies read the tenant from.
pub const TENANT_SETTING: &str = "app.tenant_id";

/// Confines the rest of the transaction `txn` to `tenant` (PostgreSQL; nothing on SQLite).
pub async fn enter<C: ConnectionTrait>(txn: &C, tenant: Uuid) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    // Sent as a simple query: no prepared statement is left behind on a pooled connection.
    let sql = format!("SELECT set_config('{TENANT_SETTING}', '{tenant}', true)");
    txn.execute_unprepared(&sql).await.map(drop)
}

/// Runs `work` in a transaction confined to `tenant`, then commits; an error from `work`
/// rolls the transaction back and is returned.
pub async fn scoped<F, T, E>(db: &DatabaseConnection, tenant: Uuid, work: F) -> Result<T, E>
where
    F: for<'c> AsyncFnOnce(&'c DatabaseTransaction) -> Result<T, E>,
    E: From<DbErr>,
{
    let txn = db.begin().await?;
    enter(&txn, tenant).await?;
    let done = work(&txn).await?;
    txn.commit().await?;
    Ok(done)
}

/// The row of `tenant` in `E`'s table (`customers` or `users`) whose e-mail is `email`, in
/// any case. On PostgreSQL it goes through the migrations' `<table>_with_email` lookup,
/// which uses the unique e-mail index where a confined role's own `lower(email) = …`
/// cannot (PostgreSQL applies a confined role's non-leakproof conditions after the
/// policies), and answers only for the transaction's tenant: call it in a [`scoped`]
/// transaction of `tenant`.
pub(crate) async fn find_by_email<E, C>(
    db: &C,
    tenant: Uuid,
    email: &str,
) -> Result<Option<E::Model>, DbErr>
where
    E: sea_orm::EntityTrait,
    C: ConnectionTrait,
{
    let table = E::default().table_name();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!("SELECT * FROM {table}_with_email($1, $2)"),
        _ => format!("SELECT * FROM {table} WHERE tenant_id = ? AND lower(email) = lower(?)"),
    };
    let statement =
        sea_orm::Statement::from_sql_and_values(backend, sql, [tenant.into(), email.into()]);
    E::find().from_raw_sql(statement).one(db).await
}
