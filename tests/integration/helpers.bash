# Shared setup for the integration tests: one busybox rootfs per test file,
# one bundle, state root and cgroup path per test, all removed afterwards.

SRC_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD_DIR=${SCUTE_BUILD_DIR:-$SRC_ROOT/build}
SCUTE_RUNTIME=${SCUTE_RUNTIME:-$BUILD_DIR/scute-runtime}
PROBE=${PROBE:-$BUILD_DIR/tests/probe}
SCUTE_INIT=${SCUTE_INIT:-$BUILD_DIR/scute-init}

# One rootfs per file; tests that need to change it make their own.
setup_file() {
	export FILE_DIR
	FILE_DIR=$(mktemp -d /tmp/scute-test-file.XXXXXX)
	SCUTE_RUNTIME=$SCUTE_RUNTIME "$SRC_ROOT/scripts/mkbundle.sh" "$FILE_DIR/template" "$PROBE"
}

teardown_file() {
	rm -rf "$FILE_DIR"
}

setup() {
	TEST_DIR=$(mktemp -d /tmp/scute-test.XXXXXX)
	ROOT=$TEST_DIR/state
	BUNDLE=$TEST_DIR/bundle
	ID=t$$-$BATS_TEST_NUMBER
	mkdir -p "$BUNDLE"
	# The shared rootfs, by absolute path; the config is per test.
	jq --arg root "$FILE_DIR/template/rootfs" '.root.path = $root' \
		"$FILE_DIR/template/config.json" >"$BUNDLE/config.json"
}

teardown() {
	local id c
	for id in $(rt list -q 2>/dev/null); do
		rt delete --force "$id" >/dev/null 2>&1 || true
	done
	for c in "${CLEANUP[@]}"; do
		eval "$c" >/dev/null 2>&1 || true
	done
	rm -rf "$TEST_DIR"
}

# on_teardown CMD: run CMD (a shell string) after the test, pass or fail.
CLEANUP=()
on_teardown() {
	CLEANUP+=("$1")
}

rt() {
	"$SCUTE_RUNTIME" --root "$ROOT" "$@"
}

# cfg FILTER [jq args...]: edit the bundle's config.json with jq (read from
# stdin, so --args can take the rest of the line).
cfg() {
	local filter=$1
	shift
	jq "$filter" "$@" <"$BUNDLE/config.json" >"$BUNDLE/config.json.new"
	mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# args CMD...: set process.args (one argument a line, so none may hold a
# newline; jq's own --args would take "-c" as its option).
args() {
	local json
	json=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
	cfg '.process.args = $a' --argjson a "$json"
}

# run_ctr CMD...: run a container in the foreground with these args.
run_ctr() {
	args "$@"
	run rt run -b "$BUNDLE" "$ID"
}

# The capability mask a /proc/PID/status line reports.
status_field() {
	printf '%s\n' "$output" | awk -v f="$1:" '$1 == f { print $2 }'
}

# Nothing of container $1 is left: state, cgroups, mounts, processes.
assert_nothing_left() {
	local id=${1:-$ID}
	[ ! -e "$ROOT/$id" ] || { echo "state left: $ROOT/$id"; return 1; }
	local left
	# find exits non-zero when a directory it walks (another test's cgroup)
	# vanishes under it; only what it prints counts.
	left=$(find /sys/fs/cgroup -maxdepth 3 -type d -name "$id" 2>/dev/null || true)
	[ -z "$left" ] || { echo "cgroups left: $left"; return 1; }
	! grep -q "$TEST_DIR" /proc/self/mountinfo || { echo "mounts left"; return 1; }
	! pgrep -f "scute-runtime.*$id" >/dev/null || { echo "processes left"; return 1; }
}

# expect_create_error PATTERN: create fails, says PATTERN, leaves nothing.
expect_create_error() {
	run rt create -b "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$1"* ]]
	assert_nothing_left
	# (The seccomp cache is the runtime's, not the container's.)
	[ -z "$(ls -A "$ROOT" 2>/dev/null | grep -vx seccomp-cache)" ]
}

# A container in the created state; sets $PID.
create_ctr() {
	args "$@"
	rt create -b "$BUNDLE" --pid-file "$TEST_DIR/pid" "$ID"
	PID=$(cat "$TEST_DIR/pid")
}

wait_status() {
	local want=$1 i
	for i in $(seq 100); do
		[ "$(rt state "$ID" | jq -r .status)" = "$want" ] && return 0
		sleep 0.05
	done
	echo "status is $(rt state "$ID" | jq -r .status), not $want"
	return 1
}

# wait_socket PATH: until a listener has bound PATH (at most 2.5 s).
wait_socket() {
	local _
	for _ in $(seq 50); do
		[ -S "$1" ] && return 0
		sleep 0.05
	done
	echo "nothing listens at $1"
	return 1
}

# wait_line FILE PATTERN [TRIES]: until FILE has a line matching the grep
# pattern, polled every 0.1 s (TRIES, default 100); fails showing FILE.
wait_line() {
	local _
	for _ in $(seq "${3:-100}"); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no line matching $2 in $1:"
	cat "$1"
	return 1
}

# passing OPENS CMD...: a shell that closes everything from 3 up, runs
# OPENS (opening exactly the fds the test passes), then becomes CMD.
passing() {
	local opens=$1
	shift
	bash -c 'for fd in $(seq 3 63); do eval "exec $fd>&-"; done; '"$opens"'; exec "$@"' \
		passing "$@"
}

# The jq filter adding CAP_SYS_PTRACE to every capability set but
# inheritable and ambient.
PLUS_PTRACE='.process.capabilities |= with_entries(if .key == "inheritable" or .key == "ambient"
	then . else .value += ["CAP_SYS_PTRACE"] end)'

# tracer_config SECONDS MODE: the container may trace (CAP_SYS_PTRACE, no
# user namespace) and runs the attacker `probe trace-new SECONDS MODE`.
tracer_config() {
	cfg "$PLUS_PTRACE"
	args probe trace-new "$1" "$2"
}

# execve_agent SECONDS: a seccomp agent (probe seccomp-hold) that holds
# every execve after the init's own for SECONDS, and the config that
# sends execve to it; it writes "held PID" lines to $TEST_DIR/agent.out.
execve_agent() {
	"$PROBE" seccomp-hold "$TEST_DIR/agent.sock" "$TEST_DIR/agent.out" "$1" 3>&- &
	on_teardown "kill $!"
	wait_socket "$TEST_DIR/agent.sock"
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $s,
	       syscalls: [{names: ["execve"], action: "SCMP_ACT_NOTIFY"}]}' --arg s "$TEST_DIR/agent.sock"
}

# held_exec SECONDS MODE: the attacker (tracer_config) running detached
# as the init, its report in $TEST_DIR/attack, with every process exec'd
# into the container held in its execve for 2 s, so that the attacker
# certainly finds it before it has exec'd.
held_exec() {
	execve_agent 2
	tracer_config "$1" "$2"
	rt run -d -b "$BUNDLE" "$ID" >"$TEST_DIR/attack"
}

# The attacker's report once it is done: no capability gained beyond its
# own bounding set, no fd but pipes, sockets, ptys and /dev/null.
attack_report() {
	wait_line "$TEST_DIR/attack" '^done$' 200
	cat "$TEST_DIR/attack"
	! grep -q '^gained\|^hostfd' "$TEST_DIR/attack"
}

# pid_ns_owner NAME: container NAME running `sleep 60` as the first
# process of its pid namespace, for a later one to join (join_pid_ns);
# sets APID, the host pid of its init.
pid_ns_owner() {
	args sleep 60
	rt create -b "$BUNDLE" --pid-file "$TEST_DIR/$1.pid" "$1"
	rt start "$1"
	APID=$(cat "$TEST_DIR/$1.pid")
}

# join_pid_ns: the bundle's container joins $APID's pid namespace by path.
join_pid_ns() {
	cfg '.linux.namespaces |= map(if .type == "pid" then .path = $p else . end)' \
		--arg p "/proc/$APID/ns/pid"
}

# sockcall_in_rootfs: the 64-bit and the 32-bit sockcall in the rootfs
# (skips the test where there is no i386 build).
sockcall_in_rootfs() {
	[ -x "$BUILD_DIR/tests/sockcall32" ] || skip "no i386 sockcall (not an x86_64 build)"
	local b
	for b in 64 32; do
		cp "$BUILD_DIR/tests/sockcall$b" "$FILE_DIR/template/rootfs/bin/sockcall$b"
		on_teardown "rm -f $FILE_DIR/template/rootfs/bin/sockcall$b"
	done
}

# tty_receiver: probe recvtty listening at $TEST_DIR/tty.sock, writing
# what the pty it receives shows to $TEST_DIR/tty.out; sets TTY_RECEIVER.
tty_receiver() {
	"$PROBE" recvtty "$TEST_DIR/tty.sock" "$TEST_DIR/tty.out" 3>&- &
	TTY_RECEIVER=$!
	on_teardown "kill $TTY_RECEIVER"
	wait_socket "$TEST_DIR/tty.sock"
}
