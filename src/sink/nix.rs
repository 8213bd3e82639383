//! Nix's `access-tokens` (SPEC §5): tokens go to `access-tokens.conf` beside the user nix.conf,
//! which gets `!include access-tokens.conf` once, at the end, so that it takes effect.
//! `access-tokens` lines already in nix.conf move into the include (after a backup); a nix.conf
//! that is a symlink (Home Manager) or not writable is never touched; tokens in other included
//! files (agenix, sops) are never copied.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::nixconf::{self, Effective, Kind, Line};
use crate::credential::TokenKind;
use crate::diag::Note;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use crate::provider::Provider;
use crate::provider::{NixFormat, Site};
use crate::secret::Secret;

/// The name of the include file lanyard owns.
pub const TOKENS_FILE: &str = "access-tokens.conf";
const HEADER: &str =
    "# Managed by lanyard: the access tokens Nix uses, included from nix.conf. Change with `lanyard login`/`logout`.\n";

/// The user nix.conf lanyard edits and the include file beside it.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The user nix.conf.
    pub conf: PathBuf,
    /// `access-tokens.conf` beside it.
    pub tokens: PathBuf,
}

impl Paths {
    /// Finds the user nix.conf as Nix does: `--nix-conf`, the first entry of
    /// `NIX_USER_CONF_FILES`, `$NIX_CONFIG_HOME/nix.conf`, `$XDG_CONFIG_HOME/nix/nix.conf`,
    /// `~/.config/nix/nix.conf`.
    pub fn locate(env: &Env, flag: Option<&Path>) -> Result<Paths> {
        let conf = flag
            .map(Path::to_path_buf)
            .or_else(|| {
                env.var("NIX_USER_CONF_FILES").and_then(|v| v.split(':').find(|s| !s.is_empty()).map(PathBuf::from))
            })
            .or_else(|| env.var("NIX_CONFIG_HOME").map(|d| PathBuf::from(d).join("nix.conf")))
            .or_else(|| env.xdg_config_home().map(|d| d.join("nix/nix.conf")))
            .ok_or_else(|| Error::usage("cannot find the user nix.conf").hint("pass --nix-conf PATH or set HOME"))?;
        let dir = conf.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(Paths { tokens: dir.join(TOKENS_FILE), conf })
    }
}

/// The host key Nix accepts: lower case, no port (Nix rejects ports). `None` for a site with one.
pub fn nix_host(site: &Site) -> Option<String> {
    site.port.is_none().then(|| site.host.to_ascii_lowercase())
}

/// The value written for a host: `TOKEN`, `PAT:TOKEN` or `OAuth2:TOKEN`.
pub fn entry_value(format: NixFormat, kind: TokenKind, token: &Secret) -> Option<Secret> {
    let t = token.expose_secret();
    match format {
        NixFormat::None => None,
        NixFormat::Host => Some(Secret::new(t)),
        NixFormat::Gitlab if kind == TokenKind::Oauth => Some(Secret::new(format!("OAuth2:{t}"))),
        NixFormat::Gitlab => Some(Secret::new(format!("PAT:{t}"))),
    }
}

/// Refuses a token Nix would silently cut (whitespace, `#`, control characters): exit 2.
pub fn check_token(token: &Secret) -> Result<()> {
    if nixconf::token_is_safe(token.expose_secret()) {
        return Ok(());
    }
    Err(Error::usage("the token contains whitespace, `#` or control characters, which Nix would silently cut off")
        .hint("check that the whole token was pasted, and nothing else; or use --no-nix to keep it out of Nix"))
}

/// What happened to nix.conf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Include {
    /// It already includes `access-tokens.conf` where it takes effect.
    Present,
    /// lanyard added the include (and backed nix.conf up first when it existed).
    Added {
        /// The backup, when nix.conf existed.
        backup: Option<PathBuf>,
        /// Hosts moved from nix.conf into the include.
        migrated: Vec<String>,
    },
    /// nix.conf cannot be written (a symlink into the Nix store, or read-only); the user must
    /// add the include. `true` when Nix reads the include already anyway.
    ReadOnly(bool),
}

/// Whether lanyard may write nix.conf.
fn conf_writable(conf: &Path) -> bool {
    match std::fs::symlink_metadata(conf) {
        Ok(m) if m.file_type().is_symlink() => false,
        // A file without a write bit is never replaced, whoever runs lanyard (root passes
        // `access(W_OK)` for any file, so the mode itself is asked).
        Ok(m) => {
            use std::os::unix::fs::PermissionsExt;
            m.permissions().mode() & 0o222 != 0 && rustix::fs::access(conf, rustix::fs::Access::WRITE_OK).is_ok()
        }
        Err(_) => {
            let mut dir = conf.parent();
            while let Some(d) = dir {
                if d.exists() {
                    return rustix::fs::access(d, rustix::fs::Access::WRITE_OK).is_ok();
                }
                dir = d.parent();
            }
            false
        }
    }
}

fn read_lines(path: &Path) -> Result<(Option<String>, Vec<Line>)> {
    let text = fsutil::read_optional(path)?;
    let lines = match &text {
        Some(t) => nixconf::parse(t, path)?,
        None => Vec::new(),
    };
    Ok((text, lines))
}

fn is_ours(conf: &Path, tokens: &Path, include: &str) -> bool {
    let dir = conf.parent().unwrap_or(Path::new("."));
    let p = dir.join(include);
    p == tokens || normalize(&p) == normalize(tokens)
}

fn normalize(p: &Path) -> PathBuf {
    p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

/// The token map of lanyard's include file (its effective `access-tokens` / `extra-` lines).
fn token_map(lines: &[Line], path: &Path) -> BTreeMap<String, String> {
    let mut eff = Effective::default();
    for l in lines {
        if let Kind::Setting { name, value } = &l.kind {
            eff.apply_setting(name, value, nixconf::Origin { file: path.to_path_buf(), line: l.number });
        }
    }
    eff.tokens.into_iter().map(|(h, (v, _))| (h, v)).collect()
}

fn is_token_setting(l: &Line) -> bool {
    matches!(&l.kind, Kind::Setting { name, .. } if name == "access-tokens" || name == "extra-access-tokens")
}

/// Renders lanyard's include file: the lines that are not token settings kept as they were, one
/// `access-tokens` line where the first was (or at the end). No line at all when the map is empty,
/// since an empty `access-tokens =` would hide every other token.
fn render_tokens(lines: &[Line], map: &BTreeMap<String, String>) -> String {
    let value: Vec<String> = map.iter().map(|(h, t)| format!("{h}={t}")).collect();
    let entry = if map.is_empty() { String::new() } else { format!("access-tokens = {}\n", value.join(" ")) };
    let mut out = String::new();
    if !lines.iter().any(|l| l.raw.starts_with("# Managed by lanyard")) {
        out.push_str(HEADER);
    }
    let mut placed = false;
    for l in lines {
        if is_token_setting(l) {
            if !placed {
                out.push_str(&entry);
                placed = true;
            }
        } else {
            out.push_str(&l.raw);
            if !l.raw.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    if !placed {
        out.push_str(&entry);
    }
    out
}

/// Checks that nix.conf and the include file parse, before anything is stored.
pub fn preflight(paths: &Paths) -> Result<()> {
    read_lines(&paths.conf)?;
    read_lines(&paths.tokens)?;
    Ok(())
}

/// Sets `host` to `value` in the include file and makes sure nix.conf includes it.
pub fn set(paths: &Paths, host: &str, value: &Secret) -> Result<Include> {
    update(paths, |map| {
        map.insert(host.to_string(), value.expose_secret().to_string());
    })
}

/// Replaces `host`'s token in the include file only (a refresh: nix.conf was set up at login).
pub fn replace(tokens: &Path, host: &str, value: &Secret) -> Result<()> {
    let lock = Lock::acquire(tokens)?;
    let (_, lines) = read_lines(tokens)?;
    let mut map = token_map(&lines, tokens);
    map.insert(host.to_string(), value.expose_secret().to_string());
    fsutil::write_atomic(&lock, render_tokens(&lines, &map).as_bytes())
}

/// The value the include file holds for `host` now.
pub fn lookup(tokens: &Path, host: &str) -> Result<Option<String>> {
    let (text, lines) = read_lines(tokens)?;
    if text.is_none() {
        return Ok(None);
    }
    Ok(token_map(&lines, tokens).remove(host))
}

/// A token [`plan`] found fit for Nix: the files, the `access-tokens` key and the value.
#[derive(Debug)]
pub struct Planned {
    /// The include and `nix.conf`.
    pub paths: Paths,
    /// The host as Nix names it.
    pub host: String,
    /// The entry's value.
    pub value: Secret,
}

/// Decides whether and how a token goes into Nix for a login, and checks everything that could
/// refuse it before anything is stored. `None`: the provider has no Nix format, `--no-nix`, or
/// the site has a port (Nix's `access-tokens` cannot name one).
pub fn plan(
    env: &Env,
    nix_conf: Option<&Path>,
    provider: &Provider,
    site: &Site,
    kind: TokenKind,
    token: &Secret,
    no_nix: bool,
) -> Result<Option<Planned>> {
    let Some(value) = entry_value(provider.nix, kind, token) else { return Ok(None) };
    if no_nix {
        return Ok(None);
    }
    check_token(token)?;
    let Some(host) = nix_host(site) else {
        crate::diag::warn(&format!(
            "Nix's `access-tokens` cannot name a port, so the token for {} is not written to Nix",
            site.key()
        ));
        return Ok(None);
    };
    let paths = Paths::locate(env, nix_conf)?;
    preflight(&paths)?;
    if let Some(repo) = git_work_tree(&paths.tokens) {
        crate::diag::warn(&format!(
            "{} is inside the git work tree {}: a commit could publish the token; add `{TOKENS_FILE}` to its .gitignore",
            paths.tokens.display(),
            repo.display()
        ));
    }
    Ok(Some(Planned { paths, host, value }))
}

/// An `access-tokens` value as Nix's GitLab dialect writes it: (token, kind, the provider kind a
/// prefix names). `PAT:` and `OAuth2:` are GitLab's; anything else is a plain token.
pub fn read_entry(value: &str) -> (&str, TokenKind, Option<&'static str>) {
    if let Some(t) = value.strip_prefix("PAT:") {
        (t, TokenKind::Pat, Some("gitlab"))
    } else if let Some(t) = value.strip_prefix("OAuth2:") {
        (t, TokenKind::Oauth, Some("gitlab"))
    } else {
        (value, TokenKind::Pat, None)
    }
}

/// The git work tree a file would be written into (a dotfiles repository, often through a
/// symlinked `~/.config/nix`), found by its real path.
fn git_work_tree(file: &Path) -> Option<PathBuf> {
    // The directory may not exist yet (a first login creates `~/.config/nix`): its nearest
    // existing ancestor decides, so HOME itself as a work tree (a dotfiles repository at `~`) is
    // found too (F14).
    let existing = file.ancestors().skip(1).find(|d| d.exists())?;
    let real = std::fs::canonicalize(existing).ok()?;
    real.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// Writes a login's token into the include and tells what happened to nix.conf, and whether
/// another token hides it or it hides another.
pub fn write_reporting(env: &Env, paths: &Paths, host: &str, value: &Secret) -> Result<Vec<Note>> {
    let mut notes = Vec::new();
    match set(paths, host, value)? {
        Include::Present => {
            notes.push(Note::Did(format!("Nix: token for {host} written to {}.", paths.tokens.display())))
        }
        Include::Added { backup, migrated } => {
            notes.push(Note::Did(format!(
                "Nix: token for {host} written to {}; {} now ends with `!include {}`.",
                paths.tokens.display(),
                paths.conf.display(),
                TOKENS_FILE
            )));
            if let Some(b) = backup {
                notes.push(Note::Did(format!("  Backup of the previous nix.conf: {}", b.display())));
            }
            if !migrated.is_empty() {
                notes.push(Note::Did(format!(
                    "  Moved the `access-tokens` of nix.conf into the include: {}",
                    migrated.join(", ")
                )));
            }
        }
        Include::ReadOnly(reads) => {
            notes.push(Note::Did(format!("Nix: token for {host} written to {}.", paths.tokens.display())));
            if !reads {
                for line in read_only_advice(paths) {
                    notes.push(Note::Warning(line));
                }
            }
        }
    }
    let eff = effective(env);
    for (h, hidden_at, by) in &eff.hidden {
        if by.file == paths.tokens {
            notes.push(Note::Warning(format!(
                "Nix: the token for {h} at {hidden_at} is hidden by lanyard's `access-tokens` line ({by})"
            )));
        }
    }
    if let Some((_, origin)) = eff.tokens.get(host).filter(|(_, o)| o.file != paths.tokens) {
        notes.push(Note::Warning(format!("Nix: {origin} sets another token for {host}, and Nix uses that one")));
    }
    Ok(notes)
}

/// Removes `host` from the include file. Returns whether it was there.
pub fn remove(tokens: &Path, host: &str) -> Result<bool> {
    let tokens_lock = Lock::acquire(tokens)?;
    let (text, lines) = read_lines(tokens)?;
    if text.is_none() {
        return Ok(false);
    }
    let mut map = token_map(&lines, tokens);
    if map.remove(host).is_none() {
        return Ok(false);
    }
    fsutil::write_atomic(&tokens_lock, render_tokens(&lines, &map).as_bytes())?;
    Ok(true)
}

fn update(paths: &Paths, change: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<Include> {
    // Always the include file's lock first, then nix.conf's: no two lanyards deadlock.
    let tokens_lock = Lock::acquire(&paths.tokens)?;
    let (_, token_lines) = read_lines(&paths.tokens)?;
    let writable = conf_writable(&paths.conf);
    let conf_lock = if writable { Some(Lock::acquire(&paths.conf)?) } else { None };
    let (conf_text, conf_lines) = read_lines(&paths.conf)?;

    let mut map = token_map(&token_lines, &paths.tokens);
    // Token lines in nix.conf itself move into the include (their values win: Nix used them).
    let own: Vec<&Line> = conf_lines.iter().filter(|l| is_token_setting(l)).collect();
    let mut migrated = Vec::new();
    if writable {
        for (h, v) in token_map(&conf_lines, &paths.conf) {
            migrated.push(h.clone());
            map.insert(h, v);
        }
    }
    change(&mut map);

    let include_at = conf_lines
        .iter()
        .rposition(|l| matches!(&l.kind, Kind::Include { path, .. } if is_ours(&paths.conf, &paths.tokens, path)));
    let last_setting = conf_lines.iter().rposition(is_token_setting);
    let include_effective = match (include_at, last_setting) {
        (Some(i), Some(s)) => i > s,
        (Some(_), None) => true,
        (None, _) => false,
    };

    fsutil::write_atomic(&tokens_lock, render_tokens(&token_lines, &map).as_bytes())?;

    let Some(conf_lock) = conf_lock else {
        return Ok(Include::ReadOnly(nix_reads(paths)));
    };
    if include_effective && own.is_empty() {
        return Ok(Include::Present);
    }
    let eol = if conf_text.as_deref().is_some_and(|t| t.contains("\r\n")) { "\r\n" } else { "\n" };
    let mut out = String::new();
    for l in &conf_lines {
        let ours = matches!(&l.kind, Kind::Include { path, .. } if is_ours(&paths.conf, &paths.tokens, path));
        if is_token_setting(l) || ours {
            continue;
        }
        out.push_str(&l.raw);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&format!("!include {TOKENS_FILE}{eol}"));
    let backup = if conf_text.is_some() { fsutil::backup(&conf_lock)? } else { None };
    fsutil::write_atomic(&conf_lock, out.as_bytes())?;
    Ok(Include::Added { backup, migrated })
}

/// The configuration files Nix reads, in the order it applies them (last wins).
pub fn nix_files(env: &Env) -> (PathBuf, Vec<PathBuf>) {
    let system = PathBuf::from(env.var("NIX_CONF_DIR").unwrap_or("/etc/nix")).join("nix.conf");
    let user: Vec<PathBuf> = if env.is_set("NIX_USER_CONF_FILES") {
        env.raw("NIX_USER_CONF_FILES").unwrap_or("").split(':').filter(|s| !s.is_empty()).map(PathBuf::from).collect()
    } else {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(d) = env.var("NIX_CONFIG_HOME") {
            dirs.push(PathBuf::from(d));
        } else if let Some(d) = env.xdg_config_home() {
            dirs.push(d.join("nix"));
        }
        for d in env.var("XDG_CONFIG_DIRS").unwrap_or("/etc/xdg").split(':').filter(|s| !s.is_empty()) {
            dirs.push(PathBuf::from(d).join("nix"));
        }
        dirs.into_iter().map(|d| d.join("nix.conf")).collect()
    };
    // Nix applies the user files last-listed first, so the first listed wins.
    (system, user.into_iter().rev().collect())
}

/// The `access-tokens` Nix will use, with the origin of each.
pub fn effective(env: &Env) -> Effective {
    let (system, user) = nix_files(env);
    let mut eff = Effective::default();
    let mut seen = HashSet::new();
    eff.apply_file(&system, false, &mut seen);
    for f in user {
        eff.apply_file(&f, false, &mut seen);
    }
    if let Some(cfg) = env.var("NIX_CONFIG") {
        eff.apply_env(cfg);
    }
    eff
}

/// Whether Nix's user configuration reaches the include file.
fn nix_reads(paths: &Paths) -> bool {
    let mut reached = false;
    let mut stack = vec![(paths.conf.clone(), 0)];
    while let Some((file, depth)) = stack.pop() {
        if depth > 16 {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let Ok(lines) = nixconf::parse(&text, &file) else { continue };
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        for l in lines {
            if let Kind::Include { path, .. } = l.kind {
                let p = dir.join(path);
                if normalize(&p) == normalize(&paths.tokens) {
                    reached = true;
                }
                stack.push((p, depth + 1));
            }
        }
    }
    reached
}

/// The lines to show when nix.conf cannot be written.
pub fn read_only_advice(paths: &Paths) -> Vec<String> {
    vec![
        format!(
            "`{}` is not writable (a symlink into the Nix store, as Home Manager makes, or read-only): lanyard left it alone",
            paths.conf.display()
        ),
        format!(
            "the tokens are in `{}`; to make Nix read them, add to your Home Manager configuration:",
            paths.tokens.display()
        ),
        "    nix.extraOptions = \"!include access-tokens.conf\";".to_string(),
        format!(
            "or on NixOS without Home Manager, to configuration.nix:    nix.extraOptions = \"!include {}\";",
            paths.tokens.display()
        ),
        "never put a token itself into a Nix option: it would land in the world-readable Nix store".to_string(),
    ]
}
