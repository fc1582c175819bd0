//! `migration`: apply, roll back and inspect the schema migrations.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use migration::database::DatabaseTarget;
use migration::{Migrator, MigratorTrait, sea_orm::ConnectionTrait, sea_orm::DatabaseConnection};
use sea_orm_migration::MigrationStatus;

/// Apply, roll back and inspect the schema migrations (V1 core schema, V2 support tables,
/// V3 sample data).
///
/// The database is DATABASE_URL when set; otherwise, in development and test, an SQLite
/// file in the workspace's data/ directory. APP_ENV (development, test, staging,
/// production) decides the default database and guards destructive commands.
#[derive(Parser)]
#[command(
    version,
    after_help = "Examples:\n  cargo run -p migration -- up\n  cargo run -p migration -- status\n  DATABASE_URL=postgres://app@localhost/chatdb cargo run -p migration -- down -n 1"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations (all of them unless -n is given).
    Up {
        /// Apply at most this many.
        #[arg(short = 'n', long)]
        steps: Option<u32>,
    },
    /// Roll back applied migrations, newest first (one unless -n is given).
    #[command(long_about = "Roll back applied migrations, newest first.\n\n\
        Destructive: rolling back V3 deletes the sample rows, V2 drops the support tables \
        (tag lists are rebuilt on customers and conversations), V1 drops every table. \
        Refused in staging and production unless --force is given.")]
    Down {
        /// Roll back this many.
        #[arg(short = 'n', long, default_value_t = 1)]
        steps: u32,
        #[command(flatten)]
        force: Force,
    },
    /// Show each migration and whether it is applied.
    Status,
    /// Drop every table of the database, then apply all migrations.
    #[command(long_about = "Drop every table, view and function of the database, whether \
        a migration created it or not, then apply all migrations. All data is lost. \
        Refused in staging and production unless --force is given.")]
    Fresh {
        #[command(flatten)]
        force: Force,
    },
    /// Roll back all applied migrations, then apply them all again.
    #[command(long_about = "Roll back every applied migration, newest first, then apply \
        them all again. All data in the migrated tables is lost. Refused in staging and \
        production unless --force is given.")]
    Refresh {
        #[command(flatten)]
        force: Force,
    },
    /// Roll back all applied migrations.
    #[command(long_about = "Roll back every applied migration, newest first, leaving an \
        empty database. All data in the migrated tables is lost. Refused in staging and \
        production unless --force is given.")]
    Reset {
        #[command(flatten)]
        force: Force,
    },
}

#[derive(Args)]
struct Force {
    /// Run even in staging or production, where this would destroy real data.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let target = DatabaseTarget::from_env()?;
    let destructive = match &cli.command {
        Command::Down { force, .. }
        | Command::Fresh { force }
        | Command::Refresh { force }
        | Command::Reset { force } => Some(force.force),
        Command::Up { .. } | Command::Status => None,
    };
    if destructive == Some(false) && target.env.holds_real_data() {
        bail!(
            "refusing a destructive command with APP_ENV={}: it would destroy data; \
             pass --force if that is really what you want",
            target.env
        );
    }
    eprintln!("Database: {}", target.describe());
    let db = target.connect().await?;
    lock(&db, &target).await?;
    let result = match cli.command {
        Command::Up { steps } => up(&db, steps).await,
        Command::Down { steps, .. } => down(&db, Some(steps)).await,
        Command::Status => status(&db).await,
        Command::Fresh { .. } => fresh(&db, &target).await,
        Command::Refresh { .. } => match down(&db, None).await {
            Ok(()) => up(&db, None).await,
            Err(err) => Err(err),
        },
        Command::Reset { .. } => down(&db, None).await,
    };
    result.map_err(|err| anyhow::anyhow!(target.scrub(&format!("{err:#}"))))
}

/// A PostgreSQL session lock so that two deploys never migrate at once; SQLite's own
/// file locking does this there.
async fn lock(db: &DatabaseConnection, target: &DatabaseTarget) -> anyhow::Result<()> {
    if target.is_postgres() {
        db.execute_unprepared("SELECT pg_advisory_lock(7261636862)")
            .await
            .map_err(|e| target.connect_error(&e))?;
    }
    Ok(())
}

async fn up(db: &DatabaseConnection, steps: Option<u32>) -> anyhow::Result<()> {
    let pending = Migrator::get_pending_migrations(db).await?;
    let count = steps.map_or(pending.len(), |n| pending.len().min(n as usize));
    if count == 0 {
        println!("Nothing to apply: every migration is applied");
    }
    for migration in pending.iter().take(count) {
        let started = Instant::now();
        Migrator::up(db, Some(1)).await.with_context(|| {
            format!("migration {} failed and was rolled back", migration.name())
        })?;
        println!("Applied {} ({})", migration.name(), elapsed(started));
    }
    Ok(())
}

async fn down(db: &DatabaseConnection, steps: Option<u32>) -> anyhow::Result<()> {
    let applied = Migrator::get_applied_migrations(db).await?;
    let count = steps.map_or(applied.len(), |n| applied.len().min(n as usize));
    if count == 0 {
        println!("Nothing to roll back: no migration is applied");
    }
    for migration in applied.iter().rev().take(count) {
        let started = Instant::now();
        Migrator::down(db, Some(1))
            .await
            .with_context(|| format!("rolling back {} failed and was undone", migration.name()))?;
        println!("Rolled back {} ({})", migration.name(), elapsed(started));
    }
    Ok(())
}

async fn status(db: &DatabaseConnection) -> anyhow::Result<()> {
    let migrations = Migrator::get_migration_with_status(db).await?;
    let pending = migrations.iter().filter(|m| m.status() == MigrationStatus::Pending).count();
    for migration in &migrations {
        println!("{:<8} {}", migration.status().to_string(), migration.name());
    }
    println!("{} applied, {pending} pending", migrations.len() - pending);
    Ok(())
}

async fn fresh(db: &DatabaseConnection, target: &DatabaseTarget) -> anyhow::Result<()> {
    if target.is_postgres() {
        db.execute_unprepared(DROP_POSTGRES_FUNCTIONS).await?;
    }
    Migrator::fresh(db).await?;
    println!("Dropped every table and applied all migrations");
    status(db).await
}

/// Drops the functions of the public schema (trigger functions outlive `DROP TABLE`),
/// sparing those that belong to an extension.
const DROP_POSTGRES_FUNCTIONS: &str = "DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
END
$$";

fn elapsed(started: Instant) -> String {
    format!("{:.1} ms", started.elapsed().as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
