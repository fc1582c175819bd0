//! V3, sample data: three tenants on different plans with their users, customers,
//! conversations, messages, tags, subscriptions, settings, metrics, a webhook and audit
//! entries, for development and tests.
//!
//! Every row has a fixed id, so `down` deletes exactly these rows (children first). A row
//! a developer added under a sample tenant, customer or conversation goes with its parent.
//! In staging and production V3 records itself as applied without inserting anything,
//! unless `SEED_SAMPLE_DATA=true`.

mod rows;

use sea_orm_migration::prelude::*;

use crate::app_env::AppEnv;
use crate::ddl::Dialect;
use crate::password;

/// Set to `true` to insert the sample data in staging or production.
pub const SEED_SAMPLE_DATA_VAR: &str = "SEED_SAMPLE_DATA";

/// The password of every sample user; documented in the README, for development only.
pub const SAMPLE_PASSWORD: &str = "sample-data-only";

/// V3: sample data.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let env = AppEnv::from_env().map_err(|e| DbErr::Migration(e.to_string()))?;
        if env.holds_real_data() && !seed_sample_data_requested()? {
            eprintln!(
                "Sample data (V3) recorded as applied without inserting anything: APP_ENV={env}. \
                 Set {SEED_SAMPLE_DATA_VAR}=true to insert it here."
            );
            return Ok(());
        }
        let dialect = Dialect::of(manager)?;
        let password_hash = password::hash(SAMPLE_PASSWORD)
            .map_err(|e| DbErr::Migration(format!("could not hash the sample password: {e}")))?;
        for insert in rows::inserts(dialect, &password_hash) {
            Dialect::run(manager, [insert]).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        Dialect::run(manager, rows::deletes(dialect)).await
    }
}

/// `SEED_SAMPLE_DATA`: unset means no; anything but a clear yes or no is an error.
fn seed_sample_data_requested() -> Result<bool, DbErr> {
    let value = std::env::var(SEED_SAMPLE_DATA_VAR).unwrap_or_default();
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "" | "false" | "0" | "no" => Ok(false),
        _ => Err(DbErr::Migration(format!(
            "{SEED_SAMPLE_DATA_VAR}={value:?} is not a boolean; set it to true or false"
        ))),
    }
}
