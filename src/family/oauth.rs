//! OAuth device-flow logins (RFC 8628) for the families that speak plain OAuth: GitHub and GitLab
//! with a configured client id (then checked as a forge token), and OpenID providers (endpoints
//! from discovery, the account from userinfo).

use super::{Obtained, Request};
use crate::credential::{Credential, Secrets, TokenKind};
use crate::error::{Error, Result};
use crate::flow::{self, DeviceEndpoints, oauth};
use crate::http::block_on;
use crate::provider::Family;

/// Runs the device flow and checks the token it gives.
pub fn obtain_device(req: &Request) -> Result<Obtained> {
    let (provider, site, http) = (req.provider, req.site, req.http);
    let client_id = provider.client_id().map(String::from).ok_or_else(|| {
        Error::usage(format!("the device flow for `{}` needs an OAuth client id", site.key()))
            .hint("pass --client-id ID, or set `[device] client_id` in a provider file")
    })?;
    let oidc = provider.family == Family::Oidc;
    let (endpoints, userinfo) = if oidc {
        let disc = block_on(oauth::discover(http, &req.issuer))?;
        let Some(auth) = disc.device_authorization_endpoint.clone() else {
            return Err(Error::usage(format!("the OpenID provider `{}` does not offer the device flow", req.issuer))
                .hint("enable the device authorization grant on the provider"));
        };
        (DeviceEndpoints { authorization_url: auth, token_url: disc.token_endpoint }, disc.userinfo_endpoint)
    } else {
        let d = provider.device.as_ref().expect("a client id lives in [device]");
        let endpoints = DeviceEndpoints {
            authorization_url: provider.expand(&d.authorization_url, site),
            token_url: provider.expand(&d.token_url, site),
        };
        (endpoints, None)
    };
    let scopes = if req.recipe.scopes.is_empty() { &provider.scopes } else { &req.recipe.scopes };
    let tokens =
        block_on(flow::device_login(http, &req.ctx.env, &endpoints, &client_id, scopes, req.recipe.no_browser))?;
    let kind = TokenKind::Oauth;
    let plans = req.nix_plan(kind, &tokens.access_token)?;
    let granted = tokens.scope.as_deref().map(split_scopes);
    let (user, scopes, server_expiry) = if oidc {
        let user = match &userinfo {
            Some(url) => block_on(oauth::userinfo(http, url, &tokens.access_token, &site.key()))?,
            None => None,
        };
        (user, granted.unwrap_or_default(), None)
    } else {
        let id = block_on(super::validate(http, provider, site, &tokens.access_token, kind))?;
        (id.user, id.scopes.or(granted).unwrap_or_default(), id.expires_at)
    };
    let mut record = req.record(kind);
    record.user = user;
    record.scopes = scopes;
    record.expires_at = tokens.expires_at(req.ctx.now()).or(server_expiry);
    record.issuer = oidc.then(|| req.issuer.clone());
    record.client_id = Some(client_id);
    record.token_endpoint = Some(endpoints.token_url);
    let secrets =
        Secrets { token: tokens.access_token, refresh_token: tokens.refresh_token, id_token: tokens.id_token };
    Ok(Obtained { cred: Credential::new(record, secrets), plans })
}

/// Scopes as a server lists them (space- or comma-separated).
pub fn split_scopes(s: &str) -> Vec<String> {
    s.split([' ', ',']).filter(|x| !x.is_empty()).map(String::from).collect()
}
