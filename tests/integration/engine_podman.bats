#!/usr/bin/env bats
# podman 4.3 with scute-runtime as its OCI runtime (through conmon), the
# same scenarios as docker. Podman picks the runtime's log format from the
# binary's name, so scute-runtime is reached as "runc" (a wrapper giving
# --root) from a private directory; the host lacks CAP_SYS_RESOURCE, so the default ulimits are
# ones a container may set (REFERENCE.md §4).

load engines

setup_file() {
	command -v podman >/dev/null || skip "podman is not installed"
	export ENGINE_DIR CONTAINERS_CONF
	ENGINE_DIR=$(mktemp -d /tmp/scute-podman.XXXXXX)
	remember_cgroup_parent libpod_parent
	mkdir -p "$ENGINE_DIR/bin"
	# Its state under the test's directory: podman passes no --root, and
	# its cleanup process does not repeat --runtime-flag.
	printf '#!/bin/sh\nexec "%s" --root "%s/state" "$@"\n' "$SCUTE_RUNTIME" "$ENGINE_DIR" \
		>"$ENGINE_DIR/bin/runc"
	chmod +x "$ENGINE_DIR/bin/runc"
	CONTAINERS_CONF=$ENGINE_DIR/containers.conf
	cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$ENGINE_DIR/events.log"
runtime = "runc"
[engine.runtimes]
runc = ["$ENGINE_DIR/bin/runc"]
CONF
	make_image
	pm load -i "$ENGINE_DIR/busybox.tar" >/dev/null
}

pm() {
	podman --root "$ENGINE_DIR/root" --runroot "$ENGINE_DIR/runroot" --tmpdir "$ENGINE_DIR/tmp" \
		--storage-driver overlay "$@"
}

teardown_file() {
	[ -n "${ENGINE_DIR:-}" ] || return 0
	pm rm -af -t 0 >/dev/null 2>&1 || true
	pm rmi -af >/dev/null 2>&1 || true
	engine_cleanup
}

setup() {
	TEST_DIR=$(mktemp -d /tmp/scute-test.XXXXXX)
}

teardown() {
	rm -rf "$TEST_DIR"
}

IMAGE=docker.io/library/busybox:scute

prun() {
	pm run --rm --pull never --network none "$@"
}

@test "podman: capabilities, no-new-privileges and seccomp arrive enforced" {
	run prun --cap-drop all --cap-add net_bind_service --security-opt no-new-privileges \
		"$IMAGE" cat /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(status_field CapEff)" = 0000000000000400 ]
	[ "$(status_field NoNewPrivs)" = 1 ]
	[ "$(status_field Seccomp)" = 2 ]
	# The runtime's state went where the wrapper's --root said.
	[ -d "$ENGINE_DIR/state" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW",
	       "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}' >"$TEST_DIR/p.json"
	run prun --security-opt seccomp="$TEST_DIR/p.json" "$IMAGE" sh -c 'mkdir /tmp/d 2>&1'
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "podman: --memory --cpus --pids-limit, --read-only, and update" {
	local id
	id=$(pm run -d --pull never --network none --memory 128m --cpus .5 --pids-limit 64 --read-only \
		"$IMAGE" sleep 300)
	run pm exec "$id" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max; touch /x 2>&1'
	echo "$output"
	[ "${lines[0]}" = 134217728 ]
	[ "${lines[1]}" = 50000 ]
	[ "${lines[2]}" = 64 ]
	[[ "${lines[3]}" == *"Read-only file system"* ]]
	pm update --memory 96m "$id"
	run pm exec "$id" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	[ "$output" = 100663296 ]
	pm rm -f -t 0 "$id"
}

@test "podman: --restart on-failure:5" {
	local id
	id=$(pm run -d --pull never --network none --restart on-failure:5 "$IMAGE" sh -c 'exit 1')
	wait_for sh -c "[ \"\$(podman --root $ENGINE_DIR/root --runroot $ENGINE_DIR/runroot --storage-driver overlay inspect -f '{{.RestartCount}} {{.State.Status}}' $id)\" = '5 exited' ]"
	pm rm -f "$id"
}

@test "podman: -it, exec, exec -it, top, pause/unpause, stop, kill, rm" {
	# The pause gives podman's attach time to be in place before the
	# output: from a container that exits at once, podman 4.3 sometimes
	# showed nothing (one run in six here).
	run script -qec "podman --root $ENGINE_DIR/root --runroot $ENGINE_DIR/runroot --storage-driver overlay run -it --rm --pull never --network none $IMAGE sh -c 'sleep 1; tty'" /dev/null
	echo "$output"
	[[ "$output" == *"/dev/pts/0"* ]]
	local id
	id=$(pm run -d --pull never --network none --cap-drop all "$IMAGE" sleep 300)
	run pm exec "$id" sh -c 'echo exec-ok; grep CapEff /proc/self/status'
	[ "${lines[0]}" = exec-ok ]
	[[ "${lines[1]}" == *0000000000000000 ]]
	run script -qec "podman --root $ENGINE_DIR/root --runroot $ENGINE_DIR/runroot --storage-driver overlay exec -it $id sh -c 'sleep 1; tty'" /dev/null
	[[ "$output" == *"/dev/pts/"* ]]
	run pm top "$id"
	[[ "$output" == *"sleep 300"* ]]
	pm pause "$id"
	[ "$(pm inspect -f '{{.State.Status}}' "$id")" = paused ]
	pm unpause "$id"
	[ "$(pm inspect -f '{{.State.Status}}' "$id")" = running ]
	pm stop -t 1 "$id"
	[ "$(pm inspect -f '{{.State.Status}}' "$id")" = exited ]
	pm start "$id"
	pm kill "$id"
	wait_for sh -c "[ \"\$(podman --root $ENGINE_DIR/root --runroot $ENGINE_DIR/runroot --storage-driver overlay inspect -f '{{.State.Status}}' $id)\" = exited ]"
	pm rm "$id"
}
