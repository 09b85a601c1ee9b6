#!/bin/sh
# mkimage.sh ARCHIVE [PROBE]: the busybox rootfs of mkbundle.sh as a
# single-layer image archive that "docker load", "podman load" and
# "ctr images import" all take (an OCI image layout with Docker's
# manifest.json beside it), named busybox:scute.
set -eu
out=$(realpath "$1")
probe=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$(dirname "$0")/mkbundle.sh" "$tmp/bundle" $probe >/dev/null
mkdir -p "$tmp/img/blobs/sha256"
blob() { # FILE -> its digest; stored under blobs/sha256
	d=$(sha256sum "$1" | cut -d' ' -f1)
	mv "$1" "$tmp/img/blobs/sha256/$d"
	echo "$d"
}
tar -C "$tmp/bundle/rootfs" --numeric-owner --owner=0 --group=0 --sort=name \
	--mtime=@0 -cf "$tmp/layer.tar" .
layer_size=$(stat -c %s "$tmp/layer.tar")
layer=$(blob "$tmp/layer.tar")
cat >"$tmp/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer"]}}
JSON
config_size=$(stat -c %s "$tmp/config.json")
config=$(blob "$tmp/config.json")
cat >"$tmp/manifest" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$config_size},
 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:$layer","size":$layer_size}]}
JSON
manifest_size=$(stat -c %s "$tmp/manifest")
manifest=$(blob "$tmp/manifest")
cat >"$tmp/img/index.json" <<JSON
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "digest":"sha256:$manifest","size":$manifest_size,
 "platform":{"architecture":"amd64","os":"linux"},
 "annotations":{"io.containerd.image.name":"docker.io/library/busybox:scute",
                "org.opencontainers.image.ref.name":"scute"}}]}
JSON
echo '{"imageLayoutVersion":"1.0.0"}' >"$tmp/img/oci-layout"
cat >"$tmp/img/manifest.json" <<JSON
[{"Config":"blobs/sha256/$config","RepoTags":["busybox:scute"],"Layers":["blobs/sha256/$layer"]}]
JSON
tar -C "$tmp/img" -cf "$out" .
