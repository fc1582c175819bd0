//! Versioned schema migrations of the support platform's database, for PostgreSQL 15+ and
//! SQLite 3.35+:
//!
//! * V1 `m20240101_000001_core_schema`: tenants, users, customers, conversations,
//!   messages, subscriptions, automations, and the admin tenant with its SUPER_ADMIN;
//! * V2 `m20240201_000001_support_tables`: audit logs, attachments, webhooks, tags,
//!   sessions, notification settings, metrics, computed priority scores and SLA deadlines;
//! * V3 `m20240301_000001_sample_data`: sample tenants and their data (not in staging or
//!   production unless `SEED_SAMPLE_DATA=true`).
//!
//! Every migration runs in a transaction on both backends. Run them with
//! `cargo run -p migration -- up` (see `--help`), or from code:
//!
//! ```no_run
//! use migration::{Migrator, MigratorTrait};
//! # async fn run(db: &sea_orm_migration::sea_orm::DatabaseConnection) -> Result<(), migration::DbErr> {
//! Migrator::up(db, None).await?;
//! # Ok(()) }
//! ```

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

/// `APP_ENV`, shared with the configuration crate.
pub mod app_env {
    pub use config::{APP_ENV_VAR, AppEnv, InvalidAppEnv};
}
pub mod cli;
mod ddl;
mod password;
pub mod seeded_ids;

mod m20240101_000001_core_schema;
mod m20240201_000001_support_tables;
mod m20240301_000001_sample_data;

pub use m20240301_000001_sample_data::{SAMPLE_PASSWORD, SEED_SAMPLE_DATA_VAR};

/// The workspace's migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20240101_000001_core_schema::Migration),
            Box::new(m20240201_000001_support_tables::Migration),
            Box::new(m20240301_000001_sample_data::Migration),
        ]
    }
}
