#!/usr/bin/env python3
"""Image archives for the tests, well-formed and hostile.

    mkarchive.py CASE OUT [VICTIM]

writes the archive CASE (see CASES) to OUT. VICTIM is a path outside any
store that a hostile case tries to reach; the test checks it is untouched.
Archives are docker save's layout (HEX.json config, ID/layer.tar,
manifest.json) unless the case says otherwise. Python's tarfile only:
the tests must not depend on the code under test to make their input.
"""
import gzip
import hashlib
import io
import json
import struct
import subprocess
import sys
import tarfile
import zlib


def sha(b):
    return hashlib.sha256(b).hexdigest()


def entry(name, kind="file", data=b"", link="", mode=None, uid=0, gid=0,
          pax=None, dev=(0, 0)):
    return dict(name=name, kind=kind, data=data, link=link, mode=mode,
                uid=uid, gid=gid, pax=pax or {}, dev=dev)


TYPES = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE,
         "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
         "char": tarfile.CHRTYPE, "block": tarfile.BLKTYPE,
         "fifo": tarfile.FIFOTYPE}


def layer(entries, fmt=tarfile.PAX_FORMAT):
    """An uncompressed layer tar of the entries."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt,
                      encoding="utf-8", errors="surrogateescape") as t:
        for e in entries:
            ti = tarfile.TarInfo(e["name"])
            ti.type = TYPES[e["kind"]]
            ti.uid, ti.gid = e["uid"], e["gid"]
            ti.mtime = 1700000000
            dflt = 0o755 if e["kind"] == "dir" else 0o644
            ti.mode = e["mode"] if e["mode"] is not None else dflt
            ti.linkname = e["link"]
            ti.devmajor, ti.devminor = e["dev"]
            ti.pax_headers = e["pax"]
            data = e["data"] if e["kind"] == "file" else b""
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data) if data else None)
    return buf.getvalue()


def config(diff_ids, extra=None):
    c = {"architecture": "amd64", "os": "linux",
         "created": "2024-01-02T03:04:05Z",
         "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/bin"]},
         "rootfs": {"type": "layers", "diff_ids": diff_ids},
         "history": [{"created": "2024-01-02T03:04:05Z",
                      "created_by": "layer %d" % i} for i in range(len(diff_ids))]}
    c.update(extra or {})
    return json.dumps(c).encode()


def add(t, name, data, kind="file", link=""):
    ti = tarfile.TarInfo(name)
    ti.mtime = 1700000000
    if kind == "symlink":
        ti.type, ti.linkname = tarfile.SYMTYPE, link
        t.addfile(ti)
        return
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))


def docker_archive(layers, tags=("scute-test/hostile:1",), cfg=None,
                   config_name=None, diff_ids=None, manifest=None,
                   compress=None):
    """docker save's legacy layout. layers: uncompressed tars (or already
    compressed bytes with compress naming how, for the layer member)."""
    diff = diff_ids or ["sha256:" + sha(l) for l in layers]
    blobs = [gzip.compress(l, mtime=0) if compress == "gzip" else l
             for l in layers]
    cfgb = cfg if cfg is not None else config(diff)
    cname = config_name or sha(cfgb) + ".json"
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as t:
        names = []
        for i, b in enumerate(blobs):
            d = "%064x" % (i + 1)
            add(t, d + "/layer.tar", b)
            names.append(d + "/layer.tar")
        add(t, cname, cfgb)
        m = manifest if manifest is not None else [
            {"Config": cname, "RepoTags": list(tags), "Layers": names}]
        add(t, "manifest.json", json.dumps(m).encode())
    return out.getvalue()


def base_entries():
    return [entry("etc", "dir"), entry("etc/hostname", data=b"scute\n")]


def one_layer(entries, **kw):
    return docker_archive([layer(base_entries() + entries)], **kw)


def case_good(victim):
    return docker_archive([layer(base_entries()),
                           layer([entry("etc/motd", data=b"two\n")])])


def case_dotdot(victim):
    return one_layer([entry("../../../../../.." + victim, data=b"pwned")])


def case_absolute(victim):
    return one_layer([entry(victim, data=b"pwned")])


def case_symlink_through(victim):
    # a symlink out of the layer, then a file written "through" it
    return one_layer([entry("lnk", "symlink", link=victim),
                      entry("lnk/pwned", data=b"pwned")])


def case_symlink_relative(victim):
    return one_layer([entry("up", "symlink", link="../../../../../../../.."),
                      entry("up" + victim + "/pwned", data=b"pwned")])


def case_hardlink_out(victim):
    return one_layer([entry("h", "hardlink", link="../../../../../.." + victim)])


def case_hardlink_abs(victim):
    return one_layer([entry("h", "hardlink", link=victim + "/file")])


def case_hardlink_via_symlink(victim):
    # a hard link to a file outside, reached through the layer's own symlink
    return one_layer([entry("s", "symlink", link=victim),
                      entry("h", "hardlink", link="s/file")])


def case_dir_then_symlink(victim):
    # a directory replaced by a symlink, then a file below it
    return one_layer([entry("d", "dir"), entry("d", "symlink", link=victim),
                      entry("d/pwned", data=b"pwned")])


def case_devices(victim):
    return one_layer([entry("dev", "dir"),
                      entry("dev/sda", "block", dev=(8, 0)),
                      entry("dev/mem", "char", dev=(1, 1)),
                      entry("etc/after-devices", data=b"ok\n")])


def case_whiteouts(victim):
    lower = layer(base_entries() + [entry("etc/gone", data=b"x"),
                                    entry("opaque", "dir"),
                                    entry("opaque/hidden", data=b"x")])
    upper = layer([entry("etc/.wh.gone"), entry("opaque", "dir"),
                   entry("opaque/.wh..wh..opq"),
                   entry("opaque/new", data=b"new\n")])
    return docker_archive([lower, upper])


def case_xattrs_modes(victim):
    cap = bytes.fromhex("0100000200200000000000000000000000000000")  # cap_net_bind_service
    pax = {"SCHILY.xattr.user.keep": "yes",
           "SCHILY.xattr.trusted.overlay.redirect": "/etc",
           "SCHILY.xattr.trusted.overlay.metacopy": "",
           "SCHILY.xattr.security.selinux": "system_u:object_r:shadow_t:s0",
           "SCHILY.xattr.security.capability": cap.decode("latin-1")}
    return one_layer([entry("bin", "dir"),
                      entry("bin/tool", data=b"#!/bin/sh\n", mode=0o4755,
                            uid=0, gid=0, pax=pax),
                      entry("bin/sgid", data=b"x", mode=0o2711, uid=12, gid=34)])


def case_diff_id_mismatch(victim):
    l = layer(base_entries())
    return docker_archive([l], diff_ids=["sha256:" + "0" * 64])


def case_config_digest_mismatch(victim):
    return docker_archive([layer(base_entries())], config_name="f" * 64 + ".json")


def case_truncated(victim):
    a = docker_archive([layer(base_entries() + [entry("big", data=b"x" * 300000)])])
    return a[: len(a) // 2]


def case_many_layers(victim):
    l = layer(base_entries())
    n = 3000
    names = ["%064x/layer.tar" % 1] * n
    cfgb = config(["sha256:" + sha(l)] * n)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as t:
        add(t, "%064x/layer.tar" % 1, l)
        add(t, sha(cfgb) + ".json", cfgb)
        add(t, "manifest.json", json.dumps(
            [{"Config": sha(cfgb) + ".json", "RepoTags": ["x:1"], "Layers": names}]).encode())
    return out.getvalue()


def case_huge_config(victim):
    l = layer(base_entries())
    cfgb = config(["sha256:" + sha(l)], {"pad": "x" * (9 << 20)})
    return docker_archive([l], cfg=cfgb)


def case_bomb(victim):
    # 64 MiB of file data that gzips to about 64 KiB
    return one_layer([entry("zeros", data=bytes(64 << 20))], compress="gzip")


def case_bad_crc(victim):
    # the data is the layer's (its diff_id matches), gzip's CRC-32 is not
    l = layer(base_entries() + [entry("etc/motd", data=b"crc\n" * 1000)])
    gz = bytearray(gzip.compress(l, mtime=0))
    gz[-8] ^= 0xff
    return docker_archive([bytes(gz)], diff_ids=["sha256:" + sha(l)], compress="raw")


def case_gzip_members(victim):
    # one layer as two concatenated gzip members (as pigz or cat makes)
    l = layer(base_entries() + [entry("etc/motd", data=b"two members\n" * 1000)])
    half = len(l) // 2
    gz = gzip.compress(l[:half], mtime=0) + gzip.compress(l[half:], mtime=0)
    return docker_archive([gz], diff_ids=["sha256:" + sha(l)], compress="raw")


def gzip_fields(data, extra=b"", name=b"", comment=b"", hcrc=False):
    """A gzip member of data whose header has the optional fields given
    (FHCRC over them when hcrc), which Python's gzip never writes."""
    flags = ((4 if extra else 0) | (8 if name else 0) | (16 if comment else 0)
             | (2 if hcrc else 0))
    h = bytearray(b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0\0\x03")
    if extra:
        h += struct.pack("<H", len(extra)) + extra
    if name:
        h += name + b"\0"
    if comment:
        h += comment + b"\0"
    if hcrc:
        h += struct.pack("<H", zlib.crc32(bytes(h)) & 0xffff)
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    return bytes(h) + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xffffffff)


def case_gzip_long_header(victim):
    # a header longer than load's 64 KiB first read (an extra field of its
    # most, 65535 bytes), every optional field and FHCRC; a second member
    # with FHCRC only
    l = layer(base_entries() + [entry("etc/motd", data=b"fields\n" * 1000)])
    gz = (gzip_fields(l[:4096], extra=bytes(range(256)) * 255 + b"x" * 255,
                      name=b"layer.tar", comment=b"a comment", hcrc=True)
          + gzip_fields(l[4096:], hcrc=True))
    return docker_archive([gz], diff_ids=["sha256:" + sha(l)], compress="raw")


def noise(n):
    """n bytes that do not compress (a fixed seed: the same archive each run)."""
    out, block = [], hashlib.sha256(b"noise").digest()
    while len(out) * 32 < n:
        block = hashlib.sha256(block).digest()
        out.append(block)
    return b"".join(out)[:n]


def case_gzip_tar_error_full_ring(victim):
    # the tar side fails on a member early in the layer while the
    # decompressing thread waits for room, 32 MiB of layer still to come
    l = layer(base_entries() + [entry("../../../../../.." + victim + "/pwned", data=b"x"),
                                entry("zeros", data=bytes(32 << 20))])
    return docker_archive([l], compress="gzip")


def case_gzip_cut_mid_file(victim):
    # the gzip stream ends in the middle of a file's data: the tar side
    # waits for more while the decompressing thread fails
    l = layer(base_entries() + [entry("noise", data=noise(4 << 20))])
    gz = gzip.compress(l, mtime=0)
    return docker_archive([gz[:len(gz) // 2]], diff_ids=["sha256:" + sha(l)], compress="raw")


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def case_zstd_cut_mid_file(victim):
    l = layer(base_entries() + [entry("noise", data=noise(4 << 20))])
    z = zstd(l)
    return oci_archive(z[:len(z) // 2], "application/vnd.oci.image.layer.v1.tar+zstd",
                       diff="sha256:" + sha(l))


def case_zstd_bomb(victim):
    l = layer(base_entries() + [entry("zeros", data=bytes(64 << 20))])
    return oci_archive(zstd(l), "application/vnd.oci.image.layer.v1.tar+zstd",
                       diff="sha256:" + sha(l))


def case_zstd_good(victim):
    l = layer(base_entries() + [entry("etc/motd", data=b"zstd\n")])
    return oci_archive(zstd(l), "application/vnd.oci.image.layer.v1.tar+zstd",
                       diff="sha256:" + sha(l))


def case_oci_gzip_diff_id_mismatch(victim):
    # the blob is its digest (its name) and gzip as its mediaType says;
    # what it decompresses to is not the config's diff_id
    l = layer(base_entries())
    return oci_archive(gzip.compress(l, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip",
                       diff="sha256:" + sha(l + bytes(1024)))


def case_noise(victim):
    # 8 MiB that do not compress, for a store too small for them
    return one_layer([entry("noise", data=noise(8 << 20))], compress="gzip")


def case_gzip_trailing_noise(victim):
    # 8 MiB after the gzip stream's end (not a gzip header: the end), which
    # the blob keeps (its digest covers them): the decompressing thread
    # writes them after the tar side has read every member
    l = layer(base_entries())
    tail = noise(8 << 20)
    assert tail[0] != 0x1f
    return docker_archive([gzip.compress(l, mtime=0) + tail], diff_ids=["sha256:" + sha(l)],
                          compress="raw")


def case_non_utf8(victim):
    return one_layer([entry("etc/bad-\udcff\udcfe-name", data=b"x")])


def case_bad_tag(victim):
    return docker_archive([layer(base_entries())], tags=["UPPER/Case:1"])


def case_deep(victim):
    # a path of 2000 directories fits in PATH_MAX; removing the half-made
    # layer would need an fd per level
    return one_layer([entry("a/" * 2000 + "f", data=b"x")])


def oci_archive(layer_blob, layer_media_type, diff=None):
    """An OCI image layout archive of one image with one layer (diff: its
    diff_id when the blob is not the uncompressed tar)."""
    diff = diff or "sha256:" + sha(layer_blob)
    cfgb = config([diff])
    man = json.dumps({"schemaVersion": 2,
                      "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:" + sha(cfgb), "size": len(cfgb)},
                      "layers": [{"mediaType": layer_media_type,
                                  "digest": "sha256:" + sha(layer_blob),
                                  "size": len(layer_blob)}]}).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json",
         "digest": "sha256:" + sha(man), "size": len(man),
         "annotations": {"io.containerd.image.name": "scute-test/oci:1"}}]}).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as t:
        add(t, "oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
        for b in (layer_blob, cfgb, man):
            add(t, "blobs/sha256/" + sha(b), b)
        add(t, "index.json", index)
    return out.getvalue()


def case_oci_good(victim):
    return oci_archive(layer(base_entries()), "application/vnd.oci.image.layer.v1.tar")


def case_oci_media_mismatch(victim):
    # the manifest says gzip, the blob is a plain tar
    return oci_archive(layer(base_entries()), "application/vnd.oci.image.layer.v1.tar+gzip")


def case_not_an_archive(victim):
    return b"this is not a tar archive\n" * 100


def multi_image(images):
    """docker save's layout with several images: each a list of layer tars
    and optionally wrong diff_ids."""
    out = io.BytesIO()
    entries, n = [], 0
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as t:
        for k, (layers, diff_ids) in enumerate(images):
            names = []
            for l in layers:
                n += 1
                add(t, "%064x/layer.tar" % n, l)
                names.append("%064x/layer.tar" % n)
            cfgb = config(diff_ids or ["sha256:" + sha(l) for l in layers])
            add(t, sha(cfgb) + ".json", cfgb)
            entries.append({"Config": sha(cfgb) + ".json",
                            "RepoTags": ["scute-test/multi%d:1" % k], "Layers": names})
        add(t, "manifest.json", json.dumps(entries).encode())
    return out.getvalue()


def case_second_image_bad(victim):
    good = [layer(base_entries())]
    bad = [layer([entry("x", data=b"x\n")])]
    return multi_image([(good, None), (bad, ["sha256:" + "0" * 64])])


def case_layers_1500(victim):
    return multi_image([([layer([entry("f%d" % (k * 500 + i), data=b"%d" % i)])
                          for i in range(500)], None) for k in range(3)])


CASES = {k[5:]: v for k, v in globals().items() if k.startswith("case_")}


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in CASES:
        sys.exit("usage: mkarchive.py CASE OUT [VICTIM]; cases: " + " ".join(sorted(CASES)))
    victim = sys.argv[3] if len(sys.argv) > 3 else "/nonexistent-victim"
    with open(sys.argv[2], "wb") as f:
        f.write(CASES[sys.argv[1]](victim))


if __name__ == "__main__":
    main()
