//! What lanyard notices while it works, for every layer: warnings (hidden by `-q`) and `-v`
//! debug lines on stderr, and the verbosity and colour settings they follow. The `log` crate's
//! place: any module may note something here; only `commands/` and the interactive flows talk to
//! the person through [`crate::ui`].

use std::sync::OnceLock;

/// How chatty and colourful stderr is.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// `-q`: only errors.
    pub quiet: bool,
    /// `-v` count.
    pub verbose: u8,
    /// Whether to colour stderr.
    pub color: bool,
    /// Whether to colour what goes to stdout (`status`).
    pub color_stdout: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Sets the output settings once at start.
pub fn init(settings: Settings) {
    let _ = SETTINGS.set(settings);
}

pub(crate) fn settings() -> Settings {
    *SETTINGS.get().unwrap_or(&Settings { quiet: false, verbose: 0, color: false, color_stdout: false })
}

/// The `-v` count.
pub fn verbosity() -> u8 {
    settings().verbose
}

/// What lanyard does on its own while a command runs (a wait a server asked for, a client it
/// registered, a file format it migrated), shown as it happens; hidden by `-q`.
pub fn info(line: &str) {
    if !settings().quiet {
        eprintln!("{line}");
    }
}

/// A line a layer hands back for the command to show, in order: what it did, or a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// What was done (shown like conversation; hidden by `-q`).
    Did(String),
    /// Something the person should know (a warning).
    Warning(String),
}

/// Shows notes in order (`ui::tell`; a layer's error path, whose notes cannot travel back).
pub fn tell(notes: &[Note]) {
    for n in notes {
        match n {
            Note::Did(line) => info(line),
            Note::Warning(line) => warn(line),
        }
    }
}

pub(crate) fn paint(code: &str, text: &str) -> String {
    if settings().color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// A warning on stderr (hidden by `-q`).
pub fn warn(line: &str) {
    if !settings().quiet {
        eprintln!("{} {line}", paint("33", "warning:"));
    }
}

/// A debug line shown with `-v`. Never pass a secret here.
pub fn debug(line: &str) {
    if settings().verbose > 0 {
        eprintln!("{} {line}", paint("2", "debug:"));
    }
}
