//! Secrets at rest and the agent (SPEC §13): `storage = "encrypted"` with an age identity file
//! or a passphrase, checked from outside with Debian's `age`; the agent answering `token`,
//! `git-credential get` and `exec`, locking, refusing other users, not dumpable; migration
//! between stores; an agent killed mid-refresh; the keyring behind the agent.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::keyring::{SecretService, files_containing};
use crate::peers;
use crate::support::{Mock, Req, Resp, Sandbox};

const TOK: &str = "tok-sealed-0123456789abcdefXYZ";
const PASS: &str = "correct horse battery staple";

/// A sandbox with a runtime dir (where the agent's socket goes) and a `token`-family provider.
fn sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    let run = sb.dir.path().join("run");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    sb.set("XDG_RUNTIME_DIR", run.to_str().unwrap());
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"svc.example.com\"]\n");
    sb
}

fn config(sb: &Sandbox, text: &str) {
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("config.toml"), text).unwrap();
}

/// An age identity made by Debian's `age-keygen` (None: the peer is missing, said).
fn age_key(sb: &Sandbox) -> Option<PathBuf> {
    peers::require("age-keygen", "makes the identity file the encrypted store opens with")?;
    peers::require("age", "decrypts lanyard's file as a person would, without lanyard")?;
    let key = sb.home().join("age-key.txt");
    let out = Command::new("age-keygen").arg("-o").arg(&key).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    Some(key)
}

/// What `age -d -i KEY FILE` prints.
fn age_decrypt(key: &Path, file: &Path) -> String {
    let out = Command::new("age").arg("-d").arg("-i").arg(key).arg(file).output().unwrap();
    assert!(out.status.success(), "age -d: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every file under HOME and the runtime dir holding `secret` (none is the rule).
#[track_caller]
fn nowhere_in_clear(sb: &Sandbox, secrets: &[&str]) {
    for s in secrets {
        let mut hits = files_containing(&sb.home(), s);
        hits.extend(files_containing(&sb.dir.path().join("run"), s));
        assert_eq!(hits, Vec::<PathBuf>::new(), "`{s}` is in clear on disk");
    }
}

/// The agent a test started: stopped (and killed, if it must be) at the end.
struct AgentGuard {
    stop: Command,
    pid: u32,
}

impl AgentGuard {
    fn of(sb: &Sandbox) -> AgentGuard {
        let mut stop = sb.cmd();
        stop.args(["agent", "stop"]);
        AgentGuard { stop, pid: agent_pid(sb) }
    }
}

impl Drop for AgentGuard {
    fn drop(&mut self) {
        let _ = self.stop.output();
        let _ = Command::new("kill").arg("-9").arg(self.pid.to_string()).output();
    }
}

fn agent_pid(sb: &Sandbox) -> u32 {
    let r = sb.run(&["agent", "status"], None);
    r.code(0);
    let pid = r.stdout.split("pid ").nth(1).and_then(|s| s.split_whitespace().next()).unwrap();
    pid.parse().unwrap()
}

fn start_agent(sb: &Sandbox) -> AgentGuard {
    let r = sb.run(&["agent", "start"], None);
    r.code(0);
    let pid = r.stderr.split("(pid ").nth(1).and_then(|s| s.split(')').next()).unwrap().parse().unwrap();
    let mut stop = sb.cmd();
    stop.args(["agent", "stop"]);
    AgentGuard { stop, pid }
}

fn socket_dir(sb: &Sandbox) -> PathBuf {
    sb.dir.path().join("run/lanyard")
}

#[test]
fn an_identity_file_keeps_every_secret_encrypted_and_age_reads_it_back() {
    let sb = sandbox();
    let Some(key) = age_key(&sb) else { return };
    config(&sb, &format!("storage = \"encrypted\"\n[encrypted]\nidentity_file = \"{}\"\n", key.display()));
    let r = sb.run(&["login", "svc.example.com", "--with-token"], Some(TOK));
    r.code(0).lacks(TOK);
    assert!(r.stderr.contains("encrypted in") && r.stderr.contains("secrets.age"), "{}", r.stderr);
    nowhere_in_clear(&sb, &[TOK]);
    // A person recovers the secret with the age CLI and the same identity.
    let plain = age_decrypt(&key, &sb.config_dir().join("secrets.age"));
    assert!(plain.contains(TOK), "{plain}");
    assert_eq!(sb.run(&["token", "svc.example.com"], None).stdout.trim(), TOK);
    let r = sb.run(&["status", "svc.example.com", "--offline"], None);
    r.code(0).lacks(TOK);
    assert!(r.stdout.contains("secrets.age (age-encrypted)") && r.stdout.contains("(encrypted)"), "{}", r.stdout);
    // The wrong key: exit 7, naming the fix; nothing changed.
    let other = sb.home().join("other-key.txt");
    assert!(Command::new("age-keygen").arg("-o").arg(&other).output().unwrap().status.success());
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = std::fs::read(sb.config_dir().join("secrets.age")).unwrap();
    config(&sb, &format!("storage = \"encrypted\"\n[encrypted]\nidentity_file = \"{}\"\n", other.display()));
    let r = sb.run(&["token", "svc.example.com"], None);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("not encrypted to this key") && r.stderr.contains("identity_file"), "{}", r.stderr);
    assert_eq!(std::fs::read(sb.config_dir().join("secrets.age")).unwrap(), before);
    config(&sb, &format!("storage = \"encrypted\"\n[encrypted]\nidentity_file = \"{}\"\n", key.display()));
    sb.run(&["logout", "svc.example.com"], None).code(0);
    assert!(!age_decrypt(&key, &sb.config_dir().join("secrets.age")).contains(TOK), "logout removes it");
}

#[test]
fn a_passphrase_unlocks_the_agent_which_answers_until_locked() {
    let sb = sandbox();
    config(&sb, "storage = \"encrypted\"\n");
    // No key source yet: said, with the command that makes one.
    let r = sb.run(&["login", "svc.example.com", "--with-token"], Some(TOK));
    r.code(7);
    assert!(r.stderr.contains("lanyard unlock"), "{}", r.stderr);
    let r = sb.run(&["unlock", "--passphrase-stdin"], Some(PASS));
    r.code(0);
    let _agent = AgentGuard::of(&sb);
    assert!(r.stderr.contains("holds the encrypted store's key"), "{}", r.stderr);
    sb.run(&["login", "svc.example.com", "--with-token"], Some(TOK)).code(0);
    nowhere_in_clear(&sb, &[TOK, PASS]);
    let r = sb.run(&["-v", "token", "svc.example.com"], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), TOK);
    assert!(r.stderr.contains("from the agent"), "{}", r.stderr);
    let r = sb.run(&["exec", "--env", "T=svc.example.com", "--", "sh", "-c", "printf %s \"$T\""], None);
    assert_eq!(r.stdout, TOK);
    let r = sb.run(&["status", "svc.example.com", "--offline"], None);
    assert!(r.stdout.contains("unlocked in the agent since"), "{}", r.stdout);
    // The socket: 0600 in a 0700 dir.
    let dir = socket_dir(&sb);
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(std::fs::metadata(dir.join("agent.sock")).unwrap().permissions().mode() & 0o777, 0o600);

    // A wrong passphrase: exit 7, nothing changed.
    let key_file = sb.config_dir().join("identity.age");
    let before = std::fs::read(&key_file).unwrap();
    let r = sb.run(&["unlock", "--passphrase-stdin"], Some("not the passphrase"));
    r.code(7);
    assert!(r.stderr.contains("wrong passphrase"), "{}", r.stderr);
    assert_eq!(std::fs::read(&key_file).unwrap(), before);

    // Locked: the agent answers nothing, and the caller says how to unlock.
    sb.run(&["lock"], None).code(0);
    let r = sb.run(&["token", "svc.example.com"], None);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("lanyard unlock"), "{}", r.stderr);
    let r = sb.run(&["status", "svc.example.com", "--offline"], None);
    assert!(r.stdout.contains("locked (`lanyard unlock`)"), "{}", r.stdout);
    sb.run(&["unlock", "--passphrase-stdin"], Some(PASS)).code(0);
    assert_eq!(sb.run(&["token", "svc.example.com"], None).stdout.trim(), TOK);

    // Stopped: the secret is gone from memory with it.
    sb.run(&["agent", "stop"], None).code(0);
    sb.run(&["agent", "status"], None).code(3);
    sb.run(&["token", "svc.example.com"], None).code(7);
}

#[test]
fn the_agent_locks_itself_after_its_idle_time() {
    let sb = sandbox();
    config(&sb, "storage = \"encrypted\"\n[agent]\nidle_lock = 1\n");
    sb.run(&["unlock", "--passphrase-stdin"], Some(PASS)).code(0);
    let _agent = AgentGuard::of(&sb);
    sb.run(&["login", "svc.example.com", "--with-token"], Some(TOK)).code(0);
    assert_eq!(sb.run(&["token", "svc.example.com"], None).stdout.trim(), TOK);
    let started = Instant::now();
    while !sb.run(&["agent", "status"], None).stdout.contains("locked:") {
        assert!(started.elapsed() < Duration::from_secs(10), "the agent never locked");
        std::thread::sleep(Duration::from_millis(200));
    }
    sb.run(&["token", "svc.example.com"], None).code(7);
}

#[test]
fn another_version_of_the_agent_is_ignored() {
    let mut sb = sandbox();
    sb.run(&["login", "svc.example.com", "--with-token", "--storage", "file"], Some(TOK)).code(0);
    sb.set("LANYARD_DEBUG_AGENT_VERSION", "0.0.1-other");
    let _agent = start_agent(&sb);
    sb.vars.retain(|(k, _)| k != "LANYARD_DEBUG_AGENT_VERSION");
    let r = sb.run(&["-v", "token", "svc.example.com"], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), TOK, "read from the store");
    assert!(r.stderr.contains("is lanyard 0.0.1-other") && r.stderr.contains("ignored"), "{}", r.stderr);
}

#[test]
fn migration_moves_every_credential_all_or_nothing() {
    let sb = sandbox();
    let Some(key) = age_key(&sb) else { return };
    let tok2 = "tok-second-0123456789abcdefXYZ";
    sb.provider("two", "id = \"two\"\nname = \"Two\"\nfamily = \"token\"\nhosts = [\"two.example.com\"]\n");
    sb.run(&["login", "svc.example.com", "--with-token", "--storage", "file"], Some(TOK)).code(0);
    sb.run(&["login", "two.example.com", "--with-token", "--storage", "file"], Some(tok2)).code(0);
    config(&sb, &format!("# mine\nstorage = \"file\"\n[encrypted]\nidentity_file = \"{}\"\n", key.display()));

    // The key cannot be read: nothing moves, the file stays as it was.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = std::fs::read(sb.store_path()).unwrap();
    if crate::support::is_root() {
        // root reads a 0000 file; make the key unusable another way.
        std::fs::rename(&key, key.with_extension("away")).unwrap();
    }
    let r = sb.run(&["storage", "migrate", "--to", "encrypted"], None);
    r.code(7);
    assert_eq!(std::fs::read(sb.store_path()).unwrap(), before, "nothing changed");
    if crate::support::is_root() {
        std::fs::rename(key.with_extension("away"), &key).unwrap();
    }
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();

    let r = sb.run(&["storage", "migrate", "--to", "encrypted"], None);
    r.code(0).lacks(TOK);
    assert!(r.stderr.contains("Moved 2 credentials"), "{}", r.stderr);
    // No secret in clear anywhere, the backup included (it is encrypted too).
    nowhere_in_clear(&sb, &[TOK, tok2]);
    let backup = std::fs::read_dir(sb.config_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".age") && p.to_string_lossy().contains("lanyard-backup"))
        .expect("an encrypted backup");
    assert!(age_decrypt(&key, &backup).contains(TOK), "the backup is the old file");
    let conf = std::fs::read_to_string(sb.config_dir().join("config.toml")).unwrap();
    assert!(conf.contains("# mine") && conf.contains("storage = \"encrypted\""), "{conf}");
    assert_eq!(sb.run(&["token", "two.example.com"], None).stdout.trim(), tok2);
    let plain = age_decrypt(&key, &sb.config_dir().join("secrets.age"));
    assert!(plain.contains(TOK) && plain.contains(tok2), "both moved");

    // And back to the file.
    let r = sb.run(&["storage", "migrate", "--to", "file"], None);
    r.code(0);
    let store = std::fs::read_to_string(sb.store_path()).unwrap();
    assert!(store.contains(TOK) && store.contains(tok2), "{store}");
    assert!(!age_decrypt(&key, &sb.config_dir().join("secrets.age")).contains(TOK), "emptied");
    assert_eq!(sb.run(&["token", "svc.example.com"], None).stdout.trim(), TOK);
}

/// A GitLab-like OAuth server whose refresh can be made slow; it rotates refresh tokens and, as
/// servers with a grace period do, still takes the one before.
struct Slow {
    mock: Mock,
    slow: Arc<AtomicBool>,
    grants: Arc<AtomicUsize>,
}

fn slow_gitlab(sb: &Sandbox) -> Slow {
    let slow = Arc::new(AtomicBool::new(false));
    let grants = Arc::new(AtomicUsize::new(0));
    let generation = Arc::new(Mutex::new(1u32));
    let (s, g, generation2) = (slow.clone(), grants.clone(), generation.clone());
    let mock = Mock::start(move |r: &Req| match r.path.as_str() {
        "/oauth/token" => {
            let f = r.form();
            let mut gen_ = generation2.lock().unwrap();
            let ok = |n: u32| f.get("refresh_token").map(String::as_str) == Some(&format!("glrt-refresh-{n}"));
            if f["grant_type"] != "refresh_token" || !(ok(*gen_) || ok(gen_.saturating_sub(1))) {
                return Resp::json(400, json!({"error": "invalid_grant"}));
            }
            if s.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_secs(3));
            }
            g.fetch_add(1, Ordering::SeqCst);
            *gen_ += 1;
            Resp::json(
                200,
                json!({"access_token": format!("gloas-access-{gen_}"), "token_type": "Bearer", "expires_in": 7200, "refresh_token": format!("glrt-refresh-{gen_}")}),
            )
        }
        "/api/v4/user" => Resp::json(200, json!({"username": "tanuki"})),
        _ => Resp::json(404, json!({})),
    });
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{0}/api/v4\"\n[device]\nclient_id = \"gl-app-id\"\nauthorization_url = \"{0}/oauth/authorize_device\"\ntoken_url = \"{0}/oauth/token\"\n",
            mock.url()
        ),
    );
    Slow { mock, slow, grants }
}

/// A refreshable credential stored as a first login would leave it (access token 1, refresh 1).
fn seed_refreshable(sb: &Sandbox, storage: &str, mock: &Mock) {
    let token_json = json!({"version": 2, "credentials": {"tanuki@gitlab.example.com": {
        "url": "https://gitlab.example.com", "provider": "corp-gitlab", "family": "gitlab", "user": "tanuki",
        "kind": "oauth", "token": "gloas-access-1", "refresh_token": "glrt-refresh-1", "client_id": "gl-app-id", "token_endpoint": format!("{}/oauth/token", mock.url()),
        "expires_at": "2020-01-01T00:00:00Z", "storage": "file", "created_at": "2020-01-01T00:00:00Z"}},
        "active": {"gitlab.example.com": "tanuki"}, "providers": {}});
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.store_path(), token_json.to_string()).unwrap();
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    if storage != "file" {
        sb.run(&["storage", "migrate", "--to", storage], None).code(0);
    }
}

#[test]
fn refreshes_through_the_agent_stay_encrypted_and_survive_a_sigkill() {
    let sb = sandbox();
    let Some(key) = age_key(&sb) else { return };
    let srv = slow_gitlab(&sb);
    config(&sb, &format!("[encrypted]\nidentity_file = \"{}\"\n", key.display()));
    seed_refreshable(&sb, "encrypted", &srv.mock);
    nowhere_in_clear(&sb, &["gloas-access-1", "glrt-refresh-1"]);
    let agent = start_agent(&sb);
    // Expired: the agent refreshes once for any number of callers.
    let jobs = vec![(vec!["token".to_string(), "gitlab.example.com".to_string()], None); 8];
    for r in sb.run_concurrently(&jobs) {
        r.code(0);
        assert_eq!(r.stdout.trim(), "gloas-access-2");
    }
    assert_eq!(srv.grants.load(Ordering::SeqCst), 1, "one refresh");
    nowhere_in_clear(&sb, &["gloas-access-2", "glrt-refresh-2"]);
    assert!(age_decrypt(&key, &sb.config_dir().join("secrets.age")).contains("glrt-refresh-2"));

    // Killed in the middle of a refresh: nothing on disk in clear, nothing half-written.
    srv.slow.store(true, Ordering::SeqCst);
    let mut forced = sb.cmd();
    forced.args(["token", "gitlab.example.com", "--min-valid", "3h"]);
    let waiting = std::thread::spawn(move || crate::support::run_cmd(forced, None));
    let started = Instant::now();
    while srv.mock.hits("/oauth/token") < 2 {
        assert!(started.elapsed() < Duration::from_secs(10), "the refresh never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    Command::new("kill").arg("-9").arg(agent.pid.to_string()).status().unwrap();
    // Its caller loses nothing: it reads the store itself and refreshes (under the same lock).
    let r = waiting.join().unwrap();
    r.code(0);
    assert!(r.stdout.starts_with("gloas-access-"), "{}", r.stdout);
    srv.slow.store(false, Ordering::SeqCst);
    nowhere_in_clear(&sb, &["gloas-access-2", "glrt-refresh-2", "gloas-access-3", "glrt-refresh-3"]);
    let left: Vec<_> = std::fs::read_dir(sb.config_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".lanyard-tmp"))
        .collect();
    assert!(left.is_empty(), "temp files left: {left:?}");
    // The store is whole: without the agent, the next call reads it and refreshes again.
    serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(sb.store_path()).unwrap()).unwrap();
    let r = sb.run(&["token", "gitlab.example.com", "--min-valid", "3h"], None);
    r.code(0);
    assert!(r.stdout.trim().starts_with("gloas-access-"), "{}", r.stdout);
    nowhere_in_clear(&sb, &[r.stdout.trim()]);
}

#[test]
fn git_gets_its_credential_from_the_agent() {
    let sb = sandbox();
    let Some(key) = age_key(&sb) else { return };
    config(&sb, &format!("storage = \"encrypted\"\n[encrypted]\nidentity_file = \"{}\"\n", key.display()));
    sb.run(&["login", "svc.example.com", "--with-token"], Some(TOK)).code(0);
    let _agent = start_agent(&sb);
    assert_eq!(sb.run(&["token", "svc.example.com"], None).stdout.trim(), TOK);
    // The identity file goes away: only the agent (which read it) can answer now.
    std::fs::rename(&key, key.with_extension("away")).unwrap();
    let r = sb.run(&["-v", "git-credential", "get"], Some("protocol=https\nhost=svc.example.com\n\n"));
    r.code(0);
    assert!(r.stdout.contains(&format!("password={TOK}")), "{}", r.stdout);
    assert!(r.stderr.contains("from the agent"), "{}", r.stderr);
    let r = sb.run(&["exec", "--env", "T=svc.example.com", "--", "sh", "-c", "printf %s \"$T\""], None);
    assert_eq!(r.stdout, TOK);
}

/// Runs a command as another uid (setpriv, util-linux); `None` when this is not root, said.
fn as_uid(uid: u32, program: &str, args: &[&str]) -> Option<std::process::Output> {
    if !crate::support::is_root() {
        peers::skip("root", "only root can run a command as a second local user");
        return None;
    }
    peers::require("setpriv", "runs a command as a second local user")?;
    let id = uid.to_string();
    Some(
        Command::new("setpriv")
            .args(["--reuid", &id, "--regid", &id, "--clear-groups", "--", program])
            .args(args)
            .output()
            .unwrap(),
    )
}

const PROBE: &str = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n s.connect(sys.argv[1])\nexcept OSError as e:\n print('refused', e.errno); sys.exit(0)\ntry:\n s.sendall(b'{\"op\":\"hello\"}\\n'); print('answer', repr(s.recv(4096)))\nexcept OSError as e:\n print('closed', e.errno)\n";

#[test]
fn another_user_can_neither_list_nor_connect_nor_be_answered() {
    let sb = sandbox();
    sb.run(&["login", "svc.example.com", "--with-token", "--storage", "file"], Some(TOK)).code(0);
    let _agent = start_agent(&sb);
    let dir = socket_dir(&sb);
    let sock = dir.join("agent.sock");
    // The test's own second user: a uid no account has.
    let other = 64_123;
    let Some(out) = as_uid(other, "ls", &[dir.to_str().unwrap()]) else { return };
    assert!(!out.status.success(), "another user listed the socket dir");
    // The run dir itself must be passable for the next probes.
    std::fs::set_permissions(sb.dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    std::fs::set_permissions(sb.dir.path().join("run"), std::fs::Permissions::from_mode(0o711)).unwrap();
    let out = as_uid(other, "/usr/bin/python3", &["-c", PROBE, sock.to_str().unwrap()]).unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("refused 13"), "the 0700 dir keeps another user out: {said}");
    // Loosened by someone (0755 dir, 0666 socket): the agent still answers only its own uid.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = as_uid(other, "/usr/bin/python3", &["-c", PROBE, sock.to_str().unwrap()]).unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("answer b''") || said.contains("closed"), "SO_PEERCRED refuses another uid: {said}");
    assert!(!said.contains("reply"), "{said}");
    // Its own user is answered on the same socket.
    let mine = Command::new("/usr/bin/python3").args(["-c", PROBE, sock.to_str().unwrap()]).output().unwrap();
    assert!(String::from_utf8_lossy(&mine.stdout).contains("\"reply\":\"hello\""), "{:?}", mine);
}

#[test]
fn the_agent_is_not_dumpable() {
    if !crate::support::is_root() {
        peers::skip("root", "only root can start the agent as a second user and look at it as that user");
        return;
    }
    let Some(_) = peers::require("setpriv", "runs the agent as a second local user") else { return };
    // The agent runs as a plain user (root's processes are root's either way); that user reads
    // the /proc files of its own dumpable processes, not the agent's.
    let other = 64_124u32;
    let base = tempfile::Builder::new().prefix("lanyard-dump").tempdir().unwrap();
    let home = base.path().join("home");
    std::fs::create_dir_all(home.join(".config/lanyard")).unwrap();
    let chown = |p: &Path| Command::new("chown").arg("-R").arg(format!("{other}:{other}")).arg(p).status().unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    chown(&home);
    let bin = crate::support::lanyard_bin();
    let mut agent = Command::new("setpriv")
        .args(["--reuid", &other.to_string(), "--regid", &other.to_string(), "--clear-groups", "--"])
        .arg(&bin)
        .args(["agent", "run"])
        .env_clear()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("LANYARD_SECRET_MARK", "in-the-agent-environment")
        .spawn()
        .unwrap();
    let sock = home.join(".config/lanyard/agent/agent.sock");
    let started = Instant::now();
    while !sock.exists() {
        assert!(started.elapsed() < Duration::from_secs(10), "the agent did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = agent.id();
    let status = std::fs::metadata(format!("/proc/{pid}/status")).unwrap();
    use std::os::unix::fs::MetadataExt;
    let read_env = as_uid(other, "cat", &[&format!("/proc/{pid}/environ")]).unwrap();
    // A dumpable process of the same user, for contrast.
    let mut sleeper = Command::new("setpriv")
        .args(["--reuid", &other.to_string(), "--regid", &other.to_string(), "--clear-groups", "--", "sleep", "30"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let read_sleeper = as_uid(other, "cat", &[&format!("/proc/{}/environ", sleeper.id())]).unwrap();
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    let _ = agent.kill();
    let _ = agent.wait();
    assert_eq!(status.uid(), 0, "/proc/PID/status of a non-dumpable process belongs to root");
    assert!(!read_env.status.success(), "its own user read the agent's environment");
    assert!(read_sleeper.status.success(), "the contrast: a dumpable process of that user is readable");
}

#[test]
fn the_keyring_behind_the_agent_answers_64_parallel_callers() {
    let mut sb = sandbox();
    let Some(ss) = SecretService::start(&mut sb, true) else { return };
    sb.run(&["login", "svc.example.com", "--with-token", "--storage", "keyring"], Some(TOK)).code(0);
    let agent = start_agent(&sb);
    let jobs = vec![(vec!["token".to_string(), "svc.example.com".to_string()], None); 64];
    let outs = sb.run_concurrently(&jobs);
    let bad: Vec<_> = outs.iter().filter(|r| r.code != 0 || r.stdout.trim() != TOK).collect();
    assert!(bad.is_empty(), "{} of 64 failed: {:?}", bad.len(), bad.first());
    // The agent holds it: the keyring going away does not stop the callers.
    drop(ss);
    let r = sb.run(&["-v", "token", "svc.example.com"], None);
    assert_eq!(r.stdout.trim(), TOK, "{}", r.stderr);
    assert!(r.stderr.contains("from the agent"), "{}", r.stderr);
    drop(agent);
    sb.run(&["token", "svc.example.com"], None).code(7);
}

#[test]
fn systemd_socket_activation_hands_the_agent_its_listening_socket_as_stdin() {
    let sb = sandbox();
    sb.run(&["login", "svc.example.com", "--with-token", "--storage", "file"], Some(TOK)).code(0);
    let dir = socket_dir(&sb);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let sock = dir.join("agent.sock");
    // What systemd does for `StandardInput=socket` with `Accept=no`: the bound, listening socket
    // is the service's stdin.
    let activate = "import os,socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])\nos.chmod(sys.argv[1],0o600)\ns.listen(16)\nos.dup2(s.fileno(),0)\nos.execv(sys.argv[2],[sys.argv[2],'agent','run','--inherit-socket'])\n";
    let mut service = Command::new("/usr/bin/python3")
        .args(["-c", activate, sock.to_str().unwrap(), crate::support::lanyard_bin().to_str().unwrap()])
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .spawn()
        .unwrap();
    let started = Instant::now();
    while sb.run(&["agent", "status"], None).code != 0 {
        assert!(started.elapsed() < Duration::from_secs(10), "the activated agent never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
    let r = sb.run(&["-v", "token", "svc.example.com"], None);
    assert_eq!(r.stdout.trim(), TOK);
    assert!(r.stderr.contains("from the agent"), "{}", r.stderr);
    sb.run(&["agent", "stop"], None).code(0);
    let started = Instant::now();
    while service.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = service.kill();
            panic!("the agent did not end on `agent stop`");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
