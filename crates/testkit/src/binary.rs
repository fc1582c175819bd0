//! Running the workspace's binaries as an operator would: a directory of their own, exactly
//! the variables given (nothing inherited, no stray `.env`), output and exit code captured.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use sea_orm::{ConnectionTrait, Database, Statement};

/// What a finished run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output, then standard error.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn command(exe: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut command = Command::new(exe);
    command.args(args).env_clear().envs(env.iter().copied()).current_dir(dir);
    command
}

/// Runs `exe` in `dir` with exactly `env`, and waits for it.
pub fn run(exe: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    match command(exe, dir, env, args).output() {
        Ok(out) => Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        Err(e) => {
            Run { code: -1, stdout: String::new(), stderr: format!("could not start {exe}: {e}") }
        }
    }
}

/// Starts `exe` in `dir` with exactly `env`, output captured, without waiting.
pub fn spawn(exe: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> std::io::Result<Child> {
    command(exe, dir, env, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()
}

/// Waits for a spawned run to finish.
pub fn finish(child: Child) -> Run {
    match child.wait_with_output() {
        Ok(out) => Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        Err(e) => Run { code: -1, stdout: String::new(), stderr: e.to_string() },
    }
}

/// An SQLite URL for `file` in `dir`, created when missing.
pub fn sqlite_url(dir: &Path, file: &str) -> String {
    format!("sqlite://{}?mode=rwc", dir.join(file).display())
}

/// The first column of the first row of `sql` on the database at `url`.
pub async fn scalar<T: sea_orm::TryGetable>(url: &str, sql: &str) -> Result<T, crate::Error> {
    let db = Database::connect(url).await?;
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    let row = row.ok_or_else(|| crate::Error::NoRow(sql.to_owned()))?;
    Ok(row.try_get_by_index(0)?)
}

/// Executes `sql` on the database at `url`.
pub async fn execute(url: &str, sql: &str) -> Result<(), crate::Error> {
    let db = Database::connect(url).await?;
    db.execute_unprepared(sql).await?;
    Ok(())
}
