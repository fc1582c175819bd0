//! `seed`: fill a development database with realistic, deterministic data.

use std::process::ExitCode;

use clap::Parser;
use db_config::DatabaseConfig;
use seed::cli::{SeedArgs, run};

/// Seeding SQLite allocates a value per bound parameter on one thread and frees it on
/// SQLite's: mimalloc does that at a fraction of the system allocator's cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Fill the configured database with realistic, deterministic fake data at scale.
///
/// The same seed and sizes always give the same rows; running the same seeding twice does
/// nothing the second time; --reset removes exactly what seedings created. Refuses a
/// database that is not migrated to head, production always, and staging unless
/// --allow-staging. Every seeded user's password is `sample-data-only`.
#[derive(Parser)]
#[command(
    version,
    after_help = "Examples:\n  cargo run -p seed\n  cargo run -p seed -- --preset medium\n  cargo run -p seed -- --messages 50000 --conversations 2000 --seed 7\n  cargo run -p seed -- --reset"
)]
struct Cli {
    #[command(flatten)]
    args: SeedArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = db_config::Env::load();
    let log = db_config::LogSettings::of(&env);
    process_io::run_binary(cli.json, log.no_color, log.filter.as_deref(), async move {
        let config = DatabaseConfig::resolve(&env?)?;
        run(&cli.args, &config, cli.json).await
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
