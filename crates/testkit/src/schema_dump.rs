//! The schema dump of `migrate schema dump`, for comparing schemas in tests.

use sea_orm::{DatabaseConnection, DbErr};

/// Every table, column, constraint, index, trigger, function and comment of the database
/// (the tools' bookkeeping tables aside), in the committed snapshots' format.
pub async fn schema_dump(db: &DatabaseConnection) -> Result<String, DbErr> {
    Ok(migration::schema::SchemaDump::read(db).await?.to_text())
}
