//! duh servers: `GET /api/auth/status`, email + password → `POST /api/auth/login` → a JWT checked
//! only by `GET /api/auth/me` (other routes let any bearer through), or an API key sent as
//! `X-API-Key` and checked on a protected route. 429 answers honour `Retry-After`; errors come as
//! `{"detail": …}`.

use std::time::Duration;

use reqwest::Method;

use crate::error::{Error, Result};
use crate::http::{Auth, Http, Response, unexpected};
use crate::secret::Secret;

/// The longest `Retry-After` lanyard waits out by itself.
const MAX_RETRY_AFTER: u64 = 60;

/// Sends a request, waiting out one 429 whose `Retry-After` is short.
async fn send(http: &Http, make: impl Fn() -> Result<reqwest::RequestBuilder>) -> Result<Response> {
    let resp = http.send(make()?).await?;
    if resp.status != 429 {
        return Ok(resp);
    }
    let wait = resp.header("retry-after").and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(MAX_RETRY_AFTER + 1);
    if wait > MAX_RETRY_AFTER {
        return Err(Error::unreachable(format!("the duh server is rate-limiting: retry after {wait}s"))
            .hint("wait and run the command again"));
    }
    crate::diag::info(&format!("The duh server asks to wait {wait}s (rate limit)…"));
    tokio::time::sleep(Duration::from_secs(wait)).await;
    http.send(make()?).await
}

fn detail(resp: &Response) -> String {
    let d = serde_json::from_slice::<serde_json::Value>(&resp.body)
        .ok()
        .and_then(|v| v.get("detail").map(|d| d.as_str().map(String::from).unwrap_or_else(|| d.to_string())))
        .unwrap_or_else(|| format!("HTTP {}", resp.status));
    crate::secret::from_server(&d)
}

/// Whether the server wants authentication. Only a JSON `{"auth_required": false}` says no:
/// servers older than the route answer 404, or 401 "Missing API key" once any key exists, and a
/// Docker deployment's web UI answers 200 with `index.html` — all of them go on to log in. A 5xx
/// or an unreachable server is still an error.
pub async fn auth_required(http: &Http, api: &str) -> Result<bool> {
    let url = format!("{api}/auth/status");
    let resp = send(http, || http.request(Method::GET, &url)).await?;
    if resp.status >= 500 || resp.status == 429 {
        return Err(unexpected(&format!("asking `{url}` whether to log in"), &resp));
    }
    let open = resp.ok()
        && serde_json::from_slice::<serde_json::Value>(&resp.body)
            .ok()
            .and_then(|v| v.get("auth_required").and_then(serde_json::Value::as_bool))
            == Some(false);
    crate::diag::debug(&format!(
        "duh: `{url}` answered {}; login {}",
        resp.status,
        if open { "not needed" } else { "needed" }
    ));
    Ok(!open)
}

/// Email and password for a JWT.
pub async fn login(http: &Http, api: &str, email: &str, password: &Secret, key: &str) -> Result<Secret> {
    let url = format!("{api}/auth/login");
    crate::secret::remember(password);
    let body = serde_json::json!({"email": email, "password": password.expose_secret()});
    let resp = send(http, || Ok(http.request(Method::POST, &url)?.json(&body))).await?;
    let why = detail(&resp);
    // A server without a JWT secret cannot hand out sessions at all: not a passing fault.
    if resp.status >= 500 && why.to_ascii_lowercase().contains("jwt secret") {
        return Err(Error::failure(format!("`{key}` cannot issue sessions: {why}"))
            .hint("ask the server's operator to configure its JWT secret")
            .hint(format!("or log in with an API key: `lanyard login {key} --with-token`")));
    }
    if resp.status == 403 && why.to_ascii_lowercase().contains("disabled") {
        return Err(Error::refused(format!("`{key}` refused the login: {why}"))
            .hint("the account is disabled: ask the server's operator to enable it"));
    }
    if resp.status == 401 || resp.status == 403 || resp.status == 400 {
        return Err(Error::refused(format!("`{key}` refused the login: {why}"))
            .hint(format!("check the email and password and run `lanyard login {key}` again")));
    }
    if !resp.ok() {
        return Err(unexpected(&format!("logging in at `{url}`"), &resp));
    }
    let v: serde_json::Value = resp.json(&url)?;
    let token = v
        .get("access_token")
        .and_then(|t| t.as_str())
        .ok_or_else(|| Error::unreachable(format!("`{url}` answered without an `access_token`")))?;
    crate::secret::validate(token, "the session token the server sent")
        .map_err(|why| Error::unreachable(format!("`{url}` answered with an unusable token: {why}")))
}

/// Checks a JWT at `/api/auth/me` (the only route that really checks one); the user's email.
pub async fn me(http: &Http, api: &str, jwt: &Secret, key: &str) -> Result<Option<String>> {
    me_and_role(http, api, jwt, key).await.map(|(user, _)| user)
}

/// `/api/auth/me`: the user's email (or name) and role.
pub async fn me_and_role(http: &Http, api: &str, jwt: &Secret, key: &str) -> Result<(Option<String>, Option<String>)> {
    let url = format!("{api}/auth/me");
    let resp = send(http, || http.authorized(Method::GET, &url, Auth::Bearer, jwt)).await?;
    if resp.status == 401 || resp.status == 403 {
        return Err(Error::refused(format!("`{key}` rejected the session: {}", detail(&resp)))
            .hint(format!("log in again: `lanyard login {key}`")));
    }
    if !resp.ok() {
        return Err(unexpected(&format!("checking the session at `{url}`"), &resp));
    }
    let v: serde_json::Value = resp.json(&url)?;
    let user = ["email", "display_name", "id"]
        .iter()
        .find_map(|k| v.get(*k).and_then(|x| x.as_str()).map(crate::secret::from_server));
    let role = v.get("role").and_then(|r| r.as_str()).map(crate::secret::from_server);
    Ok((user, role))
}

/// Checks an API key on a protected route (`X-API-Key`); 401 "Invalid or revoked API key." is exit 4.
pub async fn check_key(http: &Http, api: &str, api_key: &Secret, key: &str) -> Result<()> {
    let url = format!("{api}/threads?limit=1");
    let resp = send(http, || http.authorized(Method::GET, &url, Auth::Header("X-API-Key"), api_key)).await?;
    if resp.status == 401 || resp.status == 403 {
        return Err(Error::refused(format!("`{key}` rejected the API key: {}", detail(&resp)))
            .hint(format!("create a new key and run `lanyard login {key} --with-token`")));
    }
    if !resp.ok() {
        return Err(unexpected(&format!("checking the API key at `{url}`"), &resp));
    }
    Ok(())
}

/// duh: an API key (`--with-token`), or email + password for a session JWT. `None` when the
/// server is open.
pub fn obtain(req: &super::request::Request) -> Result<Option<super::request::Obtained>> {
    use crate::credential::{Credential, Secrets, TokenKind};
    use crate::flow::{Flow, paste};
    use crate::http::block_on;

    let (http, site) = (req.http, req.site);
    let key = site.key();
    let api = req.provider.api_base(site);
    if !block_on(auth_required(http, &api))? {
        return Ok(None);
    }
    if req.flow == Flow::Paste {
        let api_key = match &req.recipe.given {
            Some((s, _)) => paste::clean_token(s)?,
            None => paste::read_token(req.env, req.no_input, "API key", req.recipe.with_token)?,
        };
        block_on(check_key(http, &api, &api_key, &key))?;
        let cred = Credential::new(req.record(TokenKind::ApiKey), Secrets::token(api_key));
        return Ok(Some(super::request::Obtained { cred, plans: Vec::new() }));
    }
    let email = paste::account(req.env, req.no_input, req.recipe.user.as_deref(), "Email")?;
    let password = match &req.recipe.given {
        Some((s, _)) => s.clone(),
        None => paste::read_password(req.env, req.no_input, &email, req.recipe.with_password)?,
    };
    let jwt = block_on(login(http, &api, &email, &password, &key))?;
    let (user, role) = block_on(me_and_role(http, &api, &jwt, &key))?;
    let mut record = req.record(TokenKind::Jwt);
    record.expires_at = crate::credential::jwt_exp(jwt.expose_secret());
    record.user = user.or(Some(email));
    // The account's role, shown by `status` with the scopes (duh has no scopes of its own).
    record.scopes = role.map(|r| format!("role:{r}")).into_iter().collect();
    Ok(Some(super::request::Obtained { cred: Credential::new(record, Secrets::token(jwt)), plans: Vec::new() }))
}
