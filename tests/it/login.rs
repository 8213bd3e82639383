//! Token-paste login, status, token and logout through the binary against mock forges.

use serde_json::Value;

use crate::forges::{Forge, Kind};
use crate::support::{Sandbox, dead_port};

const GITEA_TOKEN: &str = "0123456789abcdef0123456789abcdefgt01";

#[test]
fn gitea_paste_status_revoke_logout() {
    let sb = Sandbox::new();
    let forge = Forge::start(Kind::Gitea, &[GITEA_TOKEN]);
    let url = forge.mock.url();
    let key = forge.mock.key();
    let token_input = format!("{GITEA_TOKEN}\n");

    let r = sb.run(&["login", &url, "--with-token"], Some(&token_input));
    r.code(0).lacks(GITEA_TOKEN);
    assert!(r.stderr.contains("Detected a gitea server"), "{}", r.stderr);
    assert!(r.stderr.contains("gitea-user"), "{}", r.stderr);
    assert!(r.stderr.contains("/user/settings/applications"), "{}", r.stderr);
    assert!(r.stderr.contains("access-tokens` does not apply"), "{}", r.stderr);

    let r = sb.run(&["status", &key], None);
    r.code(0).lacks(GITEA_TOKEN);
    assert!(r.stdout.starts_with("✓ ") && r.stdout.lines().next().unwrap().ends_with("  valid"), "{}", r.stdout);
    assert!(r.stdout.contains("…gt01"), "masked token shown: {}", r.stdout);

    let r = sb.run(&["status", &key, "-vvv"], None);
    r.code(0).lacks(GITEA_TOKEN);
    let r = sb.run(&["status", "--json"], None);
    r.code(0).lacks(GITEA_TOKEN);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["credentials"][0]["host"], key.as_str());
    assert_eq!(v["credentials"][0]["provider"], "gitea");
    assert_eq!(v["credentials"][0]["user"], "gitea-user");
    assert_eq!(v["credentials"][0]["state"], "valid");

    let r = sb.run(&["token", &key], None);
    r.code(0);
    assert_eq!(r.stdout, format!("{GITEA_TOKEN}\n"));
    assert!(r.stderr.is_empty(), "token prints nothing else: {}", r.stderr);

    forge.revoke(GITEA_TOKEN);
    let r = sb.run(&["status", &key], None);
    r.code(4).lacks(GITEA_TOKEN);
    assert!(r.stdout.contains("rejected"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("fix: lanyard login {key}\n")), "{}", r.stdout);
    sb.run(&["status", &key, "--offline"], None).code(0);

    let r = sb.run(&["logout", &key], None);
    r.code(0).lacks(GITEA_TOKEN);
    assert!(r.stderr.contains("stays valid on the server"), "{}", r.stderr);
    let r = sb.run(&["status", &key], None);
    r.code(3);
    let r = sb.run(&["token", &key], None);
    r.code(3);
    assert!(r.stdout.is_empty());
    sb.run(&["logout", &key], None).code(3);
}

#[test]
fn github_enterprise_scopes_and_expiry() {
    let sb = Sandbox::new();
    let tok = "ghp_0123456789abcdefghijABCDEFGHIJ0001";
    let forge = Forge::start(Kind::Github, &[tok]);
    let r = sb.run(&["login", &forge.mock.url(), "--provider", "github", "--with-token"], Some(tok));
    r.code(0).lacks(tok);
    assert!(r.stderr.contains("/settings/personal-access-tokens/new"), "{}", r.stderr);
    assert!(r.stderr.contains("/settings/tokens/new?scopes=repo,read:org"), "a classic token works too: {}", r.stderr);
    let r = sb.run(&["status", "--json", &forge.mock.key()], None);
    r.code(0).lacks(tok);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let c = &v["credentials"][0];
    assert_eq!(c["user"], "octocat");
    assert_eq!(c["scopes"], serde_json::json!(["repo", "read:org"]));
    assert_eq!(c["expires_at"], "2099-12-01T10:00:00Z");
    let r = sb.run(&["status", &forge.mock.key()], None);
    assert!(r.stdout.contains("ghp_…0001"), "{}", r.stdout);
    // The header GitHub's API wants, on the Enterprise path.
    let reqs = forge.mock.requests.lock().unwrap();
    let user = reqs.iter().find(|r| r.path == "/api/v3/user").unwrap();
    assert_eq!(user.header("authorization"), Some(format!("token {tok}").as_str()));
}

#[test]
fn github_detected_and_remembered() {
    let sb = Sandbox::new();
    let tok = "ghp_0123456789abcdefghijABCDEFGHIJ0002";
    let forge = Forge::start(Kind::Github, &[tok]);
    let r = sb.run(&["login", &forge.mock.url(), "--with-token"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("Detected a github server"), "{}", r.stderr);
    // Remembered: a second login needs no detection.
    let before = forge.mock.hits("/api/v3");
    sb.run(&["login", &forge.mock.url(), "--with-token", "--force"], Some(tok)).code(0);
    assert_eq!(forge.mock.hits("/api/v3"), before, "no detection the second time");
}

#[test]
fn gitlab_pat_scopes_and_expiry() {
    let sb = Sandbox::new();
    let tok = "glpat-0123456789abcdefghij";
    let forge = Forge::start(Kind::Gitlab, &[tok]);
    let r = sb.run(&["login", &forge.mock.url(), "--with-token"], Some(tok));
    r.code(0).lacks(tok);
    assert!(r.stderr.contains("Detected a gitlab server"), "{}", r.stderr);
    let r = sb.run(&["status", "--json", "--offline"], None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let c = &v["credentials"][0];
    assert_eq!(c["user"], "tanuki");
    assert_eq!(c["scopes"], serde_json::json!(["read_api", "read_repository"]));
    assert_eq!(c["expires_at"], "2099-01-31T00:00:00Z");
    assert_eq!(c["state"], "unchecked");
    let reqs = forge.mock.requests.lock().unwrap();
    assert!(reqs.iter().any(|r| r.path == "/api/v4/user" && r.header("private-token") == Some(tok)));
}

#[test]
fn forgejo_detected_by_its_own_endpoint() {
    let sb = Sandbox::new();
    let tok = "fj0123456789abcdef0123456789abcdef01";
    let forge = Forge::start(Kind::Forgejo, &[tok]);
    let r = sb.run(&["login", &forge.mock.url(), "--with-token"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("Detected a forgejo server"), "{}", r.stderr);
}

#[test]
fn rejected_token_stores_nothing() {
    let sb = Sandbox::new();
    let forge = Forge::start(Kind::Gitea, &["the-good-token-0000000000"]);
    let bad = "a-bad-token-00000000000000000";
    let r = sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token"], Some(bad));
    r.code(4).lacks(bad);
    assert!(r.stderr.contains("rejected the token"), "{}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    assert!(!sb.store_path().exists(), "nothing stored");
}

#[test]
fn server_down_is_unverified() {
    let sb = Sandbox::new();
    let url = format!("http://127.0.0.1:{}", dead_port());
    let r = sb.run(&["login", &url, "--provider", "gitea", "--with-token"], Some("tok-0123456789abcdef"));
    r.code(6).lacks("tok-0123456789abcdef");
    assert!(!sb.store_path().exists());
    // Detection against a dead host is exit 6 too, and says why.
    let r = sb.run(&["login", &url, "--with-token"], Some("tok-0123456789abcdef"));
    r.code(6);
    assert!(r.stderr.contains("--provider"), "{}", r.stderr);

    // A stored credential whose server went away: status 6 online, 0 offline.
    let forge = Forge::start(Kind::Gitea, &["tok-0123456789abcdef"]);
    sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-0123456789abcdef")).code(0);
    let mut data: Value = sb.store_view();
    let key = forge.mock.key();
    data["credentials"][&key]["url"] = Value::String(url.clone());
    sb.write_store_view(&data);
    let r = sb.run(&["status", &key], None);
    r.code(6);
    assert!(r.stdout.contains("unverified"), "{}", r.stdout);
    sb.run(&["status", &key, "--offline"], None).code(0);
}

#[test]
fn undetectable_host_is_a_usage_error() {
    let sb = Sandbox::new();
    let m = crate::support::Mock::start(|_| crate::support::Resp::text(404, "nope"));
    let r = sb.run(&["login", &m.url(), "--with-token"], Some("x-0123456789abcdef"));
    r.code(2);
    assert!(r.stderr.contains("cannot tell which kind of server"), "{}", r.stderr);
    assert!(r.stderr.contains("--provider github|gitlab|gitea|forgejo"), "{}", r.stderr);
}

#[test]
fn existing_credential_needs_force_without_a_terminal() {
    let sb = Sandbox::new();
    let tok = "tok-0123456789abcdef-one";
    let forge = Forge::start(Kind::Gitea, &[tok, "tok-0123456789abcdef-two"]);
    let url = forge.mock.url();
    sb.run(&["login", &url, "--provider", "gitea", "--with-token"], Some(tok)).code(0);
    let r = sb.run(&["login", &url, "--with-token"], Some("tok-0123456789abcdef-two"));
    r.code(2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    sb.run(&["login", &url, "--with-token", "--force"], Some("tok-0123456789abcdef-two")).code(0);
    let r = sb.run(&["token", &forge.mock.key()], None);
    assert_eq!(r.stdout.trim(), "tok-0123456789abcdef-two");
}

#[test]
fn dry_run_writes_nothing() {
    let sb = Sandbox::new();
    let tok = "tok-0123456789abcdef-dry";
    let forge = Forge::start(Kind::Gitea, &[tok]);
    let r = sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token", "--dry-run"], Some(tok));
    r.code(0).lacks(tok);
    assert!(r.stderr.contains("credentials.json"), "{}", r.stderr);
    assert!(!sb.store_path().exists());
}

#[test]
fn warn_within_gives_expiring() {
    let sb = Sandbox::new();
    let tok = "glpat-0123456789abcdefwarn";
    let forge = Forge::start(Kind::Gitlab, &[tok]);
    sb.run(&["login", &forge.mock.url(), "--provider", "gitlab", "--with-token"], Some(tok)).code(0);
    let key = forge.mock.key();
    sb.run(&["status", &key, "--warn-within", "7d"], None).code(0);
    let r = sb.run(&["status", &key, "--warn-within", "36500d"], None);
    r.code(5);
    assert!(r.stdout.contains("expiring"), "{}", r.stdout);
    // Several targets: the most severe code wins (3 beats 5).
    sb.run(&["status", &key, "nowhere.example.com", "--warn-within", "36500d"], None).code(3);
}

#[test]
fn expired_token_is_exit_4_everywhere() {
    let sb = Sandbox::new();
    let tok = "glpat-0123456789abcdefexpd";
    let forge = Forge::start(Kind::Gitlab, &[tok]);
    sb.run(&["login", &forge.mock.url(), "--provider", "gitlab", "--with-token"], Some(tok)).code(0);
    let key = forge.mock.key();
    let mut data: Value = sb.store_view();
    data["credentials"][&key]["expires_at"] = Value::String("2020-01-01T00:00:00Z".into());
    sb.write_store_view(&data);
    let r = sb.run(&["status", &key], None);
    r.code(4);
    assert!(r.stdout.contains("expired"), "{}", r.stdout);
    sb.run(&["status", &key, "--offline"], None).code(4);
    let r = sb.run(&["token", &key], None);
    r.code(4).lacks(tok);
    assert!(r.stdout.is_empty());
}

#[test]
fn logout_all_and_menu_needs_terminal() {
    let sb = Sandbox::new();
    let forge = Forge::start(Kind::Gitea, &["tok-0123456789abcdef-a"]);
    let forge2 = Forge::start(Kind::Gitea, &["tok-0123456789abcdef-b"]);
    sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-0123456789abcdef-a"))
        .code(0);
    sb.run(&["login", &forge2.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-0123456789abcdef-b"))
        .code(0);
    let r = sb.run(&["logout"], None);
    r.code(2);
    assert!(r.stderr.contains("--all"), "{}", r.stderr);
    sb.run(&["logout", "--all", "--dry-run"], None).code(0);
    sb.run(&["status", "--offline"], None).code(0);
    sb.run(&["logout", "--all"], None).code(0);
    let r = sb.run(&["status", "--json"], None);
    r.code(3);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["credentials"].as_array().unwrap().len(), 0);
    // The provider stays remembered: no --provider needed, no detection.
    let before = forge.mock.hits("/api/v1/version");
    sb.run(&["login", &forge.mock.url(), "--with-token"], Some("tok-0123456789abcdef-a")).code(0);
    assert_eq!(forge.mock.hits("/api/v1/version"), before);
}

#[test]
fn no_terminal_no_token_is_a_usage_error() {
    let sb = Sandbox::new();
    let forge = Forge::start(Kind::Gitea, &[]);
    let r = sb.run(&["login", &forge.mock.url(), "--provider", "gitea"], None);
    r.code(2);
    assert!(r.stderr.contains("--with-token"), "{}", r.stderr);
}

#[test]
fn redirect_to_another_origin_gets_no_token() {
    use crate::support::{Mock, Resp};
    let sb = Sandbox::new();
    let tok = "tok-0123456789abcdef-redirect";
    let other = Mock::start(|_| Resp::json(200, serde_json::json!({"login": "evil"})));
    let target = format!("{}/api/v1/user", other.url());
    let first = Mock::start(move |_| Resp::text(302, "").with("Location", &target));
    let r = sb.run(&["login", &first.url(), "--provider", "gitea", "--with-token", "-vv"], Some(tok));
    r.code(6).lacks(tok);
    assert!(r.stderr.contains("another origin"), "{}", r.stderr);
    assert!(r.stderr.contains("debug: GET"), "verbose shows requests: {}", r.stderr);
    assert_eq!(other.requests.lock().unwrap().len(), 0, "the other origin was never asked");
    assert!(!sb.store_path().exists());
}
