#!/usr/bin/env python3
"""A docker-save archive of a small image described by a JSON spec, for
the listing tests (images_list.bats):

    mkimage.py OUT SPEC

SPEC: {"tags": ["a/b:1", ...], "created": RFC3339, "labels": {...},
       "layers": [N, ...]        bytes of one file in each layer,
       "history": [{"created_by": ..., "comment": ..., "empty_layer": true}],
       "seed": "x"}              makes otherwise equal images differ.
mkarchive.py's helpers write the archive (Python's tarfile only).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkarchive  # noqa: E402


def main():
    out, spec = sys.argv[1], json.loads(sys.argv[2])
    seed = spec.get("seed", "").encode()
    layers = [mkarchive.layer([mkarchive.entry("f%d" % i, data=(seed + b"x" * n)[:n])])
              for i, n in enumerate(spec.get("layers", [10]))]
    diff = ["sha256:" + mkarchive.sha(l) for l in layers]
    created = spec.get("created", "2024-01-02T03:04:05Z")
    extra = {"created": created}
    if "labels" in spec:
        extra["config"] = {"Cmd": ["/bin/sh"], "Labels": spec["labels"]}
    if "history" in spec:
        extra["history"] = [dict(h, created=h.get("created", created)) for h in spec["history"]]
    cfg = mkarchive.config(diff, extra)
    with open(out, "wb") as f:
        f.write(mkarchive.docker_archive(layers, tags=spec.get("tags", []), cfg=cfg))


if __name__ == "__main__":
    main()
