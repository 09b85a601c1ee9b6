#!/usr/bin/env python3
"""A read-only Registry API v2 server over an OCI image layout (from
tests/integration/mklayout.py), on 127.0.0.1 only, stdlib only: it
serves exactly the bytes of the layout, so that the pull tests can give
scute content a real registry would refuse or fix, and can stop in the
middle of a blob.

    layout_registry.py LAYOUT --port-file FILE [--corrupt HEX] [--stall HEX]

Every repository name serves the whole layout; tags are index.json's
ref.name annotations. --corrupt HEX sends blob HEX with its last byte
changed; --stall HEX sends half of blob HEX, then nothing, for a minute.
Each blob request is appended to LAYOUT/requests as "GET DIGEST"."""
import argparse
import http.server
import json
import os
import re
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body=b"", ctype=None, digest=None):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        if digest:
            self.send_header("Docker-Content-Digest", digest)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def blob(self, hexd):
        p = os.path.join(self.server.layout, "blobs", "sha256", hexd)
        if not re.fullmatch("[0-9a-f]{64}", hexd) or not os.path.exists(p):
            return None
        with open(p, "rb") as f:
            return f.read()

    def manifest(self, ref):
        if ref.startswith("sha256:"):
            return self.blob(ref[7:])
        with open(os.path.join(self.server.layout, "index.json")) as f:
            for m in json.load(f)["manifests"]:
                if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref:
                    return self.blob(m["digest"][7:])
        return None

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == "/v2/":
            return self.send(200, b"{}", "application/json")
        m = re.fullmatch(r"/v2/(.+)/(manifests|blobs)/([^/]+)", self.path)
        if not m:
            return self.send(404, b'{"errors":[{"code":"NOT_FOUND"}]}')
        kind, ref = m.group(2), m.group(3)
        if kind == "manifests":
            body = self.manifest(ref)
            if body is None:
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
            return self.send(200, body, json.loads(body).get("mediaType"))
        with self.server.log_lock, open(os.path.join(self.server.layout, "requests"), "a") as f:
            f.write("GET %s\n" % ref)
        body = self.blob(ref[7:]) if ref.startswith("sha256:") else None
        if body is None:
            return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
        if ref[7:] == self.server.args.corrupt:
            body = body[:-1] + bytes([body[-1] ^ 1])
        if ref[7:] != self.server.args.stall:
            return self.send(200, body, "application/octet-stream")
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2])
        self.wfile.flush()
        time.sleep(60)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("layout")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--corrupt")
    ap.add_argument("--stall")
    args = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.layout, srv.args, srv.log_lock = args.layout, args, threading.Lock()
    serve(srv, args.port_file)


def serve(srv, port_file):
    """Write srv's port to port_file (whole, by rename) and serve."""
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
