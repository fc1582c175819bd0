//! `--move`, the source's side. One transaction, in one snapshot: it locks the tenants
//! first (on PostgreSQL their rows in `tenants`, on which every insert of a row of theirs
//! waits, each table having a foreign key to it; on SQLite the file, against writers),
//! reads them for the copy, and deletes them while the target builds its keys back and
//! verifies. It commits once the target has committed. Repeatable read makes the delete of
//! a row written since the snapshot fail instead of losing the write: the move then stops
//! with both sides as they were.

use std::time::Instant;

use uuid::Uuid;

use crate::TransferError;
use crate::conn::{Conn, Role};
use crate::tables::{self, TableSpec, tenants_table};

/// Where [`undelete`] goes back to.
const BEFORE_THE_DELETE: &str = "before_the_delete";

/// Begins the source's transaction of a move of `tenants` and locks them; returns when the
/// lock was taken.
pub(crate) async fn begin(
    src: &mut Conn,
    tables: &[TableSpec],
    tenants: &[Uuid],
) -> Result<Instant, TransferError> {
    src.begin(Role::Move).await?;
    if src.is_postgres() {
        let table = tenants_table(tables)?;
        let filter = table.tenant_filter(Some(tenants), src.uuid_literal());
        let lock = format!("SELECT 1 FROM {}{filter} FOR UPDATE", table.name);
        src.execute_all("locking the moved tenants", &[lock]).await?;
    }
    Ok(Instant::now())
}

/// Deletes `tenants` in the source's transaction, children first. Tables without
/// statistics get them first (here, once the tenants are read, and not when they are
/// locked: the target is loading by then, and the copy waits for no catalog query).
pub(crate) async fn delete(
    src: &mut Conn,
    tables: &[TableSpec],
    tenants: &[Uuid],
) -> Result<(), TransferError> {
    src.analyze_unanalyzed(tables).await?;
    let mut statements = vec![format!("SAVEPOINT {BEFORE_THE_DELETE}")];
    statements.extend(tables::deletes(tables, Some(tenants), src.uuid_literal()));
    src.execute_all("deleting the moved tenants from the source", &statements).await
}

/// Takes back what [`delete`] deleted (to read the source again, explaining a failure).
pub(crate) async fn undelete(src: &mut Conn) -> Result<(), TransferError> {
    let statement = format!("ROLLBACK TO SAVEPOINT {BEFORE_THE_DELETE}");
    src.execute_all("reading the moved tenants again", &[statement]).await
}

/// Commits the source's deletion, the target having committed the tenants.
pub(crate) async fn commit(src: &mut Conn) -> Result<(), TransferError> {
    src.end(true).await.map_err(|e| match e {
        TransferError::Database { database, message, .. } => {
            TransferError::MoveUnfinished { source_db: database, message }
        }
        other => other,
    })
}
