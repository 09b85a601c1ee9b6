#!/usr/bin/env bats
# scute-init (src/init/init.c): the init --init puts in front of a
# container's command. Most tests run it as a plain process (a child
# subreaper then); the last ones as pid 1 of a container.

load helpers
bats_require_minimum_version 1.5.0

# The children of $1 as "PID STATE" lines.
children_of() {
	ps -o pid=,stat= --ppid "$1" || true
}

# wait_children PID N: until PID has exactly N children (at most 5 s).
wait_children() {
	local _
	for _ in $(seq 100); do
		[ "$(children_of "$1" | wc -l)" -eq "$2" ] && return 0
		sleep 0.05
	done
	echo "children of $1:"
	children_of "$1"
	return 1
}

# wait_rc PID: wait for the background job PID (at most 10 s, then
# fail rather than hang) and set RC to its exit status.
wait_rc() {
	local _
	for _ in $(seq 200); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "$1 is still running"
		return 1
	fi
	RC=0
	wait "$1" || RC=$?
}

@test "init: passes the exit status through" {
	local code
	for code in 0 3 255; do
		run "$SCUTE_INIT" sh -c "exit $code"
		[ "$status" -eq "$code" ]
	done
}

@test "init: 128+N when signal N killed the program" {
	run "$SCUTE_INIT" sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
	run "$SCUTE_INIT" -- sh -c 'kill -USR1 $$'
	[ "$status" -eq 138 ]
}

@test "init: SIGTERM to the init reaches the program" {
	"$SCUTE_INIT" sh -c 'trap "exit 7" TERM; echo ready >"$1"; while :; do sleep 0.1; done' \
		sh "$TEST_DIR/ready" &
	local init=$!
	on_teardown "pkill -KILL -P $init; kill -KILL $init"
	wait_line "$TEST_DIR/ready" ready
	kill -TERM "$init"
	wait_rc "$init"
	[ "$RC" -eq 7 ]
}

@test "init: forwards other signals, and a program's own handler decides" {
	# HUP and USR2 are trapped and counted; the init itself ignores them.
	"$SCUTE_INIT" sh -c 'n=0; trap "n=\$((n+1)); echo \$n >>\"\$1\"" HUP USR2
		trap "exit \$n" TERM; echo ready >"$1.ready"; while :; do sleep 0.05; done' \
		sh "$TEST_DIR/got" &
	local init=$!
	on_teardown "pkill -KILL -P $init; kill -KILL $init"
	wait_line "$TEST_DIR/got.ready" ready
	kill -HUP "$init"
	wait_line "$TEST_DIR/got" '^1$'
	kill -USR2 "$init"
	wait_line "$TEST_DIR/got" '^2$'
	kill -TERM "$init"
	wait_rc "$init"
	[ "$RC" -eq 2 ]
}

@test "init: orphans are reparented to it and reaped" {
	# The inner shell leaves two sleeps behind; as a subreaper, the init
	# becomes their parent, and reaps them when they end.
	"$SCUTE_INIT" sh -c 'sh -c "sleep 2 & sleep 2.5 & exit 0"; exec sleep 30' &
	local init=$!
	on_teardown "pkill -KILL -P $init; kill -KILL $init"
	# the program (sleep 30) and both orphans
	wait_children "$init" 3
	! children_of "$init" | grep -q ' Z'
	# once they end, only the program is left: no zombie stays
	wait_children "$init" 1
	! children_of "$init" | grep -q ' Z'
	kill -TERM "$init"
	wait_rc "$init"
	[ "$RC" -eq 143 ]
}

@test "init: exits with the program, not waiting for orphans" {
	SECONDS=0
	run "$SCUTE_INIT" sh -c 'sleep 30 >/dev/null 2>&1 & echo $! >"$1"; exit 5' sh "$TEST_DIR/orphan"
	on_teardown "kill -KILL \$(cat $TEST_DIR/orphan)"
	[ "$status" -eq 5 ]
	[ "$SECONDS" -lt 10 ]
	# left alive (outside a pid namespace, nothing kills it)
	kill -0 "$(cat "$TEST_DIR/orphan")"
}

@test "init: a program that cannot be found: 127" {
	run -127 "$SCUTE_INIT" scute-no-such-program
	[ "$status" -eq 127 ]
	[ "$output" = "scute-init: scute-no-such-program: No such file or directory" ]
	run -127 "$SCUTE_INIT" "$TEST_DIR/missing"
	[ "$status" -eq 127 ]
}

@test "init: a program that cannot be run: 126" {
	printf 'not a program\n' >"$TEST_DIR/plain"
	chmod 0644 "$TEST_DIR/plain"
	run "$SCUTE_INIT" "$TEST_DIR/plain"
	[ "$status" -eq 126 ]
	[ "$output" = "scute-init: $TEST_DIR/plain: Permission denied" ]
	run "$SCUTE_INIT" "$TEST_DIR"
	[ "$status" -eq 126 ]
}

@test "init: no program is a usage error" {
	run "$SCUTE_INIT"
	[ "$status" -eq 2 ]
	[[ "$output" == "usage: scute-init [--] PROG [ARG...]" ]]
	run "$SCUTE_INIT" --
	[ "$status" -eq 2 ]
	run "$SCUTE_INIT" -x true
	[ "$status" -eq 2 ]
	[[ "$output" == *'unknown option "-x"'* ]]
	# after "--", a name starting with a dash is the program's
	run -127 "$SCUTE_INIT" -- -x
	[ "$status" -eq 127 ]
}

@test "init: the program gets exactly the fds the init got" {
	# what the probe holds run directly, fd 5 among it (the harness may
	# hold more, above 63)
	run passing 'exec 5</dev/null' "$PROBE" fds
	[ "$status" -eq 0 ]
	local direct=$output
	[[ "$direct" == *"5 /dev/null"* ]]
	run passing 'exec 5</dev/null' "$SCUTE_INIT" "$PROBE" fds
	[ "$status" -eq 0 ]
	[ "$output" = "$direct" ]
}

@test "init: the program starts with no signal blocked or ignored" {
	# bash passes ignored INT and HUP on through exec; the init's own
	# mask (everything blocked) must not reach the program either.
	run bash -c 'trap "" INT HUP; exec "$@"' sh "$SCUTE_INIT" grep -E '^Sig(Blk|Ign):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "SigBlk:	0000000000000000" ]
	[ "${lines[1]}" = "SigIgn:	0000000000000000" ]
	# the control: without the init, grep would have them ignored
	run bash -c 'trap "" INT HUP; exec "$@"' sh grep -E '^SigIgn:' /proc/self/status
	[ "$output" = "SigIgn:	0000000000000003" ]
}

@test "init: on a terminal, the program's own group has it" {
	# script(1) runs the init on a new pty, as its session's foreground
	# group; the program gets a group of its own and the foreground.
	cat >"$TEST_DIR/ids" <<'EOF'
read -r pid comm st pp pgrp sid tty tpgid rest </proc/$$/stat
read -r p c s ppp ipgrp rest </proc/$pp/stat
echo "ids $pid $pgrp $tpgid $ipgrp"
EOF
	run script -qec "$SCUTE_INIT sh $TEST_DIR/ids" /dev/null
	echo "$output"
	local pid pgrp tpgid ipgrp
	read -r pid pgrp tpgid ipgrp <<<"$(printf '%s\n' "$output" | tr -d '\r' |
		awk '$1 == "ids" { print $2, $3, $4, $5 }')"
	[ -n "$pid" ]
	[ "$pgrp" = "$pid" ]
	[ "$tpgid" = "$pid" ]
	[ "$ipgrp" != "$pid" ]
}

# scute-init in the shared busybox rootfs, for the container tests.
init_in_rootfs() {
	cp "$SCUTE_INIT" "$FILE_DIR/template/rootfs/bin/scute-init"
	on_teardown "rm -f $FILE_DIR/template/rootfs/bin/scute-init"
}

# wait_init_ready: until the container's init ($ID) has forked the
# program, so its signals are blocked and a signal is no longer lost.
wait_init_ready() {
	local pid _
	pid=$(rt state "$ID" | jq -r .pid)
	for _ in $(seq 100); do
		[ -n "$(children_of "$pid")" ] && return 0
		sleep 0.05
	done
	echo "the init ($pid) has no child"
	return 1
}

@test "init as pid 1: exits with the program, leaving no orphan to wait for" {
	init_in_rootfs
	SECONDS=0
	run_ctr /bin/scute-init sh -c 'sleep 100 & exit 5'
	[ "$status" -eq 5 ]
	[ "$SECONDS" -lt 10 ]
	assert_nothing_left
}

@test "init as pid 1: reaps the container's orphans" {
	init_in_rootfs
	args /bin/scute-init sh -c 'sh -c "sleep 2 & exit 0"; exec sleep 30'
	rt run -d -b "$BUNDLE" "$ID"
	local pid
	pid=$(rt state "$ID" | jq -r .pid)
	# the program and the orphan, then the program alone, no zombie
	wait_children "$pid" 2
	wait_children "$pid" 1
	! children_of "$pid" | grep -q ' Z'
	rt kill "$ID" KILL
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "init as pid 1: SIGTERM to the container ends a program without a handler" {
	init_in_rootfs
	args /bin/scute-init sh -c 'sleep 100; exit 0'
	"$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID" &
	local runner=$!
	wait_status running
	wait_init_ready
	rt kill "$ID" TERM
	wait_rc "$runner"
	[ "$RC" -eq 143 ]
	assert_nothing_left
}

@test "init as pid 1, the control: a shell as pid 1 ignores SIGTERM" {
	args sh -c 'sleep 100; exit 0'
	"$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID" &
	local runner=$!
	wait_status running
	# the shell has forked its sleep: it is past its own start
	wait_init_ready
	rt kill "$ID" TERM
	local _
	for _ in $(seq 20); do
		kill -0 "$runner" 2>/dev/null || break
		sleep 0.1
	done
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	rt kill "$ID" KILL
	wait_rc "$runner"
	[ "$RC" -eq 137 ]
	assert_nothing_left
}
