//! cargo (SPEC §12): the machine's cargo fetches a crate from a sparse registry with
//! `auth-required` (served by the test), asking `lanyard cargo-credential` for the token through
//! the credential-provider protocol; `setup-cargo` writes `~/.cargo/config.toml`.

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;
use sha2::Digest;

use crate::support::{Mock, Req, Resp, Sandbox};

const TOK: &str = "tok-cargo-0123456789abcdef";

/// The real cargo binary (not rustup's proxy, which needs the person's rustup home).
fn cargo() -> Option<PathBuf> {
    let real = Command::new("rustup")
        .args(["which", "cargo"])
        .output()
        .ok()
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .filter(|p| p.is_file());
    real.or_else(|| crate::peers::require("cargo", "fetches a crate through lanyard"))
}

/// A `.crate` file (a gzipped tar of the package), made with Python's standard library.
fn crate_file(dir: &std::path::Path) -> Vec<u8> {
    let script = r#"
import gzip, io, sys, tarfile
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode='w') as t:
    for name, data in [('lanyard-demo-0.1.0/Cargo.toml', b'[package]\nname = "lanyard-demo"\nversion = "0.1.0"\nedition = "2021"\n'),
                       ('lanyard-demo-0.1.0/src/lib.rs', b'pub fn demo() -> u32 { 7 }\n')]:
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0; t.addfile(ti, io.BytesIO(data))
open(sys.argv[1], 'wb').write(gzip.compress(raw.getvalue(), mtime=0))
"#;
    let path = dir.join("lanyard-demo-0.1.0.crate");
    assert!(Command::new("/usr/bin/python3").args(["-c", script]).arg(&path).status().unwrap().success());
    std::fs::read(path).unwrap()
}

#[test]
fn cargo_fetches_from_an_auth_required_registry_with_lanyards_token() {
    let Some(cargo) = cargo() else { return };
    let sb = Sandbox::new();
    let krate = crate_file(sb.dir.path());
    let cksum = hex(&sha2::Sha256::digest(&krate));
    let srv = Mock::start(move |r: &Req| {
        let authed = r.header("authorization") == Some(format!("Bearer {TOK}").as_str());
        match r.path.as_str() {
            "/api/v1/version" => Resp::json(200, json!({"version": "1.22.3"})),
            "/api/v1/user" if r.header("authorization") == Some(format!("token {TOK}").as_str()) => {
                Resp::json(200, json!({"id": 1, "login": "gitea-user"}))
            }
            "/cargo/index/config.json" => {
                let host = r.header("host").unwrap_or_default().to_string();
                Resp::json(200, json!({"dl": format!("http://{host}/cargo/dl"), "api": format!("http://{host}/cargo"), "auth-required": true}))
            }
            "/cargo/index/la/ny/lanyard-demo" if authed => Resp::text(
                200,
                &json!({"name": "lanyard-demo", "vers": "0.1.0", "deps": [], "cksum": cksum, "features": {}, "yanked": false}).to_string(),
            ),
            "/cargo/dl/lanyard-demo/0.1.0/download" if authed => Resp { status: 200, headers: vec![], body: krate.clone() },
            _ => Resp::json(401, json!({"errors": [{"detail": "unauthorized"}]})),
        }
    });
    sb.run(&["login", &srv.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let cargo_home = sb.dir.path().join("cargo-home");
    std::fs::create_dir_all(&cargo_home).unwrap();
    std::fs::write(cargo_home.join("config.toml"), "# mine\n[net]\nretry = 0\n").unwrap();
    let mut sb = sb;
    sb.set("CARGO_HOME", cargo_home.to_str().unwrap());
    let index = format!("sparse+{}/cargo/index/", srv.url());
    let r = sb.run(&["setup-cargo", "corp", "--index", &index], None);
    r.code(0).lacks(TOK);
    let config = std::fs::read_to_string(cargo_home.join("config.toml")).unwrap();
    assert!(
        config.contains("# mine") && config.contains("[registries.corp]") && config.contains("cargo-credential"),
        "{config}"
    );
    assert!(!config.contains(TOK));

    // The protocol as cargo speaks it.
    let req = json!({"v": 1, "registry": {"index-url": index, "name": "corp"}, "kind": "get", "operation": "read", "args": []});
    let r = sb.run(&["cargo-credential", "--cargo-plugin"], Some(&format!("{req}\n")));
    r.code(0);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some(r#"{"v":[1]}"#));
    let answer: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(answer["Ok"]["token"], format!("Bearer {TOK}"), "Gitea's registry takes `Bearer TOKEN`");
    assert_eq!(answer["Ok"]["cache"], "session");
    let other = json!({"v": 1, "registry": {"index-url": "sparse+https://elsewhere.example/index/"}, "kind": "get", "operation": "read", "args": []});
    let r = sb.run(&["--cargo-plugin"], Some(&format!("{other}\n")));
    r.lacks(TOK);
    assert!(r.stdout.contains(r#"{"Err":{"kind":"not-found"}}"#), "{}", r.stdout);

    // The real cargo, through it.
    let project = sb.dir.path().join("consumer");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(
        project.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nlanyard-demo = { version = \"0.1\", registry = \"corp\" }\n",
    )
    .unwrap();
    std::fs::write(project.join("src/lib.rs"), "").unwrap();
    let out = Command::new(&cargo)
        .args(["fetch", "--manifest-path"])
        .arg(project.join("Cargo.toml"))
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .env("CARGO_NET_OFFLINE", "false")
        .env("RUSTC", cargo.with_file_name("rustc"))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo fetch: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lanyard-demo"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(srv.hits("/cargo/dl/lanyard-demo/0.1.0/download") >= 1, "the crate came from the registry");
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
