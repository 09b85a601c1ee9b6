#!/usr/bin/env bats
# Issue 12, third attack round: the runtime re-executed through a
# read-only overlay of its binary's directory (selfexec.c), the init
# cloned directly when nothing is joined, and run's create and start
# under one lock (container.c, lifecycle.c). Each test is the attack.

load helpers

# bound_runtime DIR: DIR/scute-runtime is the runtime bind-mounted over a
# file of the same size that differs in one byte of its usage text (what
# a stale or planted binary under a bind mount would be); sets BOUND.
bound_runtime() {
	local off
	mkdir -p "$1"
	off=$(strings -t d "$SCUTE_RUNTIME" |
		awk '/usage: scute-runtime \[global options\] COMMAND/ { print $1; exit }')
	[ -n "$off" ]
	cp "$SCUTE_RUNTIME" "$1/scute-runtime"
	printf U | dd of="$1/scute-runtime" bs=1 seek="$off" conv=notrunc status=none
	! cmp -s "$1/scute-runtime" "$SCUTE_RUNTIME"
	mount --bind "$SCUTE_RUNTIME" "$1/scute-runtime"
	on_teardown "umount $1/scute-runtime"
	BOUND=$1/scute-runtime
}

@test "seal: a runtime bind-mounted over another file re-executes itself, not the file it covers" {
	bound_runtime "$TEST_DIR/bin"
	cmp "$BOUND" "$SCUTE_RUNTIME" # the path shows the bound binary
	args true
	SCUTE_RUNTIME=$BOUND rt create -b "$BUNDLE" --pid-file "$TEST_DIR/pid" "$ID"
	PID=$(cat "$TEST_DIR/pid")
	# The overlay sees the directory's own entries, not what is mounted
	# on them: the re-exec must not run the covered file.
	cmp /proc/$PID/exe "$SCUTE_RUNTIME"
}

# blocked_start: run -d in the background whose startContainer hook says
# "in" in $TEST_DIR/sync/in, then waits until $TEST_DIR/sync/go is written;
# sets RUN_PID, the runtime's pid.
blocked_start() {
	mkdir -p "$TEST_DIR/sync"
	mkfifo "$TEST_DIR/sync/go"
	cfg '.mounts += [{destination: "/sync", type: "bind", source: $d, options: ["rbind", "rw"]}]
	     | .hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "echo in >/sync/in; read x </sync/go"]}]' \
		--arg d "$TEST_DIR/sync"
	args sleep 60
	rt run -d -b "$BUNDLE" "$ID" >"$TEST_DIR/run.out" 2>&1 3>&- &
	RUN_PID=$!
	on_teardown "kill -9 $RUN_PID"
	# (Opened read-write, a FIFO never blocks the opener nor this write.)
	on_teardown "bash -c 'exec 9<>$TEST_DIR/sync/go; echo >&9'"
	wait_line "$TEST_DIR/sync/in" in
}

@test "run killed during its start: the container it leaves behind can still be found, signalled and deleted" {
	blocked_start
	# What a concurrent state sees while run is starting: the init.
	local pid status _
	pid=$(rt state "$ID" | jq -r .pid)
	status=$(rt state "$ID" | jq -r .status)
	# run dies (an engine's timeout, the OOM killer); the init goes on and
	# runs the container's program. (Before any check: run holds the
	# lock a failed test's delete would wait for.)
	kill -9 "$RUN_PID"
	wait "$RUN_PID" || true
	bash -c 'exec 9<>"$1"; echo >&9' release "$TEST_DIR/sync/go"
	echo "during run's start: $status, pid $pid"
	[ "$pid" -gt 0 ]
	[ "$status" = created ]
	for _ in $(seq 100); do
		[ "$(cat /proc/$pid/comm 2>/dev/null)" = sleep ] && break
		sleep 0.05
	done
	[ "$(cat /proc/$pid/comm)" = sleep ]
	# kill must still reach it (it did when run wrote "created" before start).
	rt kill "$ID" KILL
	for _ in $(seq 100); do
		[ -e /proc/$pid ] || break
		[ "$(awk '/^State:/ { print $2 }' /proc/$pid/status 2>/dev/null)" = Z ] && break
		sleep 0.05
	done
	[ ! -e /proc/$pid ] || [ "$(awk '/^State:/ { print $2 }' /proc/$pid/status)" = Z ]
	rt delete --force "$ID"
	assert_nothing_left
}

@test "seal: no write of data or metadata reaches the binary through the init's exe, even as host root" {
	cp "$SCUTE_RUNTIME" "$TEST_DIR/rt"
	args true
	SCUTE_RUNTIME=$TEST_DIR/rt rt create -b "$BUNDLE" --pid-file "$TEST_DIR/pid" "$ID"
	PID=$(cat "$TEST_DIR/pid")
	[ "$(stat -L -f -c %T /proc/$PID/exe)" = overlayfs ]
	local before
	before=$(stat -c '%a %u %g %s %Y' "$TEST_DIR/rt")
	# The held handle (O_PATH, as CVE-2019-5736), reopened or used by path
	# through /proc/self/fd, and the mapped image through map_files.
	run python3 - /proc/$PID "$TEST_DIR/linked" <<-'EOF2'
	import os, sys
	fd = os.open(sys.argv[1] + "/exe", os.O_PATH)
	q = "/proc/self/fd/%d" % fd
	maps = [sys.argv[1] + "/map_files/" + n for n in os.listdir(sys.argv[1] + "/map_files")
	        if os.path.samefile(sys.argv[1] + "/map_files/" + n, q)]
	tries = [("chmod", lambda: os.chmod(q, 0o6777)), ("chown", lambda: os.chown(q, 1, 1)),
	         ("truncate", lambda: os.truncate(q, 1)), ("setxattr", lambda: os.setxattr(q, b"user.x", b"1")),
	         ("utime", lambda: os.utime(q, (0, 0))), ("open-rw", lambda: os.open(q, os.O_RDWR)),
	         ("open-trunc", lambda: os.open(q, os.O_WRONLY | os.O_TRUNC)),
	         ("link", lambda: os.link(q, sys.argv[2]))]
	tries += [("map_files", lambda m=m: os.open(m, os.O_RDWR)) for m in maps]
	print("maps", len(maps))
	for name, f in tries:
	    try:
	        f(); print(name, "WRITTEN")
	    except OSError as e:
	        print(name, e.strerror)
	EOF2
	echo "$output"
	[[ "$output" != *WRITTEN* ]]
	[[ "$output" == *"open-rw Read-only file system"* ]]
	[[ "$output" != "maps 0"* ]]
	[ "$(stat -c '%a %u %g %s %Y' "$TEST_DIR/rt")" = "$before" ]
	cmp "$TEST_DIR/rt" "$SCUTE_RUNTIME"
}
