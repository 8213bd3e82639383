//! One file per subcommand, each a function returning an exit status; this file parses the
//! command line, builds the context and turns errors into exit codes.

mod agent;
mod cargo;
mod docker;
mod exec;
pub mod git_credential;
mod import;
mod kube;
mod login;
mod logout;
mod netrc;
mod npm;
mod providers;
mod refresh;
mod status;
mod storage;
mod switch;
mod target;
mod token;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;

pub use self::target::Decision;
pub use self::target::Named;
pub use self::target::chosen;
pub use self::target::decide;
pub use self::target::fresh;
pub use self::target::fresh_in;
pub use self::target::listed_registries;
pub use self::target::named;
pub use self::target::split_account;
pub use self::target::target_key;
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
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // cargo runs a provider named by path alone as `PATH --cargo-plugin` (SPEC §15).
    if args.get(1).is_some_and(|a| a == "--cargo-plugin") {
        args.splice(1..2, ["cargo-credential".into(), "--cargo-plugin".into()]);
    }
    // Run as `docker-credential-lanyard ACTION` (the name container tools call helpers by).
    if args.first().and_then(|a| Path::new(a).file_name()).is_some_and(|n| n == "docker-credential-lanyard") {
        args.splice(0..1, ["lanyard".into(), "docker-credential".into()]);
    }
    let cli = match crate::cli::fast(&args).map(Ok).unwrap_or_else(|| Cli::try_parse_from(&args)) {
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
    // `providers/` is inside that trust chain too (its files say where tokens are sent; N4): it,
    // or the directory it links to, must be the user's alone.
    let providers = config_dir.join("providers");
    if std::fs::symlink_metadata(&providers).is_ok() {
        crate::fsutil::check_trusted_chain(&providers, env.home().as_deref())?;
    }
    // The configuration is validated before anything else happens: a typo in config.toml must
    // not be found after the person has authorized in the browser.
    let config = Config::load(&env, &config_dir)?;
    let ctx = Ctx {
        config,
        config_dir,
        nix_conf: cli.global.nix_conf,
        timeout: Duration::from_secs(cli.global.timeout),
        no_input: cli.global.no_input,
        ignore_env: cli.global.ignore_env,
        env,
    };
    ui::debug(&format!("config dir: {}", ctx.config_dir.display()));
    match cli.command {
        Command::Login(a) => login::run(&ctx, a),
        Command::Status(a) => status::run(&ctx, a),
        Command::Logout(a) => logout::run(&ctx, a),
        Command::Token(a) => token::run(&ctx, a),
        Command::Which(a) => token::which(&ctx, a),
        Command::Providers(a) => providers::run(&ctx, a),
        Command::Refresh(a) => refresh::run(&ctx, a),
        Command::Rotate(a) => refresh::rotate(&ctx, a),
        Command::Switch(a) => switch::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
        Command::Exec(a) => exec::run(&ctx, a),
        Command::GitCredential(a) => git_credential::run(&ctx, a),
        Command::SetupGit(a) => git_credential::setup(&ctx, a),
        Command::SetupNetrc(a) => netrc::setup(&ctx, a),
        Command::SetupNpm(a) => npm::setup(&ctx, a),
        Command::CargoCredential(a) => cargo::credential(&ctx, a),
        Command::SetupCargo(a) => cargo::setup(&ctx, a),
        Command::DockerCredential(a) => docker::run(&ctx, a),
        Command::SetupDocker(a) => docker::setup(&ctx, a),
        Command::KubeCredential(a) => kube::credential(&ctx, a),
        Command::SetupKube(a) => kube::setup(&ctx, a),
        Command::Unlock(a) => agent::unlock(&ctx, a),
        Command::Lock => agent::lock(&ctx),
        Command::Agent(a) => agent::run(&ctx, a),
        Command::Storage(a) => storage::run(&ctx, a),
        Command::Completions(_) | Command::Man => unreachable!("handled before the context is built"),
    }
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
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    // One page for the whole tool: clap_mangen's SUBCOMMANDS section points at a page per
    // subcommand (`lanyard-login(1)`, …) that nothing installs (issue 23, item 32), so each
    // subcommand's full help is a part of this page instead.
    man.render_title(&mut out).expect("renders");
    man.render_name_section(&mut out).expect("renders");
    man.render_synopsis_section(&mut out).expect("renders");
    man.render_description_section(&mut out).expect("renders");
    man.render_options_section(&mut out).expect("renders");
    let mut text = String::from_utf8(out).expect("the man page is UTF-8");
    text.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands_mut().filter(|s| s.get_name() != "help") {
        let help = sub.render_long_help().to_string();
        text.push_str(&format!(".SS \"lanyard {}\"\n.nf\n", sub.get_name()));
        for line in help.lines() {
            // roff: a leading `.` or `'` would be a request; `\` an escape.
            let line = line.replace('\\', "\\e");
            let line = if line.starts_with(['.', '\'']) { format!("\\&{line}") } else { line };
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str(".fi\n");
    }
    let mut rest = Vec::new();
    man.render_extra_section(&mut rest).expect("renders");
    man.render_version_section(&mut rest).expect("renders");
    text.push_str(&String::from_utf8(rest).expect("the man page is UTF-8"));
    text
}

fn print(text: &str) -> Result<Exit> {
    use std::io::Write;
    std::io::stdout().write_all(text.as_bytes()).map_err(|e| Error::failure(format!("cannot write to stdout: {e}")))?;
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::split_account;

    #[test]
    fn the_last_at_separates_the_account() {
        let s = |t: &str| split_account(t);
        assert_eq!(s("github.com"), (None, "github.com".into()));
        assert_eq!(s("hubot@github.com"), (Some("hubot".into()), "github.com".into()));
        assert_eq!(
            s("alice@example.com@duh.example.com"),
            (Some("alice@example.com".into()), "duh.example.com".into())
        );
        assert_eq!(s("bot@https://git.example.com"), (Some("bot".into()), "https://git.example.com".into()));
        assert_eq!(s("https://alice@git.example.com/x"), (Some("alice".into()), "https://git.example.com/x".into()));
        assert_eq!(s("http://127.0.0.1:8080"), (None, "http://127.0.0.1:8080".into()));
        assert_eq!(s("@github.com"), (None, "@github.com".into()));
    }
}
