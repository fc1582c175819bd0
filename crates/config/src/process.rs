//! The start of every binary of the workspace: logging, a runtime, and how failures end.

use std::fmt::Display;
use std::future::Future;
use std::process::ExitCode;

/// Runs a binary's async `main`: diagnostics to stderr through `tracing` (filter from
/// `RUST_LOG`, default `warn`), a Tokio runtime, and on failure `error: …` on stderr with
/// the exit code `exit_code` gives.
pub fn run_binary<E: Display>(
    main: impl Future<Output = Result<(), E>>,
    exit_code: impl Fn(&E) -> u8,
) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
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
