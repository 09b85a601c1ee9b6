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

# sqlite3 on the store, waiting (as scute does) for a writer that is at
# work meanwhile: a detached waiter records a start or an end any time;
# and keeping the -wal and -shm, as scute does (a full disk has no room
# to make them again).
q() {
	sqlite3 -cmd '.timeout 10000' -cmd '.output /dev/null' -cmd '.filectrl persist_wal 1' \
		-cmd '.output stdout' "$STORE/scute.db" "$@"
}

rows() {
	q 'SELECT count(*) FROM containers'
}

integrity_ok() {
	local r
	r=$(q 'PRAGMA integrity_check')
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

# The pid of the process holding container $1's waiter lock (its waiter),
# from /proc/locks; empty if none holds it.
waiter_pid() {
	local lock=$TEST_DIR/run/containers/$1/waiter.lock ino
	ino=$(stat -c %i "$lock" 2>/dev/null) || return 0
	awk -v ino=":$ino" '$2 == "FLOCK" && substr($6, length($6) - length(ino) + 1) == ino { print $5; exit }' /proc/locks
}

# Milliseconds since the epoch.
now_ms() {
	date +%s%3N
}

# scute ARGS in the background, SIGKILLed at a random moment of its run:
# after 0 ms up to as long as the same command took last ($TOOK_MS, at
# most 200 ms; a detached run takes some 50 ms, so a fixed 200 would
# mostly come after the end).
kill_at_random() {
	local max=${TOOK_MS:-200} pid
	[ "$max" -le 200 ] || max=200
	sc_exec "$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf 0.%03d $((RANDOM % (max + 1))))"
	kill -9 "$pid" 2>/dev/null || true
	{ wait "$pid"; } 2>/dev/null || true
}

# TOOK_MS: how long scute ARGS takes when nothing stops it.
time_it() {
	local t0
	t0=$(now_ms)
	sc "$@" >/dev/null
	TOOK_MS=$(($(now_ms) - t0))
}

# After a kill: the store is intact, ps answers, every container it says
# runs has a waiter that will record its end, and rm -f of each leaves
# nothing, not even a process.
check_after_kill() {
	integrity_ok
	run timeout 10 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" ps -a --no-trunc --format '{{.ID}} {{.State}}'
	[ "$status" -eq 0 ] || { echo "ps -a: $status $output"; return 1; }
	local line id ids
	while read -r id line; do
		[ "$line" != running ] || [ -n "$(waiter_pid "$id")" ] ||
			{ echo "container $id runs without its waiter"; return 1; }
	done <<<"$output"
	ids=$(q 'SELECT id FROM containers')
	for id in $ids; do
		run timeout 30 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" rm -f "$id"
		[ "$status" -eq 0 ] || { echo "rm -f $id: $status $output"; return 1; }
	done
	assert_all_gone
	for id in $ids; do
		[ -z "$(cgroup_pids "$id")" ] || { echo "processes of $id left"; return 1; }
		[ -z "$(find /sys/fs/cgroup -maxdepth 4 -name "*$id*" 2>/dev/null)" ] ||
			{ echo "cgroup of $id left"; return 1; }
	done
	# no waiter and no container process outlives its container
	local i
	for i in $(seq 50); do
		[ -n "$(pgrep -f -- "--root $STORE ")" ] || break
		sleep 0.1
	done
	[ -z "$(pgrep -f -- "--root $STORE ")" ] || { echo "scute processes left: $(pgrep -af -- "--root $STORE ")"; return 1; }
}

@test "kill -9 of scute run -d, rm -f and create at any moment: the store and the kernel agree" {
	setup_engine
	local i id
	for i in $(seq 30); do
		echo "iteration $i"
		case $((i % 3)) in
		0)
			time_it run -d scute-test/bb:1 sh -c "$LOOP"
			check_after_kill
			kill_at_random run -d scute-test/bb:1 sh -c "$LOOP"
			;;
		1)
			id=$(sc run -d scute-test/bb:1 sh -c "$LOOP")
			time_it rm -f "$id"
			id=$(sc run -d scute-test/bb:1 sh -c "$LOOP")
			kill_at_random rm -f "$id"
			;;
		2)
			time_it create scute-test/bb:1 true
			check_after_kill
			kill_at_random create scute-test/bb:1 true
			;;
		esac
		echo "killed within $TOOK_MS ms (at most 200)"
		check_after_kill
	done
}

@test "kill -9 of a running container's waiter, then of its init: exited 255 with an error, never running" {
	setup_engine
	id=$(sc run -d scute-test/bb:1 sh -c "$LOOP")
	wpid=$(waiter_pid "$id")
	[ -n "$wpid" ]
	ipid=$(sc inspect -f '{{.State.Pid}}' "$id")
	kill -9 "$wpid"
	while kill -0 "$wpid" 2>/dev/null; do sleep 0.05; done
	# the init runs on: so says ps
	run timeout 10 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" ps -a --format '{{.State}}'
	[ "$status" -eq 0 ]
	[ "$output" = running ]
	kill -9 "$ipid"
	# gone, or a zombie nobody reaps: either way it is not running
	for _ in $(seq 100); do
		case $(awk '{ print $3 }' "/proc/$ipid/stat" 2>/dev/null) in
		'' | Z) break ;;
		esac
		sleep 0.05
	done
	run timeout 10 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" ps -a --format '{{.State}}'
	[ "$status" -eq 0 ]
	[ "$output" = exited ]
	[ "$(sc inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id")" = "exited 255" ]
	[[ "$(sc inspect -f '{{.State.Error}}' "$id")" == *"exit status is unknown"* ]]
	! mounts_left | grep -q "$id"
	check_after_kill
}

@test "kill -9 of a running container's init: its waiter records 137" {
	setup_engine
	id=$(sc run -d scute-test/bb:1 sh -c "$LOOP")
	ipid=$(sc inspect -f '{{.State.Pid}}' "$id")
	kill -9 "$ipid"
	for _ in $(seq 100); do
		run timeout 10 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" ps -a --format '{{.State}}'
		[ "$status" -eq 0 ]
		[ "$output" = running ] || break
		sleep 0.05
	done
	[ "$output" = exited ]
	[ "$(sc inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}' "$id")" = "exited 137 " ]
	[ -z "$(waiter_pid "$id")" ]
	! mounts_left | grep -q "$id"
	check_after_kill
}

# The engine's root on a tmpfs of $1 MiB (and at most $2 inodes) of the
# test's own.
small_root() {
	mkdir -p "$STORE"
	mount -t tmpfs -o size="$1"m${2:+,nr_inodes=$2} scute-truth "$STORE"
	on_teardown "umount -l '$STORE'"
}

# Fill the store's filesystem's blocks up (a file of the test's own).
fill_blocks() {
	dd if=/dev/zero of="$STORE/fill" bs=64k 2>/dev/null || true
	[ "$(df --output=avail "$STORE" | tail -1)" -eq 0 ]
}

# Take every inode left (files of the test's own, in $STORE/fill.d).
fill_inodes() {
	mkdir "$STORE/fill.d"
	local i=0
	while : >"$STORE/fill.d/$i" 2>/dev/null; do i=$((i + 1)); done
	[ "$(df --output=iavail "$STORE" | tail -1)" -eq 0 ]
}

# `scute ARGS` on a full disk: 125 saying so, the store intact, no new
# row, no new container directory.
expect_no_space() {
	local before
	before=$(rows)
	run sc "$@"
	echo "$*: $output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"No space left on device"* ]]
	integrity_ok
	[ "$(rows)" = "$before" ]
	[ "$(ls "$STORE/containers" | wc -l)" = "$before" ]
}

# What reads the store works on a full disk.
reads_work() {
	sc ps -a >/dev/null
	sc images >/dev/null
	sc inspect -f '{{.State.Status}}' "$1" >/dev/null
}

@test "disk full (blocks): run and run --rm fail with 125 saying so, leave nothing; ps works; then all works" {
	small_root 16
	setup_engine
	sc create --name before scute-test/bb:1 true >/dev/null
	fill_blocks
	reads_work before
	expect_no_space run --rm scute-test/bb:1 true
	expect_no_space run -d --rm scute-test/bb:1 true
	# without --rm, as docker does, run leaves the container it made
	# (whole, in the created state) when it cannot start it
	run sc run --name made scute-test/bb:1 true
	[ "$status" -eq 125 ]
	[[ "$output" == *"No space left on device"* ]]
	[ "$(sc inspect -f '{{.State.Status}}' made)" = created ]
	integrity_ok
	rm "$STORE/fill"
	[ "$(sc start -a made; echo $?)" = 0 ]
	[ "$(sc run --rm scute-test/bb:1 echo fine)" = fine ]
	sc rm before made >/dev/null
	integrity_ok
	assert_all_gone "$STORE"
}

@test "disk full (inodes): create and run fail with 125 saying so and leave nothing; then all works" {
	small_root 16 400
	setup_engine
	sc create --name before scute-test/bb:1 true >/dev/null
	fill_inodes
	reads_work before
	expect_no_space create scute-test/bb:1 true
	expect_no_space run scute-test/bb:1 true
	expect_no_space run -d scute-test/bb:1 sh -c "$LOOP"
	rm -r "$STORE/fill.d"
	id=$(sc create scute-test/bb:1 true)
	[ "$(sc run --rm scute-test/bb:1 echo fine)" = fine ]
	sc rm "$id" before >/dev/null
	integrity_ok
	assert_all_gone "$STORE"
}

@test "disk full: a container filling its own layer has its end recorded; then nothing can run, until it goes" {
	small_root 16
	setup_engine
	run sc run --name filler scute-test/bb:1 sh -c \
		'i=0; while busybox dd if=/dev/zero of=/big.$i bs=64k count=16 2>/dev/null; do i=$((i+1)); done; echo wrote $i; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(df --output=avail "$STORE" | tail -1)" -eq 0 ]
	[ "$(sc inspect -f '{{.State.Status}} {{.State.ExitCode}}' filler)" = "exited 3" ]
	integrity_ok
	expect_no_space run --rm scute-test/bb:1 true
	sc rm filler >/dev/null
	[ "$(sc run --rm scute-test/bb:1 echo fine)" = fine ]
	integrity_ok
	assert_all_gone "$STORE"
}

@test "ps never hangs on a stuck container: one paused, one whose init is SIGSTOPped" {
	setup_engine
	sc run -d --name frozen scute-test/bb:1 sh -c "$LOOP" >/dev/null
	sc run -d --name stopped scute-test/bb:1 sh -c "$LOOP" >/dev/null
	sc pause frozen
	ipid=$(sc inspect -f '{{.State.Pid}}' stopped)
	kill -STOP "$ipid"
	on_teardown "kill -CONT $ipid"
	for _ in $(seq 100); do
		[ "$(awk '{ print $3 }' "/proc/$ipid/stat")" = T ] && break
		sleep 0.05
	done
	run timeout 5 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" ps -a --format '{{.Names}} {{.State}}'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"frozen paused"* ]]
	[[ "$output" == *"stopped running"* ]]
	run timeout 5 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" inspect -f '{{.State.Status}}' frozen stopped
	[ "$status" -eq 0 ]
	[ "$output" = "paused
running" ]
	run timeout 15 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" rm -f frozen stopped
	[ "$status" -eq 0 ]
	check_after_kill
}
