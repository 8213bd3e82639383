//! `~/.netrc` (ftp(1), curl, git's netrc helper): whitespace-separated tokens, `machine NAME`,
//! `login`, `password`, `account`, `port`, `default` and `macdef NAME` (whose body runs to the
//! next empty line and is skipped). Like curl, a token may be double-quoted with `\"`, `\\`,
//! `\n`, `\r`, `\t` escapes; `#` starts a comment where a token would begin.

/// One `machine` (or `default`) entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// The host, `None` for `default`.
    pub machine: Option<String>,
    /// `login`.
    pub login: Option<String>,
    /// `password`.
    pub password: Option<String>,
}

/// Splits the text into tokens; a `macdef` body is dropped.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut in_macdef = false;
    let mut newlines_in_a_row = 0;
    while let Some(&c) = chars.peek() {
        if in_macdef {
            // The body ends at an empty line: two newlines in a row.
            chars.next();
            if c == '\n' {
                newlines_in_a_row += 1;
                if newlines_in_a_row == 2 {
                    in_macdef = false;
                }
            } else if c != '\r' {
                newlines_in_a_row = 0;
            }
            continue;
        }
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            continue;
        }
        let mut tok = String::new();
        let quoted = c == '"';
        if quoted {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => tok.push('\n'),
                        Some('r') => tok.push('\r'),
                        Some('t') => tok.push('\t'),
                        Some(o) => tok.push(o),
                        None => break,
                    },
                    o => tok.push(o),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                tok.push(c);
                chars.next();
            }
        }
        // A keyword only where a keyword may stand (not as a quoted value, not after `password`).
        let value_expected =
            matches!(out.last().map(String::as_str), Some("machine" | "login" | "password" | "account" | "port"));
        if tok == "macdef" && !quoted && !value_expected {
            // `macdef NAME` then the body up to an empty line (the rest of this line is the name).
            while chars.next_if(|c| *c != '\n').is_some() {}
            in_macdef = true;
            newlines_in_a_row = 0;
            continue;
        }
        out.push(tok);
    }
    out
}

/// A value written so that [`parse`] reads it back exactly (fuzzing, tests).
pub fn quote(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            o => out.push(o),
        }
    }
    out.push('"');
    out
}

/// Parses a netrc file. Unknown keywords are skipped with their value, as curl does.
pub fn parse(text: &str) -> Vec<Entry> {
    let toks = tokens(text);
    let mut out: Vec<Entry> = Vec::new();
    let mut it = toks.into_iter();
    let mut current: Option<Entry> = None;
    while let Some(t) = it.next() {
        match t.as_str() {
            "machine" => {
                out.extend(current.take());
                current = Some(Entry { machine: it.next(), ..Entry::default() });
            }
            "default" => {
                out.extend(current.take());
                current = Some(Entry::default());
            }
            "login" | "password" | "account" | "port" => {
                let v = it.next();
                if let Some(e) = current.as_mut() {
                    match t.as_str() {
                        "login" => e.login = v,
                        "password" => e.password = v,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(m: Option<&str>, l: Option<&str>, p: Option<&str>) -> Entry {
        Entry { machine: m.map(Into::into), login: l.map(Into::into), password: p.map(Into::into) }
    }

    #[test]
    fn reads_machines_default_and_skips_macros() {
        let text = "# mine\nmachine gitlab.example.com login bot password glpat-aaaa\n\nmacdef init\ncd /pub\nmachine evil password x\n\nmachine github.com\n  login octocat\n  password \"gho_q\\\"uoted\"\ndefault login anonymous password me@\n";
        assert_eq!(
            parse(text),
            vec![
                e(Some("gitlab.example.com"), Some("bot"), Some("glpat-aaaa")),
                e(Some("github.com"), Some("octocat"), Some("gho_q\"uoted")),
                e(None, Some("anonymous"), Some("me@")),
            ]
        );
    }

    #[test]
    fn quoted_values_round_trip() {
        let odd = "p a\"s\\s\n#macdef";
        let text = format!("machine h login \"macdef\" password {}", quote(odd));
        assert_eq!(parse(&text), vec![e(Some("h"), Some("macdef"), Some(odd))]);
    }

    #[test]
    fn one_line_and_odd_input() {
        assert_eq!(parse("machine h login u password p"), vec![e(Some("h"), Some("u"), Some("p"))]);
        assert_eq!(parse("machine"), vec![e(None, None, None)]);
        assert_eq!(parse("login u password p"), vec![]);
        assert_eq!(parse("machine h password macdef"), vec![e(Some("h"), None, Some("macdef"))]);
        assert_eq!(parse("\"unterminated"), vec![]);
    }
}
