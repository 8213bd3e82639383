//! Hostile servers (issue 7 §4): garbage and truncated JSON, HTML, 50 MB bodies, servers that never
//! answer or answer one byte a second, cross-origin redirects, untrusted TLS, plain HTTP to a
//! remote host, tokens echoed back in error pages, broken device-flow answers. Each gives a clear
//! error with the right exit code, in bounded time and memory, never a panic or the token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::{Mock, Resp, Run, Sandbox, run_cmd};

const TOK: &str = "tok-hostile-0123456789abcdef";

/// A loopback server that hands each connection to `f` as raw bytes.
pub struct Raw {
    pub port: u16,
}

impl Raw {
    pub fn start(f: impl Fn(TcpStream) + Send + Sync + 'static) -> Raw {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let f = Arc::new(f);
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let f = f.clone();
                std::thread::spawn(move || f(s));
            }
        });
        Raw { port }
    }
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Reads one request's head and body, so the client is waiting for the answer.
fn read_request(s: &TcpStream) -> String {
    let mut r = BufReader::new(s);
    let mut head = String::new();
    let mut len = 0;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
    }
    let mut body = vec![0; len];
    let _ = r.read_exact(&mut body);
    head
}

fn answer(status: &str, ctype: &str, body: &[u8]) -> impl Fn(TcpStream) + Send + Sync + 'static {
    let (status, ctype, body) = (status.to_string(), ctype.to_string(), body.to_vec());
    move |mut s| {
        read_request(&s);
        let head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = s.write_all(head.as_bytes()).and_then(|_| s.write_all(&body));
    }
}

/// What a hostile server does with one connection.
type Behaviour = Box<dyn Fn(TcpStream) + Send + Sync>;

/// One hostile case: how the server behaves, the exit code, and words the error must contain.
struct Case {
    name: &'static str,
    url: String,
    exit: i32,
    says: &'static [&'static str],
}

/// Runs `login URL --provider gitea --with-token` under GNU time (when present) with a 2 s timeout.
fn probe(sb: &Sandbox, url: &str) -> (Run, Duration, Option<u64>) {
    let args = ["--timeout", "2", "login", url, "--provider", "gitea", "--with-token"];
    let started = Instant::now();
    let time = std::path::Path::new("/usr/bin/time");
    let mut r = if time.exists() {
        let c = sb.cmd();
        let mut t = std::process::Command::new(time);
        t.env_clear().envs(sb.vars.iter().map(|(k, v)| (k.clone(), v.clone()))).current_dir(sb.dir.path());
        t.args(["-f", "peak-rss-kib=%M"]).arg(c.get_program()).args(args);
        run_cmd(t, Some(TOK))
    } else {
        sb.run(&args, Some(TOK))
    };
    let took = started.elapsed();
    let mut rss = None;
    if let Some(i) = r.stderr.rfind("peak-rss-kib=") {
        rss = r.stderr[i + 13..].trim().parse().ok();
        r.stderr.truncate(i);
    }
    if r.stderr.contains("Command exited with non-zero status") {
        let i = r.stderr.rfind("Command exited").unwrap();
        r.stderr.truncate(i);
    }
    (r, took, rss)
}

fn tls_server(dir: &std::path::Path) -> Option<(std::process::Child, u16)> {
    let openssl = crate::peers::require("openssl", "makes a self-signed certificate for the untrusted-TLS case")?;
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let ok = std::process::Command::new(&openssl)
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "openssl req");
    let port = crate::support::dead_port();
    let child = std::process::Command::new(&openssl)
        .args(["s_server", "-quiet", "-www", "-accept", &port.to_string(), "-cert"])
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((child, port))
}

#[test]
fn hostile_servers_get_clear_errors_in_bounded_time_and_memory() {
    let sb = Sandbox::new();
    let mut servers: Vec<Raw> = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut add = |name, exit, says, f: Behaviour| {
        let r = Raw::start(f);
        cases.push(Case { name, url: r.url(), exit, says });
        servers.push(r);
    };
    add(
        "garbage JSON",
        6,
        &["not the expected JSON", "hint:"],
        Box::new(answer("200 OK", "application/json", b"\x00\xff{{{ garbage")),
    );
    add(
        "truncated JSON",
        6,
        &["hint:"],
        Box::new(|mut s: TcpStream| {
            read_request(&s);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"id\": 1, \"login\": \"ad");
        }),
    );
    add("JSON of the wrong shape", 6, &["hint:"], Box::new(answer("200 OK", "application/json", b"[1, 2, 3]")));
    add(
        "HTML error page",
        6,
        &["502", "Bad Gateway", "hint:"],
        Box::new(answer(
            "502 Bad Gateway",
            "text/html",
            b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        )),
    );
    add(
        "HTML login page with 200 (captive portal)",
        6,
        &["hint:"],
        Box::new(answer(
            "200 OK",
            "text/html",
            b"<!DOCTYPE html><html><body><form>Sign in to the Wi-Fi</form></body></html>",
        )),
    );
    add(
        "50 MB body with a length",
        6,
        &["larger than", "hint:"],
        Box::new(|mut s: TcpStream| {
            read_request(&s);
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n");
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..800 {
                if s.write_all(&chunk).is_err() {
                    return;
                }
            }
        }),
    );
    add(
        "50 MB chunked body",
        6,
        &["larger than", "hint:"],
        Box::new(|mut s: TcpStream| {
            read_request(&s);
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
            for _ in 0..800 {
                if s.write_all(chunk.as_bytes()).is_err() {
                    return;
                }
            }
        }),
    );
    add(
        "accepts and never answers",
        6,
        &["timed out", "--timeout"],
        Box::new(|s: TcpStream| {
            read_request(&s);
            std::thread::sleep(Duration::from_secs(60));
        }),
    );
    add(
        "one byte per second",
        6,
        &["timed out", "--timeout"],
        Box::new(|mut s: TcpStream| {
            read_request(&s);
            for b in b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n{\"id\":1,\"login\":\"slowpoke\"}   " {
                if s.write_all(&[*b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        }),
    );
    add("closes at once", 6, &["could not be reached", "hint:"], Box::new(drop));
    add(
        "not HTTP at all",
        6,
        &["could not be reached", "hint:"],
        Box::new(|mut s: TcpStream| {
            let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2\r\n");
        }),
    );
    add(
        "100 000 headers",
        6,
        &["hint:"],
        Box::new(|mut s: TcpStream| {
            read_request(&s);
            let mut h = String::from("HTTP/1.1 200 OK\r\n");
            for i in 0..100_000 {
                h.push_str(&format!("X-H{i}: v\r\n"));
            }
            let _ = s.write_all(h.as_bytes());
        }),
    );
    let echo = format!("{{\"message\": \"token {TOK} is not valid\", \"url\": \"/api/swagger\"}}");
    add(
        "echoes the token in a 401",
        4,
        &["hint:"],
        Box::new(answer("401 Unauthorized", "application/json", echo.as_bytes())),
    );
    add(
        "echoes the token in a 500",
        6,
        &["500", "hint:"],
        Box::new(answer("500 Internal Server Error", "text/plain", echo.as_bytes())),
    );
    add(
        "echoes the token in a 400",
        1,
        &["400", "hint:"],
        Box::new(answer("400 Bad Request", "application/json", echo.as_bytes())),
    );
    // A redirect to another origin, which must receive nothing.
    let other = Mock::start(|_| Resp::json(200, serde_json::json!({"id": 1, "login": "thief"})));
    let to = format!("{}/api/v1/user", other.url());
    add(
        "redirect to another origin",
        6,
        &["redirected", "another origin"],
        Box::new(move |mut s: TcpStream| {
            read_request(&s);
            let _ =
                s.write_all(format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n").as_bytes());
        }),
    );

    let mut report = Vec::new();
    for c in &cases {
        let (r, took, rss) = probe(&sb, &c.url);
        assert_eq!(r.code, c.exit, "{}: exit\n{}", c.name, r.stderr);
        assert!(!r.all().contains(TOK), "{}: the token leaked:\n{}", c.name, r.all());
        assert!(!r.all().contains("panicked"), "{}: {}", c.name, r.stderr);
        for w in c.says {
            assert!(r.stderr.contains(w), "{}: the error should say `{w}`:\n{}", c.name, r.stderr);
        }
        assert!(took < Duration::from_secs(8), "{}: took {took:?}", c.name);
        if let Some(kib) = rss {
            assert!(kib < 30 * 1024, "{}: peak RSS {kib} KiB", c.name);
        }
        report.push(format!("{:45} exit {} in {:>5} ms, peak RSS {:?} KiB", c.name, r.code, took.as_millis(), rss));
    }
    assert_eq!(other.requests.lock().unwrap().len(), 0, "the other origin received a request");
    assert!(!sb.store_path().exists(), "nothing stored from a hostile server");
    eprintln!("{}", report.join("\n"));
}

#[test]
fn untrusted_tls_and_remote_plain_http_are_refused() {
    let sb = Sandbox::new();
    // Plain HTTP to a host that is not loopback: refused before any connection is made.
    for url in ["http://example.com", "http://10.255.255.1:8080", "http://[2001:db8::1]/"] {
        let r = sb.run(&["--timeout", "2", "login", url, "--provider", "gitea", "--with-token"], Some(TOK));
        r.code(2).lacks(TOK);
        assert!(r.stderr.contains("https") && r.stderr.contains("hint:"), "{url}: {}", r.stderr);
    }
    // TLS with a certificate nobody trusts: refused, with the way to trust a private CA.
    let Some((mut server, port)) = tls_server(sb.dir.path()) else { return };
    let url = format!("https://127.0.0.1:{port}");
    let r = sb.run(&["--timeout", "5", "login", &url, "--provider", "gitea", "--with-token"], Some(TOK));
    let _ = server.kill();
    let _ = server.wait();
    r.code(6).lacks(TOK);
    assert!(r.stderr.to_lowercase().contains("certificate") && r.stderr.contains("hint:"), "{}", r.stderr);
    assert!(r.stderr.contains("SSL_CERT_FILE") || r.stderr.contains("ca_file"), "{}", r.stderr);
}

/// The same hostility from a token endpoint during a silent refresh, and from a device
/// authorization endpoint at the start of a login: a clear error, the old record kept.
#[test]
fn hostile_token_and_device_endpoints() {
    let behaviours: Vec<(&str, i32, Behaviour)> = vec![
        ("garbage", 6, Box::new(answer("200 OK", "application/json", b"\x00garbage"))),
        ("HTML 502", 6, Box::new(answer("502 Bad Gateway", "text/html", b"<html>502 Bad Gateway</html>"))),
        ("HTML 200", 6, Box::new(answer("200 OK", "text/html", b"<html>Sign in</html>"))),
        ("JSON without a token", 6, Box::new(answer("200 OK", "application/json", b"{\"token_type\": \"Bearer\"}"))),
        (
            "never answers",
            6,
            Box::new(|s: TcpStream| {
                read_request(&s);
                std::thread::sleep(Duration::from_secs(60));
            }),
        ),
        (
            "50 MB",
            6,
            Box::new(|mut s: TcpStream| {
                read_request(&s);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n");
                let chunk = vec![b'{'; 64 * 1024];
                for _ in 0..800 {
                    if s.write_all(&chunk).is_err() {
                        return;
                    }
                }
            }),
        ),
        (
            "invalid_grant",
            4,
            Box::new(answer("400 Bad Request", "application/json", b"{\"error\": \"invalid_grant\"}")),
        ),
    ];
    let mut report = Vec::new();
    for (name, exit, f) in behaviours {
        let raw = Raw::start(f);
        // A refresh that meets the hostile token endpoint.
        let sb = Sandbox::new();
        let expired = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
        let store = serde_json::json!({"version": 1, "credentials": {"gitlab.example.com": {
            "url": "https://gitlab.example.com", "provider": "gitlab", "family": "gitlab", "kind": "oauth",
            "token": "gloas-old-0123456789", "expires_at": expired, "refresh_token": "glrt-old-0123456789",
            "client_id": "cid", "token_endpoint": format!("{}/oauth/token", raw.url()), "storage": "file",
            "created_at": expired}}});
        sb.write_store_view(&store);
        let before = std::fs::read(sb.store_path()).unwrap();
        let started = Instant::now();
        let r = sb.run(&["--timeout", "2", "token", "gitlab.example.com"], None);
        let took = started.elapsed();
        r.code(exit).lacks("glrt-old-0123456789").lacks("gloas-old-0123456789");
        assert!(r.stderr.contains("hint:") && !r.stderr.contains("panicked"), "{name}: {}", r.stderr);
        assert!(took < Duration::from_secs(8), "{name}: {took:?}");
        assert_eq!(std::fs::read(sb.store_path()).unwrap(), before, "{name}: the old record is kept");
        // A device flow whose start meets it.
        let sb = Sandbox::new();
        sb.provider(
            "corp-gitlab",
            &format!(
                "id = \"corp-gitlab\"\nname = \"Corp GitLab\"\nfamily = \"gitlab\"\nhosts = [\"gitlab.example.com\"]\n[device]\nauthorization_url = \"{0}/oauth/authorize_device\"\ntoken_url = \"{0}/oauth/token\"\n",
                raw.url()
            ),
        );
        let started = Instant::now();
        let d = sb.run(&["--timeout", "2", "login", "gitlab.example.com", "--client-id", "cid", "--no-browser"], None);
        let dtook = started.elapsed();
        assert!([1, 4, 6].contains(&d.code), "{name}: device start exit {}\n{}", d.code, d.stderr);
        assert!(d.stderr.contains("hint:") && !d.stderr.contains("panicked"), "{name}: {}", d.stderr);
        assert!(dtook < Duration::from_secs(8), "{name}: {dtook:?}");
        assert!(!sb.store_path().exists());
        report.push(format!(
            "{name:22} refresh exit {} in {:>5} ms; device start exit {} in {:>5} ms",
            r.code,
            took.as_millis(),
            d.code,
            dtook.as_millis()
        ));
    }
    eprintln!("{}", report.join("\n"));
}
