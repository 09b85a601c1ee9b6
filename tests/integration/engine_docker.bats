#!/usr/bin/env bats
# dockerd 20.10 (docker.io) with --add-runtime scute=…, driven by the docker
# CLI: every hardening flag arrives enforced, checked from inside the
# container or through docker inspect.

load engines

setup_file() {
	command -v dockerd >/dev/null || skip "dockerd (docker.io) is not installed"
	export ENGINE_DIR DOCKER_HOST
	ENGINE_DIR=$(mktemp -d /tmp/scute-docker.XXXXXX)
	DOCKER_HOST=unix://$ENGINE_DIR/docker.sock
	remember_cgroup_parent docker
	# dockerd's containerd puts its shims' sockets there, whatever its root.
	remember_absent /run/containerd
	# No bridge, no iptables: the host's network is left alone.
	dockerd --data-root "$ENGINE_DIR/data" --exec-root "$ENGINE_DIR/exec" \
		--pidfile "$ENGINE_DIR/docker.pid" -H "$DOCKER_HOST" --bridge none \
		--iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
		--storage-driver overlay2 --add-runtime scute="$SCUTE_RUNTIME" \
		>"$ENGINE_DIR/dockerd.log" 2>&1 &
	wait_for docker version
	make_image
	docker load -i "$ENGINE_DIR/busybox.tar" >/dev/null
}

teardown_file() {
	[ -n "${ENGINE_DIR:-}" ] || return 0
	docker rm -f $(docker ps -aq) >/dev/null 2>&1 || true
	stop_daemon "$ENGINE_DIR/docker.pid"
	engine_cleanup
}

setup() {
	TEST_DIR=$(mktemp -d /tmp/scute-test.XXXXXX)
}

teardown() {
	rm -rf "$TEST_DIR"
}

drun() {
	docker run --rm --runtime scute "$@"
}

@test "docker: --cap-drop ALL --cap-add NET_BIND_SERVICE, --security-opt no-new-privileges" {
	run drun --cap-drop ALL --cap-add NET_BIND_SERVICE --security-opt no-new-privileges \
		busybox:scute cat /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(status_field CapEff)" = 0000000000000400 ]
	[ "$(status_field CapBnd)" = 0000000000000400 ]
	[ "$(status_field CapInh)" = 0000000000000000 ]
	[ "$(status_field NoNewPrivs)" = 1 ]
	[ "$(status_field Seccomp)" = 2 ] # Docker's default profile
}

@test "docker: --security-opt seccomp=FILE" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW",
	       "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}' >"$TEST_DIR/p.json"
	run drun --security-opt seccomp="$TEST_DIR/p.json" busybox:scute sh -c 'mkdir /tmp/d 2>&1; echo ok'
	echo "$output"
	[[ "$output" == *"Operation not permitted"* ]]
	# The containers-common profile (Docker's format) runs a normal workload.
	run drun --security-opt seccomp="$SRC_ROOT/../shared/testdata/containers-default-seccomp.json" \
		busybox:scute sh -c 'mkdir /tmp/d && echo made'
	[ "$output" = made ]
}

@test "docker: --memory 128m --cpus .5 --pids-limit 64, seen in the cgroup and inspect" {
	local id
	id=$(docker run -d --runtime scute --memory 128m --cpus .5 --pids-limit 64 busybox:scute sleep 300)
	[ "$(cat /sys/fs/cgroup/memory/docker/"$id"/memory.limit_in_bytes)" = 134217728 ]
	[ "$(cat /sys/fs/cgroup/cpu/docker/"$id"/cpu.cfs_quota_us)" = 50000 ]
	[ "$(cat /sys/fs/cgroup/pids/docker/"$id"/pids.max)" = 64 ]
	[ "$(docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' "$id")" = \
		"134217728 500000000 64" ]
	# docker update reaches the live cgroup.
	docker update --memory 96m --memory-swap 192m "$id"
	[ "$(cat /sys/fs/cgroup/memory/docker/"$id"/memory.limit_in_bytes)" = 100663296 ]
	docker rm -f "$id"
	[ ! -e /sys/fs/cgroup/memory/docker/"$id" ]
}

@test "docker: --read-only" {
	run drun --read-only busybox:scute sh -c 'touch /x 2>&1; touch /tmp/x 2>&1'
	echo "$output" # shown when the test fails
	[[ "${lines[0]}" == *"Read-only file system"* ]]
}

@test "docker: --restart on-failure:5 restarts five times, then stops" {
	local id
	id=$(docker run -d --runtime scute --restart on-failure:5 busybox:scute sh -c 'exit 1')
	wait_for sh -c "[ \"\$(docker inspect -f '{{.RestartCount}} {{.State.Status}}' $id)\" = '5 exited' ]"
	[ "$(docker inspect -f '{{.State.ExitCode}}' "$id")" = 1 ]
	docker rm "$id"
}

@test "docker: -it (through script), docker exec, docker exec -it" {
	run script -qec "docker run -it --rm --runtime scute busybox:scute tty" /dev/null
	[[ "$output" == *"/dev/pts/0"* ]]
	local id
	id=$(docker run -d --runtime scute --cap-drop ALL busybox:scute sleep 300)
	run docker exec "$id" sh -c 'echo exec-ok; grep CapEff /proc/self/status'
	[ "${lines[0]}" = exec-ok ]
	[[ "${lines[1]}" == *0000000000000000 ]] # the container's capabilities, no more
	run script -qec "docker exec -it $id tty" /dev/null
	[[ "$output" == *"/dev/pts/"* ]]
	docker rm -f "$id"
}

@test "docker: top, pause/unpause, stop, kill, rm" {
	local id
	id=$(docker run -d --runtime scute busybox:scute sleep 300)
	run docker top "$id"
	[[ "$output" == *"sleep 300"* ]]
	docker pause "$id"
	[ "$(docker inspect -f '{{.State.Status}}' "$id")" = paused ]
	[ "$(cat /sys/fs/cgroup/freezer/docker/"$id"/freezer.state)" = FROZEN ]
	docker unpause "$id"
	[ "$(docker inspect -f '{{.State.Status}}' "$id")" = running ]
	docker stop -t 1 "$id"
	[ "$(docker inspect -f '{{.State.Status}}' "$id")" = exited ]
	docker start "$id"
	docker kill "$id"
	[ "$(docker inspect -f '{{.State.ExitCode}}' "$id")" = 137 ]
	docker rm "$id"
	[ ! -e /sys/fs/cgroup/memory/docker/"$id" ]
}

@test "docker: scute-runtime's error reaches the user through the shim" {
	# --kernel-memory sets linux.resources.memory.kernel, which no kernel
	# since 5.16 enforces: create fails, and docker says why.
	run docker run --rm --runtime scute --kernel-memory 64m busybox:scute true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.resources.memory.kernel: a separate kernel memory limit is not enforced"* ]]
}
