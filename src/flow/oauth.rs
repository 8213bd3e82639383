//! OAuth 2.0 on the wire: the device authorization request (RFC 8628 §3.1), the device-code and
//! refresh grants, OpenID discovery and userinfo. Vendor quirks live here: GitHub answers errors
//! with HTTP 200, and form-encoded bodies unless asked for JSON.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;

use super::device::Poll;
use crate::error::{Error, Exit, Result};
use crate::http::{Http, Response};
use crate::secret::{Secret, from_server, validate};

/// The device-code grant type.
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The device authorization response (RFC 8628 §3.2).
#[derive(Debug, Deserialize)]
pub struct DeviceStart {
    /// The device code (kept out of output).
    pub device_code: Secret,
    /// The code the person types.
    pub user_code: String,
    /// Where to type it (`verification_url` is an old Google spelling).
    #[serde(alias = "verification_url")]
    pub verification_uri: String,
    /// The URL with the code filled in, when the server gives one.
    pub verification_uri_complete: Option<String>,
    /// Lifetime of the codes, seconds.
    #[serde(default = "default_expiry")]
    pub expires_in: u64,
    /// Minimum polling interval, seconds.
    pub interval: Option<u64>,
}

fn default_expiry() -> u64 {
    900
}

/// A token endpoint's success response.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// The access token.
    pub access_token: Secret,
    /// A refresh token, when given.
    pub refresh_token: Option<Secret>,
    /// An OpenID ID token, when given.
    pub id_token: Option<Secret>,
    /// Access-token lifetime in seconds, when given.
    pub expires_in: Option<i64>,
    /// Granted scopes.
    pub scope: Option<String>,
}

impl Tokens {
    /// When the access token expires: `expires_in`, else its JWT `exp`.
    pub fn expires_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // A number out of range means "unknown", never a panic (a hostile `expires_in`).
        self.expires_in
            .filter(|s| *s > 0)
            .and_then(chrono::Duration::try_seconds)
            .and_then(|d| now.checked_add_signed(d))
            .or_else(|| crate::credential::jwt_exp(self.access_token.expose_secret()))
    }
}

/// A token endpoint's body, JSON or form-encoded, as fields.
fn fields(resp: &Response) -> HashMap<String, serde_json::Value> {
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice::<serde_json::Value>(&resp.body) {
        return m.into_iter().collect();
    }
    url::form_urlencoded::parse(&resp.body)
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect()
}

fn text(f: &HashMap<String, serde_json::Value>, k: &str) -> Option<String> {
    match f.get(k)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A token endpoint's error: the `error` code, its description, and every field of the body.
type OAuthError = (String, Option<String>, HashMap<String, serde_json::Value>);

/// Reads a token endpoint's answer: an `error` field means an error whatever the HTTP status
/// (GitHub sends 200), an `access_token` means success.
fn classify(resp: &Response, what: &str) -> std::result::Result<Tokens, OAuthError> {
    let f = fields(resp);
    if let Some(err) = text(&f, "error") {
        let desc = text(&f, "error_description").map(|d| from_server(&d));
        return Err((from_server(&err), desc, f));
    }
    match text(&f, "access_token") {
        Some(at) if resp.ok() => {
            // Every token passes the one validator before anything keeps it: a newline in a
            // token would be replayed into git's credential protocol or a Nix line.
            let secret = |k: &str| text(&f, k).map(|v| validate(&v, &format!("the `{k}` the server sent"))).transpose();
            let checked = validate(&at, "the `access_token` the server sent")
                .and_then(|a| Ok((a, secret("refresh_token")?, secret("id_token")?)));
            match checked {
                Ok((access_token, refresh_token, id_token)) => Ok(Tokens {
                    access_token,
                    refresh_token,
                    id_token,
                    expires_in: text(&f, "expires_in").and_then(|s| s.parse().ok()),
                    scope: text(&f, "scope").map(|s| from_server(&s)),
                }),
                Err(why) => Err((BAD_TOKEN.to_string(), Some(why), f)),
            }
        }
        _ => Err((format!("{what}: HTTP {}", resp.status), None, f)),
    }
}

/// The pseudo error code of an answer whose token fails the validator.
const BAD_TOKEN: &str = "lanyard:unusable-token";

/// The error for a token endpoint that sent a token no tool could carry: the server is broken or
/// hostile, so nothing is stored (exit 6) and the current credential stays.
fn bad_token(url: &str, why: &str) -> Error {
    Error::unreachable(format!("`{url}` answered with an unusable token: {why}"))
        .hint("lanyard keeps the current credential; report the server's answer to its operator")
}

/// Starts a device flow.
pub async fn device_start(http: &Http, url: &str, client_id: &str, scopes: &[String]) -> Result<DeviceStart> {
    let mut form = vec![("client_id", client_id.to_string())];
    if !scopes.is_empty() {
        form.push(("scope", scopes.join(" ")));
    }
    let req = http.request(Method::POST, url)?.header("Accept", "application/json").form(&form);
    let resp = http.send(req).await?;
    let f = fields(&resp);
    if let Some(err) = text(&f, "error").map(|e| from_server(&e)) {
        let desc = text(&f, "error_description").map(|d| format!(": {}", from_server(&d))).unwrap_or_default();
        let hint = if err == "invalid_client" || err == "unauthorized_client" {
            "check the client id (`--client-id` or the provider file) and that device flow is enabled for it"
        } else {
            "check the provider's device-flow settings"
        };
        return Err(Error::failure(format!("the server refused to start a device flow: {err}{desc}")).hint(hint));
    }
    if !resp.ok() {
        return Err(crate::http::unexpected(&format!("starting a device flow at `{url}`"), &resp));
    }
    let mut start: DeviceStart = resp.json(url)?;
    start.user_code = from_server(&start.user_code);
    start.verification_uri = crate::secret::server_url(&start.verification_uri);
    start.verification_uri_complete = start.verification_uri_complete.map(|u| crate::secret::server_url(&u));
    Ok(start)
}

/// One poll of the token endpoint with the device code.
pub async fn device_poll(http: &Http, token_url: &str, client_id: &str, device_code: &Secret) -> Poll<Tokens> {
    let form = [("grant_type", DEVICE_GRANT), ("device_code", device_code.expose_secret()), ("client_id", client_id)];
    let req = match http.request(Method::POST, token_url) {
        Ok(r) => r.header("Accept", "application/json").form(&form),
        Err(e) => return Poll::Fatal(e),
    };
    let resp = match http.send(req).await {
        Ok(r) => r,
        Err(e) => return Poll::Transient(e.message),
    };
    if resp.status >= 500 || resp.status == 429 {
        return Poll::Transient(format!("HTTP {}", resp.status));
    }
    match classify(&resp, "the token endpoint") {
        Ok(t) => Poll::Token(t),
        Err((err, Some(why), _)) if err == BAD_TOKEN => Poll::Fatal(bad_token(token_url, &why)),
        Err((err, desc, f)) => match err.as_str() {
            "authorization_pending" => Poll::Pending,
            "slow_down" => Poll::SlowDown(text(&f, "interval").and_then(|s| s.parse().ok())),
            "access_denied" => Poll::Denied,
            "expired_token" => Poll::Expired,
            _ => {
                let desc = desc.map(|d| format!(": {d}")).unwrap_or_default();
                Poll::Fatal(
                    Error::failure(format!("the device flow failed: {err}{desc}"))
                        .hint("run the login again; if it keeps failing, check the client id and scopes"),
                )
            }
        },
    }
}

/// The refresh grant. A refused refresh token is exit 4; an unreachable server exit 6.
pub async fn refresh(
    http: &Http,
    token_url: &str,
    client_id: &str,
    refresh_token: &Secret,
    key: &str,
) -> Result<Tokens> {
    let form =
        [("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose_secret()), ("client_id", client_id)];
    let req = http.request(Method::POST, token_url)?.header("Accept", "application/json").form(&form);
    let resp = http.send(req).await?;
    if resp.status >= 500 || resp.status == 429 {
        return Err(crate::http::unexpected(&format!("refreshing the token at `{token_url}`"), &resp));
    }
    crate::secret::remember(refresh_token);
    classify(&resp, "the token endpoint").map_err(|(err, desc, f)| {
        if err == BAD_TOKEN {
            return bad_token(token_url, desc.as_deref().unwrap_or_default());
        }
        // Only an OAuth error (RFC 6749 §5.2: `invalid_grant`…) is a refusal; an answer with
        // neither a token nor an error (an HTML page, garbage) says nothing about the grant.
        if text(&f, "error").is_none() {
            return crate::http::unexpected(&format!("refreshing the token at `{token_url}`"), &resp)
                .hint("lanyard keeps the current credential");
        }
        let desc = desc.map(|d| format!(": {d}")).unwrap_or_default();
        Error::refused(format!("`{key}` refused to refresh the token ({err}{desc})"))
            .hint(format!("log in again: `lanyard login {key}`"))
    })
}

/// The token answer of an authorization-code exchange: a token, or exit 4 with the server's
/// OAuth error (a used or expired code, a PKCE mismatch), or exit 6 when the server failed.
pub fn code_answer(resp: &Response, token_url: &str) -> Result<Tokens> {
    if resp.status >= 500 || resp.status == 429 {
        return Err(crate::http::unexpected(&format!("exchanging the code at `{token_url}`"), resp));
    }
    classify(resp, "the token endpoint").map_err(|(err, desc, f)| {
        if err == BAD_TOKEN {
            return bad_token(token_url, desc.as_deref().unwrap_or_default());
        }
        if text(&f, "error").is_none() {
            return crate::http::unexpected(&format!("exchanging the code at `{token_url}`"), resp);
        }
        let desc = desc.map(|d| format!(": {d}")).unwrap_or_default();
        Error::refused(format!("the token endpoint refused the authorization code ({err}{desc})"))
            .hint("run the login again")
    })
}

/// The parts of an authorization server's metadata lanyard uses (RFC 8414, OpenID Discovery).
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    /// The issuer identifier.
    pub issuer: String,
    /// The authorization endpoint (browser flow).
    #[serde(default)]
    pub authorization_endpoint: Option<String>,
    /// RFC 8628 device authorization endpoint.
    pub device_authorization_endpoint: Option<String>,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The userinfo endpoint.
    pub userinfo_endpoint: Option<String>,
    /// RFC 7591 dynamic client registration.
    #[serde(default)]
    pub registration_endpoint: Option<String>,
    /// RFC 7009 token revocation.
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    /// The grant types the server supports.
    #[serde(default)]
    pub grant_types_supported: Option<Vec<String>>,
    /// RFC 9207: the authorization response carries `iss`.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

impl Discovery {
    /// RFC 8414's document completed by the OpenID one for what it lacks (a server may publish
    /// both, with `userinfo_endpoint` only in the OpenID one: django-oauth-toolkit).
    fn completed_by(mut self, other: Discovery) -> Discovery {
        self.authorization_endpoint = self.authorization_endpoint.or(other.authorization_endpoint);
        self.device_authorization_endpoint = self.device_authorization_endpoint.or(other.device_authorization_endpoint);
        self.userinfo_endpoint = self.userinfo_endpoint.or(other.userinfo_endpoint);
        self.registration_endpoint = self.registration_endpoint.or(other.registration_endpoint);
        self.revocation_endpoint = self.revocation_endpoint.or(other.revocation_endpoint);
        self.grant_types_supported = self.grant_types_supported.or(other.grant_types_supported);
        self.authorization_response_iss_parameter_supported |= other.authorization_response_iss_parameter_supported;
        self
    }

    /// The metadata with only endpoints lanyard may send a secret to (SPEC §15, N22): on the
    /// issuer's own origin, or on another origin over https whose host is not this machine or a
    /// private network (big providers serve endpoints from other origins; a remote server must
    /// not aim lanyard's requests at other local services). An endpoint that is refused is left
    /// out, with a warning; `None` when the token endpoint itself is refused.
    fn vetted(mut self, issuer: &str) -> Option<Discovery> {
        let home = url::Url::parse(issuer).ok().map(|u| u.origin());
        let ok = |e: &str| {
            let Ok(u) = url::Url::parse(e) else { return false };
            if Some(u.origin()) == home {
                return true;
            }
            u.scheme() == "https" && u.host().is_some_and(|h| !is_local(&h))
        };
        let mut refused = Vec::new();
        for slot in [
            &mut self.authorization_endpoint,
            &mut self.device_authorization_endpoint,
            &mut self.userinfo_endpoint,
            &mut self.registration_endpoint,
            &mut self.revocation_endpoint,
        ] {
            if let Some(e) = slot.take_if(|e| !ok(e)) {
                refused.push(e);
            }
        }
        let token_ok = ok(&self.token_endpoint);
        if !token_ok {
            refused.push(self.token_endpoint.clone());
        }
        for e in &refused {
            crate::diag::warn(&format!(
                "the metadata of `{issuer}` names `{}` on another origin that is not public https; lanyard does not use it",
                from_server(e)
            ));
        }
        token_ok.then_some(self)
    }
}

/// Whether a host is this machine or on a private or link-local network.
fn is_local(h: &url::Host<&str>) -> bool {
    match h {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        url::Host::Ipv4(ip) => ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified(),
        url::Host::Ipv6(ip) => {
            ip.is_loopback()
                || ip.is_unspecified()
                || (ip.segments()[0] & 0xfe00) == 0xfc00
                || (ip.segments()[0] & 0xffc0) == 0xfe80
                || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback() || v4.is_private())
        }
    }
}

/// An RFC 7591 registration.
#[derive(Debug)]
pub struct Registered {
    /// The new public client's id.
    pub client_id: String,
}

/// RFC 7591: registers lanyard as a public native client (no secret; PKCE), for the grants the
/// server offers among device code, authorization code and refresh token.
pub async fn register(http: &Http, d: &Discovery, url: &str) -> Result<Registered> {
    let offered = d.grant_types_supported.clone().unwrap_or_else(|| vec!["authorization_code".into()]);
    let grants: Vec<&str> = [DEVICE_GRANT, "authorization_code", "refresh_token"]
        .into_iter()
        .filter(|g| {
            offered.iter().any(|o| o == g)
                || (*g == "refresh_token" && offered.iter().any(|o| o == "authorization_code"))
        })
        .collect();
    let code = grants.contains(&"authorization_code");
    let body = serde_json::json!({
        "client_name": "lanyard",
        "application_type": "native",
        "token_endpoint_auth_method": "none",
        "grant_types": grants,
        "response_types": if code { vec!["code"] } else { Vec::new() },
        "redirect_uris": if code { vec!["http://127.0.0.1/callback"] } else { Vec::new() },
    });
    let req = http.request(Method::POST, url)?.header("Accept", "application/json").json(&body);
    let resp = http.send(req).await?;
    if !(200..300).contains(&resp.status) {
        let v: Option<serde_json::Value> = serde_json::from_slice(&resp.body).ok();
        let err = v.as_ref().and_then(|v| v.get("error_description").or(v.get("error"))).and_then(|x| x.as_str());
        return Err(match err {
            Some(e) => Error::refused(format!("the server refused to register lanyard: {}", from_server(e))),
            None => crate::http::unexpected(&format!("registering lanyard at `{url}`"), &resp),
        });
    }
    #[derive(Deserialize)]
    struct Answer {
        client_id: String,
        registration_access_token: Option<Secret>,
    }
    let a: Answer = resp.json(url)?;
    // The registration's own token (RFC 7592) is not kept: lanyard never updates or deletes
    // the registration. It is never printed either.
    if let Some(t) = &a.registration_access_token {
        crate::secret::remember(t);
    }
    // A client id goes into URLs, forms and the store: an empty one, or one longer than any
    // real server issues, is a malformed answer (N24).
    let client_id = from_server(&a.client_id);
    if client_id.trim().is_empty() || client_id.len() > 1024 {
        return Err(Error::unreachable(format!(
            "the server at `{url}` registered lanyard with an unusable client id ({} bytes)",
            client_id.len()
        ))
        .hint("pass a client id you registered yourself: --client-id ID"));
    }
    Ok(Registered { client_id })
}

/// RFC 7009: revokes one token. `Ok(())` when the server answered 200 (also for a token it no
/// longer knows, as the RFC says); exit 6 when it could not be asked.
pub async fn revoke(http: &Http, url: &str, client_id: &str, token: &Secret, hint: &str) -> Result<()> {
    let form = [("token", token.expose_secret()), ("token_type_hint", hint), ("client_id", client_id)];
    let resp = http.send(http.request(Method::POST, url)?.form(&form)).await?;
    if resp.ok() {
        return Ok(());
    }
    Err(crate::http::unexpected(&format!("revoking the {hint} at `{url}`"), &resp))
}

/// RFC 8414 metadata at `ORIGIN/.well-known/oauth-authorization-server`, else OpenID discovery;
/// `None` when the server publishes neither or cannot be asked. Asked once per run per issuer.
pub async fn metadata(http: &Http, issuer: &str) -> Option<Discovery> {
    metadata_or_unreachable(http, issuer).await.ok().flatten()
}

/// [`metadata`] that tells "publishes none" (`Ok(None)`) from "could not be asked" (the
/// network error, exit 6): `logout --revoke` must not say a server offers no revocation when
/// it was never reached (N11).
pub async fn metadata_or_unreachable(http: &Http, issuer: &str) -> Result<Option<Discovery>> {
    use std::sync::Mutex;
    type Seen = Vec<(String, std::result::Result<Option<Discovery>, Error>)>;
    static SEEN: Mutex<Seen> = Mutex::new(Vec::new());
    let issuer = issuer.trim_end_matches('/').to_string();
    if let Some((_, d)) = SEEN.lock().expect("not poisoned").iter().find(|(i, _)| *i == issuer) {
        return d.clone();
    }
    let found = async {
        let url = format!("{issuer}/.well-known/oauth-authorization-server");
        match http.send(http.request(Method::GET, &url)?.header("Accept", "application/json")).await {
            Ok(resp) if resp.ok() => {
                if let Ok(d) = resp.json::<Discovery>(&url)
                    && d.issuer.trim_end_matches('/') == issuer
                {
                    // What RFC 8414's document lacks, the OpenID one may have (userinfo).
                    let d = match discover(http, &issuer).await {
                        Ok(o) if d.userinfo_endpoint.is_none() || d.device_authorization_endpoint.is_none() => {
                            d.completed_by(o)
                        }
                        _ => d,
                    };
                    return Ok(d.vetted(&issuer));
                }
            }
            Ok(_) => {}
            Err(e) if !e.answered() => return Err(e),
            Err(_) => {}
        }
        match discover(http, &issuer).await {
            Ok(d) => Ok(Some(d)),
            Err(e) if !e.answered() => Err(e),
            Err(_) => Ok(None),
        }
    }
    .await;
    SEEN.lock().expect("not poisoned").push((issuer, found.clone()));
    found
}

/// `ISSUER/.well-known/openid-configuration`, with the issuer checked (OpenID Discovery §4.3).
pub async fn discover(http: &Http, issuer: &str) -> Result<Discovery> {
    let issuer = issuer.trim_end_matches('/');
    let url = format!("{issuer}/.well-known/openid-configuration");
    let resp = http.send(http.request(Method::GET, &url)?.header("Accept", "application/json")).await?;
    if !resp.ok() {
        let e = crate::http::unexpected(&format!("OpenID discovery at `{url}`"), &resp);
        // The server answered no: the issuer URL is wrong (exit 2); no answer stays exit 6.
        return Err(if e.answered() { Error { exit: Exit::Usage, ..e } } else { e }
            .hint("check the issuer URL (`--provider oidc` with the issuer as TARGET)"));
    }
    let d: Discovery = resp.json(&url)?;
    if d.issuer.trim_end_matches('/') != issuer {
        return Err(Error::usage(format!("`{url}` names another issuer, `{}`", from_server(&d.issuer)))
            .hint(format!("use `{}` as the target", from_server(&d.issuer))));
    }
    d.vetted(issuer).ok_or_else(|| {
        Error::usage(format!("`{url}` names a token endpoint lanyard does not send secrets to"))
            .hint("ask the server's administrator; a provider file can name the endpoints itself")
    })
}

/// The user name from the userinfo endpoint: `preferred_username`, else `email`, else `sub`.
pub async fn userinfo(http: &Http, url: &str, access: &Secret, key: &str) -> Result<Option<String>> {
    let resp = http.send(http.authorized(Method::GET, url, crate::http::Auth::Bearer, access)?).await?;
    if resp.status == 401 || resp.status == 403 {
        return Err(Error::refused(format!("`{key}` rejected the access token at its userinfo endpoint"))
            .hint(format!("log in again: `lanyard login {key}`")));
    }
    if !resp.ok() {
        return Err(crate::http::unexpected(&format!("userinfo at `{url}`"), &resp));
    }
    let v: serde_json::Value = resp.json(url)?;
    // The first claim that can be an account name (SPEC §15: a name outside SPEC §6's rules falls
    // back to `sub`); a server that sends claims but none usable is a malformed answer.
    let sent: Vec<(&str, &str)> = ["preferred_username", "email", "sub"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(|x| x.as_str()).map(|x| (*k, x)))
        .collect();
    match sent.iter().find(|(_, x)| crate::account::account_problem(x).is_none()) {
        Some((_, x)) => Ok(Some(from_server(x))),
        None => match sent.first() {
            Some((k, x)) => crate::account::server_account(x.to_string(), k, key).map(Some),
            None => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response { status, headers: Default::default(), body: body.as_bytes().to_vec() }
    }

    #[test]
    fn github_200_errors_and_form_bodies() {
        let r = resp(200, "error=authorization_pending&error_description=pending");
        assert_eq!(classify(&r, "x").unwrap_err().0, "authorization_pending");
        let r = resp(200, r#"{"error":"slow_down","interval":10}"#);
        let (e, _, f) = classify(&r, "x").unwrap_err();
        assert_eq!((e.as_str(), text(&f, "interval").as_deref()), ("slow_down", Some("10")));
        let r = resp(200, "access_token=gho_abc&scope=repo&token_type=bearer");
        assert_eq!(classify(&r, "x").unwrap().access_token.expose_secret(), "gho_abc");
        let r = resp(400, r#"{"error":"invalid_grant"}"#);
        assert_eq!(classify(&r, "x").unwrap_err().0, "invalid_grant");
    }
}
