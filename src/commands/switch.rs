//! `lanyard switch TARGET [ACCOUNT]`: another account of a host becomes the active one, and the
//! host's tools (Nix, skillsctl, duumbi, git) get its token (SPEC §8).

use super::{Ctx, named};
use crate::cli::SwitchArgs;
use crate::credential::CredentialId;
use crate::error::{Error, Exit, Result};
use crate::store::not_logged_in;
use crate::ui;

/// Runs `lanyard switch`.
pub fn run(ctx: &Ctx, args: SwitchArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let host = n.host;
    let wanted = args.account.or(n.account);
    let store = ctx.store();
    let data = store.load()?;
    let accounts: Vec<String> = data.accounts(&host).map(|(id, _)| id.account.clone()).collect();
    if accounts.is_empty() {
        return Err(not_logged_in(&host));
    }
    let active = data.active_id(&host).map(|i| i.account).unwrap_or_default();
    let listed = || accounts.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
    let to = match wanted {
        Some(a) if accounts.contains(&a) => a,
        Some(a) => {
            return Err(Error::new(Exit::NotLoggedIn, format!("no account `{a}` on `{host}`"))
                .hint(format!("{host} has {}; `lanyard login {host}` adds another account", listed())));
        }
        None if accounts.len() == 1 => {
            ui::say(&format!(
                "{host} has one account, `{active}`; nothing to switch to (`lanyard login {host}` as another user adds one)."
            ));
            return Ok(Exit::Ok);
        }
        None if accounts.len() == 2 => accounts.iter().find(|a| **a != active).cloned().expect("two accounts"),
        None => {
            let others: Vec<String> = accounts.iter().filter(|a| **a != active).cloned().collect();
            if !ctx.can_prompt() {
                return Err(Error::usage(format!("{host} has {} accounts: {}; which one?", accounts.len(), listed()))
                    .hint(format!("run `lanyard switch {host} {}`", ui::shell_word(&others[0]))));
            }
            let i = ui::select(
                &ctx.env,
                ctx.no_input,
                &format!("Switch {host} (now `{active}`) to"),
                &others,
                "`lanyard switch HOST ACCOUNT`",
            )?;
            others[i].clone()
        }
    };
    if to == active {
        ui::say(&format!("`{to}` already is the active account of {host}."));
        return Ok(Exit::Ok);
    }
    let id = CredentialId::new(&host, &to);
    let mut locked = store.lock()?;
    let prev = crate::accounts::activate(&ctx.registry()?, &store, &mut locked, &id)?;
    let sinks =
        locked.data.credentials.get(&id).map(|s| crate::accounts::sink_names(&s.record.sinks)).unwrap_or_default();
    locked.save()?;
    let back = prev
        .map(|p| format!(" (`lanyard switch {host} {}` switches back)", ui::shell_word(&p.account)))
        .unwrap_or_default();
    ui::say(&format!("{host} now uses `{to}`{back}."));
    if !sinks.is_empty() {
        ui::say(&format!("  {sinks} now get{} the token of `{to}`.", if sinks.contains(',') { "" } else { "s" }));
    }
    Ok(Exit::Ok)
}
