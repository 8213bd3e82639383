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

/// Masks a secret for display: a recognisable vendor prefix (`ghp_`, `glpat-`, `github_pat_`)
/// and the last four characters. Short values are masked whole, so no large part ever shows.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 16 {
        return "****".to_string();
    }
    let prefix_len = chars
        .iter()
        .take(12)
        .rposition(|c| *c == '_' || *c == '-')
        .filter(|&i| chars[..i].iter().all(|c| c.is_ascii_alphabetic() || *c == '_'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let prefix: String = chars[..prefix_len].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("ghp_supersecretvalue1234");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(!shown.contains("1234"), "{shown}");
    }

    #[test]
    fn masks_keep_prefix_and_last_four() {
        assert_eq!(mask("ghp_0123456789abcdefabcd"), "ghp_…abcd");
        assert_eq!(mask("glpat-0123456789abcdefWXYZ"), "glpat-…WXYZ");
        assert_eq!(mask("github_pat_11AAAAAAA0123456789_wxyz"), "github_pat_…wxyz");
        assert_eq!(mask("0123456789abcdef0123"), "…0123");
        assert_eq!(mask("short"), "****");
    }
}
