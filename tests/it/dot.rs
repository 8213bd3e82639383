//! A real OpenID provider of another vendor: django-oauth-toolkit 3.4.1 (PyPI, pinned in
//! tests/peers/dot/requirements.txt, installed by .ci/run), run by tests/peers/dot/server.py on
//! 127.0.0.1; its person (tests/peers/dot/person.py) uses DOT's own device and consent pages.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::peers;
use crate::support::{Sandbox, raw};

/// The running server; stopped (its stdin closed, then killed) on drop.
pub struct Dot {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub key: String,
}

impl Drop for Dot {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/dot")
}

impl Dot {
    pub fn start() -> Option<Dot> {
        let python = peers::require("python3", "runs django-oauth-toolkit")?;
        let present =
            Command::new(&python).args(["-c", "import oauth2_provider, django"]).output().ok()?.status.success();
        if !present {
            peers::skip("django-oauth-toolkit", "pip install -r tests/peers/dot/requirements.txt");
            return None;
        }
        let mut child = Command::new(python)
            .arg(dir().join("server.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port =
            line.strip_prefix("READY ").unwrap_or_else(|| panic!("DOT did not start: {line:?}")).trim().to_string();
        Some(Dot { child, base: format!("http://127.0.0.1:{port}"), key: format!("127.0.0.1:{port}") })
    }

    /// A provider file naming only DOT's device endpoint (DOT's metadata names none); the token
    /// endpoint is left to discovery, as providers/README.md allows.
    pub fn provider_file(&self, sb: &Sandbox) {
        sb.provider(
            "dot",
            &format!(
                "id = \"dot\"\nname = \"DOT\"\nfamily = \"oidc\"\nhosts = [\"{}\"]\nissuer = \"{}/o\"\nscopes = [\"openid\", \"profile\"]\n[device]\nclient_id = \"lanyard-device\"\nauthorization_url = \"{}/o/device-authorization/\"\n",
                self.key, self.base, self.base
            ),
        );
    }

    /// The person at DOT's pages: `device CODE accept|deny` or `browser URL allow|deny` (prints the
    /// redirect URL).
    pub fn person(&self, args: &[&str]) -> String {
        let out = Command::new("python3").arg(dir().join("person.py")).args(args).output().unwrap();
        assert!(out.status.success(), "person.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// Issue 23 items 1 and 2: a provider file with only the device endpoint logs in (the token
/// endpoint from metadata), and the account is the user OpenID's userinfo names though RFC 8414's
/// document (read first) has no `userinfo_endpoint`.
#[test]
fn device_login_with_only_the_device_endpoint_configured_and_the_user_from_userinfo() {
    let Some(d) = Dot::start() else { return };
    let sb = Sandbox::new();
    d.provider_file(&sb);
    let base = d.base.clone();
    let find = |line: &str| line.split("one-time code: ").nth(1).map(|c| c.trim().to_string());
    let (r, _) = crate::oidc::run_watching(&sb, &["login", &d.key], find, |code| {
        let _ = Command::new("python3").arg(dir().join("person.py")).args(["device", &base, code, "accept"]).output();
    });
    r.code(0);
    let st = sb.run(&["status", &d.key], None);
    st.code(0);
    assert!(st.stdout.contains("alice"), "{}", st.stdout);
    let t = sb.run(&["token", &d.key], None);
    t.code(0);
    assert!(!t.stdout.trim().is_empty());
}

/// Issue 23 item 3: cancelling at DOT's consent page (`error=access_denied` on the redirect) is
/// exit 1, as a denial in the device flow is; nothing is stored.
#[test]
fn cancelling_at_the_consent_page_is_exit_1() {
    let Some(d) = Dot::start() else { return };
    let sb = Sandbox::new();
    let issuer = format!("{}/o", d.base);
    let args = ["login", &issuer, "--provider", "oidc", "--client-id", "lanyard-web", "--web", "--no-browser"];
    let r = crate::flows::browser_login(&sb, &args, |url| {
        let back = d.person(&["browser", url, "deny"]);
        assert!(back.contains("error=access_denied"), "{back}");
        let (status, _, _) = raw("GET", &back, None);
        assert_eq!(status, 200);
    });
    r.code(1);
    assert!(r.stderr.contains("access_denied"), "{}", r.stderr);
    sb.run(&["token", &d.key], None).code(3);
    // Allowed, the same login completes (PKCE and DOT's loopback redirect with any port).
    let r = crate::flows::browser_login(&sb, &args, |url| {
        let back = d.person(&["browser", url, "allow"]);
        let (status, _, _) = raw("GET", &back, None);
        assert_eq!(status, 200, "{back}");
    });
    r.code(0);
    let st = sb.run(&["status", &d.key], None);
    assert!(st.stdout.contains("alice"), "{}", st.stdout);
}
