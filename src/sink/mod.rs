//! Other tools' files that lanyard writes credentials into. Each edit goes through
//! [`crate::fsutil`]: locked, atomic, backed up, and limited to the lines it means to change.
//!
//! [`Sink`] is the one place that knows the kinds: a new consumer is a module here plus one arm
//! in each `match` below. [`Plan`] is a sink a login is about to write, checked before anything
//! is stored.

pub mod cargo;
pub mod docker;
pub mod duumbi;
pub mod git;
pub mod kube;
pub mod netrc;
pub mod nix;
pub mod nixconf;
pub mod npm;
pub mod program;
pub mod record;
pub mod skillsctl;

pub use self::record::Sink;

use std::path::PathBuf;

use crate::credential::{Credential, Record, Secrets};
use crate::diag::Note;
use crate::env::Env;
use crate::error::Result;
use crate::provider::Provider;
use crate::secret::Secret;

/// Whether lanyard's copy is still where it wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The file holds lanyard's current token (or git still names lanyard's helper).
    Ours,
    /// The entry is there with another value: another tool changed it.
    Other,
    /// The entry (or the file) is gone.
    Gone,
}

impl Sink {
    /// Writes a refreshed token where the old one was.
    pub fn rewrite(&self, provider: &Provider, cred: &Credential) -> Result<()> {
        let r = &cred.record;
        match self {
            Sink::Nix { tokens } => {
                let site = r.site()?;
                if let (Some(host), Some(value)) =
                    (nix::nix_host(&site), nix::entry_value(provider.nix, r.kind, &cred.secrets.token))
                {
                    nix::check_token(&cred.secrets.token)?;
                    nix::replace(tokens, &host, &value)?;
                }
                Ok(())
            }
            Sink::Skillsctl { path } => skillsctl::write(path, &skillsctl::entry(cred)?),
            Sink::Duumbi { path, name } => duumbi::set(path, name, &cred.secrets.token),
            Sink::Git { .. } => Ok(()),
            Sink::Netrc { path, machine } => {
                netrc::set(path, machine, &netrc_login(provider, r), cred.secrets.token.expose_secret())
            }
            Sink::Npm { path, key } => npm::set(path, key, cred.secrets.token.expose_secret()),
            // The launcher asks lanyard at each run: nothing to rewrite.
            Sink::Pnpm { .. } => Ok(()),
        }
    }

    /// Removes lanyard's copy, saying what it did, then the temp files interrupted runs left
    /// beside the file and the backups lanyard made that still hold `token` (listed).
    ///
    /// With `held` (the provider and the secrets lanyard wrote), an entry is removed only while it
    /// still holds lanyard's token: another tool's token there now (duumbi's own login, say) is
    /// left as it is, and said so.
    pub fn remove(
        &self,
        env: &Env,
        record: &Record,
        token: Option<&Secret>,
        held: Option<(&Provider, &Secrets)>,
    ) -> Result<Vec<Note>> {
        let mut notes = Vec::new();
        match held.map(|(p, s)| self.inspect(p, record, s)) {
            Some(Ok(Holds::Other)) => notes.push(Note::Did(format!(
                "Left {}: it holds another token now, not lanyard's.",
                self.describe(record.site().ok().and_then(|s| nix::nix_host(&s)).as_deref())
            ))),
            Some(Ok(Holds::Gone)) if !matches!(self, Sink::Git { .. }) => {}
            _ => notes.extend(self.remove_entry(env, record)?),
        }
        if let (
            Some(t),
            Sink::Nix { tokens: p }
            | Sink::Skillsctl { path: p }
            | Sink::Duumbi { path: p, .. }
            | Sink::Netrc { path: p, .. }
            | Sink::Npm { path: p, .. },
        ) = (token, self)
        {
            let lock = crate::fsutil::Lock::acquire(p)?;
            for gone in crate::fsutil::purge_leftovers(&lock, &[t.expose_secret()]) {
                notes.push(Note::Did(format!("  Deleted {}, which held the token.", gone.display())));
            }
        }
        Ok(notes)
    }

    fn remove_entry(&self, env: &Env, record: &Record) -> Result<Vec<Note>> {
        let mut notes = Vec::new();
        match self {
            Sink::Nix { tokens } => {
                let Some(host) = record.site().ok().and_then(|s| nix::nix_host(&s)) else { return Ok(notes) };
                if nix::remove(tokens, &host)? {
                    notes.push(Note::Did(format!("Nix: removed the token for {host} from {}.", tokens.display())));
                }
                if let Some((_, origin)) = nix::effective(env).tokens.get(&host) {
                    notes.push(Note::Warning(format!(
                        "Nix still finds a token for {host} at {origin}; lanyard did not write it and leaves it there"
                    )));
                }
            }
            Sink::Skillsctl { path } => {
                skillsctl::remove(path)?;
                notes.push(Note::Did(format!("{}: removed {}.", self.tool(), path.display())));
            }
            Sink::Duumbi { path, name } => {
                if duumbi::remove(path, name)? {
                    notes.push(Note::Did(format!(
                        "{}: removed `[registries.{name}]` from {}.",
                        self.tool(),
                        path.display()
                    )));
                }
            }
            Sink::Netrc { path, machine } => {
                if netrc::remove(path, machine)? {
                    notes.push(Note::Did(format!(
                        "{}: removed `machine {machine}` from {}.",
                        self.tool(),
                        path.display()
                    )));
                }
            }
            Sink::Pnpm { path, key, launcher } => {
                if npm::remove_setting(path, key, npm::HELPER)? {
                    notes.push(Note::Did(format!(
                        "{}: removed `{key}:tokenHelper` from {}.",
                        self.tool(),
                        path.display()
                    )));
                }
                let _ = std::fs::remove_file(launcher);
            }
            Sink::Npm { path, key } => {
                if npm::remove(path, key)? {
                    notes.push(Note::Did(format!(
                        "{}: removed `{key}:_authToken` from {}.",
                        self.tool(),
                        path.display()
                    )));
                }
            }
            Sink::Git { base } => {
                git::remove_helper(base)?;
                notes.push(Note::Did(format!("{}: removed lanyard's credential helper for {base}.", self.tool())));
            }
        }
        Ok(notes)
    }

    /// What the file holds now compared with lanyard's copy (`secrets` of the credential).
    pub fn inspect(&self, provider: &Provider, record: &Record, secrets: &Secrets) -> Result<Holds> {
        let same = |found: Option<String>, want: Option<&str>| match (found, want) {
            (None, _) => Holds::Gone,
            (Some(f), Some(w)) if f == w => Holds::Ours,
            (Some(_), _) => Holds::Other,
        };
        Ok(match self {
            Sink::Nix { tokens } => {
                let site = record.site()?;
                let Some(host) = nix::nix_host(&site) else { return Ok(Holds::Gone) };
                let want = nix::entry_value(provider.nix, record.kind, &secrets.token);
                same(nix::lookup(tokens, &host)?, want.as_ref().map(Secret::expose_secret))
            }
            Sink::Skillsctl { path } => {
                same(skillsctl::id_token(path)?, secrets.id_token.as_ref().map(Secret::expose_secret))
            }
            Sink::Duumbi { path, name } => same(duumbi::token(path, name)?, Some(secrets.token.expose_secret())),
            Sink::Netrc { path, machine } => {
                same(netrc::lookup(path, machine)?.and_then(|(_, p)| p), Some(secrets.token.expose_secret()))
            }
            Sink::Npm { path, key } => same(npm::token(path, key)?, Some(secrets.token.expose_secret())),
            Sink::Pnpm { path, key, launcher } => {
                same(npm::get(path, key, npm::HELPER)?, Some(&launcher.to_string_lossy()))
            }
            Sink::Git { base } => {
                if git::has_helper(base)? {
                    Holds::Ours
                } else {
                    Holds::Gone
                }
            }
        })
    }
}

/// A sink a login will write, checked (`preflight`) when the plan is made, before anything is
/// stored.
#[derive(Debug)]
pub enum Plan {
    /// The Nix include, as `host=value`.
    Nix(nix::Planned),
    /// skillsctl's file.
    Skillsctl(PathBuf),
    /// duumbi's file under a registry name.
    Duumbi(PathBuf, String),
}

impl Plan {
    /// The Nix plan of a token (see [`nix::plan`]): none for a provider without a Nix format,
    /// `no_nix`, or a site with a port.
    pub fn nix(
        env: &Env,
        nix_conf: Option<&std::path::Path>,
        provider: &Provider,
        site: &crate::provider::Site,
        kind: crate::credential::TokenKind,
        token: &Secret,
        no_nix: bool,
    ) -> Result<Option<Plan>> {
        Ok(nix::plan(env, nix_conf, provider, site, kind, token, no_nix)?.map(Plan::Nix))
    }

    /// The sink it becomes once written.
    pub fn sink(&self) -> Sink {
        match self {
            Plan::Nix(p) => Sink::Nix { tokens: p.paths.tokens.clone() },
            Plan::Skillsctl(path) => Sink::Skillsctl { path: path.clone() },
            Plan::Duumbi(path, name) => Sink::Duumbi { path: path.clone(), name: name.clone() },
        }
    }

    /// One line for a dry run: every file it would change.
    pub fn describe(&self) -> String {
        match self {
            Plan::Nix(p) => format!(
                "{} (Nix `access-tokens`, as `{}=…`; {} gets `!include {}` unless it has it)",
                p.paths.tokens.display(),
                p.host,
                p.paths.conf.display(),
                nix::TOKENS_FILE
            ),
            other => other.sink().describe(None),
        }
    }

    /// Writes the credential; returns the sink to record and what to tell.
    pub fn write(&self, env: &Env, cred: &Credential) -> Result<(Sink, Vec<Note>)> {
        let mut notes = Vec::new();
        match self {
            Plan::Nix(p) => notes = nix::write_reporting(env, &p.paths, &p.host, &p.value)?,
            Plan::Skillsctl(path) => {
                skillsctl::write(path, &skillsctl::entry(cred)?)?;
                notes.push(Note::Did(format!("{}: credentials written to {}.", self.sink().tool(), path.display())));
            }
            Plan::Duumbi(path, name) => {
                duumbi::set(path, name, &cred.secrets.token)?;
                notes.push(Note::Did(format!(
                    "{}: token written to {} as `[registries.{name}]`.",
                    self.sink().tool(),
                    path.display()
                )));
                let keys = duumbi::top_level_keys(path);
                if !keys.is_empty() {
                    notes.push(Note::Warning(format!(
                        "the duumbi CLI cannot read {} in {} while the file has a `[registries]` table (it reads the top-level keys as a flat map, and that read fails): `duumbi provider list` shows them not ready. lanyard keeps them byte for byte; they work again once the last registry is logged out (`lanyard logout` removes the table with it)",
                        keys.join(", "),
                        path.display()
                    )));
                }
            }
        }
        Ok((self.sink(), notes))
    }
}

/// The user name a netrc entry pairs with the token: what HTTP Basic sends for the family (the
/// same as git's).
pub fn netrc_login(provider: &Provider, record: &Record) -> String {
    provider.family.basic_user(record.kind == crate::credential::TokenKind::Oauth, record.user.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_round_trips() {
        for s in [
            Sink::Nix { tokens: "/h/.config/nix/access-tokens.conf".into() },
            Sink::Skillsctl { path: "/h/.config/skillsctl/credentials.json".into() },
            Sink::Duumbi { path: "/h/.duumbi/credentials.toml".into(), name: "myreg".into() },
            Sink::Git { base: "http://127.0.0.1:8080".into() },
            Sink::Netrc { path: "/h/.netrc".into(), machine: "127.0.0.1:8080".into() },
            Sink::Npm { path: "/h/.npmrc".into(), key: "//npm.pkg.github.com/".into() },
            Sink::Pnpm { path: "/h/.npmrc".into(), key: "//r.example/".into(), launcher: "/c/helpers/pnpm-x".into() },
        ] {
            assert_eq!(Sink::from_wire(&s.to_wire(), Some("myreg")).unwrap(), s);
        }
        assert!(Sink::from_wire("nix:relative/path", None).is_err());
        assert!(Sink::from_wire("duumbi:/x", None).is_err());
        assert!(Sink::from_wire("ftp:/x", None).is_err());
    }
}
