//! The storage seam: what every credential store does ([`CredentialStore`]), how one refresh is
//! guarded ([`RefreshGuard`]), and what messages say about where a credential lives ([`Where`]).
//! Implemented by `local` (this machine's file and keyring) and `shared` (Vault).

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::data::{Data, Stored};
use crate::credential::{Credential, CredentialId, Record, Secrets, Storage};
use crate::error::{Error, Result};

/// Which storage the user asked for: `auto` (keyring when one answers), `keyring` or `file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StoragePref {
    /// The keyring when one answers, else the encrypted file when it has a key source, else the
    /// plaintext file (saying why).
    Auto,
    /// The keyring, or exit 7.
    Keyring,
    /// The plaintext file.
    File,
    /// Vault/OpenBao KV v2 (the `[vault]` table), shared by machines.
    Vault,
    /// The age-encrypted file (`[encrypted]`: an identity file, else a passphrase).
    Encrypted,
}

/// Where a credential's secrets are kept, as every message about it says it (status, login,
/// logout, dry runs): computed by the store that keeps them, never a second time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// Inline in lanyard's file (0600).
    File {
        /// The file.
        path: PathBuf,
    },
    /// The OS keyring (the record in lanyard's file).
    Keyring {
        /// lanyard's file, which holds the record.
        file: PathBuf,
    },
    /// lanyard's age-encrypted file (the record in lanyard's file).
    Encrypted {
        /// The encrypted file.
        path: PathBuf,
        /// lanyard's file, which holds the record.
        file: PathBuf,
    },
    /// Vault/OpenBao, shared by every machine configured with the path.
    Vault {
        /// How the store names itself (`shared (vault ADDRESS MOUNT/PATH)`).
        name: String,
        /// The server.
        address: String,
        /// The path under the mount.
        path: String,
    },
}

impl Where {
    /// Whether removing it removes it for other machines too.
    pub fn shared(&self) -> bool {
        matches!(self, Where::Vault { .. })
    }

    /// Whether the secret is in clear in a file.
    pub fn plaintext(&self) -> bool {
        matches!(self, Where::File { .. })
    }

    /// In a few words, for dry runs.
    pub fn summary(&self) -> &'static str {
        match self {
            Where::File { .. } => "plaintext file, mode 0600",
            Where::Keyring { .. } => "secrets in the OS keyring",
            Where::Encrypted { .. } => "secrets in an age-encrypted file",
            Where::Vault { .. } => "record and secrets in Vault, shared",
        }
    }

    /// `status`'s `stored:` line.
    pub fn line(&self) -> String {
        match self {
            Where::File { path } => format!("{} (0600)", path.display()),
            Where::Keyring { .. } => "the OS keyring (service `lanyard`)".to_string(),
            Where::Encrypted { path, .. } => format!("{} (age-encrypted)", path.display()),
            Where::Vault { name, .. } => name.clone(),
        }
    }

    /// `status --json`'s `storage` object.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Where::File { path } => serde_json::json!({"kind": "file", "path": path}),
            Where::Keyring { .. } => serde_json::json!({"kind": "keyring", "service": "lanyard"}),
            Where::Encrypted { path, .. } => serde_json::json!({"kind": "encrypted", "path": path}),
            Where::Vault { address, path, .. } => {
                serde_json::json!({"kind": "vault", "address": address, "path": path})
            }
        }
    }

    /// What `logout --dry-run` would do: `everywhere` deletes a shared credential in Vault;
    /// otherwise only this machine's view goes.
    pub fn would_remove(&self, label: &str, everywhere: bool) -> String {
        match self {
            Where::File { path } => format!("would remove {label} from {}", path.display()),
            Where::Keyring { file } => format!("would remove {label} from {} and the OS keyring", file.display()),
            Where::Encrypted { path, file } => {
                format!("would remove {label} from {} and {}", file.display(), path.display())
            }
            Where::Vault { name, .. } if everywhere => {
                format!("would delete {label} from {name} — every machine sharing it loses it")
            }
            Where::Vault { name, .. } => format!(
                "would remove this machine's view of {label}; it stays in {name} (`--shared` deletes it for every machine)"
            ),
        }
    }

    /// What `logout` did, after "Logged out of LABEL": `id` names the credential in the command
    /// that deletes a shared one everywhere.
    pub fn removed(&self, id: &str, everywhere: bool) -> String {
        match self {
            Where::File { path } | Where::Keyring { file: path } | Where::Encrypted { file: path, .. } => {
                format!(": removed from {}.", path.display())
            }
            Where::Vault { name, .. } if everywhere => {
                format!(": deleted from {name}; every machine sharing it has lost it.")
            }
            Where::Vault { name, .. } => format!(
                " on this machine: its files no longer hold it; it stays in {name} for the other machines (`lanyard logout {id} --shared` deletes it there)."
            ),
        }
    }
}

/// Why a stored credential's secrets cannot be read (exit 7), with the fix each needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The keyring (or the store) does not answer: locked, no session.
    Locked(Error),
    /// The secret is gone from where the record says it is (removed outside lanyard).
    Gone(String),
    /// The credential is shared, and this machine has no usable shared store.
    NotHere(String),
}

impl Unreadable {
    /// What went wrong.
    pub fn message(&self) -> &str {
        match self {
            Unreadable::Locked(e) => &e.message,
            Unreadable::Gone(m) | Unreadable::NotHere(m) => m,
        }
    }

    /// The fix, for `status` and errors.
    pub fn fix(&self, login: &str) -> String {
        match self {
            // The store that refused says how to open it (the encrypted store: `lanyard unlock`).
            Unreadable::Locked(e) => e.hints.first().cloned().unwrap_or_else(|| {
                "unlock the OS keyring (log in to the desktop session), then run the command again".to_string()
            }),
            Unreadable::Gone(_) => format!("{login} --force"),
            Unreadable::NotHere(_) => "set `storage = \"vault\"` and the `[vault]` table in config.toml".to_string(),
        }
    }

    /// As an error (exit 7) for a credential of `host`.
    pub fn into_error(self, host: &str) -> Error {
        match self {
            Unreadable::Locked(e) => e,
            Unreadable::Gone(m) => Error::storage(m).hint(format!("run `lanyard login {host} --force`")),
            Unreadable::NotHere(m) => {
                Error::storage(m).hint("set `storage = \"vault\"` and the `[vault]` table in config.toml")
            }
        }
    }
}

/// The clock and the sleep a refresh guard waits with (tests pass their own).
pub trait Clock {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
    /// Waits.
    fn sleep(&self, d: Duration);
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// What [`RefreshGuard::claim`] found.
#[derive(Debug)]
pub enum Claim {
    /// This process refreshes: the credential as read under the guard.
    Mine(Credential),
    /// Another process or machine refreshed it meanwhile: use this.
    RefreshedElsewhere(Credential),
}

/// One refresh of one credential, single-flight across processes and machines: the refresh
/// algorithm (`refresh.rs`) is guard → re-read → still stale? → claim → refresh → commit, the
/// same for every store.
pub trait RefreshGuard {
    /// The credential re-read under the guard, and whether it changed since the caller read it;
    /// `None` when it was logged out meanwhile.
    fn current(&mut self) -> Result<Option<(Credential, bool)>>;
    /// Claims the one refresh (a shared store waits for another machine's lease here).
    fn claim(&mut self, current: Credential, _fresh: &dyn Fn(&Record) -> bool) -> Result<Claim> {
        Ok(Claim::Mine(current))
    }
    /// The longest the refresh request may take under this guard.
    fn timeout(&self, wanted: Duration) -> Duration {
        wanted
    }
    /// The refresh token is about to be sent.
    fn sending(&mut self) -> Result<()> {
        Ok(())
    }
    /// The server answered without using the refresh token (it refused, or failed first).
    fn refused(&mut self) {}
    /// Keeps the refreshed credential; returns it as this machine uses it (with its sinks).
    fn commit(&mut self, next: Credential) -> Result<Credential>;
    /// Ends without a refresh here, keeping `cred`.
    fn keep(&mut self, cred: Credential, refreshed: bool) -> Result<Credential>;
}

/// What every credential store does.
pub trait CredentialStore {
    /// Where a credential of this kind is kept, for every message that says so.
    fn describe(&self, storage: Storage) -> Where;
    /// A stored credential's secrets.
    fn secrets(&self, id: &CredentialId, stored: &Stored) -> std::result::Result<Secrets, Unreadable>;
    /// Keeps a credential's secrets (check-and-set on `expected`, the version read; 0: new).
    /// Returns what the local file keeps inline, and the new version.
    fn put(
        &self,
        id: &CredentialId,
        record: &Record,
        secrets: Secrets,
        expected: u64,
    ) -> Result<(Option<Secrets>, u64)>;
    /// Removes a credential's secrets (for a shared one: for every machine).
    fn remove(&self, id: &CredentialId, stored: &Stored) -> Result<()>;
    /// Starts one refresh of `id`, whose caller read `seen`, under the store's lock (`held`).
    fn begin_refresh<'s>(
        &'s self,
        held: &'s mut dyn Held,
        id: &CredentialId,
        seen: &Stored,
        clock: &'s dyn Clock,
    ) -> Result<Box<dyn RefreshGuard + 's>>;
}

/// lanyard's store as read under its lock, which a refresh holds from the re-read to the write.
pub trait Held {
    /// The content read under the lock.
    fn data(&self) -> &Data;
    /// The content, to change before writing.
    fn data_mut(&mut self) -> &mut Data;
    /// Stores a credential (see `Locked::put`).
    fn put(&mut self, host: &str, cred: Credential) -> Result<CredentialId>;
    /// Writes the content back, keeping the lock.
    fn write(&mut self) -> Result<()>;
    /// Whether this machine's own file has an entry for a credential.
    fn known_here(&self, id: &CredentialId) -> Result<bool>;
}

/// Secrets as read from a store, remembered first: whatever a server echoes back later is
/// stripped of them (SPEC §6).
pub fn remembered(s: Secrets) -> Secrets {
    for x in [Some(&s.token), s.refresh_token.as_ref(), s.id_token.as_ref()].into_iter().flatten() {
        crate::secret::remember(x);
    }
    s
}
