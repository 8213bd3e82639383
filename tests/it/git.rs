//! git's credential helper protocol, proven with real git against a loopback smart-HTTP server
//! (tests/peers/git/server.py: `git http-backend` behind basic auth).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::peers;
use crate::support::Sandbox;

pub struct GitServer {
    child: Child,
    pub port: u16,
}

impl Drop for GitServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn git(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut c = Command::new("git");
    c.env_clear();
    for (k, v) in &sb.vars {
        c.env(k, v);
    }
    c.env("GIT_TERMINAL_PROMPT", "0").env("GIT_CONFIG_NOSYSTEM", "1").current_dir(sb.dir.path());
    c.args(args).output().unwrap()
}

fn start(sb: &Sandbox, token: &str) -> Option<GitServer> {
    start_for(sb, "*", token)
}

/// The smart-HTTP server with one repository, `private.git`, for `user` (`*`: any) and `password`.
pub fn start_for(sb: &Sandbox, user: &str, password: &str) -> Option<GitServer> {
    start_with(sb, user, password, &[])
}

/// A server whose repositories `/TEAM/app.git` each take one account: `(team, user, password)`.
pub fn start_teams(sb: &Sandbox, teams: &[(&str, &str, &str)]) -> Option<GitServer> {
    start_with(sb, "nobody", "no-password-works-here", teams)
}

fn start_with(sb: &Sandbox, user: &str, password: &str, teams: &[(&str, &str, &str)]) -> Option<GitServer> {
    peers::require("git", "real git clones through lanyard's credential helper")?;
    let python = peers::require("python3", "runs the smart-HTTP git server")?;
    let root = sb.dir.path().join("srv");
    std::fs::create_dir_all(&root).unwrap();
    let work = sb.dir.path().join("seed");
    assert!(git(sb, &["init", "-q", "-b", "main", work.to_str().unwrap()]).status.success());
    std::fs::write(work.join("README"), "private\n").unwrap();
    let w = work.to_str().unwrap();
    assert!(git(sb, &["-C", w, "add", "README"]).status.success());
    assert!(git(sb, &["-C", w, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "seed"]).status.success());
    assert!(git(sb, &["clone", "-q", "--bare", w, root.join("private.git").to_str().unwrap()]).status.success());
    let mut prefixes = Vec::new();
    for (team, u, p) in teams {
        let dest = root.join(team).join("app.git");
        assert!(git(sb, &["clone", "-q", "--bare", w, dest.to_str().unwrap()]).status.success());
        prefixes.push(format!("/{team}/={u}:{p}"));
    }
    let mut child = Command::new(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/git/server.py"))
        .args([root.to_str().unwrap(), user, password])
        .args(&prefixes)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().strip_prefix("READY ").unwrap().parse().unwrap();
    Some(GitServer { child, port })
}

#[test]
fn git_clone_through_lanyard() {
    let mut sb = Sandbox::new();
    // git finds lanyard by absolute path in the helper line; PATH needs git itself.
    sb.set("PATH", "/usr/local/bin:/usr/bin:/bin");
    let token = "tok-git-0123456789abcdef";
    let Some(server) = start(&sb, token) else { return };
    let url = format!("http://127.0.0.1:{}", server.port);
    let repo = format!("{url}/private.git");
    let dest = sb.dir.path().join("clone-before");
    let out = git(&sb, &["clone", "-q", &repo, dest.to_str().unwrap()]);
    assert!(!out.status.success(), "no credentials yet: the clone fails");

    sb.run(&["login", &url, "--provider", "token", "--with-token"], Some(token)).code(0);
    let r = sb.run(&["setup-git", &url], None);
    r.code(0);
    assert!(r.stderr.contains("credential helper"), "{}", r.stderr);
    sb.run(&["setup-git", &url], None).code(0);
    let cfg = std::fs::read_to_string(sb.home().join(".gitconfig")).unwrap();
    assert_eq!(cfg.matches("git-credential").count(), 1, "added once: {cfg}");

    let dest = sb.dir.path().join("clone");
    let out = git(&sb, &["clone", "-q", &repo, dest.to_str().unwrap()]);
    assert!(out.status.success(), "clone failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dest.join("README")).unwrap(), "private\n");
    assert!(!String::from_utf8_lossy(&out.stderr).contains(token));

    // Logout takes the helper away again.
    sb.run(&["logout", &url], None).code(0);
    let cfg = std::fs::read_to_string(sb.home().join(".gitconfig")).unwrap();
    assert!(!cfg.contains("git-credential"), "{cfg}");
}

#[test]
fn helper_protocol_answers() {
    let sb = Sandbox::new();
    // Unknown host: nothing at all, exit 0, so git asks the next helper.
    let r = sb.run(&["git-credential", "get"], Some("protocol=https\nhost=unknown.example.com\n\n"));
    r.code(0);
    assert_eq!(r.stdout, "");
    let m = crate::forges::Forge::start(crate::forges::Kind::Gitea, &["tok-0123456789abcdef-git"]);
    sb.run(&["login", &m.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-0123456789abcdef-git")).code(0);
    let input = format!(
        "protocol=http\nhost={}\npath=o/r.git\nwwwauth[]=Basic realm=\"x\"\nfuture-key=whatever\n\n",
        m.mock.key()
    );
    let r = sb.run(&["git-credential", "get"], Some(&input));
    r.code(0);
    assert_eq!(
        r.stdout,
        format!("protocol=http\nhost={}\nusername=gitea-user\npassword=tok-0123456789abcdef-git\n", m.mock.key())
    );
    // Another scheme for the same host gets nothing.
    let r = sb.run(&["git-credential", "get"], Some(&format!("protocol=https\nhost={}\n\n", m.mock.key())));
    assert_eq!(r.stdout, "");
    for action in ["store", "erase"] {
        let r = sb.run(
            &["git-credential", action],
            Some(&format!("protocol=http\nhost={}\nusername=u\npassword=p\n\n", m.mock.key())),
        );
        r.code(0);
        assert_eq!(r.stdout, "");
    }
    sb.run(&["token", &m.mock.key()], None).code(0);
    sb.run(&["git-credential", "nonsense"], Some("")).code(2);
}
