//! Verified copies of the platform's data between two databases that carry its schema:
//! SQLite → PostgreSQL (going to production), PostgreSQL → SQLite (a tenant pulled into a
//! local file to debug), PostgreSQL → PostgreSQL (a tenant moved to another server), and
//! through files (`export`/`import`) when the two cannot see each other.
//!
//! A copy is one transaction on the target. Rows stream from the source (one snapshot)
//! while the target writes them; every table's rows are digested on both sides (row
//! count plus an order-independent hash of the normalised values, see [`value`]) and the
//! target is read back and compared before it commits. Into an empty PostgreSQL target
//! the tables are loaded bare and their keys, indexes and foreign keys built afterwards
//! in the same transaction, as `pg_restore` does.

// Layers, each using only those above it: value, time, tables (what rows are);
// stream, report, export_format (shared types); conn and its backends (one database);
// origin (where rows come from), moving (a move's source side); verify, load, deliver
// (into the target); copy, files (the entry points).
mod conn;
mod copy;
mod deliver;
mod error;
mod export_format;
mod files;
mod load;
mod moving;
mod origin;
mod pg_binary;
mod postgres;
mod report;
mod sqlite;
mod stream;
pub mod tables;
pub mod time;
pub mod value;
mod verify;
mod versions;

pub use copy::copy;
pub use error::TransferError;
pub use export_format::{MANIFEST, Manifest, TableFile};
pub use files::{export, import};
pub use report::{CopyOptions, CopyReport, TableReport};
