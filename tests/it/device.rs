//! Device flow and refresh through the binary: mock GitHub (HTTP-200 errors, `slow_down` with
//! its own interval) and mock GitLab (RFC errors with 400, rotating refresh tokens), Nix included.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{Value, json};

use crate::support::{Mock, Req, Resp, Sandbox};

fn nix_tokens(sb: &Sandbox) -> Option<BTreeMap<String, String>> {
    crate::nix::nix_tokens(sb)
}

#[derive(Default)]
struct GithubState {
    polls: Vec<Instant>,
    issued: usize,
}

fn github_mock() -> (Mock, Arc<Mutex<GithubState>>) {
    let state = Arc::new(Mutex::new(GithubState::default()));
    let s = state.clone();
    let mock = Mock::start(move |r: &Req| {
        let json_wanted = r.header("accept").is_some_and(|a| a.contains("json"));
        let reply = |v: Value| {
            if json_wanted {
                Resp::json(200, v)
            } else {
                let form: String = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(
                        v.as_object()
                            .unwrap()
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_str().map(String::from).unwrap_or(v.to_string()))),
                    )
                    .finish();
                Resp::text(200, &form).with("Content-Type", "application/x-www-form-urlencoded")
            }
        };
        match r.path.as_str() {
            "/login/device/code" => {
                assert_eq!(r.form()["client_id"], "Iv1.testclient");
                reply(
                    json!({"device_code": "dc-secret-123", "user_code": "WDJB-MJHT", "verification_uri": "https://github.com/login/device", "expires_in": 900, "interval": 1}),
                )
            }
            "/login/oauth/access_token" => {
                let f = r.form();
                assert_eq!(f["grant_type"], "urn:ietf:params:oauth:grant-type:device_code");
                let mut st = s.lock().unwrap();
                st.polls.push(Instant::now());
                match st.polls.len() {
                    1 => reply(json!({"error": "authorization_pending", "error_description": "pending"})),
                    2 => reply(json!({"error": "slow_down", "error_description": "too fast", "interval": 6})),
                    3 => {
                        st.issued += 1;
                        reply(
                            json!({"access_token": "gho_devicetoken0123456789abcdef", "token_type": "bearer", "scope": "repo,read:org"}),
                        )
                    }
                    _ => reply(json!({"error": "bad_verification_code"})),
                }
            }
            "/api/v3/user" if r.header("authorization") == Some("token gho_devicetoken0123456789abcdef") => {
                Resp::json(200, json!({"login": "octocat"})).with("X-OAuth-Scopes", "repo, read:org")
            }
            _ => Resp::json(401, json!({"message": "Bad credentials"})),
        }
    });
    (mock, state)
}

#[test]
fn github_device_flow_with_200_errors_and_slow_down() {
    let sb = Sandbox::new();
    let (mock, state) = github_mock();
    sb.provider(
        "github",
        &format!(
            "id = \"github\"\nname = \"GitHub (mock)\"\nfamily = \"github\"\nhosts = [\"github.com\"]\naliases = [\"github\"]\napi = \"{0}/api/v3\"\n[device]\nclient_id = \"Iv1.testclient\"\nauthorization_url = \"{0}/login/device/code\"\ntoken_url = \"{0}/login/oauth/access_token\"\n",
            mock.url()
        ),
    );
    let r = sb.run(&["login", "github", "--no-browser"], None);
    r.code(0).lacks("gho_devicetoken0123456789abcdef").lacks("dc-secret-123");
    assert!(r.stderr.contains("WDJB-MJHT"), "{}", r.stderr);
    assert!(r.stderr.contains("https://github.com/login/device"), "{}", r.stderr);
    let st = state.lock().unwrap();
    assert_eq!(st.polls.len(), 3, "stops at the first token");
    assert_eq!(st.issued, 1);
    assert!(st.polls[1] - st.polls[0] >= std::time::Duration::from_millis(990), "interval kept");
    assert!(st.polls[2] - st.polls[1] >= std::time::Duration::from_millis(5990), "slow_down honoured");
    let r = sb.run(&["token", "github"], None);
    assert_eq!(r.stdout.trim(), "gho_devicetoken0123456789abcdef");
    let v: Value = serde_json::from_str(&sb.run(&["status", "--json", "github"], None).stdout).unwrap();
    assert_eq!(v["credentials"][0]["user"], "octocat");
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t.get("github.com").map(String::as_str), Some("gho_devicetoken0123456789abcdef"));
    }
}

#[test]
fn github_without_client_id_falls_back_to_paste() {
    let sb = Sandbox::new();
    let r = sb.run(&["login", "github"], None);
    r.code(2);
    assert!(r.stderr.contains("https://github.com/settings/personal-access-tokens/new"), "{}", r.stderr);
    assert!(r.stderr.contains("--with-token"), "{}", r.stderr);
}

#[derive(Default)]
pub struct GitlabState {
    /// The one refresh token that is valid now (rotation: every use replaces it).
    pub refresh: String,
    generation: usize,
    pub refresh_grants: usize,
    reused: usize,
    polls: usize,
}

/// A GitHub Enterprise `ghe.example.com` whose device flow hands out `user_code` and
/// `verification_uri`, and whose person then denies it (lanyard exits 1).
pub fn denying_ghe(sb: &Sandbox, user_code: &str, verification_uri: &str) -> Mock {
    let (code, uri) = (user_code.to_string(), verification_uri.to_string());
    let m = Mock::start(move |r: &Req| match r.path.as_str() {
        "/login/device/code" => Resp::json(
            200,
            json!({"device_code": "dc", "user_code": code, "verification_uri": uri, "expires_in": 900, "interval": 1}),
        ),
        "/login/oauth/access_token" => Resp::json(200, json!({"error": "access_denied"})),
        _ => Resp::text(404, "no"),
    });
    sb.provider(
        "ghe",
        &format!(
            "id = \"ghe\"\nname = \"GHE\"\nfamily = \"github\"\nhosts = [\"ghe.example.com\"]\napi = \"{0}/api/v3\"\n[device]\nclient_id = \"c\"\nauthorization_url = \"{0}/login/device/code\"\ntoken_url = \"{0}/login/oauth/access_token\"\n",
            m.url()
        ),
    );
    m
}

/// A provider file for `gitlab.example.com` with the mock's endpoints and no client id.
pub fn corp_gitlab(sb: &Sandbox, mock: &Mock) {
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{0}/api/v4\"\n[device]\nauthorization_url = \"{0}/oauth/authorize_device\"\ntoken_url = \"{0}/oauth/token\"\n",
            mock.url()
        ),
    );
}

pub fn gitlab_mock() -> (Mock, Arc<Mutex<GitlabState>>) {
    let state = Arc::new(Mutex::new(GitlabState::default()));
    let s = state.clone();
    let mock = Mock::start(move |r: &Req| {
        let mut st = s.lock().unwrap();
        match r.path.as_str() {
            "/oauth/authorize_device" => Resp::json(
                200,
                json!({"device_code": "gl-device-code", "user_code": "GLAB-1234", "verification_uri": "https://gitlab.example.com/oauth/device", "verification_uri_complete": "https://gitlab.example.com/oauth/device?user_code=GLAB-1234", "expires_in": 300, "interval": 1}),
            ),
            "/oauth/token" => {
                let f = r.form();
                match f["grant_type"].as_str() {
                    "urn:ietf:params:oauth:grant-type:device_code" => {
                        st.polls += 1;
                        if st.polls < 2 {
                            return Resp::json(400, json!({"error": "authorization_pending"}));
                        }
                        st.generation = 1;
                        st.refresh = "glrt-refresh-1".into();
                        // Expires at once, so the next `token` or `refresh` must refresh.
                        Resp::json(
                            200,
                            json!({"access_token": "gloas-access-1", "token_type": "Bearer", "expires_in": 1, "refresh_token": "glrt-refresh-1", "scope": "read_api read_repository", "created_at": 0}),
                        )
                    }
                    "refresh_token" => {
                        if f["refresh_token"] != st.refresh || st.refresh.is_empty() {
                            st.reused += 1;
                            return Resp::json(
                                400,
                                json!({"error": "invalid_grant", "error_description": "The provided authorization grant is invalid, expired, revoked"}),
                            );
                        }
                        st.refresh_grants += 1;
                        st.generation += 1;
                        st.refresh = format!("glrt-refresh-{}", st.generation);
                        Resp::json(
                            200,
                            json!({"access_token": format!("gloas-access-{}", st.generation), "token_type": "Bearer", "expires_in": 7200, "refresh_token": st.refresh, "created_at": 0}),
                        )
                    }
                    _ => Resp::json(400, json!({"error": "unsupported_grant_type"})),
                }
            }
            "/api/v4/user" => {
                let ok = r.header("authorization").is_some_and(|a| a.starts_with("Bearer gloas-access-"));
                if ok {
                    Resp::json(200, json!({"username": "tanuki"}))
                } else {
                    Resp::json(401, json!({"message": "401 Unauthorized"}))
                }
            }
            _ => Resp::json(404, json!({"message": "404 Not Found"})),
        }
    });
    (mock, state)
}

#[test]
fn gitlab_device_flow_then_rotating_refresh_updates_store_and_nix() {
    let sb = Sandbox::new();
    let (mock, state) = gitlab_mock();
    corp_gitlab(&sb, &mock);
    let r = sb.run(&["login", "gitlab.example.com", "--client-id", "gl-app-id", "--no-browser"], None);
    r.code(0).lacks("gloas-access-1").lacks("glrt-refresh-1");
    assert!(r.stderr.contains("GLAB-1234") && r.stderr.contains("user_code=GLAB-1234"), "{}", r.stderr);
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t["gitlab.example.com"], "OAuth2:gloas-access-1");
    }
    std::thread::sleep(std::time::Duration::from_millis(1200));
    // Expired now: status says so (and never refreshes), naming the command that fixes it.
    let r = sb.run(&["status", "gitlab.example.com", "--offline"], None);
    r.code(4);
    assert!(r.stdout.contains("lanyard refresh gitlab.example.com"), "{}", r.stdout);
    assert!(r.stdout.contains("refresh token held"), "{}", r.stdout);
    assert_eq!(state.lock().unwrap().refresh_grants, 0, "status never refreshes");

    let r = sb.run(&["refresh", "--all"], None);
    r.code(0).lacks("gloas-access-2");
    assert!(r.stderr.contains("refreshed"), "{}", r.stderr);
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t["gitlab.example.com"], "OAuth2:gloas-access-2");
    }
    let r = sb.run(&["token", "gitlab.example.com"], None);
    assert_eq!(r.stdout.trim(), "gloas-access-2", "fresh for 2 h: no refresh");
    sb.run(&["status", "gitlab.example.com"], None).code(0);
    // A second forced refresh uses the rotated token, not the spent one.
    sb.run(&["refresh", "gitlab.example.com", "--force"], None).code(0);
    assert_eq!(sb.run(&["token", "gitlab.example.com"], None).stdout.trim(), "gloas-access-3");
    {
        let st = state.lock().unwrap();
        assert_eq!((st.refresh_grants, st.reused), (2, 0));
    }

    // The server revokes the grant: the refresh is refused, exit 4, the old record stays.
    state.lock().unwrap().refresh.clear();
    let before = std::fs::read(sb.store_path()).unwrap();
    let r = sb.run(&["refresh", "gitlab.example.com", "--force"], None);
    r.code(4);
    assert!(r.stderr.contains("lanyard login gitlab.example.com"), "{}", r.stderr);
    assert_eq!(std::fs::read(sb.store_path()).unwrap(), before);
}

#[test]
fn eight_concurrent_token_calls_refresh_once() {
    let sb = Sandbox::new();
    let (mock, state) = gitlab_mock();
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{0}/api/v4\"\n[device]\nclient_id = \"gl-app-id\"\nauthorization_url = \"{0}/oauth/authorize_device\"\ntoken_url = \"{0}/oauth/token\"\n",
            mock.url()
        ),
    );
    sb.run(&["login", "gitlab.example.com", "--no-browser"], None).code(0);
    let jobs = vec![(vec!["token".to_string(), "gitlab.example.com".to_string()], None); 8];
    let outs: Vec<String> = sb
        .run_concurrently(&jobs)
        .into_iter()
        .map(|r| {
            r.code(0);
            r.stdout
        })
        .collect();
    assert!(outs.iter().all(|o| o.trim() == "gloas-access-2"), "{outs:?}");
    let st = state.lock().unwrap();
    assert_eq!((st.refresh_grants, st.reused), (1, 0));
}

#[test]
fn ctrl_c_during_the_flow_is_130_and_writes_nothing() {
    use std::io::BufRead;
    let sb = Sandbox::new();
    let mock = Mock::start(|r: &Req| match r.path.as_str() {
        "/oauth/authorize_device" => Resp::json(
            200,
            json!({"device_code": "d", "user_code": "WAIT-0000", "verification_uri": "https://x/device", "expires_in": 300, "interval": 1}),
        ),
        _ => Resp::json(400, json!({"error": "authorization_pending"})),
    });
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"G\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{0}/api/v4\"\n[device]\nclient_id = \"c\"\nauthorization_url = \"{0}/oauth/authorize_device\"\ntoken_url = \"{0}/oauth/token\"\n",
            mock.url()
        ),
    );
    let mut c = sb.cmd();
    c.args(["login", "gitlab.example.com", "--no-browser"]).stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("WAIT-0000") {}
    std::thread::sleep(std::time::Duration::from_millis(1500));
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!sb.store_path().exists() && !sb.tokens_conf().exists());
}
