#!/usr/bin/env python3
"""Hostile registry content for tests/integration/images_pull_attack.bats,
served by tests/integration/attack_registry.py.

    mkattack.py DIR

writes DIR/manifests/TAG and DIR/blobs/HEX for each case below (the tag
is the case's name) and an empty DIR/behave.json; a test sets how a blob
misbehaves. Python only: the tests must not depend on the code under
test to make their input.

  good         two gzip layers
  goodtar      good's config (its image ID) over the same layers uncompressed
  cfghuge      the config's descriptor says 2^62 bytes
  cfgshort     the config's descriptor says a byte less than the blob
  cfglong      the config's descriptor says 100 bytes more than the blob
  layershort   a layer's descriptor says a byte less than the blob
  layerlong    a layer's descriptor says 100 bytes more than the blob
  nested       an index whose entry is an index
  swapped      an index entry naming a manifest digest the registry
               answers with another manifest's body
  twice        the same layer twice in one manifest (and in the diff_ids)
  foreign      a layer with a media type scute does not know
  bomb         a gzip layer that inflates to 64 MiB (for max-layer-size)
  three        three layers of 2 MiB each (one is made to fail)
  tailbad      a gzip layer whose tar fails at its first member (1 MiB of
               noise after it), 256 KiB of zeros after the gzip stream
               (sent slowly: "tail")
"""
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkarchive import base_entries, entry, layer, sha  # noqa: E402
from mklayout import MT_CONFIG, MT_GZIP, MT_INDEX, MT_MANIFEST, MT_TAR  # noqa: E402


class Registry:
    def __init__(self, d):
        self.d = d
        os.makedirs(os.path.join(d, "blobs"), exist_ok=True)
        os.makedirs(os.path.join(d, "manifests"), exist_ok=True)
        with open(os.path.join(d, "behave.json"), "w") as f:
            f.write("{}")

    def blob(self, data, media_type):
        with open(os.path.join(self.d, "blobs", sha(data)), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + sha(data), "size": len(data)}

    def doc(self, doc, tag, media_type):
        data = json.dumps(doc).encode()
        for ref in (tag, "sha256:" + sha(data)):
            with open(os.path.join(self.d, "manifests", ref), "wb") as f:
                f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + sha(data), "size": len(data)}

    def manifest(self, tag, tars, layer_fix=None, cfg_fix=None, media_type=MT_GZIP,
                 blob_fix=lambda b: b):
        """A manifest of gzip layers (plain tars for MT_TAR); layer_fix(i,
        desc) and cfg_fix(desc) may make a descriptor lie, blob_fix(blob)
        gives a layer's blob from its compressed tar."""
        descs = [self.blob(blob_fix(t if media_type == MT_TAR else gzip.compress(t, mtime=0)),
                           media_type) for t in tars]
        if layer_fix:
            for i, d in enumerate(descs):
                layer_fix(i, d)
        ids = ["sha256:" + sha(t) for t in tars]
        cfg = {"architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
               "config": {"Cmd": ["/bin/sh"]},
               "rootfs": {"type": "layers", "diff_ids": ids}}
        cdesc = self.blob(json.dumps(cfg).encode(), MT_CONFIG)
        if cfg_fix:
            cfg_fix(cdesc)
        return self.doc({"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cdesc,
                         "layers": descs}, tag, MT_MANIFEST)

    def index(self, tag, descs):
        plat = {"os": "linux", "architecture": "amd64"}
        return self.doc({"schemaVersion": 2, "mediaType": MT_INDEX,
                         "manifests": [dict(d, platform=plat) for d in descs]}, tag, MT_INDEX)


def fix_size(which, delta):
    def fix(i, d):
        if i == which:
            d["size"] += delta
    return fix


def main():
    reg = Registry(sys.argv[1])
    base = layer(base_entries() + [entry("etc/os", data=b"base\n")])
    top = layer([entry("top", data=b"top\n")])
    reg.manifest("good", [base, top])
    reg.manifest("goodtar", [base, top], media_type=MT_TAR)
    reg.manifest("cfghuge", [base], cfg_fix=lambda d: d.update(size=1 << 62))
    reg.manifest("cfgshort", [base], cfg_fix=lambda d: d.update(size=d["size"] - 1))
    reg.manifest("cfglong", [base], cfg_fix=lambda d: d.update(size=d["size"] + 100))
    reg.manifest("layershort", [base, top], layer_fix=fix_size(1, -1))
    reg.manifest("layerlong", [base, top], layer_fix=fix_size(1, 100))
    inner = reg.index("inner", [reg.manifest("innergood", [base])])
    reg.index("nested", [inner])
    one = reg.manifest("one", [base])
    other = reg.manifest("other", [base, top])
    swapped = reg.index("swapped", [one])
    # the registry answers the index's digest with another manifest
    with open(os.path.join(reg.d, "manifests", other["digest"]), "rb") as f:
        body = f.read()
    with open(os.path.join(reg.d, "manifests", one["digest"]), "wb") as f:
        f.write(body)
    del swapped
    reg.manifest("twice", [base, base, top])
    reg.manifest("foreign", [base], media_type="application/vnd.example.layer.v1+x")
    reg.manifest("bomb", [layer([entry("zeros", data=bytes(64 << 20))])])
    reg.manifest("three", [layer([entry("f%d" % i, data=os.urandom(2 << 20))])
                           for i in range(3)])
    reg.manifest("tailbad", [layer(base_entries() + [entry("../escape", data=b"x"),
                                                      entry("noise", data=os.urandom(1 << 20))])],
                 blob_fix=lambda b: b + bytes(256 << 10))


if __name__ == "__main__":
    main()
