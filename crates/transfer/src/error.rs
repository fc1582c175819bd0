//! Why a copy, export or import did not happen. The target is unchanged whenever one of
//! these is returned: every write is inside one transaction that was rolled back.

use db_config::ConfigError;

/// Why a copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// A configuration (or a `--from`/`--to` URL) is wrong, or a database unreachable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A flag has an unusable value.
    #[error("{flag}: {problem}")]
    Usage {
        /// The flag.
        flag: &'static str,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// The two databases are not migrated to the same version.
    #[error(
        "the databases are at different versions: the source ({source_db}) is at {source_version}, \
         the target ({target_db}) at {target_version}; {fix}"
    )]
    Versions {
        /// The source database, described.
        source_db: String,
        /// Its newest applied migration.
        source_version: String,
        /// The target database, described.
        target_db: String,
        /// Its newest applied migration.
        target_version: String,
        /// What would fix it.
        fix: String,
    },
    /// A migrate step (`--migrate-target`, the `--replace` guard) failed or refused.
    #[error(transparent)]
    Migrate(#[from] migration::MigrateError),
    /// The target already holds rows the copy would bring.
    #[error(
        "the target ({target}) is not empty: {holds}; nothing was written. Copy into an \
         empty, migrated database, or pass --replace to delete {what} first"
    )]
    TargetNotEmpty {
        /// The target database, described.
        target: String,
        /// What it holds, e.g. `tenants: 12 rows, users: 40 rows`.
        holds: String,
        /// What `--replace` would delete.
        what: &'static str,
    },
    /// A `--tenant` is not in the source.
    #[error(
        "--tenant {tenant}: no such tenant in the source ({source_db}); `chatdb tenants` lists them"
    )]
    NoSuchTenant {
        /// The tenant.
        tenant: uuid::Uuid,
        /// The source, described.
        source_db: String,
    },
    /// A source row cannot be copied as it is.
    #[error(
        "{table} ({key}), column {column}: {problem}; nothing was written. Fix that row in the \
         source and copy again"
    )]
    BadValue {
        /// The table.
        table: &'static str,
        /// The row's key.
        key: String,
        /// The column.
        column: &'static str,
        /// What is wrong with the value.
        problem: String,
    },
    /// Source rows reference rows that do not exist (foreign keys were off when written).
    #[error(
        "{table}: {detail}: a reference to a row that does not exist (was the source written \
         with foreign keys off?); nothing was written. Delete or fix the row in the source and \
         copy again"
    )]
    Orphan {
        /// The table of the row that refers.
        table: String,
        /// Which row, and what it refers to.
        detail: String,
    },
    /// The target's constraints or checks refused a row (a unique key taken by another
    /// tenant's row, a tenancy guard, a CHECK the source did not have).
    #[error(
        "{database} refused a row while {doing}: {message}; nothing was written. Fix the row in \
         the source (or the conflicting row in the target) and copy again"
    )]
    Rejected {
        /// The database that refused, described.
        database: String,
        /// What was being done.
        doing: String,
        /// What it said, with the key it named where it named one.
        message: String,
    },
    /// What arrived differs from what was read; the target was rolled back.
    #[error(
        "verification failed for {table}: source {source_rows} rows ({source_hash}), target \
         {target_rows} rows ({target_hash}){first}; the target was rolled back, nothing was written"
    )]
    Mismatch {
        /// The table.
        table: &'static str,
        /// Rows read from the source.
        source_rows: u64,
        /// Their digest.
        source_hash: String,
        /// Rows found in the target.
        target_rows: u64,
        /// Their digest.
        target_hash: String,
        /// `; first difference at id=…` when it could be found.
        first: String,
    },
    /// The database failed; the target's transaction was rolled back.
    #[error(
        "{database} failed while {doing}: {message}; the target was rolled back, nothing was written"
    )]
    Database {
        /// Which database, described.
        database: String,
        /// What was being done.
        doing: String,
        /// What the database said (scrubbed of passwords).
        message: String,
    },
    /// `--move`: the application wrote to the moved tenants in the source during the move.
    #[error(
        "--move: the moved tenants were written to in {source_db} while they were being moved \
         ({message}), so the move stopped: nothing was copied into the target or deleted from \
         the source; run it again when they are quiet"
    )]
    WrittenDuringMove {
        /// The source, described.
        source_db: String,
        /// What the source said.
        message: String,
    },
    /// `--move`: the target committed the tenants, the source then failed to delete them.
    #[error(
        "--move: the tenants are copied and committed in the target, but {source_db} failed while \
         deleting them: {message}; run the same move again: finding the target holding exactly \
         their rows, it deletes them from the source"
    )]
    MoveUnfinished {
        /// The source, described.
        source_db: String,
        /// What the source said.
        message: String,
    },
    /// The writer stopped taking rows (its own error is the one reported).
    #[error("the target stopped taking rows")]
    WriterStopped,
    /// A file of an export could not be read or written.
    #[error("{path}: {problem}")]
    File {
        /// The file.
        path: String,
        /// What went wrong and what would fix it.
        problem: String,
    },
    /// An entity column has a type the copy does not know (a bug of this build).
    #[error("{table}.{column} has type {column_type}, which the copy cannot carry")]
    UnsupportedColumn {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// Its type.
        column_type: String,
    },
}

impl TransferError {
    /// 2 for what the operator can fix by changing the command or its input, 1 for
    /// failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(e) if e.is_configuration() => 2,
            Self::Migrate(e) => e.exit_code(),
            Self::Usage { .. }
            | Self::Versions { .. }
            | Self::TargetNotEmpty { .. }
            | Self::NoSuchTenant { .. }
            | Self::BadValue { .. }
            | Self::Orphan { .. }
            | Self::Rejected { .. }
            | Self::File { .. } => 2,
            _ => 1,
        }
    }
}

/// A driver error while `doing` something on `database`, as the operator should read it.
pub(crate) fn database_error(
    database: &str,
    doing: &str,
    e: sea_orm::sqlx::Error,
) -> TransferError {
    use sea_orm::sqlx::postgres::PgDatabaseError;
    const FOREIGN_KEY_VIOLATION: &str = "23503";
    /// Only a move's repeatable-read delete meets one: a row written since its snapshot.
    const SERIALIZATION_FAILURE: &str = "40001";
    /// SQLSTATE class 23: unique, check, not-null, exclusion violations.
    const INTEGRITY_CONSTRAINT_VIOLATION: &str = "23";
    let postgres = e.as_database_error().and_then(|d| d.try_downcast_ref::<PgDatabaseError>());
    if let Some(pg) = postgres.filter(|pg| pg.code() == FOREIGN_KEY_VIOLATION) {
        // Re-adding a foreign key found a row the source let in without its parent.
        return TransferError::Orphan {
            table: pg.table().unwrap_or("a table").to_owned(),
            detail: pg.detail().unwrap_or(pg.message()).trim_end_matches('.').to_owned(),
        };
    }
    if let Some(pg) = postgres.filter(|pg| pg.code() == SERIALIZATION_FAILURE) {
        return TransferError::WrittenDuringMove {
            source_db: database.to_owned(),
            message: pg.message().to_owned(),
        };
    }
    if let Some(pg) = postgres.filter(|pg| pg.code().starts_with(INTEGRITY_CONSTRAINT_VIOLATION)) {
        let detail =
            pg.detail().map(|d| format!(" ({})", d.trim_end_matches('.'))).unwrap_or_default();
        return TransferError::Rejected {
            database: database.to_owned(),
            doing: doing.to_owned(),
            message: format!("{}{detail}", pg.message()),
        };
    }
    TransferError::Database {
        database: database.to_owned(),
        doing: doing.to_owned(),
        message: process_io::tidy(&e.to_string()),
    }
}
