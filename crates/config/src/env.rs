//! The variables a configuration is built from, and where each came from.

use std::collections::HashMap;
use std::path::Path;

use crate::source::Source;

/// A snapshot of the environment: real variables, then `.env` for what they leave unset.
#[derive(Clone, Debug, Default)]
pub struct Env {
    process: HashMap<String, String>,
    dotenv: HashMap<String, String>,
}

impl Env {
    /// The process environment plus `.env` from the current directory (or a parent), if
    /// any. Real environment variables win over `.env`.
    pub fn load() -> Result<Self, crate::ConfigError> {
        let mut dotenv = HashMap::new();
        match dotenvy::dotenv_iter() {
            Ok(iter) => {
                for item in iter {
                    let (key, value) =
                        item.map_err(|e| crate::ConfigError::DotEnv(e.to_string()))?;
                    dotenv.insert(key, value);
                }
            }
            Err(e) if e.not_found() => {}
            Err(e) => return Err(crate::ConfigError::DotEnv(e.to_string())),
        }
        Ok(Self { process: std::env::vars().collect(), dotenv })
    }

    /// The process environment plus the `.env`-style file at `path`.
    pub fn with_dotenv_file(path: &Path) -> Result<Self, crate::ConfigError> {
        let mut dotenv = HashMap::new();
        let iter =
            dotenvy::from_path_iter(path).map_err(|e| crate::ConfigError::DotEnv(e.to_string()))?;
        for item in iter {
            let (key, value) = item.map_err(|e| crate::ConfigError::DotEnv(e.to_string()))?;
            dotenv.insert(key, value);
        }
        Ok(Self { process: std::env::vars().collect(), dotenv })
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
