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
}

/// The OS keyring (Secret Service, macOS Keychain). Items of store version 1 are named by host:
/// `host[:port]/field` in service `lanyard`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keyring;

impl SecretBackend for Keyring {
    fn probe(&self) -> std::result::Result<(), String> {
        super::keyring::probe()
    }
    fn get(&self, id: &CredentialId, field: Field) -> Result<Option<Secret>> {
        super::keyring::get(&id.host, field)
    }
    fn set(&self, id: &CredentialId, field: Field, secret: &Secret) -> Result<()> {
        super::keyring::set(&id.host, field, secret)
    }
    fn delete(&self, id: &CredentialId, field: Field) -> Result<()> {
        super::keyring::delete(&id.host, field)
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
        Ok(self.items.lock().expect("not poisoned").get(&(id.host.clone(), field.as_str())).cloned())
    }
    fn set(&self, id: &CredentialId, field: Field, secret: &Secret) -> Result<()> {
        self.check()?;
        self.items.lock().expect("not poisoned").insert((id.host.clone(), field.as_str()), secret.clone());
        Ok(())
    }
    fn delete(&self, id: &CredentialId, field: Field) -> Result<()> {
        self.check()?;
        self.items.lock().expect("not poisoned").remove(&(id.host.clone(), field.as_str()));
        Ok(())
    }
}
