#!/usr/bin/env bats
# Issue 14 item 5, store and truth: many commands at once on one store,
# kill -9 of scute, of a container's waiter and of its init at any moment,
# a full disk, and ps facing a stuck container. After each, the store is
# intact (PRAGMA integrity_check), what ps and inspect say is what the
# kernel says, and rm -f leaves nothing. Each test has its own store,
# exec-root and image.

load images
bats_require_minimum_version 1.5.0

LOOP='trap "exit 0" TERM; while :; do sleep 1; done'

setup_engine() {
	busybox_rootfs
	ln -sf busybox "$TEST_DIR/rootfs/bin/sleep"
	tar -C "$TEST_DIR/rootfs" -cf "$TEST_DIR/rootfs.tar" .
	sc import "$TEST_DIR/rootfs.tar" scute-test/bb:1 >/dev/null
	engine_config "{\"exec-root\": \"$TEST_DIR/run\"}"
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do timeout 30 '$SCUTE' --root '$STORE' --config '$TEST_DIR/scute.json' rm -f \$id; done"
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
}

rows() {
	db 'SELECT count(*) FROM containers'
}

integrity_ok() {
	local r
	r=$(db 'PRAGMA integrity_check')
	[ "$r" = ok ] || { echo "integrity_check: $r"; return 1; }
}

# Mounts under the test's directory.
mounts_left() {
	awk -v d="$TEST_DIR" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo
}

# Nothing of any container is left: no row, no mount under the test's
# directory (but the tmpfs the test made itself), no container directory
# in the store or the exec-root, no runtime state, no cgroup of one.
assert_all_gone() {
	local keep=${1:-}
	[ "$(rows)" = 0 ] || { echo "rows left: $(rows)"; return 1; }
	local m
	m=$(mounts_left | grep -vx "${keep:-/nonexistent}" || true)
	[ -z "$m" ] || { echo "mounts left: $m"; return 1; }
	[ -z "$(ls -A "$STORE/containers" 2>/dev/null)" ] || { echo "dirs left: $(ls "$STORE/containers")"; return 1; }
	[ -z "$(ls -A "$TEST_DIR/run/containers" 2>/dev/null)" ] || { echo "run dirs left"; return 1; }
	[ -z "$(ls -A "$TEST_DIR/run/runtime" 2>/dev/null | grep -v seccomp-cache)" ] ||
		{ echo "runtime state left: $(ls "$TEST_DIR/run/runtime")"; return 1; }
}

# The pids of the processes of container $1 (its cgroup's), if any.
cgroup_pids() {
	local f
	for f in $(find /sys/fs/cgroup -maxdepth 4 -type d -name "*$1*" 2>/dev/null); do
		cat "$f/cgroup.procs" 2>/dev/null
	done
}

@test "100 parallel run -d: all run, ps lists 100, 100 parallel rm -f leave nothing" {
	setup_engine
	local i
	for i in $(seq 100); do
		sc run -d scute-test/bb:1 sh -c "$LOOP" >"$TEST_DIR/run.$i.out" 2>"$TEST_DIR/run.$i.err" &
		echo $! >>"$TEST_DIR/pids"
	done
	local failed=0 p
	for p in $(cat "$TEST_DIR/pids"); do
		wait "$p" || failed=$((failed + 1))
	done
	cat "$TEST_DIR"/run.*.err
	[ "$failed" = 0 ]
	[ "$(cat "$TEST_DIR"/run.*.out | grep -cE '^[0-9a-f]{64}$')" = 100 ]
	[ "$(cat "$TEST_DIR"/run.*.out | sort -u | wc -l)" = 100 ]
	[ "$(sc ps -q | wc -l)" = 100 ]
	local id pid
	for id in $(cat "$TEST_DIR"/run.*.out); do
		[ "$(sc inspect -f '{{.State.Status}}' "$id")" = running ]
		pid=$(sc inspect -f '{{.State.Pid}}' "$id")
		[ "$pid" -gt 0 ]
		kill -0 "$pid"
	done
	: >"$TEST_DIR/pids"
	for id in $(cat "$TEST_DIR"/run.*.out); do
		sc rm -f "$id" >"$TEST_DIR/rm.$id.out" 2>"$TEST_DIR/rm.$id.err" &
		echo $! >>"$TEST_DIR/pids"
	done
	failed=0
	for p in $(cat "$TEST_DIR/pids"); do
		wait "$p" || failed=$((failed + 1))
	done
	cat "$TEST_DIR"/rm.*.err
	[ "$failed" = 0 ]
	assert_all_gone
	for id in $(cat "$TEST_DIR"/run.*.out); do
		[ -z "$(cgroup_pids "$id")" ]
	done
}

@test "20 parallel run --rm: all exit 0 and leave nothing" {
	setup_engine
	local i p failed=0
	for i in $(seq 20); do
		sc run --rm scute-test/bb:1 true 2>"$TEST_DIR/run.$i.err" &
		echo $! >>"$TEST_DIR/pids"
	done
	for p in $(cat "$TEST_DIR/pids"); do
		wait "$p" || failed=$((failed + 1))
	done
	cat "$TEST_DIR"/run.*.err
	[ "$failed" = 0 ]
	assert_all_gone
}
