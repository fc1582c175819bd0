//! The CLI's commands against the guard ([`crate::guard`]): what each would destroy, and
//! whether `--force` was given.

use db_config::DatabaseConfig;

use super::MigrateCommand;
use crate::MigrateError;
use crate::guard::{refuse_where_data_is_real, refuse_wrong_environment};
use crate::history::History;
use crate::metadata::Metadata;
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
