//! The process environment, read once at start and passed inward, so every path decision can be
//! tested with an injected environment (nothing else in lanyard calls `std::env::var`).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The environment variables and terminal facts lanyard decides with. `Debug` shows variable
/// names only: the environment may hold tokens (`GITHUB_TOKEN`, `NIX_CONFIG`).
#[derive(Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
    /// Whether stdin is a terminal.
    pub stdin_tty: bool,
    /// Whether stderr is a terminal.
    pub stderr_tty: bool,
    /// Whether stdout is a terminal.
    pub stdout_tty: bool,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Env")
            .field("vars", &names)
            .field("stdin_tty", &self.stdin_tty)
            .field("stderr_tty", &self.stderr_tty)
            .finish()
    }
}

impl Env {
    /// Reads the real process environment.
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            stdin_tty: std::io::stdin().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
            stdout_tty: std::io::stdout().is_terminal(),
        }
    }

    /// An environment built from the given variables (tests).
    pub fn from_vars<I: IntoIterator<Item = (String, String)>>(vars: I) -> Self {
        Env { vars: vars.into_iter().collect(), stdin_tty: false, stderr_tty: false, stdout_tty: false }
    }

    /// A variable's value; unset and empty are the same to lanyard unless stated.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Whether a variable is set at all (even empty): `NIX_USER_CONF_FILES=""` means "no user files".
    pub fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// A variable's raw value, empty included.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// `$HOME`, else the home directory the OS knows.
    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from).or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
    }

    /// `$XDG_CONFIG_HOME`, else `~/.config`.
    pub fn xdg_config_home(&self) -> Option<PathBuf> {
        self.var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| self.home().map(|h| h.join(".config")))
    }

    /// Whether prompting is allowed at all: a terminal on stdin and no `CI`.
    pub fn can_prompt(&self) -> bool {
        self.stdin_tty && self.var("CI").is_none()
    }
}
