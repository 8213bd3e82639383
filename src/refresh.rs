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
    let data = store.load_host(host)?;
    let (id, _) = data.find(host, account)?;
    let got = fresh_from(ctx, &store, &data, &id, min_valid, force)?;
    // A slow store (a Vault cluster electing a leader) can take longer than a short-lived token
    // lives: what came back stale already gets one more round.
    let r = &got.cred.record;
    if r.storage == crate::credential::Storage::Vault
        && r.can_refresh()
        && freshness(r.expires_at, ctx.now(), Duration::zero()) == Freshness::Stale(Stale::Expired)
    {
        return fresh_shared(ctx, &store, &id, min_valid, false);
    }
    Ok(got)
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
    if stored.record.storage == crate::credential::Storage::Vault
        && (force || freshness(stored.record.expires_at, ctx.now(), min_valid) != Freshness::Fresh)
    {
        return fresh_shared(ctx, store, id, min_valid, force);
    }
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

/// How long a lease is held past a refresh's own timeout (SPEC §10: at most a minute longer).
const LEASE_MARGIN: std::time::Duration = std::time::Duration::from_secs(30);

/// The name a machine's process holds a lease under.
fn holder() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let nonce: u64 = rand_u64();
    format!("{host}/{}/{nonce:016x}", std::process::id())
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    h.finish()
}

/// [`fresh_from`] for a credential shared through Vault (SPEC §10): processes on this machine
/// queue on the local lock, so one machine asks for one lease; the lease is taken with
/// check-and-set, the credential re-read inside it and refreshed only if still stale, written
/// back with check-and-set on the version read, and the lease released. A machine that meets a
/// live lease waits for the credential to change (up to the lease's deadline), then takes over.
/// The refresh token is sent at most once; a failed write after it is retried, never the refresh.
pub fn fresh_shared(ctx: &Ctx, store: &Store, id: &CredentialId, min_valid: Duration, force: bool) -> Result<Fresh> {
    use crate::store::vault::Written;
    let v = store.vault()?.ok_or_else(|| {
        Error::storage(format!("`{id}` is shared in Vault, and Vault is not configured here"))
            .hint("set `storage = \"vault\"` and the `[vault]` table in config.toml")
    })?;
    use crate::store::vault::Key;
    let (ckey, lkey) = (Key::Credential(&id.host, &id.account), Key::Lease(&id.host, &id.account));
    let read = || -> Result<(crate::store::Stored, u64)> {
        let e = v.read(ckey)?.ok_or_else(|| not_logged_in(&id.host))?;
        Ok((crate::store::vault_stored(&e.data, &id.to_string())?, e.version))
    };
    let mut locked = store.lock()?;
    let (first, mut first_version) = read()?;
    let fresh_enough =
        |s: &crate::store::Stored| freshness(s.record.expires_at, ctx.now(), min_valid) == Freshness::Fresh;
    if !force && fresh_enough(&first) || !first.record.can_refresh() {
        let cred = store.open(id, &first)?;
        if !force
            && !fresh_enough(&first)
            && freshness(first.record.expires_at, ctx.now(), Duration::zero()) == Freshness::Stale(Stale::Expired)
        {
            return Err(expired(&id.host, first.record.expires_at));
        }
        return finish(ctx, store, &mut locked, id, cred, first_version, false);
    }
    let me = holder();
    // SPEC §15: the lease's length is `[vault] lease`; a deadline further ahead than that plus
    // a skew allowance was written by a broken clock or a hostile writer and counts as expired.
    let span = v.lease;
    let skew = chrono::Duration::from_std(LEASE_MARGIN).unwrap_or_default();
    let span_c = chrono::Duration::from_std(span).unwrap_or(chrono::Duration::seconds(90));
    let mut taken_over = false;
    let give_up = chrono::Utc::now() + span_c;
    let retry = |e: Error| -> Result<()> {
        if chrono::Utc::now() < give_up {
            ui::debug(&format!("Vault: {}; trying again", e.message));
            std::thread::sleep(std::time::Duration::from_millis(250));
            Ok(())
        } else {
            Err(e)
        }
    };
    let lease_version = loop {
        let lease = match v.read(lkey) {
            Ok(l) => l,
            Err(e) => {
                retry(e)?;
                continue;
            }
        };
        let parsed = lease.as_ref().map(|l| Lease::of(&l.data));
        let live = parsed.as_ref().and_then(|l| {
            let now = chrono::Utc::now();
            let believable = l.deadline <= now + span_c + skew;
            if !believable {
                ui::debug(&format!("{id}: the lease's deadline {} is beyond any lease; taken as expired", l.deadline));
            }
            (l.deadline > now && believable && !l.holder.is_empty() && l.holder != me)
                .then(|| (l.holder.clone(), l.deadline))
        });
        if let Some((holder, deadline)) = live {
            ui::debug(&format!("{id}: machine {holder} holds the refresh lease until {deadline}; waiting"));
            let mut pause = std::time::Duration::from_millis(100);
            loop {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_secs(1));
                // A read that fails while the cluster elects a leader is tried again until the
                // lease's deadline.
                match read() {
                    // Refreshed elsewhere: used while fresh; stale again already (a long wait on
                    // short-lived tokens), another round under a lease.
                    Ok((now, version)) if version != first_version && fresh_enough(&now) => {
                        let cred = store.open(id, &now)?;
                        return finish(ctx, store, &mut locked, id, cred, version, true);
                    }
                    Ok((_, version)) if version != first_version => {
                        first_version = version;
                        break;
                    }
                    Ok(_) => {}
                    Err(e) if chrono::Utc::now() < deadline => ui::debug(&format!("waiting on `{id}`: {}", e.message)),
                    Err(e) => return Err(e),
                }
                if chrono::Utc::now() >= deadline {
                    taken_over = true;
                    break;
                }
            }
            continue;
        }
        // A lease that ended with its refresh token spent and no new credential written: the
        // holder sent the refresh token and never wrote the answer (suspended, killed, cut off).
        // Sending that refresh token again would make a server with reuse detection revoke the
        // grant (SPEC §6, §10), so this machine asks for a login instead, unless the holder's
        // write has appeared meanwhile.
        if let Some(Lease { spent: Some((at, spent_version)), holder, .. }) = &parsed {
            match read() {
                Ok((now, version)) if version != *spent_version => {
                    if version != first_version && fresh_enough(&now) {
                        let cred = store.open(id, &now)?;
                        return finish(ctx, store, &mut locked, id, cred, version, true);
                    }
                    first_version = version;
                }
                Ok(_) => {
                    return Err(Error::new(
                        Exit::Rejected,
                        format!(
                            "the refresh token of `{id}` was sent by machine {} at {} and its answer never reached Vault; lanyard does not send a refresh token twice",
                            crate::secret::server_text(holder),
                            at.format("%Y-%m-%d %H:%M:%S UTC")
                        ),
                    )
                    .hint(format!("log in again on one machine: `lanyard login {} --force`", id.host)));
                }
                Err(e) => {
                    retry(e)?;
                    continue;
                }
            }
        }
        let deadline = chrono::Utc::now() + span_c;
        let body = serde_json::json!({"holder": me, "deadline": deadline.to_rfc3339()});
        match v.write(lkey, &body, lease.map(|l| l.version).unwrap_or(0)) {
            Ok(Written::Version(n)) => break (n, deadline),
            Ok(Written::Conflict) => continue,
            Err(e) => retry(e)?,
        }
    };
    if taken_over {
        ui::debug(&format!("{id}: took over a lease whose holder did not finish"));
    }
    let release = |version: u64| {
        let _ = v.write(lkey, &serde_json::json!({"holder": "", "deadline": "1970-01-01T00:00:00Z"}), version);
    };
    // Inside the lease: re-read (another machine may have refreshed meanwhile).
    let (current, version) = match read() {
        Ok(x) => x,
        Err(e) => {
            release(lease_version.0);
            return Err(e);
        }
    };
    if version != first_version && fresh_enough(&current) {
        release(lease_version.0);
        let cred = store.open(id, &current)?;
        return finish(ctx, store, &mut locked, id, cred, version, true);
    }
    let cred = store.open(id, &current)?;
    let r = &cred.record;
    let (Some(rt), Some(endpoint)) = (&cred.secrets.refresh_token, &r.token_endpoint) else {
        release(lease_version.0);
        return finish(ctx, store, &mut locked, id, cred.clone(), version, false);
    };
    let provider = ctx.registry()?.for_credential(&id.host, r);
    // The refresh must end inside the lease (SPEC §15: its timeout is at most lease − 30 s).
    let http = crate::http::Http::new(
        &ctx.env,
        ctx.timeout.min(span.saturating_sub(LEASE_MARGIN)),
        provider.ca_file.as_deref(),
    )?;
    // Before the refresh token goes out, the lease says so (check-and-set on the lease's own
    // version): a machine that takes the lease over later knows not to send it again.
    let spent_at = chrono::Utc::now();
    let body = serde_json::json!({
        "holder": me,
        "deadline": lease_version.1.to_rfc3339(),
        "spent": spent_at.to_rfc3339(),
        "credential_version": version,
    });
    let lease_version = match v.write(lkey, &body, lease_version.0) {
        Ok(Written::Version(n)) => (n, lease_version.1),
        Ok(Written::Conflict) => {
            return Err(crate::store::vault::conflict(&format!("the refresh lease of `{id}`")));
        }
        Err(e) => {
            release(lease_version.0);
            return Err(e);
        }
    };
    ui::debug(&format!("refreshing {id} at {endpoint} (holding the shared lease)"));
    let tokens = match block_on(oauth::refresh(&http, endpoint, &r.client_id.clone().unwrap_or_default(), rt, &id.host))
    {
        Ok(t) => t,
        // The server answered (it refused, or failed before using the token): the refresh token
        // was not rotated, and the lease is released as if unspent. Without an answer the token
        // may have been used: the lease keeps its mark.
        Err(e) if e.exit != Exit::Unverified => {
            release(lease_version.0);
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let mut record = r.clone();
    record.expires_at = tokens.expires_at(ctx.now());
    let secrets = Secrets {
        token: tokens.access_token,
        refresh_token: tokens.refresh_token.or_else(|| cred.secrets.refresh_token.clone()),
        id_token: tokens.id_token.or_else(|| cred.secrets.id_token.clone()),
    };
    let next = Credential::new(record, secrets);
    // The refresh token is spent: the new one must reach Vault. A failed write (a leader change,
    // a restarting node) is retried until the lease's deadline; the refresh is never repeated.
    let body = crate::store::vault_body(&next.record, &next.secrets);
    let mut pause = std::time::Duration::from_millis(100);
    let new_version = loop {
        match v.write(ckey, &body, version) {
            Ok(Written::Version(n)) => break n,
            Ok(Written::Conflict) => {
                return Err(crate::store::vault::conflict(&format!("`{id}` (this machine's lease ran out)")));
            }
            Err(e) if chrono::Utc::now() + chrono::Duration::seconds(1) < lease_version.1 => {
                ui::debug(&format!("writing the refreshed `{id}` to Vault failed ({}); retrying", e.message));
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_secs(2));
            }
            Err(e) => {
                return Err(e.hint("the refreshed token could not be stored; run `lanyard login` again on one machine"));
            }
        }
    };
    release(lease_version.0);
    finish(ctx, store, &mut locked, id, next, new_version, true)
}

/// Updates this machine's shadow of a shared credential and rewrites its sinks when they hold
/// another token (another machine refreshed it).
fn finish(
    ctx: &Ctx,
    store: &Store,
    locked: &mut crate::store::Locked,
    id: &CredentialId,
    cred: Credential,
    version: u64,
    refreshed: bool,
) -> Result<Fresh> {
    let sinks = locked.data.credentials.get(id).map(|s| s.record.sinks.clone()).unwrap_or_default();
    let mut record = cred.record.clone();
    record.sinks = sinks;
    let cred = Credential { record, secrets: cred.secrets };
    if !cred.record.sinks.is_empty() {
        let provider = ctx.registry()?.for_credential(&id.host, &cred.record);
        for sink in &cred.record.sinks {
            if !matches!(sink.inspect(&provider, &cred.record, &cred.secrets), Ok(crate::sink::Holds::Ours)) {
                sink.rewrite(&provider, &cred)?;
            }
        }
    }
    locked.data.versions.insert(id.clone(), version);
    let before = locked.data.credentials.get(id).map(|s| s.record.clone());
    // Only a machine that logged in here (or wrote files for it) keeps a local shadow: one that
    // merely read the shared credential (`token`, `status`) has none, so its `refresh --all`
    // still writes what a login here would (SPEC §10; issue 23, item 10).
    if before.as_ref() != Some(&cred.record) && store.known_here(id)? {
        locked
            .data
            .credentials
            .insert(id.clone(), crate::store::Stored::shared(cred.record.clone(), cred.secrets.clone()));
        locked.write()?;
    }
    Ok(Fresh { cred, refreshed })
}

/// `refresh --all` for a shared credential (SPEC §10): this machine's files get the token another
/// machine refreshed; on a machine that never logged in, the files a login there would write (Nix
/// for GitHub and GitLab). Returns what was written.
pub fn sync_shared_sinks(
    ctx: &Ctx,
    store: &Store,
    id: &CredentialId,
    cred: &Credential,
    known: bool,
) -> Result<Vec<String>> {
    let mut said = Vec::new();
    let mut locked = store.lock()?;
    let provider = ctx.registry()?.for_credential(&id.host, &cred.record);
    let mut record = locked.data.credentials.get(id).map(|s| s.record.clone()).unwrap_or_else(|| cred.record.clone());
    let current = Credential { record: record.clone(), secrets: cred.secrets.clone() };
    if !known {
        let site = record.site()?;
        if let Some(plan) = crate::sink::Plan::nix(
            &ctx.env,
            ctx.nix_conf.as_deref(),
            &provider,
            &site,
            record.kind,
            &cred.secrets.token,
            false,
        )? {
            let sink = plan.write(&ctx.env, &current)?;
            said.push(sink.describe(crate::sink::nix::nix_host(&site).as_deref()));
            record.sinks.push(sink);
        }
    } else {
        for sink in &record.sinks {
            if !matches!(sink.inspect(&provider, &record, &cred.secrets), Ok(crate::sink::Holds::Ours)) {
                sink.rewrite(&provider, &current)?;
                said.push(sink.describe(record.site().ok().and_then(|s| crate::sink::nix::nix_host(&s)).as_deref()));
            }
        }
    }
    if !known || !said.is_empty() {
        locked.data.credentials.insert(id.clone(), crate::store::Stored::shared(record, cred.secrets.clone()));
        locked.write()?;
    }
    Ok(said)
}

/// A lease entry as read: who holds it until when, and whether its refresh token was sent (when,
/// and the credential's version it was read at).
struct Lease {
    holder: String,
    deadline: chrono::DateTime<chrono::Utc>,
    spent: Option<(chrono::DateTime<chrono::Utc>, u64)>,
}

impl Lease {
    fn of(data: &serde_json::Value) -> Lease {
        let time = |k: &str| {
            data.get(k)
                .and_then(|x| x.as_str())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&chrono::Utc))
        };
        Lease {
            holder: data.get("holder").and_then(|h| h.as_str()).unwrap_or_default().to_string(),
            deadline: time("deadline").unwrap_or_default(),
            spent: time("spent").zip(data.get("credential_version").and_then(|v| v.as_u64())),
        }
    }
}

/// The live lease of a shared credential, when a machine is refreshing it now: (holder, deadline).
pub fn lease_holder(store: &Store, id: &CredentialId) -> Option<(String, chrono::DateTime<chrono::Utc>)> {
    let v = store.vault().ok()??;
    let l = Lease::of(&v.read(crate::store::vault::Key::Lease(&id.host, &id.account)).ok()??.data);
    let now = chrono::Utc::now();
    let cap = chrono::Duration::from_std(v.lease + LEASE_MARGIN).unwrap_or_default();
    // A deadline beyond any lease is not believed (SPEC §15): no machine waits for it.
    (l.deadline > now && l.deadline <= now + cap && !l.holder.is_empty())
        .then(|| (crate::secret::from_server(&l.holder), l.deadline))
}
