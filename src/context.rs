//! What every command needs: the environment, the resolved paths, the global flags and the
//! validated configuration.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::env::Env;
use crate::error::Result;
use crate::http::Http;
use crate::provider::registry::Registry;
use crate::store::Store;

/// The environment, paths, flags and configuration of one run.
#[derive(Debug)]
pub struct Ctx {
    /// The process environment.
    pub env: Env,
    /// lanyard's config dir.
    pub config_dir: PathBuf,
    /// `--nix-conf`.
    pub nix_conf: Option<PathBuf>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// `--no-input`.
    pub no_input: bool,
    /// `--ignore-env`.
    pub ignore_env: bool,
    /// `config.toml` and `LANYARD_STORAGE`, validated at start-up.
    pub config: Config,
}

impl Ctx {
    /// lanyard's own store; its encrypted file asks the agent for file keys when this process
    /// has no key.
    pub fn store(&self) -> Store {
        let store = self.own_store();
        let sealed = crate::store::Sealed::new(&self.config_dir, &self.config.encrypted.clone().unwrap_or_default())
            .with_agent(self.agent_socket(), crate::agent::client::unwrapper());
        store.sealed(sealed)
    }

    /// Whether the config dir is the default one.
    fn default_dir(&self) -> bool {
        self.env.xdg_config_home().map(|d| d.join("lanyard")).as_deref() == Some(self.config_dir.as_path())
    }

    /// The socket of this config dir's agent.
    pub fn agent_socket(&self) -> PathBuf {
        crate::agent::proto::socket_path(&self.env, &self.config_dir, self.default_dir())
    }

    /// How long a caller waits for the agent's answer (it may be refreshing).
    pub fn agent_wait(&self) -> Duration {
        self.timeout + Duration::from_secs(5)
    }

    /// The store as the agent holds it: its encrypted file never asks an agent.
    pub fn own_store(&self) -> Store {
        let store = Store::new(&self.config_dir, self.default_dir())
            .sealed(crate::store::Sealed::new(&self.config_dir, &self.config.encrypted.clone().unwrap_or_default()));
        if !self.config.shared() && self.config.vault.is_none() {
            return store;
        }
        let c = self.config.vault.clone().unwrap_or_default();
        store.shared(crate::store::vault::Vault::open(&self.env, &c, self.timeout).map(std::sync::Arc::new))
    }

    /// What a refresh needs from this run.
    pub fn run(&self) -> crate::refresh::Run<'_> {
        crate::refresh::Run {
            env: &self.env,
            config_dir: &self.config_dir,
            timeout: self.timeout,
            nix_conf: self.nix_conf.as_deref(),
        }
    }

    /// Built-in and user providers.
    pub fn registry(&self) -> Result<Registry> {
        Registry::load(&self.config_dir)
    }

    /// An HTTP client with the global timeout and the provider's CA file.
    pub fn http(&self, ca_file: Option<&Path>) -> Result<Http> {
        Http::new(&self.env, self.timeout, ca_file)
    }

    /// Whether tokens in the environment may answer (`--ignore-env`, `ignore_env` in config.toml).
    pub fn env_tokens(&self) -> bool {
        !self.ignore_env && self.config.ignore_env != Some(true)
    }

    /// Whether a prompt may be shown.
    pub fn can_prompt(&self) -> bool {
        !self.no_input && self.env.can_prompt()
    }

    /// The current time (fixed by `LANYARD_NOW` in debug builds, for tests).
    pub fn now(&self) -> DateTime<Utc> {
        crate::credential::now(&self.env)
    }
}
