//! lanyard's own credential store (SPEC §5): one JSON file, `<config-dir>/credentials.json`,
//! read without a lock (writes are atomic renames) and changed only under its lock. The file
//! holds every [`Record`]; secrets stay in it for `storage = "file"` and go to a
//! [`SecretBackend`] (the OS keyring) otherwise.

pub mod backend;
mod keyring;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::credential::{Credential, CredentialId, Record, Secrets, Storage, TokenKind};
use crate::error::{Error, Exit, Result};
use crate::fsutil::{self, Lock};
use crate::provider::Family;
use crate::secret::Secret;
use crate::sink::Sink;
use backend::{Field, SecretBackend};

/// The store file's name inside the config dir.
pub const FILE_NAME: &str = "credentials.json";

/// One stored credential: its record, and its secrets when they live in this file
/// (`storage = "file"`); a keyring credential's secrets are read through the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Everything but the secrets.
    pub record: Record,
    inline: Option<Secrets>,
}

impl Stored {
    /// Whether its secrets are in the OS keyring.
    pub fn in_keyring(&self) -> bool {
        self.inline.is_none()
    }

    /// The access token when it is kept in the file (for a masked display, without a copy).
    pub fn inline_token(&self) -> Option<&Secret> {
        self.inline.as_ref().map(|s| &s.token)
    }
}

/// The store's content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Data {
    /// Credentials by `host[:port]`.
    pub credentials: BTreeMap<String, Stored>,
    /// The provider chosen per host, kept after logout.
    pub providers: BTreeMap<String, String>,
}

/// The file's form of version 1. Keyring credentials carry empty placeholders for their
/// secrets there (so that a lanyard of the first round reads the file); only this module knows.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireData {
    #[serde(default = "one")]
    version: u32,
    #[serde(default)]
    credentials: BTreeMap<String, WireCredential>,
    #[serde(default)]
    providers: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireCredential {
    url: String,
    provider: String,
    family: Family,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    kind: TokenKind,
    token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_endpoint: Option<String>,
    storage: Storage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sinks: Vec<String>,
    created_at: DateTime<Utc>,
}

fn one() -> u32 {
    1
}

impl WireCredential {
    fn into_stored(self, key: &str) -> std::result::Result<Stored, String> {
        let sinks = self
            .sinks
            .iter()
            .map(|s| Sink::from_wire(s, self.name.as_deref()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| format!("credential `{key}`: {e}"))?;
        let record = Record {
            url: self.url,
            provider: self.provider,
            family: self.family,
            // A name stored by an older lanyard may hold a server's escape sequences.
            user: self.user.map(|u| crate::secret::server_text(&u)),
            scopes: self.scopes.iter().map(|s| crate::secret::server_text(s)).collect(),
            kind: self.kind,
            expires_at: self.expires_at,
            refreshable: self.refresh_token.is_some(),
            has_id_token: self.id_token.is_some(),
            issuer: self.issuer,
            name: self.name,
            client_id: self.client_id,
            token_endpoint: self.token_endpoint,
            storage: self.storage,
            sinks,
            created_at: self.created_at,
        };
        let inline = (record.storage == Storage::File).then_some(Secrets {
            token: self.token,
            refresh_token: self.refresh_token,
            id_token: self.id_token,
        });
        Ok(Stored { record, inline })
    }

    fn from_stored(s: &Stored) -> WireCredential {
        let r = &s.record;
        let placeholder = || Some(Secret::new(""));
        let (token, refresh_token, id_token) = match &s.inline {
            Some(x) => (x.token.clone(), x.refresh_token.clone(), x.id_token.clone()),
            None => (
                Secret::new(""),
                if r.refreshable { placeholder() } else { None },
                if r.has_id_token { placeholder() } else { None },
            ),
        };
        WireCredential {
            url: r.url.clone(),
            provider: r.provider.clone(),
            family: r.family,
            user: r.user.clone(),
            scopes: r.scopes.clone(),
            kind: r.kind,
            token,
            expires_at: r.expires_at,
            refresh_token,
            id_token,
            issuer: r.issuer.clone(),
            name: r.name.clone(),
            client_id: r.client_id.clone(),
            token_endpoint: r.token_endpoint.clone(),
            storage: r.storage,
            sinks: r.sinks.iter().map(Sink::to_wire).collect(),
            created_at: r.created_at,
        }
    }
}

/// lanyard's store in a config dir, with the backend that keeps keyring credentials' secrets.
#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    backend: Arc<dyn SecretBackend>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

/// The store read under its lock; [`Locked::save`] writes it back.
#[derive(Debug)]
pub struct Locked {
    lock: Lock,
    store: Store,
    /// The content, to change before saving.
    pub data: Data,
}

impl Data {
    /// Parses the store's text; `path` names the file in errors (exit 2 with the line).
    pub fn parse(text: &str, path: &Path) -> Result<Data> {
        let wire: WireData = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!("`{}` line {}: cannot be parsed: {e}", path.display(), e.line()))
                .hint("fix or move the file; lanyard leaves it untouched")
        })?;
        if wire.version != 1 {
            return Err(Error::usage(format!(
                "`{}` has format version {}, which this lanyard does not know",
                path.display(),
                wire.version
            ))
            .hint("upgrade lanyard"));
        }
        let mut credentials = BTreeMap::new();
        for (key, c) in wire.credentials {
            let stored = c.into_stored(&key).map_err(|e| {
                Error::usage(format!("`{}`: {e}", path.display()))
                    .hint("fix or move the file; lanyard leaves it untouched")
            })?;
            credentials.insert(key, stored);
        }
        Ok(Data { credentials, providers: wire.providers })
    }

    /// The file's text (version 1, pretty JSON, a final newline).
    pub fn render(&self) -> String {
        let wire = WireData {
            version: 1,
            credentials: self.credentials.iter().map(|(k, s)| (k.clone(), WireCredential::from_stored(s))).collect(),
            providers: self.providers.clone(),
        };
        let mut text = serde_json::to_string_pretty(&wire).expect("the store serializes");
        text.push('\n');
        text
    }
}

impl Store {
    /// The store of a config dir, with the OS keyring as its secret backend.
    pub fn new(config_dir: &Path) -> Store {
        Store::with_backend(config_dir, Arc::new(backend::Keyring))
    }

    /// The store of a config dir with another secret backend (tests).
    pub fn with_backend(config_dir: &Path, backend: Arc<dyn SecretBackend>) -> Store {
        Store { path: config_dir.join(FILE_NAME), backend }
    }

    /// The store file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The backend that keeps keyring credentials' secrets.
    pub fn backend(&self) -> &dyn SecretBackend {
        self.backend.as_ref()
    }

    /// Reads the store (a missing file is an empty store). Unparseable → exit 2 naming file and
    /// line; another user's file → exit 7; group/world-readable → repaired to 0600 with a warning.
    pub fn load(&self) -> Result<Data> {
        // Opened once without following a symlink, checked, repaired and read through that one
        // descriptor: a file swapped in after a check by path is never the one read.
        let Some((file, m)) = fsutil::open_own(&self.path)? else {
            return Ok(Data::default());
        };
        if m.permissions().mode() & 0o077 != 0 {
            crate::ui::warn(&format!(
                "`{}` was readable by others (mode {:o}); set it to 0600 — rotate its tokens if someone else could read it",
                self.path.display(),
                m.permissions().mode() & 0o777
            ));
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| fsutil::io_error("set the mode of", &self.path, e))?;
        }
        let text = fsutil::read_text(file, &self.path)?;
        Data::parse(&text, &self.path)
    }

    /// Takes the store's lock and reads it, for a read-modify-write.
    pub fn lock(&self) -> Result<Locked> {
        let lock = Lock::acquire(&self.path)?;
        let data = self.load()?;
        Ok(Locked { lock, store: self.clone(), data })
    }

    /// A stored credential with its secrets: from the file, or read from the backend (exit 7
    /// when it cannot be reached or no longer has them).
    pub fn open(&self, key: &str, stored: &Stored) -> Result<Credential> {
        Ok(Credential { record: stored.record.clone(), secrets: self.secrets(key, stored)? })
    }

    /// A stored credential's secrets.
    pub fn secrets(&self, key: &str, stored: &Stored) -> Result<Secrets> {
        let s = self.read_secrets(key, stored)?;
        // Whatever a server echoes back later is stripped of these (SPEC §6).
        for x in [Some(&s.token), s.refresh_token.as_ref(), s.id_token.as_ref()].into_iter().flatten() {
            crate::secret::remember(x);
        }
        Ok(s)
    }

    fn read_secrets(&self, key: &str, stored: &Stored) -> Result<Secrets> {
        if let Some(s) = &stored.inline {
            return Ok(s.clone());
        }
        let r = &stored.record;
        let id = CredentialId::of(key, r);
        let b = self.backend();
        let token = b.get(&id, Field::Token)?.ok_or_else(|| {
            Error::storage(format!("the OS keyring has no token for `{key}` (removed outside lanyard?)"))
                .hint(format!("run `lanyard login {key} --force`"))
        })?;
        let refresh_token = if r.refreshable { b.get(&id, Field::Refresh)? } else { None };
        let id_token = if r.has_id_token { b.get(&id, Field::IdToken)? } else { None };
        Ok(Secrets { token, refresh_token, id_token })
    }

    /// The stored credential for a key, with its secrets; exit 3 when there is none.
    pub fn credential(&self, data: &Data, key: &str) -> Result<Credential> {
        let stored = data.credentials.get(key).ok_or_else(|| not_logged_in(key))?;
        self.open(key, stored)
    }
}

/// The error for a key with no credential.
pub fn not_logged_in(key: &str) -> Error {
    Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}`")).hint(format!("run `lanyard login {key}`"))
}

impl Locked {
    /// Stores a credential under a key, replacing what was there: its secrets go into the file
    /// or the backend as its record says, and a replaced keyring credential's items are removed
    /// when the new one is not kept there.
    pub fn put(&mut self, key: &str, cred: Credential) -> Result<()> {
        let Credential { record, secrets } = Credential::new(cred.record, cred.secrets);
        if let Some(old) = self.data.credentials.get(key)
            && old.record.storage == Storage::Keyring
            && record.storage != Storage::Keyring
        {
            self.forget(key, &old.clone())?;
        }
        let inline = match record.storage {
            Storage::File => Some(secrets),
            Storage::Keyring => {
                let id = CredentialId::of(key, &record);
                let b = self.store.backend();
                b.set(&id, Field::Token, &secrets.token)?;
                for (field, slot) in [(Field::Refresh, &secrets.refresh_token), (Field::IdToken, &secrets.id_token)] {
                    match slot {
                        Some(s) => b.set(&id, field, s)?,
                        None => b.delete(&id, field)?,
                    }
                }
                None
            }
        };
        self.data.credentials.insert(key.to_string(), Stored { record, inline });
        Ok(())
    }

    /// Removes a credential and its secrets in the backend; returns what was stored.
    pub fn remove(&mut self, key: &str) -> Result<Option<Stored>> {
        let Some(old) = self.data.credentials.remove(key) else { return Ok(None) };
        self.forget(key, &old)?;
        Ok(Some(old))
    }

    fn forget(&self, key: &str, stored: &Stored) -> Result<()> {
        if stored.in_keyring() {
            let id = CredentialId::of(key, &stored.record);
            for f in [Field::Token, Field::Refresh, Field::IdToken] {
                self.store.backend().delete(&id, f)?;
            }
        }
        Ok(())
    }

    /// Writes the changed content back atomically (0600) and releases the lock.
    pub fn save(mut self) -> Result<()> {
        self.write()
    }

    /// Writes the changed content back atomically (0600) and keeps the lock.
    pub fn write(&mut self) -> Result<()> {
        fsutil::write_atomic(&self.lock, self.data.render().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Site;

    fn cred(storage: Storage, refresh: bool) -> Credential {
        let site = Site::parse("git.example.com").unwrap();
        let at = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut r = Record::new(&site, "gitea", Family::Gitea, TokenKind::Oauth, at);
        r.storage = storage;
        r.token_endpoint = Some("https://git.example.com/token".into());
        Credential::new(
            r,
            Secrets {
                token: Secret::new("tok_verysecretvalue99"),
                refresh_token: refresh.then(|| Secret::new("ref_verysecretvalue77")),
                id_token: None,
            },
        )
    }

    fn store(backend: Arc<backend::Memory>) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::with_backend(dir.path(), backend);
        (dir, s)
    }

    #[test]
    fn keyring_secrets_never_reach_the_file_and_come_back() {
        let mem = Arc::new(backend::Memory::default());
        let (_d, s) = store(mem.clone());
        let mut l = s.lock().unwrap();
        l.put("git.example.com", cred(Storage::Keyring, true)).unwrap();
        l.save().unwrap();
        let text = std::fs::read_to_string(s.path()).unwrap();
        assert!(!text.contains("verysecret"), "{text}");
        assert_eq!(mem.len(), 2);
        let data = s.load().unwrap();
        let back = s.credential(&data, "git.example.com").unwrap();
        assert_eq!(back, cred(Storage::Keyring, true));
        // Replacing it with a file credential removes the keyring items.
        let mut l = s.lock().unwrap();
        l.put("git.example.com", cred(Storage::File, false)).unwrap();
        l.save().unwrap();
        assert!(mem.is_empty());
        assert!(std::fs::read_to_string(s.path()).unwrap().contains("tok_verysecretvalue99"));
    }

    #[test]
    fn an_unreachable_keyring_is_exit_7() {
        let (_d, s) = store(Arc::new(backend::Memory::default()));
        let mut l = s.lock().unwrap();
        l.put("git.example.com", cred(Storage::Keyring, false)).unwrap();
        l.save().unwrap();
        let data = s.load().unwrap();
        let locked = Store::with_backend(s.path().parent().unwrap(), Arc::new(backend::Memory::unavailable("locked")));
        assert_eq!(locked.credential(&data, "git.example.com").unwrap_err().exit, Exit::Storage);
        // An empty backend: the item was removed outside lanyard.
        let empty = Store::with_backend(s.path().parent().unwrap(), Arc::new(backend::Memory::default()));
        assert_eq!(empty.credential(&data, "git.example.com").unwrap_err().exit, Exit::Storage);
    }

    #[test]
    fn version_1_text_round_trips() {
        let (_d, s) = store(Arc::new(backend::Memory::default()));
        let mut l = s.lock().unwrap();
        l.put("a.example", cred(Storage::File, true)).unwrap();
        l.put("b.example", cred(Storage::Keyring, true)).unwrap();
        let text = l.data.render();
        assert_eq!(Data::parse(&text, Path::new("x")).unwrap(), l.data);
        assert!(text.contains("\"refresh_token\": \"\""), "keyring placeholders stay for version 1 readers");
    }

    #[test]
    fn debug_hides_secrets() {
        let mut data = Data::default();
        let c = cred(Storage::File, true);
        data.credentials.insert("h".into(), Stored { record: c.record.clone(), inline: Some(c.secrets.clone()) });
        let d = format!("{data:?} {c:?}");
        assert!(!d.contains("verysecret"), "{d}");
    }
}
