//! Which account of a host answers a command (SPEC §14, §15), decided in one place for `token`,
//! `exec`, `git-credential` and every helper: `ACCOUNT@TARGET` > `LANYARD_ACCOUNT` (when that
//! account is on the host) > a token from the environment bound to the host > git's
//! `username=` (its placeholders count as none) > the repository's `lanyard.account` > the
//! `[[account]]` rules of config.toml, first match > the host's active account. Files written
//! for other tools keep the active account. Pure: it is handed the environment, the working
//! directory's repository and whether an account exists.

use std::path::{Path, PathBuf};

use crate::env::Env;

/// One `[[account]]` rule of config.toml.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The host (`host[:port]`) it is about.
    pub host: String,
    /// The account it picks.
    pub account: String,
    /// The working directory, as a glob (`~/work/**`).
    pub dir: Option<String>,
    /// The repository git asks about (`github.com/acme/*`), as a glob.
    pub remote: Option<String>,
}

/// Why an account was chosen, as `status`, `token -v` and `which` say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// `ACCOUNT@TARGET`.
    Named,
    /// `LANYARD_ACCOUNT`.
    EnvAccount,
    /// A token in the environment, never stored.
    EnvToken(&'static str),
    /// git's `username=`.
    GitUser,
    /// The repository's `lanyard.account`.
    GitConfig(PathBuf),
    /// `[[account]]` rule N (1-based) of config.toml.
    Rule(usize, String),
    /// The host's active account.
    Active,
}

impl Why {
    /// In words: `rule 2: dir ~/work/**`.
    pub fn words(&self) -> String {
        match self {
            Why::Named => "named on the command line".into(),
            Why::EnvAccount => "LANYARD_ACCOUNT".into(),
            Why::EnvToken(var) => format!("source: env ({var})"),
            Why::GitUser => "git asked for this user name".into(),
            Why::GitConfig(p) => format!("`lanyard.account` in {}", p.display()),
            Why::Rule(n, what) => format!("rule {n}: {what}"),
            Why::Active => "the host's active account".into(),
        }
    }
}

/// What the command knows of the request.
#[derive(Debug, Clone, Default)]
pub struct Asked<'a> {
    /// `ACCOUNT@TARGET`'s account.
    pub named: Option<&'a str>,
    /// git's `username=`.
    pub git_user: Option<&'a str>,
    /// git's `path=` (with `credential.useHttpPath`).
    pub git_path: Option<&'a str>,
}

/// The repository the working directory is in: its config's `lanyard.account` and its remote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repo {
    /// The config file read.
    pub config: PathBuf,
    /// `lanyard.account`.
    pub account: Option<String>,
    /// The upstream remote's URL (else `origin`'s), as `host/path`.
    pub remote: Option<String>,
}

/// What the chooser decided: an account of the host (none: the active one) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The account; `None` for the active one.
    pub account: Option<String>,
    /// Why.
    pub why: Why,
}

/// The placeholders git and the forges use as a user name with a token: they name no account.
const PLACEHOLDERS: [&str; 4] = ["oauth2", "x-access-token", "git", "token"];

/// Whether a user name is one of git's and the forges' placeholders (it names no account).
pub fn is_placeholder(user: &str) -> bool {
    PLACEHOLDERS.contains(&user)
}

/// Decides, for `host`, which account (without environment tokens, which the caller checks at
/// their place in the order: [`env_token_first`] says whether one outranks the rest).
pub fn choose(
    host: &str,
    asked: &Asked,
    env: &Env,
    rules: &[Rule],
    cwd: Option<&Path>,
    repo: Option<&Repo>,
    has: &dyn Fn(&str) -> bool,
) -> Choice {
    let pick = |a: &str, why: Why| Choice { account: Some(a.to_string()), why };
    if let Some(a) = asked.named {
        return pick(a, Why::Named);
    }
    if let Some(a) = env.var("LANYARD_ACCOUNT")
        && has(a)
    {
        return pick(a, Why::EnvAccount);
    }
    if let Some(u) = asked.git_user.filter(|u| !PLACEHOLDERS.contains(u))
        && has(u)
    {
        return pick(u, Why::GitUser);
    }
    if let Some(r) = repo
        && let Some(a) = &r.account
        && has(a)
    {
        return pick(a, Why::GitConfig(r.config.clone()));
    }
    let remote = asked
        .git_path
        .map(|p| format!("{host}/{}", p.trim_start_matches('/').trim_end_matches(".git")))
        .or_else(|| repo.and_then(|r| r.remote.clone()));
    let home = env.home();
    for (i, rule) in rules.iter().enumerate() {
        if rule.host != host {
            continue;
        }
        let by_dir = rule.dir.as_ref().and_then(|d| {
            let pattern = match (d.strip_prefix("~/"), &home) {
                (Some(rest), Some(h)) => format!("{}/{rest}", h.display()),
                _ => d.clone(),
            };
            let cwd = cwd?.to_string_lossy().into_owned();
            glob(&pattern, &cwd).then(|| format!("dir {d}"))
        });
        let by_remote = rule.remote.as_ref().and_then(|p| {
            let r = remote.as_deref()?;
            glob(p, r).then(|| format!("remote {p}"))
        });
        if let Some(what) = by_dir.or(by_remote)
            && has(&rule.account)
        {
            return pick(&rule.account, Why::Rule(i + 1, what));
        }
    }
    Choice { account: None, why: Why::Active }
}

/// Whether the named account and `LANYARD_ACCOUNT` leave room for an environment token: they
/// are the only choices above it (SPEC §15).
pub fn env_token_first(asked: &Asked, env: &Env, has: &dyn Fn(&str) -> bool) -> bool {
    asked.named.is_none() && !env.var("LANYARD_ACCOUNT").is_some_and(has)
}

/// A glob over `/`-separated text: `**` any run (with `/`; `dir/**` also matches `dir`), `*`
/// any run without `/`, `?` one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    if let Some(base) = pattern.strip_suffix("/**")
        && text == base
    {
        return true;
    }
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') if p.get(1) == Some(&'*') => (0..=t.len()).any(|i| go(&p[2..], &t[i..])),
            Some('*') => (0..=t.len()).take_while(|i| *i == 0 || t[i - 1] != '/').any(|i| go(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && t[0] != '/' && go(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

/// The repository around `dir`: the nearest `.git` (a directory, or a file naming one), its
/// config's `lanyard.account`, and the current branch's upstream remote (else `origin`) as
/// `host/path`. Read directly (no git process on the hot path).
pub fn repo(dir: &Path) -> Option<Repo> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        let dot = d.join(".git");
        let gitdir = if dot.is_dir() {
            Some(dot)
        } else if dot.is_file() {
            std::fs::read_to_string(&dot).ok().and_then(|t| t.trim().strip_prefix("gitdir:").map(|g| d.join(g.trim())))
        } else {
            None
        };
        if let Some(g) = gitdir {
            let config = g.join("config");
            let text = std::fs::read_to_string(&config).unwrap_or_default();
            let head = std::fs::read_to_string(g.join("HEAD")).unwrap_or_default();
            let branch = head.trim().strip_prefix("ref: refs/heads/").map(str::to_string);
            let ini = ini(&text);
            let get = |section: &str, key: &str| {
                ini.iter().rev().find(|(s, k, _)| s == section && k == key).map(|(_, _, v)| v.clone())
            };
            let remote_name = branch
                .and_then(|b| get(&format!("branch \"{b}\""), "remote"))
                .filter(|r| r != ".")
                .unwrap_or_else(|| "origin".to_string());
            let remote = get(&format!("remote \"{remote_name}\""), "url").and_then(|u| remote_key(&u));
            return Some(Repo { config, account: get("lanyard", "account"), remote });
        }
        cur = d.parent();
    }
    None
}

/// A remote URL as `host/path` without `.git`: `https://host/a/b.git`, `git@host:a/b`,
/// `ssh://git@host:22/a/b`.
pub fn remote_key(url: &str) -> Option<String> {
    let url = url.trim();
    let (host, path) = if let Some((_, rest)) = url.split_once("://") {
        let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = if url.starts_with("ssh://") { authority.split(':').next().unwrap_or(authority) } else { authority };
        (host.to_string(), path.to_string())
    } else {
        let rest = url.rsplit_once('@').map(|(_, r)| r).unwrap_or(url);
        let (host, path) = rest.split_once(':')?;
        (host.to_string(), path.to_string())
    };
    let path = path.trim_matches('/').trim_end_matches(".git");
    (!host.is_empty()).then(|| format!("{}/{path}", host.to_ascii_lowercase()))
}

/// A git config file as (section, key, value), section names as written (`remote "origin"`),
/// keys lower-cased; enough for the three keys read here.
fn ini(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('#') || l.starts_with(';') || l.is_empty() {
            continue;
        }
        if let Some(s) = l.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            let (name, sub) = s.split_once(' ').unwrap_or((s, ""));
            section = if sub.is_empty() {
                name.to_ascii_lowercase()
            } else {
                format!("{} {}", name.to_ascii_lowercase(), sub.trim())
            };
            continue;
        }
        if let Some((k, v)) = l.split_once('=') {
            out.push((section.clone(), k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_string()));
        }
    }
    out
}

/// A token in the environment bound to a host, as the vendors' own tools read them (SPEC §15).
#[derive(Debug, Clone)]
pub struct EnvToken {
    /// The variable.
    pub var: &'static str,
    /// The token.
    pub token: crate::secret::Secret,
    /// The user name HTTP Basic sends with it (`gitlab-ci-token` for a job token).
    pub user: Option<&'static str>,
    /// Which kind of forge it is for (`github`, `gitlab`, `gitea`).
    pub family: &'static str,
}

/// The environment token bound to `host`, unless turned off.
pub fn env_token(env: &Env, host: &str) -> Option<EnvToken> {
    let strip = |u: &str| {
        let u = u.trim().trim_end_matches('/');
        u.split_once("://").map(|(_, r)| r.to_string()).unwrap_or_else(|| u.to_string()).to_ascii_lowercase()
    };
    let first = |names: &'static [&'static str]| names.iter().find_map(|n| env.var(n).map(|v| (*n, v.to_string())));
    let make = |(var, v): (&'static str, String), user, family| {
        crate::secret::validate(&v, var).ok().map(|token| EnvToken { var, token, user, family })
    };
    let gh_host = env.var("GH_HOST").map(strip);
    if host == "github.com"
        && gh_host.as_deref().is_none_or(|h| h == "github.com")
        && let Some(t) = first(&["GH_TOKEN", "GITHUB_TOKEN"])
    {
        return make(t, None, "github");
    }
    if gh_host.as_deref().is_some_and(|h| h == host && h != "github.com")
        && let Some(t) = first(&["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"])
    {
        return make(t, None, "github");
    }
    let gl_host = env.var("GITLAB_HOST").map(strip).unwrap_or_else(|| "gitlab.com".to_string());
    if host == gl_host
        && let Some(t) = first(&["GITLAB_TOKEN", "GL_TOKEN"])
    {
        return make(t, None, "gitlab");
    }
    if env.var("GITLAB_CI") == Some("true")
        && let Some(ci) = env.var("CI_SERVER_HOST")
    {
        let key = match env.var("CI_SERVER_PORT").filter(|p| *p != "443") {
            Some(p) => format!("{}:{p}", ci.to_ascii_lowercase()),
            None => ci.to_ascii_lowercase(),
        };
        if key == host
            && let Some(t) = first(&["CI_JOB_TOKEN"])
        {
            return make(t, Some("gitlab-ci-token"), "gitlab");
        }
    }
    if env.var("GITEA_SERVER_URL").map(strip).is_some_and(|h| h == host)
        && let Some(t) = first(&["GITEA_TOKEN"])
    {
        return make(t, None, "gitea");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_read_paths_and_remotes() {
        assert!(glob("/h/work/**", "/h/work"));
        assert!(glob("/h/work/**", "/h/work/a/b"));
        assert!(!glob("/h/work/**", "/h/workshop"));
        assert!(glob("github.com/acme/*", "github.com/acme/repo"));
        assert!(!glob("github.com/acme/*", "github.com/acme/repo/sub"));
        assert!(!glob("github.com/acme/*", "github.com/acmeX/repo"));
    }

    #[test]
    fn remotes_are_host_and_path() {
        assert_eq!(remote_key("https://github.com/acme/app.git").as_deref(), Some("github.com/acme/app"));
        assert_eq!(remote_key("git@github.com:acme/app.git").as_deref(), Some("github.com/acme/app"));
        assert_eq!(remote_key("ssh://git@git.example.com:2222/acme/app").as_deref(), Some("git.example.com/acme/app"));
        assert_eq!(remote_key("https://alice@GitHub.com/acme/app").as_deref(), Some("github.com/acme/app"));
    }

    #[test]
    fn the_order_is_the_specs() {
        let env = Env::from_vars([
            ("HOME".to_string(), "/h".to_string()),
            ("LANYARD_ACCOUNT".to_string(), "ghost".to_string()),
        ]);
        let rules = vec![
            Rule { host: "h.example".into(), account: "work".into(), dir: Some("~/work/**".into()), remote: None },
            Rule { host: "h.example".into(), account: "oss".into(), dir: None, remote: Some("h.example/oss/*".into()) },
        ];
        let has = |a: &str| ["work", "oss", "me"].contains(&a);
        let cwd = Path::new("/h/work/app");
        let c = |asked: &Asked, repo: Option<&Repo>| choose("h.example", asked, &env, &rules, Some(cwd), repo, &has);
        // LANYARD_ACCOUNT names no account of the host: it falls through.
        assert_eq!(c(&Asked::default(), None).why, Why::Rule(1, "dir ~/work/**".into()));
        assert_eq!(c(&Asked { named: Some("me"), ..Asked::default() }, None).why, Why::Named);
        // git's placeholder names no account; a real user name wins over rules.
        assert_eq!(
            c(&Asked { git_user: Some("oauth2"), ..Asked::default() }, None).why,
            Why::Rule(1, "dir ~/work/**".into())
        );
        assert_eq!(c(&Asked { git_user: Some("me"), ..Asked::default() }, None).why, Why::GitUser);
        let repo = Repo { config: "/r/.git/config".into(), account: Some("oss".into()), remote: None };
        assert_eq!(c(&Asked::default(), Some(&repo)).account.as_deref(), Some("oss"));
        let by_path = Asked { git_path: Some("oss/tool.git"), ..Asked::default() };
        let elsewhere = choose("h.example", &by_path, &env, &rules, Some(Path::new("/tmp")), None, &has);
        assert_eq!(elsewhere.why, Why::Rule(2, "remote h.example/oss/*".into()));
        let none = choose("h.example", &Asked::default(), &env, &rules, Some(Path::new("/tmp")), None, &has);
        assert_eq!(none, Choice { account: None, why: Why::Active });
    }

    #[test]
    fn environment_tokens_are_bound_to_their_hosts() {
        let env = |v: &[(&str, &str)]| Env::from_vars(v.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let e = env(&[("GH_TOKEN", "ghp_abc123")]);
        assert_eq!(env_token(&e, "github.com").map(|t| t.var), Some("GH_TOKEN"));
        assert!(env_token(&e, "ghe.example.com").is_none());
        let e = env(&[("GH_HOST", "ghe.example.com"), ("GH_ENTERPRISE_TOKEN", "ghp_x"), ("GH_TOKEN", "ghp_y")]);
        assert_eq!(env_token(&e, "ghe.example.com").map(|t| t.var), Some("GH_ENTERPRISE_TOKEN"));
        let e = env(&[("CI_JOB_TOKEN", "job"), ("CI_SERVER_HOST", "gitlab.example.com")]);
        assert!(env_token(&e, "gitlab.example.com").is_none(), "only inside GitLab CI");
        let e = env(&[("CI_JOB_TOKEN", "job"), ("CI_SERVER_HOST", "gitlab.example.com"), ("GITLAB_CI", "true")]);
        assert_eq!(env_token(&e, "gitlab.example.com").and_then(|t| t.user), Some("gitlab-ci-token"));
        let e = env(&[("GITEA_TOKEN", "t"), ("GITEA_SERVER_URL", "https://gitea.example.com/")]);
        assert_eq!(env_token(&e, "gitea.example.com").map(|t| t.var), Some("GITEA_TOKEN"));
        assert!(env_token(&e, "other.example.com").is_none());
    }
}
