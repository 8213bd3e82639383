//! duh and duumbi as they are deployed (issue 13): older duh servers, duh behind its web UI, duh
//! without a JWT secret, open mode, revoked keys and disabled accounts; duumbi with `/auth/mode`
//! failing, workspaces that say `localhost`, LLM keys beside `[registries]`; detection of duh,
//! duumbi and skillsctl.

use serde_json::{Value, json};

use crate::registries::{DUU, duumbi_mock, jwt};
use crate::support::{Mock, Req, Resp, Sandbox};

/// A duh server: `status_route` is what `/api/auth/status` answers; logins with the right
/// password get `token`, a disabled account gets 403.
fn duh(status_route: fn() -> Resp, token: String) -> Mock {
    Mock::start(move |r: &Req| {
        let bearer = r.header("authorization").and_then(|a| a.strip_prefix("Bearer ")).map(String::from);
        match r.path.as_str() {
            "/api/auth/status" => status_route(),
            "/api/auth/login" => {
                let b: Value = serde_json::from_str(&r.body).unwrap_or_default();
                match (b["email"].as_str(), b["password"].as_str()) {
                    (Some("ada@example.com"), Some("pw-correct")) => Resp::json(200, json!({"access_token": token})),
                    (Some("eve@example.com"), _) => Resp::json(403, json!({"detail": "Account is disabled"})),
                    _ => Resp::json(401, json!({"detail": "Invalid credentials"})),
                }
            }
            "/api/auth/me" if bearer.as_deref() == Some(token.as_str()) => {
                Resp::json(200, json!({"id": "7", "email": "ada@example.com", "role": "admin"}))
            }
            "/api/auth/me" => Resp::json(401, json!({"detail": "Invalid token"})),
            p if p.starts_with("/api/threads") => match r.header("x-api-key") {
                Some("duh-key-0123456789") => Resp::json(200, json!({"threads": []})),
                _ => Resp::json(401, json!({"detail": "Invalid or revoked API key."})),
            },
            _ => Resp::text(200, "<!doctype html><html>duh</html>"),
        }
    })
}

fn login(sb: &Sandbox, m: &Mock, user: &str, password: &str) -> crate::support::Run {
    sb.run(&["login", &m.url(), "--provider", "duh", "--user", user, "--with-password"], Some(password))
}

#[test]
fn older_and_dockerised_duh_servers_can_be_logged_into() {
    let token = jwt(chrono::Utc::now().timestamp() + 3600);
    for route in [
        (|| Resp::json(401, json!({"detail": "Missing API key. Provide X-API-Key header."}))) as fn() -> Resp,
        || Resp::text(200, "<!doctype html><html><body>duh web UI</body></html>"),
        || Resp::json(404, json!({"detail": "Not Found"})),
    ] {
        let sb = Sandbox::new();
        let m = duh(route, token.clone());
        let r = login(&sb, &m, "ada@example.com", "pw-correct");
        r.code(0).lacks(&token);
        let r = sb.run(&["status", &m.key()], None);
        r.code(0);
        assert!(r.stdout.contains("role:admin"), "the account's role: {}", r.stdout);
        // Logout says what is true of a duh session token.
        let r = sb.run(&["logout", &m.key()], None);
        assert!(r.stderr.contains("duh cannot revoke a session token"), "{}", r.stderr);
    }
}

#[test]
fn a_duh_server_without_a_jwt_secret_and_a_disabled_account_say_so() {
    let sb = Sandbox::new();
    let m = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/auth/status" => Resp::json(200, json!({"auth_required": true})),
        _ => Resp::json(500, json!({"detail": "JWT secret not configured"})),
    });
    let r = login(&sb, &m, "ada@example.com", "pw-correct");
    r.code(1);
    assert!(r.stderr.contains("cannot issue sessions") && r.stderr.contains("operator"), "{}", r.stderr);
    assert!(r.stderr.contains("--with-token") && !r.stderr.contains("try again later"), "{}", r.stderr);
    let m = duh(|| Resp::json(200, json!({"auth_required": true})), "x".into());
    let r = login(&sb, &m, "eve@example.com", "whatever");
    r.code(4);
    assert!(r.stderr.contains("disabled") && !r.stderr.contains("check the email and password"), "{}", r.stderr);
}

#[test]
fn a_revoked_duh_api_key_is_replaced_by_a_key() {
    let sb = Sandbox::new();
    let m = duh(|| Resp::json(200, json!({"auth_required": true})), "x".into());
    sb.run(&["login", &m.url(), "--provider", "duh", "--with-token"], Some("duh-key-0123456789")).code(0);
    // The key is revoked: the stored one no longer works.
    let mut data: Value = sb.store_view();
    data["credentials"][m.key()]["token"] = json!("duh-key-revoked-0123");
    sb.write_store_view(&data);
    let r = sb.run(&["status", &m.key()], None);
    r.code(4);
    let fix = crate::support::printed_command(&r.stdout, "lanyard login");
    if !crate::peers::terminal() {
        return;
    }
    let screen = sb.replace_on_terminal(&fix, "API key", "duh-key-0123456789");
    assert!(!screen.contains("Email"), "a key replaces a key, not a session: {screen}");
    sb.run(&["status", &m.key()], None).code(0);
}

#[test]
fn an_open_duh_server_passes_status() {
    let sb = Sandbox::new();
    let m = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/auth/status" => Resp::json(200, json!({"auth_required": false})),
        _ => Resp::json(404, json!({})),
    });
    let r = sb.run(&["login", &m.url(), "--provider", "duh"], None);
    r.code(0);
    assert!(r.stderr.contains("does not require authentication"), "{}", r.stderr);
    let r = sb.run(&["status", &m.key()], None);
    r.code(0);
    assert!(r.stdout.starts_with("✓ ") && r.stdout.contains("open server"), "{}", r.stdout);
    let v: Value = serde_json::from_str(&sb.run(&["status", &m.key(), "--json"], None).stdout).unwrap();
    assert_eq!(v["credentials"][0]["state"], "valid");
}

#[test]
fn duh_duumbi_and_skillsctl_are_detected() {
    let sb = Sandbox::new();
    let token = jwt(chrono::Utc::now().timestamp() + 3600);
    let d = duh(|| Resp::json(401, json!({"detail": "Missing API key. Provide X-API-Key header."})), token);
    let r = sb.run(&["-v", "login", &d.url(), "--user", "ada@example.com", "--with-password"], Some("pw-correct"));
    r.code(0);
    assert!(r.stderr.contains("Detected a duh server"), "{}", r.stderr);
    assert!(r.stderr.contains("detect duh: recognised") && r.stderr.contains("detect gitea: "), "{}", r.stderr);
    let (m, _) = duumbi_mock(true);
    let r = sb.run(&["login", &m.url(), "--name", "reg", "--with-token"], Some(DUU));
    r.code(0);
    assert!(r.stderr.contains("Detected a duumbi server"), "{}", r.stderr);
    let s = Mock::start(|r: &Req| match r.path.as_str() {
        "/auth/config" => Resp::json(200, json!({"enabled": false})),
        _ => Resp::text(404, "404 page not found"),
    });
    let r = sb.run(&["login", &s.url()], None);
    r.code(0);
    assert!(r.stderr.contains("Detected a skillsctl server"), "{}", r.stderr);
}

#[test]
fn duumbi_as_deployed() {
    let sb = Sandbox::new();
    // `/auth/mode` fails (503 through a proxy): `--with-token` never needs it.
    let failing = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" => Resp::text(503, "Service Unavailable"),
        "/api/v1/auth/verify" => Resp::json(200, json!({"username": "ada"})),
        _ => Resp::json(404, json!({})),
    });
    let r = sb.run(&["login", &failing.url(), "--provider", "duumbi", "--name", "a", "--with-token"], Some(DUU));
    r.code(0);
    assert_eq!(failing.hits("/api/v1/auth/mode"), 0);
    // The LLM keys beside `[registries]`: named at login; they come back with the last logout.
    let file = sb.home().join(".duumbi/credentials.toml");
    std::fs::write(&file, "MINIMAX_API_KEY = \"sk-mini\"\nANTHROPIC_API_KEY = \"sk-ant\"\n").unwrap();
    let (m, _) = duumbi_mock(false);
    let port = m.url().rsplit(':').next().unwrap().to_string();
    // A workspace that names the registry `http://localhost:PORT`, as duumbi requires.
    std::fs::create_dir_all(sb.dir.path().join(".duumbi")).unwrap();
    std::fs::write(
        sb.dir.path().join(".duumbi/config.toml"),
        format!("[registries]\nwork = \"http://localhost:{port}\"\n"),
    )
    .unwrap();
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--with-token", "--force"], Some(DUU));
    r.code(0);
    assert!(r.stderr.contains("`work` comes from ./.duumbi/config.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("MINIMAX_API_KEY, ANTHROPIC_API_KEY") && r.stderr.contains("not ready"), "{}", r.stderr);
    sb.run(&["logout", &m.key()], None).code(0);
    sb.run(&["logout", &failing.key()], None).code(0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "MINIMAX_API_KEY = \"sk-mini\"\nANTHROPIC_API_KEY = \"sk-ant\"\n",
        "no `[registries]` table is left to hide the keys"
    );
    // A new `--name` takes the old table out (it held lanyard's token), nothing is orphaned.
    sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "first", "--with-token"], Some(DUU)).code(0);
    sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "second", "--with-token", "--force"], Some(DUU))
        .code(0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("[registries.second]") && !text.contains("[registries.first]"), "{text}");
    sb.run(&["logout", &m.key()], None).code(0);
    // Two names for one URL: never the first silently.
    std::fs::write(
        sb.dir.path().join(".duumbi/config.toml"),
        format!("[registries]\nwork = \"http://localhost:{port}\"\nmirror = \"{}\"\n", m.url()),
    )
    .unwrap();
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--with-token"], Some(DUU));
    r.code(2);
    assert!(r.stderr.contains("work, mirror") && r.stderr.contains("--name"), "{}", r.stderr);
}
