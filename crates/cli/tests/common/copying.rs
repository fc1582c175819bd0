//! Copying between databases: what the copy tests share. Content is compared independently
//! of the copy's own hashing: every row of every table read through the entities (typed
//! values: times, decimals, JSON), as JSON, sorted.

use std::collections::BTreeMap;
use std::path::Path;

use entity::prelude::*;
use sea_orm::sea_query::ColumnType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Iterable, Statement,
};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

use super::chatdb;

pub const SAMPLE_TENANT: &str = "0193a000-0001-7000-8000-000000000001";

/// What [`content`] reads: each table's rows, sorted.
pub type Content = BTreeMap<&'static str, Vec<String>>;

/// The rows of `content` that belong to `tenant` (or, with `mine` false, to the others).
pub fn of_tenant(content: &Content, tenant: &str, mine: bool) -> Content {
    content
        .iter()
        .map(|(table, rows)| {
            (*table, rows.iter().filter(|row| row.contains(tenant) == mine).cloned().collect())
        })
        .collect()
}

/// Every row of every table, as the entities read them (every field, secrets included, in
/// their `Debug` form), sorted: what "the same content" means to the application.
pub async fn content(db: &DatabaseConnection) -> BTreeMap<&'static str, Vec<String>> {
    async fn rows<E>(db: &DatabaseConnection) -> Vec<String>
    where
        E: EntityTrait,
        E::Model: std::fmt::Debug,
    {
        let mut rows: Vec<String> = E::find()
            .all(db)
            .await
            .expect("read the table")
            .iter()
            .map(|m| format!("{m:?}"))
            .collect();
        rows.sort();
        rows
    }
    BTreeMap::from([
        ("audit_logs", rows::<AuditLogs>(db).await),
        ("automations", rows::<Automations>(db).await),
        ("conversation_tags", rows::<ConversationTags>(db).await),
        ("conversations", rows::<Conversations>(db).await),
        ("customer_tags", rows::<CustomerTags>(db).await),
        ("customers", rows::<Customers>(db).await),
        ("file_attachments", rows::<FileAttachments>(db).await),
        ("messages", rows::<Messages>(db).await),
        ("notification_settings", rows::<NotificationSettings>(db).await),
        ("performance_metrics", rows::<PerformanceMetrics>(db).await),
        ("subscriptions", rows::<Subscriptions>(db).await),
        ("tags", rows::<Tags>(db).await),
        ("tenants", rows::<Tenants>(db).await),
        ("user_sessions", rows::<UserSessions>(db).await),
        ("users", rows::<Users>(db).await),
        ("webhooks", rows::<Webhooks>(db).await),
    ])
}

/// The stored text of every decimal and JSON column, keyed `table.column id`: read past
/// the entities (which round decimals and parse JSON into floats), so that what a copy's
/// own normalisation would hide shows.
pub async fn stored_texts(db: &DatabaseConnection) -> BTreeMap<String, String> {
    async fn of<E: EntityTrait + Default>(
        db: &DatabaseConnection,
        all: &mut BTreeMap<String, String>,
    ) {
        let table = E::default().table_name();
        for column in E::Column::iter() {
            let def = column.def();
            let (ColumnType::Decimal(_) | ColumnType::Json | ColumnType::JsonBinary) =
                def.get_column_type()
            else {
                continue;
            };
            let name = sea_orm::IdenStatic::as_str(&column);
            let sql = match db.get_database_backend() {
                DbBackend::Sqlite => {
                    format!("SELECT lower(hex(id)), CAST({name} AS TEXT) FROM {table}")
                }
                _ => format!("SELECT replace(id::text, '-', ''), {name}::text FROM {table}"),
            };
            let rows = db
                .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .expect("stored text");
            for row in rows {
                let id: String = row.try_get_by_index(0).expect("id");
                let text: String = row.try_get_by_index(1).expect("text");
                all.insert(format!("{table}.{name} {id}"), text);
            }
        }
    }
    let mut all = BTreeMap::new();
    of::<AuditLogs>(db, &mut all).await;
    of::<Automations>(db, &mut all).await;
    of::<Conversations>(db, &mut all).await;
    of::<Customers>(db, &mut all).await;
    of::<FileAttachments>(db, &mut all).await;
    of::<Messages>(db, &mut all).await;
    of::<PerformanceMetrics>(db, &mut all).await;
    of::<Subscriptions>(db, &mut all).await;
    of::<Tenants>(db, &mut all).await;
    of::<Users>(db, &mut all).await;
    of::<Webhooks>(db, &mut all).await;
    all
}

/// Each text of `sqlite` is what PostgreSQL (`pg`) itself makes of it in that column
/// (a decimal to the column's scale, JSON as jsonb): nothing lost on the way between them.
/// With `exactly`, decimals must be the very same text (PostgreSQL → SQLite: `12.50` stays
/// `12.50`).
pub async fn assert_same_stored_texts(
    sqlite: &BTreeMap<String, String>,
    pg: &BTreeMap<String, String>,
    pg_db: &DatabaseConnection,
    exactly: bool,
    step: &str,
) {
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        pg.keys().collect::<Vec<_>>(),
        "{step}: the same rows"
    );
    let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
    for (key, sqlite_text) in sqlite {
        let (column, _) = key.split_once(' ').expect("table.column id");
        let (table, name) = column.split_once('.').expect("table.column");
        let is_json = sqlite_text.starts_with(['{', '[']);
        if exactly && !is_json {
            assert_eq!(sqlite_text, &pg[key], "{step}: {key}");
            continue;
        }
        let sql = format!(
            "SELECT CAST({} AS {})::text",
            quote(sqlite_text),
            if is_json { "jsonb".to_owned() } else { pg_type(pg_db, table, name).await }
        );
        let stored: String = pg_db
            .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .expect("PostgreSQL's own form")
            .expect("a row")
            .try_get_by_index(0)
            .expect("text");
        assert_eq!(stored, pg[key], "{step}: {key} was {sqlite_text}");
    }
}

async fn pg_type(db: &DatabaseConnection, table: &str, column: &str) -> String {
    let sql = format!(
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
         WHERE attrelid = '{table}'::regclass AND attname = '{column}'"
    );
    db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect("the column's type")
        .expect("a row")
        .try_get_by_index(0)
        .expect("type")
}

pub fn assert_same_content(
    a: &BTreeMap<&'static str, Vec<String>>,
    b: &BTreeMap<&'static str, Vec<String>>,
    step: &str,
) {
    for (table, rows) in a {
        let other = &b[table];
        assert_eq!(rows.len(), other.len(), "{step}: {table} row count");
        if let Some((x, y)) = rows.iter().zip(other).find(|(x, y)| x != y) {
            panic!("{step}: {table} differs:\n  {x}\n  {y}");
        }
    }
}

pub async fn count(url: &str, sql: &str) -> i64 {
    binary::scalar(url, sql).await.expect("query")
}

/// Seeds a small, realistic data set (two tenants) into the database at `url`.
pub fn seed(dir: &Path, url: &str) {
    let args = [
        "seed",
        "--tenants",
        "2",
        "--users",
        "3",
        "--customers",
        "5",
        "--conversations",
        "6",
        "--messages",
        "40",
    ];
    let run = chatdb(dir, &[("DATABASE_URL", url)], &args);
    assert_eq!(run.code, 0, "{}", run.output());
}

pub fn copy(dir: &Path, from: &str, to: &str, extra: &[&str]) -> Run {
    let mut args = vec!["copy", "--from", from, "--to", to];
    args.extend_from_slice(extra);
    chatdb(dir, &[], &args)
}

pub async fn seeded_sqlite(dir: &Path) -> TestDb {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    seed(dir, db.url());
    db
}
