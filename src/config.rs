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
                        "fix `{}`: `storage` is \"auto\", \"keyring\", \"file\" or \"vault\" (with a `[vault]` table)",
                        path.display()
                    ),
                )
            })?,
        };
        if let Some(v) = env.var("LANYARD_STORAGE") {
            config.storage = Some(parse_pref(v).ok_or_else(|| {
                Error::usage(format!("LANYARD_STORAGE=`{v}` is not auto, keyring, file or vault"))
                    .hint("set LANYARD_STORAGE to auto, keyring, file or vault, or unset it")
            })?);
        }
        Ok(config)
    }

    /// Whether credentials are shared through Vault.
    pub fn shared(&self) -> bool {
        self.storage == Some(StoragePref::Vault)
    }
}

fn parse_pref(v: &str) -> Option<StoragePref> {
    match v {
        "auto" => Some(StoragePref::Auto),
        "keyring" => Some(StoragePref::Keyring),
        "file" => Some(StoragePref::File),
        "vault" => Some(StoragePref::Vault),
        _ => None,
    }
}
