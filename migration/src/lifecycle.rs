//! Creating and dropping the configured database itself (sqlx-cli's `database create/drop`,
//! Rails' `db:create/drop`): PostgreSQL through the maintenance database `postgres`,
//! SQLite as a file.

use config::{DatabaseConfig, Target};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use crate::MigrateError;
use crate::backup;
use crate::cli::guard::refuse_where_data_is_real;
use crate::metadata::Metadata;

/// The database PostgreSQL always has, from which others are created and dropped.
const MAINTENANCE_DATABASE: &str = "postgres";

fn database_error<'a>(
    config: &'a DatabaseConfig,
    doing: &'static str,
) -> impl Fn(DbErr) -> MigrateError + 'a {
    move |e| MigrateError::Database { doing, message: config.scrub(&e.to_string()) }
}

/// `name` as a PostgreSQL identifier.
fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn postgres_exists(config: &DatabaseConfig, name: &str) -> Result<bool, MigrateError> {
    let maintenance = config.on_database(MAINTENANCE_DATABASE);
    let admin = maintenance.connect_single().await?;
    // In a transaction, like every read of ours: safe behind a transaction-pooling PgBouncer.
    let lookup = async {
        let txn = maintenance.begin(&admin).await?;
        let found = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT 1 FROM pg_database WHERE datname = $1",
                [name.into()],
            ))
            .await?;
        maintenance.commit(txn).await?;
        Ok(found.is_some())
    };
    lookup.await.map_err(database_error(config, "looking the database up"))
}

/// Creates the configured database when it does not exist, waiting up to `wait` for the
/// server; says whether it created one.
pub async fn create(
    config: &DatabaseConfig,
    wait: std::time::Duration,
) -> Result<bool, MigrateError> {
    config.on_database(MAINTENANCE_DATABASE).connect_waiting(wait, true).await?.close().await.ok();
    match &config.target {
        Target::Postgres(pg) => {
            let name = &pg.database.value;
            if postgres_exists(config, name).await? {
                return Ok(false);
            }
            let admin = config.on_database(MAINTENANCE_DATABASE).connect_single().await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {}", identifier(name)))
                .await
                .map_err(database_error(config, "creating the database"))?;
            Ok(true)
        }
        Target::Sqlite(sqlite) => {
            let existed = std::path::Path::new(&sqlite.path.value).exists();
            config
                .connect_single()
                .await?
                .close()
                .await
                .map_err(database_error(config, "creating the file"))?;
            Ok(!existed)
        }
    }
}

/// Drops the configured database, guarded like `fresh` and backed up first unless
/// `no_backup`; says whether there was one to drop.
pub async fn drop(
    config: &DatabaseConfig,
    force: bool,
    no_backup: bool,
) -> Result<bool, MigrateError> {
    let exists = match &config.target {
        Target::Postgres(pg) => postgres_exists(config, &pg.database.value).await?,
        Target::Sqlite(sqlite) => std::path::Path::new(&sqlite.path.value).exists(),
    };
    if !exists {
        return Ok(false);
    }
    let db = config.connect_single().await?;
    let read = async {
        let txn = config.begin(&db).await?;
        let stored = Metadata::read(&txn).await?;
        config.commit(txn).await?;
        Ok(stored)
    };
    let stored = read.await.map_err(database_error(config, "reading chatdb_metadata"))?;
    if !force {
        let loses = format!("drop the database {} with everything in it", config.target.describe());
        refuse_where_data_is_real("db drop", config, &stored, loses)?;
    }
    if !no_backup {
        let written = backup::backup(config, &db, None).await?;
        tracing::info!("Backed up to {written} first; `restore` it into a new database to undo");
    }
    db.close().await.map_err(database_error(config, "closing the connection"))?;
    match &config.target {
        Target::Postgres(pg) => {
            let admin = config.on_database(MAINTENANCE_DATABASE).connect_single().await?;
            let sql = format!("DROP DATABASE {} WITH (FORCE)", identifier(&pg.database.value));
            admin
                .execute_unprepared(&sql)
                .await
                .map_err(database_error(config, "dropping the database"))?;
        }
        Target::Sqlite(sqlite) => {
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{}{suffix}", sqlite.path.value);
                if std::path::Path::new(&file).exists() {
                    std::fs::remove_file(&file).map_err(|e| MigrateError::Write {
                        path: file.clone(),
                        message: e.to_string(),
                    })?;
                }
            }
        }
    }
    Ok(true)
}
