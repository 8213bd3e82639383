//! Command-line behaviour: usage errors, help, exit-code table.

use crate::support::Sandbox;

#[test]
fn bad_flag_is_exit_2() {
    let sb = Sandbox::new();
    sb.run(&["status", "--no-such-flag"], None).code(2);
    sb.run(&["frobnicate"], None).code(2);
    sb.run(&["status", "--warn-within", "soon"], None).code(2);
    sb.run(&["login", "example.com", "--provider", "nonsense", "--with-token"], Some("x")).code(2);
    let r = sb.run(&["login", "http://example.com", "--provider", "gitea", "--with-token"], Some("x"));
    r.code(2);
    assert!(r.stderr.contains("loopback"), "{}", r.stderr);
    sb.run(&["token", "not-an-alias"], None).code(2);
}

#[test]
fn help_lists_exit_codes() {
    let sb = Sandbox::new();
    let r = sb.run(&["--help"], None);
    r.code(0);
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "130"] {
        assert!(r.stdout.contains(&format!("\n  {code}")), "{code} missing: {}", r.stdout);
    }
    // The README carries the same table.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in lanyard::error::EXIT_CODE_HELP.lines().skip(1) {
        let (code, text) = line.trim().split_once(' ').unwrap();
        assert!(readme.contains(&format!("| {code} | {}", text.trim())), "README lacks exit code {code}");
    }
}

#[test]
fn status_with_nothing_stored() {
    let sb = Sandbox::new();
    // Nobody is logged in: exit 3, so `lanyard status && deploy` fails on an empty machine.
    let r = sb.run(&["status"], None);
    r.code(3);
    assert!(r.stdout.contains("No credentials"), "{}", r.stdout);
    sb.run(&["status", "--offline", "--json"], None).code(3);
    sb.run(&["status", "github"], None).code(3);
    sb.run(&["status", "--offline", "github.com", "gitlab"], None).code(3);
}

#[test]
fn providers_lists_builtins() {
    let sb = Sandbox::new();
    let r = sb.run(&["providers", "--json"], None);
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v["providers"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    for id in ["github", "gitlab", "gitea", "codeberg", "forgejo", "duumbi"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let r = sb.run(&["providers"], None);
    r.code(0);
    assert!(r.stdout.contains("codeberg.org"), "{}", r.stdout);
}

#[test]
fn completions_are_up_to_date_and_bash_parses_them() {
    let sb = Sandbox::new();
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/completions"));
    for (shell, file) in [
        ("bash", "lanyard.bash"),
        ("zsh", "_lanyard"),
        ("fish", "lanyard.fish"),
        ("elvish", "lanyard.elv"),
        ("powershell", "_lanyard.ps1"),
    ] {
        let r = sb.run(&["completions", shell], None);
        r.code(0);
        if std::env::var("LANYARD_BLESS").as_deref() == Ok("1") {
            std::fs::write(dir.join(file), &r.stdout).unwrap();
        }
        let committed = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(
            committed == r.stdout,
            "completions/{file} is stale: rerun with LANYARD_BLESS=1 cargo test completions"
        );
    }
    if crate::peers::require("bash", "checks the bash completion script").is_some() {
        let ok = std::process::Command::new("bash").arg("-n").arg(dir.join("lanyard.bash")).status().unwrap();
        assert!(ok.success(), "bash -n rejects completions/lanyard.bash");
    }
    let man = sb.run(&["man"], None);
    man.code(0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH lanyard"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("git\\-credential") || man.stdout.contains("git-credential"));
    // Issue 23 item 32: one page, no pointers at per-subcommand pages nothing installs; the help
    // has examples.
    assert!(!man.stdout.contains("lanyard\\-login(1)") && man.stdout.contains(".SS \"lanyard login\""), "man page");
    let help = sb.run(&["--help"], None);
    assert!(help.stdout.contains("Examples:") && help.stdout.contains("lanyard status gitlab.com && make"));
    let r = sb.run(&["status", "githb"], None);
    assert!(!r.stderr.contains("lanyard login"), "a suggestion names the target only: {}", r.stderr);
}

#[test]
fn flake_parses() {
    let Some(nix) = crate::peers::require("nix-instantiate", "Debian's nix-bin parses flake.nix") else { return };
    let out = std::process::Command::new(nix)
        .args(["--parse", concat!(env!("CARGO_MANIFEST_DIR"), "/flake.nix")])
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_test_file_is_declared() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(module) = name.strip_suffix(".rs") else { continue };
        if module == "main" {
            continue;
        }
        assert!(
            main.lines().any(|l| l.trim() == format!("mod {module};")),
            "tests/it/{name} is not declared in main.rs"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} test files found");
}

/// The layers stay acyclic (STYLE: only `commands/` talks to the person and takes the whole
/// context; the layers below take values and return what happened). Every file of `src/` that
/// names `Ctx` or `crate::context`, or talks through `crate::ui`, is on these lists; a new one
/// fails here. `diag` (warnings, `-v` lines, notes of what lanyard did on its own) is open to all.
#[test]
fn only_the_commands_talk_to_the_person_and_take_the_context() {
    // Besides `commands/`: the context itself, and the binary's entry points.
    const CONTEXT: &[&str] = &["context.rs", "lib.rs", "main.rs"];
    // Besides `commands/`: the interactive part of a login, which must show a device code, a page
    // to open or a prompt while the flow runs, not after it (each takes `&Env` and `no_input`).
    const UI: &[&str] = &[
        "ui.rs",
        "lib.rs",
        "flow/mod.rs",
        "flow/browser.rs",
        "flow/paste.rs",
        "family/request.rs",
        "family/duumbi.rs",
        // npm's web login shows the page to open, as the browser flow does.
        "family/npm.rs",
    ];
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let word = |text: &str, w: &str| {
        text.match_indices(w).any(|(i, _)| {
            let before = text[..i].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after = text[i + w.len()..].chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            before && after
        })
    };
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        if rel.starts_with("commands/") {
            continue;
        }
        // Code only: comments may name anything.
        let text: String = std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        if (word(&text, "Ctx") || text.contains("crate::context")) && !CONTEXT.contains(&rel.as_str()) {
            bad.push(format!("src/{rel} takes the command context (`Ctx`): pass it values instead"));
        }
        let talks = text.contains("crate::ui") || text.lines().any(|l| word(l, "ui") && l.contains("ui::"));
        if talks && !UI.contains(&rel.as_str()) {
            bad.push(format!("src/{rel} talks to the person (`ui`): return a note or use `diag`"));
        }
        if text.contains("crate::commands") && !["lib.rs", "main.rs", "fuzzing.rs"].contains(&rel.as_str()) {
            bad.push(format!("src/{rel} reaches up into `commands/`"));
        }
    }
    assert!(files.len() > 40, "only {} source files found", files.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
