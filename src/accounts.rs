//! Several accounts per host (SPEC §8): which one is active, and handing the host's sinks (Nix,
//! skillsctl, duumbi, git) over to it. Only the active account's record lists sinks.

use crate::context::Ctx;
use crate::credential::CredentialId;
use crate::error::Result;
use crate::sink::Sink;
use crate::store::{Locked, Store, not_logged_in};

/// Makes `to` its host's active account: the sinks of the account active so far move to it and
/// are rewritten with its token. The caller saves. Returns the account that was active before,
/// when it was another.
pub fn activate(ctx: &Ctx, store: &Store, locked: &mut Locked, to: &CredentialId) -> Result<Option<CredentialId>> {
    let prev = locked.data.active_id(&to.host).filter(|p| p != to);
    let stored = locked.data.credentials.get(to).cloned().ok_or_else(|| not_logged_in(&to.to_string()))?;
    let Some(prev) = prev else {
        locked.activate(to);
        return Ok(None);
    };
    let moving = locked.data.credentials.get(&prev).map(|s| s.record.sinks.clone()).unwrap_or_default();
    let mut cred = store.open(to, &stored)?;
    for s in moving {
        if let Sink::Duumbi { name, .. } = &s {
            cred.record.name = Some(name.clone());
        }
        if !cred.record.sinks.contains(&s) {
            cred.record.sinks.push(s);
        }
    }
    let provider = ctx.registry()?.for_credential(&to.host, &cred.record);
    for sink in &cred.record.sinks {
        sink.rewrite(&provider, &cred)?;
    }
    if let Some(p) = locked.data.credentials.get_mut(&prev) {
        p.record.sinks.clear();
    }
    if let Some(t) = locked.data.credentials.get_mut(to) {
        t.record.sinks = cred.record.sinks;
        t.record.name = cred.record.name;
    }
    locked.activate(to);
    Ok(Some(prev))
}

/// What a host's sinks are, in a few words, for "now gets this account's token" messages.
pub fn sink_names(sinks: &[Sink]) -> String {
    let names: Vec<&str> = sinks
        .iter()
        .map(|s| match s {
            Sink::Nix { .. } => "Nix",
            Sink::Skillsctl { .. } => "skillsctl",
            Sink::Duumbi { .. } => "duumbi",
            Sink::Git { .. } => "git",
        })
        .collect();
    names.join(", ")
}
