//! lanyard's credential store (SPEC §5, §10, §13): one seam. [`CredentialStore`] is what every
//! store does — secrets, put with an expected version, remove, say where it keeps them
//! ([`Where`]), and guard one refresh ([`RefreshGuard`]). Two implementations: this machine's
//! file ([`local`]: secrets inline or in the OS keyring; the guard is the file lock) and Vault
//! ([`shared`]: versioned writes; the guard is a lease). [`Store::serving`] is the one place that
//! picks the implementation for a credential; [`Store::choose`] the one that picks it for a new
//! one. The file format lives in [`wire`], the content commands read in [`data`].

pub mod backend;
mod data;
mod keyring;
mod local;
mod sealed;
mod seam;
pub mod shared;
pub mod vault;
mod wire;

pub use self::data::Data;
pub use self::data::Stored;
pub use self::data::not_logged_in;
pub use self::sealed::{Sealed, SealedConfig, Unwrapper};
pub use self::seam::Claim;
pub use self::seam::Clock;
pub use self::seam::CredentialStore;
pub use self::seam::Held;
pub use self::seam::RefreshGuard;
pub use self::seam::StoragePref;
pub use self::seam::SystemClock;
pub use self::seam::Unreadable;
pub use self::seam::Where;
pub use self::wire::VERSION;
pub use self::wire::{credential_from_json, credential_json};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::credential::{Credential, CredentialId, Record, Secrets, Storage};
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use crate::secret::Secret;
use backend::SecretBackend;
use local::Local;
use seam::remembered;
use shared::Shared;

/// The store file's name inside the config dir.
pub const FILE_NAME: &str = "credentials.json";

/// Where a new credential's secrets go, and for a file chosen by `auto`, why no keyring was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// The storage.
    pub storage: Storage,
    /// Why `auto` fell back to the file.
    pub no_keyring: Option<String>,
    /// Whether the person chose the file themselves (no warning then).
    pub chosen_by_user: bool,
}

/// What `storage migrate` moved.
#[derive(Debug, Default)]
pub struct Moved {
    /// The credentials moved.
    pub ids: Vec<CredentialId>,
    /// The backup of the file as it was.
    pub backup: Option<PathBuf>,
    /// What went wrong after the move (old copies left behind).
    pub notes: Vec<String>,
}

/// lanyard's store in a config dir: the local file with the keyring beside it, and the shared
/// store when `[vault]` is configured.
#[derive(Clone)]
pub struct Store {
    local: Local,
    /// The shared store when `storage = "vault"` (or why it cannot be opened).
    shared: Option<std::result::Result<Shared, Error>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.local.path).finish_non_exhaustive()
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

impl Store {
    /// The store of a config dir, with the OS keyring as its secret backend; a dir that is not
    /// the default one keeps its keyring items apart.
    pub fn new(config_dir: &Path, default: bool) -> Store {
        Store::with_backend(config_dir, Arc::new(backend::Keyring::for_dir(config_dir, default)))
    }

    /// The store of a config dir with another secret backend (tests).
    pub fn with_backend(config_dir: &Path, backend: Arc<dyn SecretBackend>) -> Store {
        let sealed = Arc::new(Sealed::new(config_dir, &SealedConfig::default()));
        Store { local: Local { path: config_dir.join(FILE_NAME), backend, sealed }, shared: None }
    }

    /// The store with its encrypted file opened as configured (`[encrypted]`).
    pub fn sealed(mut self, sealed: Sealed) -> Store {
        self.local.sealed = Arc::new(sealed);
        self
    }

    /// The encrypted file (`storage = "encrypted"`).
    pub fn encrypted(&self) -> &Sealed {
        &self.local.sealed
    }

    /// The store with the shared Vault store beside it (or the reason it cannot be opened, exit 7
    /// at first use: a machine configured for Vault never falls back to a local copy).
    pub fn shared(mut self, vault: Result<Arc<vault::Vault>>) -> Store {
        self.shared = Some(vault.map(|vault| Shared { vault }));
        self
    }

    /// The one place that picks the store serving a credential, from the record's own kind.
    pub fn serving(&self, storage: Storage) -> Result<&dyn CredentialStore> {
        match storage {
            Storage::File | Storage::Keyring | Storage::Encrypted => Ok(&self.local),
            Storage::Vault => match &self.shared {
                Some(Ok(s)) => Ok(s),
                Some(Err(e)) => Err(e.clone()),
                None => Err(Error::storage("the credential is shared in Vault, and Vault is not configured here")
                    .hint("set `storage = \"vault\"` and the `[vault]` table in config.toml")),
            },
        }
    }

    /// The one place that picks where a new credential goes: `--storage`, else the
    /// configuration, else `auto` (the keyring when it answers, else the encrypted file when a
    /// key source is configured, else the plaintext file, saying why).
    pub fn choose(&self, flag: Option<StoragePref>, configured: Option<StoragePref>) -> Result<Chosen> {
        let pref = flag.or(configured).unwrap_or(StoragePref::Auto);
        let chosen_by_user = pref == StoragePref::File;
        let keyring = || self.local.backend.probe();
        match pref {
            StoragePref::File => Ok(Chosen { storage: Storage::File, no_keyring: None, chosen_by_user }),
            StoragePref::Vault => {
                self.serving(Storage::Vault)?;
                Ok(Chosen { storage: Storage::Vault, no_keyring: None, chosen_by_user: true })
            }
            StoragePref::Keyring => match keyring() {
                Ok(()) => Ok(Chosen { storage: Storage::Keyring, no_keyring: None, chosen_by_user }),
                Err(why) => Err(Error::storage(format!("no usable OS keyring: {why}"))
                    .hint("start or unlock the Secret Service (gnome-keyring, KWallet), or use `--storage file`")),
            },
            StoragePref::Encrypted if self.local.sealed.configured() => {
                Ok(Chosen { storage: Storage::Encrypted, no_keyring: None, chosen_by_user: true })
            }
            StoragePref::Encrypted => Err(Error::storage("the encrypted store has no key source").hint(
                "run `lanyard unlock` to choose a passphrase, or set `identity_file` under `[encrypted]` in config.toml",
            )),
            StoragePref::Auto => Ok(match keyring() {
                Ok(()) => Chosen { storage: Storage::Keyring, no_keyring: None, chosen_by_user },
                Err(_) if self.local.sealed.configured() => {
                    Chosen { storage: Storage::Encrypted, no_keyring: None, chosen_by_user }
                }
                Err(why) => Chosen { storage: Storage::File, no_keyring: Some(why), chosen_by_user },
            }),
        }
    }

    /// Where a credential is kept, as messages say it.
    pub fn where_is(&self, record: &Record) -> Where {
        self.where_new(record.storage)
    }

    /// Where a credential of this kind is (or a new one would go: dry runs, login messages).
    pub fn where_new(&self, storage: Storage) -> Where {
        match self.serving(storage) {
            Ok(s) => s.describe(storage),
            Err(_) => Where::Vault { name: "Vault".into(), address: String::new(), path: String::new() },
        }
    }

    /// The live lease of a shared credential (who refreshes it now, until when).
    pub fn lease_holder(&self, id: &CredentialId) -> Option<(String, DateTime<Utc>)> {
        match &self.shared {
            Some(Ok(s)) => s.lease_holder(id, Utc::now()),
            _ => None,
        }
    }

    /// The store file's path.
    pub fn path(&self) -> &Path {
        &self.local.path
    }

    /// Whether the OS keyring answers (`status` asks once for all keyring credentials).
    pub fn keyring_probe(&self) -> std::result::Result<(), String> {
        self.local.backend.probe()
    }

    /// Reads the store (a missing file is an empty store). Unparseable → exit 2 naming file and
    /// line; another user's file → exit 7; group/world-readable → repaired to 0600 with a warning.
    /// A store of version 1 is migrated first, under the lock.
    pub fn load(&self) -> Result<Data> {
        let mut data = match self.local.read()? {
            (data, VERSION) => data,
            _ => self.lock()?.data,
        };
        self.merge_shared(&mut data)?;
        Ok(data)
    }

    /// [`Store::load`] for a command about one credential (`token`, `exec`, `git-credential`):
    /// `account` of `host`, or its active one. Of a shared store, only that credential is read
    /// (SPEC §10: one GET, or a LIST of the host's accounts and one GET).
    pub fn load_one(&self, host: &str, account: Option<&str>) -> Result<Data> {
        let mut data = match self.local.read()? {
            (data, VERSION) => data,
            _ => self.lock()?.data,
        };
        match &self.shared {
            None => {}
            Some(Ok(s)) => s.merge_one(&mut data, host, account)?,
            Some(Err(e)) => return Err(e.clone()),
        }
        Ok(data)
    }

    fn merge_shared(&self, data: &mut Data) -> Result<()> {
        match &self.shared {
            None => Ok(()),
            Some(Ok(s)) => s.merge(data),
            Some(Err(e)) => Err(e.clone()),
        }
    }

    /// Whether this machine's own file has an entry for a credential (for a shared one: whether
    /// this machine logged in or wrote its files before).
    pub fn known_here(&self, id: &CredentialId) -> Result<bool> {
        Ok(self.local.read()?.0.credentials.contains_key(id))
    }

    /// Takes the store's lock and reads this machine's file only (a refresh reads the one shared
    /// credential it refreshes itself).
    pub fn lock_local(&self) -> Result<Locked> {
        let lock = Lock::acquire(&self.local.path)?;
        let (data, version) = self.local.read()?;
        let mut locked = Locked { lock, store: self.clone(), data };
        if version < VERSION {
            locked.migrate(version)?;
        }
        Ok(locked)
    }

    /// Takes the store's lock and reads it, for a read-modify-write.
    pub fn lock(&self) -> Result<Locked> {
        let lock = Lock::acquire(&self.local.path)?;
        let (data, version) = self.local.read()?;
        let mut locked = Locked { lock, store: self.clone(), data };
        if version < VERSION {
            locked.migrate(version)?;
        }
        self.merge_shared(&mut locked.data)?;
        Ok(locked)
    }

    /// A stored credential with its secrets (exit 7 when they cannot be read).
    pub fn open(&self, id: &CredentialId, stored: &Stored) -> Result<Credential> {
        Ok(Credential { record: stored.record.clone(), secrets: self.secrets(id, stored)? })
    }

    /// A stored credential's secrets (exit 7 when they cannot be read).
    pub fn secrets(&self, id: &CredentialId, stored: &Stored) -> Result<Secrets> {
        self.try_secrets(id, stored).map_err(|u| u.into_error(&id.host))
    }

    /// A stored credential's secrets, or why they cannot be read.
    pub fn try_secrets(&self, id: &CredentialId, stored: &Stored) -> std::result::Result<Secrets, Unreadable> {
        match self.serving(stored.record.storage) {
            Ok(s) => s.secrets(id, stored).map(remembered),
            Err(_) if stored.inline.is_some() => Ok(remembered(stored.inline.clone().expect("checked"))),
            Err(_) => Err(Unreadable::NotHere(format!(
                "the credential `{id}` is shared in Vault, and Vault is not configured here"
            ))),
        }
    }

    /// The active credential of a host (or the named account), with its secrets; exit 3 when
    /// there is none.
    pub fn credential(&self, data: &Data, host: &str, account: Option<&str>) -> Result<(CredentialId, Credential)> {
        let (id, stored) = data.find(host, account)?;
        let cred = self.open(&id, stored)?;
        Ok((id, cred))
    }
}

impl Held for Locked {
    fn data(&self) -> &Data {
        &self.data
    }
    fn data_mut(&mut self) -> &mut Data {
        &mut self.data
    }
    fn put(&mut self, host: &str, cred: Credential) -> Result<CredentialId> {
        Locked::put(self, host, cred)
    }
    fn write(&mut self) -> Result<()> {
        Locked::write(self)
    }
    fn known_here(&self, id: &CredentialId) -> Result<bool> {
        self.store.known_here(id)
    }
}

impl Locked {
    /// Stores a credential under its host key and account, replacing that account: its secrets
    /// go where its record says, and a replaced keyring credential's items are removed when the
    /// new one is not kept there. A host's first account becomes active. Returns its id.
    pub fn put(&mut self, host: &str, cred: Credential) -> Result<CredentialId> {
        let Credential { record, secrets } = Credential::new(cred.record, cred.secrets);
        let id = CredentialId::of(host, &record);
        if let Some(old) = self.data.credentials.get(&id).cloned()
            && self.store.where_is(&old.record) != self.store.where_is(&record)
            && !self.store.where_is(&old.record).shared()
        {
            self.store.serving(old.record.storage)?.remove(&id, &old)?;
        }
        let expected = self.data.versions.get(&id).copied().unwrap_or(0);
        let (inline, version) = self.store.serving(record.storage)?.put(&id, &record, secrets, expected)?;
        if version > 0 {
            self.data.versions.insert(id.clone(), version);
        }
        // The active account stays what it was (a host's first account becomes active).
        let before = self.data.active_id(host);
        self.data.credentials.insert(id.clone(), Stored { record, inline });
        self.pin(host, before.map(|b| b.account).unwrap_or_else(|| id.account.clone()));
        Ok(id)
    }

    /// After a logout (SPEC §6, N13): deletes the store's own leftovers that hold one of these
    /// secrets (its backups, among them the format-1 migration's backup, and stale temp files),
    /// and the keyring items an interrupted format-1 migration left under these hosts' old names.
    /// Returns the files deleted.
    pub fn purge_leftovers(&self, removed: &[(CredentialId, Option<Secrets>)]) -> Vec<PathBuf> {
        let mut gone = Vec::new();
        for (id, secrets) in removed {
            let Some(s) = secrets else { continue };
            let held: Vec<&str> = [Some(&s.token), s.refresh_token.as_ref(), s.id_token.as_ref()]
                .into_iter()
                .flatten()
                .map(Secret::expose_secret)
                .collect();
            gone.extend(fsutil::purge_leftovers(&self.lock, &held));
            // Best effort: a keyring that cannot be reached has nothing lanyard could remove now.
            if !self.data.credentials.keys().any(|other| other.host == id.host) {
                let _ = self.store.local.backend.delete_legacy(id);
            }
        }
        gone
    }

    /// Makes an account its host's active one (the caller moves the sinks).
    pub fn activate(&mut self, id: &CredentialId) {
        if self.data.credentials.contains_key(id) {
            self.pin(&id.host, id.account.clone());
        }
    }

    /// Names a host's active account where it has several (one account is implied).
    fn pin(&mut self, host: &str, account: String) {
        if self.data.accounts(host).nth(1).is_some() {
            self.data.active.insert(host.to_string(), account);
        } else {
            self.data.active.remove(host);
        }
    }

    /// Removes a credential and its secrets in the backend; returns what was stored. When it was
    /// active and the host has other accounts, the first of them becomes active.
    pub fn remove(&mut self, id: &CredentialId) -> Result<Option<Stored>> {
        self.remove_with(id, true)
    }

    /// [`Locked::remove`] of this machine's view of a shared credential only: the local shadow
    /// goes, the entry in Vault stays for the other machines.
    pub fn remove_here(&mut self, id: &CredentialId) -> Result<Option<Stored>> {
        self.remove_with(id, false)
    }

    fn remove_with(&mut self, id: &CredentialId, everywhere: bool) -> Result<Option<Stored>> {
        let was_active = self.data.is_active(id);
        let Some(old) = self.data.credentials.remove(id) else { return Ok(None) };
        if everywhere || !self.store.where_is(&old.record).shared() {
            self.store.serving(old.record.storage)?.remove(id, &old)?;
        }
        let next = match self.data.active.get(&id.host) {
            Some(a) if !was_active => Some(a.clone()),
            _ => self.data.accounts(&id.host).next().map(|(i, _)| i.account.clone()),
        };
        match next {
            Some(a) => self.pin(&id.host, a),
            None => {
                self.data.active.remove(&id.host);
            }
        }
        Ok(Some(old))
    }

    /// `storage migrate --to`: moves every credential of this machine's file (shared ones stay in
    /// Vault) to `to`, all or nothing, under the lock: every secret is read first; the file is
    /// backed up (encrypted to the encrypted store's key when the move is to it, so no secret
    /// stays in clear); each secret is written to its new place; only then is the file written
    /// and the old places emptied. A failure before the file is written takes back what was
    /// written and changes nothing. Returns the moved ids, the backup, and warnings.
    pub fn move_all(mut self, to: Storage) -> Result<Moved> {
        let mut moving = Vec::new();
        for (id, stored) in &self.data.credentials {
            if stored.record.storage == to || stored.record.storage == Storage::Vault {
                continue;
            }
            let secrets = self.store.secrets(id, stored).map_err(|e| {
                Error::storage(format!("cannot read the secrets of `{id}` to move them: {}", e.message)).hint(
                    "fix that (see `lanyard status`) and run `lanyard storage migrate` again; nothing was changed",
                )
            })?;
            moving.push((id.clone(), stored.clone(), secrets));
        }
        let mut moved = Moved::default();
        if moving.is_empty() {
            return Ok(moved);
        }
        let store = self.store.clone();
        let target = store.serving(to)?;
        // The file as it was: it may hold secrets in clear (`storage = "file"`).
        let clear = moving.iter().any(|(_, s, _)| s.inline.is_some());
        moved.backup = match (to, clear) {
            (Storage::Encrypted, true) => {
                let bytes = std::fs::read(&self.store.local.path)
                    .map_err(|e| fsutil::io_error("read", &self.store.local.path, e))?;
                let sealed = self.store.local.sealed.seal(&bytes)?;
                let path = self.store.local.path.with_file_name(format!(
                    "{FILE_NAME}.lanyard-backup-{}.age",
                    Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
                ));
                fsutil::write_new_private(&path, &sealed)?;
                Some(path)
            }
            _ => fsutil::backup(&self.lock)?,
        };
        let mut written: Vec<(CredentialId, Stored)> = Vec::new();
        let mut failure = None;
        for (id, stored, secrets) in &moving {
            let mut record = stored.record.clone();
            record.storage = to;
            match target.put(id, &record, secrets.clone(), 0) {
                Ok((inline, _)) => written.push((id.clone(), Stored { record, inline })),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let undo = |written: &[(CredentialId, Stored)]| {
            for (id, s) in written {
                let _ = target.remove(id, s);
            }
        };
        if let Some(e) = failure {
            undo(&written);
            return Err(Error::storage(format!("the move stopped: {}", e.message))
                .hint("fix that and run `lanyard storage migrate` again; nothing was changed"));
        }
        for (id, s) in &written {
            self.data.credentials.insert(id.clone(), s.clone());
        }
        if let Err(e) = self.write() {
            undo(&written);
            return Err(e);
        }
        for (id, old, _) in &moving {
            if let Err(e) = self.store.serving(old.record.storage).and_then(|s| s.remove(id, old)) {
                moved.notes.push(format!("`{id}` moved, but its old copy could not be removed: {}", e.message));
            }
        }
        // A backup that holds the secrets in clear outlives the move only when they go to the
        // plaintext file anyway: moving them into the keyring is moving them out of clear text.
        if clear
            && to == Storage::Keyring
            && let Some(b) = moved.backup.take()
        {
            match std::fs::remove_file(&b) {
                Ok(()) => moved.notes.push(format!(
                    "the backup made for the move held the secrets in clear; it was removed once they were in the keyring ({})",
                    b.display()
                )),
                Err(e) => moved.notes.push(format!("remove {}: it holds the secrets in clear ({e})", b.display())),
            }
        }
        moved.ids = moving.into_iter().map(|(id, _, _)| id).collect();
        Ok(moved)
    }

    /// Version 1 → 2 (SPEC §8), under the lock: a 0600 backup of the old file, the keyring items
    /// copied to their per-account names, the new file written, then the old items deleted. A
    /// keyring that cannot be reached stops it with the file untouched (exit 7).
    fn migrate(&mut self, from: u32) -> Result<()> {
        let moves: Vec<CredentialId> =
            self.data.credentials.iter().filter(|(_, s)| s.inline.is_none()).map(|(id, _)| id.clone()).collect();
        for id in &moves {
            self.store.local.backend.copy_legacy(id).map_err(|e| {
                Error::storage(format!(
                    "`{}` must be migrated from format {from} to {VERSION}, which moves its keyring items, but {}",
                    self.store.local.path.display(),
                    e.message
                ))
                .hint("unlock the keyring and run the command again; nothing was changed")
            })?;
        }
        let backup = fsutil::backup(&self.lock)?;
        self.write()?;
        for id in &moves {
            if let Err(e) = self.store.local.backend.delete_legacy(id) {
                crate::diag::warn(&format!("could not delete the old keyring item of `{}`: {}", id.host, e.message));
            }
        }
        if let Some(b) = backup {
            crate::diag::info(&format!(
                "migrated `{}` to format {VERSION} (one entry per account); the old file is kept at `{}`",
                self.store.local.path.display(),
                b.display()
            ));
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
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::credential::TokenKind;
    use crate::error::Exit;
    use crate::provider::Site;
    use backend::Field;

    fn cred(storage: Storage, refresh: bool) -> Credential {
        let site = Site::parse("git.example.com").unwrap();
        let at = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut r = crate::family::gitea_record(&site, TokenKind::Oauth, at);
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

    const HOST: &str = "git.example.com";

    #[test]
    fn a_move_into_the_keyring_leaves_no_secret_in_clear() {
        let mem = Arc::new(backend::Memory::default());
        let (dir, s) = store(mem.clone());
        let mut locked = s.lock().unwrap();
        locked.put(HOST, cred(Storage::File, true)).unwrap();
        locked.save().unwrap();
        let moved = s.lock().unwrap().move_all(Storage::Keyring).unwrap();
        assert_eq!(moved.ids.len(), 1);
        assert!(moved.backup.is_none(), "{:?}", moved.notes);
        for e in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let text = std::fs::read(e.path()).unwrap_or_default();
            assert!(!String::from_utf8_lossy(&text).contains("tok_verysecretvalue99"), "{}", e.path().display());
        }
        assert_eq!(mem.len(), 2, "token and refresh token in the keyring");
        let data = s.load().unwrap();
        let (id, c) = s.credential(&data, HOST, None).unwrap();
        assert_eq!(c.secrets.token.expose_secret(), "tok_verysecretvalue99", "{id}");
    }

    #[test]
    fn storage_choice() {
        let up = Store::with_backend(Path::new("/nonexistent"), Arc::new(backend::Memory::default()));
        let down =
            Store::with_backend(Path::new("/nonexistent"), Arc::new(backend::Memory::unavailable("no Secret Service")));
        assert_eq!(up.choose(None, None).unwrap().storage, Storage::Keyring);
        let fallback = down.choose(None, None).unwrap();
        assert_eq!(fallback.storage, Storage::File);
        assert!(fallback.no_keyring.unwrap().contains("no Secret Service"));
        assert_eq!(down.choose(Some(StoragePref::Keyring), None).unwrap_err().exit, Exit::Storage);
        let file = up.choose(None, Some(StoragePref::File)).unwrap();
        assert!(file.chosen_by_user && file.storage == Storage::File);
        // Vault without a `[vault]` table: exit 7 before anything is asked.
        assert_eq!(up.choose(Some(StoragePref::Vault), None).unwrap_err().exit, Exit::Storage);
    }

    #[test]
    fn keyring_secrets_never_reach_the_file_and_come_back() {
        let mem = Arc::new(backend::Memory::default());
        let (_d, s) = store(mem.clone());
        let mut l = s.lock().unwrap();
        l.put(HOST, cred(Storage::Keyring, true)).unwrap();
        l.save().unwrap();
        let text = std::fs::read_to_string(s.path()).unwrap();
        assert!(!text.contains("verysecret"), "{text}");
        assert_eq!(mem.len(), 2);
        let data = s.load().unwrap();
        let (_, back) = s.credential(&data, HOST, None).unwrap();
        assert_eq!(back, cred(Storage::Keyring, true));
        // Replacing it with a file credential removes the keyring items.
        let mut l = s.lock().unwrap();
        l.put(HOST, cred(Storage::File, false)).unwrap();
        l.save().unwrap();
        assert!(mem.is_empty());
        assert!(std::fs::read_to_string(s.path()).unwrap().contains("tok_verysecretvalue99"));
    }

    #[test]
    fn an_unreachable_keyring_is_exit_7() {
        let (_d, s) = store(Arc::new(backend::Memory::default()));
        let mut l = s.lock().unwrap();
        l.put(HOST, cred(Storage::Keyring, false)).unwrap();
        l.save().unwrap();
        let data = s.load().unwrap();
        let locked = Store::with_backend(s.path().parent().unwrap(), Arc::new(backend::Memory::unavailable("locked")));
        assert_eq!(locked.credential(&data, HOST, None).unwrap_err().exit, Exit::Storage);
        // An empty backend: the item was removed outside lanyard.
        let empty = Store::with_backend(s.path().parent().unwrap(), Arc::new(backend::Memory::default()));
        assert_eq!(empty.credential(&data, HOST, None).unwrap_err().exit, Exit::Storage);
    }

    fn as_user(mut c: Credential, user: &str, token: &str) -> Credential {
        c.record.user = Some(user.into());
        c.secrets.token = Secret::new(token);
        c
    }

    #[test]
    fn version_2_text_round_trips_with_two_accounts() {
        let (_d, s) = store(Arc::new(backend::Memory::default()));
        let mut l = s.lock().unwrap();
        let at = |mut c: Credential, host: &str| {
            c.record.url = format!("https://{host}");
            c
        };
        l.put("a.example", at(cred(Storage::File, true), "a.example")).unwrap();
        l.put("b.example", at(cred(Storage::Keyring, true), "b.example")).unwrap();
        let alice = as_user(cred(Storage::File, false), "alice@example.com", "tok_alicesecret00000");
        l.put("b.example", at(alice, "b.example")).unwrap();
        let text = l.data.render();
        assert_eq!(Data::parse(&text, Path::new("x")).unwrap(), l.data);
        assert!(text.contains("\"version\": 2") && text.contains("\"alice@example.com@b.example\""), "{text}");
        assert!(!text.contains("\"refresh_token\": \"\""), "no placeholders in version 2: {text}");
        // The first account of a host stays active; the email account is found by the last `@`.
        assert_eq!(l.data.active_id("b.example").unwrap().account, "default");
        assert_eq!(l.data.label(&CredentialId::new("a.example", "default")), "a.example");
        assert_eq!(l.data.label(&CredentialId::new("b.example", "default")), "default@b.example");
        assert_eq!(l.data.find("b.example", Some("nobody")).unwrap_err().exit, Exit::NotLoggedIn);
    }

    #[test]
    fn removing_the_active_account_activates_another() {
        let (_d, s) = store(Arc::new(backend::Memory::default()));
        let mut l = s.lock().unwrap();
        let a = l.put(HOST, as_user(cred(Storage::File, false), "alice", "tok_a_secret_000000000")).unwrap();
        let b = l.put(HOST, as_user(cred(Storage::File, false), "bob", "tok_b_secret_000000000")).unwrap();
        assert!(l.data.is_active(&a) && !l.data.is_active(&b));
        l.remove(&a).unwrap();
        assert!(l.data.is_active(&b));
        l.remove(&b).unwrap();
        assert!(l.data.active.is_empty() && l.data.credentials.is_empty());
        // A host with one account names no active one in the file (it is implied).
        let c = l.put(HOST, as_user(cred(Storage::File, false), "carol", "tok_c_secret_000000000")).unwrap();
        assert!(l.data.is_active(&c) && !l.data.render().contains("\"active\""));
    }

    /// A first-round file: one credential per host, keyring placeholders, items named by host.
    const V1: &str = r#"{
  "version": 1,
  "credentials": {
    "git.example.com": {
      "url": "https://git.example.com", "provider": "gitea", "family": "gitea", "user": "octocat",
      "kind": "pat", "token": "", "refresh_token": "", "storage": "keyring",
      "token_endpoint": "https://git.example.com/token", "created_at": "2026-01-01T00:00:00Z"
    },
    "127.0.0.1:8080": {
      "url": "http://127.0.0.1:8080", "provider": "token", "family": "token",
      "kind": "pat", "token": "tok_inline_secret_0000", "storage": "file", "created_at": "2026-01-01T00:00:00Z"
    }
  },
  "providers": {"git.example.com": "gitea", "open.example": "duh"}
}
"#;

    #[test]
    fn version_1_is_migrated_losslessly_with_a_backup() {
        let mem = Arc::new(backend::Memory::default());
        mem.set_legacy(HOST, Field::Token, "tok_keyring_secret_000");
        mem.set_legacy(HOST, Field::Refresh, "ref_keyring_secret_000");
        let (d, s) = store(mem.clone());
        std::fs::write(s.path(), V1).unwrap();
        let data = s.load().unwrap();
        let text = std::fs::read_to_string(s.path()).unwrap();
        assert!(text.contains("\"version\": 2") && text.contains("octocat@git.example.com"), "{text}");
        let backups: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("credentials.json.lanyard-backup-"))
            .collect();
        assert_eq!(backups.len(), 1);
        assert_eq!(std::fs::read_to_string(backups[0].path()).unwrap(), V1);
        assert_eq!(backups[0].metadata().unwrap().permissions().mode() & 0o777, 0o600);
        // Secrets moved to per-account items; the old ones are gone.
        let (id, c) = s.credential(&data, HOST, None).unwrap();
        assert_eq!(id, CredentialId::new(HOST, "octocat"));
        assert_eq!(c.secrets.token.expose_secret(), "tok_keyring_secret_000");
        assert_eq!(c.secrets.refresh_token.unwrap().expose_secret(), "ref_keyring_secret_000");
        assert_eq!(mem.len(), 2, "only the per-account items remain");
        let (_, inline) = s.credential(&data, "127.0.0.1:8080", None).unwrap();
        assert_eq!(inline.secrets.token.expose_secret(), "tok_inline_secret_0000");
        assert_eq!(data.providers.len(), 2);
        // Read again: nothing more happens.
        assert_eq!(s.load().unwrap(), data);
    }

    #[test]
    fn a_locked_keyring_stops_the_migration_with_the_file_untouched() {
        let (_d, s) = store(Arc::new(backend::Memory::unavailable("locked")));
        std::fs::write(s.path(), V1).unwrap();
        assert_eq!(s.load().unwrap_err().exit, Exit::Storage);
        assert_eq!(std::fs::read_to_string(s.path()).unwrap(), V1);
    }

    #[test]
    fn a_newer_store_is_refused() {
        for text in [r#"{"version": 3}"#, r#"{"version": 3, "leases": {}, "credentials": {"x": []}}"#] {
            let err = Data::parse(text, Path::new("c.json")).unwrap_err();
            assert_eq!(err.exit, Exit::Usage);
            assert!(err.message.contains("format version 3"), "{}", err.message);
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let mut data = Data::default();
        let c = cred(Storage::File, true);
        data.credentials.insert(
            CredentialId::new("h", "default"),
            Stored { record: c.record.clone(), inline: Some(c.secrets.clone()) },
        );
        let d = format!("{data:?} {c:?}");
        assert!(!d.contains("verysecret"), "{d}");
    }
}
