//! `migration`: apply, roll back and inspect the schema migrations.

use std::process::ExitCode;

use clap::Parser;
use db_config::DatabaseConfig;
use migration::cli::{MigrateCommand, MigrateError, run};

/// Apply, roll back and inspect the schema migrations (V1 core schema, V2 support tables,
/// V3 sample data).
///
/// The database comes from the environment (and .env): DATABASE_URL, or PostgreSQL parts
/// such as ZERODB_POSTGRES_HOST, or in development and test an SQLite file in data/ next
/// to .env (else in the current directory). APP_ENV (development, test, staging,
/// production) and the environment the database recorded guard destructive commands. Exit codes: 0 done, 1 failed, 2 usage or configuration error.
#[derive(Parser)]
#[command(
    version,
    after_help = "Examples:\n  cargo run -p migration -- up\n  cargo run -p migration -- status --json\n  DATABASE_URL=postgres://app@localhost/chatdb cargo run -p migration -- down -n 1"
)]
struct Cli {
    #[command(subcommand)]
    command: MigrateCommand,
    /// Print one JSON document instead of lines.
    #[arg(long, global = true)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = db_config::Env::load();
    let log = db_config::LogSettings::of(&env);
    process_io::run_binary(cli.json, log.no_color, log.filter.as_deref(), async move {
        let config = DatabaseConfig::resolve(&env?).map_err(MigrateError::Config)?;
        run(cli.command, &config, cli.json).await
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
