//! The one HTTP client: rustls, a timeout on every request, proxies from `HTTPS_PROXY`/`NO_PROXY`,
//! extra CAs from `SSL_CERT_FILE` and a provider's `ca_file`, plain http only to loopback,
//! no redirect to another origin (so a credential never follows one), capped response bodies.

use std::path::Path;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::provider::Site;
use crate::secret::Secret;

/// The largest response body lanyard reads.
pub const MAX_BODY: usize = 1 << 20;

/// An HTTP client configured for lanyard.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    timeout: Duration,
}

/// A response whose body was read (up to [`MAX_BODY`]). The body may hold tokens (token
/// endpoints answer with them), so `Debug` shows only its length.
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response").field("status", &self.status).field("body_bytes", &self.body.len()).finish()
    }
}

impl Response {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON, with a clear error naming what was expected.
    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            // serde's message can quote a value from the body, and a JSON body may hold a token:
            // name only where it broke, and quote the start of the body only when it is not JSON
            // (an HTML error page, say).
            let text = String::from_utf8_lossy(&self.body);
            let shown = if text.trim_start().starts_with(['{', '[']) {
                String::new()
            } else {
                let start: String = text.chars().take(80).filter(|c| !c.is_control()).collect();
                format!(": `{}`", redact_words(&start))
            };
            let at = format!("{:?} error at line {} column {}", e.classify(), e.line(), e.column());
            Error::unreachable(format!("{what}: the server's answer is not the expected JSON ({at}){shown}"))
                .hint("check that the URL points at the right kind of server (`--provider`)")
        })
    }

    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Runs a future on a fresh single-threaded runtime: only commands that touch the network pay
/// for one.
pub fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime can be built")
        .block_on(fut)
}

impl Http {
    /// A client with the given per-request timeout and optional extra CA file.
    pub fn new(env: &Env, timeout: Duration, ca_file: Option<&Path>) -> Result<Http> {
        let proxies = Proxies::from_env(env);
        let mut b = reqwest::Client::builder()
            .use_rustls_tls()
            // The proxy is decided per request from the route (below), never from the process
            // environment wholesale: a loopback request never goes through a proxy.
            .no_proxy()
            .proxy(reqwest::Proxy::custom(move |url| proxies.for_url(url)))
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("lanyard/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let first = attempt.previous().first().map(|u| u.origin());
                if attempt.previous().len() > 5 || first != Some(attempt.url().origin()) {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }));
        let mut cas: Vec<std::path::PathBuf> = Vec::new();
        if let Some(p) = env.var("SSL_CERT_FILE") {
            cas.push(p.into());
        }
        if let Some(p) = ca_file {
            cas.push(p.to_path_buf());
        }
        for path in cas {
            // Read like every file that steers where secrets go (SPEC §6): no FIFO, device or
            // unbounded file, nothing another user can write.
            let pem = crate::fsutil::read_trusted(&path)?
                .ok_or_else(|| {
                    Error::usage(format!("cannot read CA certificates from `{}`: it does not exist", path.display()))
                        .hint("fix `SSL_CERT_FILE` or the provider's `ca_file`")
                })?
                .into_bytes();
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::usage(format!("`{}` holds no usable PEM certificates: {e}", path.display()))
                    .hint("fix `SSL_CERT_FILE` or the provider's `ca_file`")
            })?;
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        let client = b.build().map_err(|e| Error::failure(format!("cannot set up HTTPS: {e}")))?;
        Ok(Http { client, timeout })
    }

    /// Starts a request with a credential on it: the one place an auth header is set. The header
    /// is marked sensitive, so no debug output of the request shows it.
    pub fn authorized(
        &self,
        method: Method,
        url: &str,
        auth: Auth<'_>,
        secret: &Secret,
    ) -> Result<reqwest::RequestBuilder> {
        let (name, value) = match auth {
            Auth::Token => ("authorization", format!("token {}", secret.expose_secret())),
            Auth::Bearer => ("authorization", format!("Bearer {}", secret.expose_secret())),
            Auth::Header(name) => (name, secret.expose_secret().to_string()),
            Auth::Basic(user) => {
                use base64::Engine;
                let pair = format!("{user}:{}", secret.expose_secret());
                ("authorization", format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
            }
        };
        crate::secret::remember(secret);
        let mut value = reqwest::header::HeaderValue::from_str(&value).map_err(|_| {
            Error::usage("the credential has characters an HTTP header cannot carry")
                .hint("paste only the token itself, on one line")
        })?;
        value.set_sensitive(true);
        Ok(self.request(method, url)?.header(name, value))
    }

    /// Starts a request after checking that its URL may be reached (https, or http to loopback).
    pub fn request(&self, method: Method, url: &str) -> Result<reqwest::RequestBuilder> {
        let parsed = Url::parse(url).map_err(|e| Error::usage(format!("`{url}` is not a URL: {e}")))?;
        Site::from_url(&parsed)?;
        Ok(self.client.request(method, parsed))
    }

    /// Sends a request and reads its body (capped). Network failures are exit 6 with the cause.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Result<Response> {
        self.send_inner(req, false).await
    }

    /// [`Http::send`] that hands a redirect back as a response instead of refusing it: for the
    /// shared store, whose standby nodes send a client to the active node (same cluster).
    pub async fn send_keeping_redirects(&self, req: reqwest::RequestBuilder) -> Result<Response> {
        self.send_inner(req, true).await
    }

    async fn send_inner(&self, req: reqwest::RequestBuilder, keep_redirects: bool) -> Result<Response> {
        let req = req.build().map_err(|e| Error::failure(format!("cannot build a request: {e}")))?;
        let url = req.url().clone();
        let origin = url.origin().ascii_serialization();
        let method = req.method().clone();
        let mut resp = self.client.execute(req).await.map_err(|e| unreachable(&origin, &e, self.timeout))?;
        let status = resp.status().as_u16();
        crate::diag::debug(&format!("{method} {origin}{} -> {status}", url.path()));
        if (300..400).contains(&status) && !keep_redirects {
            let to = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("?");
            return Err(Error::unreachable(format!(
                "`{origin}` redirected to `{to}`, another origin; lanyard does not send credentials there"
            ))
            .hint("use the final server's URL as the target"));
        }
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY {
                        return Err(Error::unreachable(format!(
                            "`{origin}` sent a response larger than {} KiB",
                            MAX_BODY / 1024
                        ))
                        .hint("check that the URL points at the right server"));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(unreachable(&origin, &e, self.timeout)),
            }
        }
        Ok(Response { status, headers, body })
    }
}

fn unreachable(origin: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    let mut cause = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        cause = s.to_string();
        src = s.source();
    }
    // An https request that meets a plain-HTTP server on this machine (a dev server): rustls
    // reads its HTTP answer as a corrupt TLS record.
    if origin.starts_with("https://") && (cause.contains("InvalidContentType") || cause.contains("corrupt message")) {
        let host = origin.trim_start_matches("https://");
        let bare = host.split(':').next().unwrap_or(host).trim_start_matches('[').trim_end_matches(']');
        if crate::provider::site::is_loopback(bare) || host.starts_with('[') {
            return Error {
                cause: crate::error::Cause::PlainHttp,
                ..Error::usage(format!("{host} speaks plain HTTP, not HTTPS"))
            }
            .hint(format!("use http://{host} as the target (plain http is allowed for this machine only)"));
        }
    }
    if cause.contains("certificate") {
        return Error::unreachable(format!("`{origin}`'s TLS certificate is not trusted: {cause}")).hint(
            "if the server uses a private CA, point `SSL_CERT_FILE` (or the provider file's `ca_file`) at the CA's PEM file",
        );
    }
    if e.is_timeout() {
        let secs = timeout.as_secs();
        return Error::timed_out(secs, format!("`{origin}` timed out after {secs} s: {cause}"))
            .hint(format!("if the server is only slow, give it longer: `--timeout {}`", (secs * 4).clamp(60, 3600)));
    }
    Error::unreachable(format!("`{origin}` could not be reached: {cause}"))
        .hint("check the network and the host name, and that the server is up")
}

/// The proxy settings of the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`,
/// upper or lower case). No `Debug`: a proxy URL may carry a user name and password.
#[derive(Clone, Default)]
struct Proxies {
    https: Option<Url>,
    http: Option<Url>,
    all: Option<Url>,
    no_proxy: Vec<String>,
}

impl Proxies {
    fn from_env(env: &Env) -> Proxies {
        let get = |names: [&str; 2]| {
            names.iter().find_map(|n| env.var(n)).filter(|v| !v.is_empty()).and_then(|v| {
                let v = if v.contains("://") { v.to_string() } else { format!("http://{v}") };
                Url::parse(&v).ok()
            })
        };
        Proxies {
            https: get(["https_proxy", "HTTPS_PROXY"]),
            http: get(["http_proxy", "HTTP_PROXY"]),
            all: get(["all_proxy", "ALL_PROXY"]),
            no_proxy: ["no_proxy", "NO_PROXY"]
                .iter()
                .find_map(|n| env.var(n))
                .map(|v| v.split(',').map(|s| s.trim().trim_start_matches('.').to_ascii_lowercase()).collect())
                .unwrap_or_default(),
        }
    }

    /// The proxy for one request: none for a loopback host (a token to a local server never
    /// crosses a proxy, in clear or not) or a host `NO_PROXY` names.
    fn for_url(&self, url: &Url) -> Option<Url> {
        let host = url.host_str()?.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        if crate::provider::site::is_loopback(&host) {
            return None;
        }
        let skip = self
            .no_proxy
            .iter()
            .any(|n| n == "*" || (!n.is_empty() && (host == *n || host.ends_with(&format!(".{n}")))));
        if skip {
            return None;
        }
        match url.scheme() {
            "https" => self.https.clone().or_else(|| self.all.clone()),
            "http" => self.http.clone().or_else(|| self.all.clone()),
            _ => None,
        }
    }
}

/// How a credential travels in a request.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// `Authorization: token SECRET` (GitHub, Gitea).
    Token,
    /// `Authorization: Bearer SECRET` (OAuth, GitLab OAuth, duumbi, duh sessions).
    Bearer,
    /// `NAME: SECRET` (GitLab's `PRIVATE-TOKEN`, duh's `X-API-Key`).
    Header(&'a str),
    /// `Authorization: Basic` with this user name and the secret as password.
    Basic(&'a str),
}

/// What an HTTP status says about the credential a request carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAnswer {
    /// 2xx: accepted.
    Accepted,
    /// 401 or 403: the server refused the credential.
    Refused,
    /// Anything else: the server did not answer the question (see [`unexpected`]).
    Other,
}

/// The one reading of an HTTP status for a request that carried a credential.
pub fn token_answer(status: u16) -> TokenAnswer {
    match status {
        200..=299 => TokenAnswer::Accepted,
        401 | 403 => TokenAnswer::Refused,
        _ => TokenAnswer::Other,
    }
}

/// The error for an HTTP answer that is neither success nor a credential rejection.
pub fn unexpected(what: &str, resp: &Response) -> Error {
    // A 4xx is the server refusing what lanyard asked (exit 1); a 5xx, a 429, or a 2xx without the
    // expected answer means the server could not be asked properly (exit 6).
    let text: String = crate::secret::from_server(&String::from_utf8_lossy(&resp.body)).chars().take(120).collect();
    let message = format!("{what}: HTTP {} `{}`", resp.status, redact_words(&text));
    if (400..500).contains(&resp.status) && resp.status != 429 {
        Error::failure(message)
    } else {
        Error::unreachable(message)
    }
    .hint("try again later; if it persists, check the server's status")
}

/// Replaces every run of 20 or more token-like characters (letters, digits, `_-.~+/=`) with `[…]`:
/// a server may echo the credential it was sent in an error page, and the page is quoted to the
/// user. Words and version numbers stay readable.
fn redact_words(text: &str) -> String {
    let tokenish = |c: char| c.is_ascii_alphanumeric() || "_-.~+/=".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        out.push_str(if run.chars().count() >= 20 { "[…]" } else { run });
        run.clear();
    };
    for c in text.chars() {
        if tokenish(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod proxy_tests {
    use super::*;

    #[test]
    fn loopback_never_goes_through_a_proxy() {
        let env = Env::from_vars(
            [
                ("HTTP_PROXY", "http://proxy.example:3128"),
                ("ALL_PROXY", "http://all.example:1"),
                ("NO_PROXY", "corp.example"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let p = Proxies::from_env(&env);
        let u = |s: &str| Url::parse(s).unwrap();
        for local in ["http://127.0.0.1:8080/x", "http://localhost/", "http://[::1]:9/", "https://127.0.0.2/"] {
            assert_eq!(p.for_url(&u(local)), None, "{local}");
        }
        assert_eq!(p.for_url(&u("http://git.example.com/")).unwrap().host_str(), Some("proxy.example"));
        assert_eq!(p.for_url(&u("https://git.example.com/")).unwrap().host_str(), Some("all.example"));
        assert_eq!(p.for_url(&u("https://git.corp.example/")), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_error_bodies_hide_token_like_words() {
        let r = Response {
            status: 500,
            headers: HeaderMap::new(),
            body: br#"{"error":"bad token ghp_0123456789abcdefghijABCDEF","server":"nginx/1.25.3"}"#.to_vec(),
        };
        let e = unexpected("checking", &r);
        assert!(!e.message.contains("0123456789abcdef"), "{}", e.message);
        assert!(e.message.contains("bad token […]") && e.message.contains("nginx/1.25.3"), "{}", e.message);
    }

    #[test]
    fn neither_debug_nor_json_errors_show_a_token_in_the_body() {
        let body = br#"{"access_token": "tok-secret-in-body-0123", "expires_in": "soon"}"#.to_vec();
        let r = Response { status: 200, headers: HeaderMap::new(), body };
        assert!(!format!("{r:?}").contains("tok-secret"));
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            access_token: u64,
        }
        let e = r.json::<T>("token endpoint").unwrap_err();
        assert!(!e.message.contains("tok-secret"), "{}", e.message);
        let html = Response { status: 502, headers: HeaderMap::new(), body: b"<html>Bad Gateway</html>".to_vec() };
        assert!(html.json::<T>("x").unwrap_err().message.contains("Bad Gateway"));
    }
}
