# Shared setup for the integration tests: one busybox rootfs per test file,
# one bundle, state root and cgroup path per test, all removed afterwards.

SRC_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD_DIR=${SCUTE_BUILD_DIR:-$SRC_ROOT/build}
SCUTE_RUNTIME=${SCUTE_RUNTIME:-$BUILD_DIR/scute-runtime}
PROBE=${PROBE:-$BUILD_DIR/tests/probe}

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
