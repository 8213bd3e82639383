//! The set of known providers: the built-in files, overridden by the user's, and how a TARGET
//! (alias, host or URL) becomes a site and a provider.

use std::path::Path;

use super::{Family, Provider, Site, Source};
use crate::credential::Record;
use crate::error::{Error, Result};

/// The files of `providers/`, compiled in. `tests/providers.rs` fails when one is missing here.
pub const BUILTIN: &[(&str, &str)] = &[
    ("github.toml", include_str!("../../providers/github.toml")),
    ("gitlab.toml", include_str!("../../providers/gitlab.toml")),
    ("gitea.toml", include_str!("../../providers/gitea.toml")),
    ("codeberg.toml", include_str!("../../providers/codeberg.toml")),
    ("forgejo.toml", include_str!("../../providers/forgejo.toml")),
    ("duumbi.toml", include_str!("../../providers/duumbi.toml")),
];

/// Built-in and user providers; user files replace built-ins with the same id.
#[derive(Debug, Clone)]
pub struct Registry {
    providers: Vec<Provider>,
}

/// A resolved TARGET: where to talk to, and (when known) which provider speaks for it.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The server.
    pub site: Site,
    /// The provider, or `None` when it must be detected.
    pub provider: Option<Provider>,
}

impl Registry {
    /// Loads the built-ins and `<config-dir>/providers/*.toml`. An invalid user file is a usage
    /// error naming the file and field.
    pub fn load(config_dir: &Path) -> Result<Registry> {
        let mut providers: Vec<Provider> = BUILTIN
            .iter()
            .map(|(name, text)| {
                Provider::parse(text, Source::Builtin(name))
                    .unwrap_or_else(|e| panic!("built-in provider {name} is invalid (a bug): {e}"))
            })
            .collect();
        let dir = config_dir.join("providers");
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(entries) => {
                entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect()
            }
            Err(_) => Vec::new(),
        };
        files.sort();
        for path in files {
            // Opened once and checked on the descriptor: a symlink swapped in `providers/` after a
            // check by path can never be the file read (SPEC §6, N4).
            // A dangling link is no file.
            let Some(text) = crate::fsutil::read_trusted(&path)? else {
                continue;
            };
            let p = Provider::parse(&text, Source::User(path.clone()))?;
            // An override keeps the built-in's place (menus list providers in this order); a new
            // id goes last, where host lookups find it first.
            match providers.iter().position(|b| b.id == p.id) {
                Some(i) => providers[i] = p,
                None => providers.push(p),
            }
        }
        Ok(Registry { providers })
    }

    /// Every provider, built-ins first.
    pub fn all(&self) -> &[Provider] {
        &self.providers
    }

    /// The provider with this id.
    pub fn by_id(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// The provider that lists this host (user files win over built-ins).
    pub fn by_host(&self, key: &str) -> Option<&Provider> {
        self.providers.iter().rev().find(|p| p.hosts.iter().any(|h| h == key))
    }

    /// The provider that speaks for a stored credential: the one it was logged in with when it
    /// still serves the host (with its CA file and endpoints), else its family's defaults.
    pub fn for_credential(&self, key: &str, record: &Record) -> Provider {
        self.by_id(&record.provider)
            .filter(|p| p.serves(key))
            .cloned()
            .unwrap_or_else(|| Provider::for_family(record.family))
    }

    /// The container registries a stored credential's provider file lists (`registries`): none
    /// for a family's defaults, so nothing is parsed for them.
    pub fn registries_of(&self, key: &str, record: &Record) -> Vec<String> {
        self.by_id(&record.provider).filter(|p| p.serves(key)).map(|p| p.registries.clone()).unwrap_or_default()
    }

    /// What `lanyard login` offers without a target: each provider with a default host, as the
    /// name to type and a label (`github — GitHub (github.com)`).
    pub fn menu(&self) -> Vec<(String, String)> {
        self.providers
            .iter()
            .filter_map(|p| {
                let host = p.default_host()?;
                let name = p.aliases.first().cloned().unwrap_or_else(|| p.id.clone());
                Some((name.clone(), format!("{name} — {} ({host})", p.name)))
            })
            .collect()
    }

    /// The known alias or id nearest to a mistyped name (at most two edits away).
    pub fn closest(&self, name: &str) -> Option<String> {
        let names = self.providers.iter().flat_map(|p| std::iter::once(p.id.clone()).chain(p.aliases.iter().cloned()));
        closest(name, names.chain(Family::ALL.iter().map(|f| f.as_str().to_string())))
    }

    fn by_alias(&self, alias: &str) -> Option<&Provider> {
        self.providers.iter().rev().find(|p| p.aliases.iter().any(|a| a == alias))
    }

    /// The provider `--provider KIND` names for a site: a provider id that serves the host, else
    /// a family's defaults.
    pub fn for_kind(&self, kind: &str, key: &str) -> Result<Provider> {
        if let Some(p) = self.by_id(kind).filter(|p| p.serves(key)) {
            return Ok(p.clone());
        }
        if let Some(f) = Family::parse(kind) {
            return Ok(Provider::for_family(f));
        }
        if let Some(p) = self.by_id(kind) {
            return Err(Error::usage(format!("provider `{}` serves {}, not `{key}`", p.id, p.hosts.join(", ")))
                .hint(format!("use a family instead: --provider {}", p.family.as_str())));
        }
        Err(unknown_provider(kind))
    }

    /// Resolves TARGET: an alias, a host or a URL. `explicit` is `--provider`; `remembered`
    /// looks up the provider id stored for a host key.
    pub fn resolve(
        &self,
        target: &str,
        explicit: Option<&str>,
        remembered: impl Fn(&str) -> Option<String>,
    ) -> Result<Resolved> {
        let alias_like = !target.contains(['.', ':', '/', '[']);
        if alias_like && target != "localhost" {
            let Some(p) = self.by_alias(target).or_else(|| self.by_id(target)) else {
                // A family's name (`duh`, `oidc`, `basic`) names a kind of server, not one server.
                if let Some(f) = crate::provider::Family::ALL.iter().find(|f| f.as_str() == target) {
                    return Err(Error::usage(format!("`{target}` is a kind of server, not a server"))
                        .hint(format!("pass the server's address and `--provider {}`", f.as_str())));
                }
                let e = Error::usage(format!("`{target}` is not a provider alias, host or URL"));
                let e = match self.closest(target) {
                    // The suggestion names the target only: the command typed may be any of them.
                    Some(near) => e.hint(format!("did you mean `{near}`?")),
                    None => e,
                };
                return Err(e.hint("`lanyard providers` lists the aliases; give a host such as `git.example.com`"));
            };
            let Some(host) = p.default_host() else {
                return Err(Error::usage(format!("provider `{}` has no default host", p.id))
                    .hint(format!("name the server: lanyard login git.example.com --provider {}", p.id)));
            };
            let site = Site::parse(host)?;
            let provider = match explicit {
                Some(k) => self.for_kind(k, &site.key())?,
                None => p.clone(),
            };
            return Ok(Resolved { site, provider: Some(provider) });
        }
        let site = Site::parse(target)?;
        let key = site.key();
        let provider = match explicit {
            Some(k) => Some(self.for_kind(k, &key)?),
            None => match self.by_host(&key) {
                Some(p) => Some(p.clone()),
                None => remembered(&key).map(|id| {
                    self.by_id(&id)
                        .filter(|p| p.serves(&key))
                        .cloned()
                        .or_else(|| Family::parse(&id).map(Provider::for_family))
                        .unwrap_or_else(|| Provider::for_family(Family::Token))
                }),
            },
        };
        Ok(Resolved { site, provider })
    }
}

/// Every name `--provider` takes without a user file: the built-in provider ids and the families,
/// sorted (shell completion offers them).
pub fn kinds() -> Vec<&'static str> {
    let ids = BUILTIN.iter().map(|(file, _)| file.trim_end_matches(".toml"));
    let mut all: Vec<&'static str> = ids.chain(Family::ALL.iter().map(|f| f.as_str())).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The usage error for a `--provider` value that names nothing.
pub fn unknown_provider(kind: &str) -> Error {
    let families: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
    let e = Error::usage(format!("unknown provider `{kind}`"));
    let e = match closest(kind, families.iter().map(|f| f.to_string())) {
        Some(near) => e.hint(format!("did you mean `--provider {near}`?")),
        None => e,
    };
    e.hint(format!("--provider takes a provider id (`lanyard providers`) or a family: {}", families.join(", ")))
}

/// The candidate nearest to `name` by edit distance (a swap of two letters counts once), when
/// it is at most two edits away.
fn closest(name: &str, candidates: impl Iterator<Item = String>) -> Option<String> {
    candidates
        .map(|c| (distance(name, &c), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Registry {
        Registry::load(Path::new("/nonexistent")).unwrap()
    }

    #[test]
    fn aliases_hosts_and_urls_resolve() {
        let r = reg();
        let gh = r.resolve("gh", None, |_| None).unwrap();
        assert_eq!((gh.site.key(), gh.provider.unwrap().id), ("github.com".into(), "github".into()));
        let cb = r.resolve("https://codeberg.org/", None, |_| None).unwrap();
        assert_eq!(cb.provider.unwrap().family, Family::Forgejo);
        let own = r.resolve("git.example.com", None, |_| None).unwrap();
        assert!(own.provider.is_none());
        let rem = r.resolve("git.example.com", None, |_| Some("gitea".into())).unwrap();
        assert_eq!(rem.provider.unwrap().family, Family::Gitea);
        let ghe = r.resolve("ghe.example.com", Some("github"), |_| None).unwrap().provider.unwrap();
        assert_eq!(ghe.api_base(&Site::parse("ghe.example.com").unwrap()), "https://ghe.example.com/api/v3");
        assert_eq!(r.resolve("forgejo", None, |_| None).unwrap_err().exit, crate::error::Exit::Usage);
        assert!(r.resolve("x.example", Some("nope"), |_| None).is_err());
    }

    #[test]
    fn typos_get_a_suggestion() {
        let r = reg();
        let e = r.resolve("gihtub", None, |_| None).unwrap_err();
        assert!(
            e.hints[0].contains("did you mean `github`?") && !e.hints[0].contains("lanyard login"),
            "{:?}",
            e.hints
        );
        assert_eq!(r.closest("gitlba").as_deref(), Some("gitlab"));
        assert_eq!(r.closest("zzzzzz"), None);
        assert!(unknown_provider("gitae").hints[0].contains("--provider gitea"));
    }
}
