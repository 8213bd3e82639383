//! Entry points for `cargo fuzz` (`fuzz/fuzz_targets/`): every parser that reads a file or a
//! stream someone else wrote, with the properties each must keep on any input. Each function
//! panics when a property breaks, which is what the fuzzer reports. Not part of the CLI.

use std::io::Cursor;
use std::path::Path;

use crate::commands::git_credential;
use crate::provider::{Provider, Source};
use crate::sink::{duumbi, nixconf};
use crate::store::Data;

/// nix.conf: the lines keep the input's bytes exactly (an edit changes only what it means to),
/// and an error names the file and a line that exists.
pub fn nix_conf(text: &str) {
    let path = Path::new("nix.conf");
    match nixconf::parse(text, path) {
        Ok(lines) => {
            let joined: String = lines.iter().map(|l| l.raw.as_str()).collect();
            assert_eq!(joined, text, "lines must keep every byte");
            for (i, l) in lines.iter().enumerate() {
                assert_eq!(l.number, i + 1);
                if let nixconf::Kind::Setting { name, value } = &l.kind
                    && name == "access-tokens"
                {
                    access_tokens(value);
                }
            }
        }
        Err(e) => assert_named(&e.message, "nix.conf", text),
    }
    let mut eff = nixconf::Effective::default();
    eff.apply_env(text);
}

/// An `access-tokens` value: every pair Nix keeps, with no whitespace in host or token.
pub fn access_tokens(value: &str) {
    for (host, token) in nixconf::parse_tokens(value) {
        assert!(!host.chars().any(char::is_whitespace) && !token.chars().any(char::is_whitespace));
        if nixconf::token_is_safe(&token) {
            assert!(!token.contains('#') && !token.is_empty());
        }
    }
}

/// `~/.netrc` (for `import`): any text parses without a panic, and every entry found, written
/// back with quoted values, reads back as the same entry.
pub fn netrc(text: &str) {
    use crate::import::netrc::{Entry, parse, quote};
    for e in parse(text) {
        let Some(m) = &e.machine else { continue };
        let mut again = format!("machine {}", quote(m));
        for (k, v) in [("login", &e.login), ("password", &e.password)] {
            if let Some(v) = v {
                again.push_str(&format!("\n  {k} {}", quote(v)));
            }
        }
        let back: Vec<Entry> = parse(&again);
        assert_eq!(back, vec![e.clone()], "{again:?}");
    }
}

/// A provider file: parses or fails with an error naming the file.
pub fn provider_file(text: &str) {
    if let Err(e) = Provider::parse(text, Source::User("providers/fuzz.toml".into())) {
        assert!(e.message.contains("providers/fuzz.toml"), "{}", e.message);
    }
}

/// lanyard's credentials.json: parses or names the file and a line; what parses writes back and
/// reads again to the same data.
pub fn store_file(text: &str) {
    match Data::parse(text, Path::new("credentials.json")) {
        Ok(mut data) => {
            let again = data.render();
            let mut back = Data::parse(&again, Path::new("credentials.json")).expect("what we write we read");
            // What was reported while reading (a format-1 name migrated as `default`) is not
            // reported again once written.
            back.problems.clear();
            data.problems.clear();
            assert_eq!(back, data);
        }
        Err(e) => assert!(e.message.contains("credentials.json"), "{}", e.message),
    }
}

/// duumbi's credentials.toml: parses or names the file and a line.
pub fn duumbi_file(text: &str) {
    if let Err(e) = duumbi::parse(Path::new("credentials.toml"), text) {
        assert_named(&e.message, "credentials.toml", text);
    }
}

/// git's credential protocol: any bytes give a request; attributes never hold NUL or a newline.
pub fn git_credential(bytes: &[u8]) {
    let Ok(req) = git_credential::parse(Cursor::new(bytes)) else { return };
    for (k, v) in &req.attrs {
        assert!(!k.contains(['\0', '\n']) && !v.contains(['\0', '\n']), "{k:?}={v:?}");
    }
    // `Debug` of the attributes that may be secret shows none of their values. (Checked on those
    // alone: another attribute may carry the same text harmlessly.)
    let secret = ["password", "oauth_refresh_token", "credential"];
    let only = git_credential::Request {
        attrs: req
            .attrs
            .iter()
            .filter(|(k, _)| secret.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        wwwauth: Vec::new(),
    };
    let shown = format!("{only:?}");
    for v in only.attrs.values().filter(|v| v.as_str() != "****") {
        assert!(!shown.contains(&format!(": {v:?}")), "Debug shows a secret attribute: {shown}");
    }
    // The output side: a host is matched only in its plain form, and an answer built from any
    // values is either one line per attribute or not written at all.
    if let Some(host) = req.attrs.get("host") {
        for protocol in ["https", "http"] {
            if let Some(key) = git_credential::host_key(host, protocol) {
                assert!(
                    key.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)),
                    "{host:?} gave the key {key:?}"
                );
            }
        }
    }
    let pairs: Vec<(&str, &str)> = req.attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if let Ok(out) = git_credential::render(&pairs) {
        assert_eq!(out.lines().count(), pairs.len(), "{out:?}");
        assert!(!out.contains(['\0', '\r']), "{out:?}");
    }
    assert!(git_credential::render(&[("password", "tok\nquit=1")]).is_err());
}

/// Any string a server sends: after the sanitiser no control or bidirectional character is left,
/// and sanitising again changes nothing.
pub fn server_text(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let clean = crate::secret::server_text(&text);
    let bidi = |c: char| ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c);
    assert!(!clean.chars().any(|c| c.is_control() || bidi(c)), "{clean:?}");
    assert_eq!(crate::secret::server_text(&clean), clean);
}

/// An error message names `file` and, when it gives a line, one that exists.
fn assert_named(message: &str, file: &str, text: &str) {
    assert!(message.contains(file), "{message}");
    if let Some(rest) = message.split(" line ").nth(1) {
        let n: usize = rest.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("").parse().expect("a line number");
        assert!(n >= 1 && n <= text.split('\n').count(), "line {n} of {} lines: {message}", text.split('\n').count());
    }
}

#[cfg(test)]
mod properties {
    /// The fuzz properties over inputs the red team used, so a plain `cargo test` checks them.
    #[test]
    fn red_team_inputs_hold() {
        for input in [
            &b"protocol=https\nhost=127.0.0.1:8080%2F.evil.example\npassword=x\n\n"[..],
            b"protocol=http\nhost=h\rquit=1\nusername=a\x00b\n",
            b"host=[::1]:80\nhost=GITHUB.COM:443\n",
        ] {
            super::git_credential(input);
        }
        for s in ["\x1b]52;c;ZXZpbA==\x07", "\r\x1b[2K", "a\u{202e}b\u{2066}c\u{9b}d\u{7f}", "plain"] {
            super::server_text(s.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::secret::Secret;

    /// `Debug` of every type that holds a secret, filled with one: the value never shows.
    #[test]
    fn debug_of_every_secret_holding_type_hides_the_secret() {
        const S: &str = "tok-debug-secret-0123456789";
        let text = serde_json::json!({"version": 1, "credentials": {"h.example.com": {
            "url": "https://h.example.com", "provider": "gitlab", "family": "gitlab", "kind": "oauth",
            "token": S, "refresh_token": S, "id_token": S, "storage": "file", "created_at": "2026-01-01T00:00:00Z"}}});
        let data = crate::store::Data::parse(&text.to_string(), Path::new("credentials.json")).unwrap();
        let cred = crate::store::Store::new(Path::new("/nonexistent"), true)
            .credential(&data, "h.example.com", None)
            .unwrap()
            .1;
        let tokens = crate::flow::oauth::Tokens {
            access_token: Secret::new(S),
            refresh_token: Some(Secret::new(S)),
            id_token: Some(Secret::new(S)),
            expires_in: Some(1),
            scope: None,
        };
        let start: crate::flow::oauth::DeviceStart = serde_json::from_value(serde_json::json!({
            "device_code": S, "user_code": "ABCD-EFGH", "verification_uri": "https://h.example.com/device"}))
        .unwrap();
        let issued = crate::family::duumbi::Issued { token: Secret::new(S), username: None };
        let req = crate::commands::git_credential::parse(format!("host=h\npassword={S}\n\n").as_bytes());
        let env = crate::env::Env::from_vars([("GITHUB_TOKEN".to_string(), S.to_string())]);
        let text = format!("access-tokens = h.example.com={S}\n");
        let lines = crate::sink::nixconf::parse(&text, Path::new("access-tokens.conf")).unwrap();
        let mut eff = crate::sink::nixconf::Effective::default();
        eff.apply_env(&text);
        assert_eq!(eff.tokens.len(), 1, "the env config was read");
        for (what, shown) in [
            ("Credential", format!("{cred:?}")),
            ("Data", format!("{data:?}")),
            ("Tokens", format!("{tokens:?}")),
            ("DeviceStart", format!("{start:?}")),
            ("duumbi Issued", format!("{issued:?}")),
            ("git-credential Request", format!("{req:?}")),
            ("Env", format!("{env:?}")),
            ("nix.conf lines", format!("{lines:?}")),
            ("Effective", format!("{eff:?}")),
        ] {
            assert!(!shown.contains(S), "{what} shows the secret: {shown}");
            assert!(!shown.contains("0123456789"), "{what} shows part of it: {shown}");
        }
    }
}
