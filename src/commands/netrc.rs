//! `lanyard setup-netrc TARGET [--host HOST]`: the credential in `~/.netrc` (`$NETRC`) for
//! curl, pip, uv, Poetry and Go (SPEC §12); refresh rewrites it, logout removes it.

use chrono::Duration;

use super::{Ctx, fresh, named};
use crate::cli::SetupNetrcArgs;
use crate::error::{Exit, Result};
use crate::ui;

/// Runs `lanyard setup-netrc`.
pub fn setup(ctx: &Ctx, args: SetupNetrcArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let store = ctx.store();
    let (id, _) = store.load_one(&n.host, n.account.as_deref())?.find(&n.host, n.account.as_deref())?;
    let cred = fresh(ctx, &id.host, Some(&id.account), Duration::seconds(60))?;
    let machine = match &args.host {
        Some(h) => super::target_key(ctx, h)?,
        None => id.host.clone(),
    };
    let notes = crate::accounts::add_netrc(&ctx.registry()?, &store, &ctx.env, &id, &cred, &machine)?;
    ui::tell(&notes);
    Ok(Exit::Ok)
}
