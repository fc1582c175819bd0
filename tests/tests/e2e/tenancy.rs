//! No row may link two tenants: every cross-tenant link of SCHEMA.md is refused.

use e2e::{
    Backend, agent, conversation, conversation_of, customer, insert, insert_into, message,
    migrated, on_both_backends, tag, tenant,
};
use entity::enums::Priority;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, IntoActiveModel, Set};
use uuid::Uuid;

on_both_backends!(
    links_across_tenants_are_refused,
    moving_a_referenced_row_to_another_tenant_is_refused
);

fn refused(result: Result<impl Sized, DbErr>, what: &str) {
    assert!(result.is_err(), "{what} was accepted across tenants");
}

async fn links_across_tenants_are_refused(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let acme = tenant(db, "Acme").await;
    let globex = tenant(db, "Globex").await;
    let acme_customer = customer(db, acme.id).await;
    let acme_conversation = conversation(db, &acme_customer).await;
    let globex_agent = agent(db, globex.id, "tom@globex.example.com").await;
    let globex_customer = customer(db, globex.id).await;
    let globex_conversation = conversation(db, &globex_customer).await;
    let globex_message = message(db, &globex_conversation).await;
    let globex_tag = tag(db, globex.id, "vip").await;
    let acme_tag = tag(db, acme.id, "vip").await;

    let mut to_other_customer = conversation_of(&acme_customer, Priority::Low);
    to_other_customer.customer_id = Set(globex_customer.id);
    refused(to_other_customer.insert(db).await, "conversation -> customer");

    let mut to_other_agent = conversation_of(&acme_customer, Priority::Low);
    to_other_agent.assigned_agent_id = Set(Some(globex_agent.id));
    refused(to_other_agent.insert(db).await, "conversation -> agent (insert)");
    let mut reassigned = acme_conversation.clone().into_active_model();
    reassigned.assigned_agent_id = Set(Some(globex_agent.id));
    refused(reassigned.update(db).await, "conversation -> agent (update)");

    let tenant = |id: Uuid| Expr::val(id);
    let cases: Vec<(&str, &str, &[&str], Vec<sea_orm::sea_query::SimpleExpr>)> = vec![
        (
            "message -> conversation",
            "messages",
            &["id", "tenant_id", "conversation_id", "sender_type", "content"],
            vec![
                Uuid::now_v7().into(),
                tenant(acme.id),
                globex_conversation.id.into(),
                "CUSTOMER".into(),
                "hi".into(),
            ],
        ),
        (
            "attachment -> message",
            "file_attachments",
            &["id", "tenant_id", "message_id", "file_name", "file_path", "file_size", "mime_type"],
            vec![
                Uuid::now_v7().into(),
                tenant(acme.id),
                globex_message.id.into(),
                "a.png".into(),
                "a/a.png".into(),
                1i64.into(),
                "image/png".into(),
            ],
        ),
        (
            "conversation tag -> conversation",
            "conversation_tags",
            &["tenant_id", "conversation_id", "tag_id"],
            vec![tenant(acme.id), globex_conversation.id.into(), acme_tag.id.into()],
        ),
        (
            "conversation tag -> tag",
            "conversation_tags",
            &["tenant_id", "conversation_id", "tag_id"],
            vec![tenant(acme.id), acme_conversation.id.into(), globex_tag.id.into()],
        ),
        (
            "customer tag -> customer",
            "customer_tags",
            &["tenant_id", "customer_id", "tag_id"],
            vec![tenant(acme.id), globex_customer.id.into(), acme_tag.id.into()],
        ),
        (
            "customer tag -> tag",
            "customer_tags",
            &["tenant_id", "customer_id", "tag_id"],
            vec![tenant(acme.id), acme_customer.id.into(), globex_tag.id.into()],
        ),
        (
            "session -> user",
            "user_sessions",
            &["id", "tenant_id", "user_id", "session_token", "expires_at"],
            vec![
                Uuid::now_v7().into(),
                tenant(acme.id),
                globex_agent.id.into(),
                "hash".into(),
                (chrono::Utc::now() + chrono::Duration::hours(1)).into(),
            ],
        ),
        (
            "notification settings -> user",
            "notification_settings",
            &["id", "tenant_id", "user_id"],
            vec![Uuid::now_v7().into(), tenant(acme.id), globex_agent.id.into()],
        ),
    ];
    for (what, table, columns, values) in cases {
        refused(insert(db, &insert_into(table, columns, values)).await, what);
    }

    // The same links within one tenant are fine, so the refusals above are about tenancy.
    insert(
        db,
        &insert_into(
            "conversation_tags",
            &["tenant_id", "conversation_id", "tag_id"],
            vec![tenant(acme.id), acme_conversation.id.into(), acme_tag.id.into()],
        ),
    )
    .await
    .expect("same-tenant tag link");
}

async fn moving_a_referenced_row_to_another_tenant_is_refused(backend: Backend) {
    let db = migrated(backend).await;
    let db = db.conn();
    let acme = tenant(db, "Acme").await;
    let globex = tenant(db, "Globex").await;
    let jordan = customer(db, acme.id).await;
    let sam = agent(db, acme.id, "sam@acme.example.com").await;
    let mut assigned = conversation_of(&jordan, Priority::High);
    assigned.assigned_agent_id = Set(Some(sam.id));
    assigned.insert(db).await.expect("same-tenant conversation");

    refused(
        move_to(db, "customers", jordan.id, globex.id).await,
        "moving a customer with conversations",
    );
    refused(
        move_to(db, "users", sam.id, globex.id).await,
        "moving an agent with assigned conversations",
    );

    let loner = customer(db, acme.id).await;
    move_to(db, "customers", loner.id, globex.id)
        .await
        .expect("a customer nothing points at may move");
}

async fn move_to(
    db: &DatabaseConnection,
    table: &str,
    id: Uuid,
    tenant: Uuid,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table(sea_orm::sea_query::Alias::new(table))
        .value(sea_orm::sea_query::Alias::new("tenant_id"), tenant)
        .and_where(Expr::col(sea_orm::sea_query::Alias::new("id")).eq(id))
        .to_owned();
    db.execute(&update).await.map(|_| ())
}
