//! The keyring backend against a real Secret Service: Debian's gnome-keyring on a private D-Bus
//! session bus, checked from outside with `secret-tool`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::peers;
use crate::support::Sandbox;

/// A session bus with gnome-keyring's Secret Service on it; both killed on drop.
pub struct SecretService {
    bus: Child,
    keyring: Child,
    address: String,
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

impl SecretService {
    /// Starts the bus and gnome-keyring for the sandbox's HOME; `unlock` creates and unlocks the
    /// login keyring with a password, as a desktop login does.
    pub fn start(sb: &mut Sandbox, unlock: bool) -> Option<SecretService> {
        for (p, why) in [
            ("dbus-daemon", "a private D-Bus session bus"),
            ("gnome-keyring-daemon", "the Secret Service"),
            ("secret-tool", "reads the keyring from outside"),
            ("dbus-send", "waits for the Secret Service to own its bus name"),
        ] {
            peers::require(p, why)?;
        }
        let run = sb.dir.path().join("run");
        std::fs::create_dir_all(&run).unwrap();
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_string();
        sb.set("DBUS_SESSION_BUS_ADDRESS", &address);
        sb.set("XDG_RUNTIME_DIR", run.to_str().unwrap());
        let mut gk = Command::new("gnome-keyring-daemon");
        gk.env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        gk.args(["--components=secrets", "--foreground"]);
        if unlock {
            gk.arg("--unlock");
        }
        let mut keyring = gk.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        {
            let mut stdin = keyring.stdin.take().unwrap();
            if unlock {
                stdin.write_all(b"login-password").unwrap();
            }
        }
        let started = Instant::now();
        loop {
            let out = Command::new("dbus-send")
                .args([
                    &format!("--bus={address}"),
                    "--dest=org.freedesktop.DBus",
                    "--type=method_call",
                    "--print-reply",
                ])
                .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "the Secret Service never appeared on the bus");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(SecretService { bus, keyring, address })
    }

    /// Stores an item as lanyard's keyring backend names it (service, username, target).
    fn store(&self, account: &str, secret: &str) {
        let mut c = Command::new("secret-tool")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["store", "--label", account, "service", "lanyard", "username", account, "target", "default"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(secret.as_bytes()).unwrap();
        assert!(c.wait().unwrap().success(), "secret-tool store {account}");
    }

    pub fn lookup(&self, account: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["lookup", "service", "lanyard", "username", account])
            .output()
            .unwrap();
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// Every regular file under a directory whose bytes contain `needle`.
pub fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut hits = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let m = std::fs::symlink_metadata(&p).unwrap();
        if m.is_dir() {
            hits.extend(files_containing(&p, needle));
        } else if m.is_file()
            && std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        {
            hits.push(p);
        }
    }
    hits
}

#[test]
fn secrets_live_only_in_the_keyring() {
    let mut sb = Sandbox::new();
    let Some(ss) = SecretService::start(&mut sb, true) else { return };
    let tok = "tok-keyring-0123456789abcdef";
    let svc = "svc.example.com";
    sb.provider("svc", &format!("id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"{svc}\"]\n"));
    let r = sb.run(&["login", svc, "--with-token"], Some(tok));
    r.code(0).lacks(tok);
    assert!(r.stderr.contains("in the OS keyring"), "auto chose the keyring: {}", r.stderr);
    assert_eq!(ss.lookup(&format!("default@{svc}/token")).as_deref(), Some(tok));
    assert_eq!(files_containing(&sb.home(), tok), Vec::<std::path::PathBuf>::new(), "no secret in any file under HOME");
    let r = sb.run(&["token", svc], None);
    assert_eq!(r.stdout.trim(), tok);
    let r = sb.run(&["status", svc, "--offline"], None);
    r.code(0).lacks(tok);
    assert!(r.stdout.contains("OS keyring"), "{}", r.stdout);
    // Honest: nothing was refreshed (the file keeps no placeholder to compare with any more).
    let r = sb.run(&["refresh", svc], None);
    r.code(0);
    assert!(r.stderr.contains("nothing to refresh") && !r.stderr.contains("refreshed"), "{}", r.stderr);
    // The dry run names the true storage.
    let r = sb.run(&["login", svc, "--with-token", "--dry-run"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("secrets in the OS keyring") && !r.stderr.contains("plaintext"), "{}", r.stderr);
    sb.run(&["logout", svc], None).code(0);
    assert_eq!(ss.lookup(&format!("default@{svc}/token")), None, "logout deletes the keyring item");
    // `--storage file` still works beside a keyring, and says where the secret is.
    let r = sb.run(&["login", svc, "--with-token", "--storage", "file"], Some(tok));
    r.code(0);
    assert!(r.stderr.contains("plaintext file"), "{}", r.stderr);
    assert_eq!(ss.lookup(&format!("default@{svc}/token")), None);
}

#[test]
fn no_secret_service_falls_back_and_says_why() {
    let sb = Sandbox::new();
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"svc.example.com\"]\n");
    let r = sb.run(&["login", "svc.example.com", "--with-token"], Some("tok-0123456789abcdef-file"));
    r.code(0);
    assert!(r.stderr.contains("plaintext file") && r.stderr.contains("no OS keyring answered"), "{}", r.stderr);
    let r = sb.run(&["status", "svc.example.com", "--offline"], None);
    assert!(r.stdout.contains("not in a keyring"), "{}", r.stdout);
    let r = sb.run(
        &["login", "svc.example.com", "--with-token", "--force", "--storage", "keyring"],
        Some("tok-0123456789abcdef-file"),
    );
    r.code(7);
    assert!(r.stderr.contains("--storage file"), "{}", r.stderr);
    // The setting can also come from config.toml and LANYARD_STORAGE.
    std::fs::write(sb.config_dir().join("config.toml"), "storage = \"keyring\"\n").unwrap();
    sb.run(&["login", "svc.example.com", "--with-token", "--force"], Some("tok-0123456789abcdef-file")).code(7);
    std::fs::write(sb.config_dir().join("config.toml"), "storage = \"sometimes\"\n").unwrap();
    let r = sb.run(&["login", "svc.example.com", "--with-token", "--force"], Some("tok-0123456789abcdef-file"));
    r.code(2);
    assert!(r.stderr.contains("config.toml` line 1"), "{}", r.stderr);
}

#[test]
fn locked_keyring_is_exit_7_not_a_hang() {
    let mut sb = Sandbox::new();
    // gnome-keyring without --unlock: no unlocked login keyring, storing needs a prompt nobody answers.
    let Some(_ss) = SecretService::start(&mut sb, false) else { return };
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"svc.example.com\"]\n");
    let started = Instant::now();
    let r = sb
        .run(&["login", "svc.example.com", "--with-token", "--storage", "keyring"], Some("tok-0123456789abcdef-lock"));
    r.code(7).lacks("tok-0123456789abcdef-lock");
    assert!(started.elapsed() < Duration::from_secs(20), "answered in {:?}", started.elapsed());
    assert!(!sb.store_path().exists());
}

#[test]
fn status_is_exit_7_when_the_keyring_holding_the_secret_is_gone() {
    let mut sb = Sandbox::new();
    let Some(ss) = SecretService::start(&mut sb, true) else { return };
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"svc.example.com\"]\n");
    sb.run(&["login", "svc.example.com", "--with-token", "--storage", "keyring"], Some("tok-0123456789abcdef-gone"))
        .code(0);
    sb.run(&["status", "svc.example.com", "--offline"], None).code(0);
    // The Secret Service stops (the session ended, the daemon died): `token` cannot answer, so
    // `status` must not call the credential usable, offline or not.
    drop(ss);
    sb.run(&["token", "svc.example.com"], None).code(7);
    for args in [&["status", "--offline"][..], &["status"][..], &["status", "svc.example.com", "--json"][..]] {
        let r = sb.run(args, None);
        r.code(7).lacks("tok-0123456789abcdef-gone");
        assert!(r.stdout.contains("keyring"), "{}", r.stdout);
    }
}

#[test]
fn a_version_1_keyring_store_moves_its_items_to_per_account_names() {
    let mut sb = Sandbox::new();
    let Some(ss) = SecretService::start(&mut sb, true) else { return };
    let (tok, rt) = ("tok-v1-keyring-0123456789", "rt-v1-keyring-0123456789");
    let svc = "svc.example.com";
    sb.provider("svc", &format!("id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"{svc}\"]\n"));
    // What a first-round lanyard left: items named by host, placeholders in the file.
    ss.store(&format!("{svc}/token"), tok);
    ss.store(&format!("{svc}/refresh_token"), rt);
    let v1 = format!(
        r#"{{"version": 1, "credentials": {{"{svc}": {{"url": "https://{svc}", "provider": "svc", "family": "token",
        "user": "ops", "kind": "oauth", "token": "", "refresh_token": "", "storage": "keyring",
        "token_endpoint": "https://{svc}/token", "client_id": "c", "expires_at": "2099-01-01T00:00:00Z",
        "created_at": "2026-01-01T00:00:00Z"}}}}}}"#
    );
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.store_path(), &v1).unwrap();
    std::fs::set_permissions(sb.store_path(), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let r = sb.run(&["token", svc], None);
    r.code(0);
    assert_eq!(r.stdout.trim(), tok);
    assert!(r.stderr.contains("migrated"), "{}", r.stderr);
    assert_eq!(ss.lookup(&format!("ops@{svc}/token")).as_deref(), Some(tok));
    assert_eq!(ss.lookup(&format!("ops@{svc}/refresh_token")).as_deref(), Some(rt));
    assert_eq!(ss.lookup(&format!("{svc}/token")), None, "the host-named items are gone");
    assert_eq!(ss.lookup(&format!("{svc}/refresh_token")), None);
    let text = std::fs::read_to_string(sb.store_path()).unwrap();
    assert!(text.contains("\"version\": 2") && !text.contains(tok) && text.contains("\"refreshable\": true"), "{text}");
    assert_eq!(files_containing(&sb.home(), tok), Vec::<std::path::PathBuf>::new());
}

#[test]
fn a_locked_keyring_leaves_a_version_1_store_as_it_was() {
    let mut sb = Sandbox::new();
    let Some(_ss) = SecretService::start(&mut sb, false) else { return };
    let v1 = r#"{"version": 1, "credentials": {"svc.example.com": {"url": "https://svc.example.com", "provider": "token",
        "family": "token", "kind": "pat", "token": "", "storage": "keyring", "created_at": "2026-01-01T00:00:00Z"}}}"#;
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.store_path(), v1).unwrap();
    std::fs::set_permissions(sb.store_path(), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.code(7);
    assert!(r.stderr.contains("migrated") && r.stderr.contains("nothing was changed"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(sb.store_path()).unwrap(), v1);
}
