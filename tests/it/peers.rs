//! Real peers the tests use when present. Without one a test says so loudly and skips, unless
//! `LANYARD_REQUIRE_PEERS=1` (set by `.ci/run`), where a missing peer fails the test.

use std::path::PathBuf;

/// Finds a program on PATH, or handles its absence per `LANYARD_REQUIRE_PEERS`.
pub fn require(program: &str, why: &str) -> Option<PathBuf> {
    let found =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(program)).find(|c| c.is_file()));
    if found.is_none() {
        if std::env::var("LANYARD_REQUIRE_PEERS").as_deref() == Ok("1") {
            panic!("test peer `{program}` is missing ({why}); .ci/run installs it");
        }
        eprintln!("\n!!! SKIPPED: test peer `{program}` is not installed ({why}). Install it as .ci/run does. !!!\n");
    }
    found
}
