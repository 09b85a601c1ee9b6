#!/usr/bin/env bats
# Issue 13: scute load of archives that real tools made (podman's docker
# save and OCI archives), and the verbs over the store: image inspect,
# tag, rmi, image prune. Store consistency across kill -9 and concurrent
# loads.

load images

# podman's archives of a busybox image, in both shapes
podman_archives() {
	busybox_rootfs
	pm import "$TEST_DIR/rootfs.tar" localhost/busy:1 >/dev/null
	pm save -q --format docker-archive -o "$TEST_DIR/docker.tar" localhost/busy:1
	pm save -q --format oci-archive -o "$TEST_DIR/oci.tar" localhost/busy:1
	CONFIG_ID=sha256:$(pm inspect --format '{{.Id}}' localhost/busy:1)
}

assert_consistent() {
	[ "$(db 'PRAGMA foreign_key_check')" = "" ]
	[ "$(db 'PRAGMA integrity_check')" = ok ]
	# every layer row has its directory and every directory its row
	for d in "$STORE"/layers/*; do
		[ -e "$d" ] || continue
		[ "$(db "SELECT count(*) FROM layers WHERE chain_id = 'sha256:${d##*/}'")" = 1 ]
	done
	[ "$(db 'SELECT count(*) FROM layers')" = "$(ls "$STORE/layers" | wc -l)" ]
	[ "$(db 'SELECT count(*) FROM blobs')" = "$(ls "$STORE/blobs/sha256" | wc -l)" ]
}

@test "load: podman's docker-archive, with its name and podman's image ID" {
	podman_archives
	run sc load -i "$TEST_DIR/docker.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "Loaded image: localhost/busy:1" ]
	[ "$(db 'SELECT id FROM images')" = "$CONFIG_ID" ]
	dir=$(top_layer_dir "$CONFIG_ID")
	cmp "$dir/bin/busybox" /bin/busybox
	[ "$(readlink "$dir/bin/sh")" = busybox ]
	assert_consistent
}

@test "load: podman's OCI archive (gzip layers) from stdin, the same image" {
	podman_archives
	run sc load <"$TEST_DIR/oci.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(db 'SELECT id FROM images')" = "$CONFIG_ID" ]
	[ "$(db 'SELECT media_type FROM layer_blobs')" = application/vnd.oci.image.layer.v1.tar+gzip ]
	assert_consistent
}

@test "load: a layer shared by two loads is unpacked into place once" {
	podman_archives
	sc load -i "$TEST_DIR/docker.tar"
	sc load -i "$TEST_DIR/oci.tar"
	[ "$(ls "$STORE/layers" | wc -l)" = 1 ]
	[ "$(ls -A "$STORE/tmp")" = "" ]
	assert_consistent
}

@test "load: a compressed archive (gzip, zstd) loads" {
	archive good
	gzip -c "$TEST_DIR/good.tar" >"$TEST_DIR/good.tar.gz"
	zstd -q -c "$TEST_DIR/good.tar" >"$TEST_DIR/good.tar.zst" 2>/dev/null || skip "no zstd"
	sc load -i "$TEST_DIR/good.tar.gz"
	sc load -i "$TEST_DIR/good.tar.zst"
	[ "$(db 'SELECT count(*) FROM images')" = 1 ]
}

@test "load: errors name the input and exit 125; from a terminal stdin it refuses" {
	run sc load -i "$TEST_DIR/missing.tar"
	[ "$status" -eq 125 ]
	[[ "$output" == *"open $TEST_DIR/missing.tar: No such file"* ]]
	run sc load extra
	[ "$status" -eq 125 ]
}

@test "image inspect: docker's shape" {
	podman_archives
	sc load -i "$TEST_DIR/docker.tar"
	run sc image inspect busy:1
	[ "$status" -eq 125 ] # docker.io/library/busy:1 is not localhost/busy:1
	run sc image inspect localhost/busy:1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0].Id' <<<"$output")" = "$CONFIG_ID" ]
	[ "$(jq -r '.[0].RepoTags[0]' <<<"$output")" = localhost/busy:1 ]
	[ "$(jq -r '.[0].Os + "/" + .[0].Architecture' <<<"$output")" = linux/amd64 ]
	[ "$(jq -r '.[0].RootFS.Type' <<<"$output")" = layers ]
	[ "$(jq -r '.[0].RootFS.Layers | length' <<<"$output")" = 1 ]
	[ "$(jq -r '.[0].Size' <<<"$output")" -gt 1000000 ]
	for k in RepoDigests Created Config GraphDriver Metadata; do
		jq -e ".[0] | has(\"$k\")" <<<"$output" >/dev/null
	done
	# by ID prefix too, as docker takes it
	short=${CONFIG_ID#sha256:}
	run sc image inspect "${short:0:12}"
	[ "$status" -eq 0 ]
	run sc image inspect nosuch
	[ "$status" -eq 125 ]
	[[ "$output" == *"No such image: nosuch"* ]]
}

@test "tag and rmi: docker's rules for names and deletion" {
	archive good
	sc load -i "$TEST_DIR/good.tar"
	sc tag scute-test/hostile:1 other/name:2
	sc tag scute-test/hostile:1 scute-test/hostile:3
	[ "$(db 'SELECT count(*) FROM tags')" = 3 ]
	run sc tag scute-test/hostile:1 'x@sha256:0000000000000000000000000000000000000000000000000000000000000000'
	[ "$status" -eq 125 ]
	# by ID with names in two repositories: refused without -f
	id=$(db 'SELECT id FROM images')
	run sc rmi "$id"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"image is referenced in multiple repositories"* ]]
	# by name: only that name goes
	run sc rmi other/name:2
	[ "$output" = "Untagged: other/name:2" ]
	[ "$(db 'SELECT count(*) FROM images')" = 1 ]
	# by ID, one repository left: everything goes, files too
	run sc rmi "$id"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Deleted: $id"* ]]
	assert_store_empty
}

@test "image prune: unnamed images go, -a takes the rest" {
	archive good
	sc load -i "$TEST_DIR/good.tar"
	sc rmi -f scute-test/hostile:1 >/dev/null
	sc load -i "$TEST_DIR/good.tar"
	archive whiteouts
	sc load -i "$TEST_DIR/whiteouts.tar" # takes the tag: the first image has no name now
	[ "$(db 'SELECT count(*) FROM images')" = 2 ]
	run sc image prune -f
	echo "$output"
	[ "$(db 'SELECT count(*) FROM images')" = 1 ]
	[[ "$output" == *"deleted: sha256:"* ]]
	sc image prune -a -f
	assert_store_empty
}

# wait_shared_lock PID: PID holds the store's lock shared (its store is
# open and it is a writer: collection is behind it).
wait_shared_lock() {
	local ino
	ino=$(stat -c %i "$STORE/store.lock")
	for _ in $(seq 100); do
		awk -v p="$1" -v i=":$ino" '$2 == "FLOCK" && $4 == "READ" && $5 == p && substr($6, length($6) - length(i) + 1) == i { f = 1 } END { exit !f }' /proc/locks && return 0
		sleep 0.1
	done
	return 1
}

@test "kill -9 between placing a layer and committing its row: a rerun succeeds" {
	archive good
	sc load -i "$TEST_DIR/good.tar" >/dev/null
	sc rmi scute-test/hostile:1 >/dev/null
	mkfifo "$TEST_DIR/pipe" "$TEST_DIR/hold"
	sc_exec load -i "$TEST_DIR/pipe" &
	pid=$!
	exec 5>"$TEST_DIR/pipe"
	wait_shared_lock "$pid"
	# a writer on the database: the load waits in its commit, its layers
	# already renamed into place
	sqlite3 "$STORE/scute.db" <"$TEST_DIR/hold" &
	exec 4>"$TEST_DIR/hold"
	echo 'BEGIN IMMEDIATE;' >&4
	while sqlite3 "$STORE/scute.db" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; do sleep 0.1; done
	cat "$TEST_DIR/good.tar" >&5
	exec 5>&-
	for _ in $(seq 100); do
		[ "$(ls "$STORE/layers" | wc -l)" = 2 ] && break
		sleep 0.1
	done
	[ "$(ls "$STORE/layers" | wc -l)" = 2 ]
	kill -9 "$pid"
	wait "$pid" || true
	echo 'ROLLBACK;' >&4
	exec 4>&-
	wait
	[ "$(db 'SELECT count(*) FROM layers')" = 0 ]
	run sc load -i "$TEST_DIR/good.tar"
	[ "$status" -eq 0 ]
	assert_consistent
}

@test "kill -9 in the middle of unpacking: nothing visible, a rerun succeeds" {
	podman_archives
	sc load -i "$TEST_DIR/docker.tar" >/dev/null
	sc rmi localhost/busy:1 >/dev/null
	mkfifo "$TEST_DIR/pipe"
	sc_exec load -i "$TEST_DIR/pipe" &
	pid=$!
	exec 5>"$TEST_DIR/pipe"
	head -c $(( $(stat -c %s "$TEST_DIR/docker.tar") / 2 )) "$TEST_DIR/docker.tar" >&5
	for _ in $(seq 50); do
		[ -n "$(ls -A "$STORE/tmp")" ] && break
		sleep 0.1
	done
	[ -n "$(ls -A "$STORE/tmp")" ]
	kill -9 "$pid"
	wait "$pid" || true
	exec 5>&-
	[ "$(db 'SELECT count(*) FROM images')" = 0 ]
	run sc load -i "$TEST_DIR/docker.tar"
	[ "$status" -eq 0 ]
	[ -z "$(ls -A "$STORE/tmp")" ]
	assert_consistent
}

@test "concurrent loads of images sharing a layer: both land, the layer once" {
	podman_archives
	sc load -i "$TEST_DIR/docker.tar" &
	a=$!
	sc load -i "$TEST_DIR/oci.tar" &
	b=$!
	wait "$a"
	wait "$b"
	[ "$(ls "$STORE/layers" | wc -l)" = 1 ]
	[ "$(db 'SELECT count(*) FROM images')" = 1 ]
	sc load -i "$TEST_DIR/docker.tar"
	assert_consistent
}
