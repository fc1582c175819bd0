//! The schema as it is, as it should be, and as the entities expect it: `migrate validate`
//! and `migrate schema dump`.
//!
//! The committed snapshots (`migration/schema/*.sql`) are built into the binary, so a
//! release can check a production database against the schema it was built with.

mod diff;
mod dump;
mod entities;

pub use diff::{Difference, differences};
pub use dump::{BOOKKEEPING_TABLES, SEED_LEDGER_TABLE, SchemaDump};
pub use entities::{Mismatch, check_entities};

use sea_orm_migration::sea_orm::DbBackend;

/// The committed snapshot of the schema at head for `backend`.
pub fn snapshot(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Sqlite => include_str!("../../schema/sqlite.sql"),
        _ => include_str!("../../schema/postgres.sql"),
    }
}

/// Where the snapshot of `backend` lives in the repository.
pub fn snapshot_file(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Sqlite => "migration/schema/sqlite.sql",
        _ => "migration/schema/postgres.sql",
    }
}
