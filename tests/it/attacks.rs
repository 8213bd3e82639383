//! The red team's findings (issue 14), each reproduced through the binary: a hostile server, a
//! proxy setting or another local account tries what it tried before, and lanyard holds. Each
//! test failed against the lanyard before the fix (`LANYARD_TEST_BIN` runs them against another
//! build).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::forges::{Forge, Kind};
use crate::peers;
use crate::registries::{DUU, duh_mock, duumbi_mock};
use crate::support::{Mock, Req, Resp, Sandbox};

const TOK: &str = "tok-0123456789abcdef-attack";
const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // The uid of this test process, from /proc.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// Tests that need a second local account (files owned by `nobody`) run as root, as CI does;
/// elsewhere they say so and skip (or fail under `LANYARD_REQUIRE_PEERS=1`).
fn root_or_skip(why: &str) -> bool {
    if is_root() {
        return true;
    }
    peers::skip("root", why);
    false
}

fn gitea_login(sb: &Sandbox, f: &Forge, token: &str) -> crate::support::Run {
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(token))
}

fn store(sb: &Sandbox) -> Value {
    sb.store_view()
}

/// A stored OAuth credential for `gitlab.example.com` whose token endpoint is `endpoint`, expired
/// so the next `token` refreshes it, written to Nix's include too.
fn refreshable(sb: &Sandbox, endpoint: &str) {
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let tokens = sb.tokens_conf();
    std::fs::create_dir_all(tokens.parent().unwrap()).unwrap();
    std::fs::write(&tokens, "access-tokens = gitlab.example.com=OAuth2:gloas-old-0123456789\n").unwrap();
    std::fs::write(sb.nix_conf(), "!include access-tokens.conf\n").unwrap();
    let data = json!({"version": 1, "credentials": {"gitlab.example.com": {
        "url": "https://gitlab.example.com", "provider": "gitlab", "family": "gitlab", "kind": "oauth",
        "token": "gloas-old-0123456789", "refresh_token": "glrt-refresh-0123456789", "client_id": "app",
        "expires_at": "2020-01-01T00:00:00Z", "token_endpoint": endpoint, "storage": "file",
        "sinks": [format!("nix:{}", tokens.display())], "created_at": "2020-01-01T00:00:00Z"}}});
    std::fs::write(sb.store_path(), data.to_string()).unwrap();
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
}

// 1. A proxy setting never sees a plain-http loopback login.
#[test]
fn loopback_requests_never_go_through_a_proxy() {
    let mut sb = Sandbox::new();
    let proxy = Mock::start(|_| Resp::json(200, json!({"id": 1, "login": "the-proxy"})));
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY"] {
        sb.set(var, &proxy.url());
    }
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let r = gitea_login(&sb, &f, TOK);
    r.code(0);
    assert!(r.stderr.contains("gitea-user"), "the forge itself answered: {}", r.stderr);
    assert!(proxy.requests.lock().unwrap().is_empty(), "the proxy saw the token");
}

// 2 and 21. Provider files (and anything else) are not read from a config dir others can change.
#[test]
fn planted_provider_files_in_an_unsafe_config_dir_get_nothing() {
    let sb = Sandbox::new();
    let f = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &f, TOK).code(0);
    let attacker = Mock::start(|_| Resp::json(200, json!({"id": 1, "login": "attacker"})));
    let planted = format!(
        "id = \"gitea\"\nname = \"x\"\nfamily = \"gitea\"\nhosts = [\"{}\"]\napi = \"{}/api/v1\"\n",
        f.mock.key(),
        attacker.url()
    );
    // A world-writable config dir: anyone could have planted the file.
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    sb.provider("planted", &planted);
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let r = sb.run(&["status", &f.mock.key()], None);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("chmod o-w"), "{}", r.stderr);
    let r = sb.run(&["login", &f.mock.url(), "--with-token", "--force"], Some(TOK));
    r.code(7);
    assert_eq!(attacker.hits("/api/v1/user"), 0, "the planted provider received a token");
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    // A provider file another account can write.
    std::fs::set_permissions(sb.config_dir().join("providers/planted.toml"), std::fs::Permissions::from_mode(0o666))
        .unwrap();
    sb.run(&["status", &f.mock.key()], None).code(7);
    assert_eq!(attacker.hits("/api/v1/user"), 0);
    if !root_or_skip("a parent directory owned by another account") {
        return;
    }
    std::fs::remove_file(sb.config_dir().join("providers/planted.toml")).unwrap();
    sb.run(&["status", &f.mock.key()], None).code(0);
    // A directory above the config dir belongs to another account, who could swap it for a link
    // (into ~/.ssh, say): nothing is read or written below it.
    let parent = sb.config_dir().parent().unwrap().to_path_buf();
    std::os::unix::fs::chown(&parent, Some(NOBODY), None).unwrap();
    let r = sb.run(&["status", &f.mock.key()], None);
    r.code(7);
    assert!(r.stderr.contains("uid 65534"), "{}", r.stderr);
    sb.run(&["token", &f.mock.key()], None).code(7).lacks(TOK);
    std::os::unix::fs::chown(&parent, Some(0), None).unwrap();
}

/// The config dir's group has another member: group-writable is not private then.
#[test]
fn a_shared_group_writable_config_dir_is_refused() {
    if !root_or_skip("a group with another member") {
        return;
    }
    let Some(groupadd) = peers::require("groupadd", "makes a group with another member") else { return };
    let group = format!("lyt{}", std::process::id() % 100_000);
    let ok = Command::new(groupadd).args(["-U", "nobody", &group]).status().unwrap();
    assert!(ok.success(), "groupadd");
    let sb = Sandbox::new();
    let f = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &f, TOK).code(0);
    let gid: u32 = std::fs::read_to_string("/etc/group")
        .unwrap()
        .lines()
        .find(|l| l.starts_with(&format!("{group}:")))
        .and_then(|l| l.split(':').nth(2).map(|g| g.parse().unwrap()))
        .unwrap();
    std::os::unix::fs::chown(sb.config_dir(), None, Some(gid)).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o770)).unwrap();
    let r = sb.run(&["token", &f.mock.key()], None);
    let _ = Command::new("groupdel").arg(&group).status();
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("chmod g-w"), "{}", r.stderr);
}

// 3. Server strings reach neither the store nor the terminal with control characters.
#[test]
fn escape_sequences_from_servers_are_removed() {
    let sb = Sandbox::new();
    let evil = "octo\u{1b}]52;c;ZXZpbA==\u{7}cat\r\u{1b}[2K\u{202e}fake\u{9b}";
    let name = evil.to_string();
    let m = Mock::start(move |r: &Req| match r.path.as_str() {
        "/api/v1/user" => Resp::json(200, json!({"id": 1, "login": name})),
        _ => Resp::text(404, "no"),
    });
    let r = sb.run(&["login", &m.url(), "--provider", "gitea", "--with-token"], Some(TOK));
    r.code(0);
    for out in
        [r.all(), sb.run(&["status", "--offline"], None).all(), std::fs::read_to_string(sb.store_path()).unwrap()]
    {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{9b}'), "{out:?}");
    }
    assert!(sb.run(&["status", "--offline"], None).stdout.contains("octo]52;c;ZXZpbA==cat[2Kfake"));
    // duh's `detail` and a refresh's `error_description` too.
    let (duh, _) = duh_mock("x".into());
    let r = sb.run(
        &["login", &duh.url(), "--provider", "duh", "--user", "ada@example.com", "--with-password"],
        Some("wrong\n"),
    );
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    let m = Mock::start(|_| {
        Resp::json(
            400,
            json!({"error": "invalid_grant", "error_description": "gone\u{1b}]8;;file:///etc/passwd\u{7}click"}),
        )
    });
    refreshable(&sb, &format!("{}/token", m.url()));
    let r = sb.run(&["token", "gitlab.example.com"], None);
    r.code(4);
    assert!(!r.stderr.contains('\u{1b}') && r.stderr.contains("gone]8;;file:///etc/passwdclick"), "{:?}", r.stderr);
}

// 4. A newline in a token or user name never reaches git's protocol or `token`'s output.
#[test]
fn newlines_from_servers_are_never_replayed() {
    let sb = Sandbox::new();
    let m = Mock::start(|_| {
        Resp::json(
            200,
            json!({"access_token": "gloas-new\nquit=1\nhost=github.com", "token_type": "Bearer", "expires_in": 7200}),
        )
    });
    refreshable(&sb, &format!("{}/token", m.url()));
    let r = sb.run(&["token", "gitlab.example.com"], None);
    r.code(6);
    assert_eq!(r.stdout, "", "no token printed");
    assert_eq!(store(&sb)["credentials"]["gitlab.example.com"]["token"], "gloas-old-0123456789", "nothing stored");
    let r = sb.run(&["git-credential", "get"], Some("protocol=https\nhost=gitlab.example.com\n\n"));
    r.code(0);
    assert!(!r.stdout.contains("quit=1") && !r.stdout.contains("github.com"), "{}", r.stdout);
    // A user name with a newline: stored without it, and git sees one line per attribute.
    let m = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/user" => Resp::json(200, json!({"id": 1, "login": "octocat\nquit=1\nhost=github.com"})),
        _ => Resp::text(404, "no"),
    });
    sb.run(&["login", &m.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let req = format!("protocol=http\nhost={}\n\n", m.key());
    let r = sb.run(&["git-credential", "get"], Some(&req));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    assert!(!lines.iter().any(|l| *l == "quit=1" || *l == "host=github.com"), "{}", r.stdout);
}

// 5 and 19. The store is opened once and checked on the descriptor; a FIFO or a device hangs
// nothing.
#[test]
fn fifos_and_devices_are_refused_without_hanging() {
    let Some(mkfifo) = peers::require("mkfifo", "makes a FIFO where a file should be") else { return };
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(Command::new(&mkfifo).arg(sb.store_path()).status().unwrap().success());
    let started = Instant::now();
    let r = sb.run(&["status"], None);
    r.code(7);
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    sb.run(&["token", "github.com"], None).code(7);
    std::fs::remove_file(sb.store_path()).unwrap();
    // `!include /dev/zero` in nix.conf: a problem, not an endless read.
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    std::fs::write(sb.nix_conf(), "!include /dev/zero\n").unwrap();
    let started = Instant::now();
    let r = sb.run(&["status"], None);
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert!(r.stderr.contains("/dev/zero"), "{}", r.stderr);
}

// 6. Masks show a known vendor prefix and the last four, and nothing of short secrets or passwords.
#[test]
fn masks_reveal_nothing_but_a_vendor_prefix_and_four_characters() {
    let sb = Sandbox::new();
    let short = "abcdefghijk-lmno";
    let f = Forge::start(Kind::Gitea, &[short, "abcdefghijk-lmnopqrstuvw"]);
    gitea_login(&sb, &f, short).code(0);
    let r = sb.run(&["status", "--offline"], None);
    assert!(r.stdout.contains("token ****") && !r.stdout.contains("abcdefghijk"), "{}", r.stdout);
    sb.run(&["login", &f.mock.url(), "--with-token", "--force"], Some("abcdefghijk-lmnopqrstuvw")).code(0);
    let r = sb.run(&["status", "--offline"], None);
    assert!(r.stdout.contains("token …tuvw") && !r.stdout.contains("abcdefghijk"), "{}", r.stdout);
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"basic\"\nhosts = [\"svc.example.com\"]\n");
    let long = "Summer_Holidays1-and-more-words";
    sb.run(&["login", "svc.example.com", "--user", "ada", "--with-password"], Some(long)).code(0);
    let r = sb.run(&["status", "svc.example.com", "--offline"], None);
    assert!(!r.stdout.contains("Summer") && !r.stdout.contains("ords"), "{}", r.stdout);
}

// 7 and N3. Only https (or http to this machine) goes to the browser opener, and never in argv.
#[test]
fn n3_f7_the_opener_gets_no_url_in_argv_and_only_https_urls() {
    if !peers::terminal() {
        return;
    }
    for (uri, opened) in [("file:///etc/passwd", false), ("https://example.com/device", true)] {
        let mut sb = Sandbox::new();
        let bin = sb.dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let record = sb.dir.path().join("opened");
        // The opener records its argv, and what the page it was handed sends the browser to.
        let argv = sb.dir.path().join("argv");
        let opener = format!("#!/bin/sh\necho \"$@\" >> '{}'\ncat \"$1\" >> '{}'\n", argv.display(), record.display());
        std::fs::write(bin.join("xdg-open"), opener).unwrap();
        std::fs::set_permissions(bin.join("xdg-open"), std::fs::Permissions::from_mode(0o755)).unwrap();
        sb.set("PATH", &format!("{}:/usr/bin:/bin", bin.display()));
        sb.set("DISPLAY", ":0");
        let _ghe = crate::device::denying_ghe(&sb, "ABCD-1234", uri);
        let t = sb.pty("lanyard login ghe.example.com");
        let (code, screen) = t.finish();
        assert_eq!(code, 1, "denied: {screen}");
        std::thread::sleep(Duration::from_millis(300));
        let seen = std::fs::read_to_string(&record).unwrap_or_default();
        assert_eq!(seen.contains(uri), opened, "{uri}: opener saw {seen:?}; screen: {screen}");
        // N3: no URL in any argv — the opener gets a private page's path.
        let args = std::fs::read_to_string(&argv).unwrap_or_default();
        assert!(!args.contains("example.com") && !args.contains("file:"), "argv held the URL: {args}");
        assert_eq!(args.contains(".html"), opened, "{args}");
    }
}

// 8 and 17. Inherited helpers never store lanyard's token; logout leaves other tools' helpers.
#[test]
fn git_helpers_inherited_or_foreign_are_respected() {
    let Some(sb) = Sandbox::with_git() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &f, TOK).code(0);
    let base = f.mock.url();
    let key = format!("credential.{base}.helper");
    assert!(sb.git(&["config", "--global", "credential.helper", "store"], None).status.success());
    assert!(sb.git(&["config", "--global", "--add", &key, "!/usr/bin/gh auth git-credential"], None).status.success());
    sb.run(&["setup-git", &f.mock.key()], None).code(0);
    let ask = format!("protocol=http\nhost={}\n\n", f.mock.key());
    let filled = sb.git(&["credential", "fill"], Some(&ask));
    let filled = String::from_utf8_lossy(&filled.stdout).into_owned();
    assert!(filled.contains(&format!("password={TOK}")), "{filled}");
    sb.git(&["credential", "approve"], Some(&format!("{filled}\n")));
    let stored = std::fs::read_to_string(sb.home().join(".git-credentials")).unwrap_or_default();
    assert!(!stored.contains(TOK), "credential.helper=store copied lanyard's token: {stored}");
    sb.run(&["logout", &f.mock.key()], None).code(0);
    let left = sb.git(&["config", "--global", "--get-all", &key], None);
    let left = String::from_utf8_lossy(&left.stdout).into_owned();
    assert_eq!(left, "!/usr/bin/gh auth git-credential\n", "gh's helper, as it was before lanyard");
}

// 9. Secrets a server echoes back are removed from what lanyard prints, JSON included.
#[test]
fn echoed_secrets_are_removed_from_errors() {
    let sb = Sandbox::new();
    let m = Mock::start(|r: &Req| {
        let f: std::collections::HashMap<String, String> =
            url::form_urlencoded::parse(r.body.as_bytes()).into_owned().collect();
        let rt = f.get("refresh_token").cloned().unwrap_or_default();
        Resp::json(400, json!({"error": "invalid_grant", "error_description": format!("the grant {rt} is revoked")}))
    });
    refreshable(&sb, &format!("{}/token", m.url()));
    let r = sb.run(&["refresh", "gitlab.example.com", "--force"], None);
    r.code(4).lacks("glrt-refresh-0123456789");
    // A 5xx page quoting the password of a basic-auth check, short enough to pass the
    // token-like-words rule: removed literally.
    let pw = "pw is: hunter2!";
    let svc = Mock::start(|r: &Req| {
        let a = r.header("authorization").unwrap_or_default().to_string();
        Resp::text(500, &format!("<h1>boom</h1> you sent {a} / {}", "pw is: hunter2!"))
    });
    sb.provider(
        "svc",
        &format!(
            "id = \"svc\"\nname = \"Svc\"\nfamily = \"basic\"\nhosts = [\"{}\"]\nvalidate_url = \"{}/check\"\n",
            svc.key(),
            svc.url()
        ),
    );
    let r = sb.run(&["login", &svc.url(), "--user", "ada", "--with-password"], Some(pw));
    r.code(6).lacks("hunter2");
    // duh's `detail` quoting the password.
    let echo = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/auth/status" => Resp::json(200, json!({"auth_required": true})),
        "/api/auth/login" => {
            let b: Value = serde_json::from_str(&r.body).unwrap_or_default();
            Resp::json(401, json!({"detail": format!("bad password {}", b["password"].as_str().unwrap_or(""))}))
        }
        _ => Resp::text(404, "no"),
    });
    let r =
        sb.run(&["login", &echo.url(), "--provider", "duh", "--user", "a@b", "--with-password"], Some("s3cret pw!"));
    r.code(4).lacks("s3cret pw!");
    // `status --json` of a stored credential whose server quotes it in a 500 page.
    let quoting = Mock::start(|r: &Req| {
        let a = r.header("authorization").unwrap_or_default().to_string();
        Resp::text(500, &format!("oops {a}"))
    });
    sb.run(&["login", &quoting.url(), "--provider", "token", "--with-token"], Some("short-tok!")).code(0);
    sb.provider(
        "q",
        &format!(
            "id = \"q\"\nname = \"Q\"\nfamily = \"token\"\nhosts = [\"{}\"]\nvalidate_url = \"{}/check\"\n",
            quoting.key(),
            quoting.url()
        ),
    );
    let mut data = store(&sb);
    data["credentials"][quoting.key()]["provider"] = json!("q");
    sb.write_store_view(&data);
    let r = sb.run(&["status", &quoting.key(), "--json"], None);
    r.code(6).lacks("short-tok!");
}

// 10. A logout racing a refresh leaves no token behind in a sink.
#[test]
fn logout_racing_a_refresh_leaves_no_token_in_nix() {
    let sb = Sandbox::new();
    let m = Mock::start(|_| {
        std::thread::sleep(Duration::from_millis(1500));
        Resp::json(
            200,
            json!({"access_token": "gloas-minted-during-logout", "token_type": "Bearer", "expires_in": 7200}),
        )
    });
    refreshable(&sb, &format!("{}/token", m.url()));
    let mut refresh = sb.cmd();
    refresh.args(["token", "gitlab.example.com"]).stdout(Stdio::null()).stderr(Stdio::null());
    let mut refresh = refresh.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    sb.run(&["logout", "gitlab.example.com"], None).code(0);
    let _ = refresh.wait();
    let tokens = std::fs::read_to_string(sb.tokens_conf()).unwrap_or_default();
    assert!(!tokens.contains("gloas-"), "a token outlived the logout: {tokens}");
    assert!(store(&sb)["credentials"].get("gitlab.example.com").is_none());
}

// 11. A huge `expires_in` is "unknown", after the rotated refresh token is stored.
#[test]
fn a_huge_expires_in_never_panics() {
    let sb = Sandbox::new();
    let m = Mock::start(|_| {
        Resp::json(
            200,
            json!({"access_token": "gloas-new-0123456789", "refresh_token": "glrt-rotated-0123456789", "expires_in": 9_223_372_036_854_775_807i64}),
        )
    });
    refreshable(&sb, &format!("{}/token", m.url()));
    let r = sb.run(&["token", "gitlab.example.com"], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), "gloas-new-0123456789");
    assert_eq!(store(&sb)["credentials"]["gitlab.example.com"]["refresh_token"], "glrt-rotated-0123456789");
}

// 12. Relative paths are made absolute when parsed.
#[test]
fn relative_paths_are_made_absolute() {
    let Some(sb) = Sandbox::with_git() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let r = sb
        .run(&["--config-dir", "rel-config", "login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK));
    r.code(0);
    sb.run(&["--config-dir", "rel-config", "setup-git", &f.mock.key()], None).code(0);
    let line = sb.git(&["config", "--global", "--get-all", &format!("credential.{}.helper", f.mock.url())], None);
    let line = String::from_utf8_lossy(&line.stdout).into_owned();
    let abs = sb.dir.path().join("rel-config");
    assert!(line.contains(&format!("--config-dir '{}'", abs.display())), "{line}");
    // From another directory, the helper still answers.
    let other = sb.dir.path().join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    let mut c = sb.cmd();
    c.current_dir(&other).args(["--config-dir", abs.to_str().unwrap(), "token", &f.mock.key()]);
    assert_eq!(String::from_utf8_lossy(&c.output().unwrap().stdout).trim(), TOK);
}

// 13. Logout deletes the leftovers that hold the token; a failed store write takes the token
// back out of the sinks.
#[test]
fn logout_removes_leftovers_and_a_failed_store_write_rolls_back() {
    let sb = Sandbox::new();
    let (m, _) = duumbi_mock(false);
    let url = m.url();
    let login = |force: bool| {
        let mut args = vec!["login", url.as_str(), "--provider", "duumbi", "--name", "mine", "--with-token"];
        if force {
            args.push("--force");
        }
        sb.run(&args, Some(DUU))
    };
    login(false).code(0);
    login(true).code(0);
    let dir = sb.home().join(".duumbi");
    let stale = dir.join(".credentials.toml.lanyard-tmp-424242");
    std::fs::write(&stale, format!("[registries.mine]\ntoken = \"{DUU}\"\n")).unwrap();
    let backups = || {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("lanyard-backup"))
            .count()
    };
    assert!(backups() >= 1, "the second login backed the file up");
    let r = sb.run(&["logout", &m.key()], None);
    r.code(0);
    assert!(!stale.exists(), "{}", r.stderr);
    assert_eq!(backups(), 0, "backups holding the token survive: {}", r.stderr);
    assert!(r.stderr.contains("Deleted"), "{}", r.stderr);
    // The store cannot be written (read-only): the token leaves duumbi's file again.
    login(false).code(0);
    sb.run(&["logout", &m.key()], None).code(0);
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o400)).unwrap();
    let r = login(false);
    r.code(7);
    let file = std::fs::read_to_string(dir.join("credentials.toml")).unwrap_or_default();
    assert!(!file.contains(DUU), "an untracked token was left: {file}");
}

// 14. A Nix include inside a git work tree (a dotfiles repository) is warned about.
#[test]
fn a_nix_include_inside_a_git_work_tree_is_warned_about() {
    let sb = Sandbox::new();
    let dotfiles = sb.home().join("dotfiles");
    std::fs::create_dir_all(dotfiles.join(".git")).unwrap();
    std::fs::create_dir_all(dotfiles.join("nix")).unwrap();
    std::fs::create_dir_all(sb.home().join(".config")).unwrap();
    std::os::unix::fs::symlink(dotfiles.join("nix"), sb.home().join(".config/nix")).unwrap();
    let tok = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let f = Forge::start(Kind::Github, &[tok]);
    sb.github_at(&f.mock.url());
    let r = sb.run(&["login", "github", "--with-token"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("git work tree") && r.stderr.contains(".gitignore"), "{}", r.stderr);
}

// 15. git-credential matches the host exactly.
#[test]
fn git_credential_answers_only_the_exact_host() {
    let sb = Sandbox::new();
    let f = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &f, TOK).code(0);
    for host in [
        format!("{}%2F.evil.example", f.mock.key()),
        format!("{}/.evil.example", f.mock.key()),
        format!("{}\t", f.mock.key()),
    ] {
        let r = sb.run(&["git-credential", "get"], Some(&format!("protocol=http\nhost={host}\n\n")));
        r.code(0).lacks(TOK);
        assert_eq!(r.stdout, "", "{host:?}");
    }
    let r = sb.run(&["git-credential", "get"], Some(&format!("protocol=http\nhost={}\n\n", f.mock.key())));
    assert!(r.stdout.contains(TOK));
}

// 16. A duumbi registry name taken from the current directory is named.
#[test]
fn a_duumbi_name_from_the_current_directory_is_named() {
    let sb = Sandbox::new();
    let (m, _) = duumbi_mock(false);
    std::fs::create_dir_all(sb.dir.path().join(".duumbi")).unwrap();
    std::fs::write(sb.dir.path().join(".duumbi/config.toml"), format!("[registries]\nduumbi = \"{}\"\n", m.url()))
        .unwrap();
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--with-token"], Some(DUU));
    r.code(0);
    assert!(r.stderr.contains("comes from ./.duumbi/config.toml"), "{}", r.stderr);
}

// 18. A host repeated in one `access-tokens` line: the first value, as Nix reads it.
#[test]
fn a_repeated_host_in_one_line_is_read_as_nix_reads_it() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    std::fs::write(
        sb.nix_conf(),
        "access-tokens = github.com=ghp_first000000000000000000000001 github.com=ghp_second00000000000000000000002\n",
    )
    .unwrap();
    let text = sb.run(&["status"], None).stdout;
    assert!(text.contains("ghp_…0001") && !text.contains("ghp_…0002"), "{text}");
    if let Some(t) = crate::nix::nix_tokens(&sb) {
        assert_eq!(t["github.com"], "ghp_first000000000000000000000001", "what Nix itself reads");
    }
}

// 20. A file without a write bit is never replaced, even by root.
#[test]
fn read_only_files_are_never_replaced() {
    let sb = Sandbox::new();
    let tok = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let f = Forge::start(Kind::Github, &[tok]);
    sb.github_at(&f.mock.url());
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    std::fs::write(sb.nix_conf(), "experimental-features = nix-command\n").unwrap();
    std::fs::set_permissions(sb.nix_conf(), std::fs::Permissions::from_mode(0o444)).unwrap();
    sb.run(&["login", "github", "--with-token"], Some(tok)).code(0);
    assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), "experimental-features = nix-command\n");
    assert_eq!(std::fs::metadata(sb.nix_conf()).unwrap().permissions().mode() & 0o777, 0o444);
    let (m, _) = duumbi_mock(false);
    let file = sb.home().join(".duumbi/credentials.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "MINIMAX_API_KEY = \"k\"\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "mine", "--with-token"], Some(DUU));
    r.code(7);
    assert!(r.stderr.contains("read-only"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "MINIMAX_API_KEY = \"k\"\n");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o400);
}

// 22. Durations out of range are a usage error.
#[test]
fn durations_out_of_range_are_exit_2() {
    let sb = Sandbox::new();
    for args in [
        &["token", "github.com", "--min-valid", "9223372036854775807d"][..],
        &["status", "--warn-within", "99999999999999999999"],
        &["refresh", "--all", "--min-valid", "106751991167301d"],
    ] {
        let r = sb.run(args, None);
        r.code(2);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

// 23. A huge git-credential input is cut, not read into memory.
#[test]
fn a_huge_git_credential_line_keeps_memory_small() {
    let Some(time) = peers::require("time", "GNU time measures peak memory")
        .or_else(|| std::path::Path::new("/usr/bin/time").exists().then(|| "/usr/bin/time".into()))
    else {
        return;
    };
    let sb = Sandbox::new();
    let mut c = Command::new(time);
    c.env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone()))).current_dir(sb.dir.path());
    c.args(["-f", "maxrss=%M"]).arg(crate::support::lanyard_bin()).args(["git-credential", "get"]);
    c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(b"protocol=https\nhost=");
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    // F23: input past the cap is not answered at all.
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    let kb: u64 = err.lines().find_map(|l| l.strip_prefix("maxrss=")).and_then(|v| v.trim().parse().ok()).unwrap();
    assert!(kb < 64 * 1024, "peak RSS {kb} KiB for a 200 MiB line");
}

// ---------------------------------------------------------------------------------------------
// Round 3 (issue 22, findings N1–N24 of the 2026-12-07 report): each test reproduces the attack
// through the binary and failed against 8a80b28.

/// A Gitea-like server whose `/api/v1/user` names the user `login` (a hostile server chooses it).
fn gitea_naming(login: &str) -> Mock {
    let login = login.to_string();
    Mock::start(move |req: &Req| match req.path.as_str() {
        "/api/v1/user" => Resp::json(200, json!({"id": 1, "login": login})),
        _ => Resp::json(404, json!({})),
    })
}

/// Runs lanyard with a limit: (exit code, stdout, stderr, time taken); killed at the limit.
fn run_within(sb: &Sandbox, args: &[&str], stdin: Option<&str>, limit: Duration) -> (i32, String, String, Duration) {
    let mut c = sb.cmd();
    c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = c.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        let _ = input.write_all(s.as_bytes());
    }
    drop(input);
    while started.elapsed() < limit && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into(), started.elapsed())
}

fn bao(addr: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut c = Command::new("bao");
    c.args(args).env("BAO_ADDR", addr).env("BAO_TOKEN", "root").stdin(Stdio::piped()).stdout(Stdio::piped());
    c.stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// N1 (High): a user name a server reports never leaves `PATH/credentials/HOST/` in Vault: the
/// traversal names are refused (exit 6, nothing stored), the machine's Vault token survives, the
/// server stays unsealed, nothing lands under another host; a legal name with URL-special
/// characters goes there as one segment and reads back on another machine.
#[test]
fn n1_server_user_names_never_leave_the_credentials_path_in_vault() {
    let Some(b) = crate::vault::Bao::dev() else { return };
    let a = crate::vault::machine(&b.addr, "root", "team");
    for name in [
        "../../../../../auth/token/revoke-self",
        "../../../../../sys/seal",
        "../127.0.0.1:1/aaa-planted",
        "team/alice",
        "..",
        "--config-dir=/elsewhere/cfg",
    ] {
        let m = gitea_naming(name);
        let r = a.run(&["login", &m.url(), "--provider", "gitea", "--with-token"], Some(TOK));
        r.code(6).lacks(TOK);
        assert!(r.stderr.contains("`login`") && r.stderr.contains("cannot be an account name"), "{name}: {}", r.stderr);
    }
    let status = bao(&b.addr, &["status", "-format=json"], None);
    let s: Value = serde_json::from_slice(&status.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&status.stderr)));
    assert_eq!(s["sealed"], false, "OpenBao was not sealed: {s}");
    assert!(bao(&b.addr, &["token", "lookup"], None).status.success(), "the Vault token was not revoked");
    let listed = bao(&b.addr, &["kv", "list", "secret/team/credentials"], None);
    assert!(!listed.status.success() || String::from_utf8_lossy(&listed.stdout).trim().is_empty(), "nothing stored");
    // A legal name with `?`, `#` and `%`: one segment, read back by another machine.
    let m = gitea_naming("a?b#c%2e.");
    a.run(&["login", &m.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let accounts = bao(&b.addr, &["kv", "list", "-format=json", &format!("secret/team/credentials/{}", m.key())], None);
    let keys: Value = serde_json::from_slice(&accounts.stdout).unwrap();
    assert_eq!(keys, json!(["a?b#c%2e."]), "one entry, named exactly");
    let other = crate::vault::machine(&b.addr, "root", "team");
    let r = other.run(&["token", &format!("a?b#c%2e.@{}", m.key())], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), TOK);
}

/// N2 and N18: names that cannot be accounts are refused where they enter (a server's answer:
/// exit 6; `--user`: exit 2), a format-1 record with an empty user migrates as `default`, and a
/// store that already holds a bad name loads: that entry is reported and kept, the others work.
#[test]
fn n2_n18_bad_account_names_are_refused_and_a_bad_stored_entry_breaks_nothing() {
    let sb = Sandbox::new();
    for name in ["", "\u{1b}\u{7}\r", "\u{202e}\u{2066}", "-q", "--help"] {
        let m = gitea_naming(name);
        let r = sb.run(&["login", &m.url(), "--provider", "gitea", "--with-token"], Some(TOK));
        r.code(6);
        assert!(!r.all().contains('\u{1b}') && !r.all().contains('\u{202e}'), "{:?}", r.stderr);
    }
    assert!(!sb.store_path().exists() || store(&sb)["credentials"].as_object().unwrap().is_empty(), "nothing stored");
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"basic\"\nhosts = [\"svc.example.com\"]\n");
    let r = sb.run(&["login", "svc.example.com", "--user", "ada\nquit=1", "--with-password"], Some("pw-0123456789"));
    r.code(2);
    assert!(r.stderr.contains("control"), "{}", r.stderr);
    sb.run(&["login", "svc.example.com", "--user=-q", "--with-password"], Some("pw-0123456789")).code(2);
    // A store written by an older lanyard with a bad key beside a good one.
    let good = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &good, TOK).code(0);
    let raw = || -> Value { serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap() };
    let mut v = raw();
    let mut bad = v["credentials"].as_object().unwrap().values().next().unwrap().clone();
    bad["url"] = json!("http://127.0.0.1:1");
    bad["user"] = json!("");
    v["credentials"]["@127.0.0.1:1"] = bad;
    std::fs::write(sb.store_path(), serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.code(0);
    assert!(r.stderr.contains("@127.0.0.1:1") && r.stderr.contains("kept in the file"), "{}", r.stderr);
    let r = sb.run(&["token", &good.mock.key()], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), TOK);
    let ask = format!("protocol=http\nhost={}\n\n", good.mock.key());
    assert!(sb.run(&["git-credential", "get"], Some(&ask)).stdout.contains(TOK));
    // A write keeps the bad entry as it was (nothing lost).
    let other = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &other, TOK).code(0);
    assert!(raw()["credentials"].get("@127.0.0.1:1").is_some(), "the unusable entry is kept");
    sb.run(&["logout", "--all"], None).code(0);
    // Format 1 with an empty user: migrated as `default`, then every later run works.
    let sb = Sandbox::new();
    refreshable(&sb, "http://127.0.0.1:1/token");
    let mut v1: Value = serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap();
    v1["credentials"]["gitlab.example.com"]["user"] = json!("");
    v1["credentials"]["gitlab.example.com"]["expires_at"] = json!("2999-01-01T00:00:00Z");
    std::fs::write(sb.store_path(), v1.to_string()).unwrap();
    for _ in 0..2 {
        let r = sb.run(&["token", "gitlab.example.com"], None);
        r.code(0);
        assert_eq!(r.stdout.trim(), "gloas-old-0123456789");
    }
    let after: Value = serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap();
    assert!(after["credentials"].get("default@gitlab.example.com").is_some(), "{after}");
}

/// A shared, expired, refreshable credential written straight into Vault (as another machine
/// would), its token endpoint a mock that counts refresh grants. Returns (machine, endpoint).
fn shared_expired(b: &crate::vault::Bao) -> (Sandbox, Mock) {
    let endpoint = Mock::start(|req: &Req| match req.path.as_str() {
        "/token" => Resp::json(
            200,
            json!({"access_token": "at-new-0123456789abcdef", "refresh_token": "rt-new-0123456789abcdef",
                   "token_type": "bearer", "expires_in": 3600}),
        ),
        _ => Resp::json(404, json!({})),
    });
    let body = json!({"credential": {
        "url": "https://gitlab.example.com", "provider": "gitlab", "family": "gitlab", "user": "bot",
        "kind": "oauth", "token": "at-old-0123456789abcdef", "refresh_token": "rt-old-0123456789abcdef",
        "client_id": "app", "expires_at": "2020-01-01T00:00:00Z",
        "token_endpoint": format!("{}/token", endpoint.url()), "storage": "vault",
        "created_at": "2020-01-01T00:00:00Z"}});
    let out =
        bao(&b.addr, &["kv", "put", "secret/team/credentials/gitlab.example.com/bot", "-"], Some(&body.to_string()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (crate::vault::machine(&b.addr, "root", "team"), endpoint)
}

/// N5: a lease dated 9999 (any Vault writer, or a clock far ahead) does not freeze `token`: a
/// deadline beyond the lease length + 30 s counts as expired, and `status` shows no holder.
#[test]
fn n5_a_lease_dated_far_ahead_counts_as_expired() {
    let Some(b) = crate::vault::Bao::dev() else { return };
    let (m, endpoint) = shared_expired(&b);
    let lease = json!({"holder": "ci-runner-7", "deadline": "9999-01-01T00:00:00Z"}).to_string();
    assert!(
        bao(&b.addr, &["kv", "put", "secret/team/leases/gitlab.example.com/bot", "-"], Some(&lease)).status.success()
    );
    let st = m.run(&["status", "--offline"], None);
    assert!(!st.stdout.contains("being refreshed"), "{}", st.stdout);
    let (code, out, err, took) = run_within(&m, &["token", "gitlab.example.com"], None, Duration::from_secs(30));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "at-new-0123456789abcdef");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(endpoint.hits("/token"), 1);
}

/// N19: a holder that sent the refresh token and stalled (SIGSTOP, a suspended laptop) left a
/// lease that says so; the machine taking it over never sends that refresh token again — it asks
/// for a login (exit 4 naming the holder) until the holder's write appears, then uses it.
#[test]
fn n19_a_spent_refresh_token_is_never_sent_again() {
    let Some(b) = crate::vault::Bao::dev() else { return };
    let (m, endpoint) = shared_expired(&b);
    let past = |s: i64| (chrono::Utc::now() - chrono::Duration::seconds(s)).to_rfc3339();
    let lease = json!({"holder": "laptop/42/0", "deadline": past(1), "spent": past(40), "credential_version": 1});
    let put = bao(&b.addr, &["kv", "put", "secret/team/leases/gitlab.example.com/bot", "-"], Some(&lease.to_string()));
    assert!(put.status.success());
    let (code, _, err, _) = run_within(&m, &["token", "gitlab.example.com"], None, Duration::from_secs(30));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("laptop/42/0") && err.contains("lanyard login gitlab.example.com"), "{err}");
    assert_eq!(endpoint.hits("/token"), 0, "the spent refresh token was not sent again");
    // The stalled holder wakes up and writes its answer: that is what everyone uses.
    let fresh = json!({"credential": {
        "url": "https://gitlab.example.com", "provider": "gitlab", "family": "gitlab", "user": "bot",
        "kind": "oauth", "token": "at-holder-0123456789abcdef", "refresh_token": "rt-holder-0123456789",
        "client_id": "app", "expires_at": "2999-01-01T00:00:00Z", "token_endpoint": format!("{}/token", endpoint.url()),
        "storage": "vault", "created_at": "2020-01-01T00:00:00Z"}});
    let put =
        bao(&b.addr, &["kv", "put", "secret/team/credentials/gitlab.example.com/bot", "-"], Some(&fresh.to_string()));
    assert!(put.status.success());
    let (code, out, err, _) = run_within(&m, &["token", "gitlab.example.com"], None, Duration::from_secs(30));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "at-holder-0123456789abcdef");
    assert_eq!(endpoint.hits("/token"), 0);
}

/// N14 and N15: one malformed shared entry is reported and skipped on every machine; a shared
/// entry with the id of this machine's own credential never shadows or deletes it.
#[test]
fn n14_n15_bad_or_clashing_shared_entries_break_nothing_and_lose_nothing() {
    let Some(b) = crate::vault::Bao::dev() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    // This machine's own credential, stored in its file.
    let m = crate::vault::machine(&b.addr, "root", "team");
    std::fs::write(m.config_dir().join("config.toml"), "storage = \"file\"\n").unwrap();
    gitea_login(&m, &f, TOK).code(0);
    let config = format!("storage = \"vault\"\n\n[vault]\naddress = \"{}\"\npath = \"team\"\n", b.addr);
    std::fs::write(m.config_dir().join("config.toml"), config).unwrap();
    let junk = json!({"credential": {"url": 1}}).to_string();
    assert!(bao(&b.addr, &["kv", "put", "secret/team/credentials/junk.example/x", "-"], Some(&junk)).status.success());
    let clash = json!({"credential": {
        "url": f.mock.url(), "provider": "gitea", "family": "gitea", "user": "gitea-user", "kind": "pat",
        "token": "tok-from-vault-0123456789", "storage": "vault", "created_at": "2020-01-01T00:00:00Z"}});
    let path = format!("secret/team/credentials/{}/gitea-user", f.mock.key());
    assert!(bao(&b.addr, &["kv", "put", &path, "-"], Some(&clash.to_string())).status.success());
    let r = m.run(&["status", "--offline"], None);
    r.code(0);
    assert!(r.stderr.contains("x@junk.example") && r.stderr.contains("ignored"), "{}", r.stderr);
    assert!(r.stderr.contains("this machine uses its own"), "{}", r.stderr);
    let r = m.run(&["token", &f.mock.key()], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), TOK, "the local credential wins here");
    // A write on this machine keeps the local secret.
    let other = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&m, &other, TOK).code(0);
    let r = m.run(&["token", &f.mock.key()], None);
    assert_eq!(r.stdout.trim(), TOK);
}

/// N21: the Vault token never follows a redirect to another host (a squatter on another
/// loopback name); N16: a `~/.vault-token` others can read is repaired, and a token file another
/// user owns is refused.
#[test]
fn n16_n21_the_vault_token_goes_nowhere_else_and_its_file_is_checked() {
    let thief = Mock::start(|_| Resp::json(200, json!({"data": {"keys": []}})));
    let to = format!("http://localhost:{}/v1/secret/metadata/team/credentials/?list=true", thief.port);
    let vault = Mock::start(move |_| Resp::json(307, json!({})).with("Location", &to));
    let m = crate::vault::machine(&vault.url(), "hvs.machine-token-0123456789", "team");
    let r = m.run(&["status", "--offline"], None);
    r.code(7).lacks("hvs.machine-token");
    assert!(r.stderr.contains("does not follow"), "{}", r.stderr);
    assert_eq!(thief.requests.lock().unwrap().len(), 0, "the token never reached another host");
    // ~/.vault-token readable by others: used after it is made 0600, with a warning.
    let mut m = crate::vault::machine(&vault.url(), "unused", "team");
    m.vars.retain(|(k, _)| k != "VAULT_TOKEN");
    let file = m.home().join(".vault-token");
    std::fs::write(&file, "hvs.file-token-0123456789\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = m.run(&["status", "--offline"], None);
    assert!(r.stderr.contains(".vault-token") && r.stderr.contains("readable by others"), "{}", r.stderr);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    if !root_or_skip("a token file owned by another user") {
        return;
    }
    std::fs::remove_file(&file).unwrap();
    let planted = m.dir.path().join("planted-token");
    std::fs::write(&planted, "hvs.ATTACKER-PLANTED-TOKEN").unwrap();
    std::os::unix::fs::chown(&planted, Some(NOBODY), Some(NOBODY)).unwrap();
    let config = format!(
        "storage = \"vault\"\n[vault]\naddress = \"{}\"\ntoken_file = \"{}\"\n",
        vault.url(),
        planted.display()
    );
    std::fs::write(m.config_dir().join("config.toml"), config).unwrap();
    let before = vault.requests.lock().unwrap().len();
    let r = m.run(&["status", "--offline"], None);
    r.code(7);
    assert!(r.stderr.contains("planted-token") && r.stderr.contains("not to you"), "{}", r.stderr);
    assert_eq!(vault.requests.lock().unwrap().len(), before, "nothing was sent with it");
}

/// N24 (and SPEC §15): `logout --all` off a terminal removes this machine's view only; the team's
/// shared credentials stay in Vault until `--shared` says otherwise.
#[test]
fn n24_logout_all_keeps_the_teams_shared_credentials_unless_told() {
    let Some(b) = crate::vault::Bao::dev() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let a = crate::vault::machine(&b.addr, "root", "team");
    let other = crate::vault::machine(&b.addr, "root", "team");
    gitea_login(&a, &f, TOK).code(0);
    let r = a.run(&["logout", "--all"], None);
    r.code(0);
    assert!(r.stderr.contains("stays in shared (vault") && r.stderr.contains("--shared"), "{}", r.stderr);
    other.run(&["token", &f.mock.key()], None).code(0);
    let r = a.run(&["logout", "--all", "--shared"], None);
    r.code(0);
    assert!(r.stderr.contains("every machine sharing it has lost it"), "{}", r.stderr);
    other.run(&["token", &f.mock.key()], None).code(3);
}

/// N4: `providers/` is inside the trust chain (a 0777 one in a private config dir is refused
/// before any request), and a provider file is checked on the descriptor it is read from: a
/// symlink to another user's file — what a swap race would leave — is refused, a dangling one
/// reads as no file.
#[test]
fn n4_providers_dir_and_symlinked_provider_files_are_checked_where_read() {
    let sb = Sandbox::new();
    let f = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &f, TOK).code(0);
    let attacker = Mock::start(|_| Resp::json(200, json!({"id": 1, "login": "attacker"})));
    let providers = sb.config_dir().join("providers");
    std::fs::create_dir_all(&providers).unwrap();
    std::fs::set_permissions(&providers, std::fs::Permissions::from_mode(0o777)).unwrap();
    let r = sb.run(&["status", &f.mock.key()], None);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("providers") && r.stderr.contains("chmod o-w"), "{}", r.stderr);
    std::fs::set_permissions(&providers, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.toml", providers.join("zz.toml")).unwrap();
    sb.run(&["status", &f.mock.key()], None).code(0);
    if !root_or_skip("a provider file owned by another account") {
        return;
    }
    let evil = sb.dir.path().join("evil.toml");
    let planted = format!(
        "id = \"gitea\"\nname = \"x\"\nfamily = \"gitea\"\nhosts = [\"{}\"]\napi = \"{}/api/v1\"\n",
        f.mock.key(),
        attacker.url()
    );
    std::fs::write(&evil, planted).unwrap();
    std::os::unix::fs::chown(&evil, Some(NOBODY), Some(NOBODY)).unwrap();
    std::fs::remove_file(providers.join("zz.toml")).unwrap();
    std::os::unix::fs::symlink(&evil, providers.join("zz.toml")).unwrap();
    let r = sb.run(&["status", &f.mock.key()], None);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("not to you"), "{}", r.stderr);
    assert_eq!(attacker.hits("/api/v1/user"), 0, "the planted provider received no token");
}

/// N6 (and N3's listener half): another local user can neither stall the login's listener with
/// a connection that never finishes its head nor grow lanyard with an endless one; the real
/// redirect is answered at once beside them.
#[test]
fn n6_the_login_listener_is_neither_stalled_nor_grown_by_other_connections() {
    let Some(p) = crate::oidc::Provider::start_with(60, 120, &[("REGISTRATION", "1")]) else { return };
    let sb = Sandbox::new();
    let args = ["login", &p.issuer, "--provider", "oidc", "--web", "--no-browser"];
    let r = crate::flows::browser_login(&sb, &args, |url| {
        let redirect =
            url::Url::parse(url).unwrap().query_pairs().find(|(k, _)| k == "redirect_uri").unwrap().1.to_string();
        let port = url::Url::parse(&redirect).unwrap().port().unwrap();
        // A trickle: a byte a second, so no single read ever times out.
        let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        std::thread::spawn(move || {
            for _ in 0..30 {
                if slow.write_all(b"G").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        });
        // An endless head: past 8 KiB it is answered 431 and closed, never read on.
        let mut flood = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        flood.write_all(&vec![b'A'; 9 * 1024]).unwrap();
        let mut answer = String::new();
        flood.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
        let _ = std::io::Read::read_to_string(&mut flood, &mut answer);
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer:?}");
        // The browser's redirect is answered at once beside them.
        let started = Instant::now();
        crate::flows::person(url, "follow");
        assert!(started.elapsed() < Duration::from_secs(5), "the redirect waited {:?}", started.elapsed());
    });
    r.code(0);
}

/// N7: a billion-laughs `hosts.yml` (696 bytes) is refused at its first alias, quickly and small.
#[test]
fn n7_yaml_aliases_in_import_sources_are_refused() {
    let sb = Sandbox::new();
    let dir = sb.home().join(".config/gh");
    std::fs::create_dir_all(&dir).unwrap();
    let mut y = String::from("a0: &a0 [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for i in 1..12 {
        y.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(",")));
    }
    y.push_str("github.com:\n  user: octo\n  oauth_token: tok0123456789\n  extra: *a11\n");
    std::fs::write(dir.join("hosts.yml"), y).unwrap();
    let (code, out, err, took) = run_within(&sb, &["import", "gh", "--dry-run"], None, Duration::from_secs(20));
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(code == 0 || code == 3, "{code}: {out}{err}");
    assert!(err.contains("YAML alias"), "{err}");
}

/// N8: `gh auth token` leaving a child that holds its stdout does not hold the import: the
/// token gh printed is used, and gh's process group is gone.
#[test]
fn n8_gh_leaving_a_child_on_its_output_does_not_hold_import() {
    let mut sb = Sandbox::new();
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("gh"), "#!/bin/sh\n(sleep 300) &\necho gho_token0123456789\n").unwrap();
    std::fs::set_permissions(bin.join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    sb.set("PATH", &format!("{}:/usr/bin:/bin", bin.display()));
    let dir = sb.home().join(".config/gh");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hosts.yml"), "127.0.0.1:1:\n  user: octo\n").unwrap();
    let (_, out, err, took) = run_within(&sb, &["import", "gh", "--dry-run"], None, Duration::from_secs(60));
    assert!(took < Duration::from_secs(12), "took {took:?}: {out}{err}");
    assert!(!err.contains("did not answer"), "the printed token was read: {err}");
}

/// N9: fields of import sources (a netrc `login`, a `machine`) reach no terminal with their
/// escape sequences.
#[test]
fn n9_import_prints_no_escape_sequences_from_source_files() {
    let sb = Sandbox::new();
    std::fs::write(
        sb.home().join(".netrc"),
        "machine 127.0.0.1:9 login \"mal\u{1b}]52;c;ZXZpbA==\u{7}\r\u{1b}[2Klory\" password tok0123456789ab\nmachine bad\u{1b}[31mhost\u{202e} login x password tok0123456789cd\n",
    )
    .unwrap();
    std::fs::set_permissions(sb.home().join(".netrc"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let r = sb.run(&["import", "netrc", "--dry-run"], None);
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(!r.all().contains(bad), "{:?} in {:?}", bad, r.all());
    }
}

/// N10: CA files (`SSL_CERT_FILE`, `[vault] ca_file`) are read like every file that steers where
/// secrets go: a FIFO or a device is refused at once, never read forever.
#[test]
fn n10_ca_files_that_are_fifos_or_devices_are_refused_without_hanging() {
    let Some(mkfifo) = peers::require("mkfifo", "makes a FIFO where a CA file should be") else { return };
    let mut sb = Sandbox::new();
    let fifo = sb.dir.path().join("ca.fifo");
    assert!(Command::new(&mkfifo).arg(&fifo).status().unwrap().success());
    sb.set("SSL_CERT_FILE", &fifo.display().to_string());
    let args = ["login", "http://127.0.0.1:1", "--provider", "gitea", "--with-token"];
    let (code, _, err, took) = run_within(&sb, &args, Some(TOK), Duration::from_secs(20));
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    let m = crate::vault::machine("http://127.0.0.1:1", "root", "team");
    let config = "storage = \"vault\"\n[vault]\naddress = \"http://127.0.0.1:1\"\nca_file = \"/dev/zero\"\n";
    std::fs::write(m.config_dir().join("config.toml"), config).unwrap();
    let (code, _, err, took) = run_within(&m, &["status", "--offline"], None, Duration::from_secs(20));
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("/dev/zero"), "{err}");
}

/// N11: `logout --revoke` against a server that cannot be asked is exit 6 saying so (the
/// credential is removed all the same), never "offers no token revocation".
#[test]
fn n11_revoke_against_an_unreachable_server_is_exit_6() {
    let sb = Sandbox::new();
    let dead = crate::support::dead_port();
    let url = format!("http://127.0.0.1:{dead}");
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let data = json!({"version": 2, "credentials": {format!("alice@127.0.0.1:{dead}"): {
        "url": url, "provider": "oidc", "family": "oidc", "user": "alice", "kind": "oauth",
        "token": "at-0123456789abcdefghij", "refresh_token": "rt-0123456789abcdefghij", "issuer": url,
        "client_id": "cli", "token_endpoint": format!("{url}/token"), "storage": "file",
        "created_at": "2020-01-01T00:00:00Z"}}});
    std::fs::write(sb.store_path(), data.to_string()).unwrap();
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    let r = sb.run(&["logout", &format!("127.0.0.1:{dead}"), "--revoke", "--timeout", "3"], None);
    r.code(6);
    assert!(
        r.stderr.contains("could not be asked") && !r.stderr.contains("offers no token revocation"),
        "{}",
        r.stderr
    );
    sb.run(&["token", &format!("127.0.0.1:{dead}")], None).code(3);
}

/// N20: an authorization endpoint on plain http off this machine is refused before anything is
/// printed or opened, and so is a token endpoint that would be refused after the person
/// authorised.
#[test]
fn n20_a_remote_plain_http_authorization_endpoint_is_refused_first() {
    for (auth, token) in [("http://evil.example/authorize", "/token"), ("/authorize", "http://evil.example/token")] {
        let m = Mock::start({
            let (auth, token) = (auth.to_string(), token.to_string());
            move |req: &Req| {
                let base = format!("http://{}", req.header("host").unwrap_or_default());
                let abs = |p: &str| if p.starts_with("http") { p.to_string() } else { format!("{base}{p}") };
                match req.path.as_str() {
                    "/.well-known/oauth-authorization-server" | "/.well-known/openid-configuration" => Resp::json(
                        200,
                        json!({"issuer": base, "authorization_endpoint": abs(&auth), "token_endpoint": abs(&token),
                               "code_challenge_methods_supported": ["S256"]}),
                    ),
                    _ => Resp::json(404, json!({})),
                }
            }
        });
        let sb = Sandbox::new();
        let args = ["login", &m.url(), "--provider", "oidc", "--client-id", "cli", "--web", "--no-browser"];
        let (code, _, err, _) = run_within(&sb, &args, None, Duration::from_secs(20));
        assert_eq!(code, 2, "{err}");
        assert!(!err.contains("Open this URL"), "{err}");
        assert!(err.contains("evil.example") && (err.contains("refused") || err.contains("does not use it")), "{err}");
    }
}

/// An OpenID provider with two issuers (realms) on one host, each offering RFC 7591
/// registration and the device flow; every user is `alice`. Registrations are counted per realm.
fn two_realms() -> Mock {
    Mock::start(|req: &Req| {
        let base = format!("http://{}", req.header("host").unwrap_or_default());
        let path = req.path.split('?').next().unwrap_or_default().to_string();
        let Some(rest) = path.strip_prefix("/realms/") else { return Resp::json(404, json!({})) };
        let (realm, tail) = rest.split_once('/').unwrap_or((rest, ""));
        let iss = format!("{base}/realms/{realm}");
        match tail {
            ".well-known/openid-configuration" => Resp::json(
                200,
                json!({"issuer": iss, "token_endpoint": format!("{iss}/token"),
                       "device_authorization_endpoint": format!("{iss}/device"),
                       "registration_endpoint": format!("{iss}/register"), "userinfo_endpoint": format!("{iss}/me"),
                       "grant_types_supported": ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"]}),
            ),
            "register" => Resp::json(201, json!({"client_id": format!("client-of-{realm}")})),
            "device" => Resp::json(
                200,
                json!({"device_code": format!("dc-{realm}"), "user_code": "ABCD-EFGH",
                       "verification_uri": format!("{iss}/verify"), "expires_in": 600, "interval": 1}),
            ),
            "token" => Resp::json(
                200,
                json!({"access_token": format!("at-{realm}-0123456789abcdef"), "token_type": "bearer", "expires_in": 3600}),
            ),
            "me" => Resp::json(200, json!({"preferred_username": "alice", "sub": "1"})),
            _ => Resp::json(404, json!({})),
        }
    })
}

/// N12: registrations are per issuer (two realms on one host each get their own client), and
/// `alice` of realm b does not silently replace `alice` of realm a.
#[test]
fn n12_two_issuers_on_one_host_keep_their_clients_and_accounts_apart() {
    let m = two_realms();
    let sb = Sandbox::new();
    let realm = |r: &str| format!("{}/realms/{r}", m.url());
    sb.run(&["login", &realm("a"), "--provider", "oidc", "--device"], None).code(0);
    let r = sb.run(&["login", &realm("b"), "--provider", "oidc", "--device"], None);
    r.code(2);
    assert!(
        r.stderr.contains("/realms/a") && r.stderr.contains("/realms/b") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(m.hits("/realms/b/register"), 1, "realm b got its own registration");
    let device_b: Vec<String> =
        m.requests.lock().unwrap().iter().filter(|q| q.path == "/realms/b/device").map(|q| q.body.clone()).collect();
    assert!(device_b.iter().all(|b| b.contains("client_id=client-of-b")), "{device_b:?}");
    let r = sb.run(&["token", &m.key()], None);
    assert_eq!(r.stdout.trim(), "at-a-0123456789abcdef", "realm a's alice was not replaced");
    sb.run(&["login", &realm("b"), "--provider", "oidc", "--device", "--force"], None).code(0);
    assert_eq!(sb.run(&["token", &m.key()], None).stdout.trim(), "at-b-0123456789abcdef");
}

/// N13: what a format-1 migration leaves behind (its backup, with the secrets in clear) goes with
/// `logout --all`.
#[test]
fn n13_logout_removes_the_migration_backup_holding_the_token() {
    let sb = Sandbox::new();
    refreshable(&sb, "http://127.0.0.1:1/token");
    let mut v1: Value = serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap();
    v1["credentials"]["gitlab.example.com"]["expires_at"] = json!("2999-01-01T00:00:00Z");
    std::fs::write(sb.store_path(), v1.to_string()).unwrap();
    sb.run(&["token", "gitlab.example.com"], None).code(0);
    let backups = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(sb.config_dir())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains("lanyard-backup"))
            .collect()
    };
    assert_eq!(backups().len(), 1, "the migration kept a backup");
    let r = sb.run(&["logout", "--all"], None);
    r.code(0);
    assert_eq!(backups(), Vec::<std::path::PathBuf>::new(), "{}", r.stderr);
    assert!(r.stderr.contains("which held a removed secret"), "{}", r.stderr);
}

/// N17: two config dirs holding the same `account@host` in the keyring keep their own secrets.
#[test]
fn n17_keyring_items_of_two_config_dirs_are_kept_apart() {
    let mut sb = Sandbox::new();
    let Some(_ss) = crate::keyring::SecretService::start(&mut sb, true) else { return };
    let f = Forge::start(Kind::Gitea, &["tok-WORK-0123456789abc", "tok-HOME-0123456789abc"]);
    let other = sb.dir.path().join("other");
    let url = f.mock.url();
    let login = |extra: &[&str], tok: &str| {
        let mut args = extra.to_vec();
        args.extend(["login", &url, "--provider", "gitea", "--with-token", "--storage", "keyring"]);
        sb.run(&args, Some(tok))
    };
    login(&[], "tok-WORK-0123456789abc").code(0);
    let o = other.to_str().unwrap();
    login(&["--config-dir", o], "tok-HOME-0123456789abc").code(0);
    assert_eq!(sb.run(&["token", &f.mock.key()], None).stdout.trim(), "tok-WORK-0123456789abc");
    sb.run(&["--config-dir", o, "logout", &f.mock.key()], None).code(0);
    let r = sb.run(&["token", &f.mock.key()], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), "tok-WORK-0123456789abc", "the other dir's logout left this one's secret");
}

/// N22: a server's metadata cannot aim lanyard's requests (registration, userinfo) at another
/// service on this machine; N24: a registration that gives an empty client id is a malformed
/// answer; an OpenID document naming another issuer is said to be that, not a missing client id.
#[test]
fn n22_n24_metadata_and_registration_answers_are_checked() {
    let bystander = Mock::start(|_| Resp::json(201, json!({"client_id": "stolen"})));
    let elsewhere = bystander.url();
    let m = Mock::start(move |req: &Req| {
        let base = format!("http://{}", req.header("host").unwrap_or_default());
        match req.path.as_str() {
            "/.well-known/openid-configuration" => Resp::json(
                200,
                json!({"issuer": base, "token_endpoint": format!("{base}/token"),
                       "device_authorization_endpoint": format!("{base}/device"),
                       "registration_endpoint": format!("{elsewhere}/register"),
                       "userinfo_endpoint": format!("{elsewhere}/me")}),
            ),
            _ => Resp::json(404, json!({})),
        }
    });
    let sb = Sandbox::new();
    let r = sb.run(&["login", &m.url(), "--provider", "oidc"], None);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("another origin"), "{}", r.stderr);
    assert_eq!(bystander.requests.lock().unwrap().len(), 0, "nothing reached the other local service");
    // An empty client id from registration.
    let m = Mock::start(|req: &Req| {
        let base = format!("http://{}", req.header("host").unwrap_or_default());
        match req.path.as_str() {
            "/.well-known/openid-configuration" => Resp::json(
                200,
                json!({"issuer": base, "token_endpoint": format!("{base}/token"),
                       "device_authorization_endpoint": format!("{base}/device"), "registration_endpoint": format!("{base}/register")}),
            ),
            "/register" => Resp::json(201, json!({"client_id": ""})),
            _ => Resp::json(404, json!({})),
        }
    });
    let r = sb.run(&["login", &m.url(), "--provider", "oidc"], None);
    r.code(6);
    assert!(r.stderr.contains("unusable client id"), "{}", r.stderr);
    assert_eq!(m.hits("/device"), 0);
    // Another issuer in the document, with --client-id given.
    let m = Mock::start(|req: &Req| match req.path.as_str() {
        "/.well-known/openid-configuration" => Resp::json(
            200,
            json!({"issuer": "https://id.example.com", "token_endpoint": "https://id.example.com/token"}),
        ),
        _ => Resp::json(404, json!({})),
    });
    let r = sb.run(&["login", &m.url(), "--provider", "oidc", "--client-id", "cli"], None);
    r.code(2);
    assert!(
        r.stderr.contains("names another issuer") && !r.stderr.contains("needs an OAuth client id"),
        "{}",
        r.stderr
    );
}

/// N23: a look-alike (IDN) verification host is shown in punycode; a refresh error that echoes
/// the refresh token percent-encoded prints no part of it.
#[test]
fn n23_idn_hosts_and_encoded_echoes_are_not_shown_as_they_came() {
    let sb = Sandbox::new();
    let _ghe = crate::device::denying_ghe(&sb, "ABCD-1234", "https://g\u{456}thub.com/login/device");
    let r = sb.run(&["login", "ghe.example.com"], None);
    r.code(1);
    assert!(r.stderr.contains("https://xn--gthub-n2e.com/login/device"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{456}'), "{}", r.stderr);
    let rt = "rt/with+plus=and/slash0123";
    let echo =
        format!("refresh token {} is bad", url::form_urlencoded::byte_serialize(rt.as_bytes()).collect::<String>());
    let endpoint = Mock::start(move |_| Resp::json(400, json!({"error": "invalid_grant", "error_description": echo})));
    let sb = Sandbox::new();
    refreshable(&sb, &format!("{}/token", endpoint.url()));
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap();
    v["credentials"]["gitlab.example.com"]["refresh_token"] = json!(rt);
    std::fs::write(sb.store_path(), v.to_string()).unwrap();
    let r = sb.run(&["token", "gitlab.example.com"], None);
    r.code(4);
    assert!(!r.stderr.contains("rt%2Fwith") && r.stderr.contains("[secret]"), "{}", r.stderr);
}

/// F14 (variant): HOME itself is the dotfiles work tree and `~/.config/nix` does not exist yet.
#[test]
fn f14_a_home_that_is_a_work_tree_is_warned_about_before_the_include_exists() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home().join(".git")).unwrap();
    let tok = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let f = Forge::start(Kind::Github, &[tok]);
    sb.github_at(&f.mock.url());
    let _ = std::fs::remove_dir_all(sb.home().join(".config/nix"));
    let r = sb.run(&["login", "github", "--with-token"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("git work tree") && r.stderr.contains(".gitignore"), "{}", r.stderr);
}

/// F16 (variant): a duumbi registry name whose table holds another lanyard credential's token is
/// not overwritten without a yes or `--force`.
#[test]
fn f16_a_duumbi_name_held_by_another_lanyard_credential_is_not_overwritten() {
    let sb = Sandbox::new();
    let (a, _) = duumbi_mock(false);
    let (b, _) = duumbi_mock(false);
    sb.run(&["login", &a.url(), "--provider", "duumbi", "--name", "shared", "--with-token"], Some(DUU)).code(0);
    let r = sb.run(&["login", &b.url(), "--provider", "duumbi", "--name", "shared", "--with-token"], Some(DUU));
    r.code(2);
    assert!(r.stderr.contains("holds lanyard's credential") && r.stderr.contains(&a.key()), "{}", r.stderr);
    sb.run(&["login", &b.url(), "--provider", "duumbi", "--name", "shared", "--with-token", "--force"], Some(DUU))
        .code(0);
}

/// F23 (variant): `git-credential get` with an over-long or unterminated line gives no answer and
/// a non-zero exit, though the host is one lanyard serves.
#[test]
fn f23_git_input_past_the_cap_or_cut_short_gets_no_answer() {
    let sb = Sandbox::new();
    let f = Forge::start(Kind::Gitea, &[TOK]);
    gitea_login(&sb, &f, TOK).code(0);
    let long = format!("protocol=http\nhost={}\npath={}\n\n", f.mock.key(), "a".repeat(100 * 1024));
    let cut = format!("protocol=http\nhost={}", f.mock.key());
    for input in [long, cut] {
        let r = sb.run(&["git-credential", "get"], Some(&input));
        r.code(2).lacks(TOK);
        assert_eq!(r.stdout, "");
    }
}
