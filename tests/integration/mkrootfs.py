#!/usr/bin/env python3
"""Image archives for the container-root tests (rootfs_overlay.bats).

    mkrootfs.py stack OUT        three layers: overrides, a whiteout, an opaque
                                 directory, setuid and setgid files
    mkrootfs.py tall N OUT       N layers, each adding f/I and rewriting "shared"
    mkrootfs.py nolayers OUT     an image with no layer at all

Built with mkarchive.py's helpers (Python's tarfile only). The stack's
bin/id is the host's /usr/bin/id with mode 4755: run as another user, it
says whether setuid works in the mount.
"""
import os
import sys

# no __pycache__ left in the checkout
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkarchive import docker_archive, entry, layer  # noqa: E402


def stack():
    with open("/usr/bin/id", "rb") as f:
        id_binary = f.read()
    bottom = layer([entry("etc", "dir"), entry("etc/hostname", data=b"bottom\n"),
                    entry("etc/gone", data=b"gone\n"),
                    entry("opaque", "dir"), entry("opaque/hidden", data=b"hidden\n"),
                    entry("bin", "dir"),
                    entry("bin/id", data=id_binary, mode=0o4755),
                    entry("bin/sg", data=b"sg\n", mode=0o2711, uid=12, gid=34),
                    entry("only-bottom", data=b"1\n"), entry("shared", data=b"bottom\n")])
    middle = layer([entry("etc", "dir"), entry("etc/.wh.gone"),
                    entry("opaque", "dir"), entry("opaque/.wh..wh..opq"),
                    entry("opaque/new", data=b"new\n"),
                    entry("only-middle", data=b"2\n"), entry("shared", data=b"middle\n")])
    top = layer([entry("only-top", data=b"3\n"), entry("shared", data=b"top\n"),
                 entry("etc", "dir"), entry("etc/hostname", data=b"top\n")])
    return docker_archive([bottom, middle, top], tags=("scute-test/stack:1",))


def tall(n):
    layers = []
    for i in range(n):
        layers.append(layer([entry("f", "dir"), entry("f/%d" % i, data=b"%d\n" % i),
                             entry("shared", data=b"%d\n" % i)]))
    return docker_archive(layers, tags=("scute-test/tall:%d" % n,))


def nolayers():
    return docker_archive([], tags=("scute-test/empty:1",))


def main():
    if sys.argv[1:2] == ["tall"] and len(sys.argv) == 4:
        data, out = tall(int(sys.argv[2])), sys.argv[3]
    elif sys.argv[1:2] in (["stack"], ["nolayers"]) and len(sys.argv) == 3:
        data, out = globals()[sys.argv[1]](), sys.argv[2]
    else:
        sys.exit("usage: mkrootfs.py stack OUT | tall N OUT | nolayers OUT")
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
