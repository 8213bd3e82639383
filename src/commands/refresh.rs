//! `lanyard refresh`: refresh the named credentials (or all) now when they are about to expire,
//! or always with `--force`, and say honestly what happened to each.

use super::{Ctx, named};
use crate::cli::RefreshArgs;
use crate::credential::CredentialId;
use crate::error::{Error, Exit, Result};
use crate::refresh::fresh_from;
use crate::ui;

/// Runs `lanyard refresh`.
pub fn run(ctx: &Ctx, args: RefreshArgs) -> Result<Exit> {
    let store = ctx.store();
    let data = store.load()?;
    let ids: Vec<Result<CredentialId>> = if args.all {
        data.credentials.keys().cloned().map(Ok).collect()
    } else if args.targets.is_empty() {
        return Err(Error::usage("name the credentials to refresh")
            .hint("`lanyard refresh TARGET…` or `lanyard refresh --all`"));
    } else {
        let names = args.targets.iter().map(|t| named(ctx, t)).collect::<Result<Vec<_>>>()?;
        names.iter().map(|n| data.find(&n.host, n.account.as_deref()).map(|(id, _)| id)).collect()
    };
    let mut exit = Exit::Ok;
    if args.all {
        warn_expiring(ctx, &data)?;
    }
    for id in ids {
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                ui::error(&e);
                exit = exit.worst(e.exit);
                continue;
            }
        };
        let key = data.label(&id);
        let shared = data.credentials.get(&id).is_some_and(|s| store.where_is(&s.record).shared());
        let known = !shared || store.known_here(&id).unwrap_or(true);
        let result = fresh_from(&ctx.run(), &store, &data, &id, args.min_valid, args.force);
        // A shared credential another machine refreshed: this machine's files follow.
        if let (true, Ok(f)) = (shared, &result) {
            match crate::refresh::sync_shared_sinks(&ctx.run(), &store, &id, &f.cred, known) {
                Ok((written, notes)) => {
                    ui::tell(&notes);
                    for w in written {
                        ui::say(&format!("{key}: wrote the shared token to {w}"));
                    }
                }
                Err(e) => {
                    ui::error(&e);
                    exit = exit.worst(e.exit);
                }
            }
        }
        match result {
            Ok(f) if f.refreshed => {
                let until = f
                    .cred
                    .record
                    .expires_at
                    .map(|e| format!(", valid until {}", e.format("%Y-%m-%d %H:%M:%S UTC")))
                    .unwrap_or_default();
                ui::say(&format!("{key}: refreshed{until}"));
            }
            Ok(f) if !f.cred.record.can_refresh() => ui::say(&format!("{key}: nothing to refresh (no refresh token)")),
            Ok(_) => ui::say(&format!("{key}: still fresh")),
            Err(e) => {
                ui::error(&e);
                exit = exit.worst(e.exit);
            }
        }
    }
    Ok(exit)
}

/// Runs `lanyard rotate TARGET`.
pub fn rotate(ctx: &Ctx, args: crate::cli::RotateArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let store = ctx.store();
    let data = store.load_one(&n.host, n.account.as_deref())?;
    let (id, _) = data.find(&n.host, n.account.as_deref())?;
    let cred = crate::refresh::rotate(&ctx.run(), &store, &data, &id)?;
    let until =
        cred.record.expires_at.map(|e| format!("; the new one expires {}", e.format("%Y-%m-%d"))).unwrap_or_default();
    ui::say(&format!("{}: rotated; the server revoked the old token{until}.", data.label(&id)));
    if !cred.record.sinks.is_empty() {
        ui::say(&format!("Rewrote {}.", crate::accounts::sink_names(&cred.record.sinks)));
    }
    Ok(Exit::Ok)
}

/// The timer's warning (SPEC §14): tokens that cannot refresh and expire within `warn_within`
/// (config.toml, default 7 days), each with the command that renews it — on stderr, and through
/// `notify-send` where a desktop session runs; at most once a day.
fn warn_expiring(ctx: &Ctx, data: &crate::store::Data) -> Result<()> {
    let within = match &ctx.config.warn_within {
        Some(w) => crate::status::parse_duration(w).map_err(|e| {
            Error::usage(format!("config.toml: warn_within = \"{w}\": {e}"))
                .hint("write a duration such as \"7d\" or \"36h\"")
        })?,
        None => chrono::Duration::days(7),
    };
    let now = ctx.now();
    let mut lines = Vec::new();
    for (id, s) in &data.credentials {
        let r = &s.record;
        let Some(exp) = r.expires_at.filter(|e| *e - now <= within) else { continue };
        if r.can_refresh() {
            continue;
        }
        let key = data.label(id);
        let fix = if crate::family::rotatable(r) {
            format!("lanyard rotate {key}")
        } else {
            format!("lanyard login {key} --force")
        };
        let when = crate::status::relative(exp, now);
        lines.push(format!("the token for `{key}` expires {when}; renew it: `{fix}`"));
    }
    if lines.is_empty() {
        return Ok(());
    }
    // Once a day: the day of the last warning is kept beside the store.
    let stamp = ctx.config_dir.join(".expiry-warned");
    let today = now.format("%Y-%m-%d").to_string();
    if std::fs::read_to_string(&stamp).is_ok_and(|d| d.trim() == today) {
        return Ok(());
    }
    for l in &lines {
        ui::warn(l);
    }
    let desktop = ctx.env.var("DISPLAY").is_some() || ctx.env.var("WAYLAND_DISPLAY").is_some();
    if desktop {
        let body = lines.join("\n");
        let _ = std::process::Command::new("notify-send")
            .args(["--app-name=lanyard", "lanyard: tokens expire soon", &body])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    let _ = std::fs::write(&stamp, format!("{today}\n"));
    Ok(())
}
