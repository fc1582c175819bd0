//! Running the workspace's binaries as an operator would: a directory of their own, exactly
//! the variables given (nothing inherited, no stray `.env`), output and exit code captured.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// How long any run may take before it is killed: a command stuck on a lock fails its
/// test instead of hanging the whole suite (`cargo test` has no timeout of its own).
pub const RUN_LIMIT: Duration = Duration::from_secs(180);

/// Runs `exe` in `dir` with exactly `env`, and waits for it (at most [`RUN_LIMIT`]).
pub fn run(exe: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    run_within(RUN_LIMIT, exe, dir, env, args)
}

/// [`run`], killed after `limit`: for tests of commands that wait on locks.
pub fn run_within(
    limit: Duration,
    exe: &str,
    dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
) -> Run {
    match spawn(exe, dir, env, args) {
        Ok(child) => finish_within(child, limit),
        Err(e) => {
            Run { code: -1, stdout: String::new(), stderr: format!("could not start {exe}: {e}") }
        }
    }
}

/// Starts `exe` in `dir` with exactly `env`, output captured, without waiting.
pub fn spawn(exe: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> std::io::Result<Child> {
    command(exe, dir, env, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()
}

/// Waits for a spawned run to finish (at most [`RUN_LIMIT`]).
pub fn finish(child: Child) -> Run {
    finish_within(child, RUN_LIMIT)
}

/// Waits for a spawned run to finish; kills it after `limit` and says so in its stderr.
pub fn finish_within(mut child: Child, limit: Duration) -> Run {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let deadline = Instant::now() + limit;
    let (code, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (status.code().unwrap_or(-1), false),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break (-1, true);
            }
        }
    };
    let mut stderr = stderr.join().unwrap_or_default();
    if timed_out {
        stderr.push_str(&format!("\n(killed by the test after {}s)", limit.as_secs()));
    }
    Run { code, stdout: stdout.join().unwrap_or_default(), stderr }
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

/// Whether `child` writes a line containing `needle` on stderr within `limit` (its stderr
/// is consumed): the observable state to act on, instead of a sleep.
pub fn said_within(child: &mut Child, needle: &str, limit: Duration) -> bool {
    say_within(std::slice::from_mut(child), needle, 1, limit) == 1
}

/// How many of `children` write a line containing `needle` on stderr within `limit`,
/// returning as soon as `wanted` have (their stderr is consumed).
pub fn say_within(children: &mut [Child], needle: &str, wanted: usize, limit: Duration) -> usize {
    use std::io::BufRead;
    let (sender, receiver) = std::sync::mpsc::channel();
    for stderr in children.iter_mut().filter_map(|child| child.stderr.take()) {
        let (sender, needle) = (sender.clone(), needle.to_owned());
        std::thread::spawn(move || {
            let mut lines = std::io::BufReader::new(stderr).lines().map_while(Result::ok);
            if lines.any(|line| line.contains(&needle)) {
                let _ = sender.send(());
            }
            lines.for_each(drop); // keep draining, so that the child never blocks on a full pipe
        });
    }
    drop(sender);
    let deadline = Instant::now() + limit;
    let mut said = 0;
    while said < wanted {
        let left = deadline.saturating_duration_since(Instant::now());
        if receiver.recv_timeout(left).is_err() {
            break;
        }
        said += 1;
    }
    said
}

/// Waits (at most `limit`) until a connection of ours (`application_name = 'chatdb'`) to
/// the PostgreSQL database at `url` waits for a lock held by someone else: the state to act
/// on when a test holds a lock that a running binary must reach.
pub async fn until_waiting_on_a_lock(url: &str, limit: Duration) -> Result<bool, crate::Error> {
    let db = Database::connect(url).await?;
    let waiting = "SELECT count(*) FROM pg_stat_activity \
                   WHERE application_name = 'chatdb' AND wait_event_type = 'Lock' \
                   AND datname = current_database()";
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), waiting))
            .await?
            .ok_or_else(|| crate::Error::NoRow(waiting.to_owned()))?;
        if row.try_get_by_index::<i64>(0)? > 0 {
            return Ok(true);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(false)
}
