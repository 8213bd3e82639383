//! cargo's `config.toml` (`$CARGO_HOME`, else `~/.cargo`): `setup-cargo` writes a registry's
//! `index` and `credential-provider` (lanyard) with toml_edit, every other line and comment kept,
//! atomically; no token is written (cargo asks lanyard at each run).

use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};

/// cargo's user config.
pub fn config_path(env: &Env) -> Result<PathBuf> {
    if let Some(h) = env.var("CARGO_HOME") {
        return Ok(PathBuf::from(h).join("config.toml"));
    }
    env.home()
        .map(|h| h.join(".cargo/config.toml"))
        .ok_or_else(|| Error::usage("cannot find HOME for ~/.cargo/config.toml").hint("set CARGO_HOME"))
}

/// Sets `[registries.NAME] index` and `credential-provider`.
pub fn set_registry(path: &Path, name: &str, index: &str, provider: &[String]) -> Result<()> {
    let lock = Lock::acquire(path)?;
    let text = fsutil::read_trusted(path)?.unwrap_or_default();
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        Error::usage(format!("`{}` is not TOML: {}; lanyard leaves it as it is", path.display(), e.message()))
            .hint(format!("fix {} and run the command again", path.display()))
    })?;
    let registries = doc.entry("registries").or_insert_with(|| {
        let mut t = toml_edit::Table::new();
        t.set_implicit(true);
        toml_edit::Item::Table(t)
    });
    let Some(registries) = registries.as_table_like_mut() else {
        return Err(Error::usage(format!("`{}`: `registries` is not a table", path.display()))
            .hint(format!("fix {} and run the command again", path.display())));
    };
    let entry = registries.entry(name).or_insert(toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(entry) = entry.as_table_like_mut() else {
        return Err(Error::usage(format!("`{}`: `registries.{name}` is not a table", path.display()))
            .hint(format!("fix {} and run the command again", path.display())));
    };
    entry.insert("index", toml_edit::value(index));
    let mut arr = toml_edit::Array::new();
    for p in provider {
        arr.push(p.as_str());
    }
    entry.insert("credential-provider", toml_edit::value(arr));
    fsutil::write_atomic(&lock, doc.to_string().as_bytes())
}
