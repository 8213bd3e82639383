//! skillsctl's `credentials.json` (SPEC §5): `$HOME/.config/skillsctl/credentials.json` (skillsctl
//! ignores `XDG_CONFIG_HOME`), exactly the keys skillsctl's Go struct has, in its order, two-space
//! indented, RFC 3339 UTC times; `0001-01-01T00:00:00Z` is Go's zero time ("no expiry").

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::credential::Credential;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use crate::secret::Secret;

/// Go's zero `time.Time`, which skillsctl reads as "no expiry".
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The file skillsctl reads: `--credentials-path`, else `$HOME/.config/skillsctl/credentials.json`.
pub fn path(env: &Env, flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    env.home()
        .map(|h| h.join(".config/skillsctl/credentials.json"))
        .ok_or_else(|| Error::usage("cannot find HOME for skillsctl's credentials").hint("pass --credentials-path"))
}

#[derive(Serialize)]
struct File<'a> {
    id_token: &'a str,
    expiry: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_expiry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_endpoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
}

/// What goes into the file.
pub struct Entry<'a> {
    /// The ID token skillsctl sends as its bearer.
    pub id_token: &'a Secret,
    /// The ID token's `exp`.
    pub expiry: DateTime<Utc>,
    /// The refresh token, when there is one.
    pub refresh_token: Option<&'a Secret>,
    /// The token endpoint for refresh.
    pub token_endpoint: &'a str,
    /// The OAuth client id.
    pub client_id: &'a str,
}

/// What skillsctl's file holds for a credential: the ID token and its `exp`.
pub fn entry(cred: &Credential) -> Result<Entry<'_>> {
    let (r, s) = (&cred.record, &cred.secrets);
    let id = s.id_token.as_ref().ok_or_else(|| Error::failure("the server gave no ID token, which skillsctl needs"))?;
    let expiry = crate::credential::jwt_exp(id.expose_secret())
        .or(r.expires_at)
        .ok_or_else(|| Error::failure("the ID token has no `exp`"))?;
    Ok(Entry {
        id_token: id,
        expiry,
        refresh_token: s.refresh_token.as_ref(),
        token_endpoint: r.token_endpoint.as_deref().unwrap_or_default(),
        client_id: r.client_id.as_deref().unwrap_or_default(),
    })
}

/// The ID token the file holds now, when it exists and has one.
pub fn id_token(path: &Path) -> Result<Option<String>> {
    let Some(text) = fsutil::read_optional(path)? else { return Ok(None) };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::usage(format!("`{}` line {}: cannot be parsed: {e}", path.display(), e.line()))
            .hint("fix the file; lanyard leaves it untouched")
    })?;
    Ok(v.get("id_token").and_then(|t| t.as_str()).map(String::from))
}

/// Renders the file exactly as skillsctl's `json.MarshalIndent(creds, "", "  ")` does.
pub fn render(e: &Entry) -> String {
    let rfc = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let has_refresh = e.refresh_token.is_some();
    let f = File {
        id_token: e.id_token.expose_secret(),
        expiry: rfc(e.expiry),
        refresh_token: e.refresh_token.map(Secret::expose_secret),
        refresh_expiry: has_refresh.then(|| ZERO_TIME.to_string()),
        token_endpoint: has_refresh.then_some(e.token_endpoint),
        client_id: has_refresh.then_some(e.client_id),
    };
    serde_json::to_string_pretty(&f).expect("credentials serialize")
}

/// Writes the file (0600, dir 0700, atomic, locked). An existing file that does not parse as
/// JSON is never replaced.
pub fn write(path: &Path, e: &Entry) -> Result<()> {
    let lock = Lock::acquire(path)?;
    if let Some(old) = fsutil::read_optional(path)?
        && serde_json::from_str::<serde_json::Value>(&old).is_err()
    {
        return Err(Error::usage(format!("`{}` is not valid JSON; lanyard leaves it untouched", path.display()))
            .hint("move it away (or fix it) and log in again"));
    }
    fsutil::backup(&lock)?;
    fsutil::write_atomic(&lock, render(e).as_bytes())
}

/// Removes the file.
pub fn remove(path: &Path) -> Result<()> {
    let lock = Lock::acquire(path)?;
    fsutil::remove(&lock)
}
