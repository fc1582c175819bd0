//! `chatdb`: configuration, connectivity, health and migrations of the support platform's
//! database, for operators.

mod check;
mod copy;
mod distribution;
mod inspect;
mod serve;
mod tenants;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use db_config::{ConfigError, DatabaseConfig};
use migration::cli::{Destructive, MigrateCommand};

/// Seeding and copying into SQLite allocate a value per bound parameter on one thread and
/// free it on SQLite's: mimalloc does that at a fraction of the system allocator's cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Operate the support platform's database: see the resolved configuration, check that
/// the database is reachable, serve a health endpoint, and run migrations.
///
/// The database comes from the environment and .env: DATABASE_URL or POSTGRES_URL, else
/// PostgreSQL parts (ZERODB_POSTGRES_*, POSTGRES_*, DB_*, PG*), else in development and test
/// an SQLite file in data/ next to .env (else in the current directory). `chatdb config` shows what was chosen
/// and why.
#[derive(Parser)]
#[command(
    name = "chatdb",
    version,
    after_help = "Examples:
  chatdb config                          where every setting comes from
  chatdb check --wait 30                 wait up to 30 s for the database, then report on it
  chatdb health serve --bind 0.0.0.0:8080
  chatdb migrate up                      apply pending migrations
  chatdb --json migrate status
  chatdb db create                       create the configured database if missing
  chatdb db grant-app chatdb_app         make chatdb_app the application's confined role
  chatdb backup --out before-upgrade.dump
  chatdb restore before-upgrade.dump
  chatdb seed --preset medium            ~100,000 messages of realistic fake data
  chatdb tenants                         every tenant with its plan and row counts
  chatdb scale check                     what blocks distributing by tenant (Citus)
  chatdb copy --from sqlite://data/chatdb-development.sqlite3 --to postgres://app@db/chatdb
  chatdb copy --from postgres://app@db/chatdb --to sqlite://debug.sqlite3 --tenant ID
  chatdb export tenant-export/ --tenant ID  then, elsewhere: chatdb import tenant-export/
  chatdb export tenant-export/ --tenant ID      then elsewhere: chatdb import tenant-export/

Exit codes: 0 success, 1 failure (e.g. unreachable database), 2 usage or configuration error."
)]
struct Cli {
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the resolved configuration and where each value came from (passwords redacted).
    Config,
    /// Connect and report: server version, TLS, latency, migrations applied and pending.
    Check {
        /// Keep retrying for up to this many seconds until the database is reachable.
        #[arg(long, value_name = "SECONDS")]
        wait: Option<u64>,
    },
    /// The HTTP health endpoint.
    Health {
        #[command(subcommand)]
        command: HealthCommand,
    },
    /// Apply, roll back and inspect migrations (as the `migration` binary does).
    Migrate {
        #[command(subcommand)]
        command: MigrateCommand,
    },
    /// Create or drop the configured database itself.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// List the tenants: id, name, plan, status, and their users, customers, conversations
    /// and messages.
    Tenants,
    /// Back the database up (as `migrate backup`): pg_dump's custom format, or an SQLite copy.
    Backup {
        /// The file to write (default: DB_BACKUP_DIR/<database>-<time>.dump or .sqlite3).
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Restore a backup, replacing what the database holds (as `migrate restore`).
    #[command(long_about = "Restore a backup made by `chatdb backup` or by a destructive \
        migrate command, replacing what the database holds: whatever was written since is \
        lost. Refused unless --force where the data is real; the current state is backed up \
        first unless --no-backup.")]
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
    },
    /// Copy the data, verified, into another database: SQLite ↔ PostgreSQL, whole or per tenant.
    #[command(long_about = "Copy the data of one database of this schema into another: \
        SQLite → PostgreSQL, PostgreSQL → SQLite, PostgreSQL → PostgreSQL; everything, or \
        some tenants with everything that belongs to them (--tenant, --move).\n\n\
        Both must be migrated to the same version. The target's copied tables must hold none \
        of the copied rows (--replace deletes them first). The copy is one transaction on the \
        target: every table is read back and compared with the source (row count and a hash \
        of the values) before it commits, and any failure leaves the target as it was.")]
    Copy(copy::CopyArgs),
    /// Write the data (or some tenants') to a directory of JSON-lines files with a manifest.
    #[command(long_about = "Write the data of the database, or of some tenants (--tenant), to a \
        new directory: one JSON-lines file per table and manifest.json with the migrations \
        applied and every table's row count and hash. For a database that cannot see the \
        target (`chatdb import` there), and for a tenant's data export.")]
    Export(copy::ExportArgs),
    /// Load a directory `chatdb export` wrote, verified against its manifest.
    #[command(long_about = "Load a directory `chatdb export` wrote into the database: the same \
        checks as `chatdb copy` (same migrations, none of the rows already there unless \
        --replace), every file checked against the manifest, one transaction, the database \
        read back and compared before it commits.")]
    Import(copy::ImportArgs),
    /// Whether the schema can be distributed by tenant (Citus), and what blocks it.
    Scale {
        #[command(subcommand)]
        command: ScaleCommand,
    },
    /// Fill the database with realistic, deterministic fake data (as the `seed` binary does).
    #[command(long_about = "Fill the database with realistic, deterministic fake data.\n\n\
        The same seed and sizes always give the same rows; the same seeding twice does \
        nothing the second time; --reset removes exactly what seedings created (and nothing \
        else). Refused unless the database is migrated to head, always in production, and in \
        staging unless --allow-staging.")]
    Seed(seed::cli::SeedArgs),
}

#[derive(Subcommand)]
enum DbCommand {
    /// Create the configured database if it does not exist (PostgreSQL: from the
    /// maintenance database `postgres`, with the same credentials; SQLite: the file).
    Create,
    /// Drop the configured database with everything in it.
    #[command(long_about = "Drop the configured database with everything in it (PostgreSQL: \
        DROP DATABASE … WITH (FORCE) from the maintenance database; SQLite: the file and its \
        WAL). Backed up first unless --no-backup. Refused unless --force when APP_ENV or the \
        environment stored in the database is staging or production.")]
    Drop {
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
    },
    /// Make an existing role the application's: confined to one tenant per transaction.
    #[command(
        name = "grant-app",
        long_about = "Give an existing PostgreSQL role what the application needs and nothing \
        more: usage of the schema; SELECT, INSERT, UPDATE and DELETE on the application's tables, \
        where row-level security confines it to the tenant its transaction sets (app.tenant_id); \
        SELECT on the bookkeeping tables (migration history, metadata, seed ledger). Not \
        ownership, DDL or TRUNCATE; privileges granted earlier on those tables are replaced. \
        Refused for a role that row-level security would not confine: a superuser, one with \
        BYPASSRLS, the tables' owner or a member of the owner's role. Run as the owner (the \
        migrating role), and again after migrations that add tables.",
        after_help = "Example:\n  psql -c \"CREATE ROLE chatdb_app LOGIN PASSWORD '…'\"\n  chatdb db grant-app chatdb_app"
    )]
    GrantApp {
        /// The role the application connects as.
        role: String,
    },
}

#[derive(Subcommand)]
enum ScaleCommand {
    /// Read the catalog: each table's role on a Citus cluster and every blocker, with the fix.
    #[command(long_about = "Read the live PostgreSQL catalog and say how the schema would be \
        distributed by tenant_id with Citus: each table distributed (it has tenant_id), a \
        reference table (no tenant_id; the application maps it or distributed tables refer \
        to it) or local (the tools' bookkeeping); and every blocker with its fix. Rules \
        (Citus's documented requirements):\n\
        SC01 every PK, UNIQUE, EXCLUDE and unique index of a distributed table includes \
        tenant_id (reference_ddl)\n\
        SC02 a foreign key between distributed tables goes through tenant_id (reference_ddl)\n\
        SC03 no foreign key from a reference or local table to a distributed one (reference_ddl)\n\
        SC04 no SET NULL / SET DEFAULT that changes tenant_id (reference_ddl)\n\
        SC05 tenant_id is NOT NULL (migration_mt_schema)\n\
        SC06 warning: sequence-backed columns (reference_workarounds)\n\
        SC07 warning: a trigger that queries another distributed table (reference_workarounds)\n\
        SC08 warning: a function that queries distributed tables: a distributed function (api_udf)\n\
        SC09 warning: row-level security on shards (reference_workarounds)\n\
        A table a distributed one refers to is proposed as a reference table (Citus allows \
        no foreign key from a distributed table to a local one).\n\
        Exit 1 when something blocks. Needs no Citus: nothing is changed.")]
    Check,
}

#[derive(Subcommand)]
enum HealthCommand {
    /// Serve GET /health/db: 200 when the database answers, 503 within 5 s when it does not.
    Serve {
        /// Address to listen on: HOST:PORT, the host a name or an address.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
}

/// Why `chatdb` failed: the library's own error where there is one (it knows its exit
/// code), `anyhow` with context for the glue in this binary.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    /// The configuration is wrong or the database unreachable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A migrate command failed or was refused.
    #[error(transparent)]
    Migrate(#[from] migration::MigrateError),
    /// A seeding failed or was refused.
    #[error(transparent)]
    Seed(#[from] seed::SeedError),
    /// A copy failed or was refused.
    #[error(transparent)]
    Transfer(#[from] transfer::TransferError),
    /// The distribution check could not read the catalog.
    #[error(transparent)]
    Scale(scale::ScaleError),
    /// The schema cannot be distributed as it stands.
    #[error("scale check: {blockers} blocker(s), listed above; SCALING.md has the plan")]
    Blocked {
        /// Findings that block it.
        blockers: usize,
    },
    /// Anything else (printed with its context chain).
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl process_io::Failure for Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Self::Config(e) if e.is_configuration() => 2,
            Self::Migrate(e) => e.exit_code(),
            Self::Seed(e) => e.exit_code(),
            Self::Transfer(e) => e.exit_code(),
            Self::Scale(scale::ScaleError::NotPostgres) => 2,
            Self::Config(_) | Self::Other(_) | Self::Scale(_) | Self::Blocked { .. } => 1,
        }
    }

    fn reported(&self) -> bool {
        matches!(self, Self::Blocked { .. })
            || matches!(self, Self::Migrate(e) if process_io::Failure::reported(e))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = db_config::Env::load();
    let log = db_config::LogSettings::of(&env);
    process_io::run_binary(cli.json, log.no_color, log.filter.as_deref(), run(cli, env))
}

async fn run(cli: Cli, env: Result<db_config::Env, ConfigError>) -> Result<(), Failure> {
    let env = env?;
    if let Command::Copy(args) = &cli.command {
        // Each side may come from a flag: the configured database is needed only for the other.
        return copy::run(args, &env, cli.json).await;
    }
    let config = DatabaseConfig::resolve(&env)?;
    match cli.command {
        Command::Config => {
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&config).map_err(anyhow::Error::from)?);
            } else {
                for line in config.explain() {
                    println!("{line}");
                }
            }
            Ok(())
        }
        Command::Check { wait } => check::run(&config, wait, cli.json).await,
        Command::Health { command: HealthCommand::Serve { bind } } => {
            serve::run(&config, bind, cli.json).await
        }
        Command::Copy(_) => Ok(()),
        Command::Export(args) => copy::export(&args, &config, cli.json).await,
        Command::Import(args) => copy::import(&args, &config, cli.json).await,
        Command::Seed(args) => Ok(seed::cli::run(&args, &config, cli.json).await?),
        Command::Tenants => tenants::run(&config, cli.json).await,
        Command::Scale { command: ScaleCommand::Check } => {
            distribution::check(&config, cli.json).await
        }
        Command::Db { command } => database(command, &config, cli.json).await,
        Command::Migrate { command } => migrate(command, &config, cli.json).await,
        Command::Backup { out } => migrate(MigrateCommand::Backup { out }, &config, cli.json).await,
        Command::Restore { file, destructive } => {
            migrate(MigrateCommand::Restore { file, destructive }, &config, cli.json).await
        }
    }
}

async fn database(command: DbCommand, config: &DatabaseConfig, json: bool) -> Result<(), Failure> {
    if let DbCommand::GrantApp { role } = &command {
        return grant_app(config, role, json).await;
    }
    let name = config.target.describe();
    let (action, done) = match command {
        DbCommand::Create => {
            ("created", migration::lifecycle::create(config, Default::default()).await?)
        }
        DbCommand::Drop { destructive } => (
            "dropped",
            migration::lifecycle::drop(config, destructive.force, destructive.no_backup).await?,
        ),
        DbCommand::GrantApp { .. } => return Ok(()),
    };
    if json {
        println!("{}", serde_json::json!({ "database": name, action: done }));
    } else if done {
        println!("{} {name}", if action == "created" { "Created" } else { "Dropped" });
    } else if action == "created" {
        println!("{name} already exists");
    } else {
        println!("{name} does not exist");
    }
    Ok(())
}

async fn grant_app(config: &DatabaseConfig, role: &str, json: bool) -> Result<(), Failure> {
    let grant = migration::isolation::grant_app(config, role).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&grant).map_err(anyhow::Error::from)?);
    } else {
        println!(
            "Granted {role} reading and writing {} tables, confined by row-level security to the \
             tenant each transaction sets, and reading {}.",
            grant.tables.len(),
            grant.read_only.join(", ")
        );
        println!(
            "Connect the application as {role}; keep the owner's URL for migrations and operators."
        );
    }
    Ok(())
}

async fn migrate(
    command: MigrateCommand,
    config: &DatabaseConfig,
    json: bool,
) -> Result<(), Failure> {
    Ok(migration::cli::run(command, config, json).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
