//! What can go wrong reading the catalog.

/// A failed check.
#[derive(Debug, thiserror::Error)]
pub enum ScaleError {
    /// The database is not PostgreSQL.
    #[error(
        "scale check reads PostgreSQL's catalog (Citus is PostgreSQL); point DATABASE_URL at the \
         PostgreSQL database to check"
    )]
    NotPostgres,
    /// A catalog query failed.
    #[error("reading the catalog ({reading}): {message}")]
    Catalog {
        /// What was being read.
        reading: &'static str,
        /// What the database said.
        message: String,
    },
}
