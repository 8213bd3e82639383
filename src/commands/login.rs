//! `lanyard login`: resolve the target, read a token (hidden prompt or stdin), check it with the
//! server, then store it. Nothing is stored unless the server accepted the token.

use std::time::Duration;

use chrono::Utc;

use super::Ctx;
use crate::cli::LoginArgs;
use crate::error::{Error, Exit, Result};
use crate::family::{self, Identity};
use crate::http::block_on;
use crate::provider::{Family, Provider, Site, detect};
use crate::store::{Credential, Storage, TokenKind};
use crate::ui;

/// How long each detection probe may take.
const DETECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `lanyard login`.
pub fn run(ctx: &Ctx, args: LoginArgs) -> Result<Exit> {
    let Some(target) = args.target.as_deref() else {
        return Err(Error::usage("name what to log in to").hint(
            "e.g. `lanyard login github`, `lanyard login git.example.com --provider gitea`",
        ));
    };
    let registry = ctx.registry()?;
    let store = ctx.store();
    let data = store.load()?;
    let resolved = registry.resolve(target, args.provider.as_deref(), |k| {
        data.providers.get(k).cloned()
    })?;
    let site = resolved.site;
    let key = site.key();
    let mut provider = match resolved.provider {
        Some(p) => p,
        None => {
            let http = crate::http::Http::new(&ctx.env, ctx.timeout.min(DETECT_TIMEOUT), None)?;
            let family = block_on(detect::detect(&http, &site))?;
            ui::say(&format!("Detected a {} server at {key}.", family.as_str()));
            Provider::for_family(family)
        }
    };
    if !args.scopes.is_empty() {
        provider.scopes = args.scopes.clone();
    }
    if !matches!(
        provider.family,
        Family::Github | Family::Gitlab | Family::Gitea | Family::Forgejo | Family::Token
    ) {
        return Err(Error::usage(format!(
            "logging in to the `{}` family is not supported by this lanyard yet",
            provider.family.as_str()
        ))
        .hint("use `--provider token` to store a bearer token"));
    }
    if data.credentials.contains_key(&key) && !args.force && !args.dry_run {
        let question = format!("Already logged in to {key}. Replace the credential?");
        if !ui::confirm(&ctx.env, ctx.no_input, &question, "--force to replace it")? {
            ui::say("Nothing changed.");
            return Ok(Exit::Ok);
        }
    }

    show_token_page(ctx, &provider, &site, args.no_browser || args.with_token);
    let token = ui::read_secret(
        &ctx.env,
        ctx.no_input,
        &format!("Paste the token for {key}"),
        args.with_token,
        "--with-token and pipe the token on stdin",
    )?;
    let kind = TokenKind::Pat;
    let http = ctx.http(provider.ca_file.as_deref())?;
    let identity: Identity = block_on(family::validate(&http, &provider, &site, &token, kind))?;

    let cred = Credential {
        url: site.base(),
        provider: provider.id.clone(),
        family: provider.family,
        user: identity.user.clone(),
        scopes: identity.scopes.clone().unwrap_or_default(),
        kind,
        token,
        expires_at: identity.expires_at,
        refresh_token: None,
        client_id: None,
        token_endpoint: None,
        storage: Storage::File,
        sinks: Vec::new(),
        created_at: Utc::now(),
    };
    let who = cred
        .user
        .as_deref()
        .map(|u| format!(" as {u}"))
        .unwrap_or_default();
    if args.dry_run {
        ui::say(&format!(
            "Dry run: the token for {key}{who} was accepted by the server and would be written to:"
        ));
        ui::say(&format!(
            "  {} (lanyard's store, plaintext file, mode 0600)",
            store.path().display()
        ));
        family_note(&provider);
        return Ok(Exit::Ok);
    }
    let mut locked = store.lock()?;
    locked.data.credentials.insert(key.clone(), cred);
    locked
        .data
        .providers
        .insert(key.clone(), provider.id.clone());
    locked.save()?;
    ui::say(&format!("Logged in to {key}{who} ({}).", provider.name));
    ui::say(&format!(
        "The token is stored in {} (a plaintext file, mode 0600: no OS keyring backend in this build).",
        store.path().display()
    ));
    family_note(&provider);
    Ok(Exit::Ok)
}

/// Tells where to create a token, and opens that page unless told not to.
fn show_token_page(ctx: &Ctx, provider: &Provider, site: &Site, no_browser: bool) {
    let Some(template) = &provider.token_page else {
        return;
    };
    let url = provider.expand(template, site);
    match provider.family {
        Family::Gitea | Family::Forgejo => ui::say(&format!(
            "Create a token at {url} with the scopes {} ticked, then paste it.",
            provider.scopes.join(", ")
        )),
        _ => ui::say(&format!(
            "Create a token at {url} (scopes: {}), then paste it.",
            provider.scopes.join(", ")
        )),
    }
    if !no_browser {
        ui::open_browser(&ctx.env, &url);
    }
}

fn family_note(provider: &Provider) {
    if matches!(provider.family, Family::Gitea | Family::Forgejo) {
        ui::say(
            "Nix's `access-tokens` does not apply to Gitea/Forgejo; git reaches them through a credential helper.",
        );
    }
}
