//! Copying between databases: what the copy tests share. Content is compared independently
//! of the copy's own hashing: every row of every table read through the entities (typed
//! values: times, decimals, JSON), as JSON, sorted.

use std::collections::BTreeMap;
use std::path::Path;

use entity::prelude::*;
use sea_orm::{DatabaseConnection, EntityTrait};
use testkit::binary::{self, Run};
use testkit::{Backend, TestDb};

use super::chatdb;

pub const SAMPLE_TENANT: &str = "0193a000-0001-7000-8000-000000000001";

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
