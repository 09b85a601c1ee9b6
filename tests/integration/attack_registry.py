#!/usr/bin/env python3
"""A hostile Registry API v2 server for tests/integration/images_pull_attack.bats,
on 127.0.0.1 only, stdlib only. It serves a directory made by
tests/integration/mkattack.py exactly as it is:

    attack_registry.py DIR --port-file FILE

  DIR/manifests/REF      a manifest or index body, for a tag or a digest
  DIR/blobs/HEX          a blob's bytes
  DIR/behave.json        {"HEX": {"mode": ...}}: how a blob is sent
                         (see Handler.misbehave), and "ping" for /v2/
  DIR/requests           appended: "METHOD PATH AUTHORIZATION" per request

Uploads are accepted without any check (a registry that trusts the
client): POST gives a Location, PUT stores the body under the digest the
client claims, in DIR/pushed/HEX; a PUT manifest goes to
DIR/pushed/manifest."""
import argparse
import http.server
import json
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layout_registry import serve  # noqa: E402


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def path_of(self, *parts):
        return os.path.join(self.server.dir, *parts)

    def log(self):
        with self.server.log_lock, open(self.path_of("requests"), "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path,
                                    self.headers.get("Authorization", "-")))

    def send(self, code, body=b"", ctype=None, extra=()):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read(self, *parts):
        p = self.path_of(*parts)
        if not os.path.isfile(p):
            return None
        with open(p, "rb") as f:
            return f.read()

    def behave(self):
        b = self.read("behave.json")
        return json.loads(b) if b else {}

    def body_in(self):
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def do_HEAD(self):
        self.do_GET()

    def ping(self):
        how = self.behave().get("ping")
        if how == "basic" and not self.headers.get("Authorization"):
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                             "application/json",
                             [("WWW-Authenticate", 'Basic realm="attack"')])
        if how == "basic-refuse":
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                             "application/json",
                             [("WWW-Authenticate", 'Basic realm="attack"')])
        return self.send(200, b"{}", "application/json")

    def do_GET(self):
        self.log()
        if self.path == "/v2/":
            return self.ping()
        if self.path.startswith("/token"):
            return self.send(200, b'{"token":"stolen"}', "application/json")
        if self.path.startswith("/deny/"):
            # another host's 401, naming a token realm of its choosing
            realm = "http://localhost:%d/token" % self.server.server_address[1]
            return self.send(401, b"{}", "application/json",
                             [("WWW-Authenticate", 'Bearer realm="%s",service="x"' % realm)])
        m = re.fullmatch(r"/v2/(.+)/(manifests|blobs)/([^/?]+)", self.path)
        if not m:
            return self.send(404, b'{"errors":[{"code":"NOT_FOUND"}]}')
        kind, ref = m.group(2), m.group(3)
        if kind == "manifests":
            body = self.read("manifests", ref)
            if body is None:
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
            return self.send(200, body, json.loads(body).get("mediaType"))
        hexd = ref[7:] if ref.startswith("sha256:") else ""
        body = self.read("blobs", hexd) if re.fullmatch("[0-9a-f]{64}", hexd) else None
        if body is None:
            body = self.read("pushed", hexd) if hexd else None
        if body is None:
            return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
        how = self.behave().get(hexd)
        if how:
            return self.misbehave(how, body)
        return self.send(200, body, "application/octet-stream")

    def misbehave(self, how, body):
        """500: an error; cut: half the blob, then the connection closes;
        redirect: 307 to how["to"]; slow: the blob after how["delay"]
        seconds (others fail in between); split: the blob's first byte,
        then the rest half a second later (the client's first read of it
        gives one byte); tail: how["head"] bytes, then the rest
        how["piece"] bytes (8 KiB) every half second; trickle: a byte every half
        second, never the whole blob (faster than any stall timeout), for
        ten minutes or until the client goes away, which DIR/gone then
        records."""
        mode = how["mode"]
        if mode == "500":
            return self.send(500, b'{"errors":[{"code":"UNKNOWN"}]}', "application/json")
        if mode == "cut":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if mode == "redirect":
            return self.send(307, b"", None, [("Location", how["to"])])
        if mode == "slow":
            time.sleep(how["delay"])
            return self.send(200, body, "application/octet-stream")
        if mode == "split":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:1])
            self.wfile.flush()
            time.sleep(0.5)
            self.wfile.write(body[1:])
            return None
        if mode == "tail":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                piece = how.get("piece", 8192)
                self.wfile.write(body[:how["head"]])
                for i in range(how["head"], len(body), piece):
                    self.wfile.flush()
                    time.sleep(0.5)
                    self.wfile.write(body[i:i + piece])
            except OSError:
                pass
            self.close_connection = True
            return None
        if mode == "trickle":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for b in body[:min(len(body) - 1, 1200)]:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                with open(self.path_of("gone"), "a") as f:
                    f.write(self.path + "\n")
            self.close_connection = True
            return None
        raise ValueError(mode)

    def do_POST(self):
        self.log()
        self.body_in()
        m = re.fullmatch(r"/v2/(.+)/blobs/uploads/", self.path)
        if not m:
            return self.send(404)
        return self.send(202, b"", None, [("Location", "/v2/%s/blobs/uploads/u1" % m.group(1))])

    def do_PUT(self):
        self.log()
        body = self.body_in()
        os.makedirs(self.path_of("pushed"), exist_ok=True)
        m = re.search(r"[?&]digest=sha256:([0-9a-f]{64})", self.path)
        if "/blobs/uploads/" in self.path and m:
            with open(self.path_of("pushed", m.group(1)), "wb") as f:
                f.write(body)
            return self.send(201)
        if "/manifests/" in self.path:
            with open(self.path_of("pushed", "manifest"), "wb") as f:
                f.write(body)
            return self.send(201)
        return self.send(400)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.dir, srv.log_lock = args.dir, threading.Lock()
    serve(srv, args.port_file)


if __name__ == "__main__":
    main()
