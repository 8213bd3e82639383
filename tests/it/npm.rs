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
    let theirs =
        "; mine\n@acme:registry=https://npm.pkg.github.com/\n//registry.npmjs.org/:_authToken=npm_not_lanyards\n";
    std::fs::write(&npmrc, theirs).unwrap();
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
