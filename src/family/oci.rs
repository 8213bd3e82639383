//! OCI/Docker registries that are their own identity provider (Distribution with htpasswd or
//! token auth, Harbor robot accounts, Zot, Quay, Docker Hub): a user name and a password or
//! token, checked with the registry's own challenge (the distribution token-auth spec):
//! `GET /v2/` → `WWW-Authenticate: Basic` → the same with Basic; or `Bearer realm=…,service=…` →
//! the realm with Basic → `GET /v2/` with the token it gave. A realm is asked only on the
//! registry's own host or registrable domain (SPEC §15): the password never goes elsewhere.

use super::request::{Obtained, Request, rejected};
use crate::credential::{Credential, Secrets, TokenKind};
use crate::error::{Error, Result};
use crate::http::{Auth, Http, block_on};
use crate::provider::{Family, Site};
use crate::secret::Secret;

/// Reads the user name and password (or token) and checks them with the registry.
pub fn obtain(req: &Request) -> Result<Obtained> {
    let (user, password) = req.user_and_password()?;
    block_on(check(req.http, req.site, &user, &password))?;
    let mut record = req.record(TokenKind::Basic);
    record.user = Some(user);
    Ok(Obtained { cred: Credential::new(record, Secrets::token(password)), plans: Vec::new() })
}

/// The registry of a host key as the container tools reach it: https, or plain http on a
/// loopback host (a local registry, as docker and skopeo treat it).
pub fn site(key: &str) -> Result<Site> {
    let https = Site::parse(key)?;
    if crate::provider::site::is_loopback(&https.host) { Site::parse(&format!("http://{key}")) } else { Ok(https) }
}

/// What `docker login` hands the helper (`store`): checked with the registry, then a registry
/// credential of its own (`oci`), never a forge's.
pub async fn docker_login(
    http: &Http,
    site: &Site,
    user: &str,
    secret: Secret,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Credential> {
    let user = crate::account::typed_account(user)?;
    check(http, site, &user, &secret).await?;
    let mut record = crate::credential::Record::new(site, Family::Oci.as_str(), Family::Oci, TokenKind::Basic, now);
    record.user = Some(user);
    Ok(Credential::new(record, Secrets::token(secret)))
}

/// Whether a stored credential is a registry login of its own (what `docker logout` may
/// remove), not a forge's.
pub fn is_registry_login(record: &crate::credential::Record) -> bool {
    record.family == Family::Oci
}

/// Checks a user name and password with the registry's `/v2/` challenge.
pub async fn check(http: &Http, site: &Site, user: &str, password: &Secret) -> Result<()> {
    let v2 = format!("{}/v2/", site.base());
    let first = http.send(http.request(reqwest::Method::GET, &v2)?).await?;
    if first.ok() {
        // An open registry: nothing to check the credential against, nothing refused.
        return Ok(());
    }
    if first.status != 401 {
        return Err(crate::http::unexpected(&format!("asking `{v2}` for its challenge"), &first));
    }
    let challenge = first.header("www-authenticate").unwrap_or_default().to_string();
    let (scheme, params) = parse_challenge(&challenge);
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => {
            let resp = http.send(http.authorized(reqwest::Method::GET, &v2, Auth::Basic(user), password)?).await?;
            answered(site, &v2, resp)
        }
        "bearer" => {
            let realm = params.iter().find(|(k, _)| k == "realm").map(|(_, v)| v.clone()).ok_or_else(|| {
                Error::unreachable(format!("`{v2}` asked for a bearer token without a realm"))
                    .hint("check that the URL is the registry's")
            })?;
            let realm_url = url::Url::parse(&realm)
                .map_err(|_| Error::unreachable(format!("`{v2}` named a token realm that is not a URL")))?;
            if !same_site(site, &realm_url) {
                return Err(Error::usage(format!(
                    "`{}` sends logins to `{}`, another site; lanyard sends the password only to the registry's own host or domain",
                    site.key(),
                    realm_url.host_str().unwrap_or("?")
                ))
                .hint("log in at the token service itself, or ask the registry's admin which host issues its tokens"));
            }
            let mut url = realm_url;
            {
                let mut q = url.query_pairs_mut();
                if let Some((_, service)) = params.iter().find(|(k, _)| k == "service") {
                    q.append_pair("service", service);
                }
                q.append_pair("account", user);
            }
            let resp =
                http.send(http.authorized(reqwest::Method::GET, url.as_str(), Auth::Basic(user), password)?).await?;
            if resp.status == 401 || resp.status == 403 {
                return Err(rejected(site, &resp));
            }
            if !resp.ok() {
                return Err(crate::http::unexpected(
                    &format!("asking `{}` for a token", url.origin().ascii_serialization()),
                    &resp,
                ));
            }
            #[derive(serde::Deserialize)]
            struct Issued {
                token: Option<Secret>,
                access_token: Option<Secret>,
            }
            let issued: Issued = resp.json("the registry's token service")?;
            let token = issued.token.or(issued.access_token).ok_or_else(|| {
                Error::unreachable("the registry's token service answered without a token")
                    .hint("check that the realm is a distribution token service")
            })?;
            crate::secret::remember(&token);
            let resp = http.send(http.authorized(reqwest::Method::GET, &v2, Auth::Bearer, &token)?).await?;
            answered(site, &v2, resp)
        }
        _ => Err(Error::unreachable(format!("`{v2}` answered 401 without a Basic or Bearer challenge"))
            .hint("check that the URL is an OCI registry's (`--provider oci`)")),
    }
}

fn answered(site: &Site, v2: &str, resp: crate::http::Response) -> Result<()> {
    match resp.status {
        s if (200..300).contains(&s) => Ok(()),
        401 | 403 => Err(rejected(site, &resp)),
        _ => Err(crate::http::unexpected(&format!("checking the credential at `{v2}`"), &resp)),
    }
}

/// Whether a token realm is on the registry's host or its registrable domain (the last two
/// labels; an IP address or `localhost` only as itself).
fn same_site(site: &Site, realm: &url::Url) -> bool {
    let Some(host) = realm.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let mine = site.host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    if host == mine {
        return true;
    }
    if mine.parse::<std::net::IpAddr>().is_ok() || !mine.contains('.') {
        return false;
    }
    let domain = |h: &str| h.rsplit('.').take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(".");
    realm.scheme() == "https" && domain(&host) == domain(&mine)
}

/// `Bearer realm="…",service="…",scope="…"` → ("Bearer", [(realm, …), …]).
fn parse_challenge(h: &str) -> (String, Vec<(String, String)>) {
    let h = h.trim();
    let (scheme, rest) = h.split_once(' ').unwrap_or((h, ""));
    let mut params = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((k, after)) = rest.split_once('=') else { break };
        let k = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (v, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (q[..end].to_string(), &q[end + 1..]),
                None => (q.to_string(), ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (after[..end].trim().to_string(), &after[end..]),
                None => (after.trim().to_string(), ""),
            }
        };
        params.push((k, v));
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    (scheme.to_string(), params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_read_as_registries_write_them() {
        let (s, p) = parse_challenge(
            r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#,
        );
        assert_eq!(s, "Bearer");
        assert_eq!(p[0], ("realm".into(), "https://auth.example.com/token".into()));
        assert_eq!(p[1], ("service".into(), "registry.example.com".into()));
        assert_eq!(p[2], ("scope".into(), "repository:a/b:pull".into()));
        assert_eq!(parse_challenge(r#"Basic realm="Registry Realm""#).0, "Basic");
    }

    #[test]
    fn a_realm_on_another_site_is_refused() {
        let site = Site::parse("registry.example.com").unwrap();
        let ok = |u: &str| same_site(&site, &url::Url::parse(u).unwrap());
        assert!(ok("https://registry.example.com/token"));
        assert!(ok("https://auth.example.com/token"));
        assert!(!ok("http://auth.example.com/token"), "another host only over https");
        assert!(!ok("https://evil.example.org/token"));
        let local = Site::parse("127.0.0.1:5000").unwrap();
        assert!(same_site(&local, &url::Url::parse("http://127.0.0.1:5001/token").unwrap()));
        assert!(!same_site(&local, &url::Url::parse("http://127.0.0.2/token").unwrap()));
    }
}
