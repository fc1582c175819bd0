//! Delivering rows into the target, in one transaction: what it holds of the scope
//! refused or replaced, every table loaded from the origin, verified, committed — the part
//! `chatdb copy` and `chatdb import` share.

use std::time::Instant;

use uuid::Uuid;

use crate::TransferError;
use crate::conn::{Conn, Role, Side};
use crate::load::load_and_verify;
use crate::moving;
use crate::origin::Origin;
use crate::report::{CopyOptions, CopyReport, Occupancy, Scope};
use crate::tables::{TableSpec, tenants_table};

/// Into the target, in one transaction: refuses or replaces what it holds of the scope,
/// loads every table from `origin`, verifies, commits. Fills in `report`.
pub(crate) async fn deliver(
    target: &Side,
    mut dst: Conn,
    origin: Origin,
    scope: &Scope<'_>,
    occupancy: &Occupancy,
    options: &CopyOptions,
    mut report: CopyReport,
) -> Result<CopyReport, TransferError> {
    let started = Instant::now();
    let Scope { tables, tenants: scope, expected } = *scope;
    match occupancy {
        Occupancy::Data(holds) if !options.replace => {
            return Err(TransferError::TargetNotEmpty {
                target: target.name.clone(),
                holds: holds.clone(),
                what: if scope.is_some() {
                    "those tenants' rows"
                } else {
                    "every row of its tables"
                },
            });
        }
        Occupancy::Data(holds) => {
            drop(dst); // the guard and the backup need the target's only connection
            report.backup = guard_and_back_up(target, options, holds).await?;
            report.replaced = Some(holds.clone());
            dst = target.conn().await?;
        }
        Occupancy::MigrationsOwn(holds) => {
            tracing::info!(
                "The target holds only the migrations' own rows ({holds}); the copy replaces them"
            );
            report.replaced = Some(format!("the migrations' own rows: {holds}"));
        }
        Occupancy::Empty => {}
    }

    dst.begin(Role::Write).await?;
    let (origin_back, outcome) =
        load_and_verify(origin, &mut dst, tables, scope, expected, options, &mut report).await;
    let mut src = match origin_back {
        Some(Origin::Database(src)) => Some(src),
        _ => None,
    };
    let committed = match outcome {
        Ok(()) => dst.end(true).await,
        Err(e) => {
            let _ = dst.end(false).await;
            Err(e)
        }
    };
    if let Some(src) = &mut src {
        if options.move_tenants && committed.is_ok() {
            moving::commit(src).await?;
            report.moved = true;
        } else {
            let _ = src.end(false).await;
        }
    }
    committed?;
    report.rows = report.tables.iter().map(|t| t.rows).sum();
    report.seconds = started.elapsed().as_secs_f64();
    report.rows_per_second = report.rows as f64 / report.seconds.max(1e-9);
    Ok(report)
}

/// The tenants named exist in the source; returns each table's row count, for progress.
/// (References that point nowhere are found in the target, before it commits.)
pub(crate) async fn source_checks(
    src: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<Vec<u64>, TransferError> {
    let counts = src.counts(tables, scope).await?;
    let tenants_table = tenants_table(tables)?;
    let found = tables.iter().zip(&counts).find(|(t, _)| t.name == tenants_table.name);
    if let (Some(tenants), Some((_, &found))) = (scope, found)
        && found < tenants.len() as u64
    {
        for tenant in tenants {
            if src.count(tenants_table, Some(std::slice::from_ref(tenant))).await? == 0 {
                return Err(TransferError::NoSuchTenant {
                    tenant: *tenant,
                    source_db: src.name.clone(),
                });
            }
        }
    }
    Ok(counts)
}

/// What the target already holds of what the copy brings.
pub(crate) async fn occupancy(
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<Occupancy, TransferError> {
    let counts = dst.counts(tables, scope).await?;
    let held: Vec<String> = tables
        .iter()
        .zip(counts)
        .filter(|(_, rows)| *rows > 0)
        .map(|(table, rows)| format!("{}: {rows} rows", table.name))
        .collect();
    if held.is_empty() {
        return Ok(Occupancy::Empty);
    }
    let holds = held.join(", ");
    if scope.is_some() {
        return Ok(Occupancy::Data(holds));
    }
    let own = migration::seeded_ids::migrations_own_tenants();
    let own: Vec<String> = own.iter().map(dst.uuid_literal()).collect();
    for table in tables {
        let Some(column) = table.tenant else { continue };
        let others = format!(" WHERE {column} IS NULL OR {column} NOT IN ({})", own.join(", "));
        if dst.count_where(table, &others).await? > 0 {
            return Ok(Occupancy::Data(holds));
        }
    }
    Ok(Occupancy::MigrationsOwn(holds))
}

/// Refuses `--replace` where the data is real unless forced; backs the target up unless
/// told not to.
async fn guard_and_back_up(
    target: &Side,
    options: &CopyOptions,
    holds: &str,
) -> Result<Option<String>, TransferError> {
    if !options.force {
        let txn = target.config.begin(&target.db).await.map_err(|e| TransferError::Database {
            database: target.name.clone(),
            doing: "reading its stored environment".to_owned(),
            message: target.config.describe_error(&e),
        })?;
        let loses = format!("delete what the target holds ({holds}) and replace it with the copy");
        let refused =
            migration::guard::refuse_unless_forced("copy --replace", &target.config, &txn, loses)
                .await;
        let _ = txn.rollback().await;
        refused?;
    }
    if options.no_backup {
        return Ok(None);
    }
    let backup = migration::backup::backup(&target.config, &target.db, None).await?;
    tracing::info!("Backed up the target to {backup}");
    Ok(Some(backup.path.display().to_string()))
}
