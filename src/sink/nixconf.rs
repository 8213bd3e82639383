//! Nix's configuration grammar, read exactly as Nix 2.x reads it: `#` starts a comment anywhere,
//! a line is whitespace-separated words, `name = value` with `=` a word of its own,
//! `include PATH` / `!include PATH` relative to the including file. Each line keeps its bytes
//! (line ending included) so an edit changes only the lines it means to.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One line of a config file. `Debug` shows the line number and kind, not the bytes: a line
/// may be `access-tokens = …`.
#[derive(Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's exact bytes, its line ending included.
    pub raw: String,
    /// 1-based line number.
    pub number: usize,
    /// What Nix makes of it.
    pub kind: Kind,
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Line").field("number", &self.number).field("kind", &self.kind).finish_non_exhaustive()
    }
}

/// What a line means to Nix. `Debug` hides every setting's value (which may be a token).
#[derive(Clone, PartialEq, Eq)]
pub enum Kind {
    /// Blank or only a comment.
    Nothing,
    /// `name = value…`.
    Setting {
        /// The setting's name.
        name: String,
        /// The words after `=`, joined by one space.
        value: String,
    },
    /// `include PATH` (`optional` for `!include`).
    Include {
        /// The path as written.
        path: String,
        /// `!include`: a missing file is skipped.
        optional: bool,
    },
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kind::Nothing => f.write_str("Nothing"),
            Kind::Setting { name, .. } => f.debug_struct("Setting").field("name", name).finish_non_exhaustive(),
            Kind::Include { path, optional } => {
                f.debug_struct("Include").field("path", path).field("optional", optional).finish()
            }
        }
    }
}

/// Splits text into lines that keep their endings.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
}

/// Parses a config file. A line Nix rejects is a usage error naming the file and line.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Line>> {
    let mut out = Vec::new();
    for (i, raw) in split_lines(text).enumerate() {
        let number = i + 1;
        let content = raw.split('#').next().unwrap_or("");
        let words: Vec<&str> = content.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()).collect();
        let illegal = || {
            Error::usage(format!(
                "`{}` line {number}: Nix rejects this line: `{}`",
                path.display(),
                raw.trim_end()
            ))
            .hint("fix the line (Nix wants `name = value`, with spaces around `=`); lanyard leaves the file untouched")
        };
        let kind = match words.as_slice() {
            [] => Kind::Nothing,
            [_] => return Err(illegal()),
            [kw, p] if *kw == "include" || *kw == "!include" => {
                Kind::Include { path: p.to_string(), optional: *kw == "!include" }
            }
            [kw, ..] if *kw == "include" || *kw == "!include" => return Err(illegal()),
            [name, eq, rest @ ..] if *eq == "=" => Kind::Setting { name: name.to_string(), value: rest.join(" ") },
            _ => return Err(illegal()),
        };
        out.push(Line { raw: raw.to_string(), number, kind });
    }
    Ok(out)
}

/// The pairs of an `access-tokens` value: whitespace-separated, split at the first `=`; pairs
/// without `=` are dropped, as Nix drops them. A host repeated in one value keeps its first
/// token, as Nix's `StringMap` setting does (it `emplace`s, which never overwrites).
pub fn parse_tokens(value: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (h, t) in value.split_whitespace().filter_map(|pair| pair.split_once('=')) {
        if !out.iter().any(|(seen, _)| seen == h) {
            out.push((h.to_string(), t.to_string()));
        }
    }
    out
}

/// Whether Nix would read a token intact: no whitespace, `#` or control characters.
pub fn token_is_safe(token: &str) -> bool {
    !token.is_empty() && !token.chars().any(|c| c.is_whitespace() || c == '#' || c.is_control())
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The file, or `NIX_CONFIG`.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// The `access-tokens` map Nix ends up with, each value with the line that set it. `Debug` shows
/// hosts and origins, never the values.
#[derive(Clone, Default)]
pub struct Effective {
    /// host → (value, origin).
    pub tokens: BTreeMap<String, (String, Origin)>,
    /// Tokens that were set and then hidden by a later plain `access-tokens` line.
    pub hidden: Vec<(String, Origin, Origin)>,
    /// Files that could not be read or parsed (Nix would fail on them too, or skip them).
    pub problems: Vec<String>,
}

impl std::fmt::Debug for Effective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tokens: BTreeMap<&str, String> =
            self.tokens.iter().map(|(h, (_, o))| (h.as_str(), format!("**** from {o}"))).collect();
        f.debug_struct("Effective")
            .field("tokens", &tokens)
            .field("hidden", &self.hidden.iter().map(|(h, a, b)| (h, a.to_string(), b.to_string())).collect::<Vec<_>>())
            .field("problems", &self.problems)
            .finish()
    }
}

impl Effective {
    /// Applies one file (and what it includes), as Nix's `applyConfigFile` does.
    pub fn apply_file(&mut self, path: &Path, must_exist: bool, seen: &mut HashSet<PathBuf>) {
        if seen.len() > 32 || !seen.insert(path.to_path_buf()) {
            self.problems.push(format!("`{}` is included in a loop", path.display()));
            return;
        }
        let text = match crate::fsutil::read_optional(path) {
            Ok(Some(t)) => t,
            Ok(None) if !must_exist => {
                seen.remove(path);
                return;
            }
            Ok(None) => {
                self.problems.push(format!("cannot read `{}`: it does not exist", path.display()));
                seen.remove(path);
                return;
            }
            Err(e) => {
                self.problems.push(format!("cannot read `{}`: {}", path.display(), e.message));
                seen.remove(path);
                return;
            }
        };
        match parse(&text, path) {
            Ok(lines) => self.apply_lines(&lines, path, seen),
            Err(e) => self.problems.push(e.message),
        }
        seen.remove(path);
    }

    fn apply_lines(&mut self, lines: &[Line], path: &Path, seen: &mut HashSet<PathBuf>) {
        let dir = path.parent().unwrap_or(Path::new("/"));
        for line in lines {
            let origin = Origin { file: path.to_path_buf(), line: line.number };
            match &line.kind {
                Kind::Nothing => {}
                Kind::Include { path: p, optional } => {
                    let target = dir.join(p);
                    self.apply_file(&target, !optional, seen);
                }
                Kind::Setting { name, value } => self.apply_setting(name, value, origin),
            }
        }
    }

    /// Applies one `name = value` setting.
    pub fn apply_setting(&mut self, name: &str, value: &str, origin: Origin) {
        match name {
            "access-tokens" => {
                for (host, (_, old)) in std::mem::take(&mut self.tokens) {
                    self.hidden.push((host, old, origin.clone()));
                }
                for (h, t) in parse_tokens(value) {
                    self.tokens.insert(h, (t, origin.clone()));
                }
            }
            // `extra-` merges but never overrides a host already set.
            "extra-access-tokens" => {
                for (h, t) in parse_tokens(value) {
                    self.tokens.entry(h).or_insert((t, origin.clone()));
                }
            }
            _ => {}
        }
    }

    /// Applies `NIX_CONFIG` (lines separated by newlines).
    pub fn apply_env(&mut self, text: &str) {
        let path = Path::new("NIX_CONFIG");
        match parse(text, path) {
            Ok(lines) => {
                for line in lines {
                    if let Kind::Setting { name, value } = &line.kind {
                        let origin = Origin { file: path.to_path_buf(), line: line.number };
                        self.apply_setting(name, value, origin);
                    }
                }
            }
            Err(e) => self.problems.push(e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        let p = Path::new("/x/nix.conf");
        let text = "# c\r\nsubstituters = a b   # trailing\r\n\n!include   tokens.conf\naccess-tokens =\nfoo = a#b c\n";
        let lines = parse(text, p).unwrap();
        assert_eq!(lines.iter().map(|l| l.raw.as_str()).collect::<String>(), text);
        assert_eq!(lines[1].kind, Kind::Setting { name: "substituters".into(), value: "a b".into() });
        assert_eq!(lines[3].kind, Kind::Include { path: "tokens.conf".into(), optional: true });
        assert_eq!(lines[4].kind, Kind::Setting { name: "access-tokens".into(), value: "".into() });
        assert_eq!(lines[5].kind, Kind::Setting { name: "foo".into(), value: "a".into() });
        for bad in ["access-tokens=x\n", "lonely\n", "include a b\n", "a b = c\n"] {
            let e = parse(&format!("ok = 1\n{bad}"), p).unwrap_err();
            assert!(e.message.contains("line 2"), "{}", e.message);
        }
    }

    #[test]
    fn tokens_and_shadowing() {
        assert_eq!(
            parse_tokens("github.com=ghp_x  gitlab.com=PAT:a=b junk"),
            vec![("github.com".into(), "ghp_x".into()), ("gitlab.com".into(), "PAT:a=b".into())]
        );
        let mut e = Effective::default();
        let o = |l| Origin { file: "f".into(), line: l };
        e.apply_setting("access-tokens", "a=1 b=2", o(1));
        e.apply_setting("extra-access-tokens", "b=3 c=4", o(2));
        assert_eq!(e.tokens["b"].0, "2");
        assert_eq!(e.tokens["c"].0, "4");
        e.apply_setting("access-tokens", "d=5", o(3));
        assert_eq!(e.tokens.keys().collect::<Vec<_>>(), vec!["d"]);
        assert_eq!(e.hidden.len(), 3);
        assert!(!token_is_safe("a b") && !token_is_safe("a#b") && !token_is_safe("a\u{7}") && token_is_safe("ghp_x"));
    }
}
