//! Per-family protocol code: how a token is checked against its server and who it belongs to.

pub mod duh;
pub mod duumbi;
mod forge;
pub mod skillsctl;

use chrono::{DateTime, Utc};

use crate::error::{Error, Exit, Result};
use crate::http::{Http, Response};
use crate::provider::{Family, Provider, Site};
use crate::secret::Secret;
use crate::store::{Credential, TokenKind};

/// What a server said about a token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The account name.
    pub user: Option<String>,
    /// Scopes, when the server reports them.
    pub scopes: Option<Vec<String>>,
    /// Expiry, when the server reports it.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Asks the server whose token this is. A refused token is exit 4, an unreachable server exit 6.
pub async fn validate(
    http: &Http,
    provider: &Provider,
    site: &Site,
    token: &Secret,
    kind: TokenKind,
) -> Result<Identity> {
    match provider.family {
        Family::Github => forge::github(http, provider, site, token).await,
        Family::Gitlab => forge::gitlab(http, provider, site, token, kind).await,
        Family::Gitea | Family::Forgejo => forge::gitea(http, provider, site, token).await,
        Family::Token => forge::bearer(http, provider, site, token).await,
        other => Err(Error::usage(format!("the `{}` family is not supported by this lanyard yet", other.as_str()))
            .hint("use `--provider token` for a plain bearer token")),
    }
}

/// Checks a stored credential with its server: the family's token check, or for OpenID
/// providers discovery and the userinfo endpoint.
pub async fn check(http: &Http, provider: &Provider, site: &Site, cred: &Credential) -> Result<()> {
    if cred.family == Family::Oidc {
        let issuer = cred.issuer.clone().unwrap_or_else(|| site.base());
        let d = crate::flow::oauth::discover(http, &issuer).await?;
        if let Some(url) = d.userinfo_endpoint {
            crate::flow::oauth::userinfo(http, &url, &cred.token, &site.key()).await?;
        }
        return Ok(());
    }
    let key = site.key();
    let api = provider.api_base(site);
    match (cred.family, cred.kind) {
        (Family::Duumbi, _) => duumbi::verify(http, &api, &cred.token, &key).await.map(|_| ()),
        (Family::Duh, TokenKind::ApiKey) => duh::check_key(http, &api, &cred.token, &key).await,
        (Family::Duh, _) => duh::me(http, &api, &cred.token, &key).await.map(|_| ()),
        (Family::Basic, _) => basic(http, provider, site, cred.user.as_deref().unwrap_or_default(), &cred.token).await,
        _ => validate(http, provider, site, &cred.token, cred.kind).await.map(|_| ()),
    }
}

/// Whether `status` asks the server about this credential: skillsctl credentials are judged
/// offline (as skillsctl does), token/basic ones only with a `validate_url`.
pub fn checked_online(provider: &Provider) -> bool {
    match provider.family {
        Family::Skillsctl => false,
        Family::Token | Family::Basic => provider.validate_url.is_some(),
        _ => true,
    }
}

/// Basic auth: the provider's `validate_url` with the user name and password, when it has one.
pub async fn basic(http: &Http, provider: &Provider, site: &Site, user: &str, password: &Secret) -> Result<()> {
    let Some(template) = &provider.validate_url else { return Ok(()) };
    let url = provider.expand(template, site);
    let req = http.request(reqwest::Method::GET, &url)?.basic_auth(user, Some(password.expose_secret()));
    let resp = http.send(req).await?;
    if resp.status == 401 || resp.status == 403 {
        return Err(rejected(site, &resp));
    }
    if !resp.ok() {
        return Err(crate::http::unexpected(&format!("checking the password at `{url}`"), &resp));
    }
    Ok(())
}

/// The error for a credential its server refused.
pub fn rejected(site: &Site, resp: &Response) -> Error {
    Error::new(Exit::Rejected, format!("`{}` rejected the token (HTTP {})", site.key(), resp.status))
        .hint(format!("create a new token and run `lanyard login {}`", site.key()))
}
