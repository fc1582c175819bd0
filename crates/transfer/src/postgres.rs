//! The PostgreSQL side: rows streamed out and in with binary COPY, and the post-data
//! objects (keys, indexes, foreign keys) set aside while an empty target is loaded and
//! built again afterwards in the same transaction, as `pg_restore` does.

use futures_util::StreamExt;
use sea_orm::sqlx::{self, PgConnection};
use tokio::sync::mpsc;
use xxhash_rust::xxh3::Xxh3;

use crate::TransferError;
use crate::pg_binary::{self, RowSplitter};
use crate::stream::{Collect, Feed, Sink};
use crate::tables::TableSpec;
use crate::value::{Canonical, Digest, Kind, Value};

/// COPY data sent per message.
const COPY_CHUNK_BYTES: usize = 1 << 20;

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
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(failed)?;
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

/// Starts the transaction a copy reads or writes in. Behind a transaction-pooling
/// PgBouncer the server connection is ours only inside it: drop prepared statements an
/// earlier client left there.
pub(crate) async fn begin(
    conn: &mut PgConnection,
    read_only: bool,
    pgbouncer: bool,
) -> Result<(), sqlx::Error> {
    let begin = if read_only { "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" } else { "BEGIN" };
    sqlx::raw_sql(sqlx::AssertSqlSafe(begin)).execute(&mut *conn).await?;
    db_config::clear_prepared_statements(conn, pgbouncer).await?;
    // A copy is one long transaction; the application's statement timeout is not for it.
    sqlx::raw_sql("SET LOCAL statement_timeout = 0").execute(&mut *conn).await?;
    if !read_only {
        // Index builds are the copy's longest steps; a table the application holds should
        // fail the copy within a bounded time rather than queue its traffic behind it.
        let settings = "SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL lock_timeout = '30s'";
        sqlx::raw_sql(settings).execute(&mut *conn).await?;
    }
    Ok(())
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

/// The statements that set aside, then build again, every key, index and foreign key of
/// `tables` (CHECK and NOT NULL constraints stay: they cost little per row).
pub(crate) struct PostData {
    /// Drops: foreign keys first, then keys, then plain indexes.
    pub(crate) drop: Vec<String>,
    /// Creates: keys, then plain indexes, then foreign keys (whose validation is then a
    /// check of every reference copied).
    pub(crate) create: Vec<String>,
}

pub(crate) async fn post_data(
    conn: &mut PgConnection,
    tables: &[&str],
) -> Result<PostData, sqlx::Error> {
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    let constraints: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.contype::text, quote_ident(t.relname), quote_ident(c.conname), pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) \
           AND c.contype IN ('p', 'u', 'f') \
         ORDER BY t.relname, c.conname",
    )
    .bind(&tables)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT quote_ident(i.relname), pg_get_indexdef(x.indexrelid) \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x')) \
         ORDER BY i.relname",
    )
    .bind(&tables)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await?;
    type Constraint = (String, String, String, String);
    fn of<'a>(all: &'a [Constraint], kind: &'a str) -> impl Iterator<Item = &'a Constraint> {
        all.iter().filter(move |c| c.0 == kind)
    }
    let of = |kind| of(&constraints, kind);
    let drop_constraint =
        |(_, table, name, _): &Constraint| format!("ALTER TABLE {table} DROP CONSTRAINT {name}");
    let add_constraint = |(_, table, name, def): &Constraint| {
        format!("ALTER TABLE {table} ADD CONSTRAINT {name} {def}")
    };
    let mut drop: Vec<String> = of("f").map(drop_constraint).collect();
    drop.extend(of("p").chain(of("u")).map(drop_constraint));
    drop.extend(indexes.iter().map(|(name, _)| format!("DROP INDEX {name}")));
    let mut create: Vec<String> = of("p").chain(of("u")).map(add_constraint).collect();
    create.extend(indexes.iter().map(|(_, def)| def.clone()));
    create.extend(of("f").map(add_constraint));
    Ok(PostData { drop, create })
}

/// The tables among `tables` with triggers of their own that fire on INSERT (they would
/// recompute copied values, such as priority scores and SLA deadlines).
pub(crate) async fn tables_with_insert_triggers(
    conn: &mut PgConnection,
    tables: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    // tgtype bit 2 (value 4) is INSERT.
    sqlx::query_scalar(
        "SELECT DISTINCT quote_ident(t.relname) FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid \
         WHERE NOT g.tgisinternal AND g.tgtype & 4 <> 0 \
           AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)",
    )
    .bind(&tables)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await
}

/// Runs each statement in turn.
pub(crate) async fn execute_all(
    conn: &mut PgConnection,
    statements: &[String],
) -> Result<(), sqlx::Error> {
    for statement in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.as_str())).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The number of rows of `table` that `filter` (a WHERE clause, or nothing) selects.
pub(crate) async fn count(
    conn: &mut PgConnection,
    table: &TableSpec,
    filter: &str,
) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT count(*) FROM {}{filter}", table.name);
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).persistent(false).fetch_one(&mut *conn).await
}

/// Sets aside for a load into `tables` what slows it (with `bare`, their keys, indexes and
/// foreign keys; always, the user triggers that fire on insert) and returns the statements
/// that put it all back.
pub(crate) async fn set_aside(
    conn: &mut PgConnection,
    tables: &[&str],
    bare: bool,
) -> Result<Vec<String>, sqlx::Error> {
    let mut restore = Vec::new();
    let mut drop = Vec::new();
    if bare {
        let post_data = post_data(conn, tables).await?;
        drop.extend(post_data.drop);
        restore.extend(post_data.create);
    }
    for table in tables_with_insert_triggers(conn, tables).await? {
        drop.push(format!("ALTER TABLE {table} DISABLE TRIGGER USER"));
        restore.push(format!("ALTER TABLE {table} ENABLE TRIGGER USER"));
    }
    execute_all(conn, &drop).await?;
    Ok(restore)
}
