//! Every `fix:` and `hint:` command lanyard prints works when pasted: each test takes the command
//! from lanyard's own output and runs it exactly as printed, on a pseudo-terminal where it
//! prompts. A re-login follows what lanyard stored (URL with scheme, provider, client id, account,
//! registry name), so the host alone is enough.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::device::{corp_gitlab, gitlab_mock};
use crate::forges::{Forge, Kind};
use crate::peers;
use crate::registries::{DUU, duh_mock, duumbi_mock, jwt};
use crate::support::{Mock, Resp, Sandbox, printed_command};

fn store(sb: &Sandbox) -> Value {
    sb.store_view()
}

fn set_store(sb: &Sandbox, v: &Value) {
    sb.write_store_view(v);
}

#[test]
fn plain_http_server_fix_from_status_works_as_pasted() {
    if !peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let (a, b) = ("tok-0123456789abcdef-a", "tok-0123456789abcdef-b");
    let forge = Forge::start(Kind::Gitea, &[a, b]);
    sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token"], Some(a)).code(0);
    forge.revoke(a);
    let r = sb.run(&["status", &forge.mock.key()], None);
    r.code(4);
    let cmd = printed_command(&r.stdout, "lanyard login");
    assert_eq!(cmd, format!("lanyard login {}", forge.mock.key()));
    let screen = sb.replace_on_terminal(&cmd, "Paste the token", b);
    assert!(!screen.contains("InvalidContentType"), "{screen}");
    sb.run(&["status", &forge.mock.key()], None).code(0);
    assert_eq!(store(&sb)["credentials"][forge.mock.key()]["url"], forge.mock.url(), "still plain http");
}

#[test]
fn oauth_client_id_is_kept_for_the_login_after_a_refused_refresh() {
    if !peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let (mock, state) = gitlab_mock();
    // The provider file has the endpoints but no client id: only `--client-id` gave it.
    corp_gitlab(&sb, &mock);
    sb.run(&["login", "gitlab.example.com", "--client-id", "gl-app-id", "--no-browser", "--no-nix"], None).code(0);
    std::thread::sleep(std::time::Duration::from_millis(1200));
    state.lock().unwrap().refresh.clear();
    let r = sb.run(&["token", "gitlab.example.com"], None);
    r.code(4);
    let cmd = printed_command(&r.stderr, "lanyard login");
    assert_eq!(cmd, "lanyard login gitlab.example.com");
    let mut t = sb.pty(&cmd);
    // The device flow with the stored client id, not a token paste; replacing is asked after.
    t.expect("GLAB-1234");
    t.expect("Replace that credential");
    t.send("y");
    let (code, screen) = t.finish_answering("Let git use this token", "n");
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("Paste the token"), "{screen}");
    assert_eq!(store(&sb)["credentials"]["gitlab.example.com"]["client_id"], "gl-app-id");
    assert_eq!(mock.hits("/oauth/authorize_device"), 2);
}

#[test]
fn oidc_relogin_needs_only_the_host() {
    let sb = Sandbox::new();
    let Some(p) = crate::oidc::Provider::start(3600, 600) else { return };
    let issuer = p.issuer.clone();
    let key = issuer.trim_start_matches("http://").to_string();
    let (r, _) = crate::oidc::login_with(
        &sb,
        &["login", &issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| p.human(code, "approve"),
    );
    r.code(0);
    // Logged in once; the next login names only the host (as every hint does).
    let (r, _) =
        crate::oidc::login_with(&sb, &["login", &key, "--force", "--no-browser"], |code| p.human(code, "approve"));
    r.code(0);
    assert!(!r.stderr.contains("needs an OAuth client id"), "{}", r.stderr);
    assert_eq!(store(&sb)["credentials"][&key]["client_id"], "lanyard-test");
}

#[test]
fn duh_hints_keep_the_url_and_provider_and_the_account() {
    if !peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let token = jwt(chrono::Utc::now().timestamp() + 86_400);
    let (m, _) = duh_mock(token.clone());
    // A first login that fails: the hint is the whole command, URL and --provider included.
    let r = sb.run(
        &["login", &m.url(), "--provider", "duh", "--user", "ada@example.com", "--with-password"],
        Some("wrong\n"),
    );
    r.code(4);
    let cmd = printed_command(&r.stderr, "lanyard login");
    assert_eq!(cmd, format!("lanyard login {} --provider duh", m.url()));
    let mut t = sb.pty(&cmd);
    t.expect("Email");
    t.send("ada@example.com\r");
    t.expect("Password for ada@example.com");
    t.send("hunter2-correct\r");
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains(&token), "{screen}");
    // The session expires: the printed login asks only for the password of the stored account.
    let mut data = store(&sb);
    data["credentials"][m.key()]["expires_at"] = json!("2020-01-01T00:00:00Z");
    set_store(&sb, &data);
    let r = sb.run(&["token", &m.key()], None);
    r.code(4);
    let cmd = printed_command(&r.stderr, "lanyard login");
    let screen = sb.replace_on_terminal(&cmd, "Password for ada@example.com", "hunter2-correct");
    assert!(!screen.contains("Email"), "{screen}");
    sb.run(&["status", &m.key()], None).code(0);
}

#[test]
fn duumbi_hints_keep_the_registry_name() {
    if !peers::terminal() {
        return;
    }
    let sb = Sandbox::new();
    let (m, _) = duumbi_mock(false);
    // A first login with a refused token: the hint keeps --provider and --name.
    let r = sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "mine", "--with-token"], Some("duu-bad"));
    r.code(4);
    let cmd = printed_command(&r.stderr, "lanyard login");
    assert_eq!(cmd, format!("lanyard login {} --provider duumbi --name mine", m.url()));
    let mut t = sb.pty(&cmd);
    t.expect("Paste the token");
    t.send(&format!("{DUU}\r"));
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    let path = sb.home().join(".duumbi/credentials.toml");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("[registries.mine]\ntoken = \"{DUU}\"\n"));
    // The token is revoked (here: the stored one no longer matches): status's fix needs only the host.
    let mut data = store(&sb);
    data["credentials"][m.key()]["token"] = json!("duu_00000000000000000000000000000000");
    set_store(&sb, &data);
    let r = sb.run(&["status", &m.key()], None);
    r.code(4);
    let cmd = printed_command(&r.stdout, "lanyard login");
    assert_eq!(cmd, format!("lanyard login {}", m.key()));
    sb.replace_on_terminal(&cmd, "Paste the token", DUU);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("[registries.mine]\ntoken = \"{DUU}\"\n"));
    assert_eq!(store(&sb)["credentials"][m.key()]["name"], "mine");
}

/// A TLS token endpoint whose certificate a private CA signed: Python's `ssl` with openssl's
/// certificates. Returns the CA file, the port and the server process.
fn private_ca_token_server(sb: &Sandbox) -> Option<(std::path::PathBuf, u16, std::process::Child)> {
    let openssl = peers::require("openssl", "makes a private CA and a server certificate")?;
    let python = peers::require("python3", "serves a token endpoint over TLS")?;
    let d = sb.dir.path().join("pki");
    std::fs::create_dir_all(&d).unwrap();
    let run = |args: &[&str]| {
        let ok = Command::new(&openssl).args(args).current_dir(&d).stderr(Stdio::null()).status().unwrap();
        assert!(ok.success(), "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=lanyard test CA",
    ]);
    run(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1"]);
    std::fs::write(d.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
    let script = r#"
import http.server, json, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('content-length', 0)))
        b = json.dumps({"access_token": "tok-refreshed-over-private-tls", "token_type": "Bearer", "expires_in": 3600}).encode()
        self.send_response(200)
        self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
c.load_cert_chain(sys.argv[1], sys.argv[2])
s.socket = c.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;
    let mut child = Command::new(python)
        .args(["-c", script, d.join("leaf.pem").to_str().unwrap(), d.join("leaf.key").to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    Some((d.join("ca.pem"), line.trim().parse().unwrap(), child))
}

#[test]
fn refresh_trusts_the_providers_ca_file() {
    let sb = Sandbox::new();
    let Some((ca, port, mut server)) = private_ca_token_server(&sb) else { return };
    let key = format!("127.0.0.1:{port}");
    sb.provider(
        "corp",
        &format!(
            "id = \"corp\"\nname = \"Corp\"\nfamily = \"gitlab\"\nhosts = [\"{key}\"]\nca_file = \"{}\"\n",
            ca.display()
        ),
    );
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let record = json!({"version": 1, "credentials": {&key: {
        "url": format!("https://{key}"), "provider": "corp", "family": "gitlab", "kind": "oauth",
        "token": "tok-old-0123456789", "refresh_token": "ref-0123456789", "expires_at": "2020-01-01T00:00:00Z",
        "client_id": "app", "token_endpoint": format!("https://{key}/oauth/token"),
        "storage": "file", "created_at": "2020-01-01T00:00:00Z"}}});
    set_store(&sb, &record);
    std::fs::set_permissions(sb.store_path(), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let r = sb.run(&["refresh", &key], None);
    let _ = server.kill();
    let _ = server.wait();
    r.code(0);
    assert!(r.stderr.contains("refreshed"), "{}", r.stderr);
    assert_eq!(store(&sb)["credentials"][&key]["token"], "tok-refreshed-over-private-tls");
}

#[test]
fn dry_runs_name_every_file_and_the_true_storage() {
    let mut sb = Sandbox::new();
    let tok = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let forge = Forge::start(Kind::Github, &[tok]);
    sb.github_at(&forge.mock.url());
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("config.toml"), "storage = \"file\"\n").unwrap();
    let r = sb.run(&["login", "github", "--with-token", "--dry-run"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("plaintext file, mode 0600") && r.stderr.contains("access-tokens.conf"), "{}", r.stderr);
    assert!(!sb.store_path().exists(), "a dry run writes nothing");
    sb.run(&["login", "github", "--with-token"], Some(tok)).code(0);
    if peers::require("git", "lanyard as git's credential helper").is_some() {
        let gitconfig = sb.home().join(".gitconfig");
        sb.set("GIT_CONFIG_GLOBAL", gitconfig.to_str().unwrap());
        sb.run(&["setup-git", "github.com"], None).code(0);
    }
    let r = sb.run(&["logout", "github.com", "--dry-run"], None);
    r.code(0);
    assert!(r.stderr.contains(sb.store_path().to_str().unwrap()), "{}", r.stderr);
    assert!(
        r.stderr.contains(sb.tokens_conf().to_str().unwrap()) && r.stderr.contains("`github.com` entry"),
        "{}",
        r.stderr
    );
    if sb.vars.iter().any(|(k, _)| k == "GIT_CONFIG_GLOBAL") {
        assert!(r.stderr.contains("git config") && r.stderr.contains("https://github.com"), "{}", r.stderr);
    }
    // Nothing changed.
    sb.run(&["status", "github.com", "--offline"], None).code(0);
    // Another tool rewrote the entry: the dry run says so.
    let text = std::fs::read_to_string(sb.tokens_conf()).unwrap().replace(tok, "ghp_someoneelse0123456789");
    std::fs::write(sb.tokens_conf(), text).unwrap();
    let r = sb.run(&["logout", "github.com", "--dry-run"], None);
    assert!(r.stderr.contains("holds another value now"), "{}", r.stderr);
}

#[test]
fn a_bad_config_is_found_before_any_request() {
    let sb = Sandbox::new();
    let m = Mock::start(|_| Resp::json(200, json!({"login": "octocat"})));
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("config.toml"), "storage = \"filez\"\n").unwrap();
    let r = sb.run(&["login", &m.url(), "--provider", "gitea", "--with-token"], Some("tok-0123456789abcdef"));
    r.code(2);
    assert!(r.stderr.contains("config.toml` line 1"), "{}", r.stderr);
    assert_eq!(m.hits("/api/v1/user") + m.hits("/api/v1/version"), 0, "no request before the config is read");
    std::fs::write(sb.config_dir().join("config.toml"), "storag = \"file\"\n").unwrap();
    sb.run(&["status"], None).code(2);
}
