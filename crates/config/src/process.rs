//! The start of every binary of the workspace: logging, a runtime, and how failures end.

use std::fmt::Display;
use std::future::Future;
use std::process::ExitCode;

/// What the workspace's own crates report by default: their progress (`info`), and only
/// warnings from everything else.
const DEFAULT_FILTER: &str = "warn,config=info,migration=info,seed=info,chatdb=info";

/// Runs a binary's async `main`: diagnostics to stderr through `tracing` (filter from
/// `RUST_LOG`, default [`DEFAULT_FILTER`]; plain lines, coloured only on a terminal and
/// never with `NO_COLOR` set), a Tokio runtime, and on failure `error: …` on stderr with
/// the exit code `exit_code` gives. Standard output stays the command's result.
pub fn run_binary<E: Display>(
    main: impl Future<Output = Result<(), E>>,
    exit_code: impl Fn(&E) -> u8,
) -> ExitCode {
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_FILTER)),
        )
        .without_time()
        .with_target(false)
        .with_level(false)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(main) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(exit_code(&err))
        }
    }
}
