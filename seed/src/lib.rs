//! Realistic, deterministic development databases at scale.
//!
//! [`seed`] fills a migrated database with tenants, users, customers, conversations,
//! messages, tags, attachments, sessions, settings, subscriptions, audit logs and metrics:
//!
//! * **deterministic**: the same seed, sizes and anchor give the same rows, ids included,
//!   on PostgreSQL and SQLite (only what triggers compute from the current time differs);
//! * **idempotent**: a ledger records each seeding; running it again does nothing, and
//!   [`reset`] removes exactly what seedings created;
//! * **safe**: it refuses a database that is not migrated to head, production always, and
//!   staging unless asked; a failure rolls everything back;
//! * **fast**: PostgreSQL gets `COPY … FROM STDIN`, SQLite a prepared INSERT, in one
//!   transaction, with rows generated while the previous batch is written; into tables
//!   that hold few rows, keys and indexes are set aside and built once afterwards, as
//!   `chatdb copy` and `pg_restore` load ([`LoadPath`]).

mod bulk;
pub mod cli;
mod error;
mod field;
mod ids;
pub mod ledger;
mod load;
mod plan;
mod report;
mod reset;
mod sizes;
mod sqlite;
mod tables;
mod text;

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use db_config::{AppEnv, DatabaseConfig, SqliteTarget, Target};
use migration::history::{History, State};
use process_io::progress::Progress;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

pub use bulk::LoadPath;
pub use error::SeedError;
pub use report::{Summary, TableReport};
pub use reset::{ResetSummary, reset};
pub use sizes::{Preset, Sizes};

use plan::{Plan, TenantInfo};

/// The seed when none is given.
pub const DEFAULT_SEED: u64 = 42;
/// The password of every seeded user (development data only).
pub const SEEDED_PASSWORD: &str = migration::SAMPLE_PASSWORD;

/// The time seeded data is anchored to when none is given: all generated times lie before
/// it, so a seeding is the same whenever it runs.
pub fn default_anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().unwrap_or_default()
}

/// What to seed.
#[derive(Clone, Debug)]
pub struct SeedOptions {
    /// The preset the sizes came from (recorded in the ledger).
    pub preset: Preset,
    /// Rows per table.
    pub sizes: Sizes,
    /// The seed of every generated value.
    pub seed: u64,
    /// Generated times lie before this.
    pub anchor: DateTime<Utc>,
    /// Seed into this existing tenant instead of creating tenants.
    pub tenant: Option<Uuid>,
    /// Allow seeding a staging database.
    pub allow_staging: bool,
    /// Show progress bars (when stdout is a terminal).
    pub progress: bool,
}

/// What a seeding did.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Rows were written.
    Seeded(Summary),
    /// The same seeding had already run; nothing was written.
    AlreadySeeded(Box<ledger::LedgerEntry>),
}

/// Refuses environments that hold real data (production always, staging unless allowed),
/// and an SQLite file opened read-only, before anything is read.
pub(crate) fn check_environment(
    config: &DatabaseConfig,
    allow_staging: bool,
) -> Result<(), SeedError> {
    if let Target::Sqlite(sqlite) = &config.target
        && sqlite.read_only()
    {
        return Err(SeedError::ReadOnly { origin: sqlite.path.source.to_string() });
    }
    match config.app_env.value {
        AppEnv::Production => Err(SeedError::Production),
        AppEnv::Staging if !allow_staging => Err(SeedError::StagingNeedsFlag),
        _ => Ok(()),
    }
}

/// Refuses a database with pending migrations (one a newer release migrated further is
/// fine: its tables are a superset of what this build writes).
pub(crate) async fn check_migrated<C: ConnectionTrait>(db: &C) -> Result<(), SeedError> {
    let history = History::read(db).await?;
    let pending = history.versions(State::Pending);
    if pending.is_empty() {
        return Ok(());
    }
    Err(SeedError::NotMigrated(pending.join(", ")))
}

/// Seeds the configured database.
pub async fn seed(config: &DatabaseConfig, options: &SeedOptions) -> Result<Outcome, SeedError> {
    let mut options = options.clone();
    if options.tenant.is_some() {
        options.sizes.tenants = 0;
    }
    let options = &options;
    options.sizes.check()?;
    check_environment(config, options.allow_staging)?;
    // One connection is all the checks and PostgreSQL's COPY need (SQLite's rows go through
    // a connection of the seeding's own, `sqlite::Seeding`).
    let db = config.connect_single().await?;
    let txn = config.begin(&db).await?;
    check_migrated(&txn).await?;
    let fingerprint = fingerprint(options);
    if let Some(done) = already_seeded(&txn, &fingerprint).await? {
        return Ok(Outcome::AlreadySeeded(Box::new(done)));
    }
    let existing = match options.tenant {
        Some(id) => Some(existing_tenant(&txn, id).await?),
        None => None,
    };
    config.commit(txn).await?;
    let plan = Arc::new(Plan::new(
        run_seed(options),
        options.anchor,
        options.sizes.clone(),
        existing,
        password_hash(options.seed)?,
    ));
    let started = Instant::now();
    let reports = match &config.target {
        Target::Postgres(_) => {
            seed_postgres(config, &db, &plan, options, &fingerprint, started).await?
        }
        Target::Sqlite(target) => {
            seed_sqlite(target, &plan, options, &fingerprint, started).await?
        }
    };
    match reports {
        Some((reports, path)) => {
            Ok(Outcome::Seeded(Summary::new(reports, path, started.elapsed())))
        }
        // Another seeding of the same data finished while this one waited for the lock.
        None => {
            let txn = config.begin(&db).await?;
            match already_seeded(&txn, &fingerprint).await? {
                Some(done) => Ok(Outcome::AlreadySeeded(Box::new(done))),
                None => Err(SeedError::Busy),
            }
        }
    }
}

/// The ledger entry of seeding `fingerprint`, if it is recorded and its rows still exist.
async fn already_seeded<C: ConnectionTrait>(
    db: &C,
    fingerprint: &str,
) -> Result<Option<ledger::LedgerEntry>, SeedError> {
    let entry = ledger::entries(db).await?.into_iter().find(|e| e.fingerprint == fingerprint);
    match entry {
        Some(entry) if entry.still_there(db).await? => Ok(Some(entry)),
        _ => Ok(None),
    }
}

/// The advisory lock that keeps two seedings of one PostgreSQL database apart.
const SEED_LOCK_KEY: i64 = migration::locks::SEEDERS;

/// The seed of the generated values: the user's seed mixed with everything else that
/// shapes the data, so different seedings never produce the same ids.
fn run_seed(options: &SeedOptions) -> u64 {
    let shape = serde_json::to_string(&options.sizes).unwrap_or_default();
    let mut value = ids::mix(options.seed);
    for byte in shape.bytes().chain(options.anchor.to_rfc3339().bytes()) {
        value = ids::mix(value ^ u64::from(byte));
    }
    if let Some(tenant) = options.tenant {
        // The whole id: tenants that share their low 64 bits are still different seedings.
        let bits = tenant.as_u128();
        value = ids::mix(ids::mix(value ^ (bits >> 64) as u64) ^ bits as u64);
    }
    value
}

fn fingerprint(options: &SeedOptions) -> String {
    format!("{:016x}", run_seed(options))
}

/// The seeded users' password hash, the same for the same seed.
fn password_hash(seed: u64) -> Result<String, SeedError> {
    let salt: Vec<u8> = (0..2u64).flat_map(|i| ids::mix(seed ^ (i + 1)).to_le_bytes()).collect();
    migration::password::hash_with_salt(SEEDED_PASSWORD, &salt)
        .map_err(|e| SeedError::PasswordHash(e.to_string()))
}

async fn existing_tenant<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<TenantInfo, SeedError> {
    let query = Query::select()
        .column(entity::tenants::Column::CreatedAt)
        .from(entity::tenants::Entity)
        .and_where(Expr::col(entity::tenants::Column::Id).eq(id))
        .to_owned();
    let row = db.query_one(&query).await?.ok_or(SeedError::NoSuchTenant(id))?;
    let created_at: DateTime<Utc> = row.try_get("", "created_at")?;
    let domain = format!("tenant-{}.example.com", &id.simple().to_string()[..12]);
    Ok(TenantInfo { id, domain, created_at })
}

fn ledger_entry(
    plan: &Plan,
    options: &SeedOptions,
    fingerprint: &str,
    reports: &[TableReport],
    started: Instant,
) -> ledger::LedgerEntry {
    let created: Vec<String> = if plan.creates_tenants {
        plan.tenants.iter().map(|t| t.id.to_string()).collect()
    } else {
        Vec::new()
    };
    let counts: serde_json::Map<String, serde_json::Value> =
        reports.iter().map(|r| (r.table.to_owned(), r.rows.into())).collect();
    ledger::LedgerEntry {
        fingerprint: fingerprint.to_owned(),
        preset: format!("{:?}", options.preset).to_lowercase(),
        sizes: serde_json::to_string(&plan.sizes).unwrap_or_default(),
        seed: options.seed as i64,
        // Full precision: `--reset` regenerates the ids from it.
        anchor: options.anchor.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        target_tenant: options.tenant.map(|t| t.to_string()),
        created_tenants: serde_json::to_string(&created).unwrap_or_default(),
        row_counts: serde_json::Value::Object(counts).to_string(),
        seeded_at: Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true),
        duration_ms: started.elapsed().as_millis() as i64,
    }
}

/// The seeded tenants, whose tags' usage counts are recounted.
fn seeded_tenants(plan: &Plan) -> Vec<Uuid> {
    plan.tenants.iter().map(|t| t.id).collect()
}

/// What a seeding wrote, and which way; `None` when another seeding did it meanwhile.
type Loaded = Option<(Vec<TableReport>, LoadPath)>;

/// Writes every table of `tables` in order with `write`, a progress bar and a report each.
async fn load_tables(
    tables: &[tables::TableSpec],
    progress: &Progress,
    mut write: impl AsyncFnMut(&tables::TableSpec, &indicatif::ProgressBar) -> Result<u64, SeedError>,
) -> Result<Vec<TableReport>, SeedError> {
    let mut reports = Vec::new();
    for spec in tables {
        let bar = progress.table(spec.name, spec.rows);
        let table_started = Instant::now();
        let rows = write(spec, &bar).await?;
        let report =
            TableReport { table: spec.name, rows, seconds: table_started.elapsed().as_secs_f64() };
        progress.done(&bar, report.table, report.rows, report.seconds);
        reports.push(report);
    }
    Ok(reports)
}

/// What the bulk path sets aside on PostgreSQL.
const POSTGRES_SETS_ASIDE: &str = "keys, indexes and foreign keys";
/// What it sets aside on SQLite, where keys and foreign keys are part of the tables.
const SQLITE_SETS_ASIDE: &str = "indexes";

/// Says which way the rows go (and what was set aside), on the progress lines.
fn announce(progress: &Progress, choice: &bulk::Choice, set_aside: &str) {
    progress.note(&match choice.path {
        LoadPath::Bulk => {
            format!(
                "Loading in bulk: {set_aside} set aside ({} rows there before)",
                choice.existing
            )
        }
        LoadPath::Indexed => format!(
            "Loading through the indexes: the tables already hold {} rows or more",
            choice.existing
        ),
    });
}

/// Says that the rows are in and what was set aside is being built back.
fn building(progress: &Progress, set_aside: &str) {
    progress.note(&format!("Building {set_aside}"));
}

async fn seed_postgres(
    config: &DatabaseConfig,
    db: &DatabaseConnection,
    plan: &Arc<Plan>,
    options: &SeedOptions,
    fingerprint: &str,
    started: Instant,
) -> Result<Loaded, SeedError> {
    let pool = db.get_postgres_connection_pool();
    let mut tx = pool.begin().await?;
    // This transaction is sqlx's own, for COPY: the pooler's rule by hand.
    config.clear_prepared_statements(&mut tx).await?;
    if !claim_postgres(&mut tx, fingerprint).await? {
        return Ok(None);
    }
    // A seeding is one long transaction; the application's statement timeout is not for it.
    sea_orm::sqlx::raw_sql("SET LOCAL statement_timeout = 0").execute(&mut *tx).await?;
    let tables = tables::tables(plan);
    let (choice, restore) = bulk::prepare_postgres(&mut tx, &tables).await?;
    let progress = Progress::new(options.progress);
    announce(&progress, &choice, POSTGRES_SETS_ASIDE);
    let reports = load_tables(&tables, &progress, async |spec, bar| {
        load::copy_table(&mut tx, spec, plan, bar, choice.freezes(spec.name)).await
    })
    .await?;
    if !restore.is_empty() {
        building(&progress, POSTGRES_SETS_ASIDE);
        bulk::restore_postgres(&mut tx, &restore).await?;
    }
    let recount = format!("{} WHERE tenant_id = ANY($1)", migration::RECOUNT_TAG_USAGE);
    sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(recount))
        .bind(seeded_tenants(plan))
        .execute(&mut *tx)
        .await?;
    ledger::record_postgres(&mut tx, &ledger_entry(plan, options, fingerprint, &reports, started))
        .await?;
    config.clear_prepared_statements(&mut tx).await?;
    tx.commit().await?;
    Ok(Some((reports, choice.path)))
}

/// Takes the seeding lock (announced when another seeding holds it), creates the ledger if
/// needed, and says whether this seeding may go ahead: not when another one recorded it
/// meanwhile. A recorded seeding whose rows are gone is forgotten. On the sqlx connection
/// COPY needs; [`sqlite::Seeding::claim`] is SQLite's.
async fn claim_postgres(
    tx: &mut sea_orm::sqlx::PgConnection,
    fingerprint: &str,
) -> Result<bool, SeedError> {
    use sea_orm::sqlx;
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(SEED_LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    if !free {
        tracing::warn!("Waiting for another seeding of this database to finish");
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SEED_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(ledger::create())).execute(&mut *tx).await?;
    let find = format!(
        "SELECT created_tenants, target_tenant FROM {} WHERE fingerprint = $1",
        ledger::LEDGER_TABLE
    );
    let row: Option<(String, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(find))
        .bind(fingerprint)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((created_tenants, target_tenant)) = row else { return Ok(true) };
    let entry = ledger::LedgerEntry::identifying(fingerprint, created_tenants, target_tenant);
    let ids = entry.tenants()?;
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_one(&mut *tx)
        .await?;
    if !ids.is_empty() && found == ids.len() as i64 {
        return Ok(false);
    }
    let forget = format!("DELETE FROM {} WHERE fingerprint = $1", ledger::LEDGER_TABLE);
    sqlx::query(sqlx::AssertSqlSafe(forget)).bind(fingerprint).execute(&mut *tx).await?;
    Ok(true)
}

async fn seed_sqlite(
    target: &SqliteTarget,
    plan: &Arc<Plan>,
    options: &SeedOptions,
    fingerprint: &str,
    started: Instant,
) -> Result<Loaded, SeedError> {
    let seeding = sqlite::Seeding::begin(target).await?;
    if !seeding.claim(fingerprint).await? {
        return Ok(None);
    }
    let tables = tables::tables(plan);
    let (choice, restore) = bulk::prepare_sqlite(&seeding, &tables).await?;
    let progress = Progress::new(options.progress);
    announce(&progress, &choice, SQLITE_SETS_ASIDE);
    let reports = load_tables(&tables, &progress, async |spec, bar| {
        load::insert_table(&seeding, spec, plan, bar).await
    })
    .await?;
    if !restore.is_empty() {
        building(&progress, SQLITE_SETS_ASIDE);
        seeding.execute_all(restore).await?;
    }
    let entry = ledger_entry(plan, options, fingerprint, &reports, started);
    seeding.finish(seeded_tenants(plan), entry).await?;
    Ok(Some((reports, choice.path)))
}
