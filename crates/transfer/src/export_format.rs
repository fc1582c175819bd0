//! The layout of an export directory: one JSON-lines file per table and `manifest.json`,
//! written by `chatdb export`, read by `chatdb import`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::TransferError;

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The version of the layout this build writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// What an export holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout's version.
    pub format: u32,
    /// The migrations applied to the exported database, oldest first.
    pub migrations: Vec<String>,
    /// The exported database, described (no password).
    pub source: String,
    /// When the export was taken (RFC 3339).
    pub exported_at: String,
    /// The tenants exported (empty: everything).
    pub tenants: Vec<Uuid>,
    /// Every table's file.
    pub tables: Vec<TableFile>,
}

/// One table of an export.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TableFile {
    /// The table.
    pub table: String,
    /// Its file, relative to the export's directory.
    pub file: String,
    /// Rows in it.
    pub rows: u64,
    /// The digest of those rows (as `chatdb copy` computes it).
    pub hash: String,
}

/// An error about the export's file `path`.
pub(crate) fn file_error(path: &Path, problem: impl std::fmt::Display) -> TransferError {
    TransferError::File { path: path.display().to_string(), problem: problem.to_string() }
}
