//! The seeding ledger: one row per seeding, so that running the same seeding again is a
//! no-op and `--reset` knows what to remove.

use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Func, Query};
use sea_orm::{ConnectionTrait, Statement};
use serde::{Deserialize, Serialize};

use crate::SeedError;

/// The ledger table. It belongs to the seeder, not to the schema's migrations (which drop
/// it when they empty the database).
pub const LEDGER_TABLE: &str = migration::schema::SEED_LEDGER_TABLE;

/// The ledger's definition.
pub(crate) fn create() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {LEDGER_TABLE} (
    fingerprint TEXT PRIMARY KEY,
    preset TEXT NOT NULL,
    sizes TEXT NOT NULL,
    seed BIGINT NOT NULL,
    anchor TEXT NOT NULL,
    target_tenant TEXT,
    created_tenants TEXT NOT NULL,
    row_counts TEXT NOT NULL,
    seeded_at TEXT NOT NULL,
    duration_ms BIGINT NOT NULL
)"
    )
}

/// One recorded seeding.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Identifies the seeding: seed, sizes, anchor and target.
    pub fingerprint: String,
    /// The preset named (sizes may override it).
    pub preset: String,
    /// The sizes, as JSON.
    pub sizes: String,
    /// The seed.
    pub seed: i64,
    /// The anchor time, RFC 3339.
    pub anchor: String,
    /// The tenant seeded into, if any.
    pub target_tenant: Option<String>,
    /// Tenants the seeding created, as a JSON list.
    pub created_tenants: String,
    /// Rows per table, as JSON.
    pub row_counts: String,
    /// When it ran.
    pub seeded_at: String,
    /// How long it took.
    pub duration_ms: i64,
}

pub(crate) const COLUMNS: &str = "fingerprint, preset, sizes, seed, anchor, target_tenant, \
    created_tenants, row_counts, seeded_at, duration_ms";

/// Every recorded seeding (none when there is no ledger yet).
pub async fn entries<C: ConnectionTrait>(db: &C) -> Result<Vec<LedgerEntry>, SeedError> {
    if !migration::history::table_exists(db, LEDGER_TABLE).await? {
        return Ok(Vec::new());
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT {COLUMNS} FROM {LEDGER_TABLE} ORDER BY seeded_at"),
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(LedgerEntry {
                fingerprint: row.try_get("", "fingerprint")?,
                preset: row.try_get("", "preset")?,
                sizes: row.try_get("", "sizes")?,
                seed: row.try_get("", "seed")?,
                anchor: row.try_get("", "anchor")?,
                target_tenant: row.try_get("", "target_tenant")?,
                created_tenants: row.try_get("", "created_tenants")?,
                row_counts: row.try_get("", "row_counts")?,
                seeded_at: row.try_get("", "seeded_at")?,
                duration_ms: row.try_get("", "duration_ms")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(SeedError::from)
}

impl LedgerEntry {
    /// The entry as a JSON object, its JSON columns as JSON (not as strings holding JSON).
    pub fn as_json(&self) -> serde_json::Value {
        let parsed = |text: &str| {
            serde_json::from_str(text)
                .unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
        };
        serde_json::json!({
            "fingerprint": self.fingerprint,
            "preset": self.preset,
            "sizes": parsed(&self.sizes),
            "seed": self.seed,
            "anchor": self.anchor,
            "target_tenant": self.target_tenant,
            "created_tenants": parsed(&self.created_tenants),
            "row_counts": parsed(&self.row_counts),
            "seeded_at": self.seeded_at,
            "duration_ms": self.duration_ms,
        })
    }

    /// An entry with only what identifies its rows (the rest left empty).
    pub(crate) fn identifying(
        fingerprint: &str,
        created_tenants: String,
        target_tenant: Option<String>,
    ) -> Self {
        Self {
            fingerprint: fingerprint.to_owned(),
            preset: String::new(),
            sizes: String::new(),
            seed: 0,
            anchor: String::new(),
            target_tenant,
            created_tenants,
            row_counts: String::new(),
            seeded_at: String::new(),
            duration_ms: 0,
        }
    }

    fn unreadable(&self, problem: String) -> SeedError {
        SeedError::Ledger { fingerprint: self.fingerprint.clone(), problem }
    }

    /// The tenants this seeding created.
    pub(crate) fn created(&self) -> Result<Vec<uuid::Uuid>, SeedError> {
        let problem = |e: &dyn std::fmt::Display| self.unreadable(format!("created_tenants: {e}"));
        serde_json::from_str::<Vec<String>>(&self.created_tenants)
            .map_err(|e| problem(&e))?
            .iter()
            .map(|id| uuid::Uuid::parse_str(id).map_err(|e| problem(&e)))
            .collect()
    }

    /// The existing tenant this seeding wrote into, if any.
    pub(crate) fn target(&self) -> Result<Option<uuid::Uuid>, SeedError> {
        self.target_tenant
            .as_deref()
            .map(|id| {
                uuid::Uuid::parse_str(id)
                    .map_err(|e| self.unreadable(format!("target_tenant: {e}")))
            })
            .transpose()
    }

    /// The tenants that must still exist for this seeding to count as done.
    pub(crate) fn tenants(&self) -> Result<Vec<uuid::Uuid>, SeedError> {
        let mut ids = self.created()?;
        ids.extend(self.target()?);
        Ok(ids)
    }

    /// Whether the seeding's rows are still there (their tenants exist): a ledger entry
    /// whose tenants are gone claims nothing.
    pub(crate) async fn still_there<C: ConnectionTrait>(&self, db: &C) -> Result<bool, SeedError> {
        let ids = self.tenants()?;
        let query = Query::select()
            .expr(Func::count(Expr::col(Asterisk)))
            .from(entity::tenants::Entity)
            .and_where(Expr::col(entity::tenants::Column::Id).is_in(ids.iter().copied()))
            .to_owned();
        let row = db.query_one(&query).await?;
        let found: i64 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
        Ok(!ids.is_empty() && found == ids.len() as i64)
    }
}

/// Records `entry` in the SQLite seeding transaction.
pub(crate) fn record_sqlite(
    conn: &rusqlite::Connection,
    entry: &LedgerEntry,
) -> Result<(), rusqlite::Error> {
    let sql =
        format!("INSERT INTO {LEDGER_TABLE} ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    conn.execute(
        &sql,
        rusqlite::params![
            entry.fingerprint,
            entry.preset,
            entry.sizes,
            entry.seed,
            entry.anchor,
            entry.target_tenant,
            entry.created_tenants,
            entry.row_counts,
            entry.seeded_at,
            entry.duration_ms,
        ],
    )?;
    Ok(())
}

/// Records `entry` in the PostgreSQL seeding transaction.
pub(crate) async fn record_postgres(
    conn: &mut sea_orm::sqlx::PgConnection,
    entry: &LedgerEntry,
) -> Result<(), SeedError> {
    let sql = format!(
        "INSERT INTO {LEDGER_TABLE} ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(sql))
        .bind(&entry.fingerprint)
        .bind(&entry.preset)
        .bind(&entry.sizes)
        .bind(entry.seed)
        .bind(&entry.anchor)
        .bind(&entry.target_tenant)
        .bind(&entry.created_tenants)
        .bind(&entry.row_counts)
        .bind(&entry.seeded_at)
        .bind(entry.duration_ms)
        .execute(conn)
        .await?;
    Ok(())
}
