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
