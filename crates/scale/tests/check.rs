//! The distribution check on the migrated schema (what blocks it today, named) and on a
//! small schema that satisfies every rule, then breaks exactly one at a time.
#![expect(clippy::expect_used, reason = "a test fails loudly on anything unexpected")]

use sea_orm::ConnectionTrait;
use testkit::{Backend, TestDb};

/// Satisfies every rule: tenant keys everywhere, a reference table, a same-tenant link
/// whose SET NULL leaves the tenant alone.
const CLEAN: &str = "
    CREATE TABLE tenants (id uuid PRIMARY KEY);
    CREATE TABLE plans (id int PRIMARY KEY);
    CREATE TABLE customers (tenant_id uuid NOT NULL REFERENCES tenants, id uuid NOT NULL,
        plan int REFERENCES plans, PRIMARY KEY (tenant_id, id));
    CREATE TABLE messages (tenant_id uuid NOT NULL REFERENCES tenants, id uuid NOT NULL,
        customer_id uuid, PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
            ON DELETE SET NULL (customer_id));";

async fn codes(extra: &str) -> Vec<&'static str> {
    let db = TestDb::empty(Backend::Postgres).await.expect("database");
    db.conn().execute_unprepared(CLEAN).await.expect("the clean schema");
    db.conn().execute_unprepared(extra).await.expect("the break");
    let plan = scale::check(db.conn(), "tenant_id").await.expect("check");
    plan.findings.iter().map(|f| f.code).collect()
}

#[tokio::test]
async fn a_schema_that_satisfies_every_rule_has_no_finding_and_each_break_is_named() {
    assert_eq!(codes("").await, Vec::<&str>::new(), "the clean schema");
    let breaks = [
        ("SC01", "CREATE UNIQUE INDEX customers_id ON customers (id)"),
        (
            "SC02",
            "ALTER TABLE messages ADD COLUMN other uuid, ADD FOREIGN KEY (other, tenant_id) \
             REFERENCES customers (tenant_id, id)",
        ),
        (
            "SC03",
            "CREATE TABLE offers (id int PRIMARY KEY, tenant uuid, customer uuid, \
             FOREIGN KEY (tenant, customer) REFERENCES customers (tenant_id, id))",
        ),
        (
            "SC04",
            "ALTER TABLE messages ADD COLUMN owner_id uuid, ADD FOREIGN KEY (tenant_id, owner_id) \
             REFERENCES customers (tenant_id, id) ON DELETE SET NULL",
        ),
        ("SC05", "CREATE TABLE notes (tenant_id uuid REFERENCES tenants, body text)"),
        ("SC06", "ALTER TABLE customers ADD COLUMN number bigserial"),
        (
            "SC07",
            "CREATE FUNCTION count_on_insert() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN PERFORM count(*) FROM messages WHERE tenant_id = NEW.tenant_id; RETURN NEW; END $$; \
             CREATE TRIGGER counting AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION count_on_insert()",
        ),
        (
            "SC08",
            "CREATE FUNCTION messages_of(t uuid) RETURNS bigint LANGUAGE sql AS \
             $$ SELECT count(*) FROM messages WHERE tenant_id = t $$",
        ),
        ("SC09", "ALTER TABLE customers ENABLE ROW LEVEL SECURITY"),
    ];
    assert_eq!(breaks.len(), scale::RULES.len(), "a break for every rule");
    for (code, sql) in breaks {
        assert_eq!(codes(sql).await, [code], "{sql}");
    }
}

#[tokio::test]
async fn the_migrated_schema_is_planned_table_by_table_with_its_blockers_named() {
    let db = TestDb::migrated(Backend::Postgres).await.expect("database");
    let plan = scale::check(db.conn(), "tenant_id").await.expect("check");
    let role = |table: &str| plan.tables.iter().find(|t| t.table == table).map(|t| t.role);
    assert_eq!(role("messages"), Some(scale::Role::Distributed));
    assert_eq!(role("tenants"), Some(scale::Role::Reference));
    assert_eq!(role("seaql_migrations"), Some(scale::Role::Local));
    let has = |code: &str, table: &str, object: &str| {
        plan.findings.iter().any(|f| f.code == code && f.table == table && f.object == object)
    };
    // Keys on id alone; a global session token; audit entries without a tenant; links to
    // the user who acted, who may be another tenant's (the platform's admin).
    assert!(has("SC01", "messages", "messages_pkey"), "{:#?}", plan.findings);
    assert!(has("SC01", "user_sessions", "uq_user_sessions_token"));
    assert!(has("SC05", "audit_logs", "tenant_id"));
    assert!(has("SC02", "conversations", "conversations_created_by_fkey"));
    assert!(has("SC08", "customers", "customers_with_email()"));
    // The same-tenant links are composite already: none of them is a finding.
    assert!(!plan.findings.iter().any(|f| f.object.contains("conversation_id_fkey")));
    assert!(plan.blockers() > 0);
}

#[tokio::test]
async fn sqlite_is_refused_with_what_to_do() {
    let db = TestDb::migrated(Backend::Sqlite).await.expect("database");
    let refused = scale::check(db.conn(), "tenant_id").await.expect_err("PostgreSQL only");
    assert!(refused.to_string().contains("PostgreSQL"), "{refused}");
}
