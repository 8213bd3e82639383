#!/usr/bin/env python3
"""A private Go module proxy (the GOPROXY protocol) over HTTPS on 127.0.0.1, behind HTTP basic
auth, for lanyard's Go tests: Go sends credentials (from netrc, or from git's helpers with
GOAUTH=git) only over https.

Usage: server.py CERT KEY USER PASSWORD. Serves example.com/private/mod v0.1.0. Prints
`READY <port>`.
"""
import base64
import http.server
import io
import ssl
import sys
import zipfile

CERT, KEY, USER, PASSWORD = sys.argv[1:5]
MOD, V = "example.com/private/mod", "v0.1.0"
GO_MOD = f"module {MOD}\n\ngo 1.21\n"


def module_zip():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr(f"{MOD}@{V}/go.mod", GO_MOD)
        z.writestr(f"{MOD}@{V}/mod.go", "package mod\n\nconst Value = 7\n")
    return b.getvalue()


FILES = {
    f"/{MOD}/@v/list": (V + "\n").encode(),
    f"/{MOD}/@v/{V}.info": b'{"Version":"v0.1.0","Time":"2026-01-01T00:00:00Z"}',
    f"/{MOD}/@v/{V}.mod": GO_MOD.encode(),
    f"/{MOD}/@v/{V}.zip": module_zip(),
}
WANT = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
SEEN = []


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/__seen":
            body = "\n".join(SEEN).encode()
        elif self.headers.get("Authorization") != WANT:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="goproxy"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            body = FILES.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            SEEN.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(f"READY {server.server_address[1]}", flush=True)
server.serve_forever()
