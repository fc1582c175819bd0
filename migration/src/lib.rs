//! Versioned schema migrations of the support platform's database, for PostgreSQL 15+ and
//! SQLite 3.35+:
//!
//! * V1 `m20240101_000001_core_schema`: tenants, users, customers, conversations,
//!   messages, subscriptions, automations, and the admin tenant with its SUPER_ADMIN;
//! * V2 `m20240201_000001_support_tables`: audit logs, attachments, webhooks, tags,
//!   sessions, notification settings, metrics, computed priority scores and SLA deadlines;
//! * V3 `m20240301_000001_sample_data`: sample tenants and their data (not in staging or
//!   production unless `SEED_SAMPLE_DATA=true`);
//! * V4 `m20261204_000001_tenant_isolation`: row-level security confining every role but
//!   the tables' owner to the tenant of its transaction (PostgreSQL; nothing on SQLite).
//!
//! Every migration runs in a transaction on both backends. Run them with
//! `cargo run -p migration -- up` (see `--help`), or from code with [`up`] — for example
//! at an application's start-up, from several replicas at once:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // The database, APP_ENV, ADMIN_EMAIL, ADMIN_PASSWORD…: from the environment and .env.
//! let config = db_config::DatabaseConfig::from_env()?;
//! for step in migration::up(&config).await? {
//!     println!("applied {} in {:.0} ms", step.migration, step.millis);
//! }
//! # Ok(()) }
//! ```

pub use sea_orm_migration::prelude::*;
pub use sea_orm_migration::{MigrationStatus, MigratorTraitSelf};

/// `APP_ENV`, shared with the configuration crate.
pub mod app_env {
    pub use db_config::{APP_ENV_VAR, AppEnv, InvalidAppEnv};
}
pub mod authoring;
pub mod backup;
pub mod cli;
mod ddl;
pub mod guard;
pub mod history;
pub mod isolation;
pub mod lifecycle;
pub mod lint;
pub mod locks;
pub mod metadata;
mod migrate_error;
pub mod password;
pub mod runner;
pub mod schema;
pub mod seeded_ids;

mod m20240101_000001_core_schema;
mod m20240201_000001_support_tables;
mod m20240301_000001_sample_data;
mod m20261204_000001_tenant_isolation;

pub use db_config::{MigrationSettings, SEED_SAMPLE_DATA_VAR};
pub use m20240301_000001_sample_data::SAMPLE_PASSWORD;
pub use migrate_error::MigrateError;

/// Recounts `tags.usage_count` from the junction tables (add a `WHERE` to limit it): V2
/// fills the counts with it, the seeder recounts the tags it wrote.
pub const RECOUNT_TAG_USAGE: &str = "UPDATE tags SET usage_count = \
     (SELECT count(*) FROM customer_tags l WHERE l.tag_id = tags.id) + \
     (SELECT count(*) FROM conversation_tags l WHERE l.tag_id = tags.id)";

/// Applies every pending migration to the database `config` names: the way to migrate
/// from code. Each migration runs in its own transaction under the migrators' lock, so
/// replicas starting at once apply each migration once; the database records its
/// environment (`chatdb_metadata`) for the destructive commands' guards; a database that
/// recorded a stronger environment than `APP_ENV` (a development shell pointed at
/// production) is refused. Connects to `DATABASE_DIRECT_URL` when it is set (past a
/// transaction pooler). Returns the migrations applied, oldest first.
pub async fn up(config: &db_config::DatabaseConfig) -> Result<Vec<runner::Step>, MigrateError> {
    let config = &config.for_migrations();
    let db = config.connect_single().await?;
    let (_, stored) = cli::read_state(config, &db).await?;
    guard::refuse_wrong_environment(config, &stored)?;
    let runner = runner::Runner::new(&db, config);
    let steps = runner.run(runner::Direction::Up, &runner::Goal::All, false, &mut |_| {}).await;
    db.close().await.map_err(|e| MigrateError::Database {
        doing: "closing the connection",
        message: config.describe_error(&e),
    })?;
    steps
}

/// The workspace's migrations, oldest first, with the settings V1 and V3 read.
///
/// Its [`MigratorTraitSelf`] methods (`up`, `down`, …) are sea-orm's and bypass this
/// crate's runner: no migrators' lock (two replicas migrating at once can both apply a
/// migration), no `chatdb_metadata` (the destructive commands' guards cannot know the
/// database's environment). Outside tests of the migrations themselves, use [`up`] or
/// the `migration` binary.
#[derive(Clone, Debug, Default)]
pub struct Migrator {
    settings: MigrationSettings,
    /// Migrations after the workspace's own (a test's fixtures), newest last.
    appended: Option<Migrations>,
}

/// Makes a list of migrations.
pub type Migrations = fn() -> Vec<Box<dyn MigrationTrait>>;

impl Migrator {
    /// The migrations with `settings` (usually `DatabaseConfig::migrations`).
    pub fn new(settings: MigrationSettings) -> Self {
        Self { settings, appended: None }
    }

    /// Starts hashing the passwords that the migrations among `pending` will hash, so
    /// that each hash is ready when its migration needs it ([`password::hash_ahead`]):
    /// V1's admin password, when given, and V3's sample password, when it inserts its rows.
    pub(crate) fn hash_ahead(&self, pending: &[String]) {
        let pending = |version: &str| pending.iter().any(|v| v == version);
        let mut passwords = Vec::new();
        if let db_config::AdminPassword::Given(admin) = self.settings.admin_password()
            && pending("m20240101_000001_core_schema")
        {
            passwords.push(admin.expose().to_owned());
        }
        if self.settings.inserts_sample_data() && pending("m20240301_000001_sample_data") {
            passwords.push(SAMPLE_PASSWORD.to_owned());
        }
        password::hash_ahead(passwords);
    }

    /// The workspace's migrations followed by those `appended` makes: for tests of
    /// migrations this release does not ship (run them with [`runner::Runner::with_migrator`]).
    pub fn with_appended(settings: MigrationSettings, appended: Migrations) -> Self {
        Self { settings, appended: Some(appended) }
    }

    /// The workspace's migrations' names, oldest first.
    pub fn names() -> Vec<String> {
        Self::default().listed()
    }

    /// This migrator's migrations' names, oldest first.
    pub fn listed(&self) -> Vec<String> {
        self.migrations().iter().map(|m| m.name().to_owned()).collect()
    }
}

#[async_trait::async_trait]
impl MigratorTraitSelf for Migrator {
    fn migrations(&self) -> Vec<Box<dyn MigrationTrait>> {
        let settings = self.settings.clone();
        let mut migrations: Vec<Box<dyn MigrationTrait>> = vec![
            Box::new(m20240101_000001_core_schema::Migration { settings: settings.clone() }),
            Box::new(m20240201_000001_support_tables::Migration),
            Box::new(m20240301_000001_sample_data::Migration { settings }),
            Box::new(m20261204_000001_tenant_isolation::Migration),
        ];
        migrations.extend(self.appended.map(|appended| appended()).unwrap_or_default());
        migrations
    }
}
