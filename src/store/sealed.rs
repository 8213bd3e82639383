//! `storage = "encrypted"` (SPEC §13): every encrypted credential's secrets in one file in the
//! standard age format, `secrets.age` beside `credentials.json` (which keeps the records, as for
//! the keyring). The file is encrypted to one X25519 key; that key comes from
//!
//! - an age identity file (`[encrypted] identity_file`, owner-only: what agenix and sops-nix
//!   put under `/run`), read when needed; or
//! - a passphrase: lanyard's own key, kept in `identity.age` encrypted with the passphrase
//!   (age's scrypt recipient), unlocked once by `lanyard unlock` into the agent, which then
//!   unwraps each file's key for the processes of its user (it never hands out the key itself),
//!   or by `login` in its own process.
//!
//! Either way a person recovers their secrets without lanyard: `age -d -i IDENTITY secrets.age`
//! (`-i identity.age` asks for the passphrase). Nothing here is ever written in clear: the file
//! is encrypted in memory and replaced atomically under its lock.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use age::secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::backend::{Field, SecretBackend};
use crate::credential::CredentialId;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use crate::secret::Secret;

/// The encrypted secrets' file name in the config dir.
pub const FILE_NAME: &str = "secrets.age";
/// lanyard's own key, encrypted with the passphrase.
pub const KEY_FILE: &str = "identity.age";

/// The `[encrypted]` table of config.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedConfig {
    /// An age identity file (`AGE-SECRET-KEY-1…`), owner-only; without it, a passphrase.
    pub identity_file: Option<PathBuf>,
}

/// What can open the file in this process.
#[derive(Clone)]
pub enum Key {
    /// The X25519 identity itself (from the identity file, or unlocked with the passphrase).
    Own(Arc<age::x25519::Identity>),
    /// The agent holds it: it unwraps file keys on request.
    Agent {
        /// The public key to encrypt to.
        recipient: age::x25519::Recipient,
        /// Unwraps through the agent.
        id: Arc<dyn age::Identity + Send + Sync>,
    },
}

impl Key {
    fn recipient(&self) -> age::x25519::Recipient {
        match self {
            Key::Own(id) => id.to_public(),
            Key::Agent { recipient, .. } => recipient.clone(),
        }
    }
}

/// Asks the agent to unwrap a file key: implemented by the agent's client (`agent::client`),
/// handed in so the store does not depend on the agent.
pub type Unwrapper =
    Arc<dyn Fn(&Path) -> Option<(age::x25519::Recipient, Arc<dyn age::Identity + Send + Sync>)> + Send + Sync>;

/// The encrypted file and the ways to its key.
pub struct Sealed {
    path: PathBuf,
    key_file: PathBuf,
    identity_file: Option<PathBuf>,
    agent: Option<(PathBuf, Unwrapper)>,
    key: Mutex<Option<Arc<age::x25519::Identity>>>,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed").field("path", &self.path).finish_non_exhaustive()
    }
}

/// What the file holds once decrypted.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Sheet {
    lanyard: u32,
    #[serde(default)]
    secrets: BTreeMap<String, Entry>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Entry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<Secret>,
}

impl Entry {
    fn slot(&mut self, f: Field) -> &mut Option<Secret> {
        match f {
            Field::Token => &mut self.token,
            Field::Refresh => &mut self.refresh_token,
            Field::IdToken => &mut self.id_token,
        }
    }
}

/// The hint of every "locked" error.
pub const UNLOCK_HINT: &str = "run `lanyard unlock` (it asks for the passphrase once and keeps the key in the agent)";

impl Sealed {
    /// The encrypted store of a config dir.
    pub fn new(config_dir: &Path, config: &SealedConfig) -> Sealed {
        Sealed {
            path: config_dir.join(FILE_NAME),
            key_file: config_dir.join(KEY_FILE),
            identity_file: config.identity_file.clone(),
            agent: None,
            key: Mutex::new(None),
        }
    }

    /// Asks the agent on `socket` for file keys when this process holds no key.
    pub fn with_agent(mut self, socket: PathBuf, unwrap: Unwrapper) -> Sealed {
        self.agent = Some((socket, unwrap));
        self
    }

    /// The encrypted file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The passphrase-protected key file.
    pub fn key_file(&self) -> &Path {
        &self.key_file
    }

    /// The configured identity file.
    pub fn identity_file(&self) -> Option<&Path> {
        self.identity_file.as_deref()
    }

    /// Whether a key source is configured: an identity file, or a passphrase key made by
    /// `lanyard unlock`.
    pub fn configured(&self) -> bool {
        self.identity_file.is_some() || self.key_file.exists()
    }

    /// Whether opening the file needs the passphrase (no identity file).
    pub fn needs_passphrase(&self) -> bool {
        self.identity_file.is_none()
    }

    /// Whether this process holds the key.
    pub fn holds_key(&self) -> bool {
        self.key.lock().expect("not poisoned").is_some()
    }

    /// Drops the key this process holds (the agent's `lock`).
    pub fn forget_key(&self) {
        *self.key.lock().expect("not poisoned") = None;
    }

    /// The key's public half, when this process holds the key.
    pub fn recipient(&self) -> Option<String> {
        self.key.lock().expect("not poisoned").as_ref().map(|k| k.to_public().to_string())
    }

    /// Unwraps the file key of one stanza with the key this process holds (the agent, for its
    /// clients). `None` when it holds no key or the stanza is not for it.
    pub fn unwrap(&self, stanza: &age_core::format::Stanza) -> Option<age_core::format::FileKey> {
        let key = self.key.lock().expect("not poisoned").clone()?;
        age::Identity::unwrap_stanza(key.as_ref(), stanza).and_then(|r| r.ok())
    }

    /// Unlocks with the passphrase: reads `identity.age` (wrong passphrase: exit 7, nothing
    /// changed) and keeps the key in this process.
    pub fn unlock(&self, passphrase: &Secret) -> Result<()> {
        let bytes = read_bytes(&self.key_file)?.ok_or_else(|| {
            Error::storage(format!("`{}` does not exist: no passphrase has been chosen", self.key_file.display()))
                .hint("run `lanyard unlock` to choose one")
        })?;
        let mut id = age::scrypt::Identity::new(SecretString::from(passphrase.expose_secret().to_string()));
        id.set_max_work_factor(22);
        let text = decrypt_with(&bytes, &id, &self.key_file).map_err(|e| match e {
            Opened::Wrong => Error::storage("wrong passphrase: the encrypted store stays locked")
                .hint("run `lanyard unlock` again and type the passphrase you chose"),
            Opened::Bad(e) => e,
        })?;
        let key = parse_identity(&text, &self.key_file)?;
        *self.key.lock().expect("not poisoned") = Some(Arc::new(key));
        Ok(())
    }

    /// Chooses the passphrase: makes lanyard's key and writes it to `identity.age`, encrypted
    /// with the passphrase (never over an existing one). Keeps the key in this process.
    pub fn create_key(&self, passphrase: &Secret) -> Result<()> {
        let key = age::x25519::Identity::generate();
        let text = Zeroizing::new(format!(
            "# lanyard's key for {}; created {}\n# public key: {}\n{}\n",
            self.path.display(),
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            key.to_public(),
            key.to_string().expose_secret()
        ));
        let sealed = age::Encryptor::with_user_passphrase(SecretString::from(passphrase.expose_secret().to_string()));
        let mut out = Vec::new();
        let mut w = sealed.wrap_output(&mut out).map_err(|e| Error::failure(format!("cannot encrypt the key: {e}")))?;
        std::io::Write::write_all(&mut w, text.as_bytes())
            .and_then(|_| w.finish().map(|_| ()))
            .map_err(|e| Error::failure(format!("cannot encrypt the key: {e}")))?;
        let lock = Lock::acquire(&self.key_file)?;
        if self.key_file.exists() {
            return Err(Error::storage(format!(
                "`{}` exists: a passphrase was chosen already",
                self.key_file.display()
            ))
            .hint("run `lanyard unlock` with that passphrase"));
        }
        fsutil::write_atomic(&lock, &out)?;
        *self.key.lock().expect("not poisoned") = Some(Arc::new(key));
        Ok(())
    }

    /// Whether this process can open the file now (its key, the identity file, or the agent);
    /// the error says how to unlock.
    pub fn ready(&self) -> Result<()> {
        self.key().map(|_| ())
    }

    /// Encrypts `bytes` to the store's key (migration backups).
    pub fn seal(&self, bytes: &[u8]) -> Result<Vec<u8>> {
        let key = self.key()?;
        age::encrypt(&key.recipient(), bytes).map_err(|e| Error::failure(format!("cannot encrypt a backup: {e}")))
    }

    /// The key this process can use: its own, the identity file's, or the agent's.
    fn key(&self) -> Result<Key> {
        if let Some(k) = self.key.lock().expect("not poisoned").clone() {
            return Ok(Key::Own(k));
        }
        if let Some(file) = &self.identity_file {
            let text = fsutil::read_secret_file(file)?.ok_or_else(|| {
                Error::storage(format!("the identity file `{}` does not exist", file.display())).hint(format!(
                    "create it (`age-keygen -o {}`) or fix `identity_file` under `[encrypted]` in config.toml",
                    fsutil::shell_word(&file.to_string_lossy())
                ))
            })?;
            if let Some(note) = text.1 {
                crate::diag::warn(&note);
            }
            let key = Arc::new(parse_identity(&Zeroizing::new(text.0), file)?);
            *self.key.lock().expect("not poisoned") = Some(key.clone());
            return Ok(Key::Own(key));
        }
        if let Some((socket, ask)) = &self.agent
            && let Some((recipient, id)) = ask(socket)
        {
            return Ok(Key::Agent { recipient, id });
        }
        if !self.key_file.exists() {
            return Err(Error::storage("the encrypted store has no key yet").hint(
                "run `lanyard unlock` to choose a passphrase, or set `identity_file` under `[encrypted]` in config.toml",
            ));
        }
        Err(Error::storage("the encrypted store is locked").hint(UNLOCK_HINT))
    }

    /// The decrypted content (an empty sheet when the file does not exist yet).
    fn read(&self, key: &Key) -> Result<Sheet> {
        let Some(bytes) = read_bytes(&self.path)? else { return Ok(Sheet { lanyard: 1, ..Sheet::default() }) };
        let opened = match key {
            Key::Own(k) => decrypt_with(&bytes, k.as_ref(), &self.path),
            Key::Agent { id, .. } => decrypt_with(&bytes, id.as_ref(), &self.path),
        };
        let text = opened.map_err(|e| match e {
            Opened::Wrong => Error::storage(format!("`{}` was not encrypted to this key", self.path.display())).hint(
                match &self.identity_file {
                    Some(f) => format!("set `identity_file` to the key it was encrypted to (not {})", f.display()),
                    None => "run `lanyard unlock` with the passphrase the store was made with".to_string(),
                },
            ),
            Opened::Bad(e) => e,
        })?;
        serde_json::from_str(&text).map_err(|e| {
            Error::storage(format!(
                "`{}` decrypts, but not to lanyard's format ({:?} error at line {})",
                self.path.display(),
                e.classify(),
                e.line()
            ))
            .hint("restore it from a backup; lanyard leaves it untouched")
        })
    }

    /// Changes the content under the file's lock: decrypts, edits, encrypts, replaces.
    fn edit(&self, change: impl FnOnce(&mut Sheet)) -> Result<()> {
        let lock = Lock::acquire(&self.path)?;
        let key = self.key()?;
        let mut sheet = self.read(&key)?;
        change(&mut sheet);
        sheet.secrets.retain(|_, e| e.token.is_some() || e.refresh_token.is_some() || e.id_token.is_some());
        sheet.lanyard = 1;
        let text = Zeroizing::new(serde_json::to_string(&sheet).expect("serializes"));
        let bytes = age::encrypt(&key.recipient(), text.as_bytes())
            .map_err(|e| Error::failure(format!("cannot encrypt `{}`: {e}", self.path.display())))?;
        fsutil::write_atomic(&lock, &bytes)
    }
}

impl SecretBackend for Sealed {
    fn probe(&self) -> std::result::Result<(), String> {
        self.key().map(|_| ()).map_err(|e| e.message)
    }

    fn get(&self, id: &CredentialId, field: Field) -> Result<Option<Secret>> {
        let mut sheet = self.read(&self.key()?)?;
        Ok(sheet.secrets.get_mut(&id.to_string()).and_then(|e| e.slot(field).take()))
    }

    fn set(&self, id: &CredentialId, field: Field, secret: &Secret) -> Result<()> {
        self.edit(|s| *s.secrets.entry(id.to_string()).or_default().slot(field) = Some(secret.clone()))
    }

    fn delete(&self, id: &CredentialId, field: Field) -> Result<()> {
        if !self.path.exists() {
            return Ok(());
        }
        self.edit(|s| {
            if let Some(e) = s.secrets.get_mut(&id.to_string()) {
                *e.slot(field) = None;
            }
        })
    }
}

enum Opened {
    /// Not encrypted to this key (or the wrong passphrase).
    Wrong,
    Bad(Error),
}

fn decrypt_with(bytes: &[u8], id: &dyn age::Identity, path: &Path) -> std::result::Result<Zeroizing<String>, Opened> {
    let bad = |what: String| {
        Opened::Bad(
            Error::storage(format!("`{}` is not a readable age file: {what}", path.display()))
                .hint("restore it from a backup; lanyard leaves it untouched"),
        )
    };
    let d = age::Decryptor::new(bytes).map_err(|e| bad(e.to_string()))?;
    let mut r = d.decrypt(std::iter::once(id)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => Opened::Wrong,
        e => bad(e.to_string()),
    })?;
    let mut out = Zeroizing::new(Vec::new());
    r.read_to_end(&mut out).map_err(|e| bad(e.to_string()))?;
    String::from_utf8(std::mem::take(&mut *out)).map(Zeroizing::new).map_err(|_| bad("not UTF-8 inside".into()))
}

fn parse_identity(text: &str, path: &Path) -> Result<age::x25519::Identity> {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .and_then(|l| l.parse::<age::x25519::Identity>().ok())
        .ok_or_else(|| {
            Error::storage(format!("`{}` holds no age X25519 identity (`AGE-SECRET-KEY-1…`)", path.display()))
                .hint("point `identity_file` at a key made by `age-keygen`")
        })
}

fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>> {
    let Some((mut f, _)) = fsutil::open_own(path)? else { return Ok(None) };
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(|e| fsutil::io_error("read", path, e))?;
    Ok(Some(bytes))
}
