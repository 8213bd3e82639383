//! Asking the agent: `token`, `exec` and `git-credential get` try it first and fall back to
//! reading the store themselves when no agent answers, when it is locked, or when it is of
//! another version (a `-v` note says which).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::proto::{Body, Reply, Request, VERSION};
use crate::credential::{Credential, CredentialId};
use crate::error::{Error, Exit, Result};
use crate::secret::Secret;

/// The longest answer read (a credential is a few KiB).
const MAX_REPLY: u64 = 1 << 20;

/// One request, one answer. `None`: no agent (no socket, refused), a broken answer, or an agent
/// of another version.
pub fn call(socket: &Path, req: &Request, wait: Duration) -> Option<Body> {
    let reply = call_any(socket, req, wait)?;
    if reply.version != VERSION {
        crate::diag::debug(&format!(
            "the agent at {} is lanyard {}, this is {VERSION}: ignored (`lanyard agent stop`, then start it again)",
            socket.display(),
            reply.version
        ));
        return None;
    }
    Some(reply.body)
}

/// Whether any agent answers on `socket`, of whichever version (its version, when one does).
pub fn answers(socket: &Path) -> Option<String> {
    call_any(socket, &Request::Hello, Duration::from_secs(5)).map(|r| r.version)
}

fn call_any(socket: &Path, req: &Request, wait: Duration) -> Option<Reply> {
    let mut s = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e) => {
            crate::diag::debug(&format!("no agent at {} ({e}); reading the store", socket.display()));
            return None;
        }
    };
    let _ = s.set_read_timeout(Some(wait));
    let _ = s.set_write_timeout(Some(Duration::from_secs(2)));
    let mut line = serde_json::to_vec(req).expect("serializes");
    line.push(b'\n');
    if s.write_all(&line).is_err() {
        return None;
    }
    let mut answer = String::new();
    if BufReader::new((&s).take(MAX_REPLY)).read_line(&mut answer).is_err() {
        crate::diag::debug(&format!("the agent at {} did not answer in time; reading the store", socket.display()));
        return None;
    }
    let reply: Reply = match serde_json::from_str(&answer) {
        Ok(r) => r,
        Err(_) => {
            crate::diag::debug(&format!(
                "the agent at {} sent no answer lanyard reads; reading the store",
                socket.display()
            ));
            return None;
        }
    };
    Some(reply)
}

fn failed(exit: i32, message: String, hints: Vec<String>) -> Error {
    let mut e = Error::new(Exit::from_code(exit), message);
    e.hints = hints;
    e
}

/// The credential `account` of `host` (its active one when `None`), fresh for `min_valid`, as
/// the agent holds it. `None`: ask the store (no agent, locked, or another version).
pub fn fresh(
    socket: &Path,
    host: &str,
    account: Option<&str>,
    min_valid: chrono::Duration,
    wait: Duration,
) -> Option<Result<Credential>> {
    let req = Request::Fresh {
        host: host.to_string(),
        account: account.map(str::to_string),
        min_valid: min_valid.num_seconds(),
    };
    match call(socket, &req, wait)? {
        Body::Credential { credential } => {
            let key = match account {
                Some(a) => CredentialId::new(host, a).to_string(),
                None => host.to_string(),
            };
            match crate::store::credential_from_json(&credential, &key) {
                Ok(c) => {
                    crate::diag::debug(&format!("`{key}` from the agent at {}", socket.display()));
                    Some(Ok(c))
                }
                Err(why) => {
                    crate::diag::debug(&format!(
                        "the agent's answer for `{key}` is unreadable ({why}); reading the store"
                    ));
                    None
                }
            }
        }
        Body::Failed { exit, message, hints } => Some(Err(failed(exit, message, hints))),
        Body::Locked => {
            crate::diag::debug("the agent is locked; reading the store");
            None
        }
        other => {
            crate::diag::debug(&format!("the agent answered {other:?} to `fresh`; reading the store"));
            None
        }
    }
}

/// What `hello` says.
#[derive(Debug, Clone)]
pub struct Hello {
    /// The agent's process id.
    pub pid: u32,
    /// Locked: holds nothing.
    pub locked: bool,
    /// Unlocked since (RFC 3339).
    pub since: Option<String>,
    /// Holds the encrypted store's key.
    pub key: bool,
    /// That key's public half.
    pub recipient: Option<String>,
}

/// Asks the agent who it is; `None` when none answers.
pub fn hello(socket: &Path) -> Option<Hello> {
    match call(socket, &Request::Hello, Duration::from_secs(5))? {
        Body::Hello { pid, locked, since, key, recipient } => Some(Hello { pid, locked, since, key, recipient }),
        _ => None,
    }
}

/// Sends the passphrase; exit 7 when it is wrong.
pub fn unlock(socket: &Path, passphrase: Option<Secret>) -> Result<()> {
    // scrypt takes about a second on purpose; a slow machine gets more.
    match call(socket, &Request::Unlock { passphrase }, Duration::from_secs(60)) {
        Some(Body::Done) => Ok(()),
        Some(Body::Failed { exit, message, hints }) => Err(failed(exit, message, hints)),
        _ => Err(Error::storage(format!("the agent at {} did not answer the unlock", socket.display()))
            .hint("run `lanyard agent status`, then `lanyard unlock` again")),
    }
}

/// `lock` or `stop`; whether an agent answered.
pub fn send(socket: &Path, req: Request) -> bool {
    matches!(call(socket, &req, Duration::from_secs(5)), Some(Body::Done))
}

/// The encrypted store's way to the agent's key: when the agent holds it, the key's public half
/// and an age identity that has the agent unwrap each file key (the key itself never leaves
/// the agent).
pub fn unwrapper() -> crate::store::Unwrapper {
    Arc::new(|socket: &Path| {
        let h = hello(socket)?;
        if h.locked || !h.key {
            return None;
        }
        let recipient = h.recipient?.parse::<age::x25519::Recipient>().ok()?;
        let id: Arc<dyn age::Identity + Send + Sync> = Arc::new(ThroughAgent { socket: socket.to_path_buf() });
        Some((recipient, id))
    })
}

/// An age identity whose unwrapping the agent does.
struct ThroughAgent {
    socket: std::path::PathBuf,
}

impl age::Identity for ThroughAgent {
    fn unwrap_stanza(
        &self,
        stanza: &age_core::format::Stanza,
    ) -> Option<std::result::Result<age_core::format::FileKey, age::DecryptError>> {
        let req =
            Request::Unwrap { tag: stanza.tag.clone(), args: stanza.args.clone(), body: STANDARD.encode(&stanza.body) };
        let Some(Body::FileKey { key }) = call(&self.socket, &req, Duration::from_secs(5)) else { return None };
        let bytes = zeroize::Zeroizing::new(STANDARD.decode(key.expose_secret()).ok()?);
        let arr: [u8; 16] = bytes.as_slice().try_into().ok()?;
        Some(Ok(age_core::format::FileKey::new(Box::new(arr))))
    }
}
