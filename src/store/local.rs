//! This machine's own store: the records in `credentials.json`, and each credential's secrets
//! inline in that file (`storage = "file"`) or in the OS keyring through a [`SecretBackend`].
//! The refresh guard is the file's lock.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;

use super::backend::{Field, SecretBackend};
use super::data::{Data, Stored};
use super::sealed::Sealed;
use super::seam::{Clock, CredentialStore, Held, RefreshGuard, Unreadable, Where, remembered};
use crate::credential::{Credential, CredentialId, Record, Secrets, Storage};
use crate::error::Result;
use crate::fsutil;

/// The local file and the keyring beside it.
#[derive(Clone)]
pub struct Local {
    pub(super) path: PathBuf,
    pub(super) backend: Arc<dyn SecretBackend>,
    pub(super) sealed: Arc<Sealed>,
}

impl Local {
    /// Reads the file (a missing file is an empty store) and the format version it had.
    pub(super) fn read(&self) -> Result<(Data, u32)> {
        // Opened once without following a symlink, checked, repaired and read through that one
        // descriptor: a file swapped in after a check by path is never the one read.
        let Some((file, m)) = fsutil::open_own(&self.path)? else {
            return Ok((Data::default(), super::VERSION));
        };
        if m.permissions().mode() & 0o077 != 0 {
            crate::diag::warn(&format!(
                "`{}` was readable by others (mode {:o}); set it to 0600 — rotate its tokens if someone else could read it",
                self.path.display(),
                m.permissions().mode() & 0o777
            ));
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| fsutil::io_error("set the mode of", &self.path, e))?;
        }
        let text = fsutil::read_text(file, &self.path)?;
        Data::parse_versioned(&text, &self.path)
    }

    /// Where a credential of this kind keeps its secrets outside the file (none: inline).
    fn holder(&self, storage: Storage) -> Option<&dyn SecretBackend> {
        match storage {
            Storage::Keyring => Some(self.backend.as_ref()),
            Storage::Encrypted => Some(self.sealed.as_ref()),
            Storage::File | Storage::Vault => None,
        }
    }
}

impl CredentialStore for Local {
    fn describe(&self, storage: Storage) -> Where {
        match storage {
            Storage::Keyring => Where::Keyring { file: self.path.clone() },
            Storage::Encrypted => Where::Encrypted { path: self.sealed.path().to_path_buf(), file: self.path.clone() },
            Storage::File | Storage::Vault => Where::File { path: self.path.clone() },
        }
    }

    fn secrets(&self, id: &CredentialId, stored: &Stored) -> std::result::Result<Secrets, Unreadable> {
        if let Some(s) = &stored.inline {
            return Ok(s.clone());
        }
        let r = &stored.record;
        let Some(b) = self.holder(r.storage) else {
            return Err(Unreadable::Gone(format!(
                "lanyard's file has no secrets for `{id}` (edited outside lanyard?)"
            )));
        };
        let field = |f: Field| b.get(id, f).map_err(Unreadable::Locked);
        let token = field(Field::Token)?.ok_or_else(|| {
            let place = if r.storage == Storage::Encrypted { "the encrypted file" } else { "the OS keyring" };
            Unreadable::Gone(format!("{place} has no token for `{id}` (removed outside lanyard?)"))
        })?;
        let refresh_token = if r.refreshable { field(Field::Refresh)? } else { None };
        let id_token = if r.has_id_token { field(Field::IdToken)? } else { None };
        Ok(Secrets { token, refresh_token, id_token })
    }

    fn put(
        &self,
        id: &CredentialId,
        record: &Record,
        secrets: Secrets,
        _expected: u64,
    ) -> Result<(Option<Secrets>, u64)> {
        match self.holder(record.storage) {
            Some(b) => {
                b.set(id, Field::Token, &secrets.token)?;
                for (field, slot) in [(Field::Refresh, &secrets.refresh_token), (Field::IdToken, &secrets.id_token)] {
                    match slot {
                        Some(s) => b.set(id, field, s)?,
                        None => b.delete(id, field)?,
                    }
                }
                Ok((None, 0))
            }
            None => Ok((Some(secrets), 0)),
        }
    }

    fn remove(&self, id: &CredentialId, stored: &Stored) -> Result<()> {
        match (self.holder(stored.record.storage), &stored.inline) {
            (Some(b), None) => {
                for f in [Field::Token, Field::Refresh, Field::IdToken] {
                    b.delete(id, f)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn begin_refresh<'s>(
        &'s self,
        held: &'s mut dyn Held,
        id: &CredentialId,
        seen: &Stored,
        _clock: &'s dyn Clock,
    ) -> Result<Box<dyn RefreshGuard + 's>> {
        Ok(Box::new(FileGuard { local: self, held, id: id.clone(), seen: seen.clone() }))
    }
}

/// A refresh of a local credential: the store's lock is held from the re-read to the write.
struct FileGuard<'s> {
    local: &'s Local,
    held: &'s mut dyn Held,
    id: CredentialId,
    seen: Stored,
}

impl RefreshGuard for FileGuard<'_> {
    fn current(&mut self) -> Result<Option<(Credential, bool)>> {
        let Some(current) = self.held.data().credentials.get(&self.id).cloned() else { return Ok(None) };
        let changed = current != self.seen;
        let secrets = self.local.secrets(&self.id, &current).map_err(|u| u.into_error(&self.id.host))?;
        Ok(Some((Credential { record: current.record, secrets: remembered(secrets) }, changed)))
    }

    fn commit(&mut self, next: Credential) -> Result<Credential> {
        self.held.put(&self.id.host, next.clone())?;
        self.held.write()?;
        Ok(next)
    }

    fn keep(&mut self, cred: Credential, _refreshed: bool) -> Result<Credential> {
        Ok(cred)
    }
}
