//! What a copy is asked to do and what it reports: the types every part of the crate
//! shares.

use serde::Serialize;
use uuid::Uuid;

use crate::tables::TableSpec;

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
    /// `--move`: seconds the moved tenants' rows were locked in the source (from the lock
    /// on their tenant rows, through the check and the delete, to the commit).
    pub source_locked_seconds: f64,
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
            source_locked_seconds: 0.0,
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

/// What a copy brings: its tables (parents first), the tenants (all when `None`), and the
/// rows expected of each table.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) tables: &'a [TableSpec],
    pub(crate) tenants: Option<&'a [Uuid]>,
    pub(crate) expected: &'a [u64],
}
