//! `lanyard kube-credential TARGET` — kubectl's exec credential plugin — and `lanyard
//! setup-kube TARGET` (SPEC §12).

use chrono::{Duration, SecondsFormat};

use super::{Ctx, named};
use crate::cli::{KubeCredentialArgs, KubeToken, SetupKubeArgs};
use crate::credential::jwt_exp;
use crate::error::{Error, Exit, Result};
use crate::sink::kube;
use crate::ui;

use kube::{V1, V1BETA1};

/// Runs `lanyard kube-credential`: an `ExecCredential` on stdout with the ID token (or the
/// access token), refreshed first, and when it expires.
pub fn credential(ctx: &Ctx, args: KubeCredentialArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let min = Duration::seconds(60);
    let asked = crate::choose::Asked { named: n.account.as_deref(), ..Default::default() };
    let info = ctx.env.var("KUBERNETES_EXEC_INFO").and_then(|i| serde_json::from_str::<serde_json::Value>(i).ok());
    let interactive = info.as_ref().is_some_and(|i| i["spec"]["interactive"] == true);
    let (mut cred, _) = match super::chosen(ctx, &n.host, &asked, min) {
        // kubectl says a person is at the terminal: the login runs now, on stderr (kubectl reads
        // this program's stdout), as its own lanyard process; then the credential is read again.
        Err(e) if interactive && matches!(e.exit, Exit::NotLoggedIn | Exit::Rejected) => {
            ui::say(&format!("kubectl needs a login to {}: {}", n.host, e.message));
            login_on_stderr(ctx, &args.target)?;
            super::chosen(ctx, &n.host, &asked, min)?
        }
        other => other?,
    };
    let now = ctx.now();
    let id_exp =
        |c: &crate::credential::Credential| c.secrets.id_token.as_ref().and_then(|t| jwt_exp(t.expose_secret()));
    // An ID token can run out before the access token it came with: refresh for it too.
    if args.token == KubeToken::Id && id_exp(&cred).is_some_and(|e| e < now + min) && cred.record.can_refresh() {
        cred = crate::refresh::fresh(&ctx.run(), &ctx.store(), &n.host, n.account.as_deref(), min, true)?.cred;
    }
    let (token, expires) = match (args.token, &cred.secrets.id_token) {
        (KubeToken::Id, Some(id)) => (id, id_exp(&cred)),
        (KubeToken::Id, None) | (KubeToken::Access, _) => (&cred.secrets.token, cred.record.expires_at),
    };
    if expires.is_some_and(|e| e <= now) {
        return Err(crate::refresh::expired(&n.host, expires));
    }
    // kubectl says which version it reads (KUBERNETES_EXEC_INFO); else what setup-kube wrote.
    let version = info
        .and_then(|v| v["apiVersion"].as_str().map(str::to_string))
        .filter(|v| v == V1 || v == V1BETA1)
        .unwrap_or(args.api_version);
    let mut status = serde_json::json!({ "token": token.expose_secret() });
    if let Some(e) = expires {
        status["expirationTimestamp"] = e.to_rfc3339_opts(SecondsFormat::Secs, true).into();
    }
    let out = serde_json::json!({ "apiVersion": version, "kind": "ExecCredential", "status": status });
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}")
        .and_then(|_| stdout.flush())
        .map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(Exit::Ok)
}

/// Runs `lanyard setup-kube`.
pub fn setup(ctx: &Ctx, args: SetupKubeArgs) -> Result<Exit> {
    let n = named(ctx, &args.target)?;
    let data = ctx.store().load()?;
    let (id, _) = data.find(&n.host, n.account.as_deref())?;
    let path = kube::path(&ctx.env, args.kubeconfig.as_deref())?;
    let version = kube::kubectl_version(&ctx.env);
    let target = id.to_string();
    let mut exec_args = Vec::new();
    if ctx.env.var("LANYARD_CONFIG_DIR").is_none() {
        exec_args.extend(["--config-dir".to_string(), ctx.config_dir.to_string_lossy().into_owned()]);
    }
    exec_args.extend(["kube-credential".to_string(), target.clone(), "--api-version".to_string(), version.clone()]);
    if args.token == KubeToken::Access {
        exec_args.extend(["--token".to_string(), "access".to_string()]);
    }
    let exec = kube::Exec {
        api_version: version.clone(),
        command: crate::sink::program::own_program(&ctx.env)?,
        args: exec_args,
    };
    let user = format!("lanyard-{target}");
    let (context, backup) = kube::set_exec_user(&path, &user, &exec, args.context.as_deref())?;
    ui::say(&format!(
        "{}: context `{context}` now gets its token from lanyard (user `{user}`, ExecCredential {}).",
        path.display(),
        version.rsplit('/').next().unwrap_or(&version)
    ));
    if let Some(b) = backup {
        ui::say(&format!("The file as it was is kept at {}.", b.display()));
    }
    Ok(Exit::Ok)
}

/// `lanyard login TARGET --force` as a child process whose output goes to stderr: kubectl reads
/// only the ExecCredential from stdout.
fn login_on_stderr(ctx: &Ctx, target: &str) -> Result<()> {
    use std::os::fd::AsFd;
    let exe = std::env::current_exe().map_err(|e| Error::failure(format!("cannot find lanyard's own program: {e}")))?;
    let err = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Error::failure(format!("cannot use stderr: {e}")))?;
    let status = std::process::Command::new(exe)
        .arg("--config-dir")
        .arg(&ctx.config_dir)
        .args(["login", target, "--force"])
        .stdout(std::process::Stdio::from(err))
        .status()
        .map_err(|e| Error::failure(format!("cannot run the login: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(Exit::NotLoggedIn, format!("the login to `{target}` did not succeed"))
            .hint(format!("run `lanyard login {target}` and then kubectl again")))
    }
}
