//! `lanyard import` sources (SPEC §8): the credentials gh, glab, tea, `~/.netrc`, git's
//! credential store and Nix already hold, read from each tool's own format and never changed.
//! Each reader turns its file into [`Candidate`]s; the command checks each with its server as a
//! login would.

pub mod kubeconfig;
pub mod netrc;

use std::path::{Path, PathBuf};
use std::time::Duration;

use yaml_rust2::{Yaml, YamlLoader};

use crate::cli::ImportSource;
use crate::credential::TokenKind;
use crate::env::Env;
use crate::secret::Secret;

/// A credential another tool holds.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Which source: `gh`, `glab`, `tea`, `netrc`, `git-credentials`, `nix`.
    pub source: &'static str,
    /// The file (or command) it came from.
    pub origin: String,
    /// `https://host[:port]` (or `http://` as the source says).
    pub url: String,
    /// The account name the source gives, if any (the server has the last word).
    pub user: Option<String>,
    /// The token or password.
    pub secret: Secret,
    /// What kind of secret the source says it is.
    pub kind: TokenKind,
    /// The provider kind (as `--provider` takes it), when the source says: gh → `github`,
    /// glab → `gitlab`, a Nix `PAT:`/`OAuth2:` entry → `gitlab`.
    pub kind_hint: Option<&'static str>,
}

/// What a source could not give (a file that cannot be parsed, a token only in a keyring):
/// reported on its own line, never fatal.
#[derive(Debug, Clone)]
pub struct Note {
    /// The source.
    pub source: &'static str,
    /// What happened.
    pub message: String,
}

/// Everything found in the sources asked for.
#[derive(Debug, Default)]
pub struct Found {
    /// The credentials, in source order.
    pub candidates: Vec<Candidate>,
    /// What could not be read.
    pub notes: Vec<Note>,
}

impl ImportSource {
    /// The source's name on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            ImportSource::Gh => "gh",
            ImportSource::Glab => "glab",
            ImportSource::Tea => "tea",
            ImportSource::Netrc => "netrc",
            ImportSource::GitCredentials => "git-credentials",
            ImportSource::Nix => "nix",
            ImportSource::Kubeconfig => "kubeconfig",
        }
    }

    /// Every source, in the order they are read.
    pub const ALL: [ImportSource; 6] = [
        ImportSource::Gh,
        ImportSource::Glab,
        ImportSource::Tea,
        ImportSource::Netrc,
        ImportSource::GitCredentials,
        ImportSource::Nix,
    ];
}

/// Reads the sources. `ours` are the Nix includes lanyard writes (their tokens are not Nix's
/// "unmanaged" ones).
pub fn read(env: &Env, sources: &[ImportSource], ours: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for &s in sources {
        let r = match s {
            ImportSource::Gh => gh(env, &mut found),
            ImportSource::Glab => glab(env, &mut found),
            ImportSource::Tea => tea(env, &mut found),
            ImportSource::Netrc => netrc_file(env, &mut found),
            ImportSource::GitCredentials => git_credentials(env, &mut found),
            ImportSource::Nix => {
                nix(env, ours, &mut found);
                Ok(())
            }
            // Logins, not tokens: the command runs them (`lanyard import kubeconfig`).
            ImportSource::Kubeconfig => Ok(()),
        };
        if let Err(message) = r {
            found.notes.push(Note { source: s.name(), message });
        }
    }
    // What another tool's file says enters here, once, like a server's text (SPEC §6, N9): no
    // escape sequence reaches the terminal, and a user name that cannot be an account (N2) is
    // reported instead of stored.
    let text = crate::secret::server_text;
    let candidates = std::mem::take(&mut found.candidates);
    for mut c in candidates {
        c.url = text(&c.url);
        c.origin = text(&c.origin);
        c.user = c.user.map(|u| text(&u)).filter(|u| !u.is_empty());
        if let Some(why) = c.user.as_deref().and_then(crate::account::account_problem) {
            found.notes.push(Note {
                source: c.source,
                message: format!("{}: the user name `{}` {why}; skipped", c.url, c.user.as_deref().unwrap_or_default()),
            });
            continue;
        }
        found.candidates.push(c);
    }
    for n in &mut found.notes {
        n.message = text(&n.message);
    }
    found
}

/// A source file's text; `None` when it does not exist. Read as lanyard reads its own files:
/// regular files of at most 16 MiB, never a FIFO.
fn text(path: &Path) -> Result<Option<String>, String> {
    crate::fsutil::read_optional(path).map_err(|e| e.message)
}

fn yaml(path: &Path) -> Result<Option<Yaml>, String> {
    let Some(t) = text(path)? else { return Ok(None) };
    // An alias repeats a node wherever it is used: a few hundred bytes of nested aliases expand
    // to gigabytes (N7). gh, glab and tea never write one, so a file with an alias is refused
    // before anything is built from it.
    let mut events = yaml_rust2::parser::Parser::new_from_str(&t);
    loop {
        match events.next_token() {
            Ok((yaml_rust2::Event::StreamEnd, _)) => break,
            Ok((yaml_rust2::Event::Alias(_), mark)) => {
                return Err(format!(
                    "{} line {} uses a YAML alias (`*name`), which gh, glab and tea never write; it is not read",
                    path.display(),
                    mark.line()
                ));
            }
            Ok(_) => {}
            Err(e) => return Err(format!("{} cannot be parsed: {e}", path.display())),
        }
    }
    let docs = YamlLoader::load_from_str(&t).map_err(|e| format!("{} cannot be parsed: {e}", path.display()))?;
    Ok(Some(docs.into_iter().next().unwrap_or(Yaml::Null)))
}

/// A YAML scalar as text (`!!null`, `~` and empty are none).
fn scalar(y: &Yaml) -> Option<String> {
    let s = match y {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    };
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

fn https(host: &str) -> String {
    format!("https://{host}")
}

/// gh: `hosts.yml` in `GH_CONFIG_DIR`, else `$XDG_CONFIG_HOME/gh`. Per host: `user` (the
/// active account), `oauth_token` (only when gh stores tokens in plain text) and, since gh 2.40,
/// `users: {NAME: {oauth_token}}`. A token gh keeps in the keyring comes from
/// `gh auth token --hostname H --user NAME`, when gh is installed.
fn gh(env: &Env, found: &mut Found) -> Result<(), String> {
    let dir = match env.var("GH_CONFIG_DIR") {
        Some(d) => PathBuf::from(d),
        None => env.xdg_config_home().ok_or("no home directory")?.join("gh"),
    };
    let path = dir.join("hosts.yml");
    let Some(doc) = yaml(&path)? else { return Ok(()) };
    let Some(hosts) = doc.as_hash() else { return Ok(()) };
    for (h, conf) in hosts {
        let Some(host) = scalar(h) else { continue };
        let active = scalar(&conf["user"]);
        let mut users: Vec<(String, Option<String>)> = Vec::new();
        if let Some(map) = conf["users"].as_hash() {
            for (u, uc) in map {
                if let Some(u) = scalar(u) {
                    users.push((u, scalar(&uc["oauth_token"])));
                }
            }
        }
        if let Some(a) = &active
            && !users.iter().any(|(u, _)| u == a)
        {
            users.push((a.clone(), None));
        }
        for (user, token) in users {
            // The host-level token is the active account's (gh before and after 2.40).
            let token = token
                .or_else(|| (active.as_deref() == Some(user.as_str())).then(|| scalar(&conf["oauth_token"])).flatten());
            let (token, origin) = match token {
                Some(t) => (t, path.display().to_string()),
                None => match gh_token(env, &dir, &host, &user) {
                    Ok(t) => (t, format!("`gh auth token --hostname {host} --user {user}`")),
                    Err(why) => {
                        found
                            .notes
                            .push(Note { source: ImportSource::Gh.name(), message: format!("{host} {user}: {why}") });
                        continue;
                    }
                },
            };
            found.candidates.push(Candidate {
                source: ImportSource::Gh.name(),
                origin,
                url: https(&host),
                user: Some(user),
                secret: Secret::new(token),
                kind: TokenKind::Pat,
                kind_hint: Some("github"),
            });
        }
    }
    Ok(())
}

/// Runs `gh auth token` for a token gh keeps in the OS keyring (10 s at most).
fn gh_token(env: &Env, dir: &Path, host: &str, user: &str) -> Result<String, String> {
    let gh = env
        .var("PATH")
        .and_then(|p| std::env::split_paths(p).map(|d| d.join("gh")).find(|p| p.is_file()))
        .ok_or("gh keeps the token in the OS keyring and gh is not installed to read it")?;
    // gh runs in a process group of its own, and its output is read on a thread under the same
    // deadline: a child of gh that keeps stdout open cannot hold the import (N8); at the
    // deadline the whole group is killed.
    use std::os::unix::process::CommandExt;
    let mut child = std::process::Command::new(gh)
        .args(["auth", "token", "--hostname", host, "--user", user])
        .env("GH_CONFIG_DIR", dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run gh: {e}"))?;
    let group = rustix::process::Pid::from_raw(child.id() as i32);
    let kill_group = || {
        if let Some(g) = group {
            let _ = rustix::process::kill_process_group(g, rustix::process::Signal::KILL);
        }
    };
    let mut stdout = child.stdout.take().ok_or("gh gave no output")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        // A token is short: more than 64 KiB is not a token answer.
        let r = std::io::Read::read_to_end(&mut std::io::Read::take(&mut stdout, 64 * 1024), &mut out);
        let _ = tx.send(r.map(|_| out));
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let late = || "`gh auth token` did not answer within 10 s (a locked keyring?)".to_string();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) | Err(_) => {
                kill_group();
                let _ = child.wait();
                return Err(late());
            }
        }
    };
    // gh has exited; what it left behind in its group (holding the pipe open) goes too, so the
    // reader sees the end of the output.
    kill_group();
    let wait = deadline.saturating_duration_since(std::time::Instant::now()).max(Duration::from_millis(500));
    let out = match rx.recv_timeout(wait) {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => return Err(format!("cannot read gh's output: {e}")),
        Err(_) => return Err(late()),
    };
    if !status.success() {
        return Err("`gh auth token` found no token (is the keyring unlocked?)".into());
    }
    let t = String::from_utf8_lossy(&out).trim().to_string();
    if t.is_empty() { Err("`gh auth token` printed nothing".into()) } else { Ok(t) }
}

/// glab: `config.yml` in `GLAB_CONFIG_DIR`, else `$XDG_CONFIG_HOME/glab-cli`:
/// `hosts: {HOST: {token, user, api_protocol, api_host, is_oauth2}}`.
fn glab(env: &Env, found: &mut Found) -> Result<(), String> {
    let dir = match env.var("GLAB_CONFIG_DIR") {
        Some(d) => PathBuf::from(d),
        None => env.xdg_config_home().ok_or("no home directory")?.join("glab-cli"),
    };
    let path = dir.join("config.yml");
    let Some(doc) = yaml(&path)? else { return Ok(()) };
    let Some(hosts) = doc["hosts"].as_hash() else { return Ok(()) };
    for (h, conf) in hosts {
        let Some(host) = scalar(h) else { continue };
        let Some(token) = scalar(&conf["token"]) else {
            found.notes.push(Note {
                source: ImportSource::Glab.name(),
                message: format!("{host}: no token in {} (glab may keep it in the OS keyring)", path.display()),
            });
            continue;
        };
        let scheme = scalar(&conf["api_protocol"]).filter(|p| p == "http").unwrap_or_else(|| "https".into());
        let api_host = scalar(&conf["api_host"]).unwrap_or_else(|| host.clone());
        let oauth = scalar(&conf["is_oauth2"]).is_some_and(|v| v == "true");
        found.candidates.push(Candidate {
            source: ImportSource::Glab.name(),
            origin: path.display().to_string(),
            url: format!("{scheme}://{api_host}"),
            user: scalar(&conf["user"]),
            secret: Secret::new(token),
            kind: if oauth { TokenKind::Oauth } else { TokenKind::Pat },
            kind_hint: Some("gitlab"),
        });
    }
    Ok(())
}

/// tea: `$XDG_CONFIG_HOME/tea/config.yml`: `logins: [{name, url, token, user, …}]`. tea does
/// not say Gitea or Forgejo: detection decides.
fn tea(env: &Env, found: &mut Found) -> Result<(), String> {
    let path = env.xdg_config_home().ok_or("no home directory")?.join("tea").join("config.yml");
    let Some(doc) = yaml(&path)? else { return Ok(()) };
    let Some(logins) = doc["logins"].as_vec() else { return Ok(()) };
    for l in logins {
        let (Some(url), Some(token)) = (scalar(&l["url"]), scalar(&l["token"])) else { continue };
        found.candidates.push(Candidate {
            source: ImportSource::Tea.name(),
            origin: path.display().to_string(),
            url: url.trim_end_matches('/').to_string(),
            user: scalar(&l["user"]),
            secret: Secret::new(token),
            kind: TokenKind::Pat,
            kind_hint: None,
        });
    }
    Ok(())
}

/// `NETRC`, else `~/.netrc`: every `machine` with a password (`default` has no host).
fn netrc_file(env: &Env, found: &mut Found) -> Result<(), String> {
    let path = match env.var("NETRC") {
        Some(p) => PathBuf::from(p),
        None => env.home().ok_or("no home directory")?.join(".netrc"),
    };
    let Some(t) = text(&path)? else { return Ok(()) };
    for e in netrc::parse(&t) {
        let (Some(machine), Some(password)) = (e.machine, e.password) else { continue };
        found.candidates.push(Candidate {
            source: ImportSource::Netrc.name(),
            origin: path.display().to_string(),
            url: https(&machine),
            user: e.login,
            secret: Secret::new(password),
            kind: TokenKind::Pat,
            kind_hint: None,
        });
    }
    Ok(())
}

/// git's credential store: `~/.git-credentials` and `$XDG_CONFIG_HOME/git/credentials`, one
/// `scheme://user:password@host[:port][/path]` a line, percent-encoded.
fn git_credentials(env: &Env, found: &mut Found) -> Result<(), String> {
    let home = env.home().ok_or("no home directory")?;
    let mut files = vec![home.join(".git-credentials")];
    if let Some(x) = env.xdg_config_home() {
        files.push(x.join("git").join("credentials"));
    }
    for path in files {
        let Some(t) = text(&path)? else { continue };
        for line in t.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let Some(c) = git_credential_line(line) else { continue };
            let (url, user, password) = c;
            found.candidates.push(Candidate {
                source: ImportSource::GitCredentials.name(),
                origin: path.display().to_string(),
                url,
                user,
                secret: Secret::new(password),
                kind: TokenKind::Pat,
                kind_hint: None,
            });
        }
    }
    Ok(())
}

/// One line of git's credential store: (`scheme://host[:port]`, user, password).
pub fn git_credential_line(line: &str) -> Option<(String, Option<String>, String)> {
    // git's credential store percent-encodes the host, port separator included
    // (`http://user:token@127.0.0.1%3a35945`), which no URL parser takes as a host: the host part
    // is decoded first.
    let (scheme, rest) = line.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let host = percent_decode(host)?;
    let line = match userinfo {
        Some(u) => format!("{scheme}://{u}@{host}{path}"),
        None => format!("{scheme}://{host}{path}"),
    };
    let u = url::Url::parse(&line).ok()?;
    if !matches!(u.scheme(), "https" | "http") {
        return None;
    }
    let password = percent_decode(u.password()?)?;
    let user = Some(percent_decode(u.username())?).filter(|s| !s.is_empty());
    let host = u.host_str()?;
    let origin = match u.port() {
        Some(p) => format!("{}://{host}:{p}", u.scheme()),
        None => format!("{}://{host}", u.scheme()),
    };
    Some((origin, user, password))
}

/// `%XX` decoding (UTF-8 only).
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Nix: the `access-tokens` Nix uses that no lanyard include holds. GitLab's `PAT:`/`OAuth2:`
/// prefixes say the family and the kind.
fn nix(env: &Env, ours: &[PathBuf], found: &mut Found) {
    let eff = crate::sink::nix::effective(env);
    for (host, (value, origin)) in &eff.tokens {
        if ours.contains(&origin.file) {
            continue;
        }
        let (token, kind, kind_hint) = crate::sink::nix::read_entry(value);
        found.candidates.push(Candidate {
            source: ImportSource::Nix.name(),
            origin: origin.to_string(),
            url: https(host),
            user: None,
            secret: Secret::new(token),
            kind,
            kind_hint,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_credential_lines() {
        assert_eq!(
            git_credential_line("https://alice:gh%2Fp%40ss@github.com"),
            Some(("https://github.com".into(), Some("alice".into()), "gh/p@ss".into()))
        );
        assert_eq!(
            git_credential_line("http://oauth2:tok@127.0.0.1:8080/group/repo.git"),
            Some(("http://127.0.0.1:8080".into(), Some("oauth2".into()), "tok".into()))
        );
        assert_eq!(git_credential_line("https://github.com"), None);
        assert_eq!(git_credential_line("ftp://u:p@h"), None);
        assert_eq!(git_credential_line("https://u:%zz@h"), None);
    }
}
