//! `lanyard login`: resolve the target, obtain a credential by the device flow (when a client id
//! is configured) or a pasted token, check it with the server, then write it to lanyard's store
//! and the files of the tools that use it. Nothing is stored unless the server accepted it.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;

use super::Ctx;
use crate::cli::LoginArgs;
use crate::error::{Error, Exit, Result};
use crate::family::{self, duh, duumbi, skillsctl};
use crate::flow::{self, DeviceEndpoints, oauth};
use crate::http::{Http, block_on};
use crate::provider::{Device, Family, Provider, Site, detect};
use crate::secret::Secret;
use crate::sink::duumbi as duumbi_sink;
use crate::sink::nix;
use crate::sink::skillsctl as skillsctl_sink;
use crate::store::{Credential, Data, Storage, TokenKind, sink_name, sink_path};
use crate::ui;

/// How long each detection probe may take.
const DETECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `lanyard login`.
pub fn run(ctx: &Ctx, args: LoginArgs) -> Result<Exit> {
    let default_server;
    let target = match (args.target.as_deref(), args.provider.as_deref()) {
        (Some(t), _) => t,
        (None, Some("skillsctl")) => {
            default_server = skillsctl::default_server(&ctx.env);
            &default_server
        }
        (None, _) => {
            return Err(Error::usage("name what to log in to")
                .hint("e.g. `lanyard login github`, `lanyard login git.example.com --provider gitea`"));
        }
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
    let outcome = match provider.family {
        _ if device => Some(device_credential(ctx, &http, &provider, &site, &issuer, &args)?),
        Family::Skillsctl => skillsctl_credential(ctx, &http, &provider, &site, &data, &args)?,
        Family::Duumbi => Some(duumbi_credential(ctx, &http, &provider, &site, &args)?),
        Family::Duh => duh_credential(ctx, &http, &provider, &site, &args)?,
        Family::Basic => Some(basic_credential(ctx, &http, &provider, &site, &args)?),
        _ => Some(pasted_credential(ctx, &http, &provider, &site, &args)?),
    };
    let Some((cred, sinks)) = outcome else {
        ui::say("Server does not require authentication.");
        return Ok(Exit::Ok);
    };

    let who = cred.user.as_deref().map(|u| format!(" as {u}")).unwrap_or_default();
    if args.dry_run {
        ui::say(&format!("Dry run: the credential for {key}{who} was accepted by the server and would be written to:"));
        ui::say(&format!("  {} (lanyard's store, plaintext file, mode 0600)", store.path().display()));
        for sink in &sinks {
            ui::say(&format!("  {}", sink.describe()));
        }
        family_note(&provider);
        return Ok(Exit::Ok);
    }
    let (storage, no_keyring) = crate::store::choose_storage(args.storage, &ctx.env, &ctx.config_dir)?;
    let mut cred = cred;
    cred.storage = storage;
    for sink in &sinks {
        cred.sinks.push(sink.write(ctx, &cred)?);
    }
    let mut locked = store.lock()?;
    if let Some(old) = locked.data.credentials.get(&key)
        && old.storage != cred.storage
    {
        old.forget(&key)?;
    }
    // skillsctl's file holds one server's token: it now belongs to this credential only.
    for (k, other) in locked.data.credentials.iter_mut() {
        if *k != key {
            other.sinks.retain(|s| !(s.starts_with("skillsctl:") && cred.sinks.contains(s)));
        }
    }
    let locked_sinks = cred.sinks.clone();
    locked.data.credentials.insert(key.clone(), cred);
    locked.data.providers.insert(key.clone(), provider.id.clone());
    locked.save()?;
    ui::say(&format!("Logged in to {key}{who} ({}).", provider.name));
    match (storage, no_keyring) {
        (Storage::Keyring, _) => ui::say("The secret is in the OS keyring."),
        (Storage::File, Some(why)) => ui::warn(&format!(
            "the secret is in a plaintext file, {} (mode 0600): no OS keyring answered ({why})",
            store.path().display()
        )),
        (Storage::File, None) => {
            ui::say(&format!("The secret is in a plaintext file, {} (mode 0600).", store.path().display()))
        }
    }
    if storage == Storage::Keyring && has_file_sinks(&locked_sinks) {
        ui::say("Tools that read files (Nix, skillsctl, duumbi) still get their own copy: they cannot read a keyring.");
    }
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

/// A file of another tool that the new credential goes to, checked before anything is stored.
enum Sink {
    /// Nix's `access-tokens` include.
    Nix(nix::Paths, String, Secret),
    /// skillsctl's credentials.json.
    Skillsctl(PathBuf),
    /// duumbi's credentials.toml, under a registry name.
    Duumbi(PathBuf, String),
}

impl Sink {
    fn from_nix(plan: NixPlan) -> Vec<Sink> {
        plan.map(|(p, h, v)| Sink::Nix(p, h, v)).into_iter().collect()
    }

    fn describe(&self) -> String {
        match self {
            Sink::Nix(paths, host, _) => format!(
                "{} (Nix `access-tokens`, as `{host}=…`; {} gets `!include {}` unless it has it)",
                paths.tokens.display(),
                paths.conf.display(),
                nix::TOKENS_FILE
            ),
            Sink::Skillsctl(p) => format!("{} (skillsctl's credentials)", p.display()),
            Sink::Duumbi(p, name) => format!("{} (duumbi's credentials, `[registries.{name}]`)", p.display()),
        }
    }

    /// Writes the credential and returns how the store records the sink.
    fn write(&self, ctx: &Ctx, cred: &Credential) -> Result<String> {
        match self {
            Sink::Nix(paths, host, value) => {
                write_nix(ctx, paths, host, value)?;
                Ok(sink_name("nix", &paths.tokens))
            }
            Sink::Skillsctl(path) => {
                skillsctl_sink::write(path, &skillsctl_sink::entry(cred)?)?;
                ui::say(&format!("skillsctl: credentials written to {}.", path.display()));
                Ok(sink_name("skillsctl", path))
            }
            Sink::Duumbi(path, name) => {
                duumbi_sink::set(path, name, &cred.token)?;
                ui::say(&format!("duumbi: token written to {} as `[registries.{name}]`.", path.display()));
                Ok(sink_name("duumbi", path))
            }
        }
    }
}

/// A credential from the device flow (RFC 8628).
fn device_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    issuer: &str,
    args: &LoginArgs,
) -> Result<(Credential, Vec<Sink>)> {
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
    let expires_at = tokens.expires_at(now).or(server_expiry);
    let mut cred = base_credential(provider, site, kind, tokens.access_token);
    cred.user = user;
    cred.scopes = scopes;
    cred.expires_at = expires_at;
    cred.refresh_token = tokens.refresh_token;
    cred.id_token = tokens.id_token;
    cred.issuer = (provider.family == Family::Oidc).then(|| issuer.to_string());
    cred.client_id = Some(client_id);
    cred.token_endpoint = Some(endpoints.token_url);
    Ok((cred, Sink::from_nix(nix_plan)))
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
) -> Result<(Credential, Vec<Sink>)> {
    let token = paste_token(ctx, provider, site, args)?;
    let kind = TokenKind::Pat;
    let nix_plan = nix_plan(ctx, provider, site, kind, &token, args.no_nix)?;
    let identity = block_on(family::validate(http, provider, site, &token, kind))?;
    let mut cred = base_credential(provider, site, kind, token);
    cred.user = identity.user;
    cred.scopes = identity.scopes.unwrap_or_default();
    cred.expires_at = identity.expires_at;
    Ok((cred, Sink::from_nix(nix_plan)))
}

/// Shows the token page and reads the pasted token (hidden prompt, or stdin with `--with-token`).
fn paste_token(ctx: &Ctx, provider: &Provider, site: &Site, args: &LoginArgs) -> Result<Secret> {
    show_token_page(ctx, provider, site, args.no_browser || args.with_token);
    let pasted = ui::read_secret(
        &ctx.env,
        ctx.no_input,
        &format!("Paste the token for {}", site.key()),
        args.with_token,
        "--with-token and pipe the token on stdin",
    )?;
    clean_token(&pasted)
}

/// A pasted token without the spaces around it. No token has whitespace or control characters
/// inside (they would break the HTTP header it travels in), so those are refused, saying where.
fn clean_token(pasted: &Secret) -> Result<Secret> {
    let t = pasted.expose_secret().trim();
    if let Some((at, c)) = t.char_indices().find(|(_, c)| c.is_whitespace() || c.is_control()) {
        let what = if c == '\0' { "a NUL byte".to_string() } else { format!("the character U+{:04X}", c as u32) };
        return Err(Error::usage(format!("the pasted token has {what} at position {}; tokens never do", at + 1))
            .hint("paste only the token itself, on one line"));
    }
    if t.is_empty() {
        return Err(Error::usage("the pasted token is empty").hint("paste the token, or pipe it with --with-token"));
    }
    Ok(Secret::new(t))
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

/// A credential with everything but the secret filled in from the site and provider.
fn base_credential(provider: &Provider, site: &Site, kind: TokenKind, token: Secret) -> Credential {
    Credential {
        url: site.base(),
        provider: provider.id.clone(),
        family: provider.family,
        user: None,
        scopes: Vec::new(),
        kind,
        token,
        expires_at: None,
        refresh_token: None,
        id_token: None,
        issuer: None,
        name: None,
        client_id: None,
        token_endpoint: None,
        storage: Storage::File,
        sinks: Vec::new(),
        created_at: Utc::now(),
    }
}

/// skillsctl: `/auth/config`, then OpenID discovery and the device flow with the server's client
/// id and `openid email profile`. `None` when the server wants no authentication.
fn skillsctl_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    data: &Data,
    args: &LoginArgs,
) -> Result<Option<(Credential, Vec<Sink>)>> {
    let api = provider.api_base(site);
    let config = block_on(skillsctl::auth_config(http, &api))?;
    if !config.enabled {
        return Ok(None);
    }
    let path = skillsctl_sink::path(&ctx.env, args.credentials_path.as_deref())?;
    let key = site.key();
    let owner = data
        .credentials
        .iter()
        .find(|(k, c)| **k != key && sink_path(&c.sinks, "skillsctl").as_deref() == Some(path.as_path()));
    if let Some((other, _)) = owner {
        ui::warn(&format!("{} holds the credentials of {other}; logging in to {key} replaces them", path.display()));
    } else if path.exists() && data.credentials.get(&key).is_none_or(|c| sink_path(&c.sinks, "skillsctl").is_none()) {
        ui::warn(&format!(
            "{} exists and was not written by lanyard; it is replaced (a backup is kept)",
            path.display()
        ));
    }
    let disc = block_on(oauth::discover(http, &config.issuer_url))?;
    let Some(auth) = disc.device_authorization_endpoint.clone() else {
        return Err(Error::usage(format!(
            "the OpenID provider `{}` does not offer the device flow",
            config.issuer_url
        ))
        .hint("ask the server's operator to enable the device authorization grant"));
    };
    let endpoints = DeviceEndpoints { authorization_url: auth, token_url: disc.token_endpoint.clone() };
    let client_id = config.device_client().to_string();
    let scopes = args.scopes.clone();
    let scopes = if scopes.is_empty() { provider.scopes.clone() } else { scopes };
    let tokens = block_on(flow::device_login(http, &ctx.env, &endpoints, &client_id, &scopes, args.no_browser))?;
    let Some(id_token) = tokens.id_token.clone() else {
        return Err(Error::failure("the OpenID provider gave no ID token, which skillsctl sends as its bearer")
            .hint("check that the `openid` scope is allowed for the client"));
    };
    let user = match &disc.userinfo_endpoint {
        Some(url) => block_on(oauth::userinfo(http, url, &tokens.access_token, &key)).ok().flatten(),
        None => None,
    };
    let mut cred = base_credential(provider, site, TokenKind::Oauth, tokens.access_token.clone());
    cred.user = user;
    cred.expires_at = oauth::jwt_exp(id_token.expose_secret()).or(tokens.expires_at(Utc::now()));
    cred.id_token = Some(id_token);
    cred.refresh_token = tokens.refresh_token;
    cred.issuer = Some(config.issuer_url.clone());
    cred.client_id = Some(client_id);
    cred.token_endpoint = Some(endpoints.token_url);
    cred.scopes = scopes;
    Ok(Some((cred, vec![Sink::Skillsctl(path)])))
}

/// duumbi: the registry's own device flow when it offers one, else a pasted token; checked with
/// `/auth/verify` before anything is stored.
fn duumbi_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    args: &LoginArgs,
) -> Result<(Credential, Vec<Sink>)> {
    let key = site.key();
    let name = match &args.name {
        Some(n) => n.clone(),
        None => duumbi_sink::name_for(std::path::Path::new(".duumbi/config.toml"), &site.base(), &site.host)
            .ok_or_else(|| {
                Error::usage(format!("which duumbi registry name should `{key}` be filed under?")).hint(format!(
                    "pass --name NAME (the name `{}` has in .duumbi/config.toml's [registries])",
                    site.base()
                ))
            })?,
    };
    let path = duumbi_sink::path(&ctx.env)?;
    duumbi_sink::preflight(&path)?;
    let api = provider.api_base(site);
    let mode = block_on(duumbi::mode(http, &api))?;
    let (token, mut user) = if mode.as_ref().is_some_and(|m| m.device_code_supported) && !args.with_token {
        let issued = block_on(duumbi::device_login(http, &ctx.env, &api, args.no_browser))?;
        (issued.token, issued.username)
    } else {
        (paste_token(ctx, provider, site, args)?, None)
    };
    if !duumbi::usual_shape(token.expose_secret()) {
        ui::warn("the token does not look like a duumbi token (`duu_` and 32 hex digits); trying it anyway");
    }
    if let Some(u) = block_on(duumbi::verify(http, &api, &token, &key))? {
        user = Some(u);
    }
    let mut cred = base_credential(provider, site, TokenKind::Pat, token);
    cred.user = user;
    cred.name = Some(name.clone());
    Ok((cred, vec![Sink::Duumbi(path, name)]))
}

/// duh: an API key (`--with-token`), or email + password for a session JWT. `None` when the
/// server is open.
fn duh_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    args: &LoginArgs,
) -> Result<Option<(Credential, Vec<Sink>)>> {
    let key = site.key();
    let api = provider.api_base(site);
    if !block_on(duh::auth_required(http, &api))? {
        return Ok(None);
    }
    if args.with_token {
        let api_key = clean_token(&ui::read_secret(&ctx.env, ctx.no_input, "API key", true, "--with-token")?)?;
        block_on(duh::check_key(http, &api, &api_key, &key))?;
        return Ok(Some((base_credential(provider, site, TokenKind::ApiKey, api_key), Vec::new())));
    }
    let email = account(ctx, args, "Email")?;
    let password = ui::read_secret(
        &ctx.env,
        ctx.no_input,
        &format!("Password for {email}"),
        args.with_password,
        "--with-password and pipe the password on stdin",
    )?;
    let jwt = block_on(duh::login(http, &api, &email, &password, &key))?;
    let user = block_on(duh::me(http, &api, &jwt, &key))?;
    let mut cred = base_credential(provider, site, TokenKind::Jwt, jwt);
    cred.expires_at = oauth::jwt_exp(cred.token.expose_secret());
    cred.user = user.or(Some(email));
    Ok(Some((cred, Vec::new())))
}

/// Basic auth: a user name and password, checked at the provider's `validate_url` when it has one.
fn basic_credential(
    ctx: &Ctx,
    http: &Http,
    provider: &Provider,
    site: &Site,
    args: &LoginArgs,
) -> Result<(Credential, Vec<Sink>)> {
    let user = account(ctx, args, "User name")?;
    let password = ui::read_secret(
        &ctx.env,
        ctx.no_input,
        &format!("Password for {user}"),
        args.with_password || args.with_token,
        "--with-password and pipe the password on stdin",
    )?;
    block_on(family::basic(http, provider, site, &user, &password))?;
    let mut cred = base_credential(provider, site, TokenKind::Basic, password);
    cred.user = Some(user);
    Ok((cred, Vec::new()))
}

/// The account name: `--user`, else a prompt.
fn account(ctx: &Ctx, args: &LoginArgs, what: &str) -> Result<String> {
    if let Some(u) = &args.user {
        return Ok(u.clone());
    }
    if !ctx.can_prompt() {
        return Err(ui::no_prompt(what, "--user NAME"));
    }
    dialoguer::Input::<String>::new()
        .with_prompt(what)
        .interact_text()
        .map_err(|e| Error::failure(format!("cannot read from the terminal: {e}")))
}

/// Whether a credential was copied into another tool's file (git's helper holds no copy).
fn has_file_sinks(sinks: &[String]) -> bool {
    sinks.iter().any(|s| !s.starts_with("git:"))
}
