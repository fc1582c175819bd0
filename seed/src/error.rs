/// Why a seeding did not happen. Nothing is written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The configuration is wrong or the database unreachable.
    #[error(transparent)]
    Config(#[from] db_config::ConfigError),
    /// Migrations are pending.
    #[error("the database is not migrated to head (pending: {0}); run `chatdb migrate up` first")]
    NotMigrated(String),
    /// Seeding production is never allowed.
    #[error("refusing to seed with APP_ENV=production: seeded data must never mix with real data")]
    Production,
    /// Seeding staging needs its flag.
    #[error(
        "refusing to seed with APP_ENV=staging; pass --allow-staging if this staging database may get fake data"
    )]
    StagingNeedsFlag,
    /// The SQLite URL opens the file read-only.
    #[error(
        "the SQLite URL ({origin}) has mode=ro: the file is opened read-only; drop mode=ro to seed it"
    )]
    ReadOnly {
        /// Where the URL came from.
        origin: String,
    },
    /// `--tenant` names no tenant.
    #[error(
        "--tenant {0}: no such tenant; `chatdb tenants` lists them, or omit --tenant to create new ones"
    )]
    NoSuchTenant(uuid::Uuid),
    /// A flag has an unusable value.
    #[error("{flag}: {problem}")]
    Usage {
        /// The flag.
        flag: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A ledger entry cannot be read; nothing was changed.
    #[error(
        "the seeding ledger ({table}) has an entry that cannot be read (fingerprint {fingerprint}: {problem}); \
         nothing was changed. Fix or delete that row",
        table = crate::ledger::LEDGER_TABLE
    )]
    Ledger {
        /// The entry.
        fingerprint: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Another seeding holds the database for longer than SQLite waits.
    #[error(
        "another seeding (or another writer) holds the SQLite database; run again when it has finished"
    )]
    Busy,
    /// Hashing the seeded users' password failed (nothing was written).
    #[error("could not hash the seeded users' password: {0}")]
    PasswordHash(String),
    /// The database failed during `--reset`; its transaction was rolled back.
    #[error("the reset failed and was rolled back, nothing was removed: {0}")]
    ResetFailed(#[source] Box<SeedError>),
    /// The database failed; the seeding's transaction was rolled back.
    #[error("seeding failed and was rolled back, nothing was written: {0}")]
    Database(#[source] sea_orm::DbErr),
    /// The driver failed while copying rows; the seeding's transaction was rolled back.
    #[error("seeding failed and was rolled back, nothing was written: {0}")]
    Copy(#[source] sea_orm::sqlx::Error),
    /// Generated rows do not fit their table's columns (a bug, not an input).
    #[error(
        "the rows generated for {table} do not fit its columns: a row of {values} values for \
         {columns} columns; nothing was written"
    )]
    RowShape {
        /// The table.
        table: &'static str,
        /// The values of the row that does not fit.
        values: usize,
        /// The table's columns written.
        columns: usize,
    },
    /// SQLite failed; the seeding's transaction was rolled back.
    #[error("seeding failed and was rolled back, nothing was written: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The thread writing to SQLite stopped (a bug, not an input); nothing was written.
    #[error("the SQLite writer stopped: {0}; nothing was written")]
    Writer(#[source] tokio::task::JoinError),
    /// The row generator stopped (a bug, not an input); nothing was written.
    #[error("the row generator stopped: {0}; nothing was written")]
    Generator(#[source] tokio::task::JoinError),
}

impl process_io::Failure for SeedError {
    fn exit_code(&self) -> u8 {
        SeedError::exit_code(self)
    }
}

impl SeedError {
    /// 2 for mistakes in configuration, flags or environment; 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(e) if !e.is_configuration() => 1,
            Self::Database(_)
            | Self::Copy(_)
            | Self::Sqlite(_)
            | Self::Writer(_)
            | Self::Generator(_)
            | Self::RowShape { .. }
            | Self::ResetFailed(_)
            | Self::Busy
            | Self::PasswordHash(_) => 1,
            _ => 2,
        }
    }
}

impl From<sea_orm::DbErr> for SeedError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Database(err)
    }
}

impl From<sea_orm::sqlx::Error> for SeedError {
    fn from(err: sea_orm::sqlx::Error) -> Self {
        Self::Copy(err)
    }
}
