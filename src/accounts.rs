//! Several accounts per host (SPEC §8): storing an accepted credential as an account (`login`,
//! `import`), which account is active, and handing the host's sinks (Nix, skillsctl, duumbi, git)
//! over to it. Only the active account's record lists sinks.

use crate::credential::CredentialId;
use crate::diag::Note;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::provider::Provider;
use crate::provider::registry::Registry;
use crate::sink::Sink;
use crate::store::{Locked, Store, not_logged_in};

/// What a login calls to keep a client id it registered with an issuer (RFC 7591) at once, so
/// that a login failing later does not register again.
pub fn remember_client(store: &Store) -> impl Fn(&str, &str) -> Result<()> + '_ {
    move |issuer, client| {
        let mut locked = store.lock()?;
        locked.data.remember_client(issuer, client);
        locked.save()
    }
}

/// Makes `to` its host's active account: the sinks of the account active so far move to it and
/// are rewritten with its token. The caller saves. Returns the account that was active before,
/// when it was another.
pub fn activate(
    registry: &Registry,
    store: &Store,
    locked: &mut Locked,
    to: &CredentialId,
) -> Result<Option<CredentialId>> {
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
    let provider = registry.for_credential(&to.host, &cred.record);
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
    let names: Vec<&str> = sinks.iter().map(Sink::tool).collect();
    names.join(", ")
}

/// Stores an accepted credential of `key` and writes it to its tools' files. With `activate`
/// (a login), it becomes the host's active account: the files of the account active so far are
/// its now (and that account stays stored). Without (an import beside an active account), only
/// the store changes. The store's lock is taken before any other tool's file is touched. Returns
/// the account that was active before, and what was done to other tools' files, in order.
pub fn commit(
    env: &Env,
    store: &crate::store::Store,
    key: &str,
    provider: &Provider,
    mut cred: crate::credential::Credential,
    plans: &[crate::sink::Plan],
    activate: bool,
) -> Result<(Option<CredentialId>, Vec<Note>)> {
    let mut notes = Vec::new();
    let new_id = CredentialId::of(key, &cred.record);
    // The store's lock before any other tool's file: the store is known writable (and no refresh
    // or logout interleaves) before a token goes anywhere else.
    let mut locked = store.lock()?;
    let prev = locked.data.active(key).map(|(id, s)| (id, s.clone()));
    let activate = activate || prev.is_none() || prev.as_ref().is_some_and(|(p, _)| *p == new_id);
    let mut written = Vec::new();
    if activate {
        for plan in plans {
            match plan.write(env, &cred) {
                Ok((sink, said)) => {
                    notes.extend(said);
                    written.push(sink)
                }
                Err(e) => return Err(roll_back(env, &cred, &written, notes, e)),
            }
        }
    }
    cred.record.sinks.extend(written.iter().cloned());
    // The host's files belonged to the account active so far (the same one, or another that
    // stays stored): they are the new login's now. git's helper stays registered.
    if let (Some((prev_id, prev)), true) = (&prev, activate) {
        let r = &prev.record;
        cred.record.sinks.extend(r.sinks.iter().filter(|s| matches!(s, Sink::Git { .. })).cloned());
        // A copy the new login no longer writes (a duumbi table under an old `--name`, an old
        // skillsctl path) is taken out, while it still holds the old token: nothing is orphaned.
        let old_secrets = store.secrets(prev_id, prev).ok();
        for old in r.sinks.iter().filter(|s| s.holds_copy() && !cred.record.sinks.contains(s)) {
            let held = old_secrets.as_ref().map(|s| (provider, s));
            match old.remove(env, r, old_secrets.as_ref().map(|s| &s.token), held) {
                Ok(said) => notes.extend(said),
                Err(e) => notes.push(Note::Warning(format!(
                    "could not take the old token out of {}: {}",
                    old.location(),
                    e.message
                ))),
            }
        }
        if let Some(p) = locked.data.credentials.get_mut(prev_id) {
            p.record.sinks.clear();
        }
    }
    // skillsctl's file holds one server's token: it now belongs to this credential only.
    for (k, other) in locked.data.credentials.iter_mut() {
        if *k != new_id {
            other.record.sinks.retain(|s| !(matches!(s, Sink::Skillsctl { .. }) && cred.record.sinks.contains(s)));
        }
    }
    let kept = cred.clone();
    if let Err(e) = locked.put(key, cred).and_then(|id| {
        if activate {
            locked.activate(&id);
        }
        locked.data.providers.insert(key.to_string(), provider.id.clone());
        locked.write()
    }) {
        return Err(roll_back(env, &kept, &written, notes, e));
    }
    Ok((prev.map(|(id, _)| id), notes))
}

/// Takes a new token out of the files it was written to when the login cannot be finished (the
/// store could not be written): no tool keeps a token lanyard does not track. What was done so
/// far is told before the error (in order), since the error is all the caller gets back.
fn roll_back(
    env: &Env,
    cred: &crate::credential::Credential,
    written: &[Sink],
    mut notes: Vec<Note>,
    e: Error,
) -> Error {
    for sink in written {
        match sink.remove(env, &cred.record, Some(&cred.secrets.token), None) {
            Ok(said) => notes.extend(said),
            Err(again) => notes.push(Note::Warning(format!(
                "could not take the new token out of {}: {}",
                sink.location(),
                again.message
            ))),
        }
    }
    crate::diag::tell(&notes);
    e
}

/// Writes the active credential `id` into the netrc file as `machine` — for a `host:port`, as
/// `host:port` (Go) and also as `host` (curl, pip, uv) when no other credential of lanyard has
/// that host (SPEC §15) — and records the sinks so that refresh rewrites and logout removes
/// them. Returns what it did.
pub fn add_netrc(
    registry: &Registry,
    store: &Store,
    env: &Env,
    id: &CredentialId,
    cred: &crate::credential::Credential,
    machine: &str,
) -> Result<Vec<Note>> {
    let path = crate::sink::netrc::path(env)?;
    let mut locked = store.lock()?;
    let mut machines = vec![machine.to_string()];
    let mut left = None;
    if let Some((bare, _port)) = machine.rsplit_once(':').filter(|(h, p)| !h.ends_with(']') || p.is_empty()) {
        let taken = locked.data.hosts().iter().any(|h| h != &id.host && h.split(':').next() == Some(bare));
        // An entry for the bare host that lanyard did not write holds someone's token: kept.
        let ours = Sink::Netrc { path: path.clone(), machine: bare.to_string() };
        let recorded = locked.data.records().any(|r| r.sinks.contains(&ours));
        let foreign = !recorded && crate::sink::netrc::lookup(&path, bare)?.is_some();
        if foreign {
            left = Some(bare.to_string());
        } else if !taken && !bare.is_empty() {
            machines.push(bare.to_string());
        }
    }
    let sinks: Vec<Sink> = machines.iter().map(|m| Sink::Netrc { path: path.clone(), machine: m.clone() }).collect();
    let mut notes = add_sinks(registry, &mut locked, id, cred, &sinks)?;
    if machines.len() > 1 {
        notes.push(Note::Did(format!(
            "netrc: also as `machine {}`, for curl, pip and uv, which match the host without its port.",
            machines[1]
        )));
    }
    if let Some(bare) = left {
        notes.push(Note::Warning(format!(
            "netrc: `machine {bare}` holds a token lanyard did not write; it is left as it is, and curl, pip and uv keep using it for {bare}"
        )));
    }
    locked.save()?;
    Ok(notes)
}

/// Writes the credential `id` into other tools' files (`sinks`) and records them on it, so that
/// refresh rewrites them and logout removes them. The caller saves.
pub fn add_sinks(
    registry: &Registry,
    locked: &mut Locked,
    id: &CredentialId,
    cred: &crate::credential::Credential,
    sinks: &[Sink],
) -> Result<Vec<Note>> {
    if !locked.data.is_active(id) {
        return Err(Error::usage(format!("`{id}` is not the active account of {}", id.host)).hint(format!(
            "files for other tools hold the active account: `lanyard switch {} {}` first",
            crate::fsutil::shell_word(&id.host),
            crate::fsutil::shell_word(&id.account)
        )));
    }
    let provider = registry.for_credential(&id.host, &cred.record);
    let mut notes = Vec::new();
    for sink in sinks {
        sink.rewrite(&provider, cred)?;
        notes.push(Note::Did(format!("Written to {}.", sink.describe(Some(&id.host)))));
        let stored = locked.data.credentials.get_mut(id).ok_or_else(|| not_logged_in(&id.to_string()))?;
        if !stored.record.sinks.contains(sink) {
            stored.record.sinks.push(sink.clone());
        }
    }
    Ok(notes)
}
