//! Who may destroy what: a destructive command is refused when `APP_ENV` or the
//! environment stored in the database (`chatdb_metadata`) says the data is real, unless the
//! operator forces it; `up` from a development shell against a production database is
//! refused too. Library code (the lifecycle commands, `transfer`'s `--replace`) and the
//! CLI's commands ask here.

use db_config::DatabaseConfig;

use crate::MigrateError;
use crate::metadata::{Metadata, rank};

/// Refuses `command`, which would do what `loses` says, when `APP_ENV` or the environment
/// stored in the database says the data is real (the caller has checked `--force`).
pub fn refuse_where_data_is_real(
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
pub fn refuse_wrong_environment(
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
