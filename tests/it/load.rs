//! Load (issue 7 §1): 64 lanyard processes at once logging in, refreshing, logging out and reading,
//! across every sink — lanyard's store, Nix's include, duumbi's credentials.toml and skillsctl's
//! credentials.json. Afterwards every file parses, holds exactly the expected entries and is 0600.

use std::collections::BTreeSet;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Value, json};

use crate::forges::{Forge, Kind};
use crate::support::{Mock, Req, Resp, Sandbox};

pub fn jwt(exp: i64) -> String {
    let b = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!("{}.{}.{}", b(r#"{"alg":"none"}"#), b(&format!(r#"{{"sub":"7","exp":{exp}}}"#)), b("sig"))
}

/// A token endpoint that rotates refresh tokens as GitLab does: each refresh token works once.
/// Returns the mock and the refresh tokens it accepted.
pub fn rotating_token_endpoint(first: &str, id_tokens: bool) -> (Mock, Arc<Mutex<Vec<String>>>) {
    let live = Arc::new(Mutex::new(vec![first.to_string()]));
    let used = Arc::new(Mutex::new(Vec::new()));
    let (l, u) = (live.clone(), used.clone());
    let m = Mock::start(move |r: &Req| {
        let f = r.form();
        let rt = f.get("refresh_token").cloned().unwrap_or_default();
        let mut live = l.lock().unwrap();
        if f.get("grant_type").map(String::as_str) != Some("refresh_token") || !live.contains(&rt) {
            return Resp::json(
                400,
                json!({"error": "invalid_grant", "error_description": "The provided authorization grant is invalid"}),
            );
        }
        live.retain(|t| t != &rt);
        let mut u = u.lock().unwrap();
        u.push(rt);
        let n = u.len();
        live.push(format!("rt-{n}"));
        let mut body = json!({"access_token": format!("access-fresh-0123456789-{n}"), "token_type": "Bearer",
            "expires_in": 7200, "refresh_token": format!("rt-{n}")});
        if id_tokens {
            body["id_token"] = json!(jwt(chrono::Utc::now().timestamp() + 3600 + n as i64));
        }
        Resp::json(200, body)
    });
    (m, used)
}

fn duumbi(token: &str) -> Mock {
    let want = format!("Bearer {token}");
    Mock::start(move |r: &Req| match r.path.as_str() {
        "/api/v1/auth/mode" => Resp::json(404, json!({"detail": "Not Found"})),
        "/api/v1/auth/verify" if r.header("authorization") == Some(&want) => {
            Resp::json(200, json!({"username": "ada"}))
        }
        _ => Resp::json(401, json!({"error": "unauthorized"})),
    })
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn sixty_four_processes_across_every_sink_lose_nothing() {
    let sb = Sandbox::new();
    // GitHub-family hosts without a port, so they go to Nix's include; one mock answers for all.
    let nix_tokens: Vec<String> = (0..20).map(|i| format!("ghp_load0123456789abcdefghij{i:04}")).collect();
    let gh = Forge::start(Kind::Github, &nix_tokens.iter().map(String::as_str).collect::<Vec<_>>());
    let nix_hosts: Vec<String> = (0..20).map(|i| format!("gh{i:02}.example.com")).collect();
    let hosts = nix_hosts.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(", ");
    sb.provider(
        "loadgh",
        &format!(
            "id = \"loadgh\"\nname = \"Load GitHub\"\nfamily = \"github\"\nhosts = [{hosts}]\napi = \"{}/api/v3\"\n",
            gh.mock.url()
        ),
    );
    // Gitea hosts: lanyard's store only.
    let gitea_tokens: Vec<String> = (0..21).map(|i| format!("tok-load-0123456789abcdef-{i:02}")).collect();
    let giteas: Vec<Forge> = gitea_tokens.iter().map(|t| Forge::start(Kind::Gitea, &[t])).collect();
    // duumbi registries: the store and ~/.duumbi/credentials.toml.
    let duu_tokens: Vec<String> = (0..8).map(|i| format!("duu_load0123456789abcdef{i:02}")).collect();
    let duumbis: Vec<Mock> = duu_tokens.iter().map(|t| duumbi(t)).collect();

    // Before the storm: 4 Gitea and 4 Nix hosts to log out of, one Gitea host that status reads,
    // a duumbi entry and a comment to keep.
    let stable = giteas[20].mock.key();
    sb.run(&["login", &giteas[20].mock.url(), "--provider", "gitea", "--with-token"], Some(&gitea_tokens[20])).code(0);
    for i in 16..20 {
        sb.run(&["login", &giteas[i].mock.url(), "--provider", "gitea", "--with-token"], Some(&gitea_tokens[i]))
            .code(0);
        sb.run(&["login", &nix_hosts[i], "--with-token"], Some(&nix_tokens[i])).code(0);
    }
    let duumbi_file = sb.home().join(".duumbi/credentials.toml");
    std::fs::DirBuilder::new().mode(0o700).create(duumbi_file.parent().unwrap()).unwrap();
    std::fs::write(
        &duumbi_file,
        "# my keys\nanthropic_api_key = \"sk-ant-keep\"\n\n[registries.mine]\ntoken = \"keep\"\n",
    )
    .unwrap();
    // Two credentials that are due for a refresh, with rotating refresh tokens: a GitLab OAuth
    // token in Nix's include and a skillsctl ID token in skillsctl's file.
    let (gl_tokens, gl_used) = rotating_token_endpoint("rt-gitlab-0", false);
    let (sk_tokens, sk_used) = rotating_token_endpoint("rt-skills-0", true);
    let sk_file = sb.home().join(".config/skillsctl/credentials.json");
    let mut store: Value = sb.store_view();
    let expired = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    store["credentials"]["gitlab-load.example.com"] = json!({
        "url": "https://gitlab-load.example.com", "provider": "gitlab", "family": "gitlab", "kind": "oauth",
        "token": "access-old-0123456789", "expires_at": expired, "refresh_token": "rt-gitlab-0",
        "client_id": "cid", "token_endpoint": format!("{}/oauth/token", gl_tokens.url()), "storage": "file",
        "sinks": [format!("nix:{}", sb.tokens_conf().display())], "created_at": expired});
    store["credentials"]["skills.example.com"] = json!({
        "url": "https://skills.example.com", "provider": "skillsctl", "family": "skillsctl", "kind": "oauth",
        "token": "access-old-skills-0123", "id_token": jwt(1), "expires_at": expired, "refresh_token": "rt-skills-0",
        "client_id": "cid", "token_endpoint": format!("{}/token", sk_tokens.url()), "storage": "file",
        "sinks": [format!("skillsctl:{}", sk_file.display())], "created_at": expired});
    sb.write_store_view(&store);

    let mut jobs = Vec::new();
    for i in 0..16 {
        let url = giteas[i].mock.url();
        jobs.push((args(&["login", &url, "--provider", "gitea", "--with-token"]), Some(gitea_tokens[i].clone())));
        jobs.push((args(&["login", &nix_hosts[i], "--with-token"]), Some(nix_tokens[i].clone())));
    }
    for (i, m) in duumbis.iter().enumerate() {
        let name = format!("reg{i}");
        jobs.push((
            args(&["login", &m.url(), "--provider", "duumbi", "--with-token", "--name", &name]),
            Some(duu_tokens[i].clone()),
        ));
    }
    for i in 16..20 {
        jobs.push((args(&["logout", &giteas[i].mock.key()]), None));
        jobs.push((args(&["logout", &nix_hosts[i]]), None));
    }
    for _ in 0..4 {
        jobs.push((args(&["token", "gitlab-load.example.com"]), None));
        jobs.push((args(&["token", "skills.example.com", "--id-token"]), None));
    }
    for _ in 0..8 {
        jobs.push((args(&["status", "--offline", "--json", &stable]), None));
    }
    assert_eq!(jobs.len(), 64);
    let runs = sb.run_concurrently(&jobs);
    let mut gl_seen = BTreeSet::new();
    for ((a, _), r) in jobs.iter().zip(&runs) {
        assert_eq!(r.code, 0, "{a:?}\n{}", r.stderr);
        for t in gitea_tokens.iter().chain(&nix_tokens).chain(&duu_tokens) {
            assert!(!r.stderr.contains(t.as_str()), "{a:?} printed a token on stderr");
        }
        if a[0] == "status" {
            let v: Value = serde_json::from_str(&r.stdout).expect("status --json is JSON while others write");
            assert_eq!(v["credentials"][0]["state"], "unchecked", "{v}");
        }
        if a[0] == "token" && a[1].starts_with("gitlab") {
            gl_seen.insert(r.stdout.trim().to_string());
        }
    }
    // Single flight across processes: one refresh per credential, every caller got its result.
    assert_eq!(*gl_used.lock().unwrap(), ["rt-gitlab-0"]);
    assert_eq!(*sk_used.lock().unwrap(), ["rt-skills-0"]);
    assert_eq!(gl_seen.into_iter().collect::<Vec<_>>(), ["access-fresh-0123456789-1"]);

    // lanyard's store: exactly the expected credentials.
    let store: Value = sb.store_view();
    let keys: BTreeSet<String> = store["credentials"].as_object().unwrap().keys().cloned().collect();
    let mut want: BTreeSet<String> = (0..16).map(|i| giteas[i].mock.key()).collect();
    want.extend(nix_hosts[..16].iter().cloned());
    want.extend(duumbis.iter().map(Mock::key));
    want.extend(["gitlab-load.example.com".to_string(), "skills.example.com".to_string(), stable.clone()]);
    assert_eq!(keys, want);
    for i in 0..16 {
        assert_eq!(store["credentials"][giteas[i].mock.key()]["token"], gitea_tokens[i].as_str());
        assert_eq!(store["credentials"][&nix_hosts[i]]["token"], nix_tokens[i].as_str());
    }
    assert_eq!(store["credentials"]["gitlab-load.example.com"]["refresh_token"], "rt-1");

    // Nix's include, as real Nix reads it (or as lanyard's parser does without Nix).
    let mut want_nix: std::collections::BTreeMap<String, String> =
        (0..16).map(|i| (nix_hosts[i].clone(), nix_tokens[i].clone())).collect();
    want_nix.insert("gitlab-load.example.com".into(), "OAuth2:access-fresh-0123456789-1".into());
    let text = std::fs::read_to_string(sb.tokens_conf()).unwrap();
    let parsed: std::collections::BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("access-tokens = "))
        .flat_map(|v| v.split_whitespace())
        .filter_map(|p| p.split_once('=').map(|(h, t)| (h.to_string(), t.to_string())))
        .collect();
    assert_eq!(parsed, want_nix, "{text}");
    if let Some(t) = crate::nix::nix_tokens(&sb) {
        assert_eq!(t, want_nix);
    }

    // duumbi's file: the 8 new registries, the old one and the API key, the comment.
    let duu = std::fs::read_to_string(&duumbi_file).unwrap();
    let doc: toml::Table = duu.parse().unwrap();
    assert!(duu.starts_with("# my keys\nanthropic_api_key = \"sk-ant-keep\"\n"), "{duu}");
    let regs = doc["registries"].as_table().unwrap();
    assert_eq!(regs.len(), 9, "{duu}");
    assert_eq!(regs["mine"]["token"].as_str(), Some("keep"));
    for (i, t) in duu_tokens.iter().enumerate() {
        assert_eq!(regs[&format!("reg{i}")]["token"].as_str(), Some(t.as_str()));
    }

    // skillsctl's file: the refreshed ID token.
    let sk: Value = serde_json::from_str(&std::fs::read_to_string(&sk_file).unwrap()).unwrap();
    assert_eq!(sk["refresh_token"], "rt-1");
    assert_ne!(sk["id_token"], jwt(1).as_str());

    // Modes, and nothing left behind but locks and the backups SPEC §6 asks for.
    for (path, mode, is_dir) in sb.files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains("lanyard-tmp"), "temp file left: {}", path.display());
        if path.starts_with(sb.home().join(".config/lanyard/providers")) {
            continue; // written by this test
        }
        let want = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{} has mode {mode:o}", path.display());
    }
    assert_eq!(std::fs::metadata(sb.store_path()).unwrap().permissions().mode() & 0o777, 0o600);
}
