//! Creating and dropping the configured database itself (sqlx-cli's `database create/drop`,
//! Rails' `db:create/drop`): PostgreSQL through the maintenance database `postgres`,
//! SQLite as a file.

use db_config::{DatabaseConfig, Target};
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement,
};

use crate::MigrateError;
use crate::backup;
use crate::guard::refuse_where_data_is_real;
use crate::metadata::Metadata;

/// The database PostgreSQL always has, from which others are created and dropped.
const MAINTENANCE_DATABASE: &str = "postgres";

fn database_error<'a>(
    config: &'a DatabaseConfig,
    doing: &'static str,
) -> impl Fn(DbErr) -> MigrateError + 'a {
    move |e| MigrateError::Database { doing, message: config.describe_error(&e) }
}

/// `name` as a PostgreSQL identifier.
pub(crate) fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A connection to the maintenance database, waiting up to `wait` for the server.
async fn maintenance(
    config: &DatabaseConfig,
    wait: std::time::Duration,
) -> Result<(DatabaseConfig, DatabaseConnection), MigrateError> {
    let maintenance = config.on_database(MAINTENANCE_DATABASE);
    let admin = maintenance.connect_waiting(wait, true).await?;
    Ok((maintenance, admin))
}

async fn postgres_exists(
    maintenance: &DatabaseConfig,
    admin: &DatabaseConnection,
    name: &str,
) -> Result<bool, MigrateError> {
    // In a transaction, like every read of ours: safe behind a transaction-pooling PgBouncer.
    let lookup = async {
        let txn = maintenance.begin(admin).await?;
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
    lookup.await.map_err(database_error(maintenance, "looking the database up"))
}

/// Creates the configured database when it does not exist, waiting up to `wait` for the
/// server; says whether it created one.
pub async fn create(
    config: &DatabaseConfig,
    wait: std::time::Duration,
) -> Result<bool, MigrateError> {
    match &config.target {
        Target::Postgres(pg) => {
            let name = &pg.database.value;
            let (maintenance, admin) = maintenance(config, wait).await?;
            if postgres_exists(&maintenance, &admin, name).await? {
                return Ok(false);
            }
            admin
                .execute_unprepared(&format!("CREATE DATABASE {}", identifier(name)))
                .await
                .map_err(database_error(config, "creating the database"))?;
            Ok(true)
        }
        Target::Sqlite(sqlite) => {
            // Before connecting: connecting creates the file.
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
    let admin = match &config.target {
        Target::Postgres(_) => Some(maintenance(config, std::time::Duration::ZERO).await?),
        Target::Sqlite(_) => None,
    };
    let exists = match (&config.target, &admin) {
        (Target::Postgres(pg), Some((maintenance, admin))) => {
            postgres_exists(maintenance, admin, &pg.database.value).await?
        }
        (Target::Sqlite(sqlite), _) => std::path::Path::new(&sqlite.path.value).exists(),
        (Target::Postgres(_), None) => false,
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
    match (&config.target, admin) {
        (Target::Postgres(pg), Some((_, admin))) => {
            let sql = format!("DROP DATABASE {} WITH (FORCE)", identifier(&pg.database.value));
            admin
                .execute_unprepared(&sql)
                .await
                .map_err(database_error(config, "dropping the database"))?;
        }
        (Target::Postgres(_), None) => {}
        (Target::Sqlite(sqlite), _) => {
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
