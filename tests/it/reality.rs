//! Issue 23: what real servers (duh 0.5.0, django-oauth-toolkit, GitLab), files written by real
//! tools and a newcomer on a terminal found after round 2, each reproduced here (the
//! django-oauth-toolkit items are in dot.rs, git's credential store in import.rs).

use serde_json::json;

use crate::forges::{Forge, Kind};
use crate::support::{Mock, Req, Resp, Sandbox, printed_command};

/// A fresh duh 0.5.0: no API keys yet, so `/api/auth/status` is 404 (its web UI's HTML when
/// built); `/openapi.json` and `/api/health/detailed` answer JSON; its JWT secret is unset, so a
/// password login answers 500.
fn fresh_duh() -> Mock {
    Mock::start(|r: &Req| match r.path.as_str() {
        "/api/auth/status" => Resp::text(404, "<!doctype html><title>duh</title>"),
        "/openapi.json" => Resp::json(200, json!({"openapi": "3.1.0", "info": {"title": "duh", "version": "0.5.0"}})),
        "/api/health/detailed" => Resp::json(
            200,
            json!({"status": "ok", "version": "0.5.0", "uptime_seconds": 12, "components": {"database": "ok"}}),
        ),
        "/api/auth/login" => Resp::json(500, json!({"detail": "JWT secret is not configured"})),
        _ => Resp::text(404, "<!doctype html>"),
    })
}

/// A store holding one expired, refreshable GitLab OAuth credential whose token endpoint is `endpoint`.
fn expired_gitlab(sb: &Sandbox, endpoint: &str) {
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let store = json!({"version": 2, "credentials": {"bot@gitlab.example.com": {
        "url": "https://gitlab.example.com", "provider": "gitlab", "family": "gitlab", "user": "bot",
        "kind": "oauth", "token": "gloas-old-0123456789", "refresh_token": "glrt-0123456789",
        "client_id": "app", "expires_at": "2020-01-01T00:00:00Z", "token_endpoint": endpoint,
        "storage": "file", "created_at": "2020-01-01T00:00:00Z"}}});
    std::fs::write(sb.store_path(), store.to_string()).unwrap();
    std::fs::set_permissions(sb.store_path(), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
}

/// Items 11 and 12: a fresh duh is detected without `--provider`, and the hint for a server
/// without a JWT secret works when pasted (no `--provider duh` twice).
#[test]
fn a_fresh_duh_is_detected_and_its_hint_works_when_pasted() {
    let sb = Sandbox::new();
    let m = fresh_duh();
    let r = sb.run(&["login", &m.url(), "--user", "ada@example.com", "--with-password"], Some("pw-0123456789"));
    r.code(1);
    assert!(r.stderr.contains("Detected a duh server"), "{}", r.stderr);
    let hint = printed_command(&r.stderr, "lanyard login");
    assert!(hint.matches("--provider").count() <= 1, "{hint}");
    let args: Vec<&str> = hint.split_whitespace().skip(1).collect();
    // Pasted, it is a valid command line: it reaches the server and asks for the key.
    let r = sb.run(&args, Some("duh-key-0123456789"));
    assert_ne!(r.code, 2, "{hint}: {}", r.stderr);
    let r =
        sb.run(&["login", &m.url(), "--provider", "duh", "--user", "ada@example.com", "--with-password"], Some("pw"));
    let hint = printed_command(&r.stderr, "lanyard login");
    assert_eq!(hint.matches("--provider").count(), 1, "{hint}");
}

/// Items 13 and 24: a plain-HTTP server on this machine named without a scheme says so, with or
/// without `--provider` (detection keeps the diagnosis).
#[test]
fn a_plain_http_loopback_server_is_said_to_be_one_during_detection() {
    let sb = Sandbox::new();
    // A plain-HTTP server answers a TLS hello with an HTTP error, as uvicorn (duh) does.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let key = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for s in listener.incoming().flatten() {
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let mut s = s;
                let mut buf = [0u8; 512];
                let _ = s.read(&mut buf);
                let _ = s.write_all(
                    b"HTTP/1.1 400 Bad Request\r\ncontent-length: 11\r\nconnection: close\r\n\r\nInvalid req",
                );
            });
        }
    });
    let m = Mock { port: key.rsplit(':').next().unwrap().parse().unwrap(), requests: Default::default() };
    for extra in [&[][..], &["--provider", "duh"][..]] {
        let mut args = vec!["login", m.key().leak() as &str, "--with-token"];
        args.extend_from_slice(extra);
        let r = sb.run(&args, Some("duh-key-0123456789"));
        r.code(2);
        assert!(
            r.stderr.contains("speaks plain HTTP") && r.stderr.contains(&format!("http://{}", m.key())),
            "{}",
            r.stderr
        );
    }
}

/// Item 15: a family's name as TARGET says to pass it as `--provider`, not "did you mean".
#[test]
fn a_family_name_as_target_says_what_it_is() {
    let sb = Sandbox::new();
    let r = sb.run(&["login", "duh"], None);
    r.code(2);
    assert!(r.stderr.contains("is a kind of server") && r.stderr.contains("--provider duh"), "{}", r.stderr);
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}

/// Item 25: off a terminal, `logout HOST` with two accounts names each account's command, never
/// `--all`.
#[test]
fn logout_of_a_host_with_two_accounts_never_hints_all() {
    let sb = Sandbox::new();
    let f = Forge::with_users(
        Kind::Gitea,
        &[("tok-alice-0123456789abcdef", "alice"), ("tok-bob-0123456789abcdef00", "bob")],
    );
    for t in ["tok-alice-0123456789abcdef", "tok-bob-0123456789abcdef00"] {
        sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(t)).code(0);
    }
    let r = sb.run(&["logout", &f.mock.key()], None);
    r.code(2);
    assert!(!r.stderr.contains("--all"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("lanyard logout alice@{}", f.mock.key())), "{}", r.stderr);
    let cmd = printed_command(&r.stderr, "lanyard logout");
    sb.run(&cmd.split_whitespace().skip(1).collect::<Vec<_>>(), None).code(0);
    sb.run(&["token", &format!("bob@{}", f.mock.key())], None).code(0);
}

/// Item 27: an expired credential that `token` refreshes by itself says both facts.
#[test]
fn an_expired_refreshable_credential_says_token_refreshes_it() {
    let sb = Sandbox::new();
    expired_gitlab(&sb, "https://gitlab.example.com/oauth/token");
    let r = sb.run(&["status", "--offline"], None);
    r.code(4);
    assert!(
        r.stdout.contains("`lanyard token gitlab.example.com` refreshes it")
            && r.stdout.contains("stay stale until `lanyard refresh gitlab.example.com`"),
        "{}",
        r.stdout
    );
    // Item 16: the summary is the last line.
    assert!(r.stdout.trim_end().lines().last().unwrap().starts_with("1 credential"), "{}", r.stdout);
}

/// Item 31: `-q` keeps the one-time code and where to enter it; logging in again with the very
/// token already stored is exit 0, "nothing changed" (as gh).
#[test]
fn quiet_keeps_the_code_and_the_same_token_again_is_exit_0() {
    let sb = Sandbox::new();
    let _ghe = crate::device::denying_ghe(&sb, "ABCD-1234", "https://ghe.example.com/login/device");
    let r = sb.run(&["-q", "login", "ghe.example.com"], None);
    r.code(1);
    assert!(
        r.stderr.contains("ABCD-1234") && r.stderr.contains("https://ghe.example.com/login/device"),
        "{}",
        r.stderr
    );
    let tok = "tok-same-0123456789abcdef";
    let f = Forge::start(Kind::Gitea, &[tok]);
    let sb = Sandbox::new();
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(tok)).code(0);
    let r = sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("nothing changed"), "{}", r.stderr);
}

/// Item 4: a GitLab whose OpenID metadata names another device endpoint than GitLab's default
/// path: metadata wins over the built-in provider's paths.
#[test]
fn gitlab_metadata_wins_over_the_built_in_device_path() {
    let m = Mock::start(|r: &Req| {
        let base = format!("http://{}", r.header("host").unwrap_or_default());
        match r.path.as_str() {
            "/.well-known/openid-configuration" | "/.well-known/oauth-authorization-server" => Resp::json(
                200,
                json!({"issuer": base, "token_endpoint": format!("{base}/oauth/token"),
                       "device_authorization_endpoint": format!("{base}/custom/device")}),
            ),
            "/custom/device" => Resp::json(
                200,
                json!({"device_code": "dc", "user_code": "GL-CUSTOM", "verification_uri": format!("{base}/verify"),
                       "expires_in": 600, "interval": 1}),
            ),
            "/oauth/token" => Resp::json(400, json!({"error": "access_denied"})),
            _ => Resp::json(404, json!({})),
        }
    });
    let sb = Sandbox::new();
    let r = sb.run(&["login", &m.url(), "--provider", "gitlab", "--client-id", "app", "--device", "--no-nix"], None);
    r.code(1);
    assert!(r.stderr.contains("GL-CUSTOM"), "{}", r.stderr);
    assert_eq!(m.hits("/oauth/authorize_device"), 0);
}

/// Item 28: `setup-git` writes the command name when `lanyard` on PATH is this very program, so
/// the helper survives upgrades.
#[test]
fn setup_git_writes_the_command_name_when_it_is_on_path() {
    let Some(mut sb) = Sandbox::with_git() else { return };
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(crate::support::lanyard_bin(), bin.join("lanyard")).unwrap();
    let path = sb.vars.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_default();
    sb.set("PATH", &format!("{}:{path}", bin.display()));
    let f = Forge::start(Kind::Gitea, &["tok-git-0123456789abcdef"]);
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-git-0123456789abcdef")).code(0);
    sb.run(&["setup-git", &f.mock.key()], None).code(0);
    let line = sb.git_config(&format!("credential.{}.helper", f.mock.url()));
    assert!(line.contains("!'lanyard' "), "{line}");
    assert!(!line.contains(&crate::support::lanyard_bin().display().to_string()), "{line}");
}

/// Items 19 and 20 (with SPEC §15): a duumbi file duumbi cannot parse is exit 2 with a fix that
/// opens it; a copy duumbi removed is named `gone` on its line while the headline stays the
/// credential's.
#[test]
fn duumbi_file_states_are_said_on_their_own_line() {
    let sb = Sandbox::new();
    let (m, _) = crate::registries::duumbi_mock(false);
    sb.run(
        &["login", &m.url(), "--provider", "duumbi", "--name", "myreg", "--with-token"],
        Some(crate::registries::DUU),
    )
    .code(0);
    let file = sb.home().join(".duumbi/credentials.toml");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, "[registries.myreg\ntoken = \"x\"\n").unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.code(2);
    assert!(r.stdout.contains("unreadable:") && r.stdout.contains("fix: ${EDITOR:-vi} "), "{}", r.stdout);
    std::fs::write(&file, "").unwrap();
    let r = sb.run(&["status", "--offline", "--json"], None);
    r.code(3);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let problems = v["credentials"][0]["problems"].to_string();
    assert!(problems.contains("gone:"), "{problems}");
    std::fs::write(&file, good).unwrap();
}

/// Item 30: the same token in netrc (no scheme: https guessed) and git's store (`http://`): the
/// copy whose source says the scheme is the one checked.
#[test]
fn import_checks_the_copy_whose_source_names_the_scheme() {
    let Some(sb) = Sandbox::with_git() else { return };
    let tok = "tok-both-0123456789abcdef";
    let f = Forge::start(Kind::Gitea, &[tok]);
    std::fs::write(sb.home().join(".netrc"), format!("machine {} login gitea-user password {tok}\n", f.mock.key()))
        .unwrap();
    std::fs::set_permissions(sb.home().join(".netrc"), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    // git's store, written by git itself.
    let store = sb.home().join(".git-credentials");
    let input = format!("protocol=http\nhost={}\nusername=gitea-user\npassword={tok}\n\n", f.mock.key());
    assert!(sb.git(&["credential-store", "--file", store.to_str().unwrap(), "store"], Some(&input)).status.success());
    let r = sb.run(&["import", "netrc", "git-credentials"], None);
    r.code(0);
    assert!(r.stdout.contains("git-credentials") && !r.stdout.contains("not checked"), "{}{}", r.stdout, r.stderr);
    assert_eq!(sb.run(&["token", &f.mock.key()], None).stdout.trim(), tok);
}

/// Item 7: RFC 9207 — a redirect whose `iss` names another issuer, or none when the metadata
/// promised it, is exit 6 and nothing is stored.
#[test]
fn the_browser_flow_checks_rfc_9207_iss() {
    for (promised, iss) in [(false, Some("http://127.0.0.1:1/evil")), (true, None)] {
        let m = Mock::start(move |r: &Req| {
            let base = format!("http://{}", r.header("host").unwrap_or_default());
            match r.path.as_str() {
                "/.well-known/oauth-authorization-server" | "/.well-known/openid-configuration" => Resp::json(
                    200,
                    json!({"issuer": base, "authorization_endpoint": format!("{base}/authorize"),
                           "token_endpoint": format!("{base}/token"),
                           "authorization_response_iss_parameter_supported": promised}),
                ),
                "/token" => Resp::json(200, json!({"access_token": "at-0123456789abcdef", "token_type": "bearer"})),
                _ => Resp::json(404, json!({})),
            }
        });
        let sb = Sandbox::new();
        let args = ["login", &m.url(), "--provider", "oidc", "--client-id", "cli", "--web", "--no-browser"];
        let r = crate::flows::browser_login(&sb, &args, |url| {
            let u = url::Url::parse(url).unwrap();
            let q = |k: &str| u.query_pairs().find(|(n, _)| n == k).unwrap().1.to_string();
            let mut back = format!("{}?code=c0de&state={}", q("redirect_uri"), q("state"));
            if let Some(i) = iss {
                back.push_str(&format!(
                    "&iss={}",
                    url::form_urlencoded::byte_serialize(i.as_bytes()).collect::<String>()
                ));
            }
            let _ = crate::support::raw("GET", &back, None);
        });
        r.code(6);
        assert!(r.stderr.contains("RFC 9207"), "{}", r.stderr);
        assert_eq!(m.hits("/token"), 0, "the code was never exchanged");
    }
}

/// Item 14: for a server lanyard remembers on this machine (an open duh) the login hint names
/// its plain-http URL, and works when pasted.
#[test]
fn the_login_hint_for_a_remembered_open_server_names_its_url() {
    let sb = Sandbox::new();
    let open = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/auth/status" => Resp::json(200, json!({"auth_required": false})),
        _ => Resp::json(404, json!({"detail": "Not Found"})),
    });
    sb.run(&["login", &open.url(), "--provider", "duh"], None).code(0);
    let r = sb.run(&["token", &open.key()], None);
    r.code(3);
    let hint = printed_command(&r.stderr, "lanyard login");
    assert_eq!(hint, format!("lanyard login http://{}", open.key()));
    sb.run(&hint.split_whitespace().skip(1).collect::<Vec<_>>(), None).code(0);
}

/// Item 24: detection says it is asking, and waits as long as `--timeout` says (it stopped at 5 s).
#[test]
fn detection_says_so_and_honours_the_timeout() {
    let slow = Mock::start(|r: &Req| {
        if r.path == "/api/auth/status" {
            std::thread::sleep(std::time::Duration::from_secs(6));
            return Resp::json(200, json!({"auth_required": false}));
        }
        Resp::text(404, "no")
    });
    let sb = Sandbox::new();
    let r = sb.run(&["--timeout", "15", "login", &slow.url()], None);
    r.code(0);
    assert!(
        r.stderr.contains("what kind of server it is") && r.stderr.contains("Detected a duh server"),
        "{}",
        r.stderr
    );
}
