//! netrc (SPEC §12, §15): `setup-netrc` writes `machine HOST login USER password TOKEN` into
//! the sandbox's `~/.netrc`, keeping every other byte; real curl fetches through it; logout
//! removes only an entry that still holds lanyard's token.

use serde_json::json;

use crate::peers;
use crate::support::{Mock, Req, Resp, Sandbox};

const TOK: &str = "tok-netrc-0123456789abcdef";

/// A Gitea-like server: lanyard's login checks `token TOK` at `/api/v1/user`; a package path
/// takes HTTP Basic with the token as the password, as package registries do.
fn server() -> Mock {
    Mock::start(|r: &Req| {
        use base64::Engine;
        let basic =
            |user: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{TOK}")));
        match r.path.as_str() {
            "/api/v1/version" => Resp::json(200, json!({"version": "1.22.3"})),
            "/api/v1/user" if r.header("authorization") == Some(&format!("token {TOK}")) => {
                Resp::json(200, json!({"id": 1, "login": "gitea-user"}))
            }
            "/api/v1/user" => Resp::json(401, json!({"message": "no"})),
            "/api/packages/gitea-user/pypi/simple/"
                if r.header("authorization") == Some(basic("gitea-user").as_str()) =>
            {
                Resp::text(200, "<html>the index</html>")
            }
            _ => Resp::json(401, json!({"message": "no"})).with("WWW-Authenticate", "Basic realm=\"pkg\""),
        }
    })
}

#[test]
fn curl_fetches_through_the_netrc_entry_lanyard_keeps() {
    let Some(_) = peers::require("curl", "reads ~/.netrc as package managers do") else { return };
    let sb = Sandbox::new();
    let srv = server();
    sb.run(&["login", &srv.url(), "--provider", "gitea", "--with-token"], Some(TOK)).code(0);
    let netrc = sb.home().join(".netrc");
    let theirs = "# mine\nmachine other.example.com login bob password hunter2\n\nmacdef init\nmachine fake login x password y\n\ndefault login anonymous password guest\n";
    std::fs::write(&netrc, theirs).unwrap();
    let url = format!("{}/api/packages/gitea-user/pypi/simple/", srv.url());
    let curl = || {
        std::process::Command::new("curl")
            .args(["-sf", "-n", &url])
            .env_clear()
            .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
            .output()
            .unwrap()
    };
    assert!(!curl().status.success(), "no entry yet: refused");
    let r = sb.run(&["setup-netrc", &srv.key()], None);
    r.code(0).lacks(TOK);
    let text = std::fs::read_to_string(&netrc).unwrap();
    // host:port for Go, and the bare host for curl, pip and uv (no other credential has it),
    // both before `default`; everything else byte for byte.
    let ours = format!(
        "machine {} login gitea-user password {TOK}\nmachine 127.0.0.1 login gitea-user password {TOK}\n",
        srv.key()
    );
    assert_eq!(text, theirs.replace("default login", &format!("{ours}default login")), "{text}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&netrc).unwrap().permissions().mode() & 0o777, 0o600);
    let out = curl();
    assert!(out.status.success(), "curl through netrc: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the index"));
    let r = sb.run(&["status", &srv.key()], None);
    assert!(r.stdout.contains("netrc"), "{}", r.stdout);

    // Another tool changed the bare-host entry: logout leaves it and says so, removes its own.
    std::fs::write(
        &netrc,
        std::fs::read_to_string(&netrc).unwrap().replace(
            &format!("machine 127.0.0.1 login gitea-user password {TOK}"),
            "machine 127.0.0.1 login gitea-user password changed-by-hand",
        ),
    )
    .unwrap();
    let r = sb.run(&["logout", &srv.key()], None);
    r.code(0);
    assert!(r.stderr.contains("Left"), "{}", r.stderr);
    let text = std::fs::read_to_string(&netrc).unwrap();
    assert!(!text.contains(TOK), "{text}");
    assert!(
        text.contains("password changed-by-hand")
            && text.contains("machine other.example.com")
            && text.contains("macdef init"),
        "{text}"
    );
}

/// The Python that has pypiserver (PyPI; .ci/run installs it), as an absolute path: pyenv's shim
/// needs the person's HOME, the sandbox has another.
fn python_with_pypiserver() -> Option<std::path::PathBuf> {
    let python = peers::require("python3", "runs pypiserver and pip")?;
    let out = std::process::Command::new(python)
        .args(["-c", "import sys, pypiserver, passlib; print(sys.executable)"])
        .output()
        .ok()?;
    if !out.status.success() {
        peers::skip(
            "pypiserver (PyPI)",
            "serves the private index pip reads through netrc; `pip install pypiserver passlib`",
        );
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().into())
}

/// A wheel pip can download (a minimal valid one), made with Python's standard library.
const WHEEL: &str = r#"
import base64, hashlib, sys, zipfile
name, ver = 'demo_pkg', '0.1.0'
di = f'{name}-{ver}.dist-info'
files = {f'{name}/__init__.py': b'VALUE = 7\n',
         f'{di}/METADATA': f'Metadata-Version: 2.1\nName: demo-pkg\nVersion: {ver}\n'.encode(),
         f'{di}/WHEEL': b'Wheel-Version: 1.0\nGenerator: lanyard-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n'}
rec = ''.join(f'{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode()},{len(d)}\n' for p, d in files.items())
files[f'{di}/RECORD'] = (rec + f'{di}/RECORD,,\n').encode()
with zipfile.ZipFile(f'{sys.argv[1]}/{name}-{ver}-py3-none-any.whl', 'w') as z:
    for p, d in files.items():
        z.writestr(p, d)
"#;

#[test]
fn pip_installs_from_a_private_index_through_the_netrc_entry() {
    let Some(python) = python_with_pypiserver() else { return };
    let Some(_) = peers::require("htpasswd", "writes pypiserver's user file (apache2-utils)") else { return };
    let sb = Sandbox::new();
    let pkgs = sb.dir.path().join("pkgs");
    std::fs::create_dir_all(&pkgs).unwrap();
    assert!(std::process::Command::new(&python).args(["-c", WHEEL]).arg(&pkgs).status().unwrap().success());
    let pw = "pw-alice-0123456789";
    let users = sb.dir.path().join("htpasswd");
    assert!(
        std::process::Command::new("htpasswd")
            .args(["-bc"])
            .arg(&users)
            .args(["alice", pw])
            .output()
            .unwrap()
            .status
            .success()
    );
    let port = crate::support::dead_port();
    let mut server = std::process::Command::new(&python)
        .args(["-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", &port.to_string(), "-P"])
        .arg(&users)
        .args(["-a", "download,list,update"])
        .arg(&pkgs)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    crate::support::wait_for_port(port, 15, "pypiserver");
    let index = format!("http://127.0.0.1:{port}");
    sb.run(&["login", &index, "--provider", "basic", "--user", "alice", "--with-password"], Some(pw)).code(0);
    sb.run(&["setup-netrc", &format!("127.0.0.1:{port}")], None).code(0).lacks(pw);
    let out = std::process::Command::new(&python)
        .args(["-m", "pip", "download", "--no-cache-dir", "--disable-pip-version-check", "--no-deps", "--no-input"])
        .args(["--index-url", &format!("{index}/simple/"), "-d"])
        .arg(sb.dir.path().join("got"))
        .arg("demo-pkg")
        .env_clear()
        .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pip download: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(sb.dir.path().join("got/demo_pkg-0.1.0-py3-none-any.whl").exists());
    // uv (PyPI, beside that Python) installs from it through the same entry.
    let uv = python.with_file_name("uv");
    if uv.is_file() {
        let out = std::process::Command::new(&uv)
            .args(["pip", "install", "--no-config", "--no-deps", "--target"])
            .arg(sb.dir.path().join("uv-target"))
            .args(["--index-url", &format!("{index}/simple/"), "--python"])
            .arg(&python)
            .arg("demo-pkg")
            .env_clear()
            .envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone())))
            .output()
            .unwrap();
        assert!(out.status.success(), "uv pip install: {}", String::from_utf8_lossy(&out.stderr));
        assert!(sb.dir.path().join("uv-target/demo_pkg/__init__.py").exists());
    } else {
        peers::skip("uv (PyPI)", "installs from the private index through netrc; `pip install uv`");
    }
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn login_writes_netrc_and_another_tools_entry_is_listed_and_kept() {
    let sb = Sandbox::new();
    let srv = server();
    let netrc = sb.home().join(".netrc");
    let theirs = "machine 127.0.0.1 login x password someone-elses-token-0123456789\n";
    std::fs::write(&netrc, theirs).unwrap();
    let r = sb.run(&["login", &srv.url(), "--provider", "gitea", "--with-token", "--netrc"], Some(TOK));
    r.code(0).lacks(TOK);
    assert!(r.stderr.contains("`machine 127.0.0.1` holds a token lanyard did not write"), "{}", r.stderr);
    let text = std::fs::read_to_string(&netrc).unwrap();
    assert_eq!(text, format!("{theirs}machine {} login gitea-user password {TOK}\n", srv.key()));
    let r = sb.run(&["status", "--offline"], None);
    r.lacks("someone-elses-token-0123456789");
    assert!(r.stdout.contains("netrc `machine 127.0.0.1`") && r.stdout.contains("lanyard setup-netrc"), "{}", r.stdout);
    assert!(
        !r.stdout.contains(&format!("netrc `machine {}`  ", srv.key())),
        "lanyard's own is not unmanaged: {}",
        r.stdout
    );
}
