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
