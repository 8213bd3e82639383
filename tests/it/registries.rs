//! skillsctl (against the real OpenID provider), duumbi, duh, basic/token services and `exec`,
//! through the binary, with the files those tools read checked byte for byte.

use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Value, json};

use crate::oidc::{Provider, login_with};
use crate::support::{Mock, Req, Resp, Sandbox};

pub fn jwt(exp: i64) -> String {
    let b = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.{}",
        b(r#"{"alg":"HS256","typ":"JWT"}"#),
        b(&format!(r#"{{"sub":"7","exp":{exp},"iat":1}}"#)),
        b("sig")
    )
}

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn skillsctl_login_writes_what_skillsctl_reads() {
    let Some(op) = Provider::start(600, 120) else { return };
    let sb = Sandbox::new();
    let issuer = op.issuer.clone();
    let api = Mock::start(move |r: &Req| match r.path.as_str() {
        "/auth/config" => Resp::json(
            200,
            json!({"enabled": true, "issuer_url": issuer, "client_id": "web-client", "device_client_id": "lanyard-test"}),
        ),
        _ => Resp::json(404, json!({})),
    });
    let url = api.url();
    let args =
        ["login", &url, "--provider", "skillsctl", "--no-browser", "--scopes", "openid,email,profile,offline_access"];
    let (r, _) = login_with(&sb, &args, |code| op.human(code, "approve"));
    r.code(0);
    let path = sb.home().join(".config/skillsctl/credentials.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let v: Value = serde_json::from_str(&text).unwrap();
    let order = ["id_token", "expiry", "refresh_token", "refresh_expiry", "token_endpoint", "client_id"];
    assert_eq!(v.as_object().unwrap().len(), order.len(), "exactly these keys: {text}");
    let at: Vec<usize> = order.iter().map(|k| text.find(&format!("\n  \"{k}\": ")).expect(k)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "skillsctl's key order: {text}");
    assert!(text.starts_with("{\n  \"id_token\": \"eyJ"), "two-space indent: {text}");
    let id = v["id_token"].as_str().unwrap();
    let payload: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.split('.').nth(1).unwrap()).unwrap(),
    )
    .unwrap();
    let exp = chrono::DateTime::from_timestamp(payload["exp"].as_i64().unwrap(), 0).unwrap();
    assert_eq!(v["expiry"], exp.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    assert_eq!(v["refresh_expiry"], "0001-01-01T00:00:00Z");
    assert_eq!(v["client_id"], "lanyard-test");
    assert_eq!(v["token_endpoint"], format!("{}/token", op.issuer));
    // skillsctl's own `status` logic: a non-empty ID token whose expiry is in the future.
    let expiry = chrono::DateTime::parse_from_rfc3339(v["expiry"].as_str().unwrap()).unwrap();
    assert!(!id.is_empty() && expiry > chrono::Utc::now());
    r.lacks(id);
    sb.run(&["status", &api.key(), "--offline"], None).code(0).lacks(id);
    sb.run(&["status", &api.key()], None).code(0);
    let r = sb.run(&["token", &api.key(), "--id-token"], None);
    assert_eq!(r.stdout.trim(), id);
    sb.run(&["logout", &api.key()], None).code(0);
    assert!(!path.exists());
}

#[test]
fn skillsctl_open_server_needs_nothing() {
    let sb = Sandbox::new();
    let api = Mock::start(|_| Resp::json(200, json!({"enabled": false})));
    let mut sb = sb;
    sb.set("SKILLCTL_API_URL", &api.url());
    let r = sb.run(&["login", "--provider", "skillsctl"], None);
    r.code(0);
    assert!(r.stderr.contains("does not require authentication"), "{}", r.stderr);
    assert!(!sb.home().join(".config/skillsctl").exists());
    assert_eq!(api.hits("/auth/config"), 1);
    // The open server is remembered: `status HOST` passes (issue 13).
    sb.run(&["status", &api.key()], None).code(0);
}

pub const DUU: &str = "duu_0123456789abcdef0123456789abcdef";

pub fn duumbi_mock(device: bool) -> (Mock, Arc<Mutex<usize>>) {
    let polls = Arc::new(Mutex::new(0));
    let p = polls.clone();
    let m = Mock::start(move |r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" if device => {
            Resp::json(200, json!({"mode": "github_oauth", "device_code_supported": true}))
        }
        "/api/v1/auth/mode" => Resp::json(404, json!({"detail": "Not Found"})),
        "/api/v1/auth/device/code" => {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(body["client_id"], "duumbi-cli");
            Resp::json(
                200,
                json!({"device_code": "ddc", "user_code": "DUUM-BI42", "verification_uri": "https://registry.duumbi.dev/device", "expires_in": 900, "interval": 1}),
            )
        }
        "/api/v1/auth/device/token" => {
            let mut n = p.lock().unwrap();
            *n += 1;
            if *n < 3 {
                Resp::json(428, json!({"error": "authorization_pending"}))
            } else {
                Resp::json(200, json!({"token": DUU, "username": "ada"}))
            }
        }
        "/api/v1/auth/verify" if r.header("authorization") == Some(&format!("Bearer {DUU}")) => {
            Resp::json(200, json!({"username": "ada"}))
        }
        _ => Resp::json(401, json!({"error": "unauthorized"})),
    });
    (m, polls)
}

#[test]
fn duumbi_device_flow_keeps_every_other_byte() {
    let sb = Sandbox::new();
    let (m, polls) = duumbi_mock(true);
    let dir = sb.home().join(".duumbi");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("credentials.toml");
    let fixture = "# duumbi CLI credentials\nMINIMAX_API_KEY = \"sk-minimax-keep\"\nANTHROPIC_API_KEY = 'sk-ant-keep'  # second key\n\n[registries.duumbi]\ntoken = \"duu_ffffffffffffffffffffffffffffffff\"\n\n[registries.work]   # the company registry\ntoken = \"duu_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\"\n";
    std::fs::write(&path, fixture).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    // `[registries.work]` holds a token lanyard did not write: off a terminal, only --force replaces it.
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "work", "--no-browser"], None);
    r.code(2);
    assert!(r.stderr.contains("did not write") && r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixture);
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "work", "--no-browser", "--force"], None);
    r.code(0).lacks(DUU);
    assert!(r.stderr.contains("DUUM-BI42"), "{}", r.stderr);
    assert_eq!(*polls.lock().unwrap(), 3, "428 twice, then the token; no more polls");
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, fixture.replace("duu_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", DUU));
    assert_eq!(mode(&path), 0o600);
    let v: Value = serde_json::from_str(&sb.run(&["status", "--json", &m.key()], None).stdout).unwrap();
    assert_eq!(v["credentials"][0]["user"], "ada");
    assert_eq!(v["credentials"][0]["state"], "valid");
    let r = sb.run(&["logout", &m.key()], None);
    r.code(0);
    assert!(r.stderr.contains("/settings/tokens"), "{}", r.stderr);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with("# duumbi CLI credentials\nMINIMAX_API_KEY = \"sk-minimax-keep\"\nANTHROPIC_API_KEY = 'sk-ant-keep'  # second key\n\n[registries.duumbi]\ntoken = \"duu_ffffffffffffffffffffffffffffffff\"\n"), "{after}");
    assert!(!after.contains("[registries.work]"), "{after}");
}

#[test]
fn duumbi_paste_path_and_unparseable_file() {
    let sb = Sandbox::new();
    let (m, _) = duumbi_mock(false);
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--with-token", "--name", "mine"], Some(DUU));
    r.code(0);
    assert!(r.stderr.contains("/settings/tokens"), "{}", r.stderr);
    let path = sb.home().join(".duumbi/credentials.toml");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("[registries.mine]\ntoken = \"{DUU}\"\n"));
    assert_eq!(mode(&path), 0o600);
    // A bad token stores nothing; an odd shape only warns.
    let r = sb.run(
        &["login", &m.url(), "--provider", "duumbi", "--with-token", "--name", "mine", "--force"],
        Some("nope-token"),
    );
    r.code(4);
    assert!(r.stderr.contains("does not look like a duumbi token"), "{}", r.stderr);
    // An unparseable credentials.toml is never rewritten.
    std::fs::write(&path, "[registries.mine\ntoken = 1\n").unwrap();
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--with-token", "--name", "x", "--force"], Some(DUU));
    r.code(2);
    assert!(r.stderr.contains("credentials.toml` line 1"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[registries.mine\ntoken = 1\n");
}

pub fn duh_mock(jwt_value: String) -> (Mock, Arc<Mutex<usize>>) {
    let logins = Arc::new(Mutex::new(0));
    let l = logins.clone();
    let m = Mock::start(move |r: &Req| {
        let bearer = r.header("authorization").and_then(|a| a.strip_prefix("Bearer ")).map(String::from);
        match r.path.as_str() {
            "/api/auth/status" => Resp::json(200, json!({"auth_required": true})),
            "/api/auth/login" => {
                let mut n = l.lock().unwrap();
                *n += 1;
                if *n == 1 {
                    return Resp::json(429, json!({"detail": "Rate limit exceeded. Try again later."}))
                        .with("Retry-After", "1");
                }
                let b: Value = serde_json::from_str(&r.body).unwrap();
                if b["email"] == "ada@example.com" && b["password"] == "hunter2-correct" {
                    Resp::json(
                        200,
                        json!({"access_token": jwt_value, "token_type": "bearer", "user_id": "7", "role": "admin"}),
                    )
                } else {
                    Resp::json(401, json!({"detail": "Invalid credentials"}))
                }
            }
            "/api/auth/me" if bearer.as_deref() == Some(jwt_value.as_str()) => {
                Resp::json(200, json!({"id": "7", "email": "ada@example.com", "role": "admin"}))
            }
            "/api/auth/me" => Resp::json(401, json!({"detail": "Invalid token"})),
            // Other routes let any bearer through (the quirk that makes only /me a real check).
            p if p.starts_with("/api/threads") => match r.header("x-api-key") {
                Some("duh-api-key-0123456789") | None => Resp::json(200, json!({"threads": []})),
                Some(_) => Resp::json(401, json!({"detail": "Invalid or revoked API key."})),
            },
            _ => Resp::json(404, json!({"detail": "Not Found"})),
        }
    });
    (m, logins)
}

#[test]
fn duh_password_login_then_exec_hands_on_the_jwt() {
    let sb = Sandbox::new();
    let token = jwt(chrono::Utc::now().timestamp() + 86_400);
    let (m, logins) = duh_mock(token.clone());
    let r = sb.run(
        &["login", &m.url(), "--provider", "duh", "--user", "ada@example.com", "--with-password"],
        Some("hunter2-correct\n"),
    );
    r.code(0).lacks(&token).lacks("hunter2-correct");
    assert!(r.stderr.contains("wait 1s"), "Retry-After honoured: {}", r.stderr);
    assert_eq!(*logins.lock().unwrap(), 2);
    let v: Value = serde_json::from_str(&sb.run(&["status", "--json", &m.key()], None).stdout).unwrap();
    assert_eq!(v["credentials"][0]["user"], "ada@example.com");
    assert!(v["credentials"][0]["expires_at"].is_string());
    let script = format!("test \"$DUH_TOKEN\" = '{token}' && exit 42; exit 1");
    let r = sb.run(&["exec", "--env", &format!("DUH_TOKEN={}", m.key()), "--", "sh", "-c", &script], None);
    r.code(42).lacks(&token);
    // A wrong password is exit 4 with the server's `detail`.
    let r = sb.run(
        &["login", &m.url(), "--provider", "duh", "--user", "ada@example.com", "--with-password", "--force"],
        Some("wrong"),
    );
    r.code(4);
    assert!(r.stderr.contains("Invalid credentials"), "{}", r.stderr);
    // An expired JWT: status 4, token 4 with the login command to run.
    let mut data: Value = sb.store_view();
    data["credentials"][m.key()]["expires_at"] = json!("2020-01-01T00:00:00Z");
    sb.write_store_view(&data);
    sb.run(&["status", &m.key()], None).code(4);
    let r = sb.run(&["exec", "--env", &format!("DUH_TOKEN={}", m.key()), "--", "true"], None);
    r.code(4);
    assert!(r.stderr.contains(&format!("lanyard login {}", m.key())), "{}", r.stderr);
}

#[test]
fn duh_api_key_and_open_mode() {
    let sb = Sandbox::new();
    let (m, _) = duh_mock(jwt(0));
    sb.run(&["login", &m.url(), "--provider", "duh", "--with-token"], Some("duh-api-key-0123456789")).code(0);
    let r = sb.run(&["login", &m.url(), "--provider", "duh", "--with-token", "--force"], Some("bad-key-0123456789"));
    r.code(4);
    assert!(r.stderr.contains("Invalid or revoked API key."), "{}", r.stderr);
    let open = Mock::start(|_| Resp::json(200, json!({"auth_required": false})));
    let r = sb.run(&["login", &open.url(), "--provider", "duh"], None);
    r.code(0);
    assert!(r.stderr.contains("does not require authentication"), "{}", r.stderr);
}

#[test]
fn basic_and_token_services_through_exec() {
    let sb = Sandbox::new();
    let m = Mock::start(|r: &Req| {
        let want = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("deploy:s3cret-pass"));
        match (r.path.as_str(), r.header("authorization")) {
            ("/check", Some(a)) if a == want => Resp::text(200, "ok"),
            ("/bearer", Some("Bearer tok-registry-0123456789")) => Resp::text(200, "ok"),
            _ => Resp::text(401, "no"),
        }
    });
    sb.provider(
        "private-registry",
        &format!("id = \"private-registry\"\nname = \"Registry\"\nfamily = \"basic\"\nhosts = [\"{}\"]\nvalidate_url = \"{{base}}/check\"\n", m.key()),
    );
    let r = sb.run(&["login", &m.url(), "--user", "deploy", "--with-password"], Some("s3cret-pass"));
    r.code(0).lacks("s3cret-pass");
    sb.run(&["login", &m.url(), "--user", "deploy", "--with-password", "--force"], Some("wrong-pass")).code(4);
    let key = m.key();
    let script = "printf '%s|%s|%s' \"$ALL\" \"$PW\" \"$U\"";
    let r = sb.run(
        &[
            "exec",
            "--env",
            &format!("ALL={key}"),
            "--env",
            &format!("PW={key}:password"),
            "--env",
            &format!("U={key}:user"),
            "--",
            "sh",
            "-c",
            script,
        ],
        None,
    );
    r.code(0);
    assert_eq!(r.stdout, "deploy:s3cret-pass|s3cret-pass|deploy");

    let tok = Mock::start(|r: &Req| match r.header("authorization") {
        Some("Bearer tok-registry-0123456789") => Resp::text(200, "ok"),
        _ => Resp::text(401, "no"),
    });
    sb.provider(
        "tok",
        &format!(
            "id = \"tok\"\nname = \"Tok\"\nfamily = \"token\"\nhosts = [\"{}\"]\nvalidate_url = \"{{base}}/v\"\n",
            tok.key()
        ),
    );
    sb.run(&["login", &tok.url(), "--with-token"], Some("tok-registry-0123456789")).code(0);
    sb.run(&["login", &tok.url(), "--with-token", "--force"], Some("tok-wrong-0123456789")).code(4);
    let r = sb.run(
        &[
            "exec",
            "--env",
            &format!("PRIVATE_REGISTRY_TOKEN={}", tok.key()),
            "--",
            "sh",
            "-c",
            "test \"$PRIVATE_REGISTRY_TOKEN\" = tok-registry-0123456789",
        ],
        None,
    );
    r.code(0);
    sb.run(&["exec", "--env", "X=nowhere.example.com", "--", "true"], None).code(3);
}
