//! `lanyard docker-credential get|store|erase|list` — docker's credential-helper protocol, which
//! docker, podman, buildah, skopeo, crane, oras and helm speak (also run as
//! `docker-credential-lanyard`) — and `lanyard setup-docker`, which names lanyard in their
//! config files (SPEC §12).

use std::io::Read;
use std::path::PathBuf;

use chrono::Duration;

use super::{Ctx, fresh, listed_registries, named};
use crate::cli::{DockerAction, DockerCredentialArgs, SetupDockerArgs};
use crate::credential::CredentialId;
use crate::error::{Error, Exit, Result};
use crate::family::oci;
use crate::sink::docker::{self as files, registry_key};
use crate::ui;

/// What the protocol answers for a registry lanyard does not serve (docker's own helpers'
/// words: the tools look for them).
const NOT_FOUND: &str = "credentials not found in native keychain";

/// Runs `lanyard docker-credential`.
pub fn run(ctx: &Ctx, args: DockerCredentialArgs) -> Result<Exit> {
    match args.action {
        DockerAction::Get => get(ctx),
        DockerAction::Store => store(ctx),
        DockerAction::Erase => erase(ctx),
        DockerAction::List => list(ctx),
    }
}

fn stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().take(64 << 10).read_to_string(&mut s).map_err(|e| {
        Error::usage(format!("cannot read stdin: {e}")).hint("the container tool writes the request on stdin")
    })?;
    Ok(s)
}

fn print(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|_| out.flush())
        .map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))
}

fn get(ctx: &Ctx) -> Result<Exit> {
    let server = stdin()?.trim().to_string();
    let key = registry_key(&server);
    let data = ctx.store().load()?;
    let Some(id) = crate::registries::serving(&data, &key, &listed_registries(ctx)) else {
        print(NOT_FOUND)?;
        return Ok(Exit::Failure);
    };
    ui::debug(&format!("`{key}` is answered by `{id}`"));
    let cred = fresh(ctx, &id.host, Some(&id.account), Duration::seconds(60))?;
    let answer = serde_json::json!({
        "ServerURL": server,
        "Username": crate::family::registry_username(&cred.record),
        "Secret": cred.secrets.token.expose_secret(),
    });
    print(&answer.to_string())?;
    Ok(Exit::Ok)
}

#[derive(serde::Deserialize)]
struct Given {
    #[serde(rename = "ServerURL")]
    server_url: String,
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: crate::secret::Secret,
}

fn store(ctx: &Ctx) -> Result<Exit> {
    let given: Given = serde_json::from_str(&stdin()?).map_err(|e| {
        Error::usage(format!("the credential on stdin is not docker's JSON ({:?} error)", e.classify()))
            .hint("`{\"ServerURL\": …, \"Username\": …, \"Secret\": …}`, as docker login writes it")
    })?;
    let key = registry_key(&given.server_url);
    let store = ctx.store();
    let data = store.load()?;
    // A forge's credential answering this registry is lanyard's own; `docker login` keeps its
    // own credential only where none is (SPEC §15).
    if let Some((id, s)) = data.active(&key).filter(|(_, s)| !oci::is_registry_login(&s.record)) {
        return Err(Error::usage(format!(
            "lanyard answers `{key}` with `{id}` (a {} login); `docker login` does not replace it",
            s.record.provider
        ))
        .hint(format!("`lanyard logout {id}` first if docker's credential should answer `{key}`")));
    }
    let site = oci::site(&key)?;
    let http = ctx.http(None)?;
    let mut cred = crate::http::block_on(oci::docker_login(&http, &site, &given.username, given.secret, ctx.now()))?;
    cred.record.storage = store.choose(None, ctx.config.storage)?.storage;
    let mut locked = store.lock()?;
    // One credential per registry, as docker keeps them: `docker login` as another user replaces
    // the registry login there was (never a forge's: refused above).
    let before: Vec<CredentialId> = locked
        .data
        .accounts(&key)
        .filter(|(id, s)| oci::is_registry_login(&s.record) && Some(id.account.as_str()) != cred.record.user.as_deref())
        .map(|(id, _)| id.clone())
        .collect();
    for id in &before {
        locked.remove(id)?;
    }
    let id = locked.put(&key, cred)?;
    locked.data.providers.insert(key.clone(), "oci".to_string());
    locked.save()?;
    ui::debug(&format!("stored `{id}` for docker"));
    Ok(Exit::Ok)
}

fn erase(ctx: &Ctx) -> Result<Exit> {
    let key = registry_key(stdin()?.trim());
    let store = ctx.store();
    let mut locked = store.lock()?;
    let ours: Vec<CredentialId> = locked
        .data
        .accounts(&key)
        .filter(|(_, s)| oci::is_registry_login(&s.record))
        .map(|(id, _)| id.clone())
        .collect();
    if ours.is_empty() {
        // Nothing docker stored: a forge's credential stays (`lanyard logout` removes it).
        return Ok(Exit::Ok);
    }
    for id in &ours {
        locked.remove(id)?;
    }
    locked.save()?;
    Ok(Exit::Ok)
}

fn list(ctx: &Ctx) -> Result<Exit> {
    let data = ctx.store().load()?;
    let mut out = serde_json::Map::new();
    for (registry, id) in crate::registries::all(&data, &listed_registries(ctx)) {
        let user = data
            .credentials
            .get(&id)
            .map(|s| crate::family::registry_username(&s.record))
            .unwrap_or_else(|| id.account.clone());
        out.insert(registry, serde_json::Value::String(user));
    }
    print(&serde_json::Value::Object(out).to_string())?;
    Ok(Exit::Ok)
}

/// Runs `lanyard setup-docker`.
pub fn setup(ctx: &Ctx, args: SetupDockerArgs) -> Result<Exit> {
    let store = ctx.store();
    let wanted: Vec<String> = args.registries.iter().map(|r| registry_key(r)).filter(|r| !r.is_empty()).collect();
    if let Some(from) = &args.from {
        if wanted.is_empty() {
            return Err(Error::usage("`--from` needs the registry it answers")
                .hint(format!("name the registry that `{from}` answers before `--from`")));
        }
        let n = named(ctx, from)?;
        let mut locked = store.lock()?;
        locked.data.find(&n.host, n.account.as_deref())?;
        for r in &wanted {
            locked.data.registries.insert(r.clone(), n.host.clone());
        }
        locked.save()?;
    }
    let data = store.load()?;
    let registries: Vec<String> = if wanted.is_empty() {
        crate::registries::all(&data, &listed_registries(ctx)).into_iter().map(|(r, _)| r).collect()
    } else {
        let unserved: Vec<&String> =
            wanted.iter().filter(|r| crate::registries::serving(&data, r, &listed_registries(ctx)).is_none()).collect();
        if !unserved.is_empty() {
            let list = unserved.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
            return Err(Error::new(Exit::NotLoggedIn, format!("no credential of lanyard answers {list}"))
                .hint(format!(
                    "log in to it (`lanyard login {} --provider oci`), or name the credential that answers it with `--from` and a target `lanyard status` lists",
                    unserved[0]
                )));
        }
        wanted
    };
    if registries.is_empty() {
        return Err(Error::new(Exit::NotLoggedIn, "no credential of lanyard answers a container registry").hint(
            "log in to a forge or a registry first (`lanyard login ghcr.io --provider oci`, `lanyard login github`)",
        ));
    }
    // A forge token without the registry's scopes is refused by the registry: say so now, with
    // the login that asks for them.
    let listed = listed_registries(ctx);
    for r in &registries {
        let Some(id) = crate::registries::serving(&data, r, &listed) else { continue };
        let Some(s) = data.credentials.get(&id) else { continue };
        let missing = crate::family::missing_registry_scopes(&s.record);
        if !missing.is_empty() {
            let scopes: Vec<&str> = s.record.scopes.iter().map(String::as_str).chain(missing.iter().copied()).collect();
            ui::warn(&format!(
                "the token of `{id}` lacks {} (`{r}` needs it): `lanyard login {} --scopes {} --force`",
                missing.join(" and "),
                id.host,
                scopes.join(",")
            ));
        }
    }
    for path in files::files(&ctx.env)? {
        for (r, old) in files::add_helpers(&path, &registries)? {
            ui::warn(&format!("`credHelpers` of {} named `{old}` for `{r}`; it names lanyard now", path.display()));
        }
        ui::say(&format!("{}: lanyard answers {}.", path.display(), registries.join(", ")));
    }
    link(ctx, args.bin_dir)?;
    Ok(Exit::Ok)
}

/// Makes `docker-credential-lanyard` (a link to this program) where the tools find it.
fn link(ctx: &Ctx, dir: Option<PathBuf>) -> Result<()> {
    let exe = std::env::current_exe().map_err(|e| Error::failure(format!("cannot find lanyard's own program: {e}")))?;
    let dir = match dir {
        Some(d) => d,
        None => {
            let beside = exe.parent().map(|p| p.to_path_buf()).filter(|p| writable(p));
            match beside {
                Some(d) => d,
                None => ctx.env.home().map(|h| h.join(".local/bin")).ok_or_else(|| {
                    Error::usage("cannot find HOME for ~/.local/bin").hint("pass --bin-dir DIR (a directory on PATH)")
                })?,
            }
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| crate::fsutil::io_error("create", &dir, e))?;
    let link = dir.join("docker-credential-lanyard");
    match std::fs::read_link(&link) {
        Ok(to) if to == exe => {}
        Ok(_) => {
            std::fs::remove_file(&link).map_err(|e| crate::fsutil::io_error("replace", &link, e))?;
            std::os::unix::fs::symlink(&exe, &link).map_err(|e| crate::fsutil::io_error("create", &link, e))?;
        }
        Err(_) if link.exists() => {
            return Err(Error::usage(format!("`{}` exists and is not lanyard's link", link.display()))
                .hint("remove it, or pass --bin-dir DIR"));
        }
        Err(_) => std::os::unix::fs::symlink(&exe, &link).map_err(|e| crate::fsutil::io_error("create", &link, e))?,
    }
    let on_path = ctx.env.var("PATH").is_some_and(|p| std::env::split_paths(p).any(|d| d == dir));
    ui::say(&format!(
        "{} runs lanyard for the container tools{}.",
        link.display(),
        if on_path { "" } else { " (that directory is not on PATH: add it, or pass --bin-dir)" }
    ));
    Ok(())
}

fn writable(dir: &std::path::Path) -> bool {
    rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_ok()
}
