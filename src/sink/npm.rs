//! npm's user config (`$NPM_CONFIG_USERCONFIG`, else `~/.npmrc`): lanyard's line is
//! `//HOST/PATH/:_authToken=TOKEN` for one registry URL (npm's "nerf-darted" key). Every other
//! line is kept as it is; the file is replaced atomically, 0600.

use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};

/// The user npmrc.
pub fn path(env: &Env) -> Result<PathBuf> {
    if let Some(p) = env.var("NPM_CONFIG_USERCONFIG").or_else(|| env.var("npm_config_userconfig")) {
        return Ok(PathBuf::from(p));
    }
    env.home()
        .map(|h| h.join(".npmrc"))
        .ok_or_else(|| Error::usage("cannot find HOME for ~/.npmrc").hint("set NPM_CONFIG_USERCONFIG"))
}

/// npm's key for a registry URL: `https://npm.pkg.github.com/` → `//npm.pkg.github.com/`.
pub fn key(registry: &str) -> String {
    let rest = registry.split_once("://").map(|(_, r)| r).unwrap_or(registry);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    if rest.ends_with('/') { format!("//{rest}") } else { format!("//{rest}/") }
}

/// The setting lanyard writes for a registry: the token itself, or pnpm's token helper.
pub const TOKEN: &str = "_authToken";
/// pnpm's `tokenHelper`: a program whose output is the `Authorization` value.
pub const HELPER: &str = "tokenHelper";

fn line_key<'a>(line: &'a str, setting: &str) -> Option<(&'a str, &'a str)> {
    let (k, v) = line.split_once('=')?;
    let k = k.trim();
    k.strip_suffix(setting)?.strip_suffix(':').map(|prefix| (prefix, v.trim()))
}

/// The token of `prefix` in the file.
pub fn token(path: &Path, prefix: &str) -> Result<Option<String>> {
    get(path, prefix, TOKEN)
}

/// A setting of `prefix` in the file.
pub fn get(path: &Path, prefix: &str, setting: &str) -> Result<Option<String>> {
    let Some(text) = fsutil::read_optional(path)? else { return Ok(None) };
    Ok(text.lines().filter_map(|l| line_key(l, setting)).find(|(k, _)| *k == prefix).map(|(_, v)| v.to_string()))
}

/// Writes `PREFIX:_authToken=TOKEN` (replacing that registry's line).
pub fn set(path: &Path, prefix: &str, value: &str) -> Result<()> {
    set_setting(path, prefix, TOKEN, value)
}

/// Writes `PREFIX:SETTING=VALUE` (replacing that registry's line of that setting).
pub fn set_setting(path: &Path, prefix: &str, setting: &str, value: &str) -> Result<()> {
    let lock = Lock::acquire(path)?;
    let text = fsutil::read_optional(path)?.unwrap_or_default();
    let line = format!("{prefix}:{setting}={value}");
    let mut found = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|l| match line_key(l, setting) {
            Some((k, _)) if k == prefix => {
                found = true;
                line.clone()
            }
            _ => l.to_string(),
        })
        .collect();
    if !found {
        out.push(line);
    }
    fsutil::write_atomic(&lock, (out.join("\n") + "\n").as_bytes())
}

/// Removes that registry's token line; whether there was one.
pub fn remove(path: &Path, prefix: &str) -> Result<bool> {
    remove_setting(path, prefix, TOKEN)
}

/// Removes that registry's line of `setting`; whether there was one.
pub fn remove_setting(path: &Path, prefix: &str, setting: &str) -> Result<bool> {
    let lock = Lock::acquire(path)?;
    let Some(text) = fsutil::read_optional(path)? else { return Ok(false) };
    let kept: Vec<&str> = text.lines().filter(|l| line_key(l, setting).is_none_or(|(k, _)| k != prefix)).collect();
    if kept.len() == text.lines().count() {
        return Ok(false);
    }
    let out = if kept.is_empty() { String::new() } else { kept.join("\n") + "\n" };
    fsutil::write_atomic(&lock, out.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_npms() {
        assert_eq!(key("https://npm.pkg.github.com"), "//npm.pkg.github.com/");
        assert_eq!(key("http://127.0.0.1:4873/api/packages/me/npm/"), "//127.0.0.1:4873/api/packages/me/npm/");
    }

    #[test]
    fn one_line_changes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("npmrc");
        let theirs =
            "; mine\n@acme:registry=https://npm.pkg.github.com/\n//registry.npmjs.org/:_authToken=npm_theirs\n";
        std::fs::write(&p, theirs).unwrap();
        set(&p, "//npm.pkg.github.com/", "ghp_1").unwrap();
        set(&p, "//npm.pkg.github.com/", "ghp_2").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), format!("{theirs}//npm.pkg.github.com/:_authToken=ghp_2\n"));
        assert_eq!(token(&p, "//npm.pkg.github.com/").unwrap().as_deref(), Some("ghp_2"));
        assert!(remove(&p, "//npm.pkg.github.com/").unwrap());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), theirs);
    }
}
