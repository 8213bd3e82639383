//! `lanyard logout`: remove a credential (or all) from lanyard's store and every file it was
//! written to. It does not revoke the token on the server, and says so. With several accounts on
//! a host, `ACCOUNT@HOST` removes one; when it was active, another takes over the host's files.

use super::{Ctx, named};
use crate::cli::LogoutArgs;
use crate::credential::CredentialId;
use crate::error::{Error, Exit, Result};
use crate::sink::Holds;
use crate::store::Where;
use crate::ui;

/// Runs `lanyard logout`.
pub fn run(ctx: &Ctx, args: LogoutArgs) -> Result<Exit> {
    let store = ctx.store();
    let data = store.load()?;
    let label = |id: &CredentialId| {
        let r = &data.credentials[id].record;
        let state = crate::status::evaluate(&id.host, Some(r), ctx.now(), None, &crate::status::Probe::NotAsked).state;
        let active = if data.accounts(&id.host).nth(1).is_some() && data.is_active(id) { " (active)" } else { "" };
        format!("{} — {}{active} — {} — {}", id.host, id.account, r.provider, state.as_str())
    };
    let ids: Vec<CredentialId> = if args.all {
        let all: Vec<CredentialId> = data.credentials.keys().cloned().collect();
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
        let n = named(ctx, t)?;
        let accounts: Vec<CredentialId> = data.accounts(&n.host).map(|(id, _)| id.clone()).collect();
        match (&n.account, accounts.len()) {
            (Some(_), _) | (None, 0) => vec![data.find(&n.host, n.account.as_deref())?.0],
            (None, 1) => accounts,
            // Several accounts: which one is not guessed.
            (None, _) if !ctx.can_prompt() => {
                let names: Vec<String> = accounts.iter().map(|i| format!("`{}`", i.account)).collect();
                return Err(Error::usage(format!("{} has {} accounts: {}", n.host, accounts.len(), names.join(", ")))
                    // A hint never widens the scope (issue 23, item 25): one command per account.
                    .hint(format!(
                        "run {}",
                        accounts
                            .iter()
                            .map(|a| format!("`lanyard logout {}`", ui::shell_word(&a.to_string())))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )));
            }
            (None, _) => {
                let items: Vec<String> = accounts.iter().map(&label).collect();
                let i = ui::select(&ctx.env, ctx.no_input, "Log out of", &items, "`lanyard logout ACCOUNT@HOST`")?;
                vec![accounts[i].clone()]
            }
        }
    } else {
        let known: Vec<CredentialId> = data.credentials.keys().cloned().collect();
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
            let items: Vec<String> = known.iter().map(&label).collect();
            let i = ui::select(&ctx.env, ctx.no_input, "Log out of", &items, "`lanyard logout TARGET` or `--all`")?;
            vec![known[i].clone()]
        }
    };
    if ids.is_empty() {
        ui::say("Not logged in anywhere; nothing to do.");
        return Ok(Exit::Ok);
    }
    let hosts_all = |host: &str| data.accounts(host).all(|(i, _)| ids.contains(i));
    // A shared credential (SPEC §15): deleting it in Vault logs every machine out. `--shared`
    // deletes without asking; a terminal asks; off a terminal a named one is deleted (the host
    // was named) and `--all` keeps them in Vault, removing only this machine's view.
    let shared: Vec<&CredentialId> =
        ids.iter().filter(|id| store.where_is(&data.credentials[*id].record).shared()).collect();
    let vault_name = match shared.first().map(|id| store.where_is(&data.credentials[*id].record)) {
        Some(Where::Vault { name, .. }) => name,
        _ => "Vault".to_string(),
    };
    let delete_shared = if shared.is_empty() || args.shared {
        true
    } else if args.dry_run {
        !args.all
    } else if ctx.can_prompt() {
        let names = shared.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ");
        let q = format!(
            "{names} {} shared in {vault_name}: delete {} there too? Every machine loses {}",
            if shared.len() == 1 { "is" } else { "are" },
            if shared.len() == 1 { "it" } else { "them" },
            if shared.len() == 1 { "it" } else { "them" },
        );
        let yes = ui::confirm(&ctx.env, ctx.no_input, &q, "--shared")?;
        if !yes && !args.all {
            ui::say("Nothing changed.");
            return Ok(Exit::Ok);
        }
        yes
    } else {
        !args.all
    };
    if args.dry_run {
        let registry = ctx.registry()?;
        for id in &ids {
            let key = data.label(id);
            let stored = &data.credentials[id];
            let r = &stored.record;
            ui::say(&format!("Dry run: {}", store.where_is(r).would_remove(&key, delete_shared)));
            let next = data.accounts(&id.host).map(|(i, _)| i).find(|i| !ids.contains(i));
            if let (Some(next), false) = (next, r.sinks.is_empty() || hosts_all(&id.host)) {
                ui::say(&format!(
                    "  and make `{}` active: {} would get its token",
                    next.account,
                    crate::accounts::sink_names(&r.sinks)
                ));
                continue;
            }
            let host = r.site().ok().and_then(|s| crate::sink::nix::nix_host(&s));
            let provider = registry.for_credential(&id.host, r);
            let held = store.secrets(id, stored).ok();
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
    let mut held = Vec::new();
    let mut handed = Vec::new();
    let mut exit = Exit::Ok;
    for id in &ids {
        // `--revoke`: the server first; the local removal happens whatever it answers (SPEC §9).
        if args.revoke
            && let Some(stored) = locked.data.credentials.get(id).cloned()
        {
            let label = locked.data.label(id);
            let provider = registry.for_credential(&id.host, &stored.record);
            let outcome = store.open(id, &stored).and_then(|cred| {
                let http = ctx.http(provider.ca_file.as_deref())?;
                crate::family::revoke(&http, &provider, &cred)
            });
            match outcome {
                Ok(said) => {
                    ui::say(&format!("{label}: {said}"));
                }
                Err(e) => {
                    ui::error(&Error {
                        message: format!("{label}: {} (removed here all the same)", e.message),
                        ..e.clone()
                    });
                    exit = exit.worst(e.exit);
                }
            }
        }
        let key = locked.data.label(id);
        // An active account with another one staying: that one takes over the host's files.
        let next = locked.data.accounts(&id.host).map(|(i, _)| i.clone()).find(|i| !ids.contains(i));
        if let Some(next) = next.filter(|_| locked.data.is_active(id)) {
            crate::accounts::activate(&ctx.registry()?, &store, &mut locked, &next)?;
            handed.push((id.host.clone(), next.account));
        }
        let Some(stored) = locked.data.credentials.get(id).cloned() else { continue };
        // The secrets, to know which entries still hold lanyard's token and which leftovers hold
        // it; an unreachable keyring only skips those checks.
        let secrets = store.secrets(id, &stored).ok();
        let provider = registry.for_credential(&id.host, &stored.record);
        for sink in &stored.record.sinks {
            let held = secrets.as_ref().map(|s| (&provider, s));
            ui::tell(&sink.remove(&ctx.env, &stored.record, secrets.as_ref().map(|s| &s.token), held)?);
        }
        let gone = if delete_shared { locked.remove(id)? } else { locked.remove_here(id)? };
        if let Some(s) = gone {
            removed.push((key, id.host.clone(), s.record));
            held.push((id.clone(), secrets));
        }
    }
    locked.write()?;
    for gone in locked.purge_leftovers(&held) {
        ui::say(&format!("Deleted {}, which held a removed secret.", gone.display()));
    }
    drop(locked);
    for (key, host, r) in removed {
        let named = ui::shell_word(&CredentialId::new(&host, r.account()).to_string());
        ui::say(&format!("Logged out of {key}{}", store.where_is(&r).removed(&named, delete_shared)));
        if !args.revoke {
            ui::say(&format!("  {}", crate::family::after_logout_note(&r, &registry.for_credential(&host, &r))));
        }
    }
    for (host, account) in handed {
        ui::say(&format!("{host} now uses `{account}` (its other account), in lanyard and in the files it writes."));
    }
    Ok(exit)
}
