//! Per-family protocol code. This file is the only `match` on [`Family`]: how a credential is
//! obtained ([`obtain`]), checked with its server ([`check`]), whether `status` asks online, the
//! user name git sends, and the wording of the token page. A new family is one module here and
//! one arm in each function below.

pub mod basic;
pub mod detect;
pub mod duh;
pub mod duumbi;
pub(crate) mod forge;
pub mod npm;
mod oauth;
pub mod oci;
mod request;
pub use self::request::Checked;
pub use self::request::Obtained;
pub use self::request::Recipe;
pub use self::request::Request;
pub use oauth::issuer_of;
pub mod skillsctl;

use crate::credential::{Credential, Record, TokenKind};
use crate::error::{Error, Result};
use crate::flow::Flow;
use crate::http::Http;
use crate::provider::{Family, Provider, Site};

/// Obtains a credential by the chosen flow. `None`: the server wants no authentication.
pub fn obtain(req: &Request) -> Result<Option<Obtained>> {
    let mut outcome = obtain_by_family(req)?;
    // The account name enters here, whichever family asked for it: one check (SPEC §6) before
    // anything is stored, so a name that would escape a Vault path or a keyring item, or break
    // the store's key, is a malformed answer (exit 6) naming the field it came from.
    if let Some(o) = outcome.as_mut()
        && let Some(user) = o.cred.record.user.take()
    {
        let field = user_field(req.provider.family);
        o.cred.record.user = Some(crate::account::server_account(user, field, &req.site.key())?);
    }
    Ok(outcome)
}

/// The field of the server's answer (or the flag) an account name comes from, for messages.
fn user_field(family: Family) -> &'static str {
    match family {
        Family::Github | Family::Gitea | Family::Forgejo => "login",
        Family::Gitlab => "username",
        Family::Oidc | Family::Skillsctl => "preferred_username/email/sub",
        Family::Duumbi => "username",
        Family::Duh => "email",
        Family::Token | Family::Basic | Family::Oci | Family::Npm => "--user",
    }
}

fn obtain_by_family(req: &Request) -> Result<Option<Obtained>> {
    let family = req.provider.family;
    match (family, req.flow) {
        (Family::Skillsctl, _) => skillsctl::obtain(req),
        (Family::Duumbi, _) => duumbi::obtain(req).map(Some),
        (Family::Duh, _) => duh::obtain(req),
        (Family::Basic, _) => basic::obtain(req).map(Some),
        (Family::Oci, _) => oci::obtain(req).map(Some),
        (Family::Npm, _) => npm::obtain(req).map(Some),
        (Family::Github | Family::Gitlab | Family::Gitea | Family::Forgejo | Family::Token | Family::Oidc, flow) => {
            match flow {
                Flow::Device | Flow::Browser => oauth::obtain_oauth(req).map(Some),
                Flow::Paste | Flow::Password => forge::obtain_pasted(req).map(Some),
            }
        }
    }
}

/// Checks a stored credential with its server: the family's token check, or for OpenID
/// providers discovery and the userinfo endpoint.
pub async fn check(http: &Http, provider: &Provider, site: &Site, cred: &Credential) -> Checked {
    check_inner(http, provider, site, cred).await.into()
}

async fn check_inner(http: &Http, provider: &Provider, site: &Site, cred: &Credential) -> Result<()> {
    let (r, token) = (&cred.record, &cred.secrets.token);
    let key = site.key();
    let api = provider.api_base(site);
    match (r.family, r.kind) {
        (Family::Oidc, _) => {
            let issuer = r.issuer.clone().unwrap_or_else(|| site.base());
            let d = crate::flow::oauth::discover(http, &issuer).await?;
            if let Some(url) = d.userinfo_endpoint {
                crate::flow::oauth::userinfo(http, &url, token, &key).await?;
            }
            Ok(())
        }
        (Family::Duumbi, _) => duumbi::verify(http, &api, token, &key).await.map(|_| ()),
        (Family::Duh, TokenKind::ApiKey) => duh::check_key(http, &api, token, &key).await,
        (Family::Duh, _) => duh::me(http, &api, token, &key).await.map(|_| ()),
        (Family::Basic, _) => basic::check(http, provider, site, r.user.as_deref().unwrap_or_default(), token).await,
        (Family::Oci, _) => oci::check(http, site, r.user.as_deref().unwrap_or_default(), token).await,
        (Family::Npm, _) => npm::whoami(http, site, token).await.map(|_| ()),
        (Family::Skillsctl | Family::Github | Family::Gitlab | Family::Gitea | Family::Forgejo | Family::Token, _) => {
            forge::validate(http, provider, site, token, r.kind).await.map(|_| ())
        }
    }
}

/// Whether `status` asks the server about this credential: skillsctl credentials are judged
/// offline (as skillsctl does), token/basic ones only with a `validate_url`.
pub fn checked_online(provider: &Provider) -> bool {
    match provider.family {
        Family::Skillsctl => false,
        Family::Token | Family::Basic => provider.validate_url.is_some(),
        Family::Oci | Family::Npm => true,
        Family::Github
        | Family::Gitlab
        | Family::Gitea
        | Family::Forgejo
        | Family::Oidc
        | Family::Duumbi
        | Family::Duh => true,
    }
}

/// The user name git sends with a token (the vendors document these).
pub fn git_username(record: &Record) -> String {
    record.family.basic_user(record.kind == TokenKind::Oauth, record.user.as_deref())
}

/// The container registries a family's credential answers besides its own host (SPEC §12, §15):
/// github.com → ghcr.io and docker.pkg.github.com; a GitHub Enterprise host → `containers.HOST`;
/// gitlab.com → registry.gitlab.com; a Gitea or Forgejo host serves its registry itself.
pub fn registries(family: Family, host: &str) -> Vec<String> {
    match family {
        Family::Github if host == "github.com" => vec!["ghcr.io".into(), "docker.pkg.github.com".into()],
        Family::Github => vec![format!("containers.{host}")],
        Family::Gitlab if host == "gitlab.com" => vec!["registry.gitlab.com".into()],
        Family::Gitlab
        | Family::Gitea
        | Family::Forgejo
        | Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Token
        | Family::Basic
        | Family::Oci
        | Family::Npm => Vec::new(),
    }
}

/// What a family's credentials are to package and container registries (SPEC §12), decided in
/// one table: the scopes a forge token needs for its registries (asked at login), those named
/// as missing from a token that has none of the scopes that grant them, the token page its registries' tokens come from when it is not the family's
/// usual one, whether the credential's own host serves a container registry, and whether its
/// cargo registry takes `Bearer TOKEN`.
struct Packages {
    scopes: &'static [&'static str],
    missing: &'static [&'static str],
    granting: &'static [&'static str],
    token_page: Option<&'static str>,
    own_registry: bool,
    cargo_bearer: bool,
}

fn packages(family: Family) -> Packages {
    let none = Packages {
        scopes: &[],
        missing: &[],
        granting: &[],
        token_page: None,
        own_registry: false,
        cargo_bearer: false,
    };
    match family {
        // GitHub's registries take only classic tokens.
        Family::Github => Packages {
            scopes: &["read:packages", "write:packages"],
            missing: &["read:packages", "write:packages"],
            granting: &["read:packages", "write:packages"],
            token_page: Some("{base}/settings/tokens/new?scopes={scopes}&description=lanyard"),
            ..none
        },
        Family::Gitlab => Packages {
            scopes: &["read_registry", "write_registry"],
            missing: &["read_registry"],
            granting: &["read_registry", "write_registry", "api"],
            ..none
        },
        // Gitea and Forgejo serve their registries on their own host; their cargo registry
        // takes `Bearer TOKEN`.
        Family::Gitea | Family::Forgejo => Packages { own_registry: true, cargo_bearer: true, ..none },
        Family::Oci => Packages { own_registry: true, ..none },
        Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Token
        | Family::Basic
        | Family::Npm => none,
    }
}

/// The scopes a forge's token needs for its container registries (GitHub `read:packages` and
/// `write:packages`, GitLab `read_registry` and `write_registry`).
pub fn registry_scopes(family: Family) -> &'static [&'static str] {
    packages(family).scopes
}

/// The page for a token a forge's registries take, when it is not the family's usual one:
/// GitHub's classic tokens.
pub fn registry_token_page(family: Family) -> Option<&'static str> {
    packages(family).token_page
}

/// The scopes a registry needs that a credential's known scopes lack (none when its scopes are
/// unknown, or when one of them grants the registry already).
pub fn missing_registry_scopes(record: &Record) -> Vec<&'static str> {
    let p = packages(record.family);
    let granted = record.scopes.iter().any(|s| p.granting.contains(&s.as_str()));
    if record.scopes.is_empty() || granted { Vec::new() } else { p.missing.to_vec() }
}

/// The token as cargo sends it (the raw `Authorization` value).
pub fn cargo_token(record: &Record, token: &str) -> String {
    if packages(record.family).cargo_bearer { format!("Bearer {token}") } else { token.to_string() }
}

/// Whether a credential of the family answers its own host as a container registry: a registry
/// login (`oci`), or a Gitea/Forgejo forge, which serves its registry itself.
pub fn serves_own_registry(family: Family) -> bool {
    packages(family).own_registry
}

/// The npm registry of a forge's credential (SPEC §12): github.com → npm.pkg.github.com,
/// GitLab → its instance-level npm endpoint, a Gitea/Forgejo host → the owner's packages.
/// `None`: the family has none built in (`setup-npm --registry URL` names one).
pub fn npm_registry(record: &Record, host: &str, owner: &str) -> Option<String> {
    let base = record.url.trim_end_matches('/');
    match record.family {
        Family::Github if host == "github.com" => Some("https://npm.pkg.github.com/".into()),
        Family::Gitlab => Some(format!("{base}/api/v4/packages/npm/")),
        Family::Gitea | Family::Forgejo => Some(format!("{base}/api/packages/{owner}/npm/")),
        Family::Npm => Some(format!("{base}/")),
        Family::Github
        | Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Token
        | Family::Basic
        | Family::Oci => None,
    }
}

/// A token from the environment as a credential (SPEC §14): never stored; its record says which
/// kind of forge it is for and the user name it goes with.
pub fn env_credential(
    host: &str,
    t: &crate::choose::EnvToken,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Credential> {
    let family = Family::parse(t.family).unwrap_or(Family::Token);
    let site = Site::parse(host)?;
    let mut record = Record::new(&site, family.as_str(), family, TokenKind::Pat, now);
    record.user = t.user.map(str::to_string);
    Ok(Credential::new(record, crate::credential::Secrets::token(t.token.clone())))
}

/// Whether a credential can be renewed by `rotate` (a GitLab personal access token).
pub fn rotatable(record: &Record) -> bool {
    record.family == Family::Gitlab && record.kind == TokenKind::Pat
}

/// Renews a token that cannot refresh where its server allows it (SPEC §14): a GitLab personal
/// access token rotates itself, for the same lifetime it had (the server revokes the old one).
pub async fn rotate(
    http: &Http,
    provider: &Provider,
    site: &Site,
    cred: &Credential,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Credential> {
    let r = &cred.record;
    if !rotatable(r) {
        return Err(Error::usage(format!(
            "`{}` is a {} {}: only GitLab personal access tokens rotate",
            site.key(),
            r.family.as_str(),
            match r.kind {
                TokenKind::Oauth => "OAuth token (it refreshes itself: `lanyard refresh`)",
                _ => "token",
            }
        ))
        .hint(format!("create a new token and run `lanyard login {} --force`", site.key())));
    }
    // In whole days, rounded: a PAT expires at the start of its day, a login happened mid-day.
    let lifetime = r.expires_at.map(|e| ((e - r.created_at).num_seconds() + 43_200).div_euclid(86_400).clamp(1, 365));
    let until = lifetime.map(|d| (now + chrono::Duration::days(d)).date_naive());
    let (token, expires_at) = forge::gitlab_rotate(http, provider, site, &cred.secrets.token, until).await?;
    let mut record = r.clone();
    record.expires_at = expires_at;
    record.created_at = now;
    Ok(Credential::new(record, crate::credential::Secrets::token(token)))
}

/// The user name a registry is sent with a credential (docker's `Username`): the account for
/// GitHub's registries (any name works with a token; the account is the honest one), else
/// what git sends.
pub fn registry_username(record: &Record) -> String {
    match (record.family, &record.user) {
        (Family::Github, Some(u)) => u.clone(),
        _ => git_username(record),
    }
}

/// A record of a Gitea login on `site`, for the tests of layers that do not name families.
#[cfg(test)]
pub fn gitea_record(site: &Site, kind: TokenKind, at: chrono::DateTime<chrono::Utc>) -> Record {
    Record::new(site, "gitea", Family::Gitea, kind, at)
}

/// Whether git can use the family's credentials (forges); `setup-git` and the login note care.
pub fn used_by_git(family: Family) -> bool {
    matches!(family, Family::Github | Family::Gitlab | Family::Gitea | Family::Forgejo)
}

/// The login flows a provider really offers, in words (`providers`): the flow decision itself
/// ([`flow`]) asked about each kind of server it may meet — one that publishes nothing (with and
/// without `--client-id`), one whose OAuth metadata offers the device flow, the browser flow and
/// registration, a Gitea that knows tea's client — and about `--with-token`. The text cannot
/// disagree with what `login` does.
pub fn flows(provider: &Provider) -> String {
    use crate::flow::Facts;
    use crate::flow::oauth::Discovery;
    let full = Discovery {
        issuer: String::new(),
        authorization_endpoint: Some(String::new()),
        device_authorization_endpoint: Some(String::new()),
        token_endpoint: String::new(),
        userinfo_endpoint: None,
        registration_endpoint: Some(String::new()),
        revocation_endpoint: None,
        grant_types_supported: None,
        authorization_response_iss_parameter_supported: false,
    };
    let mut with_client = provider.clone();
    with_client.device.get_or_insert_with(Default::default).client_id = Some("ID".into());
    let asked = [
        (provider, Facts::default()),
        (&with_client, Facts::default()),
        (provider, Facts { meta: Some(&full), ..Facts::default() }),
        (provider, Facts { pre_registered: true, ..Facts::default() }),
        (provider, Facts { with_token: true, ..Facts::default() }),
    ];
    let mut found: Vec<Flow> = asked.iter().filter_map(|(p, f)| flow(p, "HOST", f).ok()).collect();
    found.sort_by_key(|f| f.rank());
    found.dedup();
    let names: Vec<&str> = found.iter().map(|f| f.describe()).collect();
    match names.as_slice() {
        [] => "none".to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

/// The flow a login uses, in SPEC §9's order: `--with-token` → paste; a client id known for the
/// host → the device flow where the server has a device endpoint, else the browser flow; no client
/// id → Gitea's pre-registered client (browser), or RFC 7591 registration where the metadata
/// offers it; otherwise paste. `--device`/`--web` force one, exit 2 saying why it is impossible.
pub fn flow(provider: &Provider, key: &str, f: &crate::flow::Facts) -> Result<Flow> {
    use crate::flow::Forced;
    let family = provider.family;
    if f.with_token {
        return match family {
            Family::Basic | Family::Oci | Family::Npm => Ok(Flow::Password),
            Family::Oidc => Err(Error::usage(format!("the OpenID provider `{key}` takes no pasted token"))
                .hint("drop --with-token and log in with the device flow (`--client-id ID`)")),
            Family::Github
            | Family::Gitlab
            | Family::Gitea
            | Family::Forgejo
            | Family::Skillsctl
            | Family::Duumbi
            | Family::Duh
            | Family::Token => Ok(Flow::Paste),
        };
    }
    let impossible = |why: String| {
        Err(Error::usage(why).hint(format!("drop --device/--web and let lanyard choose: `lanyard login {key}`")))
    };
    match family {
        Family::Duh if f.remembered == Some(TokenKind::ApiKey) && f.forced.is_none() => return Ok(Flow::Paste),
        Family::Basic | Family::Oci | Family::Npm | Family::Duh | Family::Token => {
            if let Some(forced) = f.forced {
                return impossible(format!("`{key}` ({}) has no {} flow", family.as_str(), forced_name(forced)));
            }
            return Ok(if family == Family::Token { Flow::Paste } else { Flow::Password });
        }
        Family::Skillsctl | Family::Duumbi => {
            if f.forced == Some(Forced::Web) {
                return impossible(format!("`{key}` ({}) logs in with the device flow only", family.as_str()));
            }
            return Ok(Flow::Device);
        }
        Family::Github | Family::Gitlab | Family::Gitea | Family::Forgejo | Family::Oidc => {}
    }
    let device_endpoint =
        provider.device.as_ref().is_some_and(|d| !d.authorization_url.is_empty() && provider.client_id().is_some())
            || f.meta.is_some_and(|m| m.device_authorization_endpoint.is_some());
    let browser_endpoint = f.meta.is_some_and(|m| m.authorization_endpoint.is_some())
        || matches!(family, Family::Gitea | Family::Forgejo | Family::Gitlab);
    let client = provider.client_id().is_some() || f.registered.is_some();
    let pre_registered = matches!(family, Family::Gitea | Family::Forgejo) && f.pre_registered;
    // GitLab's dynamic registration gives only the `mcp` scope: never used (see `oauth::route`).
    let registrable = f.meta.is_some_and(|m| m.registration_endpoint.is_some()) && family != Family::Gitlab;
    let pick = |device: bool, browser: bool| -> Result<Option<Flow>> {
        Ok(match f.forced {
            Some(Forced::Device) if device => Some(Flow::Device),
            Some(Forced::Web) if browser => Some(Flow::Browser),
            Some(_) => None,
            None if device => Some(Flow::Device),
            None if browser => Some(Flow::Browser),
            None => None,
        })
    };
    let chosen = if client || registrable {
        pick(device_endpoint, browser_endpoint)?
    } else if pre_registered {
        pick(false, browser_endpoint)?
    } else {
        None
    };
    if let Some(flow) = chosen {
        return Ok(flow);
    }
    if let Some(forced) = f.forced {
        let why = match (forced, client || registrable || pre_registered) {
            (_, false) => "no OAuth client id is known for it and it offers no dynamic registration (`--client-id ID`)",
            (Forced::Device, true) => "it publishes no device authorization endpoint",
            (Forced::Web, true) => "it publishes no authorization endpoint",
        };
        return impossible(format!("no {} flow for `{key}`: {why}", forced_name(forced)));
    }
    if family == Family::Oidc {
        return Err(Error::usage(format!("logging in to the OpenID provider `{key}` needs an OAuth client id"))
            .hint("it offers no dynamic client registration: pass --client-id ID, or set `[device] client_id` in a provider file"));
    }
    Ok(Flow::Paste)
}

fn forced_name(f: crate::flow::Forced) -> &'static str {
    match f {
        crate::flow::Forced::Device => "device",
        crate::flow::Forced::Web => "browser",
    }
}

/// Whether a secret another tool holds for this provider is a password (basic auth; duh when the
/// source names the account) rather than a token (`import`).
pub fn takes_password(provider: &Provider, account_known: bool) -> bool {
    matches!(provider.family, Family::Basic | Family::Oci | Family::Npm)
        || (provider.family == Family::Duh && account_known)
}

/// What the flow decision needs from the server (SPEC §9): its RFC 8414 / OpenID metadata for
/// the families that speak OAuth, and for Gitea and Forgejo without a client id whether the server
/// knows tea's pre-registered client (said when it does not). An OpenID provider whose metadata
/// cannot be used is the discovery's own error.
pub fn oauth_facts(
    http: &Http,
    provider: &Provider,
    site: &Site,
    issuer: &str,
    registered: bool,
) -> Result<(Option<crate::flow::oauth::Discovery>, bool)> {
    let family = provider.family;
    if !matches!(family, Family::Github | Family::Gitlab | Family::Gitea | Family::Forgejo | Family::Oidc) {
        return Ok((None, false));
    }
    let meta =
        crate::http::block_on(crate::flow::oauth::metadata(http, &oauth::issuer_of(issuer, family, &site.base())));
    // An OpenID provider whose metadata cannot be used, with no endpoints in a provider file: the
    // reason (a document naming another issuer, a server that cannot be reached) is the error,
    // not a missing client id further on (N24).
    let configured = provider.device.as_ref().is_some_and(|d| !d.authorization_url.is_empty());
    if family == Family::Oidc && meta.is_none() && !configured {
        crate::http::block_on(crate::flow::oauth::discover(http, issuer))?;
    }
    let gitea_like = matches!(family, Family::Gitea | Family::Forgejo);
    if !gitea_like || provider.client_id().is_some() || registered {
        return Ok((meta, false));
    }
    let token_url = meta
        .as_ref()
        .map(|m| m.token_endpoint.clone())
        .unwrap_or_else(|| format!("{}/login/oauth/access_token", site.base()));
    let known = crate::http::block_on(oauth::gitea_knows(http, &token_url, oauth::TEA_CLIENT));
    if !known {
        crate::diag::info(&format!(
            "{} does not know Gitea's pre-registered CLI client (tea's), so there is no browser login; paste a token instead.",
            site.key()
        ));
    }
    Ok((meta, known))
}

/// The server a login without TARGET goes to, for a `--provider` family that has one (skillsctl:
/// the server skillsctl itself would use).
pub fn default_target(kind: Option<&str>, env: &crate::env::Env) -> Option<String> {
    (kind.and_then(Family::parse) == Some(Family::Skillsctl)).then(|| skillsctl::default_server(env))
}

/// Whether a re-login may reuse the client id stored with the credential (skillsctl's comes from
/// its server each time).
pub fn reuses_client_id(family: Family) -> bool {
    family != Family::Skillsctl
}

/// Whether the family has an open mode worth asking about (no request is made for others).
pub fn may_be_open(family: Family) -> bool {
    matches!(family, Family::Duh | Family::Skillsctl)
}

/// Whether a server that holds no credential of ours says, just now, that it needs no login
/// (duh's and skillsctl's open modes). `None`: the family has no open mode, or no answer.
pub async fn is_open(http: &Http, provider: &Provider, site: &Site) -> Option<bool> {
    let api = provider.api_base(site);
    match provider.family {
        Family::Duh => duh::auth_required(http, &api).await.ok().map(|needed| !needed),
        Family::Skillsctl => skillsctl::auth_config(http, &api).await.ok().map(|c| !c.enabled),
        Family::Github
        | Family::Gitlab
        | Family::Gitea
        | Family::Forgejo
        | Family::Oidc
        | Family::Duumbi
        | Family::Token
        | Family::Basic
        | Family::Oci
        | Family::Npm => None,
    }
}

/// What `logout` says about the token left on the server.
pub fn after_logout_note(record: &Record, provider: &Provider) -> String {
    match (record.family, record.kind) {
        // duh cannot revoke a session JWT: it lapses at its expiry.
        (Family::Duh, TokenKind::Jwt) => format!(
            "duh cannot revoke a session token; it stops working {}.",
            record
                .expires_at
                .map(|e| format!("at {}", e.format("%Y-%m-%d %H:%M UTC")))
                .unwrap_or_else(|| "when it expires".into())
        ),
        (Family::Duh, _) => "The API key stays valid until you delete it in the duh server's settings.".to_string(),
        (
            Family::Github
            | Family::Gitlab
            | Family::Gitea
            | Family::Forgejo
            | Family::Oidc
            | Family::Skillsctl
            | Family::Duumbi
            | Family::Token
            | Family::Basic
            | Family::Oci
            | Family::Npm,
            _,
        ) => {
            let page = revoke_page(record, provider).map(|p| format!(" at {p}")).unwrap_or_default();
            format!(
                "The token stays valid on the server until you revoke it{page} (or `lanyard logout --revoke` next time)."
            )
        }
    }
}

/// The page where a person revokes a token by hand (not the page that creates one).
pub fn revoke_page(record: &Record, provider: &Provider) -> Option<String> {
    let site = record.site().ok()?;
    let base = site.base();
    let web = if base == "https://api.github.com" { "https://github.com".to_string() } else { base };
    Some(match (record.family, record.kind) {
        (Family::Github, TokenKind::Oauth) => format!("{web}/settings/applications"),
        (Family::Github, _) => format!("{web}/settings/tokens"),
        (Family::Gitlab, _) => format!("{web}/-/user_settings/personal_access_tokens"),
        (Family::Gitea | Family::Forgejo, _) => format!("{web}/user/settings/applications"),
        (Family::Duumbi, _) => return provider.token_page.as_ref().map(|t| provider.expand(t, &site)),
        (
            Family::Oidc | Family::Skillsctl | Family::Duh | Family::Token | Family::Basic | Family::Oci | Family::Npm,
            _,
        ) => {
            return None;
        }
    })
}

/// `logout --revoke` (SPEC §9): asks the server to revoke the credential before it is removed.
/// RFC 7009 at the metadata's `revocation_endpoint` (the refresh token first, then the access
/// token) for OAuth credentials; GitLab's `DELETE personal_access_tokens/self` for its PATs;
/// elsewhere the page to revoke it by hand. `Ok` is what to tell; `Err` exit 6 (not asked) or 4.
pub fn revoke(http: &Http, provider: &Provider, cred: &Credential) -> Result<String> {
    use crate::http::block_on;
    let (r, s) = (&cred.record, &cred.secrets);
    let site = r.site()?;
    let by_hand = |why: &str| match revoke_page(r, provider) {
        Some(p) => format!("{why}; revoke it at {p}"),
        None => format!("{why}; {}", after_logout_note(r, provider)),
    };
    if r.kind == TokenKind::Oauth {
        let issuer = r.issuer.clone().unwrap_or_else(|| site.base());
        // A server that cannot be asked is exit 6, never "offers no revocation" (N11).
        let meta = block_on(crate::flow::oauth::metadata_or_unreachable(http, &issuer)).map_err(|e| {
            Error::unreachable(format!("{} could not be asked to revoke the token: {}", site.key(), e.message)).hint(
                match revoke_page(r, provider) {
                    Some(p) => format!("the token stays valid on the server until it expires; revoke it at {p}"),
                    None => {
                        "the token stays valid on the server until it expires or an administrator revokes it".into()
                    }
                },
            )
        })?;
        let Some(url) = meta.and_then(|m| m.revocation_endpoint) else {
            return Ok(by_hand(&format!("{} offers no token revocation (RFC 7009)", site.key())));
        };
        let client = r.client_id.clone().unwrap_or_default();
        // Both tokens are tried whatever the first answer: a refresh token the server would not
        // revoke must not keep the access token alive as well.
        let refresh = s
            .refresh_token
            .as_ref()
            .map(|rt| block_on(crate::flow::oauth::revoke(http, &url, &client, rt, "refresh_token")));
        block_on(crate::flow::oauth::revoke(http, &url, &client, &s.token, "access_token"))?;
        if let Some(Err(e)) = refresh {
            return Err(e);
        }
        return Ok(format!(
            "Revoked at {url}: the {}access token no longer works.",
            if s.refresh_token.is_some() { "refresh token and the " } else { "" }
        ));
    }
    match (r.family, r.kind) {
        (Family::Gitlab, TokenKind::Pat) => {
            let url = format!("{}/personal_access_tokens/self", provider.api_base(&site));
            let req =
                http.authorized(reqwest::Method::DELETE, &url, crate::http::Auth::Header("PRIVATE-TOKEN"), &s.token)?;
            let resp = block_on(http.send(req))?;
            match resp.status {
                200..=299 => Ok(format!("Revoked the personal access token at {url}.")),
                401 => Ok("The server no longer accepted the token: it was revoked or expired already.".to_string()),
                _ => Err(crate::http::unexpected(&format!("revoking the token at `{url}`"), &resp)),
            }
        }
        (
            Family::Github
            | Family::Gitea
            | Family::Forgejo
            | Family::Oidc
            | Family::Skillsctl
            | Family::Duumbi
            | Family::Duh
            | Family::Token
            | Family::Basic
            | Family::Oci
            | Family::Npm,
            _,
        )
        | (Family::Gitlab, TokenKind::Oauth | TokenKind::ApiKey | TokenKind::Jwt | TokenKind::Basic) => {
            Ok(by_hand(&format!("{} has no way for lanyard to revoke this token", site.key())))
        }
    }
}

/// What to tell after a login about where the token goes beyond lanyard's files.
pub fn after_login_note(provider: &Provider) -> Option<&'static str> {
    matches!(provider.family, Family::Gitea | Family::Forgejo)
        .then_some("Nix's `access-tokens` does not apply to Gitea/Forgejo; git (and Nix's git fetches) reach them through lanyard's credential helper.")
}
