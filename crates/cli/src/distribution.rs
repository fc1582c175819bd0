//! `chatdb scale check`: whether the live schema can be distributed by tenant with Citus.

use db_config::DatabaseConfig;

use crate::Failure;

/// The distribution column every tenant table carries (`tenant_id`, as the entities name it).
fn tenant_column() -> &'static str {
    use sea_orm::IdenStatic;
    entity::messages::Column::TenantId.as_str()
}

pub(crate) async fn check(config: &DatabaseConfig, json: bool) -> Result<(), Failure> {
    let db = config.connect_single().await?;
    let plan = scale::check(&db, tenant_column()).await.map_err(Failure::Scale)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&plan).map_err(anyhow::Error::from)?);
    } else {
        print(&plan);
    }
    match plan.blockers() {
        0 => Ok(()),
        blockers => Err(Failure::Blocked { blockers }),
    }
}

fn print(plan: &scale::Plan) {
    println!("Distribution by {} (Citus), table by table:", plan.distribution_column);
    for table in &plan.tables {
        let role = match table.role {
            scale::Role::Distributed => "distributed",
            scale::Role::Reference => "reference",
            scale::Role::Local => "local",
        };
        let found = plan.findings.iter().filter(|f| f.table == table.table).count();
        println!("  {:24} {role:11} {} ({found} finding(s))", table.table, table.why);
    }
    for finding in &plan.findings {
        let level = match finding.level {
            scale::Level::Blocker => "blocker",
            scale::Level::Warning => "warning",
        };
        println!(
            "{level}[{}] {}: {}: {}",
            finding.code, finding.table, finding.object, finding.problem
        );
        println!("  fix: {}", finding.fix);
    }
    let warnings = plan.findings.len() - plan.blockers();
    println!("{} blocker(s), {warnings} warning(s); SCALING.md has the plan", plan.blockers());
}
