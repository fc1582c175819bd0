//! The seeding ledger: one row per seeding, so that running the same seeding again is a
//! no-op and `--reset` knows what to remove.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};

use crate::SeedError;

/// The ledger table. It belongs to the seeder, not to the schema's migrations.
pub const LEDGER_TABLE: &str = "chatdb_seed_runs";

const CREATE: &str = "CREATE TABLE IF NOT EXISTS chatdb_seed_runs (
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
)";

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

/// Every recorded seeding. Creates the ledger when it does not exist yet, so a seeding
/// that follows can record itself.
pub async fn entries<C: ConnectionTrait>(db: &C) -> Result<Vec<LedgerEntry>, SeedError> {
    db.execute_unprepared(CREATE).await?;
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

/// An INSERT of `entry` for SQLite (PostgreSQL uses [`record_postgres`]).
pub(crate) fn insert_sqlite(entry: &LedgerEntry) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!("INSERT INTO {LEDGER_TABLE} ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        [
            entry.fingerprint.clone().into(),
            entry.preset.clone().into(),
            entry.sizes.clone().into(),
            entry.seed.into(),
            entry.anchor.clone().into(),
            entry.target_tenant.clone().into(),
            entry.created_tenants.clone().into(),
            entry.row_counts.clone().into(),
            entry.seeded_at.clone().into(),
            entry.duration_ms.into(),
        ],
    )
}

/// Records `entry` in the PostgreSQL seeding transaction.
pub(crate) async fn record_postgres(
    conn: &mut sea_orm::sqlx::PgConnection,
    entry: &LedgerEntry,
) -> Result<(), SeedError> {
    sea_orm::sqlx::query(
        "INSERT INTO chatdb_seed_runs (fingerprint, preset, sizes, seed, anchor, target_tenant, \
         created_tenants, row_counts, seeded_at, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
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
