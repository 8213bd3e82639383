//! kubectl's kubeconfig (SPEC §12): `setup-kube` writes a `users[]` entry whose `exec` runs
//! `lanyard kube-credential TARGET`, and points a context at it — in `--kubeconfig`, else
//! `$KUBECONFIG`'s first file, else `~/.kube/config`; atomically, after a 0600 backup, every
//! other entry kept (as kubectl itself rewrites the file, comments are not kept). A file that is
//! not YAML, or whose lists are not lists, is never rewritten.

use std::path::{Path, PathBuf};

use yaml_rust2::yaml::{Hash, Yaml};
use yaml_rust2::{YamlEmitter, YamlLoader};

use crate::env::Env;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};

/// The ExecCredential version kubectl before 1.22 reads (Debian 12's kubectl is 1.20).
pub const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";
/// The version kubectl 1.22 and later read.
pub const V1: &str = "client.authentication.k8s.io/v1";

/// The ExecCredential version the installed kubectl reads: v1beta1 before 1.22 (SPEC §15), v1
/// from 1.22, v1 when no kubectl answers.
pub fn kubectl_version(env: &crate::env::Env) -> String {
    let out = std::process::Command::new("kubectl")
        .args(["version", "--client", "-o", "json"])
        .env_clear()
        .envs(env.var("PATH").map(|p| ("PATH", p.to_string())))
        .output();
    let minor = out
        .ok()
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
        .and_then(|v| v["clientVersion"]["minor"].as_str().and_then(|m| m.trim_end_matches('+').parse::<u32>().ok()));
    match minor {
        Some(m) if m < 22 => V1BETA1.to_string(),
        _ => V1.to_string(),
    }
}

/// The kubeconfig kubectl reads first.
pub fn path(env: &Env, flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(first) =
        env.var("KUBECONFIG").and_then(|k| std::env::split_paths(k).find(|p| !p.as_os_str().is_empty()))
    {
        return Ok(first);
    }
    env.home()
        .map(|h| h.join(".kube/config"))
        .ok_or_else(|| Error::usage("cannot find HOME for ~/.kube/config").hint("pass --kubeconfig PATH"))
}

/// The `user.exec` stanza of one kubeconfig user.
#[derive(Debug, Clone)]
pub struct Exec {
    /// `client.authentication.k8s.io/v1` or `…/v1beta1`.
    pub api_version: String,
    /// The program kubectl runs.
    pub command: String,
    /// Its arguments.
    pub args: Vec<String>,
}

fn s(v: &str) -> Yaml {
    Yaml::String(v.to_string())
}

fn bad(path: &Path, what: &str) -> Error {
    Error::usage(format!("`{}`: {what}; lanyard leaves it as it is", path.display())).hint(format!(
        "fix {} (`kubectl config view` shows what kubectl reads), then run the command again",
        path.display()
    ))
}

/// Replaces the `exec` of the existing user `name` (its contexts keep naming it). Returns the
/// backup made.
pub fn replace_user_exec(path: &Path, name: &str, exec: &Exec) -> Result<Option<PathBuf>> {
    let lock = Lock::acquire(path)?;
    let text = fsutil::read_trusted(path)?.unwrap_or_default();
    let mut docs = YamlLoader::load_from_str(&text).map_err(|e| bad(path, &format!("not YAML ({e})")))?;
    if docs.len() != 1 {
        return Err(bad(path, "not one YAML document"));
    }
    let mut doc = docs.remove(0);
    let Yaml::Hash(top) = &mut doc else { return Err(bad(path, "not a mapping")) };
    let Some(Yaml::Array(users)) = top.get_mut(&s("users")) else { return Err(bad(path, "`users` is not a list")) };
    let Some(Yaml::Hash(u)) = users.iter_mut().find(|u| u["name"].as_str() == Some(name)) else {
        return Err(bad(path, &format!("has no user `{name}`")));
    };
    let mut user = Hash::new();
    user.insert(s("exec"), Yaml::Hash(exec_stanza(exec)));
    u.insert(s("user"), Yaml::Hash(user));
    let mut out = String::new();
    YamlEmitter::new(&mut out).dump(&doc).map_err(|e| Error::failure(format!("cannot write YAML: {e}")))?;
    let out = out.strip_prefix("---\n").unwrap_or(&out).to_string() + "\n";
    let backup = fsutil::backup(&lock)?;
    fsutil::write_atomic(&lock, out.as_bytes())?;
    Ok(backup)
}

fn exec_stanza(exec: &Exec) -> Hash {
    let mut exec_map = Hash::new();
    exec_map.insert(s("apiVersion"), s(&exec.api_version));
    exec_map.insert(s("command"), s(&exec.command));
    exec_map.insert(s("args"), Yaml::Array(exec.args.iter().map(|a| s(a)).collect()));
    if exec.api_version.ends_with("/v1") {
        // Required by v1: lanyard asks for a login only where kubectl says a person is there.
        exec_map.insert(s("interactiveMode"), s("IfAvailable"));
    }
    exec_map.insert(s("provideClusterInfo"), Yaml::Boolean(false));
    exec_map
}

/// Writes the user `name` with `exec` and points `context` (else the current context) at it.
/// Returns the context pointed and the backup made.
pub fn set_exec_user(path: &Path, name: &str, exec: &Exec, context: Option<&str>) -> Result<(String, Option<PathBuf>)> {
    let lock = Lock::acquire(path)?;
    let text = fsutil::read_trusted(path)?.unwrap_or_default();
    let mut doc = if text.trim().is_empty() {
        let mut h = Hash::new();
        h.insert(s("apiVersion"), s("v1"));
        h.insert(s("kind"), s("Config"));
        Yaml::Hash(h)
    } else {
        let mut docs = YamlLoader::load_from_str(&text).map_err(|e| bad(path, &format!("not YAML ({e})")))?;
        if docs.len() != 1 {
            return Err(bad(path, "not one YAML document"));
        }
        docs.remove(0)
    };
    let Yaml::Hash(top) = &mut doc else { return Err(bad(path, "not a mapping")) };

    let mut user = Hash::new();
    user.insert(s("exec"), Yaml::Hash(exec_stanza(exec)));
    let mut entry = Hash::new();
    entry.insert(s("name"), s(name));
    entry.insert(s("user"), Yaml::Hash(user));

    let users = top.entry(s("users")).or_insert(Yaml::Array(Vec::new()));
    if users.is_null() {
        *users = Yaml::Array(Vec::new());
    }
    let Yaml::Array(users) = users else { return Err(bad(path, "`users` is not a list")) };
    match users.iter_mut().find(|u| u["name"].as_str() == Some(name)) {
        Some(u) => *u = Yaml::Hash(entry),
        None => users.push(Yaml::Hash(entry)),
    }

    let current = top.get(&s("current-context")).and_then(|c| c.as_str()).filter(|c| !c.is_empty()).map(str::to_string);
    let Some(wanted) = context.map(str::to_string).or(current) else {
        return Err(Error::usage(format!("`{}` has no current context", path.display()))
            .hint("pass --context NAME (a context `kubectl config get-contexts` lists)"));
    };
    let contexts = top.get_mut(&s("contexts"));
    let Some(Yaml::Array(contexts)) = contexts else {
        return Err(Error::usage(format!("`{}` has no context `{wanted}`", path.display())).hint(
            "create it with `kubectl config set-context` first (`kubectl config get-contexts` lists the contexts there are), then run the command again",
        ));
    };
    let Some(Yaml::Hash(c)) = contexts.iter_mut().find(|c| c["name"].as_str() == Some(wanted.as_str())) else {
        return Err(Error::usage(format!("`{}` has no context `{wanted}`", path.display()))
            .hint("pass --context NAME (a context `kubectl config get-contexts` lists)"));
    };
    let ctx = c.entry(s("context")).or_insert(Yaml::Hash(Hash::new()));
    let Yaml::Hash(ctx) = ctx else { return Err(bad(path, &format!("context `{wanted}` is not a mapping"))) };
    ctx.insert(s("user"), s(name));

    let mut out = String::new();
    YamlEmitter::new(&mut out).dump(&doc).map_err(|e| Error::failure(format!("cannot write YAML: {e}")))?;
    let out = out.strip_prefix("---\n").unwrap_or(&out).to_string() + "\n";
    let backup = fsutil::backup(&lock)?;
    fsutil::write_atomic(&lock, out.as_bytes())?;
    Ok((wanted, backup))
}
