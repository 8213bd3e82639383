//! The credential model: who a credential belongs to ([`CredentialId`]), what lanyard keeps about
//! it without any secret ([`Record`]: also the recipe a re-login follows), the secrets themselves
//! ([`Secrets`]) and the one decision whether it is still fresh ([`freshness`]).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::provider::{Family, Site};
use crate::secret::Secret;
use crate::sink::record::Sink;

/// What kind of secret a credential holds (decides headers and Nix's GitLab prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// A pasted personal access token.
    Pat,
    /// An OAuth access token from a device flow.
    Oauth,
    /// An API key (duh's `X-API-Key`).
    ApiKey,
    /// A session JWT obtained with a password.
    Jwt,
    /// A user name and password.
    Basic,
}

/// Where a credential's secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// In lanyard's credentials file (plaintext, 0600).
    File,
    /// In the OS keyring (Secret Service, macOS Keychain).
    Keyring,
    /// Record and secrets in Vault/OpenBao KV v2, shared by every machine configured with the path.
    Vault,
    /// In lanyard's age-encrypted file `secrets.age` (the record in credentials.json).
    Encrypted,
}

impl Storage {
    /// The name shown by `status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::File => "file",
            Storage::Keyring => "keyring",
            Storage::Vault => "vault",
            Storage::Encrypted => "encrypted",
        }
    }
}

/// Which credential: a host key (`host[:port]`) and the account on it (SPEC §8): the user name
/// the server reported (`default` when it reports none). Written `account@host`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CredentialId {
    /// `host[:port]`, the store key.
    pub host: String,
    /// The account name.
    pub account: String,
}

impl CredentialId {
    /// An id from its parts.
    pub fn new(host: &str, account: &str) -> CredentialId {
        CredentialId { host: host.to_string(), account: account.to_string() }
    }

    /// [`CredentialId::parse`] of an owned string, reusing it for the account; the string back
    /// when it is not `account@host`.
    pub fn parse_owned(mut text: String) -> std::result::Result<CredentialId, String> {
        match text.rfind('@') {
            Some(at) if at > 0 && at + 1 < text.len() => {
                let host = text[at + 1..].to_string();
                text.truncate(at);
                Ok(CredentialId { host, account: text })
            }
            _ => Err(text),
        }
    }

    /// Reads `account@host` (the last `@` separates: an account may be an email address).
    pub fn parse(text: &str) -> Option<CredentialId> {
        let (account, host) = text.rsplit_once('@')?;
        (!account.is_empty() && !host.is_empty()).then(|| CredentialId::new(host, account))
    }

    /// The id of a stored record under a host key.
    pub fn of(host: &str, record: &Record) -> CredentialId {
        CredentialId { host: host.to_string(), account: record.account().to_string() }
    }
}

impl std::fmt::Display for CredentialId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.account, self.host)
    }
}

/// What lanyard keeps about a credential besides its secrets. It is also the recipe of the login
/// that made it: URL with scheme, provider, client id, scopes, registry name, sinks and token
/// endpoint, so that `lanyard login HOST` repeats it with nothing else typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The server's origin, `https://host[:port]` (or `http://` for loopback).
    pub url: String,
    /// The provider id it was logged in with.
    pub provider: String,
    /// The provider's protocol family.
    pub family: Family,
    /// The account name the server reported.
    pub user: Option<String>,
    /// Scopes the server reported or granted.
    pub scopes: Vec<String>,
    /// What kind of secret the access token is.
    pub kind: TokenKind,
    /// When the access token expires, when known.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether a refresh token is held.
    pub refreshable: bool,
    /// Whether an OpenID ID token is held.
    pub has_id_token: bool,
    /// The OpenID issuer (oidc family), for discovery when checking the token.
    pub issuer: Option<String>,
    /// The registry name a duumbi token is filed under in duumbi's credentials.toml.
    pub name: Option<String>,
    /// The OAuth client id used, for refresh and re-login.
    pub client_id: Option<String>,
    /// The token endpoint used, for refresh.
    pub token_endpoint: Option<String>,
    /// Where the secrets are kept.
    pub storage: Storage,
    /// Files (other than the store) the token was written to.
    pub sinks: Vec<Sink>,
    /// When the login happened.
    pub created_at: DateTime<Utc>,
}

impl Record {
    /// A record with nothing but the site, provider and kind filled in.
    pub fn new(site: &Site, provider: &str, family: Family, kind: TokenKind, now: DateTime<Utc>) -> Record {
        Record {
            url: site.base(),
            provider: provider.to_string(),
            family,
            user: None,
            scopes: Vec::new(),
            kind,
            expires_at: None,
            refreshable: false,
            has_id_token: false,
            issuer: None,
            name: None,
            client_id: None,
            token_endpoint: None,
            storage: Storage::File,
            sinks: Vec::new(),
            created_at: now,
        }
    }

    /// The server, parsed from the stored URL.
    pub fn site(&self) -> Result<Site> {
        Site::parse(&self.url)
    }

    /// The account name: the user the server reported, else `default`.
    pub fn account(&self) -> &str {
        self.user.as_deref().unwrap_or("default")
    }

    /// Whether a refresh can be attempted (a refresh token and where to send it).
    pub fn can_refresh(&self) -> bool {
        self.refreshable && self.token_endpoint.is_some()
    }

    /// The sink of one kind, when the credential was written there.
    pub fn sink(&self, pick: impl Fn(&Sink) -> bool) -> Option<&Sink> {
        self.sinks.iter().find(|s| pick(s))
    }
}

/// A credential's secrets, held in memory only as long as a command needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secrets {
    /// The access token (or password / API key).
    pub token: Secret,
    /// The refresh token, when the server gave one.
    pub refresh_token: Option<Secret>,
    /// The OpenID ID token, when the server gave one.
    pub id_token: Option<Secret>,
}

impl Secrets {
    /// Only an access token.
    pub fn token(token: Secret) -> Secrets {
        Secrets { token, refresh_token: None, id_token: None }
    }
}

/// A record with its secrets: what a login produces and what `token`, `exec` and git read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// What is kept about it.
    pub record: Record,
    /// Its secrets.
    pub secrets: Secrets,
}

impl Credential {
    /// Joins a record and its secrets, keeping the record's flags true to the secrets.
    pub fn new(mut record: Record, secrets: Secrets) -> Credential {
        record.refreshable = secrets.refresh_token.is_some();
        record.has_id_token = secrets.id_token.is_some();
        Credential { record, secrets }
    }
}

/// Why a credential is not fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// Its expiry has passed.
    Expired,
    /// It expires within the margin asked for.
    ExpiresSoon,
}

/// Whether a credential can be used as it is for at least the margin asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Usable for at least the margin (or no expiry is known).
    Fresh,
    /// Expired or about to expire.
    Stale(Stale),
}

/// The one decision whether a credential is fresh at `now` with `min_valid` to spare. A token
/// without a known expiry is fresh: only the server can say otherwise.
pub fn freshness(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>, min_valid: Duration) -> Freshness {
    match expires_at {
        Some(e) if e <= now => Freshness::Stale(Stale::Expired),
        Some(e) if e - now < min_valid => Freshness::Stale(Stale::ExpiresSoon),
        _ => Freshness::Fresh,
    }
}

/// The `exp` of a JWT, read without verifying it (the server that issued it is the one that
/// checks it; lanyard only needs to know when to refresh).
pub fn jwt_exp(token: &str) -> Option<DateTime<Utc>> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    DateTime::from_timestamp(v.get("exp")?.as_i64()?, 0)
}

/// The time lanyard works with: the system clock, or in debug builds a fixed instant from
/// `LANYARD_NOW` (RFC 3339), so tests of time-dependent output are repeatable.
pub fn now(env: &crate::env::Env) -> DateTime<Utc> {
    #[cfg(debug_assertions)]
    if let Some(t) = env.var("LANYARD_NOW").and_then(|v| DateTime::parse_from_rfc3339(v).ok()) {
        return t.with_timezone(&Utc);
    }
    let _ = env;
    Utc::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_one_pure_decision() {
        let now: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let m = Duration::seconds(60);
        assert_eq!(freshness(None, now, m), Freshness::Fresh);
        assert_eq!(freshness(Some(now), now, m), Freshness::Stale(Stale::Expired));
        assert_eq!(freshness(Some(now + Duration::seconds(59)), now, m), Freshness::Stale(Stale::ExpiresSoon));
        assert_eq!(freshness(Some(now + Duration::seconds(60)), now, m), Freshness::Fresh);
        assert_eq!(freshness(Some(now - Duration::days(1)), now, Duration::zero()), Freshness::Stale(Stale::Expired));
    }

    #[test]
    fn secrets_debug_hides_values() {
        let s = Secrets {
            token: Secret::new("tok_verysecretvalue99"),
            refresh_token: Some(Secret::new("ref_verysecretvalue77")),
            id_token: Some(Secret::new("eyJverysecretvalue55")),
        };
        let d = format!("{s:?}");
        assert!(!d.contains("verysecret"), "{d}");
    }

    #[test]
    fn reads_jwt_exp() {
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"sub":"a","exp":1800000000}"#);
        let jwt = format!("eyJhbGciOiJub25lIn0.{payload}.sig");
        assert_eq!(jwt_exp(&jwt).unwrap().timestamp(), 1_800_000_000);
        assert_eq!(jwt_exp("not-a-jwt"), None);
    }
}
