//! The store's file format (versions 1 and 2) and the form a shared credential takes in Vault.
//! Only this module knows either; the rest of lanyard sees [`Data`] and [`Stored`].

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::data::{Data, Kept, Stored};
use crate::credential::{Credential, CredentialId, Record, Secrets, Storage, TokenKind};
use crate::error::{Error, Result};
use crate::provider::Family;
use crate::secret::Secret;
use crate::sink::record::Sink;

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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    registries: BTreeMap<String, String>,
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
            Storage::Keyring | Storage::Encrypted => None,
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

    pub(super) fn parse_versioned(text: &str, path: &Path) -> Result<(Data, u32)> {
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
        let mut data =
            Data { providers: wire.providers, clients: wire.clients, registries: wire.registries, ..Data::default() };
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
            registries: self.registries.clone(),
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
}

/// A credential with its secrets in the store's wire form (`{"credential": {…}}`, sinks kept):
/// what the agent hands its clients.
pub fn credential_json(cred: &Credential) -> serde_json::Value {
    let s = Stored { record: cred.record.clone(), inline: Some(cred.secrets.clone()) };
    serde_json::json!({ "credential": serde_json::to_value(WireCredential::from_stored(&s)).expect("serializes") })
}

/// The credential [`credential_json`] wrote, for `key` (`account@host`).
pub fn credential_from_json(data: &serde_json::Value, key: &str) -> std::result::Result<Credential, String> {
    let w: WireCredential = serde_json::from_value(data.get("credential").cloned().unwrap_or_default())
        .map_err(|e| format!("not a credential ({:?} error)", e.classify()))?;
    let secrets = Secrets {
        token: w.token.clone().ok_or("no token")?,
        refresh_token: w.refresh_token.clone(),
        id_token: w.id_token.clone(),
    };
    Ok(Credential { record: w.into_stored(key, VERSION)?.record, secrets })
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
