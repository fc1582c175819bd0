/// Why a test database could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No PostgreSQL server binaries and no `TEST_DATABASE_URL`.
    #[error(
        "no PostgreSQL found for the tests: {0}; install the server binaries \
         (Debian: apt-get install postgresql) or set TEST_DATABASE_URL to a server where \
         the tests may create databases"
    )]
    NoPostgres(String),
    /// No PgBouncer for the tests that go through one.
    #[error("no PgBouncer for the tests: {0}")]
    NoPgBouncer(String),
    /// A command of the PostgreSQL tool chain failed.
    #[error("`{command}` failed: {output}")]
    Command {
        /// The command line.
        command: String,
        /// What it printed.
        output: String,
    },
    /// `TEST_DATABASE_URL` is not a usable PostgreSQL URL.
    #[error("TEST_DATABASE_URL is not a postgres:// URL ({0}); fix the variable")]
    BadUrl(String),
    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A database operation failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    /// Migrating a template failed.
    #[error("migrating a test database: {0}")]
    Migrate(String),
    /// A query gave no row.
    #[error("the query {0:?} gave no row")]
    NoRow(String),
    /// A value had another type than asked for.
    #[error("unexpected value: {0:?}")]
    Value(sea_orm::TryGetError),
}

impl From<sea_orm::TryGetError> for Error {
    fn from(e: sea_orm::TryGetError) -> Self {
        Self::Value(e)
    }
}

impl Error {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| Self::Io { context, source }
    }
}
