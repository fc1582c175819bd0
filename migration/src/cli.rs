//! The `migrate` commands, shared by the `migration` binary and `chatdb migrate`: one code
//! path, the same guards and output.

pub(crate) mod guard;
mod report;
mod validate;

use std::time::Duration;

use clap::{Args, Subcommand};
use db_config::{DatabaseConfig, Target};
use sea_orm_migration::sea_orm::{DatabaseConnection, DbErr};

use crate::backup;
use crate::history::{History, State};
use crate::metadata::Metadata;
use crate::runner::{DEFAULT_LOCK_TIMEOUT, Direction, Goal, Runner};

pub use crate::MigrateError;
pub use crate::runner::Step;

/// A migration command.
#[derive(Clone, Debug, Subcommand)]
pub enum MigrateCommand {
    /// Apply pending migrations (all of them, unless -n or --to is given).
    #[command(
        after_help = "Examples:\n  up\n  up --wait 30 --lock-timeout 120\n  up --to m20240201_000001_support_tables\n  up --dry-run"
    )]
    Up {
        /// How far, and whether for real.
        #[command(flatten)]
        span: Span,
        /// Wait up to this many seconds for the database to accept connections.
        #[arg(long, value_name = "SECONDS")]
        wait: Option<u64>,
        /// Run even though the database belongs to staging or production and APP_ENV does not.
        #[arg(long)]
        force: bool,
        /// Create the database first when it does not exist (as `chatdb db create`).
        #[arg(long)]
        create: bool,
        /// How long to wait for another migrator.
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Roll back applied migrations, newest first (one, unless -n or --to is given).
    #[command(long_about = "Roll back applied migrations, newest first.\n\n\
        Destructive: rolling back V3 deletes the sample rows, V2 drops the support tables \
        (tag lists are rebuilt on customers and conversations), V1 drops every table. \
        Refused unless --force when APP_ENV or the environment stored in the database is \
        staging or production.")]
    Down {
        /// How far, and whether for real.
        #[command(flatten)]
        span: Span,
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
        /// How long to wait for another migrator.
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Write the next migration from the template and register it (no database needed).
    #[command(after_help = "Example:\n  new add_conversation_language\n\n\
        Writes migration/src/mYYYYMMDD_HHMMSS_add_conversation_language.rs (up and down for \
        both backends, to fill in) and adds it after the newest migration in \
        migration/src/lib.rs. Then: lint, up, down -n 1, up, schema dump.")]
    New {
        /// What the migration does, in lower-case words joined by '_'.
        name: String,
        /// The migration crate's directory (default: found from the current directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Rehearse migrations against the live tables and report statements that would hurt them.
    #[command(
        long_about = "Run the pending migrations (or --migration NAME, or --all on an \
        empty scratch database on the same server, or the statements of --sql) in a \
        transaction that is rolled back, and check every statement they execute against the \
        tables as they are: an index built without CONCURRENTLY, a constraint added without \
        NOT VALID, a column type change, SET NOT NULL, a required column, a table rewrite on \
        a table with rows; a DROP or RENAME of what the running release's entities map. A \
        table the migration creates, or an empty one, is never a finding. Lock rules are \
        errors at or above --max-rows estimated rows, warnings below. Exit 1 on an error \
        nobody acknowledged (-- lint: allow CODE: reason, in the migration's SQL). \
        PostgreSQL only.",
        after_help = "Examples:\n  lint\n  lint --max-rows 1000000 --json\n  \
        lint --all\n  lint --sql 'CREATE INDEX ON messages (created_at)'"
    )]
    Lint {
        /// Only this pending migration.
        #[arg(long, value_name = "NAME", conflicts_with_all = ["all", "sql"])]
        migration: Option<String>,
        /// Every migration, from an empty scratch database (created and dropped on the server).
        #[arg(long, conflicts_with = "sql")]
        all: bool,
        /// Lint these statements instead of migrations.
        #[arg(long, value_name = "STATEMENTS")]
        sql: Option<String>,
        /// Estimated rows at and above which a lock rule is an error.
        #[arg(long, value_name = "ROWS", default_value_t = crate::lint::DEFAULT_MAX_ROWS)]
        max_rows: u64,
    },
    /// Show each migration: version, name, when it was applied, and its state.
    Status {
        /// Exit with 1 when a migration is pending (for deploy scripts).
        #[arg(long)]
        exit_code: bool,
    },
    /// Back the database up: pg_dump's custom format, or an SQLite copy (VACUUM INTO).
    Backup {
        /// The file to write (default: DB_BACKUP_DIR/<database>-<time>.dump or .sqlite3).
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Restore a backup, replacing what the database holds.
    #[command(long_about = "Restore a backup made by `backup` (or by a destructive command), \
        replacing every object it holds: whatever was written since is lost. PostgreSQL: \
        pg_restore --clean in one transaction; SQLite: the file is swapped. Refused unless \
        --force when APP_ENV or the environment stored in the database is staging or \
        production; the current state is backed up first unless --no-backup.")]
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
    },
    /// Compare the live schema with the committed snapshot and with the entity crate.
    #[command(long_about = "Compare the live schema with the snapshot this build was made with \
        (migration/schema/*.sql: tables, columns, types, nullability, defaults, constraints, \
        indexes, triggers, functions, comments) and with the entity crate (every entity maps \
        a table, every column exists with a compatible type and nullability, every table has \
        an entity). Read-only, takes no lock. Exit 1 on any difference, or when migrations \
        are pending.")]
    Validate,
    /// Schema snapshots.
    Schema {
        /// What to do with the schema.
        #[command(subcommand)]
        command: SchemaCommand,
    },
    /// Drop every table of the database, then apply all migrations.
    #[command(long_about = "Drop every table and function of the database, whether a \
        migration created it or not, then apply all migrations. All data is lost. Refused \
        unless --force when APP_ENV or the environment stored in the database is staging \
        or production.")]
    Fresh {
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
        /// How long to wait for another migrator.
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Roll back all applied migrations, then apply them all again.
    #[command(long_about = "Roll back every applied migration, newest first, then apply \
        them all again. All data in the migrated tables is lost. Refused unless --force when \
        APP_ENV or the environment stored in the database is staging or production.")]
    Refresh {
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
        /// How long to wait for another migrator.
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Roll back all applied migrations.
    #[command(long_about = "Roll back every applied migration, newest first, leaving an \
        empty database. All data in the migrated tables is lost. Refused unless --force when \
        APP_ENV or the environment stored in the database is staging or production.")]
    Reset {
        /// Permission to run where the data is real, and the backup taken first.
        #[command(flatten)]
        destructive: Destructive,
        /// How long to wait for another migrator.
        #[command(flatten)]
        lock: LockArgs,
    },
}

/// What to do with the schema.
#[derive(Clone, Debug, Subcommand)]
pub enum SchemaCommand {
    /// Print the database's schema in the snapshot format (or write it to a file).
    #[command(after_help = "Example (after an intended change, against a database at head):\n  \
        migration schema dump --out migration/schema/sqlite.sql")]
    Dump {
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
}

/// How far `up` or `down` goes, and whether for real.
#[derive(Clone, Debug, Args)]
pub struct Span {
    /// At most this many migrations (down: one unless given).
    #[arg(short = 'n', long = "steps", conflicts_with = "to")]
    pub steps: Option<u32>,
    /// Up: up to and including this version. Down: until it is the newest applied (0: all).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// Run in a transaction, print every statement, then roll back: nothing changes.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run (up): check the statements against the live tables, as `lint` does.
    #[arg(long, requires = "dry_run", conflicts_with = "steps")]
    pub lint: bool,
}

impl Span {
    /// The runner's goal, `default` when neither -n nor --to is given.
    fn goal(&self, default: Goal) -> Goal {
        match (self.steps, &self.to) {
            (Some(n), _) => Goal::Steps(n),
            (None, Some(version)) => Goal::To(version.clone()),
            (None, None) => default,
        }
    }
}

/// Permission to destroy data where it is real, and the backup taken before.
#[derive(Clone, Debug, Args)]
pub struct Destructive {
    /// Run even in staging or production, where this destroys real data.
    #[arg(long)]
    pub force: bool,
    /// Do not back the database up first (DB_BACKUP_DIR, default ./backups).
    #[arg(long)]
    pub no_backup: bool,
}

/// How long to wait for another migrator.
#[derive(Clone, Debug, Args)]
pub struct LockArgs {
    /// Seconds to wait for another migrator (and, on PostgreSQL, for a table lock).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_LOCK_TIMEOUT.as_secs())]
    pub lock_timeout: u64,
}

impl MigrateCommand {
    fn name(&self) -> &'static str {
        match self {
            Self::Up { .. } => "up",
            Self::Down { .. } => "down",
            Self::New { .. } => "new",
            Self::Lint { .. } => "lint",
            Self::Status { .. } => "status",
            Self::Validate => "validate",
            Self::Backup { .. } => "backup",
            Self::Restore { .. } => "restore",
            Self::Schema { .. } => "schema dump",
            Self::Fresh { .. } => "fresh",
            Self::Refresh { .. } => "refresh",
            Self::Reset { .. } => "reset",
        }
    }

    fn lock_timeout(&self) -> Duration {
        match self {
            Self::Up { lock, .. }
            | Self::Down { lock, .. }
            | Self::Fresh { lock, .. }
            | Self::Refresh { lock, .. }
            | Self::Reset { lock, .. } => Duration::from_secs(lock.lock_timeout),
            Self::New { .. }
            | Self::Lint { .. }
            | Self::Status { .. }
            | Self::Validate
            | Self::Schema { .. }
            | Self::Backup { .. }
            | Self::Restore { .. } => DEFAULT_LOCK_TIMEOUT,
        }
    }
}

/// Runs `command` against the configured database, printing one line per migration as it
/// happens and the resulting status (or, with `json`, one JSON document) on stdout, and
/// the database used on stderr.
pub async fn run(
    command: MigrateCommand,
    config: &DatabaseConfig,
    json: bool,
) -> Result<(), MigrateError> {
    if let MigrateCommand::New { name, dir } = &command {
        let created = crate::authoring::create(
            &crate::authoring::crate_dir(dir.as_deref())?,
            name,
            chrono::Utc::now(),
        )?;
        report::created(&created, json);
        return Ok(());
    }
    // DATABASE_DIRECT_URL, when set: a session of our own, past a transaction pooler.
    let config = &config.for_migrations();
    tracing::info!("Database: {} ({})", config.target.describe(), target_source(config));
    let lint_scope = match &command {
        MigrateCommand::Lint { migration, all, sql, max_rows } => {
            let scope = match (migration, sql) {
                (Some(name), _) => crate::lint::Scope::Migration(name.clone()),
                (None, Some(sql)) => crate::lint::Scope::Sql(sql.clone()),
                (None, None) if *all => crate::lint::Scope::All,
                (None, None) => crate::lint::Scope::Pending,
            };
            Some((scope, *max_rows))
        }
        MigrateCommand::Up { span, .. } if span.lint => {
            let scope = match &span.to {
                Some(version) => crate::lint::Scope::Migration(version.clone()),
                None => crate::lint::Scope::Pending,
            };
            Some((scope, crate::lint::DEFAULT_MAX_ROWS))
        }
        _ => None,
    };
    if let Some((scope, max_rows)) = lint_scope {
        let linted = crate::lint::lint(config, &scope, max_rows).await?;
        report::lint(&linted, json);
        return match linted.errors() {
            0 => Ok(()),
            errors => Err(MigrateError::Lint { errors }),
        };
    }
    let wait = match &command {
        MigrateCommand::Up { wait: Some(seconds), .. } => Duration::from_secs(*seconds),
        _ => Duration::ZERO,
    };
    if let MigrateCommand::Up { create: true, .. } = &command
        && crate::lifecycle::create(config, wait).await?
    {
        tracing::info!("Created the database {}", config.target.describe());
    }
    let db = config.connect_waiting(wait, true).await?;
    match &command {
        MigrateCommand::Validate => validate::validate(config, &db, json).await,
        MigrateCommand::Schema { command: SchemaCommand::Dump { out } } => {
            validate::dump(config, &db, out.as_deref(), json).await
        }
        MigrateCommand::Status { exit_code } => status(config, &db, *exit_code, json).await,
        MigrateCommand::Backup { out } => {
            let written = backup::backup(config, &db, out.as_deref()).await?;
            report::backup(&written, json);
            Ok(())
        }
        MigrateCommand::Restore { file, .. } => {
            let safety_copy = guarded(&command, config, &db).await?;
            backup::restore(config, db, file).await?;
            if !json {
                println!("Restored {}", file.display());
            }
            let db = config.connect_single().await?;
            let (history, stored) = read_state(config, &db).await?;
            report::status(&history, &stored, &[], safety_copy.as_ref(), json);
            Ok(())
        }
        MigrateCommand::New { .. } | MigrateCommand::Lint { .. } => Ok(()),
        MigrateCommand::Up { .. }
        | MigrateCommand::Down { .. }
        | MigrateCommand::Fresh { .. }
        | MigrateCommand::Refresh { .. }
        | MigrateCommand::Reset { .. } => migrate(command, config, db, json).await,
    }
}

/// `status`: the table of migrations; with `exit_code`, pending ones fail the command.
async fn status(
    config: &DatabaseConfig,
    db: &DatabaseConnection,
    exit_code: bool,
    json: bool,
) -> Result<(), MigrateError> {
    let (history, stored) = read_state(config, db).await?;
    report::status(&history, &stored, &[], None, json);
    let pending = history.versions(State::Pending);
    if exit_code && !pending.is_empty() {
        return Err(MigrateError::Pending { count: pending.len(), versions: pending.join(", ") });
    }
    Ok(())
}

/// Asks the guard whether `command` may run here and, when it would destroy something
/// and `--no-backup` was not given, backs the database up first.
async fn guarded(
    command: &MigrateCommand,
    config: &DatabaseConfig,
    db: &DatabaseConnection,
) -> Result<Option<backup::Backup>, MigrateError> {
    let (history, stored) = read_state(config, db).await?;
    guard::check(command, config, &stored, &history)?;
    let no_backup = match command {
        MigrateCommand::Up { .. } => return Ok(None),
        MigrateCommand::Down { span, .. } if span.dry_run => return Ok(None),
        MigrateCommand::Down { destructive, .. }
        | MigrateCommand::Fresh { destructive, .. }
        | MigrateCommand::Refresh { destructive, .. }
        | MigrateCommand::Reset { destructive, .. }
        | MigrateCommand::Restore { destructive, .. } => destructive.no_backup,
        _ => return Ok(None),
    };
    if no_backup || !guard::destroys_something(command, &history) {
        return Ok(None);
    }
    let written = backup::backup(config, db, None).await?;
    tracing::info!("Backed up to {written} first; `restore` it to undo");
    Ok(Some(written))
}

/// `up`, `down`, `fresh`, `refresh`, `reset`: moves the database through the runner,
/// printing each step, then the status (or, for a dry run, the statements).
async fn migrate(
    command: MigrateCommand,
    config: &DatabaseConfig,
    mut db: DatabaseConnection,
    json: bool,
) -> Result<(), MigrateError> {
    let safety_copy = guarded(&command, config, &db).await?;
    let dry_run = match &command {
        MigrateCommand::Up { span, .. } | MigrateCommand::Down { span, .. } => span.dry_run,
        _ => false,
    };
    let recorded = dry_run.then(|| Runner::record_statements(&mut db));
    let mut runner = Runner::new(&db, config);
    runner.lock_timeout = command.lock_timeout();
    let mut print_step = |step: &Step| {
        if !json {
            report::step(step, dry_run);
        }
    };
    let name = command.name();
    let steps = match command {
        MigrateCommand::Up { span, .. } => {
            runner.run(Direction::Up, &span.goal(Goal::All), dry_run, &mut print_step).await?
        }
        MigrateCommand::Down { span, .. } => {
            let goal = span.goal(Goal::Steps(1));
            runner.run(Direction::Down, &goal, dry_run, &mut print_step).await?
        }
        MigrateCommand::Fresh { .. } => {
            runner.drop_everything().await?;
            tracing::info!("Dropped every table and function");
            runner.run(Direction::Up, &Goal::All, false, &mut print_step).await?
        }
        MigrateCommand::Refresh { .. } => {
            let mut steps = runner.run(Direction::Down, &Goal::All, false, &mut print_step).await?;
            steps.extend(runner.run(Direction::Up, &Goal::All, false, &mut print_step).await?);
            steps
        }
        MigrateCommand::Reset { .. } => {
            runner.run(Direction::Down, &Goal::All, false, &mut print_step).await?
        }
        MigrateCommand::New { .. }
        | MigrateCommand::Lint { .. }
        | MigrateCommand::Status { .. }
        | MigrateCommand::Validate
        | MigrateCommand::Schema { .. }
        | MigrateCommand::Backup { .. }
        | MigrateCommand::Restore { .. } => Vec::new(),
    };
    if let Some(recorded) = recorded {
        let statements = recorded.lock().map(|s| s.clone()).unwrap_or_default();
        report::dry_run(&steps, &statements, json);
        return Ok(());
    }
    if steps.is_empty() && !json {
        let what = if name == "up" { "apply" } else { "roll back" };
        println!("Nothing to {what}: the database is already there");
    }
    let (history, stored) = read_state(config, &db).await?;
    report::status(&history, &stored, &steps, safety_copy.as_ref(), json);
    Ok(())
}

pub(crate) async fn read_state(
    config: &DatabaseConfig,
    db: &DatabaseConnection,
) -> Result<(History, Metadata), MigrateError> {
    let read = async {
        let txn = config.begin(db).await?;
        let state = (History::read(&txn).await?, Metadata::read(&txn).await?);
        config.commit(txn).await?;
        Ok(state)
    };
    read.await.map_err(|e: DbErr| MigrateError::Database {
        doing: "reading the migration history",
        message: config.describe_error(&e),
    })
}

fn target_source(config: &DatabaseConfig) -> String {
    match &config.target {
        Target::Postgres(pg) => pg.host.source.to_string(),
        Target::Sqlite(sqlite) => match sqlite.path.source {
            db_config::Source::Default => format!(
                "embedded {} default; set DATABASE_URL to use another database",
                config.app_env.value
            ),
            ref source => source.to_string(),
        },
    }
}
