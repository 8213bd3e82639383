//! npm registries that are their own identity provider (Verdaccio, Artifactory, npmjs): npm's
//! web login when the registry offers it (`POST /-/v1/login` → `loginUrl` to open, `doneUrl`
//! polled until it hands over the token), else npm's couchdb login (`PUT
//! /-/user/org.couchdb.user:NAME` with the password → a token). A token is checked with
//! `GET /-/whoami`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Deserialize;

use super::request::{Obtained, Request, accepted, rejected};
use crate::credential::{Credential, Secrets, TokenKind};
use crate::error::{Error, Result};
use crate::http::{Auth, Http, block_on};
use crate::provider::Site;
use crate::secret::Secret;

/// How long a web login waits for the person.
const WEB_LOGIN_WAIT: Duration = Duration::from_secs(300);

/// Logs in: web login when offered and no password was given, else the couchdb login.
pub fn obtain(req: &Request) -> Result<Obtained> {
    let base = req.site.base();
    let password_given = req.recipe.with_password || req.recipe.given.is_some() || req.recipe.user.is_some();
    let token = match (password_given, block_on(web_login_start(req.http, &base))?) {
        (false, Some((login_url, done_url))) => {
            crate::ui::say(&format!("Open {login_url} to log in to {}.", req.site.key()));
            let _ = crate::ui::offer_url(req.env, &login_url, req.recipe.no_browser);
            block_on(web_login_wait(req.http, req.site, &done_url))?
        }
        _ => {
            let (user, password) = req.user_and_password()?;
            block_on(couchdb_login(req.http, req.site, &user, &password))?
        }
    };
    let user = block_on(whoami(req.http, req.site, &token))?;
    let mut record = req.record(TokenKind::Pat);
    record.user = Some(user);
    Ok(Obtained { cred: Credential::new(record, Secrets::token(token)), plans: Vec::new() })
}

#[derive(Deserialize)]
struct WebLogin {
    #[serde(rename = "loginUrl")]
    login_url: String,
    #[serde(rename = "doneUrl")]
    done_url: String,
}

/// `POST /-/v1/login`: `Some((loginUrl, doneUrl))` when the registry offers web login (on its own
/// origin), `None` when it does not.
async fn web_login_start(http: &Http, base: &str) -> Result<Option<(String, String)>> {
    let url = format!("{base}/-/v1/login");
    let resp = http.send(http.request(Method::POST, &url)?.json(&serde_json::json!({}))).await?;
    if !resp.ok() {
        return Ok(None);
    }
    let Ok(w) = serde_json::from_slice::<WebLogin>(&resp.body) else { return Ok(None) };
    let same = |u: &str| url::Url::parse(u).ok().map(|u| u.origin()) == url::Url::parse(base).ok().map(|b| b.origin());
    if !same(&w.done_url) {
        return Err(Error::unreachable(format!("`{base}` named a web-login poll URL on another origin"))
            .hint("log in with a user name and a password instead (`--user` and `--with-password`)"));
    }
    Ok(Some((w.login_url, w.done_url)))
}

/// Polls `doneUrl`: 202 (with `retry-after`) while the person logs in, 200 with the token.
async fn web_login_wait(http: &Http, site: &Site, done: &str) -> Result<Secret> {
    let started = Instant::now();
    loop {
        let resp = http.send(http.request(Method::GET, done)?).await?;
        match resp.status {
            200 => {
                #[derive(Deserialize)]
                struct Done {
                    token: Secret,
                }
                let d: Done = resp.json("the registry's web login")?;
                crate::secret::remember(&d.token);
                return Ok(d.token);
            }
            202 => {
                let wait = resp.header("retry-after").and_then(|s| s.parse::<u64>().ok()).unwrap_or(1).clamp(1, 30);
                if started.elapsed() > WEB_LOGIN_WAIT {
                    return Err(Error::failure(format!(
                        "the web login at `{}` was not finished within 5 minutes",
                        site.key()
                    ))
                    .hint("run the login again"));
                }
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            _ => return Err(crate::http::unexpected(&format!("waiting for the web login at `{}`", site.key()), &resp)),
        }
    }
}

/// npm's couchdb login: the user document with the password; the registry answers with a token.
async fn couchdb_login(http: &Http, site: &Site, user: &str, password: &Secret) -> Result<Secret> {
    let url = format!("{}/-/user/org.couchdb.user:{}", site.base(), urlencode(user));
    let body = serde_json::json!({
        "_id": format!("org.couchdb.user:{user}"),
        "name": user,
        "password": password.expose_secret(),
        "type": "user",
        "roles": [],
        "date": chrono::Utc::now().to_rfc3339(),
    });
    let resp = http.send(http.authorized(Method::PUT, &url, Auth::Basic(user), password)?.json(&body)).await?;
    if matches!(resp.status, 401 | 403 | 409) {
        return Err(rejected(site, &resp));
    }
    let resp = accepted(site, &format!("logging in at `{url}`"), resp)?;
    #[derive(Deserialize)]
    struct Issued {
        token: Option<Secret>,
    }
    let issued: Issued = resp.json(&url)?;
    let token = issued.token.ok_or_else(|| {
        Error::unreachable(format!("`{}` accepted the login but sent no token", site.key()))
            .hint("check that the URL is the npm registry's")
    })?;
    crate::secret::remember(&token);
    Ok(token)
}

/// `GET /-/whoami` with the token: the account.
pub async fn whoami(http: &Http, site: &Site, token: &Secret) -> Result<String> {
    let url = format!("{}/-/whoami", site.base());
    let resp = http.send(http.authorized(Method::GET, &url, Auth::Bearer, token)?).await?;
    let resp = accepted(site, &format!("checking the token at `{url}`"), resp)?;
    #[derive(Deserialize)]
    struct Who {
        username: String,
    }
    let who: Who = resp.json(&url)?;
    crate::account::server_account(who.username, "username", &site.key())
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
