//! `lanyard import` (SPEC §8): every source in its tool's real format, each candidate checked by
//! a mock server that logs the check, refused ones reported, the sources left byte for byte.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::forges::{Forge, Kind};
use crate::support::{Mock, Sandbox};

const GH_OCTO: &str = "gho_octocat0123456789abcdefghijABCDEF";
const GH_HUBOT: &str = "gho_hubot00123456789abcdefghijABCDEF";
const GH_NIX: &str = "ghp_monalisa23456789abcdefghijABCDEF";
const GL: &str = "glpat-tanuki0123456789ab";
const TEA: &str = "0123456789abcdef0123456789abcdef01234567";
const NETRC: &str = "fedcba9876543210fedcba9876543210fedcba98";
const BAD: &str = "badbadbad0123456789abcdef0123456789abcdef";
const GIT_BOB: &str = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

struct World {
    sb: Sandbox,
    gh: Forge,
    gl: Forge,
    gitea: Forge,
    netrc_gitea: Forge,
    sources: Vec<PathBuf>,
}

/// A machine holding all six sources, in each tool's own format.
fn world() -> World {
    let mut sb = Sandbox::new();
    let gh = Forge::with_users(Kind::Github, &[(GH_OCTO, "octocat"), (GH_HUBOT, "hubot"), (GH_NIX, "monalisa")]);
    let gl = Forge::with_users(Kind::Gitlab, &[(GL, "tanuki")]);
    let gitea = Forge::with_users(Kind::Gitea, &[(TEA, "gitea-user"), (GIT_BOB, "bob")]);
    let netrc_gitea = Forge::with_users(Kind::Gitea, &[(NETRC, "alice")]);
    sb.github_at(&gh.mock.url());
    sb.provider(
        "corp-gitlab",
        &format!(
            "id = \"corp-gitlab\"\nname = \"Corp GitLab\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\napi = \"{}/api/v4\"\n",
            gl.mock.url()
        ),
    );
    sb.provider(
        "corp-gitea",
        &format!(
            "id = \"corp-gitea\"\nname = \"Corp Gitea\"\nfamily = \"gitea\"\nhosts = [\"gitea.example.com\"]\napi = \"{}/api/v1\"\n",
            netrc_gitea.mock.url()
        ),
    );
    let home = sb.home();
    let cfg = home.join(".config");
    let write = |p: PathBuf, text: String| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    };
    // gh ≥ 2.40: the active user's token at host level and under `users`; hubot's in the keyring.
    let gh_hosts = write(
        cfg.join("gh/hosts.yml"),
        format!(
            "github.com:\n    users:\n        octocat:\n            oauth_token: {GH_OCTO}\n        hubot:\n    git_protocol: https\n    user: octocat\n    oauth_token: {GH_OCTO}\n"
        ),
    );
    // `gh auth token` for a keyring token: a stand-in gh that answers as gh does.
    let bin = sb.dir.path().join("bin");
    let fake_gh = write(
        bin.join("gh"),
        format!(
            "#!/bin/sh\n[ \"$1 $2 $3 $4 $5 $6\" = \"auth token --hostname github.com --user hubot\" ] || exit 1\necho {GH_HUBOT}\n"
        ),
    );
    std::fs::set_permissions(&fake_gh, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    sb.set("PATH", &format!("{}:/usr/bin:/bin", bin.display()));
    let glab = write(
        cfg.join("glab-cli/config.yml"),
        format!(
            "git_protocol: ssh\neditor:\nbrowser:\nhosts:\n    gitlab.example.com:\n        token: {GL}\n        api_host: gitlab.example.com\n        git_protocol: ssh\n        api_protocol: https\n        user: tanuki\n"
        ),
    );
    let tea = write(
        cfg.join("tea/config.yml"),
        format!(
            "logins:\n- name: local\n  url: {}\n  token: {TEA}\n  default: true\n  ssh_host: 127.0.0.1\n  ssh_key: \"\"\n  insecure: false\n  user: gitea-user\n  created: 1700000000\npreferences:\n  editor: false\n  flag_defaults:\n    remote: \"\"\n",
            gitea.mock.url()
        ),
    );
    let netrc = write(
        home.join(".netrc"),
        format!(
            "machine gitea.example.com\n  login alice\n  password {NETRC}\n\nmachine gitea.example.com login mallory password {BAD}\n\nmacdef init\nmachine evil.example.com password x\n\ndefault login anonymous password guest\n"
        ),
    );
    // git's store: tea's token again (checked once) and a second account on the same server.
    let port = gitea.mock.port;
    let gitcreds = write(
        home.join(".git-credentials"),
        format!("http://gitea-user:{TEA}@127.0.0.1:{port}\nhttp://bob:{GIT_BOB}@127.0.0.1:{port}\n"),
    );
    // A hand-written nix.conf line, as nix-auth users have.
    let nixconf = write(sb.nix_conf(), format!("access-tokens = github.com={GH_NIX}\n"));
    World { sb, gh, gl, gitea, netrc_gitea, sources: vec![gh_hosts, fake_gh, glab, tea, netrc, gitcreds, nixconf] }
}

fn snapshot(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// How many times the mock saw a token in an Authorization or PRIVATE-TOKEN header.
fn checks(m: &Mock, token: &str) -> usize {
    m.requests
        .lock()
        .unwrap()
        .iter()
        .filter(|r| {
            r.header("authorization").is_some_and(|a| a.ends_with(token)) || r.header("private-token") == Some(token)
        })
        .count()
}

/// Output lines by (source, host) → the rest.
fn lines(stdout: &str) -> BTreeMap<(String, String), String> {
    stdout
        .lines()
        .map(|l| {
            let mut w = l.split_whitespace();
            let (s, h) = (w.next().unwrap().to_string(), w.next().unwrap().to_string());
            ((s, h), w.collect::<Vec<_>>().join(" "))
        })
        .fold(BTreeMap::new(), |mut m, (k, v)| {
            m.entry(k).and_modify(|e: &mut String| e.push_str(&format!(" | {v}"))).or_insert(v);
            m
        })
}

#[test]
fn six_sources_are_checked_imported_and_left_untouched() {
    let w = world();
    let sb = &w.sb;
    let before = snapshot(&w.sources);
    let gitea_key = w.gitea.mock.key();

    // A dry run checks every candidate and stores nothing.
    let r = sb.run(&["import", "--dry-run"], None);
    r.code(4).lacks(GH_OCTO).lacks(BAD).lacks(NETRC);
    assert!(!sb.store_path().exists(), "a dry run stores nothing");
    assert!(r.stdout.contains("would be imported"), "{}", r.stdout);
    assert_eq!(checks(&w.gh.mock, GH_OCTO), 1);

    let r = sb.run(&["import"], None);
    eprintln!("{}\n{}", r.stdout, r.stderr);
    r.code(4).lacks(GH_OCTO).lacks(GH_HUBOT).lacks(GL).lacks(TEA).lacks(BAD);
    let l = lines(&r.stdout);
    let gh = &l[&("gh".into(), "github.com".into())];
    // Issue 23 item 9: nix.conf's own `access-tokens` (which the `nix` source read) move into
    // lanyard's include as at a login, so Nix sees the imported tokens too.
    assert!(gh.contains("octocat imported") && gh.contains("; active"), "{gh}");
    assert!(r.stderr.contains("Moved the `access-tokens` of nix.conf into the include"), "{}", r.stderr);
    assert!(gh.contains("hubot imported") && gh.contains("`octocat` stays active"), "{gh}");
    assert!(l[&("glab".into(), "gitlab.example.com".into())].starts_with("tanuki imported"), "{l:?}");
    assert!(l[&("tea".into(), gitea_key.clone())].starts_with("gitea-user imported"), "{l:?}");
    let netrc = &l[&("netrc".into(), "gitea.example.com".into())];
    assert!(netrc.contains("alice imported") && netrc.contains("mallory refused by the server"), "{netrc}");
    assert!(!r.stdout.contains("evil.example.com"), "a macdef body is no machine: {}", r.stdout);
    // git's store: tea's token was checked once already; bob is a second account there.
    let git = &l[&("git-credentials".into(), gitea_key.clone())];
    assert!(git.starts_with("bob imported") && !git.contains('|'), "{git}");
    assert!(l[&("nix".into(), "github.com".into())].starts_with("monalisa imported"), "{l:?}");
    assert_eq!(l.values().map(|v| v.split(" | ").count()).sum::<usize>(), 8, "one line per candidate: {}", r.stdout);
    // Every candidate checked exactly as a login checks it (once more than the dry run).
    for (m, t) in [(&w.gh.mock, GH_OCTO), (&w.gh.mock, GH_HUBOT), (&w.gh.mock, GH_NIX), (&w.gitea.mock, TEA)] {
        assert_eq!(checks(m, t), 2, "{t}");
    }
    assert_eq!(checks(&w.netrc_gitea.mock, NETRC), 2);
    assert!(checks(&w.gl.mock, GL) >= 2);
    // Every other tool's file is byte-identical; nix.conf lost only its `access-tokens` line to
    // the include (a backup keeps it), and real Nix reads the imported token.
    let n = w.sources.len() - 1;
    assert_eq!(snapshot(&w.sources[..n]), before[..n], "the other sources are byte-identical");
    let conf = std::fs::read_to_string(sb.nix_conf()).unwrap();
    assert!(!conf.contains(GH_NIX) && conf.contains("!include access-tokens.conf"), "{conf}");
    if let Some(nix) = crate::nix::nix_tokens(sb) {
        assert_eq!(nix.get("github.com").map(String::as_str), Some(GH_OCTO), "{nix:?}");
        assert_eq!(nix.get("gitlab.example.com").map(String::as_str), Some(format!("PAT:{GL}").as_str()));
    }
    let before = snapshot(&w.sources);

    // What lanyard holds now, and where.
    assert_eq!(sb.run(&["token", "github.com"], None).stdout.trim(), GH_OCTO);
    assert_eq!(sb.run(&["token", "hubot@github.com"], None).stdout.trim(), GH_HUBOT);
    assert_eq!(sb.run(&["token", "gitlab.example.com"], None).stdout.trim(), GL);
    assert_eq!(sb.run(&["token", &format!("bob@{gitea_key}")], None).stdout.trim(), GIT_BOB);
    let v: Value = serde_json::from_str(&sb.run(&["status", "--offline", "--json"], None).stdout).unwrap();
    let managed = v["credentials"].as_array().unwrap().iter().filter(|c| c["managed"] == true).count();
    assert_eq!(managed, 7);
    sb.run(&["switch", "github.com", "monalisa"], None).code(0);
    assert_eq!(sb.run(&["token", "github.com"], None).stdout.trim(), GH_NIX);

    // Again: what is held is skipped silently; only the refused one has a line.
    let r = sb.run(&["import"], None);
    r.code(4);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("mallory"), "{}", r.stdout);
    assert_eq!(snapshot(&w.sources), before);
}

#[test]
fn without_the_nix_source_imported_forge_tokens_go_to_real_nix() {
    let w = world();
    let sb = &w.sb;
    std::fs::remove_file(sb.nix_conf()).unwrap();
    let r = sb.run(&["import", "gh", "glab"], None);
    r.code(0);
    assert!(r.stdout.contains("active, written to Nix"), "{}", r.stdout);
    let Some(nix) = crate::nix::nix_tokens(sb) else { return };
    assert_eq!(nix.get("github.com").map(String::as_str), Some(GH_OCTO));
    assert_eq!(nix.get("gitlab.example.com").map(String::as_str), Some(format!("PAT:{GL}").as_str()));
    // The Nix tokens are lanyard's now: `import nix` finds nothing unmanaged.
    let r = sb.run(&["import", "nix"], None);
    r.code(3);
}

#[test]
fn one_source_nothing_found_and_unreadable_sources() {
    let w = world();
    let sb = &w.sb;
    // Only the asked source is read.
    let r = sb.run(&["import", "glab"], None);
    r.code(0);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("glab "), "{}", r.stdout);
    // Nothing found: exit 3 and a way forward.
    let empty = Sandbox::new();
    let r = empty.run(&["import"], None);
    r.code(3);
    assert!(r.stderr.contains("no credentials found") && r.stderr.contains("lanyard login"), "{}", r.stderr);
    // A source that cannot be parsed is named, left alone, and the others still count.
    std::fs::write(sb.home().join(".config/tea/config.yml"), "logins: [unclosed\n").unwrap();
    // (glab's token is held already: skipped without a line.)
    let r = sb.run(&["import", "tea", "glab"], None);
    r.code(0);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("tea:") && r.stderr.contains("cannot be parsed"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(sb.home().join(".config/tea/config.yml")).unwrap(), "logins: [unclosed\n");
}

/// Issue 23 item 8: a file written by real git's credential store for a host with a port
/// (`http://user:token@127.0.0.1%3a35945`) is read, and its token imported.
#[test]
fn a_git_credential_store_file_written_by_git_is_read() {
    let Some(sb) = Sandbox::with_git() else { return };
    let tok = "tok-gitstore-0123456789abcdef";
    let f = Forge::start(Kind::Gitea, &[tok]);
    let store = sb.home().join(".git-credentials");
    let input = format!("protocol=http\nhost={}\nusername=gitea-user\npassword={tok}\n\n", f.mock.key());
    let out = sb.git(&["credential-store", "--file", store.to_str().unwrap(), "store"], Some(&input));
    assert!(out.status.success());
    let written = std::fs::read_to_string(&store).unwrap();
    assert!(written.contains("%3a"), "git encodes the port's colon: {written}");
    let r = sb.run(&["import", "git-credentials"], None);
    r.code(0);
    assert!(r.stdout.contains(&f.mock.key()), "{}{}", r.stdout, r.stderr);
    assert_eq!(sb.run(&["token", &f.mock.key()], None).stdout.trim(), tok);
}
