//! Which way a seeding writes its rows. Into tables that hold few rows it loads as
//! `chatdb copy` does ([`bulk_load`]): keys, indexes and foreign keys set aside in the
//! seeding's transaction and built once after the rows; the triggers stay on, so every
//! value they compute is what the indexed path gets. Into tables that already hold much,
//! it writes through the indexes.

use bulk_load::{self as bulk, SetAside};
use sea_orm::sqlx::{self, PgConnection};
use serde::Serialize;

use crate::SeedError;
use crate::sqlite::Seeding;
use crate::tables::TableSpec;

/// How the rows were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadPath {
    /// Keys, indexes and foreign keys set aside, built back after the rows.
    Bulk,
    /// Through every index and key, row by row.
    Indexed,
}

/// The seeder sets aside keys and indexes only: the triggers compute its rows' values.
const SEEDER_SETS_ASIDE: SetAside = SetAside { keys_and_indexes: true, insert_triggers: false };

/// The way chosen, from the rows already in the tables to fill.
pub(crate) struct Choice {
    pub(crate) path: LoadPath,
    /// Rows found in the tables to fill (counted up to one more than the seeding writes).
    pub(crate) existing: u64,
    /// The tables that hold no row (on the bulk path, PostgreSQL loads them frozen).
    empty: Vec<&'static str>,
}

impl Choice {
    /// Whether `table` is loaded with `COPY … FREEZE`: on the bulk path, when it was empty
    /// (it is then truncated in the seeding's transaction, as FREEZE requires).
    pub(crate) fn freezes(&self, table: &str) -> bool {
        self.path == LoadPath::Bulk && self.empty.contains(&table)
    }
}

/// Counts the rows already in `tables` ([`bulk::count_existing`]) and chooses.
async fn choose<F>(tables: &[TableSpec], mut count: F) -> Result<Choice, SeedError>
where
    F: AsyncFnMut(String) -> Result<i64, SeedError>,
{
    let incoming: u64 = tables.iter().map(|t| t.rows).sum();
    let found = bulk::count_existing(&names(tables), incoming, async |_, sql| {
        Ok::<_, SeedError>(count(sql).await?.max(0) as u64)
    })
    .await?;
    let path = if found.worth_setting_aside { LoadPath::Bulk } else { LoadPath::Indexed };
    Ok(Choice { path, existing: found.existing, empty: found.empty })
}

fn names(tables: &[TableSpec]) -> Vec<&'static str> {
    tables.iter().map(|t| t.name).collect()
}

/// Each table with the rows the seeding writes into it.
fn loads(tables: &[TableSpec]) -> Vec<(&'static str, u64)> {
    tables.iter().map(|t| (t.name, t.rows)).collect()
}

/// Chooses on PostgreSQL and, for the bulk path, sets aside what slows the load (and
/// empties the empty tables in this transaction, for FREEZE); returns the choice and the
/// statements that build everything back.
pub(crate) async fn prepare_postgres(
    tx: &mut PgConnection,
    tables: &[TableSpec],
) -> Result<(Choice, Vec<String>), SeedError> {
    let choice = choose(tables, async |sql| {
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .persistent(false)
            .fetch_one(&mut *tx)
            .await?)
    })
    .await?;
    if choice.path == LoadPath::Indexed {
        return Ok((choice, Vec::new()));
    }
    // Index builds are the bulk path's last steps; give them the memory a restore gets.
    sqlx::raw_sql("SET LOCAL maintenance_work_mem = '256MB'").execute(&mut *tx).await?;
    let restore = bulk::postgres::set_aside(tx, &loads(tables), SEEDER_SETS_ASIDE).await?;
    if !choice.empty.is_empty() {
        let truncate = format!("TRUNCATE {}", choice.empty.join(", "));
        sqlx::raw_sql(sqlx::AssertSqlSafe(truncate)).execute(&mut *tx).await?;
    }
    Ok((choice, restore))
}

/// Builds back on PostgreSQL what [`prepare_postgres`] set aside.
pub(crate) async fn restore_postgres(
    tx: &mut PgConnection,
    restore: &[String],
) -> Result<(), SeedError> {
    Ok(bulk::postgres::execute_all(tx, restore).await?)
}

/// [`prepare_postgres`] on SQLite: the indexes set aside (keys and foreign keys are part of
/// the tables there, and check each row as it comes).
pub(crate) async fn prepare_sqlite(
    seeding: &Seeding,
    tables: &[TableSpec],
) -> Result<(Choice, Vec<String>), SeedError> {
    let choice = choose(tables, async |sql| {
        seeding.run(move |conn| Ok(conn.query_row(&sql, [], |row| row.get(0))?)).await
    })
    .await?;
    if choice.path == LoadPath::Indexed {
        return Ok((choice, Vec::new()));
    }
    let objects = seeding.run(|conn| Ok(bulk::sqlite::objects(conn)?)).await?;
    let (drop, restore) = bulk::sqlite::plan(objects, &loads(tables), SEEDER_SETS_ASIDE);
    seeding.execute_all(drop).await?;
    Ok((choice, restore))
}
