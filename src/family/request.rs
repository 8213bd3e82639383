//! What a family's login is given and gives back, and the answers every family reads the same
//! way: the leaf the family modules share (they never import the dispatch in `mod.rs`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::credential::{Credential, Record, TokenKind};
use crate::env::Env;
use crate::error::{Cause, Error, Exit, Result};
use crate::flow::Flow;
use crate::http::{Http, Response, TokenAnswer};
use crate::provider::{Family, Provider, Site};
use crate::secret::Secret;
use crate::sink::Plan;
use crate::store::Data;

/// What a server said about a token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The account name.
    pub user: Option<String>,
    /// Scopes, when the server reports them.
    pub scopes: Option<Vec<String>>,
    /// Expiry, when the server reports it.
    pub expires_at: Option<DateTime<Utc>>,
}

/// What a login asks for: the person's flags, completed by what lanyard stored at the last login
/// of the same host (so that `lanyard login HOST` repeats it).
#[derive(Debug, Clone, Default)]
pub struct Recipe {
    /// `--with-token`: the token (or API key) comes on stdin.
    pub with_token: bool,
    /// `--with-password`: the password comes on stdin.
    pub with_password: bool,
    /// `--no-browser`.
    pub no_browser: bool,
    /// `--no-nix`.
    pub no_nix: bool,
    /// `--user`, or the account of the stored credential.
    pub user: Option<String>,
    /// `--name` (duumbi), or the stored registry name.
    pub name: Option<String>,
    /// `--credentials-path` (skillsctl), or where the stored credential was written.
    pub credentials_path: Option<PathBuf>,
    /// `--scopes`, or the scopes an OAuth login was granted.
    pub scopes: Vec<String>,
    /// `--force`: replace what is there without asking.
    pub force: bool,
    /// A secret another tool already holds (`import`), and its kind: used instead of a prompt.
    pub given: Option<(Secret, TokenKind)>,
}

/// Everything a family needs to obtain a credential.
pub struct Request<'a> {
    /// The process environment.
    pub env: &'a Env,
    /// `--nix-conf`.
    pub nix_conf: Option<&'a Path>,
    /// `--no-input`.
    pub no_input: bool,
    /// Keeps a client id registered with an issuer (RFC 7591) at once, so that a login that
    /// fails later does not register again.
    pub remember_client: &'a dyn Fn(&str, &str) -> Result<()>,
    /// A client trusting the provider's CA file.
    pub http: &'a Http,
    /// The provider.
    pub provider: &'a Provider,
    /// The server.
    pub site: &'a Site,
    /// The OpenID issuer (oidc family).
    pub issuer: String,
    /// The flow [`super::flow`] picked.
    pub flow: Flow,
    /// The flags and remembered choices.
    pub recipe: &'a Recipe,
    /// The store as read at the start (who else writes where).
    pub data: &'a Data,
}

impl Request<'_> {
    /// The time now (a token's lifetime counts from when it arrives, not from the login's start).
    pub fn now(&self) -> DateTime<Utc> {
        crate::credential::now(self.env)
    }

    /// Whether a prompt may be shown.
    pub fn can_prompt(&self) -> bool {
        !self.no_input && self.env.can_prompt()
    }

    /// The user name (`--user`, or asked) and the password (`--with-password`/`--with-token` on
    /// stdin, or a hidden prompt) of a login that takes both.
    pub fn user_and_password(&self) -> Result<(String, Secret)> {
        let user = crate::flow::paste::account(self.env, self.no_input, self.recipe.user.as_deref(), "User name")?;
        let from_stdin = self.recipe.with_password || self.recipe.with_token;
        let password = match &self.recipe.given {
            Some((s, _)) => s.clone(),
            None => crate::flow::paste::read_password(self.env, self.no_input, &user, from_stdin)?,
        };
        Ok((user, password))
    }

    /// A record for this site and provider, with nothing else filled in.
    pub fn record(&self, kind: TokenKind) -> Record {
        Record::new(self.site, &self.provider.id, self.provider.family, kind, self.now())
    }

    /// The Nix plan of a forge token (none for other families or `--no-nix`).
    pub fn nix_plan(&self, kind: TokenKind, token: &Secret) -> Result<Vec<Plan>> {
        let plan =
            crate::sink::Plan::nix(self.env, self.nix_conf, self.provider, self.site, kind, token, self.recipe.no_nix)?;
        Ok(plan.into_iter().collect())
    }
}

/// A credential the server accepted, and the files it goes to.
#[derive(Debug)]
pub struct Obtained {
    /// The credential.
    pub cred: Credential,
    /// The other tools' files to write it to, already checked.
    pub plans: Vec<Plan>,
}

/// The line that tells where to create a token, in the family's words.
pub fn token_page_line(provider: &Provider, url: &str) -> String {
    let scopes = provider.scopes.join(", ");
    match provider.family {
        Family::Gitea | Family::Forgejo => {
            format!("Create a token at {url} with the scopes {scopes} ticked, then paste it.")
        }
        Family::Github if url.contains("/settings/personal-access-tokens/") => {
            let classic = url.replace("/settings/personal-access-tokens/new", "/settings/tokens/new");
            format!(
                "Create a fine-grained token at {url} — Repository access: the repositories you need; Permissions: Contents (read, or read and write to push) and Metadata (read) — then paste it. A classic token works too ({classic}?scopes={} ; GitHub's package registries take only classic tokens, with read:packages).",
                provider.scopes.join(",")
            )
        }
        Family::Github
        | Family::Gitlab
        | Family::Oidc
        | Family::Skillsctl
        | Family::Duumbi
        | Family::Duh
        | Family::Token
        | Family::Basic
        | Family::Oci
        | Family::Npm => {
            if scopes.is_empty() {
                format!("Create a token at {url}, then paste it.")
            } else {
                format!("Create a token at {url} (scopes: {scopes}), then paste it.")
            }
        }
    }
}

/// Reads the answer to a request that carried a credential, the same way for every family: 2xx
/// passes the response on, 401/403 is the credential refused (exit 4), anything else the server
/// not answering the question (`what` names it).
pub fn accepted(site: &Site, what: &str, resp: Response) -> Result<Response> {
    match crate::http::token_answer(resp.status) {
        TokenAnswer::Accepted => Ok(resp),
        TokenAnswer::Refused => Err(rejected(site, &resp)),
        TokenAnswer::Other => Err(crate::http::unexpected(what, &resp)),
    }
}

/// The error for a credential its server refused.
pub fn rejected(site: &Site, resp: &Response) -> Error {
    Error::refused(format!("`{}` rejected the token (HTTP {})", site.key(), resp.status))
        .hint(format!("create a new token and run `lanyard login {}`", site.key()))
}

/// Shows the token page (and opens it unless told not to) and reads the pasted token.
pub fn paste(req: &Request) -> Result<Secret> {
    if let Some((s, _)) = &req.recipe.given {
        return crate::flow::paste::clean_token(s);
    }
    let (p, site) = (req.provider, req.site);
    if let Some(template) = &p.token_page {
        let url = p.expand(template, site);
        crate::ui::say(&token_page_line(p, &url));
        if !(req.recipe.no_browser || req.recipe.with_token) {
            let _ = crate::ui::open_browser(req.env, &url);
        }
    }
    crate::flow::paste::read_token(
        req.env,
        req.no_input,
        &format!("Paste the token for {}", site.key()),
        req.recipe.with_token,
    )
}

/// What a server said when a stored credential was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The server accepted it.
    Valid,
    /// The server refused it (revoked, expired, wrong): a new login is needed.
    Rejected {
        /// What the server said.
        why: String,
    },
    /// The server could not be asked (timeout, DNS, TLS, refused, 5xx, 429).
    Unreachable {
        /// What went wrong.
        why: String,
        /// The timeout that ran out, in seconds, when it was one.
        timeout: Option<u64>,
    },
    /// The server answered something lanyard cannot read as either.
    Protocol {
        /// What it answered.
        why: String,
    },
}

impl From<Result<()>> for Checked {
    fn from(r: Result<()>) -> Checked {
        let Err(e) = r else { return Checked::Valid };
        match e.cause {
            Cause::Refused => Checked::Rejected { why: e.message },
            Cause::Unreachable { timeout } => Checked::Unreachable { why: e.message, timeout },
            Cause::PlainHttp | Cause::Other => Checked::Protocol { why: e.message },
        }
    }
}

impl From<&Checked> for Exit {
    /// The exit code a check contributes (SPEC §2): the one mapping.
    fn from(c: &Checked) -> Exit {
        match c {
            Checked::Valid => Exit::Ok,
            Checked::Rejected { .. } => Exit::Rejected,
            Checked::Unreachable { .. } | Checked::Protocol { .. } => Exit::Unverified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_decided_on_the_errors_cause_and_mapped_to_one_exit() {
        let checked = |e: Error| Checked::from(Err(e));
        let t = checked(Error::timed_out(10, "`https://h` timed out after 10 s"));
        assert_eq!(t, Checked::Unreachable { why: "`https://h` timed out after 10 s".into(), timeout: Some(10) });
        assert_eq!(Exit::from(&t), Exit::Unverified);
        let r = checked(Error::refused("`h` rejected the token (HTTP 401)"));
        assert!(matches!(r, Checked::Rejected { .. }) && Exit::from(&r) == Exit::Rejected);
        // The same exit code without a cause is not a refusal: only the cause decides.
        let p = checked(Error::new(Exit::Rejected, "a message that says rejected"));
        assert!(matches!(p, Checked::Protocol { .. }), "{p:?}");
        assert_eq!(Exit::from(&Checked::from(Ok(()))), Exit::Ok);
    }
}
