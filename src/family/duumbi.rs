//! duumbi registries: `GET /api/v1/auth/mode`, duumbi's own device flow (JSON bodies; 428 while
//! pending, 410 when expired, 200 `{token, username}`), and `GET /api/v1/auth/verify`.

use reqwest::Method;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::flow::device::{self, Poll, Poller};
use crate::http::{Auth, Http, unexpected};
use crate::secret::Secret;

/// What `/auth/mode` says.
#[derive(Debug, Deserialize)]
pub struct Mode {
    /// Whether the device flow is offered.
    #[serde(default)]
    pub device_code_supported: bool,
}

/// The registry's auth mode; `None` for an older registry without the endpoint (404).
pub async fn mode(http: &Http, api: &str) -> Result<Option<Mode>> {
    let url = format!("{api}/auth/mode");
    let resp = http.send(http.request(Method::GET, &url)?).await?;
    match resp.status {
        404 => Ok(None),
        s if (200..300).contains(&s) => resp.json(&url).map(Some),
        _ => Err(unexpected(&format!("asking `{url}` how to log in"), &resp)),
    }
}

#[derive(Deserialize)]
struct Start {
    device_code: Secret,
    user_code: String,
    verification_uri: String,
    #[serde(default = "fifteen_minutes")]
    expires_in: u64,
    interval: Option<u64>,
}

fn fifteen_minutes() -> u64 {
    900
}

/// A duumbi token and the user it belongs to.
#[derive(Debug)]
pub struct Issued {
    /// The `duu_…` token.
    pub token: Secret,
    /// The account name.
    pub username: Option<String>,
}

#[derive(Deserialize)]
struct IssuedWire {
    token: Secret,
    username: Option<String>,
}

/// duumbi's device flow, polled by the same engine as RFC 8628 flows.
pub async fn device_login(http: &Http, env: &crate::env::Env, api: &str, no_browser: bool) -> Result<Issued> {
    let url = format!("{api}/auth/device/code");
    let req = http.request(Method::POST, &url)?.json(&serde_json::json!({"client_id": "duumbi-cli"}));
    let resp = http.send(req).await?;
    if !resp.ok() {
        return Err(unexpected(&format!("starting a device flow at `{url}`"), &resp));
    }
    let mut start: Start = resp.json(&url)?;
    start.user_code = crate::secret::from_server(&start.user_code);
    start.verification_uri = crate::secret::server_url(&start.verification_uri);
    crate::ui::essential(&format!("First copy your one-time code: {}", start.user_code));
    crate::ui::essential(&format!("Then open {} and enter it.", start.verification_uri));
    crate::ui::offer_url(env, &start.verification_uri, no_browser);
    let token_url = format!("{api}/auth/device/token");
    let clock = device::RealClock(std::time::Instant::now());
    let poll = || async {
        let req = match http.request(Method::POST, &token_url) {
            Ok(r) => r.json(&serde_json::json!({"device_code": start.device_code.expose_secret()})),
            Err(e) => return Poll::Fatal(e),
        };
        match http.send(req).await {
            Err(e) => Poll::Transient(e.message),
            Ok(r) if r.status == 428 => Poll::Pending,
            Ok(r) if r.status == 410 => Poll::Expired,
            Ok(r) if r.status == 403 => Poll::Denied,
            Ok(r) if r.status >= 500 || r.status == 429 => Poll::Transient(format!("HTTP {}", r.status)),
            Ok(r) if r.ok() => match r.json::<IssuedWire>(&token_url) {
                Ok(w) => match crate::secret::validate(w.token.expose_secret(), "the token the registry sent") {
                    Ok(token) => {
                        Poll::Token(Issued { token, username: w.username.map(|u| crate::secret::from_server(&u)) })
                    }
                    Err(why) => Poll::Fatal(Error::unreachable(format!("`{token_url}`: {why}"))),
                },
                Err(e) => Poll::Fatal(e),
            },
            Ok(r) => Poll::Fatal(unexpected("polling the duumbi device flow", &r)),
        }
    };
    let run = device::run(&clock, Poller::new(start.interval, start.expires_in), poll);
    tokio::select! {
        r = run => r,
        _ = tokio::signal::ctrl_c() => Err(device::interrupted()),
    }
}

/// `GET /api/v1/auth/verify` with the token: the user name, or exit 4 on 401.
pub async fn verify(http: &Http, api: &str, token: &Secret, key: &str) -> Result<Option<String>> {
    let url = format!("{api}/auth/verify");
    let resp = http.send(http.authorized(Method::GET, &url, Auth::Bearer, token)?).await?;
    if resp.status == 401 || resp.status == 403 {
        return Err(Error::refused(format!("`{key}` rejected the token (HTTP {})", resp.status))
            .hint(format!("create a new token at the registry's settings page and run `lanyard login {key}`")));
    }
    if !resp.ok() {
        return Err(unexpected(&format!("checking the token at `{url}`"), &resp));
    }
    let v: serde_json::Value = resp.json(&url)?;
    Ok(v.get("username").and_then(|u| u.as_str()).map(crate::secret::from_server))
}

/// Whether a token has duumbi's usual shape, `duu_` and 32 hex digits.
pub fn usual_shape(token: &str) -> bool {
    token.strip_prefix("duu_").is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// duumbi: the registry's own device flow when it offers one (and `--with-token` is not given),
/// else a pasted token; checked with `/auth/verify` before anything is stored. The registry name
/// is `--name`, the stored one, or the one `./.duumbi/config.toml` gives the URL.
pub fn obtain(req: &super::request::Request) -> Result<super::request::Obtained> {
    use crate::credential::{Credential, Secrets, TokenKind};
    use crate::flow::Flow;
    use crate::http::block_on;
    use crate::sink::{Plan, duumbi as file};

    let (http, site) = (req.http, req.site);
    let key = site.key();
    let name = match &req.recipe.name {
        Some(n) => n.clone(),
        None => {
            let workspace = std::path::Path::new(".duumbi/config.toml");
            let names = file::names_for(workspace, &site.base(), &site.host);
            let n = match names.as_slice() {
                [] => {
                    return Err(Error::usage(format!("which duumbi registry name should `{key}` be filed under?"))
                        .hint(format!(
                            "pass --name NAME (the name `{}` has in .duumbi/config.toml's [registries])",
                            site.base()
                        )));
                }
                [one] => one.clone(),
                // Several names share the URL: the person chooses, never the first silently.
                many if req.can_prompt() => {
                    let i = crate::ui::select(req.env, req.no_input, "File the token under", many, "--name")?;
                    many[i].clone()
                }
                many => {
                    return Err(Error::usage(format!(
                        "./.duumbi/config.toml names `{}` under several registries: {}",
                        site.base(),
                        many.join(", ")
                    ))
                    .hint(format!("pass --name, e.g. `--name {}`", crate::ui::shell_word(&many[0]))));
                }
            };
            // A cloned project's config chooses which table lanyard writes: say so.
            if workspace.exists() {
                crate::diag::warn(&format!(
                    "the registry name `{n}` comes from ./.duumbi/config.toml in the current directory; pass --name to choose another"
                ));
            }
            n
        }
    };
    let path = file::path(req.env)?;
    file::preflight(&path)?;
    // A table lanyard did not write is someone's token (duumbi's own login, another registry):
    // replacing it needs a yes, or --force off a terminal.
    // A table another lanyard credential (another host) wrote is that credential's: the same
    // question (F16). Only this host's own earlier login may be replaced without asking.
    let sink = crate::sink::Sink::Duumbi { path: path.clone(), name: name.clone() };
    let owner = req.data.credentials.iter().find(|(_, s)| s.record.sinks.contains(&sink)).map(|(id, _)| id);
    let this_host = owner.is_some_and(|id| id.host == key);
    if !this_host && file::token(&path, &name)?.is_some() && !req.recipe.force {
        let what = match owner {
            Some(id) => {
                format!("{} already has `[registries.{name}]`, which holds lanyard's credential `{id}`", path.display())
            }
            None => format!("{} already has `[registries.{name}]`, which lanyard did not write", path.display()),
        };
        if !req.can_prompt() {
            return Err(
                Error::usage(what).hint("pass --force to replace it, or --name OTHER to file the token elsewhere")
            );
        }
        if !crate::ui::confirm(req.env, req.no_input, &format!("{what}. Replace it?"), "--force")? {
            return Err(Error::usage(format!("`[registries.{name}]` in {} was left as it is", path.display()))
                .hint("pass --name OTHER to file the token under another name"));
        }
    }
    let api = req.provider.api_base(site);
    let device = req.flow == Flow::Device && block_on(mode(http, &api))?.is_some_and(|m| m.device_code_supported);
    let (token, mut user) = if device {
        let issued = block_on(device_login(http, req.env, &api, req.recipe.no_browser))?;
        (issued.token, issued.username)
    } else {
        (super::request::paste(req)?, None)
    };
    if !usual_shape(token.expose_secret()) {
        crate::diag::warn("the token does not look like a duumbi token (`duu_` and 32 hex digits); trying it anyway");
    }
    if let Some(u) = block_on(verify(http, &api, &token, &key))? {
        user = Some(u);
    }
    let mut record = req.record(TokenKind::Pat);
    record.user = user;
    record.name = Some(name.clone());
    Ok(super::request::Obtained {
        cred: Credential::new(record, Secrets::token(token)),
        plans: vec![Plan::Duumbi(path, name)],
    })
}
