//! The record of where a credential was written: the kind of file and its place, as the store
//! keeps it. A leaf type: the credential model names it without knowing how a sink is written.

use std::path::PathBuf;

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
    /// npm's user config, the line `KEY:_authToken=TOKEN`.
    Npm {
        /// The file.
        path: PathBuf,
        /// The registry's key (`//npm.pkg.github.com/`).
        key: String,
    },
    /// pnpm's token helper for a registry in npm's user config (`KEY:tokenHelper=LAUNCHER`): no
    /// copy of the token, a launcher under the config dir that asks lanyard at each run.
    Pnpm {
        /// npm's user config.
        path: PathBuf,
        /// The registry's key.
        key: String,
        /// The launcher.
        launcher: PathBuf,
    },
    /// `~/.netrc` (curl, pip, uv, Poetry, Go), the entry `machine MACHINE`.
    Netrc {
        /// The file.
        path: PathBuf,
        /// The machine name (the credential's host, or the one `--host` named).
        machine: String,
    },
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
    /// `~/.netrc`.
    pub const NETRC: &'static str = "netrc";
    /// `~/.npmrc`.
    pub const NPM: &'static str = "npm";
    /// pnpm's token helper line.
    pub const PNPM: &'static str = "pnpm";

    /// The kind's name, as in the store and `status --json`.
    pub fn kind(&self) -> &'static str {
        match self {
            Sink::Nix { .. } => Sink::NIX,
            Sink::Skillsctl { .. } => Sink::SKILLSCTL,
            Sink::Duumbi { .. } => Sink::DUUMBI,
            Sink::Git { .. } => Sink::GIT,
            Sink::Netrc { .. } => Sink::NETRC,
            Sink::Npm { .. } => Sink::NPM,
            Sink::Pnpm { .. } => Sink::PNPM,
        }
    }

    /// Where it is: a path, or git's URL.
    pub fn location(&self) -> String {
        match self {
            Sink::Nix { tokens: p }
            | Sink::Skillsctl { path: p }
            | Sink::Duumbi { path: p, .. }
            | Sink::Netrc { path: p, .. }
            | Sink::Npm { path: p, .. }
            | Sink::Pnpm { path: p, .. } => p.display().to_string(),
            Sink::Git { base } => base.clone(),
        }
    }

    /// The file it is, when it is one (not git's config).
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Sink::Nix { tokens: p }
            | Sink::Skillsctl { path: p }
            | Sink::Duumbi { path: p, .. }
            | Sink::Netrc { path: p, .. }
            | Sink::Npm { path: p, .. }
            | Sink::Pnpm { path: p, .. } => Some(p),
            Sink::Git { .. } => None,
        }
    }

    /// The store's form of version 1, `KIND:LOCATION`.
    pub fn to_wire(&self) -> String {
        match self {
            Sink::Netrc { path, machine } => format!("{}:machine={machine},path={}", self.kind(), path.display()),
            Sink::Npm { path, key } => format!("{}:key={key},path={}", self.kind(), path.display()),
            Sink::Pnpm { path, key, launcher } => {
                format!("{}:key={key},launcher={},path={}", self.kind(), launcher.display(), path.display())
            }
            Sink::Nix { .. } | Sink::Skillsctl { .. } | Sink::Duumbi { .. } | Sink::Git { .. } => {
                format!("{}:{}", self.kind(), self.location())
            }
        }
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
            Sink::NETRC => {
                let (machine, p) = rest
                    .strip_prefix("machine=")
                    .and_then(|r| r.split_once(",path="))
                    .ok_or_else(|| format!("sink `{text}` is not netrc:machine=HOST,path=PATH"))?;
                let p = PathBuf::from(p);
                if !p.is_absolute() || machine.is_empty() {
                    return Err(format!("sink `{text}` has a relative path or no machine"));
                }
                Ok(Sink::Netrc { path: p, machine: machine.to_string() })
            }
            Sink::NPM => {
                let (key, p) = rest
                    .strip_prefix("key=")
                    .and_then(|r| r.split_once(",path="))
                    .ok_or_else(|| format!("sink `{text}` is not npm:key=//HOST/PATH/,path=PATH"))?;
                let p = PathBuf::from(p);
                if !p.is_absolute() || !key.starts_with("//") {
                    return Err(format!("sink `{text}` has a relative path or no registry key"));
                }
                Ok(Sink::Npm { path: p, key: key.to_string() })
            }
            Sink::PNPM => {
                let bad = || format!("sink `{text}` is not pnpm:key=//HOST/PATH/,launcher=PATH,path=PATH");
                let (key, rest) = rest.strip_prefix("key=").and_then(|r| r.split_once(",launcher=")).ok_or_else(bad)?;
                let (launcher, p) = rest.split_once(",path=").ok_or_else(bad)?;
                let (p, launcher) = (PathBuf::from(p), PathBuf::from(launcher));
                if !p.is_absolute() || !launcher.is_absolute() || !key.starts_with("//") {
                    return Err(bad());
                }
                Ok(Sink::Pnpm { path: p, key: key.to_string(), launcher })
            }
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
            Sink::Netrc { .. } => Sink::NETRC,
            Sink::Npm { .. } => Sink::NPM,
            Sink::Pnpm { .. } => Sink::PNPM,
        }
    }

    /// Whether the copy lives in a file (git's helper holds no copy).
    pub fn holds_copy(&self) -> bool {
        !matches!(self, Sink::Git { .. } | Sink::Pnpm { .. })
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
            Sink::Netrc { path, machine } => format!("{} (netrc, `machine {machine}`)", path.display()),
            Sink::Npm { path, key } => format!("{} (npm, `{key}:_authToken`)", path.display()),
            Sink::Pnpm { path, key, launcher } => {
                format!("{} (pnpm, `{key}:tokenHelper` runs {})", path.display(), launcher.display())
            }
        }
    }
}
