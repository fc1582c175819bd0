//! `validate` and `schema dump`: the live schema against the committed snapshot and the
//! entity crate, read in one transaction, without a lock.

use std::path::Path;

use db_config::DatabaseConfig;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use crate::MigrateError;
use crate::history::{History, State};
use crate::schema::{
    Difference, Mismatch, SchemaDump, check_entities, differences, snapshot, snapshot_file,
};

struct Findings {
    history: History,
    differences: Vec<Difference>,
    mismatches: Vec<Mismatch>,
}

async fn inspect(config: &DatabaseConfig, db: &DatabaseConnection) -> Result<Findings, DbErr> {
    let txn = config.begin(db).await?;
    let history = History::read(&txn).await?;
    let backend = txn.get_database_backend();
    let (differences, mismatches) = if history.count(State::Pending) > 0 {
        (Vec::new(), Vec::new())
    } else {
        let live = SchemaDump::read(&txn).await?;
        (differences(&SchemaDump::parse(snapshot(backend)), &live), check_entities(&txn).await?)
    };
    config.commit(txn).await?;
    Ok(Findings { history, differences, mismatches })
}

pub(super) async fn validate(
    config: &DatabaseConfig,
    db: &DatabaseConnection,
    json: bool,
) -> Result<(), MigrateError> {
    let findings = inspect(config, db).await.map_err(|e| MigrateError::Database {
        doing: "reading the schema",
        message: config.describe_error(&e),
    })?;
    let Findings { history, differences, mismatches } = findings;
    let pending = history.versions(State::Pending);
    let unknown = history.versions(State::Unknown);
    let snapshot = snapshot_file(db.get_database_backend());
    if json {
        let report = serde_json::json!({
            "valid": pending.is_empty() && differences.is_empty() && mismatches.is_empty(),
            "snapshot": snapshot,
            "pending": pending,
            "unknown": unknown,
            "differences": differences,
            "entity_mismatches": mismatches,
        });
        println!("{report}");
    } else if !pending.is_empty() {
        println!("Behind head: {} pending ({}).", pending.len(), pending.join(", "));
        println!(
            "The snapshot and the entities describe head: apply them with `up`, then validate."
        );
    } else {
        if !unknown.is_empty() {
            println!(
                "A newer release applied {}: differences from this build's snapshot are expected.",
                unknown.join(", ")
            );
        }
        if differences.is_empty() {
            println!("Schema matches {snapshot}");
        } else {
            println!("Schema differs from {snapshot} in {} object(s):", differences.len());
            for difference in &differences {
                println!("  {difference}");
            }
        }
        if mismatches.is_empty() {
            println!("Entities match the schema ({} tables)", entity::schema::tables().len());
        } else {
            println!("Entities disagree with the schema in {} place(s):", mismatches.len());
            for mismatch in &mismatches {
                println!("  {mismatch}");
            }
        }
    }
    if !pending.is_empty() {
        return Err(MigrateError::Pending { count: pending.len(), versions: pending.join(", ") });
    }
    if differences.is_empty() && mismatches.is_empty() {
        return Ok(());
    }
    Err(MigrateError::Drift { differences: differences.len(), mismatches: mismatches.len() })
}

pub(super) async fn dump(
    config: &DatabaseConfig,
    db: &DatabaseConnection,
    out: Option<&Path>,
    json: bool,
) -> Result<(), MigrateError> {
    let read = async {
        let txn = config.begin(db).await?;
        let dump = SchemaDump::read(&txn).await?;
        config.commit(txn).await?;
        Ok::<_, DbErr>(dump)
    };
    let dump = read.await.map_err(|e| MigrateError::Database {
        doing: "reading the schema",
        message: config.describe_error(&e),
    })?;
    match out {
        Some(path) => {
            std::fs::write(path, dump.to_text()).map_err(|e| MigrateError::Write {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            if json {
                println!("{}", serde_json::json!({ "written": path }));
            } else {
                tracing::info!("Wrote {}", path.display());
            }
        }
        None if json => println!("{}", serde_json::json!({ "schema": dump.to_text() })),
        None => print!("{}", dump.to_text()),
    }
    Ok(())
}
