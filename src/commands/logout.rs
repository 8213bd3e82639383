//! `lanyard logout`: remove a credential (or all) from lanyard's store. It does not revoke the
//! token on the server, and says so.

use super::{Ctx, target_key};
use crate::cli::LogoutArgs;
use crate::error::{Error, Exit, Result};
use crate::provider::Provider;
use crate::provider::Site;
use crate::sink::{duumbi, nix, skillsctl};
use crate::store::sink_path;
use crate::ui;

/// Runs `lanyard logout`.
pub fn run(ctx: &Ctx, args: LogoutArgs) -> Result<Exit> {
    let store = ctx.store();
    let data = store.load()?;
    let keys: Vec<String> = if args.all {
        data.credentials.keys().cloned().collect()
    } else if let Some(t) = &args.target {
        vec![target_key(ctx, t)?]
    } else {
        let known: Vec<String> = data.credentials.keys().cloned().collect();
        if known.is_empty() {
            return Err(Error::new(Exit::NotLoggedIn, "not logged in anywhere").hint("nothing to log out of"));
        }
        let i = ui::choose(&ctx.env, ctx.no_input, "Log out of", &known, "`lanyard logout TARGET` or `--all`")?;
        vec![known[i].clone()]
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
        for key in &keys {
            ui::say(&format!("Dry run: would remove {key} from {}", store.path().display()));
            if let Some(tokens) = sink_path(&data.credentials[key].sinks, "nix") {
                ui::say(&format!("  and from {}", tokens.display()));
            }
        }
        return Ok(Exit::Ok);
    }
    for key in &keys {
        let cred = &data.credentials[key];
        if let (Some(tokens), Ok(site)) = (sink_path(&cred.sinks, "nix"), Site::parse(&cred.url)) {
            remove_from_nix(ctx, &tokens, &site)?;
        }
        cred.forget(key)?;
        if let Some(base) = cred.sinks.iter().find_map(|s| s.strip_prefix("git:")) {
            super::git_credential::remove_helper(base)?;
            ui::say(&format!("git: removed lanyard's credential helper for {base}."));
        }
        if let Some(path) = sink_path(&cred.sinks, "skillsctl") {
            skillsctl::remove(&path)?;
            ui::say(&format!("skillsctl: removed {}.", path.display()));
        }
        if let (Some(path), Some(name)) = (sink_path(&cred.sinks, "duumbi"), &cred.name)
            && duumbi::remove(&path, name)?
        {
            ui::say(&format!("duumbi: removed `[registries.{name}]` from {}.", path.display()));
        }
    }
    let mut locked = store.lock()?;
    let mut removed = Vec::new();
    for key in &keys {
        if let Some(c) = locked.data.credentials.remove(key) {
            removed.push((key.clone(), c));
        }
    }
    locked.save()?;
    let registry = ctx.registry().ok();
    for (key, c) in removed {
        ui::say(&format!("Logged out of {key}: removed from {}.", store.path().display()));
        let page = registry
            .as_ref()
            .and_then(|r| r.by_id(&c.provider).filter(|p| p.serves(&key)).cloned())
            .unwrap_or_else(|| Provider::for_family(c.family));
        let where_ = match (&page.token_page, Site::parse(&c.url)) {
            (Some(t), Ok(site)) => format!(" at {}", page.expand(t, &site)),
            _ => String::new(),
        };
        ui::say(&format!("  The token stays valid on the server until you revoke it{where_}."));
    }
    Ok(Exit::Ok)
}

/// Removes a host from the Nix include lanyard wrote, and says where else Nix finds a token.
fn remove_from_nix(ctx: &Ctx, tokens: &std::path::Path, site: &Site) -> Result<()> {
    let Some(host) = nix::nix_host(site) else { return Ok(()) };
    if nix::remove(tokens, &host)? {
        ui::say(&format!("Nix: removed the token for {host} from {}.", tokens.display()));
    }
    if let Some((_, origin)) = nix::effective(&ctx.env).tokens.get(&host) {
        ui::warn(&format!(
            "Nix still finds a token for {host} at {origin}; lanyard did not write it and leaves it there"
        ));
    }
    Ok(())
}
