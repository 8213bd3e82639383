//! The agent (SPEC §13): a per-user process on a private socket that holds unlocked secrets in
//! memory and answers `token`, `exec` and `git-credential get` without a keyring session or a
//! decryption per call. [`proto`] is its protocol, [`client`] what callers use (they fall back
//! to the store), [`server`] the process.

pub mod client;
pub mod proto;
pub mod server;

use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Starts an agent for `config_dir` in the background unless one answers on `socket`; waits
/// until it answers. Returns its pid and whether it was already running.
pub fn start(socket: &Path, config_dir: &Path) -> Result<(u32, bool)> {
    if let Some(h) = client::hello(socket) {
        return Ok((h.pid, true));
    }
    if let Some(v) = client::answers(socket) {
        return Err(Error::failure(format!("an agent of lanyard {v} runs on {}", socket.display()))
            .hint("end it (`lanyard agent stop` of that version, or kill it), then start this one"));
    }
    let exe = std::env::current_exe()
        .map_err(|e| Error::failure(format!("cannot find lanyard's own program to start the agent: {e}")))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--config-dir").arg(config_dir).args(["agent", "run"]);
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    // Its own process group: a Ctrl-C at the terminal that started it does not end it.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|e| Error::failure(format!("cannot start the agent: {e}")))?;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if client::answers(socket).is_some() {
            // Reaped by nobody: it outlives this process (init adopts it).
            let pid = child.id();
            std::mem::forget(child);
            return Ok((pid, false));
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(Error::failure(format!("the agent ended at once ({status})"))
                .hint("run `lanyard -v agent run` to see why"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(Error::failure(format!("the agent did not answer on {} within 10s", socket.display()))
        .hint("run `lanyard -v agent run` to see why"))
}
