//! The start of every binary of the workspace: logging, a runtime, and how failures end.

use std::fmt::Display;
use std::future::Future;
use std::io::Write;
use std::process::ExitCode;

/// What the workspace's own crates report by default: their progress (`info`), and only
/// warnings from everything else.
/// (sqlx's "slow statement" warnings are not the operator's business.)
const DEFAULT_FILTER: &str = "warn,sqlx=error,db_config=info,process_io=info,migration=info,seed=info,chatdb=info,transfer=info";

/// Runs a binary's async `main`: diagnostics to stderr through `tracing` (`log_filter`, as
/// the configuration read `RUST_LOG`, else [`DEFAULT_FILTER`]; plain lines, coloured only
/// on a terminal and never with `no_color`), a Tokio runtime, and on failure `error: …` on
/// stderr with the exit code `exit_code` gives. Standard output stays the command's result.
///
/// With `json`, a failure also prints one JSON document on stdout,
/// `{"error": {"kind": "usage" | "failure", "message": …, "hint": …}}`, so that a script
/// reading stdout always gets JSON. A closed stdout (`| head`) ends the program quietly.
pub fn run_binary<E: Failure>(
    json: bool,
    no_color: bool,
    log_filter: Option<&str>,
    main: impl Future<Output = Result<(), E>>,
) -> ExitCode {
    quiet_on_closed_pipe();
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && !no_color;
    let filter = log_filter
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(DEFAULT_FILTER));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .without_time()
        .with_target(false)
        .with_level(false)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        // Its own complaint about a closed stderr would be printed to that stderr, and that
        // panics: the work goes on without its log instead.
        .log_internal_errors(false)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            say_on_stderr(&format!("error: could not start the async runtime: {err}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(main) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = err.exit_code();
            let message = tidy(&err.to_string());
            say_on_stderr(&format!("error: {message}"));
            if json && !err.reported() {
                let _ = writeln!(std::io::stdout(), "{}", error_document(&message, code));
            }
            ExitCode::from(code)
        }
    }
}

/// How a binary's error ends the program.
pub trait Failure: Display {
    /// 2 for mistakes in configuration, flags or environment; 1 for failures.
    fn exit_code(&self) -> u8;

    /// True when the command already printed its result (say, `validate`'s findings)
    /// and fails only to set the exit code: no JSON error document follows it.
    fn reported(&self) -> bool {
        false
    }
}

/// A database error as an operator needs it: without the server's source positions
/// (" at line 948"), with the fix for the causes that have a known one.
pub fn tidy(message: &str) -> String {
    let mut tidied = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        let after = &rest[at + " at line ".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            tidied.push_str(&rest[..at + " at line ".len()]);
            rest = after;
            continue;
        }
        tidied.push_str(&rest[..at]);
        rest = &after[digits..];
    }
    tidied.push_str(rest);
    for (cause, marker, fix) in KNOWN_FIXES {
        if tidied.contains(cause) && !tidied.contains(marker) {
            tidied.push_str("; ");
            tidied.push_str(fix);
        }
    }
    tidied
}

/// Causes with a fix the server's message does not give: (cause, what shows the fix is
/// already given, the fix).
const KNOWN_FIXES: &[(&str, &str, &str)] = &[
    (
        "permission denied for schema",
        "GRANT CREATE ON SCHEMA",
        "the connecting role needs CREATE on that schema: GRANT CREATE ON SCHEMA public TO <role> \
         (since PostgreSQL 15 only the schema's owner has it), or connect as the owner",
    ),
    (
        "canceling statement due to statement timeout",
        "DB_STATEMENT_TIMEOUT",
        "DB_STATEMENT_TIMEOUT stopped it: raise or unset DB_STATEMENT_TIMEOUT for this command",
    ),
];

/// The JSON form of a failure: its kind (from the exit code), the message, and the fix
/// (the part after the last "; ", where every message of the workspace puts it).
pub fn error_document(message: &str, exit_code: u8) -> serde_json::Value {
    let kind = if exit_code == 2 { "usage" } else { "failure" };
    let hint = message.rsplit_once("; ").map(|(_, fix)| fix);
    serde_json::json!({ "error": { "kind": kind, "message": message, "hint": hint } })
}

/// Writes a line to stderr, whether or not anyone reads it: a closed stderr must neither
/// stop the work nor turn a failure's exit code into success.
pub fn say_on_stderr(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Printing to a closed pipe panics in Rust (SIGPIPE is ignored): when stdout's reader has
/// gone, end quietly instead, as Unix tools do (`chatdb --json config | head -1`). Only
/// stdout: the results go there once the work is done, where stderr carries progress
/// while it runs (written by [`say_on_stderr`] and the log, which never panic).
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if text.contains("printing to stdout") && text.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
