//! What the migrations need besides a connection: V1's SUPER_ADMIN and whether V3 inserts
//! its sample rows. Read with the rest of the configuration, so `.env` counts here too.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `ADMIN_EMAIL` | the SUPER_ADMIN's e-mail (V1) | `admin@example.com` |
//! | `ADMIN_PASSWORD` | the SUPER_ADMIN's password, at least 12 characters (V1) | generated in development/test; none (invited) in staging/production |
//! | `SEED_SAMPLE_DATA` | `true` inserts V3's sample rows in staging/production | `false` |
//! | `DB_BACKUP_DIR` | where `backup` and the destructive commands put backups | `backups` (in the current directory) |

use serde::Serialize;

use crate::{AppEnv, ConfigError, Env, Secret, Sourced};

/// The SUPER_ADMIN's e-mail.
pub const ADMIN_EMAIL_VAR: &str = "ADMIN_EMAIL";
/// The SUPER_ADMIN's password.
pub const ADMIN_PASSWORD_VAR: &str = "ADMIN_PASSWORD";
/// `true` inserts the sample data (V3) in staging or production too.
pub const SEED_SAMPLE_DATA_VAR: &str = "SEED_SAMPLE_DATA";
/// Where backups go.
pub const BACKUP_DIR_VAR: &str = "DB_BACKUP_DIR";
/// Backups go here (relative to the current directory) when `DB_BACKUP_DIR` is not set.
pub const DEFAULT_BACKUP_DIR: &str = "backups";
/// The admin's e-mail when `ADMIN_EMAIL` is not set.
pub const DEFAULT_ADMIN_EMAIL: &str = "admin@example.com";
/// Shorter `ADMIN_PASSWORD`s are refused.
pub const MIN_ADMIN_PASSWORD_LEN: usize = 12;

/// Settings the migrations read, resolved once with the connection's.
#[derive(Clone, Debug, Serialize)]
pub struct MigrationSettings {
    /// The environment the migrations run in (the same `APP_ENV` as the connection's).
    pub app_env: AppEnv,
    /// The SUPER_ADMIN's e-mail.
    pub admin_email: Sourced<String>,
    /// The SUPER_ADMIN's password, if set.
    #[serde(serialize_with = "crate::target::redacted")]
    pub admin_password: Option<Sourced<Secret>>,
    /// Whether V3 inserts its rows in staging and production.
    pub seed_sample_data: Sourced<bool>,
    /// Where backups go.
    pub backup_dir: Sourced<std::path::PathBuf>,
}

/// How V1 gives the SUPER_ADMIN a password.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminPassword {
    /// The configured `ADMIN_PASSWORD`.
    Given(Secret),
    /// Generate one and show it once (development and test only).
    Generate,
    /// No password: the admin is created as invited (staging and production without
    /// `ADMIN_PASSWORD`, where a generated one would end up in a deploy log).
    Invite,
}

impl Default for MigrationSettings {
    /// Development: the default e-mail, a generated password, sample data.
    fn default() -> Self {
        Self::for_env(AppEnv::Development)
    }
}

impl MigrationSettings {
    /// The defaults for `app_env`, as if no variable were set.
    pub fn for_env(app_env: AppEnv) -> Self {
        Self {
            app_env,
            admin_email: Sourced::default_value(DEFAULT_ADMIN_EMAIL.to_owned()),
            admin_password: None,
            seed_sample_data: Sourced::default_value(false),
            backup_dir: Sourced::default_value(DEFAULT_BACKUP_DIR.into()),
        }
    }

    /// Reads `ADMIN_EMAIL`, `ADMIN_PASSWORD` and `SEED_SAMPLE_DATA` from `env`.
    pub fn resolve(env: &Env, app_env: AppEnv) -> Result<Self, ConfigError> {
        let admin_email = match env.get(ADMIN_EMAIL_VAR) {
            Some((email, source)) => {
                let email = email.trim().to_owned();
                if !email.contains('@') || email.len() > 255 {
                    return Err(ConfigError::Invalid {
                        var: ADMIN_EMAIL_VAR.to_owned(),
                        value: email,
                        expected: "an e-mail address of at most 255 characters".to_owned(),
                    });
                }
                Sourced::new(email, source)
            }
            None => Sourced::default_value(DEFAULT_ADMIN_EMAIL.to_owned()),
        };
        let admin_password = match env.get(ADMIN_PASSWORD_VAR) {
            Some((password, source)) => {
                if password.chars().count() < MIN_ADMIN_PASSWORD_LEN {
                    return Err(ConfigError::WeakAdminPassword {
                        origin: source,
                        min: MIN_ADMIN_PASSWORD_LEN,
                    });
                }
                Some(Sourced::new(Secret::new(password), source))
            }
            None => None,
        };
        let seed_sample_data = match env.get(SEED_SAMPLE_DATA_VAR) {
            Some((text, source)) => {
                Sourced::new(crate::parse_bool(SEED_SAMPLE_DATA_VAR, &text)?, source)
            }
            None => Sourced::default_value(false),
        };
        let backup_dir = match env.get(BACKUP_DIR_VAR) {
            Some((dir, source)) => Sourced::new(dir.into(), source),
            None => Sourced::default_value(DEFAULT_BACKUP_DIR.into()),
        };
        Ok(Self { app_env, admin_email, admin_password, seed_sample_data, backup_dir })
    }

    /// How V1 sets the SUPER_ADMIN's password.
    pub fn admin_password(&self) -> AdminPassword {
        match &self.admin_password {
            Some(password) => AdminPassword::Given(password.value.clone()),
            None if self.app_env.holds_real_data() => AdminPassword::Invite,
            None => AdminPassword::Generate,
        }
    }

    /// Whether V3 inserts its sample rows: always in development and test, in staging and
    /// production only with `SEED_SAMPLE_DATA=true`.
    pub fn inserts_sample_data(&self) -> bool {
        !self.app_env.holds_real_data() || self.seed_sample_data.value
    }
}
