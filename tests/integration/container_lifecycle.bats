#!/usr/bin/env bats
# Issue 14 item 5, the engine's side: a container made from an image,
# started in the foreground and detached, its exit recorded by the
# process that waits for it, the record reconciled with the kernel when
# that process is gone, removal refusing a running container unless
# forced and leaving nothing. Through tests/tools/container-tool (the
# CLI's verbs come on top of the same calls).

load images

TOOL=$BUILD_DIR/tests/container-tool


ct() {
	"$TOOL" "$STORE" "$TEST_DIR/run" "$@"
}

make_image() {
	busybox_rootfs
	sc import "$TEST_DIR/rootfs.tar" scute-test/bb:1 >/dev/null
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
}

# Nothing of container ID left: no row, no directory, no mount, no state.
assert_gone() {
	[ "$(db "SELECT count(*) FROM containers WHERE id = '$1'")" = 0 ]
	[ "$(db 'SELECT count(*) FROM rootfs')" = 0 ]
	[ ! -e "$STORE/containers/$1" ]
	[ ! -e "$TEST_DIR/run/containers/$1" ]
	[ ! -e "$TEST_DIR/run/runtime/$1" ]
	! grep -q " $STORE/containers/$1/" /proc/self/mountinfo
}

mounted() {
	grep -q " $STORE/containers/$1/rootfs " /proc/self/mountinfo
}

@test "lifecycle: a foreground run records its exit code, unmounts its root; rm leaves nothing" {
	make_image
	id=$(ct make scute-test/bb:1 first)
	[ ${#id} = 64 ]
	! mounted "$id"
	run ct start first sh -c 'echo out; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = out ]
	[ "$(ct show first)" = "exited 3 0 " ]
	! mounted "$id"
	[ -z "$(db "SELECT count(*) FROM containers WHERE started_at > 0 AND finished_at >= started_at" | grep -v 1)" ]
	ct rm first
	assert_gone "$id"
}

@test "lifecycle: writes survive a stop and a second start" {
	make_image
	id=$(ct make scute-test/bb:1 keep)
	ct start keep sh -c 'echo kept >/written'
	run ct start keep cat /written
	[ "$status" -eq 0 ]
	[ "$output" = kept ]
	ct rm keep
	assert_gone "$id"
}

@test "lifecycle: a program that cannot start is recorded, and nothing stays mounted" {
	make_image
	id=$(ct make scute-test/bb:1 bad)
	run ct start bad /nonexistent
	[ "$status" -ne 0 ]
	read -r st code pid rest <<<"$(ct show bad)"
	echo "$st $code $rest"
	[ "$st" = exited ]
	[ "$code" -ne 0 ]
	! mounted "$id"
	ct rm bad
	assert_gone "$id"
}

@test "lifecycle: detached, the waiter records the exit; rm refuses a running one unless -f" {
	make_image
	id=$(ct make scute-test/bb:1 bg)
	ct start -d bg sh -c 'sleep 300'
	read -r st code pid rest <<<"$(ct show bg)"
	[ "$st" = running ]
	[ "$pid" -gt 0 ]
	kill -0 "$pid"
	mounted "$id"
	run ct rm bg
	[ "$status" -eq 1 ]
	[[ "$output" == *"[EBUSY] container bg: you cannot remove a running container $id"* ]]
	ct rm -f bg
	assert_gone "$id"
	# killed and reaped by its waiter
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	! kill -0 "$pid" 2>/dev/null
}

@test "lifecycle: detached, an exit is recorded by the waiter with its code" {
	make_image
	id=$(ct make scute-test/bb:1 quick)
	ct start -d quick sh -c 'exit 7'
	for _ in $(seq 100); do
		[ "$(ct show quick | cut -d' ' -f1)" = exited ] && break
		sleep 0.1
	done
	[ "$(ct show quick)" = "exited 7 0 " ]
	! mounted "$id"
	ct rm quick
	assert_gone "$id"
}

@test "lifecycle: with its waiter killed, the container runs on; once it ends it shows exited 255" {
	make_image
	id=$(ct make scute-test/bb:1 orphan)
	ct start -d orphan sh -c 'sleep 300'
	read -r st code pid rest <<<"$(ct show orphan)"
	waiter=$(ps -o ppid= -p "$pid" | tr -d ' ')
	[ -n "$waiter" ] && [ "$waiter" -gt 1 ]
	kill -9 "$waiter"
	while kill -0 "$waiter" 2>/dev/null; do sleep 0.05; done
	[ "$(ct show orphan | cut -d' ' -f1)" = running ]
	kill -9 "$pid"
	for _ in $(seq 100); do
		[ "$(ct show orphan | cut -d' ' -f1)" = exited ] && break
		sleep 0.1
	done
	run ct show orphan
	[[ "$output" == "exited 255 0 its exit status is unknown"* ]]
	! mounted "$id"
	ct rm orphan
	assert_gone "$id"
}

@test "lifecycle: AutoRemove takes the container away after its end" {
	make_image
	id=$(ct make scute-test/bb:1 temp AUTOREMOVE)
	run ct start temp sh -c 'exit 0'
	[ "$status" -eq 0 ]
	assert_gone "$id"
}

@test "lifecycle: make refuses a name in use and an unknown image, leaving nothing" {
	make_image
	id=$(ct make scute-test/bb:1 taken)
	run ct make scute-test/bb:1 taken
	[ "$status" -eq 1 ]
	[[ "$output" == *"[EEXIST] the container name \"/taken\" is already in use by container \"$id\""* ]]
	run ct make scute-test/none:1 other
	[ "$status" -eq 1 ]
	[[ "$output" == *"scute-test/none:1"* ]]
	[ "$(db 'SELECT count(*) FROM containers')" = 1 ]
	[ "$(ls "$STORE/containers")" = "$id" ]
	ct rm taken
	assert_gone "$id"
}
