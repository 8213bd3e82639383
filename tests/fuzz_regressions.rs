//! Every input `cargo fuzz` found a failure with (`fuzz/README.md`), fed again to the same
//! `lanyard::fuzzing` function: none may fail again.

use std::path::Path;

fn each(prefix: &str, check: impl Fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with(prefix) {
            check(&std::fs::read(e.path()).unwrap());
            n += 1;
        }
    }
    assert!(n > 0, "no regression inputs for {prefix}");
    n
}

/// toml_edit 0.23.10 panicked ("all items have spans") on this credentials.toml; lanyard now uses
/// 0.25, which reports a parse error.
#[test]
fn duumbi_file_that_panicked_toml_edit() {
    each("duumbi_file-", |b| lanyard::fuzzing::duumbi_file(&String::from_utf8_lossy(b)));
}

/// An unknown attribute whose value equals the password: `Debug` showed unknown attributes'
/// values; it now shows only the known harmless ones.
#[test]
fn git_credential_debug_shows_no_secret_attribute() {
    each("git_credential-", lanyard::fuzzing::git_credential);
    let req = lanyard::commands::git_credential::parse(
        &b"host=h\noauth_refresh_token=rt-secret\ncredential=cred-secret\nfoo=bar-unknown\n\n"[..],
    );
    let shown = format!("{req:?}");
    for secret in ["rt-secret", "cred-secret", "bar-unknown"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("\"host\": \"h\""), "{shown}");
}
