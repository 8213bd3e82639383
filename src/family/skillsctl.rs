//! skillsctl servers: `GET {api_url}/auth/config` tells whether and where to log in.

use reqwest::Method;
use serde::Deserialize;

use crate::env::Env;
use crate::error::Result;
use crate::http::{Http, unexpected};

/// `/auth/config`.
#[derive(Debug, Deserialize)]
pub struct AuthConfig {
    /// Whether the server wants authentication.
    pub enabled: bool,
    /// The OpenID issuer.
    #[serde(default)]
    pub issuer_url: String,
    /// The web client id.
    #[serde(default)]
    pub client_id: String,
    /// The device-flow client id, when different.
    pub device_client_id: Option<String>,
}

impl AuthConfig {
    /// The client id for the device flow: `device_client_id`, else `client_id`.
    pub fn device_client(&self) -> &str {
        self.device_client_id.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.client_id)
    }
}

/// Asks the server.
pub async fn auth_config(http: &Http, api: &str) -> Result<AuthConfig> {
    let url = format!("{}/auth/config", api.trim_end_matches('/'));
    let resp = http.send(http.request(Method::GET, &url)?).await?;
    if !resp.ok() {
        return Err(unexpected(&format!("asking `{url}` how to log in"), &resp));
    }
    resp.json(&url)
}

/// The server skillsctl itself would use: `SKILLCTL_API_URL`, then `api_url` in
/// `~/.config/skillsctl/config.yaml`, then `http://localhost:8080`.
pub fn default_server(env: &Env) -> String {
    if let Some(u) = env.var("SKILLCTL_API_URL") {
        return u.to_string();
    }
    if let Some(home) = env.home()
        && let Ok(text) = std::fs::read_to_string(home.join(".config/skillsctl/config.yaml"))
    {
        for line in text.lines() {
            if let Some(v) = line.trim_start().strip_prefix("api_url:") {
                let v = v.split(" #").next().unwrap_or("").trim().trim_matches(['"', '\'']);
                if !v.is_empty() {
                    return v.to_string();
                }
            }
        }
    }
    "http://localhost:8080".to_string()
}

/// skillsctl: `/auth/config`, then OpenID discovery and the device flow with the server's client
/// id and `openid email profile`. `None` when the server wants no authentication.
pub fn obtain(req: &super::request::Request) -> Result<Option<super::request::Obtained>> {
    use crate::credential::{Credential, Secrets, TokenKind};
    use crate::error::Error;
    use crate::flow::{DeviceEndpoints, oauth};
    use crate::http::block_on;
    use crate::sink::{Plan, Sink};

    let (http, site) = (req.http, req.site);
    let config = block_on(auth_config(http, &req.provider.api_base(site)))?;
    if !config.enabled {
        return Ok(None);
    }
    let path = crate::sink::skillsctl::path(req.env, req.recipe.credentials_path.as_deref())?;
    let key = site.key();
    let writes_here = |r: &crate::credential::Record| r.sinks.contains(&Sink::Skillsctl { path: path.clone() });
    let owner =
        req.data.credentials.iter().find(|(k, c)| k.host != key && writes_here(&c.record)).map(|(k, _)| &k.host);
    if let Some(other) = owner {
        crate::diag::warn(&format!(
            "{} holds the credentials of {other}; logging in to {key} replaces them",
            path.display()
        ));
    } else if path.exists() && !req.data.accounts(&key).any(|(_, c)| writes_here(&c.record)) {
        crate::diag::warn(&format!(
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
    let scopes = if req.recipe.scopes.is_empty() { req.provider.scopes.clone() } else { req.recipe.scopes.clone() };
    let tokens =
        block_on(crate::flow::device_login(http, req.env, &endpoints, &client_id, &scopes, req.recipe.no_browser))?;
    let Some(id_token) = tokens.id_token.clone() else {
        return Err(Error::failure("the OpenID provider gave no ID token, which skillsctl sends as its bearer")
            .hint("check that the `openid` scope is allowed for the client"));
    };
    let user = match &disc.userinfo_endpoint {
        Some(url) => block_on(oauth::userinfo(http, url, &tokens.access_token, &key)).ok().flatten(),
        None => None,
    };
    let mut record = req.record(TokenKind::Oauth);
    record.user = user;
    record.expires_at = crate::credential::jwt_exp(id_token.expose_secret()).or(tokens.expires_at(req.now()));
    record.issuer = Some(config.issuer_url.clone());
    record.client_id = Some(client_id);
    record.token_endpoint = Some(endpoints.token_url);
    record.scopes = scopes;
    let secrets = Secrets { token: tokens.access_token, refresh_token: tokens.refresh_token, id_token: Some(id_token) };
    Ok(Some(super::request::Obtained { cred: Credential::new(record, secrets), plans: vec![Plan::Skillsctl(path)] }))
}
