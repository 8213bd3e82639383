//! Test support: a hermetic environment for running the binary, and a small loopback HTTP
//! server whose handler reproduces a vendor's answers.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

/// The binary under test: this build's, or `LANYARD_TEST_BIN` (to show that a test fails
/// against an older lanyard, e.g. the one before a fix).
pub fn lanyard_bin() -> PathBuf {
    std::env::var_os("LANYARD_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| assert_cmd::cargo::cargo_bin!("lanyard").into())
}

/// [`Sandbox::store_view`] of a parsed store file.
pub fn store_view_of(v: &serde_json::Value) -> serde_json::Value {
    // `active` names the account of hosts with several; a host with one has that one.
    let mut creds = serde_json::Map::new();
    for (id, c) in v["credentials"].as_object().cloned().unwrap_or_default() {
        let (account, host) = id.rsplit_once('@').unwrap();
        let named = v["active"][host].as_str();
        if named.is_none_or(|a| a == account) {
            assert!(named.is_some() || !creds.contains_key(host), "{host} has several accounts and no active one");
            creds.insert(host.to_string(), c);
        }
    }
    let mut view = v.clone();
    view["credentials"] = serde_json::Value::Object(creds);
    view
}

/// A temp HOME and a cleared environment for running `lanyard`.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub vars: Vec<(String, String)>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let vars = vec![
            ("HOME".to_string(), home.display().to_string()),
            ("PATH".to_string(), "/usr/bin:/bin".to_string()),
            ("XDG_CONFIG_HOME".to_string(), home.join(".config").display().to_string()),
            ("NO_COLOR".to_string(), "1".to_string()),
            // Nix's system and XDG config dirs point at empty dirs: the host's /etc/nix is not read.
            ("NIX_CONF_DIR".to_string(), dir.path().join("etc-nix").display().to_string()),
            ("XDG_CONFIG_DIRS".to_string(), dir.path().join("etc-xdg").display().to_string()),
        ];
        std::fs::create_dir_all(dir.path().join("etc-nix")).unwrap();
        std::fs::create_dir_all(dir.path().join("etc-xdg")).unwrap();
        Sandbox { dir, vars }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home().join(".config/lanyard")
    }

    pub fn store_path(&self) -> PathBuf {
        self.config_dir().join("credentials.json")
    }

    /// The store read as one credential per host: `credentials` keyed by host, each the host's
    /// active account (the version-2 file keys them `account@host` and names the active one).
    pub fn store_view(&self) -> serde_json::Value {
        store_view_of(&serde_json::from_str(&std::fs::read_to_string(self.store_path()).unwrap()).unwrap())
    }

    /// Writes a view of [`Sandbox::store_view`]'s shape back as a version-2 file (one account per
    /// host), 0600.
    pub fn write_store_view(&self, view: &serde_json::Value) {
        let mut creds = serde_json::Map::new();
        let mut active = serde_json::Map::new();
        for (host, c) in view["credentials"].as_object().cloned().unwrap_or_default() {
            let account = c["user"].as_str().unwrap_or("default").to_string();
            creds.insert(format!("{account}@{host}"), c);
            active.insert(host, serde_json::Value::String(account));
        }
        let v = serde_json::json!({"version": 2, "credentials": creds, "active": active,
            "providers": view.get("providers").cloned().unwrap_or(serde_json::json!({}))});
        std::fs::create_dir_all(self.config_dir()).unwrap();
        std::fs::write(self.store_path(), v.to_string()).unwrap();
        std::fs::set_permissions(self.store_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    pub fn set(&mut self, k: &str, v: &str) {
        self.vars.retain(|(a, _)| a != k);
        self.vars.push((k.to_string(), v.to_string()));
    }

    pub fn cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(lanyard_bin());
        c.env_clear();
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c.current_dir(self.dir.path());
        c
    }

    /// Runs lanyard with args and optional stdin.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut c = self.cmd();
        c.args(args);
        run_cmd(c, stdin)
    }

    /// Starts every run at once (args, stdin), then waits for all of them: concurrency tests.
    pub fn run_concurrently(&self, jobs: &[(Vec<String>, Option<String>)]) -> Vec<Run> {
        let children: Vec<_> = jobs
            .iter()
            .map(|(args, stdin)| {
                let mut c = self.cmd();
                c.args(args)
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                let mut child = c.spawn().expect("lanyard runs");
                let mut si = child.stdin.take().unwrap();
                if let Some(s) = stdin {
                    let _ = si.write_all(s.as_bytes());
                }
                drop(si);
                child
            })
            .collect();
        children.into_iter().map(|c| Run::from(c.wait_with_output().unwrap())).collect()
    }

    /// Every file below HOME with its mode.
    pub fn nix_conf(&self) -> PathBuf {
        self.home().join(".config/nix/nix.conf")
    }

    pub fn tokens_conf(&self) -> PathBuf {
        self.home().join(".config/nix/access-tokens.conf")
    }

    /// Points the `github` provider (github.com, alias `github`) at a mock forge's `/api/v3`.
    pub fn github_at(&self, mock_url: &str) {
        self.provider(
            "github",
            &format!(
                "id = \"github\"\nname = \"GitHub (mock)\"\nfamily = \"github\"\nhosts = [\"github.com\"]\naliases = [\"github\"]\napi = \"{mock_url}/api/v3\"\n"
            ),
        );
    }

    /// lanyard with `args`, started by `/bin/sh -c "PRELUDE; exec lanyard ARGS"`: for a umask, a
    /// ulimit or an ignored signal set the way a user's shell sets them.
    pub fn cmd_after(&self, prelude: &str, args: &[&str]) -> std::process::Command {
        let prog = self.cmd().get_program().to_os_string();
        let mut sh = std::process::Command::new("/bin/sh");
        sh.env_clear().envs(self.vars.iter().map(|(k, v)| (k.clone(), v.clone()))).current_dir(self.dir.path());
        sh.arg("-c").arg(format!("{prelude}; exec \"$0\" \"$@\"")).arg(prog).args(args);
        sh
    }

    /// Writes a user provider file.
    pub fn provider(&self, name: &str, text: &str) {
        let dir = self.config_dir().join("providers");
        std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700).create(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.toml")), text).unwrap();
    }

    pub fn files(&self) -> Vec<(PathBuf, u32, bool)> {
        let mut out = Vec::new();
        walk(&self.home(), &mut out);
        out
    }
}

pub fn run_cmd(mut c: std::process::Command, stdin: Option<&str>) -> Run {
    c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = c.spawn().expect("lanyard runs");
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            let _ = si.write_all(s.as_bytes());
        }
    }
    let out = child.wait_with_output().unwrap();
    Run::from(out)
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, u32, bool)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let m = std::fs::symlink_metadata(e.path()).unwrap();
        out.push((e.path(), m.permissions().mode() & 0o7777, m.is_dir()));
        if m.is_dir() {
            walk(&e.path(), out);
        }
    }
}

/// A finished run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn code(&self, want: i32) -> &Run {
        assert_eq!(self.code, want, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
    #[track_caller]
    pub fn lacks(&self, secret: &str) -> &Run {
        assert!(!self.all().contains(secret), "secret leaked:\n{}", self.all());
        self
    }
}

/// A request the mock server received.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
    /// The form or query fields of the body.
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(self.body.as_bytes()).into_owned().collect()
    }
}

/// A response the mock server sends.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(status: u16, body: serde_json::Value) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
    pub fn text(status: u16, body: &str) -> Resp {
        Resp { status, headers: vec![("Content-Type".into(), "text/plain".into())], body: body.as_bytes().to_vec() }
    }
    pub fn with(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.into(), v.into()));
        self
    }
}

type Handler = Arc<dyn Fn(&Req) -> Resp + Send + Sync>;

/// A loopback HTTP/1.1 server that answers with a handler and records every request.
pub struct Mock {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Req>>>,
}

impl Mock {
    pub fn start(handler: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let reqs = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (h, r) = (handler.clone(), reqs.clone());
                std::thread::spawn(move || serve(stream, h, r));
            }
        });
        Mock { port, requests }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn key(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests.lock().unwrap().iter().filter(|r| r.path == path).count()
    }
}

fn serve(stream: TcpStream, handler: Handler, reqs: Arc<Mutex<Vec<Req>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let req = Req { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() };
        reqs.lock().unwrap().push(req.clone());
        let resp = handler(&req);
        let mut head = format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\n", resp.status, resp.body.len());
        for (k, v) in &resp.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&resp.body)).is_err() {
            return;
        }
    }
}

/// A port where nothing listens.
pub fn dead_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A command line run exactly as a person pastes it into a shell on a terminal: `script` gives
/// it a pseudo-terminal, `/bin/sh` parses the line, and lanyard is on PATH.
pub struct Pty {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    out: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Sandbox {
    /// Runs `line` on a pseudo-terminal in this sandbox.
    pub fn pty(&self, line: &str) -> Pty {
        // The command is typed as `lanyard …`: a binary under test with another file name is
        // reached through a link named `lanyard`.
        let mut bin = lanyard_bin();
        if bin.file_name().is_some_and(|n| n != "lanyard") {
            let dir = self.dir.path().join("bin-under-test");
            std::fs::create_dir_all(&dir).unwrap();
            let _ = std::os::unix::fs::symlink(&bin, dir.join("lanyard"));
            bin = dir.join("lanyard");
        }
        let rest = self.vars.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).unwrap_or("/usr/bin:/bin");
        let path = format!("{}:{rest}", bin.parent().unwrap().display());
        let mut c = std::process::Command::new("script");
        c.env_clear();
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c.env("PATH", path).env("SHELL", "/bin/sh").env("TERM", "xterm");
        c.args(["-q", "-f", "-e", "-c", line, "/dev/null"]).current_dir(self.dir.path());
        c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let mut child = c.spawn().expect("script(1) runs");
        let stdin = child.stdin.take();
        let mut stdout = child.stdout.take().unwrap();
        let out = Arc::new(Mutex::new(String::new()));
        let o = out.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                o.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Pty { child, stdin, out, reader: Some(reader) }
    }
}

impl Pty {
    /// Waits (up to 30 s) until the screen shows `text`; returns everything shown so far.
    #[track_caller]
    pub fn expect(&self, text: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let seen = self.out.lock().unwrap().clone();
            if seen.contains(text) {
                return seen;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "never saw {text:?} on the terminal:\n{seen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Types `text` (use `\r` for Enter).
    pub fn send(&mut self, text: &str) {
        let si = self.stdin.as_mut().unwrap();
        si.write_all(text.as_bytes()).unwrap();
        si.flush().unwrap();
    }

    /// Waits for the command to end, answering `question` with `answer` if it is asked.
    pub fn finish_answering(mut self, question: &str, answer: &str) -> (i32, String) {
        let start = std::time::Instant::now();
        let mut answered = false;
        while self.child.try_wait().unwrap().is_none() {
            if !answered && self.out.lock().unwrap().contains(question) {
                self.send(answer);
                answered = true;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "still running:\n{}",
                self.out.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        self.finish()
    }

    /// Waits for the command to end: its exit code and everything the terminal showed.
    pub fn finish(mut self) -> (i32, String) {
        let status = self.child.wait().unwrap();
        drop(self.stdin.take());
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        let out = self.out.lock().unwrap().clone();
        (status.code().unwrap_or(-1), out)
    }
}

impl Sandbox {
    /// Runs a printed login on a terminal as a person would: waits for `prompt`, types `typed`
    /// and Enter, says yes to replacing the stored credential (asked once the server has said
    /// whose it is), and declines the git offer a forge
    /// login makes. The login must succeed; returns the screen.
    #[track_caller]
    pub fn replace_on_terminal(&self, cmd: &str, prompt: &str, typed: &str) -> String {
        let mut t = self.pty(cmd);
        t.expect(prompt);
        t.send(&format!("{typed}\r"));
        t.expect("Replace that credential");
        t.send("y");
        let (code, screen) = t.finish_answering("Let git use this token", "n");
        assert_eq!(code, 0, "{screen}");
        screen
    }

    /// A sandbox whose PATH has git (`None`, said loudly, when git is missing).
    pub fn with_git() -> Option<Sandbox> {
        crate::peers::require("git", "real git reads lanyard's helper lines")?;
        let mut sb = Sandbox::new();
        sb.set("PATH", "/usr/local/bin:/usr/bin:/bin");
        Some(sb)
    }

    /// Runs git in the sandbox (its HOME, so `--global` is the sandbox's), with optional stdin.
    pub fn git(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut c = std::process::Command::new("git");
        c.env_clear().envs(self.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        c.env("GIT_TERMINAL_PROMPT", "0").env("GIT_CONFIG_NOSYSTEM", "1").current_dir(self.dir.path());
        c.args(args).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
        c.stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        if let Some(s) = stdin {
            child.stdin.as_mut().unwrap().write_all(s.as_bytes()).unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    }

    /// The values of a global git setting.
    pub fn git_config(&self, key: &str) -> String {
        String::from_utf8_lossy(&self.git(&["config", "--global", "--get-all", key], None).stdout).into_owned()
    }
}

/// The lanyard command a `fix:` or `hint:` line printed: the text in backticks that starts with
/// `lanyard `, else the rest of a `fix:` line.
#[track_caller]
pub fn printed_command(output: &str, starting: &str) -> String {
    for line in output.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("fix:").or_else(|| line.strip_prefix("hint:")) else { continue };
        let rest = rest.trim();
        let mut parts = rest.split('`');
        while let (Some(_), Some(inside)) = (parts.next(), parts.next()) {
            if inside.starts_with(starting) {
                return inside.to_string();
            }
        }
        if rest.starts_with(starting) {
            return rest.to_string();
        }
    }
    panic!("no printed command starting with {starting:?} in:\n{output}");
}

/// One HTTP/1.0 request to a loopback URL (the tests' browser): status, head, body.
pub fn raw(method: &str, url: &str, form: Option<&str>) -> (u16, String, String) {
    use std::io::{Read, Write};
    let u = url::Url::parse(url).unwrap();
    let addr = format!("{}:{}", u.host_str().unwrap(), u.port_or_known_default().unwrap());
    let path = match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    };
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let body = form.unwrap_or("");
    let ct = if form.is_some() { "Content-Type: application/x-www-form-urlencoded\r\n" } else { "" };
    // One write: a server that answers after the request line must not see a second segment.
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n{ct}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let out = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Whether the tests run as root (CI does): tests that need a second local user need it.
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}

/// A self-signed certificate and its key for `cn`, valid for the IP 127.0.0.1 too, made by
/// openssl in `dir` (`None`, said, when openssl is missing).
pub fn self_signed(dir: &Path, name: &str, cn: &str) -> Option<(PathBuf, PathBuf)> {
    crate::peers::require("openssl", "makes the test servers' certificates")?;
    let (cert, key) = (dir.join(format!("{name}.crt")), dir.join(format!("{name}.key")));
    let ok = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", &format!("/CN={cn}")])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success(), "openssl req failed");
    Some((cert, key))
}

/// Waits until something listens on 127.0.0.1:`port` (panics after `secs`).
#[track_caller]
pub fn wait_for_port(port: u16, secs: u64, what: &str) {
    let started = std::time::Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < std::time::Duration::from_secs(secs), "{what} did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
