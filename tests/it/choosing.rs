//! Choosing the account (SPEC §14, §15): `[[account]]` rules by directory and by repository,
//! the repository's `lanyard.account`, `LANYARD_ACCOUNT`, real git with `credential.useHttpPath`,
//! and tokens from the environment (never stored, shown and checked by `status`).

use std::process::Command;

use crate::forges::{Forge, Kind};
use crate::support::{Run, Sandbox, run_cmd};

const ALICE: &str = "tok-alice-0123456789abcdef";
const BOB: &str = "tok-bob-0123456789abcdef00";

fn in_dir(sb: &Sandbox, dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = sb.cmd();
    c.current_dir(dir).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    run_cmd(c, None)
}

#[test]
fn rules_by_directory_repository_and_git_config_pick_the_account() {
    let Some(sb) = Sandbox::with_git() else { return };
    let forge = Forge::with_users(Kind::Gitea, &[(ALICE, "alice"), (BOB, "bob")]);
    let url = forge.mock.url();
    let key = forge.mock.key();
    for tok in [ALICE, BOB] {
        sb.run(&["login", &url, "--provider", "gitea", "--with-token"], Some(tok)).code(0);
    }
    // bob logged in last: he is the active account.
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!(
            "[[account]]\nhost = \"{key}\"\naccount = \"alice\"\ndir = \"~/work/**\"\n\n[[account]]\nhost = \"{key}\"\naccount = \"alice\"\nremote = \"{key}/team-a/*\"\n"
        ),
    )
    .unwrap();
    let work = sb.home().join("work/app");
    std::fs::create_dir_all(&work).unwrap();
    let elsewhere = sb.home().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let token =
        |dir: &std::path::Path, env: &[(&str, &str)]| in_dir(&sb, dir, &["token", &key], env).stdout.trim().to_string();
    assert_eq!(token(&elsewhere, &[]), BOB, "no rule matches: the active account");
    assert_eq!(token(&work, &[]), ALICE, "rule 1: dir ~/work/**");
    let r = in_dir(&sb, &work, &["which", &key], &[]);
    r.code(0);
    assert_eq!(r.stdout.trim(), format!("alice@{key} (rule 1: dir ~/work/**)"));
    let r = in_dir(&sb, &work, &["status", &key, "--offline"], &[]);
    assert!(r.stdout.contains(&format!("{key}: `alice` answers here (rule 1: dir ~/work/**)")), "{}", r.stdout);
    let r = in_dir(&sb, &work, &["-v", "token", &key], &[]);
    assert!(r.stderr.contains("rule 1: dir ~/work/**"), "{}", r.stderr);
    // LANYARD_ACCOUNT wins over rules; one the host does not have falls through.
    assert_eq!(token(&work, &[("LANYARD_ACCOUNT", "bob")]), BOB);
    assert_eq!(token(&work, &[("LANYARD_ACCOUNT", "ghost")]), ALICE);
    // ACCOUNT@TARGET wins over everything.
    assert_eq!(in_dir(&sb, &work, &["token", &format!("bob@{key}")], &[]).stdout.trim(), BOB);
    // The repository's `lanyard.account` wins over the rules.
    let repo = work.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |dir: &std::path::Path, args: &[&str]| {
        let out = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env_clear()
            .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    };
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "lanyard.account", "bob"]);
    assert_eq!(token(&repo, &[]), BOB);
    assert!(in_dir(&sb, &repo, &["which", &key], &[]).stdout.contains("`lanyard.account` in"));
    // exec follows the same chooser.
    let r = in_dir(&sb, &work, &["exec", "--env", &format!("T={key}"), "--", "sh", "-c", "printf %s \"$T\""], &[]);
    assert_eq!(r.stdout, ALICE);

    // Real git with credential.useHttpPath: the repository git asks about picks the account.
    sb.run(&["setup-git", &url], None).code(0);
    git(&elsewhere, &["config", "--global", &format!("credential.{url}.useHttpPath"), "true"]);
    let fill = |path: &str| {
        let mut c = Command::new("git");
        c.current_dir(&elsewhere).args(["credential", "fill"]).env_clear();
        c.envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone()))).env("GIT_TERMINAL_PROMPT", "0");
        run_cmd(c, Some(&format!("url={url}/{path}\n\n"))).stdout
    };
    assert!(fill("team-a/app.git").contains(&format!("password={ALICE}")), "rule 2: remote {key}/team-a/*");
    assert!(fill("team-b/app.git").contains(&format!("password={BOB}")), "the active account");
}

#[test]
fn tokens_from_the_environment_answer_are_never_stored_and_show_in_status() {
    let Some(sb) = Sandbox::with_git() else { return };
    let stored = "ghp_stored0123456789abcdefghijABCD01";
    let from_env = "ghp_fromenv123456789abcdefghijABCD02";
    let gh = Forge::with_users(Kind::Github, &[(stored, "octocat"), (from_env, "ci-bot")]);
    sb.github_at(&gh.mock.url());
    sb.run(&["login", "github", "--with-token"], Some(stored)).code(0);
    let with = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = sb.cmd();
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        run_cmd(c, None)
    };
    let gh_env = [("GH_TOKEN", from_env)];
    assert_eq!(with(&["token", "github"], &gh_env).stdout.trim(), from_env);
    assert_eq!(with(&["--ignore-env", "token", "github"], &gh_env).stdout.trim(), stored);
    assert_eq!(with(&["token", "octocat@github"], &gh_env).stdout.trim(), stored, "a named account wins");
    assert!(with(&["which", "github"], &gh_env).stdout.contains("source: env (GH_TOKEN)"));
    // Bound to its host only.
    assert!(!with(&["token", "github"], &[("GITLAB_TOKEN", from_env)]).stdout.contains(from_env));
    let r = with(&["status", "github"], &gh_env);
    r.code(0).lacks(from_env);
    assert!(r.stdout.contains("source: env (GH_TOKEN)") && r.stdout.contains("valid"), "{}", r.stdout);
    assert!(r.stdout.lines().last().unwrap().contains("usable"), "the summary stays last: {}", r.stdout);
    // git gets it too, with the user name GitHub takes with a token.
    let mut c = sb.cmd();
    c.args(["git-credential", "get"]).env("GH_TOKEN", from_env);
    let r = run_cmd(c, Some("protocol=https\nhost=github.com\n\n"));
    assert!(
        r.stdout.contains(&format!("password={from_env}")) && r.stdout.contains("username=x-access-token"),
        "{}",
        r.stdout
    );
    // Never stored.
    assert!(!std::fs::read_to_string(sb.store_path()).unwrap().contains(from_env));
    // A revoked one is what `status github` is about: exit 4.
    gh.revoke(from_env);
    let r = with(&["status", "github"], &gh_env);
    r.code(4);
    assert!(r.stdout.contains("rejected"), "{}", r.stdout);
    // ignore_env in config.toml turns them off for good.
    std::fs::write(sb.config_dir().join("config.toml"), "ignore_env = true\n").unwrap();
    assert_eq!(with(&["token", "github"], &gh_env).stdout.trim(), stored);
}

#[test]
fn real_git_clones_two_repositories_of_two_accounts_on_one_host() {
    let Some(sb) = Sandbox::with_git() else { return };
    let (pa, pb) = ("pw-alice-0123456789", "pw-bob-0123456789");
    let Some(server) = crate::git::start_teams(&sb, &[("team-a", "alice", pa), ("team-b", "bob", pb)]) else { return };
    let base = format!("http://127.0.0.1:{}", server.port);
    let key = base.trim_start_matches("http://").to_string();
    for (user, pw) in [("alice", pa), ("bob", pb)] {
        sb.run(&["login", &base, "--provider", "basic", "--user", user, "--with-password"], Some(pw)).code(0);
    }
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!("[[account]]\nhost = \"{key}\"\naccount = \"alice\"\nremote = \"{key}/team-a/*\"\n"),
    )
    .unwrap();
    // setup-git turns on useHttpPath for a host with remote rules: git then sends the path.
    let r = sb.run(&["setup-git", &base], None);
    r.code(0);
    assert!(r.stderr.contains("useHttpPath"), "{}", r.stderr);
    assert_eq!(sb.git_config(&format!("credential.{base}.usehttppath")).trim(), "true");
    let clone = |team: &str| {
        let dest = sb.dir.path().join(format!("clone-{team}"));
        sb.git(&["clone", "-q", &format!("{base}/{team}/app.git"), dest.to_str().unwrap()], None)
    };
    let a = clone("team-a");
    assert!(a.status.success(), "team-a as alice (rule 1: remote): {}", String::from_utf8_lossy(&a.stderr));
    let b = clone("team-b");
    assert!(b.status.success(), "team-b as bob (the active account): {}", String::from_utf8_lossy(&b.stderr));
}
