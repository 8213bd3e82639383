//! The one type for secret strings: no `Display`, a redacted `Debug`, and a grep-able way out.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A token, password or refresh token. Its value leaves only through [`Secret::expose_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret value: every call is a place where the secret leaves lanyard's hands.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
    /// The masked form shown to people: the prefix and last four, `ghp_…abcd`.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// The bytes are overwritten when a secret is dropped: the agent holds secrets for hours, and
/// what it forgets should not linger in freed memory.
impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// Vendor prefixes a mask may show: they say which kind of token it is and nothing about it.
const KNOWN_PREFIXES: &[&str] =
    &["github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "glpat-", "gloas-", "glrt-", "glptt-", "gldt-", "duu_"];

/// Masks a secret for display: a known vendor prefix (`ghp_`, `glpat-`, `github_pat_`, …) and
/// the last four characters; nothing at all of a secret shorter than 20 characters. Never more:
/// a random token has no "prefix" to show.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 20 {
        return "****".to_string();
    }
    let prefix = KNOWN_PREFIXES.iter().find(|p| value.starts_with(*p)).copied().unwrap_or("");
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

/// The one validator for every secret that enters lanyard, from any source (paste, device flow,
/// refresh answer, password login, import): not empty, no whitespace or control characters (they
/// would break the HTTP header, the git protocol or Nix's line it travels in). `what` names the
/// source in the error.
pub fn validate(value: &str, what: &str) -> std::result::Result<Secret, String> {
    if value.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if let Some((at, c)) = value.char_indices().find(|(_, c)| c.is_whitespace() || c.is_control()) {
        let which = if c == '\0' { "a NUL byte".to_string() } else { format!("the character U+{:04X}", c as u32) };
        return Err(format!("{what} has {which} at position {}; tokens never do", at + 1));
    }
    Ok(Secret::new(value))
}

static SENT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Remembers a secret this process holds or sent, so that [`redact`] removes it from any text a
/// server sends back (an error page that quotes the password, a refresh error quoting the token).
pub fn remember(secret: &Secret) {
    let v = secret.expose_secret();
    if v.len() >= 4
        && let Ok(mut sent) = SENT.lock()
        && !sent.iter().any(|s| s == v)
    {
        sent.push(v.to_string());
    }
}

/// Text quoted from a server with every secret lanyard holds or sent removed, literally.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    if let Ok(sent) = SENT.lock() {
        for s in sent.iter() {
            // The secret as sent, and as a form or URL would have carried it (N23: a server that
            // echoes `rt/with%2Bplus` quotes the token all the same).
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            let path = form.replace('+', "%20");
            for v in [s.as_str(), form.as_str(), path.as_str()] {
                if out.contains(v) {
                    out = out.replace(v, "[secret]");
                }
            }
        }
    }
    out
}

/// A URL from a server as lanyard shows, opens or encodes it in a QR code: sanitised, and with
/// an international host name in its ASCII (punycode) form, so that a look-alike host
/// (`gіthub.com` with a Cyrillic `і`) reads as what it is (`xn--gthub-…`). Text that is no URL
/// is only sanitised.
pub fn server_url(s: &str) -> String {
    let clean = from_server(s);
    match url::Url::parse(&clean) {
        Ok(u) if u.host_str().is_some() => u.to_string(),
        _ => clean,
    }
}

/// A string from a server as lanyard may keep or print it: sanitised ([`server_text`]) and with
/// every secret lanyard holds or sent removed ([`redact`]).
pub fn from_server(s: &str) -> String {
    redact(&server_text(s))
}

/// The one sanitiser for every string a server sends that lanyard stores or prints (user names,
/// user codes, verification URIs, `error_description`, duh's `detail`, scopes): every character
/// [`is_hidden`] says a person cannot see is removed, so no escape sequence (OSC 52 clipboard
/// writes, OSC 8 links, `\r\x1b[2K` line erasure), reordering or invisible look-alike reaches a
/// terminal or a file.
pub fn server_text(s: &str) -> String {
    s.chars().filter(|c| !is_hidden(*c)).collect()
}

/// Whether a character is invisible or steers the display rather than being shown: C0 and C1
/// controls, DEL, Unicode format characters (category Cf: zero-width spaces and joiners, bidi
/// embeddings, overrides and isolates, the BOM, invisible operators, tags) and the line and
/// paragraph separators U+2028/U+2029 (a line break to a terminal or a JSON-reading tool).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_separator_characters_are_removed_and_encoded_echoes_redacted() {
        assert_eq!(server_text("al\u{200b}ice\u{2028}\u{2029}\u{feff}\u{2066}"), "alice");
        remember(&Secret::new("rt/with+plus=and/slash"));
        assert_eq!(redact("bad token rt%2Fwith%2Bplus%3Dand%2Fslash"), "bad token [secret]");
        assert_eq!(server_url("https://g\u{456}thub.com/login/device"), "https://xn--gthub-n2e.com/login/device");
    }

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("ghp_supersecretvalue1234");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(!shown.contains("1234"), "{shown}");
    }

    #[test]
    fn masks_show_only_a_known_prefix_and_the_last_four() {
        assert_eq!(mask("ghp_0123456789abcdefabcd"), "ghp_…abcd");
        assert_eq!(mask("glpat-0123456789abcdefWXYZ"), "glpat-…WXYZ");
        assert_eq!(mask("github_pat_11AAAAAAA0123456789_wxyz"), "github_pat_…wxyz");
        assert_eq!(mask("0123456789abcdef0123"), "…0123");
        // Not a vendor prefix: nothing before the last four.
        assert_eq!(mask("abcdefghijk-lmnopqrstuvw"), "…tuvw");
        // Shorter than 20: nothing at all.
        assert_eq!(mask("abcdefghijk-lmno"), "****");
        assert_eq!(mask("Summer_Holidays1"), "****");
    }

    #[test]
    fn one_validator_and_one_sanitiser() {
        assert!(validate("tok-0123", "t").is_ok());
        for bad in ["", "a b", "a\nquit=1", "a\r", "a\0b", "a\u{85}b"] {
            assert!(validate(bad, "the token").is_err(), "{bad:?}");
        }
        assert_eq!(server_text("oct\x1b]52;c;ZXZpbA==\x07ocat\r\x1b[2K\u{202E}x\u{9b}"), "oct]52;c;ZXZpbA==ocat[2Kx");
        remember(&Secret::new("hunter2-echoed-back"));
        assert_eq!(redact("bad password hunter2-echoed-back!"), "bad password [secret]!");
    }
}
