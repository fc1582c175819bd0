//! `chatdb copy`: the whole database or some tenants, from one database to another, in
//! one transaction on the target, verified before it commits.

use std::sync::Arc;
use std::time::Instant;

use config::DatabaseConfig;
use serde::Serialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::conn::{Conn, Side};
use crate::tables::{self, TableSpec};
use crate::value::Digest;
use crate::versions;
use crate::{Feed, IN_FLIGHT, Sink, TransferError};
use config::progress::Progress;

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

fn tenants_table(tables: &[TableSpec]) -> Result<&TableSpec, TransferError> {
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
            message: target.config.scrub(&e.to_string()),
        })?;
        let loses = format!("delete what the target holds ({holds}) and replace it with the copy");
        let refused = migration::cli::guard::refuse_unless_forced(
            "copy --replace",
            &target.config,
            &txn,
            loses,
        )
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

/// Where rows come from: a database (its connection, in one snapshot) or an export.
pub(crate) enum Origin {
    Database(Conn),
    Files(crate::files::ExportDir),
}

/// The origin back (when the reader gave it back) and how the load went.
type Loaded = (Option<Origin>, Result<(), TransferError>);

/// Inside the target's transaction: clears the scope, loads every table while the source
/// is read, builds back what was set aside, checks references, and compares digests.
/// Gives the source connection back (still in its snapshot) when the reader finished.
async fn load_and_verify(
    source: Origin,
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    expected: &[u64],
    options: &CopyOptions,
    report: &mut CopyReport,
) -> Loaded {
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    if let Err(e) = clear(dst, tables, scope).await {
        return (Some(source), Err(e));
    }
    let bare = scope.is_none();
    report.bare_load = bare;
    let restore = match dst.set_aside(&names, bare).await {
        Ok(restore) => restore,
        Err(e) => return (Some(source), Err(e)),
    };

    let progress = Progress::new(options.progress);
    let (sender, mut receiver) = mpsc::channel::<Feed>(IN_FLIGHT);
    let shared: Arc<Vec<TableSpec>> = Arc::new(tables.to_vec());
    let scope_owned: Option<Vec<Uuid>> = scope.map(<[Uuid]>::to_vec);
    let reader = tokio::spawn(read_all(source, Arc::clone(&shared), scope_owned, sender));
    let mut source_digests = Vec::with_capacity(tables.len());
    let mut written_rows = Vec::with_capacity(tables.len());
    for (table, &rows) in tables.iter().zip(expected) {
        let bar = progress.table(table.name, rows);
        let started = Instant::now();
        match dst.write_table(table, bare, &mut receiver, &bar).await {
            Ok((written, Some(digest))) => {
                progress.done(&bar, table.name, written, started.elapsed().as_secs_f64());
                source_digests.push(digest);
                written_rows.push(written);
            }
            Ok((_, None)) => {
                // The reader stopped: its error is the one to report.
                return match reader.await {
                    Ok(Err((back, e))) => (back, Err(e)),
                    Ok(Ok(back)) => (Some(back), Err(TransferError::WriterStopped)),
                    Err(join) => (None, Err(reader_died(report, join))),
                };
            }
            Err(e) => {
                drop(receiver);
                let back = match reader.await {
                    Ok(Ok(back)) | Ok(Err((Some(back), _))) => Some(back),
                    _ => None,
                };
                return (back, Err(e));
            }
        }
    }
    drop(receiver);
    let mut source = match reader.await {
        Ok(Ok(conn)) => conn,
        Ok(Err((back, e))) => return (back, Err(e)),
        Err(join) => return (None, Err(reader_died(report, join))),
    };
    progress.note(if bare {
        "Building keys, indexes and foreign keys, then verifying"
    } else {
        "Verifying"
    });
    let checked = async {
        dst.execute_all("building keys, indexes and foreign keys again (a failure here is a reference the source breaks)", &restore).await?;
        if let Some((table, key, parent)) = dst.first_orphan(tables).await? {
            let detail = format!("({key}) references {parent}");
            return Err(TransferError::Orphan { table, detail });
        }
        verify(&mut source, dst, tables, scope, &source_digests, report).await
    }
    .await;
    (Some(source), checked)
}

fn reader_died(report: &CopyReport, join: tokio::task::JoinError) -> TransferError {
    TransferError::Database {
        database: report.source.clone(),
        doing: "reading".to_owned(),
        message: join.to_string(),
    }
}

/// Empties the copy's scope in the target: every table for a whole copy, those tenants'
/// rows (children first) for a tenant copy.
async fn clear(
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<(), TransferError> {
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    let statements: Vec<String> = match scope {
        None if dst.is_postgres() => vec![format!("TRUNCATE {}", names.join(", "))],
        _ => tables
            .iter()
            .rev()
            .map(|t| {
                format!("DELETE FROM {}{}", t.name, t.tenant_filter(scope, dst.uuid_literal()))
            })
            .collect(),
    };
    dst.execute_all("emptying the target's tables", &statements).await
}

/// Reads every table in order into the writer's feed; gives the origin back.
async fn read_all(
    mut src: Origin,
    tables: Arc<Vec<TableSpec>>,
    scope: Option<Vec<Uuid>>,
    sender: mpsc::Sender<Feed>,
) -> Result<Origin, (Option<Origin>, TransferError)> {
    for table in tables.iter() {
        let read = match &mut src {
            Origin::Database(conn) => {
                conn.read_table(table, scope.as_deref(), Sink::Feed(&sender)).await
            }
            Origin::Files(dir) => dir.read_table(table, &sender).await,
        };
        let digest = match read {
            Ok(digest) => digest,
            Err(e) => return Err((Some(src), e)),
        };
        if sender.send(Feed::End(digest)).await.is_err() {
            return Err((Some(src), TransferError::WriterStopped));
        }
    }
    Ok(src)
}

/// Reads the target back table by table and compares with what was read from the source.
async fn verify(
    src: &mut Origin,
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    source_digests: &[Digest],
    report: &mut CopyReport,
) -> Result<(), TransferError> {
    for (table, source_digest) in tables.iter().zip(source_digests) {
        let target_digest = dst.read_table(table, scope, Sink::Digest).await?;
        if target_digest != *source_digest {
            let first = match src {
                Origin::Database(src) => first_difference(src, dst, table, scope).await,
                Origin::Files(_) => None,
            };
            return Err(mismatch(table, source_digest, &target_digest, first));
        }
        report.tables.push(table_report(table, source_digest, &target_digest));
    }
    Ok(())
}

fn table_report(table: &TableSpec, source: &Digest, target: &Digest) -> TableReport {
    TableReport {
        table: table.name,
        rows: target.rows,
        source_hash: source.hex(),
        target_hash: target.hex(),
        ok: source == target,
    }
}

fn mismatch(
    table: &TableSpec,
    source: &Digest,
    target: &Digest,
    first: Option<String>,
) -> TransferError {
    TransferError::Mismatch {
        table: table.name,
        source_rows: source.rows,
        source_hash: source.hex(),
        target_rows: target.rows,
        target_hash: target.hex(),
        first: first.map(|key| format!("; first difference at {key}")).unwrap_or_default(),
    }
}

/// The key of the first row (in key order) that differs between the two sides.
async fn first_difference(
    src: &mut Conn,
    dst: &mut Conn,
    table: &TableSpec,
    scope: Option<&[Uuid]>,
) -> Option<String> {
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    src.read_table(table, scope, Sink::Keys(&mut ours)).await.ok()?;
    dst.read_table(table, scope, Sink::Keys(&mut theirs)).await.ok()?;
    ours.sort_unstable();
    theirs.sort_unstable();
    let (mut a, mut b) = (ours.iter().peekable(), theirs.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (Some(x), Some(y)) => return Some(if x.0 <= y.0 { x.0.clone() } else { y.0.clone() }),
            (Some(x), None) => return Some(format!("{} (missing from the target)", x.0)),
            (None, Some(y)) => return Some(format!("{} (not in the source)", y.0)),
            (None, None) => return None,
        }
    }
}

/// When the target holds exactly the rows the source has for `scope`: their reports.
async fn same_rows(
    src: &mut Conn,
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<Option<Vec<TableReport>>, TransferError> {
    let mut reports = Vec::new();
    for table in tables {
        let ours = src.read_table(table, scope, Sink::Digest).await?;
        let theirs = dst.read_table(table, scope, Sink::Digest).await?;
        if ours != theirs {
            return Ok(None);
        }
        reports.push(table_report(table, &ours, &theirs));
    }
    Ok(Some(reports))
}

/// `--move`: deletes the tenants from the source in a transaction of its own, after
/// checking (under a lock on the tenants' rows) that the source still holds exactly what
/// was copied — a write since would otherwise be lost.
async fn remove_from_source(
    source: &Side,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    copied: &[TableReport],
) -> Result<(), TransferError> {
    let mut src = source.conn().await?;
    src.begin(true).await?;
    let result = async {
        let tenants_table = tenants_table(tables)?;
        if src.is_postgres() {
            let lock = format!(
                "SELECT 1 FROM {}{} FOR UPDATE",
                tenants_table.name,
                tenants_table.tenant_filter(scope, src.uuid_literal())
            );
            src.execute_all("locking the moved tenants", &[lock]).await?;
        }
        for (table, copied) in tables.iter().zip(copied) {
            let now = src.read_table(table, scope, Sink::Digest).await?;
            if now.hex() != copied.source_hash || now.rows != copied.rows {
                return Err(TransferError::SourceChanged { table: table.name });
            }
        }
        let deletes: Vec<String> = tables
            .iter()
            .rev()
            .map(|t| {
                format!("DELETE FROM {}{}", t.name, t.tenant_filter(scope, src.uuid_literal()))
            })
            .collect();
        src.execute_all("deleting the moved tenants from the source", &deletes).await
    }
    .await;
    match result {
        Ok(()) => src.end(true).await,
        Err(e) => {
            let _ = src.end(false).await;
            Err(e)
        }
    }
}
