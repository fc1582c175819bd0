//! Backups before anything destructive, and restores: PostgreSQL through `pg_dump` and
//! `pg_restore` (custom format, one transaction), SQLite through `VACUUM INTO` and a file
//! swap. The tools get the password through their environment, never their arguments.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use db_config::{DatabaseConfig, PostgresTarget, Target};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};
use serde::Serialize;

use crate::MigrateError;

/// A backup that was written.
#[derive(Clone, Debug, Serialize)]
pub struct Backup {
    /// The file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// How long it took.
    pub millis: f64,
}

impl std::fmt::Display for Backup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({:.1} MB, {:.0} ms)",
            self.path.display(),
            self.bytes as f64 / 1e6,
            self.millis
        )
    }
}

/// Where a backup taken now goes by default: `DB_BACKUP_DIR`/`<database>-<UTC time>.<ext>`.
pub fn default_path(config: &DatabaseConfig) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let (name, extension) = match &config.target {
        Target::Postgres(pg) => (pg.database.value.clone(), "dump"),
        Target::Sqlite(sqlite) => {
            let stem =
                Path::new(&sqlite.path.value).file_stem().map(|s| s.to_string_lossy().into_owned());
            (stem.unwrap_or_else(|| "sqlite".to_owned()), "sqlite3")
        }
    };
    config.migrations.backup_dir.value.join(format!("{name}-{stamp}.{extension}"))
}

/// Backs the database up to `out` (or [`default_path`]).
pub async fn backup(
    config: &DatabaseConfig,
    db: &DatabaseConnection,
    out: Option<&Path>,
) -> Result<Backup, MigrateError> {
    let started = Instant::now();
    let path = out.map_or_else(|| default_path(config), Path::to_path_buf);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    }
    if path.exists() {
        return Err(MigrateError::Write {
            path: path.display().to_string(),
            message: "it already exists; choose another --out".to_owned(),
        });
    }
    match &config.target {
        Target::Postgres(pg) => {
            let server = server_major(config, db)
                .await
                .map_err(|e| database(config, "reading the server version", e))?;
            let tool = Tool::find("pg_dump", server)?;
            let file = path.to_string_lossy();
            tool.run(config, pg, &["--format=custom", "--no-owner", "--file", &file])?;
        }
        Target::Sqlite(_) => {
            let sql = format!("VACUUM INTO '{}'", path.to_string_lossy().replace('\'', "''"));
            db.execute_unprepared(&sql)
                .await
                .map_err(|e| database(config, "writing the backup", e))?;
        }
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Backup { path, bytes, millis: started.elapsed().as_secs_f64() * 1e3 })
}

/// Restores `file` into the database, replacing what the backup holds. The caller guards it:
/// it destroys whatever was written since.
pub async fn restore(
    config: &DatabaseConfig,
    db: DatabaseConnection,
    file: &Path,
) -> Result<(), MigrateError> {
    if !file.is_file() {
        return Err(MigrateError::Write {
            path: file.display().to_string(),
            message: "no such backup file; give the path `backup` printed".to_owned(),
        });
    }
    match &config.target {
        Target::Postgres(pg) => {
            let server = server_major(config, &db)
                .await
                .map_err(|e| database(config, "reading the server version", e))?;
            db.close().await.map_err(|e| database(config, "closing the connection", e))?;
            let tool = Tool::find("pg_restore", server)?;
            let file = file.to_string_lossy();
            let args =
                ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"];
            let mut all: Vec<&str> = args.to_vec();
            all.push(&file);
            tool.run(config, pg, &all)
        }
        Target::Sqlite(sqlite) => {
            // Nothing else may hold the file while it is swapped: the WAL goes first.
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .map_err(|e| database(config, "checkpointing", e))?;
            db.close().await.map_err(|e| database(config, "closing the connection", e))?;
            let target = PathBuf::from(&sqlite.path.value);
            let staged = target.with_extension("restoring");
            std::fs::copy(file, &staged).map_err(|e| write_error(&staged, &e))?;
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", sqlite.path.value));
                if side.exists() {
                    std::fs::remove_file(&side).map_err(|e| write_error(&side, &e))?;
                }
            }
            std::fs::rename(&staged, &target).map_err(|e| write_error(&target, &e))
        }
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> MigrateError {
    MigrateError::Write { path: path.display().to_string(), message: e.to_string() }
}

fn database(config: &DatabaseConfig, doing: &'static str, e: DbErr) -> MigrateError {
    MigrateError::Database { doing, message: config.describe_error(&e) }
}

/// The server's major version, read in a transaction (safe behind PgBouncer).
async fn server_major(config: &DatabaseConfig, db: &DatabaseConnection) -> Result<u32, DbErr> {
    let txn = config.begin(db).await?;
    let row = txn
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SHOW server_version_num"))
        .await?;
    config.commit(txn).await?;
    let text: String = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or_default();
    Ok(text.trim().parse::<u32>().unwrap_or(0) / 10_000)
}

/// A PostgreSQL client tool and its major version.
struct Tool {
    name: &'static str,
    path: PathBuf,
    major: u32,
}

/// libpq variables that would override what the configuration says.
const AMBIENT_PG_VARS: &[&str] = &[
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGSSLCERT",
    "PGSSLKEY",
    "PGTARGETSESSIONATTRS",
];

impl Tool {
    /// The newest `name` on PATH, from `pg_config --bindir` or in `/usr/lib/postgresql/*/bin`,
    /// refused when older than the server.
    fn find(name: &'static str, server: u32) -> Result<Self, MigrateError> {
        let mut candidates: Vec<PathBuf> = vec![PathBuf::from(name)];
        if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
            candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join(name));
        }
        if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
            candidates.extend(dirs.flatten().map(|d| d.path().join("bin").join(name)));
        }
        let newest = candidates
            .into_iter()
            .filter_map(|path| Some(Self { name, major: major_of(&path)?, path }))
            .max_by_key(|tool| tool.major);
        match newest {
            None => Err(MigrateError::BackupTool {
                tool: name,
                problem: "was not found; install the PostgreSQL client (Debian: apt-get install postgresql-client), \
                          or pass --no-backup"
                    .to_owned(),
            }),
            Some(tool) if tool.major < server => Err(MigrateError::BackupTool {
                tool: name,
                problem: format!(
                    "{} is version {}, older than the server ({server}); install postgresql-client-{server}",
                    tool.path.display(),
                    tool.major
                ),
            }),
            Some(tool) => Ok(tool),
        }
    }

    /// Runs the tool against `pg`, the secrets in its environment.
    fn run(
        &self,
        config: &DatabaseConfig,
        pg: &PostgresTarget,
        args: &[&str],
    ) -> Result<(), MigrateError> {
        let port = pg.port.value.to_string();
        let mut command = Command::new(&self.path);
        command
            .args([
                "--host",
                &pg.host.value,
                "--port",
                &port,
                "--username",
                &pg.user.value,
                "--dbname",
                &pg.database.value,
            ])
            .args(args);
        for var in AMBIENT_PG_VARS {
            command.env_remove(var);
        }
        command.env("PGSSLMODE", pg.ssl_mode.value.to_string()).env("PGAPPNAME", "chatdb");
        if let Some(password) = &pg.password {
            command.env("PGPASSWORD", password.value.expose());
        }
        if let Some(cert) = &pg.root_cert {
            command.env("PGSSLROOTCERT", &cert.value);
        }
        let output = command.output().map_err(|e| MigrateError::BackupTool {
            tool: self.name,
            problem: format!("could not run {}: {e}", self.path.display()),
        })?;
        if output.status.success() {
            return Ok(());
        }
        let said = config.scrub(String::from_utf8_lossy(&output.stderr).trim());
        // pg_dump refuses rather than dump the one tenant a confined role can see.
        let hint = if said.contains("row-level security") {
            "\nThis role is confined to one tenant by row-level security: back up (and restore) \
             as the tables' owner, the role that migrates"
        } else {
            ""
        };
        Err(MigrateError::BackupTool { tool: self.name, problem: format!("failed: {said}{hint}") })
    }
}

/// The major version a PostgreSQL tool reports (`pg_dump (PostgreSQL) 15.18 …` → 15).
fn major_of(path: &Path) -> Option<u32> {
    let out = Command::new(path).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version =
        text.split_whitespace().find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    version.split('.').next()?.parse().ok()
}
