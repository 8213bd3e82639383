//! Basic auth: a user name and password, checked at the provider's `validate_url` when it has one.

use super::request::{Obtained, Request, accepted};
use crate::credential::{Credential, Secrets, TokenKind};
use crate::error::Result;
use crate::http::{Auth, Http, block_on};
use crate::provider::{Provider, Site};
use crate::secret::Secret;

/// Reads the account and password and checks them.
pub fn obtain(req: &Request) -> Result<Obtained> {
    let (user, password) = req.user_and_password()?;
    block_on(check(req.http, req.provider, req.site, &user, &password))?;
    let mut record = req.record(TokenKind::Basic);
    record.user = Some(user);
    Ok(Obtained { cred: Credential::new(record, Secrets::token(password)), plans: Vec::new() })
}

/// The provider's `validate_url` with the user name and password, when it has one.
pub async fn check(http: &Http, provider: &Provider, site: &Site, user: &str, password: &Secret) -> Result<()> {
    let Some(template) = &provider.validate_url else { return Ok(()) };
    let url = provider.expand(template, site);
    let resp = http.send(http.authorized(reqwest::Method::GET, &url, Auth::Basic(user), password)?).await?;
    accepted(site, &format!("checking the password at `{url}`"), resp).map(|_| ())
}
