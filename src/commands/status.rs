//! `lanyard status`: every selected credential, its health and the fix for each problem, plus
//! the tokens Nix uses that lanyard did not write. Online checks run concurrently; `--offline`
//! judges from what is stored. Never refreshes.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::{Ctx, named};
use crate::cli::StatusArgs;
use crate::credential::{Credential, CredentialId, Freshness, Record, Secrets, Stale, freshness};
use crate::error::{Error, Exit, Result};
use crate::family;
use crate::sink::{Holds, Sink, nix};
use crate::status::{Health, Probe, Problem, State, evaluate, relative};
use crate::store::{Data, Store, Unreadable, Where};

struct Row<'a> {
    key: String,
    /// The credential shown, when there is one.
    id: Option<CredentialId>,
    /// Whether it is its host's active account (among several).
    active: Option<bool>,
    /// Whether its health counts for the exit code: the host's active account, or an account
    /// named on the command line (`status HOST` gates on what `token HOST` would answer).
    gates: bool,
    cred: Option<&'a Record>,
    health: Health,
    /// A server that said just now it needs no login (duh in open mode).
    open: bool,
}

/// The Nix include a record was written to.
fn nix_sink(r: &Record) -> Option<PathBuf> {
    r.sinks.iter().find_map(|s| match s {
        Sink::Nix { tokens } => Some(tokens.clone()),
        _ => None,
    })
}

/// A token Nix will use that lanyard did not write.
struct Unmanaged {
    /// Which tool's file: `nix`, `duumbi`, `skillsctl`.
    source: &'static str,
    host: String,
    masked: String,
    origin: String,
}

/// One credential (or missing one) `status` shows.
struct Sel {
    key: String,
    id: Option<CredentialId>,
    gates: bool,
    active: Option<bool>,
}

/// Runs `lanyard status`.
pub fn run(ctx: &Ctx, args: StatusArgs) -> Result<Exit> {
    let store = ctx.store();
    let data = store.load()?;
    let mut sel: Vec<Sel> = Vec::new();
    // Every account of a host: one lookup of its accounts and one of its active one.
    let add_host = |host: &str, sel: &mut Vec<Sel>| {
        let ids: Vec<CredentialId> = data.accounts(host).map(|(i, _)| i.clone()).collect();
        if ids.is_empty() {
            sel.push(Sel { key: host.to_string(), id: None, gates: true, active: None });
        }
        let (several, active) = (ids.len() > 1, data.active_id(host));
        for id in ids {
            let this = active.as_ref() == Some(&id);
            sel.push(Sel { key: host.to_string(), gates: this, active: several.then_some(this), id: Some(id) });
        }
    };
    if args.targets.is_empty() {
        for host in data.hosts() {
            add_host(&host, &mut sel);
        }
    } else {
        for t in &args.targets {
            let n = named(ctx, t)?;
            match n.account {
                Some(a) => {
                    let id = CredentialId::new(&n.host, &a);
                    let known = data.credentials.contains_key(&id);
                    let active = (known && data.accounts(&n.host).nth(1).is_some()).then(|| data.is_active(&id));
                    let key = if known { n.host } else { id.to_string() };
                    sel.push(Sel { key, gates: true, active, id: known.then_some(id) });
                }
                None => add_host(&n.host, &mut sel),
            }
        }
    }
    let ids: Vec<Option<CredentialId>> = sel.iter().map(|s| s.id.clone()).collect();
    let now = ctx.now();
    let secrets = read_secrets(&store, &data, &ids);
    let probes = if args.offline {
        secrets
            .iter()
            .map(|s| s.as_ref().err().map(|e| Probe::NoSecret(e.clone())).unwrap_or(Probe::NotAsked))
            .collect()
    } else {
        probe_all(ctx, &ids, &data, &secrets, now)?
    };
    let mut rows: Vec<Row> = sel
        .into_iter()
        .zip(probes)
        .map(|(Sel { key, id, gates, active }, probe)| {
            let cred = id.as_ref().and_then(|i| data.credentials.get(i)).map(|s| &s.record);
            // Fix commands name the account when the host has several.
            let named = match (&id, active) {
                (Some(i), Some(_)) => crate::ui::shell_word(&i.to_string()),
                _ => key.clone(),
            };
            let mut health = evaluate(&named, cred, now, args.warn_within, &probe);
            // No credential: the login that works for this host (plain http to a remembered
            // loopback server).
            if cred.is_none() {
                for p in &mut health.problems {
                    p.fix = data.login_command(&key);
                }
            }
            Row { key, id, active, gates, cred, health, open: false }
        })
        .collect();
    if !args.offline {
        open_servers(ctx, &data, &mut rows)?;
    }
    let mut unmanaged = nix_check(ctx, &mut rows, args.targets.is_empty());
    sink_check(ctx, &store, &data, &secrets, &mut rows)?;
    if args.targets.is_empty() {
        unmanaged.extend(other_files(ctx, &data));
    }
    let mut exit = rows.iter().filter(|r| r.gates).fold(Exit::Ok, |acc, r| acc.worst(r.health.exit));
    // Tokens in the environment answer instead of stored ones (SPEC §14): listed, checked, and
    // for a host named on the command line, they are what the exit code is about.
    let from_env = env_tokens(ctx, &rows, &args.targets, args.offline);
    for e in from_env.iter().filter(|e| e.named) {
        exit = exit.worst(e.exit);
    }
    // Nobody logged in at all: a script gating on `status` must not pass (SPEC §2).
    if rows.is_empty() && unmanaged.is_empty() {
        exit = Exit::NotLoggedIn;
    }
    // Entries that were read but cannot be used (SPEC §6: reported, never fatal for the others).
    for p in &data.problems {
        crate::ui::warn(p);
    }
    let out = if args.json {
        render_json(&rows, &data, &store, &unmanaged)
    } else {
        let file_chosen = ctx.config.storage == Some(crate::store::StoragePref::File);
        let sealed = rows
            .iter()
            .any(|r| r.cred.is_some_and(|c| c.storage == crate::credential::Storage::Encrypted))
            .then(|| key_note(ctx, &store));
        render_text(&rows, &data, &store, now, &unmanaged, file_chosen, sealed.as_deref().unwrap_or(""))
    };
    // For a host named here, which account the chooser picks in this place when it is not the
    // active one (a rule, the repository's lanyard.account, LANYARD_ACCOUNT).
    let here: Vec<String> = args
        .targets
        .iter()
        .filter_map(|t| {
            let n = super::named(ctx, t).ok().filter(|n| n.account.is_none())?;
            match super::decide(ctx, &n.host, &crate::choose::Asked::default()) {
                super::Decision::Account(c) if c.why != crate::choose::Why::Active => {
                    Some(format!("{}: `{}` answers here ({})", n.host, c.account?, c.why.words()))
                }
                // The environment's tokens have their own block; the active account is the row.
                super::Decision::Account(_) | super::Decision::Env(_) => None,
            }
        })
        .collect();
    // A registry set up for the container tools whose forge token lacks the registry's scopes.
    let mut here = here;
    let docker_files: Vec<std::path::PathBuf> =
        crate::sink::docker::files(&ctx.env).unwrap_or_default().into_iter().filter(|f| f.exists()).collect();
    if args.targets.is_empty() && !docker_files.is_empty() {
        let served = crate::registries::all(&data, &super::listed_registries(ctx));
        let names: Vec<String> = served.iter().map(|(r, _)| r.clone()).collect();
        // Each file read once for every registry.
        let set_up: std::collections::BTreeSet<String> = docker_files
            .iter()
            .flat_map(|f| crate::sink::docker::inspect(f, &names))
            .filter(|(_, e)| *e == crate::sink::docker::Entry::Ours)
            .map(|(r, _)| r)
            .collect();
        for (registry, id) in served {
            let Some(s) = data.credentials.get(&id).filter(|_| set_up.contains(&registry)) else { continue };
            let missing = crate::family::missing_registry_scopes(&s.record);
            if !missing.is_empty() {
                let scopes: Vec<&str> =
                    s.record.scopes.iter().map(String::as_str).chain(missing.iter().copied()).collect();
                here.push(format!(
                    "{registry}: the token of `{id}` lacks {} — fix: lanyard login {} --scopes {} --force",
                    missing.join(" and "),
                    id.host,
                    scopes.join(",")
                ));
            }
        }
    }
    let out = if (from_env.is_empty() && here.is_empty()) || args.json {
        out
    } else {
        // Before the summary, which stays the last line.
        let cut = out.trim_end_matches('\n').rfind('\n').map(|i| i + 1).unwrap_or(0);
        let mut block = String::new();
        if !from_env.is_empty() {
            block.push_str(
                "Tokens from the environment (they answer instead of stored ones; `--ignore-env` turns them off):\n",
            );
            for e in &from_env {
                block.push_str(&format!("  {}  {}  source: env ({})  {}\n", e.host, e.masked, e.var, e.state));
            }
            block.push('\n');
        }
        for h in &here {
            block.push_str(&format!("{h}\n"));
        }
        if !here.is_empty() {
            block.push('\n');
        }
        format!("{}{block}{}", &out[..cut], &out[cut..])
    };
    std::io::stdout().write_all(out.as_bytes()).map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(exit)
}

/// A token in the environment bound to a host `status` is about.
struct FromEnv {
    host: String,
    var: &'static str,
    masked: String,
    state: String,
    exit: Exit,
    named: bool,
}

/// The environment's tokens for the hosts shown and the hosts the variables name, checked with
/// their servers unless `offline`.
fn env_tokens(ctx: &Ctx, rows: &[Row], targets: &[String], offline: bool) -> Vec<FromEnv> {
    if !ctx.env_tokens() {
        return Vec::new();
    }
    let named: Vec<String> = targets.iter().filter_map(|t| super::named(ctx, t).ok().map(|n| n.host)).collect();
    let mut hosts: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    hosts.extend(["github.com".to_string(), "gitlab.com".to_string()]);
    for var in ["GH_HOST", "GITLAB_HOST", "CI_SERVER_HOST", "GITEA_SERVER_URL"] {
        if let Some(v) = ctx.env.var(var) {
            let v = v.split_once("://").map(|(_, r)| r).unwrap_or(v).trim_end_matches('/');
            let port =
                (var == "CI_SERVER_HOST").then(|| ctx.env.var("CI_SERVER_PORT").filter(|p| *p != "443")).flatten();
            hosts.push(match port {
                Some(p) => format!("{}:{p}", v.to_ascii_lowercase()),
                None => v.to_ascii_lowercase(),
            });
        }
    }
    hosts.sort();
    hosts.dedup();
    if !targets.is_empty() {
        hosts.retain(|h| named.contains(h));
    }
    let mut out = Vec::new();
    for host in hosts {
        let Some(t) = crate::choose::env_token(&ctx.env, &host) else { continue };
        let (state, exit) = if offline {
            ("unchecked".to_string(), Exit::Ok)
        } else {
            match check_env_token(ctx, &host, &t) {
                Ok(c) => {
                    let exit = Exit::from(&c);
                    let words = match &c {
                        crate::family::Checked::Valid => "valid".to_string(),
                        crate::family::Checked::Rejected { why } => format!("rejected: {why}"),
                        crate::family::Checked::Unreachable { why, .. } | crate::family::Checked::Protocol { why } => {
                            format!("unverified: {why}")
                        }
                    };
                    (words, exit)
                }
                Err(e) => (format!("unverified: {}", e.message), Exit::Unverified),
            }
        };
        out.push(FromEnv { named: named.contains(&host), host, var: t.var, masked: t.token.masked(), state, exit });
    }
    out
}

fn check_env_token(ctx: &Ctx, host: &str, t: &crate::choose::EnvToken) -> Result<crate::family::Checked> {
    let cred = crate::family::env_credential(host, t, ctx.now())?;
    let provider = ctx.registry()?.for_credential(host, &cred.record);
    let site = cred.record.site()?;
    let http = ctx.http(provider.ca_file.as_deref())?;
    Ok(crate::http::block_on(crate::family::check(&http, &provider, &site, &cred)))
}

/// A host lanyard remembers as a duh or skillsctl server but holds no credential for: asked whether it still
/// needs no login. An open server is `valid` (exit 0), so `lanyard status HOST && …` passes.
/// (Only the host is remembered for it: plain http is tried for loopback hosts, https elsewhere.)
fn open_servers(ctx: &Ctx, data: &Data, rows: &mut [Row]) -> Result<()> {
    let mut registry = None;
    for r in rows.iter_mut().filter(|r| r.cred.is_none()) {
        let Some(id) = data.providers.get(&r.key) else { continue };
        if registry.is_none() {
            registry = Some(ctx.registry()?);
        }
        let reg = registry.as_ref().expect("set above");
        let Ok(provider) = reg.for_kind(id, &r.key) else { continue };
        if !crate::family::may_be_open(provider.family) {
            continue;
        }
        let Ok(https) = crate::provider::Site::parse(&r.key) else { continue };
        let site = if crate::provider::site::is_loopback(&https.host) {
            crate::provider::Site { scheme: "http".into(), ..https }
        } else {
            https
        };
        let http = ctx.http(provider.ca_file.as_deref())?;
        if crate::http::block_on(crate::family::is_open(&http, &provider, &site)) == Some(true) {
            r.open = true;
            r.health = Health { state: State::Valid, problems: Vec::new(), exit: Exit::Ok };
        }
    }
    Ok(())
}

/// Other tools change their own files: each file a credential was written to (besides Nix's,
/// which `nix_check` follows through Nix's own reading) is read again, and a copy that is gone or
/// replaced is a problem with its fix. A consumer that lost lanyard's token is not logged in (exit 3).
fn sink_check(
    ctx: &Ctx,
    store: &Store,
    data: &Data,
    secrets: &[Result<Option<Secrets>, Unreadable>],
    rows: &mut [Row],
) -> Result<()> {
    let mut registry = None;
    for (r, held) in rows.iter_mut().zip(secrets) {
        let Some(c) = r.cred else { continue };
        let files: Vec<&Sink> =
            c.sinks.iter().filter(|s| matches!(s, Sink::Skillsctl { .. } | Sink::Duumbi { .. })).collect();
        if files.is_empty() {
            continue;
        }
        let Some(id) = &r.id else { continue };
        let Some(stored) = data.credentials.get(id) else { continue };
        let secrets = match held {
            Ok(Some(s)) => s.clone(),
            Ok(None) => match store.secrets(id, stored) {
                Ok(s) => s,
                Err(_) => continue,
            },
            Err(_) => continue,
        };
        if registry.is_none() {
            registry = Some(ctx.registry()?);
        }
        let provider = registry.as_ref().expect("set above").for_credential(&r.key, c);
        for sink in files {
            let what = sink.describe(None);
            match sink.inspect(&provider, c, &secrets) {
                Ok(Holds::Ours) => {}
                // The fix is a command alone (it is pasted); the other way out is in the message.
                // Each file's own state leads its line (SPEC §15): `replaced`, `gone`, `unreadable`;
                // the headline stays the credential's.
                Ok(Holds::Other) => r.health.problems.push(Problem {
                    message: format!(
                        "replaced: {what} holds another token now, not lanyard's (changed by another tool or another lanyard credential; to keep that one, `lanyard logout {}`)",
                        r.key
                    ),
                    fix: format!("lanyard login {} --force", r.key),
                }),
                Ok(Holds::Gone) => {
                    r.health.problems.push(Problem {
                        message: format!(
                            "gone: lanyard's token is gone from {what} (removed by another tool; if that was meant, `lanyard logout {}`)",
                            r.key
                        ),
                        fix: format!("lanyard login {} --force", r.key),
                    });
                    r.health.exit = r.health.exit.worst(Exit::NotLoggedIn);
                }
                // A file its tool cannot read either (duumbi fails on it): exit 2 (SPEC §2), and
                // the fix opens it (lanyard never rewrites a file it cannot parse).
                Err(e) => {
                    let fix = match (e.exit, sink.path()) {
                        (Exit::Usage, Some(path)) => {
                            format!("${{EDITOR:-vi}} {}", crate::ui::shell_word(&path.to_string_lossy()))
                        }
                        _ => e.hints.first().cloned().unwrap_or_else(|| format!("lanyard login {} --force", r.key)),
                    };
                    r.health.problems.push(Problem { message: format!("unreadable: {}", e.message), fix });
                    r.health.exit = r.health.exit.worst(e.exit);
                }
            }
        }
    }
    Ok(())
}

/// Tokens in duumbi's and skillsctl's files that lanyard did not write (SPEC §7), listed like
/// Nix's unmanaged ones.
fn other_files(ctx: &Ctx, data: &Data) -> Vec<Unmanaged> {
    let ours = |s: &Sink| data.records().any(|r| r.sinks.contains(s));
    let mut out = Vec::new();
    if let Ok(path) = crate::sink::duumbi::path(&ctx.env) {
        for (name, token) in crate::sink::duumbi::tokens(&path).unwrap_or_default() {
            if !ours(&Sink::Duumbi { path: path.clone(), name: name.clone() }) {
                out.push(Unmanaged {
                    source: Sink::DUUMBI,
                    host: format!("duumbi `[registries.{name}]`"),
                    masked: crate::secret::mask(&token),
                    origin: path.display().to_string(),
                });
            }
        }
    }
    if let Ok(path) = crate::sink::skillsctl::path(&ctx.env, None)
        && let Ok(Some(token)) = crate::sink::skillsctl::id_token(&path)
        && !ours(&Sink::Skillsctl { path: path.clone() })
    {
        out.push(Unmanaged {
            source: Sink::SKILLSCTL,
            host: Sink::SKILLSCTL.to_string(),
            masked: crate::secret::mask(&token),
            origin: path.display().to_string(),
        });
    }
    // A netrc entry for a host lanyard serves that lanyard did not write (the file read once).
    if let Ok(path) = crate::sink::netrc::path(&ctx.env) {
        let hosts: std::collections::BTreeSet<String> = data.hosts().into_iter().collect();
        let mine: std::collections::BTreeSet<&str> = data
            .records()
            .flat_map(|r| &r.sinks)
            .filter_map(|s| match s {
                Sink::Netrc { path: p, machine } if *p == path => Some(machine.as_str()),
                _ => None,
            })
            .collect();
        for (machine, password) in crate::sink::netrc::entries(&path).unwrap_or_default() {
            let host = hosts.iter().find(|h| **h == machine || h.rsplit_once(':').is_some_and(|(b, _)| b == machine));
            if let (Some(host), Some(password)) = (host, password)
                && !mine.contains(machine.as_str())
            {
                out.push(Unmanaged {
                    source: Sink::NETRC,
                    host: format!("netrc `machine {machine}`"),
                    masked: crate::secret::mask(&password),
                    origin: format!("{} (`lanyard setup-netrc {host}` puts lanyard's in its place)", path.display()),
                });
            }
        }
    }
    // A registry lanyard answers that a container tool's file also holds in clear (`auths`):
    // a copy lanyard does not manage, and another helper where lanyard's was set.
    // (Only when a container tool's file exists: nothing to look at otherwise.)
    let docker_files: Vec<std::path::PathBuf> =
        crate::sink::docker::files(&ctx.env).unwrap_or_default().into_iter().filter(|f| f.exists()).collect();
    let registries: Vec<String> = if docker_files.is_empty() {
        Vec::new()
    } else {
        crate::registries::all(data, &super::listed_registries(ctx)).into_iter().map(|(r, _)| r).collect()
    };
    if !registries.is_empty() {
        for path in docker_files {
            for (registry, entry) in crate::sink::docker::inspect(&path, &registries) {
                let masked = match entry {
                    crate::sink::docker::Entry::Plain => "(base64 `auths` entry)".to_string(),
                    crate::sink::docker::Entry::Other(helper) => format!("(`credHelpers` names `{helper}`)"),
                    crate::sink::docker::Entry::Ours => continue,
                };
                out.push(Unmanaged {
                    source: crate::sink::docker::SOURCE,
                    host: registry.clone(),
                    masked,
                    origin: format!(
                        "{} (fix: remove that entry, then `lanyard setup-docker {registry}`)",
                        path.display()
                    ),
                });
            }
        }
    }
    out
}

/// Every selected credential's secrets, or why they cannot be read. A keyring that does not
/// answer is asked once, not once per credential.
/// `Ok(None)` where nothing had to be read: no such credential, or its secrets are in the file
/// (always at hand; read only when a server is asked).
fn read_secrets(store: &Store, data: &Data, ids: &[Option<CredentialId>]) -> Vec<Result<Option<Secrets>, Unreadable>> {
    fn get<'a>(data: &'a Data, id: &'a Option<CredentialId>) -> Option<(&'a CredentialId, &'a crate::store::Stored)> {
        id.as_ref().and_then(|i| data.credentials.get(i).map(|s| (i, s)))
    }
    let in_keyring = |s: &crate::store::Stored| matches!(store.where_is(&s.record), Where::Keyring { .. });
    let wants_keyring = ids.iter().any(|i| get(data, i).is_some_and(|(_, s)| in_keyring(s)));
    let keyring = if wants_keyring { store.keyring_probe() } else { Ok(()) };
    ids.iter()
        .map(|id| match get(data, id) {
            Some((id, stored)) if in_keyring(stored) => match &keyring {
                Err(why) => Err(Unreadable::Locked(crate::error::Error::storage(format!(
                    "the OS keyring holding the secret cannot be read: {why}"
                )))),
                Ok(()) => store.try_secrets(id, stored).map(Some),
            },
            _ => Ok(None),
        })
        .collect()
}

/// Compares what Nix will use with what lanyard wrote: a problem for each credential whose token
/// Nix does not see or that hides another, and the tokens Nix uses that lanyard did not write.
fn nix_check(ctx: &Ctx, rows: &mut [Row], list_unmanaged: bool) -> Vec<Unmanaged> {
    let ours: Vec<PathBuf> = rows.iter().filter_map(|r| r.cred.and_then(nix_sink)).collect();
    if ours.is_empty() && !list_unmanaged {
        return Vec::new();
    }
    let eff = nix::effective(&ctx.env);
    for r in rows.iter_mut() {
        let Some(c) = r.cred else { continue };
        let Some(tokens) = nix_sink(c) else { continue };
        let Some(host) = c.site().ok().and_then(|s| nix::nix_host(&s)) else { continue };
        match eff.tokens.get(&host) {
            Some((_, origin)) if origin.file == tokens => {}
            Some((_, origin)) => r.health.problems.push(Problem {
                message: format!("Nix uses another token for {host}, set at {origin}, after lanyard's"),
                fix: format!(
                    "remove the `access-tokens` entry at {origin}, or move `!include access-tokens.conf` after it"
                ),
            }),
            None => r.health.problems.push(Problem {
                message: format!(
                    "Nix does not read {} (no `!include` reaches it; adding `!include access-tokens.conf` to your nix.conf also fixes it)",
                    tokens.display()
                ),
                fix: format!("lanyard login {} --force", r.key),
            }),
        }
        for (h, at, by) in &eff.hidden {
            if by.file == tokens && !ours.contains(&at.file) && eff.tokens.get(h).is_none_or(|(_, o)| o.file == tokens)
            {
                r.health.problems.push(Problem {
                    message: format!(
                        "lanyard's `access-tokens` line ({by}) hides the token for {h} set at {at} (logging in to {h} manages that token with lanyard)"
                    ),
                    fix: format!("lanyard login {h}"),
                });
            }
        }
    }
    for p in &eff.problems {
        crate::ui::warn(&format!("Nix config: {p}"));
    }
    if let Some((_, o)) = eff.tokens.values().find(|(_, o)| o.file.as_os_str() == "NIX_CONFIG") {
        crate::ui::warn(&format!("`NIX_CONFIG` sets access-tokens ({o}); they override every file"));
    }
    if !list_unmanaged {
        return Vec::new();
    }
    let managed: Vec<(String, PathBuf)> = rows
        .iter()
        .filter_map(|r| {
            let c = r.cred?;
            let host = c.site().ok().and_then(|s| nix::nix_host(&s))?;
            Some((host, nix_sink(c)?))
        })
        .collect();
    eff.tokens
        .iter()
        .filter(|(h, (_, o))| !managed.iter().any(|(mh, mf)| mh == *h && *mf == o.file))
        .map(|(h, (v, o))| Unmanaged {
            source: Sink::NIX,
            host: h.clone(),
            masked: crate::secret::mask(v),
            origin: o.to_string(),
        })
        .collect()
}

/// Asks every credential's server at once.
fn probe_all(
    ctx: &Ctx,
    ids: &[Option<CredentialId>],
    data: &Data,
    secrets: &[Result<Option<Secrets>, Unreadable>],
    now: DateTime<Utc>,
) -> Result<Vec<Probe>> {
    let store = ctx.store();
    let registry = ctx.registry()?;
    let mut jobs = Vec::new();
    let mut probes = vec![Probe::NotAsked; ids.len()];
    let mut clients: Vec<(Option<PathBuf>, crate::http::Http)> = Vec::new();
    for (i, (id, secrets)) in ids.iter().zip(secrets).enumerate() {
        let Some(id) = id else { continue };
        let Some(stored) = data.credentials.get(id) else { continue };
        let record = &stored.record;
        // An expired token is judged offline; its server is not asked (nor its secret read).
        if freshness(record.expires_at, now, chrono::Duration::zero()) == Freshness::Stale(Stale::Expired) {
            if let Err(why) = secrets {
                probes[i] = Probe::NoSecret(why.clone());
            }
            continue;
        }
        let secrets = match secrets {
            Ok(Some(s)) => s.clone(),
            Ok(None) => match store.try_secrets(id, stored) {
                Ok(s) => s,
                Err(e) => {
                    probes[i] = Probe::NoSecret(e);
                    continue;
                }
            },
            Err(why) => {
                probes[i] = Probe::NoSecret(why.clone());
                continue;
            }
        };
        let provider = registry.for_credential(&id.host, record);
        if !family::checked_online(&provider) {
            continue;
        }
        let site = record.site()?;
        // One client per set of trusted CAs: building one loads the system roots.
        let http = match clients.iter().find(|(ca, _)| *ca == provider.ca_file) {
            Some((_, h)) => h.clone(),
            None => {
                let h = ctx.http(provider.ca_file.as_deref())?;
                clients.push((provider.ca_file.clone(), h.clone()));
                h
            }
        };
        jobs.push((i, http, provider, site, Credential { record: record.clone(), secrets }));
    }
    if jobs.is_empty() {
        return Ok(probes);
    }
    // On a terminal, a check that takes longer than half a second shows which hosts are still
    // being asked (stderr; stdout stays data).
    let show_progress = ctx.env.stderr_tty;
    crate::http::block_on(async {
        let mut set = tokio::task::JoinSet::new();
        let mut pending: std::collections::BTreeMap<usize, String> = BTreeMap::new();
        for (i, http, provider, site, cred) in jobs {
            pending.insert(i, site.key());
            set.spawn(async move { (i, family::check(&http, &provider, &site, &cred).await) });
        }
        let started = std::time::Instant::now();
        let mut bar: Option<indicatif::ProgressBar> = None;
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
        loop {
            tokio::select! {
                next = set.join_next() => {
                    let Some(Ok((i, checked))) = next else { break };
                    pending.remove(&i);
                    probes[i] = Probe::Asked(checked);
                }
                _ = tick.tick() => {
                    if show_progress && started.elapsed() >= std::time::Duration::from_millis(500) && !pending.is_empty() {
                        let b = bar.get_or_insert_with(|| {
                            let b = indicatif::ProgressBar::new_spinner();
                            b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                            b
                        });
                        let hosts: Vec<&str> = pending.values().map(String::as_str).collect();
                        b.set_message(format!("asking {} ({:.0} s)", hosts.join(", "), started.elapsed().as_secs_f64()));
                        b.tick();
                    }
                }
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
    });
    Ok(probes)
}

/// How a row reads at a glance: its mark, and whether it is usable.
fn mark(h: &Health) -> (&'static str, &'static str, bool) {
    match (h.exit, h.state) {
        (Exit::Ok, _) if !h.problems.is_empty() => ("!", "33", false),
        (Exit::Ok, _) => ("✓", "32", true),
        (_, State::Expiring | State::Unverified) => ("!", "33", false),
        _ => ("✗", "31", false),
    }
}

/// Where the copies of a credential are, in a few words.
fn sink_words(c: &Record) -> Vec<String> {
    c.sinks
        .iter()
        .map(|s| match s {
            Sink::Nix { tokens } => format!("Nix ({})", tokens.display()),
            Sink::Skillsctl { path } => format!("skillsctl ({})", path.display()),
            Sink::Duumbi { path, name } => format!("duumbi `[registries.{name}]` ({})", path.display()),
            Sink::Git { .. } => "git's credential helper".to_string(),
            Sink::Netrc { path, machine } => format!("netrc `machine {machine}` ({})", path.display()),
            Sink::Npm { path, key } => format!("npm `{key}` ({})", path.display()),
            Sink::Pnpm { key, .. } => format!("pnpm's token helper for `{key}`"),
        })
        .collect()
}

/// What `stored:` adds for an encrypted credential: which key opens it, and whether the agent
/// holds it (`; unlocked in the agent since 09:12`).
fn key_note(ctx: &Ctx, store: &Store) -> String {
    let agent = crate::agent::client::hello(&ctx.agent_socket()).filter(|h| !h.locked);
    let since = |h: &crate::agent::client::Hello| h.since.as_deref().map(crate::ui::local_time).unwrap_or_default();
    match (store.encrypted().identity_file(), agent) {
        (Some(f), Some(h)) => format!("; key: {}; the agent serves it since {}", f.display(), since(&h)),
        (Some(f), None) => format!("; key: {}", f.display()),
        (None, Some(h)) if h.key => format!("; unlocked in the agent since {}", since(&h)),
        (None, _) => "; locked (`lanyard unlock`)".to_string(),
    }
}

/// Where a token not kept in the file is, in the token's place.
fn elsewhere(store: &Store, c: &crate::credential::Record) -> String {
    match store.where_is(c) {
        Where::Encrypted { .. } => "(encrypted)".to_string(),
        Where::Keyring { .. } => "(in the OS keyring)".to_string(),
        Where::File { .. } | Where::Vault { .. } => "(not in this file)".to_string(),
    }
}

fn render_text(
    rows: &[Row],
    data: &Data,
    store: &Store,
    now: DateTime<Utc>,
    unmanaged: &[Unmanaged],
    file_chosen: bool,
    key_note: &str,
) -> String {
    let verbose = crate::ui::verbosity() > 0;
    let paint = crate::ui::paint_out;
    let mut out = String::new();
    if rows.is_empty() && unmanaged.is_empty() {
        out.push_str("No credentials. Log in with `lanyard login` (it offers the providers it knows; `lanyard providers` lists them).\n");
    }
    let mut usable = 0;
    let mut plaintext = 0;
    for r in rows {
        let (m, colour, ok) = mark(&r.health);
        usable += usize::from(ok);
        let state = match (r.health.state, r.cred.and_then(|c| c.expires_at)) {
            (State::Expired, Some(e)) => format!("expired ({})", relative(e, now)),
            (State::Expiring, Some(e)) => format!("expiring ({})", relative(e, now)),
            (s, _) => s.as_str().to_string(),
        };
        let account = r.cred.and_then(|c| c.user.as_deref()).unwrap_or("—");
        let active = match r.active {
            Some(true) => " (active)",
            Some(false) => " (inactive)",
            None => "",
        };
        out.push_str(&format!(
            "{} {}  {account}{active}  {}\n",
            paint(colour, m),
            paint("1", &r.key),
            paint(colour, &state)
        ));
        let Some(c) = r.cred else {
            if r.open {
                out.push_str("  an open server: it asked for no login just now\n");
            } else {
                out.push_str(&format!("  fix: lanyard login {}\n", r.key));
            }
            continue;
        };
        let token = match r.id.as_ref().and_then(|i| data.credentials.get(i)) {
            // Nothing at all of a password is shown (SPEC §6).
            Some(_) if c.kind == crate::credential::TokenKind::Basic => "**** (password)".to_string(),
            Some(s) => s.inline_token().map(|t| t.masked()).unwrap_or_else(|| elsewhere(store, c)),
            _ => elsewhere(store, c),
        };
        let provider = if c.provider == c.family.as_str() {
            c.provider.clone()
        } else {
            format!("{} ({})", c.provider, c.family.as_str())
        };
        let expiry = match c.expires_at {
            Some(e) => format!("{} ({})", e.format("%Y-%m-%d %H:%M UTC"), relative(e, now)),
            None => "no expiry known".to_string(),
        };
        let kept = store.where_is(c);
        let mut stored = kept.line();
        if matches!(kept, Where::Encrypted { .. }) {
            stored.push_str(key_note);
        }
        plaintext += usize::from(kept.plaintext());
        // A refresh in flight on some machine: who holds the lease, until when.
        // (Only a credential with a refresh token is ever refreshed under a lease.)
        if let Some((holder, deadline)) =
            r.id.as_ref().filter(|_| kept.shared() && c.can_refresh()).and_then(|id| store.lease_holder(id))
        {
            stored.push_str(&format!(
                "; being refreshed by {holder} (lease until {})",
                deadline.format("%Y-%m-%d %H:%M:%S UTC")
            ));
        }
        if verbose {
            out.push_str(&format!("  provider: {provider}\n  user:     {account}\n  token:    {token}\n"));
            if !c.scopes.is_empty() {
                out.push_str(&format!("  scopes:   {}\n", c.scopes.join(", ")));
            }
            out.push_str(&format!("  expires:  {expiry}\n"));
            let refresh = if c.refreshable { "refresh token held" } else { "none" };
            out.push_str(&format!("  refresh:  {refresh}\n  stored:   {stored}\n"));
            for s in &c.sinks {
                out.push_str(&format!("  written:  {}\n", s.to_wire()));
            }
            out.push_str(&format!("  state:    {}\n", r.health.state.as_str()));
        } else {
            let mut facts = vec![provider, format!("token {token}")];
            if !c.scopes.is_empty() {
                facts.push(format!("scopes {}", c.scopes.join(", ")));
            }
            facts.push(expiry);
            if c.refreshable {
                facts.push("refresh token held".to_string());
            }
            out.push_str(&format!("  {}\n", facts.join(" · ")));
            let mut place = format!("secret in {stored}");
            let sinks = sink_words(c);
            if !sinks.is_empty() {
                place.push_str(&format!("; written to {}", sinks.join(", ")));
            }
            out.push_str(&format!("  {place}\n"));
        }
        for p in &r.health.problems {
            out.push_str(&format!("  problem: {}\n  fix: {}\n", p.message, p.fix));
        }
    }
    if !unmanaged.is_empty() {
        out.push_str("\nTokens that lanyard did not write (unmanaged):\n");
        for u in unmanaged {
            out.push_str(&format!("  {}  {}  at {}\n", u.host, u.masked, u.origin));
        }
    }
    // The note comes before the summary: the last line is the summary (issue 23, item 16).
    // Said once, and not at all when the person chose the file.
    if plaintext > 0 && !file_chosen {
        out.push_str(&format!(
            "\nnote: {plaintext} secret{} in a plaintext file, not in a keyring ({}); set `storage = \"file\"` in config.toml to keep {} there quietly, or log in again with `--storage keyring`\n",
            if plaintext == 1 { " is" } else { "s are" },
            store.path().display(),
            if plaintext == 1 { "it" } else { "them" },
        ));
    }
    if !rows.is_empty() {
        let attention = rows.len() - usable;
        let noun = if rows.len() == 1 { "credential" } else { "credentials" };
        let mut summary = format!("\n{} {noun}: {usable} usable", rows.len());
        if attention > 0 {
            summary.push_str(&format!(", {}", paint("1", &format!("{attention} need attention"))));
        }
        if !unmanaged.is_empty() {
            // Nix's, duumbi's and skillsctl's: not only Nix tokens (issue 23, item 22).
            let n = unmanaged.len();
            summary.push_str(&format!("; {n} unmanaged token{}", if n == 1 { "" } else { "s" }));
        }
        out.push_str(&summary);
        out.push('\n');
    }
    out
}

fn render_json(rows: &[Row], data: &Data, store: &Store, unmanaged: &[Unmanaged]) -> String {
    let mut creds: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let c = r.cred;
            let problems: Vec<_> =
                r.health.problems.iter().map(|p| serde_json::json!({"message": p.message, "fix": p.fix})).collect();
            serde_json::json!({
                "host": r.key,
                "account": r.id.as_ref().map(|i| i.account.clone()),
                "active": r.id.as_ref().is_some_and(|i| data.is_active(i)),
                "managed": true,
                "provider": c.map(|c| c.provider.clone()),
                "user": c.and_then(|c| c.user.clone()),
                "state": r.health.state.as_str(),
                "expires_at": c.and_then(|c| c.expires_at).map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "scopes": c.map(|c| c.scopes.clone()).unwrap_or_default(),
                "storage": c.map(|c| store.where_is(c).json()),
                "sinks": c.map(|c| c.sinks.iter().map(Sink::to_wire).collect::<Vec<_>>()).unwrap_or_default(),
                "problems": problems,
            })
        })
        .collect();
    creds.extend(unmanaged.iter().map(|u| {
        serde_json::json!({
            "host": u.host, "account": null, "active": false, "managed": false, "provider": null, "user": null,
            "state": State::Unchecked.as_str(), "expires_at": null, "scopes": [],
            "storage": {"kind": u.source, "path": u.origin}, "sinks": [], "problems": [],
        })
    }));
    let mut s = serde_json::to_string_pretty(
        &serde_json::json!({"version": 1, "credentials": creds, "skipped": data.problems}),
    )
    .expect("json serializes");
    s.push('\n');
    s
}
