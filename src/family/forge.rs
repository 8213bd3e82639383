//! Token checks for the forges (GitHub, GitLab, Gitea/Forgejo) and plain bearer services.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use reqwest::Method;
use serde::Deserialize;

use super::request::{Identity, Obtained, Request, accepted, rejected};
use crate::credential::TokenKind;
use crate::credential::{Credential, Secrets};
use crate::error::{Error, Result};
use crate::http::block_on;
use crate::http::{Auth, Http, unexpected};
use crate::provider::{Family, Provider, Site};
use crate::secret::Secret;

/// A pasted token, checked with the server before anything is stored.
pub fn obtain_pasted(req: &Request) -> Result<Obtained> {
    let token = super::request::paste(req)?;
    let kind = req.recipe.given.as_ref().map(|(_, k)| *k).unwrap_or(TokenKind::Pat);
    let plans = req.nix_plan(kind, &token)?;
    let identity = block_on(validate(req.http, req.provider, req.site, &token, kind))?;
    let mut record = req.record(kind);
    record.user = identity.user;
    record.scopes = identity.scopes.unwrap_or_default();
    record.expires_at = identity.expires_at;
    Ok(Obtained { cred: Credential::new(record, Secrets::token(token)), plans })
}

#[derive(Deserialize)]
struct Login {
    login: String,
}

/// GitHub: `GET {api}/user` with `Authorization: token`, scopes from `X-OAuth-Scopes`, expiry
/// from `GitHub-Authentication-Token-Expiration`.
pub async fn github(http: &Http, p: &Provider, site: &Site, token: &Secret) -> Result<Identity> {
    let url = format!("{}/user", p.api_base(site));
    let req = http.authorized(Method::GET, &url, Auth::Token, token)?.header("Accept", "application/vnd.github+json");
    let resp = http.send(req).await?;
    if resp.status == 401 {
        return Err(rejected(site, &resp));
    }
    if resp.status == 403 && resp.header("x-ratelimit-remaining") == Some("0") {
        return Err(Error::unreachable(format!("`{}` rate-limited the check (HTTP 403)", site.key()))
            .hint("wait for the rate limit to reset and run the command again"));
    }
    if resp.status == 403 {
        return Err(rejected(site, &resp));
    }
    if !resp.ok() {
        return Err(unexpected(&format!("checking the token at `{url}`"), &resp));
    }
    let login: Login = resp.json(&url)?;
    let scopes = resp
        .header("x-oauth-scopes")
        .map(|s| s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect());
    let expires_at = resp.header("github-authentication-token-expiration").and_then(parse_github_time);
    Ok(Identity { user: Some(login.login), scopes, expires_at })
}

/// GitHub writes `2026-12-01 10:00:00 UTC` (and has written `+0000` offsets).
fn parse_github_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Some(naive) = s.strip_suffix(" UTC") {
        return NaiveDateTime::parse_from_str(naive, "%Y-%m-%d %H:%M:%S").ok().map(|n| n.and_utc());
    }
    DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z")
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc)))
}

#[derive(Deserialize)]
struct GitlabUser {
    username: String,
}

#[derive(Deserialize)]
struct GitlabPat {
    #[serde(default)]
    scopes: Vec<String>,
    expires_at: Option<String>,
}

/// GitLab: `GET /api/v4/user`; a PAT's scopes and expiry from `personal_access_tokens/self`.
pub async fn gitlab(http: &Http, p: &Provider, site: &Site, token: &Secret, kind: TokenKind) -> Result<Identity> {
    let api = p.api_base(site);
    let auth = match kind {
        TokenKind::Oauth => Auth::Bearer,
        _ => Auth::Header("PRIVATE-TOKEN"),
    };
    let url = format!("{api}/user");
    let resp = http.send(http.authorized(Method::GET, &url, auth, token)?).await?;
    let resp = accepted(site, &format!("checking the token at `{url}`"), resp)?;
    let user: GitlabUser = resp.json(&url)?;
    let mut id = Identity { user: Some(user.username), ..Identity::default() };
    if kind == TokenKind::Pat {
        let url = format!("{api}/personal_access_tokens/self");
        let resp = http.send(http.authorized(Method::GET, &url, auth, token)?).await?;
        // Older GitLab has no such endpoint (404): the token is still good.
        if resp.ok() {
            let pat: GitlabPat = resp.json(&url)?;
            id.scopes = Some(pat.scopes);
            // A PAT stops working at the start of its `expires_at` day (UTC).
            id.expires_at = pat
                .expires_at
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc());
        }
    }
    Ok(id)
}

/// GitLab's self-rotation of a personal access token (`POST /personal_access_tokens/self/rotate`,
/// GitLab 16.0+, the `api` or `self_rotate` scope): the old token is revoked by the server, the
/// new one returned with its expiry. `expires_at`: the new token's last day (same lifetime).
pub async fn gitlab_rotate(
    http: &Http,
    p: &Provider,
    site: &Site,
    token: &Secret,
    expires_at: Option<NaiveDate>,
) -> Result<(Secret, Option<chrono::DateTime<chrono::Utc>>)> {
    let url = format!("{}/personal_access_tokens/self/rotate", p.api_base(site));
    let mut req = http.authorized(Method::POST, &url, Auth::Header("PRIVATE-TOKEN"), token)?;
    if let Some(d) = expires_at {
        req = req.form(&[("expires_at", d.format("%Y-%m-%d").to_string())]);
    }
    let resp = http.send(req).await?;
    if resp.status == 403 {
        return Err(Error::refused(format!("`{}` refused to rotate the token (HTTP 403)", site.key())).hint(format!(
            "the token needs the `api` or `self_rotate` scope: create one with it and run `lanyard login {} --force`",
            site.key()
        )));
    }
    let resp = accepted(site, &format!("rotating the token at `{url}`"), resp)?;
    #[derive(serde::Deserialize)]
    struct Rotated {
        token: Secret,
        expires_at: Option<String>,
    }
    let r: Rotated = resp.json(&url)?;
    let token = crate::secret::validate(r.token.expose_secret(), "the rotated token").map_err(|why| {
        Error::unreachable(format!("`{}` sent a rotated token lanyard cannot use: {why}", site.key()))
    })?;
    crate::secret::remember(&token);
    let expires = r
        .expires_at
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc());
    Ok((token, expires))
}

/// Gitea and Forgejo: `GET /api/v1/user` with `Authorization: token`.
pub async fn gitea(http: &Http, p: &Provider, site: &Site, token: &Secret) -> Result<Identity> {
    let url = format!("{}/user", p.api_base(site));
    let resp = http.send(http.authorized(Method::GET, &url, Auth::Token, token)?).await?;
    let resp = accepted(site, &format!("checking the token at `{url}`"), resp)?;
    let login: Login = resp.json(&url)?;
    Ok(Identity { user: Some(login.login), ..Identity::default() })
}

/// A bearer-token service: the provider's `validate_url`, when it has one.
pub async fn bearer(http: &Http, p: &Provider, site: &Site, token: &Secret) -> Result<Identity> {
    let Some(template) = &p.validate_url else {
        return Ok(Identity::default());
    };
    let url = p.expand(template, site);
    let resp = http.send(http.authorized(Method::GET, &url, Auth::Bearer, token)?).await?;
    accepted(site, &format!("checking the token at `{url}`"), resp)?;
    Ok(Identity::default())
}

/// Asks the server whose token this is. A refused token is exit 4, an unreachable server exit 6.
pub async fn validate(
    http: &Http,
    provider: &Provider,
    site: &Site,
    token: &Secret,
    kind: TokenKind,
) -> Result<Identity> {
    let id = match provider.family {
        Family::Github => github(http, provider, site, token).await,
        Family::Gitlab => gitlab(http, provider, site, token, kind).await,
        Family::Gitea | Family::Forgejo => gitea(http, provider, site, token).await,
        Family::Token => bearer(http, provider, site, token).await,
        other @ (Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Basic
        | Family::Oci
        | Family::Npm) => {
            Err(Error::usage(format!("the `{}` family is not supported by this lanyard yet", other.as_str()))
                .hint("use `--provider token` for a plain bearer token"))
        }
    }?;
    // What the server says about itself enters sanitised: it is stored and printed by `status`.
    Ok(Identity {
        user: id.user.map(|u| crate::secret::from_server(&u)),
        scopes: id.scopes.map(|s| s.iter().map(|x| crate::secret::from_server(x)).collect()),
        expires_at: id.expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_expiry_formats() {
        let want = "2026-12-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(parse_github_time("2026-12-01 10:00:00 UTC"), Some(want));
        assert_eq!(parse_github_time("2026-12-01 11:00:00 +0100"), Some(want));
        assert_eq!(parse_github_time("garbage"), None);
    }
}
