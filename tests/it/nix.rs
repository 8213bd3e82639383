//! The Nix sink, proven with real Nix: `nix show-config --json` must report exactly the tokens
//! lanyard wrote, and nix.conf must change only by the intended lines.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::forges::{Forge, Kind};
use crate::peers;
use crate::support::Sandbox;

const GH: &str = "ghp_0123456789abcdefghijABCDEFGHIJnix1";
const GL: &str = "glpat-0123456789abcdefnix2";

/// What real Nix will use, from `nix show-config --json` in the sandbox. `None` when Nix is absent.
pub fn nix_tokens(sb: &Sandbox) -> Option<BTreeMap<String, String>> {
    let nix = peers::require("nix", "Debian's nix-bin, to prove what Nix reads")?;
    let mut c = std::process::Command::new(nix);
    c.env_clear();
    for (k, v) in &sb.vars {
        c.env(k, v);
    }
    c.args(["--extra-experimental-features", "nix-command", "show-config", "--json"]);
    let out = c.output().unwrap();
    assert!(out.status.success(), "nix show-config failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let map = v["access-tokens"]["value"].as_object().unwrap();
    Some(map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// A sandbox whose github.com and gitlab.example.com providers point at mock servers.
fn setup() -> (Sandbox, Forge, Forge) {
    let sb = Sandbox::new();
    let gh = Forge::start(Kind::Github, &[GH]);
    let gl = Forge::start(Kind::Gitlab, &[GL]);
    sb.github_at(&gh.mock.url());
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab (mock)\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{}/api/v4\"\n",
            gl.mock.url()
        ),
    );
    (sb, gh, gl)
}

#[test]
fn login_writes_what_real_nix_reads_and_logout_removes_it() {
    let (sb, _gh, _gl) = setup();
    let r = sb.run(&["login", "github", "--with-token"], Some(GH));
    r.code(0).lacks(GH);
    assert!(r.stderr.contains("access-tokens.conf"), "{}", r.stderr);
    sb.run(&["login", "gitlab.example.com", "--with-token"], Some(GL)).code(0).lacks(GL);
    assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), "!include access-tokens.conf\n");
    for p in [sb.nix_conf(), sb.tokens_conf()] {
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600, "{}", p.display());
    }
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t, map(&[("github.com", GH), ("gitlab.example.com", &format!("PAT:{GL}"))]));
    }
    let r = sb.run(&["status", "--offline"], None);
    r.code(0).lacks(GH).lacks(GL);
    assert!(r.stdout.contains("written to Nix ("), "{}", r.stdout);
    assert!(!r.stdout.contains("problem"), "{}", r.stdout);

    let r = sb.run(&["logout", "github.com"], None);
    r.code(0).lacks(GH);
    assert!(r.stderr.contains("removed the token for github.com"), "{}", r.stderr);
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t, map(&[("gitlab.example.com", &format!("PAT:{GL}"))]));
    }
    sb.run(&["logout", "gitlab.example.com"], None).code(0);
    if let Some(t) = nix_tokens(&sb) {
        assert!(t.is_empty(), "{t:?}");
    }
    // The emptied include file holds no `access-tokens =` line that would hide other tokens.
    assert!(!std::fs::read_to_string(sb.tokens_conf()).unwrap().contains("access-tokens ="));
}

#[test]
fn hand_written_nix_conf_changes_only_by_the_intended_lines() {
    let (sb, _gh, _gl) = setup();
    let dir = sb.nix_conf().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let original = "# my nix.conf\r\nsubstituters   =   https://cache.nixos.org  # main cache\r\n\r\nexperimental-features = nix-command flakes\r\naccess-tokens = example.org=old-token-1234 github.com=ghp_old\r\n!include  machine.conf\r\nmax-jobs = 4\r\n";
    std::fs::write(sb.nix_conf(), original).unwrap();
    std::fs::write(dir.join("machine.conf"), "cores = 2\n").unwrap();
    // An access-tokens.conf left by nix-auth: its entries are kept.
    std::fs::write(sb.tokens_conf(), "access-tokens = old.example.net=nixauth-token\n").unwrap();

    sb.run(&["login", "github", "--with-token"], Some(GH)).code(0);

    let after = std::fs::read_to_string(sb.nix_conf()).unwrap();
    let want = "# my nix.conf\r\nsubstituters   =   https://cache.nixos.org  # main cache\r\n\r\nexperimental-features = nix-command flakes\r\n!include  machine.conf\r\nmax-jobs = 4\r\n!include access-tokens.conf\r\n";
    assert_eq!(after, want);
    let backups: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("nix.conf.lanyard-backup-"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read_to_string(backups[0].path()).unwrap(), original);
    assert_eq!(backups[0].metadata().unwrap().permissions().mode() & 0o777, 0o600);
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(
            t,
            map(&[("example.org", "old-token-1234"), ("github.com", GH), ("old.example.net", "nixauth-token")])
        );
    }
    // A second login leaves nix.conf alone: the include is already where it works.
    sb.run(&["login", "gitlab.example.com", "--with-token"], Some(GL)).code(0);
    assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), want);
    // Tokens Nix uses that no lanyard login made are listed as unmanaged, masked, with their line.
    let r = sb.run(&["status", "--offline"], None);
    r.code(0).lacks("old-token-1234").lacks("nixauth-token");
    assert!(r.stdout.contains("unmanaged"), "{}", r.stdout);
    assert!(r.stdout.contains("example.org  ****  at "), "{}", r.stdout);
    assert!(r.stdout.contains("old.example.net  ****  at "), "{}", r.stdout);
    let unmanaged = r.stdout.split("(unmanaged)").nth(1).unwrap_or_default();
    assert!(!unmanaged.contains("github.com"), "github.com is managed: {}", r.stdout);
}

#[test]
fn tokens_in_other_files_are_never_copied_and_shadowing_is_reported() {
    let (sb, _gh, _gl) = setup();
    let dir = sb.nix_conf().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    // An agenix/sops-style secret file included before ours, and a system-wide token.
    std::fs::write(dir.join("secret-tokens.conf"), "access-tokens = secret.example.com=agenix-secret-value\n").unwrap();
    std::fs::write(sb.nix_conf(), "!include secret-tokens.conf\n").unwrap();
    let etc = sb.dir.path().join("etc-nix/nix.conf");
    std::fs::write(&etc, "access-tokens = system.example.com=system-secret-value\n").unwrap();

    sb.run(&["login", "github", "--with-token"], Some(GH)).code(0);
    let ours = std::fs::read_to_string(sb.tokens_conf()).unwrap();
    assert!(!ours.contains("agenix-secret-value") && !ours.contains("system-secret-value"), "{ours}");
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t, map(&[("github.com", GH)]), "our plain access-tokens line hides the others, as the spec says");
    }
    let r = sb.run(&["status", "--offline"], None);
    r.lacks("agenix-secret-value").lacks("system-secret-value");
    assert!(r.stdout.contains("hides the token for secret.example.com"), "{}", r.stdout);
    // The system token was already hidden by the secret file's line, not by ours.
    assert!(!r.stdout.contains("hides the token for system.example.com"), "{}", r.stdout);
    std::fs::write(sb.nix_conf(), "!include access-tokens.conf\n").unwrap();
    let r = sb.run(&["status", "--offline"], None);
    assert!(r.stdout.contains("hides the token for system.example.com"), "{}", r.stdout);

    // A token set after ours wins in Nix: status says so for our credential.
    std::fs::write(sb.nix_conf(), "!include secret-tokens.conf\n!include access-tokens.conf\nextra-access-tokens = x=y\naccess-tokens = github.com=ghp_later\n").unwrap();
    let r = sb.run(&["status", "--offline", "--json"], None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let creds = v["credentials"].as_array().unwrap();
    let gh = creds.iter().find(|c| c["host"] == "github.com" && c["managed"] == true).unwrap();
    assert!(gh["problems"][0]["message"].as_str().unwrap().contains("another token"), "{gh}");
    let unmanaged = creds.iter().find(|c| c["managed"] == false).unwrap();
    assert_eq!(unmanaged["host"], "github.com");
    assert!(unmanaged["storage"]["path"].as_str().unwrap().ends_with("nix.conf:4"), "{unmanaged}");
    // Logout says where else Nix still finds a token.
    let r = sb.run(&["logout", "github.com"], None);
    r.code(0);
    assert!(r.stderr.contains("Nix still finds a token for github.com at"), "{}", r.stderr);
}

#[test]
fn symlinked_nix_conf_is_untouched_and_the_snippet_is_printed() {
    let (sb, _gh, _gl) = setup();
    let store = sb.dir.path().join("nix/store/abc-home-manager-files");
    std::fs::create_dir_all(&store).unwrap();
    let target = store.join("nix.conf");
    std::fs::write(&target, "experimental-features = nix-command flakes\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, sb.nix_conf()).unwrap();

    let r = sb.run(&["login", "github", "--with-token"], Some(GH));
    r.code(0).lacks(GH);
    assert!(r.stderr.contains("nix.extraOptions = \"!include access-tokens.conf\";"), "{}", r.stderr);
    assert!(r.stderr.contains("never put a token itself into a Nix option"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "experimental-features = nix-command flakes\n");
    assert!(std::fs::symlink_metadata(sb.nix_conf()).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(sb.tokens_conf()).unwrap().contains(&format!("github.com={GH}")));
    // Once the user adds the include (as Home Manager would), Nix reads the token.
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&target, "experimental-features = nix-command flakes\n!include access-tokens.conf\n").unwrap();
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t, map(&[("github.com", GH)]));
    }
    // Then the advice is no longer printed.
    let r = sb.run(&["login", "github", "--with-token", "--force"], Some(GH));
    r.code(0);
    assert!(!r.stderr.contains("extraOptions"), "{}", r.stderr);
}

#[test]
fn malformed_nix_conf_is_exit_2_and_nothing_is_written() {
    let (sb, gh, _gl) = setup();
    std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
    let bad = "substituters = https://cache.nixos.org\naccess-tokens=github.com=x\n";
    std::fs::write(sb.nix_conf(), bad).unwrap();
    let r = sb.run(&["login", "github", "--with-token"], Some(GH));
    r.code(2).lacks(GH);
    assert!(r.stderr.contains("nix.conf` line 2"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), bad);
    assert!(!sb.tokens_conf().exists());
    assert!(!sb.store_path().exists());
    assert_eq!(gh.mock.requests.lock().unwrap().len(), 0, "refused before asking the server");
}

#[test]
fn tokens_nix_would_truncate_are_refused() {
    let (sb, gh, _gl) = setup();
    // `#` only Nix minds; whitespace and control characters no token has (refused for every sink).
    for (bad, says) in [
        ("ghp_abc#def0123456789", "Nix would silently cut"),
        ("ghp_abc def0123456789", "U+0020 at position 8"),
        ("ghp_abc\u{1}def0123456789", "U+0001 at position 8"),
    ] {
        let r = sb.run(&["login", "github", "--with-token"], Some(bad));
        r.code(2);
        assert!(r.stderr.contains(says), "{}", r.stderr);
        assert!(!sb.store_path().exists() && !sb.tokens_conf().exists());
    }
    assert_eq!(gh.mock.requests.lock().unwrap().len(), 0);
    // --no-nix keeps it out of Nix, and then only the server decides.
    let r = sb.run(&["login", "github", "--with-token", "--no-nix"], Some(GH));
    r.code(0);
    assert!(!sb.tokens_conf().exists());
}

#[test]
fn host_with_port_is_skipped_with_a_warning() {
    let sb = Sandbox::new();
    let gh = Forge::start(Kind::Github, &[GH]);
    let r = sb.run(&["login", &gh.mock.url(), "--provider", "github", "--with-token"], Some(GH));
    r.code(0);
    assert!(r.stderr.contains("cannot name a port"), "{}", r.stderr);
    assert!(!sb.tokens_conf().exists());
}

#[test]
fn gitea_logins_do_not_go_to_nix() {
    let sb = Sandbox::new();
    let f = Forge::start(Kind::Gitea, &["tok-0123456789abcdef-gitea"]);
    sb.provider(
        "corp-gitea",
        &format!("id = \"corp-gitea\"\nname = \"G\"\nfamily = \"gitea\"\nhosts = [\"git.example.com\"]\napi = \"{}/api/v1\"\n", f.mock.url()),
    );
    let r = sb.run(&["login", "git.example.com", "--with-token"], Some("tok-0123456789abcdef-gitea"));
    r.code(0);
    assert!(r.stderr.contains("does not apply to Gitea/Forgejo"), "{}", r.stderr);
    assert!(!sb.tokens_conf().exists() && !sb.nix_conf().exists());
}

#[test]
fn twenty_concurrent_logins_all_reach_nix() {
    let sb = Sandbox::new();
    let toks: Vec<String> = (0..20).map(|i| format!("ghp_concurrent0123456789abcdef{i:02}")).collect();
    let refs: Vec<&str> = toks.iter().map(String::as_str).collect();
    let gh = Forge::start(Kind::Github, &refs);
    let hosts: Vec<String> = (0..20).map(|i| format!("\"ghe{i}.example.com\"")).collect();
    sb.provider(
        "ghe",
        &format!(
            "id = \"ghe\"\nname = \"GHE\"\nfamily = \"github\"\nhosts = [{}]\napi = \"{}/api/v3\"\n",
            hosts.join(", "),
            gh.mock.url()
        ),
    );
    let jobs: Vec<_> = toks
        .iter()
        .enumerate()
        .map(|(i, tok)| (vec!["login".into(), format!("ghe{i}.example.com"), "--with-token".into()], Some(tok.clone())))
        .collect();
    for r in sb.run_concurrently(&jobs) {
        r.code(0);
    }
    let want: BTreeMap<String, String> =
        toks.iter().enumerate().map(|(i, t)| (format!("ghe{i}.example.com"), t.clone())).collect();
    if let Some(t) = nix_tokens(&sb) {
        assert_eq!(t, want);
    } else {
        let text = std::fs::read_to_string(sb.tokens_conf()).unwrap();
        for (h, t) in &want {
            assert!(text.contains(&format!("{h}={t}")));
        }
    }
    assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), "!include access-tokens.conf\n");
}
