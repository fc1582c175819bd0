//! Tenant isolation by row-level security (V4, PostgreSQL): the application's role, given
//! its privileges by `grant-app`, sees and writes only the tenant of its transaction.

use db_config::{DatabaseConfig, Env};
use e2e::{Backend, TestDb, migrated};
use entity::prelude::*;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityName,
    EntityTrait, PaginatorTrait, Statement,
};
use seed::{Preset, SeedOptions, Sizes};
use uuid::Uuid;

/// A seeded database, the application's connection to it, and two tenants with rows in
/// every table.
struct Deployment {
    db: TestDb,
    app: DatabaseConnection,
    app_config: DatabaseConfig,
    a: Uuid,
    b: Uuid,
}

fn config_of(url: &str) -> DatabaseConfig {
    DatabaseConfig::resolve(&Env::from_pairs([("DATABASE_URL", url)], [])).expect("configuration")
}

/// Every table that holds a tenant's rows, with the column naming the tenant.
fn isolated_tables() -> Vec<(&'static str, &'static str)> {
    entity::schema::tables()
        .iter()
        .filter_map(|t| {
            if t.name == Tenants.table_name() {
                Some((t.name, "id"))
            } else {
                t.columns.iter().any(|c| c.name == "tenant_id").then_some((t.name, "tenant_id"))
            }
        })
        .collect()
}

async fn deployment() -> Deployment {
    let db = migrated(Backend::Postgres).await;
    let owner = config_of(db.url());
    let sizes = Sizes {
        tenants: 2,
        users: 4,
        customers: 6,
        conversations: 8,
        messages: 40,
        tags_per_tenant: 3,
        attachments: 6,
        sessions: 4,
        audit_logs: 6,
        metrics: 4,
    };
    let options = SeedOptions {
        preset: Preset::Small,
        sizes,
        seed: 11,
        anchor: seed::default_anchor(),
        tenant: None,
        allow_staging: false,
        progress: false,
    };
    seed::seed(&owner, &options).await.expect("seeding");
    let own = migration::seeded_ids::migrations_own_tenants();
    let mut seeded: Vec<Uuid> = Tenants::find()
        .all(db.conn())
        .await
        .expect("tenants")
        .into_iter()
        .map(|t| t.id)
        .filter(|id| !own.contains(id))
        .collect();
    seeded.sort();
    let (a, b) = (seeded[0], seeded[1]);
    for tenant in [a, b] {
        // The seeder writes no automations or webhooks.
        owner_exec(
            &db,
            &format!(
                "INSERT INTO automations (tenant_id, name, trigger_type, actions) \
                 VALUES ('{tenant}', 'Escalate', 'MESSAGE', '[]'); \
                 INSERT INTO webhooks (tenant_id, name, url, events, secret_key) \
                 VALUES ('{tenant}', 'CRM', 'https://crm.example.com/hook', '[\"message.created\"]', 'hashed')"
            ),
        )
        .await;
    }
    let app_url = testkit::app_role_url(db.url()).await.expect("app role");
    migration::isolation::grant_app(&owner, testkit::APP_ROLE).await.expect("grant-app");
    let app_config = config_of(&app_url);
    let app = app_config.connect().await.expect("app connection");
    Deployment { db, app, app_config, a, b }
}

async fn owner_exec(db: &TestDb, sql: &str) {
    db.conn().execute_unprepared(sql).await.expect(sql);
}

async fn count_in<C: ConnectionTrait>(db: &C, sql: &str) -> i64 {
    e2e::first_value(db, sql).await
}

async fn affected(txn: &DatabaseTransaction, sql: String) -> Result<u64, DbErr> {
    Ok(txn.execute_unprepared(&sql).await?.rows_affected())
}

fn refused_by_row_security(result: Result<u64, DbErr>, what: &str) {
    match result {
        Err(e) => assert!(
            e.to_string().contains("violates row-level security policy"),
            "{what}: refused for another reason: {e}"
        ),
        Ok(n) => panic!("{what}: allowed ({n} rows)"),
    }
}

impl Deployment {
    /// One of `tenant`'s rows of `table` as JSON with its tenant replaced by `other` (and a
    /// new id where it has one): a row that `other` could hold.
    async fn row_moved_to(&self, table: &str, column: &str, tenant: Uuid, other: Uuid) -> String {
        let sql =
            format!("SELECT to_jsonb(x)::text FROM {table} x WHERE {column} = '{tenant}' LIMIT 1");
        let row = self.db.conn().query_one_raw(Statement::from_string(DbBackend::Postgres, sql));
        let text: String =
            row.await.expect("row").expect("a row").try_get_by_index(0).expect("json");
        let mut row: serde_json::Value = serde_json::from_str(&text).expect("json");
        row[column] = serde_json::Value::String(other.to_string());
        if column != "id" && row.get("id").is_some() {
            row["id"] = serde_json::Value::String(Uuid::new_v4().to_string());
        }
        row.to_string().replace('\'', "''")
    }

    async fn in_scope<T>(
        &self,
        tenant: Uuid,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, DbErr>,
    ) -> Result<T, DbErr> {
        self.app_config.scoped(&self.app, tenant, work).await
    }
}

#[tokio::test]
async fn a_scoped_application_sees_and_writes_only_its_tenant_in_every_table() {
    let d = deployment().await;
    let (a, b) = (d.a, d.b);

    for (table, column) in isolated_tables() {
        let owners_count_of =
            |t: Uuid| format!("SELECT count(*) FROM {table} WHERE {column} = '{t}'");
        let a_rows = count_in(d.db.conn(), &owners_count_of(a)).await;
        let b_rows = count_in(d.db.conn(), &owners_count_of(b)).await;
        assert!(a_rows > 0 && b_rows > 0, "{table}: both tenants need rows ({a_rows}, {b_rows})");

        let seen = d
            .in_scope(a, async |txn| {
                let all = count_in(txn, &format!("SELECT count(*) FROM {table}")).await;
                Ok((all, count_in(txn, &owners_count_of(b)).await))
            })
            .await
            .expect("reading");
        assert_eq!(seen, (a_rows, 0), "{table}: A's scope sees all of A's rows and none of B's");

        let other = d.row_moved_to(table, column, a, b).await;
        let insert = format!(
            "INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, '{other}'::jsonb)"
        );
        refused_by_row_security(
            d.in_scope(a, async |txn| affected(txn, insert).await).await,
            &format!("{table}: inserting B's row in A's scope"),
        );
        let moving = format!("UPDATE {table} SET {column} = '{b}' WHERE {column} = '{a}'");
        refused_by_row_security(
            d.in_scope(a, async |txn| affected(txn, moving).await).await,
            &format!("{table}: moving A's rows to B"),
        );
        let touched = d
            .in_scope(a, async |txn| {
                let updated =
                    format!("UPDATE {table} SET {column} = {column} WHERE {column} = '{b}'");
                let deleted = format!("DELETE FROM {table} WHERE {column} = '{b}'");
                Ok((affected(txn, updated).await?, affected(txn, deleted).await?))
            })
            .await
            .expect("writing");
        assert_eq!(touched, (0, 0), "{table}: updates and deletes aimed at B's rows");
        assert_eq!(count_in(d.db.conn(), &owners_count_of(b)).await, b_rows, "{table}: B intact");
    }
}

#[tokio::test]
async fn without_a_tenant_the_application_sees_nothing_and_writes_nothing() {
    let d = deployment().await;

    for (table, column) in isolated_tables() {
        let txn = d.app_config.begin(&d.app).await.expect("begin");
        assert_eq!(count_in(&txn, &format!("SELECT count(*) FROM {table}")).await, 0, "{table}");
        d.app_config.commit(txn).await.expect("commit");

        let row = d.row_moved_to(table, column, d.a, d.a).await;
        let insert = format!(
            "INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, '{row}'::jsonb)"
        );
        let txn = d.app_config.begin(&d.app).await.expect("begin");
        refused_by_row_security(affected(&txn, insert).await, &format!("{table}: unscoped insert"));
    }
    // An empty setting (what a pooled connection holds after a scoped transaction) is no
    // tenant either, and an application's own `SET` of it outside a transaction changes
    // nothing for the next one.
    let txn = d.app_config.begin(&d.app).await.expect("begin");
    txn.execute_unprepared("SELECT set_config('app.tenant_id', '', true)").await.expect("set");
    assert_eq!(Conversations::find().count(&txn).await.expect("count"), 0);
}

#[tokio::test]
async fn the_application_role_cannot_lift_its_confinement() {
    let d = deployment().await;
    let owner: String = {
        let row = d.db.conn().query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT tableowner::text FROM pg_tables WHERE tablename = 'messages'",
        ));
        row.await.expect("owner").expect("row").try_get_by_index(0).expect("name")
    };
    let attempts = [
        "ALTER TABLE messages DISABLE ROW LEVEL SECURITY".to_owned(),
        "ALTER TABLE messages NO FORCE ROW LEVEL SECURITY".to_owned(),
        "DROP POLICY tenant_isolation ON messages".to_owned(),
        "CREATE POLICY everything ON messages USING (true)".to_owned(),
        format!("SET ROLE {owner}"),
        "SET row_security = off; SELECT count(*) FROM messages".to_owned(),
        "TRUNCATE messages CASCADE".to_owned(),
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_x', 0)"
            .to_owned(),
        format!("DELETE FROM {}", migration::schema::SEED_LEDGER_TABLE),
        "DELETE FROM seaql_migrations".to_owned(),
        "CREATE TABLE shadow (id int)".to_owned(),
    ];
    for sql in attempts {
        let result = d.in_scope(d.a, async |txn| affected(txn, sql.clone()).await).await;
        let err = result.expect_err(&format!("the application's role ran: {sql}"));
        let message = err.to_string();
        assert!(
            message.contains("must be owner")
                || message.contains("permission denied")
                || message.contains("row-level security"),
            "{sql}: {message}"
        );
    }
    // Reading the migration history is allowed (an app may check it is at head).
    let applied = d
        .in_scope(d.a, async |txn| Ok(count_in(txn, "SELECT count(*) FROM seaql_migrations").await))
        .await
        .expect("history");
    assert_eq!(applied, migration::Migrator::names().len() as i64);
}

#[tokio::test]
async fn triggers_and_foreign_keys_work_for_a_confined_role() {
    let d = deployment().await;
    let (a, b) = (d.a, d.b);
    let customer_of = async |tenant: Uuid| -> Uuid {
        let sql = format!("SELECT id FROM customers WHERE tenant_id = '{tenant}' LIMIT 1");
        let row = d.db.conn().query_one_raw(Statement::from_string(DbBackend::Postgres, sql));
        row.await.expect("customer").expect("row").try_get_by_index(0).expect("id")
    };
    let (mine, theirs) = (customer_of(a).await, customer_of(b).await);

    // The priority score and SLA deadline are computed from the scoped tenant's own row.
    let id = Uuid::new_v4();
    let computed = d
        .in_scope(a, async |txn| {
            txn.execute_unprepared(&format!(
                "INSERT INTO conversations (id, tenant_id, customer_id, priority, created_at) \
                 VALUES ('{id}', '{a}', '{mine}', 'HIGH', now() - interval '3 hours')"
            ))
            .await?;
            let sql = format!(
                "SELECT priority_score::bigint, \
                        extract(epoch FROM sla_deadline - created_at)::bigint / 60 \
                 FROM conversations WHERE id = '{id}'"
            );
            let row = txn.query_one_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
            let row = row.expect("the new conversation");
            Ok((row.try_get_by_index::<i64>(0)?, row.try_get_by_index::<i64>(1)?))
        })
        .await
        .expect("inserting a conversation");
    let resolution: i64 = count_in(
        d.db.conn(),
        &format!(
            "SELECT (sla_policies ->> 'resolution_time')::bigint FROM tenants WHERE id = '{a}'"
        ),
    )
    .await;
    assert_eq!(computed, (100 + 3, resolution), "HIGH = 100, plus 3 whole hours open");

    // A link to another tenant's customer is refused, though the guard cannot see it.
    let cross =
        format!("INSERT INTO conversations (tenant_id, customer_id) VALUES ('{a}', '{theirs}')");
    let refused = d.in_scope(a, async |txn| affected(txn, cross).await).await;
    let message = refused.expect_err("a cross-tenant link").to_string();
    assert!(message.contains("foreign key"), "{message}");

    // Tag counts recounted in the tenant's scope equal the owner's recount.
    let tag_counts = "SELECT coalesce(sum(usage_count), 0)::bigint FROM tags";
    let scoped = d
        .in_scope(a, async |txn| {
            txn.execute_unprepared(migration::RECOUNT_TAG_USAGE).await?;
            Ok(count_in(txn, tag_counts).await)
        })
        .await
        .expect("recount");
    owner_exec(&d.db, migration::RECOUNT_TAG_USAGE).await;
    let owners = count_in(
        d.db.conn(),
        &format!("SELECT coalesce(sum(usage_count), 0)::bigint FROM tags WHERE tenant_id = '{a}'"),
    )
    .await;
    assert!(owners > 0);
    assert_eq!(scoped, owners);
}

#[tokio::test]
async fn a_tenant_set_in_one_transaction_is_gone_in_the_next_through_pgbouncer() {
    let d = deployment().await;
    let through = testkit::pgbouncer_url(&testkit::app_role_url(d.db.url()).await.expect("url"))
        .expect("PgBouncer");
    let pooled = config_of(&format!("{through}?pgbouncer=true"));
    let first_client = pooled.connect_single().await.expect("connect");
    let second_client = pooled.connect_single().await.expect("connect");
    let server_pid = "SELECT pg_backend_pid()::bigint";

    let (scoped_pid, seen) = pooled
        .scoped(&first_client, d.a, async |txn| {
            Ok::<_, DbErr>((
                count_in(txn, server_pid).await,
                Conversations::find().count(txn).await?,
            ))
        })
        .await
        .expect("scoped");
    assert!(seen > 0);
    for client in [&first_client, &second_client] {
        let txn = pooled.begin(client).await.expect("begin");
        let pid = count_in(&txn, server_pid).await;
        let unscoped = Conversations::find().count(&txn).await.expect("count");
        pooled.commit(txn).await.expect("commit");
        assert_eq!(
            pid, scoped_pid,
            "PgBouncer gave the next transaction the same server connection"
        );
        assert_eq!(unscoped, 0, "the next transaction on that server connection sees nothing");
    }
}

#[tokio::test]
async fn every_table_with_a_tenant_enforces_row_level_security() {
    // Fails closed for the next migration: a new table with a tenant_id must come with its policy.
    let db = migrated(Backend::Postgres).await;
    for (table, column) in isolated_tables() {
        let sql = format!(
            "SELECT count(*) FROM pg_class c JOIN pg_policies p ON p.tablename = c.relname \
             WHERE c.relname = '{table}' AND c.relrowsecurity AND p.cmd = 'ALL' \
               AND p.qual LIKE '%{column} = %app.tenant_id%' \
               AND p.with_check LIKE '%{column} = %app.tenant_id%' \
               AND c.relnamespace = current_schema()::regnamespace"
        );
        assert_eq!(count_in(db.conn(), &sql).await, 1, "{table} is not confined by {column}");
    }
    let permissive_extra = count_in(
        db.conn(),
        "SELECT count(*) FROM pg_policies WHERE schemaname = current_schema() AND policyname <> 'tenant_isolation'",
    )
    .await;
    assert_eq!(permissive_extra, 0, "a second permissive policy would widen what a tenant sees");
}

#[tokio::test]
async fn e_mail_lookups_find_the_scoped_tenants_row_and_nothing_of_another() {
    let d = deployment().await;
    let email_of = async |table: &str, tenant: Uuid| -> String {
        let sql = format!(
            "SELECT email FROM {table} WHERE tenant_id = '{tenant}' AND email IS NOT NULL LIMIT 1"
        );
        let row = d.db.conn().query_one_raw(Statement::from_string(DbBackend::Postgres, sql));
        row.await.expect("email").expect("row").try_get_by_index(0).expect("email")
    };
    let (customer_a, customer_b) =
        (email_of("customers", d.a).await, email_of("customers", d.b).await);
    let (user_a, user_b) = (email_of("users", d.a).await, email_of("users", d.b).await);

    let found = d
        .in_scope(d.a, async |txn| {
            Ok((
                Customers::find_by_email(txn, d.a, &customer_a.to_uppercase()).await?,
                Users::find_by_email(txn, d.a, &user_a.to_uppercase()).await?,
                Customers::find_by_email(txn, d.b, &customer_b).await?,
                Users::find_by_email(txn, d.b, &user_b).await?,
            ))
        })
        .await
        .expect("lookups");
    assert_eq!(found.0.map(|c| (c.tenant_id, c.email)), Some((d.a, Some(customer_a.clone()))));
    assert_eq!(found.1.map(|u| (u.tenant_id, u.email)), Some((d.a, user_a)));
    assert!(found.2.is_none() && found.3.is_none(), "another tenant's rows stay out of reach");

    let txn = d.app_config.begin(&d.app).await.expect("begin");
    let unscoped = Customers::find_by_email(&txn, d.a, &customer_a).await.expect("lookup");
    assert!(unscoped.is_none(), "no tenant, no row");
}
