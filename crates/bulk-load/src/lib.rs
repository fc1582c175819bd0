//! Loading many rows into tables that hold few, as `pg_restore` does: inside the load's
//! transaction, what makes each row slow (keys, indexes, foreign keys; triggers that would
//! recompute loaded values) is set aside, and built back once after the rows, so that the
//! rebuilt foreign keys check every reference in one pass. The copy loads this way, and
//! so does the seeder: one implementation of what is set aside and how it comes back.

use sea_orm::sqlx::{self, PgConnection};

/// What a bulk load sets aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SetAside {
    /// Primary keys, unique constraints, indexes and foreign keys (on SQLite, the indexes a
    /// `CREATE INDEX` builds again: keys and foreign keys are part of the table there).
    pub keys_and_indexes: bool,
    /// User triggers that fire on insert and write: right for copied rows, whose computed
    /// values come with them; wrong for generated rows, whose values the triggers compute.
    pub insert_triggers: bool,
}

/// Whether loading `incoming` rows into tables that already hold `existing` is worth
/// setting their keys and indexes aside. Rebuilding costs a sort of every row, old and
/// new, where writing through the indexes costs a descent per new row; measured here,
/// a bulk load is about four times as fast per new row, so it wins while the old rows
/// are fewer than a few times the new. At most as many old rows as new keeps a wide
/// margin, and keeps a small seeding into a large database (whose indexes would be
/// rebuilt for the sake of a few rows, its tables locked meanwhile) on the indexed path.
pub fn worth_setting_aside(existing: u64, incoming: u64) -> bool {
    existing <= incoming
}

/// Fewest rows a table must receive for its own keys and indexes to be set aside. Each
/// key, index or foreign key costs about a millisecond to drop and build back however
/// few the rows (a table has up to nine), where writing a row through them costs some
/// tens of microseconds: below a few hundred rows, the rebuild is the slower way. A
/// tenant moved to a new server brings thousands of messages and a few dozen users.
pub const FEWEST_ROWS_TO_SET_ASIDE: u64 = 500;

/// The tables of `loads` (each with the rows it receives) whose keys and indexes a bulk
/// load sets aside: those receiving at least [`FEWEST_ROWS_TO_SET_ASIDE`] rows.
pub fn receiving_many<'a>(loads: &[(&'a str, u64)]) -> Vec<&'a str> {
    loads.iter().filter(|(_, rows)| *rows >= FEWEST_ROWS_TO_SET_ASIDE).map(|(t, _)| *t).collect()
}

/// A `SELECT` of the number of rows in `table`, counting at most `limit`: enough to decide
/// [`worth_setting_aside`] without counting a large table through.
fn bounded_count(table: &str, limit: u64) -> String {
    format!("SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT {limit}) AS counted")
}

/// A `SELECT` of the number of rows in all of `tables`, counting at most `limit`: whether
/// a load of `limit - 1` rows is [`worth_setting_aside`], in one statement that stops
/// counting once it has seen enough.
pub fn bounded_total_count(tables: &[&str], limit: u64) -> String {
    let all: Vec<String> = tables.iter().map(|t| format!("SELECT 1 FROM {t}")).collect();
    format!("SELECT count(*) FROM ({} LIMIT {limit}) AS counted", all.join(" UNION ALL "))
}

/// What a load finds in the tables it fills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<'a> {
    /// The rows counted, each table up to one more than the load brings (enough to decide).
    pub existing: u64,
    /// The tables counted that hold no row.
    pub empty: Vec<&'a str>,
    /// Whether setting their keys and indexes aside is worth it ([`worth_setting_aside`]).
    pub worth_setting_aside: bool,
}

/// Counts the rows already in `tables` with `count` (given each table and its
/// [`bounded_count`] statement), stopping as soon as a load of `incoming` rows is no
/// longer worth setting keys and indexes aside for.
pub async fn count_existing<'a, E>(
    tables: &[&'a str],
    incoming: u64,
    mut count: impl AsyncFnMut(&'a str, String) -> Result<u64, E>,
) -> Result<Found<'a>, E> {
    let mut found = Found { existing: 0, empty: Vec::new(), worth_setting_aside: true };
    for &table in tables {
        let rows = count(table, bounded_count(table, incoming + 1)).await?;
        if rows == 0 {
            found.empty.push(table);
        }
        found.existing += rows;
        if !worth_setting_aside(found.existing, incoming) {
            found.worth_setting_aside = false;
            break;
        }
    }
    Ok(found)
}

/// PostgreSQL: the statements that set aside, then build back, what [`SetAside`] names.
pub mod postgres {
    use super::*;

    /// Sets aside what `what` names in the tables of `loads` (each with the rows it
    /// receives): keys and indexes of those [`receiving_many`] rows, foreign keys of other
    /// tables that point into them included (their keys cannot go while referenced);
    /// triggers of them all, found in one catalog query. Returns the statements that put
    /// it all back, foreign keys after the keys they point to.
    pub async fn set_aside(
        conn: &mut PgConnection,
        loads: &[(&str, u64)],
        what: SetAside,
    ) -> Result<Vec<String>, sqlx::Error> {
        let keyed: Vec<String> = if what.keys_and_indexes {
            receiving_many(loads).into_iter().map(str::to_owned).collect()
        } else {
            Vec::new()
        };
        let triggered: Vec<String> = if what.insert_triggers {
            loads.iter().map(|(t, _)| (*t).to_owned()).collect()
        } else {
            Vec::new()
        };
        if keyed.is_empty() && triggered.is_empty() {
            return Ok(Vec::new());
        }
        let objects = objects(conn, &keyed, &triggered).await?;
        let (drop, restore) = plan(&objects);
        execute_all(conn, &drop).await?;
        Ok(restore)
    }

    /// Runs the statements in order, in one round trip (a load sets aside and builds back
    /// some hundred objects, most on small tables, where the round trips were the cost).
    pub async fn execute_all(
        conn: &mut PgConnection,
        statements: &[String],
    ) -> Result<(), sqlx::Error> {
        if statements.is_empty() {
            return Ok(());
        }
        let batch = statements.join(";\n");
        sqlx::raw_sql(sqlx::AssertSqlSafe(batch)).execute(&mut *conn).await?;
        Ok(())
    }

    /// A key, index, foreign key or set of triggers to set aside.
    struct Object {
        /// `p`, `u`, `f` (a constraint of that type), `i` (a plain index) or `t` (the
        /// table's own triggers that fire on INSERT).
        kind: String,
        table: String,
        name: String,
        /// What creates it again.
        definition: String,
    }

    /// In one catalog query: every primary key, unique constraint, plain index and foreign
    /// key of `keyed` (with the foreign keys of other tables that point into them), and
    /// the tables of `triggered` that have triggers of their own firing on INSERT (tgtype
    /// bit 2, value 4). CHECK and NOT NULL constraints stay: they cost little per row.
    async fn objects(
        conn: &mut PgConnection,
        keyed: &[String],
        triggered: &[String],
    ) -> Result<Vec<Object>, sqlx::Error> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT c.contype::text, quote_ident(t.relname), quote_ident(c.conname), pg_get_constraintdef(c.oid) \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
             LEFT JOIN pg_class r ON r.oid = c.confrelid \
             WHERE t.relnamespace = current_schema()::regnamespace \
               AND (t.relname = ANY($1) OR (c.contype = 'f' AND r.relname = ANY($1) \
                    AND r.relnamespace = current_schema()::regnamespace)) \
               AND c.contype IN ('p', 'u', 'f') \
             UNION ALL \
             SELECT 'i', quote_ident(t.relname), quote_ident(i.relname), pg_get_indexdef(x.indexrelid) \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
             WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x')) \
             UNION ALL \
             SELECT 't', quote_ident(t.relname), '', '' FROM pg_class t \
             WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($2) \
               AND EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t.oid AND NOT g.tgisinternal AND g.tgtype & 4 <> 0) \
             ORDER BY 2, 3",
        )
        .bind(keyed)
        .bind(triggered)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, table, name, definition)| Object { kind, table, name, definition })
            .collect())
    }

    /// The statements that set `objects` aside (foreign keys first, then keys, then plain
    /// indexes, then triggers) and those that build them back (keys, plain indexes, then
    /// foreign keys, whose validation is then one check of every reference loaded; then
    /// the triggers).
    fn plan(objects: &[Object]) -> (Vec<String>, Vec<String>) {
        let of = |kind: &'static str| objects.iter().filter(move |o| o.kind == kind);
        let drop_constraint =
            |o: &Object| format!("ALTER TABLE {} DROP CONSTRAINT {}", o.table, o.name);
        let add_constraint = |o: &Object| {
            format!("ALTER TABLE {} ADD CONSTRAINT {} {}", o.table, o.name, o.definition)
        };
        let disable = |o: &Object| format!("ALTER TABLE {} DISABLE TRIGGER USER", o.table);
        let enable = |o: &Object| format!("ALTER TABLE {} ENABLE TRIGGER USER", o.table);
        let mut drop: Vec<String> = of("f").map(drop_constraint).collect();
        drop.extend(of("p").chain(of("u")).map(drop_constraint));
        drop.extend(of("i").map(|o| format!("DROP INDEX {}", o.name)));
        drop.extend(of("t").map(disable));
        let mut create: Vec<String> = of("p").chain(of("u")).map(add_constraint).collect();
        create.extend(of("i").map(|o| o.definition.clone()));
        create.extend(of("f").map(add_constraint));
        create.extend(of("t").map(enable));
        (drop, create)
    }
}

/// SQLite: which schema objects to set aside, decided from `sqlite_master` ([`sqlite::objects`],
/// read through rusqlite, the driver of both the copy and the seeder on SQLite).
pub mod sqlite {
    use super::SetAside;

    /// Run on the connection before the load's transaction begins: a 64 MB page cache, and
    /// temporaries in memory. The latter must precede `BEGIN`: SQLite decides when a write
    /// transaction starts whether each statement's rollback journal goes to memory or to a
    /// temporary file, and on a file a load of many multi-row INSERTs writes three times
    /// the pages it loads.
    pub const LOAD_PRAGMAS: &str = "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY";

    /// `type, name, tbl_name, sql` of every trigger and index a statement created.
    pub const OBJECTS: &str = "SELECT type, name, tbl_name, sql FROM sqlite_master \
                               WHERE type IN ('trigger', 'index') AND sql IS NOT NULL ORDER BY name";

    /// A row of [`OBJECTS`].
    #[derive(Clone, Debug)]
    pub struct Object {
        /// `trigger` or `index`.
        pub kind: String,
        /// Its name.
        pub name: String,
        /// The table it belongs to.
        pub table: String,
        /// The statement that created it (and creates it again).
        pub sql: String,
    }

    /// Reads [`OBJECTS`] on `conn`.
    pub fn objects(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<Object>> {
        let mut statement = conn.prepare(OBJECTS)?;
        let rows = statement.query_map([], |row| {
            Ok(Object {
                kind: row.get(0)?,
                name: row.get(1)?,
                table: row.get(2)?,
                sql: row.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// The statements that set aside, then put back, the objects of the tables of `loads`
    /// (each with the rows it receives) that `what` names: the indexes of those
    /// [`receiving_many`](super::receiving_many) rows, and the triggers that fire on insert
    /// and write (those that only check, such as the tenancy guards, stay on).
    pub fn plan(
        objects: Vec<Object>,
        loads: &[(&str, u64)],
        what: SetAside,
    ) -> (Vec<String>, Vec<String>) {
        let many = super::receiving_many(loads);
        objects
            .into_iter()
            .filter(|o| loads.iter().any(|(t, _)| *t == o.table))
            .filter(|o| match o.kind.as_str() {
                "trigger" => what.insert_triggers && writes_on_insert(&o.sql),
                "index" => what.keys_and_indexes && many.contains(&o.table.as_str()),
                _ => false,
            })
            .map(|o| (format!("DROP {} {}", o.kind.to_uppercase(), o.name), o.sql))
            .unzip()
    }

    /// Whether the trigger `sql` defines fires on INSERT and writes (it would recompute
    /// copied values, as the priority score's does); triggers that only check (`RAISE`)
    /// do not.
    pub(crate) fn writes_on_insert(sql: &str) -> bool {
        let sql = sql.to_ascii_uppercase();
        let Some((head, body)) = sql.split_once("BEGIN") else { return true };
        let fires_on_insert = head.split_whitespace().any(|word| word == "INSERT");
        let writes = ["UPDATE ", "INSERT ", "DELETE ", "REPLACE "].iter().any(|w| body.contains(w));
        fires_on_insert && writes
    }

    #[cfg(test)]
    mod tests {
        use super::{Object, SetAside, plan, writes_on_insert};

        #[test]
        fn only_tables_receiving_many_rows_have_their_indexes_set_aside() {
            let index = |table: &str| Object {
                kind: "index".to_owned(),
                name: format!("idx_{table}"),
                table: table.to_owned(),
                sql: format!("CREATE INDEX idx_{table} ON {table} (x)"),
            };
            let objects = vec![index("messages"), index("tags"), index("webhooks")];
            let what = SetAside { keys_and_indexes: true, insert_triggers: false };
            let (drop, restore) = plan(objects, &[("messages", 10_000), ("tags", 12)], what);
            assert_eq!(drop, ["DROP INDEX idx_messages"]);
            assert_eq!(restore, ["CREATE INDEX idx_messages ON messages (x)"]);
        }

        #[test]
        fn only_triggers_that_write_on_insert_are_set_aside() {
            let score = "CREATE TRIGGER s AFTER INSERT ON conversations FOR EACH ROW BEGIN \
                         UPDATE conversations SET priority_score = 1 WHERE id = NEW.id; END";
            let guard = "CREATE TRIGGER g BEFORE INSERT ON conversations FOR EACH ROW \
                         WHEN NEW.assigned_agent_id IS NOT NULL BEGIN SELECT RAISE(ABORT, 'x'); END";
            let touch = "CREATE TRIGGER t AFTER UPDATE ON users FOR EACH ROW BEGIN \
                         UPDATE users SET updated_at = 'now' WHERE id = NEW.id; END";
            assert!(writes_on_insert(score));
            assert!(!writes_on_insert(guard));
            assert!(!writes_on_insert(touch));
        }
    }
}
