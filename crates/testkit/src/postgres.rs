//! A PostgreSQL database per test, cloned from a migrated template.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::{Error, cluster};

/// The server where test databases are created: `TEST_DATABASE_URL` or the shared cluster.
fn admin_url() -> Result<String, Error> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                Ok(url)
            } else {
                Err(Error::BadUrl(url.split(':').next().unwrap_or_default().to_owned()))
            }
        }
        _ => cluster::admin_url(),
    }
}

fn with_database(admin: &str, name: &str) -> Result<String, Error> {
    let mut url = url::Url::parse(admin).map_err(|_| Error::BadUrl("unparseable".into()))?;
    url.set_path(name);
    Ok(url.to_string())
}

fn template_name() -> String {
    format!("chatdb_template_{}", crate::fingerprint())
}

async fn database_exists(db: &DatabaseConnection, name: &str) -> Result<bool, Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await?;
    Ok(row.is_some())
}

async fn exec(db: &DatabaseConnection, sql: String) -> Result<(), Error> {
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(())
}

/// Creates the template once per server, under an advisory lock; it is migrated under
/// a temporary name and renamed when complete, so a crash never leaves a half-made one.
async fn ensure_template(admin_url: &str) -> Result<String, Error> {
    let name = template_name();
    // One connection that lives as long as this function: the session lock is taken and
    // released on the same session, whatever a pool would do with its connections.
    let options = sea_orm::ConnectOptions::new(admin_url)
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(std::time::Duration::from_secs(3600))
        .max_lifetime(std::time::Duration::from_secs(3600))
        .to_owned();
    let admin = &Database::connect(options).await?;
    if database_exists(admin, &name).await? {
        return Ok(name);
    }
    exec(admin, "SELECT pg_advisory_lock(4242424242)".into()).await?;
    let result = async {
        if database_exists(admin, &name).await? {
            return Ok(());
        }
        let building = format!("{name}_building");
        exec(admin, format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")).await?;
        exec(admin, format!("CREATE DATABASE {building}")).await?;
        crate::migrate(&with_database(admin_url, &building)?).await?;
        exec(admin, format!("ALTER DATABASE {building} RENAME TO {name}")).await
    }
    .await;
    exec(admin, "SELECT pg_advisory_unlock(4242424242)".into()).await?;
    result.map(|()| name)
}

/// A new database, migrated or empty, with the guard that drops it.
pub(crate) async fn create(
    migrated: bool,
) -> Result<(DatabaseConnection, String, DropOnExit), Error> {
    let admin_url = admin_url()?;
    let admin = Database::connect(admin_url.as_str()).await?;
    let name = format!("chatdb_test_{}", uuid::Uuid::new_v4().simple());
    let source = if migrated {
        let template = ensure_template(&admin_url).await?;
        format!(" TEMPLATE {template} STRATEGY FILE_COPY")
    } else {
        " TEMPLATE template0".to_owned()
    };
    exec(&admin, format!("CREATE DATABASE {name}{source}")).await?;
    admin.close().await?;
    let url = with_database(&admin_url, &name)?;
    let conn = Database::connect(url.as_str()).await?;
    Ok((conn, url, DropOnExit { admin_url, name }))
}

/// Drops the test database when the test ends, on a thread of its own because `Drop`
/// cannot await.
pub(crate) struct DropOnExit {
    admin_url: String,
    name: String,
}

impl DropOnExit {
    /// Drops the database `name` of the test server when dropped.
    pub(crate) fn new(name: String) -> Result<Self, Error> {
        Ok(Self { admin_url: admin_url()?, name })
    }
}

impl Drop for DropOnExit {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropper = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let admin = Database::connect(admin_url.as_str()).await.ok()?;
                exec(&admin, sql).await.ok()?;
                admin.close().await.ok()
            })
        });
        // A database that could not be dropped goes with the throwaway cluster.
        let _ = dropper.join();
    }
}
