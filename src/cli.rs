//! The command line (SPEC §1). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Examples, shown above the exit codes under the top-level help (issue 23, item 32).
const EXAMPLES: &str = "\
Examples:
  lanyard login github                     log in to github.com (device flow, or a pasted token)
  lanyard login https://git.example.com    a self-hosted forge (its kind is detected)
  lanyard status                           every credential, its health and the fix for each problem
  lanyard status gitlab.com && make        gate a script on a usable credential
  lanyard token github.com                 print a fresh token (refreshed when needed)
  lanyard exec --env GH_TOKEN=github.com -- gh repo list
  lanyard setup-git github.com             let git use lanyard's token for github.com
  lanyard logout alice@github.com          remove one account and every copy lanyard wrote";

/// The top-level help's epilogue: the examples, then the exit-code table.
fn after_help() -> String {
    format!("{EXAMPLES}\n\n{}", crate::error::EXIT_CODE_HELP)
}

/// lanyard: log in to forges, OpenID servers and registries from a terminal, keep the
/// credentials fresh, and write each one where its tool looks.
#[derive(Debug, Parser)]
#[command(name = "lanyard", version, after_help = after_help(), max_term_width = 100)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: Global,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// lanyard's config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]
    #[arg(long, global = true, value_name = "DIR", value_parser = absolute_path)]
    pub config_dir: Option<PathBuf>,
    /// The user nix.conf to manage [default: found as Nix finds it]
    #[arg(long, global = true, value_name = "PATH", value_parser = absolute_path)]
    pub nix_conf: Option<PathBuf>,
    /// Never prompt (also when stdin is not a terminal or `CI` is set)
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Timeout of every network request, in seconds
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Print only errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more about what lanyard does (repeatable); never prints secrets
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)
    #[arg(long, global = true)]
    pub ignore_env: bool,
    /// Colour stderr: auto, always or never (`NO_COLOR` is honoured)
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When stderr is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in to a provider, host or URL (device flow, or a pasted token)
    Login(LoginArgs),
    /// Show credentials and check them; the exit code says whether they are usable
    Status(StatusArgs),
    /// Remove a credential from lanyard and every file it was written to
    Logout(LogoutArgs),
    /// Print a credential's token on stdout (nothing else)
    Token(TokenArgs),
    /// Say which account (or environment token) answers for a target here, and why
    Which(WhichArgs),
    /// Refresh credentials that have a refresh token and expire within --min-valid
    Refresh(RefreshArgs),
    /// Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)
    Rotate(RotateArgs),
    /// Make another account of a host the active one (what its tools and `token HOST` get)
    Switch(SwitchArgs),
    /// Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold
    Import(ImportArgs),
    /// List the providers lanyard knows
    Providers(ProvidersArgs),
    /// Run a command with fresh credentials in its environment
    Exec(ExecArgs),
    /// git's credential helper protocol on stdin/stdout (git runs this)
    GitCredential(GitCredentialArgs),
    /// Make lanyard git's credential helper for a host (all hosts without TARGET)
    SetupGit(SetupGitArgs),
    /// Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)
    SetupNetrc(SetupNetrcArgs),
    /// Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)
    SetupNpm(SetupNpmArgs),
    /// cargo's credential-provider protocol on stdin/stdout (cargo runs this)
    CargoCredential(CargoCredentialArgs),
    /// Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)
    SetupCargo(SetupCargoArgs),
    /// docker's credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)
    DockerCredential(DockerCredentialArgs),
    /// Make lanyard the credential helper of container registries (docker, podman, skopeo)
    SetupDocker(SetupDockerArgs),
    /// kubectl's exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)
    KubeCredential(KubeCredentialArgs),
    /// Make kubectl get a context's token from lanyard (writes the kubeconfig's exec user)
    SetupKube(SetupKubeArgs),
    /// Open the encrypted store (asks for its passphrase once) and start the agent
    Unlock(UnlockArgs),
    /// Make the agent forget every secret it holds until `lanyard unlock`
    Lock,
    /// The agent: a per-user process that holds unlocked secrets in memory
    Agent(AgentArgs),
    /// Move every credential to another storage (all or nothing, with a backup)
    Storage(StorageArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(hide = true)]
    Man,
}

/// `lanyard git-credential`.
#[derive(Debug, Args)]
pub struct GitCredentialArgs {
    /// What git asks for
    #[arg(value_enum)]
    pub action: GitAction,
}

/// git's credential-helper actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GitAction {
    /// Answer with the credential for the host (refreshed first)
    Get,
    /// git stored a credential (lanyard keeps its own; ignored)
    Store,
    /// git erased a credential (lanyard keeps its own; ignored — use `lanyard logout`)
    Erase,
}

/// `lanyard setup-git`.
#[derive(Debug, Args)]
pub struct SetupGitArgs {
    /// The host to set up [default: every credential lanyard holds]
    pub target: Option<String>,
}

/// `lanyard rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The credential to renew
    pub target: String,
}

/// `lanyard which`.
#[derive(Debug, Args)]
pub struct WhichArgs {
    /// The target
    pub target: String,
}

/// `lanyard setup-netrc`.
#[derive(Debug, Args)]
pub struct SetupNetrcArgs {
    /// The credential to write
    pub target: String,
    /// The machine name to write it as [default: the credential's host]
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
}

/// `lanyard setup-npm`.
#[derive(Debug, Args)]
pub struct SetupNpmArgs {
    /// The credential to write
    pub target: String,
    /// The npm registry URL [default: the forge's: npm.pkg.github.com, GitLab's or Gitea's packages]
    #[arg(long, value_name = "URL")]
    pub registry: Option<String>,
    /// The owner whose Gitea/Forgejo packages to use [default: the account]
    #[arg(long, value_name = "OWNER")]
    pub owner: Option<String>,
    /// For pnpm: a `tokenHelper` line running a launcher that asks lanyard at each run (the
    /// token is never written into .npmrc)
    #[arg(long)]
    pub pnpm: bool,
}

/// `lanyard cargo-credential`.
#[derive(Debug, Args)]
pub struct CargoCredentialArgs {
    /// Passed by cargo when it runs a credential provider
    #[arg(long)]
    pub cargo_plugin: bool,
}

/// `lanyard setup-cargo`.
#[derive(Debug, Args)]
pub struct SetupCargoArgs {
    /// The registry's name in cargo (`cargo add --registry NAME`)
    pub name: String,
    /// The registry's index URL (`sparse+https://HOST/…/`)
    #[arg(long, value_name = "URL")]
    pub index: String,
    /// The credential that answers it [default: the index host's own, or a family's]
    #[arg(long, value_name = "TARGET")]
    pub from: Option<String>,
}

/// `lanyard docker-credential`.
#[derive(Debug, Args)]
pub struct DockerCredentialArgs {
    /// What the container tool asks for
    #[arg(value_enum)]
    pub action: DockerAction,
}

/// docker's credential-helper actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DockerAction {
    /// The credential of the registry named on stdin (refreshed first)
    Get,
    /// Keep the credential `docker login` hands over (checked with the registry first)
    Store,
    /// Forget a registry's credential that `docker login` stored
    Erase,
    /// Every registry lanyard answers, with its user name
    List,
}

/// `lanyard setup-docker`.
#[derive(Debug, Args)]
pub struct SetupDockerArgs {
    /// The registries to set up [default: every registry lanyard's credentials answer]
    pub registries: Vec<String>,
    /// The credential that answers REGISTRY (for a registry no built-in rule maps)
    #[arg(long, value_name = "TARGET")]
    pub from: Option<String>,
    /// Where to put the `docker-credential-lanyard` link [default: beside lanyard when that
    /// directory is writable, else ~/.local/bin]
    #[arg(long, value_name = "DIR", value_parser = absolute_path)]
    pub bin_dir: Option<PathBuf>,
}

/// Which token kubectl gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KubeToken {
    /// The OpenID ID token (what OIDC clusters check); the access token when there is none
    Id,
    /// The access token
    Access,
}

/// `lanyard kube-credential`.
#[derive(Debug, Args)]
pub struct KubeCredentialArgs {
    /// The credential whose token kubectl gets
    pub target: String,
    /// Which token
    #[arg(long, value_enum, default_value_t = KubeToken::Id)]
    pub token: KubeToken,
    /// The ExecCredential version when kubectl does not say (KUBERNETES_EXEC_INFO wins)
    #[arg(long, value_name = "VERSION", default_value = "client.authentication.k8s.io/v1")]
    pub api_version: String,
}

/// `lanyard setup-kube`.
#[derive(Debug, Args)]
pub struct SetupKubeArgs {
    /// The credential whose token the cluster takes
    pub target: String,
    /// The context to point at it [default: the current context]
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The kubeconfig to change [default: $KUBECONFIG's first file, else ~/.kube/config]
    #[arg(long, value_name = "PATH", value_parser = absolute_path)]
    pub kubeconfig: Option<PathBuf>,
    /// Which token
    #[arg(long, value_enum, default_value_t = KubeToken::Id)]
    pub token: KubeToken,
}

/// `lanyard unlock`.
#[derive(Debug, Args)]
pub struct UnlockArgs {
    /// Read the passphrase from stdin (one line) instead of the terminal
    #[arg(long)]
    pub passphrase_stdin: bool,
}

/// `lanyard agent`.
#[derive(Debug, Args)]
pub struct AgentArgs {
    /// What to do
    #[command(subcommand)]
    pub action: AgentAction,
}

/// The agent's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum AgentAction {
    /// Start it in the background (nothing when one runs)
    Start,
    /// End it (it forgets every secret)
    Stop,
    /// Say whether it runs, where, and whether it is locked; exit 3 when none runs
    Status,
    /// Run it in the foreground (what a systemd user service runs)
    Run {
        /// Serve on the listening socket systemd passes as stdin (`StandardInput=socket`)
        #[arg(long)]
        inherit_socket: bool,
    },
}

/// `lanyard storage`.
#[derive(Debug, Args)]
pub struct StorageArgs {
    /// What to do
    #[command(subcommand)]
    pub action: StorageAction,
}

/// The storage actions.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum StorageAction {
    /// Move every credential of this machine to KIND and make it the configured storage
    Migrate {
        /// Where to: keyring, encrypted or file
        #[arg(long, value_enum)]
        to: crate::store::StoragePref,
    },
}

/// `lanyard completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `lanyard exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// `VAR=TARGET`, or `VAR=TARGET:password|:user|:id-token` for one part (repeatable)
    #[arg(long = "env", value_name = "VAR=TARGET")]
    pub env: Vec<String>,
    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

/// `lanyard refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Targets to refresh
    pub targets: Vec<String>,
    /// Refresh every credential (what the Home Manager timer runs)
    #[arg(long, conflicts_with = "targets")]
    pub all: bool,
    /// Refresh when less than this remains (90s, 15m, 2h); a timer passes its own period
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub min_valid: chrono::Duration,
    /// Refresh even when the token is still fresh
    #[arg(long)]
    pub force: bool,
}

/// `lanyard login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Provider alias (`github`), host (`git.example.com`) or URL (`https://git.example.com`)
    pub target: Option<String>,
    /// Protocol family or provider id for a host lanyard does not know
    #[arg(long, value_name = "KIND", value_parser = ProviderKind, hide_possible_values = true)]
    pub provider: Option<String>,
    /// OAuth client id for the device flow (overrides the provider file's)
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Scopes to ask for (device flow) or name on the token page, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "S,..")]
    pub scopes: Vec<String>,
    /// Paste a token instead of the device flow: read from stdin (one line), not a hidden prompt
    #[arg(long)]
    pub with_token: bool,
    /// Use the device flow (RFC 8628), or fail saying why it is impossible
    #[arg(long, conflicts_with_all = ["web", "with_token"])]
    pub device: bool,
    /// Use the browser flow (authorization code with PKCE), or fail saying why it is impossible
    #[arg(long, conflicts_with = "with_token")]
    pub web: bool,
    /// Replace an existing credential without asking
    #[arg(long)]
    pub force: bool,
    /// Show what would be written where, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not open a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Account name: an email for duh, a user name for basic auth
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Read the password from stdin (one line) instead of a hidden prompt
    #[arg(long)]
    pub with_password: bool,
    /// The duumbi registry name to file the token under in duumbi's credentials.toml
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Where skillsctl's credentials.json goes [default: ~/.config/skillsctl/credentials.json]
    #[arg(long, value_name = "PATH", value_parser = absolute_path)]
    pub credentials_path: Option<PathBuf>,
    /// Where the secret goes: the OS keyring, the plaintext file, or auto (keyring when one answers)
    #[arg(long, value_enum, value_name = "WHERE")]
    pub storage: Option<crate::store::StoragePref>,
    /// Do not write the token into Nix's `access-tokens`
    #[arg(long)]
    pub no_nix: bool,
    /// Also write the credential into ~/.netrc (curl, pip, uv, Poetry, Go), kept fresh
    #[arg(long)]
    pub netrc: bool,
}

/// `lanyard status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Targets to check [default: every credential lanyard knows]
    pub targets: Vec<String>,
    /// Do not ask the servers; judge from what is stored
    #[arg(long)]
    pub offline: bool,
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Exit 5 when a credential expires within this time (90s, 15m, 2h, 7d)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub warn_within: Option<chrono::Duration>,
}

/// `lanyard logout`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The target to log out of [default: choose from a menu]
    pub target: Option<String>,
    /// Log out of everything
    #[arg(long, conflicts_with = "target")]
    pub all: bool,
    /// Revoke the token on the server first (RFC 7009, GitLab's token API), or say where to
    #[arg(long)]
    pub revoke: bool,
    /// Show what would be removed, and remove nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Delete shared credentials from Vault without asking (every machine loses them); with
    /// `--all` and without it off a terminal, only this machine's files and view are removed
    #[arg(long)]
    pub shared: bool,
}

/// `lanyard switch`.
#[derive(Debug, Args)]
pub struct SwitchArgs {
    /// The host (or provider, URL) whose active account changes
    pub target: String,
    /// The account to make active [default: the other one; a menu when there are more]
    pub account: Option<String>,
}

/// Where `lanyard import` looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum ImportSource {
    /// gh's hosts.yml (`GH_CONFIG_DIR` or ~/.config/gh), and `gh auth token` for keyring tokens
    Gh,
    /// glab's config.yml (~/.config/glab-cli)
    Glab,
    /// tea's config.yml (~/.config/tea)
    Tea,
    /// `NETRC` or ~/.netrc
    Netrc,
    /// ~/.git-credentials and $XDG_CONFIG_HOME/git/credentials
    GitCredentials,
    /// The `access-tokens` Nix uses that lanyard did not write
    Nix,
    /// kubelogin's `oidc-login` users in the kubeconfig: a login with each (only when named)
    Kubeconfig,
}

/// `lanyard import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sources to read [default: all]
    #[arg(value_enum)]
    pub sources: Vec<ImportSource>,
    /// Check the candidates with their servers, and store nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Don't write the imported tokens to Nix's access-tokens
    #[arg(long)]
    pub no_nix: bool,
}

/// `lanyard token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The target whose token to print
    pub target: String,
    /// Refresh (or warn) when less than this remains (90s, 15m, 2h)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub min_valid: chrono::Duration,
    /// Print the OpenID ID token instead of the access token
    #[arg(long)]
    pub id_token: bool,
}

/// `lanyard providers`.
#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// `--provider`: any provider id (a user's own too), completed with the built-in ids and the
/// families.
#[derive(Clone, Copy, Debug)]
struct ProviderKind;

impl clap::builder::TypedValueParser for ProviderKind {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::NonEmptyStringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(crate::provider::registry::kinds().into_iter().map(clap::builder::PossibleValue::new)))
    }
}

/// A path from the command line made absolute against the current directory when parsed, so a
/// relative one is never stored or written into git's config (SPEC §6).
pub fn absolute_path(s: &str) -> Result<PathBuf, String> {
    if s.is_empty() {
        return Err("an empty path".to_string());
    }
    std::path::absolute(s).map_err(|e| format!("cannot make `{s}` absolute: {e}"))
}

fn parse_duration(s: &str) -> Result<chrono::Duration, String> {
    crate::status::parse_duration(s)
}

/// The hot paths' command lines, read without building the whole parser (a third of a
/// `token` call's instructions went to clap): `[--config-dir DIR] token TARGET` and
/// `[--config-dir DIR] git-credential get|store|erase`, `docker-credential ACTION` and
/// `kube-credential TARGET [--api-version V] [--token id|access]` (what setup-kube writes) and
/// `cargo-credential --cargo-plugin`, exactly; anything else (an option, a
/// help flag, an odd word) is `None` and goes through clap. A unit test holds the result equal
/// to clap's for the same words.
pub fn fast(args: &[std::ffi::OsString]) -> Option<Cli> {
    let words: Vec<&str> = args.iter().skip(1).map(|a| a.to_str()).collect::<Option<_>>()?;
    let (config_dir, rest) = match words.as_slice() {
        ["--config-dir", dir, rest @ ..] => (Some(absolute_path(dir).ok()?), rest),
        rest => (None, rest),
    };
    let command = match rest {
        ["token", target] if !target.starts_with('-') && !target.is_empty() => Command::Token(TokenArgs {
            target: target.to_string(),
            min_valid: chrono::Duration::seconds(60),
            id_token: false,
        }),
        ["git-credential", action] => Command::GitCredential(GitCredentialArgs {
            action: match *action {
                "get" => GitAction::Get,
                "store" => GitAction::Store,
                "erase" => GitAction::Erase,
                _ => return None,
            },
        }),
        ["kube-credential", target, options @ ..] if !target.starts_with('-') && !target.is_empty() => {
            let mut args = KubeCredentialArgs {
                target: target.to_string(),
                token: KubeToken::Id,
                api_version: "client.authentication.k8s.io/v1".to_string(),
            };
            for pair in options.chunks(2) {
                match pair {
                    ["--api-version", v] if !v.starts_with('-') => args.api_version = v.to_string(),
                    ["--token", "id"] => args.token = KubeToken::Id,
                    ["--token", "access"] => args.token = KubeToken::Access,
                    _ => return None,
                }
            }
            Command::KubeCredential(args)
        }
        ["cargo-credential", "--cargo-plugin"] => Command::CargoCredential(CargoCredentialArgs { cargo_plugin: true }),
        ["docker-credential", action] => Command::DockerCredential(DockerCredentialArgs {
            action: match *action {
                "get" => DockerAction::Get,
                "store" => DockerAction::Store,
                "erase" => DockerAction::Erase,
                "list" => DockerAction::List,
                _ => return None,
            },
        }),
        _ => return None,
    };
    let global = Global {
        config_dir,
        nix_conf: None,
        no_input: false,
        timeout: 30,
        quiet: false,
        verbose: 0,
        ignore_env: false,
        color: Color::Auto,
    };
    Some(Cli { global, command })
}

#[cfg(test)]
mod fast_tests {
    use super::*;

    #[test]
    fn the_fast_path_reads_exactly_what_clap_reads() {
        let cases: &[&[&str]] = &[
            &["lanyard", "token", "github.com"],
            &["lanyard", "token", "alice@github.com"],
            &["lanyard", "--config-dir", "/tmp/x", "token", "gitlab.com"],
            &["lanyard", "git-credential", "get"],
            &["lanyard", "git-credential", "store"],
            &["lanyard", "git-credential", "erase"],
            &["lanyard", "--config-dir", "/tmp/x", "git-credential", "get"],
            &["lanyard", "--config-dir", "relative", "token", "x"],
            &["lanyard", "docker-credential", "get"],
            &["lanyard", "docker-credential", "list"],
            &["lanyard", "kube-credential", "alice@issuer.example"],
            &["lanyard", "--config-dir", "/c", "cargo-credential", "--cargo-plugin"],
            &[
                "lanyard",
                "--config-dir",
                "/c",
                "kube-credential",
                "x",
                "--api-version",
                "client.authentication.k8s.io/v1beta1",
            ],
            &["lanyard", "kube-credential", "x", "--token", "access", "--api-version", "v"],
        ];
        for argv in cases {
            let os: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
            let fast = fast(&os).unwrap_or_else(|| panic!("{argv:?} takes the fast path"));
            let clap = Cli::try_parse_from(*argv).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{argv:?}");
        }
        // Anything else goes through clap.
        for argv in [
            &["lanyard", "token", "--help"][..],
            &["lanyard", "token", "github.com", "--min-valid", "2h"],
            &["lanyard", "-v", "token", "github.com"],
            &["lanyard", "git-credential", "approve"],
            &["lanyard", "--config-dir", "", "token", "x"],
            &["lanyard", "token"],
            &["lanyard", "kube-credential", "x", "--token"],
            &["lanyard", "kube-credential", "x", "--token", "both"],
            &["lanyard", "kube-credential", "x", "--api-version", "--token"],
        ] {
            let os: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
            assert!(fast(&os).is_none(), "{argv:?}");
        }
    }
}
