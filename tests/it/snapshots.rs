//! Snapshots (insta) of what a person reads: `--help`, `status` as text and JSON, and the dry
//! runs, with the clock fixed (`LANYARD_NOW`, honoured by debug builds) and the temp HOME
//! written as `~`.

use serde_json::json;

use crate::support::Sandbox;

const NOW: &str = "2026-06-01T12:00:00Z";

fn sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set("LANYARD_NOW", NOW);
    sb.provider("svc", "id = \"svc\"\nname = \"Svc\"\nfamily = \"token\"\nhosts = [\"svc.example.com\"]\n");
    sb
}

fn tidy(sb: &Sandbox, text: &str) -> String {
    text.replace(sb.home().to_str().unwrap(), "~")
}

/// Three credentials written as a login would leave them: one without expiry, one expiring soon
/// with a refresh token, one expired.
fn three(sb: &Sandbox) {
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let c = |url: &str, token: &str, exp: Option<&str>, refresh: bool| {
        let mut v = json!({"url": url, "provider": "svc", "family": "token", "kind": "pat", "token": token,
            "storage": "file", "created_at": "2026-05-01T00:00:00Z", "user": "ada"});
        if let Some(e) = exp {
            v["expires_at"] = json!(e);
        }
        if refresh {
            v["kind"] = json!("oauth");
            v["refresh_token"] = json!("ref-0123456789abcdefghij");
            v["token_endpoint"] = json!("https://svc.example.com/token");
        }
        v
    };
    let data = json!({"version": 1, "credentials": {
        "svc.example.com": c("https://svc.example.com", "tok-0123456789abcdefghij", None, false),
        "soon.example.com": c("https://soon.example.com", "tok-abcdefghij0123456789", Some("2026-06-01T12:30:00Z"), true),
        "old.example.com": c("https://old.example.com", "tok-zyxwvutsrq9876543210", Some("2026-05-30T08:00:00Z"), false),
    }});
    sb.write_store_view(&data);
}

#[test]
fn help_texts() {
    let sb = sandbox();
    for (name, args) in
        [("help", &["--help"][..]), ("login_help", &["login", "--help"]), ("status_help", &["status", "--help"])]
    {
        let r = sb.run(args, None);
        r.code(0);
        insta::assert_snapshot!(name, r.stdout);
    }
}

#[test]
fn status_text_and_json() {
    let sb = sandbox();
    three(&sb);
    let r = sb.run(&["status", "--offline", "--warn-within", "1h"], None);
    r.code(4);
    insta::assert_snapshot!("status_text", tidy(&sb, &r.stdout));
    // Colour when asked for (marks and states), every detail with -v, and no plaintext note once
    // the person chose the file.
    let r = sb.run(&["status", "--offline", "--warn-within", "1h", "--color", "always"], None);
    insta::assert_snapshot!("status_text_color", tidy(&sb, &r.stdout));
    std::fs::write(sb.config_dir().join("config.toml"), "storage = \"file\"\n").unwrap();
    let r = sb.run(&["status", "--offline", "--warn-within", "1h", "-v"], None);
    insta::assert_snapshot!("status_text_verbose", tidy(&sb, &r.stdout));
    let r = sb.run(&["status", "--offline", "--json", "--warn-within", "1h"], None);
    r.code(4);
    insta::assert_snapshot!("status_json", tidy(&sb, &r.stdout));
}

#[test]
fn dry_runs() {
    let sb = sandbox();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("config.toml"), "storage = \"file\"\n").unwrap();
    let r = sb.run(&["login", "svc.example.com", "--with-token", "--dry-run"], Some("tok-0123456789abcdefghij"));
    r.code(0);
    insta::assert_snapshot!("login_dry_run", tidy(&sb, &r.stderr));
    three(&sb);
    let r = sb.run(&["logout", "--all", "--dry-run"], None);
    r.code(0);
    insta::assert_snapshot!("logout_dry_run", tidy(&sb, &r.stderr));
}
