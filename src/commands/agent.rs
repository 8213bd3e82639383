//! `lanyard agent start|stop|status|run`, `lanyard unlock` and `lanyard lock` (SPEC §13).

use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Duration;

use super::Ctx;
use crate::agent::{client, proto::Request, server};
use crate::cli::{AgentAction, AgentArgs, UnlockArgs};
use crate::error::{Error, Exit, Result};
use crate::store::StoragePref;
use crate::ui;

/// The idle time after which the agent locks, unless `[agent] idle_lock` says otherwise.
const IDLE_LOCK: u64 = 8 * 3600;

/// Runs `lanyard agent`.
pub fn run(ctx: &Ctx, args: AgentArgs) -> Result<Exit> {
    let socket = ctx.agent_socket();
    match args.action {
        AgentAction::Start => {
            let (pid, running) = crate::agent::start(&socket, &ctx.config_dir)?;
            let what = if running { "already runs" } else { "started" };
            ui::say(&format!("The agent {what} (pid {pid}) on {}.", socket.display()));
            Ok(Exit::Ok)
        }
        AgentAction::Stop => {
            if client::send(&socket, Request::Stop) {
                ui::say("The agent stopped; it forgot every secret it held.");
            } else {
                ui::say(&format!("No agent runs on {}.", socket.display()));
            }
            Ok(Exit::Ok)
        }
        AgentAction::Status => match client::hello(&socket) {
            Some(h) => {
                let state = match (h.locked, h.since, h.key) {
                    (true, _, _) => "locked: it holds nothing until `lanyard unlock`".to_string(),
                    (false, Some(since), true) => {
                        format!("unlocked since {}; it holds the encrypted store's key", ui::local_time(&since))
                    }
                    (false, since, false) => format!(
                        "unlocked since {}; it does not hold the encrypted store's key",
                        since.as_deref().map(ui::local_time).unwrap_or_default()
                    ),
                    (false, None, true) => "unlocked".to_string(),
                };
                println!("agent: pid {} on {}\n  {state}", h.pid, socket.display());
                Ok(Exit::Ok)
            }
            None => {
                println!("agent: none runs on {}\n  fix: lanyard agent start", socket.display());
                Ok(Exit::NotLoggedIn)
            }
        },
        AgentAction::Run { inherit_socket } => serve(ctx, inherit_socket),
    }
}

fn serve(ctx: &Ctx, inherit: bool) -> Result<Exit> {
    for note in server::harden() {
        ui::debug(&note);
    }
    let socket = ctx.agent_socket();
    let (listener, _held) = if inherit {
        // systemd's `StandardInput=socket`: the listening socket is stdin.
        let fd = std::io::stdin().as_fd().try_clone_to_owned().map_err(|e| {
            Error::usage(format!("no socket on stdin: {e}")).hint("drop --inherit-socket outside a systemd socket unit")
        })?;
        let st = rustix::fs::fstat(&fd).map_err(|e| Error::usage(format!("no socket on stdin: {e}")))?;
        if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::Socket {
            return Err(
                Error::usage("stdin is not a socket").hint("drop --inherit-socket outside a systemd socket unit")
            );
        }
        (std::os::unix::net::UnixListener::from(fd), None)
    } else {
        let (l, lock) = server::bind(&socket)?;
        (l, Some(lock))
    };
    let idle = ctx.config.agent.as_ref().and_then(|a| a.idle_lock).unwrap_or(IDLE_LOCK).max(1);
    let agent = server::Agent::new(
        ctx.env.clone(),
        ctx.config_dir.clone(),
        ctx.timeout,
        ctx.own_store(),
        socket,
        Duration::from_secs(idle),
    );
    server::serve(Arc::new(agent), listener)?;
    Ok(Exit::Ok)
}

/// Runs `lanyard unlock`: chooses the passphrase the first time (`storage = "encrypted"`
/// without an identity file), starts the agent and hands it the passphrase.
pub fn unlock(ctx: &Ctx, args: UnlockArgs) -> Result<Exit> {
    let store = ctx.own_store();
    let sealed = store.encrypted();
    let socket = ctx.agent_socket();
    let encrypted = ctx.config.storage == Some(StoragePref::Encrypted);
    let passphrase = if !sealed.needs_passphrase() {
        None
    } else if sealed.key_file().exists() {
        Some(ui::read_secret(
            &ctx.env,
            ctx.no_input,
            "Passphrase of lanyard's encrypted store",
            args.passphrase_stdin,
            "--passphrase-stdin",
        )?)
    } else if encrypted {
        let p = ui::new_passphrase(&ctx.env, ctx.no_input, args.passphrase_stdin)?;
        sealed.create_key(&p)?;
        ui::say(&format!(
            "Made lanyard's key: {} (encrypted with the passphrase; keep the passphrase, nothing recovers it).",
            sealed.key_file().display()
        ));
        Some(p)
    } else {
        None
    };
    let (pid, _) = crate::agent::start(&socket, &ctx.config_dir)?;
    client::unlock(&socket, passphrase.clone())?;
    let idle = ctx.config.agent.as_ref().and_then(|a| a.idle_lock).unwrap_or(IDLE_LOCK);
    let holds = if passphrase.is_some() { "holds the encrypted store's key" } else { "serves credentials" };
    ui::say(&format!(
        "Unlocked: the agent (pid {pid}) {holds} until `lanyard lock` or {} without a request.",
        ui::duration_words(idle)
    ));
    Ok(Exit::Ok)
}

/// Runs `lanyard lock`.
pub fn lock(ctx: &Ctx) -> Result<Exit> {
    if client::send(&ctx.agent_socket(), Request::Lock) {
        ui::say("Locked: the agent forgot every secret and key; `lanyard unlock` opens it again.");
    } else {
        ui::say("No agent runs; no secret is held in memory.");
    }
    Ok(Exit::Ok)
}
