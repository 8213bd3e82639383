//! Where secrets live when they are not in lanyard's file: one trait, the OS keyring behind it,
//! and an in-memory backend so the store's keyring logic is tested without a Secret Service.
//! (`storage = "file"` keeps the secrets inline in the store's record and needs no backend.)

#[cfg(test)]
use std::collections::HashMap;
#[cfg(test)]
use std::sync::Mutex;

use crate::credential::CredentialId;
#[cfg(test)]
use crate::error::Error;
use crate::error::Result;
use crate::secret::Secret;

pub use super::keyring::Field;

/// A place that keeps secrets by credential and field. "Missing" is `Ok(None)`; "cannot be
/// reached" (locked, no service, timed out) is an error with exit 7.
pub trait SecretBackend: Send + Sync {
    /// Whether it can be used now; `Err` says why not.
    fn probe(&self) -> std::result::Result<(), String>;
    /// One secret of a credential.
    fn get(&self, id: &CredentialId, field: Field) -> Result<Option<Secret>>;
    /// Stores one secret.
    fn set(&self, id: &CredentialId, field: Field, secret: &Secret) -> Result<()>;
    /// Deletes one secret; a missing one is fine.
    fn delete(&self, id: &CredentialId, field: Field) -> Result<()>;
    /// Store version 1 → 2: copies the secrets a first-round lanyard kept under the host's name
    /// to the account's names (missing ones are skipped).
    fn copy_legacy(&self, _id: &CredentialId) -> Result<()> {
        Ok(())
    }
    /// Deletes the first-round items of a host once the store no longer names them.
    fn delete_legacy(&self, _id: &CredentialId) -> Result<()> {
        Ok(())
    }
}

const FIELDS: [Field; 3] = [Field::Token, Field::Refresh, Field::IdToken];

/// The OS keyring (Secret Service, macOS Keychain). Items are named `account@host[:port]/field`
/// in service `lanyard`; store version 1 named them `host[:port]/field`. A store in another
/// config dir than the default one names its items `cfg-HASH/account@host[:port]/field`, HASH
/// standing for that dir: two config dirs holding the same account never overwrite or delete
/// each other's secrets (N17), and the default dir keeps the names it always had.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    namespace: Option<String>,
}

impl Keyring {
    /// The keyring of the store in `config_dir`; `default` when it is the default config dir.
    pub fn for_dir(config_dir: &std::path::Path, default: bool) -> Keyring {
        let hash = crate::fsutil::path_hash(config_dir);
        Keyring { namespace: (!default).then(|| format!("cfg-{hash:016x}")) }
    }

    fn name(&self, id: &CredentialId) -> String {
        match &self.namespace {
            Some(n) => format!("{n}/{id}"),
            None => id.to_string(),
        }
    }
}

impl SecretBackend for Keyring {
    fn probe(&self) -> std::result::Result<(), String> {
        super::keyring::probe()
    }
    fn get(&self, id: &CredentialId, field: Field) -> Result<Option<Secret>> {
        let name = self.name(id);
        let found = super::keyring::get(&name, field)?;
        if found.is_some() || self.namespace.is_none() {
            return Ok(found);
        }
        // Whether a dir is the default one depends on HOME and XDG_CONFIG_HOME, which differ
        // between a login and a later run (cron, `sudo -u`, a script passing `--config-dir`): an
        // item written under the plain name is found there and copied to this dir's name, so no
        // secret is lost; new writes go to this dir's name only (N17).
        let plain = id.to_string();
        let legacy = super::keyring::get(&plain, field)?;
        if let Some(s) = &legacy {
            super::keyring::set(&name, field, s)?;
        }
        Ok(legacy)
    }
    fn set(&self, id: &CredentialId, field: Field, secret: &Secret) -> Result<()> {
        super::keyring::set(&self.name(id), field, secret)
    }
    fn delete(&self, id: &CredentialId, field: Field) -> Result<()> {
        super::keyring::delete(&self.name(id), field)
    }
    fn copy_legacy(&self, id: &CredentialId) -> Result<()> {
        for f in FIELDS {
            if let Some(s) = super::keyring::get(&id.host, f)? {
                super::keyring::set(&self.name(id), f, &s)?;
            }
        }
        Ok(())
    }
    fn delete_legacy(&self, id: &CredentialId) -> Result<()> {
        for f in FIELDS {
            super::keyring::delete(&id.host, f)?;
        }
        Ok(())
    }
}

/// Secrets in this process's memory: for tests of the store's keyring paths.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Memory {
    items: Mutex<HashMap<(String, &'static str), Secret>>,
    down: Option<String>,
}

#[cfg(test)]
impl Memory {
    /// A backend that refuses every call, as a locked keyring does.
    pub fn unavailable(why: &str) -> Memory {
        Memory { items: Mutex::default(), down: Some(why.to_string()) }
    }

    fn check(&self) -> Result<()> {
        match &self.down {
            Some(why) => Err(Error::storage(format!("the OS keyring cannot be used: {why}"))
                .hint("unlock the keyring, or use `--storage file`")),
            None => Ok(()),
        }
    }

    /// Stores a secret under a first-round (host-named) item, as a version-1 store left it.
    pub fn set_legacy(&self, host: &str, field: Field, secret: &str) {
        self.items.lock().expect("not poisoned").insert((host.to_string(), field.as_str()), Secret::new(secret));
    }

    /// How many secrets it holds.
    pub fn len(&self) -> usize {
        self.items.lock().expect("not poisoned").len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
impl SecretBackend for Memory {
    fn probe(&self) -> std::result::Result<(), String> {
        self.check().map_err(|e| e.message)
    }
    fn get(&self, id: &CredentialId, field: Field) -> Result<Option<Secret>> {
        self.check()?;
        Ok(self.items.lock().expect("not poisoned").get(&(id.to_string(), field.as_str())).cloned())
    }
    fn set(&self, id: &CredentialId, field: Field, secret: &Secret) -> Result<()> {
        self.check()?;
        self.items.lock().expect("not poisoned").insert((id.to_string(), field.as_str()), secret.clone());
        Ok(())
    }
    fn delete(&self, id: &CredentialId, field: Field) -> Result<()> {
        self.check()?;
        self.items.lock().expect("not poisoned").remove(&(id.to_string(), field.as_str()));
        Ok(())
    }
    fn copy_legacy(&self, id: &CredentialId) -> Result<()> {
        self.check()?;
        let mut items = self.items.lock().expect("not poisoned");
        for f in FIELDS {
            if let Some(s) = items.get(&(id.host.clone(), f.as_str())).cloned() {
                items.insert((id.to_string(), f.as_str()), s);
            }
        }
        Ok(())
    }
    fn delete_legacy(&self, id: &CredentialId) -> Result<()> {
        self.check()?;
        let mut items = self.items.lock().expect("not poisoned");
        for f in FIELDS {
            items.remove(&(id.host.clone(), f.as_str()));
        }
        Ok(())
    }
}
