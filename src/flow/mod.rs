//! Ways to obtain a credential: the facts the decision of which one a login uses looks at
//! ([`Facts`]; the decision is `family::flow`), the RFC 8628 device flow (engine in [`device`], wire format in [`oauth`], the
//! person-facing part here: the code, the URL, the browser, the countdown, Ctrl-C) and the
//! paste and password prompts ([`paste`]).

pub mod browser;
pub mod device;
pub mod oauth;
pub mod paste;

use std::time::{Duration, Instant};

use crate::credential::TokenKind;
use crate::env::Env;
use crate::error::Result;
use crate::http::Http;
use crate::ui;
use oauth::Tokens;

/// How a login obtains its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// A token or API key pasted at a hidden prompt, or piped with `--with-token`.
    Paste,
    /// An account name and password (duh's session, basic auth).
    Password,
    /// The device flow: RFC 8628 with the provider's (or skillsctl's) client id, or the duumbi
    /// registry's own, which falls back to a pasted token where the registry offers none.
    Device,
    /// The browser flow: authorization code with PKCE and a loopback redirect.
    Browser,
}

impl Flow {
    /// How `providers` names it.
    pub fn describe(self) -> &'static str {
        match self {
            Flow::Device => "device flow",
            Flow::Browser => "browser flow",
            Flow::Password => "user name + password",
            Flow::Paste => "token paste",
        }
    }

    /// Its place in `providers`' list (the flows lanyard prefers first).
    pub fn rank(self) -> u8 {
        match self {
            Flow::Device => 0,
            Flow::Browser => 1,
            Flow::Password => 2,
            Flow::Paste => 3,
        }
    }
}

/// A flow the person forced with `--device` or `--web`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forced {
    /// `--device`.
    Device,
    /// `--web`.
    Web,
}

/// What the flow decision looks at (SPEC §9).
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// `--with-token`.
    pub with_token: bool,
    /// `--device` or `--web`.
    pub forced: Option<Forced>,
    /// The kind of the stored credential a re-login repeats.
    pub remembered: Option<TokenKind>,
    /// A client id lanyard registered for the host earlier.
    pub registered: Option<&'a str>,
    /// The server's RFC 8414 / OpenID metadata, when it publishes it.
    pub meta: Option<&'a oauth::Discovery>,
    /// Whether the Gitea or Forgejo server knows its pre-registered CLI client (tea's).
    pub pre_registered: bool,
}

/// Where a device flow runs.
#[derive(Debug, Clone)]
pub struct DeviceEndpoints {
    /// The device authorization endpoint.
    pub authorization_url: String,
    /// The token endpoint.
    pub token_url: String,
}

/// Runs a whole device flow: start it, show the code, open the browser (unless `no_browser`, an
/// SSH session or no display), poll until a token arrives. Never waits for Enter. Ctrl-C ends it
/// with exit 130 before anything is written.
pub async fn device_login(
    http: &Http,
    env: &Env,
    endpoints: &DeviceEndpoints,
    client_id: &str,
    scopes: &[String],
    no_browser: bool,
) -> Result<Tokens> {
    let start = oauth::device_start(http, &endpoints.authorization_url, client_id, scopes).await?;
    let started = Instant::now();
    ui::essential(&format!("First copy your one-time code: {}", start.user_code));
    ui::essential(&format!("Then open {} and enter it.", start.verification_uri));
    if let Some(complete) = &start.verification_uri_complete {
        ui::say(&format!("(or open {complete}, which has the code filled in)"));
    }
    let opened =
        ui::offer_url(env, start.verification_uri_complete.as_deref().unwrap_or(&start.verification_uri), no_browser);
    // A QR code can push the code off a small screen: it is repeated under it.
    if !opened && env.stderr_tty {
        ui::essential(&format!("Your one-time code: {}", start.user_code));
    }
    let poller = device::Poller::new(start.interval, start.expires_in);
    let expires = Duration::from_secs(start.expires_in);
    let spinner = ui::countdown(env, expires);
    let clock = device::RealClock(started);
    let code = start.device_code.clone();
    let poll = device::run(&clock, poller, || oauth::device_poll(http, &endpoints.token_url, client_id, &code));
    let result = tokio::select! {
        r = poll => r,
        _ = tokio::signal::ctrl_c() => Err(device::interrupted()),
    };
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    if result.is_ok() {
        ui::say(&format!("Authorized after {:.1}s.", started.elapsed().as_secs_f64()));
    }
    result
}
