//! Detecting a self-hosted server's family: every probe runs at once with a short timeout, and a
//! network error on one never stops the others (SPEC §3).

use reqwest::Method;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::provider::{Family, Site};

/// The families lanyard can recognise, most specific first.
const ORDER: [Family; 7] =
    [Family::Forgejo, Family::Gitea, Family::Github, Family::Gitlab, Family::Duumbi, Family::Duh, Family::Skillsctl];

async fn get(http: &Http, url: String) -> std::result::Result<(u16, Value), ()> {
    let req = http.request(Method::GET, &url).map_err(|_| ())?;
    let resp = http.send(req).await.map_err(|_| ())?;
    let json = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    Ok((resp.status, json))
}

/// One probe's verdict: `Some(true)` recognised, `Some(false)` answered but not this family,
/// `None` no answer.
async fn probe(http: &Http, site: &Site, family: Family) -> Option<bool> {
    let base = site.base();
    match family {
        Family::Github => {
            let (status, v) = get(http, format!("{base}/api/v3")).await.ok()?;
            Some(status == 200 && v.get("current_user_url").is_some())
        }
        Family::Gitea => {
            let (status, v) = get(http, format!("{base}/api/v1/version")).await.ok()?;
            Some(status == 200 && v.get("version").is_some_and(Value::is_string))
        }
        Family::Forgejo => {
            let (status, v) = get(http, format!("{base}/api/forgejo/v1/version")).await.ok()?;
            if status == 200 && v.get("version").is_some() {
                return Some(true);
            }
            // Forgejo also reports `11.0.1+gitea-1.22.0` on the Gitea endpoint.
            let (status, v) = get(http, format!("{base}/api/v1/version")).await.ok()?;
            Some(status == 200 && v.get("version").and_then(Value::as_str).is_some_and(|s| s.contains("+gitea-")))
        }
        Family::Gitlab => {
            // `/api/v4/metadata` needs a token, but its 401 has GitLab's own shape.
            let (status, v) = get(http, format!("{base}/api/v4/metadata")).await.ok()?;
            let msg = v.get("message").and_then(Value::as_str).unwrap_or_default();
            Some((status == 401 && msg.starts_with("401")) || (status == 200 && v.get("revision").is_some()))
        }
        Family::Duumbi => {
            // The registry's `/api/v1/auth/mode` answers 200 without a token.
            let (status, v) = get(http, format!("{base}/api/v1/auth/mode")).await.ok()?;
            Some(status == 200 && (v.get("device_code_supported").is_some() || v.get("mode").is_some()))
        }
        Family::Duh => {
            // `/api/auth/status` on current servers; older ones answer 401 "Missing API key.
            // Provide X-API-Key header." there as soon as a key exists.
            let (status, v) = get(http, format!("{base}/api/auth/status")).await.ok()?;
            let detail = v.get("detail").and_then(Value::as_str).unwrap_or_default();
            if (status == 200 && v.get("auth_required").is_some_and(Value::is_boolean))
                || (status == 401 && detail.contains("X-API-Key"))
            {
                return Some(true);
            }
            // duh 0.5.0 without API keys answers 404 (or its web UI's HTML) there; its OpenAPI
            // document and detailed health check answer JSON whatever the keys (the middleware
            // exempts them) and say it is duh.
            if let Ok((200, v)) = get(http, format!("{base}/openapi.json")).await
                && v.pointer("/info/title").and_then(Value::as_str) == Some("duh")
            {
                return Some(true);
            }
            let (status, v) = get(http, format!("{base}/api/health/detailed")).await.ok()?;
            Some(
                status == 200 && v.get("components").is_some_and(Value::is_object) && v.get("uptime_seconds").is_some(),
            )
        }
        Family::Skillsctl => {
            let (status, v) = get(http, format!("{base}/auth/config")).await.ok()?;
            Some(status == 200 && v.get("enabled").is_some_and(Value::is_boolean))
        }
        _ => Some(false),
    }
}

/// Finds the family of a host that no provider lists.
/// The provider of a server no provider file lists, found by the probes below (each at most
/// the run's timeout).
pub fn detect_provider(
    env: &crate::env::Env,
    timeout: std::time::Duration,
    site: &Site,
) -> Result<crate::provider::Provider> {
    // The run's timeout: `--timeout 60` gives a slow server 60 s here too (issue 23, item 24).
    let http = Http::new(env, timeout, None)?;
    let family = crate::http::block_on(detect(&http, site))?;
    Ok(crate::provider::Provider::for_family(family))
}

pub async fn detect(http: &Http, site: &Site) -> Result<Family> {
    let mut set = tokio::task::JoinSet::new();
    for (i, family) in ORDER.into_iter().enumerate() {
        let (http, site) = (http.clone(), site.clone());
        set.spawn(async move {
            let started = std::time::Instant::now();
            let v = probe(&http, &site, family).await;
            (i, v, started.elapsed())
        });
    }
    let mut verdicts = [None; ORDER.len()];
    while let Some(Ok((i, v, took))) = set.join_next().await {
        let said = match v {
            Some(true) => "recognised",
            Some(false) => "answered, not this family",
            None => "no answer",
        };
        crate::diag::debug(&format!("detect {}: {said} ({} ms)", ORDER[i].as_str(), took.as_millis()));
        verdicts[i] = v;
    }
    if let Some(i) = verdicts.iter().position(|v| *v == Some(true)) {
        return Ok(ORDER[i]);
    }
    let families: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
    let hint = format!("name the family: --provider {}", families.join("|"));
    if verdicts.iter().all(Option::is_none) {
        // Why nobody answered, when the transport knows: a plain-HTTP server on this machine
        // asked over https gets the same diagnosis as with `--provider` (issue 23, items 13, 24).
        if let Ok(req) = http.request(Method::GET, &format!("{}/", site.base()))
            && let Err(e) = http.send(req).await
            && e.cause == crate::error::Cause::PlainHttp
        {
            return Err(e);
        }
        return Err(Error::unreachable(format!("`{}` could not be reached to detect its provider", site.key()))
            .hint("check the host name and the network")
            .hint(hint));
    }
    Err(Error::usage(format!("cannot tell which kind of server `{}` is", site.key())).hint(hint))
}
