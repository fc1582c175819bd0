//! Telling database errors apart by the code the server gives them (PostgreSQL's SQLSTATE,
//! SQLite's result code), not by their wording, which changes with versions and locales.

use sea_orm::{DbErr, RuntimeErr};

/// PostgreSQL: a lock was not granted within `lock_timeout` (`lock_not_available`).
pub const LOCK_NOT_AVAILABLE: &str = "55P03";
/// PostgreSQL: a prepared statement of that name exists (`duplicate_prepared_statement`).
pub const DUPLICATE_PREPARED_STATEMENT: &str = "42P05";
/// PostgreSQL: no prepared statement of that name (`invalid_sql_statement_name`).
pub const INVALID_SQL_STATEMENT_NAME: &str = "26000";
/// PostgreSQL: not allowed (`insufficient_privilege`).
pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
/// SQLite: another connection holds the lock (`SQLITE_BUSY`).
pub const SQLITE_BUSY: &str = "5";

/// The code the database gave `error`, if it came from the database.
pub fn code(error: &DbErr) -> Option<String> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = error
    else {
        return None;
    };
    driver_code(e)
}

/// The code the database gave a driver `error`, if it came from the database.
pub fn driver_code(error: &sea_orm::sqlx::Error) -> Option<String> {
    error.as_database_error().and_then(|e| e.code()).map(|c| c.into_owned())
}

/// Whether `error` has the database code `wanted`.
pub fn is(error: &DbErr, wanted: &str) -> bool {
    code(error).as_deref() == Some(wanted)
}
