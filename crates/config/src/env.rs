//! The variables a configuration is built from, and where each came from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::ConfigError;
use crate::source::Source;

/// A snapshot of the environment: real variables, then `.env` for what they leave unset.
#[derive(Clone, Debug, Default)]
pub struct Env {
    process: HashMap<String, String>,
    dotenv: HashMap<String, String>,
    /// Where the embedded database and relative paths are anchored.
    root: PathBuf,
}

impl Env {
    /// The process environment plus `.env` from the current directory (or the nearest
    /// parent that has one), if any. Real environment variables win over `.env`.
    pub fn load() -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let found = cwd.ancestors().map(|d| d.join(".env")).find(|f| f.is_file());
        let (dotenv, root) = match found {
            Some(path) => {
                (read_dotenv(&path)?, path.parent().map_or(cwd.clone(), Path::to_path_buf))
            }
            None => (HashMap::new(), cwd),
        };
        Ok(Self { process: std::env::vars().collect(), dotenv, root })
    }

    /// The project root: the directory of the `.env` that was read, else the current
    /// directory.
    pub fn project_root(&self) -> &Path {
        &self.root
    }

    /// The process environment plus the `.env`-style file at `path`.
    pub fn with_dotenv_file(path: &Path) -> Result<Self, ConfigError> {
        let root = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Self { process: std::env::vars().collect(), dotenv: read_dotenv(path)?, root })
    }

    /// An environment made of the given variables (for tests and embedding).
    pub fn from_pairs<'a>(
        process: impl IntoIterator<Item = (&'a str, &'a str)>,
        dotenv: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let own = |pairs: Vec<(&str, &str)>| {
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
        };
        Self {
            process: own(process.into_iter().collect()),
            dotenv: own(dotenv.into_iter().collect()),
            root: PathBuf::from("."),
        }
    }

    /// A variable's value and where it came from; empty values count as unset.
    pub fn get(&self, name: &str) -> Option<(String, Source)> {
        let set =
            |map: &HashMap<String, String>| map.get(name).filter(|v| !v.trim().is_empty()).cloned();
        if let Some(value) = set(&self.process) {
            return Some((value, Source::Var(name.to_owned())));
        }
        set(&self.dotenv).map(|value| (value, Source::DotEnv(name.to_owned())))
    }

    /// The first of `names` that is set.
    pub fn first(&self, names: &[&str]) -> Option<(String, Source)> {
        names.iter().find_map(|name| self.get(name))
    }
}

/// Reads a `.env` file. A line that does not parse is reported by file, line number and
/// variable name only: its value may be a password.
fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let unreadable =
        |reason: String| ConfigError::DotEnvUnreadable { path: path.display().to_string(), reason };
    let mut vars = HashMap::new();
    for item in dotenvy::from_path_iter(path).map_err(|e| unreadable(e.to_string()))? {
        match item {
            Ok((key, value)) => {
                vars.insert(key, value);
            }
            Err(dotenvy::Error::LineParse(line, _)) => {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                return Err(bad_line(path, &text, &line));
            }
            Err(dotenvy::Error::Io(e)) => return Err(unreadable(e.to_string())),
            Err(_) => {
                return Err(unreadable(
                    "it is not valid UTF-8 or holds an invalid variable".to_owned(),
                ));
            }
        }
    }
    Ok(vars)
}

/// Where the logical line `line` (as the parser saw it) starts in `text`, and its name.
fn bad_line(path: &Path, text: &str, line: &str) -> ConfigError {
    let first = line.lines().next().unwrap_or_default().trim();
    let number =
        text.lines().position(|l| l.trim() == first || (!first.is_empty() && l.contains(first)));
    let assignment = first.strip_prefix("export ").unwrap_or(first);
    let variable = match assignment.split_once('=') {
        Some((name, _)) if !name.trim().is_empty() => name.trim().to_owned(),
        _ => "no variable name".to_owned(),
    };
    ConfigError::DotEnvLine {
        path: path.display().to_string(),
        line: number.map_or(0, |n| n + 1),
        variable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_is_named_by_number_and_variable_never_by_value() {
        let dir = std::env::temp_dir().join(format!("chatdb-dotenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join(".env");
        let secret = "s3cret-Value-9x";
        std::fs::write(
            &path,
            format!("APP_ENV=production\n# comment\nADMIN_PASSWORD=\"{secret}\nDB_POOL_SIZE=4\n"),
        )
        .ok();

        let err = read_dotenv(&path).err().map(|e| e.to_string()).unwrap_or_default();

        assert!(err.contains(".env"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("ADMIN_PASSWORD"), "{err}");
        assert!(!err.contains(secret), "the value leaked: {err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
