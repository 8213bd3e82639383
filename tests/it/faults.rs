//! Faults (issue 7 §2): lanyard killed with SIGKILL at random moments while it writes each kind of
//! file, and writes that fail because the disk is full or a file-size limit is hit. Every file is
//! afterwards the old or the new version, never torn; temp files do not pile up.

use std::collections::BTreeMap;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::forges::{Forge, Kind};
use crate::load::jwt;
use crate::support::{Mock, Req, Resp, Sandbox, run_cmd};

const ROUNDS: usize = 200;

/// A small deterministic PRNG (xorshift), so a failing round can be replayed from its seed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Starts lanyard with `stdin`, kills it with SIGKILL after `delay` (or lets it finish first).
/// Returns whether it was killed before it exited, and its pid.
fn run_and_kill(sb: &Sandbox, args: &[String], stdin: &str, delay: Duration) -> (bool, u32) {
    use std::io::Write;
    let mut c = sb.cmd();
    c.args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = c.spawn().unwrap();
    let pid = child.id();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let until = Instant::now() + delay;
    while Instant::now() < until {
        if child.try_wait().unwrap().is_some() {
            return (false, pid);
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    (killed, pid)
}

/// How the rounds of one file kind ended.
#[derive(Debug, Default)]
struct Rounds {
    /// Killed before exiting.
    killed: usize,
    /// Killed while its temp file existed: between creating it and renaming it into place.
    mid_write: usize,
    /// Killed after the new version was in place (before exiting).
    after_rename: usize,
    /// Exited before the kill.
    finished: usize,
}

fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("lanyard-tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// How long one uninterrupted run takes: the kill delays are spread over it.
fn duration_of(sb: &Sandbox, args: &[String], stdin: &str) -> Duration {
    let started = Instant::now();
    let mut c = sb.cmd();
    c.args(args);
    run_cmd(c, Some(stdin)).code(0);
    started.elapsed()
}

/// Kills `args` (with one of `values` on stdin, in turn) ROUNDS times at random moments — half of
/// them spread over a whole run, half over its second half, where the writes are; after each
/// round `check` reads the file and returns the value it holds, which must be the value before
/// the round or the one the round wrote.
fn kill_rounds(
    sb: &Sandbox,
    seed: u64,
    args: &dyn Fn(usize) -> Vec<String>,
    value: &dyn Fn(usize) -> String,
    check: &dyn Fn() -> String,
    dir: &Path,
) -> Rounds {
    // The shortest of three runs: the first may do one-time work (moving nix.conf's tokens).
    let span = (0..3).map(|_| duration_of(sb, &args(0), &value(0)).as_micros() as u64).min().unwrap();
    let mut before = check();
    assert_eq!(before, value(0));
    let mut rng = Rng(seed);
    let mut r = Rounds::default();
    for round in 1..=ROUNDS {
        let delay = if round % 2 == 0 { rng.below(span * 12 / 10) } else { span / 2 + rng.below(span * 6 / 10) };
        let (killed, pid) = run_and_kill(sb, &args(round), &value(round), Duration::from_micros(delay));
        let now = check();
        assert!(
            now == before || now == value(round),
            "round {round} (seed {seed}): {now:?} is neither {before:?} nor {:?}",
            value(round)
        );
        if killed {
            r.killed += 1;
            if temps(dir).iter().any(|t| t.ends_with(&format!("-{pid}"))) {
                r.mid_write += 1;
            } else if now == value(round) && now != before {
                r.after_rename += 1;
            }
        } else {
            r.finished += 1;
        }
        before = now;
    }
    assert!(r.mid_write + r.after_rename > 0, "no kill landed in or after the write: {r:?}");
    // Whatever a killed run left, the next complete run cleans.
    duration_of(sb, &args(ROUNDS + 1), &value(ROUNDS + 1));
    assert_eq!(check(), value(ROUNDS + 1));
    assert_eq!(temps(dir), Vec::<String>::new(), "temp files left in {}", dir.display());
    r
}

fn s(a: &[&str]) -> Vec<String> {
    a.iter().map(|x| x.to_string()).collect()
}

#[test]
fn sigkill_during_store_writes_never_tears_it() {
    let sb = Sandbox::new();
    let tokens: Vec<String> = (0..=ROUNDS + 1).map(|i| format!("tok-kill-0123456789abcdef-{i:04}")).collect();
    let forge = Forge::start(Kind::Gitea, &tokens.iter().map(String::as_str).collect::<Vec<_>>());
    let other = Forge::start(Kind::Gitea, &["tok-other-0123456789abcdef"]);
    sb.run(&["login", &other.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-other-0123456789abcdef"))
        .code(0);
    let url = forge.mock.url();
    let (key, okey) = (forge.mock.key(), other.mock.key());
    let args = |_| s(&["login", &url, "--provider", "gitea", "--with-token", "--force"]);
    let check = || {
        let text = std::fs::read_to_string(sb.store_path()).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("torn store: {e}\n{text}"));
        let v = crate::support::store_view_of(&v);
        assert_eq!(v["credentials"][&okey]["token"], "tok-other-0123456789abcdef");
        v["credentials"][&key]["token"].as_str().unwrap_or("").to_string()
    };
    let r = kill_rounds(&sb, 0x5eed_0001, &args, &|i| tokens[i].clone(), &check, &sb.config_dir());
    eprintln!("store: {r:?}");
    assert!(r.killed >= ROUNDS / 4, "the kills must land while lanyard runs: {r:?}");
}

#[test]
fn sigkill_during_nix_writes_never_tears_them() {
    let sb = Sandbox::new();
    let tokens: Vec<String> = (0..=ROUNDS + 1).map(|i| format!("ghp_kill0123456789abcdefghij{i:04}")).collect();
    let gh = Forge::start(Kind::Github, &tokens.iter().map(String::as_str).collect::<Vec<_>>());
    sb.github_at(&gh.mock.url());
    // A nix.conf with settings and 50 tokens of its own, moved into the include by the first login.
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(sb.nix_conf().parent().unwrap()).unwrap();
    let others: String = (0..50).map(|i| format!(" host{i}.example.com=keep{i}")).collect();
    std::fs::write(sb.nix_conf(), format!("max-jobs = 4\naccess-tokens ={others}\n")).unwrap();
    let args = |_| s(&["login", "github", "--with-token", "--force"]);
    let check = || {
        let conf = std::fs::read_to_string(sb.nix_conf()).unwrap();
        assert_eq!(conf, "max-jobs = 4\n!include access-tokens.conf\n");
        let text = std::fs::read_to_string(sb.tokens_conf()).unwrap();
        let pairs: BTreeMap<String, String> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .flat_map(|l| {
                l.strip_prefix("access-tokens = ").unwrap_or_else(|| panic!("torn include: {text}")).split(' ')
            })
            .map(|p| p.split_once('=').map(|(a, b)| (a.to_string(), b.to_string())).unwrap())
            .collect();
        assert_eq!(pairs.len(), 51, "{text}");
        for i in 0..50 {
            assert_eq!(pairs[&format!("host{i}.example.com")], format!("keep{i}"));
        }
        pairs["github.com"].clone()
    };
    let r = kill_rounds(&sb, 0x5eed_0002, &args, &|i| tokens[i].clone(), &check, sb.nix_conf().parent().unwrap());
    eprintln!("nix: {r:?}");
    assert!(r.killed >= ROUNDS / 4, "{r:?}");
    if let Some(t) = crate::nix::nix_tokens(&sb) {
        assert_eq!(t["github.com"], tokens[ROUNDS + 1]);
        assert_eq!(t.len(), 51);
    }
}

#[test]
fn sigkill_during_duumbi_writes_never_tears_it() {
    let sb = Sandbox::new();
    let m = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" => Resp::json(404, json!({"detail": "Not Found"})),
        "/api/v1/auth/verify" if r.header("authorization").is_some_and(|a| a.starts_with("Bearer duu_")) => {
            Resp::json(200, json!({"username": "ada"}))
        }
        _ => Resp::json(401, json!({"error": "unauthorized"})),
    });
    let path = sb.home().join(".duumbi/credentials.toml");
    std::fs::DirBuilder::new().mode(0o700).create(path.parent().unwrap()).unwrap();
    let head = "# keys\nanthropic_api_key = \"sk-keep\"\n\n[registries.other] # mine\ntoken = \"keep\"\n";
    std::fs::write(&path, head).unwrap();
    let url = m.url();
    let args = |_| s(&["login", &url, "--provider", "duumbi", "--with-token", "--name", "work", "--force"]);
    let value = |i| format!("duu_kill0123456789abcdef{i:04}");
    let check = || {
        let text = std::fs::read_to_string(&path).unwrap();
        let t: toml::Table = text.parse().unwrap_or_else(|e| panic!("torn credentials.toml: {e}\n{text}"));
        assert!(text.starts_with(head), "{text}");
        t.get("registries").and_then(|r| r.get("work")).and_then(|w| w["token"].as_str()).unwrap_or("").to_string()
    };
    // The first login creates `work`: seed it so that every round replaces a value.
    let first = args(0);
    sb.run(&first.iter().map(String::as_str).collect::<Vec<_>>(), Some(&value(0))).code(0);
    let r = kill_rounds(&sb, 0x5eed_0003, &args, &value, &check, path.parent().unwrap());
    eprintln!("duumbi: {r:?}");
    assert!(r.killed >= ROUNDS / 4, "{r:?}");
}

#[test]
fn sigkill_during_skillsctl_refresh_never_tears_it() {
    let sb = Sandbox::new();
    // A token endpoint that never spends refresh tokens (so a killed refresh can be retried) and
    // hands out numbered ID tokens.
    let issued = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let iss = issued.clone();
    let m = Mock::start(move |_r: &Req| {
        let mut v = iss.lock().unwrap();
        let id = jwt(chrono::Utc::now().timestamp() + 3600 + v.len() as i64);
        v.push(id.clone());
        Resp::json(
            200,
            json!({"access_token": "a-0123456789abcdef", "expires_in": 3600, "id_token": id, "refresh_token": "rt"}),
        )
    });
    let file = sb.home().join(".config/skillsctl/credentials.json");
    let expired = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    let store = json!({"version": 1, "credentials": {"skills.example.com": {
        "url": "https://skills.example.com", "provider": "skillsctl", "family": "skillsctl", "kind": "oauth",
        "token": "a-old-0123456789", "id_token": jwt(1), "expires_at": expired, "refresh_token": "rt",
        "client_id": "cid", "token_endpoint": format!("{}/token", m.url()), "storage": "file",
        "sinks": [format!("skillsctl:{}", file.display())], "created_at": expired}}});
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(sb.config_dir()).unwrap();
    std::fs::write(sb.store_path(), store.to_string()).unwrap();
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    sb.run(&["refresh", "skills.example.com", "--force"], None).code(0);
    let check = || {
        let text = std::fs::read_to_string(&file).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("torn skillsctl file: {e}\n{text}"));
        let id = v["id_token"].as_str().unwrap().to_string();
        let all = issued.lock().unwrap();
        let at = all.iter().position(|x| *x == id).expect("an ID token the server issued");
        // A kill between the store's rename and the file's leaves the file one refresh behind
        // (rewritten by the next refresh); the store, which keeps the rotated refresh token, is
        // never behind the file.
        let st: Value = sb.store_view();
        let st_at = all.iter().position(|x| x == st["credentials"]["skills.example.com"]["id_token"].as_str().unwrap());
        assert!(st_at.is_some_and(|s| s >= at), "store {st_at:?} vs file {at}");
        at.to_string()
    };
    let args = |_| s(&["refresh", "skills.example.com", "--force"]);
    let span = duration_of(&sb, &args(0), "");
    let mut rng = Rng(0x5eed_0004);
    let mut before: usize = check().parse().unwrap();
    let (mut killed, mut mid_write) = (0, 0);
    for round in 1..=ROUNDS {
        let n_before = issued.lock().unwrap().len();
        let delay = Duration::from_micros(rng.below(span.as_micros() as u64 * 12 / 10));
        let (k, pid) = run_and_kill(&sb, &args(round), "", delay);
        killed += k as usize;
        if k && [file.parent().unwrap(), &sb.config_dir()]
            .iter()
            .any(|d| temps(d).iter().any(|t| t.ends_with(&format!("-{pid}"))))
        {
            mid_write += 1;
        }
        let now: usize = check().parse().unwrap();
        assert!(
            now == before || now >= n_before,
            "round {round}: file has token {now}, before {before}, issued {n_before}"
        );
        before = now;
    }
    sb.run(&["refresh", "skills.example.com", "--force"], None).code(0);
    assert_eq!(check(), (issued.lock().unwrap().len() - 1).to_string());
    assert_eq!(temps(file.parent().unwrap()), Vec::<String>::new());
    assert_eq!(temps(&sb.config_dir()), Vec::<String>::new());
    eprintln!("skillsctl: {killed} of {ROUNDS} rounds killed before exit, {mid_write} of them mid-write");
    assert!(killed >= ROUNDS / 4, "{killed}");
}

/// lanyard under a file-size limit of `kib` KiB, with SIGXFSZ ignored or not.
fn limited(sb: &Sandbox, kib: u64, ignore_xfsz: bool, args: &[&str]) -> std::process::Command {
    let trap = if ignore_xfsz { "trap '' XFSZ; " } else { "" };
    sb.cmd_after(&format!("{trap}ulimit -f {kib}"), args)
}

#[test]
fn file_size_limit_fails_clearly_and_keeps_the_old_store() {
    let sb = Sandbox::new();
    let forges: Vec<(Forge, String)> = (0..40)
        .map(|i| {
            let t = format!("tok-full-0123456789abcdef-{i:02}");
            (Forge::start(Kind::Gitea, &[&t]), t)
        })
        .collect();
    // A store of a few KiB.
    for (f, t) in &forges[..30] {
        sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(t)).code(0);
    }
    let old = std::fs::read(sb.store_path()).unwrap();
    let kib = old.len() as u64 / 1024; // the next store is bigger than this
    let (f, t) = &forges[30];
    // With SIGXFSZ ignored, the write fails with EFBIG: a clear error, exit 7.
    let r = run_cmd(limited(&sb, kib, true, &["login", &f.mock.url(), "--provider", "gitea", "--with-token"]), Some(t));
    r.code(7).lacks(t);
    assert!(r.stderr.contains("credentials.json") && r.stderr.contains("hint:"), "{}", r.stderr);
    assert_eq!(std::fs::read(sb.store_path()).unwrap(), old, "old store intact");
    assert_eq!(temps(&sb.config_dir()), Vec::<String>::new(), "the failed write removed its temp file");
    // With the default action, the kernel kills lanyard mid-write: the old store survives, and the
    // temp file it left is cleaned by the next run.
    let r =
        run_cmd(limited(&sb, kib, false, &["login", &f.mock.url(), "--provider", "gitea", "--with-token"]), Some(t));
    assert_ne!(r.code, 0);
    assert_eq!(std::fs::read(sb.store_path()).unwrap(), old);
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(t)).code(0);
    assert_eq!(temps(&sb.config_dir()), Vec::<String>::new());
    assert_eq!(sb.run(&["token", &f.mock.key()], None).stdout.trim(), t);
}

/// Mounts a tiny tmpfs over `dir` in a private mount namespace, fills it, runs lanyard, and copies
/// back what is left in `dir`. Needs root (CI runs as root); otherwise skips loudly.
#[test]
fn full_disk_fails_clearly_and_keeps_every_file() {
    if rustix_euid() != 0 {
        crate::peers::skip("root", "the full-disk test mounts a tmpfs");
        return;
    }
    if crate::peers::require("unshare", "a private mount namespace for a full tmpfs").is_none() {
        return;
    }
    let sb = Sandbox::new();
    let tokens: Vec<String> = (0..2).map(|i| format!("tok-disk-0123456789abcdef-{i}")).collect();
    let forges: Vec<Forge> = tokens.iter().map(|t| Forge::start(Kind::Gitea, &[t])).collect();
    sb.run(&["login", &forges[0].mock.url(), "--provider", "gitea", "--with-token"], Some(&tokens[0])).code(0);
    let dir = sb.config_dir();
    let saved: PathBuf = sb.dir.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    let prog = sb.cmd().get_program().to_string_lossy().into_owned();
    let script = r#"set -e
cp -a "$D/." "$S/before"
mount -t tmpfs -o size=64k,mode=0700 lanyard-full "$D"
cp -a "$S/before/." "$D/"
dd if=/dev/zero of="$D/.filler" bs=1k count=1024 2>/dev/null || true
set +e
"$P" login "$U" --provider gitea --with-token < "$S/token" > "$S/out" 2> "$S/err"
echo $? > "$S/code"
rm -f "$D/.filler"
cp -a "$D/." "$S/after"
"#;
    std::fs::write(saved.join("token"), format!("{}\n", tokens[1])).unwrap();
    let mut c = std::process::Command::new("unshare");
    c.env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    c.env("D", &dir).env("S", &saved).env("P", &prog).env("U", forges[1].mock.url());
    c.args(["--mount", "--propagation", "private", "sh", "-c", script]);
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code = std::fs::read_to_string(saved.join("code")).unwrap();
    let err = std::fs::read_to_string(saved.join("err")).unwrap();
    assert_eq!(code.trim(), "7", "{err}");
    assert!(err.contains("No space left on device") && err.contains("free some disk space"), "{err}");
    assert!(!err.contains(&tokens[1]));
    assert_eq!(
        std::fs::read(saved.join("after/credentials.json")).unwrap(),
        std::fs::read(saved.join("before/credentials.json")).unwrap(),
        "the old store survives a full disk"
    );
    assert_eq!(temps(&saved.join("after")), Vec::<String>::new());
    // Outside the namespace nothing changed either.
    assert_eq!(sb.run(&["token", &forges[0].mock.key()], None).stdout.trim(), tokens[0]);
    sb.run(&["token", &forges[1].mock.key()], None).code(3);
}

fn rustix_euid() -> u32 {
    // The test crate has no libc binding; `id -u` answers.
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}
