//! `chatdb copy`, `export` and `import`: the data of one database (or some of its tenants)
//! into another, directly or through files, verified before the target commits.

use std::path::PathBuf;

use clap::Args;
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use db_config::{DatabaseConfig, Env};
use transfer::{CopyOptions, CopyReport};
use uuid::Uuid;

use crate::Failure;

/// `chatdb copy`'s flags.
#[derive(Args)]
pub(crate) struct CopyArgs {
    /// The database to copy from (default: the configured one), e.g.
    /// sqlite://data/chatdb-development.sqlite3 or postgres://user@host/db.
    #[arg(long, value_name = "URL")]
    from: Option<String>,
    /// The database to copy into (default: the configured one). It must be migrated to the
    /// source's version (or pass --migrate-target).
    #[arg(long, value_name = "URL")]
    to: Option<String>,
    /// Copy only this tenant, with everything that belongs to it (repeatable).
    #[arg(long = "tenant", value_name = "ID")]
    tenants: Vec<Uuid>,
    /// Also delete the tenants from the source: locked there for the move, deleted in the
    /// snapshot that was copied, committed after the target (a write to them meanwhile
    /// stops the move, both sides unchanged).
    #[arg(long = "move", requires = "tenants")]
    move_tenants: bool,
    #[command(flatten)]
    into: IntoTarget,
}

/// How `copy` and `import` treat the database they write into.
#[derive(Args)]
pub(crate) struct IntoTarget {
    /// Delete what the target holds of the copied scope first (backed up first).
    #[arg(long)]
    replace: bool,
    /// Allow --replace where the data is real (APP_ENV or the target's stored environment
    /// is staging or production).
    #[arg(long, requires = "replace")]
    force: bool,
    /// Skip the backup --replace takes first.
    #[arg(long, requires = "replace")]
    no_backup: bool,
    /// Migrate the target up to the source's version first.
    #[arg(long)]
    migrate_target: bool,
}

impl IntoTarget {
    fn options(&self, tenants: &[Uuid], move_tenants: bool, json: bool) -> CopyOptions {
        CopyOptions {
            tenants: tenants.to_vec(),
            replace: self.replace,
            force: self.force,
            no_backup: self.no_backup,
            migrate_target: self.migrate_target,
            move_tenants,
            progress: !json,
        }
    }
}

/// `chatdb export`'s flags.
#[derive(Args)]
pub(crate) struct ExportArgs {
    /// The directory to write (new, or empty): one JSON-lines file per table and manifest.json.
    dir: PathBuf,
    /// Export only this tenant, with everything that belongs to it (repeatable).
    #[arg(long = "tenant", value_name = "ID")]
    tenants: Vec<Uuid>,
}

/// `chatdb import`'s flags.
#[derive(Args)]
pub(crate) struct ImportArgs {
    /// The directory `chatdb export` wrote.
    dir: PathBuf,
    #[command(flatten)]
    into: IntoTarget,
}

pub(crate) async fn export(
    args: &ExportArgs,
    config: &DatabaseConfig,
    json: bool,
) -> Result<(), Failure> {
    let manifest = transfer::export(config, &args.dir, &args.tenants, !json).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&manifest).map_err(anyhow::Error::from)?);
        return Ok(());
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(["table", "rows", "hash", "file"]);
    for t in &manifest.tables {
        table.add_row(vec![
            Cell::new(&t.table),
            Cell::new(t.rows).set_alignment(CellAlignment::Right),
            Cell::new(&t.hash),
            Cell::new(&t.file),
        ]);
    }
    println!("{table}");
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "Exported {rows} rows of {} to {} ({} lists every file with its rows and hash)",
        manifest.source,
        args.dir.display(),
        transfer::MANIFEST
    );
    Ok(())
}

pub(crate) async fn import(
    args: &ImportArgs,
    config: &DatabaseConfig,
    json: bool,
) -> Result<(), Failure> {
    let options = args.into.options(&[], false, json);
    let report = transfer::import(config, &args.dir, &options).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(anyhow::Error::from)?);
    } else {
        print(&report);
    }
    Ok(())
}

/// The configuration of each side: a flag's URL, else the configured database.
fn side(env: &Env, flag: &'static str, url: Option<&str>) -> Result<DatabaseConfig, Failure> {
    Ok(match url {
        Some(url) => DatabaseConfig::resolve_url(env, flag, url)?,
        None => DatabaseConfig::resolve(env)?,
    })
}

pub(crate) async fn run(args: &CopyArgs, env: &Env, json: bool) -> Result<(), Failure> {
    if args.from.is_none() && args.to.is_none() {
        return Err(transfer::TransferError::Usage {
            flag: "--from/--to",
            problem:
                "name the database to copy from or into (the other defaults to the configured one)"
                    .to_owned(),
        }
        .into());
    }
    let source = side(env, "--from", args.from.as_deref())?;
    let target = side(env, "--to", args.to.as_deref())?;
    let options = args.into.options(&args.tenants, args.move_tenants, json);
    let report = transfer::copy(&source, &target, &options).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(anyhow::Error::from)?);
    } else {
        print(&report);
    }
    Ok(())
}

fn print(report: &CopyReport) {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "table",
        "rows",
        "source hash",
        "target hash",
        "ok",
    ]);
    let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);
    for t in &report.tables {
        table.add_row(vec![
            Cell::new(t.table),
            right(t.rows.to_string()),
            Cell::new(&t.source_hash),
            Cell::new(&t.target_hash),
            Cell::new(if t.ok { "ok" } else { "DIFFERENT" }),
        ]);
    }
    println!("{table}");
    let scope = if report.tenants.is_empty() {
        "everything".to_owned()
    } else {
        let ids: Vec<String> = report.tenants.iter().map(Uuid::to_string).collect();
        format!("tenant(s) {}", ids.join(", "))
    };
    if report.already_copied {
        println!(
            "{scope} was already in {} and identical (a move that stopped after the copy)",
            report.target
        );
    } else {
        println!(
            "Copied {scope}: {} rows from {} to {} in {:.1} s ({:.0} rows/s), verified",
            report.rows, report.source, report.target, report.seconds, report.rows_per_second
        );
    }
    if let Some(replaced) = &report.replaced {
        println!("Replaced what the target held: {replaced}");
    }
    if let Some(backup) = &report.backup {
        println!("The target was backed up first to {backup}");
    }
    if report.moved {
        println!(
            "Deleted {scope} from {} (moved; its rows were locked there for {:.2} s)",
            report.source, report.source_locked_seconds
        );
    }
}
