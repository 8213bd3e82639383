//! Errors that reach the user: a kind (which decides the exit code), a message and hints.
//!
//! The exit-code table of SPEC §2 lives here and nowhere else.

use std::fmt;

/// The process exit codes of SPEC §2, the only place they are spelled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exit {
    /// Success; for `status`, every selected credential is present and usable.
    Ok,
    /// The operation failed (authorization denied, flow timed out, internal error).
    Failure,
    /// Usage or configuration error: bad flag, unknown provider, unparseable file.
    Usage,
    /// Not logged in: no credential for a selected target.
    NotLoggedIn,
    /// Rejected: expired, revoked, or refused by its server.
    Rejected,
    /// Expiring within `--warn-within`.
    Expiring,
    /// Unverified: the server could not be asked.
    Unverified,
    /// Storage problem: keyring locked or unavailable, unsafe file ownership or permissions.
    Storage,
    /// Interrupted (Ctrl-C).
    Interrupted,
    /// `exec`: the child's own exit code, passed through.
    Child(i32),
}

impl Exit {
    /// The numeric process exit code.
    pub fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::NotLoggedIn => 3,
            Exit::Rejected => 4,
            Exit::Expiring => 5,
            Exit::Unverified => 6,
            Exit::Storage => 7,
            Exit::Interrupted => 130,
            Exit::Child(code) => code,
        }
    }

    /// Every exit but a child's, in the table's order.
    pub const ALL: [Exit; 9] = [
        Exit::Ok,
        Exit::Failure,
        Exit::Usage,
        Exit::NotLoggedIn,
        Exit::Rejected,
        Exit::Expiring,
        Exit::Unverified,
        Exit::Storage,
        Exit::Interrupted,
    ];

    /// The exit whose numeric code is `code` (what the agent sends back).
    pub fn from_code(code: i32) -> Exit {
        Exit::ALL.into_iter().find(|e| e.code() == code).unwrap_or(Exit::Child(code))
    }

    /// How severe the code is when `status` combines several targets (SPEC §2: 2, 7, 3, 4, 6, 5, 0).
    fn severity(self) -> u8 {
        match self {
            Exit::Usage => 9,
            Exit::Storage => 8,
            Exit::NotLoggedIn => 7,
            Exit::Rejected => 6,
            Exit::Unverified => 5,
            Exit::Expiring => 4,
            Exit::Failure | Exit::Child(_) => 3,
            Exit::Interrupted => 10,
            Exit::Ok => 0,
        }
    }

    /// The more severe of two codes.
    pub fn worst(self, other: Exit) -> Exit {
        if other.severity() > self.severity() { other } else { self }
    }
}

/// The exit-code table as shown in `--help` and the README.
pub const EXIT_CODE_HELP: &str = "\
Exit codes:
  0    success; for `status`, every selected credential is present and usable
  1    the operation failed (authorization denied, flow timed out, internal error)
  2    usage or configuration error (bad flag, unknown provider, unparseable file)
  3    not logged in: no credential for a selected target
  4    rejected: expired, revoked or refused by its server (a refresh failed too)
  5    expiring within --warn-within (only when that flag is given)
  6    unverified: the server could not be asked (timeout, DNS, TLS, refused, 5xx, 429)
  7    storage problem: keyring locked or unavailable, unsafe file ownership or permissions
  130  interrupted (Ctrl-C)";

/// What kind of failure an error is, where a caller decides on it (jj's shape): callers match
/// this, never the exit code or the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The server refused the credential or the request (exit 4).
    Refused,
    /// The server could not be asked, or gave no usable answer (exit 6); `timeout`: the seconds
    /// waited when the request timed out.
    Unreachable {
        /// The timeout that ran out, in seconds.
        timeout: Option<u64>,
    },
    /// A server on this machine speaks plain HTTP where https was asked (exit 2).
    PlainHttp,
    /// Anything else: only the exit code matters.
    Other,
}

/// An error meant for the user: what went wrong and what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Which exit code this error ends the process with.
    pub exit: Exit,
    /// What kind of failure it is, for callers that decide on it.
    pub cause: Cause,
    /// One line, no trailing period.
    pub message: String,
    /// Lines that name the command or flag that fixes it.
    pub hints: Vec<String>,
}

impl Error {
    /// An error with the given exit code and message.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Error { exit, cause: Cause::Other, message: message.into(), hints: Vec::new() }
    }
    /// The server refused the credential or the request (exit 4).
    pub fn refused(message: impl Into<String>) -> Self {
        Error { cause: Cause::Refused, ..Self::new(Exit::Rejected, message) }
    }
    /// The server could not be asked, or gave no usable answer (exit 6).
    pub fn unreachable(message: impl Into<String>) -> Self {
        Error { cause: Cause::Unreachable { timeout: None }, ..Self::new(Exit::Unverified, message) }
    }
    /// A request that ran out of time after `secs` seconds (exit 6).
    pub fn timed_out(secs: u64, message: impl Into<String>) -> Self {
        Error { cause: Cause::Unreachable { timeout: Some(secs) }, ..Self::new(Exit::Unverified, message) }
    }
    /// Whether the server gave an answer (a refusal or anything readable): a request whose
    /// answer never came may or may not have been acted on.
    pub fn answered(&self) -> bool {
        !matches!(self.cause, Cause::Unreachable { .. })
    }
    /// Usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
    /// Operation failed (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(Exit::Failure, message)
    }
    /// Storage problem (exit 7).
    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(Exit::Storage, message)
    }
    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Replaces the command `short` in every hint by `full` (a login command with the URL and
    /// flags a first login needs), where `short` is a whole command (not a prefix of a longer host).
    pub fn with_command(mut self, short: &str, full: &str) -> Self {
        if short == full {
            return self;
        }
        for h in &mut self.hints {
            let mut out = String::new();
            let mut rest = h.as_str();
            while let Some(at) = rest.find(short) {
                let after = &rest[at + short.len()..];
                let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-'));
                out.push_str(&rest[..at]);
                out.push_str(if whole { full } else { short });
                rest = after;
            }
            out.push_str(rest);
            *h = out;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The result type of everything that can end in a user-facing error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod command_tests {
    use super::*;

    #[test]
    fn with_command_replaces_whole_commands_only() {
        let e = Error::usage("x")
            .hint("run `lanyard login 127.0.0.1:80`")
            .hint("create a key and run `lanyard login 127.0.0.1:80 --with-token`")
            .hint("not `lanyard login 127.0.0.1:8080`")
            .with_command("lanyard login 127.0.0.1:80", "lanyard login http://127.0.0.1:80 --provider duh");
        assert_eq!(e.hints[0], "run `lanyard login http://127.0.0.1:80 --provider duh`");
        assert_eq!(e.hints[1], "create a key and run `lanyard login http://127.0.0.1:80 --provider duh --with-token`");
        assert_eq!(e.hints[2], "not `lanyard login 127.0.0.1:8080`");
    }
}

/// The 1-based line of byte offset `at` in `text` (a parser's error span), for error messages.
/// An offset past the end or inside a character counts the newlines before it.
pub fn line_at(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_counts_newlines_before_the_offset() {
        let t = "a = 1\nb = \"é\"\n";
        assert_eq!(line_at(t, 0), 1);
        assert_eq!(line_at(t, 6), 2, "the first byte after a newline is on the next line");
        assert_eq!(line_at(t, 10), 2, "inside a character");
        assert_eq!(line_at(t, 999), 3);
    }

    #[test]
    fn severity_follows_the_spec_order() {
        let order =
            [Exit::Usage, Exit::Storage, Exit::NotLoggedIn, Exit::Rejected, Exit::Unverified, Exit::Expiring, Exit::Ok];
        for (i, a) in order.iter().enumerate() {
            for b in &order[i..] {
                assert_eq!(a.worst(*b), *a, "{a:?} vs {b:?}");
                assert_eq!(b.worst(*a), *a, "{b:?} vs {a:?}");
            }
        }
    }

    #[test]
    fn help_table_lists_every_code() {
        for e in Exit::ALL {
            let code = format!("\n  {} ", e.code());
            assert!(EXIT_CODE_HELP.contains(&code), "missing {code:?}");
        }
    }
}
