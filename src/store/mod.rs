//! lanyard's own credential store (SPEC §5): one JSON file, `<config-dir>/credentials.json`,
//! read without a lock (writes are atomic renames) and changed only under its lock. Secrets of a
//! credential stored in the OS keyring ([`keyring`]) are empty placeholders in the file.

pub mod keyring;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use crate::provider::Family;
use crate::secret::Secret;

/// The store file's name inside the config dir.
pub const FILE_NAME: &str = "credentials.json";

/// What kind of secret a credential holds (decides headers and Nix's GitLab prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// A pasted personal access token.
    Pat,
    /// An OAuth access token from a device flow.
    Oauth,
    /// An API key (duh's `X-API-Key`).
    ApiKey,
    /// A session JWT obtained with a password.
    Jwt,
    /// A user name and password.
    Basic,
}

/// Where a credential's secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// In lanyard's credentials file (plaintext, 0600).
    File,
    /// In the OS keyring (Secret Service, macOS Keychain).
    Keyring,
}

impl Storage {
    /// The name shown by `status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::File => "file",
            Storage::Keyring => "keyring",
        }
    }
}

/// Which storage the user asked for: `auto` (keyring when one answers), `keyring` or `file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StoragePref {
    /// The keyring when one answers, else the file (saying why).
    Auto,
    /// The keyring, or exit 7.
    Keyring,
    /// The plaintext file.
    File,
}

/// Decides where a new credential's secrets go: `--storage`, else `LANYARD_STORAGE`, else
/// `storage` in `<config-dir>/config.toml`, else `auto`. Returns the storage and, for a file chosen
/// by `auto`, why no keyring was used.
pub fn choose_storage(
    flag: Option<StoragePref>,
    env: &crate::env::Env,
    config_dir: &Path,
) -> Result<(Storage, Option<String>)> {
    let pref = match flag {
        Some(p) => p,
        None => match env.var("LANYARD_STORAGE") {
            Some(v) => parse_pref(v).ok_or_else(|| {
                Error::usage(format!("LANYARD_STORAGE=`{v}` is not auto, keyring or file")).hint("fix LANYARD_STORAGE")
            })?,
            None => config_pref(config_dir)?.unwrap_or(StoragePref::Auto),
        },
    };
    match pref {
        StoragePref::File => Ok((Storage::File, None)),
        StoragePref::Keyring => match keyring::probe() {
            Ok(()) => Ok((Storage::Keyring, None)),
            Err(why) => Err(Error::storage(format!("no usable OS keyring: {why}"))
                .hint("start or unlock the Secret Service (gnome-keyring, KWallet), or use `--storage file`")),
        },
        StoragePref::Auto => match keyring::probe() {
            Ok(()) => Ok((Storage::Keyring, None)),
            Err(why) => Ok((Storage::File, Some(why))),
        },
    }
}

fn parse_pref(v: &str) -> Option<StoragePref> {
    match v {
        "auto" => Some(StoragePref::Auto),
        "keyring" => Some(StoragePref::Keyring),
        "file" => Some(StoragePref::File),
        _ => None,
    }
}

#[derive(serde::Deserialize)]
struct Settings {
    storage: Option<StoragePref>,
}

/// `storage` from `<config-dir>/config.toml`, when set.
fn config_pref(config_dir: &Path) -> Result<Option<StoragePref>> {
    let path = config_dir.join("config.toml");
    let Some(text) = fsutil::read_optional(&path)? else { return Ok(None) };
    let s: Settings = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|sp| crate::error::line_at(&text, sp.start)).unwrap_or(1);
        Error::usage(format!("`{}` line {line}: {}", path.display(), e.message().trim_end_matches('.')))
            .hint("`storage` is \"auto\", \"keyring\" or \"file\"")
    })?;
    Ok(s.storage)
}

impl Credential {
    /// Reads the secrets of a keyring credential into it (no-op for the file store).
    pub fn hydrate(&mut self, key: &str) -> Result<()> {
        if self.storage != Storage::Keyring {
            return Ok(());
        }
        let missing = || {
            Error::storage(format!("the OS keyring has no token for `{key}` (removed outside lanyard?)"))
                .hint(format!("run `lanyard login {key}`"))
        };
        if self.token.expose_secret().is_empty() {
            self.token = keyring::get(key, keyring::Field::Token)?.ok_or_else(missing)?;
        }
        if self.refresh_token.as_ref().is_some_and(|r| r.expose_secret().is_empty()) {
            self.refresh_token = keyring::get(key, keyring::Field::Refresh)?;
        }
        if self.id_token.as_ref().is_some_and(|r| r.expose_secret().is_empty()) {
            self.id_token = keyring::get(key, keyring::Field::IdToken)?;
        }
        Ok(())
    }

    /// Moves the secrets of a keyring credential into the keyring, leaving empty placeholders.
    fn stash(&mut self, key: &str) -> Result<()> {
        if self.storage != Storage::Keyring {
            return Ok(());
        }
        let empty = Secret::new("");
        for (field, slot) in [
            (keyring::Field::Token, Some(&mut self.token)),
            (keyring::Field::Refresh, self.refresh_token.as_mut()),
            (keyring::Field::IdToken, self.id_token.as_mut()),
        ] {
            if let Some(secret) = slot
                && !secret.expose_secret().is_empty()
            {
                keyring::set(key, field, secret)?;
                *secret = empty.clone();
            }
        }
        Ok(())
    }

    /// Deletes a keyring credential's secrets from the keyring.
    pub fn forget(&self, key: &str) -> Result<()> {
        if self.storage == Storage::Keyring {
            for f in [keyring::Field::Token, keyring::Field::Refresh, keyring::Field::IdToken] {
                keyring::delete(key, f)?;
            }
        }
        Ok(())
    }
}

/// One stored credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The server's origin, `https://host[:port]`.
    pub url: String,
    /// The provider id it was logged in with.
    pub provider: String,
    /// The provider's protocol family.
    pub family: Family,
    /// The account name the server reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Scopes the server reported or granted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// What kind of secret `token` is.
    pub kind: TokenKind,
    /// The access token (or password / API key).
    pub token: Secret,
    /// When the access token expires, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// The refresh token, when the server gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// The OpenID ID token, when the server gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// The OpenID issuer (oidc family), for discovery when checking the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The registry name a duumbi token is filed under in duumbi's credentials.toml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The OAuth client id used, for refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The token endpoint used, for refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    /// Where the secret is kept.
    pub storage: Storage,
    /// Files (other than the store) the token was written to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sinks: Vec<String>,
    /// When the login happened.
    pub created_at: DateTime<Utc>,
}

/// The store's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Data {
    /// Format version, 1.
    #[serde(default = "one")]
    pub version: u32,
    /// Credentials by `host[:port]`.
    #[serde(default)]
    pub credentials: BTreeMap<String, Credential>,
    /// The provider chosen per host, kept after logout.
    #[serde(default)]
    pub providers: BTreeMap<String, String>,
}

fn one() -> u32 {
    1
}

impl Default for Data {
    fn default() -> Self {
        Data { version: 1, credentials: BTreeMap::new(), providers: BTreeMap::new() }
    }
}

/// How a sink is recorded in a credential: `KIND:PATH` (`nix:/home/u/.config/nix/access-tokens.conf`).
pub fn sink_name(kind: &str, path: &Path) -> String {
    format!("{kind}:{}", path.display())
}

/// The sink of a kind in a credential's list, as its path.
pub fn sink_path(sinks: &[String], kind: &str) -> Option<PathBuf> {
    sinks.iter().find_map(|s| s.strip_prefix(kind).and_then(|r| r.strip_prefix(':')).map(PathBuf::from))
}

/// lanyard's store in a config dir.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

/// The store read under its lock; [`Locked::save`] writes it back.
#[derive(Debug)]
pub struct Locked {
    lock: Lock,
    /// The content, to change before saving.
    pub data: Data,
}

impl Data {
    /// Parses the store's text; `path` names the file in errors (exit 2 with the line).
    pub fn parse(text: &str, path: &Path) -> Result<Data> {
        let data: Data = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!("`{}` line {}: cannot be parsed: {e}", path.display(), e.line()))
                .hint("fix or move the file; lanyard leaves it untouched")
        })?;
        if data.version != 1 {
            return Err(Error::usage(format!(
                "`{}` has format version {}, which this lanyard does not know",
                path.display(),
                data.version
            ))
            .hint("upgrade lanyard"));
        }
        Ok(data)
    }
}

impl Store {
    /// The store of a config dir.
    pub fn new(config_dir: &Path) -> Store {
        Store { path: config_dir.join(FILE_NAME) }
    }

    /// The store file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the store (a missing file is an empty store). Unparseable → exit 2 naming file and
    /// line; another user's file → exit 7; group/world-readable → repaired to 0600 with a warning.
    pub fn load(&self) -> Result<Data> {
        // One `lstat` before reading: a symlink (to another user's file, to /dev/zero) is never
        // read or repaired through.
        let Some(m) = fsutil::own_regular_file(&self.path)? else {
            return Ok(Data::default());
        };
        if m.permissions().mode() & 0o077 != 0 {
            crate::ui::warn(&format!(
                "`{}` was readable by others (mode {:o}); set it to 0600 — rotate its tokens if someone else could read it",
                self.path.display(),
                m.permissions().mode() & 0o777
            ));
            std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| fsutil::io_error("set the mode of", &self.path, e))?;
        }
        let Some(text) = fsutil::read_optional(&self.path)? else {
            return Ok(Data::default());
        };
        Data::parse(&text, &self.path)
    }

    /// Takes the store's lock and reads it, for a read-modify-write.
    pub fn lock(&self) -> Result<Locked> {
        let lock = Lock::acquire(&self.path)?;
        let data = self.load()?;
        Ok(Locked { lock, data })
    }
}

impl Locked {
    /// Writes the changed content back atomically (0600) and releases the lock.
    pub fn save(mut self) -> Result<()> {
        self.write()
    }

    /// Writes the changed content back atomically (0600) and keeps the lock.
    pub fn write(&mut self) -> Result<()> {
        for (key, c) in self.data.credentials.iter_mut() {
            c.stash(key)?;
        }
        let mut text = serde_json::to_string_pretty(&self.data).expect("the store serializes");
        text.push('\n');
        fsutil::write_atomic(&self.lock, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_debug_hides_secrets() {
        let c = Credential {
            url: "https://x".into(),
            provider: "gitea".into(),
            family: Family::Gitea,
            user: None,
            scopes: vec![],
            kind: TokenKind::Pat,
            token: Secret::new("tok_verysecretvalue99"),
            expires_at: None,
            refresh_token: Some(Secret::new("ref_verysecretvalue77")),
            id_token: Some(Secret::new("eyJverysecretvalue55")),
            issuer: None,
            name: None,
            client_id: None,
            token_endpoint: None,
            storage: Storage::File,
            sinks: vec![],
            created_at: Utc::now(),
        };
        let d = format!("{c:?}");
        assert!(!d.contains("verysecret"), "{d}");
    }
}
