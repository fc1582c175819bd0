//! `--reset`: remove what earlier seedings created, and nothing else.

use std::sync::Arc;

use chrono::DateTime;
use db_config::DatabaseConfig;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityName};
use serde::Serialize;
use uuid::Uuid;

use crate::ledger::{self, LEDGER_TABLE, LedgerEntry};
use crate::plan::Plan;
use crate::{SeedError, Sizes, check_environment, existing_tenant};

/// Ids deleted per statement.
const BATCH: usize = 500;

/// What a reset removed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ResetSummary {
    /// Seedings undone.
    pub seedings: usize,
    /// Tenants deleted (with everything in them).
    pub tenants: usize,
    /// Rows deleted from tenants that existed before (users, customers with their
    /// conversations, tags, audit logs, metrics).
    pub rows_in_existing_tenants: u64,
}

/// Undoes every recorded seeding in one transaction: tenants a seeding created are deleted
/// with all they hold; rows seeded into an existing tenant are deleted by id.
pub async fn reset(
    config: &DatabaseConfig,
    allow_staging: bool,
) -> Result<ResetSummary, SeedError> {
    reset_all(config, allow_staging).await.map_err(|e| match e {
        e @ (SeedError::Database(_) | SeedError::Copy(_)) => SeedError::ResetFailed(Box::new(e)),
        other => other,
    })
}

async fn reset_all(
    config: &DatabaseConfig,
    allow_staging: bool,
) -> Result<ResetSummary, SeedError> {
    check_environment(config, allow_staging)?;
    let db = config.connect().await?;
    let txn = config.begin(&db).await?;
    crate::check_migrated(&txn).await?;
    let entries = ledger::entries(&txn).await?;
    if entries.is_empty() {
        return Ok(ResetSummary::default());
    }
    let mut summary = ResetSummary { seedings: entries.len(), ..ResetSummary::default() };
    let mut plans = Vec::new();
    for entry in &entries {
        let tenant = match entry.target()? {
            // A tenant deleted since took its seeded rows with it; any other failure stops
            // the reset before anything (the ledger included) is removed.
            Some(id) => match existing_tenant(&txn, id).await {
                Ok(tenant) => Some(tenant),
                Err(SeedError::NoSuchTenant(_)) => None,
                Err(other) => return Err(other),
            },
            None => None,
        };
        plans.push((entry.clone(), tenant));
    }
    for (entry, tenant) in plans {
        let created = entry.created()?;
        tracing::info!(
            "Undoing the seeding of {} ({} tenant(s){})",
            entry.seeded_at,
            created.len(),
            if tenant.is_some() { ", rows in an existing tenant" } else { "" }
        );
        summary.tenants +=
            delete_ids(&txn, entity::tenants::Entity.table_name(), &created).await? as usize;
        if let Some(tenant) = tenant {
            summary.rows_in_existing_tenants += delete_seeded_rows(&txn, &entry, tenant).await?;
        }
    }
    txn.execute_unprepared(&format!("DELETE FROM {LEDGER_TABLE}")).await?;
    config.commit(txn).await?;
    Ok(summary)
}

/// Regenerates the ids a seeding into `tenant` wrote, and deletes those rows.
async fn delete_seeded_rows(
    txn: &DatabaseTransaction,
    entry: &LedgerEntry,
    tenant: crate::plan::TenantInfo,
) -> Result<u64, SeedError> {
    let unreadable =
        |problem: String| SeedError::Ledger { fingerprint: entry.fingerprint.clone(), problem };
    let sizes: Sizes =
        serde_json::from_str(&entry.sizes).map_err(|e| unreadable(format!("sizes: {e}")))?;
    let anchor = DateTime::parse_from_rfc3339(&entry.anchor)
        .map_err(|e| unreadable(format!("anchor: {e}")))?
        .to_utc();
    let options = crate::SeedOptions {
        preset: crate::Preset::Small,
        sizes: sizes.clone(),
        seed: entry.seed as u64,
        anchor,
        tenant: Some(tenant.id),
        allow_staging: true,
        progress: false,
    };
    let plan = Arc::new(Plan::new(
        crate::run_seed(&options),
        anchor,
        Sizes { tenants: 0, ..sizes },
        Some(tenant),
        String::new(),
    ));
    let mut deleted = 0;
    for spec in crate::tables::tables(&plan) {
        // The rest goes with these by cascade.
        let roots = [
            entity::users::Entity.table_name(),
            entity::customers::Entity.table_name(),
            entity::tags::Entity.table_name(),
            entity::audit_logs::Entity.table_name(),
            entity::performance_metrics::Entity.table_name(),
        ];
        if !roots.contains(&spec.name) {
            continue;
        }
        let ids: Vec<Uuid> = (spec.generate)(Arc::clone(&plan))
            .filter_map(|row| match row.first() {
                Some(crate::field::Field::Uuid(id)) => Some(*id),
                _ => None,
            })
            .collect();
        deleted += delete_ids(txn, spec.name, &ids).await?;
    }
    Ok(deleted)
}

async fn delete_ids(
    txn: &DatabaseTransaction,
    table: &str,
    ids: &[Uuid],
) -> Result<u64, SeedError> {
    let mut deleted = 0;
    for batch in ids.chunks(BATCH) {
        let statement = Query::delete()
            .from_table(Alias::new(table))
            // Every table the seeder writes has an `id` key, spelt as the tenants' is.
            .and_where(Expr::col(entity::tenants::Column::Id).is_in(batch.iter().copied()))
            .to_owned();
        deleted += txn.execute(&statement).await?.rows_affected();
    }
    Ok(deleted)
}
