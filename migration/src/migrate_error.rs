//! Why a migration command failed. Messages name what refused or failed and what would fix
//! it; none contains a password (database messages are scrubbed before they get here).

use db_config::ConfigError;

/// Why a migration command failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// `migrate new` cannot write the migration.
    #[error("migrate new: {problem}")]
    Authoring {
        /// What is wrong, and the fix.
        problem: String,
    },
    /// The configuration is wrong or the database unreachable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A destructive command where data is real, without `--force`.
    #[error(
        "refusing `{command}`: {reason}. It would {loses}. Pass --force if that is really what you want"
    )]
    Refused {
        /// The command.
        command: &'static str,
        /// What refused: `APP_ENV`, or the environment stored in the database.
        reason: String,
        /// What would be lost.
        loses: String,
    },
    /// `up` from a development shell against a database that belongs to staging/production.
    #[error(
        "refusing `up`: the database belongs to {stored} (stored in chatdb_metadata) but APP_ENV={app_env}; \
         is this shell pointed at the wrong database? Set APP_ENV={stored}, or pass --force"
    )]
    WrongEnvironment {
        /// The environment stored in the database.
        stored: String,
        /// `APP_ENV`.
        app_env: db_config::AppEnv,
    },
    /// A migration failed; its transaction was rolled back.
    #[error("{migration} failed and was rolled back, the database is as before it: {message}")]
    Failed {
        /// The migration.
        migration: String,
        /// What the database said.
        message: String,
    },
    /// Another migrator held the lock for longer than `--lock-timeout`.
    #[error(
        "another migrator held the migration lock for more than {seconds}s ({what}); nothing was changed. \
         Wait for it to finish and run again, or raise --lock-timeout"
    )]
    LockTimeout {
        /// How long this one waited.
        seconds: u64,
        /// Which lock.
        what: &'static str,
    },
    /// The database has migrations applied that this build does not have.
    #[error(
        "the database has migrations this build does not know: {versions}; it was migrated by a newer release. \
         Run `{command}` with that release (read-only commands such as `status` still work here)"
    )]
    UnknownApplied {
        /// The command refused.
        command: &'static str,
        /// The unknown versions.
        versions: String,
    },
    /// `--to` names no migration of this build.
    #[error(
        "--to {version} names no migration of this build; `status` lists them (or use 0 for an empty database)"
    )]
    UnknownTarget {
        /// The value given.
        version: String,
    },
    /// `status --exit-code` with migrations pending.
    #[error("{count} migration(s) pending: {versions}; apply them with `up`")]
    Pending {
        /// How many.
        count: usize,
        /// Which.
        versions: String,
    },
    /// `validate` found the database different from the snapshot or the entities.
    #[error(
        "the schema has drifted: {differences} difference(s) from the snapshot, {mismatches} entity mismatch(es), listed above; \
         fix the database with a new migration (or the entities), never by hand"
    )]
    Drift {
        /// Objects that differ from the snapshot.
        differences: usize,
        /// Places where the entities disagree.
        mismatches: usize,
    },
    /// A migration that runs outside a transaction, through a transaction pooler.
    #[error(
        "{migration} runs outside a transaction and needs a session of its own (a session lock, \
         statements that commit one by one), which a transaction-pooling PgBouncer cannot give; \
         set DATABASE_DIRECT_URL to the database's own address (bypassing the pooler) and run \
         again. Nothing was changed"
    )]
    NeedsSession {
        /// The migration.
        migration: String,
    },
    /// INVALID indexes, left by an interrupted `CREATE INDEX CONCURRENTLY`.
    #[error(
        "{migration}: INVALID index(es) in the schema: {indexes} (left by an interrupted CREATE \
         INDEX CONCURRENTLY, or being built right now). An invalid index is never used by queries \
         but slows every write; drop each with DROP INDEX CONCURRENTLY name; and migrate again. \
         {migration} is not recorded as applied"
    )]
    InvalidIndexes {
        /// The migration.
        migration: String,
        /// The invalid indexes.
        indexes: String,
    },
    /// A migration that runs outside a transaction failed part way.
    #[error(
        "{migration} failed: {message}. It runs outside a transaction: the statements before the \
         failure stay applied and it is not recorded as applied; its statements should be \
         idempotent (IF NOT EXISTS) so that it can run again{}",
        if invalid.is_empty() { String::new() } else {
            format!("; drop the INVALID index(es) it left first: {invalid} (DROP INDEX CONCURRENTLY name)")
        }
    )]
    FailedOutsideTransaction {
        /// The migration.
        migration: String,
        /// What the database said.
        message: String,
        /// INVALID indexes left behind.
        invalid: String,
    },
    /// `lint` found statements that would hurt the live tables.
    #[error(
        "lint: {errors} error(s), listed above; make the migration safe as each says, or \
         acknowledge a finding in the migration (-- lint: allow CODE: reason)"
    )]
    Lint {
        /// Unacknowledged error-level findings.
        errors: usize,
    },
    /// `pg_dump`/`pg_restore` is missing, too old, or failed.
    #[error("{tool} {problem}")]
    BackupTool {
        /// The tool.
        tool: &'static str,
        /// What is wrong, and the fix.
        problem: String,
    },
    /// `grant-app` refused the role: row-level security would not confine it, or it is missing.
    #[error("refusing to make {role} the application's role: {problem}")]
    AppRole {
        /// The role named.
        role: String,
        /// What is wrong, and the fix.
        problem: String,
    },
    /// A file could not be written.
    #[error("could not write {path}: {message}; check the path and its permissions")]
    Write {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A database error outside any migration.
    #[error("database error while {doing}: {message}")]
    Database {
        /// What was being done.
        doing: &'static str,
        /// What the database said, scrubbed.
        message: String,
    },
}

impl process_io::Failure for MigrateError {
    fn exit_code(&self) -> u8 {
        MigrateError::exit_code(self)
    }

    fn reported(&self) -> bool {
        matches!(self, Self::Drift { .. } | Self::Pending { .. } | Self::Lint { .. })
    }
}

impl MigrateError {
    /// Exit code: 2 for configuration mistakes and refusals, 1 for failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(e) if e.is_configuration() => 2,
            Self::Refused { .. }
            | Self::WrongEnvironment { .. }
            | Self::UnknownApplied { .. }
            | Self::UnknownTarget { .. }
            | Self::AppRole { .. }
            | Self::Authoring { .. }
            | Self::NeedsSession { .. } => 2,
            _ => 1,
        }
    }
}
