//! lanyard as git's credential helper in the user's global git config: one `helper` line per
//! URL, added once and removed exactly (no other tool's lines are touched).

use std::path::Path;

use crate::env::Env;
use crate::error::{Error, Result};

/// The helper line git runs: lanyard's own path, and `--config-dir` unless the environment
/// names it (a path made absolute when parsed, so the line works from any directory).
fn helper_command(env: &Env, config_dir: &Path) -> Result<String> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let exe = quote(&super::program::own_program(env)?);
    Ok(if env.var("LANYARD_CONFIG_DIR").is_some() {
        format!("!{exe} git-credential")
    } else {
        format!("!{exe} --config-dir {} git-credential", quote(&config_dir.to_string_lossy()))
    })
}

fn git(args: &[&str]) -> Result<std::process::Output> {
    std::process::Command::new("git").args(args).output().map_err(|e| {
        Error::failure(format!("cannot run git: {e}")).hint("install git, or add the helper to your git config by hand")
    })
}

fn helpers(base: &str) -> Result<Vec<String>> {
    let out = git(&["config", "--global", "--get-all", &format!("credential.{base}.helper")])?;
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect())
}

fn config(args: &[&str]) -> Result<()> {
    let out = git(args)?;
    if !out.status.success() {
        return Err(Error::failure(format!("git config failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
            .hint("check that your global git config is writable"));
    }
    Ok(())
}

/// Whether a helper line is lanyard's: `!'…/lanyard' [--config-dir '…'] git-credential`. gh's
/// `!gh auth git-credential` and every other tool's line are not.
fn is_ours(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("!'") else { return false };
    let Some((program, _)) = rest.split_once('\'') else { return false };
    Path::new(program).file_name().is_some_and(|n| n == "lanyard") && line.ends_with(" git-credential")
}

/// The helper lines of a URL without lanyard's: each lanyard line and the empty reset line
/// lanyard put right before it go; every other tool's line stays, in its order.
fn without_ours(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let reset_before_ours = l.is_empty() && lines.get(i + 1).is_some_and(|n| is_ours(n));
        if !is_ours(l) && !reset_before_ours {
            out.push(l.clone());
        }
    }
    out
}

/// Replaces a URL's helper lines with `lines`, in order.
fn rewrite(key: &str, before: &[String], lines: &[String]) -> Result<()> {
    if before == lines {
        return Ok(());
    }
    if !before.is_empty() {
        config(&["config", "--global", "--unset-all", key])?;
    }
    for l in lines {
        config(&["config", "--global", "--add", key, l])?;
    }
    Ok(())
}

/// Adds lanyard as the credential helper of one URL, once, after an empty `helper =` line (as gh
/// does): the empty line resets the helpers inherited from less specific settings, so a
/// `credential.helper=store` never copies lanyard's token into `~/.git-credentials`. Returns
/// whether it changed anything.
pub fn add_helper(env: &Env, config_dir: &Path, base: &str) -> Result<bool> {
    let cmd = helper_command(env, config_dir)?;
    let key = format!("credential.{base}.helper");
    let now = helpers(base)?;
    let mut want = without_ours(&now);
    want.push(String::new());
    want.push(cmd);
    rewrite(&key, &now, &want)?;
    Ok(now != want)
}

/// Makes git send the repository's path to the helper for one URL (`credential.BASE.useHttpPath`):
/// `[[account]]` rules by remote need it (SPEC §15). Returns whether it changed anything.
pub fn use_http_path(base: &str) -> Result<bool> {
    let key = format!("credential.{base}.useHttpPath");
    let now = git(&["config", "--global", "--get", &key])?;
    if String::from_utf8_lossy(&now.stdout).trim() == "true" {
        return Ok(false);
    }
    let out = git(&["config", "--global", &key, "true"])?;
    if !out.status.success() {
        return Err(Error::failure(format!("git config failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
            .hint(format!("run `git config --global {key} true` yourself")));
    }
    Ok(true)
}

/// Whether a lanyard helper line is configured for the URL.
pub fn has_helper(base: &str) -> Result<bool> {
    Ok(helpers(base)?.iter().any(|l| is_ours(l)))
}

/// Removes exactly lanyard's helper lines for one URL and the reset line it added before each;
/// another tool's lines stay as they were.
pub fn remove_helper(base: &str) -> Result<()> {
    let key = format!("credential.{base}.helper");
    let now = helpers(base)?;
    rewrite(&key, &now, &without_ours(&now))
}

#[cfg(test)]
mod tests {
    #[test]
    fn other_tools_lines_keep_their_order() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ours = "!'/usr/bin/lanyard' git-credential";
        let before = v(&["", "!/usr/bin/gh auth git-credential", "", ours]);
        assert_eq!(super::without_ours(&before), v(&["", "!/usr/bin/gh auth git-credential"]));
        assert_eq!(super::without_ours(&v(&["store", ours])), v(&["store"]));
    }

    #[test]
    fn only_lanyards_lines_are_ours() {
        assert!(super::is_ours("!'/usr/bin/lanyard' git-credential"));
        assert!(super::is_ours("!'/home/u/.cargo/bin/lanyard' --config-dir '/home/u/.config/lanyard' git-credential"));
        assert!(!super::is_ours("!/usr/bin/gh auth git-credential"));
        assert!(!super::is_ours("!'/usr/bin/gh' auth git-credential"));
        assert!(!super::is_ours("store"));
        assert!(!super::is_ours(""));
    }
}
