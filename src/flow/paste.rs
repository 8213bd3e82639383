//! The paste and password flows: a token, API key or password read from a hidden prompt or, with
//! `--with-token`/`--with-password`, one line of stdin; an account name from `--user` or a prompt.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::ui;

/// Reads a pasted token (hidden prompt, or stdin when `from_stdin`) and cleans it.
pub fn read_token(env: &Env, no_input: bool, prompt: &str, from_stdin: bool) -> Result<Secret> {
    let pasted = ui::read_secret(env, no_input, prompt, from_stdin, "--with-token and pipe the token on stdin")?;
    clean_token(&pasted)
}

/// Reads a password (hidden prompt, or stdin when `from_stdin`). Kept as typed: passwords may
/// have spaces.
pub fn read_password(env: &Env, no_input: bool, account: &str, from_stdin: bool) -> Result<Secret> {
    let password = ui::read_secret(
        env,
        no_input,
        &format!("Password for {account}"),
        from_stdin,
        "--with-password and pipe the password on stdin",
    )?;
    crate::secret::remember(&password);
    Ok(password)
}

/// A pasted token without the spaces around it. No token has whitespace or control characters
/// inside (they would break the HTTP header it travels in), so those are refused, saying where.
pub fn clean_token(pasted: &Secret) -> Result<Secret> {
    let t = pasted.expose_secret().trim();
    if t.is_empty() {
        return Err(Error::usage("the pasted token is empty").hint("paste the token, or pipe it with --with-token"));
    }
    let token = crate::secret::validate(t, "the pasted token")
        .map_err(|why| Error::usage(why).hint("paste only the token itself, on one line"))?;
    crate::secret::remember(&token);
    Ok(token)
}

/// The account name: `--user` (or the one a re-login remembered), else a prompt.
pub fn account(env: &Env, no_input: bool, given: Option<&str>, what: &str) -> Result<String> {
    if let Some(u) = given {
        return crate::account::typed_account(u);
    }
    if no_input || !env.can_prompt() {
        return Err(ui::no_prompt(what, "--user NAME"));
    }
    let typed = dialoguer::Input::<String>::new()
        .with_prompt(what)
        .interact_text()
        .map_err(|e| Error::failure(format!("cannot read from the terminal: {e}")))?;
    crate::account::typed_account(&typed)
}
