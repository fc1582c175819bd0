//! Verification: each table's digest read back from the target against the source's.

use uuid::Uuid;

use crate::TransferError;
use crate::conn::Conn;
use crate::origin::Origin;
use crate::report::TableReport;
use crate::stream::Sink;
use crate::tables::TableSpec;
use crate::value::Digest;

/// What reading the target back found.
pub(crate) enum ReadBack {
    /// Every table as read from the source.
    Same(Vec<TableReport>),
    /// The first table that differs (its place in the tables) and what the target holds.
    Differs(usize, Digest),
}

/// Reads the target back table by table and compares with what was read from the source.
pub(crate) async fn read_back(
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    source_digests: &[Digest],
) -> Result<ReadBack, TransferError> {
    let mut reports = Vec::with_capacity(tables.len());
    for (i, (table, source_digest)) in tables.iter().zip(source_digests).enumerate() {
        let target_digest = dst.read_table(table, scope, Sink::Digest).await?;
        if target_digest != *source_digest {
            return Ok(ReadBack::Differs(i, target_digest));
        }
        reports.push(table_report(table, source_digest, &target_digest));
    }
    Ok(ReadBack::Same(reports))
}

/// The failure of `table` differing, naming the first row that differs where the origin
/// (a database, still in its snapshot) can be read again.
pub(crate) async fn mismatch_of(
    src: &mut Origin,
    dst: &mut Conn,
    table: &TableSpec,
    scope: Option<&[Uuid]>,
    source_digest: &Digest,
    target_digest: &Digest,
) -> TransferError {
    let first = match src {
        Origin::Database(src) => first_difference(src, dst, table, scope).await,
        Origin::Files(_) => None,
    };
    mismatch(table, source_digest, target_digest, first)
}

pub(crate) fn table_report(table: &TableSpec, source: &Digest, target: &Digest) -> TableReport {
    TableReport {
        table: table.name,
        rows: target.rows,
        source_hash: source.hex(),
        target_hash: target.hex(),
        ok: source == target,
    }
}

fn mismatch(
    table: &TableSpec,
    source: &Digest,
    target: &Digest,
    first: Option<String>,
) -> TransferError {
    TransferError::Mismatch {
        table: table.name,
        source_rows: source.rows,
        source_hash: source.hex(),
        target_rows: target.rows,
        target_hash: target.hex(),
        first: first.map(|key| format!("; first difference at {key}")).unwrap_or_default(),
    }
}

/// The key of the first row (in key order) that differs between the two sides.
async fn first_difference(
    src: &mut Conn,
    dst: &mut Conn,
    table: &TableSpec,
    scope: Option<&[Uuid]>,
) -> Option<String> {
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    src.read_table(table, scope, Sink::Keys(&mut ours)).await.ok()?;
    dst.read_table(table, scope, Sink::Keys(&mut theirs)).await.ok()?;
    ours.sort_unstable();
    theirs.sort_unstable();
    let (mut a, mut b) = (ours.iter().peekable(), theirs.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (Some(x), Some(y)) => return Some(if x.0 <= y.0 { x.0.clone() } else { y.0.clone() }),
            (Some(x), None) => return Some(format!("{} (missing from the target)", x.0)),
            (None, Some(y)) => return Some(format!("{} (not in the source)", y.0)),
            (None, None) => return None,
        }
    }
}

/// When the target holds exactly the rows the source has for `scope`: their reports.
pub(crate) async fn same_rows(
    src: &mut Conn,
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<Option<Vec<TableReport>>, TransferError> {
    let mut reports = Vec::new();
    for table in tables {
        let ours = src.read_table(table, scope, Sink::Digest).await?;
        let theirs = dst.read_table(table, scope, Sink::Digest).await?;
        if ours != theirs {
            return Ok(None);
        }
        reports.push(table_report(table, &ours, &theirs));
    }
    Ok(Some(reports))
}
