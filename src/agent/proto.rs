//! The agent's socket protocol and where its socket is. One request per connection: a JSON
//! object on one line, answered by one JSON object on one line. Every answer carries the
//! agent's version; a client ignores an agent of another version (it falls back to the store).
//!
//! Requests (`op`): `hello`; `fresh {host, account?, min_valid}` — a credential refreshed when
//! less than `min_valid` seconds remain, as the store would give it; `unwrap {tag, args, body}`
//! — the file key of one age stanza of the encrypted store; `unlock {passphrase}`; `lock`;
//! `stop`. Answers (`reply`): `hello {pid, locked, since, key, recipient}`, `credential
//! {credential}` (the store's wire form, secrets included), `file_key {key}`, `done`, `locked`
//! (the agent holds nothing: the caller reads the store), `failed {exit, message, hints}`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// This build's version: an agent answering another is ignored.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A request.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Who are you, are you locked.
    Hello,
    /// A credential, fresh for `min_valid` seconds when it can be refreshed.
    Fresh {
        /// `host[:port]`.
        host: String,
        /// The account; the host's active one when absent.
        account: Option<String>,
        /// Seconds it must stay valid.
        min_valid: i64,
    },
    /// The file key of one X25519 stanza.
    Unwrap {
        /// The stanza's tag.
        tag: String,
        /// Its arguments.
        args: Vec<String>,
        /// Its body, base64.
        body: String,
    },
    /// Unlocks: serves again, and with the passphrase opens the encrypted store's key.
    Unlock {
        /// The passphrase (none: the store needs none).
        passphrase: Option<Secret>,
    },
    /// Forgets every secret and the key.
    Lock,
    /// Ends the agent.
    Stop,
}

/// An answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reply {
    /// The agent's version.
    pub version: String,
    /// What it says.
    #[serde(flatten)]
    pub body: Body,
}

/// What an answer says.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Body {
    /// `hello`.
    Hello {
        /// The agent's process.
        pid: u32,
        /// Whether it is locked.
        locked: bool,
        /// Since when it is unlocked (RFC 3339).
        since: Option<String>,
        /// Whether it holds the encrypted store's key.
        key: bool,
        /// The public half of that key.
        recipient: Option<String>,
    },
    /// A credential in the store's wire form.
    Credential {
        /// `{"credential": {…}}`.
        credential: serde_json::Value,
    },
    /// An unwrapped file key, base64.
    FileKey {
        /// The key.
        key: Secret,
    },
    /// Done.
    Done,
    /// Locked: holds nothing.
    Locked,
    /// Failed, as the command would have.
    Failed {
        /// The exit code.
        exit: i32,
        /// The message.
        message: String,
        /// The hints.
        hints: Vec<String>,
    },
}

/// The socket of the agent serving `config_dir`: `$XDG_RUNTIME_DIR/lanyard/agent.sock` for the
/// default config dir (`agent-HASH.sock` for another, one agent per config dir), or
/// `CONFIG_DIR/agent/agent.sock` when there is no runtime dir.
pub fn socket_path(env: &crate::env::Env, config_dir: &Path, default: bool) -> PathBuf {
    let name = if default {
        "agent.sock".to_string()
    } else {
        format!("agent-{:016x}.sock", crate::fsutil::path_hash(config_dir))
    };
    match env.var("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|d| d.is_absolute() && d.is_dir()) {
        Some(run) => run.join("lanyard").join(name),
        None => config_dir.join("agent").join(name),
    }
}
