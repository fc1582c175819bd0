//! The load, inside the target's transaction: the scope emptied, what slows loading set
//! aside, every table streamed from its origin while the writer writes it, what was set
//! aside built back, references checked, digests compared.

use std::sync::Arc;
use std::time::Instant;

use process_io::progress::Progress;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::TransferError;
use crate::conn::Conn;
use crate::moving;
use crate::origin::{Origin, read_all};
use crate::report::{CopyOptions, CopyReport};
use crate::stream::{Feed, IN_FLIGHT, IN_FLIGHT_MOVING};
use crate::tables::{self, TableSpec};
use crate::verify::{ReadBack, mismatch_of, read_back};
use bulk_load::SetAside;

/// The origin back (when the reader gave it back) and how the load went.
type Loaded = (Option<Origin>, Result<(), TransferError>);

/// Inside the target's transaction: clears the scope, loads every table while the source
/// is read, builds back what was set aside, checks references, and compares digests.
/// Gives the source connection back (still in its snapshot) when the reader finished; the
/// source of a move has then deleted the tenants, uncommitted.
pub(crate) async fn load_and_verify(
    source: Origin,
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    expected: &[u64],
    options: &CopyOptions,
    report: &mut CopyReport,
) -> Loaded {
    let in_flight = if options.move_tenants { IN_FLIGHT_MOVING } else { IN_FLIGHT };
    let (sender, mut receiver) = mpsc::channel::<Feed>(in_flight);
    let scope_owned: Option<Vec<Uuid>> = scope.map(<[Uuid]>::to_vec);
    // A move deletes the tenants from the source as soon as they are read, in its own
    // transaction (which commits only after the target's), while the target writes.
    let moved_tenants = scope_owned.clone().filter(|_| options.move_tenants);
    let tables_owned = Arc::new(tables.to_vec());
    let started = Instant::now();
    let phase = move |what: &str| tracing::debug!("{what} at {} ms", started.elapsed().as_millis());
    // The source is read while the target gets ready (clears, sets aside): for one
    // tenant, that readies its rows before the first COPY and starts a move's delete
    // sooner.
    let reader = tokio::spawn(async move {
        let mut source = read_all(source, Arc::clone(&tables_owned), scope_owned, sender).await?;
        phase("source read");
        if let (Origin::Database(src), Some(tenants)) = (&mut source, moved_tenants)
            && let Err(e) = moving::delete(src, &tables_owned, &tenants).await
        {
            return Err((Some(source), e));
        }
        phase("source done (a move: its tenants deleted, uncommitted)");
        Ok(source)
    });
    let restore = match ready_target(dst, tables, scope, expected, report).await {
        Ok(restore) => restore,
        Err(e) => return (stop_reader(receiver, reader).await, Err(e)),
    };
    phase("target ready");
    // A whole copy truncated every table in this transaction, as `COPY … FREEZE` requires.
    let freeze = scope.is_none();

    let progress = Progress::new(options.progress);
    let mut source_digests = Vec::with_capacity(tables.len());
    for (table, &rows) in tables.iter().zip(expected) {
        let bar = progress.table(table.name, rows);
        let started = Instant::now();
        match dst.write_table(table, freeze, &mut receiver, &bar).await {
            Ok((written, Some(digest))) => {
                progress.done(&bar, table.name, written, started.elapsed().as_secs_f64());
                source_digests.push(digest);
            }
            Ok((_, None)) => {
                // The reader stopped: its error is the one to report.
                return match reader.await {
                    Ok(Err((back, e))) => (back, Err(e)),
                    Ok(Ok(back)) => (Some(back), Err(TransferError::WriterStopped)),
                    Err(join) => (None, Err(reader_died(report, join))),
                };
            }
            Err(e) => return (stop_reader(receiver, reader).await, Err(e)),
        }
    }
    drop(receiver);
    phase("loaded");
    progress.note(if report.bare_load {
        "Building keys, indexes and foreign keys, then verifying"
    } else {
        "Verifying"
    });
    let checked = async {
        dst.execute_all("building keys, indexes and foreign keys again", &restore).await?;
        phase("built back");
        if let Some(orphan) = dst.first_orphan(tables).await? {
            let detail =
                format!("({}): ({}) references {}", orphan.key, orphan.reference, orphan.parent);
            return Err(TransferError::Orphan { table: orphan.table, detail });
        }
        let read = read_back(dst, tables, scope, &source_digests).await;
        phase("read back");
        read
    };
    let (checked, read) = tokio::join!(checked, reader);
    let mut source = match read {
        Ok(Ok(source)) => source,
        Ok(Err((back, e))) => return (back, Err(e)),
        Err(join) => return (None, Err(reader_died(report, join))),
    };
    let outcome = match checked {
        Ok(ReadBack::Same(reports)) => {
            report.tables = reports;
            Ok(())
        }
        Ok(ReadBack::Differs(i, target_digest)) => {
            if let (Origin::Database(src), true) = (&mut source, options.move_tenants)
                && let Err(e) = moving::undelete(src).await
            {
                return (Some(source), Err(e));
            }
            let (table, source_digest) = (&tables[i], &source_digests[i]);
            Err(mismatch_of(&mut source, dst, table, scope, source_digest, &target_digest).await)
        }
        Err(e) => Err(e),
    };
    (Some(source), outcome)
}

/// Empties the scope in the target and sets aside what slows loading (on the target's
/// transaction); returns the statements that build back.
async fn ready_target(
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
    expected: &[u64],
    report: &mut CopyReport,
) -> Result<Vec<String>, TransferError> {
    clear(dst, tables, scope).await?;
    let bare = match scope {
        None => true,
        Some(_) => holds_few_rows(dst, tables, expected).await?,
    };
    report.bare_load = bare;
    // Copied rows come with their computed values: triggers that would compute them again
    // are set aside too.
    let what = SetAside { keys_and_indexes: bare, insert_triggers: true };
    let loads: Vec<(&str, u64)> =
        tables.iter().map(|t| t.name).zip(expected.iter().copied()).collect();
    dst.set_aside(&loads, what).await
}

/// Stops the reader (its next batch finds no writer) and takes the origin back from it.
async fn stop_reader(
    receiver: mpsc::Receiver<Feed>,
    reader: tokio::task::JoinHandle<Result<Origin, (Option<Origin>, TransferError)>>,
) -> Option<Origin> {
    drop(receiver);
    match reader.await {
        Ok(Ok(back) | Err((Some(back), _))) => Some(back),
        _ => None,
    }
}

/// Whether the target's tables, once the scope is emptied, hold few enough rows for a
/// load of `expected` to set their keys and indexes aside
/// ([`bulk_load::worth_setting_aside`]): a tenant moved to a new or lightly used server
/// loads in bulk (its tables locked for the load); into a full one, through the indexes,
/// other tenants' rows untouched.
async fn holds_few_rows(
    dst: &mut Conn,
    tables: &[TableSpec],
    expected: &[u64],
) -> Result<bool, TransferError> {
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    let incoming = expected.iter().sum();
    let sql = bulk_load::bounded_total_count(&names, incoming + 1);
    let existing = dst.count_sql("the target's tables", sql).await?;
    Ok(bulk_load::worth_setting_aside(existing, incoming))
}

fn reader_died(report: &CopyReport, join: tokio::task::JoinError) -> TransferError {
    TransferError::Database {
        database: report.source.clone(),
        doing: "reading".to_owned(),
        message: join.to_string(),
    }
}

/// Empties the copy's scope in the target: every table for a whole copy, those tenants'
/// rows (children first) for a tenant copy.
pub(crate) async fn clear(
    dst: &mut Conn,
    tables: &[TableSpec],
    scope: Option<&[Uuid]>,
) -> Result<(), TransferError> {
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    let statements: Vec<String> = match scope {
        None if dst.is_postgres() => vec![format!("TRUNCATE {}", names.join(", "))],
        _ => tables::deletes(tables, scope, dst.uuid_literal()),
    };
    dst.execute_all("emptying the target's tables", &statements).await
}
