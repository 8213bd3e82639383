//! `lanyard setup-npm TARGET [--registry URL] [--owner OWNER]`: the credential's token in the
//! user npmrc as `//HOST/PATH/:_authToken=…` for its npm registry (SPEC §12); refresh rewrites
//! the line, logout removes it (only while it holds lanyard's token).

use chrono::Duration;

use super::{Ctx, fresh, named};
use crate::cli::SetupNpmArgs;
use crate::error::{Error, Exit, Result};
use crate::ui;

/// Runs `lanyard setup-npm`.
pub fn setup(ctx: &Ctx, args: SetupNpmArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let store = ctx.store();
    let (id, _) = store.load_one(&n.host, n.account.as_deref())?.find(&n.host, n.account.as_deref())?;
    let cred = fresh(ctx, &id.host, Some(&id.account), Duration::seconds(60))?;
    let owner = args.owner.clone().unwrap_or_else(|| id.account.clone());
    let registry = match &args.registry {
        Some(r) => r.clone(),
        None => crate::family::npm_registry(&cred.record, &id.host, &owner).ok_or_else(|| {
            Error::usage(format!("lanyard knows no npm registry for `{id}`"))
                .hint(format!("name it: `lanyard setup-npm {} --registry https://HOST/PATH/`", args.target))
        })?,
    };
    let sink =
        crate::sink::Sink::Npm { path: crate::sink::npm::path(&ctx.env)?, key: crate::sink::npm::key(&registry) };
    let mut locked = store.lock()?;
    let notes = crate::accounts::add_sinks(&ctx.registry()?, &mut locked, &id, &cred, &[sink])?;
    locked.save()?;
    ui::tell(&notes);
    ui::say(&format!("npm sends `{id}`'s token to {registry} (`npm whoami --registry {registry}` checks it)."));
    Ok(Exit::Ok)
}
