//! What a database knows about itself (like Rails' `ar_internal_metadata`): which
//! environment it belongs to, since when, and which release first migrated it. Destructive
//! commands consult it as well as `APP_ENV`, so that pointing a development shell at the
//! production database does not make production look like development.

use sea_orm_migration::sea_orm::{self, ConnectionTrait, DbErr, FromQueryResult, Statement};
use sea_orm_migration::sea_query::{OnConflict, Query};
use serde::Serialize;

use db_config::AppEnv;

/// The table, one row per key.
pub const METADATA_TABLE: &str = "chatdb_metadata";

const ENVIRONMENT: &str = "environment";
const CREATED_AT: &str = "created_at";
const CREATED_BY: &str = "created_by";

/// The stored facts about a database.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Metadata {
    /// The environment it belongs to, as stored (normally an `APP_ENV` value).
    pub environment: Option<String>,
    /// When the first `up` ran (RFC 3339).
    pub created_at: Option<String>,
    /// Which release ran it.
    pub created_by: Option<String>,
}

#[derive(FromQueryResult)]
struct Pair {
    key: String,
    value: String,
}

impl Metadata {
    /// Reads the stored facts; all `None` when the database was never migrated.
    pub async fn read<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        if !crate::history::table_exists(db, METADATA_TABLE).await? {
            return Ok(Self::default());
        }
        let sql = format!("SELECT key, value FROM {METADATA_TABLE}");
        let pairs = Pair::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?;
        let get = |key: &str| pairs.iter().find(|p| p.key == key).map(|p| p.value.clone());
        Ok(Self {
            environment: get(ENVIRONMENT),
            created_at: get(CREATED_AT),
            created_by: get(CREATED_BY),
        })
    }

    /// The stored environment, when it is one this build knows.
    pub fn app_env(&self) -> Option<AppEnv> {
        self.environment.as_deref().and_then(|e| e.parse().ok())
    }

    /// True when the stored environment says the database holds real data. A value this
    /// build cannot read counts as real data: when in doubt, protect.
    pub fn holds_real_data(&self) -> bool {
        match (&self.environment, self.app_env()) {
            (None, _) => false,
            (Some(_), Some(env)) => env.holds_real_data(),
            (Some(_), None) => true,
        }
    }

    /// Creates the table when missing (under the migration lock, so never concurrently).
    pub(crate) async fn install<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
        db.execute_unprepared(&format!(
            "CREATE TABLE IF NOT EXISTS {METADATA_TABLE} (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)"
        ))
        .await?;
        Ok(())
    }

    /// Records `app_env` as the database's environment when none is stored, or when it is
    /// stricter than the stored one (development → staging → production, never back).
    pub(crate) async fn record<C: ConnectionTrait>(db: &C, app_env: AppEnv) -> Result<(), DbErr> {
        let stored = Self::read(db).await?;
        let upsert = |key: &str, value: String, overwrite: bool| {
            let mut on_conflict = OnConflict::column("key");
            if overwrite {
                on_conflict.update_column("value");
            } else {
                on_conflict.do_nothing();
            }
            let mut insert = Query::insert();
            insert.into_table(METADATA_TABLE).columns(["key", "value"]).on_conflict(on_conflict);
            insert
                .values([key.into(), value.into()])
                .map_err(|e| DbErr::Migration(e.to_string()))?;
            Ok::<_, DbErr>(insert)
        };
        let stricter = stored.app_env().is_none_or(|env| rank(app_env) > rank(env));
        if stored.environment.is_none() || (stricter && !stored.holds_real_data()) {
            db.execute(&upsert(ENVIRONMENT, app_env.to_string(), true)?).await?;
        }
        db.execute(&upsert(CREATED_AT, chrono::Utc::now().to_rfc3339(), false)?).await?;
        let release = format!("chatdb migration {}", env!("CARGO_PKG_VERSION"));
        db.execute(&upsert(CREATED_BY, release, false)?).await?;
        Ok(())
    }
}

/// How much real data an environment holds.
pub(crate) fn rank(env: AppEnv) -> u8 {
    match env {
        AppEnv::Development | AppEnv::Test => 0,
        AppEnv::Staging => 1,
        AppEnv::Production => 2,
    }
}
