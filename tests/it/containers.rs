//! Containers (SPEC §12): lanyard as the docker credential helper of a real registry (Debian's
//! docker-registry, Distribution 2.8, with htpasswd auth) used by real skopeo with only
//! `credHelpers` configured; the `oci` family's `/v2/` challenge (Basic, and the distribution
//! token protocol against a test token service); which credential answers which registry.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::forges::{Forge, Kind};
use crate::peers;
use crate::support::{Mock, Req, Resp, Sandbox};

const PW: &str = "pw-alice-0123456789";

/// Debian's docker-registry on 127.0.0.1 with htpasswd users; killed on drop.
struct Registry {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Registry {
    fn start(users: &[(&str, &str)]) -> Option<Registry> {
        peers::require("htpasswd", "writes the registry's bcrypt user file (apache2-utils)")?;
        let dir = tempfile::tempdir().unwrap();
        let htpasswd = dir.path().join("htpasswd");
        let mut lines = String::new();
        for (u, p) in users {
            let out = Command::new("htpasswd").args(["-Bbn", u, p]).output().unwrap();
            assert!(out.status.success());
            lines.push_str(String::from_utf8_lossy(&out.stdout).trim());
            lines.push('\n');
        }
        std::fs::write(&htpasswd, lines).unwrap();
        let auth = format!("  htpasswd:\n    realm: test-registry\n    path: {}\n", htpasswd.display());
        Registry::serve(dir, &auth)
    }

    /// With token auth: `realm` issues the JWTs, signed by the key whose certificate is `cert`.
    fn with_token_auth(realm: &str, cert: &Path) -> Option<Registry> {
        let dir = tempfile::tempdir().unwrap();
        let auth = format!(
            "  token:\n    realm: {realm}\n    service: test-registry\n    issuer: lanyard-test-issuer\n    rootcertbundle: {}\n",
            cert.display()
        );
        Registry::serve(dir, &auth)
    }

    fn serve(dir: tempfile::TempDir, auth: &str) -> Option<Registry> {
        peers::require("docker-registry", "the registry (Distribution 2.8) lanyard answers for")?;
        let port = crate::support::dead_port();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\nauth:\n{auth}",
                dir.path().join("data").display(),
            ),
        )
        .unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        crate::support::wait_for_port(port, 10, "the registry");
        Some(Registry { child, port, _dir: dir })
    }

    fn key(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

/// A sandbox whose container tools read `REGISTRY_AUTH_FILE` and find helpers in its `bin`.
fn sandbox() -> (Sandbox, PathBuf) {
    let mut sb = Sandbox::new();
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    sb.set("PATH", &format!("{}:/usr/bin:/bin", bin.display()));
    sb.set("REGISTRY_AUTH_FILE", sb.dir.path().join("auth.json").to_str().unwrap());
    (sb, bin)
}

/// A one-layer OCI image layout (what skopeo copies from), made with Python's standard library.
fn oci_layout(dir: &Path) {
    let script = r#"
import gzip, hashlib, io, json, os, sys, tarfile
root = sys.argv[1]
os.makedirs(os.path.join(root, 'blobs/sha256'), exist_ok=True)
def blob(b):
    d = hashlib.sha256(b).hexdigest()
    open(os.path.join(root, 'blobs/sha256', d), 'wb').write(b)
    return 'sha256:' + d, len(b)
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode='w') as t:
    data = b'hello from lanyard\n'
    ti = tarfile.TarInfo('hello.txt'); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
tar = raw.getvalue()
layer = blob(gzip.compress(tar, mtime=0))
config = blob(json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {},
    'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + hashlib.sha256(tar).hexdigest()]}}).encode())
m = blob(json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
    'config': {'mediaType': 'application/vnd.oci.image.config.v1+json', 'digest': config[0], 'size': config[1]},
    'layers': [{'mediaType': 'application/vnd.oci.image.layer.v1.tar+gzip', 'digest': layer[0], 'size': layer[1]}]}).encode())
json.dump({'schemaVersion': 2, 'manifests': [{'mediaType': 'application/vnd.oci.image.manifest.v1+json',
    'digest': m[0], 'size': m[1], 'annotations': {'org.opencontainers.image.ref.name': '1'}}]},
    open(os.path.join(root, 'index.json'), 'w'))
json.dump({'imageLayoutVersion': '1.0.0'}, open(os.path.join(root, 'oci-layout'), 'w'))
"#;
    let ok = Command::new("/usr/bin/python3").args(["-c", script]).arg(dir).status().unwrap();
    assert!(ok.success());
}

fn skopeo(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    Command::new("skopeo")
        .arg("--insecure-policy")
        .args(args)
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .output()
        .unwrap()
}

fn helper(sb: &Sandbox, bin: &Path, action: &str, stdin: &str) -> crate::support::Run {
    let mut c = Command::new(bin.join("docker-credential-lanyard"));
    c.arg(action).env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    crate::support::run_cmd(c, Some(stdin))
}

#[test]
fn skopeo_pushes_and_pulls_through_lanyard_as_its_credential_helper() {
    let Some(skopeo_bin) = peers::require("skopeo", "copies an image to and from the registry") else { return };
    let _ = skopeo_bin;
    let Some(reg) = Registry::start(&[("alice", PW), ("bob", "pw-bob-0123456789")]) else { return };
    let (sb, bin) = sandbox();
    let url = format!("http://{}", reg.key());
    // A wrong password is refused by the registry's own challenge: nothing stored.
    let r = sb.run(&["login", &url, "--provider", "oci", "--user", "alice", "--with-password"], Some("wrong-password"));
    r.code(4).lacks("wrong-password");
    assert!(!sb.store_path().exists() || !std::fs::read_to_string(sb.store_path()).unwrap().contains("alice"));
    let r = sb.run(
        &["login", &url, "--provider", "oci", "--user", "alice", "--with-password", "--storage", "file"],
        Some(PW),
    );
    r.code(0);

    let layout = sb.dir.path().join("layout");
    oci_layout(&layout);
    let src = format!("oci:{}:1", layout.display());
    let dest = format!("docker://{}/demo/hello:1", reg.key());
    // Without a helper configured, the registry refuses skopeo.
    let out = skopeo(&sb, &["copy", "--dest-tls-verify=false", &src, &dest]);
    assert!(!out.status.success(), "the registry needs a login");

    let r = sb.run(&["setup-docker", &reg.key(), "--bin-dir", bin.to_str().unwrap()], None);
    r.code(0);
    for file in [sb.dir.path().join("auth.json"), sb.home().join(".docker/config.json")] {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(v["credHelpers"][reg.key()], "lanyard", "{}", file.display());
        assert!(v.get("auths").is_none() && !v.to_string().contains(PW), "no secret in {}", file.display());
    }
    let out = skopeo(&sb, &["copy", "--dest-tls-verify=false", &src, &dest]);
    assert!(out.status.success(), "skopeo copy: {}", String::from_utf8_lossy(&out.stderr));
    let back = sb.dir.path().join("back");
    let out = skopeo(&sb, &["copy", "--src-tls-verify=false", &dest, &format!("oci:{}:1", back.display())]);
    assert!(out.status.success(), "skopeo copy back: {}", String::from_utf8_lossy(&out.stderr));
    assert!(back.join("index.json").exists());

    // The protocol as the tools speak it.
    let r = helper(&sb, &bin, "get", &format!("{}\n", reg.key()));
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["Username"].as_str(), v["Secret"].as_str()), (Some("alice"), Some(PW)));
    let r = helper(&sb, &bin, "get", "https://registry.example.com\n");
    r.code(1);
    assert_eq!(r.stdout.trim(), "credentials not found in native keychain");
    let r = helper(&sb, &bin, "list", "");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap(), json!({ reg.key(): "alice" }));

    // `docker login` as bob: checked with the registry first (a wrong password stores nothing),
    // then it is what the registry gets.
    let login = |pw: &str| json!({"ServerURL": reg.key(), "Username": "bob", "Secret": pw}).to_string();
    helper(&sb, &bin, "store", &login("not-bobs-password")).code(4);
    helper(&sb, &bin, "store", &login("pw-bob-0123456789")).code(0);
    let v: serde_json::Value = serde_json::from_str(&helper(&sb, &bin, "get", &reg.key()).stdout).unwrap();
    assert_eq!(v["Username"], "bob");
    let out = skopeo(&sb, &["inspect", "--tls-verify=false", &dest]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // `docker logout`: gone, and skopeo is refused again.
    helper(&sb, &bin, "erase", &reg.key()).code(0);
    helper(&sb, &bin, "get", &reg.key()).code(1);
    assert!(!skopeo(&sb, &["inspect", "--tls-verify=false", &dest]).status.success());
}

#[test]
fn a_forges_token_answers_its_registries_and_no_other() {
    let (sb, bin) = sandbox();
    let tok = "ghp_octocat0123456789abcdefghijABCDE1";
    let gh = Forge::with_users(Kind::Github, &[(tok, "octocat")]);
    sb.github_at(&gh.mock.url());
    sb.run(&["login", "github", "--with-token"], Some(tok)).code(0);
    sb.run(&["setup-docker", "--bin-dir", bin.to_str().unwrap()], None).code(0);
    let auth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.dir.path().join("auth.json")).unwrap()).unwrap();
    assert_eq!(auth["credHelpers"], json!({"ghcr.io": "lanyard", "docker.pkg.github.com": "lanyard"}));
    for server in ["ghcr.io", "https://ghcr.io/v2/", "docker.pkg.github.com"] {
        let r = helper(&sb, &bin, "get", server);
        r.code(0);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!((v["Username"].as_str(), v["Secret"].as_str()), (Some("octocat"), Some(tok)), "{server}");
    }
    for other in ["registry.gitlab.com", "evil.example.com", "ghcr.io.evil.example.com"] {
        let r = helper(&sb, &bin, "get", other);
        r.code(1).lacks(tok);
    }
    // A registry no rule maps answers only when set up by hand, from a named credential.
    sb.run(&["setup-docker", "registry.example.com", "--bin-dir", bin.to_str().unwrap()], None).code(3);
    sb.run(&["setup-docker", "registry.example.com", "--from", "github", "--bin-dir", bin.to_str().unwrap()], None)
        .code(0);
    assert!(helper(&sb, &bin, "get", "registry.example.com").stdout.contains(tok));
    // `docker login` never replaces a forge's credential, and `docker logout` never removes it.
    let r = helper(&sb, &bin, "store", &json!({"ServerURL": "github.com", "Username": "x", "Secret": "y"}).to_string());
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("does not replace it"), "{}", r.stderr);
    helper(&sb, &bin, "erase", "github.com").code(0);
    assert_eq!(sb.run(&["token", "github"], None).stdout.trim(), tok);
    // A plaintext copy in a container tool's file is listed as unmanaged, with the fix.
    use base64::Engine;
    let copy = base64::engine::general_purpose::STANDARD.encode(format!("octocat:{tok}"));
    let with_copy =
        json!({"auths": {"https://ghcr.io": {"auth": copy}}, "credHelpers": {"docker.pkg.github.com": "lanyard"}});
    std::fs::write(sb.dir.path().join("auth.json"), with_copy.to_string()).unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.lacks(tok).lacks(&copy);
    assert!(
        r.stdout.contains("ghcr.io  (base64 `auths` entry)") && r.stdout.contains("lanyard setup-docker ghcr.io"),
        "{}",
        r.stdout
    );
    // A config file that is not JSON is never rewritten.
    std::fs::write(sb.dir.path().join("auth.json"), "{ not json").unwrap();
    let r = sb.run(&["setup-docker", "--bin-dir", bin.to_str().unwrap()], None);
    r.code(2);
    assert_eq!(std::fs::read_to_string(sb.dir.path().join("auth.json")).unwrap(), "{ not json");
}

/// A registry speaking the distribution token protocol: `/v2/` challenges with `Bearer
/// realm=REALM`, the realm issues a token for Basic credentials, `/v2/` takes that token.
fn token_registry(realm: Option<String>) -> Mock {
    Mock::start(move |r: &Req| {
        let realm = realm.clone();
        match r.path.as_str() {
            "/v2/" => match r.header("authorization") {
                Some("Bearer issued-token-0123456789") => Resp::json(200, json!({})),
                _ => {
                    let realm = realm.unwrap_or_else(|| format!("http://{}/token", r.header("host").unwrap_or("")));
                    Resp::json(401, json!({"errors": [{"code": "UNAUTHORIZED"}]}))
                        .with("WWW-Authenticate", &format!("Bearer realm=\"{realm}\",service=\"test-registry\""))
                }
            },
            p if p.starts_with("/token") => {
                use base64::Engine;
                let want = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("alice:{PW}")));
                if r.header("authorization") == Some(want.as_str()) && r.path.contains("service=test-registry") {
                    Resp::json(200, json!({"token": "issued-token-0123456789", "expires_in": 300}))
                } else {
                    Resp::json(401, json!({"details": "bad credentials"}))
                }
            }
            _ => Resp::json(404, json!({})),
        }
    })
}

#[test]
fn the_oci_family_follows_the_token_protocol_and_keeps_the_password_on_its_site() {
    let sb = Sandbox::new();
    let reg = token_registry(None);
    let r = sb.run(&["login", &reg.url(), "--provider", "oci", "--user", "alice", "--with-password"], Some("wrong"));
    r.code(4);
    let r = sb.run(&["login", &reg.url(), "--provider", "oci", "--user", "alice", "--with-password"], Some(PW));
    r.code(0).lacks(PW).lacks("issued-token");
    let r = sb.run(&["status", &reg.key()], None);
    r.code(0);
    assert!(r.stdout.contains("valid"), "{}", r.stdout);
    let asked = reg.requests.lock().unwrap().iter().filter(|q| q.path.starts_with("/token")).count();
    assert!(asked >= 3, "login (twice) and status asked the token service: {asked}");
    // A realm on another site never gets the password.
    let elsewhere = Mock::start(|_| Resp::json(200, json!({"token": "stolen"})));
    let reg2 = token_registry(Some(format!("http://127.0.0.2:{}/token", elsewhere.port)));
    let r = sb.run(&["login", &reg2.url(), "--provider", "oci", "--user", "alice", "--with-password"], Some(PW));
    r.code(2).lacks(PW);
    assert!(r.stderr.contains("another site"), "{}", r.stderr);
    assert_eq!(elsewhere.requests.lock().unwrap().len(), 0, "the other site heard nothing");
}

#[test]
fn a_token_without_the_registry_scopes_is_named_with_the_login_that_asks_for_them() {
    let (sb, bin) = sandbox();
    let tok = "ghp_scoped0123456789abcdefghijABCDE12";
    let gh = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v3/user" => Resp::json(200, json!({"login": "octocat"})).with("X-OAuth-Scopes", "repo, read:org"),
        _ => Resp::json(404, json!({})),
    });
    sb.github_at(&gh.url());
    sb.run(&["login", "github", "--with-token"], Some(tok)).code(0);
    let r = sb.run(&["setup-docker", "ghcr.io", "--bin-dir", bin.to_str().unwrap()], None);
    r.code(0).lacks(tok);
    let fix = "lanyard login github.com --scopes repo,read:org,read:packages,write:packages --force";
    assert!(r.stderr.contains("lacks read:packages and write:packages") && r.stderr.contains(fix), "{}", r.stderr);
    // status says it too, for the registry set up.
    let r = sb.run(&["status", "--offline"], None);
    r.lacks(tok);
    assert!(
        r.stdout.contains("ghcr.io: the token of `octocat@github.com` lacks read:packages") && r.stdout.contains(fix),
        "{}",
        r.stdout
    );
}

#[test]
fn a_provider_file_names_the_registries_its_credentials_answer() {
    let (sb, bin) = sandbox();
    sb.provider(
        "corp",
        "id = \"corp\"\nname = \"Corp\"\nfamily = \"token\"\nhosts = [\"api.corp.example\"]\nregistries = [\"cr.corp.example\"]\n",
    );
    let tok = "tok-corp-0123456789abcdef";
    sb.run(&["login", "api.corp.example", "--with-token"], Some(tok)).code(0);
    sb.run(&["setup-docker", "--bin-dir", bin.to_str().unwrap()], None).code(0);
    assert!(helper(&sb, &bin, "get", "cr.corp.example").stdout.contains(tok));
    helper(&sb, &bin, "get", "cr2.corp.example").code(1).lacks(tok);
    // A registry that is not a `host[:port]` is refused where the file is read.
    sb.provider("bad", "id = \"bad\"\nname = \"Bad\"\nfamily = \"token\"\nregistries = [\"https://x/y\"]\n");
    let r = sb.run(&["providers"], None);
    r.code(2);
    assert!(r.stderr.contains("registries"), "{}", r.stderr);
}

#[test]
fn skopeo_pushes_to_a_token_auth_registry_and_lanyard_follows_the_token_protocol() {
    let Some(_) = peers::require("skopeo", "copies an image to the registry") else { return };
    let Some(_) = peers::require("node", "runs the registry's token service (tests/peers/registry-token)") else {
        return;
    };
    let (sb, bin) = sandbox();
    let Some((cert, key)) = crate::support::self_signed(sb.dir.path(), "issuer", "lanyard-test-issuer") else { return };
    let mut issuer = Killed(
        Command::new("node")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/registry-token/issuer.mjs"))
            .arg(&cert)
            .arg(&key)
            .args(["alice", PW, "test-registry", "lanyard-test-issuer"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(issuer.0.stdout.take().unwrap()), &mut line).unwrap();
    let port = line.trim().strip_prefix("READY ").unwrap().to_string();
    let Some(reg) = Registry::with_token_auth(&format!("http://127.0.0.1:{port}/token"), &cert) else { return };
    let url = format!("http://{}", reg.key());
    sb.run(&["login", &url, "--provider", "oci", "--user", "alice", "--with-password"], Some("wrong-password")).code(4);
    sb.run(&["login", &url, "--provider", "oci", "--user", "alice", "--with-password"], Some(PW)).code(0).lacks(PW);
    sb.run(&["setup-docker", &reg.key(), "--bin-dir", bin.to_str().unwrap()], None).code(0);
    let layout = sb.dir.path().join("layout");
    oci_layout(&layout);
    let dest = format!("docker://{}/demo/hello:1", reg.key());
    let out = skopeo(&sb, &["copy", "--dest-tls-verify=false", &format!("oci:{}:1", layout.display()), &dest]);
    drop(issuer);
    assert!(out.status.success(), "skopeo copy through token auth: {}", String::from_utf8_lossy(&out.stderr));
}

/// A child process killed and reaped on drop.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn with_a_github_registry_set_up_the_login_asks_for_a_classic_token_with_the_packages_scopes() {
    let (sb, bin) = sandbox();
    let tok = "ghp_octocat0123456789abcdefghijABCDE1";
    let gh = Forge::with_users(Kind::Github, &[(tok, "octocat")]);
    sb.github_at(&gh.mock.url());
    let r = sb.run(&["login", "github"], None);
    assert!(r.stderr.contains("/settings/personal-access-tokens/new"), "fine-grained by default: {}", r.stderr);
    sb.run(&["login", "github", "--with-token"], Some(tok)).code(0);
    sb.run(&["setup-docker", "ghcr.io", "--bin-dir", bin.to_str().unwrap()], None).code(0);
    let r = sb.run(&["login", "github", "--force"], None);
    assert!(
        r.stderr.contains("/settings/tokens/new?scopes=repo,read:org,read:packages,write:packages"),
        "a classic token with the packages scopes: {}",
        r.stderr
    );
    assert!(r.stderr.contains("ghcr.io"), "{}", r.stderr);
}
