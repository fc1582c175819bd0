//! The seeder on both backends: determinism, integrity, idempotency, reset and refusals.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use config::{DatabaseConfig, Env};
use e2e::{Backend, CROSS_TENANT, TestDb, count, empty, migrated, on_both_backends, tenant};
use entity::prelude::*;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use seed::{Outcome, Preset, SeedError, SeedOptions, Sizes};

on_both_backends!(
    the_same_seed_gives_the_same_rows,
    seeded_data_keeps_every_rule_of_the_schema,
    a_second_identical_seeding_is_a_no_op_and_reset_removes_only_seeded_rows,
    seeding_into_an_existing_tenant_and_resetting_it,
    unsafe_targets_are_refused,
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

/// A hash of every row of every table, ordered by key; `priority_score` (computed from
/// the current time) is left out.
async fn table_hashes(db: &DatabaseConnection) -> Vec<(&'static str, u64)> {
    fn digest<T: std::fmt::Debug>(rows: &[T]) -> u64 {
        let mut hasher = DefaultHasher::new();
        for row in rows {
            format!("{row:?}").hash(&mut hasher);
        }
        hasher.finish()
    }
    let mut conversations =
        Conversations::find().order_by_asc(conversations::Column::Id).all(db).await.expect("rows");
    for c in &mut conversations {
        c.priority_score = 0;
    }
    vec![
        (
            "tenants",
            digest(&Tenants::find().order_by_asc(tenants::Column::Id).all(db).await.expect("rows")),
        ),
        (
            "users",
            digest(&Users::find().order_by_asc(users::Column::Id).all(db).await.expect("rows")),
        ),
        (
            "customers",
            digest(
                &Customers::find().order_by_asc(customers::Column::Id).all(db).await.expect("rows"),
            ),
        ),
        ("conversations", digest(&conversations)),
        (
            "messages",
            digest(
                &Messages::find().order_by_asc(messages::Column::Id).all(db).await.expect("rows"),
            ),
        ),
        ("tags", digest(&Tags::find().order_by_asc(tags::Column::Id).all(db).await.expect("rows"))),
        (
            "conversation_tags",
            digest(
                &ConversationTags::find()
                    .order_by_asc(conversation_tags::Column::ConversationId)
                    .order_by_asc(conversation_tags::Column::TagId)
                    .all(db)
                    .await
                    .expect("rows"),
            ),
        ),
        (
            "file_attachments",
            digest(
                &FileAttachments::find()
                    .order_by_asc(file_attachments::Column::Id)
                    .all(db)
                    .await
                    .expect("rows"),
            ),
        ),
        (
            "user_sessions",
            digest(
                &UserSessions::find()
                    .order_by_asc(user_sessions::Column::Id)
                    .all(db)
                    .await
                    .expect("rows"),
            ),
        ),
        (
            "subscriptions",
            digest(
                &Subscriptions::find()
                    .order_by_asc(subscriptions::Column::Id)
                    .all(db)
                    .await
                    .expect("rows"),
            ),
        ),
        (
            "audit_logs",
            digest(
                &AuditLogs::find()
                    .order_by_asc(audit_logs::Column::Id)
                    .all(db)
                    .await
                    .expect("rows"),
            ),
        ),
        (
            "performance_metrics",
            digest(
                &PerformanceMetrics::find()
                    .order_by_asc(performance_metrics::Column::Id)
                    .all(db)
                    .await
                    .expect("rows"),
            ),
        ),
    ]
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
        matches!(refused, Err(SeedError::Refused(_))),
        "production is never seeded: {refused:?}"
    );

    let staging = config_for(&db, &[&[("APP_ENV", "staging")][..], &insecure].concat());
    let refused = seed::seed(&staging, &options(small_custom())).await;
    assert!(
        matches!(&refused, Err(SeedError::Refused(m)) if m.contains("--allow-staging")),
        "{refused:?}"
    );
    seeded(&staging, &SeedOptions { allow_staging: true, ..options(small_custom()) }).await;
}

/// The rows of the seeded tenants only (V1 and V3 rows differ between databases).
async fn seeded_rows(db: &TestDb) -> (Vec<conversations::Model>, Vec<messages::Model>) {
    use sea_orm::{ColumnTrait, QueryFilter};
    let entries = seed::ledger::entries(db.conn()).await.expect("ledger");
    let tenants: Vec<uuid::Uuid> = entries
        .iter()
        .flat_map(|e| serde_json::from_str::<Vec<String>>(&e.created_tenants).expect("tenant list"))
        .map(|id| id.parse().expect("uuid"))
        .collect();
    let mut conversations = Conversations::find()
        .filter(conversations::Column::TenantId.is_in(tenants.clone()))
        .order_by_asc(conversations::Column::Id)
        .all(db.conn())
        .await
        .expect("rows");
    for c in &mut conversations {
        c.priority_score = 0;
    }
    let messages = Messages::find()
        .filter(messages::Column::TenantId.is_in(tenants))
        .order_by_asc(messages::Column::Id)
        .all(db.conn())
        .await
        .expect("rows");
    (conversations, messages)
}

#[tokio::test]
async fn postgres_and_sqlite_get_the_same_rows_ids_included() {
    let postgres = migrated(Backend::Postgres).await;
    let sqlite = migrated(Backend::Sqlite).await;

    seeded(&config_for(&postgres, &[]), &options(small_custom())).await;
    seeded(&config_for(&sqlite, &[]), &options(small_custom())).await;

    let (pg_conversations, pg_messages) = seeded_rows(&postgres).await;
    let (sqlite_conversations, sqlite_messages) = seeded_rows(&sqlite).await;
    assert_eq!(pg_messages.len(), 300);
    assert_eq!(pg_conversations, sqlite_conversations);
    assert_eq!(pg_messages, sqlite_messages);
}
