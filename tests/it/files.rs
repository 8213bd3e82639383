//! SPEC §6 on lanyard's own files: modes under any umask, atomic locked writes, unparseable files
//! left alone, concurrent logins losing nothing.

use std::os::unix::fs::PermissionsExt;

use crate::forges::{Forge, Kind};
use crate::support::{Sandbox, run_cmd};

fn login_with_umask(sb: &Sandbox, url: &str, tok: &str, umask: u32) -> crate::support::Run {
    let args = ["login", url, "--provider", "gitea", "--with-token"];
    run_cmd(sb.cmd_after(&format!("umask {umask:03o}"), &args), Some(tok))
}

#[test]
fn files_are_0600_and_dirs_0700_under_any_umask() {
    for umask in [0o000, 0o022, 0o077] {
        let sb = Sandbox::new();
        let tok = "tok-0123456789abcdef-umask";
        let forge = Forge::start(Kind::Gitea, &[tok]);
        login_with_umask(&sb, &forge.mock.url(), tok, umask).code(0);
        let files = sb.files();
        assert!(files.iter().any(|(p, _, _)| p.ends_with("credentials.json")), "{files:?}");
        for (path, mode, is_dir) in files {
            let want = if is_dir { 0o700 } else { 0o600 };
            assert_eq!(mode, want, "umask {umask:03o}: {} has mode {mode:o}", path.display());
        }
    }
}

#[test]
fn unparseable_store_is_exit_2_and_untouched() {
    let sb = Sandbox::new();
    let tok = "tok-0123456789abcdef-parse";
    let forge = Forge::start(Kind::Gitea, &[tok]);
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let junk = b"{\n  \"version\": 1,\n  \"credentials\": { oops\n}\n";
    std::fs::write(sb.store_path(), junk).unwrap();
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    for args in [
        vec!["login", &forge.mock.url(), "--provider", "gitea", "--with-token"],
        vec!["status"],
        vec!["token", "github.com"],
        vec!["logout", "--all"],
    ] {
        let r = sb.run(&args, Some(tok));
        r.code(2);
        assert!(r.stderr.contains("credentials.json") && r.stderr.contains("line 3"), "{}", r.stderr);
        assert!(r.stderr.contains("hint:"), "{}", r.stderr);
        assert_eq!(std::fs::read(sb.store_path()).unwrap(), junk, "file unchanged after {args:?}");
    }
}

#[test]
fn world_readable_store_is_repaired_with_a_warning() {
    let sb = Sandbox::new();
    let tok = "tok-0123456789abcdef-perms";
    let forge = Forge::start(Kind::Gitea, &[tok]);
    sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token"], Some(tok)).code(0);
    std::fs::set_permissions(sb.store_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.code(0);
    assert!(r.stderr.contains("readable by others"), "{}", r.stderr);
    let mode = std::fs::metadata(sb.store_path()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn symlinked_store_is_refused() {
    let sb = Sandbox::new();
    let tok = "tok-0123456789abcdef-link";
    let forge = Forge::start(Kind::Gitea, &[tok]);
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let elsewhere = sb.dir.path().join("elsewhere.json");
    std::fs::write(&elsewhere, "{}").unwrap();
    std::os::unix::fs::symlink(&elsewhere, sb.store_path()).unwrap();
    let r = sb.run(&["login", &forge.mock.url(), "--provider", "gitea", "--with-token"], Some(tok));
    r.code(7).lacks(tok);
    assert!(r.stderr.contains("symlink"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "{}");
}

#[test]
fn sixteen_concurrent_logins_all_stored() {
    let sb = Sandbox::new();
    let forges: Vec<(Forge, String)> = (0..16)
        .map(|i| {
            let tok = format!("tok-0123456789abcdef-{i:02}");
            (Forge::start(Kind::Gitea, &[&tok]), tok)
        })
        .collect();
    let jobs: Vec<_> = forges
        .iter()
        .map(|(f, tok)| {
            let args = vec!["login".into(), f.mock.url(), "--provider".into(), "gitea".into(), "--with-token".into()];
            (args, Some(tok.clone()))
        })
        .collect();
    for r in sb.run_concurrently(&jobs) {
        r.code(0);
    }
    for (f, tok) in &forges {
        let r = sb.run(&["token", &f.mock.key()], None);
        r.code(0);
        assert_eq!(r.stdout.trim(), tok);
    }
    let r = sb.run(&["status", "--offline", "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["credentials"].as_array().unwrap().len(), 16);
}
