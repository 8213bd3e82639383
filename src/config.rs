//! `<config-dir>/config.toml` and `LANYARD_STORAGE`: read and validated once at start-up, before
//! any prompt or network request, so a typo is found before the person authorizes anything.

use std::path::Path;

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::store::StoragePref;

/// The settings of `config.toml` (every key optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where new credentials' secrets go.
    pub storage: Option<StoragePref>,
    /// The shared store, for `storage = "vault"`.
    pub vault: Option<crate::store::vault::VaultConfig>,
    /// The encrypted store's key source, for `storage = "encrypted"`.
    pub encrypted: Option<crate::store::SealedConfig>,
    /// The agent.
    pub agent: Option<AgentConfig>,
    /// `[[account]]` rules: which account answers by directory or repository (SPEC §14).
    #[serde(default, rename = "account")]
    pub accounts: Vec<crate::choose::Rule>,
    /// Tokens in the environment (`GH_TOKEN`, …) are not used (as `--ignore-env`).
    pub ignore_env: Option<bool>,
    /// How early `refresh --all` (the timer) warns of tokens that cannot refresh (`7d`).
    pub warn_within: Option<String>,
}

/// The `[agent]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// Seconds without a request after which the agent forgets what it holds (default 8 h).
    pub idle_lock: Option<u64>,
}

impl Config {
    /// Reads `config.toml` (a missing file is the defaults) and `LANYARD_STORAGE`, which wins
    /// over the file. Errors are exit 2 naming the file and line.
    pub fn load(env: &Env, config_dir: &Path) -> Result<Config> {
        let path = config_dir.join("config.toml");
        let mut config = match fsutil::read_trusted(&path)? {
            None => Config::default(),
            Some(text) => toml::from_str(&text).map_err(|e| {
                let line = e.span().map(|sp| crate::error::line_at(&text, sp.start)).unwrap_or(1);
                Error::usage(format!("`{}` line {line}: {}", path.display(), e.message().trim_end_matches('.'))).hint(
                    format!(
                        "fix `{}`: `storage` is \"auto\", \"keyring\", \"file\", \"encrypted\" (with an optional `[encrypted]` table) or \"vault\" (with a `[vault]` table)",
                        path.display()
                    ),
                )
            })?,
        };
        if let Some(v) = env.var("LANYARD_STORAGE") {
            config.storage = Some(parse_pref(v).ok_or_else(|| {
                Error::usage(format!("LANYARD_STORAGE=`{v}` is not auto, keyring, file, encrypted or vault"))
                    .hint("set LANYARD_STORAGE to auto, keyring, file, encrypted or vault, or unset it")
            })?);
        }
        Ok(config)
    }

    /// Whether credentials are shared through Vault.
    pub fn shared(&self) -> bool {
        self.storage == Some(StoragePref::Vault)
    }
}

/// Sets `storage` in config.toml, every other line kept (comments too), atomically under its lock.
pub fn set_storage(config_dir: &Path, storage: &str) -> Result<()> {
    let path = config_dir.join("config.toml");
    let lock = fsutil::Lock::acquire(&path)?;
    let text = fsutil::read_trusted(&path)?.unwrap_or_default();
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        Error::usage(format!("`{}`: {}", path.display(), e.message())).hint(format!("fix `{}`", path.display()))
    })?;
    doc["storage"] = toml_edit::value(storage);
    fsutil::write_atomic(&lock, doc.to_string().as_bytes())
}

fn parse_pref(v: &str) -> Option<StoragePref> {
    match v {
        "auto" => Some(StoragePref::Auto),
        "keyring" => Some(StoragePref::Keyring),
        "file" => Some(StoragePref::File),
        "vault" => Some(StoragePref::Vault),
        "encrypted" => Some(StoragePref::Encrypted),
        _ => None,
    }
}
