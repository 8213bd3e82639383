//! The OS keyring backend of lanyard's store: Secret Service on Linux (pure Rust, over D-Bus),
//! the Keychain on macOS. A credential whose `storage` is `keyring` keeps its secrets here and
//! only its record in credentials.json. Every call runs on its own thread with a timeout,
//! so a locked keyring that waits for a password prompt is exit 7, never a hang.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The keyring's service name for every lanyard item.
const SERVICE: &str = "lanyard";
/// How long one keyring call may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Which secret of a credential an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The access token (or password, API key).
    Token,
    /// The refresh token.
    Refresh,
    /// The OpenID ID token.
    IdToken,
}

impl Field {
    /// The field's name in item names.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Token => "token",
            Field::Refresh => "refresh_token",
            Field::IdToken => "id_token",
        }
    }
}

/// The item's user name: `NAME/field`, NAME being `account@host[:port]` (or a first-round `host[:port]`).
pub fn account(key: &str, field: Field) -> String {
    format!("{key}/{}", field.as_str())
}

fn locked_or_gone(what: &str) -> Error {
    Error::storage(format!("the OS keyring did not answer within {}s while {what} (is it locked?)", TIMEOUT.as_secs()))
        .hint("unlock the keyring (log in to the desktop session), or use `--storage file`")
}

/// Runs a keyring call off the main thread with a timeout (the Secret Service client must not run
/// on a thread that drives a tokio runtime, and a locked keyring may wait for a prompt forever).
fn call<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> keyring::Result<T> + Send + 'static,
) -> Result<keyring::Result<T>> {
    // One call at a time per process: gnome-keyring aborts under bursts of parallel sessions,
    // and the agent serves many callers at once.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(TIMEOUT).map_err(|_| locked_or_gone(what))
}

fn failure(what: &str, e: keyring::Error) -> Error {
    Error::storage(format!("the OS keyring failed while {what}: {e}"))
        .hint("check that a Secret Service (gnome-keyring, KWallet) runs and is unlocked, or use `--storage file`")
}

/// Whether a keyring answers: `Err` carries the reason it cannot be used.
pub fn probe() -> std::result::Result<(), String> {
    let r = call("checking it", || keyring::Entry::new(SERVICE, "lanyard-probe")?.get_password());
    match r {
        Ok(Ok(_)) | Ok(Err(keyring::Error::NoEntry)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.message),
    }
}

/// Stores a secret.
pub fn set(key: &str, field: Field, secret: &Secret) -> Result<()> {
    let (account, value) = (account(key, field), secret.expose_secret().to_string());
    let what = format!("storing the {} of {key}", field.as_str());
    call(&what, move || keyring::Entry::new(SERVICE, &account)?.set_password(&value))?.map_err(|e| failure(&what, e))
}

/// Reads a secret; `None` when the item is missing.
pub fn get(key: &str, field: Field) -> Result<Option<Secret>> {
    let account = account(key, field);
    let what = format!("reading the {} of {key}", field.as_str());
    match call(&what, move || keyring::Entry::new(SERVICE, &account)?.get_password())? {
        Ok(v) => Ok(Some(Secret::new(v))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(failure(&what, e)),
    }
}

/// Deletes a secret; a missing item is fine.
pub fn delete(key: &str, field: Field) -> Result<()> {
    let account = account(key, field);
    let what = format!("deleting the {} of {key}", field.as_str());
    match call(&what, move || keyring::Entry::new(SERVICE, &account)?.delete_credential())? {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(failure(&what, e)),
    }
}
