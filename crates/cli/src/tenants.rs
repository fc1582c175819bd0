//! `chatdb tenants`: the tenants, with their plan, status and how much each holds (what
//! `seed --tenant` takes, and a first look at a database).

use std::collections::HashMap;

use anyhow::Context;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use db_config::DatabaseConfig;
use entity::prelude::*;
use migration::history::{History, State};
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityName, EntityTrait, QueryOrder,
};
use serde::Serialize;
use uuid::Uuid;

use crate::Failure;

#[derive(Serialize)]
struct TenantRow {
    id: Uuid,
    name: String,
    plan: String,
    status: String,
    users: i64,
    customers: i64,
    conversations: i64,
    messages: i64,
}

/// Rows per tenant of the table with `tenant_id` column `column`.
async fn per_tenant<C: ColumnTrait>(
    txn: &DatabaseTransaction,
    table: &'static str,
    column: C,
) -> Result<HashMap<Uuid, i64>, sea_orm::DbErr> {
    let count = Alias::new("rows");
    let query = Query::select()
        .column(column)
        .expr_as(Func::count(Expr::col(column)), count.clone())
        .from(Alias::new(table))
        .group_by_col(column)
        .to_owned();
    txn.query_all(&query)
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by_index::<Uuid>(0)?, row.try_get_by_index::<i64>(1)?)))
        .collect()
}

async fn read(txn: &DatabaseTransaction) -> Result<Vec<TenantRow>, sea_orm::DbErr> {
    let users = per_tenant(txn, Users.table_name(), users::Column::TenantId).await?;
    let customers = per_tenant(txn, Customers.table_name(), customers::Column::TenantId).await?;
    let conversations =
        per_tenant(txn, Conversations.table_name(), conversations::Column::TenantId).await?;
    let messages = per_tenant(txn, Messages.table_name(), messages::Column::TenantId).await?;
    let tenants = Tenants::find().order_by_asc(tenants::Column::Name).all(txn).await?;
    let of = |map: &HashMap<Uuid, i64>, id| map.get(&id).copied().unwrap_or(0);
    Ok(tenants
        .into_iter()
        .map(|t| TenantRow {
            id: t.id,
            name: t.name,
            plan: t.plan_type.to_string(),
            status: t.status.to_string(),
            users: of(&users, t.id),
            customers: of(&customers, t.id),
            conversations: of(&conversations, t.id),
            messages: of(&messages, t.id),
        })
        .collect())
}

pub(crate) async fn run(config: &DatabaseConfig, json: bool) -> Result<(), Failure> {
    let db = config.connect_single().await?;
    let listed = async {
        let txn = config.begin(&db).await?;
        let pending = History::read(&txn).await?.versions(State::Pending).join(", ");
        let rows = if pending.is_empty() { Some(read(&txn).await?) } else { None };
        let isolation = migration::isolation::confinement(&txn).await?;
        config.commit(txn).await?;
        Ok::<_, sea_orm::DbErr>((rows, pending, isolation))
    };
    let (rows, pending, isolation) = listed
        .await
        .map_err(|e| anyhow::anyhow!(config.describe_error(&e)))
        .context("could not list the tenants")?;
    let Some(rows) = rows else {
        return Err(anyhow::anyhow!(
            "the database is not migrated (pending: {pending}); run `chatdb migrate up` first"
        )
        .into());
    };
    if isolation.confined {
        // A confined role outside a tenant's transaction sees none: say so, not "0 tenants".
        process_io::say_on_stderr(&format!(
            "note: {}; listing every tenant needs the tables' owner (the migrating role)",
            isolation.reason
        ));
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&rows).map_err(anyhow::Error::from)?);
        return Ok(());
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "id",
        "name",
        "plan",
        "status",
        "users",
        "customers",
        "conversations",
        "messages",
    ]);
    for row in &rows {
        table.add_row([
            row.id.to_string(),
            row.name.clone(),
            row.plan.clone(),
            row.status.clone(),
            row.users.to_string(),
            row.customers.to_string(),
            row.conversations.to_string(),
            row.messages.to_string(),
        ]);
    }
    println!("{table}");
    println!("{} tenant(s)", rows.len());
    Ok(())
}
