//! Where to connect: a URL, PostgreSQL parts from one of several variable families, or
//! the embedded SQLite default.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::{AppEnv, ConfigError, Env, Source, Sourced, SslMode};

/// URL variables, in order of precedence.
pub const URL_VARS: &[&str] = &["DATABASE_URL", "POSTGRES_URL"];
/// The URL migrations connect with instead, bypassing a transaction pooler (as Prisma's
/// `directUrl`): a session of their own, for locks and statements that outlive a
/// transaction.
pub const DIRECT_URL_VAR: &str = "DATABASE_DIRECT_URL";

/// Each part's variables, one per family, in order of precedence: ZeroDB, the official
/// image's, the generic `DB_*`, libpq's.
pub const HOST_VARS: &[&str] = &["ZERODB_POSTGRES_HOST", "POSTGRES_HOST", "DB_HOST", "PGHOST"];
/// See [`HOST_VARS`].
pub const PORT_VARS: &[&str] = &["ZERODB_POSTGRES_PORT", "POSTGRES_PORT", "DB_PORT", "PGPORT"];
/// See [`HOST_VARS`].
pub const DATABASE_VARS: &[&str] =
    &["ZERODB_POSTGRES_DATABASE", "POSTGRES_DB", "DB_NAME", "PGDATABASE"];
/// See [`HOST_VARS`].
pub const USER_VARS: &[&str] = &["ZERODB_POSTGRES_USERNAME", "POSTGRES_USER", "DB_USER", "PGUSER"];
/// See [`HOST_VARS`].
pub const PASSWORD_VARS: &[&str] =
    &["ZERODB_POSTGRES_PASSWORD", "POSTGRES_PASSWORD", "DB_PASSWORD", "PGPASSWORD"];
/// `sslmode` variables, after the URL's `sslmode` (the connection string wins, as in libpq).
pub const SSL_MODE_VARS: &[&str] = &["DB_SSL_MODE", "ZERODB_POSTGRES_SSL_MODE", "PGSSLMODE"];
/// Root certificate variables, after the URL's `sslrootcert`.
pub const ROOT_CERT_VARS: &[&str] = &["DB_SSL_ROOT_CERT", "PGSSLROOTCERT"];

/// `true` when the server is a transaction-pooling PgBouncer (or the URL's `pgbouncer=true`).
pub const PGBOUNCER_VAR: &str = "DB_PGBOUNCER";

/// The parameters a PostgreSQL URL may carry; any other is an error.
pub const URL_PARAMETERS: &[&str] = &["sslmode", "sslrootcert", "pgbouncer"];

const DEFAULT_HOST: &str = "localhost";
const DEFAULT_PORT: u16 = 5432;
const DEFAULT_DATABASE: &str = "postgres";
const DEFAULT_USER: &str = "postgres";

/// The database to connect to.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "backend", rename_all = "lowercase")]
pub enum Target {
    /// A PostgreSQL server.
    Postgres(Box<PostgresTarget>),
    /// An SQLite file (or `:memory:`).
    Sqlite(SqliteTarget),
}

/// A PostgreSQL server and how to reach it. `Debug` and serialisation never show the
/// password.
#[derive(Clone, Debug, Serialize)]
pub struct PostgresTarget {
    /// Host name or address.
    pub host: Sourced<String>,
    /// TCP port.
    pub port: Sourced<u16>,
    /// Database name.
    pub database: Sourced<String>,
    /// User name.
    pub user: Sourced<String>,
    /// The password, if any.
    #[serde(serialize_with = "redacted")]
    pub password: Option<Sourced<Secret>>,
    /// TLS mode.
    pub ssl_mode: Sourced<SslMode>,
    /// CA certificate for verify-ca / verify-full.
    pub root_cert: Option<Sourced<PathBuf>>,
    /// Whether the server is a transaction-pooling PgBouncer (`DB_PGBOUNCER`, or the URL's
    /// `pgbouncer`): no prepared statement outlives its transaction, no session state.
    pub pgbouncer: Sourced<bool>,
}

/// An SQLite database.
#[derive(Clone, Debug, Serialize)]
pub struct SqliteTarget {
    /// The file (or `:memory:`).
    pub path: Sourced<String>,
    /// The URL's SQLite options, e.g. `mode=ro`; checked, see [`SQLITE_URL_PARAMETERS`].
    pub options: Vec<(String, String)>,
}

impl SqliteTarget {
    /// Whether the URL opens the file read-only (`mode=ro`).
    pub fn read_only(&self) -> bool {
        self.options.iter().any(|(name, value)| name == "mode" && value == "ro")
    }
}

/// The parameters an `sqlite:` URL may carry, with the values each accepts (sqlx's
/// SQLite options): anything else is refused rather than ignored.
pub const SQLITE_URL_PARAMETERS: &[(&str, &[&str])] = &[
    ("mode", &["ro", "rw", "rwc"]),
    ("cache", &["shared", "private"]),
    ("immutable", &["true", "false"]),
];

/// A password: shown as `***` by `Debug`, `Display` and serialisation.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: String) -> Self {
        Self(SecretString::from(value))
    }

    /// The secret itself; only for handing it to the driver.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

pub(crate) fn redacted<S: serde::Serializer>(
    password: &Option<Sourced<Secret>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match password {
        Some(sourced) => Sourced::new("***", sourced.source.clone()).serialize(serializer),
        None => serializer.serialize_none(),
    }
}

impl Target {
    /// The target from `env`: a URL variable, else PostgreSQL parts when any host or
    /// database variable is set, else (development and test only) the embedded SQLite file.
    pub fn resolve(
        env: &Env,
        app_env: AppEnv,
        embedded_dir: &std::path::Path,
    ) -> Result<Self, ConfigError> {
        if let Some((url, source)) = env.first(URL_VARS) {
            return from_url(env, app_env, &url, &source);
        }
        if env.first(HOST_VARS).is_some() || env.first(DATABASE_VARS).is_some() {
            return from_parts(env, app_env, None);
        }
        if app_env.holds_real_data() {
            let looked_for: Vec<&str> =
                URL_VARS.iter().chain(HOST_VARS).chain(DATABASE_VARS).copied().collect();
            return Err(ConfigError::NoDatabase {
                env: app_env,
                looked_for: looked_for.join(", "),
            });
        }
        let path = embedded_dir.join(format!("chatdb-{app_env}.sqlite3"));
        Ok(Self::Sqlite(SqliteTarget {
            path: Sourced::default_value(path.display().to_string()),
            options: Vec::new(),
        }))
    }

    /// The target of `DATABASE_DIRECT_URL`, when set: a PostgreSQL server reached without a
    /// pooler.
    pub fn resolve_direct(env: &Env, app_env: AppEnv) -> Result<Option<Self>, ConfigError> {
        let Some((url, source)) = env.first(&[DIRECT_URL_VAR]) else { return Ok(None) };
        let refused = |reason: &str| ConfigError::MalformedUrl {
            var: DIRECT_URL_VAR.to_owned(),
            reason: reason.to_owned(),
        };
        match from_url(env, app_env, &url, &source)? {
            Self::Sqlite(_) => Err(refused(
                "must be a postgres:// URL (the server's own address, not a pooler's): SQLite \
                 has no pooler to bypass",
            )),
            Self::Postgres(pg)
                if pg.pgbouncer.value && pg.pgbouncer.source.variable() == Some(DIRECT_URL_VAR) =>
            {
                Err(refused("says pgbouncer=true: it must reach the server without the pooler"))
            }
            Self::Postgres(mut pg) => {
                pg.pgbouncer = Sourced::new(false, source.url_part());
                Ok(Some(Self::Postgres(pg)))
            }
        }
    }

    /// Refuses a `DATABASE_DIRECT_URL` set in one place (the environment, `.env`) while the
    /// URL it stands in for comes from the other, when the two name different databases:
    /// one was overridden and the other forgotten, and migrations would run on another
    /// database than the application's. (A pooler's name for a database may differ from the
    /// server's, so names alone are not compared: only an override in one place.)
    pub(crate) fn check_direct(&self, env: &Env, direct: &Self) -> Result<(), ConfigError> {
        let (Some((_, url_source)), Some((_, direct_source))) =
            (env.first(URL_VARS), env.get(DIRECT_URL_VAR))
        else {
            return Ok(());
        };
        let from_dotenv = |source: &Source| matches!(source, Source::DotEnv(_));
        let (Self::Postgres(pooled), Self::Postgres(server)) = (self, direct) else {
            return Ok(());
        };
        if from_dotenv(&url_source) == from_dotenv(&direct_source)
            || pooled.database.value == server.database.value
        {
            return Ok(());
        }
        let place = |source: &Source| {
            let name = source.variable().unwrap_or_default();
            if from_dotenv(source) {
                format!("{name} in .env")
            } else {
                format!("{name} in the environment")
            }
        };
        Err(ConfigError::DirectUrlElsewhere {
            url: place(&url_source),
            direct: place(&direct_source),
            database: pooled.database.value.clone(),
            direct_database: server.database.value.clone(),
        })
    }

    /// The target a URL given on the command line (`flag`) names.
    pub fn from_flag(
        env: &Env,
        app_env: AppEnv,
        flag: &str,
        url: &str,
    ) -> Result<Self, ConfigError> {
        from_url(env, app_env, url, &Source::Flag(flag.to_owned()))
    }

    /// One line naming the database, without any password.
    pub fn describe(&self) -> String {
        match self {
            Self::Postgres(pg) => format!(
                "postgres://{}@{}:{}/{} (sslmode={})",
                pg.user.value, pg.host.value, pg.port.value, pg.database.value, pg.ssl_mode.value
            ),
            Self::Sqlite(sqlite) => format!("sqlite://{}", sqlite.path.value),
        }
    }

    /// The variables this target was built from, for error messages ("the defaults" when
    /// none).
    pub fn settings(&self) -> String {
        let sources: Vec<&Source> = match self {
            Self::Postgres(pg) => {
                vec![&pg.host.source, &pg.port.source, &pg.database.source, &pg.user.source]
            }
            Self::Sqlite(sqlite) => vec![&sqlite.path.source],
        };
        let mut names: Vec<&str> = sources.iter().filter_map(|s| s.variable()).collect();
        names.dedup();
        if names.is_empty() { "the defaults".to_owned() } else { names.join(", ") }
    }

    /// The PostgreSQL variables of `env` that are set but play no part in this target (the
    /// embedded SQLite file was chosen for want of a host or database). libpq's own `PG*`
    /// variables are left out: shells set them for psql.
    pub fn unused_variables(&self, env: &Env) -> Vec<String> {
        let Self::Sqlite(sqlite) = self else { return Vec::new() };
        if sqlite.path.source != Source::Default {
            return Vec::new();
        }
        [PORT_VARS, USER_VARS, PASSWORD_VARS, SSL_MODE_VARS, ROOT_CERT_VARS, &[PGBOUNCER_VAR]]
            .concat()
            .into_iter()
            .filter(|name| !name.starts_with("PG") && env.get(name).is_some())
            .map(str::to_owned)
            .collect()
    }

    /// The password, if any, so that messages can be scrubbed of it.
    pub fn password(&self) -> Option<&str> {
        match self {
            Self::Postgres(pg) => pg.password.as_ref().map(|p| p.value.expose()),
            Self::Sqlite(_) => None,
        }
    }
}

fn from_url(env: &Env, app_env: AppEnv, url: &str, source: &Source) -> Result<Target, ConfigError> {
    let var = source.variable().unwrap_or("DATABASE_URL").to_owned();
    let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
    match scheme {
        "sqlite" => {
            let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            if path.is_empty() {
                return Err(ConfigError::MalformedUrl { var, reason: "no file name".into() });
            }
            Ok(Target::Sqlite(SqliteTarget {
                path: Sourced::new(path.to_owned(), source.url_part()),
                options: sqlite_options(&var, query)?,
            }))
        }
        "postgres" | "postgresql" => {
            let parsed = url::Url::parse(url).map_err(|e| ConfigError::MalformedUrl {
                var: var.clone(),
                reason: url_problem(url, &e),
            })?;
            // A misspelt parameter must not silently turn TLS off.
            if let Some((unknown, _)) =
                parsed.query_pairs().find(|(k, _)| !URL_PARAMETERS.contains(&k.as_ref()))
            {
                return Err(ConfigError::UnknownUrlParameter {
                    var,
                    parameter: unknown.into_owned(),
                    accepted: URL_PARAMETERS.join(", "),
                });
            }
            from_parts(env, app_env, Some((&parsed, source)))
        }
        _ => Err(ConfigError::UnsupportedScheme { var, scheme: scheme.to_owned() }),
    }
}

/// The options of an `sqlite:` URL's query, each checked against [`SQLITE_URL_PARAMETERS`].
fn sqlite_options(var: &str, query: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut options = Vec::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let Some((_, values)) = SQLITE_URL_PARAMETERS.iter().find(|(known, _)| *known == name)
        else {
            let accepted: Vec<&str> = SQLITE_URL_PARAMETERS.iter().map(|(n, _)| *n).collect();
            return Err(ConfigError::UnknownUrlParameter {
                var: var.to_owned(),
                parameter: name.into_owned(),
                accepted: accepted.join(", "),
            });
        };
        if !values.contains(&value.as_ref()) {
            return Err(ConfigError::Invalid {
                var: format!("{var} ({name})"),
                value: value.into_owned(),
                expected: values.join(", "),
            });
        }
        options.push((name.into_owned(), value.into_owned()));
    }
    Ok(options)
}

/// Why a URL does not parse, in terms of what the user wrote: an `@`, `:` or `/` left
/// unencoded in the password is the usual cause, and the parser's own words ("invalid
/// domain character") do not say so. The URL itself is never repeated.
fn url_problem(url: &str, error: &url::ParseError) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let credentials = after_scheme.rsplit_once('@').map_or("", |(c, _)| c);
    if credentials.contains(['/', '?', '#']) {
        return format!(
            "{error}: the password (or user name) seems to hold an unencoded '/', '?' or '#'; \
             percent-encode it (/ is %2F, ? is %3F, # is %23, @ is %40) or set the password in DB_PASSWORD"
        );
    }
    error.to_string()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// PostgreSQL parts: from the URL when there is one, otherwise each from the first
/// family that sets it, otherwise the default.
fn from_parts(
    env: &Env,
    app_env: AppEnv,
    url: Option<(&url::Url, &Source)>,
) -> Result<Target, ConfigError> {
    let part = |vars: &[&str], from_url: Option<String>, default: &str| -> Sourced<String> {
        match (url, from_url) {
            (Some((_, source)), Some(value)) if !value.is_empty() => {
                Sourced::new(value, source.url_part())
            }
            (Some(_), _) => Sourced::default_value(default.to_owned()),
            (None, _) => env
                .first(vars)
                .map(|(value, source)| Sourced::new(value, source))
                .unwrap_or_else(|| Sourced::default_value(default.to_owned())),
        }
    };
    let query = |key: &str| {
        url.and_then(|(u, _)| u.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()))
    };
    let host = part(
        HOST_VARS,
        url.and_then(|(u, _)| u.host_str().map(|h| h.trim_matches(['[', ']']).to_owned())),
        DEFAULT_HOST,
    );
    let database = part(
        DATABASE_VARS,
        url.map(|(u, _)| decode(u.path().trim_start_matches('/'))),
        DEFAULT_DATABASE,
    );
    let user = part(USER_VARS, url.map(|(u, _)| decode(u.username())), DEFAULT_USER);
    let port = match url {
        Some((u, source)) => match u.port() {
            Some(port) => Sourced::new(port, source.url_part()),
            None => Sourced::default_value(DEFAULT_PORT),
        },
        None => match env.first(PORT_VARS) {
            Some((text, source)) => Sourced::new(parse_port(&text, &source)?, source),
            None => Sourced::default_value(DEFAULT_PORT),
        },
    };
    let password = match url {
        Some((u, source)) => {
            u.password().map(|p| Sourced::new(Secret::new(decode(p)), source.url_part()))
        }
        None => {
            env.first(PASSWORD_VARS).map(|(value, source)| Sourced::new(Secret::new(value), source))
        }
    };
    let ssl_mode = resolve_ssl_mode(env, app_env, query("sslmode"), url.map(|(_, s)| s))?;
    let root_cert = resolve_root_cert(env, query("sslrootcert"), url.map(|(_, s)| s))?;
    let pgbouncer = resolve_pgbouncer(env, query("pgbouncer"), url.map(|(_, s)| s))?;
    let target =
        PostgresTarget { host, port, database, user, password, ssl_mode, root_cert, pgbouncer };
    Ok(Target::Postgres(Box::new(target)))
}

fn parse_port(text: &str, source: &Source) -> Result<u16, ConfigError> {
    match text.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(ConfigError::Invalid {
            var: source.variable().unwrap_or("port").to_owned(),
            value: text.to_owned(),
            expected: "a port number from 1 to 65535".into(),
        }),
    }
}

fn resolve_ssl_mode(
    env: &Env,
    app_env: AppEnv,
    from_url: Option<String>,
    url_source: Option<&Source>,
) -> Result<Sourced<SslMode>, ConfigError> {
    // As in libpq, what the connection string says wins over ambient variables.
    let chosen =
        from_url.zip(url_source.map(Source::url_part)).or_else(|| env.first(SSL_MODE_VARS));
    let mode = match chosen {
        Some((text, source)) => {
            let mode = text.parse().map_err(|()| ConfigError::Invalid {
                var: source.variable().map_or_else(
                    || "sslmode".to_owned(),
                    |v| match source {
                        Source::Url(_) => format!("{v} (sslmode)"),
                        _ => v.to_owned(),
                    },
                ),
                value: text.clone(),
                expected: format!("one of {}", SslMode::ACCEPTED),
            })?;
            Sourced::new(mode, source)
        }
        None if app_env.holds_real_data() => Sourced::default_value(SslMode::Require),
        None => Sourced::default_value(SslMode::Prefer),
    };
    let insecure_allowed =
        env.get("DB_ALLOW_INSECURE").is_some_and(|(v, _)| v.trim().eq_ignore_ascii_case("true"));
    if app_env == AppEnv::Production && mode.value.allows_plain_text() && !insecure_allowed {
        return Err(ConfigError::InsecureInProduction { mode: mode.value, origin: mode.source });
    }
    Ok(mode)
}

fn resolve_pgbouncer(
    env: &Env,
    from_url: Option<String>,
    url_source: Option<&Source>,
) -> Result<Sourced<bool>, ConfigError> {
    let chosen = from_url.zip(url_source.map(Source::url_part)).or_else(|| env.get(PGBOUNCER_VAR));
    match chosen {
        Some((text, source)) => {
            let name = match &source {
                Source::Url(var) => format!("{var} (pgbouncer)"),
                other => other.variable().unwrap_or(PGBOUNCER_VAR).to_owned(),
            };
            Ok(Sourced::new(crate::parse_bool(&name, &text)?, source))
        }
        None => Ok(Sourced::default_value(false)),
    }
}

fn resolve_root_cert(
    env: &Env,
    from_url: Option<String>,
    url_source: Option<&Source>,
) -> Result<Option<Sourced<PathBuf>>, ConfigError> {
    let chosen =
        from_url.zip(url_source.map(Source::url_part)).or_else(|| env.first(ROOT_CERT_VARS));
    let Some((path, source)) = chosen else { return Ok(None) };
    let path = PathBuf::from(path);
    if !path.is_file() {
        return Err(ConfigError::MissingRootCert {
            path: path.display().to_string(),
            origin: source,
        });
    }
    Ok(Some(Sourced::new(path, source)))
}
