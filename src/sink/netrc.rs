//! `~/.netrc` (`$NETRC`), read by curl, pip, uv, Poetry and Go (SPEC §12): lanyard's entry is
//! `machine HOST login USER password TOKEN` on one line. Every other byte — comments, other
//! machines, `macdef` bodies, `default` — is kept; a new entry goes before `default` (which ends
//! the machines netrc readers look at) or at the end; the file is replaced atomically, 0600.

use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};

/// The netrc file: `$NETRC`, else `~/.netrc`.
pub fn path(env: &Env) -> Result<PathBuf> {
    if let Some(p) = env.var("NETRC") {
        return Ok(PathBuf::from(p));
    }
    env.home().map(|h| h.join(".netrc")).ok_or_else(|| Error::usage("cannot find HOME for ~/.netrc").hint("set NETRC"))
}

/// A token with its byte span.
struct Tok {
    start: usize,
    text: String,
}

/// The tokens of a netrc file with their spans; comments and `macdef` bodies are skipped (as
/// readers do: a body runs to the next empty line).
fn tokens(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        let mut word = String::new();
        if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                word.push(b[i] as char);
                i += 1;
            }
            i = (i + 1).min(b.len());
        } else {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            word = text[start..i].to_string();
        }
        let is_macdef = out.last().is_some_and(|t| t.text == "macdef");
        out.push(Tok { start, text: word });
        if is_macdef {
            // The body: from the end of this line to the next empty line.
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            while i < b.len() {
                if b[i] == b'\n' && (i + 1 >= b.len() || b[i + 1] == b'\n') {
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
    }
    out
}

/// One `machine` entry: its span (from `machine` to the next entry's keyword) and values.
struct Found {
    start: usize,
    end: usize,
    login: Option<String>,
    password: Option<String>,
}

const ENTRY_KEYWORDS: [&str; 3] = ["machine", "default", "macdef"];

fn find(text: &str, machine: &str) -> Option<Found> {
    let toks = tokens(text);
    let mut i = 0;
    while i < toks.len() {
        if toks[i].text == "machine" && toks.get(i + 1).is_some_and(|t| t.text == machine) {
            let start = toks[i].start;
            let mut j = i + 2;
            let (mut login, mut password) = (None, None);
            while j < toks.len() && !ENTRY_KEYWORDS.contains(&toks[j].text.as_str()) {
                match (toks[j].text.as_str(), toks.get(j + 1)) {
                    ("login", Some(v)) => login = Some(v.text.clone()),
                    ("password", Some(v)) => password = Some(v.text.clone()),
                    _ => {}
                }
                j += 2;
            }
            let end = toks.get(j).map(|t| t.start).unwrap_or(text.len());
            return Some(Found { start, end, login, password });
        }
        i += 1;
    }
    None
}

/// Where a new entry goes: before `default`, else at the end.
fn insertion_point(text: &str) -> usize {
    tokens(text).iter().find(|t| t.text == "default").map(|t| t.start).unwrap_or(text.len())
}

/// A value as a netrc token: quoted when it has whitespace, a quote or a backslash.
fn word(v: &str) -> String {
    if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c == '"' || c == '\\' || c == '#') {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        v.to_string()
    }
}

/// The login and password of `machine`, when the file has one.
pub fn lookup(path: &Path, machine: &str) -> Result<Option<(Option<String>, Option<String>)>> {
    let Some(text) = fsutil::read_optional(path)? else { return Ok(None) };
    Ok(find(&text, machine).map(|f| (f.login, f.password)))
}

/// Every `machine` entry of the file with its password (read once; none when it is missing).
pub fn entries(path: &Path) -> Result<Vec<(String, Option<String>)>> {
    let Some(text) = fsutil::read_optional(path)? else { return Ok(Vec::new()) };
    let toks = tokens(&text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i].text == "machine"
            && let Some(m) = toks.get(i + 1)
        {
            out.push((m.text.clone(), find(&text, &m.text).and_then(|f| f.password)));
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(out)
}

/// Writes `machine login password` (replacing that machine's entry).
pub fn set(path: &Path, machine: &str, login: &str, password: &str) -> Result<()> {
    let lock = Lock::acquire(path)?;
    let text = fsutil::read_optional(path)?.unwrap_or_default();
    let line = format!("machine {} login {} password {}\n", word(machine), word(login), word(password));
    let out = match find(&text, machine) {
        Some(f) => {
            // The entry's own trailing blank space is replaced with the one line; what follows stays.
            let rest = &text[f.end..];
            format!("{}{line}{rest}", &text[..f.start])
        }
        None => {
            let at = insertion_point(&text);
            let (before, after) = text.split_at(at);
            let sep = if before.is_empty() || before.ends_with('\n') { "" } else { "\n" };
            format!("{before}{sep}{line}{after}")
        }
    };
    fsutil::write_atomic(&lock, out.as_bytes())
}

/// Removes `machine`'s entry; whether there was one.
pub fn remove(path: &Path, machine: &str) -> Result<bool> {
    let lock = Lock::acquire(path)?;
    let Some(text) = fsutil::read_optional(path)? else { return Ok(false) };
    let Some(f) = find(&text, machine) else { return Ok(false) };
    let out = format!("{}{}", &text[..f.start], &text[f.end..]);
    fsutil::write_atomic(&lock, out.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# my netrc\nmachine a.example.com login me password p1\n\nmacdef init\nmachine fake login x password y\n\nmachine b.example.com\n  login you\n  password \"p 2\"\ndefault login anonymous password me@\n";

    #[test]
    fn entries_are_found_past_comments_and_macdef_bodies() {
        let f = find(FILE, "b.example.com").unwrap();
        assert_eq!((f.login.as_deref(), f.password.as_deref()), (Some("you"), Some("p 2")));
        assert!(find(FILE, "fake").is_none(), "inside a macdef body");
        assert_eq!(find(FILE, "a.example.com").unwrap().password.as_deref(), Some("p1"));
    }

    #[test]
    fn edits_keep_every_other_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("netrc");
        std::fs::write(&p, FILE).unwrap();
        set(&p, "c.example.com", "lanyard", "tok1").unwrap();
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains("machine c.example.com login lanyard password tok1\ndefault"), "{t}");
        set(&p, "c.example.com", "lanyard", "tok2").unwrap();
        let t = std::fs::read_to_string(&p).unwrap();
        assert_eq!(t.replace("machine c.example.com login lanyard password tok2\n", ""), FILE);
        assert!(remove(&p, "c.example.com").unwrap());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), FILE);
        assert!(!remove(&p, "c.example.com").unwrap());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
