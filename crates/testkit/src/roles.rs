//! The two roles of a deployment, on the test server: an application's role (confined by
//! row-level security once `grant-app` has run) and an ordinary role that owns a database
//! of its own, as on hosted PostgreSQL where nobody is a superuser.
//!
//! Roles belong to the whole server, so each is created once, by whichever test comes
//! first, and shared: a test gives it privileges only in its own database.

use sea_orm::{ConnectionTrait, Database};

use crate::Error;

/// The application's role: a login role with no attributes.
pub const APP_ROLE: &str = "chatdb_test_app";
/// An ordinary role that owns databases (`CREATEDB`, not a superuser, no `BYPASSRLS`).
pub const OWNER_ROLE: &str = "chatdb_test_owner";

/// A superuser that logs in with a password, which the test server checks: for tests
/// that look for the password in what the tools print.
pub const PASSWORD_ROLE: &str = "chatdb_test_password";
/// [`PASSWORD_ROLE`]'s password: distinctive, so that a search for it cannot miss.
pub const PASSWORD: &str = "pw-Zq8vX3kM9tR2";

/// The roles PgBouncer lets in (its auth file).
pub(crate) const LOGIN_ROLES: &[&str] = &["postgres", APP_ROLE, OWNER_ROLE];

/// `url` (a test database's) with `role` as its user instead.
pub fn as_role(url: &str, role: &str) -> Result<String, Error> {
    let mut parsed = url::Url::parse(url).map_err(|e| Error::BadUrl(e.to_string()))?;
    parsed.set_username(role).map_err(|()| Error::BadUrl("cannot hold a user".into()))?;
    Ok(parsed.to_string())
}

/// Creates `role` with `attributes` on the server of `url` unless it exists (two test
/// processes may race to create it: the loser finds it made).
async fn ensure_role(url: &str, role: &str, attributes: &str) -> Result<(), Error> {
    let db = Database::connect(url).await?;
    let sql = format!(
        "DO $$ BEGIN CREATE ROLE {role} {attributes}; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    );
    db.execute_unprepared(&sql).await?;
    db.close().await?;
    Ok(())
}

/// The URL of the test database at `url` as the application's role, which exists on the
/// server afterwards (with no privileges in that database until `grant-app` gives them).
pub async fn app_role_url(url: &str) -> Result<String, Error> {
    ensure_role(url, APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE").await?;
    as_role(url, APP_ROLE)
}

/// The URL of the test database at `url` as [`PASSWORD_ROLE`], with its password.
pub async fn password_role_url(url: &str) -> Result<String, Error> {
    ensure_role(url, PASSWORD_ROLE, &format!("LOGIN SUPERUSER PASSWORD '{PASSWORD}'")).await?;
    let mut parsed =
        url::Url::parse(&as_role(url, PASSWORD_ROLE)?).map_err(|e| Error::BadUrl(e.to_string()))?;
    parsed
        .set_password(Some(PASSWORD))
        .map_err(|()| Error::BadUrl("cannot hold a password".into()))?;
    Ok(parsed.to_string())
}

/// A database owned by the ordinary [`OWNER_ROLE`], dropped with this value.
pub struct OwnedDatabase {
    url: String,
    _cleanup: crate::postgres::DropOnExit,
}

impl OwnedDatabase {
    /// A new, empty database on the server of `url`, owned by [`OWNER_ROLE`].
    pub async fn create(url: &str) -> Result<Self, Error> {
        ensure_role(url, OWNER_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB NOCREATEROLE").await?;
        let name = format!("chatdb_owned_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(url).await?;
        admin.execute_unprepared(&format!("CREATE DATABASE {name} OWNER {OWNER_ROLE}")).await?;
        admin.close().await?;
        let mut owned = url::Url::parse(&as_role(url, OWNER_ROLE)?)
            .map_err(|e| Error::BadUrl(e.to_string()))?;
        owned.set_path(&name);
        Ok(Self { url: owned.to_string(), _cleanup: crate::postgres::DropOnExit::new(name)? })
    }

    /// Its URL, connecting as the owner.
    pub fn url(&self) -> &str {
        &self.url
    }
}
