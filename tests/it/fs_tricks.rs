//! File-system tricks (issue 7 §3): lanyard's files and directories replaced by symlinks (to
//! /dev/null, to another user's file, outside HOME), files owned by another user, world-readable
//! files, a world-writable directory and `umask 000`. lanyard refuses or repairs, and explains.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use serde_json::json;

use crate::forges::{Forge, Kind};
use crate::support::{Mock, Req, Resp, Sandbox, run_cmd};

const TOK: &str = "tok-trick-0123456789abcdef";
const NOBODY: u32 = 65534;

fn gitea() -> Forge {
    Forge::start(Kind::Gitea, &[TOK])
}

fn login(sb: &Sandbox, f: &Forge) -> crate::support::Run {
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(TOK))
}

fn is_root() -> bool {
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Gives `path` to another user (nobody), or says loudly why that part is skipped.
fn give_away(path: &Path) -> bool {
    if !is_root() {
        crate::peers::skip("root", &format!("giving `{}` to another user", path.display()));
        return false;
    }
    let ok =
        std::process::Command::new("chown").arg("-h").arg(NOBODY.to_string()).arg(path).status().unwrap().success();
    assert!(ok, "chown {}", path.display());
    true
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn store_symlinked_to_dev_null_or_elsewhere_is_refused_and_nothing_is_touched() {
    let f = gitea();
    for target in ["/dev/null", "outside"] {
        let sb = Sandbox::new();
        std::fs::create_dir_all(sb.config_dir()).unwrap();
        let target = if target == "outside" {
            // Another user's world-readable file outside HOME: lanyard must neither read it as
            // its store nor "repair" its mode through the link.
            let p = sb.dir.path().join("someone-elses.json");
            std::fs::write(&p, r#"{"version":1,"credentials":{}}"#).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            give_away(&p);
            p
        } else {
            target.into()
        };
        let before = (std::fs::metadata(&target).unwrap().mode(), std::fs::read(&target).unwrap_or_default());
        std::os::unix::fs::symlink(&target, sb.store_path()).unwrap();
        for args in [vec!["status", "--offline"], vec!["token", "x.example.com"], vec!["logout", "--all"]] {
            let r = sb.run(&args, None);
            r.code(7);
            assert!(r.stderr.contains("symlink") && r.stderr.contains("hint:"), "{args:?}: {}", r.stderr);
        }
        let r = login(&sb, &f);
        r.code(7).lacks(TOK);
        let after = (std::fs::metadata(&target).unwrap().mode(), std::fs::read(&target).unwrap_or_default());
        assert_eq!(before, after, "{} untouched", target.display());
        assert!(std::fs::symlink_metadata(sb.store_path()).unwrap().file_type().is_symlink());
    }
}

#[test]
fn store_owned_by_another_user_is_refused() {
    let sb = Sandbox::new();
    let f = gitea();
    login(&sb, &f).code(0);
    if !give_away(&sb.store_path()) {
        return;
    }
    let before = std::fs::read(sb.store_path()).unwrap();
    for args in [vec!["status", "--offline"], vec!["token", &f.mock.key()]] {
        let r = sb.run(&args, None);
        r.code(7).lacks(TOK);
        assert!(r.stderr.contains("owned by uid 65534") && r.stderr.contains("hint:"), "{}", r.stderr);
    }
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token", "--force"], Some(TOK)).code(7);
    assert_eq!(std::fs::read(sb.store_path()).unwrap(), before);
    assert_eq!(std::fs::metadata(sb.store_path()).unwrap().uid(), NOBODY);
}

#[test]
fn config_dir_replaced_by_a_symlink() {
    let f = gitea();
    // To /dev/null: not a directory.
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/dev/null", sb.config_dir()).unwrap();
    let r = login(&sb, &f);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("not a directory") && r.stderr.contains("hint:"), "{}", r.stderr);

    // To a directory of ours outside HOME (a dotfile manager's): followed; the files are private.
    let sb = Sandbox::new();
    let real = sb.dir.path().join("dotfiles-lanyard");
    std::fs::create_dir(&real).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::create_dir_all(sb.config_dir().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, sb.config_dir()).unwrap();
    login(&sb, &f).code(0);
    assert_eq!(mode(&real.join("credentials.json")), 0o600);
    assert_eq!(sb.run(&["token", &f.mock.key()], None).stdout.trim(), TOK);

    // To another user's directory: refused, nothing written there.
    let sb = Sandbox::new();
    let theirs = sb.dir.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o755)).unwrap();
    if give_away(&theirs) {
        std::fs::create_dir_all(sb.config_dir().parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&theirs, sb.config_dir()).unwrap();
        let r = login(&sb, &f);
        r.code(7).lacks(TOK);
        assert!(r.stderr.contains("belongs to uid 65534") && r.stderr.contains("hint:"), "{}", r.stderr);
        assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 0, "nothing written into their directory");
    }
}

#[test]
fn world_writable_config_dir_is_refused() {
    let sb = Sandbox::new();
    let f = gitea();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::set_permissions(sb.config_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let r = login(&sb, &f);
    r.code(7).lacks(TOK);
    assert!(r.stderr.contains("every user") && r.stderr.contains("chmod o-w"), "{}", r.stderr);
    assert!(!sb.store_path().exists());
}

fn duumbi_mock() -> Mock {
    Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" => Resp::json(404, json!({"detail": "Not Found"})),
        "/api/v1/auth/verify" => Resp::json(200, json!({"username": "ada"})),
        _ => Resp::json(404, json!({})),
    })
}

const GH: &str = "ghp_trick0123456789abcdefghijABCDEF";

#[test]
fn symlinked_nix_include_is_refused_and_nothing_is_half_done() {
    let sb = Sandbox::new();
    let gh = Forge::start(Kind::Github, &[GH]);
    sb.github_at(&gh.mock.url());
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    std::fs::write(sb.nix_conf(), "max-jobs = 2\n").unwrap();
    let elsewhere = sb.dir.path().join("tokens-elsewhere.conf");
    std::fs::write(&elsewhere, "# not lanyard's\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, sb.tokens_conf()).unwrap();
    let r = sb.run(&["login", "github", "--with-token"], Some(GH));
    r.code(7).lacks(GH);
    assert!(r.stderr.contains("symlink") && r.stderr.contains("hint:"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "# not lanyard's\n");
    assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), "max-jobs = 2\n");
    // Nothing half-done: no credential stored that claims a Nix entry it does not have.
    sb.run(&["token", "github.com"], None).code(3);
}

#[test]
fn world_readable_sink_files_become_0600_under_umask_000() {
    let sb = Sandbox::new();
    let gh = Forge::start(Kind::Github, &[GH]);
    sb.github_at(&gh.mock.url());
    let duu = duumbi_mock();
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    std::fs::write(sb.tokens_conf(), "access-tokens = old.example.com=t0\n").unwrap();
    std::fs::write(sb.nix_conf(), "!include access-tokens.conf\n").unwrap();
    let duumbi = sb.home().join(".duumbi/credentials.toml");
    std::fs::create_dir_all(duumbi.parent().unwrap()).unwrap();
    std::fs::write(&duumbi, "[registries.a]\ntoken = \"x\"\n").unwrap();
    for p in [sb.tokens_conf(), sb.nix_conf(), duumbi.clone()] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
    }
    let run = |args: &[&str], stdin: &str| run_cmd(sb.cmd_after("umask 000", args), Some(stdin));
    run(&["login", "github", "--with-token"], GH).code(0).lacks(GH);
    run(&["login", &duu.url(), "--provider", "duumbi", "--with-token", "--name", "b"], "duu_trick0123456789abcdef")
        .code(0);
    for p in [sb.tokens_conf(), duumbi.clone(), sb.store_path()] {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    // Backups of files that held secrets are private too; new directories are 0700.
    for (path, m, is_dir) in sb.files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("lanyard-backup") || name.contains("lanyard-lock") {
            assert_eq!(m, 0o600, "{}", path.display());
        }
        if is_dir && path.starts_with(sb.home().join(".config/skillsctl")) {
            assert_eq!(m, 0o700);
        }
    }
    assert_eq!(mode(&sb.config_dir()), 0o700);
}
