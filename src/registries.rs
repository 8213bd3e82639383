//! Which credential answers which container registry (SPEC §12, §15): the registry's own host's
//! credential (an `oci` login, or a Gitea/Forgejo forge serving its registry itself), else one
//! set up by hand (`setup-docker REGISTRY --from TARGET`), else the family's built-in registries
//! (github.com → ghcr.io, …). A token goes to no other registry.

use crate::credential::{CredentialId, Record};
use crate::store::Data;

/// What a stored credential's provider file lists as its `registries`.
pub type Listed<'a> = &'a dyn Fn(&str, &Record) -> Vec<String>;

/// The credential serving `registry` (a host key): its own host's, one set up by hand, one whose
/// family or provider file (`listed`) names it.
pub fn serving(data: &Data, registry: &str, listed: Listed) -> Option<CredentialId> {
    if let Some(id) = data.active_id(registry) {
        return Some(id);
    }
    if let Some(host) = data.registries.get(registry) {
        return data.active_id(host);
    }
    data.hosts().into_iter().find_map(|host| {
        let (id, s) = data.active(&host)?;
        let answers = |r: &String| r == registry;
        (crate::family::registries(s.record.family, &host).iter().any(answers)
            || listed(&host, &s.record).iter().any(answers))
        .then_some(id)
    })
}

/// Every registry lanyard can answer, with the credential that answers it.
pub fn all(data: &Data, listed: Listed) -> Vec<(String, CredentialId)> {
    let mut out: Vec<(String, CredentialId)> = Vec::new();
    for host in data.hosts() {
        let Some((id, s)) = data.active(&host) else { continue };
        if crate::family::serves_own_registry(s.record.family) {
            out.push((host.clone(), id.clone()));
        }
        for r in crate::family::registries(s.record.family, &host).into_iter().chain(listed(&host, &s.record)) {
            out.push((r, id.clone()));
        }
    }
    for (r, host) in &data.registries {
        if let Some(id) = data.active_id(host) {
            out.push((r.clone(), id));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}
