//! Other tools' files that lanyard writes credentials into. Each edit goes through
//! [`crate::fsutil`]: locked, atomic, backed up, and limited to the lines it means to change.
//!
//! [`Sink`] is the one place that knows the kinds: a new consumer is a module here plus one arm
//! in each `match` below. [`Plan`] is a sink a login is about to write, checked before anything
//! is stored.

pub mod duumbi;
pub mod git;
pub mod nix;
pub mod nixconf;
pub mod skillsctl;

use std::path::PathBuf;

use crate::credential::{Credential, Record, Secrets};
use crate::env::Env;
use crate::error::Result;
use crate::provider::Provider;
use crate::secret::Secret;
use crate::ui;

/// A file (or config entry) of another tool that holds a copy of a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// Nix's `access-tokens` include, `access-tokens.conf`.
    Nix {
        /// The include file.
        tokens: PathBuf,
    },
    /// skillsctl's `credentials.json`.
    Skillsctl {
        /// The file.
        path: PathBuf,
    },
    /// duumbi's `credentials.toml`, under `[registries.NAME]`.
    Duumbi {
        /// The file.
        path: PathBuf,
        /// The registry name.
        name: String,
    },
    /// lanyard as git's credential helper for one URL in the global git config (no copy of the
    /// secret; recorded so that logout removes the helper).
    Git {
        /// `scheme://host[:port]`.
        base: String,
    },
}

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
    /// The kind names, as in the store and `status --json`.
    pub const NIX: &'static str = "nix";
    /// skillsctl's file.
    pub const SKILLSCTL: &'static str = "skillsctl";
    /// duumbi's file.
    pub const DUUMBI: &'static str = "duumbi";
    /// git's config.
    pub const GIT: &'static str = "git";

    /// The kind's name, as in the store and `status --json`.
    pub fn kind(&self) -> &'static str {
        match self {
            Sink::Nix { .. } => Sink::NIX,
            Sink::Skillsctl { .. } => Sink::SKILLSCTL,
            Sink::Duumbi { .. } => Sink::DUUMBI,
            Sink::Git { .. } => Sink::GIT,
        }
    }

    /// Where it is: a path, or git's URL.
    pub fn location(&self) -> String {
        match self {
            Sink::Nix { tokens: p } | Sink::Skillsctl { path: p } | Sink::Duumbi { path: p, .. } => {
                p.display().to_string()
            }
            Sink::Git { base } => base.clone(),
        }
    }

    /// The file it is, when it is one (not git's config).
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Sink::Nix { tokens: p } | Sink::Skillsctl { path: p } | Sink::Duumbi { path: p, .. } => Some(p),
            Sink::Git { .. } => None,
        }
    }

    /// The store's form of version 1, `KIND:LOCATION`.
    pub fn to_wire(&self) -> String {
        format!("{}:{}", self.kind(), self.location())
    }

    /// Reads the store's `KIND:LOCATION`; a duumbi sink takes its registry name from the record.
    pub fn from_wire(text: &str, duumbi_name: Option<&str>) -> std::result::Result<Sink, String> {
        let (kind, rest) = text.split_once(':').ok_or_else(|| format!("sink `{text}` is not KIND:LOCATION"))?;
        let path = || {
            let p = PathBuf::from(rest);
            if p.is_absolute() { Ok(p) } else { Err(format!("sink `{text}` has a relative path")) }
        };
        match kind {
            Sink::NIX => Ok(Sink::Nix { tokens: path()? }),
            Sink::SKILLSCTL => Ok(Sink::Skillsctl { path: path()? }),
            Sink::DUUMBI => Ok(Sink::Duumbi {
                path: path()?,
                name: duumbi_name.ok_or_else(|| format!("sink `{text}` needs the credential's `name`"))?.to_string(),
            }),
            Sink::GIT => Ok(Sink::Git { base: rest.to_string() }),
            other => Err(format!("unknown sink kind `{other}`")),
        }
    }

    /// The tool that reads the copy, as messages name it.
    pub fn tool(&self) -> &'static str {
        match self {
            Sink::Nix { .. } => "Nix",
            Sink::Skillsctl { .. } => "skillsctl",
            Sink::Duumbi { .. } => "duumbi",
            Sink::Git { .. } => "git",
        }
    }

    /// Whether the copy lives in a file (git's helper holds no copy).
    pub fn holds_copy(&self) -> bool {
        !matches!(self, Sink::Git { .. })
    }

    /// One line for dry runs and `status`: the file and what in it is lanyard's.
    pub fn describe(&self, host: Option<&str>) -> String {
        match self {
            Sink::Nix { tokens } => {
                format!("{} (Nix `access-tokens`, the `{}` entry)", tokens.display(), host.unwrap_or("HOST"))
            }
            Sink::Skillsctl { path } => format!("{} (skillsctl's credentials)", path.display()),
            Sink::Duumbi { path, name } => format!("{} (duumbi's credentials, `[registries.{name}]`)", path.display()),
            Sink::Git { base } => format!("the global git config (lanyard's credential helper for {base})"),
        }
    }

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
    ) -> Result<()> {
        match held.map(|(p, s)| self.inspect(p, record, s)) {
            Some(Ok(Holds::Other)) => ui::say(&format!(
                "Left {}: it holds another token now, not lanyard's.",
                self.describe(record.site().ok().and_then(|s| nix::nix_host(&s)).as_deref())
            )),
            Some(Ok(Holds::Gone)) if !matches!(self, Sink::Git { .. }) => {}
            _ => self.remove_entry(env, record)?,
        }
        if let (Some(t), Sink::Nix { tokens: p } | Sink::Skillsctl { path: p } | Sink::Duumbi { path: p, .. }) =
            (token, self)
        {
            let lock = crate::fsutil::Lock::acquire(p)?;
            for gone in crate::fsutil::purge_leftovers(&lock, &[t.expose_secret()]) {
                ui::say(&format!("  Deleted {}, which held the token.", gone.display()));
            }
        }
        Ok(())
    }

    fn remove_entry(&self, env: &Env, record: &Record) -> Result<()> {
        match self {
            Sink::Nix { tokens } => {
                let Some(host) = record.site().ok().and_then(|s| nix::nix_host(&s)) else { return Ok(()) };
                if nix::remove(tokens, &host)? {
                    ui::say(&format!("Nix: removed the token for {host} from {}.", tokens.display()));
                }
                if let Some((_, origin)) = nix::effective(env).tokens.get(&host) {
                    ui::warn(&format!(
                        "Nix still finds a token for {host} at {origin}; lanyard did not write it and leaves it there"
                    ));
                }
            }
            Sink::Skillsctl { path } => {
                skillsctl::remove(path)?;
                ui::say(&format!("skillsctl: removed {}.", path.display()));
            }
            Sink::Duumbi { path, name } => {
                if duumbi::remove(path, name)? {
                    ui::say(&format!("duumbi: removed `[registries.{name}]` from {}.", path.display()));
                }
            }
            Sink::Git { base } => {
                git::remove_helper(base)?;
                ui::say(&format!("git: removed lanyard's credential helper for {base}."));
            }
        }
        Ok(())
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
    Nix(nix::Paths, String, Secret),
    /// skillsctl's file.
    Skillsctl(PathBuf),
    /// duumbi's file under a registry name.
    Duumbi(PathBuf, String),
}

impl Plan {
    /// The sink it becomes once written.
    pub fn sink(&self) -> Sink {
        match self {
            Plan::Nix(paths, ..) => Sink::Nix { tokens: paths.tokens.clone() },
            Plan::Skillsctl(path) => Sink::Skillsctl { path: path.clone() },
            Plan::Duumbi(path, name) => Sink::Duumbi { path: path.clone(), name: name.clone() },
        }
    }

    /// One line for a dry run: every file it would change.
    pub fn describe(&self) -> String {
        match self {
            Plan::Nix(paths, host, _) => format!(
                "{} (Nix `access-tokens`, as `{host}=…`; {} gets `!include {}` unless it has it)",
                paths.tokens.display(),
                paths.conf.display(),
                nix::TOKENS_FILE
            ),
            other => other.sink().describe(None),
        }
    }

    /// Writes the credential and returns the sink to record.
    pub fn write(&self, env: &Env, cred: &Credential) -> Result<Sink> {
        match self {
            Plan::Nix(paths, host, value) => nix::write_reporting(env, paths, host, value)?,
            Plan::Skillsctl(path) => {
                skillsctl::write(path, &skillsctl::entry(cred)?)?;
                ui::say(&format!("skillsctl: credentials written to {}.", path.display()));
            }
            Plan::Duumbi(path, name) => {
                duumbi::set(path, name, &cred.secrets.token)?;
                ui::say(&format!("duumbi: token written to {} as `[registries.{name}]`.", path.display()));
                let keys = duumbi::top_level_keys(path);
                if !keys.is_empty() {
                    ui::warn(&format!(
                        "the duumbi CLI cannot read {} in {} while the file has a `[registries]` table (it reads the top-level keys as a flat map, and that read fails): `duumbi provider list` shows them not ready. lanyard keeps them byte for byte; they work again once the last registry is logged out (`lanyard logout` removes the table with it)",
                        keys.join(", "),
                        path.display()
                    ));
                }
            }
        }
        Ok(self.sink())
    }
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
        ] {
            assert_eq!(Sink::from_wire(&s.to_wire(), Some("myreg")).unwrap(), s);
        }
        assert!(Sink::from_wire("nix:relative/path", None).is_err());
        assert!(Sink::from_wire("duumbi:/x", None).is_err());
        assert!(Sink::from_wire("ftp:/x", None).is_err());
    }
}
