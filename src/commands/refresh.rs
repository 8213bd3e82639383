//! `lanyard refresh` and the silent refresh behind `token` (SPEC §4): a credential with a refresh
//! token is refreshed when less than `--min-valid` remains. Single-flight across processes: take
//! the store's lock, re-read, re-check, refresh, write the store (with the rotated refresh token),
//! then every sink, then release. A refused refresh keeps the old record and is exit 4.

use chrono::{Duration, Utc};

use super::{Ctx, target_key};
use crate::cli::RefreshArgs;
use crate::error::{Error, Exit, Result};
use crate::flow::oauth;
use crate::http::block_on;
use crate::provider::{Provider, Site};
use crate::sink::{nix, skillsctl};
use crate::store::{Credential, Data, sink_path};
use crate::ui;

/// Whether a credential needs a refresh now.
fn stale(c: &Credential, min_valid: Duration) -> bool {
    c.expires_at.is_some_and(|e| e - Utc::now() < min_valid)
}

/// The credential for `key`, refreshed first when it has a refresh token and less than
/// `min_valid` remains (or always, with `force`). Reads the store once on the fast path.
pub fn fresh(ctx: &Ctx, key: &str, min_valid: Duration, force: bool) -> Result<Credential> {
    fresh_from(ctx, &ctx.store().load()?, key, min_valid, force)
}

/// [`fresh`] for a caller that has read the store already (one read on the hot path).
pub fn fresh_from(ctx: &Ctx, data: &Data, key: &str, min_valid: Duration, force: bool) -> Result<Credential> {
    let Some(cred) = data.credentials.get(key) else {
        return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}`"))
            .hint(format!("run `lanyard login {key}`")));
    };
    if !force && !stale(cred, min_valid) {
        let mut c = cred.clone();
        c.hydrate(key)?;
        return Ok(c);
    }
    if cred.refresh_token.is_none() || cred.token_endpoint.is_none() {
        return match cred.expires_at {
            Some(e) if e <= Utc::now() => {
                Err(Error::new(Exit::Rejected, format!("the token for `{key}` expired at {e}"))
                    .hint(format!("run `lanyard login {key}`")))
            }
            _ => {
                let mut c = cred.clone();
                c.hydrate(key)?;
                Ok(c)
            }
        };
    }
    let mut locked = ctx.store().lock()?;
    // Another lanyard may have refreshed while we waited for the lock: re-read, re-check.
    let Some(mut current) = locked.data.credentials.get(key).cloned() else {
        return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}` (logged out meanwhile)"))
            .hint(format!("run `lanyard login {key}`")));
    };
    // Keyring credentials keep an empty placeholder in the file: compare expiries too.
    let refreshed_meanwhile = current.expires_at != cred.expires_at || current.token != cred.token;
    current.hydrate(key)?;
    if refreshed_meanwhile && !stale(&current, min_valid) {
        return Ok(current);
    }
    let (Some(rt), Some(endpoint)) = (&current.refresh_token, &current.token_endpoint) else {
        return Ok(current);
    };
    let client_id = current.client_id.clone().unwrap_or_default();
    let http = ctx.http(None)?;
    ui::debug(&format!("refreshing {key} at {endpoint}"));
    let tokens = block_on(oauth::refresh(&http, endpoint, &client_id, rt, key))?;
    let mut next = current.clone();
    let now = Utc::now();
    next.expires_at = tokens.expires_at(now);
    next.token = tokens.access_token;
    // Servers that rotate refresh tokens send a new one; the old one is now spent.
    if let Some(new) = tokens.refresh_token {
        next.refresh_token = Some(new);
    }
    if let Some(id) = tokens.id_token {
        next.id_token = Some(id);
    }
    // The store first: it keeps the new refresh token, which a rotating server (GitLab) has
    // already swapped for the old one; a sink left stale by a crash here is rewritten at the next
    // refresh. Still under the store's lock, so no other refresh interleaves.
    locked.data.credentials.insert(key.to_string(), next.clone());
    locked.write()?;
    rewrite_sinks(ctx, key, &next)?;
    drop(locked);
    ui::debug(&format!("refreshed {key}"));
    Ok(next)
}

/// Writes a refreshed token into every file the credential was written to.
fn rewrite_sinks(ctx: &Ctx, key: &str, c: &Credential) -> Result<()> {
    if let Some(tokens) = sink_path(&c.sinks, "nix") {
        let provider = ctx
            .registry()?
            .by_id(&c.provider)
            .filter(|p| p.serves(key))
            .cloned()
            .unwrap_or_else(|| Provider::for_family(c.family));
        let site = Site::parse(&c.url)?;
        if let (Some(host), Some(value)) = (nix::nix_host(&site), nix::entry_value(provider.nix, c.kind, &c.token)) {
            nix::check_token(&c.token)?;
            nix::replace(&tokens, &host, &value)?;
        }
    }
    if let Some(path) = sink_path(&c.sinks, "skillsctl") {
        skillsctl::write(&path, &skillsctl::entry(c)?)?;
    }
    Ok(())
}

/// Runs `lanyard refresh`.
pub fn run(ctx: &Ctx, args: RefreshArgs) -> Result<Exit> {
    let data = ctx.store().load()?;
    let keys: Vec<String> = if args.all {
        data.credentials.keys().cloned().collect()
    } else if args.targets.is_empty() {
        return Err(Error::usage("name the credentials to refresh")
            .hint("`lanyard refresh TARGET…` or `lanyard refresh --all`"));
    } else {
        args.targets.iter().map(|t| target_key(ctx, t)).collect::<Result<_>>()?
    };
    let mut exit = Exit::Ok;
    for key in keys {
        let before = data.credentials.get(&key).map(|c| c.token.clone());
        match fresh_from(ctx, &data, &key, args.min_valid, args.force) {
            Ok(c) if Some(&c.token) != before.as_ref() => {
                let until = c.expires_at.map(|e| format!(", valid until {e}")).unwrap_or_default();
                ui::say(&format!("{key}: refreshed{until}"));
            }
            Ok(c) if c.refresh_token.is_none() => ui::say(&format!("{key}: nothing to refresh (no refresh token)")),
            Ok(_) => ui::say(&format!("{key}: still fresh")),
            Err(e) => {
                ui::error(&e);
                exit = exit.worst(e.exit);
            }
        }
    }
    Ok(exit)
}
