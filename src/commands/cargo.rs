//! `lanyard cargo-credential` — cargo's credential-provider protocol v1 (RFC 3139; cargo runs
//! it with `--cargo-plugin`) — and `lanyard setup-cargo NAME --index URL [--from TARGET]`, which
//! names it in `$CARGO_HOME/config.toml` (SPEC §12).

use std::io::{BufRead, Write};

use chrono::Duration;

use super::{Ctx, fresh, listed_registries, named};
use crate::cli::{CargoCredentialArgs, SetupCargoArgs};
use crate::error::{Error, Exit, Result};
use crate::ui;

/// One answer line.
fn send(out: &mut impl Write, v: serde_json::Value) -> Result<()> {
    writeln!(out, "{v}").and_then(|_| out.flush()).map_err(|e| Error::failure(format!("cannot write to cargo: {e}")))
}

/// The registry host key of an index URL (`sparse+https://host/index/` → `host`).
fn index_key(url: &str) -> String {
    let u = url.trim().trim_start_matches("sparse+");
    crate::sink::docker::registry_key(u)
}

/// Runs `lanyard cargo-credential`: the hello, then one answer per request until cargo closes
/// stdin. `get` answers with the token of the credential that serves the index's host (refreshed
/// first) and when it expires; `login` and `logout` are lanyard's own (`lanyard login`/`logout`).
pub fn credential(ctx: &Ctx, _args: CargoCredentialArgs) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    send(&mut out, serde_json::json!({ "v": [1] }))?;
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| Error::usage(format!("cannot read cargo's request: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(req) => answer(ctx, &req),
            Err(_) => {
                serde_json::json!({"Err": {"kind": "other", "message": "lanyard could not read cargo's request"}})
            }
        };
        send(&mut out, answer)?;
    }
    Ok(Exit::Ok)
}

fn other(message: String) -> serde_json::Value {
    serde_json::json!({"Err": {"kind": "other", "message": message}})
}

fn answer(ctx: &Ctx, req: &serde_json::Value) -> serde_json::Value {
    let index = req["registry"]["index-url"].as_str().unwrap_or_default();
    let key = index_key(index);
    match req["kind"].as_str() {
        Some("get") => {
            let data = match ctx.store().load() {
                Ok(d) => d,
                Err(e) => return other(e.message),
            };
            let Some(id) = crate::registries::serving(&data, &key, &listed_registries(ctx)) else {
                return serde_json::json!({"Err": {"kind": "not-found"}});
            };
            match fresh(ctx, &id.host, Some(&id.account), Duration::seconds(60)) {
                Ok(cred) => {
                    let token = crate::family::cargo_token(&cred.record, cred.secrets.token.expose_secret());
                    let mut ok = serde_json::json!({"kind": "get", "token": token, "operation_independent": true});
                    match cred.record.expires_at {
                        // Cargo asks again after this moment (minus its own margin).
                        Some(e) => {
                            ok["cache"] = "expires".into();
                            ok["expiration"] = e.timestamp().into();
                        }
                        None => ok["cache"] = "session".into(),
                    }
                    serde_json::json!({ "Ok": ok })
                }
                Err(e) => {
                    let hint = e.hints.first().cloned().unwrap_or_default();
                    other(format!("{} ({hint})", e.message))
                }
            }
        }
        Some("login") => other(format!("lanyard logs in itself: `lanyard login {key}`, then `lanyard setup-cargo`")),
        Some("logout") => other(format!("lanyard logs out itself: `lanyard logout {key}`")),
        _ => serde_json::json!({"Err": {"kind": "operation-not-supported"}}),
    }
}

/// Runs `lanyard setup-cargo`.
pub fn setup(ctx: &Ctx, args: SetupCargoArgs) -> Result<Exit> {
    let key = index_key(&args.index);
    if key.is_empty() {
        return Err(Error::usage(format!("`{}` is not an index URL", args.index))
            .hint("`sparse+https://HOST/PATH/` (or the git index's URL)"));
    }
    let store = ctx.store();
    if let Some(from) = &args.from {
        let n = named(ctx, from)?;
        let mut locked = store.lock()?;
        locked.data.find(&n.host, n.account.as_deref())?;
        locked.data.registries.insert(key.clone(), n.host.clone());
        locked.save()?;
    }
    let data = store.load()?;
    let Some(id) = crate::registries::serving(&data, &key, &listed_registries(ctx)) else {
        return Err(Error::new(Exit::NotLoggedIn, format!("no credential of lanyard answers `{key}`")).hint(format!(
                "log in to it (`lanyard login {key}`), or name the credential that answers it with `--from` and a target `lanyard status` lists",
            )));
    };
    let path = crate::sink::cargo::config_path(&ctx.env)?;
    let mut provider = vec![crate::sink::program::own_program(&ctx.env)?];
    if ctx.env.var("LANYARD_CONFIG_DIR").is_none() {
        provider.extend(["--config-dir".to_string(), ctx.config_dir.to_string_lossy().into_owned()]);
    }
    provider.push("cargo-credential".to_string());
    crate::sink::cargo::set_registry(&path, &args.name, &args.index, &provider)?;
    ui::say(&format!(
        "{}: `[registries.{}]` reads {} and gets its token from lanyard (`{id}`).",
        path.display(),
        args.name,
        args.index
    ));
    Ok(Exit::Ok)
}
