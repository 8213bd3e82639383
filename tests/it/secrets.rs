//! Secrets (issue 7 §6, SPEC §6): every command at the highest verbosity with `RUST_LOG=trace`,
//! a forced panic, argv and the environment of a waiting login and of an `exec` child — no secret
//! appears anywhere but on `token`'s and `git-credential get`'s stdout and in `exec`'s child; every
//! file that holds one is 0600 and is one of the files lanyard is meant to write.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use base64::Engine;
use serde_json::json;

use crate::device::gitlab_mock;
use crate::forges::{Forge, Kind};
use crate::support::{Mock, Req, Resp, Run, Sandbox};

const GITEA: &str = "tok-secret-gitea-0123456789abcdef";
const DUU: &str = "duu_secret0123456789abcdef012345";
const PASSWORD: &str = "s3cret-basic-passw0rd";
const GIT_PW: &str = "git-sent-password-0123456789";

/// Every secret the scenario handles, rotated ones included.
fn secrets() -> Vec<String> {
    let mut s = vec![GITEA.to_string(), DUU.to_string(), PASSWORD.to_string(), GIT_PW.to_string()];
    s.push("gl-device-code".into());
    for g in 1..8 {
        s.push(format!("gloas-access-{g}"));
        s.push(format!("glrt-refresh-{g}"));
    }
    s
}

#[track_caller]
fn clean(r: &Run, what: &str, stdout_may_hold: Option<&str>) {
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
    for s in secrets() {
        assert!(!r.stderr.contains(&s), "{what}: `{s}` on stderr:\n{}", r.stderr);
        if stdout_may_hold != Some(s.as_str()) {
            assert!(!r.stdout.contains(&s), "{what}: `{s}` on stdout:\n{}", r.stdout);
        }
    }
}

fn pids_children(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn cmdline(pid: u32) -> String {
    String::from_utf8_lossy(&std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default()).replace('\0', " ")
}

#[test]
fn no_secret_leaks_from_any_command_at_any_verbosity() {
    let mut sb = Sandbox::new();
    sb.set("RUST_LOG", "trace");
    sb.set("RUST_BACKTRACE", "full");
    let (gl, _state) = gitlab_mock();
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{0}/api/v4\"\n[device]\nauthorization_url = \"{0}/oauth/authorize_device\"\ntoken_url = \"{0}/oauth/token\"\n",
            gl.url()
        ),
    );
    let gitea = Forge::start(Kind::Gitea, &[GITEA]);
    let duu = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" => Resp::json(404, json!({"detail": "Not Found"})),
        "/api/v1/auth/verify" if r.header("authorization") == Some(&format!("Bearer {DUU}")) => {
            Resp::json(200, json!({"username": "ada"}))
        }
        _ => Resp::json(401, json!({"error": "unauthorized"})),
    });
    let basic = Mock::start(|r: &Req| {
        let want = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("deploy:{PASSWORD}")));
        if r.header("authorization") == Some(want.as_str()) { Resp::text(200, "ok") } else { Resp::text(401, "no") }
    });
    sb.provider(
        "registry",
        &format!(
            "id = \"registry\"\nname = \"Registry\"\nfamily = \"basic\"\nhosts = [\"{}\"]\nvalidate_url = \"{{base}}/check\"\n",
            basic.key()
        ),
    );
    let (gk, dk, bk) = (gitea.mock.key(), duu.key(), basic.key());
    let v = "-vvv";
    let steps: Vec<(Vec<String>, Option<String>, Option<&str>)> = vec![
        (
            vec!["login", "gitlab.example.com", "--client-id", "gl-app", "--no-browser", v]
                .into_iter()
                .map(String::from)
                .collect(),
            None,
            None,
        ),
        (
            vec![
                "login".into(),
                gitea.mock.url(),
                "--provider".into(),
                "gitea".into(),
                "--with-token".into(),
                v.into(),
            ],
            Some(GITEA.into()),
            None,
        ),
        (
            vec![
                "login".into(),
                duu.url(),
                "--provider".into(),
                "duumbi".into(),
                "--with-token".into(),
                "--name".into(),
                "work".into(),
                v.into(),
            ],
            Some(DUU.into()),
            None,
        ),
        (
            vec!["login".into(), basic.url(), "--user".into(), "deploy".into(), "--with-password".into(), v.into()],
            Some(PASSWORD.into()),
            None,
        ),
        (vec!["status".into(), v.into()], None, None),
        (vec!["status".into(), "--json".into(), v.into()], None, None),
        (vec!["status".into(), "--offline".into(), v.into()], None, None),
        (vec!["refresh".into(), "--all".into(), "--force".into(), v.into()], None, None),
        (vec!["providers".into(), v.into()], None, None),
        (vec!["token".into(), gk.clone(), v.into()], None, Some(GITEA)),
        (vec!["token".into(), dk.clone(), v.into()], None, Some(DUU)),
        (
            vec!["git-credential".into(), "get".into(), v.into()],
            Some(format!("protocol=http\nhost={gk}\n\n")),
            Some(GITEA),
        ),
        (
            vec!["git-credential".into(), "store".into(), v.into()],
            Some(format!("protocol=http\nhost={gk}\nusername=x\npassword={GIT_PW}\n\n")),
            None,
        ),
        (
            vec!["git-credential".into(), "erase".into(), v.into()],
            Some(format!("protocol=http\nhost={gk}\nusername=x\npassword={GIT_PW}\n\n")),
            None,
        ),
        (vec!["setup-git".into(), gk.clone(), v.into()], None, None),
        (
            vec![
                "exec".into(),
                "--env".into(),
                format!("T={gk}"),
                v.into(),
                "--".into(),
                "sh".into(),
                "-c".into(),
                format!("test \"$T\" = {GITEA} && echo child-saw-it"),
            ],
            None,
            None,
        ),
        (
            vec![
                "exec".into(),
                "--env".into(),
                format!("P={bk}:password"),
                v.into(),
                "--".into(),
                "sh".into(),
                "-c".into(),
                format!("test \"$P\" = {PASSWORD} && echo child-saw-it"),
            ],
            None,
            None,
        ),
        (vec!["logout".into(), "--dry-run".into(), "--all".into(), v.into()], None, None),
    ];
    let mut runs = 0;
    for (args, stdin, may) in &steps {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = sb.run(&a, stdin.as_deref());
        let what = a.join(" ");
        assert!(r.code == 0, "{what}: exit {}\n{}", r.code, r.stderr);
        clean(&r, &what, *may);
        if let Some(s) = may {
            assert!(r.stdout.contains(s), "{what} hands out the secret on stdout");
        }
        if a[0] == "exec" {
            assert_eq!(r.stdout.trim(), "child-saw-it", "{what}: the child got the secret");
        }
        if a.contains(&"-vvv") && a[0] != "token" && a[0] != "git-credential" && a[0] != "exec" {
            assert!(r.stderr.contains("debug: "), "{what}: -vvv says something: {}", r.stderr);
        }
        runs += 1;
    }

    // A bug that formats a secret into a panic message: the hook withholds it (debug builds).
    let mut p = Sandbox { dir: tempfile::tempdir().unwrap(), vars: sb.vars.clone() };
    p.set("LANYARD_DEBUG_PANIC", "1");
    let r = p.run(&["token", &gk, "-vvv"], None);
    r.code(1);
    assert!(r.stderr.contains("lanyard hit a bug at src/commands/token.rs:"), "{}", r.stderr);
    clean(&r, "forced panic", None);
    runs += 1;

    // Every file that holds a secret is 0600 and one lanyard is meant to write.
    let mut holders = Vec::new();
    for (path, mode, is_dir) in sb.files() {
        if is_dir {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if secrets().iter().any(|s| text.contains(s.as_str())) {
            assert_eq!(mode, 0o600, "{} holds a secret with mode {mode:o}", path.display());
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                ["credentials.json", "access-tokens.conf", "credentials.toml"].iter().any(|n| name.starts_with(n)),
                "an unexpected file holds a secret: {}",
                path.display()
            );
            holders.push(name);
        }
    }
    assert!(holders.iter().any(|h| h == "credentials.json"), "{holders:?}");
    let gitconfig = std::fs::read_to_string(sb.home().join(".gitconfig")).unwrap_or_default()
        + &std::fs::read_to_string(sb.home().join(".config/git/config")).unwrap_or_default();
    assert!(gitconfig.contains("lanyard"), "setup-git wrote the helper: {gitconfig}");
    eprintln!(
        "secrets: {runs} runs at -vvv with RUST_LOG=trace, {} secrets checked; held only by {holders:?}",
        secrets().len()
    );
}

#[test]
fn argv_and_environment_of_a_waiting_login_and_an_exec_child_hold_no_secret() {
    let sb = Sandbox::new();
    // A Gitea that takes 1.5 s to answer, so the login can be looked at while it waits.
    let slow = Mock::start(|r: &Req| {
        std::thread::sleep(Duration::from_millis(1500));
        match r.header("authorization") {
            Some(a) if a == format!("token {GITEA}") => Resp::json(200, json!({"id": 1, "login": "u"})),
            _ => Resp::json(401, json!({"message": "no"})),
        }
    });
    let mut c = sb.cmd();
    c.args(["login", &slow.url(), "--provider", "gitea", "--with-token"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{GITEA}\n").as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let pid = child.id();
    let argv = cmdline(pid);
    assert!(argv.contains("login"), "looked at the waiting login: {argv}");
    assert!(!argv.contains(GITEA), "argv: {argv}");
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    assert!(!String::from_utf8_lossy(&environ).contains(GITEA));
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // exec: the secret is in the child's environment only, never in its argv or lanyard's.
    let mut c = sb.cmd();
    c.args(["exec", "--env", &format!("T={}", slow.key()), "--", "sleep", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut lanyard = c.spawn().unwrap();
    let started = std::time::Instant::now();
    let kid = loop {
        if let Some(k) = pids_children(lanyard.id()).first() {
            break *k;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "exec started no child");
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(100));
    let (argv_l, argv_k) = (cmdline(lanyard.id()), cmdline(kid));
    let env_k = String::from_utf8_lossy(&std::fs::read(format!("/proc/{kid}/environ")).unwrap()).into_owned();
    let env_l =
        String::from_utf8_lossy(&std::fs::read(format!("/proc/{}/environ", lanyard.id())).unwrap()).into_owned();
    assert!(argv_k.starts_with("sleep 2"), "{argv_k}");
    assert!(!argv_l.contains(GITEA) && !argv_k.contains(GITEA), "{argv_l} / {argv_k}");
    assert!(env_k.contains(&format!("T={GITEA}")), "the child's environment holds it");
    assert!(!env_l.contains(GITEA), "lanyard's own environment does not");
    assert!(lanyard.wait().unwrap().success());
    // The store is 0600.
    assert_eq!(std::fs::metadata(sb.store_path()).unwrap().permissions().mode() & 0o777, 0o600);
}
