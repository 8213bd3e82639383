//! `lanyard setup-npm TARGET [--registry URL] [--owner OWNER]`: the credential's token in the
//! user npmrc as `//HOST/PATH/:_authToken=…` for its npm registry (SPEC §12); refresh rewrites
//! the line, logout removes it (only while it holds lanyard's token).

use chrono::Duration;

use super::{Ctx, fresh, named};
use crate::cli::SetupNpmArgs;
use crate::error::{Error, Exit, Result};
use crate::ui;

/// Runs `lanyard setup-npm`.
pub fn setup(ctx: &Ctx, args: SetupNpmArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let store = ctx.store();
    let (id, _) = store.load_one(&n.host, n.account.as_deref())?.find(&n.host, n.account.as_deref())?;
    let cred = fresh(ctx, &id.host, Some(&id.account), Duration::seconds(60))?;
    let owner = args.owner.clone().unwrap_or_else(|| id.account.clone());
    let registry = match &args.registry {
        Some(r) => r.clone(),
        None => crate::family::npm_registry(&cred.record, &id.host, &owner).ok_or_else(|| {
            Error::usage(format!("lanyard knows no npm registry for `{id}`"))
                .hint("name the registry's URL with `--registry`")
        })?,
    };
    let npmrc = crate::sink::npm::path(&ctx.env)?;
    let key = crate::sink::npm::key(&registry);
    let sink = if args.pnpm {
        let launcher = launcher(ctx, &id.host, &key)?;
        crate::sink::npm::set_setting(&npmrc, &key, crate::sink::npm::HELPER, &launcher.to_string_lossy())?;
        crate::sink::Sink::Pnpm { path: npmrc, key, launcher }
    } else {
        crate::sink::Sink::Npm { path: npmrc, key }
    };
    let mut locked = store.lock()?;
    let notes = crate::accounts::add_sinks(&ctx.registry()?, &mut locked, &id, &cred, &[sink])?;
    locked.save()?;
    ui::tell(&notes);
    ui::say(&format!("npm sends `{id}`'s token to {registry} (`npm whoami --registry {registry}` checks it)."));
    Ok(Exit::Ok)
}

/// pnpm's token helper: an absolute path without arguments (pnpm runs it through a shell and uses
/// its output as the whole `Authorization` value), so a launcher under the config dir, 0700,
/// names the host and the config dir and calls lanyard by a path that survives upgrades.
fn launcher(ctx: &Ctx, host: &str, key: &str) -> Result<std::path::PathBuf> {
    let dir = ctx.config_dir.join("helpers");
    let name: String =
        key.trim_matches('/').chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
    let path = dir.join(format!("pnpm-{name}"));
    let q = |s: &str| crate::fsutil::shell_word(s);
    let script = format!(
        "#!/bin/sh\n# Written by `lanyard setup-npm --pnpm` for {host}: pnpm runs it for the token, never kept in .npmrc.\nt=$({} --config-dir {} token {}) || exit $?\nprintf 'Bearer %s\\n' \"$t\"\n",
        q(&crate::sink::program::own_program(&ctx.env)?),
        q(&ctx.config_dir.to_string_lossy()),
        q(host)
    );
    let lock = crate::fsutil::Lock::acquire(&path)?;
    crate::fsutil::write_atomic(&lock, script.as_bytes())?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| crate::fsutil::io_error("set the mode of", &path, e))?;
    Ok(path)
}
