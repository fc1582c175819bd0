//! Both sides of a copy carry the same schema: the same migrations applied.

use migration::history::{History, State};
use migration::runner::{Direction, Goal, Runner};

use crate::TransferError;
use crate::conn::Side;

async fn history(side: &Side) -> Result<History, TransferError> {
    let failed = |e: sea_orm::DbErr| TransferError::Database {
        database: side.name.clone(),
        doing: "reading its migrations".to_owned(),
        message: side.config.describe_error(&e),
    };
    let txn = side.config.begin(&side.db).await.map_err(failed)?;
    let history = History::read(&txn).await.map_err(failed)?;
    side.config.commit(txn).await.map_err(failed)?;
    Ok(history)
}

/// The migrations applied to `side`, oldest first (those this build does not know too).
pub(crate) async fn applied_to(side: &Side) -> Result<Vec<String>, TransferError> {
    Ok(applied(&history(side).await?))
}

fn applied(history: &History) -> Vec<String> {
    history
        .entries
        .iter()
        .filter(|e| matches!(e.state, State::Applied | State::Unknown))
        .map(|e| e.version.clone())
        .collect()
}

/// Refuses unless the target has the migrations the source (`ours`, named `source_db`) has
/// applied; with `migrate_target`, a target behind is migrated up to the source's version
/// first.
pub(crate) async fn check(
    ours: &[String],
    source_db: &str,
    target: &Side,
    migrate_target: bool,
) -> Result<(), TransferError> {
    let theirs = applied_to(target).await?;
    check_read(ours, source_db, target, &theirs, migrate_target).await
}

/// [`check`], given what the target has applied (`theirs`, read alongside the source's).
pub(crate) async fn check_read(
    ours: &[String],
    source_db: &str,
    target: &Side,
    theirs: &[String],
    migrate_target: bool,
) -> Result<(), TransferError> {
    if ours == theirs && !ours.is_empty() {
        return Ok(());
    }
    let newest =
        |versions: &[String]| versions.last().cloned().unwrap_or_else(|| "no migration".to_owned());
    let behind = theirs.len() < ours.len() && ours.starts_with(theirs);
    let known = migration::Migrator::names();
    let migratable = behind && ours.iter().all(|v| known.contains(v));
    if migrate_target && migratable {
        let goal = Goal::To(newest(ours));
        let steps = Runner::new(&target.db, &target.config)
            .run(Direction::Up, &goal, false, &mut |step| {
                tracing::info!("Migrated the target: {} ({:.0} ms)", step.migration, step.millis);
            })
            .await?;
        tracing::info!("The target is now at {} ({} applied)", newest(ours), steps.len());
        return Ok(());
    }
    let fix = if ours.is_empty() {
        "the source is not migrated: is --from the right database?".to_owned()
    } else if migratable {
        format!(
            "pass --migrate-target to migrate the target to {} first, or run `chatdb migrate up --to {}` on it",
            newest(ours),
            newest(ours)
        )
    } else {
        "migrate both to the same version (`chatdb migrate up` with the newest release on each) and copy again".to_owned()
    };
    Err(TransferError::Versions {
        source_db: source_db.to_owned(),
        source_version: newest(ours),
        target_db: target.name.clone(),
        target_version: newest(theirs),
        fix,
    })
}
