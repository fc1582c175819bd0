//! How the workspace's binaries talk to the operator: diagnostics on stderr, the result on
//! stdout, exit codes and JSON errors ([`run_binary`]), and progress bars ([`progress`]).
//! Kept apart from the configuration (`db-config`), which only resolves settings.

pub mod progress;
mod run;

pub use run::{Failure, error_document, run_binary, say_on_stderr, tidy};
