//! The container tools' config files (SPEC §12): docker's `config.json` (`$DOCKER_CONFIG`, else
//! `~/.docker`) and containers' `auth.json` (`$REGISTRY_AUTH_FILE`, else
//! `~/.config/containers/auth.json`, and `$XDG_RUNTIME_DIR/containers/auth.json` too when it
//! exists: podman reads it first). lanyard writes only `credHelpers` entries naming itself —
//! never a secret — atomically under a lock, every other key kept; a file that is not JSON is
//! never rewritten.

use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};

/// The container tools' files as `status` names them among the copies lanyard did not write.
pub const SOURCE: &str = "docker";

/// The helper name docker and containers call: `docker-credential-lanyard`.
pub const HELPER: &str = "lanyard";

/// The files the container tools read credentials from, in the order they are written.
pub fn files(env: &Env) -> Result<Vec<PathBuf>> {
    let home = env.home().ok_or_else(|| Error::usage("cannot find HOME for docker's config").hint("set HOME"))?;
    let docker =
        env.var("DOCKER_CONFIG").map(PathBuf::from).unwrap_or_else(|| home.join(".docker")).join("config.json");
    let mut out = vec![docker];
    match env.var("REGISTRY_AUTH_FILE") {
        Some(f) => out.push(PathBuf::from(f)),
        None => {
            out.push(home.join(".config/containers/auth.json"));
            if let Some(run) = env.var("XDG_RUNTIME_DIR").map(PathBuf::from) {
                let f = run.join("containers/auth.json");
                if f.exists() {
                    out.push(f);
                }
            }
        }
    }
    Ok(out)
}

/// Adds `credHelpers[registry] = "lanyard"` for each registry to one file. Returns the
/// registries whose entry named another helper before (replaced, and said).
pub fn add_helpers(path: &Path, registries: &[String]) -> Result<Vec<(String, String)>> {
    let lock = Lock::acquire(path)?;
    let mut doc = read(path)?;
    let helpers =
        doc.as_object_mut().expect("checked in read").entry("credHelpers").or_insert_with(|| serde_json::json!({}));
    let Some(helpers) = helpers.as_object_mut() else {
        return Err(Error::usage(format!("`{}`: `credHelpers` is not an object", path.display()))
            .hint(format!("fix `credHelpers` in {}; lanyard left the file as it was", path.display())));
    };
    let mut replaced = Vec::new();
    for r in registries {
        if let Some(old) = helpers.get(r).and_then(|v| v.as_str()).filter(|o| *o != HELPER) {
            replaced.push((r.clone(), old.to_string()));
        }
        helpers.insert(r.clone(), serde_json::Value::String(HELPER.into()));
    }
    let mut text = serde_json::to_string_pretty(&doc).expect("serializes");
    text.push('\n');
    fsutil::write_atomic(&lock, text.as_bytes())?;
    Ok(replaced)
}

/// What a file says about a registry: lanyard's helper, another helper, or a plaintext `auths`
/// entry (a copy lanyard does not manage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// `credHelpers` names lanyard.
    Ours,
    /// `credHelpers` names another helper.
    Other(String),
    /// A base64 `auths` entry: the secret in clear.
    Plain,
}

/// The entries of one file for the registries asked about (unreadable or missing: none).
pub fn inspect(path: &Path, registries: &[String]) -> Vec<(String, Entry)> {
    let Ok(doc) = read(path) else { return Vec::new() };
    let mut out = Vec::new();
    for r in registries {
        match doc.get("credHelpers").and_then(|h| h.get(r)).and_then(|v| v.as_str()) {
            Some(HELPER) => out.push((r.clone(), Entry::Ours)),
            Some(other) => out.push((r.clone(), Entry::Other(other.to_string()))),
            None => {}
        }
        let auths = doc.get("auths").and_then(|a| a.as_object());
        if auths.is_some_and(|a| {
            a.iter().any(|(k, v)| {
                registry_key(k) == *r && v.get("auth").and_then(|x| x.as_str()).is_some_and(|x| !x.is_empty())
            })
        }) {
            out.push((r.clone(), Entry::Plain));
        }
    }
    out
}

fn read(path: &Path) -> Result<serde_json::Value> {
    let text = fsutil::read_trusted(path)?.unwrap_or_else(|| "{}".to_string());
    let doc: serde_json::Value =
        serde_json::from_str(if text.trim().is_empty() { "{}" } else { &text }).map_err(|e| {
            Error::usage(format!("`{}` is not JSON (line {}): lanyard leaves it as it is", path.display(), e.line()))
                .hint(format!("fix {} and run the command again", path.display()))
        })?;
    if !doc.is_object() {
        return Err(Error::usage(format!("`{}` is not a JSON object", path.display()))
            .hint(format!("fix {} and run the command again", path.display())));
    }
    Ok(doc)
}

/// A registry as the helper protocol and config files name it (`https://index.docker.io/v1/`,
/// `ghcr.io`, `127.0.0.1:5000`) → its host key (`index.docker.io`, `ghcr.io`, `127.0.0.1:5000`).
pub fn registry_key(server: &str) -> String {
    let s = server.trim();
    let s = s.split_once("://").map(|(_, r)| r).unwrap_or(s);
    s.split('/').next().unwrap_or("").to_ascii_lowercase()
}
