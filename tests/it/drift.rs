//! Other tools change their own files (issue 13): duumbi's `registry login`/`logout` rewrite
//! `credentials.toml`, skillsctl rewrites its `credentials.json`. `status` notices, `logout` takes
//! only what is still lanyard's, and tokens lanyard did not write are listed as unmanaged.

use serde_json::Value;

use crate::registries::{DUU, duumbi_mock};
use crate::support::Sandbox;

const OTHER: &str = "duu_ffffffffffffffffffffffffffffffff";

#[test]
fn duumbi_rewrote_or_removed_its_table() {
    let sb = Sandbox::new();
    let (m, _) = duumbi_mock(false);
    sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "myreg", "--with-token"], Some(DUU)).code(0);
    let file = sb.home().join(".duumbi/credentials.toml");
    sb.run(&["status", &m.key(), "--offline"], None).code(0);
    // `duumbi registry login myreg --token OTHER`: duumbi's own token in lanyard's table.
    std::fs::write(&file, format!("[registries.myreg]\ntoken = \"{OTHER}\"\n")).unwrap();
    let r = sb.run(&["status", &m.key(), "--offline"], None);
    r.code(0).lacks(DUU).lacks(OTHER);
    assert!(r.stdout.starts_with("! ") && r.stdout.contains("holds another token now"), "{}", r.stdout);
    let v: Value = serde_json::from_str(&sb.run(&["status", &m.key(), "--offline", "--json"], None).stdout).unwrap();
    let problems = v["credentials"][0]["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["message"].as_str().unwrap().contains("another token")), "{v}");
    // Logout leaves duumbi's own token where it is.
    let r = sb.run(&["logout", &m.key()], None);
    r.code(0);
    assert!(r.stderr.contains("Left") && r.stderr.contains("registries.myreg"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), format!("[registries.myreg]\ntoken = \"{OTHER}\"\n"));
    // Now it is a token lanyard did not write: listed as unmanaged.
    let r = sb.run(&["status"], None);
    r.code(0).lacks(OTHER);
    assert!(r.stdout.contains("duumbi `[registries.myreg]`") && r.stdout.contains("(unmanaged)"), "{}", r.stdout);
    // `duumbi registry logout myreg` after a lanyard login: the table is gone; status says so.
    sb.run(&["login", &m.url(), "--provider", "duumbi", "--name", "myreg", "--with-token", "--force"], Some(DUU))
        .code(0);
    std::fs::write(&file, "").unwrap();
    let r = sb.run(&["status", &m.key(), "--offline"], None);
    r.code(3);
    assert!(
        r.stdout.contains("gone from") && r.stdout.contains(&format!("lanyard login {} --force", m.key())),
        "{}",
        r.stdout
    );
    let fix = crate::support::printed_command(&r.stdout, "lanyard login");
    assert_eq!(fix, format!("lanyard login {} --force", m.key()));
    if !crate::peers::terminal() {
        return;
    }
    let mut t = sb.pty(&fix);
    t.expect("Paste the token");
    t.send(&format!("{DUU}\r"));
    let (code, screen) = t.finish();
    assert_eq!(code, 0, "{screen}");
    sb.run(&["status", &m.key(), "--offline"], None).code(0);
}

#[test]
fn skillsctl_rewrote_its_file() {
    let sb = Sandbox::new();
    let path = sb.home().join(".config/skillsctl/credentials.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let id = "eyJhbGciOiJub25lIn0.eyJleHAiOjE5MDAwMDAwMDB9.lanyardwrotethis";
    std::fs::write(&path, format!("{{\n  \"id_token\": \"{id}\",\n  \"expiry\": \"2030-03-17T17:46:40Z\"\n}}"))
        .unwrap();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let data = serde_json::json!({"version": 1, "credentials": {"skills.example.com": {
        "url": "https://skills.example.com", "provider": "skillsctl", "family": "skillsctl", "kind": "oauth",
        "token": "access-0123456789abcdef", "id_token": id, "storage": "file", "user": "ada",
        "sinks": [format!("skillsctl:{}", path.display())], "created_at": "2026-01-01T00:00:00Z"}}});
    std::fs::write(sb.store_path(), data.to_string()).unwrap();
    std::fs::set_permissions(sb.store_path(), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    sb.run(&["status", "--offline"], None).code(0);
    // `skillsctl auth login` wrote its own token; then `skillsctl auth logout` removed the file.
    std::fs::write(&path, "{\n  \"id_token\": \"eyJ.other.tokenfromskillsctl\"\n}").unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.code(0);
    assert!(r.stdout.contains("skillsctl's credentials) holds another token now"), "{}", r.stdout);
    std::fs::remove_file(&path).unwrap();
    let r = sb.run(&["status", "--offline"], None);
    r.code(3);
    assert!(r.stdout.contains("gone from"), "{}", r.stdout);
}

#[test]
fn a_skillsctl_file_lanyard_did_not_write_is_listed() {
    let sb = Sandbox::new();
    let path = sb.home().join(".config/skillsctl/credentials.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\n  \"id_token\": \"eyJhbGciOiJub25lIn0.eyJleHAiOjF9.handwrittenabcd\",\n  \"expiry\": \"2030-01-01T00:00:00Z\"\n}").unwrap();
    let r = sb.run(&["status"], None);
    r.code(0).lacks("handwritten");
    assert!(r.stdout.contains("skillsctl") && r.stdout.contains("…abcd"), "{}", r.stdout);
    let v: Value = serde_json::from_str(&sb.run(&["status", "--json"], None).stdout).unwrap();
    assert_eq!(v["credentials"][0]["storage"]["kind"], "skillsctl");
    assert_eq!(v["credentials"][0]["managed"], false);
}
