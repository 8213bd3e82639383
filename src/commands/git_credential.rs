//! `lanyard git-credential get|store|erase`: git's credential-helper protocol on stdin/stdout
//! (git-credential(1)), and `lanyard setup-git`, which registers lanyard for a host in the user's
//! git config. `get` refreshes first; for a host lanyard does not know it prints nothing and exits
//! 0, so git asks the next helper.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use chrono::Duration;

use super::{Ctx, target_key};
use crate::cli::{GitAction, GitCredentialArgs, SetupGitArgs};
use crate::credential::CredentialId;
use crate::error::{Error, Exit, Result};
use crate::family;
use crate::sink::{Sink, git};
use crate::ui;

/// A git credential request: the attributes git sent (`wwwauth[]` may repeat). `store` and
/// `erase` carry a `password` (and newer gits `oauth_refresh_token`, `credential`), so `Debug`
/// shows the values of the attributes known to be harmless only.
#[derive(Default, PartialEq, Eq)]
pub struct Request {
    /// Every single-valued attribute.
    pub attrs: HashMap<String, String>,
    /// `wwwauth[]` values, in order.
    pub wwwauth: Vec<String>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const SHOWN: [&str; 6] = ["protocol", "host", "path", "username", "password_expiry_utc", "authtype"];
        let attrs: std::collections::BTreeMap<&str, &str> = self
            .attrs
            .iter()
            .map(|(k, v)| (k.as_str(), if SHOWN.contains(&k.as_str()) { v.as_str() } else { "****" }))
            .collect();
        f.debug_struct("Request").field("attrs", &attrs).field("wwwauth", &self.wwwauth).finish()
    }
}

/// Parses git's `key=value` lines up to a blank line or EOF. Lines without `=` and unknown keys
/// are ignored, as git-credential(1) asks of helpers.
pub fn parse(mut input: impl BufRead) -> std::result::Result<Request, Incomplete> {
    let mut req = Request::default();
    let mut read: u64 = 0;
    let mut raw = Vec::new();
    loop {
        raw.clear();
        // At most the cap and one byte more is read, whatever git (or anyone) sends.
        let n = std::io::Read::take(&mut input, MAX_INPUT + 1 - read.min(MAX_INPUT)).read_until(b'\n', &mut raw);
        let n = n.map_err(|_| Incomplete::Unreadable)?;
        if n == 0 {
            break;
        }
        read += n as u64;
        if read > MAX_INPUT {
            return Err(Incomplete::TooLong);
        }
        // git ends every line with LF: a line cut short is not a request to answer (F23).
        let Some(line) = raw.strip_suffix(b"\n") else { return Err(Incomplete::Unterminated) };
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        let Some((k, v)) = line.split_once('=') else { continue };
        if k.contains('\0') || v.contains('\0') {
            continue;
        }
        if k == "wwwauth[]" {
            req.wwwauth.push(v.to_string());
        } else {
            req.attrs.insert(k.to_string(), v.to_string());
        }
    }
    Ok(req)
}

/// Why git's input is not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incomplete {
    /// Longer than lanyard reads.
    TooLong,
    /// A line without its end.
    Unterminated,
    /// stdin could not be read.
    Unreadable,
}

/// The answer to `get`, or `None` when lanyard has nothing for that host.
pub fn answer(ctx: &Ctx, req: &Request) -> Result<Option<String>> {
    let (Some(protocol), Some(host)) = (req.attrs.get("protocol"), req.attrs.get("host")) else {
        return Ok(None);
    };
    if protocol != "https" && protocol != "http" {
        return Ok(None);
    }
    // The host is matched exactly as git sent it, never re-parsed as a URL (a URL parser strips
    // CR/TAB and stops at `/?#\`, so `h:1%2F.evil.example` would become `h:1`).
    let Some(key) = host_key(host, protocol) else { return Ok(None) };
    let asked = req.attrs.get("username").filter(|u| !u.is_empty());
    let cred = match asked.filter(|u| !crate::choose::is_placeholder(u)) {
        // No user name (or the name git must send with a token): the account the chooser picks
        // (SPEC §14), or a token from the environment.
        None => {
            let a = crate::choose::Asked { git_path: req.attrs.get("path").map(String::as_str), ..Default::default() };
            match super::chosen(ctx, &key, &a, Duration::seconds(60)) {
                Ok((cred, why)) => {
                    crate::ui::debug(&format!("`{key}` answers with {} ({})", cred.record.account(), why.words()));
                    cred
                }
                Err(e) if e.exit == crate::error::Exit::NotLoggedIn => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        // With a user name (`https://alice@host/…`, `credential.username`), that account only; an
        // account lanyard does not have gets no answer, so git asks its next helper (SPEC §8).
        Some(u) => {
            let store = ctx.store();
            // Only the credential asked for is read (SPEC §10: one shared entry, not the whole store).
            let data = store.load_one(&key, Some(u))?;
            let id = CredentialId::new(&key, u);
            if !data.credentials.contains_key(&id) {
                return Ok(None);
            }
            super::fresh_in(ctx, &store, &data, &id, Duration::seconds(60))?
        }
    };
    // Never hand a credential to another scheme than it was stored for.
    if cred.record.site().map(|s| s.scheme != *protocol).unwrap_or(true) {
        return Ok(None);
    }
    let username = match asked {
        Some(u) => u.clone(),
        None => family::git_username(&cred.record),
    };
    let expiry = cred.record.expires_at.map(|e| e.timestamp().to_string());
    let mut pairs = vec![
        ("protocol", protocol.as_str()),
        ("host", host.as_str()),
        ("username", username.as_str()),
        ("password", cred.secrets.token.expose_secret()),
    ];
    if let Some(e) = &expiry {
        pairs.push(("password_expiry_utc", e));
    }
    render(&pairs).map(Some).map_err(|k| {
        Error::failure(format!("the stored {k} for `{key}` has a line break; lanyard does not hand it to git"))
            .hint(format!("run `lanyard login {key} --force`"))
    })
}

/// git's protocol is one `key=value` a line: a value with CR, LF or NUL would let a hostile
/// server add lines (`host=…`, `quit=1`) to what git reads, so such an answer is not written at
/// all. `Err` names the attribute.
pub fn render<'a>(pairs: &[(&'a str, &str)]) -> std::result::Result<String, &'a str> {
    let mut out = String::new();
    for (k, v) in pairs {
        if v.contains(['\r', '\n', '\0']) || k.contains(['\r', '\n', '\0', '=']) {
            return Err(k);
        }
        out.push_str(&format!("{k}={v}\n"));
    }
    Ok(out)
}

/// The store key of git's `host` attribute, when it is a plain host: letters, digits, `.` and
/// `-` (or a bracketed IPv6 literal) and an optional `:port`; the scheme's default port dropped.
pub fn host_key(host: &str, protocol: &str) -> Option<String> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip: std::net::Ipv6Addr = inside.parse().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{ip}]"), port)
    } else {
        let (name, port) = match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            return None;
        }
        (name.to_ascii_lowercase(), port)
    };
    let port: Option<u16> = match port {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    let default = if protocol == "https" { 443 } else { 80 };
    Some(match port {
        Some(p) if p != default => format!("{name}:{p}"),
        _ => name,
    })
}

/// The most of git's input lanyard reads.
const MAX_INPUT: u64 = 64 * 1024;

/// Runs `lanyard git-credential`.
pub fn run(ctx: &Ctx, args: GitCredentialArgs) -> Result<Exit> {
    // git's requests are a few hundred bytes: a larger input is never read into memory, and is
    // not answered at all (an answer to its first part would be an answer to another request).
    let req = match parse(std::io::stdin().lock()) {
        Ok(r) => r,
        // `store` and `erase` answer nothing whatever they are sent.
        Err(_) if args.action != GitAction::Get => return Ok(Exit::Ok),
        Err(why) => {
            let what = match why {
                Incomplete::TooLong => format!("git's input is longer than {} KiB", MAX_INPUT / 1024),
                Incomplete::Unterminated => "git's input ends in the middle of a line".to_string(),
                Incomplete::Unreadable => "git's input cannot be read".to_string(),
            };
            return Err(Error::usage(format!("{what}; not answered"))
                .hint("git sends a few `key=value` lines, each ending in a newline; check what calls `lanyard git-credential`"));
        }
    };
    match args.action {
        GitAction::Get => match answer(ctx, &req) {
            Ok(Some(text)) => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())
                    .and_then(|_| out.flush())
                    .map_err(|e| Error::failure(format!("cannot write to git: {e}")))?;
            }
            Ok(None) => {}
            // git goes on to its next helper; the reason goes to stderr.
            Err(e) => ui::error(&e),
        },
        // lanyard owns its credentials: what git learnt elsewhere is not stored, and a failed
        // attempt does not log out (that is `lanyard logout`).
        GitAction::Store | GitAction::Erase => {}
    }
    Ok(Exit::Ok)
}

/// Runs `lanyard setup-git`.
pub fn setup(ctx: &Ctx, args: SetupGitArgs) -> Result<Exit> {
    let data = ctx.store().load()?;
    let keys: Vec<String> = match &args.target {
        Some(t) => vec![target_key(ctx, t)?],
        // Without a target: only the hosts git can use (forges), never OpenID issuers or registries.
        None => data
            .hosts()
            .into_iter()
            .filter(|h| data.active(h).is_some_and(|(_, s)| family::used_by_git(s.record.family)))
            .collect(),
    };
    if keys.is_empty() {
        return Err(Error::new(Exit::NotLoggedIn, "not logged in anywhere")
            .hint("run `lanyard login` first (it offers the providers it knows)"));
    }
    for key in keys {
        let Some((_, c)) = data.active(&key) else {
            return Err(Error::new(Exit::NotLoggedIn, format!("not logged in to `{key}`"))
                .hint(format!("run `lanyard login {key}` first")));
        };
        let base = c.record.site()?.base();
        if git::add_helper(&ctx.env, &ctx.config_dir, &base)? {
            ui::say(&format!("{}: lanyard is now the credential helper for {base}.", Sink::GIT));
        } else {
            ui::say(&format!("{}: lanyard already is the credential helper for {base}.", Sink::GIT));
        }
        // `[[account]]` rules by remote read git's path=, which git sends only when asked to.
        if ctx.config.accounts.iter().any(|r| r.host == key && r.remote.is_some()) && git::use_http_path(&base)? {
            ui::say(&format!(
                "{}: git now sends the repository's path for {base} (credential.useHttpPath), for the remote rules.",
                Sink::GIT
            ));
        }
        // Remember it, so that logout takes the helper away again.
        let sink = Sink::Git { base };
        let mut locked = ctx.store().lock()?;
        if let Some(id) = locked.data.active_id(&key)
            && let Some(c) = locked.data.credentials.get_mut(&id)
            && !c.record.sinks.contains(&sink)
        {
            c.record.sinks.push(sink);
            locked.save()?;
        }
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_git_input() {
        let input = "protocol=https\nhost=git.example.com:8443\npath=o/r.git\nwwwauth[]=Basic realm=\"x\"\nwwwauth[]=Bearer\nnonsense\ncapability[]=authtype\n\nhost=after-blank\n";
        let r = parse(input.as_bytes()).unwrap();
        assert_eq!(r.attrs["host"], "git.example.com:8443");
        assert_eq!(r.attrs["path"], "o/r.git");
        assert_eq!(r.wwwauth, vec!["Basic realm=\"x\"", "Bearer"]);
        assert!(!r.attrs.contains_key("nonsense"));
        assert_eq!(parse("".as_bytes()), Ok(Request::default()));
        assert_eq!(parse("protocol=https\nhost=h".as_bytes()), Err(Incomplete::Unterminated));
        let long = format!("protocol=https\nhost=h\npath={}\n\n", "a".repeat(70_000));
        assert_eq!(parse(long.as_bytes()), Err(Incomplete::TooLong));
    }

    #[test]
    fn hosts_are_matched_exactly() {
        assert_eq!(host_key("GitHub.com", "https").as_deref(), Some("github.com"));
        assert_eq!(host_key("git.example.com:443", "https").as_deref(), Some("git.example.com"));
        assert_eq!(host_key("127.0.0.1:8080", "http").as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(host_key("[::1]:8080", "http").as_deref(), Some("[::1]:8080"));
        for bad in ["127.0.0.1:8080%2F.evil.example", "h\r", "a/b", "a b", "h:", "h:x", "", "[::1", "user@h", "h?x"] {
            assert_eq!(host_key(bad, "https"), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let r = parse("protocol=https\nhost=h\nusername=u\npassword=hunter2-secret\n".as_bytes()).unwrap();
        let shown = format!("{r:?}");
        assert!(!shown.contains("hunter2-secret") && shown.contains("****"), "{shown}");
    }
}
