//! `lanyard login`: resolve the target, obtain a credential by the device flow (when a client id
//! is configured) or a pasted token, check it with the server, then write it to lanyard's store
//! and the files of the tools that use it. Nothing is stored unless the server accepted it.

use std::time::Duration;

use chrono::Utc;

use super::Ctx;
use crate::cli::LoginArgs;
use crate::error::{Error, Exit, Result};
use crate::family;
use crate::flow::{self, DeviceEndpoints, oauth};
use crate::http::{Http, block_on};
use crate::provider::{Device, Family, Provider, Site, detect};
use crate::secret::Secret;
use crate::sink::nix;
use crate::store::{Credential, Storage, TokenKind};
use crate::ui;

/// How long each detection probe may take.
const DETECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `lanyard login`.
pub fn run(ctx: &Ctx, args: LoginArgs) -> Result<Exit> {
    let Some(target) = args.target.as_deref() else {
        return Err(Error::usage("name what to log in to")
            .hint("e.g. `lanyard login github`, `lanyard login git.example.com --provider gitea`"));
    };
    let registry = ctx.registry()?;
    let store = ctx.store();
    let data = store.load()?;
    let resolved = registry.resolve(target, args.provider.as_deref(), |k| data.providers.get(k).cloned())?;
    let site = resolved.site;
    let key = site.key();
    let mut provider = match resolved.provider {
        Some(p) => p,
        None => {
            let http = Http::new(&ctx.env, ctx.timeout.min(DETECT_TIMEOUT), None)?;
            let family = block_on(detect::detect(&http, &site))?;
            ui::say(&format!("Detected a {} server at {key}.", family.as_str()));
            Provider::for_family(family)
        }
    };
    if !args.scopes.is_empty() {
        provider.scopes = args.scopes.clone();
    }
    if let Some(id) = &args.client_id {
        let d = provider.device.get_or_insert(Device {
            client_id: None,
            authorization_url: String::new(),
            token_url: String::new(),
        });
        d.client_id = Some(id.clone());
    }
    let supported = [Family::Github, Family::Gitlab, Family::Gitea, Family::Forgejo, Family::Oidc, Family::Token];
    if !supported.contains(&provider.family) {
        return Err(Error::usage(format!(
            "logging in to the `{}` family is not supported by this lanyard yet",
            provider.family.as_str()
        ))
        .hint("use `--provider token` to store a bearer token"));
    }
    let device = provider.client_id().is_some()
        && !args.with_token
        && matches!(provider.family, Family::Github | Family::Gitlab | Family::Oidc);
    if provider.family == Family::Oidc && !device {
        return Err(Error::usage(format!("logging in to the OpenID provider `{key}` needs an OAuth client id"))
            .hint("pass --client-id ID, or set `[device] client_id` in a provider file"));
    }
    if data.credentials.contains_key(&key) && !args.force && !args.dry_run {
        let question = format!("Already logged in to {key}. Replace the credential?");
        if !ui::confirm(&ctx.env, ctx.no_input, &question, "--force to replace it")? {
            ui::say("Nothing changed.");
            return Ok(Exit::Ok);
        }
    }
    let http = ctx.http(provider.ca_file.as_deref())?;
    let issuer = issuer(&provider, &site, target);
    let (cred, nix_plan) = if device {
        device_credential(ctx, &http, &provider, &site, &issuer, &args)?
    } else {
        pasted_credential(ctx, &http, &provider, &site, &args)?
    };

    let who = cred.user.as_deref().map(|u| format!(" as {u}")).unwrap_or_default();
    if args.dry_run {
        ui::say(&format!("Dry run: the credential for {key}{who} was accepted by the server and would be written to:"));
        ui::say(&format!("  {} (lanyard's store, plaintext file, mode 0600)", store.path().display()));
        if let Some((paths, host, _)) = &nix_plan {
            ui::say(&format!("  {} (Nix `access-tokens`, as `{host}=…`)", paths.tokens.display()));
            ui::say(&format!("  {} (gets `!include {}` unless it has it)", paths.conf.display(), nix::TOKENS_FILE));
        }
        family_note(&provider);
        return Ok(Exit::Ok);
    }
    let mut cred = cred;
    if let Some((paths, host, value)) = &nix_plan {
        write_nix(ctx, paths, host, value)?;
        cred.sinks.push(crate::store::sink_name("nix", &paths.tokens));
    }
    let mut locked = store.lock()?;
    locked.data.credentials.insert(key.clone(), cred);
    locked.data.providers.insert(key.clone(), provider.id.clone());
    locked.save()?;
    ui::say(&format!("Logged in to {key}{who} ({}).", provider.name));
    ui::say(&format!(
        "The credential is stored in {} (a plaintext file, mode 0600: no OS keyring backend in this build).",
        store.path().display()
    ));
    family_note(&provider);
    Ok(Exit::Ok)
}

/// The OpenID issuer: the provider's, else the TARGET URL as given (it may have a path, as a
/// Keycloak realm does), else the site's origin.
fn issuer(provider: &Provider, site: &Site, target: &str) -> String {
    if let Some(t) = &provider.issuer {
        return provider.expand(t, site);
    }
    if target.contains("://") {
        return target.trim_end_matches('/').to_string();
    }
    site.base()
}

type NixPlan = Option<(nix::Paths, String, Secret)>;

/// A credential from the device flow (RFC 8628).
fn device_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    issuer: &str,
    args: &LoginArgs,
) -> Result<(Credential, NixPlan)> {
    let client_id = provider.client_id().expect("device flow needs a client id").to_string();
    let d = provider.device.as_ref().expect("a client id lives in [device]");
    let (endpoints, userinfo) = if provider.family == Family::Oidc {
        let disc = block_on(oauth::discover(http, issuer))?;
        let Some(auth) = disc.device_authorization_endpoint.clone() else {
            return Err(Error::usage(format!("the OpenID provider `{issuer}` does not offer the device flow"))
                .hint("enable the device authorization grant on the provider"));
        };
        (DeviceEndpoints { authorization_url: auth, token_url: disc.token_endpoint }, disc.userinfo_endpoint)
    } else {
        let endpoints = DeviceEndpoints {
            authorization_url: provider.expand(&d.authorization_url, site),
            token_url: provider.expand(&d.token_url, site),
        };
        (endpoints, None)
    };
    let tokens =
        block_on(flow::device_login(http, &ctx.env, &endpoints, &client_id, &provider.scopes, args.no_browser))?;
    let kind = TokenKind::Oauth;
    let nix_plan = nix_plan(ctx, provider, site, kind, &tokens.access_token, args.no_nix)?;
    let now = Utc::now();
    let (user, scopes, server_expiry) = if provider.family == Family::Oidc {
        let user = match &userinfo {
            Some(url) => block_on(oauth::userinfo(http, url, &tokens.access_token, &site.key()))?,
            None => None,
        };
        (user, tokens.scope.as_deref().map(split_scopes).unwrap_or_default(), None)
    } else {
        let id = block_on(family::validate(http, provider, site, &tokens.access_token, kind))?;
        let scopes = id.scopes.or_else(|| tokens.scope.as_deref().map(split_scopes)).unwrap_or_default();
        (id.user, scopes, id.expires_at)
    };
    let cred = Credential {
        url: site.base(),
        provider: provider.id.clone(),
        family: provider.family,
        user,
        scopes,
        kind,
        expires_at: tokens.expires_at(now).or(server_expiry),
        token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        id_token: tokens.id_token,
        issuer: (provider.family == Family::Oidc).then(|| issuer.to_string()),
        client_id: Some(client_id),
        token_endpoint: Some(endpoints.token_url),
        storage: Storage::File,
        sinks: Vec::new(),
        created_at: now,
    };
    Ok((cred, nix_plan))
}

fn split_scopes(s: &str) -> Vec<String> {
    s.split([' ', ',']).filter(|x| !x.is_empty()).map(String::from).collect()
}

/// A credential from a pasted token, checked with the server.
fn pasted_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    args: &LoginArgs,
) -> Result<(Credential, NixPlan)> {
    let key = site.key();
    show_token_page(ctx, provider, site, args.no_browser || args.with_token);
    let token = ui::read_secret(
        &ctx.env,
        ctx.no_input,
        &format!("Paste the token for {key}"),
        args.with_token,
        "--with-token and pipe the token on stdin",
    )?;
    let kind = TokenKind::Pat;
    let nix_plan = nix_plan(ctx, provider, site, kind, &token, args.no_nix)?;
    let identity = block_on(family::validate(http, provider, site, &token, kind))?;
    let cred = Credential {
        url: site.base(),
        provider: provider.id.clone(),
        family: provider.family,
        user: identity.user,
        scopes: identity.scopes.unwrap_or_default(),
        kind,
        token,
        expires_at: identity.expires_at,
        refresh_token: None,
        id_token: None,
        issuer: None,
        client_id: None,
        token_endpoint: None,
        storage: Storage::File,
        sinks: Vec::new(),
        created_at: Utc::now(),
    };
    Ok((cred, nix_plan))
}

/// Tells where to create a token, and opens that page unless told not to.
fn show_token_page(ctx: &Ctx, provider: &Provider, site: &Site, no_browser: bool) {
    let Some(template) = &provider.token_page else { return };
    let url = provider.expand(template, site);
    match provider.family {
        Family::Gitea | Family::Forgejo => ui::say(&format!(
            "Create a token at {url} with the scopes {} ticked, then paste it.",
            provider.scopes.join(", ")
        )),
        _ => ui::say(&format!("Create a token at {url} (scopes: {}), then paste it.", provider.scopes.join(", "))),
    }
    if !no_browser {
        ui::open_browser(&ctx.env, &url);
    }
}

/// Decides whether and how the token goes into Nix, and checks everything that could refuse it
/// before anything is stored.
fn nix_plan(
    ctx: &Ctx,
    provider: &Provider,
    site: &Site,
    kind: TokenKind,
    token: &Secret,
    no_nix: bool,
) -> Result<NixPlan> {
    let Some(value) = nix::entry_value(provider.nix, kind, token) else { return Ok(None) };
    if no_nix {
        return Ok(None);
    }
    nix::check_token(token)?;
    let Some(host) = nix::nix_host(site) else {
        ui::warn(&format!(
            "Nix's `access-tokens` cannot name a port, so the token for {} is not written to Nix",
            site.key()
        ));
        return Ok(None);
    };
    let paths = nix::Paths::locate(&ctx.env, ctx.nix_conf.as_deref())?;
    nix::preflight(&paths)?;
    Ok(Some((paths, host, value)))
}

/// Writes the Nix include and tells what happened to nix.conf.
fn write_nix(ctx: &Ctx, paths: &nix::Paths, host: &str, value: &Secret) -> Result<()> {
    match nix::set(paths, host, value)? {
        nix::Include::Present => ui::say(&format!("Nix: token for {host} written to {}.", paths.tokens.display())),
        nix::Include::Added { backup, migrated } => {
            ui::say(&format!(
                "Nix: token for {host} written to {}; {} now ends with `!include {}`.",
                paths.tokens.display(),
                paths.conf.display(),
                nix::TOKENS_FILE
            ));
            if let Some(b) = backup {
                ui::say(&format!("  Backup of the previous nix.conf: {}", b.display()));
            }
            if !migrated.is_empty() {
                ui::say(&format!("  Moved the `access-tokens` of nix.conf into the include: {}", migrated.join(", ")));
            }
        }
        nix::Include::ReadOnly(reads) => {
            ui::say(&format!("Nix: token for {host} written to {}.", paths.tokens.display()));
            if !reads {
                for line in nix::read_only_advice(paths) {
                    ui::warn(&line);
                }
            }
        }
    }
    let eff = nix::effective(&ctx.env);
    for (h, hidden_at, by) in &eff.hidden {
        if by.file == paths.tokens {
            ui::warn(&format!(
                "Nix: the token for {h} at {hidden_at} is hidden by lanyard's `access-tokens` line ({by})"
            ));
        }
    }
    if let Some((_, origin)) = eff.tokens.get(host).filter(|(_, o)| o.file != paths.tokens) {
        ui::warn(&format!("Nix: {origin} sets another token for {host}, and Nix uses that one"));
    }
    Ok(())
}

fn family_note(provider: &Provider) {
    if matches!(provider.family, Family::Gitea | Family::Forgejo) {
        ui::say("Nix's `access-tokens` does not apply to Gitea/Forgejo; git reaches them through a credential helper.");
    }
}
