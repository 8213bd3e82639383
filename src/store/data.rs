//! The store's content as commands use it: every account of every host, which one is active,
//! the providers and registered clients remembered, and what could not be used.

use std::collections::BTreeMap;

use crate::credential::{CredentialId, Record, Secrets};
use crate::error::{Error, Exit, Result};
use crate::secret::Secret;

/// One stored credential: its record, and its secrets when they live in this file
/// (`storage = "file"`); a keyring credential's secrets are read through the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Everything but the secrets.
    pub record: Record,
    pub(super) inline: Option<Secrets>,
}

impl Stored {
    /// A shared credential as read from Vault (its secrets in memory only; the local file keeps
    /// the record and this machine's sinks).
    pub fn shared(record: Record, secrets: Secrets) -> Stored {
        Stored { record, inline: Some(secrets) }
    }

    /// The access token when it is kept in the file (for a masked display, without a copy).
    pub fn inline_token(&self) -> Option<&Secret> {
        self.inline.as_ref().map(|s| &s.token)
    }
}

/// The store's content (SPEC §8): every account of every host, which account of each host is
/// active, and the provider chosen per host.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Data {
    /// Credentials by host and account.
    pub credentials: BTreeMap<CredentialId, Stored>,
    /// The active account of each host with several accounts (a host with one account has that
    /// one active, implied): the one its sinks hold and `token HOST` answers with. Read through
    /// [`Data::active_id`]; changed only by [`Locked`].
    pub(super) active: BTreeMap<String, String>,
    /// The provider chosen per host, kept after logout.
    pub providers: BTreeMap<String, String>,
    /// The OAuth client id lanyard registered (RFC 7591) per host, reused by later logins.
    pub clients: BTreeMap<String, String>,
    /// Registries set up by hand (`setup-docker REGISTRY --from TARGET`): registry host key →
    /// the host key whose credential answers it.
    pub registries: BTreeMap<String, String>,
    /// The Vault version each shared credential was read at (check-and-set on write).
    pub versions: BTreeMap<CredentialId, u64>,
    /// Entries that were read but cannot be used (a bad account name, a malformed shared entry,
    /// a clash): each is reported by `status` and skipped; the others work (SPEC §6).
    pub problems: Vec<String>,
    /// Entries of the local file that cannot be used, kept as they are and written back
    /// unchanged, so that nothing is lost.
    pub(super) kept: Vec<Kept>,
}

/// A local entry that does not load (its key or account name breaks SPEC §6's rules), written
/// back unchanged.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Kept {
    pub(super) key: String,
    pub(super) raw: serde_json::Value,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The raw entry may hold a token.
        f.debug_struct("Kept").field("key", &self.key).finish_non_exhaustive()
    }
}

/// An issuer as the key of its registered client: without scheme and trailing `/`.
fn client_key(issuer: &str) -> String {
    let bare = issuer.split_once("://").map(|(_, rest)| rest).unwrap_or(issuer);
    bare.trim_end_matches('/').to_string()
}

/// Whether a name is a host key lanyard could have written (`host`, `host:port`, `[v6]:port`).
pub(super) fn is_host_key(h: &str) -> bool {
    !h.is_empty()
        && h != "."
        && h != ".."
        && !h.starts_with('-')
        && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'))
}

impl Data {
    /// Every host with at least one account, in order.
    pub fn hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self.credentials.keys().map(|id| id.host.clone()).collect();
        hosts.dedup();
        hosts
    }

    /// The accounts of a host, in order.
    pub fn accounts<'a>(&'a self, host: &'a str) -> impl Iterator<Item = (&'a CredentialId, &'a Stored)> + 'a {
        self.credentials.range(CredentialId::new(host, "")..).take_while(move |(id, _)| id.host == host)
    }

    /// The active account's id of a host: the one named, else its only (first) account.
    pub fn active_id(&self, host: &str) -> Option<CredentialId> {
        match self.active.get(host) {
            Some(a) => Some(CredentialId::new(host, a)),
            None => self.accounts(host).next().map(|(id, _)| id.clone()),
        }
    }

    /// The active account this machine's file names for a host: its `active` entry, or its only
    /// account when it has just one (without looking at any shared store).
    pub fn named_active(&self, host: &str) -> Option<CredentialId> {
        match self.active.get(host) {
            Some(a) => Some(CredentialId::new(host, a)),
            None => {
                let mut accounts = self.accounts(host);
                match (accounts.next(), accounts.next()) {
                    (Some((only, _)), None) => Some(only.clone()),
                    _ => None,
                }
            }
        }
    }

    /// Whether a credential is its host's active account.
    pub fn is_active(&self, id: &CredentialId) -> bool {
        match self.active.get(&id.host) {
            Some(a) => *a == id.account,
            None => self.accounts(&id.host).next().is_some_and(|(first, _)| first == id),
        }
    }

    /// The active credential of a host.
    pub fn active(&self, host: &str) -> Option<(CredentialId, &Stored)> {
        let id = self.active_id(host)?;
        let s = self.credentials.get(&id)?;
        Some((id, s))
    }

    /// The credential a command names: `account` of `host`, or the host's active one. Exit 3
    /// when there is none, listing the host's accounts when another was asked for.
    pub fn find(&self, host: &str, account: Option<&str>) -> Result<(CredentialId, &Stored)> {
        let Some(account) = account else {
            return self.active(host).ok_or_else(|| not_logged_in_with(host, &self.login_command(host)));
        };
        let id = CredentialId::new(host, account);
        match self.credentials.get(&id) {
            Some(s) => Ok((id, s)),
            None => {
                let known: Vec<&str> = self.accounts(host).map(|(i, _)| i.account.as_str()).collect();
                let err = Error::new(Exit::NotLoggedIn, format!("no account `{account}` on `{host}`"));
                Err(if known.is_empty() {
                    err.hint(format!("run `lanyard login {host}`"))
                } else {
                    err.hint(format!(
                        "{host} has {}; run `lanyard login {host}` to add `{account}`",
                        known.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                    ))
                })
            }
        }
    }

    /// The login that works for a host with no credential: a server lanyard remembers (an open
    /// duh, one logged out of) on this machine speaks plain http there, which a bare host would
    /// not try (issue 23, items 14, 21).
    pub fn login_command(&self, host: &str) -> String {
        let loopback = crate::provider::Site::parse(host).is_ok_and(|s| crate::provider::site::is_loopback(&s.host));
        if self.providers.contains_key(host) && loopback {
            format!("lanyard login http://{host}")
        } else {
            format!("lanyard login {host}")
        }
    }

    /// How messages name a credential: the host alone while it has one account, else
    /// `account@host`.
    pub fn label(&self, id: &CredentialId) -> String {
        if self.accounts(&id.host).nth(1).is_some() { id.to_string() } else { id.host.clone() }
    }

    /// The OAuth client lanyard registered with an issuer (RFC 7591). Registrations are kept per
    /// issuer, written without its scheme (`host[:port][/path]`): two OpenID realms on one host
    /// each have their own client (N12), and an issuer at a host's root keeps the host key the
    /// stores of earlier rounds used.
    pub fn client(&self, issuer: &str) -> Option<&str> {
        self.clients.get(&client_key(issuer)).map(String::as_str)
    }

    /// Remembers the client registered with an issuer.
    pub fn remember_client(&mut self, issuer: &str, client_id: &str) {
        self.clients.insert(client_key(issuer), client_id.to_string());
    }

    /// Every record (for "is this file ours" checks).
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.credentials.values().map(|s| &s.record)
    }
}

/// The error for a key with no credential.
pub fn not_logged_in(key: &str) -> Error {
    not_logged_in_with(key, &format!("lanyard login {key}"))
}

/// [`not_logged_in`] with the login command that works for that host.
pub(super) fn not_logged_in_with(key: &str, login: &str) -> Error {
    Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}`")).hint(format!("run `{login}`"))
}
