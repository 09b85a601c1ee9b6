#!/usr/bin/env bats
# Issue 13 item 2: scute save (a docker-save archive that podman load,
# dockerd 20.10's docker load and scute load take back, the same image)
# and scute import (a root filesystem tarball as a new image, docker's
# --change instructions in its config). Failures leave nothing: no
# archive, no store rows or files.

load images

# podman under a second root of the test's (images.bash's pm, elsewhere),
# so that what it loads is only what scute saved
pm2() {
	TEST_DIR=$TEST_DIR/second pm "$@"
}

# A busybox image in the store: localhost/busy:1, its ID in $ID.
import_busybox() {
	busybox_rootfs
	ID=$(sc import -c 'CMD ["sh"]' -c 'ENV A=1' "$TEST_DIR/rootfs.tar" localhost/busy:1)
}

# The diff_ids of image $1 in the store.
diff_ids() {
	sc image inspect "$1" | jq -c '.[0].RootFS.Layers'
}

members() {
	tar -tf "$1" | sort
}

@test "save: podman load takes the archive, with the same image ID, tag and config" {
	import_busybox
	sc save -o "$TEST_DIR/out.tar" localhost/busy:1
	run pm2 load -i "$TEST_DIR/out.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Loaded image: localhost/busy:1"* ]]
	[ "sha256:$(pm2 image inspect --format '{{.Id}}' localhost/busy:1)" = "$ID" ]
	[ "$(pm2 image inspect --format '{{json .Config.Cmd}}' localhost/busy:1)" = '["sh"]' ]
}

@test "save: docker load (dockerd 20.10) takes the archive, with the same image ID" {
	command -v dockerd >/dev/null || skip "dockerd (docker.io) is not installed"
	import_busybox
	sc save -o "$TEST_DIR/out.tar" localhost/busy:1
	start_dockerd
	dk load -i "$TEST_DIR/out.tar"
	[ "$(dk image inspect --format '{{.Id}}' localhost/busy:1)" = "$ID" ]
	[ "$(dk image inspect --format '{{json .RootFS.Layers}}' localhost/busy:1)" = "$(diff_ids "$ID")" ]
}

@test "save: a loaded image (gzip layers) saved and loaded into an empty store is the same" {
	busybox_rootfs
	pm2 import "$TEST_DIR/rootfs.tar" localhost/busy:2 >/dev/null
	pm2 save -q --format oci-archive -o "$TEST_DIR/oci.tar" localhost/busy:2
	sc load -i "$TEST_DIR/oci.tar"
	id=$(db 'SELECT id FROM images')
	# the store has the layer only as gzip: save decompresses it
	[ "$(db 'SELECT media_type FROM layer_blobs')" = application/vnd.oci.image.layer.v1.tar+gzip ]
	sc save localhost/busy:2 >"$TEST_DIR/out.tar"
	layers=$(diff_ids "$id")
	# every layer member is the uncompressed tar its diff_id names
	for l in $(tar -xOf "$TEST_DIR/out.tar" manifest.json | jq -r '.[0].Layers[]'); do
		[ "sha256:$(tar -xOf "$TEST_DIR/out.tar" "$l" | sha256sum | cut -d' ' -f1)" = "sha256:${l%/layer.tar}" ]
	done
	STORE=$TEST_DIR/store2
	run sc load -i "$TEST_DIR/out.tar"
	echo "$output"
	[ "$output" = "Loaded image: localhost/busy:2" ]
	[ "$(db 'SELECT id FROM images')" = "$id" ]
	[ "$(diff_ids "$id")" = "$layers" ]
}

@test "save: two images sharing a layer, the layer written once; by ID no RepoTags" {
	import_busybox
	other=$(sc import -c 'CMD ["ls"]' "$TEST_DIR/rootfs.tar" localhost/other:1)
	[ "$other" != "$ID" ]
	sc save -o "$TEST_DIR/out.tar" localhost/busy:1 "$other" localhost/busy:1
	[ "$(members "$TEST_DIR/out.tar" | grep -c 'layer.tar$')" = 1 ]
	manifest=$(tar -xOf "$TEST_DIR/out.tar" manifest.json)
	echo "$manifest"
	[ "$(jq length <<<"$manifest")" = 2 ]
	[ "$(jq -c '.[0].RepoTags' <<<"$manifest")" = '["localhost/busy:1"]' ]
	[ "$(jq -c '.[1].RepoTags' <<<"$manifest")" = null ]
	[ "$(jq -r '.[0].Layers[0]' <<<"$manifest")" = "$(jq -r '.[1].Layers[0]' <<<"$manifest")" ]
	[ "$(jq -r '.[1].Config' <<<"$manifest")" = "${other#sha256:}.json" ]
	# the archive's config is the image's config blob, byte for byte
	cmp <(tar -xOf "$TEST_DIR/out.tar" "${ID#sha256:}.json") "$STORE/blobs/sha256/${ID#sha256:}"
}

@test "save: a repository without a tag is every tag it has, as docker" {
	import_busybox
	sc tag localhost/busy:1 localhost/busy:2
	other=$(sc import "$TEST_DIR/rootfs.tar" localhost/busy:3)
	sc import "$TEST_DIR/rootfs.tar" localhost/busybox:1 >/dev/null
	sc save -o "$TEST_DIR/out.tar" localhost/busy
	manifest=$(tar -xOf "$TEST_DIR/out.tar" manifest.json)
	echo "$manifest"
	[ "$(jq -c '[.[] | {Config, RepoTags}]' <<<"$manifest")" = "[{\"Config\":\"${ID#sha256:}.json\",\"RepoTags\":[\"localhost/busy:1\",\"localhost/busy:2\"]},{\"Config\":\"${other#sha256:}.json\",\"RepoTags\":[\"localhost/busy:3\"]}]" ]
	[ "$(tar -xOf "$TEST_DIR/out.tar" repositories | jq -c '.["localhost/busy"] | keys')" = '["1","2","3"]' ]
}

@test "save: a failed save leaves no file, and an existing one as it was" {
	import_busybox
	run sc save -o "$TEST_DIR/out.tar" localhost/busy:1 nosuch:1
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"No such image: nosuch:1"* ]]
	[ "$(ls -A "$TEST_DIR" | grep -c out.tar)" = 0 ]
	run sc save -o "$TEST_DIR/missing/out.tar" localhost/busy:1
	[ "$status" -eq 125 ]
	[[ "$output" == *"$TEST_DIR/missing/out.tar"* ]]
	[ ! -e "$TEST_DIR/missing" ]
	# the attack: the layer's blob changed in the store; save notices
	# while writing, and the old archive stays
	echo old >"$TEST_DIR/out.tar"
	blob=$(db 'SELECT blob FROM layer_blobs')
	f=$STORE/blobs/sha256/${blob#sha256:}
	chmod u+w "$f"
	printf 'X' | dd of="$f" bs=1 seek=600 conv=notrunc status=none
	run sc save -o "$TEST_DIR/out.tar" localhost/busy:1
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"not the layer"* ]]
	[ "$(cat "$TEST_DIR/out.tar")" = old ]
	[ "$(ls -A "$TEST_DIR" | grep out.tar)" = out.tar ]
}

@test "save: refuses a terminal, and needs an image" {
	import_busybox
	command -v script >/dev/null || skip "no script(1)"
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json save localhost/busy:1" /dev/null
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"cowardly refusing to save to a terminal"* ]]
	run sc save
	[ "$status" -eq 125 ]
}

@test "import: every --change kind lands in the config, the ID printed" {
	busybox_rootfs
	run sc import -c 'CMD echo hi' -c 'entrypoint ["/bin/sh", "-c"]' -c 'ENV A=1 B="x y"' \
		-c 'ENV C 3' -c 'WORKDIR /srv' -c 'WORKDIR app/../data' -c 'USER 1000:1000' \
		-c 'EXPOSE 80 53/udp 9000-9001/tcp' -c 'LABEL org.x="a b" k=v' \
		-m 'from a test' "$TEST_DIR/rootfs.tar" test/imported:1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
	[ "$(db 'SELECT id FROM images')" = "$output" ]
	config=$(sc image inspect test/imported:1 | jq -c '.[0].Config')
	echo "$config"
	[ "$(jq -c .Cmd <<<"$config")" = '["/bin/sh","-c","echo hi"]' ]
	[ "$(jq -c .Entrypoint <<<"$config")" = '["/bin/sh","-c"]' ]
	[ "$(jq -c .Env <<<"$config")" = '["A=1","B=x y","C=3"]' ]
	[ "$(jq -r .WorkingDir <<<"$config")" = /srv/data ]
	[ "$(jq -r .User <<<"$config")" = 1000:1000 ]
	[ "$(jq -c '.ExposedPorts | keys' <<<"$config")" = '["53/udp","80/tcp","9000/tcp","9001/tcp"]' ]
	[ "$(jq -c .Labels <<<"$config")" = '{"org.x":"a b","k":"v"}' ]
	[ "$(sc image inspect test/imported:1 | jq -r '.[0].Comment')" = 'from a test' ]
	[ "$(jq -r '.history[0].comment' "$STORE/blobs/sha256/${output#sha256:}")" = 'from a test' ]
	[ "$(sc image inspect test/imported:1 | jq -r '.[0].Os + "/" + .[0].Architecture')" = "linux/$(dpkg --print-architecture)" ]
	dir=$(top_layer_dir "$output")
	cmp "$dir/bin/busybox" /bin/busybox
}

@test "import: a gzip tarball from stdin, no tag, the history says where it came from" {
	busybox_rootfs
	id=$(gzip -c "$TEST_DIR/rootfs.tar" | sc import -)
	[ "$(db 'SELECT id FROM images')" = "$id" ]
	[ "$(db 'SELECT count(*) FROM tags')" = 0 ]
	[ "$(db 'SELECT media_type FROM layer_blobs')" = application/vnd.oci.image.layer.v1.tar+gzip ]
	cfg=$STORE/blobs/sha256/${id#sha256:}
	[ "$(jq -r '.history[0].comment' "$cfg")" = "Imported from -" ]
	[ "$(jq -r '.history[0].created_by' "$cfg")" = "" ]
	[ "$(jq -r '.rootfs.diff_ids[0]' "$cfg")" = "sha256:$(sha256sum <"$TEST_DIR/rootfs.tar" | cut -d' ' -f1)" ]
	# and it saves, the layer decompressed for the archive
	sc save "$id" | tar -t | grep -q layer.tar
}

@test "import: --platform sets the config's platform; a bad one is refused" {
	busybox_rootfs
	id=$(sc import --platform linux/arm64/v8 "$TEST_DIR/rootfs.tar")
	cfg=$STORE/blobs/sha256/${id#sha256:}
	[ "$(jq -r '.os + "/" + .architecture + "/" + .variant' "$cfg")" = linux/arm64/v8 ]
	run sc import --platform linux "$TEST_DIR/rootfs.tar"
	[ "$status" -eq 125 ]
	[[ "$output" == *'platform "linux": not OS/ARCH'* ]]
}

# expect_import_error PATTERN ARGS...: import fails with 125, says
# PATTERN, and the store is left empty.
expect_import_error() {
	local pattern=$1
	shift
	run sc import "$@"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"$pattern"* ]]
	assert_store_empty
}

@test "import: bad --change, tags and tarballs exit 125, naming them, and leave nothing" {
	busybox_rootfs
	t=$TEST_DIR/rootfs.tar
	expect_import_error 'change "RUN rm -rf /": unknown instruction: RUN' -c 'RUN rm -rf /' "$t"
	expect_import_error 'change "EXPOSE 70000": "70000": port 70000 is out of range' -c 'EXPOSE 70000' "$t"
	expect_import_error 'protocol "icmp" is not tcp, udp or sctp' -c 'EXPOSE 80/icmp' "$t"
	expect_import_error 'change "WORKDIR": no directory given' -c 'WORKDIR' "$t"
	expect_import_error 'change "ENV A": "A" has no value' -c 'ENV A' "$t"
	expect_import_error 'invalid image reference "Bad:Tag"' "$t" Bad:Tag
	echo 'not a tar' >"$TEST_DIR/junk"
	expect_import_error 'tar:' "$TEST_DIR/junk"
	expect_import_error "open $TEST_DIR/none" "$TEST_DIR/none"
	xz -c "$t" >"$TEST_DIR/rootfs.tar.xz"
	expect_import_error 'decompress: xz compression (layers are plain tar, gzip or zstd)' "$TEST_DIR/rootfs.tar.xz"
}

@test "import: a hostile tarball (a .. path, a file through a symlink) is refused, nothing left" {
	python3 - "$TEST_DIR" "$VICTIM" <<'PY'
import io, sys, tarfile
d, victim = sys.argv[1], sys.argv[2]
def tarball(name, members):
    with tarfile.open(f"{d}/{name}", "w") as t:
        for m, data, link in members:
            i = tarfile.TarInfo(m)
            if link:
                i.type, i.linkname = tarfile.SYMTYPE, link
            else:
                i.size = len(data)
            t.addfile(i, io.BytesIO(data) if not link else None)
tarball("dotdot.tar", [("etc/hostname", b"x", None), ("../../../../../.." + victim + "/pwned", b"pwned", None)])
tarball("through.tar", [("lnk", b"", victim), ("lnk/pwned", b"pwned", None)])
PY
	expect_import_error '".." in the path' "$TEST_DIR/dotdot.tar" evil:1
	expect_import_error '"lnk" is a symlink' "$TEST_DIR/through.tar" evil:1
	[ ! -e "$VICTIM/pwned" ]
}

# dockerd 20.10 of the test's own: its roots and socket in the test's
# directory, no bridge, no iptables; stopped (it and its containerd, by
# their pids) at teardown.
start_dockerd() {
	local d=$TEST_DIR/dockerd
	mkdir -p "$d"
	DOCKER_SOCK=unix://$d/docker.sock
	[ -e /run/docker ] && had_run_docker=1 || had_run_docker=
	dockerd --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/docker.pid" \
		-H "$DOCKER_SOCK" --bridge none --iptables=false --ip6tables=false --ip-masq=false \
		--userland-proxy=false --storage-driver vfs >"$d/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	on_teardown "stop_dockerd $DOCKERD_PID $d"
	# dockerd makes /run/docker/plugins whatever its roots; removed once it
	# is stopped, if it was not there before and no other dockerd runs
	[ -n "$had_run_docker" ] ||
		on_teardown "pgrep -x dockerd >/dev/null || rmdir /run/docker/plugins /run/docker"
	for _ in $(seq 300); do
		dk version >/dev/null 2>&1 && return 0
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$d/dockerd.log"
	return 1
}

dk() {
	docker -H "$DOCKER_SOCK" "$@"
}

# stop_dockerd PID DIR: TERM, then KILL; its containerd likewise.
stop_dockerd() {
	local cpid
	cpid=$(cat "$2/exec/containerd/containerd.pid" 2>/dev/null || true)
	kill "$1" 2>/dev/null || true
	for _ in $(seq 200); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null || true
	if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
		kill -9 "$cpid" 2>/dev/null || true
	fi
	wait "$1" 2>/dev/null || true
}
