//! One file per subcommand, each a function returning an exit status; this file parses the
//! command line, builds the context and turns errors into exit codes.

mod exec;
pub mod git_credential;
mod login;
mod logout;
mod providers;
mod refresh;
mod status;
mod token;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::cli::{Cli, Color, Command};
use crate::config::Config;
pub use crate::context::Ctx;
use crate::env::Env;
use crate::error::{Error, Exit, Result};
use crate::ui;

/// `<config-dir>`: `--config-dir`, `$LANYARD_CONFIG_DIR`, `$XDG_CONFIG_HOME/lanyard`, `~/.config/lanyard`.
pub fn config_dir(env: &Env, flag: Option<PathBuf>) -> Result<PathBuf> {
    let from_env = match env.var("LANYARD_CONFIG_DIR").filter(|v| !v.is_empty()) {
        Some(v) => Some(crate::cli::absolute_path(v).map_err(|e| {
            Error::usage(format!("LANYARD_CONFIG_DIR: {e}")).hint("set LANYARD_CONFIG_DIR to an absolute path")
        })?),
        None => None,
    };
    flag.or(from_env).or_else(|| env.xdg_config_home().map(|d| d.join("lanyard"))).ok_or_else(|| {
        Error::usage("cannot find a home directory for lanyard's config").hint("set HOME or pass --config-dir")
    })
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => Exit::Ok.code(),
                _ => Exit::Usage.code(),
            };
        }
    };
    let env = Env::from_process();
    let no_color = env.var("NO_COLOR").is_some();
    let (color, color_stdout) = match cli.global.color {
        Color::Always => (true, true),
        Color::Never => (false, false),
        Color::Auto => (env.stderr_tty && !no_color, env.stdout_tty && !no_color),
    };
    ui::init(ui::Settings { quiet: cli.global.quiet, verbose: cli.global.verbose, color, color_stdout });
    std::panic::set_hook(Box::new(report_bug));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli, env))) {
        Ok(Ok(exit)) => exit.code(),
        Ok(Err(err)) => {
            ui::error(&err);
            err.exit.code()
        }
        Err(_) => Exit::Failure.code(),
    }
}

/// What a panic (a bug) tells the user: where, but not the message, which might hold a secret
/// that was being handled (SPEC §6). Exit 1.
fn report_bug(info: &std::panic::PanicHookInfo) {
    let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    ui::error(
        &Error::failure(format!(
            "lanyard hit a bug{at} (version {}); its details are withheld because they might hold a secret",
            env!("CARGO_PKG_VERSION")
        ))
        .hint("please report it with the command you ran (without its secrets); files lanyard writes are replaced whole, so none is left half-written"),
    );
}

fn run(cli: Cli, env: Env) -> Result<Exit> {
    if let Command::Completions(a) = &cli.command {
        return print(&completions(a.shell));
    }
    if let Command::Man = &cli.command {
        return print(&man_page());
    }
    let config_dir = config_dir(&env, cli.global.config_dir)?;
    // Nothing is read from the config dir (provider files that receive tokens, config.toml, the
    // store) unless only the user can change what is there.
    crate::fsutil::check_trusted_chain(&config_dir, env.home().as_deref())?;
    // The configuration is validated before anything else happens: a typo in config.toml must
    // not be found after the person has authorized in the browser.
    let config = Config::load(&env, &config_dir)?;
    let ctx = Ctx {
        config,
        config_dir,
        nix_conf: cli.global.nix_conf,
        timeout: Duration::from_secs(cli.global.timeout),
        no_input: cli.global.no_input,
        env,
    };
    ui::debug(&format!("config dir: {}", ctx.config_dir.display()));
    match cli.command {
        Command::Login(a) => login::run(&ctx, a),
        Command::Status(a) => status::run(&ctx, a),
        Command::Logout(a) => logout::run(&ctx, a),
        Command::Token(a) => token::run(&ctx, a),
        Command::Providers(a) => providers::run(&ctx, a),
        Command::Refresh(a) => refresh::run(&ctx, a),
        Command::Exec(a) => exec::run(&ctx, a),
        Command::GitCredential(a) => git_credential::run(&ctx, a),
        Command::SetupGit(a) => git_credential::setup(&ctx, a),
        Command::Completions(_) | Command::Man => unreachable!("handled before the context is built"),
    }
}

/// The store key a TARGET names, without touching the network: an alias goes through the
/// provider registry, a host or URL is normalised directly.
pub fn target_key(ctx: &Ctx, target: &str) -> Result<String> {
    if target.contains(['.', ':', '/', '[']) || target == "localhost" {
        return Ok(crate::provider::Site::parse(target)?.key());
    }
    Ok(ctx.registry()?.resolve(target, None, |_| None)?.site.key())
}

/// Shell completions generated from the command line definition.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "lanyard", &mut out);
    String::from_utf8(out).expect("completions are UTF-8")
}

/// The man page, generated from the command line definition.
pub fn man_page() -> String {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).expect("the man page renders");
    String::from_utf8(out).expect("the man page is UTF-8")
}

fn print(text: &str) -> Result<Exit> {
    use std::io::Write;
    std::io::stdout().write_all(text.as_bytes()).map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(Exit::Ok)
}
