//! `lanyard rotate` (SPEC §14): a GitLab personal access token renews itself at the server
//! (`POST /personal_access_tokens/self/rotate`), under the refresh lock; the old token is revoked
//! by the server, the store and every file (real Nix reads its include) get the new one.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::support::{Mock, Req, Resp, Sandbox};

const OLD: &str = "glpat-old0123456789abcdefgh";
const NEW: &str = "glpat-new0123456789abcdefgh";

#[test]
fn a_gitlab_pat_rotates_and_every_copy_follows() {
    let sb = Sandbox::new();
    let valid = Arc::new(Mutex::new(HashSet::from([OLD.to_string()])));
    let asked_expiry = Arc::new(Mutex::new(None::<String>));
    let (v, asked) = (valid.clone(), asked_expiry.clone());
    let mock = Mock::start(move |r: &Req| {
        let tok = r.header("private-token").unwrap_or_default().to_string();
        let ok = v.lock().unwrap().contains(&tok);
        match (r.method.as_str(), r.path.as_str()) {
            (_, _) if !ok => Resp::json(401, json!({"message": "401 Unauthorized"})),
            ("GET", "/api/v4/user") => Resp::json(200, json!({"id": 1, "username": "tanuki"})),
            ("GET", "/api/v4/personal_access_tokens/self") => Resp::json(
                200,
                json!({"id": 9, "name": "lanyard", "scopes": ["api"], "expires_at": "2027-01-06", "active": true}),
            ),
            ("POST", "/api/v4/personal_access_tokens/self/rotate") => {
                let expiry = r.form().get("expires_at").cloned();
                *asked.lock().unwrap() = expiry.clone();
                let mut v = v.lock().unwrap();
                v.remove(&tok);
                v.insert(NEW.to_string());
                Resp::json(
                    200,
                    json!({"id": 10, "token": NEW, "expires_at": expiry.unwrap_or_else(|| "2027-02-01".into())}),
                )
            }
            _ => Resp::json(404, json!({"message": "404 Not Found"})),
        }
    });
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{}/api/v4\"\n",
            mock.url()
        ),
    );
    let mut sb = sb;
    sb.set("LANYARD_NOW", "2026-12-07T12:00:00Z");
    sb.run(&["login", "gitlab.example.com", "--with-token"], Some(OLD)).code(0);
    if let Some(t) = crate::nix::nix_tokens(&sb) {
        assert_eq!(t["gitlab.example.com"], format!("PAT:{OLD}"));
    }
    let r = sb.run(&["rotate", "gitlab.example.com"], None);
    r.code(0).lacks(NEW).lacks(OLD);
    assert!(r.stderr.contains("rotated") && r.stderr.contains("revoked"), "{}", r.stderr);
    assert!(!valid.lock().unwrap().contains(OLD), "the server revoked the old token");
    // The same lifetime as before: 30 days from the login, from today.
    assert_eq!(asked_expiry.lock().unwrap().as_deref(), Some("2027-01-06"));
    assert_eq!(sb.run(&["token", "gitlab.example.com"], None).stdout.trim(), NEW);
    if let Some(t) = crate::nix::nix_tokens(&sb) {
        assert_eq!(t["gitlab.example.com"], format!("PAT:{NEW}"), "real Nix reads the new token");
    }
    let r = sb.run(&["status", "gitlab.example.com"], None);
    r.code(0).lacks(NEW);
    assert!(r.stdout.contains("2027-01-06"), "the new expiry is kept: {}", r.stdout);
    // What cannot rotate says what to do instead.
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"svc.example.com\"]\n");
    sb.run(&["login", "svc.example.com", "--with-token"], Some("tok-svc-0123456789abcdef")).code(0);
    let r = sb.run(&["rotate", "svc.example.com"], None);
    r.code(2);
    assert!(
        r.stderr.contains("only GitLab personal access tokens rotate")
            && r.stderr.contains("lanyard login svc.example.com --force"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_timer_warns_once_a_day_of_tokens_that_cannot_refresh_with_the_command_that_renews_them() {
    let mut sb = Sandbox::new();
    let mock = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v4/user" => Resp::json(200, json!({"id": 1, "username": "tanuki"})),
        "/api/v4/personal_access_tokens/self" => {
            Resp::json(200, json!({"id": 9, "scopes": ["api"], "expires_at": "2027-01-06", "active": true}))
        }
        _ => Resp::json(404, json!({})),
    });
    sb.provider(
        "corp-gitlab",
        &format!("id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{}/api/v4\"\nnix = \"none\"\n", mock.url()),
    );
    sb.run(&["login", "gitlab.example.com", "--with-token"], Some(OLD)).code(0);
    // A desktop session: notify-send (a stand-in that records what it was asked) is called too.
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let said = sb.dir.path().join("notified");
    std::fs::write(bin.join("notify-send"), format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> {}\n", said.display()))
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("notify-send"), std::fs::Permissions::from_mode(0o755)).unwrap();
    sb.set("PATH", &format!("{}:/usr/bin:/bin", bin.display()));
    sb.set("DISPLAY", ":0");
    sb.set("LANYARD_NOW", "2026-12-20T09:00:00Z");
    let r = sb.run(&["refresh", "--all"], None);
    r.code(0);
    assert!(!r.stderr.contains("expires"), "17 days away: outside the 7 days: {}", r.stderr);
    sb.set("LANYARD_NOW", "2027-01-02T09:00:00Z");
    let r = sb.run(&["refresh", "--all"], None);
    r.code(0);
    assert!(r.stderr.contains("lanyard rotate gitlab.example.com"), "{}", r.stderr);
    let notified = std::fs::read_to_string(&said).unwrap();
    assert!(notified.contains("lanyard rotate gitlab.example.com"), "{notified}");
    let r = sb.run(&["refresh", "--all"], None);
    assert!(!r.stderr.contains("lanyard rotate"), "once a day: {}", r.stderr);
    std::fs::write(sb.config_dir().join("config.toml"), "warn_within = \"2d\"\n").unwrap();
    sb.set("LANYARD_NOW", "2027-01-03T09:00:00Z");
    let r = sb.run(&["refresh", "--all"], None);
    assert!(!r.stderr.contains("lanyard rotate"), "3 days away, warn_within 2d: {}", r.stderr);
}
