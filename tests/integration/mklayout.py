#!/usr/bin/env python3
"""OCI image layouts for the pull tests, well-formed and hostile.

    mklayout.py DIR

writes an OCI image layout to DIR whose tags (index.json's
org.opencontainers.image.ref.name) are the cases below; skopeo copies the
good ones to a real registry, tests/integration/layout_registry.py serves
all of them as they are. Python only: the tests must not depend on the
code under test to make their input.

  multi        three layers (gzip, zstd-less plain tar, gzip) over a base
  sibling      the same base layer, another top: shares a layer with multi
  index        an image index: linux/amd64 (multi's manifest) and linux/arm64
  baddiffid    a layer whose config diff_id is not what it unpacks to
  countmismatch  a manifest with two layers, a config with one diff_id
  hostile      a layer with a "../" entry
"""
import gzip
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkarchive import base_entries, entry, layer, sha  # noqa: E402

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_TAR = "application/vnd.oci.image.layer.v1.tar"
MT_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"


class Layout:
    def __init__(self, d):
        self.d = d
        self.refs = []
        os.makedirs(os.path.join(d, "blobs", "sha256"), exist_ok=True)

    def blob(self, data, media_type):
        with open(os.path.join(self.d, "blobs", "sha256", sha(data)), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + sha(data),
                "size": len(data)}

    def image(self, tars, gzipped, arch="amd64", diff_ids=None):
        """A manifest of the layers (uncompressed tars; gzipped[i] says how
        each is sent) and its config; returns the manifest's descriptor."""
        descs = []
        for t, z in zip(tars, gzipped):
            descs.append(self.blob(gzip.compress(t, mtime=0), MT_GZIP) if z
                         else self.blob(t, MT_TAR))
        ids = diff_ids or ["sha256:" + sha(t) for t in tars]
        cfg = {"architecture": arch, "os": "linux",
               "created": "2024-01-02T03:04:05Z",
               "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/bin"]},
               "rootfs": {"type": "layers", "diff_ids": ids},
               "history": [{"created": "2024-01-02T03:04:05Z",
                            "created_by": "layer %d" % i}
                           for i in range(len(ids))]}
        man = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
               "config": self.blob(json.dumps(cfg).encode(), MT_CONFIG),
               "layers": descs}
        return self.blob(json.dumps(man).encode(), MT_MANIFEST)

    def tag(self, desc, name):
        d = dict(desc)
        d["annotations"] = {"org.opencontainers.image.ref.name": name}
        self.refs.append(d)

    def write(self):
        with open(os.path.join(self.d, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": MT_INDEX,
                       "manifests": self.refs}, f)
        with open(os.path.join(self.d, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)


def main():
    lo = Layout(sys.argv[1])
    base = layer(base_entries() + [entry("bin", "dir"),
                                   entry("etc/os", data=b"base\n")])
    mid = layer([entry("etc/os", data=b"mid\n"), entry("mid", data=b"m" * 300000)])
    top = layer([entry("top", data=os.urandom(200000))])
    multi = lo.image([base, mid, top], [True, False, True])
    lo.tag(multi, "multi")
    lo.tag(lo.image([base, layer([entry("sib", data=b"s\n")])], [True, True]),
           "sibling")
    arm = lo.image([base], [True], arch="arm64")
    amd = dict(multi, platform={"os": "linux", "architecture": "amd64"})
    arm = dict(arm, platform={"os": "linux", "architecture": "arm64"})
    index = json.dumps({"schemaVersion": 2, "mediaType": MT_INDEX,
                        "manifests": [amd, arm]}).encode()
    lo.tag(lo.blob(index, MT_INDEX), "index")
    lo.tag(lo.image([base, mid], [True, True],
                    diff_ids=["sha256:" + sha(base), "sha256:" + sha(top)]),
           "baddiffid")
    lo.tag(lo.image([base, mid], [True, True], diff_ids=["sha256:" + sha(base)]),
           "countmismatch")
    lo.tag(lo.image([layer([entry("../escaped", data=b"x\n")])], [True]),
           "hostile")
    lo.write()


if __name__ == "__main__":
    main()
