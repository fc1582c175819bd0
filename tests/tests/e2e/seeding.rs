//! The seeder on both backends: determinism, integrity, idempotency, reset and refusals.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use db_config::{DatabaseConfig, Env};
use e2e::{Backend, CROSS_TENANT, TestDb, count, empty, migrated, on_both_backends, tenant};
use entity::prelude::*;
use std::str::FromStr;

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Iterable, PrimaryKeyToColumn, QueryFilter,
    QueryOrder,
};
use seed::{LoadPath, Outcome, Preset, SeedError, SeedOptions, Sizes};
use uuid::Uuid;

on_both_backends!(
    the_same_seed_gives_the_same_rows,
    seeded_data_keeps_every_rule_of_the_schema,
    a_second_identical_seeding_is_a_no_op_and_reset_removes_only_seeded_rows,
    seeding_into_an_existing_tenant_and_resetting_it,
    unsafe_targets_are_refused,
    the_bulk_path_writes_exactly_what_the_indexed_path_writes,
);

fn config_for(db: &TestDb, extra: &[(&str, &str)]) -> DatabaseConfig {
    let mut pairs = vec![("DATABASE_URL", db.url())];
    pairs.extend_from_slice(extra);
    DatabaseConfig::resolve(&Env::from_pairs(pairs, [])).expect("configuration")
}

fn small_custom() -> Sizes {
    Sizes {
        tenants: 2,
        users: 6,
        customers: 20,
        conversations: 30,
        messages: 300,
        tags_per_tenant: 4,
        attachments: 10,
        sessions: 8,
        audit_logs: 25,
        metrics: 9,
    }
}

fn options(sizes: Sizes) -> SeedOptions {
    SeedOptions {
        preset: Preset::Small,
        sizes,
        seed: 7,
        anchor: seed::default_anchor(),
        tenant: None,
        allow_staging: false,
        progress: false,
    }
}

async fn seeded(config: &DatabaseConfig, options: &SeedOptions) -> seed::Summary {
    match seed::seed(config, options).await.expect("seeding") {
        Outcome::Seeded(summary) => summary,
        Outcome::AlreadySeeded(entry) => panic!("unexpectedly already seeded: {entry:?}"),
    }
}

/// Every row of `E` (of `tenants` only, when given), ordered by primary key, as text, with
/// `priority_score` (computed from the current time) blanked.
async fn rows<E>(db: &DatabaseConnection, tenants: Option<&[Uuid]>) -> Vec<String>
where
    E: EntityTrait,
    E::Model: std::fmt::Debug,
{
    let mut query = E::find();
    if let Some(ids) = tenants {
        let column = E::Column::from_str("tenant_id").or_else(|_| E::Column::from_str("id"));
        let column =
            column.unwrap_or_else(|_| panic!("{} has no tenant column", E::default().table_name()));
        query = query.filter(column.is_in(ids.iter().copied()));
    }
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let score = regex_lite_blank("priority_score: ");
    query.all(db).await.expect("rows").iter().map(|row| score(&format!("{row:?}"))).collect()
}

/// Blanks the number that follows `label` in a row's text.
fn regex_lite_blank(label: &'static str) -> impl Fn(&str) -> String {
    move |text| match text.split_once(label) {
        Some((before, after)) => {
            let rest = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
            format!("{before}{label}_{rest}")
        }
        None => text.to_owned(),
    }
}

/// [`rows`] of every table the entities map.
async fn every_table(
    db: &DatabaseConnection,
    tenants: Option<&[Uuid]>,
) -> Vec<(&'static str, Vec<String>)> {
    macro_rules! tables {
        ($($entity:ty),+ $(,)?) => {
            vec![$((stringify!($entity), rows::<$entity>(db, tenants).await)),+]
        };
    }
    let all = tables!(
        Tenants,
        Users,
        Customers,
        Conversations,
        Messages,
        Subscriptions,
        Automations,
        Tags,
        ConversationTags,
        CustomerTags,
        FileAttachments,
        AuditLogs,
        Webhooks,
        UserSessions,
        NotificationSettings,
        PerformanceMetrics,
    );
    assert_eq!(all.len(), entity::schema::tables().len(), "every entity is compared");
    all
}

/// A hash of every row of every table.
async fn table_hashes(db: &DatabaseConnection) -> Vec<(&'static str, u64)> {
    every_table(db, None)
        .await
        .into_iter()
        .map(|(table, rows)| {
            let mut hasher = DefaultHasher::new();
            rows.hash(&mut hasher);
            (table, hasher.finish())
        })
        .collect()
}

async fn the_same_seed_gives_the_same_rows(backend: Backend) {
    let first = migrated(backend).await;
    let second = migrated(backend).await;

    seeded(&config_for(&first, &[]), &options(small_custom())).await;
    seeded(&config_for(&second, &[]), &options(small_custom())).await;

    assert_eq!(table_hashes(first.conn()).await, table_hashes(second.conn()).await);
    let other_seed = migrated(backend).await;
    seeded(&config_for(&other_seed, &[]), &SeedOptions { seed: 8, ..options(small_custom()) })
        .await;
    assert_ne!(
        table_hashes(first.conn()).await,
        table_hashes(other_seed.conn()).await,
        "another seed, other rows"
    );
}

async fn seeded_data_keeps_every_rule_of_the_schema(backend: Backend) {
    for sizes in [Preset::Small.sizes(), small_custom()] {
        let db = migrated(backend).await;
        let before = count(db.conn(), "SELECT count(*) FROM messages").await;

        let summary = seeded(&config_for(&db, &[]), &options(sizes.clone())).await;

        let conn = db.conn();
        assert_eq!(
            count(conn, "SELECT count(*) FROM messages").await - before,
            i64::from(sizes.messages)
        );
        for (table, expected) in [
            ("conversations", sizes.conversations),
            ("customers", sizes.customers),
            ("file_attachments", sizes.attachments),
            ("audit_logs", sizes.audit_logs),
        ] {
            let written = summary.tables.iter().find(|t| t.table == table).map(|t| t.rows);
            assert_eq!(written, Some(u64::from(expected)), "{table}");
        }
        for (what, sql) in CROSS_TENANT {
            assert_eq!(count(conn, sql).await, 0, "{what}");
        }
        let unscored =
            "SELECT count(*) FROM conversations WHERE priority_score < 25 OR sla_deadline IS NULL";
        assert_eq!(count(conn, unscored).await, 0, "triggers computed scores and deadlines");
        let out_of_order = "SELECT count(*) FROM messages a JOIN messages b ON a.conversation_id = b.conversation_id \
                            AND a.created_at < b.created_at AND a.id > b.id";
        assert_eq!(count(conn, out_of_order).await, 0, "message ids follow their times");
    }
}

async fn a_second_identical_seeding_is_a_no_op_and_reset_removes_only_seeded_rows(
    backend: Backend,
) {
    let db = migrated(backend).await;
    let config = config_for(&db, &[]);
    let mine = tenant(db.conn(), "Created in the app").await;
    let tables =
        ["tenants", "users", "customers", "conversations", "messages", "tags", "audit_logs"];
    let mut before = Vec::new();
    for table in tables {
        before.push(count(db.conn(), &format!("SELECT count(*) FROM {table}")).await);
    }

    let first = seeded(&config, &options(small_custom())).await;
    assert!(first.total_rows > 0);
    let again = seed::seed(&config, &options(small_custom())).await.expect("second run");
    assert!(matches!(again, Outcome::AlreadySeeded(_)), "the same seeding twice writes nothing");
    let messages = count(db.conn(), "SELECT count(*) FROM messages").await;
    assert_eq!(messages, before[4] + 300);

    let removed = seed::reset(&config, false).await.expect("reset");

    assert_eq!((removed.seedings, removed.tenants), (1, 2));
    for (table, expected) in tables.iter().zip(before) {
        assert_eq!(
            count(db.conn(), &format!("SELECT count(*) FROM {table}")).await,
            expected,
            "{table} after reset"
        );
    }
    assert!(Tenants::find_by_id(mine.id).one(db.conn()).await.expect("find").is_some());
    assert!(seed::ledger::entries(db.conn()).await.expect("ledger").is_empty());
}

async fn seeding_into_an_existing_tenant_and_resetting_it(backend: Backend) {
    let db = migrated(backend).await;
    let config = config_for(&db, &[]);
    let target = tenant(db.conn(), "Existing").await;
    let before = count(db.conn(), "SELECT count(*) FROM conversations").await;
    let tenants_before = count(db.conn(), "SELECT count(*) FROM tenants").await;

    let summary =
        seeded(&config, &SeedOptions { tenant: Some(target.id), ..options(small_custom()) }).await;

    assert_eq!(
        count(db.conn(), "SELECT count(*) FROM tenants").await,
        tenants_before,
        "no new tenants"
    );
    assert!(summary.tables.iter().all(|t| t.table != "tenants" && t.table != "subscriptions"));
    assert_eq!(count(db.conn(), "SELECT count(*) FROM conversations").await, before + 30);
    for (what, sql) in CROSS_TENANT {
        assert_eq!(count(db.conn(), sql).await, 0, "{what}");
    }

    let removed = seed::reset(&config, false).await.expect("reset");

    assert_eq!(removed.tenants, 0);
    assert!(removed.rows_in_existing_tenants > 0);
    assert_eq!(count(db.conn(), "SELECT count(*) FROM conversations").await, before);
    assert!(
        Tenants::find_by_id(target.id).one(db.conn()).await.expect("find").is_some(),
        "the tenant stays"
    );
}

async fn unsafe_targets_are_refused(backend: Backend) {
    let bare = empty(backend).await;
    let result = seed::seed(&config_for(&bare, &[]), &options(small_custom())).await;
    assert!(matches!(result, Err(SeedError::NotMigrated(_))), "{result:?}");
    assert!(result.map(|_| ()).unwrap_err().to_string().contains("chatdb migrate up"));

    let db = migrated(backend).await;
    let insecure = [("DB_SSL_MODE", "disable"), ("DB_ALLOW_INSECURE", "true")];
    let production = config_for(&db, &[&[("APP_ENV", "production")][..], &insecure].concat());
    let refused =
        seed::seed(&production, &SeedOptions { allow_staging: true, ..options(small_custom()) })
            .await;
    assert!(
        matches!(refused, Err(SeedError::Production)),
        "production is never seeded: {refused:?}"
    );

    let staging = config_for(&db, &[&[("APP_ENV", "staging")][..], &insecure].concat());
    let refused = seed::seed(&staging, &options(small_custom())).await;
    assert!(matches!(&refused, Err(SeedError::StagingNeedsFlag)), "{refused:?}");
    seeded(&staging, &SeedOptions { allow_staging: true, ..options(small_custom()) }).await;
}

/// The tenants the seedings created (V1 and V3 rows differ between databases).
async fn seeded_tenants(db: &TestDb) -> Vec<Uuid> {
    let entries = seed::ledger::entries(db.conn()).await.expect("ledger");
    entries
        .iter()
        .flat_map(|e| serde_json::from_str::<Vec<String>>(&e.created_tenants).expect("tenant list"))
        .map(|id| id.parse().expect("uuid"))
        .collect()
}

#[tokio::test]
async fn postgres_and_sqlite_get_the_same_rows_ids_included() {
    let postgres = migrated(Backend::Postgres).await;
    let sqlite = migrated(Backend::Sqlite).await;

    seeded(&config_for(&postgres, &[]), &options(small_custom())).await;
    seeded(&config_for(&sqlite, &[]), &options(small_custom())).await;

    let tenants = seeded_tenants(&postgres).await;
    assert_eq!(tenants, seeded_tenants(&sqlite).await);
    let on_postgres = every_table(postgres.conn(), Some(&tenants)).await;
    let on_sqlite = every_table(sqlite.conn(), Some(&tenants)).await;
    for ((table, pg_rows), (_, sqlite_rows)) in on_postgres.iter().zip(&on_sqlite) {
        assert_eq!(pg_rows, sqlite_rows, "{table} differs between PostgreSQL and SQLite");
    }
    let messages = on_postgres.iter().find(|(t, _)| *t == "Messages").map(|(_, r)| r.len());
    assert_eq!(messages, Some(300));
}

/// The same seeding into a fresh database (bulk: keys and indexes set aside) and into one
/// that already holds more than it writes (indexed): the same rows, every column, the
/// values the triggers compute (SLA deadlines) and the recounted tag usage included.
async fn the_bulk_path_writes_exactly_what_the_indexed_path_writes(backend: Backend) {
    let fresh = migrated(backend).await;
    let fuller = migrated(backend).await;
    let bigger = Sizes { messages: 900, customers: 60, ..small_custom() };
    let first =
        seeded(&config_for(&fuller, &[]), &SeedOptions { seed: 8, ..options(bigger) }).await;
    assert_eq!(first.load_path, LoadPath::Bulk, "a freshly migrated database");

    let bulk = seeded(&config_for(&fresh, &[]), &options(small_custom())).await;
    let indexed = seeded(&config_for(&fuller, &[]), &options(small_custom())).await;
    assert_eq!((bulk.load_path, indexed.load_path), (LoadPath::Bulk, LoadPath::Indexed));

    let tenants = seeded_tenants(&fresh).await;
    let in_bulk = every_table(fresh.conn(), Some(&tenants)).await;
    let through_indexes = every_table(fuller.conn(), Some(&tenants)).await;
    for ((table, bulk_rows), (_, indexed_rows)) in in_bulk.iter().zip(&through_indexes) {
        assert_eq!(bulk_rows, indexed_rows, "{backend:?}: {table} differs between the paths");
    }
    let deadlines =
        count(fresh.conn(), "SELECT count(*) FROM conversations WHERE sla_deadline IS NOT NULL")
            .await;
    assert!(deadlines > 0, "the trigger computed SLA deadlines in bulk too");
}

/// SQLite stores what it is given: the seeder's rows must be stored exactly as the
/// application stores the same values through the entities (UUIDs as 16 bytes, times as
/// sqlx spells them, booleans as integers), or ordering and comparisons on the stored
/// text would differ between seeded rows and real ones.
#[tokio::test]
async fn seeded_sqlite_rows_are_stored_as_the_application_stores_them() {
    use sea_orm::{ActiveModelTrait, IdenStatic, IntoActiveModel, Set};
    let db = migrated(Backend::Sqlite).await;
    seeded(&config_for(&db, &[]), &options(small_custom())).await;
    let seeded_message = Messages::find()
        .filter(entity::messages::Column::ReadAt.is_not_null())
        .one(db.conn())
        .await
        .expect("read a message")
        .expect("a seeded message that was read");
    let mut copy = seeded_message.clone().into_active_model();
    copy.id = Set(Uuid::now_v7());
    let copy = copy.insert(db.conn()).await.expect("the application writes the same message");

    let conn = db.conn();
    let stored = |id: Uuid| {
        let columns: Vec<String> = entity::messages::Column::iter()
            .map(|c| c.as_str())
            .filter(|c| *c != "id")
            .map(|c| format!("typeof({c}) || ':' || quote({c})"))
            .collect();
        let sql = format!(
            "SELECT {} FROM messages WHERE id = x'{}'",
            columns.join(" || ' ' || "),
            id.simple()
        );
        async move { e2e::text(conn, &sql).await }
    };
    assert_eq!(stored(seeded_message.id).await, stored(copy.id).await);
}
