//! `lanyard logout`: remove a credential (or all) from lanyard's store and every file it was
//! written to. It does not revoke the token on the server, and says so.

use super::{Ctx, target_key};
use crate::cli::LogoutArgs;
use crate::error::{Error, Exit, Result};
use crate::sink::Holds;
use crate::ui;

/// Runs `lanyard logout`.
pub fn run(ctx: &Ctx, args: LogoutArgs) -> Result<Exit> {
    let store = ctx.store();
    let data = store.load()?;
    let label = |key: &str| {
        let r = &data.credentials[key].record;
        let state = crate::status::evaluate(key, Some(r), ctx.now(), None, &crate::status::Probe::NotAsked).state;
        format!("{key} — {} — {} — {}", r.account(), r.provider, state.as_str())
    };
    let keys: Vec<String> = if args.all {
        let all: Vec<String> = data.credentials.keys().cloned().collect();
        // On a terminal, ten credentials are not removed without a word: list them, ask once.
        if ctx.can_prompt() && !args.dry_run && !all.is_empty() {
            for k in &all {
                ui::say(&format!("  {}", label(k)));
            }
            let q = format!("Log out of these {} credential{}?", all.len(), if all.len() == 1 { "" } else { "s" });
            if !ui::confirm(&ctx.env, ctx.no_input, &q, "--all off a terminal")? {
                ui::say("Nothing changed.");
                return Ok(Exit::Ok);
            }
        }
        all
    } else if let Some(t) = &args.target {
        vec![target_key(ctx, t)?]
    } else {
        let known: Vec<String> = data.credentials.keys().cloned().collect();
        if known.is_empty() {
            return Err(Error::new(Exit::NotLoggedIn, "not logged in anywhere").hint("nothing to log out of"));
        }
        if !ctx.can_prompt() {
            return Err(ui::no_prompt("which credential to log out of", "`lanyard logout TARGET` or `--all`"));
        }
        if known.len() == 1 {
            if !ui::confirm(&ctx.env, ctx.no_input, &format!("Log out of {}?", label(&known[0])), "TARGET")? {
                ui::say("Nothing changed.");
                return Ok(Exit::Ok);
            }
            known
        } else {
            let items: Vec<String> = known.iter().map(|k| label(k)).collect();
            let i = ui::select(&ctx.env, ctx.no_input, "Log out of", &items, "`lanyard logout TARGET` or `--all`")?;
            vec![known[i].clone()]
        }
    };
    if keys.is_empty() {
        ui::say("Not logged in anywhere; nothing to do.");
        return Ok(Exit::Ok);
    }
    for key in &keys {
        if !data.credentials.contains_key(key) {
            return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}`"))
                .hint("`lanyard status` lists the credentials lanyard knows"));
        }
    }
    if args.dry_run {
        let registry = ctx.registry()?;
        for key in &keys {
            let stored = &data.credentials[key];
            let r = &stored.record;
            let secrets = if stored.in_keyring() { " and the OS keyring" } else { "" };
            ui::say(&format!("Dry run: would remove {key} from {}{secrets}", store.path().display()));
            let host = r.site().ok().and_then(|s| crate::sink::nix::nix_host(&s));
            let provider = registry.for_credential(key, r);
            let held = store.secrets(key, stored).ok();
            for sink in &r.sinks {
                let now = match held.as_ref().map(|s| sink.inspect(&provider, r, s)) {
                    Some(Ok(Holds::Ours)) => " — holds lanyard's copy",
                    Some(Ok(Holds::Other)) => " — holds another value now (changed by another tool)",
                    Some(Ok(Holds::Gone)) => " — lanyard's entry is already gone",
                    Some(Err(_)) | None => "",
                };
                ui::say(&format!("  and from {}{now}", sink.describe(host.as_deref())));
            }
        }
        return Ok(Exit::Ok);
    }
    let registry = ctx.registry()?;
    // The store's lock first, then a fresh read: a refresh that ran meanwhile (it holds the same
    // lock while it rewrites sinks) has finished, and its new token is the one removed.
    let mut locked = store.lock()?;
    let mut removed = Vec::new();
    for key in &keys {
        let Some(stored) = locked.data.credentials.get(key).cloned() else { continue };
        // The secrets, to know which entries still hold lanyard's token and which leftovers hold
        // it; an unreachable keyring only skips those checks.
        let secrets = store.secrets(key, &stored).ok();
        let provider = registry.for_credential(key, &stored.record);
        for sink in &stored.record.sinks {
            let held = secrets.as_ref().map(|s| (&provider, s));
            sink.remove(&ctx.env, &stored.record, secrets.as_ref().map(|s| &s.token), held)?;
        }
        if let Some(s) = locked.remove(key)? {
            removed.push((key.clone(), s.record));
        }
    }
    locked.save()?;
    let registry = Some(registry);
    for (key, r) in removed {
        ui::say(&format!("Logged out of {key}: removed from {}.", store.path().display()));
        if let Some(p) = registry.as_ref().map(|reg| reg.for_credential(&key, &r)) {
            ui::say(&format!("  {}", crate::family::after_logout_note(&r, &p)));
        }
    }
    Ok(Exit::Ok)
}
