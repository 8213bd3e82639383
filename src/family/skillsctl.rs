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
