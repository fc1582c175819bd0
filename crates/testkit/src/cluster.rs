//! The throwaway PostgreSQL cluster shared by all test processes of a run.
//!
//! State lives in `$TMPDIR/chatdb-testkit-<uid>-<workspace hash>/`: `lock` serialises
//! start-up and shut-down, `clients/<pid>` registers each live test process, `port`
//! records the running server. A detached watchdog stops the cluster and deletes it once
//! no registered process has been alive for `TESTKIT_PG_GRACE_SECS` (default 5) seconds.

use std::fs::{self, File};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::Error;

/// Seconds the cluster outlives the last test process when nothing else is set.
const DEFAULT_GRACE_SECS: u32 = 5;

/// A kind of shared cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// Plain TCP on 127.0.0.1, trust authentication.
    Plain,
    /// TLS only (`hostssl`), with a certificate for `localhost` from a test CA.
    Tls,
}

/// The port of the shared cluster of `flavor`, started on first use in this process.
pub(crate) fn port(flavor: Flavor) -> Result<u16, Error> {
    static PLAIN: OnceLock<Result<u16, String>> = OnceLock::new();
    static TLS: OnceLock<Result<u16, String>> = OnceLock::new();
    let cell = match flavor {
        Flavor::Plain => &PLAIN,
        Flavor::Tls => &TLS,
    };
    cell.get_or_init(|| start_or_join(flavor).map_err(|e| e.to_string()))
        .clone()
        .map_err(Error::NoPostgres)
}

/// The admin URL of the shared plain cluster.
pub(crate) fn admin_url() -> Result<String, Error> {
    Ok(format!("postgres://postgres@127.0.0.1:{}/postgres", port(Flavor::Plain)?))
}

/// The state directory of a flavour's cluster.
pub(crate) fn flavor_dir(flavor: Flavor) -> PathBuf {
    match flavor {
        Flavor::Plain => state_dir(),
        Flavor::Tls => state_dir().join("tls"),
    }
}

/// Where the shared state of this workspace's test runs lives.
pub(crate) fn state_dir() -> PathBuf {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_MANIFEST_DIR").hash(&mut hasher);
    let uid = fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0);
    std::env::temp_dir().join(format!("chatdb-testkit-{uid}-{:x}", hasher.finish()))
}

fn start_or_join(flavor: Flavor) -> Result<u16, Error> {
    let dir = flavor_dir(flavor);
    let clients = dir.join("clients");
    fs::create_dir_all(&clients).map_err(Error::io(format!("creating {}", clients.display())))?;
    let lock = File::create(dir.join("lock")).map_err(Error::io("creating the cluster lock"))?;
    lock.lock().map_err(Error::io("locking the cluster"))?;
    // Registered under the lock, so the watchdog cannot stop the cluster in between.
    File::create(clients.join(std::process::id().to_string()))
        .map_err(Error::io("registering the test process"))?;
    let port = match running_port(&dir) {
        Some(port) => port,
        None => start(&dir, flavor)?,
    };
    drop(lock);
    Ok(port)
}

/// The port of this state directory's own running server: the one its `postmaster.pid`
/// names, whose process is alive (never just any listener on a recorded port, which may
/// belong to another checkout's cluster).
fn running_port(dir: &Path) -> Option<u16> {
    let recorded: u16 = fs::read_to_string(dir.join("port")).ok()?.trim().parse().ok()?;
    let pid_file = fs::read_to_string(dir.join("cluster").join("postmaster.pid")).ok()?;
    let lines: Vec<&str> = pid_file.lines().collect();
    let pid = lines.first()?.trim();
    let port: u16 = lines.get(3)?.trim().parse().ok()?;
    let alive = Path::new("/proc").join(pid).exists();
    (alive && port == recorded).then_some(port)
}

fn start(dir: &Path, flavor: Flavor) -> Result<u16, Error> {
    let bin = bin_dir()?;
    let data = dir.join("cluster");
    if data.exists() {
        fs::remove_dir_all(&data).map_err(Error::io("removing a stale cluster"))?;
    }
    fs::create_dir_all(&data).map_err(Error::io("creating the cluster directory"))?;
    let run_as = service_user_if_root()?;
    if let Some((_, uid, gid)) = &run_as {
        std::os::unix::fs::chown(&data, Some(*uid), Some(*gid))
            .map_err(Error::io("handing the cluster directory to the postgres user"))?;
        std::os::unix::fs::chown(dir, Some(*uid), Some(*gid))
            .map_err(Error::io("handing the state directory to the postgres user"))?;
    }
    let user = run_as.as_ref().map(|(name, ..)| name.as_str());
    run(
        user,
        &bin.join("initdb"),
        &[
            "-D",
            &data.to_string_lossy(),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
    )?;
    // The port is free when chosen but may be taken before the server binds it (another
    // checkout starting its cluster): then choose again.
    let mut attempt = 0;
    loop {
        let port = free_port()?;
        match start_on(dir, &data, &bin, user, flavor, run_as.as_ref(), port) {
            Ok(()) => {
                fs::write(dir.join("port"), port.to_string())
                    .map_err(Error::io("recording the port"))?;
                spawn_watchdog(dir, &bin, user)?;
                return Ok(port);
            }
            Err(_) if attempt < 4 && port_was_taken(dir) => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Makes the server check `role`'s password (every other role is trusted): a test that
/// passes a password is then known to pass the right one.
fn require_password_of(role: &str, data: &Path) -> Result<(), Error> {
    let hba = data.join("pg_hba.conf");
    let trusted = fs::read_to_string(&hba).map_err(Error::io("reading pg_hba.conf"))?;
    let checked = format!("host all {role} 127.0.0.1/32 scram-sha-256\n{trusted}");
    fs::write(&hba, checked).map_err(Error::io("writing pg_hba.conf"))
}

/// Whether the last start failed because another process bound the port first.
fn port_was_taken(dir: &Path) -> bool {
    fs::read_to_string(dir.join("server.log"))
        .is_ok_and(|log| log.contains("Address already in use"))
}

/// Starts the initialised cluster in `data` on `port`.
fn start_on(
    dir: &Path,
    data: &Path,
    bin: &Path,
    user: Option<&str>,
    flavor: Flavor,
    run_as: Option<&(String, u32, u32)>,
    port: u16,
) -> Result<(), Error> {
    let mut options = format!(
        "-p {port} -k {} -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB",
        dir.display()
    );
    match flavor {
        Flavor::Plain => {
            require_password_of(crate::roles::PASSWORD_ROLE, data)?;
            options.push_str(" -c listen_addresses=127.0.0.1");
        }
        Flavor::Tls => {
            crate::certs::configure(data, dir, run_as.map(|(_, uid, gid)| (*uid, *gid)))?;
            options.push_str(
                " -c listen_addresses=localhost -c ssl=on \
                 -c ssl_cert_file=server.crt -c ssl_key_file=server.key",
            );
        }
    }
    run(
        user,
        &bin.join("pg_ctl"),
        &[
            "-D",
            &data.to_string_lossy(),
            "-o",
            &options,
            "-l",
            &dir.join("server.log").to_string_lossy(),
            "-w",
            "start",
        ],
    )
}

/// Server binaries: `TESTKIT_PG_BINDIR`, `pg_config --bindir`, or the newest
/// `/usr/lib/postgresql/<version>/bin`.
fn bin_dir() -> Result<PathBuf, Error> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(dir) = std::env::var("TESTKIT_PG_BINDIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_initdb(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_initdb(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        Error::NoPostgres(
            "no initdb in TESTKIT_PG_BINDIR, pg_config --bindir or /usr/lib/postgresql/*/bin"
                .into(),
        )
    })
}

/// `initdb` refuses root: as root, run the cluster as the `postgres` user.
pub(crate) fn service_user_if_root() -> Result<Option<(String, u32, u32)>, Error> {
    let uid = fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(u32::MAX);
    if uid != 0 {
        return Ok(None);
    }
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "postgres"]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    match (id("-u"), id("-g")) {
        (Some(uid), Some(gid)) => Ok(Some(("postgres".to_owned(), uid, gid))),
        _ => Err(Error::NoPostgres(
            "running as root, and there is no `postgres` user to run initdb as".into(),
        )),
    }
}

fn command(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", user, "--"]).arg(program);
            cmd
        }
        None => Command::new(program),
    }
}

pub(crate) fn run(user: Option<&str>, program: &Path, args: &[&str]) -> Result<(), Error> {
    let mut cmd = command(user, program);
    cmd.args(args).stdin(Stdio::null());
    let output = cmd.output().map_err(Error::io(format!("running {}", program.display())))?;
    if output.status.success() {
        return Ok(());
    }
    Err(Error::Command {
        command: format!("{} {}", program.display(), args.join(" ")),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}

pub(crate) fn free_port() -> Result<u16, Error> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(Error::io("finding a free port"))?;
    Ok(listener.local_addr().map_err(Error::io("finding a free port"))?.port())
}

/// Starts the detached shell loop that stops and deletes the cluster once every
/// registered test process is gone. Its output goes nowhere, so test runners do not wait
/// for it.
fn spawn_watchdog(dir: &Path, bin: &Path, user: Option<&str>) -> Result<(), Error> {
    let grace = std::env::var("TESTKIT_PG_GRACE_SECS")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(DEFAULT_GRACE_SECS);
    let stop = match user {
        Some(user) => format!("runuser -u {user} -- \"$bin/pg_ctl\""),
        None => "\"$bin/pg_ctl\"".to_owned(),
    };
    let script = format!(
        r#"dir="$1"; bin="$2"; idle=0
while sleep 1; do
  alive=0
  for f in "$dir"/clients/*; do
    [ -e "$f" ] || continue
    if kill -0 "${{f##*/}}" 2>/dev/null; then alive=1; else rm -f "$f"; fi
  done
  if [ "$alive" = 1 ]; then idle=0; else idle=$((idle + 1)); fi
  if [ "$idle" -ge {grace} ]; then
    exec 9>"$dir/lock"; flock 9
    alive=0
    for f in "$dir"/clients/*; do [ -e "$f" ] && kill -0 "${{f##*/}}" 2>/dev/null && alive=1; done
    if [ "$alive" = 0 ]; then
      [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null
      if ! {stop} -D "$dir/cluster" -m immediate stop; then
        pid=$(head -n 1 "$dir/cluster/postmaster.pid" 2>/dev/null)
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && sleep 1
      fi
      pid=$(head -n 1 "$dir/cluster/postmaster.pid" 2>/dev/null)
      # Never delete the data directory of a server that is still running.
      if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        rm -rf "$dir/cluster" "$dir/port" "$dir/server.log" "$dir"/pgbouncer.*
      fi
      exit 0
    fi
    exec 9>&-; idle=0
  fi
done"#
    );
    Command::new("sh")
        .args(["-c", &script, "testkit-pg-watchdog"])
        .arg(dir)
        .arg(bin)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(Error::io("starting the cluster watchdog"))?;
    Ok(())
}
