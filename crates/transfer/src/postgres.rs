//! The PostgreSQL side: rows streamed out and in with binary COPY, and the post-data
//! objects (keys, indexes, foreign keys) set aside while an empty target is loaded and
//! built again afterwards in the same transaction, as `pg_restore` does.

use futures_util::StreamExt;
use sea_orm::sqlx::{self, PgConnection};
use tokio::sync::mpsc;
use xxhash_rust::xxh3::Xxh3;

use crate::TransferError;
use crate::conn::Role;
use crate::pg_binary::{self, RowSplitter};
use crate::stream::{Collect, Feed, Sink};
use crate::tables::TableSpec;
use crate::value::{Canonical, Digest, Kind, Value};

/// COPY data sent per message.
const COPY_CHUNK_BYTES: usize = 1 << 20;

/// COPY messages a reader decodes between yields (PostgreSQL sends one per row). While a
/// reader decodes a table that arrives faster than it decodes, Tokio's one I/O driver is
/// polled only when its worker yields: the other side's round trips (the target clearing,
/// counting, setting aside while the source is read) waited 5-30 ms each without this.
const MESSAGES_PER_YIELD: usize = 256;

/// Streams the rows of `table` (of `tenants` only, when given) to `sink` in batches, and
/// returns their digest.
pub(crate) async fn read_table(
    conn: &mut PgConnection,
    database: &str,
    table: &TableSpec,
    tenants: Option<&[uuid::Uuid]>,
    sink: Sink<'_>,
) -> Result<Digest, TransferError> {
    let failed = |e: sqlx::Error| {
        crate::error::database_error(database, &format!("reading {}", table.name), e)
    };
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{}::{}", c.name, pg_binary::sql_type(c.kind)))
        .collect();
    let statement = format!(
        "COPY (SELECT {} FROM {}{}) TO STDOUT (FORMAT binary)",
        columns.join(", "),
        table.name,
        table.tenant_filter(tenants, uuid_literal)
    );
    let kinds: Vec<Kind> = table.columns.iter().map(|c| c.kind).collect();
    let digest_only = matches!(sink, Sink::Digest);
    let mut rows = Collect::new(sink);
    let mut splitter = RowSplitter::default();
    let mut failure: Option<TransferError> = None;
    let mut stream = conn.copy_out_raw(&statement).await.map_err(failed)?;
    let mut messages = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(failed)?;
        messages += 1;
        if messages.is_multiple_of(MESSAGES_PER_YIELD) {
            tokio::task::yield_now().await;
        }
        if failure.is_some() {
            continue; // drain the stream so the connection stays usable for the rollback
        }
        let pushed = splitter.push(
            &chunk,
            |fields| {
                if digest_only {
                    // Reading back only to compare: hash straight from the wire.
                    let mut hasher = Xxh3::new();
                    let fed = fields.iter().zip(&kinds).try_for_each(|(field, kind)| match field {
                        None => {
                            Canonical::null(&mut hasher);
                            Ok(())
                        }
                        Some(bytes) => pg_binary::feed_field(*kind, bytes, &mut hasher),
                    });
                    if fed.is_ok() {
                        rows.add_hash(hasher.digest128());
                        return Ok(());
                    }
                }
                rows.push(table, decode_row(table, &kinds, fields)?);
                Ok(())
            },
            |problem| TransferError::Database {
                database: database.to_owned(),
                doing: format!("reading {}", table.name),
                message: problem.to_owned(),
            },
        );
        if let Err(e) = pushed {
            failure = Some(e);
        } else if rows.full() {
            failure = rows.flush().await.err();
        }
    }
    drop(stream);
    if let Some(failure) = failure {
        return Err(failure);
    }
    if !splitter.finished() {
        return Err(failed(sqlx::Error::Protocol(
            "the COPY stream ended before its trailer".into(),
        )));
    }
    rows.finish().await
}

fn decode_row(
    table: &TableSpec,
    kinds: &[Kind],
    fields: &[Option<&[u8]>],
) -> Result<Vec<Value>, TransferError> {
    let mut row = Vec::with_capacity(kinds.len());
    for (i, (field, kind)) in fields.iter().zip(kinds).enumerate() {
        match field {
            None => row.push(Value::Null),
            Some(bytes) => match pg_binary::decode_field(*kind, bytes) {
                Ok(value) => row.push(value),
                Err(problem) => {
                    row.resize(kinds.len(), Value::Null);
                    return Err(TransferError::BadValue {
                        table: table.name,
                        key: table.describe_key(&row),
                        column: table.columns[i].name,
                        problem,
                    });
                }
            },
        }
    }
    Ok(row)
}

/// Writes the rows arriving on `feed` for `table` with `COPY … FROM STDIN (FORMAT binary)`,
/// until its end; returns the rows written. `freeze` when the table was emptied in this
/// transaction (the rows are then written frozen, sparing a later vacuum).
pub(crate) async fn write_table(
    conn: &mut PgConnection,
    table: &TableSpec,
    freeze: bool,
    feed: &mut mpsc::Receiver<Feed>,
    progress: &indicatif::ProgressBar,
) -> Result<(u64, Option<Digest>), sqlx::Error> {
    let kinds: Vec<Kind> = table.columns.iter().map(|c| c.kind).collect();
    let options = if freeze { "FORMAT binary, FREEZE" } else { "FORMAT binary" };
    let statement = format!("COPY {} ({}) FROM STDIN ({options})", table.name, table.column_list());
    let mut copy = conn.copy_in_raw(&statement).await?;
    let mut buffer = Vec::with_capacity(COPY_CHUNK_BYTES + 64 * 1024);
    buffer.extend_from_slice(pg_binary::HEADER);
    let mut source_digest = None;
    while let Some(message) = feed.recv().await {
        match message {
            Feed::Rows(rows) => {
                for row in &rows {
                    pg_binary::encode_row(row, &kinds, &mut buffer);
                }
                process_io::progress::advance(progress, rows.len() as u64);
                if buffer.len() >= COPY_CHUNK_BYTES {
                    if let Err(e) = copy.send(buffer.as_slice()).await {
                        let _ = copy.abort(e.to_string()).await;
                        return Err(e);
                    }
                    buffer.clear();
                }
            }
            Feed::End(digest) => {
                source_digest = Some(digest);
                break;
            }
        }
    }
    if source_digest.is_none() {
        // The reader stopped early: abort, so the connection is usable for the rollback.
        let _ = copy.abort("the source stopped").await;
        return Ok((0, None));
    }
    buffer.extend_from_slice(pg_binary::TRAILER);
    copy.send(buffer.as_slice()).await?;
    Ok((copy.finish().await?, source_digest))
}

/// A UUID as a PostgreSQL literal.
pub(crate) fn uuid_literal(id: &uuid::Uuid) -> String {
    format!("'{id}'")
}

/// Starts the transaction a copy reads, moves or writes in, with its settings, in one
/// round trip. Behind a transaction-pooling PgBouncer the server connection is ours only
/// inside it: drop prepared statements an earlier client left there.
pub(crate) async fn begin(
    conn: &mut PgConnection,
    role: Role,
    pgbouncer: bool,
) -> Result<(), sqlx::Error> {
    let begin = format!("{}; {}", begin_statement(role), transaction_settings(role));
    sqlx::raw_sql(sqlx::AssertSqlSafe(begin)).execute(&mut *conn).await?;
    db_config::clear_prepared_statements(conn, pgbouncer).await
}

fn begin_statement(role: Role) -> &'static str {
    // A move deletes in its snapshot: repeatable read makes the delete of a row written
    // since fail rather than lose the write.
    match role {
        Role::Read => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        Role::Move => "BEGIN ISOLATION LEVEL REPEATABLE READ",
        Role::Write => "BEGIN",
    }
}

/// A copy is one long transaction; the application's statement timeout is not for it.
/// Index builds are its longest steps, and a lock the application holds should fail it
/// within a bounded time rather than queue the application's traffic behind it.
///
/// Deleting a tenant's rows (the source of a move; a target's `--replace`) runs one
/// referential query per deleted parent row, such as "its messages" per conversation. A
/// plan made for the tenant's own id trusts the statistics about it, and a tenant that
/// arrived since the last `ANALYZE` (moved in, say) looks rowless there: each lookup then
/// walks the tenant's index entries whole, and deleting 600 conversations took 1.1 s
/// instead of 12 ms. A generic plan picks the index on the referencing columns whatever
/// the tenant.
fn transaction_settings(role: Role) -> &'static str {
    match role {
        Role::Read => "SET LOCAL statement_timeout = 0",
        Role::Move => {
            "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = '30s'; \
             SET LOCAL plan_cache_mode = force_generic_plan"
        }
        Role::Write => {
            "SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'; \
             SET LOCAL lock_timeout = '30s'; SET LOCAL plan_cache_mode = force_generic_plan"
        }
    }
}

/// Ends the transaction: COMMIT or ROLLBACK (after dropping our prepared statements behind
/// PgBouncer, so the server connection goes back to the pool clean).
pub(crate) async fn end(
    conn: &mut PgConnection,
    commit: bool,
    pgbouncer: bool,
) -> Result<(), sqlx::Error> {
    db_config::clear_prepared_statements(conn, pgbouncer).await?;
    let end = if commit { "COMMIT" } else { "ROLLBACK" };
    sqlx::raw_sql(sqlx::AssertSqlSafe(end)).execute(&mut *conn).await?;
    Ok(())
}

/// `(child, parent)` for every foreign key between tables of the current schema.
pub(crate) async fn references(
    conn: &mut PgConnection,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
    )
    .persistent(false)
    .fetch_all(&mut *conn)
    .await
}

/// The counts `sql` selects, in one row.
pub(crate) async fn counts(conn: &mut PgConnection, sql: String) -> Result<Vec<i64>, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).fetch_one(&mut *conn).await?;
    (0..row.len()).map(|i| row.try_get(i)).collect()
}

/// Analyzes those of `tables` that have rows (or may have: never counted) and no
/// statistics yet: a side filled in bulk and not yet visited by autovacuum. Without them
/// the planner cannot tell a tenant's range from a conversation's, and deleting a tenant
/// (a move's source) walked the tenant's whole index range once per conversation: 600
/// conversations took 250 ms of referential lookups instead of 12 ms. Tables analyzed
/// are skipped, so a server in use pays one catalog query (which asks `pg_stats` about
/// each table's first live column: matching the whole view per table cost 3 ms of the
/// source's path to its delete, this 1 ms).
pub(crate) async fn analyze_unanalyzed(
    conn: &mut PgConnection,
    tables: &[&str],
) -> Result<(), sqlx::Error> {
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(c.relname) FROM pg_class c \
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) \
           AND c.reltuples <> 0 \
           AND NOT EXISTS (SELECT 1 FROM pg_stats s \
                           WHERE s.schemaname = current_schema() AND s.tablename = c.relname \
                             AND s.attname = (SELECT a.attname FROM pg_attribute a \
                                              WHERE a.attrelid = c.oid AND a.attnum > 0 \
                                                AND NOT a.attisdropped \
                                              ORDER BY a.attnum LIMIT 1)) \
         ORDER BY c.relname",
    )
    .bind(&tables)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await?;
    if missing.is_empty() {
        return Ok(());
    }
    let analyze = format!("ANALYZE {}", missing.join(", "));
    sqlx::raw_sql(sqlx::AssertSqlSafe(analyze)).execute(&mut *conn).await?;
    Ok(())
}

/// The count `sql` selects.
pub(crate) async fn count_sql(conn: &mut PgConnection, sql: String) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).persistent(false).fetch_one(&mut *conn).await
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a test fails loudly on anything unexpected")]
mod tests {
    use super::*;

    /// The deleting transactions plan the per-row referential queries once for any tenant
    /// (see [`transaction_settings`]), and still bound how long they wait for a lock.
    #[tokio::test]
    async fn the_transactions_that_delete_plan_referential_lookups_for_any_tenant() {
        use sqlx::Connection;
        let db = testkit::TestDb::empty(testkit::Backend::Postgres).await.unwrap();
        let mut conn = PgConnection::connect(db.url()).await.unwrap();
        for (role, plans) in [
            (Role::Move, "force_generic_plan"),
            (Role::Write, "force_generic_plan"),
            (Role::Read, "auto"),
        ] {
            begin(&mut conn, role, false).await.unwrap();
            let shown: (String, String) = sqlx::query_as(
                "SELECT current_setting('plan_cache_mode'), current_setting('statement_timeout')",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            assert_eq!(shown, (plans.to_owned(), "0".to_owned()), "{role:?}");
            end(&mut conn, false, false).await.unwrap();
        }
    }

    /// A table filled and never analyzed gets statistics before a move deletes from it;
    /// an empty one has none to gain, and one analyzed already is not analyzed again (its
    /// first column dropped since, too).
    #[tokio::test]
    async fn tables_filled_and_never_analyzed_are_analyzed_before_deleting() {
        use sqlx::Connection;
        let db = testkit::TestDb::empty(testkit::Backend::Postgres).await.unwrap();
        let mut conn = PgConnection::connect(db.url()).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE filled (tenant_id uuid, n int); CREATE TABLE empty (n int); \
             CREATE TABLE reshaped (gone int, tenant_id uuid); ALTER TABLE reshaped DROP COLUMN gone; \
             INSERT INTO filled SELECT gen_random_uuid(), g FROM generate_series(1, 1000) g; \
             INSERT INTO reshaped SELECT gen_random_uuid() FROM generate_series(1, 1000)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        let analyzed = async |conn: &mut PgConnection| -> Vec<String> {
            sqlx::query_scalar("SELECT DISTINCT tablename::text FROM pg_stats WHERE schemaname = current_schema() ORDER BY 1")
                .fetch_all(conn)
                .await
                .unwrap()
        };
        let times_analyzed = async |conn: &mut PgConnection| -> Vec<i64> {
            sqlx::raw_sql("SELECT pg_stat_clear_snapshot()").execute(&mut *conn).await.unwrap();
            sqlx::query_scalar(
                "SELECT pg_stat_get_analyze_count(oid) FROM pg_class \
                 WHERE relname IN ('filled', 'reshaped') ORDER BY relname",
            )
            .fetch_all(conn)
            .await
            .unwrap()
        };
        let tables = ["filled", "empty", "reshaped"];
        assert!(analyzed(&mut conn).await.is_empty(), "no statistics yet");
        analyze_unanalyzed(&mut conn, &tables).await.unwrap();
        assert_eq!(analyzed(&mut conn).await, ["filled", "reshaped"]);
        assert_eq!(times_analyzed(&mut conn).await, [1, 1]);

        analyze_unanalyzed(&mut conn, &tables).await.unwrap();
        assert_eq!(times_analyzed(&mut conn).await, [1, 1], "analyzed once is enough");
    }
}
