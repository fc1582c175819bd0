//! `chatdb check`: connect (retrying with `--wait`) and report.

use std::time::Duration;

use anyhow::Context;
use db_config::DatabaseConfig;

use crate::Failure;

pub(crate) async fn run(
    config: &DatabaseConfig,
    wait: Option<u64>,
    json: bool,
) -> Result<(), Failure> {
    let db = config.connect_waiting(Duration::from_secs(wait.unwrap_or(0)), false).await?;
    let inspected = async {
        let txn = config.begin(&db).await?;
        let report = crate::inspect::inspect(&txn).await?;
        config.commit(txn).await?;
        Ok::<_, migration::DbErr>(report)
    };
    let report = inspected
        .await
        .map_err(|e| anyhow::anyhow!(config.describe_error(&e)))
        .context("the database answered the connection but not the inspection")?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(anyhow::Error::from)?);
        return Ok(());
    }
    println!("database   {}", config.target.describe());
    println!("reachable  yes ({:.1} ms round trip)", report.latency_ms);
    println!("server     {} {}", report.backend, report.server_version);
    match (report.tls, &report.tls_version) {
        (Some(true), Some(version)) => println!("tls        yes ({version})"),
        (Some(true), None) => println!("tls        yes"),
        (Some(false), _) => println!("tls        no"),
        (None, _) => println!("tls        n/a (embedded SQLite)"),
    }
    if !report.migrations_unknown.is_empty() {
        println!(
            "migrations {} applied by a newer release, unknown to this build",
            report.migrations_unknown.join(", ")
        );
    }
    let pending = &report.migrations_pending;
    if pending.is_empty() {
        println!("migrations {} applied, none pending", report.migrations_applied);
    } else {
        println!(
            "migrations {} applied, {} pending: {} (run `chatdb migrate up`)",
            report.migrations_applied,
            pending.len(),
            pending.join(", ")
        );
    }
    let isolation = &report.tenant_isolation;
    match (isolation.confined, &isolation.role) {
        (true, _) => println!("isolation  confined by row-level security: {}", isolation.reason),
        (false, Some(_)) => println!(
            "isolation  NOT confined: {}. Fine for migrations and operators; an application \
             connects as a role given `chatdb db grant-app ROLE`",
            isolation.reason
        ),
        (false, None) => println!("isolation  n/a ({})", isolation.reason),
    }
    Ok(())
}
