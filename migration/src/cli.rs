//! The `migrate` commands, shared by the `migration` binary and `chatdb migrate`.

use std::time::Instant;

use clap::{Args, Subcommand};
use config::{ConfigError, DatabaseConfig, Target};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use sea_orm_migration::{MigrationStatus, MigratorTrait};
use serde::Serialize;

use crate::Migrator;

/// A migration command.
#[derive(Clone, Debug, Subcommand)]
pub enum MigrateCommand {
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
        /// Permission to run in staging or production.
        #[command(flatten)]
        force: Force,
    },
    /// Show each migration and whether it is applied.
    Status,
    /// Drop every table of the database, then apply all migrations.
    #[command(long_about = "Drop every table and function of the database, whether a \
        migration created it or not, then apply all migrations. All data is lost. Refused \
        in staging and production unless --force is given.")]
    Fresh {
        /// Permission to run in staging or production.
        #[command(flatten)]
        force: Force,
    },
    /// Roll back all applied migrations, then apply them all again.
    #[command(long_about = "Roll back every applied migration, newest first, then apply \
        them all again. All data in the migrated tables is lost. Refused in staging and \
        production unless --force is given.")]
    Refresh {
        /// Permission to run in staging or production.
        #[command(flatten)]
        force: Force,
    },
    /// Roll back all applied migrations.
    #[command(long_about = "Roll back every applied migration, newest first, leaving an \
        empty database. All data in the migrated tables is lost. Refused in staging and \
        production unless --force is given.")]
    Reset {
        /// Permission to run in staging or production.
        #[command(flatten)]
        force: Force,
    },
}

/// Permission to destroy data where it is real.
#[derive(Clone, Debug, Args)]
pub struct Force {
    /// Run even in staging or production, where this destroys real data.
    #[arg(long)]
    pub force: bool,
}

/// Why a migration command failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The configuration is wrong or the database unreachable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A destructive command in staging or production without `--force`.
    #[error(
        "refusing `{command}` with APP_ENV={env}: it destroys data; pass --force if that is really what you want"
    )]
    Refused {
        /// The command.
        command: &'static str,
        /// The environment.
        env: config::AppEnv,
    },
    /// A migration failed; its transaction was rolled back.
    #[error("{migration} failed and was rolled back, the database is as before it: {message}")]
    Failed {
        /// The migration.
        migration: String,
        /// What the database said.
        message: String,
    },
    /// Another database error.
    #[error("database error: {0}")]
    Database(String),
}

impl MigrateError {
    /// Exit code: 2 for configuration mistakes and refusals, 1 for failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(e) if e.is_configuration() => 2,
            Self::Refused { .. } => 2,
            _ => 1,
        }
    }
}

/// One migration applied or rolled back.
#[derive(Debug, Serialize)]
pub struct Step {
    /// `applied` or `rolled_back`.
    pub action: &'static str,
    /// The migration.
    pub migration: String,
    /// How long it took.
    pub millis: f64,
}

/// A migration and whether it is applied.
#[derive(Debug, Serialize)]
pub struct State {
    /// The migration.
    pub migration: String,
    /// Whether it is applied.
    pub applied: bool,
}

impl MigrateCommand {
    fn destructive(&self) -> Option<(&'static str, bool)> {
        match self {
            Self::Down { force, .. } => Some(("down", force.force)),
            Self::Fresh { force } => Some(("fresh", force.force)),
            Self::Refresh { force } => Some(("refresh", force.force)),
            Self::Reset { force } => Some(("reset", force.force)),
            Self::Up { .. } | Self::Status => None,
        }
    }
}

/// Runs `command` against the configured database, printing one line per migration
/// (or, with `json`, one JSON document) on stdout and the database used on stderr.
pub async fn run(
    command: MigrateCommand,
    config: &DatabaseConfig,
    json: bool,
) -> Result<(), MigrateError> {
    if let Some((name, false)) = command.destructive()
        && config.app_env.value.holds_real_data()
    {
        return Err(MigrateError::Refused { command: name, env: config.app_env.value });
    }
    eprintln!("Database: {} ({})", config.target.describe(), target_source(config));
    let db = config.connect_single().await?;
    let scrub = |e: DbErr| MigrateError::Database(config.scrub(&e.to_string()));
    if matches!(config.target, Target::Postgres(_)) {
        // Two deploys never migrate at once; the lock ends with the session.
        db.execute_unprepared("SELECT pg_advisory_lock(7261636862)").await.map_err(scrub)?;
    }
    let steps = match command {
        MigrateCommand::Up { steps } => up(&db, steps, config).await?,
        MigrateCommand::Down { steps, .. } => down(&db, Some(steps), config).await?,
        MigrateCommand::Status => Vec::new(),
        MigrateCommand::Fresh { .. } => {
            if matches!(config.target, Target::Postgres(_)) {
                db.execute_unprepared(DROP_POSTGRES_FUNCTIONS).await.map_err(scrub)?;
            }
            Migrator::fresh(&db).await.map_err(scrub)?;
            eprintln!("Dropped every table; applied all migrations");
            Vec::new()
        }
        MigrateCommand::Refresh { .. } => {
            let mut steps = down(&db, None, config).await?;
            steps.extend(up(&db, None, config).await?);
            steps
        }
        MigrateCommand::Reset { .. } => down(&db, None, config).await?,
    };
    let states = status(&db).await.map_err(scrub)?;
    print(&steps, &states, json);
    Ok(())
}

fn target_source(config: &DatabaseConfig) -> String {
    match &config.target {
        Target::Postgres(pg) => pg.host.source.to_string(),
        Target::Sqlite(sqlite) => match sqlite.path.source {
            config::Source::Default => format!(
                "embedded {} default; set DATABASE_URL to use another database",
                config.app_env.value
            ),
            ref source => source.to_string(),
        },
    }
}

fn print(steps: &[Step], states: &[State], json: bool) {
    let pending = states.iter().filter(|s| !s.applied).count();
    if json {
        let report = serde_json::json!({
            "steps": steps,
            "migrations": states,
            "applied": states.len() - pending,
            "pending": pending,
        });
        println!("{report}");
        return;
    }
    for step in steps {
        let verb = if step.action == "applied" { "Applied" } else { "Rolled back" };
        println!("{verb} {} ({:.1} ms)", step.migration, step.millis);
    }
    for state in states {
        println!("{:<8} {}", if state.applied { "Applied" } else { "Pending" }, state.migration);
    }
    println!("{} applied, {pending} pending", states.len() - pending);
}

/// Every migration and whether it is applied.
pub async fn status(db: &DatabaseConnection) -> Result<Vec<State>, DbErr> {
    Ok(Migrator::get_migration_with_status(db)
        .await?
        .iter()
        .map(|m| State {
            migration: m.name().to_owned(),
            applied: m.status() == MigrationStatus::Applied,
        })
        .collect())
}

/// Which way [`step`] moves.
#[derive(Clone, Copy)]
enum Direction {
    Up,
    Down,
}

async fn up(
    db: &DatabaseConnection,
    steps: Option<u32>,
    config: &DatabaseConfig,
) -> Result<Vec<Step>, MigrateError> {
    step(db, steps, config, Direction::Up).await
}

async fn down(
    db: &DatabaseConnection,
    steps: Option<u32>,
    config: &DatabaseConfig,
) -> Result<Vec<Step>, MigrateError> {
    step(db, steps, config, Direction::Down).await
}

/// Applies pending (or rolls back applied, newest first) migrations one at a time, at most
/// `steps` of them, timing each.
async fn step(
    db: &DatabaseConnection,
    steps: Option<u32>,
    config: &DatabaseConfig,
    direction: Direction,
) -> Result<Vec<Step>, MigrateError> {
    let database_error = |e: DbErr| MigrateError::Database(config.scrub(&e.to_string()));
    let mut candidates = match direction {
        Direction::Up => Migrator::get_pending_migrations(db).await.map_err(database_error)?,
        Direction::Down => Migrator::get_applied_migrations(db).await.map_err(database_error)?,
    };
    if let Direction::Down = direction {
        candidates.reverse();
    }
    let count = steps.map_or(candidates.len(), |n| candidates.len().min(n as usize));
    let mut done = Vec::new();
    for migration in candidates.iter().take(count) {
        let started = Instant::now();
        let (result, action) = match direction {
            Direction::Up => (Migrator::up(db, Some(1)).await, "applied"),
            Direction::Down => (Migrator::down(db, Some(1)).await, "rolled_back"),
        };
        result.map_err(|e| MigrateError::Failed {
            migration: migration.name().to_owned(),
            message: config.scrub(&e.to_string()),
        })?;
        done.push(Step { action, migration: migration.name().to_owned(), millis: ms(started) });
    }
    Ok(done)
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
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
