//! What a command's TARGET names: a host key, and for `ACCOUNT@TARGET` an account.

use crate::context::Ctx;
use crate::credential::Credential;
use crate::error::Result;

/// The store key a TARGET names, without touching the network: an alias goes through the
/// provider registry, a host or URL is normalised directly.
pub fn target_key(ctx: &Ctx, target: &str) -> Result<String> {
    if target.contains(['.', ':', '/', '[']) || target == "localhost" {
        return Ok(crate::provider::Site::parse(target)?.key());
    }
    Ok(ctx.registry()?.resolve(target, None, |_| None)?.site.key())
}

/// A TARGET naming a stored credential: its host key and, for `ACCOUNT@TARGET`, the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The host key.
    pub host: String,
    /// The account asked for; `None` means the host's active one.
    pub account: Option<String>,
}

/// Splits `ACCOUNT@TARGET` (SPEC §1: the last `@` separates, so an email works) and resolves
/// the target. A URL's user name (`https://alice@host`) names the account as well.
pub fn named(ctx: &Ctx, target: &str) -> Result<Named> {
    let (account, rest) = split_account(target);
    Ok(Named { host: target_key(ctx, &rest)?, account })
}

/// `ACCOUNT@TARGET` → (ACCOUNT, TARGET), without resolving anything.
pub fn split_account(target: &str) -> (Option<String>, String) {
    if let Some((scheme, after)) = target.split_once("://") {
        // `alice@https://host` or `https://alice@host/…`.
        if let Some((a, s)) = scheme.rsplit_once('@')
            && !a.is_empty()
        {
            return (Some(a.to_string()), format!("{s}://{after}"));
        }
        let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        if let Some((user, host)) = after[..authority_end].rsplit_once('@')
            && !user.is_empty()
        {
            let user = user.split(':').next().unwrap_or(user);
            return (Some(user.to_string()), format!("{scheme}://{host}{}", &after[authority_end..]));
        }
        return (None, target.to_string());
    }
    match target.rsplit_once('@') {
        Some((a, t)) if !a.is_empty() && !t.is_empty() => (Some(a.to_string()), t.to_string()),
        _ => (None, target.to_string()),
    }
}

/// The credential `account` of `host` (its active one when `None`), fresh for `min_valid`: from
/// the agent when one answers (SPEC §13), else read and refreshed here.
pub fn fresh(ctx: &Ctx, host: &str, account: Option<&str>, min_valid: chrono::Duration) -> Result<Credential> {
    if let Some(got) = crate::agent::client::fresh(&ctx.agent_socket(), host, account, min_valid, ctx.agent_wait()) {
        return got;
    }
    Ok(crate::refresh::fresh(&ctx.run(), &ctx.store(), host, account, min_valid, false)?.cred)
}

/// [`fresh`] of `id` for a caller that has read the store already (one read on the hot path).
pub fn fresh_in(
    ctx: &Ctx,
    store: &crate::store::Store,
    data: &crate::store::Data,
    id: &crate::credential::CredentialId,
    min_valid: chrono::Duration,
) -> Result<Credential> {
    let asked =
        crate::agent::client::fresh(&ctx.agent_socket(), &id.host, Some(&id.account), min_valid, ctx.agent_wait());
    match asked {
        Some(got) => got,
        None => Ok(crate::refresh::fresh_from(&ctx.run(), store, data, id, min_valid, false)?.cred),
    }
}

/// The container registries a stored credential's provider file lists (`registries = […]`):
/// provider files are read only when a lookup gets that far.
pub fn listed_registries(ctx: &Ctx) -> impl Fn(&str, &crate::credential::Record) -> Vec<String> + '_ {
    let providers = std::cell::OnceCell::new();
    move |host, record| {
        let providers = providers.get_or_init(|| ctx.registry().ok());
        providers.as_ref().map(|p| p.registries_of(host, record)).unwrap_or_default()
    }
}

/// What answers for a host: a token from the environment, or an account (`None`: the active one).
#[derive(Debug)]
pub enum Decision {
    /// A token in the environment bound to the host.
    Env(crate::choose::EnvToken),
    /// An account of the host.
    Account(crate::choose::Choice),
}

/// Decides what answers for `host` (SPEC §14): a token from the environment where one is bound
/// to the host and nothing above it in the order names an account, else the account
/// [`crate::choose::choose`] picks. The store is read only when a choice needs to know whether
/// an account exists.
pub fn decide(ctx: &Ctx, host: &str, asked: &crate::choose::Asked) -> Decision {
    // The store is opened and read only when a choice must know whether an account exists (the
    // hot path — no rule, no LANYARD_ACCOUNT — never does).
    let data = std::cell::OnceCell::new();
    let has = |a: &str| {
        data.get_or_init(|| ctx.store().load_one(host, None).ok()).as_ref().is_some_and(|d: &crate::store::Data| {
            d.credentials.contains_key(&crate::credential::CredentialId::new(host, a))
        })
    };
    if ctx.env_tokens()
        && crate::choose::env_token_first(asked, &ctx.env, &has)
        && let Some(t) = crate::choose::env_token(&ctx.env, host)
    {
        return Decision::Env(t);
    }
    let cwd = std::env::current_dir().ok();
    let repo = cwd.as_deref().and_then(crate::choose::repo);
    Decision::Account(crate::choose::choose(
        host,
        asked,
        &ctx.env,
        &ctx.config.accounts,
        cwd.as_deref(),
        repo.as_ref(),
        &has,
    ))
}

/// The credential that answers for `host` ([`decide`]), fresh for `min_valid`, and why.
pub fn chosen(
    ctx: &Ctx,
    host: &str,
    asked: &crate::choose::Asked,
    min_valid: chrono::Duration,
) -> Result<(Credential, crate::choose::Why)> {
    match decide(ctx, host, asked) {
        Decision::Env(t) => {
            Ok((crate::family::env_credential(host, &t, ctx.now())?, crate::choose::Why::EnvToken(t.var)))
        }
        Decision::Account(c) => Ok((fresh(ctx, host, c.account.as_deref(), min_valid)?, c.why)),
    }
}
