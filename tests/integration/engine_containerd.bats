#!/usr/bin/env bats
# containerd 1.6 (ctr) drives scute-runtime through its runc shim
# (--runc-binary), on a busybox image imported from a local archive.

load engines

setup_file() {
	command -v containerd >/dev/null || skip "containerd is not installed"
	export ENGINE_DIR
	ENGINE_DIR=$(mktemp -d /tmp/scute-containerd.XXXXXX)
	remember_absent /run/containerd /run/containerd/runc
	remember_cgroup_parent default
	cat >"$ENGINE_DIR/config.toml" <<TOML
version = 2
root = "$ENGINE_DIR/root"
state = "$ENGINE_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ENGINE_DIR/c.sock"
[ttrpc]
  address = "$ENGINE_DIR/c.sock.ttrpc"
TOML
	# The runtime as the shim calls it, with its arguments logged.
	cat >"$ENGINE_DIR/scute" <<SH
#!/bin/sh
echo "\$@" >>"$ENGINE_DIR/argv.log"
exec "$SCUTE_RUNTIME" "\$@"
SH
	chmod +x "$ENGINE_DIR/scute"
	containerd --config "$ENGINE_DIR/config.toml" >"$ENGINE_DIR/containerd.log" 2>&1 &
	echo $! >"$ENGINE_DIR/containerd.pid"
	wait_for ctr -a "$ENGINE_DIR/c.sock" version
	make_image
	ctr -a "$ENGINE_DIR/c.sock" images import "$ENGINE_DIR/busybox.tar" >/dev/null
}

teardown_file() {
	[ -n "${ENGINE_DIR:-}" ] || return 0
	for t in $(ctr -a "$ENGINE_DIR/c.sock" tasks ls -q 2>/dev/null); do
		ctr -a "$ENGINE_DIR/c.sock" tasks kill -s 9 "$t" 2>/dev/null || true
	done
	sleep 0.3
	for c in $(ctr -a "$ENGINE_DIR/c.sock" containers ls -q 2>/dev/null); do
		ctr -a "$ENGINE_DIR/c.sock" tasks rm -f "$c" >/dev/null 2>&1 || true
		ctr -a "$ENGINE_DIR/c.sock" containers rm "$c" >/dev/null 2>&1 || true
	done
	stop_daemon "$ENGINE_DIR/containerd.pid"
	engine_cleanup
}

setup() {
	TEST_DIR=$(mktemp -d /tmp/scute-test.XXXXXX)
}

teardown() {
	rm -rf "$TEST_DIR"
}

ctr_() {
	ctr -a "$ENGINE_DIR/c.sock" "$@"
}

IMAGE=docker.io/library/busybox:scute

@test "containerd: ctr run goes through scute-runtime's create, start and delete" {
	run ctr_ run --rm --runc-binary "$ENGINE_DIR/scute" "$IMAGE" c1 sh -c 'echo hello; grep Seccomp: /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hello ]
	# The shim's calls, as REFERENCE.md §1 records them.
	grep -q -- "--log-format json create --bundle .* --pid-file .*init.pid c1" "$ENGINE_DIR/argv.log"
	grep -q -- "--log-format json start c1" "$ENGINE_DIR/argv.log"
	grep -q -- "--log-format json delete c1" "$ENGINE_DIR/argv.log"
	[ -z "$(ls -d /sys/fs/cgroup/*/default/c1 2>/dev/null)" ]
}

@test "containerd: exit status, a terminal (-t) and the container's own pid namespace" {
	run ctr_ run --rm --runc-binary "$ENGINE_DIR/scute" "$IMAGE" c2 sh -c 'echo $$; exit 3'
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = 1 ]
	run script -qec "ctr -a $ENGINE_DIR/c.sock run -t --rm --runc-binary $ENGINE_DIR/scute $IMAGE c3 tty" /dev/null
	echo "$output"
	[[ "$output" == *"/dev/pts/0"* ]]
}

@test "containerd: task exec, ps, pause and resume, kill" {
	ctr_ run -d --runc-binary "$ENGINE_DIR/scute" "$IMAGE" c4 sleep 300
	run ctr_ task exec --exec-id e1 c4 sh -c 'echo exec-ok; grep pids /proc/self/cgroup'
	echo "$output"
	[ "${lines[0]}" = exec-ok ]
	[[ "${lines[1]}" == *":pids:/default/c4" ]]
	grep -q -- "exec --process .* --detach --pid-file .* c4" "$ENGINE_DIR/argv.log"
	run ctr_ task ps c4
	[ "${#lines[@]}" -eq 2 ]
	ctr_ task pause c4
	[ "$(ctr_ task ls | awk '$1 == "c4" { print $3 }')" = PAUSED ]
	ctr_ task resume c4
	[ "$(ctr_ task ls | awk '$1 == "c4" { print $3 }')" = RUNNING ]
	ctr_ task kill -s 9 c4
	wait_for sh -c "ctr -a $ENGINE_DIR/c.sock task ls | grep -q 'c4.*STOPPED'"
	ctr_ task rm c4
	ctr_ container rm c4
	[ -z "$(ls -d /sys/fs/cgroup/*/default/c4 2>/dev/null)" ]
}
