//! npm (SPEC §12): `setup-npm` writes the forge's npm registry line into the sandbox's
//! `~/.npmrc`, every other line kept; the machine's real npm authenticates with it (`npm
//! whoami` against a Gitea-shaped packages endpoint); refresh rewrites, logout removes it.

use serde_json::json;

use crate::peers;
use crate::support::{Mock, Req, Resp, Sandbox};

const TOK: &str = "tok-npm-0123456789abcdef00";

#[test]
fn npm_whoami_answers_with_the_token_lanyard_wrote() {
    let Some(npm) = peers::require("npm", "reads ~/.npmrc as people use it") else { return };
    let sb = Sandbox::new();
    let srv = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/version" => Resp::json(200, json!({"version": "1.22.3"})),
        "/api/v1/user" if r.header("authorization") == Some(format!("token {TOK}").as_str()) => {
            Resp::json(200, json!({"id": 1, "login": "gitea-user"}))
        }
        "/api/packages/gitea-user/npm/-/whoami"
            if r.header("authorization") == Some(format!("Bearer {TOK}").as_str()) =>
        {
            Resp::json(200, json!({"username": "gitea-user"}))
        }
        _ => Resp::json(401, json!({"error": "unauthorized"})),
    });
    sb.run(&["login", &srv.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let npmrc = sb.home().join(".npmrc");
    // The person's own settings, as npm writes them.
    let set = std::process::Command::new(&npm)
        .args(["config", "set", "--location=user", "@acme:registry=https://npm.pkg.github.com/"])
        .arg("//registry.npmjs.org/:_authToken=npm_not_lanyards")
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .output()
        .unwrap();
    assert!(set.status.success(), "npm config set: {}", String::from_utf8_lossy(&set.stderr));
    let theirs = std::fs::read_to_string(&npmrc).unwrap();
    let theirs = theirs.as_str();
    assert!(theirs.contains("npm_not_lanyards"), "{theirs}");
    let registry = format!("{}/api/packages/gitea-user/npm/", srv.url());
    let whoami = || {
        std::process::Command::new(&npm)
            .args(["whoami", "--registry", &registry])
            .env_clear()
            .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
            .env("npm_config_update_notifier", "false")
            .output()
            .unwrap()
    };
    assert!(!whoami().status.success(), "no token yet");
    let r = sb.run(&["setup-npm", &srv.key()], None);
    r.code(0).lacks(TOK);
    let text = std::fs::read_to_string(&npmrc).unwrap();
    assert_eq!(text, format!("{theirs}//{}/api/packages/gitea-user/npm/:_authToken={TOK}\n", srv.key()));
    let out = whoami();
    assert!(out.status.success(), "npm whoami: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "gitea-user");
    sb.run(&["logout", &srv.key()], None).code(0);
    assert_eq!(std::fs::read_to_string(&npmrc).unwrap(), theirs, "logout takes its line, nothing else");
}

/// Verdaccio (npm; `npm ci --prefix tests/peers/verdaccio`) on 127.0.0.1 with htpasswd users and
/// no self-registration; killed on drop.
struct Verdaccio {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Verdaccio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Verdaccio {
    fn start(users: &[(&str, &str)]) -> Option<Verdaccio> {
        peers::require("node", "runs Verdaccio")?;
        peers::require("htpasswd", "writes Verdaccio's user file (apache2-utils)")?;
        let bin = std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/peers/verdaccio/node_modules/.bin/verdaccio"
        ));
        if !bin.exists() {
            peers::skip("verdaccio (npm)", "run `npm ci --prefix tests/peers/verdaccio`");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let users_file = dir.path().join("htpasswd");
        for (i, (u, p)) in users.iter().enumerate() {
            let flags = if i == 0 { "-Bbc" } else { "-Bb" };
            assert!(
                std::process::Command::new("htpasswd")
                    .arg(flags)
                    .arg(&users_file)
                    .args([u, p])
                    .output()
                    .unwrap()
                    .status
                    .success()
            );
        }
        std::fs::write(
            dir.path().join("config.yaml"),
            format!(
                "storage: {}\nauth:\n  htpasswd:\n    file: {}\n    max_users: -1\nuplinks: {{}}\npackages:\n  '**':\n    access: $authenticated\n    publish: $authenticated\nlog: {{ type: stdout, format: pretty, level: error }}\n",
                dir.path().join("storage").display(),
                users_file.display()
            ),
        )
        .unwrap();
        let port = crate::support::dead_port();
        let child = std::process::Command::new(&bin)
            .arg("--config")
            .arg(dir.path().join("config.yaml"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        crate::support::wait_for_port(port, 30, "Verdaccio");
        Some(Verdaccio { child, port, _dir: dir })
    }
}

#[test]
fn verdaccio_login_then_npm_publishes_and_installs_with_only_lanyards_line() {
    let Some(npm) = peers::require("npm", "publishes and installs through Verdaccio") else { return };
    let pw = "pw-alice-0123456789";
    let Some(reg) = Verdaccio::start(&[("alice", pw)]) else { return };
    let sb = Sandbox::new();
    let url = format!("http://127.0.0.1:{}", reg.port);
    let key = format!("127.0.0.1:{}", reg.port);
    // npm's couchdb login (Verdaccio offers no web login): a wrong password is refused.
    sb.run(&["login", &url, "--provider", "npm", "--user", "alice", "--with-password"], Some("wrong-password")).code(4);
    let r = sb.run(&["login", &url, "--provider", "npm", "--user", "alice", "--with-password"], Some(pw));
    r.code(0).lacks(pw);
    assert!(r.stderr.contains("as alice"), "{}", r.stderr);
    let r = sb.run(&["status", &key], None);
    r.code(0);
    assert!(r.stdout.contains("valid"), "checked with /-/whoami: {}", r.stdout);
    sb.run(&["setup-npm", &key], None).code(0);
    let npmrc = std::fs::read_to_string(sb.home().join(".npmrc")).unwrap();
    assert!(npmrc.starts_with(&format!("//{key}/:_authToken=")) && !npmrc.contains(pw), "{npmrc}");
    let npm_in = |dir: &std::path::Path, args: &[&str]| {
        std::process::Command::new(&npm)
            .current_dir(dir)
            .args(args)
            .args(["--registry", &format!("{url}/")])
            .env_clear()
            .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
            .env("npm_config_update_notifier", "false")
            .env("npm_config_audit", "false")
            .env("npm_config_fund", "false")
            .output()
            .unwrap()
    };
    let pkg = sb.dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("package.json"), r#"{"name": "lanyard-demo", "version": "0.1.0", "main": "index.js"}"#)
        .unwrap();
    std::fs::write(pkg.join("index.js"), "module.exports = 7;\n").unwrap();
    let out = npm_in(&pkg, &["publish"]);
    assert!(out.status.success(), "npm publish: {}", String::from_utf8_lossy(&out.stderr));
    let app = sb.dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("package.json"), r#"{"name": "app", "version": "1.0.0", "private": true}"#).unwrap();
    let out = npm_in(&app, &["install", "lanyard-demo"]);
    assert!(out.status.success(), "npm install: {}", String::from_utf8_lossy(&out.stderr));
    assert!(app.join("node_modules/lanyard-demo/index.js").exists());
    let out = npm_in(&app, &["whoami"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "alice");

    // pnpm with `setup-npm --pnpm`: a tokenHelper line in its own npmrc, no token in any file.
    let pnpm =
        std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/verdaccio/node_modules/.bin/pnpm"));
    let pnpmrc = sb.dir.path().join("pnpmrc");
    let mut c = sb.cmd();
    c.args(["setup-npm", &key, "--pnpm"]).env("NPM_CONFIG_USERCONFIG", &pnpmrc);
    crate::support::run_cmd(c, None).code(0);
    let text = std::fs::read_to_string(&pnpmrc).unwrap();
    assert!(text.starts_with(&format!("//{key}/:tokenHelper=/")), "{text}");
    let token = sb.store_view()["credentials"][&key]["token"].as_str().unwrap().to_string();
    assert!(!text.contains(&token));
    let app2 = sb.dir.path().join("app2");
    std::fs::create_dir_all(&app2).unwrap();
    std::fs::write(app2.join("package.json"), r#"{"name": "app2", "version": "1.0.0", "private": true}"#).unwrap();
    let out = std::process::Command::new(&pnpm)
        .current_dir(&app2)
        .args(["add", "lanyard-demo", "--registry", &format!("{url}/")])
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .env("PATH", format!("{}:/usr/bin:/bin", std::path::Path::new(&npm).parent().unwrap().display()))
        .env("NPM_CONFIG_USERCONFIG", &pnpmrc)
        .env("npm_config_userconfig", &pnpmrc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pnpm add: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(app2.join("node_modules/lanyard-demo/index.js").exists());
}

#[test]
fn npms_web_login_is_used_when_the_registry_offers_it() {
    let sb = Sandbox::new();
    let polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let p = polls.clone();
    let reg = Mock::start(move |r: &Req| {
        let host = r.header("host").unwrap_or_default().to_string();
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/-/v1/login") => Resp::json(
                200,
                json!({"loginUrl": format!("http://{host}/-/login/abc"), "doneUrl": format!("http://{host}/-/v1/done/abc")}),
            ),
            ("GET", "/-/v1/done/abc") if p.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 => {
                Resp::json(202, json!({})).with("Retry-After", "1")
            }
            ("GET", "/-/v1/done/abc") => Resp::json(200, json!({"token": "npm_web0123456789abcdef"})),
            ("GET", "/-/whoami") if r.header("authorization") == Some("Bearer npm_web0123456789abcdef") => {
                Resp::json(200, json!({"username": "carol"}))
            }
            _ => Resp::json(401, json!({"error": "no"})),
        }
    });
    let r = sb.run(&["login", &reg.url(), "--provider", "npm", "--no-browser"], None);
    r.code(0).lacks("npm_web0123456789abcdef");
    assert!(r.stderr.contains("/-/login/abc") && r.stderr.contains("as carol"), "{}", r.stderr);
    assert!(polls.load(std::sync::atomic::Ordering::SeqCst) >= 2, "polled until done");
}
