//! The `seed` command line, shared by the `seed` binary and `chatdb seed`.

use chrono::{DateTime, Utc};
use clap::Args;
use db_config::DatabaseConfig;
use uuid::Uuid;

use crate::{Outcome, Preset, SeedError, SeedOptions, Sizes};

/// Fill the database with realistic, deterministic fake data.
#[derive(Clone, Debug, Args)]
pub struct SeedArgs {
    /// How much data: small (~1,000 messages), medium (~100,000), large (1,000,000).
    #[arg(long, value_enum, default_value_t = Preset::Small)]
    pub preset: Preset,
    /// The seed: the same seed and sizes give the same rows.
    #[arg(long, default_value_t = crate::DEFAULT_SEED)]
    pub seed: u64,
    /// Generated times lie before this instant (RFC 3339). Keeps a seeding identical
    /// whenever it runs.
    #[arg(long, value_parser = parse_anchor)]
    pub anchor: Option<DateTime<Utc>>,
    /// Seed into this existing tenant instead of creating tenants.
    #[arg(long, value_name = "ID")]
    pub tenant: Option<Uuid>,
    /// New tenants (overrides the preset).
    #[arg(long)]
    pub tenants: Option<u32>,
    /// Users (overrides the preset).
    #[arg(long)]
    pub users: Option<u32>,
    /// Customers (overrides the preset).
    #[arg(long)]
    pub customers: Option<u32>,
    /// Conversations (overrides the preset).
    #[arg(long)]
    pub conversations: Option<u32>,
    /// Messages (overrides the preset).
    #[arg(long)]
    pub messages: Option<u32>,
    /// Tags per tenant (overrides the preset).
    #[arg(long)]
    pub tags: Option<u32>,
    /// File attachments (overrides the preset).
    #[arg(long)]
    pub attachments: Option<u32>,
    /// User sessions (overrides the preset).
    #[arg(long)]
    pub sessions: Option<u32>,
    /// Audit log entries (overrides the preset).
    #[arg(long)]
    pub audit_logs: Option<u32>,
    /// Performance metrics (overrides the preset).
    #[arg(long)]
    pub metrics: Option<u32>,
    /// Remove everything earlier seedings created (and nothing else) instead of seeding.
    #[arg(long)]
    pub reset: bool,
    /// Allow seeding a staging database (production is always refused).
    #[arg(long)]
    pub allow_staging: bool,
    /// No progress bars.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_anchor(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e}; expected e.g. 2026-11-01T00:00:00Z"))
}

impl SeedArgs {
    /// The sizes: the preset's, with every given flag applied.
    pub fn sizes(&self) -> Sizes {
        let base = self.preset.sizes();
        Sizes {
            tenants: self.tenants.unwrap_or(base.tenants),
            users: self.users.unwrap_or(base.users),
            customers: self.customers.unwrap_or(base.customers),
            conversations: self.conversations.unwrap_or(base.conversations),
            messages: self.messages.unwrap_or(base.messages),
            tags_per_tenant: self.tags.unwrap_or(base.tags_per_tenant),
            attachments: self.attachments.unwrap_or(base.attachments),
            sessions: self.sessions.unwrap_or(base.sessions),
            audit_logs: self.audit_logs.unwrap_or(base.audit_logs),
            metrics: self.metrics.unwrap_or(base.metrics),
        }
    }

    fn options(&self) -> Result<SeedOptions, SeedError> {
        let sizes = self.sizes();
        if self.tenant.is_none() && sizes.tenants == 0 {
            return Err(SeedError::Usage {
                flag: "--tenants",
                problem: "must be at least 1 (or use --tenant ID)".into(),
            });
        }
        sizes.check()?;
        if sizes.tags_per_tenant > 999 {
            return Err(SeedError::Usage {
                flag: "--tags",
                problem: "at most 999 tags per tenant".into(),
            });
        }
        Ok(SeedOptions {
            preset: self.preset,
            sizes,
            seed: self.seed,
            anchor: self.anchor.unwrap_or_else(crate::default_anchor),
            tenant: self.tenant,
            allow_staging: self.allow_staging,
            progress: !self.quiet,
        })
    }
}

/// Runs the seeding (or the reset) and prints its summary.
pub async fn run(args: &SeedArgs, config: &DatabaseConfig, json: bool) -> Result<(), SeedError> {
    tracing::info!("Database: {}", config.target.describe());
    if args.reset {
        let summary = crate::reset(config, args.allow_staging).await?;
        if json {
            println!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
        } else {
            println!(
                "Removed {} seeding(s): {} tenant(s) with all their data, {} row(s) in existing tenants",
                summary.seedings, summary.tenants, summary.rows_in_existing_tenants
            );
        }
        return Ok(());
    }
    match crate::seed(config, &args.options()?).await? {
        Outcome::Seeded(summary) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
            } else {
                println!("{}", summary.render());
            }
        }
        Outcome::AlreadySeeded(entry) => {
            if json {
                println!("{}", serde_json::json!({ "already_seeded": entry.as_json() }));
            } else {
                println!(
                    "Already seeded on {} with these sizes and seed {}: nothing to do (--reset removes it)",
                    entry.seeded_at, entry.seed
                );
            }
        }
    }
    Ok(())
}
