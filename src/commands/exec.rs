//! `lanyard exec --env VAR=TARGET[:PART]… -- COMMAND`: runs a command with fresh credentials in
//! its environment (how moonbit-registry's `${VAR}` gets its value without the secret landing in
//! `registry.toml`), and exits with the command's exit code.

use std::os::unix::process::ExitStatusExt;

use chrono::Duration;

use super::{Ctx, chosen, named};
use crate::cli::ExecArgs;
use crate::credential::{Credential, TokenKind};
use crate::error::{Error, Exit, Result};
use crate::secret::Secret;

/// Which part of a credential a variable gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The token; for basic credentials `user:password`.
    Default,
    /// The password or token alone.
    Password,
    /// The user name.
    User,
    /// The OpenID ID token.
    IdToken,
}

fn parse_env(spec: &str) -> Result<(String, String, Part)> {
    let bad = || {
        Error::usage(format!("`--env {spec}` is not VAR=TARGET[:password|:user|:id-token]"))
            .hint("e.g. `--env PRIVATE_REGISTRY_TOKEN=registry.example.com`")
    };
    let (var, target) = spec.split_once('=').ok_or_else(bad)?;
    if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') || target.is_empty() {
        return Err(bad());
    }
    let (target, part) = match target.rsplit_once(':') {
        Some((t, "password")) => (t, Part::Password),
        Some((t, "user")) => (t, Part::User),
        Some((t, "id-token")) => (t, Part::IdToken),
        _ => (target, Part::Default),
    };
    Ok((var.to_string(), target.to_string(), part))
}

fn value(c: &Credential, part: Part, key: &str) -> Result<Secret> {
    let user = || c.record.user.clone().unwrap_or_default();
    let token = &c.secrets.token;
    Ok(match (part, c.record.kind) {
        (Part::Default, TokenKind::Basic) => Secret::new(format!("{}:{}", user(), token.expose_secret())),
        (Part::Default | Part::Password, _) => token.clone(),
        (Part::User, _) => Secret::new(user()),
        (Part::IdToken, _) => c.secrets.id_token.clone().ok_or_else(|| {
            Error::usage(format!("the credential for `{key}` has no ID token")).hint("drop `:id-token`")
        })?,
    })
}

/// Runs `lanyard exec`.
pub fn run(ctx: &Ctx, args: ExecArgs) -> Result<Exit> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(Error::usage("no command to run").hint("`lanyard exec --env VAR=TARGET -- COMMAND [ARG…]`"));
    };
    let mut vars = Vec::new();
    for spec in &args.env {
        let (var, target, part) = parse_env(spec)?;
        let n = named(ctx, &target)?;
        let key = n.account.as_ref().map(|a| format!("{a}@{}", n.host)).unwrap_or_else(|| n.host.clone());
        let asked = crate::choose::Asked { named: n.account.as_deref(), ..Default::default() };
        let (cred, why) = chosen(ctx, &n.host, &asked, Duration::seconds(60))?;
        crate::ui::debug(&format!("{var}: `{}` answers with {} ({})", n.host, cred.record.account(), why.words()));
        vars.push((var, value(&cred, part, &key)?));
    }
    let mut cmd = std::process::Command::new(program);
    cmd.args(rest);
    for (var, secret) in &vars {
        cmd.env(var, secret.expose_secret());
    }
    let status = cmd.status().map_err(|e| {
        Error::failure(format!("cannot run `{}`: {e}", program.to_string_lossy()))
            .hint("check the command name and PATH")
    })?;
    Ok(Exit::Child(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_specs() {
        assert_eq!(parse_env("A=h.example").unwrap(), ("A".into(), "h.example".into(), Part::Default));
        assert_eq!(
            parse_env("A=h.example:8443:password").unwrap(),
            ("A".into(), "h.example:8443".into(), Part::Password)
        );
        assert_eq!(parse_env("A=h.example:8443").unwrap().1, "h.example:8443");
        assert!(parse_env("=x").is_err() && parse_env("A-B=x").is_err() && parse_env("A=").is_err());
    }
}
