#!/usr/bin/env python3
"""A hostile registry for tests/integration/registry_client.bats: a tiny
Registry API v2 server (stdlib only, 127.0.0.1 only) whose answers break
the rules the client must hold. The repository name picks the attack:

  wrongdigest   a manifest (for any ref) whose digest is not the one asked for
  badheader     a manifest with a Docker-Content-Digest that does not match it
  big           a manifest body of 5 MiB (past the 4 MiB limit)
  endless       manifests and blobs that never end
  short         a blob 5 bytes shorter than its Content-Length promises... and closes
  stall         a blob that sends 3 bytes, then nothing
  redirect      a blob redirected to http://localhost:PORT/data (another host name)
  sameredirect  a blob redirected to /data on the same origin
  downgrade     a blob redirected to http://127.0.0.1:HTTP_PORT/data (from https)
  loop          a blob redirected to itself, forever
  elsewhere     an upload whose Location is http://localhost:PORT/upload
  good          a well-behaved manifest and blob

--auth none|basic|bearer|bearer-huge|bearer-http-realm sets what /v2/
asks for (user alice, password s3cret; the bearer token "goodtoken").
Every request is logged to --log as "METHOD PATH host=HOST auth=VALUE".
The bound port is written to --port-file."""
import argparse
import base64
import hashlib
import http.server
import json
import ssl
import sys
import threading
import time

GOOD_MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": "sha256:" + "0" * 64, "size": 2},
    "layers": [],
}).encode()
GOOD_DIGEST = "sha256:" + hashlib.sha256(GOOD_MANIFEST).hexdigest()
BLOB = b"0123456789"
BASIC = "Basic " + base64.b64encode(b"alice:s3cret").decode()
MT = "application/vnd.oci.image.manifest.v1+json"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self):
        with self.server.log_lock, open(self.server.args.log, "a") as f:
            f.write("%s %s host=%s auth=%s\n" % (
                self.command, self.path, self.headers.get("Host"),
                self.headers.get("Authorization") or "none"))

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, code, ecode, msg, headers=()):
        body = json.dumps({"errors": [{"code": ecode, "message": msg}]}).encode()
        self.send(code, body, [("Content-Type", "application/json")] + list(headers))

    def authorized(self):
        mode = self.server.args.auth
        got = self.headers.get("Authorization")
        if mode == "none":
            return True
        if mode == "basic":
            if got == BASIC:
                return True
            self.error(401, "UNAUTHORIZED", "authentication required",
                       [("WWW-Authenticate", 'Basic realm="hostile"')])
            return False
        if got == "Bearer goodtoken":
            return True
        port = self.server.server_address[1]
        scheme = "https" if self.server.args.tls_cert else "http"
        realm = "%s://127.0.0.1:%d/token" % (scheme, port)
        if mode == "bearer-http-realm":
            realm = "http://registry.example/token"
        self.error(401, "UNAUTHORIZED", "authentication required", [(
            "WWW-Authenticate",
            'Bearer realm="%s",service="hostile",scope="repository:x:pull"' % realm)])
        return False

    def endless(self, headers):
        self.send_response(200)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(16384):  # 1 GiB at most
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        self.close_connection = True

    def token(self):
        if self.server.args.auth == "bearer-huge":
            body = b'{"token":"' + b"a" * (2 << 20) + b'"}'
            return self.send(200, body, [("Content-Type", "application/json")])
        got = self.headers.get("Authorization")
        if got != BASIC:
            return self.error(401, "UNAUTHORIZED", "incorrect username or password")
        self.send(200, b'{"token":"goodtoken","expires_in":300}',
                  [("Content-Type", "application/json")])

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self.record()
        path = self.path.split("?")[0]
        port = self.server.server_address[1]
        if path == "/token":
            return self.token()
        if path == "/data":
            return self.send(200, BLOB)
        if not self.authorized():
            return
        if path == "/v2/":
            return self.send(200, b"{}", [("Content-Type", "application/json")])
        parts = path.split("/")
        repo, kind = parts[2], parts[3] if len(parts) > 3 else ""
        if kind == "manifests":
            return self.manifest(repo)
        if kind != "blobs":
            return self.error(404, "NAME_UNKNOWN", "repository name not known")
        if repo in ("good", "wrongdigest", "badheader"):
            return self.send(200, BLOB)
        if repo == "endless":
            return self.endless([])
        if repo == "short":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(BLOB[:5])
            self.close_connection = True
            return
        if repo == "stall":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(BLOB[:3])
            self.wfile.flush()
            time.sleep(30)
            return
        targets = {
            "redirect": "http://localhost:%d/data" % port,
            "sameredirect": "/data",
            "downgrade": "http://127.0.0.1:%d/data" % (self.server.args.http_port or 1),
            "loop": self.path,
        }
        if repo in targets:
            return self.send(307, b"", [("Location", targets[repo])])
        self.error(404, "BLOB_UNKNOWN", "blob unknown to registry")

    def manifest(self, repo):
        headers = [("Content-Type", MT)]
        if repo == "good":
            return self.send(200, GOOD_MANIFEST, headers + [("Docker-Content-Digest", GOOD_DIGEST)])
        if repo == "wrongdigest":
            return self.send(200, GOOD_MANIFEST, headers)
        if repo == "badheader":
            return self.send(200, GOOD_MANIFEST,
                             headers + [("Docker-Content-Digest", "sha256:" + "1" * 64)])
        if repo == "big":
            return self.send(200, b" " * (5 << 20), headers)
        if repo == "endless":
            return self.endless(headers)
        self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")

    def do_POST(self):
        self.record()
        if not self.authorized():
            return
        port = self.server.server_address[1]
        if self.path.startswith("/v2/elsewhere/blobs/uploads/"):
            return self.send(202, b"", [("Location", "http://localhost:%d/upload?id=1" % port)])
        self.error(404, "NAME_UNKNOWN", "repository name not known")

    def do_PUT(self):
        self.record()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path.startswith("/upload"):
            return self.send(201, b"")
        self.error(404, "NAME_UNKNOWN", "repository name not known")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--auth", default="none")
    p.add_argument("--log", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--http-port", type=int)
    args = p.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.args = args
    srv.log_lock = threading.Lock()
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
