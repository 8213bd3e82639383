//! Real peers the tests use when present. Without one a test says so loudly and skips, unless
//! `LANYARD_REQUIRE_PEERS=1` (set by `.ci/run`), where a missing peer fails the test.
//!
//! The skip is written straight to the process's stderr, past the test harness's output capture,
//! so a person running `cargo test` sees it, with a running count per missing peer (the last line
//! for a peer is its total).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// The tests that skipped, per missing peer.
static SKIPS: Mutex<BTreeMap<String, BTreeSet<String>>> = Mutex::new(BTreeMap::new());

/// Says that a test skips for a missing peer (or fails under `LANYARD_REQUIRE_PEERS=1`).
pub fn skip(peer: &str, why: &str) {
    if std::env::var("LANYARD_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!("test peer `{peer}` is missing ({why}); .ci/run installs it");
    }
    let test = std::thread::current().name().unwrap_or("?").to_string();
    let n = {
        let mut skips = SKIPS.lock().unwrap_or_else(|e| e.into_inner());
        let tests = skips.entry(peer.to_string()).or_default();
        if !tests.insert(test.clone()) {
            return; // said already for this test
        }
        tests.len()
    };
    // `std::io::stderr()` is not captured by the test harness (only `eprintln!` is).
    let _ = writeln!(
        std::io::stderr(),
        "!!! SKIPPED {test}: `{peer}` is missing ({why}); {n} test{} skipped for `{peer}` so far. Install it as .ci/run does.",
        if n == 1 { "" } else { "s" }
    );
}

/// Whether `script` (util-linux) is here to give a command a pseudo-terminal; says so if not.
pub fn terminal() -> bool {
    require("script", "runs lanyard on a pseudo-terminal, as a person types it").is_some()
}

/// Finds a program on PATH, or handles its absence per `LANYARD_REQUIRE_PEERS`.
pub fn require(program: &str, why: &str) -> Option<PathBuf> {
    let found =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(program)).find(|c| c.is_file()));
    if found.is_none() {
        skip(program, why);
    }
    found
}
