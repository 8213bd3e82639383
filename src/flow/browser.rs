//! The browser flow (SPEC §9): OAuth 2.0 authorization code with PKCE (S256) and a loopback
//! redirect (RFC 8252 §7.3). The `oauth2` crate makes the PKCE pair, the `state` and the
//! authorization URL; the listener, the deadline, the pasted-URL fallback and the code exchange
//! (through lanyard's one HTTP client, read like every other token answer) are here.

use std::io::{BufRead, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oauth2::{AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};
use reqwest::Method;

use super::oauth::{self, Tokens};
use crate::env::Env;
use crate::error::{Error, Exit, Result};
use crate::http::Http;
use crate::ui;

/// How long the person has to finish in the browser.
pub const DEADLINE: Duration = Duration::from_secs(600);

/// Where a browser flow runs, and with which client.
#[derive(Debug, Clone)]
pub struct Browser {
    /// The authorization endpoint.
    pub authorization_url: String,
    /// The token endpoint.
    pub token_url: String,
    /// The public client's id.
    pub client_id: String,
    /// The path of the loopback redirect the client was registered with: `/callback` for a client
    /// lanyard registered, `/` for Gitea's tea client (Gitea compares the path, not the port).
    pub redirect_path: String,
    /// The issuer the metadata named, for RFC 9207's `iss` check.
    pub issuer: Option<String>,
    /// Whether the server said it sends `iss` (then it must).
    pub iss_required: bool,
}

/// What came back to the loopback listener (or was pasted).
#[derive(Debug, Default, PartialEq, Eq)]
struct Returned {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn parse_query(query: &str) -> Returned {
    let mut r = Returned::default();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let v = v.into_owned();
        match k.as_ref() {
            "code" => r.code = Some(v),
            "state" => r.state = Some(v),
            "iss" => r.iss = Some(v),
            "error" => r.error = Some(crate::secret::server_text(&v)),
            "error_description" => r.error_description = Some(crate::secret::server_text(&v)),
            _ => {}
        }
    }
    r
}

const PAGE_OK: &str =
    "<!doctype html><meta charset=utf-8><title>lanyard</title><p>lanyard is logged in. You can close this tab.</p>";
const PAGE_ERR: &str = "<!doctype html><meta charset=utf-8><title>lanyard</title><p>The login did not complete; lanyard says why in the terminal. You can close this tab.</p>";

/// The most a request head may hold (request line and headers): a browser's redirect is far
/// smaller, and another local user must not grow lanyard (SPEC §6, N6).
const MAX_HEAD: usize = 8 * 1024;
/// How long one connection may take to send its head.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How many connections are served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 32;

/// Reads a request head (up to the blank line) within [`HEAD_DEADLINE`] in all and at most
/// [`MAX_HEAD`] bytes; `None` when it does not come whole in time or is too large.
fn read_head(stream: &mut TcpStream) -> std::result::Result<String, u16> {
    let until = Instant::now() + HEAD_DEADLINE;
    let mut head: Vec<u8> = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(408);
        }
        let _ = stream.set_read_timeout(Some(left));
        let n = match std::io::Read::read(stream, &mut buf) {
            Ok(0) | Err(_) => return Err(408),
            Ok(n) => n,
        };
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find_blank_line(&head) {
            head.truncate(end);
            return Ok(String::from_utf8_lossy(&head).into_owned());
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
    }
}

fn find_blank_line(b: &[u8]) -> Option<usize> {
    b.windows(4).position(|w| w == b"\r\n\r\n").or_else(|| b.windows(2).position(|w| w == b"\n\n"))
}

/// Answers one connection on the listener: the redirect's query, or nothing (another path, or
/// another `state`: any local process can reach the port, so a forged request is answered with
/// an error page and the listener waits on for the browser — SPEC §6). Each connection is served
/// on its own thread, so a slow or endless one delays nobody.
fn serve_one(mut stream: TcpStream, path: &str, state: &str) -> Option<Returned> {
    let head = match read_head(&mut stream) {
        Ok(h) => h,
        Err(status) => {
            let _ = write!(stream, "HTTP/1.1 {status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return None;
        }
    };
    let line = head.lines().next().unwrap_or("");
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let (p, q) = target.split_once('?').unwrap_or((target, ""));
    if p != path {
        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return None;
    }
    let r = parse_query(q);
    if r.state.as_deref() != Some(state) {
        let _ = write!(
            stream,
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE_ERR}",
            PAGE_ERR.len()
        );
        crate::diag::warn(
            "a request with another `state` than lanyard sent reached the login's listener; ignored, still waiting for the browser",
        );
        return None;
    }
    let page = if r.code.is_some() { PAGE_OK } else { PAGE_ERR };
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    Some(r)
}

/// Runs the browser flow to the token answer. `no_browser` (or no display, SSH) prints the URL
/// and also accepts the URL the browser was redirected to, pasted at a prompt.
pub async fn login(
    http: &Http,
    env: &Env,
    b: &Browser,
    scopes: &[String],
    no_browser: bool,
    can_prompt: bool,
) -> Result<(Tokens, String)> {
    // Both endpoints are checked before the person is sent anywhere (N20): an authorization page
    // on plain http off this machine is not shown, and a token endpoint that would be refused
    // after the person authorised is refused now.
    // (The same check every request of lanyard's HTTP client makes, done before any is sent.)
    for (what, url) in [("authorization endpoint", &b.authorization_url), ("token endpoint", &b.token_url)] {
        http.request(Method::GET, url).map(drop).map_err(|e| {
            Error::usage(format!("the {what} is refused: {}", e.message))
                .hint("log in with --device, or ask the server's administrator for https")
        })?;
    }
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| Error::failure(format!("cannot listen on 127.0.0.1 for the browser's redirect: {e}")))?;
    let port = listener.local_addr().map_err(|e| Error::failure(format!("no local address: {e}")))?.port();
    let redirect = format!("http://127.0.0.1:{port}{}", b.redirect_path);
    let bad_url = |what: &str, e: String| Error::usage(format!("the {what} `{e}` is not a URL"));
    let client = oauth2::basic::BasicClient::new(ClientId::new(b.client_id.clone()))
        .set_auth_uri(
            AuthUrl::new(b.authorization_url.clone())
                .map_err(|_| bad_url("authorization endpoint", b.authorization_url.clone()))?,
        )
        .set_redirect_uri(RedirectUrl::new(redirect.clone()).map_err(|_| bad_url("redirect", redirect.clone()))?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut auth = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .set_pkce_challenge(challenge);
    // OpenID Connect Core §11: `offline_access` (a refresh token) is granted only after consent.
    if scopes.iter().any(|s| s == "offline_access") {
        auth = auth.add_extra_param("prompt", "consent");
    }
    let (url, state) = auth.url();
    let url = url.to_string();
    ui::essential(&format!("Open this URL to log in (it expires in {} minutes):", DEADLINE.as_secs() / 60));
    ui::essential(&format!("  {url}"));
    // Opened in a browser here, or (SSH, no display, `--no-browser`) a QR code a phone can scan
    // beside the printed URL (SPEC §11).
    let opened = ui::offer_url(env, &url, no_browser);
    let (tx, rx) = mpsc::channel::<Returned>();
    {
        let (tx, path, expected) = (tx.clone(), b.redirect_path.clone(), state.secret().clone());
        std::thread::spawn(move || {
            let open = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            for stream in listener.incoming().flatten() {
                use std::sync::atomic::Ordering;
                if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    continue;
                }
                open.fetch_add(1, Ordering::SeqCst);
                let (tx, path, expected, open) = (tx.clone(), path.clone(), expected.clone(), open.clone());
                std::thread::spawn(move || {
                    if let Some(r) = serve_one(stream, &path, &expected) {
                        let _ = tx.send(r);
                    }
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
    }
    // The pasted address is read only when a whole line is waiting on stdin (polled beside the
    // listener): a read left blocked after the browser came back would swallow the next answer
    // the person types (issue 23, item 26).
    let paste = !opened && can_prompt;
    if paste {
        ui::say("Or, when the browser runs on another machine, paste the address it was sent to (http://127.0.0.1:…):");
    }
    let pasted = move || -> Option<Returned> {
        if !paste {
            return None;
        }
        let stdin = std::io::stdin();
        let mut fds = [rustix::event::PollFd::new(&stdin, rustix::event::PollFlags::IN)];
        let ready = rustix::event::poll(&mut fds, Some(&rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 })).ok()?;
        if ready == 0 {
            return None;
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line).ok()?;
        let q = line.trim().split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
        Some(parse_query(q.split('#').next().unwrap_or("")))
    };
    drop(tx);
    let started = Instant::now();
    let wait = async {
        loop {
            if let Some(r) = pasted() {
                return Ok(r);
            }
            match rx.try_recv() {
                Ok(r) => return Ok(r),
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(Error::failure("the loopback listener stopped before the browser came back"));
                }
                Err(mpsc::TryRecvError::Empty) if started.elapsed() >= DEADLINE => {
                    return Err(Error::new(
                        Exit::Failure,
                        format!("the browser did not come back within {} minutes", DEADLINE.as_secs() / 60),
                    )
                    .hint("run the login again"));
                }
                Err(mpsc::TryRecvError::Empty) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    };
    let back = tokio::select! {
        r = wait => r?,
        _ = tokio::signal::ctrl_c() => return Err(super::device::interrupted()),
    };
    // SPEC §15: a `state` mismatch is a malformed answer (exit 6), a denial exit 1.
    if back.state.as_deref() != Some(state.secret().as_str()) {
        return Err(Error::unreachable(
            "the browser came back with another `state` than lanyard sent; nothing was stored",
        )
        .hint("run the login again, and use only the URL lanyard printed"));
    }
    // RFC 9207: the authorization response names its issuer (when it does, or when the server
    // said it would): a response from another issuer is a mix-up, nothing is stored.
    if let Some(expected) = &b.issuer {
        match &back.iss {
            Some(iss) if iss.trim_end_matches('/') != expected.trim_end_matches('/') => {
                return Err(Error::unreachable(format!(
                    "the browser came back from issuer `{}`, not `{expected}` (RFC 9207); nothing was stored",
                    crate::secret::server_text(iss)
                ))
                .hint("run the login again, and use only the URL lanyard printed"));
            }
            None if b.iss_required => {
                return Err(Error::unreachable(format!(
                    "the browser came back without the `iss` that `{expected}` promises (RFC 9207); nothing was stored"
                ))
                .hint("run the login again, and use only the URL lanyard printed"));
            }
            _ => {}
        }
    }
    if let Some(err) = back.error {
        let desc = back.error_description.map(|d| format!(": {d}")).unwrap_or_default();
        let message = format!("the server refused the login ({err}{desc})");
        let e = if err == "access_denied" { Error::failure(message) } else { Error::refused(message) };
        return Err(e.hint("run the login again; if you denied access, allow it"));
    }
    let Some(code) = back.code else {
        return Err(Error::refused("the browser came back without an authorization code").hint("run the login again"));
    };
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
        ("client_id", b.client_id.as_str()),
        ("code_verifier", verifier.secret().as_str()),
    ];
    let req = http.request(Method::POST, &b.token_url)?.header("Accept", "application/json").form(&form);
    let resp = http.send(req).await?;
    let tokens = oauth::code_answer(&resp, &b.token_url)?;
    ui::say(&format!("Authorized after {:.1}s.", started.elapsed().as_secs_f64()));
    Ok((tokens, redirect))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_redirect_query() {
        let r = parse_query("code=abc%2F1&state=xyz&iss=http%3A%2F%2Fh");
        assert_eq!((r.code.as_deref(), r.state.as_deref()), (Some("abc/1"), Some("xyz")));
        let r = parse_query("error=access_denied&error_description=no%1b%5b31m&state=s");
        assert_eq!(r.error.as_deref(), Some("access_denied"));
        assert!(!r.error_description.unwrap().contains('\u{1b}'));
    }
}
