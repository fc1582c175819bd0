//! V2 moves V1's free-form tag lists into `tags` and the junction tables; V2's `down`
//! puts them back as they were.

use e2e::{Backend, count, empty, insert, insert_into, on_both_backends};
use migration::{Migrator, MigratorTraitSelf};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

on_both_backends!(tag_lists_round_trip_through_v2);

struct Tagged {
    table: &'static str,
    id: Uuid,
    tags: Value,
}

async fn tag_lists_of(db: &DatabaseConnection, rows: &[Tagged]) -> Vec<Value> {
    let mut lists = Vec::new();
    for row in rows {
        let select = sea_orm::sea_query::Query::select()
            .column(sea_orm::sea_query::Alias::new("tags"))
            .from(sea_orm::sea_query::Alias::new(row.table))
            .and_where(
                sea_orm::sea_query::Expr::col(sea_orm::sea_query::Alias::new("id")).eq(row.id),
            )
            .to_owned();
        let found = db.query_one(&select).await.expect("select").expect("row");
        lists.push(found.try_get::<Value>("", "tags").expect("tags"));
    }
    lists
}

async fn tag_lists_round_trip_through_v2(backend: Backend) {
    let db = empty(backend).await;
    let db = db.conn();
    Migrator::default().up(db, Some(1)).await.expect("V1");

    let (acme, globex) = (Uuid::now_v7(), Uuid::now_v7());
    for (id, name) in [(acme, "Acme"), (globex, "Globex")] {
        insert(db, &insert_into("tenants", &["id", "name"], vec![id.into(), name.into()]))
            .await
            .expect("tenant");
    }
    let (jordan, priya, nora) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let customers = [
        (jordan, acme, json!(["vip", "beta-tester", "newsletter"])),
        (priya, acme, json!(["beta-tester"])),
        (nora, globex, json!(["vip"])),
    ];
    for (id, tenant, tags) in &customers {
        let values = vec![(*id).into(), (*tenant).into(), tags.clone().into()];
        insert(db, &insert_into("customers", &["id", "tenant_id", "tags"], values))
            .await
            .expect("customer");
    }
    let (refund, untagged) = (Uuid::now_v7(), Uuid::now_v7());
    let conversations = [(refund, jordan, json!(["refund", "vip"])), (untagged, priya, json!([]))];
    for (id, customer, tags) in &conversations {
        let values = vec![(*id).into(), acme.into(), (*customer).into(), tags.clone().into()];
        insert(
            db,
            &insert_into("conversations", &["id", "tenant_id", "customer_id", "tags"], values),
        )
        .await
        .expect("conversation");
    }
    let rows: Vec<Tagged> = customers
        .iter()
        .map(|(id, _, tags)| Tagged { table: "customers", id: *id, tags: tags.clone() })
        .chain(conversations.iter().map(|(id, _, tags)| Tagged {
            table: "conversations",
            id: *id,
            tags: tags.clone(),
        }))
        .collect();

    Migrator::default().up(db, Some(1)).await.expect("V2 up");

    let usage = |tenant: Uuid, name: &str| {
        let tenant = match backend {
            Backend::Postgres => format!("'{tenant}'"),
            Backend::Sqlite => format!("X'{}'", tenant.simple()),
        };
        format!(
            "SELECT CAST(usage_count AS BIGINT) FROM tags WHERE tenant_id = {tenant} AND name = '{name}'"
        )
    };
    assert_eq!(count(db, &usage(acme, "vip")).await, 2, "Acme's vip: Jordan and the refund");
    assert_eq!(count(db, &usage(acme, "beta-tester")).await, 2);
    assert_eq!(count(db, &usage(acme, "newsletter")).await, 1);
    assert_eq!(count(db, &usage(acme, "refund")).await, 1);
    assert_eq!(count(db, &usage(globex, "vip")).await, 1, "Globex has its own vip tag");
    let (acme_names, globex_names, admin_defaults) = (4, 1, 3);
    assert_eq!(
        count(db, "SELECT count(*) FROM tags").await,
        acme_names + globex_names + admin_defaults
    );
    assert_eq!(count(db, "SELECT count(*) FROM customer_tags").await, 5);
    assert_eq!(count(db, "SELECT count(*) FROM conversation_tags").await, 2);
    assert_column_absent(db, "customers", "tags").await;
    assert_column_absent(db, "conversations", "tags").await;

    Migrator::default().down(db, Some(1)).await.expect("V2 down");

    let restored = tag_lists_of(db, &rows).await;
    for (row, list) in rows.iter().zip(restored) {
        assert_eq!(list, row.tags, "{} {} got its list back", row.table, row.id);
    }
}

async fn assert_column_absent(db: &DatabaseConnection, table: &str, column: &str) {
    let sql = format!("SELECT {column} FROM {table}");
    let result = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await;
    assert!(result.is_err(), "{table}.{column} still exists");
}
