//! What this migration changes, and why (the next maintainer reads this first).
//!
//! Write `up` and `down` for both backends: SQL both accept goes in `both`; what only one
//! backend needs goes in the named helpers below, never in `if postgres` branches. Then
//! `migrate lint` (it runs this migration against a live database and rolls it back),
//! `migrate up`, `migrate down -n 1`, `migrate up` again, and refresh the snapshots with
//! `migrate schema dump --out migration/schema/<backend>.sql`.
//!
//! On a table that holds rows in production: build indexes `CONCURRENTLY` (in a
//! migration that runs outside a transaction, see [`crate::authoring::outside_transaction`]),
//! add constraints `NOT VALID` and validate them in a later migration, and expand before
//! you contract: add the new column in this release, drop the old one in the next. Once
//! released, this file is never edited: change the schema with a new migration.

use sea_orm_migration::prelude::*;

use crate::ddl::Dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        Dialect::run(manager, both_up()).await?;
        match dialect {
            Dialect::Postgres => Dialect::run(manager, postgres_up()).await,
            Dialect::Sqlite => Dialect::run(manager, sqlite_up()).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        match dialect {
            Dialect::Postgres => Dialect::run(manager, postgres_down()).await?,
            Dialect::Sqlite => Dialect::run(manager, sqlite_down()).await?,
        }
        Dialect::run(manager, both_down()).await
    }
}

/// Statements both backends run as written.
fn both_up() -> Vec<String> {
    vec![]
}

/// What only PostgreSQL needs (indexes built concurrently, `NOT VALID` constraints,
/// functions and triggers in PL/pgSQL).
fn postgres_up() -> Vec<String> {
    vec![]
}

/// What only SQLite needs (a table rebuilt to change a column, triggers in SQLite's
/// dialect).
fn sqlite_up() -> Vec<String> {
    vec![]
}

/// Undoes [`postgres_up`].
fn postgres_down() -> Vec<String> {
    vec![]
}

/// Undoes [`sqlite_up`].
fn sqlite_down() -> Vec<String> {
    vec![]
}

/// Undoes [`both_up`].
fn both_down() -> Vec<String> {
    vec![]
}
