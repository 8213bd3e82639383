//! Hostile input (issue 7 §5): generated malformed provider files, nix.conf files, credentials
//! files (lanyard's, duumbi's, skillsctl's), git-credential input and pasted tokens with
//! whitespace, `#`, NUL or control characters. lanyard answers with exit 2 naming the file (and the
//! line, where the format has lines) or the protocol's answer, rewrites nothing, never panics.
//! nix.conf variants are also given to real Nix: whatever Nix rejects, lanyard must not edit.

use std::path::Path;

use serde_json::json;

use crate::forges::{Forge, Kind};
use crate::support::{Mock, Req, Resp, Run, Sandbox};

/// Deterministic variants of `seed`: truncations, deletions, insertions of awkward bytes,
/// duplicated and swapped lines.
fn variants(seed: &str, n: usize, mut state: u64) -> Vec<Vec<u8>> {
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let awkward: &[&[u8]] = &[
        b"=",
        b"#",
        b" ",
        b"\n",
        b"\t",
        b"\0",
        b"\r",
        b"\"",
        b"\\",
        b"[",
        b"]",
        b"{",
        b"}",
        b",",
        b":",
        b"\xff",
        b"\x01",
        "\u{feff}".as_bytes(),
        "é".as_bytes(),
        b"include ",
        b"!include ",
        b"= =",
    ];
    let seed = seed.as_bytes();
    let mut out = Vec::new();
    for i in 0..n {
        let mut v = seed.to_vec();
        let at = (next() as usize) % (v.len() + 1);
        match i % 6 {
            0 => v.truncate(at),
            1 if at < v.len() => {
                v.remove(at);
            }
            2 | 3 => {
                let ins = awkward[(next() as usize) % awkward.len()];
                v.splice(at..at, ins.iter().copied());
            }
            4 => {
                let text = String::from_utf8_lossy(&v).into_owned();
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                let k = (next() as usize) % lines.len().max(1);
                let mut l = lines.clone();
                if let Some(line) = lines.get(k) {
                    l.insert(k, line);
                }
                v = l.concat().into_bytes();
            }
            _ => {
                let text = String::from_utf8_lossy(&v).into_owned();
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if lines.len() > 1 {
                    let (a, b) = ((next() as usize) % lines.len(), (next() as usize) % lines.len());
                    lines.swap(a, b);
                }
                v = lines.concat().into_bytes();
                let at = (next() as usize) % (v.len() + 1);
                v.splice(at..at, b"\0".iter().copied());
            }
        }
        out.push(v);
    }
    out
}

/// The checks every hostile file gets: a known exit, never a panic, a usage error that names the
/// file (and a line when `lines`) with a hint, and the file unchanged after an error.
#[track_caller]
fn judge(r: &Run, allowed: &[i32], file: &Path, before: &[u8], name: &str, lines: bool) -> bool {
    assert!(!r.all().contains("panicked") && r.code != 101, "panic on {name}:\n{}", r.stderr);
    assert!(allowed.contains(&r.code), "exit {} on {name}:\n{}", r.code, r.stderr);
    if r.code == 2 {
        let fname = file.file_name().unwrap().to_string_lossy();
        assert!(r.stderr.contains(&*fname), "the error names {fname}: {}", r.stderr);
        assert!(r.stderr.contains("hint:"), "a hint: {}", r.stderr);
        if lines {
            assert!(
                r.stderr.contains("line ") || r.stderr.contains("not UTF-8") || r.stderr.contains("version"),
                "a line: {}",
                r.stderr
            );
        }
        assert_eq!(std::fs::read(file).unwrap(), before, "{fname} unchanged after the error on {name}");
    }
    r.code == 2
}

const GH: &str = "ghp_hostile0123456789abcdefghijABCD";

/// What real Nix makes of the config in this sandbox (None without Nix).
#[derive(Debug, PartialEq)]
enum NixSays {
    Accepts,
    /// The file's grammar: `illegal configuration line`, a bad include.
    SyntaxError(String),
    /// A setting's value (`max-jobs = 99999…`): the file parses; lanyard does not judge values.
    ValueError(String),
}

fn nix_says(sb: &Sandbox) -> Option<NixSays> {
    let nix = crate::peers::require("nix", "Debian's nix-bin, to compare with what Nix accepts")?;
    let mut c = std::process::Command::new(nix);
    c.env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    c.args(["--extra-experimental-features", "nix-command", "show-config", "--json"]);
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    Some(if out.status.success() {
        NixSays::Accepts
    } else if err.contains("configuration setting") {
        NixSays::ValueError(err)
    } else {
        NixSays::SyntaxError(err)
    })
}

#[test]
fn malformed_nix_conf_is_never_edited() {
    let gh = Forge::start(Kind::Github, &[GH]);
    let seed = "# my nix.conf\nmax-jobs = 4\nsubstituters = https://cache.nixos.org # main\naccess-tokens = a.example.com=t1 b.example.com=PAT:t2\nextra-experimental-features = nix-command\n";
    let mut cases = variants(seed, 90, 0x0dd5_eed1);
    for extra in [
        "=\n",
        "a =\n",
        "= b\n",
        "include\n",
        "include a b\n",
        "!include\n",
        "access-tokens\n",
        "access-tokens=x\n",
        "\u{feff}max-jobs = 1\n",
        "max-jobs = 1\r\naccess-tokens = c.example.com=t\r\n",
        "\0\n",
        "\u{7f}\n",
    ] {
        cases.push(extra.as_bytes().to_vec());
    }
    cases.push(format!("max-jobs = {}\n", "9".repeat(1 << 20)).into_bytes());
    let (mut refused, mut nix_refused, mut stricter, mut value_errors) = (0, 0, 0, 0);
    for (i, bytes) in cases.iter().enumerate() {
        let sb = Sandbox::new();
        sb.github_at(&gh.mock.url());
        std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
        std::fs::write(sb.nix_conf(), bytes).unwrap();
        let nix = nix_says(&sb);
        let r = sb.run(&["login", "github", "--with-token"], Some(GH));
        r.lacks(GH);
        let name = format!("nix.conf variant {i} {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)]));
        let was_refused = judge(&r, &[0, 2], &sb.nix_conf(), bytes, &name, true);
        if was_refused {
            refused += 1;
            sb.run(&["token", "github.com"], None).code(3);
            assert!(!sb.tokens_conf().exists(), "{name}: nothing written");
        }
        match nix {
            Some(NixSays::SyntaxError(e)) => {
                nix_refused += 1;
                assert!(was_refused, "{name}: Nix rejects this file ({e}), lanyard edited it:\n{}", r.stderr);
            }
            Some(NixSays::ValueError(_)) => value_errors += 1,
            Some(NixSays::Accepts) if was_refused => stricter += 1,
            _ => {}
        }
    }
    eprintln!(
        "nix.conf: {} variants, lanyard refused {refused}; Nix refused {nix_refused} as syntax (lanyard refused all of them) \
         and {value_errors} for a setting's value; lanyard stricter than Nix on {stricter}",
        cases.len()
    );
}

#[test]
fn malformed_store_is_never_rewritten() {
    let f = Forge::start(Kind::Gitea, &["tok-store-0123456789abcdef", "tok-other-0123456789abcdef"]);
    let seedbox = Sandbox::new();
    seedbox
        .run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some("tok-store-0123456789abcdef"))
        .code(0);
    let seed = std::fs::read_to_string(seedbox.store_path()).unwrap();
    let mut cases = variants(&seed, 120, 0x0dd5_eed2);
    cases.push(b"".to_vec());
    cases.push(b"null".to_vec());
    cases.push(b"{\"version\": 2}".to_vec());
    cases.push(b"{\"version\": 1, \"credentials\": {\"x\": 1}}".to_vec());
    cases.push(b"{\"version\": 1, \"credentials\": {}, \"extra\": true}".to_vec());
    cases.push(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes());
    let mut refused = 0;
    for (i, bytes) in cases.iter().enumerate() {
        let sb = Sandbox::new();
        std::fs::create_dir_all(sb.config_dir()).unwrap();
        std::fs::write(sb.store_path(), bytes).unwrap();
        let name = format!("store variant {i}");
        for args in [vec!["status", "--offline"], vec!["token", &f.mock.key()], vec!["logout", &f.mock.key()]] {
            let r = sb.run(&args, None);
            if args[0] != "logout" || r.code == 2 {
                judge(&r, &[0, 2, 3, 4], &sb.store_path(), bytes, &name, true);
            }
        }
        let before = std::fs::read(sb.store_path()).unwrap();
        let r = sb.run(
            &["login", &f.mock.url(), "--provider", "gitea", "--with-token", "--force"],
            Some("tok-other-0123456789abcdef"),
        );
        if judge(&r, &[0, 2], &sb.store_path(), &before, &name, true) {
            refused += 1;
        }
    }
    eprintln!("credentials.json: {} variants, {refused} refused with exit 2, the rest read", cases.len());
    assert!(refused > cases.len() / 3);
}

#[test]
fn malformed_provider_files_are_exit_2_naming_file_and_field() {
    let seed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/providers/gitlab.toml"))
        .unwrap()
        .replace("id = \"gitlab\"", "id = \"mine\"");
    let mut cases = variants(&seed, 120, 0x0dd5_eed3);
    for extra in [
        "id = \"x\"\n",
        "id = \"UPPER\"\nname = \"n\"\nfamily = \"gitea\"\n",
        "id = \"x\"\nname = \"n\"\nfamily = \"nope\"\n",
        "id = \"x\"\nname = \"n\"\nfamily = \"gitea\"\nhosts = [\"http://a b\"]\n",
        "id = \"x\"\nname = \"n\"\nfamily = \"gitea\"\napi = \"ftp://x\"\n",
        "id = \"x\"\nname = \"n\"\nfamily = \"gitea\"\nunknown = 1\n",
        "id = \"x\"\nname = \"n\"\nfamily = \"gitea\"\nca_file = \"/nonexistent/ca.pem\"\n",
    ] {
        cases.push(extra.as_bytes().to_vec());
    }
    let mut refused = 0;
    for (i, bytes) in cases.iter().enumerate() {
        let sb = Sandbox::new();
        sb.provider("mine", "");
        let file = sb.config_dir().join("providers/mine.toml");
        std::fs::write(&file, bytes).unwrap();
        let r = sb.run(&["providers"], None);
        if judge(&r, &[0, 2], &file, bytes, &format!("provider variant {i}"), false) {
            refused += 1;
            assert!(
                r.stderr.contains("field") || r.stderr.contains("line") || r.stderr.contains("UTF-8"),
                "{}",
                r.stderr
            );
        }
    }
    eprintln!("provider files: {} variants, {refused} refused with exit 2", cases.len());
    assert!(refused > cases.len() / 3);
}

#[test]
fn malformed_duumbi_and_skillsctl_files_are_never_rewritten() {
    let duu = Mock::start(|r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" => Resp::json(404, json!({"detail": "Not Found"})),
        "/api/v1/auth/verify" => Resp::json(200, json!({"username": "ada"})),
        _ => Resp::json(404, json!({})),
    });
    let seed = "# keys\nanthropic_api_key = \"sk-keep\"\n\n[registries.other]\ntoken = \"keep\" # mine\n\n[registries.\"with space\"]\ntoken = 'x'\n";
    let mut cases = variants(seed, 90, 0x0dd5_eed4);
    cases.push(b"registries = 3\n".to_vec());
    cases.push(b"[registries]\nwork = \"not a table\"\n".to_vec());
    cases.push(b"[registries.work]\ntoken = 1\n".to_vec());
    let mut refused = 0;
    for (i, bytes) in cases.iter().enumerate() {
        let sb = Sandbox::new();
        let file = sb.home().join(".duumbi/credentials.toml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, bytes).unwrap();
        let r = sb.run(
            &["login", &duu.url(), "--provider", "duumbi", "--with-token", "--name", "work"],
            Some("duu_tok0123456789abcdef"),
        );
        r.lacks("duu_tok0123456789abcdef");
        if judge(&r, &[0, 2], &file, bytes, &format!("duumbi variant {i}"), false) {
            refused += 1;
            sb.run(&["token", &duu.key()], None).code(3);
        }
    }
    eprintln!("duumbi credentials.toml: {} variants, {refused} refused with exit 2", cases.len());
    assert!(refused > 10);

    // skillsctl's file is only ever replaced whole; one that is not JSON is left alone.
    let sb = Sandbox::new();
    let sk = sb.home().join(".config/skillsctl/credentials.json");
    std::fs::create_dir_all(sk.parent().unwrap()).unwrap();
    std::fs::write(&sk, b"{\"id_token\": \"eyJ").unwrap();
    let tokens = Mock::start(|_| {
        Resp::json(
            200,
            json!({"access_token": "a-0123456789abcdef", "expires_in": 3600, "id_token": crate::load::jwt(4102444800), "refresh_token": "rt"}),
        )
    });
    let store = json!({"version": 1, "credentials": {"skills.example.com": {
        "url": "https://skills.example.com", "provider": "skillsctl", "family": "skillsctl", "kind": "oauth",
        "token": "a-old-0123456789", "id_token": crate::load::jwt(1), "expires_at": "2020-01-01T00:00:00Z",
        "refresh_token": "rt", "client_id": "cid", "token_endpoint": format!("{}/token", tokens.url()), "storage": "file",
        "sinks": [format!("skillsctl:{}", sk.display())], "created_at": "2020-01-01T00:00:00Z"}}});
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.store_path(), store.to_string()).unwrap();
    let r = sb.run(&["refresh", "skills.example.com"], None);
    judge(&r, &[2], &sk, b"{\"id_token\": \"eyJ", "a torn skillsctl file", false);
}

/// Whether git's credential input is past lanyard's 64 KiB cap or ends in the middle of a line
/// before its blank line (what `git-credential get` refuses to answer).
fn incomplete(bytes: &[u8]) -> bool {
    let mut read = 0;
    let mut rest = bytes;
    loop {
        if rest.is_empty() {
            return false;
        }
        let Some(end) = rest.iter().position(|b| *b == b'\n') else { return true };
        read += end + 1;
        if read > 64 * 1024 {
            return true;
        }
        let line = &rest[..end];
        if line.is_empty() || line == b"\r" {
            return false;
        }
        rest = &rest[end + 1..];
    }
}

#[test]
fn hostile_git_credential_input_gets_the_protocols_answer() {
    let sb = Sandbox::new();
    let tok = "tok-git-0123456789abcdef";
    let f = Forge::start(Kind::Gitea, &[tok]);
    sb.run(&["login", &f.mock.url(), "--provider", "gitea", "--with-token"], Some(tok)).code(0);
    let seed = format!("protocol=http\nhost={}\npath=o/r.git\nwwwauth[]=Basic realm=\"x\"\n\n", f.mock.key());
    let mut cases = variants(&seed, 120, 0x0dd5_eed5);
    cases.push(vec![0xff; 1000]);
    cases.push(format!("host={}\n", "a".repeat(1 << 20)).into_bytes());
    cases.push(b"\n\n\n".to_vec());
    cases.push(b"protocol=https\nhost=\n\n".to_vec());
    cases.push(format!("protocol=http\nhost={}\0evil.example.com\n\n", f.mock.key()).into_bytes());
    let (mut answered, mut silent) = (0, 0);
    for (i, bytes) in cases.iter().enumerate() {
        for action in ["get", "store", "erase"] {
            let mut c = sb.cmd();
            c.args(["git-credential", action]);
            let out = {
                use std::io::Write;
                let mut child = c
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                let _ = child.stdin.take().unwrap().write_all(bytes);
                child.wait_with_output().unwrap()
            };
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            let name = format!(
                "git-credential {action} variant {i} {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(120)])
            );
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            // F23: a `get` whose input is past the cap or cut off mid-line is not answered, exit 2
            // (git goes on to its next helper); everything else is exit 0.
            let want = if action == "get" && incomplete(bytes) { 2 } else { 0 };
            assert_eq!(out.status.code(), Some(want), "{name}\n{stderr}");
            if action != "get" {
                assert!(stdout.is_empty(), "{name}: {stdout}");
                continue;
            }
            if stdout.is_empty() {
                silent += 1;
                continue;
            }
            answered += 1;
            // An answer is only ever for the host that was logged in, in git's format.
            for line in stdout.lines() {
                let (k, v) = line.split_once('=').unwrap_or_else(|| panic!("{name}: `{line}`"));
                assert!(
                    ["protocol", "host", "username", "password", "path", "password_expiry_utc", "capability[]"]
                        .contains(&k),
                    "{name}: {k}"
                );
                assert!(!v.contains('\0'));
            }
            assert!(stdout.contains(&format!("password={tok}")), "{name}: {stdout}");
        }
    }
    eprintln!(
        "git-credential: {} inputs × get/store/erase; get answered {answered}, stayed silent {silent}",
        cases.len()
    );
    // The token store is as it was.
    assert_eq!(sb.run(&["token", &f.mock.key()], None).stdout.trim(), tok);
}

#[test]
fn pasted_tokens_with_whitespace_nul_control_or_hash_are_refused() {
    let gh = Forge::start(Kind::Github, &[GH]);
    for (pasted, why) in [
        (format!("{}  {}", &GH[..10], &GH[10..]), "U+0020"),
        (format!("{}\t{}", &GH[..10], &GH[10..]), "U+0009"),
        (format!("{}\0{}", &GH[..10], &GH[10..]), "NUL"),
        (format!("{}\x1b[31m{}", &GH[..10], &GH[10..]), "U+001B"),
        (format!("{}\u{85}{}", &GH[..10], &GH[10..]), "U+0085"),
        (format!("{}#{}", &GH[..10], &GH[10..]), "Nix would silently cut off"),
        ("   \t ".to_string(), "empty"),
    ] {
        let sb = Sandbox::new();
        sb.github_at(&gh.mock.url());
        std::fs::create_dir_all(sb.nix_conf().parent().unwrap()).unwrap();
        std::fs::write(sb.nix_conf(), "max-jobs = 1\n").unwrap();
        let r = sb.run(&["login", "github", "--with-token"], Some(&pasted));
        r.code(2);
        assert!(r.stderr.contains(why) && r.stderr.contains("hint:"), "{pasted:?}: {}", r.stderr);
        assert!(!r.all().contains(&GH[10..]), "no part of the token is echoed: {}", r.all());
        assert!(!sb.store_path().exists() && !sb.tokens_conf().exists());
        assert_eq!(std::fs::read_to_string(sb.nix_conf()).unwrap(), "max-jobs = 1\n");
    }
    // Spaces around a pasted token (a sloppy copy) are dropped.
    let sb = Sandbox::new();
    sb.github_at(&gh.mock.url());
    sb.run(&["login", "github", "--with-token"], Some(&format!("  {GH} \r\n"))).code(0);
    assert_eq!(sb.run(&["token", "github.com"], None).stdout, format!("{GH}\n"));
}
