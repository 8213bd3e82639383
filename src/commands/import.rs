//! `lanyard import [SOURCE…] [--dry-run]` (SPEC §8): adopts the credentials gh, glab, tea,
//! `~/.netrc`, git's credential store and Nix already hold. Each candidate is checked with its
//! server exactly as a login checks a pasted token, stored as an account (active only when its
//! host has none yet: an import never takes a host's files from the account using them) and
//! written to its tools' files. The sources are only read. One line per candidate on stdout;
//! the exit code is the most severe result, 3 when nothing was found.

use std::io::Write;

use super::Ctx;
use crate::cli::{ImportArgs, ImportSource};
use crate::credential::{CredentialId, TokenKind};
use crate::error::{Cause, Error, Exit, Result};
use crate::family::{self, Recipe, Request, detect};
use crate::flow::Flow;

use crate::import::{self, Candidate};
use crate::provider::Site;
use crate::sink::Sink;
use crate::ui;

/// What became of one candidate.
struct Outcome {
    account: String,
    result: String,
    state: Imported,
}

/// What became of one candidate (the line says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Imported {
    /// Imported (or, in a dry run, would be).
    Adopted,
    /// Left alone on purpose: lanyard holds the account, the server needs no login, nothing answers.
    Skipped,
    /// Not imported: the server refused it or could not be asked (the exit code it adds).
    Failed(Exit),
}

impl Imported {
    fn exit(self) -> Exit {
        match self {
            Imported::Adopted | Imported::Skipped => Exit::Ok,
            Imported::Failed(e) => e,
        }
    }
}

/// Runs `lanyard import`.
pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<Exit> {
    let mut sources: Vec<ImportSource> = if args.sources.is_empty() {
        ImportSource::ALL.to_vec()
    } else {
        let mut s = args.sources.clone();
        s.sort();
        s.dedup();
        s
    };
    if sources.contains(&ImportSource::Kubeconfig) {
        let exit = kubeconfig(ctx, &args)?;
        sources.retain(|s| *s != ImportSource::Kubeconfig);
        if sources.is_empty() {
            return Ok(exit);
        }
    }
    let store = ctx.store();
    let data = store.load()?;
    let ours: Vec<std::path::PathBuf> = data
        .records()
        .flat_map(|r| &r.sinks)
        .filter_map(|s| match s {
            Sink::Nix { tokens } => Some(tokens.clone()),
            _ => None,
        })
        .collect();
    let found = import::read(&ctx.env, &sources, &ours);
    for n in &found.notes {
        ui::warn(&format!("{}: {}", n.source, n.message));
    }
    // The same token from two sources (gh's file and git's store, say) is checked once.
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut candidates = Vec::new();
    for c in found.candidates {
        let Ok(site) = Site::parse(&c.url) else {
            ui::warn(&format!("{}: `{}` is not a server address lanyard can use; skipped", c.source, c.url));
            continue;
        };
        crate::secret::remember(&c.secret);
        let k = (site.key(), c.secret.expose_secret().to_string());
        match seen.iter().position(|s| *s == k) {
            None => {
                seen.push(k);
                candidates.push((site, c));
            }
            // netrc names a machine without a scheme (https is a guess); a source that says the
            // scheme (git's store: `http://…`) is the copy to check (issue 23, item 30).
            Some(i)
                if candidates[i].1.source == ImportSource::Netrc.name() && c.source != ImportSource::Netrc.name() =>
            {
                candidates[i] = (site, c);
            }
            Some(_) => {}
        }
    }
    if candidates.is_empty() {
        let names: Vec<&str> = sources.iter().map(|s| s.name()).collect();
        return Err(Error::new(Exit::NotLoggedIn, format!("no credentials found in {}", names.join(", ")))
            .hint("`lanyard login` logs in from scratch"));
    }
    let registry = ctx.registry()?;
    let chosen = store.choose(None, ctx.config.storage)?;
    // Imported forge tokens go to Nix as a login's do (SPEC §5): nix.conf's own `access-tokens`
    // (which the `nix` source read) move into lanyard's include, with a backup of nix.conf, so
    // Nix sees both them and the imported ones (issue 23, item 9).
    let no_nix = args.no_nix;
    let mut exit = Exit::Ok;
    let mut adopted = 0;
    let mut lines = Vec::new();
    for (site, c) in candidates {
        let key = site.key();
        // Already held: the same token under this host, whatever the account (silently skipped).
        let data = store.load()?;
        let held = data
            .accounts(&key)
            .any(|(id, s)| store.secrets(id, s).is_ok_and(|x| x.token.expose_secret() == c.secret.expose_secret()));
        if held {
            adopted += 1;
            continue;
        }
        let o = match one(ctx, &registry, &store, &data, &site, &c, (args.dry_run, no_nix), chosen.storage) {
            Ok(o) => o,
            Err(e) => Outcome {
                account: c.user.clone().unwrap_or_else(|| "—".into()),
                result: failed(&e),
                state: Imported::Failed(e.exit),
            },
        };
        if o.state == Imported::Adopted {
            adopted += 1;
        }
        exit = exit.worst(o.state.exit());
        let line = format!("{:<16} {key}  {}  {}", c.source, o.account, o.result);
        ui::debug(&format!("{} came from {}", key, c.origin));
        lines.push(line);
    }
    let mut out = std::io::stdout().lock();
    for l in &lines {
        writeln!(out, "{l}").map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    }
    if adopted == 0 && exit == Exit::Ok {
        exit = Exit::NotLoggedIn;
    }
    Ok(exit)
}

/// One line's result for an error: what the server or lanyard said, first line only.
fn failed(e: &Error) -> String {
    let what = match e.cause {
        Cause::Refused => "refused by the server",
        Cause::Unreachable { .. } => "not checked",
        Cause::PlainHttp | Cause::Other => "not imported",
    };
    format!("{what}: {}", e.message.lines().next().unwrap_or_default())
}

#[allow(clippy::too_many_arguments)]
fn one(
    ctx: &Ctx,
    registry: &crate::provider::registry::Registry,
    store: &crate::store::Store,
    data: &crate::store::Data,
    site: &Site,
    c: &Candidate,
    (dry_run, no_nix): (bool, bool),
    storage: crate::credential::Storage,
) -> Result<Outcome> {
    let key = site.key();
    let resolved = registry.resolve(&site.base(), None, |k| data.providers.get(k).cloned())?;
    let provider = match (resolved.provider, c.kind_hint) {
        (Some(p), _) => p,
        (None, Some(kind)) => registry.for_kind(kind, &key)?,
        (None, None) => match detect::detect_provider(&ctx.env, ctx.timeout, site) {
            Ok(p) => p,
            Err(e) if !e.answered() => return Err(e),
            Err(_) => {
                return Ok(Outcome {
                    account: c.user.clone().unwrap_or_else(|| "—".into()),
                    result: format!(
                        "skipped: no service lanyard knows answers at {key} (`lanyard login {key} --provider KIND` names one)"
                    ),
                    state: Imported::Skipped,
                });
            }
        },
    };
    let password = family::takes_password(&provider, c.user.is_some());
    let recipe = Recipe {
        with_token: !password,
        with_password: password,
        no_browser: true,
        no_nix,
        user: c.user.clone().filter(|_| password),
        given: Some((c.secret.clone(), c.kind)),
        ..Recipe::default()
    };
    let http = ctx.http(provider.ca_file.as_deref())?;
    let remember = crate::accounts::remember_client(store);
    let req = Request {
        env: &ctx.env,
        nix_conf: ctx.nix_conf.as_deref(),
        no_input: ctx.no_input,
        remember_client: &remember,
        http: &http,
        provider: &provider,
        site,
        issuer: provider.issuer.as_ref().map(|t| provider.expand(t, site)).unwrap_or_else(|| site.base()),
        flow: if password { Flow::Password } else { Flow::Paste },
        recipe: &recipe,
        data,
    };
    let Some(obtained) = family::obtain(&req)? else {
        return Ok(Outcome {
            account: "—".into(),
            result: format!("skipped: {key} needs no login"),
            state: Imported::Skipped,
        });
    };
    let mut cred = obtained.cred;
    let id = CredentialId::of(&key, &cred.record);
    if data.credentials.contains_key(&id) {
        return Ok(Outcome {
            account: id.account.clone(),
            result: format!(
                "skipped: lanyard holds `{}` with another token (`lanyard login {key} --force` replaces it)",
                id.account
            ),
            state: Imported::Skipped,
        });
    }
    let kind = match cred.record.kind {
        TokenKind::Oauth => "OAuth token",
        TokenKind::Basic | TokenKind::Jwt => "password",
        _ => "token",
    };
    if dry_run {
        return Ok(Outcome {
            account: id.account.clone(),
            result: format!("valid {kind}; would be imported (dry run)"),
            state: Imported::Adopted,
        });
    }
    cred.record.storage = storage;
    let active_before = data.active_id(&key);
    let (_, notes) = crate::accounts::commit(&ctx.env, store, &key, &provider, cred, &obtained.plans, false)?;
    ui::tell(&notes);
    let now = store.load()?;
    let (active, sinks) = match now.active(&key) {
        Some((a, s)) if a == id => (true, crate::accounts::sink_names(&s.record.sinks)),
        _ => (false, String::new()),
    };
    let mut result = format!("imported ({kind}, {})", provider.name);
    match (active, active_before) {
        (true, _) if !sinks.is_empty() => result.push_str(&format!("; active, written to {sinks}")),
        (true, _) => result.push_str("; active"),
        (false, Some(a)) => result.push_str(&format!(
            "; `{}` stays active (`lanyard switch {key} {}`)",
            a.account,
            crate::ui::shell_word(&id.account)
        )),
        (false, None) => {}
    }
    Ok(Outcome { account: id.account, result, state: Imported::Adopted })
}

/// `lanyard import kubeconfig`: each kubelogin user of the kubeconfig (issuer, client id, extra
/// scopes from its arguments) becomes a lanyard login — run as its own lanyard process, the flow
/// on the terminal — and the user's `exec` then runs `lanyard kube-credential` (its contexts
/// keep naming it; a backup of the file is kept).
fn kubeconfig(ctx: &Ctx, args: &ImportArgs) -> Result<Exit> {
    let path = crate::sink::kube::path(&ctx.env, None)?;
    let text = crate::fsutil::read_trusted(&path)?.unwrap_or_default();
    let users = crate::import::kubeconfig::oidc_users(&text);
    if users.is_empty() {
        ui::say(&format!("kubeconfig: {} has no kubelogin (`oidc-login`) users.", path.display()));
        return Ok(Exit::Ok);
    }
    let exe = std::env::current_exe().map_err(|e| Error::failure(format!("cannot find lanyard's own program: {e}")))?;
    let version = crate::sink::kube::kubectl_version(&ctx.env);
    let mut exit = Exit::Ok;
    for u in users {
        let mut scopes = vec!["openid".to_string(), "offline_access".to_string()];
        scopes.extend(u.extra_scopes.iter().cloned());
        let key = crate::provider::Site::parse(&u.issuer)?.key();
        if args.dry_run {
            ui::say(&format!(
                "kubeconfig user `{}`: would log in to {} (client `{}`, scopes {}) and answer it with `lanyard kube-credential {key}`",
                u.name,
                u.issuer,
                u.client_id,
                scopes.join(",")
            ));
            continue;
        }
        ui::say(&format!("kubeconfig user `{}`: logging in to {} (client `{}`)…", u.name, u.issuer, u.client_id));
        let status = std::process::Command::new(&exe)
            .arg("--config-dir")
            .arg(&ctx.config_dir)
            .args([
                "login",
                &u.issuer,
                "--provider",
                "oidc",
                "--client-id",
                &u.client_id,
                "--scopes",
                &scopes.join(","),
            ])
            .status()
            .map_err(|e| Error::failure(format!("cannot run the login: {e}")))?;
        if !status.success() {
            let code = status.code().map(crate::error::Exit::from_code).unwrap_or(Exit::Failure);
            ui::warn(&format!("kubeconfig user `{}` stays as it was: the login did not succeed", u.name));
            exit = exit.worst(code);
            continue;
        }
        let mut exec_args = Vec::new();
        if ctx.env.var("LANYARD_CONFIG_DIR").is_none() {
            exec_args.extend(["--config-dir".to_string(), ctx.config_dir.to_string_lossy().into_owned()]);
        }
        exec_args.extend(["kube-credential".to_string(), key.clone(), "--api-version".to_string(), version.clone()]);
        let exec = crate::sink::kube::Exec {
            api_version: version.clone(),
            command: crate::sink::program::own_program(&ctx.env)?,
            args: exec_args,
        };
        let backup = crate::sink::kube::replace_user_exec(&path, &u.name, &exec)?;
        ui::say(&format!(
            "kubeconfig user `{}` now gets its token from lanyard (`{key}`){}.",
            u.name,
            backup.map(|b| format!("; the file as it was: {}", b.display())).unwrap_or_default()
        ));
    }
    Ok(exit)
}
