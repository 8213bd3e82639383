//! `lanyard agent run`: the per-user process that holds unlocked secrets in memory (SPEC §13).
//!
//! - Its socket is 0600 in a 0700 directory, and it answers only its own uid (`SO_PEERCRED`).
//! - It is not dumpable (`PR_SET_DUMPABLE` 0: no core file, no ptrace or `/proc/PID/mem` by
//!   the user's other processes) and locks its memory (`mlockall`) where the limit allows.
//! - It serves each credential from memory while it stays valid for what the caller asked,
//!   and otherwise through the same refresh as every process (`refresh::fresh`: the file lock,
//!   the Vault lease), one refresh per credential at a time in process: callers without the
//!   agent stay coordinated with it. What another process wrote (a login, a logout, a switch)
//!   is seen at the next request: the store file's identity is checked on each.
//! - It locks — forgets every secret and the encrypted store's key — after `idle_lock`
//!   seconds without a request (default 8 h) and on `lanyard lock`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use super::proto::{Body, Reply, Request, VERSION};
use crate::credential::{Credential, Freshness, Storage, freshness};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::Store;

/// How long a shared (Vault) credential is served from memory before the store is asked again:
/// another machine may have refreshed it.
const SHARED_REUSE: Duration = Duration::from_secs(30);
/// The longest request line read.
const MAX_REQUEST: u64 = 64 << 10;

/// What the agent needs to serve: values, not a command's context.
pub struct Agent {
    env: Env,
    config_dir: PathBuf,
    timeout: Duration,
    store: Store,
    socket: PathBuf,
    idle: Duration,
    state: Mutex<State>,
    flights: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    stopping: AtomicBool,
    version: String,
}

struct State {
    locked: bool,
    since: DateTime<Utc>,
    last: Instant,
    stamp: Option<(u64, u64, i64, i64, u64)>,
    cache: HashMap<String, (Credential, Instant)>,
}

impl Agent {
    /// An agent serving `store` (whose encrypted file never asks an agent: this is the agent).
    pub fn new(
        env: Env,
        config_dir: PathBuf,
        timeout: Duration,
        store: Store,
        socket: PathBuf,
        idle: Duration,
    ) -> Agent {
        let env_version = env.var("LANYARD_DEBUG_AGENT_VERSION").map(str::to_string);
        Agent {
            env,
            config_dir,
            timeout,
            store,
            socket,
            idle,
            state: Mutex::new(State {
                locked: false,
                since: Utc::now(),
                last: Instant::now(),
                stamp: None,
                cache: HashMap::new(),
            }),
            flights: Mutex::new(HashMap::new()),
            stopping: AtomicBool::new(false),
            version: version(&env_version),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every secret and the key.
    fn lock(&self) {
        let mut st = self.state();
        st.locked = true;
        st.cache.clear();
        self.store.encrypted().forget_key();
    }

    fn answer(&self, req: Request) -> Body {
        match req {
            Request::Hello => {
                let st = self.state();
                Body::Hello {
                    pid: std::process::id(),
                    locked: st.locked,
                    since: (!st.locked).then(|| st.since.to_rfc3339()),
                    key: !st.locked && self.store.encrypted().holds_key(),
                    recipient: if st.locked { None } else { self.store.encrypted().recipient() },
                }
            }
            Request::Lock => {
                self.lock();
                Body::Done
            }
            Request::Stop => {
                self.lock();
                self.stopping.store(true, Ordering::SeqCst);
                Body::Done
            }
            Request::Unlock { passphrase } => self.unlock(passphrase),
            Request::Unwrap { tag, args, body } => {
                self.touch();
                if self.state().locked {
                    return Body::Locked;
                }
                let Ok(body) = STANDARD.decode(body) else { return Body::Locked };
                match self.store.encrypted().unwrap(&age_core::format::Stanza { tag, args, body }) {
                    Some(k) => {
                        use age::secrecy::ExposeSecret;
                        Body::FileKey { key: Secret::new(STANDARD.encode(k.expose_secret())) }
                    }
                    None => Body::Locked,
                }
            }
            Request::Fresh { host, account, min_valid } => {
                self.touch();
                match self.fresh(&host, account.as_deref(), chrono::Duration::seconds(min_valid.clamp(0, 86_400))) {
                    Ok(Some(cred)) => Body::Credential { credential: crate::store::credential_json(&cred) },
                    Ok(None) => Body::Locked,
                    Err(e) => Body::Failed { exit: e.exit.code(), message: e.message, hints: e.hints },
                }
            }
        }
    }

    fn touch(&self) {
        self.state().last = Instant::now();
    }

    fn unlock(&self, passphrase: Option<Secret>) -> Body {
        if let Some(p) = passphrase
            && let Err(e) = self.store.encrypted().unlock(&p)
        {
            return Body::Failed { exit: e.exit.code(), message: e.message, hints: e.hints };
        }
        let mut st = self.state();
        if st.locked {
            st.since = Utc::now();
        }
        st.locked = false;
        st.last = Instant::now();
        Body::Done
    }

    /// The credential from memory when it is still good for `min_valid`, else from the store
    /// (refreshed as every process refreshes). `None`: locked.
    fn fresh(&self, host: &str, account: Option<&str>, min_valid: chrono::Duration) -> Result<Option<Credential>> {
        let key = format!("{host}\n{}", account.unwrap_or(""));
        if let Some(hit) = self.cached(&key, min_valid)? {
            return Ok(hit);
        }
        // One refresh per credential at a time in this process; the store's own guard (file
        // lock, Vault lease) keeps other processes and machines out.
        let flight = self.flights.lock().unwrap_or_else(|p| p.into_inner()).entry(key.clone()).or_default().clone();
        let _turn = flight.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = self.cached(&key, min_valid)? {
            return Ok(hit);
        }
        let run =
            crate::refresh::Run { env: &self.env, config_dir: &self.config_dir, timeout: self.timeout, nix_conf: None };
        let got = crate::refresh::fresh(&run, &self.store, host, account, min_valid, false);
        let cred = got?.cred;
        let mut st = self.state();
        if st.locked {
            return Ok(None);
        }
        st.stamp = stamp(self.store.path());
        st.cache.insert(key, (cred.clone(), Instant::now()));
        Ok(Some(cred))
    }

    /// `Some(None)`: locked; `Some(Some(c))`: served from memory; `None`: ask the store.
    fn cached(&self, key: &str, min_valid: chrono::Duration) -> Result<Option<Option<Credential>>> {
        let mut st = self.state();
        if st.locked {
            return Ok(Some(None));
        }
        let now_stamp = stamp(self.store.path());
        if st.stamp != now_stamp {
            st.cache.clear();
            st.stamp = now_stamp;
        }
        let now = crate::credential::now(&self.env);
        Ok(st.cache.get(key).and_then(|(c, at)| {
            let good = freshness(c.record.expires_at, now, min_valid) == Freshness::Fresh
                && (c.record.storage != Storage::Vault || at.elapsed() < SHARED_REUSE);
            good.then(|| Some(c.clone()))
        }))
    }

    fn serve_one(&self, mut conn: UnixStream) {
        // Only this user's processes (the directory and the socket's mode already keep others
        // out; this holds even when someone loosened them).
        let me = crate::fsutil::current_uid();
        match rustix::net::sockopt::socket_peercred(&conn) {
            Ok(c) if c.uid.as_raw() == me => {}
            Ok(c) => {
                crate::diag::debug(&format!(
                    "refused a connection from uid {} (pid {})",
                    c.uid.as_raw(),
                    c.pid.as_raw_nonzero()
                ));
                return;
            }
            Err(_) => return,
        }
        let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
        let mut line = String::new();
        if BufReader::new((&conn).take(MAX_REQUEST)).read_line(&mut line).is_err() {
            return;
        }
        let body = match serde_json::from_str::<Request>(&line) {
            Ok(req) => self.answer(req),
            Err(_) => Body::Failed {
                exit: 2,
                message: "the agent could not read the request".into(),
                hints: vec!["use a lanyard of the agent's version".into()],
            },
        };
        let mut out = serde_json::to_vec(&Reply { version: self.version.clone(), body }).expect("serializes");
        out.push(b'\n');
        let _ = conn.write_all(&out);
    }
}

/// The version the agent answers with: this build's (debug builds take another from
/// `LANYARD_DEBUG_AGENT_VERSION`, for the test of a client meeting an agent of another version).
fn version(asked: &Option<String>) -> String {
    match asked {
        Some(v) if cfg!(debug_assertions) => v.clone(),
        _ => VERSION.to_string(),
    }
}

/// The store file's identity: a write by anyone (an atomic rename) changes it.
fn stamp(path: &Path) -> Option<(u64, u64, i64, i64, u64)> {
    let m = std::fs::symlink_metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.mtime(), m.mtime_nsec(), m.size()))
}

/// Hardens the process: not dumpable; memory locked when the limit allows all of it. Returns
/// what it could not do, for a `-v` note.
pub fn harden() -> Vec<String> {
    let mut notes = Vec::new();
    if let Err(e) = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable) {
        notes.push(format!("could not make the agent non-dumpable: {e}"));
    }
    let limit = rustix::process::getrlimit(rustix::process::Resource::Memlock);
    let root = crate::fsutil::current_uid() == 0;
    // Locking future pages under a small limit would make allocations fail: only when the limit
    // is generous (or none applies), else the secrets stay zeroized on drop but swappable.
    if root || limit.current.is_none_or(|l| l >= 256 << 20) {
        use rustix::mm::MlockAllFlags;
        if let Err(e) = rustix::mm::mlockall(MlockAllFlags::CURRENT | MlockAllFlags::FUTURE | MlockAllFlags::ONFAULT) {
            notes.push(format!("could not lock the agent's memory: {e}"));
        }
    } else {
        notes.push(format!(
            "the agent's memory is not locked: RLIMIT_MEMLOCK is {} KiB (raise it to lock)",
            limit.current.unwrap_or(0) >> 10
        ));
    }
    notes
}

/// Makes the socket's directory (0700, ours) and binds the socket (0600). An existing socket
/// that an agent answers on is an error; a dead one is replaced.
pub fn bind(socket: &Path) -> Result<(UnixListener, std::fs::File)> {
    let dir = socket.parent().unwrap_or(Path::new("/"));
    crate::fsutil::ensure_private_dir(dir)?;
    let m = std::fs::metadata(dir).map_err(|e| crate::fsutil::io_error("inspect", dir, e))?;
    if m.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| crate::fsutil::io_error("set the mode of", dir, e))?;
    }
    // One agent per socket: the lock is held for the agent's life.
    let lock_path = socket.with_extension("lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| crate::fsutil::io_error("open", &lock_path, e))?;
    if lock.try_lock().is_err() {
        return Err(Error::failure(format!("an agent already serves {}", socket.display()))
            .hint("`lanyard agent status` shows it; `lanyard agent stop` ends it"));
    }
    match std::fs::remove_file(socket) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(crate::fsutil::io_error("replace", socket, e)),
    }
    let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o177));
    let bound = UnixListener::bind(socket);
    rustix::process::umask(old);
    let listener = bound.map_err(|e| crate::fsutil::io_error("listen on", socket, e))?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| crate::fsutil::io_error("set the mode of", socket, e))?;
    Ok((listener, lock))
}

/// Serves until `stop` (or the process is ended).
pub fn serve(agent: Arc<Agent>, listener: UnixListener) -> Result<()> {
    let idle = agent.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep((idle.idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(30)));
            let expired = {
                let st = idle.state();
                !st.locked && st.last.elapsed() >= idle.idle
            };
            if expired {
                crate::diag::debug("idle: the agent locks (forgets every secret)");
                idle.lock();
            }
        }
    });
    for conn in listener.incoming() {
        if agent.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(conn) = conn else { continue };
        let a = agent.clone();
        std::thread::spawn(move || {
            a.serve_one(conn);
            if a.stopping.load(Ordering::SeqCst) {
                // Wakes the accept loop so that it sees the stop.
                let _ = UnixStream::connect(&a.socket);
            }
        });
    }
    if agent.stopping.load(Ordering::SeqCst) {
        let _ = std::fs::remove_file(&agent.socket);
    }
    Ok(())
}
