//! OAuth logins — the device flow (RFC 8628) and the browser flow (authorization code + PKCE) —
//! for the families that speak OAuth: GitHub, GitLab, Gitea and Forgejo (then checked as a forge
//! token) and OpenID providers (the account from userinfo). Endpoints come from the provider
//! file, else the server's metadata, else the family's defaults; the client from the provider
//! file, an earlier registration, Gitea's pre-registered tea client, or RFC 7591 registration.

use super::request::{Obtained, Request};
use crate::credential::{Credential, Secrets, TokenKind};
use crate::error::{Error, Result};
use crate::flow::browser::{self, Browser};
use crate::flow::{self, DeviceEndpoints, Flow, oauth};
use crate::http::block_on;
use crate::provider::Family;

/// Gitea's pre-registered public client for its CLI, tea (Gitea ≥ 1.21 creates it on every
/// instance "as universally useful"; SPEC §3), with the scopes a git user needs.
pub const TEA_CLIENT: &str = "d57cb8c4-630c-4168-8324-ec79935e18d4";
/// The scopes lanyard asks Gitea and Forgejo for.
pub const GITEA_SCOPES: [&str; 2] = ["read:user", "write:repository"];

/// The issuer whose metadata describes a login's OAuth endpoints: the OpenID issuer, else the
/// server's origin.
pub fn issuer_of(req_issuer: &str, family: Family, base: &str) -> String {
    if family == Family::Oidc { req_issuer.to_string() } else { base.to_string() }
}

/// Whether a Gitea or Forgejo server knows an OAuth client: its token endpoint answers a refresh
/// with a made-up token `invalid_client` ("cannot load client with client id") for a client it
/// does not know, and another OAuth error for one it knows. `false` also when it has no OAuth
/// provider at all (404) or cannot be asked.
pub async fn gitea_knows(http: &crate::http::Http, token_url: &str, client_id: &str) -> bool {
    let form = [("grant_type", "refresh_token"), ("refresh_token", "lanyard-probe"), ("client_id", client_id)];
    let Ok(req) = http.request(reqwest::Method::POST, token_url) else { return false };
    let Ok(resp) = http.send(req.header("Accept", "application/json").form(&form)).await else { return false };
    let v: Option<serde_json::Value> = serde_json::from_slice(&resp.body).ok();
    let err = v.as_ref().and_then(|v| v.get("error")).and_then(|e| e.as_str()).unwrap_or("");
    (400..500).contains(&resp.status) && !err.is_empty() && err != "invalid_client"
}

/// The endpoints and client a device or browser login uses: a URL in the provider file wins over
/// the server's metadata, which wins over the family's default paths (SPEC §9).
struct Route {
    client_id: String,
    device: Option<DeviceEndpoints>,
    authorization_url: Option<String>,
    token_url: String,
    redirect_path: &'static str,
}

/// `None`: the server refused to register lanyard, and the family takes a pasted token instead.
fn route(req: &Request, meta: Option<&oauth::Discovery>) -> Result<Option<Route>> {
    let (provider, site) = (req.provider, req.site);
    let key = site.key();
    let base = site.base();
    let family = provider.family;
    let gitea_like = matches!(family, Family::Gitea | Family::Forgejo);
    // A user's provider file wins over the server's metadata; the server's metadata wins over the
    // paths compiled into a built-in provider (SPEC §9; a GitLab whose metadata names another
    // device endpoint than GitLab's default path).
    let user_file = matches!(provider.source, crate::provider::Source::User(_));
    let configured = provider
        .device
        .as_ref()
        .filter(|d| !d.authorization_url.is_empty())
        .filter(|_| user_file || meta.is_none_or(|m| m.device_authorization_endpoint.is_none()));
    // A file may name only the device endpoint: the token endpoint then comes from metadata.
    let configured_token = provider
        .device
        .as_ref()
        .filter(|d| !d.token_url.is_empty())
        .filter(|_| user_file || meta.is_none())
        .map(|d| provider.expand(&d.token_url, site));
    let default_token = match family {
        Family::Gitea | Family::Forgejo => Some(format!("{base}/login/oauth/access_token")),
        Family::Gitlab => Some(format!("{base}/oauth/token")),
        Family::Github
        | Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Token
        | Family::Basic
        | Family::Oci
        | Family::Npm => None,
    };
    let token_url = configured_token
        .or_else(|| meta.map(|m| m.token_endpoint.clone()))
        .or(default_token)
        .ok_or_else(|| Error::usage(format!("no token endpoint is known for `{key}`")))?;
    let device = match configured {
        Some(d) => Some(DeviceEndpoints {
            authorization_url: provider.expand(&d.authorization_url, site),
            token_url: token_url.clone(),
        }),
        None => meta
            .and_then(|m| m.device_authorization_endpoint.clone())
            .map(|a| DeviceEndpoints { authorization_url: a, token_url: token_url.clone() }),
    };
    let authorization_url = meta.and_then(|m| m.authorization_endpoint.clone()).or_else(|| match family {
        Family::Gitea | Family::Forgejo => Some(format!("{base}/login/oauth/authorize")),
        Family::Gitlab => Some(format!("{base}/oauth/authorize")),
        Family::Github
        | Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Token
        | Family::Basic
        | Family::Oci
        | Family::Npm => None,
    });
    // The client: configured (flag, provider file), registered here earlier, Gitea's tea, or a
    // registration now.
    let issuer = issuer_of(&req.issuer, family, &base);
    let (client_id, registered) = match (provider.client_id(), req.data.client(&issuer)) {
        (Some(c), _) => (c.to_string(), false),
        (None, Some(c)) => (c.to_string(), true),
        (None, None) if gitea_like => (TEA_CLIENT.to_string(), false),
        // GitLab gives dynamically registered applications only the `mcp` scope and lists them as
        // "[Unverified Dynamic Application]" (gitlab-org/gitlab!198566): never register there.
        (None, None) if family == Family::Gitlab => return Ok(None),
        (None, None) => {
            let Some(url) = meta.and_then(|m| m.registration_endpoint.clone()) else {
                return Err(Error::usage(format!("no OAuth client id is known for `{key}`"))
                    .hint("pass --client-id ID, or set `[device] client_id` in a provider file"));
            };
            let r = match block_on(oauth::register(req.http, meta.expect("checked"), &url)) {
                Ok(r) => r,
                // Refused: the next flow (a pasted token, where the family takes one).
                Err(e) if family != Family::Oidc && e.cause == crate::error::Cause::Refused => {
                    crate::diag::warn(&format!("{}; a pasted token it is", e.message));
                    return Ok(None);
                }
                Err(e) => return Err(e),
            };
            crate::diag::info(&format!("Registered lanyard as an OAuth client of {key} (client id {}).", r.client_id));
            // Remembered at once: a login that fails later does not register again.
            (req.remember_client)(&issuer, &r.client_id)?;
            (r.client_id, true)
        }
    };
    let redirect_path = if gitea_like && !registered { "/" } else { "/callback" };
    Ok(Some(Route { client_id, device, authorization_url, token_url, redirect_path }))
}

/// Runs the device or browser flow the login chose and checks the token it gives.
pub fn obtain_oauth(req: &Request) -> Result<Obtained> {
    let (provider, site, http) = (req.provider, req.site, req.http);
    let oidc = provider.family == Family::Oidc;
    let meta = block_on(oauth::metadata(http, &issuer_of(&req.issuer, provider.family, &site.base())));
    if oidc && meta.is_none() {
        // Say why discovery failed (the error names the URL and the fix).
        block_on(oauth::discover(http, &req.issuer))?;
    }
    let Some(r) = route(req, meta.as_ref())? else {
        return super::forge::obtain_pasted(req);
    };
    let default_scopes: Vec<String> =
        if matches!(provider.family, Family::Gitea | Family::Forgejo) && r.client_id == TEA_CLIENT {
            GITEA_SCOPES.iter().map(|s| s.to_string()).collect()
        } else {
            provider.scopes.clone()
        };
    let scopes = if req.recipe.scopes.is_empty() { &default_scopes } else { &req.recipe.scopes };
    let tokens = match req.flow {
        Flow::Device => {
            let endpoints = r.device.clone().ok_or_else(|| {
                Error::usage(format!("`{}` publishes no device authorization endpoint", site.key()))
                    .hint(format!("log in with the browser flow: `lanyard login {} --web`", site.key()))
            })?;
            block_on(flow::device_login(http, req.env, &endpoints, &r.client_id, scopes, req.recipe.no_browser))?
        }
        Flow::Browser | Flow::Paste | Flow::Password => {
            let authorization_url = r.authorization_url.clone().ok_or_else(|| {
                Error::usage(format!("`{}` publishes no authorization endpoint", site.key()))
                    .hint(format!("log in with a pasted token: `lanyard login {} --with-token`", site.key()))
            })?;
            let b = Browser {
                authorization_url,
                token_url: r.token_url.clone(),
                client_id: r.client_id.clone(),
                redirect_path: r.redirect_path.to_string(),
                issuer: meta.as_ref().map(|m| m.issuer.clone()),
                iss_required: meta.as_ref().is_some_and(|m| m.authorization_response_iss_parameter_supported),
            };
            block_on(browser::login(http, req.env, &b, scopes, req.recipe.no_browser, req.can_prompt()))?.0
        }
    };
    let kind = TokenKind::Oauth;
    let plans = req.nix_plan(kind, &tokens.access_token)?;
    let granted = tokens.scope.as_deref().map(split_scopes);
    let userinfo = meta.as_ref().and_then(|m| m.userinfo_endpoint.clone());
    let (user, scopes, server_expiry) = if oidc {
        let user = match &userinfo {
            Some(url) => block_on(oauth::userinfo(http, url, &tokens.access_token, &site.key()))?,
            None => None,
        };
        (user, granted.unwrap_or_default(), None)
    } else {
        let id = block_on(super::forge::validate(http, provider, site, &tokens.access_token, kind))?;
        (id.user, id.scopes.or(granted).unwrap_or_default(), id.expires_at)
    };
    let mut record = req.record(kind);
    record.user = user;
    record.scopes = scopes;
    record.expires_at = tokens.expires_at(req.now()).or(server_expiry);
    record.issuer = oidc.then(|| req.issuer.clone());
    record.client_id = Some(r.client_id);
    record.token_endpoint = Some(r.token_url);
    let secrets =
        Secrets { token: tokens.access_token, refresh_token: tokens.refresh_token, id_token: tokens.id_token };
    Ok(Obtained { cred: Credential::new(record, secrets), plans })
}

/// Scopes as a server lists them (space- or comma-separated).
pub fn split_scopes(s: &str) -> Vec<String> {
    s.split([' ', ',']).filter(|x| !x.is_empty()).map(String::from).collect()
}
