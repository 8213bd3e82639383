//! The silent refresh behind `token`, `exec`, `git-credential get` and `refresh` (SPEC §4): a
//! credential with a refresh token is refreshed when less than `min_valid` remains. One algorithm
//! for every store: the store's guard (the file lock; for a shared credential the local lock and
//! a lease in Vault) → re-read → still stale? → claim → refresh → commit → rewrite the sinks. A
//! refused refresh keeps the old record and is exit 4.

use chrono::Duration;

use crate::credential::{Credential, CredentialId, Freshness, Secrets, Stale, freshness};
use crate::error::{Error, Exit, Result};
use crate::flow::oauth;
use crate::http::block_on;
use crate::sink::Holds;
use crate::store::{Claim, Data, Store, SystemClock, not_logged_in};

/// What a refresh needs from the run: values, not the command's context.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The process environment (proxies, CA files, `LANYARD_NOW`).
    pub env: &'a crate::env::Env,
    /// lanyard's config dir (its provider files).
    pub config_dir: &'a std::path::Path,
    /// The per-request timeout.
    pub timeout: std::time::Duration,
    /// `--nix-conf`.
    pub nix_conf: Option<&'a std::path::Path>,
}

impl Run<'_> {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::credential::now(self.env)
    }

    /// Built-in and user providers (read only when a refresh or a sink needs them).
    fn registry(&self) -> Result<crate::provider::registry::Registry> {
        crate::provider::registry::Registry::load(self.config_dir)
    }
}

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
pub fn fresh(
    ctx: &Run,
    store: &Store,
    host: &str,
    account: Option<&str>,
    min_valid: Duration,
    force: bool,
) -> Result<Fresh> {
    let data = store.load_one(host, account)?;
    let (id, _) = data.find(host, account)?;
    let got = fresh_from(ctx, store, &data, &id, min_valid, force)?;
    // A slow store (a Vault cluster electing a leader) can take longer than a short-lived token
    // lives: what came back stale already gets one more round.
    let r = &got.cred.record;
    if r.can_refresh() && freshness(r.expires_at, ctx.now(), Duration::zero()) == Freshness::Stale(Stale::Expired) {
        let data = store.load_one(host, account)?;
        return fresh_from(ctx, store, &data, &id, min_valid, false);
    }
    Ok(got)
}

/// [`fresh`] for a caller that has read the store already (one read on the hot path).
pub fn fresh_from(
    ctx: &Run,
    store: &Store,
    data: &Data,
    id: &CredentialId,
    min_valid: Duration,
    force: bool,
) -> Result<Fresh> {
    let key = data.label(id);
    let stored = data.credentials.get(id).ok_or_else(|| not_logged_in(&key))?;
    let stale = |r: &crate::credential::Record| freshness(r.expires_at, ctx.now(), min_valid) != Freshness::Fresh;
    let is_expired = |r: &crate::credential::Record| {
        freshness(r.expires_at, ctx.now(), Duration::zero()) == Freshness::Stale(Stale::Expired)
    };
    if !force && !stale(&stored.record) {
        return Ok(Fresh { cred: store.open(id, stored)?, refreshed: false });
    }
    if !stored.record.can_refresh() {
        if is_expired(&stored.record) {
            return Err(expired(&key, stored.record.expires_at));
        }
        return Ok(Fresh { cred: store.open(id, stored)?, refreshed: false });
    }
    let clock = SystemClock;
    let serving = store.serving(stored.record.storage)?;
    let mut locked = store.lock_local()?;
    let mut guard = serving.begin_refresh(&mut locked, id, stored, &clock)?;
    // Another lanyard may have refreshed while we waited for the guard: re-read, re-check.
    let Some((current, changed)) = guard.current()? else {
        return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}` (logged out meanwhile)"))
            .hint(format!("run `lanyard login {}`", id.host)));
    };
    let done =
        |guard: &mut Box<dyn crate::store::RefreshGuard + '_>, cred: Credential, refreshed: bool| -> Result<Fresh> {
            let cred = guard.keep(cred, refreshed)?;
            rewrite_sinks(ctx, id, &cred)?;
            Ok(Fresh { cred, refreshed })
        };
    if (changed || !force) && !stale(&current.record) {
        return done(&mut guard, current, changed);
    }
    if !current.record.can_refresh() {
        if !force && is_expired(&current.record) {
            return Err(expired(&key, current.record.expires_at));
        }
        return done(&mut guard, current, false);
    }
    let current = match guard.claim(current, &|r| !stale(r))? {
        Claim::RefreshedElsewhere(c) => return done(&mut guard, c, true),
        Claim::Mine(c) => c,
    };
    let r = &current.record;
    let (Some(rt), Some(endpoint)) = (&current.secrets.refresh_token, &r.token_endpoint) else {
        return done(&mut guard, current.clone(), false);
    };
    // The provider the credential was logged in with: its CA file trusts a private server.
    let provider = ctx.registry()?.for_credential(&id.host, r);
    let http = crate::http::Http::new(ctx.env, guard.timeout(ctx.timeout), provider.ca_file.as_deref())?;
    guard.sending()?;
    crate::diag::debug(&format!("refreshing {key} at {endpoint}"));
    let client_id = r.client_id.clone().unwrap_or_default();
    let tokens = match block_on(oauth::refresh(&http, endpoint, &client_id, rt, &id.host)) {
        Ok(t) => t,
        Err(e) => {
            // The server answered: the refresh token was not used. Without an answer it may have
            // been: a shared store keeps the lease's mark.
            if e.answered() {
                guard.refused();
            }
            return Err(e);
        }
    };
    let mut record = r.clone();
    record.expires_at = tokens.expires_at(ctx.now());
    let old = &current.secrets;
    // Servers that rotate refresh tokens send a new one; the old one is now spent.
    let secrets = Secrets {
        token: tokens.access_token,
        refresh_token: tokens.refresh_token.or_else(|| old.refresh_token.clone()),
        id_token: tokens.id_token.or_else(|| old.id_token.clone()),
    };
    // The store first: it keeps the new refresh token, which a rotating server (GitLab) has
    // already swapped for the old one; a sink left stale by a crash here is rewritten at the next
    // refresh. Still under the guard, so no other refresh interleaves.
    let next = guard.commit(Credential::new(record, secrets))?;
    rewrite_sinks(ctx, id, &next)?;
    drop(guard);
    crate::diag::debug(&format!("refreshed {key}"));
    Ok(Fresh { cred: next, refreshed: true })
}

/// `lanyard rotate`: renews `id`'s token at its server under the same guard as a refresh (the
/// file lock; for a shared credential the lease), keeps it, and rewrites every file it was
/// written to. The server revokes the old token.
pub fn rotate(ctx: &Run, store: &Store, data: &Data, id: &CredentialId) -> Result<Credential> {
    let key = data.label(id);
    let stored = data.credentials.get(id).ok_or_else(|| not_logged_in(&key))?;
    let clock = SystemClock;
    let serving = store.serving(stored.record.storage)?;
    let mut locked = store.lock_local()?;
    let mut guard = serving.begin_refresh(&mut locked, id, stored, &clock)?;
    let Some((current, _)) = guard.current()? else {
        return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}` (logged out meanwhile)"))
            .hint(format!("run `lanyard login {}`", id.host)));
    };
    let provider = ctx.registry()?.for_credential(&id.host, &current.record);
    let site = current.record.site()?;
    let http = crate::http::Http::new(ctx.env, guard.timeout(ctx.timeout), provider.ca_file.as_deref())?;
    guard.sending()?;
    let next = match block_on(crate::family::rotate(&http, &provider, &site, &current, ctx.now())) {
        Ok(c) => c,
        Err(e) => {
            if e.answered() {
                guard.refused();
            }
            return Err(e);
        }
    };
    let next = guard.commit(next)?;
    rewrite_sinks(ctx, id, &next)?;
    Ok(next)
}

/// Rewrites every file a credential was written to that does not hold its token now.
fn rewrite_sinks(ctx: &Run, id: &CredentialId, cred: &Credential) -> Result<()> {
    if cred.record.sinks.is_empty() {
        return Ok(());
    }
    let provider = ctx.registry()?.for_credential(&id.host, &cred.record);
    for sink in &cred.record.sinks {
        if !matches!(sink.inspect(&provider, &cred.record, &cred.secrets), Ok(Holds::Ours)) {
            sink.rewrite(&provider, cred)?;
        }
    }
    Ok(())
}

/// The error for a token past its expiry that cannot be refreshed.
pub fn expired(key: &str, at: Option<chrono::DateTime<chrono::Utc>>) -> Error {
    let when = at.map(|e| format!(" at {}", e.format("%Y-%m-%d %H:%M:%S UTC"))).unwrap_or_default();
    Error::refused(format!("the token for `{key}` expired{when}")).hint(format!("run `lanyard login {key}`"))
}

/// `refresh --all` for a shared credential (SPEC §10): this machine's files get the token another
/// machine refreshed; on a machine that never logged in, the files a login there would write (Nix
/// for GitHub and GitLab). Returns what was written.
pub fn sync_shared_sinks(
    ctx: &Run,
    store: &Store,
    id: &CredentialId,
    cred: &Credential,
    known: bool,
) -> Result<(Vec<String>, Vec<crate::diag::Note>)> {
    let mut said = Vec::new();
    let mut notes = Vec::new();
    let mut locked = store.lock()?;
    let provider = ctx.registry()?.for_credential(&id.host, &cred.record);
    let mut record = locked.data.credentials.get(id).map(|s| s.record.clone()).unwrap_or_else(|| cred.record.clone());
    let current = Credential { record: record.clone(), secrets: cred.secrets.clone() };
    if !known {
        let site = record.site()?;
        if let Some(plan) =
            crate::sink::Plan::nix(ctx.env, ctx.nix_conf, &provider, &site, record.kind, &cred.secrets.token, false)?
        {
            let (sink, written) = plan.write(ctx.env, &current)?;
            notes.extend(written);
            said.push(sink.describe(crate::sink::nix::nix_host(&site).as_deref()));
            record.sinks.push(sink);
        }
    } else {
        for sink in &record.sinks {
            if !matches!(sink.inspect(&provider, &record, &cred.secrets), Ok(Holds::Ours)) {
                sink.rewrite(&provider, &current)?;
                said.push(sink.describe(record.site().ok().and_then(|s| crate::sink::nix::nix_host(&s)).as_deref()));
            }
        }
    }
    if !known || !said.is_empty() {
        locked.data.credentials.insert(id.clone(), crate::store::Stored::shared(record, cred.secrets.clone()));
        locked.write()?;
    }
    Ok((said, notes))
}
