//! `--move`: the tenants deleted from the source once the target has committed them.

use uuid::Uuid;

use crate::TransferError;
use crate::conn::Side;
use crate::deliver::tenants_table;
use crate::report::TableReport;
use crate::stream::Sink;
use crate::tables::{self, TableSpec};

/// `--move`: deletes the tenants from the source in a transaction of its own, after
/// checking (under a lock on the tenants' rows) that the source still holds exactly what
/// was copied — a write since would otherwise be lost. Returns how long the rows were
/// locked, in seconds.
pub(crate) async fn remove_from_source(
    source: &Side,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    copied: &[TableReport],
) -> Result<f64, TransferError> {
    let mut src = source.conn().await?;
    src.begin(true).await?;
    let locked = std::time::Instant::now();
    let result = async {
        let tenants_table = tenants_table(tables)?;
        if src.is_postgres() {
            let lock = format!(
                "SELECT 1 FROM {}{} FOR UPDATE",
                tenants_table.name,
                tenants_table.tenant_filter(scope, src.uuid_literal())
            );
            src.execute_all("locking the moved tenants", &[lock]).await?;
        }
        for (table, copied) in tables.iter().zip(copied) {
            let now = src.read_table(table, scope, Sink::Digest).await?;
            if now.hex() != copied.source_hash || now.rows != copied.rows {
                return Err(TransferError::SourceChanged { table: table.name });
            }
        }
        let deletes = tables::deletes(tables, scope, src.uuid_literal());
        src.execute_all("deleting the moved tenants from the source", &deletes).await
    }
    .await;
    match result {
        Ok(()) => {
            src.end(true).await?;
            Ok(locked.elapsed().as_secs_f64())
        }
        Err(e) => {
            let _ = src.end(false).await;
            Err(e)
        }
    }
}
