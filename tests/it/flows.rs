//! SPEC §9's flows against the real OpenID provider (oidc-provider with open RFC 7591
//! registration and RFC 7009 revocation): a login with no client id registers lanyard and runs
//! the browser flow (tests/peers/oidc/human-code.mjs plays the browser through the provider's login
//! and consent pages to lanyard's loopback listener); a forged `state` is refused; the redirect URL
//! pasted at the prompt completes a login; `logout --revoke` revokes and the refresh token is dead.
//! Gitea mocks with and without tea's pre-registered client; a GitLab-like server whose metadata
//! advertises the device endpoint.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::oidc::{Provider, peer_dir};
use crate::support::{Mock, Resp, Run, Sandbox, raw};

/// Starts a login, waits for the authorization URL lanyard prints, lets `browser` act on it, and
/// returns the finished run.
pub fn browser_login(sb: &Sandbox, args: &[&str], browser: impl FnOnce(&str)) -> Run {
    let mut next_is_url = false;
    let find = move |line: &str| {
        let url = next_is_url.then(|| line.trim().to_string());
        next_is_url = line.starts_with("Open this URL to log in");
        url
    };
    crate::oidc::run_watching(sb, args, find, browser).0
}

/// human-code.mjs: the person in the browser. Returns the URL the browser was sent back to.
pub fn person(url: &str, mode: &str) -> String {
    let out = Command::new("node").arg(peer_dir().join("human-code.mjs")).args([url, "alice", mode]).output().unwrap();
    assert!(
        out.status.success(),
        "human-code.mjs: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The authorization URL printed under "Open this URL to log in".
fn printed_url(screen: &str) -> String {
    screen
        .lines()
        .skip_while(|l| !l.starts_with("Open this URL"))
        .nth(1)
        .map(|l| l.trim().to_string())
        .expect("the URL line")
}

fn store(sb: &Sandbox) -> Value {
    serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap()
}

#[test]
fn oidc_without_a_client_id_registers_and_logs_in_by_browser_then_revokes() {
    let Some(p) = Provider::start_with(60, 120, &[("REGISTRATION", "1")]) else { return };
    let sb = Sandbox::new();
    let iss = p.issuer.clone();
    let key = iss.trim_start_matches("http://").to_string();
    let r = browser_login(&sb, &["login", &iss, "--provider", "oidc", "--web", "--no-browser"], |url| {
        assert!(url.contains("code_challenge_method=S256") && url.contains("state="), "{url}");
        person(url, "follow");
    });
    r.code(0);
    assert!(r.stderr.contains("Registered lanyard as an OAuth client"), "{}", r.stderr);
    let st = store(&sb);
    let client = st["clients"][&key].as_str().expect("the registered client id is remembered").to_string();
    let c = &st["credentials"][format!("alice@{key}")];
    assert_eq!(c["client_id"], client.as_str());
    assert!(c["refresh_token"].is_string(), "offline_access gave a refresh token: {c}");
    let stats = p.stats();
    assert_eq!((stats["registrations"].as_u64(), stats["code_grants"].as_u64()), (Some(1), Some(1)));
    let access = c["token"].as_str().unwrap().to_string();
    let refresh = c["refresh_token"].as_str().unwrap().to_string();
    sb.run(&["status", &key], None).code(0);

    // A second login reuses the registration (no new client).
    let r = browser_login(&sb, &["login", &iss, "--provider", "oidc", "--web", "--no-browser", "--force"], |url| {
        assert!(url.contains(&format!("client_id={client}")), "{url}");
        person(url, "follow");
    });
    r.code(0);
    assert!(!r.stderr.contains("Registered"), "{}", r.stderr);
    assert_eq!(p.stats()["registrations"], 1);
    let c = store(&sb)["credentials"][format!("alice@{key}")].clone();
    let (access, refresh) = (
        c["token"].as_str().unwrap_or(&access).to_string(),
        c["refresh_token"].as_str().unwrap_or(&refresh).to_string(),
    );

    // logout --revoke: the provider revokes both; the refresh token no longer works.
    let r = sb.run(&["logout", &key, "--revoke"], None);
    r.code(0).lacks(&access).lacks(&refresh);
    assert!(r.stderr.contains("Revoked at"), "{}", r.stderr);
    let revoked = p.stats()["revoked"].to_string();
    assert!(revoked.contains("refresh_token") || revoked.contains("grant"), "{revoked}");
    let form = format!("grant_type=refresh_token&refresh_token={refresh}&client_id={client}");
    let (status, _, body) = raw("POST", &format!("{iss}/token"), Some(&form));
    assert!(status == 400 && body.contains("invalid_grant"), "the revoked refresh token is refused: {status} {body}");
}

#[test]
fn a_forged_state_is_refused_and_the_real_redirect_still_completes() {
    let Some(p) = Provider::start_with(60, 120, &[("REGISTRATION", "1")]) else { return };
    let sb = Sandbox::new();
    let r = browser_login(&sb, &["login", &p.issuer, "--provider", "oidc", "--web", "--no-browser"], |url| {
        // Another local process reaches the listener first with a forged `state` and code.
        let real = person(url, "tamper");
        assert_eq!(p.stats()["code_grants"], 0, "the forged code was never exchanged");
        let (status, _, page) = raw("GET", &real, None);
        assert!(status == 200 && page.contains("close this tab"), "{status} {page}");
    });
    r.code(0);
    assert!(r.stderr.contains("another `state`") && r.stderr.contains("ignored"), "{}", r.stderr);
    assert_eq!(p.stats()["code_grants"], 1, "only the real code");
}

#[test]
fn the_redirect_url_pasted_at_the_prompt_completes_the_login() {
    let Some(p) = Provider::start_with(60, 120, &[("REGISTRATION", "1")]) else { return };
    let sb = Sandbox::new();
    if !crate::peers::terminal() {
        return;
    }
    let mut t = sb.pty(&format!("lanyard login {} --provider oidc --web --no-browser", p.issuer));
    let screen = t.expect("paste the address");
    let url = printed_url(&screen);
    // The browser ran elsewhere: its redirect never reached this machine's listener.
    let back = person(&url, "print");
    t.send(&format!("{back}\r"));
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    assert_eq!(p.stats()["code_grants"], 1);
}

/// A Gitea-like server: tea's client known or not; `/login/oauth/authorize` plays the person
/// (it sends the browser straight back with a code), `/login/oauth/access_token` checks PKCE.
fn gitea(knows_tea: bool) -> Mock {
    use std::sync::{Arc, Mutex};
    let challenge: Arc<Mutex<Option<String>>> = Arc::default();
    Mock::start(move |r| {
        let path = r.path.split('?').next().unwrap_or("");
        match path {
            "/api/v1/version" => Resp::json(200, json!({"version": "1.22.3"})),
            "/api/v1/user" if r.header("authorization") == Some("token gto_browser_0123456789") => {
                Resp::json(200, json!({"id": 1, "login": "gitea-user"}))
            }
            "/api/v1/user" => Resp::json(401, json!({"message": "invalid token"})),
            "/login/oauth/authorize" => {
                let q: std::collections::HashMap<String, String> =
                    url::form_urlencoded::parse(r.path.split_once('?').map(|x| x.1).unwrap_or("").as_bytes())
                        .into_owned()
                        .collect();
                *challenge.lock().unwrap() = q.get("code_challenge").cloned();
                let to = format!("{}?code=gitea-code&state={}", q["redirect_uri"], q["state"]);
                Resp::text(302, "").with("Location", &to)
            }
            "/login/oauth/access_token" => {
                let f = r.form();
                if f.get("client_id").map(String::as_str) != Some("d57cb8c4-630c-4168-8324-ec79935e18d4") || !knows_tea
                {
                    return Resp::json(
                        400,
                        json!({"error": "invalid_client", "error_description": format!("cannot load client with client id: '{}'", f.get("client_id").cloned().unwrap_or_default())}),
                    );
                }
                if f.get("grant_type").map(String::as_str) != Some("authorization_code") {
                    return Resp::json(
                        400,
                        json!({"error": "unauthorized_client", "error_description": "client is not authorized"}),
                    );
                }
                use base64::Engine;
                use sha2::Digest;
                let verifier = f.get("code_verifier").cloned().unwrap_or_default();
                let s256 =
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
                if Some(s256) != *challenge.lock().unwrap()
                    || !f.get("redirect_uri").is_some_and(|u| u.starts_with("http://127.0.0.1:") && u.ends_with('/'))
                {
                    return Resp::json(
                        400,
                        json!({"error": "invalid_grant", "error_description": "PKCE or redirect mismatch"}),
                    );
                }
                Resp::json(
                    200,
                    json!({"access_token": "gto_browser_0123456789", "token_type": "bearer", "expires_in": 3600, "refresh_token": "gtr_refresh_0123456789"}),
                )
            }
            _ => Resp::text(404, "404 page not found"),
        }
    })
}

#[test]
fn gitea_logs_in_with_teas_client_by_browser() {
    let sb = Sandbox::new();
    let m = gitea(true);
    // The "browser" is a plain GET of the printed URL that follows the redirect to the listener.
    let r = browser_login(&sb, &["login", &m.url(), "--provider", "gitea", "--no-browser"], |url| {
        assert!(url.contains("client_id=d57cb8c4-630c-4168-8324-ec79935e18d4"), "{url}");
        assert!(url.contains("scope=read%3Auser+write%3Arepository"), "{url}");
        let (status, headers, _) = raw("GET", url, None);
        assert_eq!(status, 302);
        let to = headers
            .lines()
            .find_map(|l| l.strip_prefix("Location: ").or_else(|| l.strip_prefix("location: ")))
            .unwrap();
        let (status, _, page) = raw("GET", to.trim(), None);
        assert!(status == 200 && page.contains("close this tab"), "{status} {page}");
    });
    r.code(0).lacks("gto_browser_0123456789");
    let st = sb.store_view();
    let c = &st["credentials"][m.key()];
    assert_eq!((c["kind"].as_str(), c["user"].as_str()), (Some("oauth"), Some("gitea-user")));
    assert_eq!(c["client_id"], "d57cb8c4-630c-4168-8324-ec79935e18d4");
    assert_eq!(c["refresh_token"], "gtr_refresh_0123456789");
    // --device is impossible here, and says why.
    let r = sb.run(&["login", &m.url(), "--provider", "gitea", "--device", "--force"], None);
    r.code(2);
    assert!(r.stderr.contains("no device flow") && r.stderr.contains("device authorization endpoint"), "{}", r.stderr);
}

#[test]
fn gitea_without_teas_client_falls_back_to_a_pasted_token_saying_so() {
    let sb = Sandbox::new();
    let m = gitea(false);
    let r = sb.run(&["login", &m.url(), "--provider", "gitea", "--no-input"], None);
    r.code(2);
    assert!(r.stderr.contains("does not know Gitea's pre-registered CLI client"), "{}", r.stderr);
    assert!(r.stderr.contains("--with-token"), "the paste path: {}", r.stderr);
    let r = sb.run(&["login", &m.url(), "--provider", "gitea", "--web"], None);
    r.code(2);
    assert!(r.stderr.contains("no browser flow"), "{}", r.stderr);
}

#[test]
fn metadata_finds_a_gitlab_device_endpoint() {
    let sb = Sandbox::new();
    let m = Mock::start(|r| match r.path.as_str() {
        "/.well-known/oauth-authorization-server" => Resp::json(
            200,
            json!({
                "issuer": format!("http://{}", r.header("host").unwrap_or("")),
                "authorization_endpoint": format!("http://{}/oauth/authorize", r.header("host").unwrap_or("")),
                "token_endpoint": format!("http://{}/oauth/token", r.header("host").unwrap_or("")),
                "device_authorization_endpoint": format!("http://{}/oauth/authorize_device", r.header("host").unwrap_or("")),
            }),
        ),
        "/oauth/authorize_device" => Resp::json(
            200,
            json!({"device_code": "dc-0123456789", "user_code": "GLAB-9999",
            "verification_uri": format!("http://{}/oauth/device", r.header("host").unwrap_or("")), "expires_in": 60, "interval": 1}),
        ),
        "/oauth/token" => Resp::json(
            200,
            json!({"access_token": "gloas-meta-0123456789", "token_type": "Bearer", "expires_in": 7200, "refresh_token": "glrt-meta-0123456789"}),
        ),
        "/api/v4/user" => Resp::json(200, json!({"id": 1, "username": "tanuki"})),
        _ => Resp::text(404, "Not Found"),
    });
    let r = sb.run(
        &["login", &m.url(), "--provider", "gitlab", "--client-id", "app-from-flag", "--no-browser", "--no-nix"],
        None,
    );
    r.code(0);
    assert!(r.stderr.contains("GLAB-9999"), "the device flow, found in the metadata: {}", r.stderr);
    assert_eq!(m.hits("/oauth/authorize_device"), 1);
    let c = &sb.store_view()["credentials"][m.key()];
    assert_eq!(c["token_endpoint"], format!("{}/oauth/token", m.url()));
}

#[test]
fn ctrl_c_in_the_browser_flow_is_130_and_writes_nothing() {
    let sb = Sandbox::new();
    let m = gitea(true);
    let mut c = sb.cmd();
    c.args(["login", &m.url(), "--provider", "gitea", "--no-browser"]).stdin(Stdio::null()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("Open this URL") {}
    std::thread::sleep(Duration::from_millis(500));
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(!sb.store_path().exists(), "nothing written");
}

#[test]
fn revoke_per_family_gitlab_pat_oauth_errors_and_pages_to_revoke_by_hand() {
    use std::sync::{Arc, Mutex};
    // GitLab: a PAT revokes itself (DELETE personal_access_tokens/self).
    let sb = Sandbox::new();
    let deleted: Arc<Mutex<Vec<String>>> = Arc::default();
    let d = deleted.clone();
    let gl = Mock::start(move |r| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/api/v4/user") => Resp::json(200, json!({"id": 1, "username": "tanuki"})),
        ("GET", "/api/v4/personal_access_tokens/self") => {
            Resp::json(200, json!({"id": 9, "scopes": ["read_api"], "active": true}))
        }
        ("DELETE", "/api/v4/personal_access_tokens/self") => {
            d.lock().unwrap().push(r.header("private-token").unwrap_or("").to_string());
            Resp::text(204, "")
        }
        _ => Resp::text(404, "Not Found"),
    });
    sb.run(&["login", &gl.url(), "--provider", "gitlab", "--with-token"], Some("glpat-revoke-me-0123456789")).code(0);
    let r = sb.run(&["logout", &gl.key(), "--revoke"], None);
    r.code(0).lacks("glpat-revoke-me-0123456789");
    assert!(r.stderr.contains("Revoked the personal access token"), "{}", r.stderr);
    assert_eq!(*deleted.lock().unwrap(), ["glpat-revoke-me-0123456789"]);

    // Gitea has no way: the page to revoke it by hand, not the page that creates tokens.
    let f = crate::forges::Forge::start(crate::forges::Kind::Gitea, &["tok-gitea-revoke-0123456789"]);
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-gitea-revoke-0123456789"))
        .code(0);
    let r = sb.run(&["logout", &f.mock.key(), "--revoke"], None);
    r.code(0);
    assert!(r.stderr.contains(&format!("revoke it at {}/user/settings/applications", f.mock.url())), "{}", r.stderr);

    // An OAuth credential whose server cannot be asked: exit 6, and removed here all the same.
    let oauth = Mock::start(|r| match r.path.as_str() {
        "/.well-known/oauth-authorization-server" => {
            let h = r.header("host").unwrap_or("").to_string();
            Resp::json(
                200,
                json!({"issuer": format!("http://{h}"), "token_endpoint": format!("http://{h}/token"),
                "revocation_endpoint": format!("http://{h}/revoke")}),
            )
        }
        "/revoke" => Resp::text(503, "down for maintenance"),
        _ => Resp::text(404, "Not Found"),
    });
    let view = json!({"credentials": {oauth.key(): {"url": oauth.url(), "provider": "token", "family": "token",
        "kind": "oauth", "token": "oauth-access-0123456789", "refresh_token": "oauth-refresh-0123456789",
        "client_id": "c", "token_endpoint": format!("{}/token", oauth.url()), "storage": "file",
        "created_at": "2026-01-01T00:00:00Z"}}});
    sb.write_store_view(&view);
    let r = sb.run(&["logout", &oauth.key(), "--revoke"], None);
    r.code(6).lacks("oauth-refresh-0123456789");
    assert!(r.stderr.contains("removed here all the same"), "{}", r.stderr);
    sb.run(&["token", &oauth.key()], None).code(3);
}

#[test]
fn oidc_with_no_client_id_and_no_flag_registers_then_runs_the_device_flow_and_refreshes() {
    let Some(p) = Provider::start_with(60, 120, &[("REGISTRATION", "1")]) else { return };
    let sb = Sandbox::new();
    let key = p.issuer.trim_start_matches("http://").to_string();
    let (r, _) = crate::oidc::login_with(&sb, &["login", &p.issuer, "--provider", "oidc", "--no-browser"], |code| {
        p.human(code, "approve")
    });
    r.code(0);
    assert!(r.stderr.contains("Registered lanyard as an OAuth client"), "{}", r.stderr);
    let stats = p.stats();
    assert_eq!((stats["registrations"].as_u64(), stats["device_grants"].as_u64()), (Some(1), Some(1)));
    // The registered client refreshes, as any OAuth credential does.
    let r = sb.run(&["refresh", &key, "--force"], None);
    r.code(0);
    assert!(r.stderr.contains("refreshed"), "{}", r.stderr);
    assert_eq!(p.stats()["refresh_grants"], 1);
}

#[test]
fn gitlab_never_registers_dynamically_and_asks_for_a_pasted_token() {
    if !crate::peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let m = Mock::start(|r| {
        let h = r.header("host").unwrap_or("").to_string();
        match r.path.as_str() {
            "/.well-known/oauth-authorization-server" => Resp::json(
                200,
                json!({"issuer": format!("http://{h}"),
                "authorization_endpoint": format!("http://{h}/oauth/authorize"), "token_endpoint": format!("http://{h}/oauth/token"),
                "registration_endpoint": format!("http://{h}/oauth/register")}),
            ),
            "/oauth/register" => Resp::json(
                403,
                json!({"error": "access_denied", "error_description": "dynamic registration is disabled"}),
            ),
            "/api/v4/user" if r.header("private-token") == Some("glpat-pasted-0123456789") => {
                Resp::json(200, json!({"id": 1, "username": "tanuki"}))
            }
            "/api/v4/personal_access_tokens/self" if r.header("private-token") == Some("glpat-pasted-0123456789") => {
                Resp::json(200, json!({"id": 9, "scopes": ["read_api"], "active": true}))
            }
            _ => Resp::json(401, json!({"message": "401 Unauthorized"})),
        }
    });
    let mut t = sb.pty(&format!("lanyard login {} --provider gitlab --no-nix", m.url()));
    let screen = t.expect("Paste the token");
    // Issue 23 item 6: GitLab's dynamic registration gives only the `mcp` scope, so lanyard never
    // asks it: without a configured client id, the PAT page.
    assert!(screen.contains("personal_access_tokens"), "{screen}");
    t.send("glpat-pasted-0123456789\r");
    let (code, screen) = t.finish_answering("Let git use this token", "n");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(m.hits("/oauth/register"), 0);
    assert_eq!(sb.store_view()["credentials"][m.key()]["user"], "tanuki");
}

/// Issue 23 item 26: when the browser comes back by itself, the address prompt beside it does
/// not keep reading: the next question gets the first line typed.
#[test]
fn the_next_question_after_a_browser_login_gets_the_first_answer() {
    if !crate::peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let m = gitea(true);
    let t = sb.pty(&format!("lanyard login {} --provider gitea --no-browser", m.url()));
    let screen = t.expect("paste the address");
    let url = printed_url(&screen);
    let (_, headers, _) = raw("GET", &url, None);
    let to =
        headers.lines().find_map(|l| l.strip_prefix("Location: ").or_else(|| l.strip_prefix("location: "))).unwrap();
    let (status, _, _) = raw("GET", to.trim(), None);
    assert_eq!(status, 200);
    // One answer, typed once: it reaches the git question.
    let (code, screen) = t.finish_answering("Let git use this token", "n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Let git use this token"), "{screen}");
}
