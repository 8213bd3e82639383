//! The one rule for account names (SPEC §6), where they enter: a leaf module (errors and the
//! sanitiser only), so that every layer that takes a name in can check it without importing the
//! credential model.

/// Why a name cannot be an account name, or `None` when it can (SPEC §6). An account name becomes
/// a path segment (a Vault KV key, a keyring item, a file), a store key and a word in commands
/// lanyard prints, so it is checked once where it enters: not empty, at most 255 bytes, nothing
/// [`crate::secret::is_hidden`] (control, format, bidi), no `/`, never `.` or `..`, and not
/// starting with `-` (a printed `lanyard switch HOST NAME` would read it as an option).
pub fn account_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.len() > 255 {
        Some("is longer than 255 bytes")
    } else if name == "." || name == ".." {
        Some("is a dot segment (`.` or `..`)")
    } else if name.starts_with('-') {
        Some("starts with `-`, as an option does")
    } else if name.contains('/') {
        Some("contains `/`")
    } else if name.chars().any(crate::secret::is_hidden) {
        Some("contains control, format or bidi characters")
    } else {
        None
    }
}

/// The account name a server reported in `field`, checked: a name outside SPEC §6's rules is a
/// malformed answer (exit 6, naming the field), and nothing is stored.
pub fn server_account(name: String, field: &str, host: &str) -> crate::error::Result<String> {
    match account_problem(&name) {
        None => Ok(name),
        Some(why) => Err(crate::error::Error::unreachable(format!(
            "`{host}` reported a user name in `{field}` that cannot be an account name: it {why} (`{}`)",
            crate::secret::server_text(&name).chars().take(80).collect::<String>()
        ))
        .hint("nothing was stored; ask the server's administrator about this account's name")),
    }
}

/// A user name typed by the person (`--user`, `ACCOUNT@TARGET` at login), checked: exit 2.
pub fn typed_account(name: &str) -> crate::error::Result<String> {
    match account_problem(name) {
        None => Ok(name.to_string()),
        Some(why) => {
            Err(crate::error::Error::usage(format!("the account name `{}` {why}", crate::secret::server_text(name)))
                .hint("pass a user name without control characters or `/` that does not start with `-`"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::account_problem;

    #[test]
    fn the_rule_of_spec_6() {
        for ok in ["alice", "alice@example.com", "   ", "a?b#c%2e.", "Ünïcødé", "x".repeat(255).as_str()] {
            assert_eq!(account_problem(ok), None, "{ok:?}");
        }
        for bad in
            ["", ".", "..", "-q", "--help", "a/b", "../x", "al\u{200b}ice", "a\u{2028}", "\u{1b}[31m", "x\u{202e}"]
        {
            assert!(account_problem(bad).is_some(), "{bad:?}");
        }
        assert!(account_problem(&"x".repeat(256)).is_some());
    }
}
