//! Credentials shared by many machines through Vault/OpenBao KV v2 (SPEC §10): Vault keeps each
//! record with its secrets; this machine's file keeps a shadow with its own sinks. Writes are
//! check-and-set on the version read; the refresh guard is the local lock plus a lease in Vault.
//! KV paths are built only in [`super::vault`], from the keys named here.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::data::{Data, Stored, is_host_key, not_logged_in};
use super::seam::{Claim, Clock, CredentialStore, Held, RefreshGuard, Unreadable, Where, remembered};
use super::vault::{self, Key, Vault, Written};
use super::wire::{vault_body, vault_stored};
use crate::credential::{Credential, CredentialId, Record, Secrets, Storage};
use crate::error::{Error, Result};

/// How long a lease is held past a refresh's own timeout (SPEC §10: at most a minute longer).
const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// The shared store of a machine configured with `[vault]`.
#[derive(Clone)]
pub struct Shared {
    pub(super) vault: Arc<Vault>,
}

impl Shared {
    /// Adds every credential of the shared store to what the local file holds: Vault has the
    /// record and the secrets, the local shadow this machine's sinks. One LIST per folder; the
    /// entries are read in parallel, 16 at a time.
    pub(super) fn merge(&self, data: &mut Data) -> Result<()> {
        let v = &self.vault;
        let hosts: Vec<String> = v.list(Key::Hosts)?.into_iter().map(|h| h.trim_end_matches('/').to_string()).collect();
        let shadows: Vec<CredentialId> = data
            .credentials
            .iter()
            .filter(|(_, s)| s.record.storage == Storage::Vault)
            .map(|(id, _)| id.clone())
            .collect();
        // Names listed by Vault are checked like every other name that enters (SPEC §6): a bad
        // entry, written by any Vault writer, is reported and skipped; the others work.
        let (hosts, bad): (Vec<String>, Vec<String>) = hosts.into_iter().partition(|h| is_host_key(h));
        for host in bad {
            data.problems.push(format!(
                "Vault holds a folder `{}/` that is not a host; it is ignored",
                crate::secret::server_text(&host)
            ));
        }
        let folders: Vec<Key> = hosts.iter().map(|h| Key::Accounts(h)).collect();
        let listed = v.list_all(&folders)?;
        let mut wanted = Vec::new();
        for (host, accounts) in hosts.iter().zip(listed) {
            for account in accounts {
                if let Some(id) = self.wanted(data, host, &account) {
                    wanted.push(id);
                }
            }
        }
        let keys: Vec<Key> = wanted.iter().map(|id| Key::Credential(&id.host, &id.account)).collect();
        let read = v.read_all(&keys)?;
        let mut seen = Vec::new();
        for (id, entry) in wanted.into_iter().zip(read) {
            if let Some(entry) = entry {
                self.take(data, &id, entry);
                seen.push(id);
            }
        }
        // A shadow whose credential was removed on another machine is gone here too.
        for id in shadows.into_iter().filter(|id| !seen.contains(id)) {
            data.credentials.remove(&id);
        }
        Ok(())
    }

    /// [`Shared::merge`] of the one credential a command about one host needs (`token`, `exec`,
    /// `git-credential`): `account` of `host`, else the host's active account. One GET when this
    /// machine knows which account that is (named, or the active one its file names); else one
    /// LIST of the host's accounts first. Never the other credentials.
    pub(super) fn merge_one(&self, data: &mut Data, host: &str, account: Option<&str>) -> Result<()> {
        let id = match (account, data.named_active(host)) {
            (Some(a), _) => CredentialId::new(host, a),
            (None, Some(id)) => id,
            (None, None) => {
                // The first account of the host among this machine's and the shared ones.
                let mut names: Vec<String> = self
                    .vault
                    .list(Key::Accounts(host))?
                    .into_iter()
                    .filter(|a| crate::account::account_problem(a).is_none())
                    .collect();
                names.extend(data.accounts(host).map(|(i, _)| i.account.clone()));
                names.sort();
                match names.into_iter().next() {
                    Some(a) => CredentialId::new(host, &a),
                    None => return Ok(()),
                }
            }
        };
        let Some(id) = self.wanted(data, host, &id.account) else { return Ok(()) };
        match self.vault.read(Key::Credential(&id.host, &id.account))? {
            Some(entry) => self.take(data, &id, entry),
            // Removed on another machine: this machine's shadow goes too.
            None => {
                if data.credentials.get(&id).is_some_and(|s| s.record.storage == Storage::Vault) {
                    data.credentials.remove(&id);
                }
            }
        }
        Ok(())
    }

    /// The id of a listed account when it is to be read: a name that breaks SPEC §6's rules is
    /// reported, and this machine's own credential with the same id wins (SPEC §15).
    fn wanted(&self, data: &mut Data, host: &str, account: &str) -> Option<CredentialId> {
        if let Some(why) = crate::account::account_problem(account) {
            data.problems.push(format!(
                "Vault holds an entry `{}` under `{host}` whose name {why}; it is ignored",
                crate::secret::server_text(account)
            ));
            return None;
        }
        let id = CredentialId::new(host, account);
        // The clash is named so that it can be resolved; neither is touched.
        if let Some(local) = data.credentials.get(&id).filter(|s| s.record.storage != Storage::Vault) {
            data.problems.push(format!(
                "`{id}` is both this machine's own credential ({}) and a shared one in Vault; this machine uses its own",
                local.record.storage.as_str()
            ));
            return None;
        }
        Some(id)
    }

    /// Puts an entry read from Vault into the local view (or reports why it cannot be used).
    fn take(&self, data: &mut Data, id: &CredentialId, entry: vault::Entry) {
        let mut stored = match vault_stored(&entry.data, &id.to_string()) {
            Ok(s) if s.record.account() == id.account => s,
            Ok(s) => {
                data.problems.push(format!(
                    "the shared credential `{id}` in Vault is the record of account `{}`; it is ignored",
                    s.record.account()
                ));
                return;
            }
            Err(e) => {
                data.problems.push(format!("{}; it is ignored", e.message));
                return;
            }
        };
        stored.record.sinks = data.credentials.get(id).map(|s| s.record.sinks.clone()).unwrap_or_default();
        data.versions.insert(id.clone(), entry.version);
        data.credentials.insert(id.clone(), stored);
    }

    fn read_one(&self, id: &CredentialId) -> Result<(Stored, u64)> {
        let e = self.vault.read(Key::Credential(&id.host, &id.account))?.ok_or_else(|| not_logged_in(&id.host))?;
        Ok((vault_stored(&e.data, &id.to_string())?, e.version))
    }

    /// The live lease of a shared credential, when a machine is refreshing it now: (holder,
    /// deadline). A deadline beyond any lease is not believed (SPEC §15): no machine waits for it.
    pub fn lease_holder(&self, id: &CredentialId, now: DateTime<Utc>) -> Option<(String, DateTime<Utc>)> {
        let l = Lease::of(&self.vault.read(Key::Lease(&id.host, &id.account)).ok()??.data);
        match l.state(now, self.vault.lease, "") {
            LeaseState::Held { holder, deadline } => Some((crate::secret::from_server(&holder), deadline)),
            LeaseState::Free | LeaseState::Unbelievable => None,
        }
    }
}

impl CredentialStore for Shared {
    fn describe(&self, _storage: Storage) -> Where {
        Where::Vault { name: self.vault.describe(), address: self.vault.address.clone(), path: self.vault.path.clone() }
    }

    fn secrets(&self, id: &CredentialId, stored: &Stored) -> std::result::Result<Secrets, Unreadable> {
        // A shared credential's secrets came with its record from Vault.
        stored.inline.clone().ok_or_else(|| Unreadable::Gone(format!("the shared credential `{id}` has no secrets")))
    }

    fn put(
        &self,
        id: &CredentialId,
        record: &Record,
        secrets: Secrets,
        expected: u64,
    ) -> Result<(Option<Secrets>, u64)> {
        match self.vault.write(Key::Credential(&id.host, &id.account), &vault_body(record, &secrets), expected)? {
            Written::Version(n) => Ok((Some(secrets), n)),
            Written::Conflict => Err(vault::conflict(&format!("`{id}`"))),
        }
    }

    fn remove(&self, id: &CredentialId, _stored: &Stored) -> Result<()> {
        self.vault.delete(Key::Credential(&id.host, &id.account))
    }

    fn begin_refresh<'s>(
        &'s self,
        held: &'s mut dyn Held,
        id: &CredentialId,
        _seen: &Stored,
        clock: &'s dyn Clock,
    ) -> Result<Box<dyn RefreshGuard + 's>> {
        // Processes on this machine queue on the local lock (`held`): one machine asks for one
        // lease.
        Ok(Box::new(LeaseGuard {
            shared: self,
            held,
            id: id.clone(),
            clock,
            version: 0,
            seen: None,
            lease: None,
            me: holder(),
        }))
    }
}

/// A lease entry as read: who holds it until when, and whether its refresh token was sent (when,
/// and the credential's version it was read at).
struct Lease {
    holder: String,
    deadline: DateTime<Utc>,
    spent: Option<(DateTime<Utc>, u64)>,
}

/// What a lease means to a machine at a time.
#[derive(Debug, PartialEq, Eq)]
enum LeaseState {
    /// Nobody holds it (or its holder's time is up, or it is this process's own).
    Free,
    /// Another process holds it until the deadline.
    Held { holder: String, deadline: DateTime<Utc> },
    /// Its deadline is further ahead than any lease (a broken clock or a hostile writer): expired.
    Unbelievable,
}

impl Lease {
    fn of(data: &serde_json::Value) -> Lease {
        let time = |k: &str| {
            data.get(k)
                .and_then(|x| x.as_str())
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        Lease {
            holder: data.get("holder").and_then(|h| h.as_str()).unwrap_or_default().to_string(),
            deadline: time("deadline").unwrap_or_default(),
            spent: time("spent").zip(data.get("credential_version").and_then(|v| v.as_u64())),
        }
    }

    /// SPEC §15: a lease lasts `[vault] lease`; a deadline more than that plus the skew
    /// allowance ahead counts as expired.
    fn state(&self, now: DateTime<Utc>, span: Duration, me: &str) -> LeaseState {
        let cap = chrono::Duration::from_std(span + LEASE_MARGIN).unwrap_or_default();
        if self.deadline > now + cap {
            return LeaseState::Unbelievable;
        }
        if self.deadline > now && !self.holder.is_empty() && self.holder != me {
            LeaseState::Held { holder: self.holder.clone(), deadline: self.deadline }
        } else {
            LeaseState::Free
        }
    }
}

/// The name a machine's process holds a lease under.
fn holder() -> String {
    use std::hash::{BuildHasher, Hasher};
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    format!("{host}/{}/{:016x}", std::process::id(), h.finish())
}

/// A refresh of a shared credential (SPEC §10): the local lock, then a lease taken with
/// check-and-set; the credential re-read inside it and refreshed only if still stale; written
/// back with check-and-set on the version read; the lease released. The refresh token is sent at
/// most once; a failed write after it is retried, never the refresh.
struct LeaseGuard<'s> {
    shared: &'s Shared,
    held: &'s mut dyn Held,
    id: CredentialId,
    clock: &'s dyn Clock,
    /// The credential's version last read.
    version: u64,
    /// What the first read under the local lock found.
    seen: Option<Stored>,
    /// The lease held: its version, its deadline, and whether the refresh token went out.
    lease: Option<(u64, DateTime<Utc>, bool)>,
    me: String,
}

impl LeaseGuard<'_> {
    /// A shared credential with its secrets, which came with it from Vault.
    fn open(&self, stored: &Stored) -> Result<Credential> {
        let secrets = self.shared.secrets(&self.id, stored).map_err(|u| u.into_error(&self.id.host))?;
        Ok(Credential { record: stored.record.clone(), secrets: remembered(secrets) })
    }

    fn key(&self) -> Key<'_> {
        Key::Lease(&self.id.host, &self.id.account)
    }

    fn release(&mut self) {
        if let Some((version, _, _)) = self.lease.take() {
            let body = serde_json::json!({"holder": "", "deadline": "1970-01-01T00:00:00Z"});
            let _ = self.shared.vault.write(self.key(), &body, version);
        }
    }

    /// This machine's view after the guard: its sinks on the record, the version read, and the
    /// shadow updated where this machine keeps one.
    fn settle(&mut self, cred: Credential) -> Result<Credential> {
        let id = &self.id;
        let sinks = self.held.data().credentials.get(id).map(|s| s.record.sinks.clone()).unwrap_or_default();
        let mut record = cred.record;
        record.sinks = sinks;
        let cred = Credential { record, secrets: cred.secrets };
        self.held.data_mut().versions.insert(id.clone(), self.version);
        let before = self.held.data().credentials.get(id).map(|s| s.record.clone());
        // Only a machine that logged in here (or wrote files for it) keeps a local shadow: one that
        // merely read the shared credential (`token`, `status`) has none, so its `refresh --all`
        // still writes what a login here would (SPEC §10; issue 23, item 10).
        if before.as_ref() != Some(&cred.record) && self.held.known_here(id)? {
            self.held
                .data_mut()
                .credentials
                .insert(id.clone(), Stored::shared(cred.record.clone(), cred.secrets.clone()));
            self.held.write()?;
        }
        Ok(cred)
    }

    /// Waits while another machine holds the lease, until the credential changes or the lease's
    /// deadline passes. `Some`: refreshed elsewhere and fresh.
    fn wait_for(&mut self, deadline: DateTime<Utc>, fresh: &dyn Fn(&Record) -> bool) -> Result<Option<Credential>> {
        let mut pause = Duration::from_millis(100);
        loop {
            self.clock.sleep(vault::jitter(pause));
            pause = (pause * 2).min(Duration::from_secs(1));
            // One small read per round: the entry's version from its metadata; the entry itself
            // only once it changed. A read that fails while the cluster elects a leader is tried
            // again until the lease's deadline.
            let changed = match self.shared.vault.version(Key::Credential(&self.id.host, &self.id.account)) {
                Ok(Some(v)) if v == self.version => Ok(None),
                Ok(_) => self.shared.read_one(&self.id).map(Some),
                Err(e) => Err(e),
            };
            match changed {
                Ok(None) => {}
                Ok(Some(x)) => match x {
                    // Refreshed elsewhere: used while fresh; stale again already (a long wait on
                    // short-lived tokens), another round under a lease.
                    (now, version) if version != self.version && fresh(&now.record) => {
                        self.version = version;
                        return Ok(Some(self.open(&now)?));
                    }
                    (_, version) if version != self.version => {
                        self.version = version;
                        return Ok(None);
                    }
                    _ => {}
                },
                Err(e) if self.clock.now() < deadline => {
                    crate::diag::debug(&format!("waiting on `{}`: {}", self.id, e.message))
                }
                Err(e) => return Err(e),
            }
            if self.clock.now() >= deadline {
                crate::diag::debug(&format!("{}: took over a lease whose holder did not finish", self.id));
                return Ok(None);
            }
        }
    }
}

impl RefreshGuard for LeaseGuard<'_> {
    fn current(&mut self) -> Result<Option<(Credential, bool)>> {
        let (now, version) = self.shared.read_one(&self.id)?;
        let changed = self.held.data().versions.get(&self.id).is_some_and(|v| *v != version);
        self.version = version;
        self.seen = Some(now.clone());
        Ok(Some((self.open(&now)?, changed)))
    }

    fn claim(&mut self, current: Credential, fresh: &dyn Fn(&Record) -> bool) -> Result<Claim> {
        let id = self.id.clone();
        let v = &self.shared.vault;
        let span = v.lease;
        let span_c = chrono::Duration::from_std(span).unwrap_or(chrono::Duration::seconds(90));
        let give_up = self.clock.now() + span_c;
        let clock = self.clock;
        let retry = |e: Error| -> Result<()> {
            if clock.now() < give_up {
                crate::diag::debug(&format!("Vault: {}; trying again", e.message));
                clock.sleep(Duration::from_millis(250));
                Ok(())
            } else {
                Err(e)
            }
        };
        loop {
            let lease = match v.read(self.key()) {
                Ok(l) => l,
                Err(e) => {
                    retry(e)?;
                    continue;
                }
            };
            let parsed = lease.as_ref().map(|l| Lease::of(&l.data));
            match parsed.as_ref().map(|l| l.state(self.clock.now(), span, &self.me)) {
                Some(LeaseState::Held { holder, deadline }) => {
                    crate::diag::debug(&format!(
                        "{id}: machine {holder} holds the refresh lease until {deadline}; waiting"
                    ));
                    if let Some(done) = self.wait_for(deadline, fresh)? {
                        return Ok(Claim::RefreshedElsewhere(done));
                    }
                    continue;
                }
                Some(LeaseState::Unbelievable) => {
                    crate::diag::debug(&format!("{id}: the lease's deadline is beyond any lease; taken as expired"));
                }
                Some(LeaseState::Free) | None => {}
            }
            // A lease that ended with its refresh token spent and no new credential written: the
            // holder sent the refresh token and never wrote the answer (suspended, killed, cut off).
            // Sending that refresh token again would make a server with reuse detection revoke the
            // grant (SPEC §6, §10), so this machine asks for a login instead, unless the holder's
            // write has appeared meanwhile.
            if let Some(Lease { spent: Some((at, spent_version)), holder, .. }) = &parsed {
                match self.shared.read_one(&id) {
                    Ok((now, version)) if version != *spent_version => {
                        if version != self.version && fresh(&now.record) {
                            self.version = version;
                            return Ok(Claim::RefreshedElsewhere(self.open(&now)?));
                        }
                        self.version = version;
                    }
                    Ok(_) => {
                        return Err(Error::refused(format!(
                                "the refresh token of `{id}` was sent by machine {} at {} and its answer never reached Vault; lanyard does not send a refresh token twice",
                                crate::secret::server_text(holder),
                                at.format("%Y-%m-%d %H:%M:%S UTC")
                            ),
                        )
                        .hint(format!("log in again on one machine: `lanyard login {} --force`", id.host)));
                    }
                    Err(e) => {
                        retry(e)?;
                        continue;
                    }
                }
            }
            let deadline = self.clock.now() + span_c;
            let body = serde_json::json!({"holder": self.me, "deadline": deadline.to_rfc3339()});
            match v.write(self.key(), &body, lease.map(|l| l.version).unwrap_or(0)) {
                Ok(Written::Version(n)) => {
                    self.lease = Some((n, deadline, false));
                    break;
                }
                Ok(Written::Conflict) => continue,
                Err(e) => retry(e)?,
            }
        }
        // Inside the lease: re-read (another machine may have refreshed meanwhile).
        let before = self.version;
        let (now, version) = self.shared.read_one(&id)?;
        self.version = version;
        let cred = self.open(&now)?;
        if version != before && fresh(&cred.record) {
            return Ok(Claim::RefreshedElsewhere(cred));
        }
        let _ = current;
        Ok(Claim::Mine(cred))
    }

    fn timeout(&self, wanted: Duration) -> Duration {
        // The refresh must end inside the lease (SPEC §15: its timeout is at most lease − 30 s).
        wanted.min(self.shared.vault.lease.saturating_sub(LEASE_MARGIN))
    }

    fn sending(&mut self) -> Result<()> {
        // Before the refresh token goes out, the lease says so (check-and-set on the lease's own
        // version): a machine that takes the lease over later knows not to send it again.
        let Some((lease_version, deadline, _)) = self.lease else { return Ok(()) };
        let body = serde_json::json!({
            "holder": self.me,
            "deadline": deadline.to_rfc3339(),
            "spent": self.clock.now().to_rfc3339(),
            "credential_version": self.version,
        });
        match self.shared.vault.write(self.key(), &body, lease_version) {
            Ok(Written::Version(n)) => {
                self.lease = Some((n, deadline, true));
                Ok(())
            }
            Ok(Written::Conflict) => {
                self.lease = None;
                Err(vault::conflict(&format!("the refresh lease of `{}`", self.id)))
            }
            Err(e) => Err(e),
        }
    }

    fn refused(&mut self) {
        // The server answered (it refused, or failed before using the token): the refresh token
        // was not rotated, and the lease is released as if unspent.
        if let Some(l) = self.lease.as_mut() {
            l.2 = false;
        }
    }

    fn commit(&mut self, next: Credential) -> Result<Credential> {
        // The refresh token is spent: the new one must reach Vault. A failed write (a leader
        // change, a restarting node) is retried until the lease's deadline; the refresh is never
        // repeated.
        let body = vault_body(&next.record, &next.secrets);
        let deadline = self.lease.map(|l| l.1).unwrap_or_else(|| self.clock.now());
        let key = Key::Credential(&self.id.host, &self.id.account);
        let mut pause = Duration::from_millis(100);
        let new_version = loop {
            match self.shared.vault.write(key, &body, self.version) {
                Ok(Written::Version(n)) => break n,
                Ok(Written::Conflict) => {
                    return Err(vault::conflict(&format!("`{}` (this machine's lease ran out)", self.id)));
                }
                Err(e) if self.clock.now() + chrono::Duration::seconds(1) < deadline => {
                    crate::diag::debug(&format!(
                        "writing the refreshed `{}` to Vault failed ({}); retrying",
                        self.id, e.message
                    ));
                    self.clock.sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                Err(e) => {
                    return Err(
                        e.hint("the refreshed token could not be stored; run `lanyard login` again on one machine")
                    );
                }
            }
        };
        if let Some(l) = self.lease.as_mut() {
            l.2 = false;
        }
        self.release();
        self.version = new_version;
        self.settle(next)
    }

    fn keep(&mut self, cred: Credential, _refreshed: bool) -> Result<Credential> {
        self.release();
        self.settle(cred)
    }
}

impl Drop for LeaseGuard<'_> {
    fn drop(&mut self) {
        // A lease whose refresh token went out without an answer keeps its mark; any other is
        // released.
        if self.lease.is_some_and(|l| !l.2) {
            self.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_held_only_by_another_until_a_believable_deadline() {
        let now: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let span = Duration::from_secs(90);
        let at = |secs: i64, holder: &str| Lease {
            holder: holder.into(),
            deadline: now + chrono::Duration::seconds(secs),
            spent: None,
        };
        assert_eq!(
            at(60, "b").state(now, span, "a"),
            LeaseState::Held { holder: "b".into(), deadline: now + chrono::Duration::seconds(60) }
        );
        assert_eq!(at(60, "a").state(now, span, "a"), LeaseState::Free, "one's own lease");
        assert_eq!(at(-1, "b").state(now, span, "a"), LeaseState::Free, "run out");
        assert_eq!(at(60, "").state(now, span, "a"), LeaseState::Free, "released");
        assert_eq!(
            at(120, "b").state(now, span, "a"),
            LeaseState::Held { holder: "b".into(), deadline: now + chrono::Duration::seconds(120) }
        );
        assert_eq!(at(121, "b").state(now, span, "a"), LeaseState::Unbelievable, "past lease + 30 s");
    }
}
