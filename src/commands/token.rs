//! `lanyard token TARGET`: the token on stdout and nothing else, refreshed first when it is about
//! to expire. A hot path: no runtime, no provider parsing for a host target, one read of the store
//! unless a refresh is due.

use std::io::Write;

use super::{Ctx, chosen, named};
use crate::cli::TokenArgs;
use crate::credential::{Freshness, Stale, freshness};
use crate::error::{Error, Exit, Result};
use crate::ui;

/// Runs `lanyard token`.
pub fn run(ctx: &Ctx, args: TokenArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let key = match &n.account {
        Some(a) => format!("{a}@{}", n.host),
        None => n.host.clone(),
    };
    let asked = crate::choose::Asked { named: n.account.as_deref(), ..Default::default() };
    let (cred, why) = chosen(ctx, &n.host, &asked, args.min_valid)?;
    ui::debug(&format!("`{}` answers with {} ({})", n.host, cred.record.account(), why.words()));
    // Debug builds only: a bug that puts a secret into a panic message, for the test that proves
    // the panic hook withholds it (tests/it/secrets.rs).
    #[cfg(debug_assertions)]
    if ctx.env.var("LANYARD_DEBUG_PANIC").is_some() {
        panic!("forced for a test: {} in {cred:?}", cred.secrets.token.expose_secret());
    }
    let now = ctx.now();
    match (freshness(cred.record.expires_at, now, args.min_valid), cred.record.expires_at) {
        (Freshness::Stale(Stale::Expired), at) => return Err(crate::refresh::expired(&key, at)),
        (Freshness::Stale(Stale::ExpiresSoon), Some(exp)) => {
            ui::warn(&format!("the token for `{key}` expires {}", crate::status::relative(exp, now)))
        }
        _ => {}
    }
    let secret = if args.id_token {
        cred.secrets.id_token.as_ref().ok_or_else(|| {
            Error::usage(format!("the credential for `{key}` has no ID token"))
                .hint("drop --id-token to print the access token")
        })?
    } else {
        &cred.secrets.token
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", secret.expose_secret())
        .and_then(|_| out.flush())
        .map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(Exit::Ok)
}

/// Runs `lanyard which TARGET`: the account (or the environment token) that answers here, and
/// why, on stdout; exit 3 when none does.
pub fn which(ctx: &Ctx, args: crate::cli::WhichArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let asked = crate::choose::Asked { named: n.account.as_deref(), ..Default::default() };
    let line = match super::decide(ctx, &n.host, &asked) {
        super::Decision::Env(t) => {
            format!("{}: the token in {} ({})", n.host, t.var, crate::choose::Why::EnvToken(t.var).words())
        }
        super::Decision::Account(c) => {
            let data = ctx.store().load_one(&n.host, c.account.as_deref())?;
            let (id, _) = data.find(&n.host, c.account.as_deref())?;
            format!("{id} ({})", c.why.words())
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(Exit::Ok)
}
