//! lanyard's own credential store (SPEC §5): one JSON file, `<config-dir>/credentials.json`,
//! read without a lock (writes are atomic renames) and changed only under its lock. The file
//! holds every [`Record`]; secrets stay in it for `storage = "file"` and go to a
//! [`SecretBackend`] (the OS keyring) otherwise.

pub mod backend;
mod keyring;
pub mod vault;

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
use crate::sink::record::Sink;
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
    active: BTreeMap<String, String>,
    /// The provider chosen per host, kept after logout.
    pub providers: BTreeMap<String, String>,
    /// The OAuth client id lanyard registered (RFC 7591) per host, reused by later logins.
    pub clients: BTreeMap<String, String>,
    /// The Vault version each shared credential was read at (check-and-set on write).
    pub versions: BTreeMap<CredentialId, u64>,
    /// Entries that were read but cannot be used (a bad account name, a malformed shared entry,
    /// a clash): each is reported by `status` and skipped; the others work (SPEC §6).
    pub problems: Vec<String>,
    /// Entries of the local file that cannot be used, kept as they are and written back
    /// unchanged, so that nothing is lost.
    kept: Vec<Kept>,
}

/// A local entry that does not load (its key or account name breaks SPEC §6's rules), written
/// back unchanged.
#[derive(Clone, PartialEq, Eq)]
struct Kept {
    key: String,
    raw: serde_json::Value,
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
fn is_host_key(h: &str) -> bool {
    !h.is_empty()
        && h != "."
        && h != ".."
        && !h.starts_with('-')
        && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'))
}

/// The store format this lanyard writes.
pub const VERSION: u32 = 2;

/// The file's form. Version 2 keys credentials by `account@host` and names the active account
/// per host; version 1 (the first round) keyed them by host, one per host, with empty
/// placeholders for keyring secrets. Only this module knows either.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireData {
    #[serde(default = "one")]
    version: u32,
    #[serde(default)]
    credentials: Pairs,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    active: BTreeMap<String, String>,
    #[serde(default)]
    providers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    clients: BTreeMap<String, String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    refreshable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    has_id_token: bool,
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

/// The `credentials` object read in file order into a list (no intermediate map: `token` reads
/// the whole store on every call) and written as an object.
#[derive(Default)]
struct Pairs(Vec<(String, WireCredential)>);

impl Serialize for Pairs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Pairs, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of credentials")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> std::result::Result<Pairs, A::Error> {
                let mut v = Vec::with_capacity(m.size_hint().unwrap_or(0));
                while let Some(pair) = m.next_entry()? {
                    v.push(pair);
                }
                Ok(Pairs(v))
            }
        }
        d.deserialize_map(Visit)
    }
}

impl WireCredential {
    fn into_stored(self, key: &str, version: u32) -> std::result::Result<Stored, String> {
        let sinks = self
            .sinks
            .iter()
            .map(|s| Sink::from_wire(s, self.name.as_deref()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| format!("credential `{key}`: {e}"))?;
        // Version 1 marked a keyring secret by an empty placeholder; version 2 by a flag.
        let (refreshable, has_id_token) = match version {
            1 => (self.refresh_token.is_some(), self.id_token.is_some()),
            _ => (self.refreshable || self.refresh_token.is_some(), self.has_id_token || self.id_token.is_some()),
        };
        let record = Record {
            url: self.url,
            provider: self.provider,
            family: self.family,
            // A name stored by an older lanyard may hold a server's escape sequences.
            user: self.user.map(|u| crate::secret::server_text(&u)),
            scopes: self.scopes.iter().map(|s| crate::secret::server_text(s)).collect(),
            kind: self.kind,
            expires_at: self.expires_at,
            refreshable,
            has_id_token,
            issuer: self.issuer,
            name: self.name,
            client_id: self.client_id,
            token_endpoint: self.token_endpoint,
            storage: self.storage,
            sinks,
            created_at: self.created_at,
        };
        let inline = match record.storage {
            Storage::File => Some(Secrets {
                token: self.token.ok_or_else(|| format!("credential `{key}` has no token"))?,
                refresh_token: self.refresh_token,
                id_token: self.id_token,
            }),
            Storage::Keyring => None,
            // In Vault: the secrets; in the local file: a shadow holding this machine's sinks.
            Storage::Vault => {
                self.token.map(|token| Secrets { token, refresh_token: self.refresh_token, id_token: self.id_token })
            }
        };
        Ok(Stored { record, inline })
    }

    fn from_stored(s: &Stored) -> WireCredential {
        let r = &s.record;
        let (token, refresh_token, id_token) = match &s.inline {
            Some(x) => (Some(x.token.clone()), x.refresh_token.clone(), x.id_token.clone()),
            None => (None, None, None),
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
            refreshable: r.refreshable && s.inline.is_none(),
            refresh_token,
            has_id_token: r.has_id_token && s.inline.is_none(),
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
    /// The shared store when `storage = "vault"` (or why it cannot be opened).
    shared: Option<std::result::Result<Arc<vault::Vault>, Error>>,
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

/// A store that parses as JSON but is not a valid store: exit 2 naming the file and the line
/// where `near` (a credential's key) first appears.
fn unparseable(path: &Path, text: &str, near: &str, e: impl std::fmt::Display) -> Error {
    let line = text.find(&format!("\"{near}\"")).map(|at| text[..at].matches('\n').count() + 1).unwrap_or(1);
    Error::usage(format!("`{}` line {line}: {e}", path.display()))
        .hint("fix or move the file; lanyard leaves it untouched")
}

impl Data {
    /// Parses the store's text, of either version; `path` names the file in errors (exit 2 with
    /// the line). Version 1 is read as one active account per host.
    pub fn parse(text: &str, path: &Path) -> Result<Data> {
        Data::parse_versioned(text, path).map(|(d, _)| d)
    }

    fn parse_versioned(text: &str, path: &Path) -> Result<(Data, u32)> {
        let too_new = |version: u32| {
            Error::usage(format!(
                "`{}` has format version {version}, which this lanyard (format {VERSION}) does not know",
                path.display()
            ))
            .hint("upgrade lanyard; the file is left untouched")
        };
        let wire: WireData = serde_json::from_str(text).map_err(|e| {
            // A newer format may have fields this one does not know: say the version, not the field.
            #[derive(Deserialize)]
            struct Version {
                version: u32,
            }
            match serde_json::from_str::<Version>(text) {
                Ok(v) if v.version > VERSION => too_new(v.version),
                _ => Error::usage(format!("`{}` line {}: cannot be parsed: {e}", path.display(), e.line()))
                    .hint("fix or move the file; lanyard leaves it untouched"),
            }
        })?;
        if wire.version == 0 || wire.version > VERSION {
            return Err(too_new(wire.version));
        }
        let mut data = Data { providers: wire.providers, clients: wire.clients, ..Data::default() };
        let mut orphaned_hosts: Vec<String> = Vec::new();
        for (key, c) in wire.credentials.0 {
            // An entry whose account name breaks SPEC §6's rules (an older lanyard stored what a
            // server or a flag said) is kept as it is, reported, and left out; the others work.
            let keep = |data: &mut Data, key: String, c: &WireCredential, why: String| {
                data.problems.push(format!(
                    "`{}` holds a credential `{}` that lanyard cannot use: {why}; it is kept in the file as it is",
                    path.display(),
                    crate::secret::server_text(&key)
                ));
                data.kept.push(Kept { key, raw: serde_json::to_value(c).expect("serializes") });
            };
            if wire.version > 1 {
                match key.rsplit_once('@') {
                    Some((account, host)) if !host.is_empty() => {
                        if let Some(why) = crate::account::account_problem(account) {
                            orphaned_hosts.push(host.to_string());
                            keep(&mut data, key, &c, format!("its account name {why}"));
                            continue;
                        }
                    }
                    _ => {
                        return Err(unparseable(
                            path,
                            text,
                            &key,
                            format!("credential key `{key}` is not ACCOUNT@HOST"),
                        ));
                    }
                }
            }
            let mut stored = c.into_stored(&key, wire.version).map_err(|e| unparseable(path, text, &key, e))?;
            let id = match wire.version {
                1 => {
                    // A host key, as the first round wrote it (never `account@host`).
                    if key.contains('@') {
                        return Err(unparseable(path, text, &key, format!("credential key `{key}` is not a host")));
                    }
                    // A user name that cannot be an account becomes `default` at migration.
                    if let Some(why) = stored.record.user.as_deref().and_then(crate::account::account_problem) {
                        data.problems.push(format!(
                            "the credential of `{key}` had a user name that {why}; it is kept as account `default`"
                        ));
                        stored.record.user = None;
                    }
                    CredentialId::of(&key, &stored.record)
                }
                _ => {
                    let id = CredentialId::parse_owned(key).map_err(|key| {
                        unparseable(path, text, &key, format!("credential key `{key}` is not ACCOUNT@HOST"))
                    })?;
                    if id.account != stored.record.account() {
                        let key = id.to_string();
                        let e = format!("credential `{key}` is the record of account `{}`", stored.record.account());
                        return Err(unparseable(path, text, &key, e));
                    }
                    id
                }
            };
            data.credentials.insert(id, stored);
        }
        if wire.version > 1 {
            data.active = wire.active;
            // A host whose active account was one of the unusable entries falls back to its first.
            let kept: Vec<&str> = data.kept.iter().map(|k| k.key.as_str()).collect();
            data.active.retain(|h, a| !kept.contains(&format!("{a}@{h}").as_str()));
            let several = |data: &Data, h: &str| data.accounts(h).nth(1).is_some();
            let fallbacks: Vec<(String, String)> = orphaned_hosts
                .iter()
                .filter(|h| !data.active.contains_key(*h) && several(&data, h))
                .filter_map(|h| data.accounts(h).next().map(|(first, _)| (h.clone(), first.account.clone())))
                .collect();
            data.active.extend(fallbacks);
        }
        // Every host with several accounts names its active one, and every name is an account.
        // One pass over the ids beside the names (both sorted by host), without allocating or
        // looking anything up: this runs on every `token`.
        let mut named = 0;
        let mut single_named: Vec<String> = Vec::new();
        {
            let mut names = data.active.iter().peekable();
            let mut ids = data.credentials.keys().peekable();
            while let Some(first) = ids.next() {
                let host = first.host.as_str();
                while names.next_if(|(h, _)| h.as_str() < host).is_some() {}
                let name = names.next_if(|(h, _)| h.as_str() == host).map(|(_, a)| a.as_str());
                let (mut n, mut found) = (1, name == Some(first.account.as_str()));
                while let Some(next) = ids.next_if(|i| i.host == host) {
                    n += 1;
                    found |= name == Some(next.account.as_str());
                }
                named += usize::from(found);
                if name.is_none() && n > 1 {
                    let e = format!("host `{host}` has {n} accounts and no active one");
                    return Err(unparseable(path, text, host, e));
                }
                if found && n == 1 {
                    single_named.push(host.to_string());
                }
            }
        }
        if named != data.active.len() {
            let (host, account) = data
                .active
                .iter()
                .find(|(h, a)| !data.credentials.contains_key(&CredentialId::new(h, a)))
                .expect("counted");
            return Err(unparseable(
                path,
                text,
                host,
                format!("host `{host}` has no account `{account}` to be active"),
            ));
        }
        // A host with one account keeps no entry (it is implied).
        for h in single_named {
            data.active.remove(&h);
        }
        Ok((data, wire.version))
    }

    /// The file's text (version 2, pretty JSON, a final newline).
    pub fn render(&self) -> String {
        let wire = WireData {
            version: VERSION,
            credentials: {
                // Written sorted by key, as a map would be.
                let mut v: Vec<(String, WireCredential)> = self
                    .credentials
                    .iter()
                    .map(|(id, s)| {
                        let w = if s.record.storage == Storage::Vault {
                            // The local file keeps a shadow: the record and this machine's sinks.
                            WireCredential::from_stored(&Stored { record: s.record.clone(), inline: None })
                        } else {
                            WireCredential::from_stored(s)
                        };
                        (id.to_string(), w)
                    })
                    .collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                Pairs(v)
            },
            active: self.active.clone(),
            providers: self.providers.clone(),
            clients: self.clients.clone(),
        };
        let mut text = if self.kept.is_empty() {
            serde_json::to_string_pretty(&wire).expect("the store serializes")
        } else {
            // The unusable entries go back as they were read.
            let mut v = serde_json::to_value(&wire).expect("the store serializes");
            if let Some(creds) = v.get_mut("credentials").and_then(|c| c.as_object_mut()) {
                for k in &self.kept {
                    creds.insert(k.key.clone(), k.raw.clone());
                }
            }
            serde_json::to_string_pretty(&v).expect("the store serializes")
        };
        text.push('\n');
        text
    }

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

impl Store {
    /// The store of a config dir, with the OS keyring as its secret backend; a dir that is not
    /// the default one keeps its keyring items apart.
    pub fn new(config_dir: &Path, default: bool) -> Store {
        Store::with_backend(config_dir, Arc::new(backend::Keyring::for_dir(config_dir, default)))
    }

    /// The store of a config dir with another secret backend (tests).
    pub fn with_backend(config_dir: &Path, backend: Arc<dyn SecretBackend>) -> Store {
        Store { path: config_dir.join(FILE_NAME), backend, shared: None }
    }

    /// The store with the shared Vault store beside it (or the reason it cannot be opened, exit 7
    /// at first use: a machine configured for Vault never falls back to a local copy).
    pub fn shared(mut self, vault: Result<Arc<vault::Vault>>) -> Store {
        self.shared = Some(vault);
        self
    }

    /// The shared store, when configured.
    pub fn vault(&self) -> Result<Option<&vault::Vault>> {
        match &self.shared {
            None => Ok(None),
            Some(Ok(v)) => Ok(Some(v.as_ref())),
            Some(Err(e)) => Err(e.clone()),
        }
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
    /// A store of version 1 is migrated first, under the lock.
    pub fn load(&self) -> Result<Data> {
        self.load_only(None)
    }

    /// [`Store::load`] for a command about one host (`token`, `exec`): of a shared store, only that
    /// host's credentials are read (one listing fewer, and none of the others' entries).
    pub fn load_host(&self, host: &str) -> Result<Data> {
        self.load_only(Some(host))
    }

    fn load_only(&self, only: Option<&str>) -> Result<Data> {
        let mut data = match self.read()? {
            (data, VERSION) => data,
            _ => self.lock()?.data,
        };
        self.merge_shared(&mut data, only)?;
        Ok(data)
    }

    /// Adds the credentials of the shared store (all of them, or one host's) to what the local
    /// file holds: Vault has the record and the secrets, the local shadow this machine's sinks.
    pub fn merge_shared(&self, data: &mut Data, only: Option<&str>) -> Result<()> {
        let Some(v) = self.vault()? else { return Ok(()) };
        let hosts: Vec<String> = match only {
            Some(h) => vec![h.to_string()],
            None => v.list(vault::Key::Hosts)?.into_iter().map(|h| h.trim_end_matches('/').to_string()).collect(),
        };
        let shadows: Vec<CredentialId> = data
            .credentials
            .iter()
            .filter(|(id, s)| s.record.storage == Storage::Vault && only.is_none_or(|h| id.host == h))
            .map(|(id, _)| id.clone())
            .collect();
        let mut seen = Vec::new();
        for host in hosts {
            // Names listed by Vault are checked like every other name that enters (SPEC §6): a bad
            // entry, written by any Vault writer, is reported and skipped; the others work.
            if !is_host_key(&host) {
                data.problems.push(format!(
                    "Vault holds a folder `{}/` that is not a host; it is ignored",
                    crate::secret::server_text(&host)
                ));
                continue;
            }
            for account in v.list(vault::Key::Accounts(&host))? {
                if let Some(why) = crate::account::account_problem(&account) {
                    data.problems.push(format!(
                        "Vault holds an entry `{}` under `{host}` whose name {why}; it is ignored",
                        crate::secret::server_text(&account)
                    ));
                    continue;
                }
                let id = CredentialId::new(&host, &account);
                // This machine's own credential with the same id wins here (SPEC §15); the shared
                // one is named so that the clash can be resolved, and neither is touched.
                if let Some(local) = data.credentials.get(&id).filter(|s| s.record.storage != Storage::Vault) {
                    data.problems.push(format!(
                        "`{id}` is both this machine's own credential ({}) and a shared one in Vault; this machine uses its own",
                        local.record.storage.as_str()
                    ));
                    continue;
                }
                let Some(entry) = v.read(vault::Key::Credential(&id.host, &id.account))? else { continue };
                let mut stored = match vault_stored(&entry.data, &id.to_string()) {
                    Ok(s) if s.record.account() == id.account => s,
                    Ok(s) => {
                        data.problems.push(format!(
                            "the shared credential `{id}` in Vault is the record of account `{}`; it is ignored",
                            s.record.account()
                        ));
                        continue;
                    }
                    Err(e) => {
                        data.problems.push(format!("{}; it is ignored", e.message));
                        continue;
                    }
                };
                stored.record.sinks = data.credentials.get(&id).map(|s| s.record.sinks.clone()).unwrap_or_default();
                data.versions.insert(id.clone(), entry.version);
                data.credentials.insert(id.clone(), stored);
                seen.push(id);
            }
        }
        // A shadow whose credential was removed on another machine is gone here too.
        for id in shadows.into_iter().filter(|id| !seen.contains(id)) {
            data.credentials.remove(&id);
        }
        Ok(())
    }

    fn read(&self) -> Result<(Data, u32)> {
        // Opened once without following a symlink, checked, repaired and read through that one
        // descriptor: a file swapped in after a check by path is never the one read.
        let Some((file, m)) = fsutil::open_own(&self.path)? else {
            return Ok((Data::default(), VERSION));
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
        Data::parse_versioned(&text, &self.path)
    }

    /// Whether this machine's own file has an entry for a credential (for a shared one: whether
    /// this machine logged in or wrote its files before).
    pub fn known_here(&self, id: &CredentialId) -> Result<bool> {
        Ok(self.read()?.0.credentials.contains_key(id))
    }

    /// Takes the store's lock and reads it, for a read-modify-write.
    pub fn lock(&self) -> Result<Locked> {
        let lock = Lock::acquire(&self.path)?;
        let (data, version) = self.read()?;
        let mut locked = Locked { lock, store: self.clone(), data };
        if version < VERSION {
            locked.migrate(version)?;
        }
        self.merge_shared(&mut locked.data, None)?;
        Ok(locked)
    }

    /// A stored credential with its secrets: from the file, or read from the backend (exit 7
    /// when it cannot be reached or no longer has them).
    pub fn open(&self, id: &CredentialId, stored: &Stored) -> Result<Credential> {
        Ok(Credential { record: stored.record.clone(), secrets: self.secrets(id, stored)? })
    }

    /// A stored credential's secrets.
    pub fn secrets(&self, id: &CredentialId, stored: &Stored) -> Result<Secrets> {
        let s = self.read_secrets(id, stored)?;
        // Whatever a server echoes back later is stripped of these (SPEC §6).
        for x in [Some(&s.token), s.refresh_token.as_ref(), s.id_token.as_ref()].into_iter().flatten() {
            crate::secret::remember(x);
        }
        Ok(s)
    }

    fn read_secrets(&self, id: &CredentialId, stored: &Stored) -> Result<Secrets> {
        if let Some(s) = &stored.inline {
            return Ok(s.clone());
        }
        if stored.record.storage == Storage::Vault {
            return Err(Error::storage(format!(
                "the credential `{id}` is shared in Vault, and Vault is not configured here"
            ))
            .hint("set `storage = \"vault\"` and the `[vault]` table in config.toml"));
        }
        let r = &stored.record;
        let b = self.backend();
        let token = b.get(id, Field::Token)?.ok_or_else(|| {
            Error::storage(format!("the OS keyring has no token for `{id}` (removed outside lanyard?)"))
                .hint(format!("run `lanyard login {} --force`", id.host))
        })?;
        let refresh_token = if r.refreshable { b.get(id, Field::Refresh)? } else { None };
        let id_token = if r.has_id_token { b.get(id, Field::IdToken)? } else { None };
        Ok(Secrets { token, refresh_token, id_token })
    }

    /// The active credential of a host (or the named account), with its secrets; exit 3 when
    /// there is none.
    pub fn credential(&self, data: &Data, host: &str, account: Option<&str>) -> Result<(CredentialId, Credential)> {
        let (id, stored) = data.find(host, account)?;
        let cred = self.open(&id, stored)?;
        Ok((id, cred))
    }
}

/// A credential as Vault holds it (`{"credential": {…}}`, the store's wire form with secrets).
/// (`refresh` reads it inside its lease.)
/// What Vault keeps of a credential: the record without this machine's sinks, and the secrets.
pub fn vault_body(record: &Record, secrets: &Secrets) -> serde_json::Value {
    let mut shared = Stored { record: record.clone(), inline: Some(secrets.clone()) };
    shared.record.sinks.clear();
    serde_json::json!({ "credential": serde_json::to_value(WireCredential::from_stored(&shared)).expect("serializes") })
}

pub fn vault_stored(data: &serde_json::Value, key: &str) -> Result<Stored> {
    let host = key.rsplit('@').next().unwrap_or(key).to_string();
    let again = move || format!("log in again on one machine: `lanyard login {host} --force`");
    let w: WireCredential =
        serde_json::from_value(data.get("credential").cloned().unwrap_or_default()).map_err(|e| {
            // serde's message quotes the value it met, which may be a token: only where and what.
            Error::storage(format!(
                "the shared credential `{key}` in Vault cannot be read: not lanyard's credential format ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
            .hint(again())
        })?;
    let s = w.into_stored(key, VERSION).map_err(|e| Error::storage(e).hint(again()))?;
    if s.inline.is_none() || s.record.storage != Storage::Vault {
        return Err(Error::storage(format!("the shared credential `{key}` in Vault has no secrets")).hint(again()));
    }
    Ok(s)
}

/// The error for a key with no credential.
pub fn not_logged_in(key: &str) -> Error {
    not_logged_in_with(key, &format!("lanyard login {key}"))
}

/// [`not_logged_in`] with the login command that works for that host.
fn not_logged_in_with(key: &str, login: &str) -> Error {
    Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}`")).hint(format!("run `{login}`"))
}

impl Locked {
    /// Stores a credential under its host key and account, replacing that account: its secrets
    /// go into the file or the backend as its record says, and a replaced keyring credential's
    /// items are removed when the new one is not kept there. A host's first account becomes
    /// active. Returns the credential's id.
    pub fn put(&mut self, host: &str, cred: Credential) -> Result<CredentialId> {
        let Credential { record, secrets } = Credential::new(cred.record, cred.secrets);
        let id = CredentialId::of(host, &record);
        if let Some(old) = self.data.credentials.get(&id)
            && old.record.storage == Storage::Keyring
            && record.storage != Storage::Keyring
        {
            self.forget(&id, &old.clone())?;
        }
        let inline = match record.storage {
            Storage::File => Some(secrets),
            Storage::Vault => {
                let v = self.store.vault()?.ok_or_else(|| {
                    Error::storage("storage is \"vault\" but no `[vault]` store is configured")
                        .hint("set `storage = \"vault\"` and the `[vault]` table in config.toml")
                })?;
                let body = vault_body(&record, &secrets);
                let cas = self.data.versions.get(&id).copied().unwrap_or(0);
                match v.write(vault::Key::Credential(&id.host, &id.account), &body, cas)? {
                    vault::Written::Version(n) => {
                        self.data.versions.insert(id.clone(), n);
                    }
                    vault::Written::Conflict => return Err(vault::conflict(&format!("`{id}`"))),
                }
                Some(secrets)
            }
            Storage::Keyring => {
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
                let _ = self.store.backend().delete_legacy(id);
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
        if everywhere || old.record.storage != Storage::Vault {
            self.forget(id, &old)?;
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

    fn forget(&self, id: &CredentialId, stored: &Stored) -> Result<()> {
        if stored.record.storage == Storage::Vault {
            if let Some(v) = self.store.vault()? {
                v.delete(vault::Key::Credential(&id.host, &id.account))?;
            }
            return Ok(());
        }
        if stored.in_keyring() {
            for f in [Field::Token, Field::Refresh, Field::IdToken] {
                self.store.backend().delete(id, f)?;
            }
        }
        Ok(())
    }

    /// Version 1 → 2 (SPEC §8), under the lock: a 0600 backup of the old file, the keyring items
    /// copied to their per-account names, the new file written, then the old items deleted. A
    /// keyring that cannot be reached stops it with the file untouched (exit 7).
    fn migrate(&mut self, from: u32) -> Result<()> {
        let moves: Vec<CredentialId> =
            self.data.credentials.iter().filter(|(_, s)| s.in_keyring()).map(|(id, _)| id.clone()).collect();
        for id in &moves {
            self.store.backend().copy_legacy(id).map_err(|e| {
                Error::storage(format!(
                    "`{}` must be migrated from format {from} to {VERSION}, which moves its keyring items, but {}",
                    self.store.path.display(),
                    e.message
                ))
                .hint("unlock the keyring and run the command again; nothing was changed")
            })?;
        }
        let backup = fsutil::backup(&self.lock)?;
        self.write()?;
        for id in &moves {
            if let Err(e) = self.store.backend().delete_legacy(id) {
                crate::ui::warn(&format!("could not delete the old keyring item of `{}`: {}", id.host, e.message));
            }
        }
        if let Some(b) = backup {
            crate::ui::say(&format!(
                "migrated `{}` to format {VERSION} (one entry per account); the old file is kept at `{}`",
                self.store.path.display(),
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

    const HOST: &str = "git.example.com";

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
