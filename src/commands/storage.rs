//! `lanyard storage migrate --to KIND` (SPEC §13): every credential of this machine moves to
//! another storage, all or nothing, with a backup, under the store's lock; config.toml then
//! names the new storage.

use super::Ctx;
use crate::cli::{StorageAction, StorageArgs};
use crate::credential::Storage;
use crate::error::{Error, Exit, Result};
use crate::store::StoragePref;
use crate::ui;

/// Runs `lanyard storage`.
pub fn run(ctx: &Ctx, args: StorageArgs) -> Result<Exit> {
    let StorageAction::Migrate { to } = args.action;
    let store = ctx.store();
    let chosen = match to {
        StoragePref::Auto | StoragePref::Vault => {
            return Err(Error::usage(format!(
                "`--to {}` is not a storage credentials move to",
                if to == StoragePref::Auto { "auto" } else { "vault" }
            ))
            .hint("choose keyring, encrypted or file (shared credentials are logged in with `--storage vault`)"));
        }
        // Checks that the target can be used (a keyring answers; the encrypted store has a key).
        StoragePref::File | StoragePref::Keyring | StoragePref::Encrypted => store.choose(Some(to), None)?.storage,
    };
    let moved = store.lock_local()?.move_all(chosen)?;
    crate::config::set_storage(&ctx.config_dir, chosen.as_str())?;
    for n in &moved.notes {
        ui::warn(n);
    }
    let place = store.where_new(chosen).line();
    match moved.ids.len() {
        0 => ui::say(&format!("Nothing to move: every credential of this machine is already in {place}.")),
        n => ui::say(&format!(
            "Moved {n} credential{} to {place}: {}.",
            if n == 1 { "" } else { "s" },
            moved.ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
    if let Some(b) = &moved.backup {
        ui::say(&format!("The file as it was is kept at {}.", b.display()));
    }
    ui::say(&format!("config.toml now says `storage = \"{}\"`: new logins go there too.", chosen.as_str()));
    if chosen == Storage::File {
        ui::warn("the secrets are now in clear in a 0600 file");
    }
    Ok(Exit::Ok)
}
