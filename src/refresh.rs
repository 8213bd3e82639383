//! The silent refresh behind `token`, `exec`, `git-credential get` and `refresh` (SPEC §4): a
//! credential with a refresh token is refreshed when less than `min_valid` remains. Single-flight
//! across processes: take the store's lock, re-read, re-check, refresh, write the store (with the
//! rotated refresh token), then every sink, then release. A refused refresh keeps the old record
//! and is exit 4.

use chrono::Duration;

use crate::context::Ctx;
use crate::credential::{Credential, CredentialId, Freshness, Secrets, Stale, freshness};
use crate::error::{Error, Exit, Result};
use crate::flow::oauth;
use crate::http::block_on;
use crate::store::{Data, Store, not_logged_in};
use crate::ui;

/// A credential ready to use, and whether this call (or another lanyard meanwhile) refreshed it.
#[derive(Debug)]
pub struct Fresh {
    /// The credential with its secrets.
    pub cred: Credential,
    /// Whether its token changed since the caller read the store.
    pub refreshed: bool,
}

/// The credential of `host` (its active account, or `account`), refreshed first when it can be
/// and less than `min_valid` remains (or always, with `force`). Reads the store once on the fast
/// path.
pub fn fresh(ctx: &Ctx, host: &str, account: Option<&str>, min_valid: Duration, force: bool) -> Result<Fresh> {
    let store = ctx.store();
    let data = store.load()?;
    let (id, _) = data.find(host, account)?;
    fresh_from(ctx, &store, &data, &id, min_valid, force)
}

/// [`fresh`] for a caller that has read the store already (one read on the hot path).
pub fn fresh_from(
    ctx: &Ctx,
    store: &Store,
    data: &Data,
    id: &CredentialId,
    min_valid: Duration,
    force: bool,
) -> Result<Fresh> {
    let key = data.label(id);
    let stored = data.credentials.get(id).ok_or_else(|| not_logged_in(&key))?;
    let state = freshness(stored.record.expires_at, ctx.now(), min_valid);
    if !force && state == Freshness::Fresh {
        return Ok(Fresh { cred: store.open(id, stored)?, refreshed: false });
    }
    if !stored.record.can_refresh() {
        if state == Freshness::Stale(Stale::Expired) {
            return Err(expired(&key, stored.record.expires_at));
        }
        return Ok(Fresh { cred: store.open(id, stored)?, refreshed: false });
    }
    let mut locked = store.lock()?;
    // Another lanyard may have refreshed while we waited for the lock: re-read, re-check.
    let Some(current) = locked.data.credentials.get(id).cloned() else {
        return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}` (logged out meanwhile)"))
            .hint(format!("run `lanyard login {}`", id.host)));
    };
    let changed_meanwhile = current != *stored;
    let current_cred = store.open(id, &current)?;
    if changed_meanwhile && freshness(current.record.expires_at, ctx.now(), min_valid) == Freshness::Fresh {
        return Ok(Fresh { cred: current_cred, refreshed: true });
    }
    let r = &current_cred.record;
    let (Some(rt), Some(endpoint)) = (&current_cred.secrets.refresh_token, &r.token_endpoint) else {
        return Ok(Fresh { cred: current_cred, refreshed: false });
    };
    // The provider the credential was logged in with: its CA file trusts a private server.
    let provider = ctx.registry()?.for_credential(&id.host, r);
    let http = ctx.http(provider.ca_file.as_deref())?;
    ui::debug(&format!("refreshing {key} at {endpoint}"));
    let client_id = r.client_id.clone().unwrap_or_default();
    let tokens = block_on(oauth::refresh(&http, endpoint, &client_id, rt, &id.host))?;
    let mut record = r.clone();
    record.expires_at = tokens.expires_at(ctx.now());
    let old = &current_cred.secrets;
    // Servers that rotate refresh tokens send a new one; the old one is now spent.
    let secrets = Secrets {
        token: tokens.access_token,
        refresh_token: tokens.refresh_token.or_else(|| old.refresh_token.clone()),
        id_token: tokens.id_token.or_else(|| old.id_token.clone()),
    };
    let next = Credential::new(record, secrets);
    // The store first: it keeps the new refresh token, which a rotating server (GitLab) has
    // already swapped for the old one; a sink left stale by a crash here is rewritten at the next
    // refresh. Still under the store's lock, so no other refresh interleaves. Only the active
    // account has sinks.
    locked.put(&id.host, next.clone())?;
    locked.write()?;
    for sink in &next.record.sinks {
        sink.rewrite(&provider, &next)?;
    }
    drop(locked);
    ui::debug(&format!("refreshed {key}"));
    Ok(Fresh { cred: next, refreshed: true })
}

/// The error for a token past its expiry that cannot be refreshed.
pub fn expired(key: &str, at: Option<chrono::DateTime<chrono::Utc>>) -> Error {
    let when = at.map(|e| format!(" at {}", e.format("%Y-%m-%d %H:%M:%S UTC"))).unwrap_or_default();
    Error::new(Exit::Rejected, format!("the token for `{key}` expired{when}"))
        .hint(format!("run `lanyard login {key}`"))
}
