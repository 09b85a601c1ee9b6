#!/usr/bin/env bats
# scute's pull and push with dockerd 20.10 (docker.io) on the other side,
# through one docker-registry on 127.0.0.1: what docker pushes scute pulls
# as the same image, and what scute pushes docker pulls as the same image.
# dockerd runs under a temporary root with no bridge and no iptables, and
# is stopped with everything it left (engines.bash).

load engines
load images
load registry

setup_file() {
	command -v dockerd >/dev/null || skip "dockerd (docker.io) is not installed"
	export ENGINE_DIR DOCKER_HOST REG_DIR PLAIN_PORT
	ENGINE_DIR=$(mktemp -d /tmp/scute-docker-img.XXXXXX)
	REG_DIR=$ENGINE_DIR/registry
	mkdir -p "$REG_DIR"
	DOCKER_HOST=unix://$ENGINE_DIR/docker.sock
	remember_cgroup_parent docker
	remember_absent /run/containerd
	dockerd --data-root "$ENGINE_DIR/data" --exec-root "$ENGINE_DIR/exec" \
		--pidfile "$ENGINE_DIR/docker.pid" -H "$DOCKER_HOST" --bridge none \
		--iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
		--storage-driver overlay2 >"$ENGINE_DIR/dockerd.log" 2>&1 &
	PLAIN_PORT=$(free_port)
	start_docker_registry plain "$PLAIN_PORT"
	wait_http "http://127.0.0.1:$PLAIN_PORT/v2/"
	wait_for docker version
}

teardown_file() {
	[ -n "${ENGINE_DIR:-}" ] || return 0
	stop_daemon "$ENGINE_DIR/docker.pid"
	stop_registries
	engine_cleanup
}

# docker_archive BASE.tar OUT.tar NAME: a two-layer docker archive of the
# rootfs tarball BASE and a layer adding /etc/motd (made by Python, not by
# scute).
docker_archive() {
	python3 - "$1" "$2" "$3" <<'EOF'
import hashlib, io, json, sys, tarfile
base = open(sys.argv[1], "rb").read()
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    ti = tarfile.TarInfo("etc/motd"); data = b"two\n"; ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
layers = [base, b.getvalue()]
ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
                  "config": {"Cmd": ["/bin/cat", "/etc/motd"]},
                  "rootfs": {"type": "layers", "diff_ids": ids},
                  "history": [{"created_by": "a"}, {"created_by": "b"}]}).encode()
with tarfile.open(sys.argv[2], "w") as out:
    def add(n, d):
        ti = tarfile.TarInfo(n); ti.size = len(d); out.addfile(ti, io.BytesIO(d))
    names = ["%064x/layer.tar" % (i + 1) for i in range(2)]
    for n, l in zip(names, layers):
        add(n, l)
    c = hashlib.sha256(cfg).hexdigest() + ".json"
    add(c, cfg)
    add("manifest.json", json.dumps([{"Config": c, "RepoTags": [sys.argv[3]], "Layers": names}]).encode())
EOF
}

busybox_archive() {
	busybox_rootfs
	docker_archive "$TEST_DIR/rootfs.tar" "$TEST_DIR/bb.tar" "$1"
}

@test "docker push, scute pull: the same image ID and layers" {
	ref=127.0.0.1:$PLAIN_PORT/from-docker/bb:1
	busybox_archive "$ref"
	docker load -i "$TEST_DIR/bb.tar" >/dev/null
	docker push -q "$ref" >/dev/null
	run sc pull "$ref"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sc image inspect "$ref" | jq -r '.[0].Id')" = "$(docker image inspect "$ref" | jq -r '.[0].Id')" ]
	[ "$(sc image inspect "$ref" | jq -c '.[0].RootFS.Layers')" = "$(docker image inspect "$ref" | jq -c '.[0].RootFS.Layers')" ]
	[ "$(cat "$(top_layer_dir "$(docker image inspect "$ref" | jq -r '.[0].Id')")/etc/motd")" = two ]
	docker rmi -f "$ref" >/dev/null
}

@test "scute push, docker pull: the same image ID, and docker runs it" {
	ref=127.0.0.1:$PLAIN_PORT/from-scute/bb:2
	busybox_archive "$ref"
	sc load -i "$TEST_DIR/bb.tar"
	run sc push "$ref"
	echo "$output"
	[ "$status" -eq 0 ]
	digest=$output
	run docker pull "$ref"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$digest"* ]]
	[ "$(docker image inspect "$ref" | jq -r '.[0].Id')" = "$(sc image inspect "$ref" | jq -r '.[0].Id')" ]
	run docker run --rm --network none "$ref"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = two ]
	docker rmi -f "$ref" >/dev/null
}

@test "a real Debian image (mmdebstrap) and a layer above it: scute load, push; docker pulls and runs it; scute pulls it back" {
	ref=127.0.0.1:$PLAIN_PORT/from-scute/debian:1
	# SCUTE_TEST_CACHE (set by .ci/run) keeps the rootfs for the next pass
	cache=${SCUTE_TEST_CACHE:-}
	if [ -n "$cache" ] && [ -s "$cache/debian-minbase.tar" ]; then
		cp "$cache/debian-minbase.tar" "$TEST_DIR/debian.tar"
	else
		mmdebstrap --quiet --variant=minbase bookworm "$TEST_DIR/debian.tar" >/dev/null 2>&1 ||
			skip "mmdebstrap could not reach Debian's mirror"
		[ -z "$cache" ] || { mkdir -p "$cache" && cp "$TEST_DIR/debian.tar" "$cache/debian-minbase.tar"; }
	fi
	docker_archive "$TEST_DIR/debian.tar" "$TEST_DIR/deb.tar" "$ref"
	sc load -i "$TEST_DIR/deb.tar"
	run sc push "$ref"
	echo "$output"
	[ "$status" -eq 0 ]
	docker pull -q "$ref" >/dev/null
	[ "$(docker image inspect "$ref" | jq -r '.[0].Id')" = "$(sc image inspect "$ref" | jq -r '.[0].Id')" ]
	run docker run --rm --network none "$ref" /bin/sh -c 'cat /etc/debian_version /etc/motd'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == 12.*two ]]
	rm -rf "$STORE"
	run sc pull "$ref"
	[ "$status" -eq 0 ]
	base=$(db "SELECT substr(chain_id, 8) FROM layers WHERE parent IS NULL")
	[ -x "$STORE/layers/$base/usr/bin/dpkg" ]
	docker rmi -f "$ref" >/dev/null
}
