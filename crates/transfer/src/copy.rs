//! `chatdb copy`: the whole database or some tenants, from one database to another, in
//! one transaction on the target, verified before it commits.

use std::time::Instant;

use db_config::DatabaseConfig;

use crate::TransferError;
use crate::conn::{Role, Side};
use crate::deliver::{deliver, occupancy, source_checks};
use crate::moving;
use crate::origin::Origin;
use crate::report::{CopyOptions, CopyReport, Occupancy, Scope};
use crate::tables;
use crate::verify::same_rows;
use crate::versions;

/// Copies from `source` into `target` (see the crate's documentation).
pub async fn copy(
    source_config: &DatabaseConfig,
    target_config: &DatabaseConfig,
    options: &CopyOptions,
) -> Result<CopyReport, TransferError> {
    let started = Instant::now();
    if options.move_tenants && options.tenants.is_empty() {
        return Err(TransferError::Usage {
            flag: "--move",
            problem: "moves tenants: name them with --tenant ID".to_owned(),
        });
    }
    // Both sides at once: connecting, identifying and reading the migrations are round
    // trips, a fixed cost that weighs on a move of one tenant.
    let (source, target) = tokio::join!(
        Side::open(source_config, "--from", false),
        Side::open(target_config, "--to", options.migrate_target)
    );
    let (source, target) = (source?, target?);
    let (same, ours, theirs) = tokio::join!(
        source.same_database(&target),
        versions::applied_to(&source),
        versions::applied_to(&target)
    );
    if same? {
        return Err(TransferError::Usage {
            flag: "--to",
            problem: format!("{} is also the source; name another database", target.name),
        });
    }
    let ours = ours?;
    versions::check_read(&ours, &source.name, &target, &theirs?, options.migrate_target).await?;
    let tenants = (!options.tenants.is_empty()).then(|| options.tenants.clone());
    let scope = tenants.as_deref();

    let target_side = async {
        let mut dst = target.conn().await?;
        let references = dst.references().await?;
        Ok::<_, TransferError>((dst, references))
    };
    let (target_side, src) = tokio::join!(target_side, source.conn());
    let (mut dst, references) = target_side?;
    let mut src = src?;
    let tables = tables::parents_first(tables::all()?, &references);
    // The source's snapshot (for a move, its lock) and what the target holds, side by side.
    let source_side = async {
        let locked = match scope {
            Some(tenants) if options.move_tenants => {
                Some(moving::begin(&mut src, &tables, tenants).await?)
            }
            _ => {
                src.begin(Role::Read).await?;
                None
            }
        };
        Ok::<_, TransferError>((locked, source_checks(&mut src, &tables, scope).await?))
    };
    let target_side = async {
        dst.begin(Role::Read).await?;
        occupancy(&mut dst, &tables, scope).await
    };
    let (source_side, occupancy) = tokio::join!(source_side, target_side);
    let (locked, expected) = source_side?;
    let occupancy = occupancy?;
    let mut report = CopyReport::new(&source.name, &target.name, &options.tenants);
    if let (Occupancy::Data(_), Some(locked), Some(tenants)) = (&occupancy, locked, scope)
        && !options.replace
    {
        // A move that stopped after the target committed: finish it if the copy is whole.
        if let Some(copied) = same_rows(&mut src, &mut dst, &tables, scope).await? {
            dst.end(false).await?;
            moving::delete(&mut src, &tables, tenants).await?;
            moving::commit(&mut src).await?;
            report.already_copied = true;
            report.tables = copied;
            report.moved = true;
            report.source_locked_seconds = locked.elapsed().as_secs_f64();
            report.seconds = started.elapsed().as_secs_f64();
            return Ok(report);
        }
    }
    dst.end(false).await?;
    tracing::debug!("both sides open and checked at {} ms", started.elapsed().as_millis());
    let plan = Scope { tables: &tables, tenants: scope, expected: &expected };
    let origin = Origin::Database(src);
    let mut report = deliver(&target, dst, origin, &plan, &occupancy, options, report).await?;
    if let Some(locked) = locked {
        report.source_locked_seconds = locked.elapsed().as_secs_f64();
    }
    report.seconds = started.elapsed().as_secs_f64();
    report.rows_per_second = report.rows as f64 / report.seconds.max(1e-9);
    Ok(report)
}
