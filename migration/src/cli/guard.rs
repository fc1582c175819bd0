//! Who may destroy what: a destructive command is refused when `APP_ENV` or the environment
//! stored in the database says the data is real, unless `--force`; `up` from a development
//! shell against a production database is refused too.

use config::DatabaseConfig;

use super::MigrateCommand;
use crate::MigrateError;
use crate::history::History;
use crate::metadata::{Metadata, rank};
use crate::runner::{Direction, Goal, plan};

pub(crate) fn check(
    command: &MigrateCommand,
    config: &DatabaseConfig,
    stored: &Metadata,
    history: &History,
) -> Result<(), MigrateError> {
    let loses = match command {
        MigrateCommand::Up { force, .. } => {
            return if *force { Ok(()) } else { refuse_wrong_environment(config, stored) };
        }
        MigrateCommand::Status { .. }
        | MigrateCommand::Validate
        | MigrateCommand::Schema { .. } => {
            return Ok(());
        }
        MigrateCommand::Down { destructive, span, .. } if !destructive.force => {
            let goal = span.goal(Goal::Steps(1));
            let versions = plan(history, Direction::Down, &goal);
            if versions.is_empty() {
                return Ok(());
            }
            let undone: Vec<String> =
                versions.iter().map(|v| format!("{v} ({})", consequence(v))).collect();
            format!("roll back {}", undone.join(", "))
        }
        MigrateCommand::Fresh { destructive, .. } if !destructive.force => {
            "drop every table and function of the database, with all their rows".to_owned()
        }
        MigrateCommand::Refresh { destructive, .. } if !destructive.force => {
            "roll back every migration and apply it again, losing every row of the migrated tables"
                .to_owned()
        }
        MigrateCommand::Restore { destructive, file } if !destructive.force => {
            format!(
                "replace the database's contents with {}, losing everything written since",
                file.display()
            )
        }
        MigrateCommand::Reset { destructive, .. } if !destructive.force => {
            "roll back every migration, dropping every table with all its rows".to_owned()
        }
        _ => return Ok(()),
    };
    refuse_where_data_is_real(command.name(), config, stored, loses)
}

/// Refuses `command`, which would do what `loses` says, when `APP_ENV` or the environment
/// stored in the database says the data is real (the caller has checked `--force`).
pub(crate) fn refuse_where_data_is_real(
    command: &'static str,
    config: &DatabaseConfig,
    stored: &Metadata,
    loses: String,
) -> Result<(), MigrateError> {
    let app_env = &config.app_env;
    let reason = if app_env.value.holds_real_data() {
        format!("APP_ENV={} ({})", app_env.value, app_env.source)
    } else if stored.holds_real_data() {
        format!(
            "the database belongs to {} (stored in chatdb_metadata{}), whatever APP_ENV={} says",
            stored.environment.as_deref().unwrap_or_default(),
            stored.created_at.as_deref().map(|at| format!(" since {at}")).unwrap_or_default(),
            app_env.value
        )
    } else {
        return Ok(());
    };
    Err(MigrateError::Refused { command, reason, loses })
}

/// Refuses `up` from an `APP_ENV` weaker than the environment the database recorded (a
/// development shell pointed at production).
pub(crate) fn refuse_wrong_environment(
    config: &DatabaseConfig,
    stored: &Metadata,
) -> Result<(), MigrateError> {
    let app_env = config.app_env.value;
    let downgrade =
        stored.app_env().map_or(stored.holds_real_data(), |env| rank(app_env) < rank(env));
    if downgrade {
        return Err(MigrateError::WrongEnvironment {
            stored: stored.environment.clone().unwrap_or_default(),
            app_env,
        });
    }
    Ok(())
}

/// What rolling back a migration destroys.
fn consequence(version: &str) -> &'static str {
    match version {
        "m20261204_000001_tenant_isolation" => {
            "removes row-level security: the application's role then sees every tenant's rows"
        }
        "m20240301_000001_sample_data" => "deletes the sample rows",
        "m20240201_000001_support_tables" => {
            "drops audit logs, attachments, webhooks, tags, sessions, notification settings and metrics with their rows"
        }
        "m20240101_000001_core_schema" => "drops every core table with all its rows",
        _ => "undoes it",
    }
}

/// Whether `command` would destroy anything in a database with `history` (a backup is
/// pointless otherwise).
pub(super) fn destroys_something(command: &MigrateCommand, history: &History) -> bool {
    match command {
        MigrateCommand::Down { span, .. } => {
            let goal = span.goal(Goal::Steps(1));
            !plan(history, Direction::Down, &goal).is_empty()
        }
        MigrateCommand::Refresh { .. } | MigrateCommand::Reset { .. } => {
            history.count(crate::history::State::Applied) > 0
        }
        MigrateCommand::Fresh { .. } | MigrateCommand::Restore { .. } => true,
        _ => false,
    }
}

/// Refuses `command` of another crate (e.g. `copy --replace`), which would do what `loses`
/// says, where the data is real: `APP_ENV` or the environment stored in `db` is staging or
/// production. The caller checks `--force` first.
pub async fn refuse_unless_forced<C: sea_orm_migration::sea_orm::ConnectionTrait>(
    command: &'static str,
    config: &DatabaseConfig,
    db: &C,
    loses: String,
) -> Result<(), MigrateError> {
    let stored = Metadata::read(db).await.map_err(|e| MigrateError::Database {
        doing: "reading the stored environment (chatdb_metadata)",
        message: config.describe_error(&e),
    })?;
    refuse_where_data_is_real(command, config, &stored, loses)
}
