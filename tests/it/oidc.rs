//! The device flow and refresh against a real OpenID provider: the npm package `oidc-provider`
//! (tests/peers/oidc/server.mjs) on 127.0.0.1, with tests/peers/oidc/human.mjs playing the person
//! at the browser through its verification, login and consent pages.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::peers;
use crate::support::{Run, Sandbox};

pub fn peer_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/oidc"))
}

/// A running oidc-provider, killed on drop.
pub struct Provider {
    child: Child,
    pub issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// Starts the provider, or `None` (loudly) when node or the npm package is missing.
    pub fn start(access_ttl: u64, device_ttl: u64) -> Option<Provider> {
        Provider::start_with(access_ttl, device_ttl, &[])
    }

    /// [`Provider::start`] with more of server.mjs's switches (`REGISTRATION=1`).
    pub fn start_with(access_ttl: u64, device_ttl: u64, env: &[(&str, &str)]) -> Option<Provider> {
        let node = peers::require("node", "Node.js runs the oidc-provider test peer")?;
        if !peer_dir().join("node_modules/oidc-provider").is_dir() {
            peers::skip("oidc-provider (npm)", "run `npm ci --prefix tests/peers/oidc`");
            return None;
        }
        let mut child = Command::new(node)
            .arg(peer_dir().join("server.mjs"))
            .env("ACCESS_TTL", access_ttl.to_string())
            .env("ID_TTL", access_ttl.to_string())
            .env("DEVICE_TTL", device_ttl.to_string())
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let port = line.trim().strip_prefix("READY ").unwrap_or_else(|| panic!("oidc peer said {line:?}"));
        Some(Provider { child, issuer: format!("http://127.0.0.1:{port}") })
    }

    pub fn stats(&self) -> Value {
        stats_with_std(&self.issuer)
    }

    /// Plays the person: approve or deny the user code.
    pub fn human(&self, code: &str, decision: &str) {
        let out = Command::new("node")
            .arg(peer_dir().join("human.mjs"))
            .args([&self.issuer, code, decision])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "human.mjs: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `GET /__stats` over a plain socket.
fn stats_with_std(issuer: &str) -> Value {
    use std::io::{Read, Write};
    let addr = issuer.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET /__stats HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    serde_json::from_str(buf.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

/// Starts `lanyard login` for the provider, waits for the user code on stderr, lets `act` play
/// the person with it, and returns the finished run with the time from approval to exit.
pub fn login_with(sb: &Sandbox, args: &[&str], act: impl FnOnce(&str)) -> (Run, Duration) {
    run_watching(
        sb,
        args,
        |line| line.strip_prefix("First copy your one-time code: ").map(|c| c.trim().to_string()),
        act,
    )
}

/// Starts lanyard, reads its stderr until `find` picks a value out of a line (a user code, a
/// URL), lets `act` use it, and returns the finished run with the time from `act` to exit.
pub fn run_watching(
    sb: &Sandbox,
    args: &[&str],
    mut find: impl FnMut(&str) -> Option<String> + Send + 'static,
    act: impl FnOnce(&str),
) -> (Run, Duration) {
    let mut c = sb.cmd();
    c.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(v) = find(&line) {
                let _ = tx.send(v);
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let Ok(value) = rx.recv_timeout(Duration::from_secs(30)) else {
        let _ = child.kill();
        panic!("lanyard printed nothing to act on; stderr:\n{}", reader.join().unwrap());
    };
    act(&value);
    let acted = Instant::now();
    let out = child.wait_with_output().unwrap();
    let elapsed = acted.elapsed();
    let stderr = reader.join().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    };
    (run, elapsed)
}

fn store(sb: &Sandbox) -> Value {
    sb.store_view()
}

#[test]
fn real_provider_login_polling_and_status() {
    let Some(op) = Provider::start(600, 120) else { return };
    let sb = Sandbox::new();
    let (r, after) = login_with(
        &sb,
        &["login", &op.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| op.human(code, "approve"),
    );
    r.code(0);
    eprintln!("oidc: approval to lanyard exit: {:.2}s", after.as_secs_f64());
    assert!(r.stderr.contains("as alice"), "{}", r.stderr);
    let key = op.issuer.trim_start_matches("http://").to_string();
    let s = store(&sb);
    let c = &s["credentials"][&key];
    assert_eq!(c["family"], "oidc");
    assert_eq!(c["user"], "alice");
    assert!(c["refresh_token"].is_string(), "offline_access gives a refresh token: {c}");
    assert!(c["id_token"].as_str().unwrap().starts_with("eyJ"));
    let access = c["token"].as_str().unwrap().to_string();
    r.lacks(&access);
    // Polling never faster than the interval (5 s: oidc-provider sends none).
    let polls: Vec<i64> = op.stats()["device_polls"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert!(!polls.is_empty());
    for w in polls.windows(2) {
        assert!(w[1] - w[0] >= 4990, "polls {polls:?} closer than 5 s");
    }
    assert_eq!(op.stats()["device_grants"], 1, "the device code was redeemed once");
    let r = sb.run(&["status", &key], None);
    r.code(0).lacks(&access);
    assert!(r.stdout.starts_with("✓ ") && r.stdout.lines().next().unwrap().ends_with("  valid"), "{}", r.stdout);
    let r = sb.run(&["token", &key], None);
    assert_eq!(r.stdout.trim(), access);
}

#[test]
fn real_provider_denial_is_exit_1() {
    let Some(op) = Provider::start(60, 120) else { return };
    let sb = Sandbox::new();
    let (r, _) = login_with(
        &sb,
        &["login", &op.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| op.human(code, "deny"),
    );
    r.code(1);
    assert!(r.stderr.contains("authorization denied"), "{}", r.stderr);
    assert!(!sb.store_path().exists());
}

#[test]
fn real_provider_code_expiry_is_exit_1() {
    let Some(op) = Provider::start(60, 8) else { return };
    let sb = Sandbox::new();
    let (r, _) = login_with(
        &sb,
        &["login", &op.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |_| {},
    );
    r.code(1);
    assert!(r.stderr.contains("authorization timed out"), "{}", r.stderr);
    assert!(!sb.store_path().exists());
}

#[test]
fn real_provider_refresh_after_expiry_is_single_flight() {
    let Some(op) = Provider::start(4, 120) else { return };
    let sb = Sandbox::new();
    let (r, _) = login_with(
        &sb,
        &["login", &op.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| op.human(code, "approve"),
    );
    r.code(0);
    let key = op.issuer.trim_start_matches("http://").to_string();
    let first = store(&sb)["credentials"][&key]["token"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(4500));
    sb.run(&["status", &key, "--offline"], None).code(4);
    // 8 processes at once, after expiry: one refresh grant, one new token for all.
    let jobs = vec![(vec!["token".to_string(), key.clone(), "--min-valid".into(), "1s".into()], None); 8];
    let outs: Vec<String> = sb
        .run_concurrently(&jobs)
        .into_iter()
        .map(|r| {
            r.code(0);
            r.stdout.trim().to_string()
        })
        .collect();
    assert!(outs.iter().all(|o| *o == outs[0] && *o != first), "{outs:?}");
    let stats = op.stats();
    assert_eq!(stats["refresh_grants"], 1, "{stats}");
    assert_eq!(stats["refresh_errors"], 0, "no reused refresh token: {stats}");
    // The rotated refresh token was stored: a later refresh works.
    std::thread::sleep(Duration::from_millis(4500));
    sb.run(&["refresh", &key, "--min-valid", "1s"], None).code(0);
    assert_eq!(op.stats()["refresh_grants"], 2);
    assert_eq!(op.stats()["refresh_errors"], 0);
}
