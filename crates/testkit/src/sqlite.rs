//! SQLite databases in temporary files, copied from a migrated template file that the
//! test processes of a build share.

use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, SystemTime};

use sea_orm::{Database, DatabaseConnection};

use crate::{Error, cluster, fingerprint};

/// Templates of older builds are removed once they are this old.
const STALE_AFTER: Duration = Duration::from_secs(3600);

fn url_of(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Copies the migrated template of this build to `destination`. The template is made once
/// under an exclusive file lock and copied under a shared one, so the clean-up of stale
/// templates (exclusive) never removes one that is being copied; each copy marks the
/// template as used.
async fn copy_template(destination: &Path) -> Result<(), Error> {
    let dir = cluster::state_dir().join("sqlite");
    fs::create_dir_all(&dir).map_err(Error::io(format!("creating {}", dir.display())))?;
    let path = dir.join(format!("template-{}.sqlite3", fingerprint()));
    let lock = File::create(dir.join("lock")).map_err(Error::io("creating the SQLite lock"))?;
    lock.lock_shared().map_err(Error::io("locking the SQLite templates"))?;
    if !path.exists() {
        lock.unlock().map_err(Error::io("unlocking the SQLite templates"))?;
        build_template(&dir, &path, &lock).await?;
        lock.lock_shared().map_err(Error::io("locking the SQLite templates"))?;
    }
    let template = File::options()
        .append(true)
        .open(&path)
        .map_err(Error::io("opening the SQLite template"))?;
    template
        .set_modified(SystemTime::now())
        .map_err(Error::io("marking the SQLite template used"))?;
    fs::copy(&path, destination).map_err(Error::io("copying the SQLite template"))?;
    Ok(())
}

/// Builds the template at `path` under the exclusive lock, unless another process did.
async fn build_template(dir: &Path, path: &Path, lock: &File) -> Result<(), Error> {
    lock.lock().map_err(Error::io("locking the SQLite templates"))?;
    let built = async {
        if path.exists() {
            return Ok(());
        }
        remove_stale(dir);
        let building = path.with_extension("building");
        let _ = fs::remove_file(&building);
        crate::migrate(&url_of(&building)).await?;
        fs::rename(&building, path).map_err(Error::io("publishing the SQLite template"))?;
        Ok::<_, Error>(())
    }
    .await;
    lock.unlock().map_err(Error::io("unlocking the SQLite templates"))?;
    built
}

fn remove_stale(dir: &Path) {
    let now = SystemTime::now();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_AFTER);
        if old && entry.file_name().to_string_lossy().starts_with("template-") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A new database file, migrated or empty, and the directory that holds it.
pub(crate) async fn create(
    migrated: bool,
) -> Result<(DatabaseConnection, String, tempfile::TempDir), Error> {
    let dir = tempfile::tempdir().map_err(Error::io("creating a temporary directory"))?;
    let path = dir.path().join("test.sqlite3");
    if migrated {
        copy_template(&path).await?;
    }
    let url = url_of(&path);
    let conn = Database::connect(url.as_str()).await?;
    Ok((conn, url, dir))
}
