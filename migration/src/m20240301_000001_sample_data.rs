//! V3, sample data: three tenants on different plans with their users, customers,
//! conversations, messages, tags, subscriptions, settings, metrics, a webhook and audit
//! entries, for development and tests.
//!
//! Every row has a fixed id, so `down` deletes exactly these rows (children first). A row
//! a developer added under a sample tenant, customer or conversation goes with its parent.
//! In staging and production V3 records itself as applied without inserting anything,
//! unless `SEED_SAMPLE_DATA=true` (read with the rest of the configuration, `.env` too).

mod rows;

use sea_orm_migration::prelude::*;

use db_config::{MigrationSettings, SEED_SAMPLE_DATA_VAR};

use crate::ddl::Dialect;
use crate::password;

/// The password of every sample user; documented in the README, for development only.
pub const SAMPLE_PASSWORD: &str = "sample-data-only";

/// V3: sample data.
#[derive(DeriveMigrationName)]
pub struct Migration {
    /// Whether to insert the rows (see [`MigrationSettings::inserts_sample_data`]).
    pub settings: MigrationSettings,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !self.settings.inserts_sample_data() {
            let env = self.settings.app_env;
            tracing::info!(
                "Sample data (V3) recorded as applied without inserting anything: APP_ENV={env}. \
                 Set {SEED_SAMPLE_DATA_VAR}=true to insert it here."
            );
            return Ok(());
        }
        let dialect = Dialect::of(manager)?;
        let password_hash = password::hash(SAMPLE_PASSWORD)
            .map_err(|e| DbErr::Migration(format!("could not hash the sample password: {e}")))?;
        let db = manager.get_connection();
        for insert in rows::inserts(dialect, &password_hash)? {
            db.execute(&insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dialect = Dialect::of(manager)?;
        let db = manager.get_connection();
        for delete in rows::deletes(dialect) {
            db.execute(&delete).await?;
        }
        Ok(())
    }
}

/// The id of sample tenant `n` (1 to 3).
pub(crate) fn uuid_of_sample_tenant(n: u16) -> uuid::Uuid {
    rows::uuid(rows::TENANT, n)
}
