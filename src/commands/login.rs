//! `lanyard login`: resolve the target (completed by what lanyard stored at the last login of
//! that host), choose the flow, let the family obtain a credential the server accepted, then
//! write it to the tools' files and lanyard's store. Nothing is stored unless the server accepted it.

use super::Ctx;
use crate::cli::LoginArgs;
use crate::credential::{CredentialId, Record, TokenKind};
use crate::error::{Error, Exit, Result};
use crate::family::detect;
use crate::family::{self, Recipe, Request};
use crate::provider::{Device, Provider, Site};
use crate::sink::{Sink, git};
use crate::store::Where;
use crate::ui;

/// Runs `lanyard login`.
pub fn run(ctx: &Ctx, mut args: LoginArgs) -> Result<Exit> {
    let registry = ctx.registry()?;
    let chosen_target;
    // `ACCOUNT@TARGET` (as `status` prints for one of several accounts): the account is the user
    // name for the families that ask for one, and the account whose record is the recipe.
    let (account, typed) = match args.target.as_deref() {
        Some(t) => {
            let (a, rest) = super::split_account(t);
            (a, Some(rest))
        }
        None => (None, None),
    };
    if args.user.is_none() {
        args.user = account.clone();
    }
    let target = match typed.as_deref() {
        Some(t) => t,
        None => {
            chosen_target = match family::default_target(args.provider.as_deref(), &ctx.env) {
                Some(t) => t,
                None => crate::ui::choose_target(ctx.can_prompt(), &registry.menu())?,
            };
            &chosen_target
        }
    };
    let store = ctx.store();
    let data = store.load()?;
    let resolved = registry.resolve(target, args.provider.as_deref(), |k| data.providers.get(k).cloned())?;
    // A host typed without a scheme means the stored credential's URL (a loopback server on
    // plain http stays on http), and the stored record is the recipe for everything not typed.
    let active = match &account {
        Some(a) => data.find(&resolved.site.key(), Some(a)).ok().or_else(|| data.active(&resolved.site.key())),
        None => data.active(&resolved.site.key()),
    };
    let stored = active.as_ref().map(|(_, s)| &s.record);
    let site = match stored {
        Some(r) if !target.contains("://") => r.site()?,
        _ => resolved.site,
    };
    let key = site.key();
    let mut provider = match (resolved.provider, stored) {
        (Some(p), Some(r)) if args.provider.is_none() && p.id != r.provider => registry.for_credential(&key, r),
        (Some(p), _) => p,
        (None, Some(r)) => registry.for_credential(&key, r),
        (None, None) => {
            // Said first: detection may wait up to `--timeout` on a slow server (issue 23, item 24).
            ui::say(&format!("Asking {key} what kind of server it is…"));
            let p = detect::detect_provider(&ctx.env, ctx.timeout, &site)?;
            ui::say(&format!("Detected a {} server at {key}.", p.family.as_str()));
            p
        }
    };
    // A stored credential of another OpenID issuer on this host (another realm) is not the recipe:
    // its client belongs to that issuer (N12).
    let stored = stored.filter(|r| {
        r.issuer
            .as_deref()
            .is_none_or(|i| !target.contains("://") || i.trim_end_matches('/') == target.trim_end_matches('/'))
    });
    let recipe = recipe(&args, stored, &mut provider);
    registry_scopes(ctx, &args, &key, &mut provider);
    let http = ctx.http(provider.ca_file.as_deref())?;
    let issuer = issuer(&provider, &site, target, stored);
    // What the server says about its OAuth endpoints and clients (asked once; not for a paste).
    // The client lanyard registered with this issuer earlier (RFC 7591), if any.
    let registered = data.client(&family::issuer_of(&issuer, provider.family, &site.base()));
    let (meta, pre_registered) = if args.with_token {
        (None, false)
    } else {
        family::oauth_facts(&http, &provider, &site, &issuer, registered.is_some())?
    };
    let forced = match (args.device, args.web) {
        (true, _) => Some(crate::flow::Forced::Device),
        (_, true) => Some(crate::flow::Forced::Web),
        _ => None,
    };
    let facts = crate::flow::Facts {
        with_token: args.with_token,
        forced,
        remembered: stored.map(|r| r.kind),
        registered,
        meta: meta.as_ref(),
        pre_registered,
    };
    let flow = family::flow(&provider, &key, &facts)?;
    let chosen = store.choose(args.storage, ctx.config.storage)?;
    if chosen.storage == crate::credential::Storage::Encrypted {
        // Before anything is authorized: the encrypted store must open (SPEC §15: login may ask
        // for the passphrase, in this process only).
        let sealed = store.encrypted();
        if let Err(e) = sealed.ready() {
            if !(sealed.needs_passphrase() && sealed.key_file().exists() && ctx.can_prompt()) {
                return Err(e);
            }
            let p = ui::read_secret(
                &ctx.env,
                ctx.no_input,
                "Passphrase of lanyard's encrypted store",
                false,
                "`lanyard unlock --passphrase-stdin` first",
            )?;
            sealed.unlock(&p)?;
        }
    }
    let remember = crate::accounts::remember_client(&store);
    let req = Request {
        env: &ctx.env,
        nix_conf: ctx.nix_conf.as_deref(),
        no_input: ctx.no_input,
        remember_client: &remember,
        http: &http,
        provider: &provider,
        site: &site,
        issuer,
        flow,
        recipe: &recipe,
        data: &data,
    };
    let command = login_command(&site, &provider, &args, &recipe);
    let outcome = family::obtain(&req).map_err(|e| e.with_command(&format!("lanyard login {key}"), &command))?;
    let Some(obtained) = outcome else {
        // Remember the server, so that `status HOST` can say it is open (exit 0) instead of
        // "not logged in": a script gating on `status` passes.
        let mut locked = store.lock()?;
        locked.data.providers.insert(key.clone(), provider.id.clone());
        locked.save()?;
        ui::say(&format!("{key} does not require authentication; `lanyard status {key}` will say so."));
        return Ok(Exit::Ok);
    };
    let mut cred = obtained.cred;
    let who = cred.record.user.as_deref().map(|u| format!(" as {u}")).unwrap_or_default();
    let new_id = CredentialId::of(&key, &cred.record);
    if let Some(a) = account.as_ref().filter(|a| **a != new_id.account) {
        ui::warn(&format!(
            "the server says the token belongs to `{}`, not `{a}`; it is kept as `{}`",
            new_id.account, new_id.account
        ));
    }
    // Accounts are keyed by host (SPEC §15): the same name at another issuer of this host (another
    // OpenID realm) is another person's account, replaced only with `--force` (N12).
    if let Some(old) = data.credentials.get(&new_id)
        && let (Some(was), Some(now)) = (&old.record.issuer, &cred.record.issuer)
        && was.trim_end_matches('/') != now.trim_end_matches('/')
        && !args.force
        && !args.dry_run
    {
        return Err(Error::usage(format!(
            "`{}` on {key} is already the account of issuer `{was}`; this login was at issuer `{now}`; nothing changed",
            new_id.account
        ))
        .hint(format!("run `{command} --force` to replace it")));
    }
    // The very token already stored for that account: nothing to replace (as gh answers 0).
    // (Every file it was written to must still hold it; else the login repairs them.)
    if !args.dry_run
        && !args.force
        && data.is_active(&new_id)
        && let Some(old) = data.credentials.get(&new_id)
        && old.record.expires_at == cred.record.expires_at
        && let Ok(held) = store.secrets(&new_id, old)
        && held.token == cred.secrets.token
        && old.record.issuer == cred.record.issuer
        && obtained.plans.iter().all(|p| old.record.sinks.contains(&p.sink()))
        && old
            .record
            .sinks
            .iter()
            .all(|k| matches!(k.inspect(&provider, &old.record, &held), Ok(crate::sink::Holds::Ours)))
    {
        ui::say(&format!("Already logged in to {key} as {} with this token; nothing changed.", new_id.account));
        return Ok(Exit::Ok);
    }
    // Adding another account needs no question; replacing one does, asked once the server has
    // said whose token it is (issue 23, item 29): a yes on a terminal, `--force` elsewhere.
    if !args.force && !args.dry_run && data.credentials.contains_key(&new_id) {
        if !ctx.can_prompt() {
            return Err(Error::usage(format!("already logged in to {key} as {}; nothing changed", new_id.account))
                .hint(format!("run `{command} --force` to replace it")));
        }
        let question =
            format!("Already logged in to {key} as {}. Replace that credential with this one?", new_id.account);
        if !ui::confirm(&ctx.env, ctx.no_input, &question, "--force to replace it")? {
            ui::say("Nothing changed.");
            return Ok(Exit::Ok);
        }
    }
    if args.dry_run {
        ui::say(&format!("Dry run: the credential for {key}{who} was accepted by the server and would be written to:"));
        ui::say(&format!(
            "  {} (lanyard's store, {})",
            store.path().display(),
            store.where_new(chosen.storage).summary()
        ));
        for plan in &obtained.plans {
            ui::say(&format!("  {}", plan.describe()));
        }
        note(&provider);
        return Ok(Exit::Ok);
    }
    cred.record.storage = chosen.storage;
    let file_sinks = !obtained.plans.is_empty();
    let (prev, notes) = crate::accounts::commit(&ctx.env, &store, &key, &provider, cred, &obtained.plans, true)?;
    ui::tell(&notes);
    ui::say(&format!("Logged in to {key}{who} ({}).", provider.name));
    if let Some(prev_id) = prev.filter(|p| *p != new_id) {
        ui::say(&format!(
            "`{}` is now the active account of {key}; `{}` is kept: `lanyard switch {key} {}` switches back.",
            new_id.account,
            prev_id.account,
            ui::shell_word(&prev_id.account)
        ));
    }
    let kept = store.where_new(chosen.storage);
    match (&kept, &chosen.no_keyring) {
        (Where::Keyring { .. }, _) => ui::say("The secret is in the OS keyring."),
        (Where::Encrypted { path, .. }, _) => ui::say(&format!("The secret is encrypted in {} (age).", path.display())),
        (Where::Vault { name, .. }, _) => {
            ui::say(&format!("The credential is shared: {name}; every machine configured with that path uses it."))
        }
        (Where::File { path }, Some(why)) => ui::warn(&format!(
            "the secret is in a plaintext file, {} (mode 0600): no OS keyring answered ({why})",
            path.display()
        )),
        (Where::File { path }, None) => {
            ui::say(&format!("The secret is in a plaintext file, {} (mode 0600).", path.display()))
        }
    }
    if matches!(kept, Where::Keyring { .. }) && file_sinks {
        ui::say("Tools that read files (Nix, skillsctl, duumbi) still get their own copy: they cannot read a keyring.");
    }
    if args.netrc {
        let data = store.load_one(&key, Some(&new_id.account))?;
        let (id, stored) = data.find(&key, Some(&new_id.account))?;
        let cred = store.open(&id, stored)?;
        ui::tell(&crate::accounts::add_netrc(&ctx.registry()?, &store, &ctx.env, &id, &cred, &id.host)?);
    }
    note(&provider);
    offer_git(ctx, &store, &key, &site, &provider)?;
    Ok(Exit::Ok)
}

/// The flags completed by the stored record: account, registry name, skillsctl's path, granted
/// OAuth scopes and the client id a re-login needs. A flag always wins.
fn recipe(args: &LoginArgs, stored: Option<&Record>, provider: &mut Provider) -> Recipe {
    let mut r = Recipe {
        with_token: args.with_token,
        with_password: args.with_password,
        no_browser: args.no_browser,
        no_nix: args.no_nix,
        user: args.user.clone(),
        name: args.name.clone(),
        credentials_path: args.credentials_path.clone(),
        scopes: args.scopes.clone(),
        force: args.force,
        given: None,
    };
    let client_id = args.client_id.clone().or_else(|| {
        stored
            .filter(|_| provider.client_id().is_none() && family::reuses_client_id(provider.family))
            .and_then(|s| s.client_id.clone())
    });
    if let Some(s) = stored {
        if matches!(s.kind, TokenKind::Jwt | TokenKind::Basic) {
            r.user = r.user.or_else(|| s.user.clone());
        }
        r.name = r.name.or_else(|| s.name.clone());
        r.credentials_path = r.credentials_path.or_else(|| {
            s.sinks.iter().find_map(|k| match k {
                Sink::Skillsctl { path } => Some(path.clone()),
                _ => None,
            })
        });
        if r.scopes.is_empty() && s.kind == TokenKind::Oauth && client_id.is_some() {
            r.scopes = s.scopes.clone();
        }
    }
    if !r.scopes.is_empty() {
        provider.scopes = r.scopes.clone();
    }
    if let Some(id) = client_id {
        let d = provider.device.get_or_insert(Device {
            client_id: None,
            authorization_url: String::new(),
            token_url: String::new(),
        });
        d.client_id = Some(id);
    }
    r
}

/// The OpenID issuer: the provider's, else the TARGET URL as given (it may have a path, as a
/// Keycloak realm does), else the stored one, else the site's origin.
fn issuer(provider: &Provider, site: &Site, target: &str, stored: Option<&Record>) -> String {
    if let Some(t) = &provider.issuer {
        return provider.expand(t, site);
    }
    if target.contains("://") {
        return target.trim_end_matches('/').to_string();
    }
    stored.and_then(|r| r.issuer.clone()).unwrap_or_else(|| site.base())
}

/// The command that repeats this login, for hints printed before anything was stored: the URL
/// when it is not plain https, and every flag the server cannot be found again without.
fn login_command(site: &Site, provider: &Provider, args: &LoginArgs, recipe: &Recipe) -> String {
    let mut cmd = format!("lanyard login {}", if site.scheme == "https" { site.key() } else { site.base() });
    if args.provider.is_some() || !provider.hosts.contains(&site.key()) {
        cmd.push_str(&format!(" --provider {}", provider.id));
    }
    if let Some(id) = &args.client_id {
        cmd.push_str(&format!(" --client-id {id}"));
    }
    if let Some(n) = &recipe.name {
        cmd.push_str(&format!(" --name {n}"));
    }
    if let Some(p) = &args.credentials_path {
        cmd.push_str(&format!(" --credentials-path {}", ui::shell_word(&p.to_string_lossy())));
    }
    cmd
}

fn note(provider: &Provider) {
    if let Some(n) = family::after_login_note(provider) {
        ui::say(n);
    }
}

/// After a forge login: when git has no lanyard helper for the host, offer to set it up on a
/// terminal (as `gh auth login` does), or name the command elsewhere.
fn offer_git(
    ctx: &Ctx,
    store: &crate::store::Store,
    key: &str,
    site: &crate::provider::Site,
    provider: &crate::provider::Provider,
) -> Result<()> {
    if !crate::family::used_by_git(provider.family) {
        return Ok(());
    }
    let base = site.base();
    // No git here (or no readable git config): nothing to offer.
    let Ok(false) = git::has_helper(&base) else { return Ok(()) };
    let command = format!("lanyard setup-git {key}");
    if !ctx.can_prompt() {
        ui::say(&format!("{}: to let git use this token for {base}, run `{command}`.", Sink::GIT));
        return Ok(());
    }
    let question = format!("Let git use this token for {base}? (adds lanyard as its credential helper)");
    if !ui::confirm(&ctx.env, ctx.no_input, &question, "--no-input")? {
        ui::say(&format!("{}: not set up; `{command}` does it later.", Sink::GIT));
        return Ok(());
    }
    git::add_helper(&ctx.env, &ctx.config_dir, &base)?;
    let mut locked = store.lock()?;
    let sink = Sink::Git { base: base.clone() };
    if let Some(id) = locked.data.active_id(key)
        && let Some(c) = locked.data.credentials.get_mut(&id)
        && !c.record.sinks.contains(&sink)
    {
        c.record.sinks.push(sink);
        locked.save()?;
    }
    ui::say(&format!("{}: lanyard is now the credential helper for {base}.", Sink::GIT));
    Ok(())
}

/// Registries this host's credential answers for the container tools (set up with
/// `setup-docker`): the login asks for the scopes they need (SPEC §12), and for GitHub's, which
/// take only classic tokens, the paste points at a classic token (SPEC §15). `--scopes` wins.
fn registry_scopes(ctx: &Ctx, args: &LoginArgs, key: &str, provider: &mut Provider) {
    if !args.scopes.is_empty() {
        return;
    }
    let files = crate::sink::docker::files(&ctx.env).unwrap_or_default();
    let set_up: Vec<String> = family::registries(provider.family, key)
        .into_iter()
        .filter(|r| {
            files.iter().any(|f| {
                crate::sink::docker::inspect(f, std::slice::from_ref(r))
                    .iter()
                    .any(|(_, e)| *e == crate::sink::docker::Entry::Ours)
            })
        })
        .collect();
    let extra = family::registry_scopes(provider.family);
    if set_up.is_empty() || extra.is_empty() {
        return;
    }
    for s in extra {
        if !provider.scopes.iter().any(|have| have == s) {
            provider.scopes.push(s.to_string());
        }
    }
    if let Some(page) = family::registry_token_page(provider.family) {
        provider.token_page = Some(page.to_string());
    }
    ui::say(&format!(
        "{} answered by lanyard for the container tools: the token needs {} too.",
        set_up.join(", "),
        extra.join(", ")
    ));
}
