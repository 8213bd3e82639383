//! Talking to the person: stderr messages (stdout is data), prompts that refuse to run without a
//! terminal, and the verbosity and colour settings.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::secret::Secret;

pub use crate::diag::Settings;
pub use crate::diag::debug;
pub use crate::diag::init;
pub use crate::diag::verbosity;
pub use crate::diag::warn;
use crate::diag::{paint, settings};

/// Text for stdout in an SGR colour (`32` green, `33` yellow, `31` red, `1` bold, `2` dim) when
/// colour is on for stdout.
pub fn paint_out(code: &str, text: &str) -> String {
    if settings().color_stdout { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// Shows what a layer handed back, in order.
pub use crate::diag::tell;

/// A line of conversation on stderr (hidden by `-q`).
pub fn say(line: &str) {
    if !settings().quiet {
        eprintln!("{line}");
    }
}

/// A line the person must see to finish what they asked for (a device flow's one-time code and
/// where to enter it, the URL of a browser login), printed even with `-q` (issue 23, item 31).
pub fn essential(line: &str) {
    eprintln!("{line}");
}

/// Prints an error with its hints to stderr.
pub fn error(err: &Error) {
    eprintln!("{} {}", paint("31", "error:"), err.message);
    for h in &err.hints {
        eprintln!("  {} {h}", paint("36", "hint:"));
    }
}

pub use crate::fsutil::shell_word;

/// The error for a prompt that cannot be shown.
pub fn no_prompt(what: &str, flag: &str) -> Error {
    Error::usage(format!("cannot ask for {}: no terminal (or `--no-input`/`CI` is set)", what.to_lowercase()))
        .hint(format!("use {flag}"))
}

/// Reads a secret: one line from stdin when `from_stdin`, else a hidden prompt on the terminal.
pub fn read_secret(env: &Env, no_input: bool, prompt: &str, from_stdin: bool, flag: &str) -> Result<Secret> {
    let asked = prompt.strip_prefix("Paste ").unwrap_or(prompt);
    let value = if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| Error::usage(format!("cannot read stdin: {e}")))?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else if env.can_prompt() && !no_input {
        dialoguer::Password::new()
            .with_prompt(prompt)
            .interact()
            .map_err(|e| Error::failure(format!("cannot read from the terminal: {e}")))?
    } else {
        return Err(no_prompt(asked, flag));
    };
    if value.is_empty() {
        return Err(Error::usage("the secret is empty").hint(format!("paste it at the prompt, or pipe it with {flag}")));
    }
    Ok(Secret::new(value))
}

/// Chooses a new passphrase: typed twice on the terminal, or one line of stdin.
pub fn new_passphrase(env: &Env, no_input: bool, from_stdin: bool) -> Result<Secret> {
    let p = if from_stdin {
        read_secret(env, no_input, "Passphrase", true, "--passphrase-stdin")?
    } else if env.can_prompt() && !no_input {
        Secret::new(
            dialoguer::Password::new()
                .with_prompt("Choose a passphrase for lanyard's encrypted store")
                .with_confirmation("Type it again", "The two differ; try again")
                .interact()
                .map_err(|e| Error::failure(format!("cannot read from the terminal: {e}")))?,
        )
    } else {
        return Err(no_prompt("a new passphrase", "--passphrase-stdin"));
    };
    if p.expose_secret().chars().count() < 8 {
        return Err(Error::usage("the passphrase is shorter than 8 characters")
            .hint("run `lanyard unlock` again with a longer one"));
    }
    Ok(p)
}

/// An RFC 3339 time as the local clock shows it (`09:12`, with the date when not today).
pub fn local_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Local);
            if t.date_naive() == chrono::Local::now().date_naive() {
                t.format("%H:%M").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M").to_string()
            }
        }
        Err(_) => rfc3339.to_string(),
    }
}

/// Seconds in words: `8h`, `90s`, `2h 30m`.
pub fn duration_words(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let parts: Vec<String> =
        [(h, "h"), (m, "m"), (s, "s")].iter().filter(|(n, _)| *n > 0).map(|(n, u)| format!("{n}{u}")).collect();
    if parts.is_empty() { "0s".into() } else { parts.join(" ") }
}

/// Asks a yes/no question; without a terminal, returns the error `flag` names.
pub fn confirm(env: &Env, no_input: bool, question: &str, flag: &str) -> Result<bool> {
    if !env.can_prompt() || no_input {
        return Err(no_prompt("confirmation", flag));
    }
    restore_cursor_on_interrupt();
    let r = dialoguer::Confirm::new().with_prompt(question).default(false).interact();
    answered(r)
}

/// While a prompt is up, Ctrl-C (SIGINT) shows the cursor again and ends lanyard with 130, as
/// the run would have: dialoguer hides the cursor and the default signal action would leave it
/// hidden until `reset` (issue 23, item 23). Nothing is written before a prompt is answered.
fn restore_cursor_on_interrupt() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
                let _ = ready_tx.send(());
                if let Ok(mut s) = signal {
                    s.recv().await;
                    eprintln!("\x1b[?25h");
                    #[allow(clippy::exit)] // the signal's own exit: the main thread is in a prompt
                    std::process::exit(crate::error::Exit::Interrupted.code());
                }
            });
        });
        let _ = ready_rx.recv_timeout(std::time::Duration::from_secs(1));
    });
}

/// A prompt's answer, with the cursor shown again whatever happened (dialoguer hides it while a
/// menu is up and leaves it hidden on an error or Ctrl-C; issue 23, item 23); Ctrl-C is exit 130.
fn answered<T>(r: dialoguer::Result<T>) -> Result<T> {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprint!("\x1b[?25h");
    }
    r.map_err(|e| match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            Error::new(crate::error::Exit::Interrupted, "interrupted; nothing changed")
        }
        e => Error::failure(format!("cannot read from the terminal: {e}")),
    })
}

/// What a menu's prompt says about its keys.
const MENU_KEYS: &str = "↑/↓ move, type to filter, Enter chooses, Ctrl-C cancels";

/// A menu moved through with the arrow keys (or typed into to filter nothing: there is no wrong
/// answer to give); returns the chosen index.
pub fn select(env: &Env, no_input: bool, question: &str, items: &[String], flag: &str) -> Result<usize> {
    if !env.can_prompt() || no_input {
        return Err(no_prompt("a choice", flag));
    }
    restore_cursor_on_interrupt();
    let r = dialoguer::FuzzySelect::new()
        .with_prompt(format!("{question} ({MENU_KEYS})"))
        .items(items)
        .default(0)
        .interact();
    answered(r)
}

/// `lanyard login` without a target: a menu of `known` (name, label) and "another host or URL…"
/// on a terminal; elsewhere exit 2 listing the names.
pub fn choose_target(can_prompt: bool, known: &[(String, String)]) -> Result<String> {
    if !can_prompt {
        let names: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
        return Err(Error::usage("name what to log in to")
            .hint(format!("one of {}, or a host or URL: e.g. `lanyard login github`", names.join(", "))));
    }
    let mut items: Vec<&str> = known.iter().map(|(_, label)| label.as_str()).collect();
    items.push("another host or URL…");
    restore_cursor_on_interrupt();
    let i = answered(
        dialoguer::FuzzySelect::new()
            .with_prompt(format!("Log in to ({MENU_KEYS})"))
            .items(&items)
            .default(0)
            .interact(),
    )?;
    if let Some((name, _)) = known.get(i) {
        return Ok(name.clone());
    }
    answered(dialoguer::Input::<String>::new().with_prompt("Host or URL (e.g. git.example.com)").interact_text())
        .map(|s| s.trim().to_string())
}

/// Opens a URL in the browser when there is a display and no SSH session; says so either way.
/// Returns whether it was handed to a browser.
pub fn open_browser(env: &Env, url: &str) -> bool {
    let ssh = env.var("SSH_CONNECTION").is_some() || env.var("SSH_TTY").is_some();
    let display = env.var("DISPLAY").is_some() || env.var("WAYLAND_DISPLAY").is_some() || cfg!(target_os = "macos");
    if ssh || !display || !env.stderr_tty {
        return false;
    }
    // A server chooses this URL: only https (or http to this machine) goes to the opener, never
    // `file:`, `smb:`, an app's scheme or a bare path.
    if !may_open(url) {
        warn(&format!("not opening `{url}` in a browser: only https URLs (or http to this machine) are opened"));
        return false;
    }
    // The URL never goes into an argv (SPEC §6, §15): every local user can read
    // /proc/PID/cmdline, and an authorization URL holds the `state` and the PKCE challenge (N3).
    // The opener gets the path of a private page that sends the browser on.
    let page = match handoff_page(env, url) {
        Ok(p) => p,
        Err(e) => {
            debug(&format!("could not hand the URL to a browser privately: {}", e.message));
            return false;
        }
    };
    match open::that_detached(&page) {
        Ok(()) => {
            say("Opened it in your browser.");
            true
        }
        Err(e) => {
            debug(&format!("could not open a browser: {e}"));
            let _ = std::fs::remove_file(&page);
            false
        }
    }
}

/// How long a handoff page stays on disk: long enough for a browser to start and read it.
const HANDOFF_LIFETIME: std::time::Duration = std::time::Duration::from_secs(120);

/// Writes a page that redirects to `url` into a private directory (0700; the runtime dir when
/// there is one), as a new 0600 file, and returns its path. Pages older than a login's first
/// minutes are removed on the way; this one is removed after [`HANDOFF_LIFETIME`] when lanyard
/// still runs.
fn handoff_page(env: &Env, url: &str) -> crate::error::Result<std::path::PathBuf> {
    let base = env
        .var("XDG_RUNTIME_DIR")
        .filter(|d| d.starts_with('/'))
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("lanyard-open-{}", crate::fsutil::current_uid()));
    crate::fsutil::ensure_private_dir(&dir)?;
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let old = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
            if old.is_some_and(|age| age > HANDOFF_LIFETIME) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let path = dir.join(format!("login-{}-{nonce}.html", std::process::id()));
    let escaped = url.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;");
    let page = format!(
        "<!doctype html><meta charset=utf-8><meta name=referrer content=no-referrer>\
         <meta http-equiv=refresh content=\"0;url={escaped}\"><title>lanyard</title>\
         <p><a href=\"{escaped}\">Continue to the login page</a></p>\n"
    );
    crate::fsutil::write_new_private(&path, page.as_bytes())?;
    let remove = path.clone();
    std::thread::spawn(move || {
        std::thread::sleep(HANDOFF_LIFETIME);
        let _ = std::fs::remove_file(remove);
    });
    Ok(path)
}

/// Opens the verification URL of a device flow, or — when no browser opens here (SSH, no
/// display, `--no-browser`) and stderr is a terminal — shows it as a QR code a phone can scan.
/// Returns whether a browser got it.
pub fn offer_url(env: &Env, url: &str, no_browser: bool) -> bool {
    if !no_browser && open_browser(env, url) {
        return true;
    }
    if env.stderr_tty
        && !settings().quiet
        && may_open(url)
        && let Some(code) = qr(url)
    {
        eprintln!("Or scan it with a phone:\n{code}");
    }
    false
}

/// The longest URL drawn as a QR code: about 35 terminal lines.
const QR_MAX: usize = 400;

/// A URL as a QR code in Unicode half blocks (two modules a character), light modules drawn, for
/// the dark background most terminals have.
pub fn qr(url: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    // A longer URL makes a code taller than a terminal (a 2 KB one is 89 lines); it is printed
    // as text only (N24). Low error correction keeps the codes that are drawn small.
    if url.len() > QR_MAX {
        return None;
    }
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::L).ok()?;
    Some(code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build())
}

/// Whether a URL may be handed to the system's opener.
fn may_open(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else { return false };
    match u.scheme() {
        "https" => u.host().is_some(),
        "http" => u.host_str().is_some_and(crate::provider::site::is_loopback),
        _ => false,
    }
}

/// A spinner that counts down to the device code's expiry, on a terminal only (off a terminal
/// the plain lines already printed are all there is).
pub fn countdown(env: &Env, total: std::time::Duration) -> Option<indicatif::ProgressBar> {
    if !env.stderr_tty || settings().quiet {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total.as_secs());
    let style =
        indicatif::ProgressStyle::with_template("{spinner} Waiting for authorization… the code expires in {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    bar.set_style(style);
    let started = std::time::Instant::now();
    bar.set_message(format!("{}s", total.as_secs()));
    let b = bar.clone();
    std::thread::spawn(move || {
        while !b.is_finished() {
            let left = total.saturating_sub(started.elapsed()).as_secs();
            b.set_message(format!("{}:{:02}", left / 60, left % 60));
            b.tick();
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    });
    Some(bar)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_https_or_loopback_http_is_opened() {
        for ok in ["https://github.com/login/device", "http://127.0.0.1:8080/x", "http://localhost/"] {
            assert!(super::may_open(ok), "{ok}");
        }
        for bad in [
            "file:///etc/passwd",
            "smb://evil/share",
            "vscode://x",
            "/usr/bin/xterm",
            "http://evil.example/",
            "javascript:alert(1)",
        ] {
            assert!(!super::may_open(bad), "{bad}");
        }
    }
}
