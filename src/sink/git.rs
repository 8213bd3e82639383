//! lanyard as git's credential helper in the user's global git config: one `helper` line per
//! URL, added once and removed exactly (no other tool's lines are touched).

use std::path::Path;

use crate::env::Env;
use crate::error::{Error, Result};

/// The helper line git runs: lanyard's own path, and `--config-dir` unless the environment
/// names it (a path made absolute when parsed, so the line works from any directory).
fn helper_command(env: &Env, config_dir: &Path) -> Result<String> {
    let exe = std::env::current_exe().map_err(|e| Error::failure(format!("cannot find lanyard's own path: {e}")))?;
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let exe = quote(&exe.to_string_lossy());
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

/// Adds lanyard as the credential helper of one URL, once. Returns whether it was added.
pub fn add_helper(env: &Env, config_dir: &Path, base: &str) -> Result<bool> {
    let cmd = helper_command(env, config_dir)?;
    if helpers(base)?.contains(&cmd) {
        return Ok(false);
    }
    let out = git(&["config", "--global", "--add", &format!("credential.{base}.helper"), &cmd])?;
    if !out.status.success() {
        return Err(Error::failure(format!("git config failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
            .hint("check that your git config is writable"));
    }
    Ok(true)
}

/// Whether a lanyard helper line is configured for the URL.
pub fn has_helper(base: &str) -> Result<bool> {
    Ok(helpers(base)?.iter().any(|l| l.ends_with(" git-credential")))
}

/// Removes lanyard's helper lines for one URL.
pub fn remove_helper(base: &str) -> Result<()> {
    let _ = git(&["config", "--global", "--unset-all", &format!("credential.{base}.helper"), "git-credential$"])?;
    Ok(())
}
