//! Several accounts per host (SPEC §8): adding, switching, picking one for one command, logging
//! one out, real Nix following `switch`, real git choosing by user name, and a first-round store
//! migrated on first use.

use std::os::unix::fs::PermissionsExt;

use serde_json::{Value, json};

use crate::forges::{Forge, Kind};
use crate::support::{Sandbox, printed_command};

const ALICE: &str = "tok-alice-0123456789abcdef";
const BOB: &str = "tok-bob-0123456789abcdef00";

fn two_users() -> Forge {
    Forge::with_users(Kind::Gitea, &[(ALICE, "alice"), (BOB, "bob")])
}

fn login(sb: &Sandbox, url: &str, token: &str) -> crate::support::Run {
    sb.run(&["login", url, "--provider", "gitea", "--with-token"], Some(token))
}

fn raw_store(sb: &Sandbox) -> Value {
    serde_json::from_str(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap()
}

#[test]
fn a_second_account_is_added_and_made_active_and_each_is_reachable() {
    let sb = Sandbox::new();
    let f = two_users();
    let (url, key) = (f.mock.url(), f.mock.key());
    login(&sb, &url, ALICE).code(0);
    // Another account: added beside the first, no --force needed; says how to switch back.
    let r = login(&sb, &url, BOB);
    r.code(0).lacks(BOB);
    assert!(r.stderr.contains("`bob` is now the active account"), "{}", r.stderr);
    let back = printed_command(&r.stderr.replace("; `alice` is kept:", "\n  hint:"), "lanyard switch");
    assert_eq!(back, format!("lanyard switch {key} alice"));
    let st = raw_store(&sb);
    assert_eq!(st["version"], 2);
    assert_eq!(st["active"][&key], "bob");
    assert!(
        st["credentials"][format!("alice@{key}")].is_object() && st["credentials"][format!("bob@{key}")].is_object()
    );

    // The active account answers by default; ACCOUNT@HOST picks another for one command.
    assert_eq!(sb.run(&["token", &key], None).stdout.trim(), BOB);
    assert_eq!(sb.run(&["token", &format!("alice@{key}")], None).stdout.trim(), ALICE);
    let missing = sb.run(&["token", &format!("carol@{key}")], None);
    missing.code(3);
    assert!(
        missing.stderr.contains("no account `carol`") && missing.stderr.contains("`alice`, `bob`"),
        "{}",
        missing.stderr
    );

    // status marks the active account; --json says it.
    let r = sb.run(&["status", "--offline"], None);
    r.code(0);
    assert!(r.stdout.contains("alice (inactive)") && r.stdout.contains("bob (active)"), "{}", r.stdout);
    let v: Value = serde_json::from_str(&sb.run(&["status", "--offline", "--json"], None).stdout).unwrap();
    let rows: Vec<(String, bool)> = v["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["account"].as_str().unwrap().to_string(), c["active"].as_bool().unwrap()))
        .collect();
    assert_eq!(rows, [("alice".to_string(), false), ("bob".to_string(), true)]);

    // The same account again off a terminal: replacing needs --force, and the printed command works.
    let r = login(&sb, &url, ALICE);
    r.code(2);
    assert!(r.stderr.contains(&format!("already logged in to {key} as alice")), "{}", r.stderr);
    let cmd = printed_command(&r.stderr, "lanyard login");
    let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
    assert!(args.contains(&"--force"), "{cmd}");
    let mut with_token = args.clone();
    with_token.push("--with-token");
    sb.run(&with_token, Some(ALICE)).code(0);
    assert_eq!(raw_store(&sb)["active"][&key], "alice", "a login makes its account active");

    // An inactive account that expired: `status` names it, and its fix logs that account in again.
    let mut st = raw_store(&sb);
    st["credentials"][format!("bob@{key}")]["expires_at"] = json!("2020-01-01T00:00:00Z");
    std::fs::write(sb.store_path(), st.to_string()).unwrap();
    sb.run(&["status", &key, "--offline"], None).code(0);
    let r = sb.run(&["status", &format!("bob@{key}"), "--offline"], None);
    r.code(4);
    let fix = printed_command(&r.stdout, "lanyard login");
    assert_eq!(fix, format!("lanyard login bob@{key}"));
    let mut args: Vec<&str> = fix.split_whitespace().skip(1).collect();
    args.extend(["--with-token", "--force"]);
    sb.run(&args, Some(BOB)).code(0);
    sb.run(&["status", &format!("bob@{key}"), "--offline"], None).code(0);
}

#[test]
fn exec_and_git_credential_answer_for_the_account_asked() {
    let sb = Sandbox::new();
    let f = two_users();
    let (url, key) = (f.mock.url(), f.mock.key());
    login(&sb, &url, ALICE).code(0);
    login(&sb, &url, BOB).code(0);
    let r = sb.run(
        &[
            "exec",
            "--env",
            &format!("A=alice@{key}"),
            "--env",
            &format!("D={key}"),
            "--",
            "/bin/sh",
            "-c",
            "echo $A $D",
        ],
        None,
    );
    r.code(0);
    assert_eq!(r.stdout.trim(), format!("{ALICE} {BOB}"));
    let ask = |user: Option<&str>| {
        let u = user.map(|u| format!("username={u}\n")).unwrap_or_default();
        sb.run(&["git-credential", "get"], Some(&format!("protocol=http\nhost={key}\n{u}\n"))).stdout
    };
    assert!(ask(None).contains(&format!("password={BOB}")), "no user name: the active account");
    assert!(ask(Some("alice")).contains(&format!("password={ALICE}\n")));
    assert!(ask(Some("alice")).contains("username=alice\n"));
    assert_eq!(ask(Some("carol")), "", "an account lanyard lacks: nothing, git asks its next helper");
}

#[test]
fn switch_and_logout_move_the_host_between_accounts() {
    let sb = Sandbox::new();
    let f = two_users();
    let (url, key) = (f.mock.url(), f.mock.key());
    let r = sb.run(&["switch", &key], None);
    r.code(3);
    login(&sb, &url, ALICE).code(0);
    let r = sb.run(&["switch", &key], None);
    r.code(0);
    assert!(r.stderr.contains("one account"), "{}", r.stderr);
    login(&sb, &url, BOB).code(0);
    // Two accounts: no ACCOUNT switches to the other.
    let r = sb.run(&["switch", &key], None);
    r.code(0);
    assert!(r.stderr.contains(&format!("{key} now uses `alice`")), "{}", r.stderr);
    assert_eq!(sb.run(&["token", &key], None).stdout.trim(), ALICE);
    sb.run(&["switch", &key, "bob"], None).code(0);
    sb.run(&["switch", &format!("alice@{key}")], None).code(0);
    assert_eq!(sb.run(&["token", &key], None).stdout.trim(), ALICE);
    let r = sb.run(&["switch", &key, "carol"], None);
    r.code(3);
    assert!(r.stderr.contains("`alice`, `bob`"), "{}", r.stderr);

    // logout HOST with two accounts off a terminal names them; the printed command works.
    let r = sb.run(&["logout", &key], None);
    r.code(2);
    let cmd = printed_command(&r.stderr, "lanyard logout");
    assert_eq!(cmd, format!("lanyard logout alice@{key}"));
    let r = sb.run(&cmd.split_whitespace().skip(1).collect::<Vec<_>>(), None);
    r.code(0);
    assert!(r.stderr.contains(&format!("{key} now uses `bob`")), "the other account took over: {}", r.stderr);
    assert_eq!(sb.run(&["token", &key], None).stdout.trim(), BOB);
    sb.run(&["token", &format!("alice@{key}")], None).code(3);
    // The last account: as with one account per host.
    sb.run(&["logout", &key], None).code(0);
    sb.run(&["token", &key], None).code(3);
    assert_eq!(raw_store(&sb)["credentials"], json!({}));
}

const GH1: &str = "ghp_octocat0123456789abcdefghijABCDE1";
const GH2: &str = "ghp_hubot00123456789abcdefghijABCDE2";

#[test]
fn real_nix_follows_switch_and_logout() {
    let sb = Sandbox::new();
    let gh = Forge::with_users(Kind::Github, &[(GH1, "octocat"), (GH2, "hubot")]);
    sb.github_at(&gh.mock.url());
    sb.run(&["login", "github", "--with-token"], Some(GH1)).code(0);
    sb.run(&["login", "github", "--with-token"], Some(GH2)).code(0);
    let Some(nix) = crate::nix::nix_tokens(&sb) else { return };
    assert_eq!(nix.get("github.com").map(String::as_str), Some(GH2), "the active account's token");
    let r = sb.run(&["switch", "github", "octocat"], None);
    r.code(0);
    assert!(r.stderr.contains("Nix now gets the token of `octocat`"), "{}", r.stderr);
    assert_eq!(crate::nix::nix_tokens(&sb).unwrap().get("github.com").map(String::as_str), Some(GH1));
    let r = sb.run(&["status", "github", "--offline"], None);
    r.code(0);
    assert!(!r.stdout.contains("problem"), "{}", r.stdout);
    // The inactive account goes without touching Nix; the active one hands Nix to the other.
    sb.run(&["logout", "hubot@github.com"], None).code(0);
    assert_eq!(crate::nix::nix_tokens(&sb).unwrap().get("github.com").map(String::as_str), Some(GH1));
    sb.run(&["login", "github", "--with-token"], Some(GH2)).code(0);
    sb.run(&["logout", "hubot@github.com"], None).code(0);
    assert_eq!(crate::nix::nix_tokens(&sb).unwrap().get("github.com").map(String::as_str), Some(GH1));
    sb.run(&["logout", "github"], None).code(0);
    assert_eq!(crate::nix::nix_tokens(&sb).unwrap().get("github.com"), None);
}

#[test]
fn real_git_picks_the_account_by_user_name() {
    let Some(mut sb) = Sandbox::with_git() else { return };
    let Some(server) = crate::git::start_for(&sb, "alice", "pw-alice-0123456789") else { return };
    sb.set("GIT_TERMINAL_PROMPT", "0");
    let base = format!("http://127.0.0.1:{}", server.port);
    for (user, pw) in [("alice", "pw-alice-0123456789"), ("bob", "pw-bob-0123456789")] {
        sb.run(&["login", &base, "--provider", "basic", "--user", user, "--with-password"], Some(pw)).code(0);
    }
    sb.run(&["setup-git", &base], None).code(0);
    let clone = |user: Option<&str>, dir: &str| {
        let url = match user {
            Some(u) => format!("http://{u}@127.0.0.1:{}/private.git", server.port),
            None => format!("{base}/private.git"),
        };
        sb.git(&["clone", "-q", &url, sb.dir.path().join(dir).to_str().unwrap()], None)
    };
    // bob is active; the server knows only alice.
    assert!(!clone(None, "c0").status.success(), "the active account (bob) is refused");
    let ok = clone(Some("alice"), "c1");
    assert!(ok.status.success(), "alice@ in the URL picks alice: {}", String::from_utf8_lossy(&ok.stderr));
    assert!(!clone(Some("carol"), "c2").status.success(), "an unknown account gets no answer");
    sb.run(&["switch", &base, "alice"], None).code(0);
    assert!(clone(None, "c3").status.success(), "after switch the active account is alice");
    // ACCOUNT@TARGET at login is the user name of a family that asks for one.
    sb.run(&["login", &format!("carol@{base}"), "--provider", "basic", "--with-password"], Some("pw-carol-0123456789"))
        .code(0);
    let key = base.trim_start_matches("http://");
    assert_eq!(sb.run(&["token", &format!("carol@{key}")], None).stdout.trim(), "pw-carol-0123456789");
}

/// A store as the first round wrote it: keyed by host, one credential each.
fn version_1(sb: &Sandbox) -> String {
    let tokens = sb.tokens_conf();
    std::fs::create_dir_all(tokens.parent().unwrap()).unwrap();
    std::fs::write(&tokens, format!("access-tokens = github.com={GH1}\n")).unwrap();
    std::fs::write(sb.nix_conf(), "!include access-tokens.conf\n").unwrap();
    let text = json!({"version": 1, "credentials": {
        "github.com": {"url": "https://github.com", "provider": "github", "family": "github", "user": "octocat",
            "kind": "pat", "token": GH1, "storage": "file", "scopes": ["repo"],
            "sinks": [format!("nix:{}", tokens.display())], "created_at": "2026-01-01T00:00:00Z"},
        "svc.example.com": {"url": "https://svc.example.com", "provider": "token", "family": "token",
            "kind": "pat", "token": "tok-svc-0123456789abcdef", "storage": "file",
            "expires_at": "2099-01-01T00:00:00Z", "created_at": "2026-01-01T00:00:00Z"}},
        "providers": {"github.com": "github", "svc.example.com": "token", "open.example.com": "duh"}});
    let text = serde_json::to_string_pretty(&text).unwrap() + "\n";
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(sb.store_path(), &text).unwrap();
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    text
}

#[test]
fn a_version_1_store_is_migrated_on_first_use_losslessly() {
    let sb = Sandbox::new();
    let v1 = version_1(&sb);
    let r = sb.run(&["status", "--offline"], None);
    r.code(0);
    assert!(r.stderr.contains("migrated") && r.stderr.contains("to format 2"), "{}", r.stderr);
    let backups: Vec<_> = std::fs::read_dir(sb.config_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("credentials.json.lanyard-backup-"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read_to_string(backups[0].path()).unwrap(), v1, "the backup is the old file, byte for byte");
    assert_eq!(backups[0].metadata().unwrap().permissions().mode() & 0o777, 0o600);
    let st = raw_store(&sb);
    assert_eq!(st["version"], 2);
    assert_eq!(st.get("active"), None, "one account per host: the active one is implied");
    assert!(st["credentials"]["default@svc.example.com"].is_object());
    let gh = &st["credentials"]["octocat@github.com"];
    assert_eq!((gh["token"].as_str(), gh["scopes"][0].as_str()), (Some(GH1), Some("repo")));
    assert_eq!(gh["sinks"].as_array().unwrap().len(), 1);
    assert_eq!(st["providers"]["open.example.com"], "duh");
    // Everything still works, and the second run migrates nothing.
    assert_eq!(sb.run(&["token", "svc.example.com"], None).stdout.trim(), "tok-svc-0123456789abcdef");
    let r = sb.run(&["status", "--offline"], None);
    assert!(!r.stderr.contains("migrated"), "{}", r.stderr);
    sb.run(&["logout", "github.com"], None).code(0);
    assert!(!std::fs::read_to_string(sb.tokens_conf()).unwrap().contains(GH1), "the migrated sink is still lanyard's");
}

#[test]
fn a_newer_store_is_refused_and_left_alone() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let text = r#"{"version": 3, "credentials": {}}"#;
    std::fs::write(sb.store_path(), text).unwrap();
    let r = sb.run(&["token", "github.com"], None);
    r.code(2);
    assert!(r.stderr.contains("format version 3") && r.stderr.contains("upgrade lanyard"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(sb.store_path()).unwrap(), text);
}
