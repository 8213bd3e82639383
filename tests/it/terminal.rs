//! The terminal (SPEC §7 layout, §11): menus, the QR code over SSH, the git offer, the progress
//! line and colour, run on a pseudo-terminal as a person would; and what lanyard says off one.

use std::time::Duration;

use serde_json::json;

use crate::forges::{Forge, Kind};
use crate::peers;
use crate::registries::{DUU, duumbi_mock};
use crate::support::{Mock, Req, Resp, Sandbox};

const TOK: &str = "tok-0123456789abcdef-term";

#[test]
fn login_without_a_target_offers_a_menu_and_off_a_terminal_lists_the_choices() {
    let sb = Sandbox::new();
    let r = sb.run(&["login"], None);
    r.code(2);
    assert!(r.stderr.contains("github, gitlab") && r.stderr.contains("`lanyard login github`"), "{}", r.stderr);
    if !peers::terminal() {
        return;
    }
    let tok = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let f = Forge::start(Kind::Github, &[tok]);
    sb.github_at(&f.mock.url());
    let mut t = sb.pty("lanyard login --no-nix");
    t.expect("Log in to");
    t.expect("another host or URL");
    t.send("\r");
    t.expect("Paste the token for github.com");
    t.send(&format!("{tok}\r"));
    let (code, screen) = t.finish_answering("Let git use this token", "n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Logged in to github.com as octocat"), "{screen}");
}

#[test]
fn typos_and_plain_http_servers_get_a_useful_answer() {
    let sb = Sandbox::new();
    let r = sb.run(&["login", "gihtub"], None);
    r.code(2);
    assert!(r.stderr.contains("did you mean `github`"), "{}", r.stderr);
    let r = sb.run(&["login", "git.example.com", "--provider", "gittea"], None);
    r.code(2);
    assert!(r.stderr.contains("--provider gitea"), "{}", r.stderr);
    // A plain-HTTP dev server named without `http://`: it answers the TLS hello with an HTTP 400,
    // as real HTTP servers do. Say so, not a TLS error.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let key = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            use std::io::{Read, Write};
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    let r = sb.run(&["login", &key, "--provider", "gitea", "--with-token"], Some(TOK));
    r.code(2).lacks(TOK);
    assert!(r.stderr.contains("speaks plain HTTP") && r.stderr.contains(&format!("http://{key}")), "{}", r.stderr);
    assert!(!r.stderr.contains("InvalidContentType"), "{}", r.stderr);
    let f = Forge::start(Kind::Gitea, &[TOK]);
    // The prompt that cannot be shown is named in words.
    let r = sb.run(&["login", &f.mock.url(), "--provider", "gitea"], None);
    r.code(2);
    assert!(r.stderr.contains("cannot ask for the token for") && !r.stderr.contains("Paste"), "{}", r.stderr);
}

#[test]
fn over_ssh_the_device_flow_shows_a_qr_code() {
    if !peers::terminal() {
        return;
    }
    let mut sb = Sandbox::new();
    sb.set("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22");
    let _ghe = crate::device::denying_ghe(&sb, "QRQR-1234", "https://github.com/login/device");
    let t = sb.pty("lanyard login ghe.example.com");
    t.expect("QRQR-1234");
    let (code, screen) = t.finish();
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("scan it with a phone"), "{screen}");
    let blocks = screen.chars().filter(|c| matches!(c, '█' | '▀' | '▄')).count();
    assert!(blocks > 100, "a QR code in half blocks: {screen}");
    // Off a terminal (a log file, CI): no QR code.
    let r = sb.run(&["login", "ghe.example.com"], None);
    assert!(!r.stderr.contains("scan it") && !r.stderr.contains('▀'), "{}", r.stderr);
}

#[test]
fn a_forge_login_offers_to_set_git_up() {
    let Some(sb) = Sandbox::with_git() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    // Off a terminal: the command to run.
    let r = sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK));
    r.code(0);
    assert!(r.stderr.contains(&format!("`lanyard setup-git {}`", f.mock.key())), "{}", r.stderr);
    sb.run(&["logout", &f.mock.key()], None).code(0);
    if !peers::terminal() {
        return;
    }
    let mut t = sb.pty(&format!("lanyard login {} --provider gitea", f.mock.url()));
    t.expect("Paste the token");
    t.send(&format!("{TOK}\r"));
    let (code, screen) = t.finish_answering("Let git use this token", "y");
    assert_eq!(code, 0, "{screen}");
    let helpers = sb.git_config(&format!("credential.{}.helper", f.mock.url()));
    assert!(helpers.contains("git-credential"), "{helpers:?} {screen}");
    // Logout takes it away again (it was recorded).
    sb.run(&["logout", &f.mock.key()], None).code(0);
    assert!(!sb.git_config(&format!("credential.{}.helper", f.mock.url())).contains("lanyard"));
    // setup-git without a target: forges only, never a registry.
    let (d, _) = duumbi_mock(false);
    sb.run(&["login", &d.url(), "--provider", "duumbi", "--name", "mine", "--with-token"], Some(DUU)).code(0);
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    sb.run(&["setup-git"], None).code(0);
    assert!(sb.git_config(&format!("credential.{}.helper", f.mock.url())).contains("git-credential"));
    assert_eq!(sb.git_config(&format!("credential.{}.helper", d.url())), "");
}

#[test]
fn logout_menus_on_a_terminal() {
    let sb = Sandbox::new();
    let f1 = Forge::start(Kind::Gitea, &[TOK]);
    let f2 = Forge::start(Kind::Gitea, &[TOK]);
    sb.run(&["login", &f1.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    if !peers::terminal() {
        return;
    }
    // One credential: a yes/no question, "no" changes nothing.
    let mut t = sb.pty("lanyard logout");
    t.expect(&format!("Log out of {} — gitea-user — gitea", f1.mock.key()));
    t.send("n");
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    sb.run(&["status", &f1.mock.key(), "--offline"], None).code(0);
    // Two: a menu with account, provider and state; the arrow keys pick.
    sb.run(&["login", &f2.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let mut t = sb.pty("lanyard logout");
    t.expect("— gitea-user — gitea — unchecked");
    t.send("\x1b[B\r");
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    let mut keys = [f1.mock.key(), f2.mock.key()];
    keys.sort();
    sb.run(&["status", &keys[0], "--offline"], None).code(0);
    sb.run(&["status", &keys[1], "--offline"], None).code(3);
    // --all on a terminal lists and asks once.
    sb.run(&["login", &format!("http://{}", keys[1]), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let mut t = sb.pty("lanyard logout --all");
    t.expect("Log out of these 2 credentials?");
    t.send("y");
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    sb.run(&["status"], None).code(3);
}

#[test]
fn status_shows_colour_and_the_hosts_still_being_asked() {
    if !peers::terminal() {
        return;
    }
    let mut sb = Sandbox::new();
    let slow = Mock::start(|r: &Req| {
        if r.path == "/api/v1/user" {
            std::thread::sleep(Duration::from_millis(1500));
        }
        Resp::json(200, json!({"id": 1, "login": "slowpoke"}))
    });
    sb.run(&["login", &slow.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    sb.vars.retain(|(k, _)| k != "NO_COLOR");
    let t = sb.pty(&format!("lanyard status {}", slow.key()));
    t.expect(&format!("asking {}", slow.key()));
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("\u{1b}[32m✓"), "green mark on a terminal: {screen:?}");
    // NO_COLOR and `--color never` turn it off; off a terminal there is none either.
    sb.set("NO_COLOR", "1");
    let (_, screen) = sb.pty(&format!("lanyard status {} --offline", slow.key())).finish();
    assert!(!screen.contains("\u{1b}[32m"), "{screen:?}");
}

#[test]
fn a_timed_out_server_names_the_timeout_and_a_real_fix() {
    let sb = Sandbox::new();
    let hang = Mock::start(|r: &Req| {
        if r.path == "/api/v1/user" && r.header("authorization").is_some() {
            std::thread::sleep(Duration::from_secs(5));
        }
        Resp::json(200, json!({"id": 1, "login": "x"}))
    });
    sb.run(&["login", &hang.url(), "--provider", "gitea", "--with-token", "--timeout", "10"], Some(TOK)).code(0);
    let r = sb.run(&["--timeout", "1", "status", &hang.key()], None);
    r.code(6);
    assert!(r.stdout.contains("timed out after 1 s"), "{}", r.stdout);
    // Issue 23 item 17: no re-run of `status` as the fix (SPEC §7); what to check instead.
    let fix = r.stdout.lines().find(|l| l.trim_start().starts_with("fix:")).unwrap().to_string();
    assert!(
        !fix.contains("lanyard --timeout") && fix.contains("is up and reachable") && fix.contains("--timeout"),
        "{fix}"
    );
    let r = sb.run(&["--timeout", "10", "status", &hang.key()], None);
    r.code(0);
}

#[test]
fn providers_and_completions_say_what_is_there() {
    let sb = Sandbox::new();
    let r = sb.run(&["providers"], None);
    let row = |id: &str| r.stdout.lines().find(|l| l.starts_with(&format!("{id} "))).unwrap().to_string();
    // Issue 24: the column is computed by the flow decision `login` uses. duumbi runs its
    // registry's device flow, else (or with --with-token) a pasted token; Gitea and Forgejo log in
    // in the browser with tea's client where the server knows it (8a80b28 said "token paste").
    let duumbi = row("duumbi");
    assert!(duumbi.ends_with("device flow, or token paste"), "{duumbi}");
    for id in ["gitea", "codeberg"] {
        let line = row(id);
        assert!(line.contains("browser flow") && line.ends_with("or token paste"), "{line}");
    }
    let r = sb.run(&["completions", "bash"], None);
    assert!(r.stdout.contains("basic codeberg duh duumbi forgejo gitea github gitlab npm oci oidc skillsctl token"));
}

/// Issue 23 item 23: a menu says its keys, filters by typing, and leaves the cursor shown on
/// every way out, Ctrl-C (exit 130) included.
#[test]
fn menus_say_their_keys_filter_and_give_the_cursor_back() {
    if !peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let f1 = Forge::with_users(Kind::Gitea, &[("tok-alice-0123456789abcdef", "alice")]);
    let f2 = Forge::with_users(Kind::Gitea, &[("tok-bob-0123456789abcdef00", "bob")]);
    sb.run(&["login", &f1.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-alice-0123456789abcdef"))
        .code(0);
    sb.run(&["login", &f2.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-bob-0123456789abcdef00"))
        .code(0);
    let mut t = sb.pty("lanyard logout");
    let screen = t.expect("type to filter");
    assert!(screen.contains("Ctrl-C cancels"), "{screen}");
    t.send("\x03");
    let (code, screen) = t.finish();
    assert_eq!(code, 130, "{screen}");
    let hidden = screen.rfind("\x1b[?25l").expect("the menu hid the cursor");
    assert!(screen[hidden..].contains("\x1b[?25h"), "the cursor is shown again: {screen:?}");
    sb.run(&["status", "--offline"], None).code(0);
    // Typing filters: `bob` and Enter logs out of bob's server only.
    let mut t = sb.pty("lanyard logout");
    t.expect("type to filter");
    t.send("bob\r");
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    sb.run(&["status", &f1.mock.key(), "--offline"], None).code(0);
    sb.run(&["status", &f2.mock.key(), "--offline"], None).code(3);
}
