//! A PgBouncer in transaction pooling mode in front of the shared plain cluster, as hosted
//! PostgreSQL usually has: started on first use, shared by the test processes of a run,
//! stopped by the cluster's watchdog. Its pool is small on purpose, so that clients share
//! server connections and whatever leaks from one transaction into the next shows; the
//! application's role gets one server connection in all, so that its transactions follow
//! each other on the very same one.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::Error;
use crate::cluster::{self, Flavor};

/// Where Debian's `pgbouncer` package puts the binary.
const PGBOUNCER: &str = "/usr/sbin/pgbouncer";

/// `url` (a test database's, `postgres://user@host:port/name`, trust authentication)
/// rewritten to go through the shared PgBouncer in front of that server.
pub fn pgbouncer_url(url: &str) -> Result<String, Error> {
    let parsed = url::Url::parse(url).map_err(|e| Error::BadUrl(e.to_string()))?;
    let server =
        (parsed.host_str().unwrap_or("127.0.0.1").to_owned(), parsed.port().unwrap_or(5432));
    let bouncer = port(server)?;
    let mut through = parsed.clone();
    through.set_host(Some("127.0.0.1")).map_err(|e| Error::BadUrl(e.to_string()))?;
    through.set_port(Some(bouncer)).map_err(|()| Error::BadUrl("no port".to_owned()))?;
    Ok(through.to_string())
}

fn port(server: (String, u16)) -> Result<u16, Error> {
    static PORT: OnceLock<Result<u16, String>> = OnceLock::new();
    PORT.get_or_init(|| start_or_join(&server).map_err(|e| e.to_string()))
        .clone()
        .map_err(Error::NoPgBouncer)
}

fn start_or_join(server: &(String, u16)) -> Result<u16, Error> {
    let dir = cluster::flavor_dir(Flavor::Plain);
    fs::create_dir_all(&dir).map_err(Error::io(format!("creating {}", dir.display())))?;
    let lock = File::create(dir.join("lock")).map_err(Error::io("creating the cluster lock"))?;
    lock.lock().map_err(Error::io("locking the cluster"))?;
    let port = match fs::read_to_string(dir.join("pgbouncer.port"))
        .ok()
        .and_then(|p| p.trim().parse().ok())
    {
        Some(port) if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() => port,
        _ => start(&dir, server)?,
    };
    drop(lock);
    Ok(port)
}

fn binary() -> Result<PathBuf, Error> {
    let path = PathBuf::from(PGBOUNCER);
    if path.is_file() {
        return Ok(path);
    }
    Err(Error::NoPgBouncer(format!(
        "{PGBOUNCER} not found; install it (Debian: apt-get install pgbouncer)"
    )))
}

fn start(dir: &Path, (host, server_port): &(String, u16)) -> Result<u16, Error> {
    let program = binary()?;
    let port = cluster::free_port()?;
    let users = dir.join("pgbouncer.users");
    let logins: String =
        crate::roles::LOGIN_ROLES.iter().map(|role| format!("\"{role}\" \"\"\n")).collect();
    fs::write(&users, logins).map_err(Error::io("writing the PgBouncer users"))?;
    let config = format!(
        "[databases]\n* = host={host} port={server_port}\n\n[pgbouncer]\n\
         listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
         auth_type = trust\nauth_file = {users}\npool_mode = transaction\n\
         default_pool_size = 3\nmax_client_conn = 500\n\
         ignore_startup_parameters = extra_float_digits\n\
         logfile = {log}\npidfile = {pid}\n\n\
         [users]\n{app} = max_user_connections=1\n",
        app = crate::roles::APP_ROLE,
        users = users.display(),
        log = dir.join("pgbouncer.log").display(),
        pid = dir.join("pgbouncer.pid").display(),
    );
    let ini = dir.join("pgbouncer.ini");
    fs::write(&ini, config).map_err(Error::io("writing pgbouncer.ini"))?;
    let user = cluster::service_user_if_root()?;
    if let Some((_, uid, gid)) = &user {
        for file in [&users, &ini] {
            std::os::unix::fs::chown(file, Some(*uid), Some(*gid))
                .map_err(Error::io("handing the PgBouncer files to the postgres user"))?;
        }
    }
    let user = user.as_ref().map(|(name, ..)| name.as_str());
    cluster::run(user, &program, &["-d", &ini.to_string_lossy()])?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            let log = fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default();
            return Err(Error::NoPgBouncer(format!("PgBouncer did not start listening: {log}")));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    fs::write(dir.join("pgbouncer.port"), port.to_string())
        .map_err(Error::io("recording the port"))?;
    Ok(port)
}
