//! `chatdb copy`: the whole database or some tenants, from one database to another, in
//! one transaction on the target, verified before it commits.

use std::time::Instant;

use config::DatabaseConfig;
use serde::Serialize;
use uuid::Uuid;

use crate::TransferError;
use crate::conn::{Conn, Side};
use crate::load::{Origin, load_and_verify};
use crate::moving::remove_from_source;
use crate::tables::{self, TableSpec};
use crate::verify::same_rows;
use crate::versions;

/// What to copy and how.
#[derive(Clone, Debug, Default)]
pub struct CopyOptions {
    /// Copy only these tenants, with everything that belongs to them (all when empty).
    pub tenants: Vec<Uuid>,
    /// Delete what the target holds of the copied scope first.
    pub replace: bool,
    /// Allow `replace` where the data is real (staging, production).
    pub force: bool,
    /// Skip the backup `replace` takes first.
    pub no_backup: bool,
    /// Migrate the target to the source's version first.
    pub migrate_target: bool,
    /// Delete the tenants from the source once the target has committed them.
    pub move_tenants: bool,
    /// Show progress on stderr.
    pub progress: bool,
}

/// One table of a copy.
#[derive(Clone, Debug, Serialize)]
pub struct TableReport {
    /// The table.
    pub table: &'static str,
    /// Rows copied.
    pub rows: u64,
    /// Digest of the rows read from the source.
    pub source_hash: String,
    /// Digest of the rows read back from the target.
    pub target_hash: String,
    /// Whether they agree (always, in a report that is returned).
    pub ok: bool,
}

/// What a copy did.
#[derive(Clone, Debug, Serialize)]
pub struct CopyReport {
    /// The source, described.
    pub source: String,
    /// The target, described.
    pub target: String,
    /// The tenants copied (empty: everything).
    pub tenants: Vec<Uuid>,
    /// What the target held that the copy replaced, if anything.
    pub replaced: Option<String>,
    /// The backup taken before replacing, if any.
    pub backup: Option<String>,
    /// Whether the target's tables were loaded bare and indexed afterwards.
    pub bare_load: bool,
    /// Whether a previous run had already copied the tenants (a `--move` finishing).
    pub already_copied: bool,
    /// Whether the tenants were deleted from the source.
    pub moved: bool,
    /// Every table, verified.
    pub tables: Vec<TableReport>,
    /// Rows copied in all.
    pub rows: u64,
    /// Seconds from start to commit.
    pub seconds: f64,
    /// Rows per second.
    pub rows_per_second: f64,
}

impl CopyReport {
    pub(crate) fn new(source: &str, target: &str, tenants: &[Uuid]) -> Self {
        Self {
            source: source.to_owned(),
            target: target.to_owned(),
            tenants: tenants.to_vec(),
            replaced: None,
            backup: None,
            bare_load: false,
            already_copied: false,
            moved: false,
            tables: Vec::new(),
            rows: 0,
            seconds: 0.0,
            rows_per_second: 0.0,
        }
    }
}

/// What the target holds of the rows a copy would bring.
pub(crate) enum Occupancy {
    Empty,
    /// Only the rows the migrations inserted (V1's admin, V3's samples).
    MigrationsOwn(String),
    Data(String),
}

/// Copies from `source` into `target` (see the crate's documentation).
pub async fn copy(
    source_config: &DatabaseConfig,
    target_config: &DatabaseConfig,
    options: &CopyOptions,
) -> Result<CopyReport, TransferError> {
    let started = Instant::now();
    if options.move_tenants && options.tenants.is_empty() {
        return Err(TransferError::Usage {
            flag: "--move",
            problem: "moves tenants: name them with --tenant ID".to_owned(),
        });
    }
    let source = Side::open(source_config, "--from", false).await?;
    let target = Side::open(target_config, "--to", options.migrate_target).await?;
    if source.same_database(&target) {
        return Err(TransferError::Usage {
            flag: "--to",
            problem: format!("{} is also the source; name another database", target.name),
        });
    }
    let applied = versions::applied_to(&source).await?;
    versions::check(&applied, &source.name, &target, options.migrate_target).await?;
    let tenants = (!options.tenants.is_empty()).then(|| options.tenants.clone());
    let scope = tenants.as_deref();

    let mut dst = target.conn().await?;
    let tables = tables::parents_first(tables::all()?, &dst.references().await?);
    let mut src = source.conn().await?;
    src.begin(false).await?;
    let expected = source_checks(&mut src, &tables, scope).await?;

    dst.begin(false).await?;
    let occupancy = occupancy(&mut dst, &tables, scope).await?;
    let mut report = CopyReport::new(&source.name, &target.name, &options.tenants);
    if let (Occupancy::Data(_), true) = (&occupancy, options.move_tenants && !options.replace) {
        // A move that stopped after the target committed: finish it if the copy is whole.
        if let Some(copied) = same_rows(&mut src, &mut dst, &tables, scope).await? {
            dst.end(false).await?;
            src.end(false).await?;
            drop((src, dst));
            report.already_copied = true;
            report.tables = copied;
            remove_from_source(&source, &tables, scope, &report.tables).await?;
            report.moved = true;
            report.seconds = started.elapsed().as_secs_f64();
            return Ok(report);
        }
    }
    dst.end(false).await?;
    let plan = Scope { tables: &tables, tenants: scope, expected: &expected };
    let origin = Origin::Database(src);
    let mut report = deliver(&target, dst, origin, &plan, &occupancy, options, report).await?;
    report.seconds = started.elapsed().as_secs_f64();
    report.rows_per_second = report.rows as f64 / report.seconds.max(1e-9);
    if options.move_tenants {
        remove_from_source(&source, &tables, scope, &report.tables).await?;
        report.moved = true;
    }
    Ok(report)
}

/// What a copy brings: its tables (parents first), the tenants (all when `None`), and the
/// rows expected of each table.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) tables: &'a [TableSpec],
    pub(crate) tenants: Option<&'a [Uuid]>,
    pub(crate) expected: &'a [u64],
}

/// Into the target, in one transaction: refuses or replaces what it holds of the scope,
/// loads every table from `origin`, verifies, commits. Fills in `report`.
pub(crate) async fn deliver(
    target: &Side,
    mut dst: Conn,
    origin: Origin,
    scope: &Scope<'_>,
    occupancy: &Occupancy,
    options: &CopyOptions,
    mut report: CopyReport,
) -> Result<CopyReport, TransferError> {
    let started = Instant::now();
    let Scope { tables, tenants: scope, expected } = *scope;
    match occupancy {
        Occupancy::Data(holds) if !options.replace => {
            return Err(TransferError::TargetNotEmpty {
                target: target.name.clone(),
                holds: holds.clone(),
                what: if scope.is_some() {
                    "those tenants' rows"
                } else {
                    "every row of its tables"
                },
            });
        }
        Occupancy::Data(holds) => {
            drop(dst); // the guard and the backup need the target's only connection
            report.backup = guard_and_back_up(target, options, holds).await?;
            report.replaced = Some(holds.clone());
            dst = target.conn().await?;
        }
        Occupancy::MigrationsOwn(holds) => {
            tracing::info!(
                "The target holds only the migrations' own rows ({holds}); the copy replaces them"
            );
            report.replaced = Some(format!("the migrations' own rows: {holds}"));
        }
        Occupancy::Empty => {}
    }

    dst.begin(true).await?;
    let (origin_back, outcome) =
        load_and_verify(origin, &mut dst, tables, scope, expected, options, &mut report).await;
    if let Some(Origin::Database(mut src)) = origin_back {
        let _ = src.end(false).await;
    }
    if let Err(e) = outcome {
        let _ = dst.end(false).await;
        return Err(e);
    }
    dst.end(true).await?;
    report.rows = report.tables.iter().map(|t| t.rows).sum();
    report.seconds = started.elapsed().as_secs_f64();
    report.rows_per_second = report.rows as f64 / report.seconds.max(1e-9);
    Ok(report)
}

/// The tenants named exist in the source; returns each table's row count, for progress.
/// (References that point nowhere are found in the target, before it commits.)
pub(crate) async fn source_checks(
    src: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<Vec<u64>, TransferError> {
    let tenants_table = tenants_table(tables)?;
    for tenant in scope.unwrap_or_default() {
        if src.count(tenants_table, Some(std::slice::from_ref(tenant))).await? == 0 {
            return Err(TransferError::NoSuchTenant {
                tenant: *tenant,
                source_db: src.name.clone(),
            });
        }
    }
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        counts.push(src.count(table, scope).await?);
    }
    Ok(counts)
}

pub(crate) fn tenants_table(tables: &[TableSpec]) -> Result<&TableSpec, TransferError> {
    use sea_orm::EntityName;
    let name = entity::tenants::Entity.table_name();
    tables.iter().find(|t| t.name == name).ok_or(TransferError::UnsupportedColumn {
        table: "tenants",
        column: "id",
        column_type: "missing".to_owned(),
    })
}

/// What the target already holds of what the copy brings.
pub(crate) async fn occupancy(
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<Occupancy, TransferError> {
    let mut held = Vec::new();
    for table in tables {
        let rows = dst.count(table, scope).await?;
        if rows > 0 {
            held.push(format!("{}: {rows} rows", table.name));
        }
    }
    if held.is_empty() {
        return Ok(Occupancy::Empty);
    }
    let holds = held.join(", ");
    if scope.is_some() {
        return Ok(Occupancy::Data(holds));
    }
    let own = migration::seeded_ids::migrations_own_tenants();
    let own: Vec<String> = own.iter().map(dst.uuid_literal()).collect();
    for table in tables {
        let Some(column) = table.tenant else { continue };
        let others = format!(" WHERE {column} IS NULL OR {column} NOT IN ({})", own.join(", "));
        if dst.count_where(table, &others).await? > 0 {
            return Ok(Occupancy::Data(holds));
        }
    }
    Ok(Occupancy::MigrationsOwn(holds))
}

/// Refuses `--replace` where the data is real unless forced; backs the target up unless
/// told not to.
async fn guard_and_back_up(
    target: &Side,
    options: &CopyOptions,
    holds: &str,
) -> Result<Option<String>, TransferError> {
    if !options.force {
        let txn = target.config.begin(&target.db).await.map_err(|e| TransferError::Database {
            database: target.name.clone(),
            doing: "reading its stored environment".to_owned(),
            message: target.config.describe_error(&e),
        })?;
        let loses = format!("delete what the target holds ({holds}) and replace it with the copy");
        let refused =
            migration::guard::refuse_unless_forced("copy --replace", &target.config, &txn, loses)
                .await;
        let _ = txn.rollback().await;
        refused?;
    }
    if options.no_backup {
        return Ok(None);
    }
    let backup = migration::backup::backup(&target.config, &target.db, None).await?;
    tracing::info!("Backed up the target to {backup}");
    Ok(Some(backup.path.display().to_string()))
}
