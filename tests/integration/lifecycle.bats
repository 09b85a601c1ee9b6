#!/usr/bin/env bats
# create → start → state → kill → delete, run, and the runc contract.

load helpers

@test "run: exits with the container's status" {
	run_ctr sh -c 'exit 7'
	[ "$status" -eq 7 ]
	assert_nothing_left
}

@test "run: 128+N when the process dies of signal N" {
	args sleep 30
	rt run -b "$BUNDLE" "$ID" &
	local runner=$!
	wait_status running
	rt kill "$ID" KILL
	local rc=0
	wait "$runner" || rc=$?
	[ "$rc" -eq 137 ]
	assert_nothing_left
}

@test "run: stdout of the container reaches the caller" {
	run_ctr echo hello-from-scute
	[ "$status" -eq 0 ]
	[ "$output" = "hello-from-scute" ]
}

@test "run: forwards SIGTERM to the container" {
	args sh -c 'trap "echo got-term; exit 3" TERM; while :; do sleep 0.05; done'
	# The runtime itself in the background, not a subshell around it.
	"$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID" >"$TEST_DIR/out" &
	local runner=$!
	wait_status running
	sleep 0.2
	kill -TERM "$runner"
	local rc=0
	wait "$runner" || rc=$?
	[ "$rc" -eq 3 ]
	grep -q got-term "$TEST_DIR/out"
	assert_nothing_left
}

@test "run --keep leaves a stopped container; delete removes it" {
	args true
	rt run --keep -b "$BUNDLE" "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = stopped ]
	rt delete "$ID"
	assert_nothing_left
}

@test "run --detach returns while the container runs" {
	args sleep 30
	rt run -d -b "$BUNDLE" "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	rt kill "$ID" KILL
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "create → created, start → running, exit → stopped, delete" {
	create_ctr sh -c 'read x < /dev/null; sleep 0.3'
	run rt state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = created ]
	[ "$(jq -r .pid <<<"$output")" = "$PID" ]
	[ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
	[ "$(jq -r .ociVersion <<<"$output")" = 1.2.0 ]
	# The process has not run its program yet: it is still our init.
	[ "$(readlink /proc/$PID/exe)" != "$FILE_DIR/template/rootfs/bin/busybox" ]
	rt start "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "process.args is not applied until start" {
	cfg '.root.readonly = false'
	create_ctr sh -c 'echo ran > /tmp/marker'
	sleep 0.2
	[ ! -e "$FILE_DIR/template/rootfs/tmp/marker" ]
	rt start "$ID"
	wait_status stopped
	[ -e "$FILE_DIR/template/rootfs/tmp/marker" ]
	rm -f "$FILE_DIR/template/rootfs/tmp/marker"
}

@test "kill: names with and without SIG, numbers" {
	local sig
	for sig in KILL SIGKILL 9 kill; do
		create_ctr sleep 30
		rt start "$ID"
		rt kill "$ID" $sig
		wait_status stopped
		rt delete "$ID"
	done
	assert_nothing_left
}

@test "kill: TERM by default" {
	# pid 1 of a namespace only dies of signals it handles (or KILL).
	create_ctr sh -c 'trap "exit 0" TERM; while :; do sleep 0.05; done'
	rt start "$ID"
	sleep 0.2
	rt kill "$ID"
	wait_status stopped
}

@test "kill: an unknown signal is an error naming it" {
	create_ctr sleep 30
	run rt kill "$ID" SIGNOPE
	[ "$status" -ne 0 ]
	[[ "$output" == *'kill: "SIGNOPE" is not a signal name or number'* ]]
	run rt kill "$ID" 65
	[ "$status" -ne 0 ]
	[[ "$output" == *'kill: signal: 65 is out of range [1, 64]'* ]]
	[ "$(rt state "$ID" | jq -r .status)" = created ]
	# Realtime signals by name, as kill(1) and docker write them.
	rt kill "$ID" RTMIN+1
}

@test "kill on a stopped container is an error" {
	args true
	rt run --keep -b "$BUNDLE" "$ID"
	run rt kill "$ID" KILL
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"* ]]
}

@test "kill --all signals every process of the container" {
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	create_ctr sh -c 'sleep 30 & sleep 30 & wait'
	rt start "$ID"
	sleep 0.3
	local procs
	procs=$(cat /sys/fs/cgroup/pids/"$ID"/cgroup.procs | wc -l)
	[ "$procs" -ge 3 ]
	rt kill --all "$ID" KILL
	wait_status stopped
	sleep 0.2
	[ -z "$(cat /sys/fs/cgroup/pids/"$ID"/cgroup.procs)" ]
	rt delete "$ID"
	assert_nothing_left
}

@test "delete: a created container goes without --force (as runc)" {
	create_ctr true
	rt delete "$ID"
	! kill -0 "$PID" 2>/dev/null
	assert_nothing_left
}

@test "delete: a running container needs --force" {
	create_ctr sleep 30
	rt start "$ID"
	run rt delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"running"* ]]
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	rt delete --force "$ID"
	! kill -0 "$PID" 2>/dev/null
	assert_nothing_left
}

@test "delete --force without a pid namespace kills every process" {
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	create_ctr sh -c 'sleep 30 & sleep 30 & wait'
	rt start "$ID"
	sleep 0.2
	rt delete --force "$ID"
	assert_nothing_left
}

@test "start: twice is an error; start of a stopped container is an error" {
	create_ctr true
	rt start "$ID"
	wait_status stopped
	run rt start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"stopped, not created"* ]]
}

@test "state/start/kill/delete of an unknown container" {
	local verb
	for verb in state start kill delete; do
		run rt $verb nosuch
		[ "$status" -ne 0 ]
		[[ "$output" == *'container "nosuch" does not exist'* ]]
	done
	rt delete --force nosuch
}

@test "create: a duplicate id is refused and the first is untouched" {
	create_ctr sleep 30
	run rt create -b "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already exists"* ]]
	[ "$(rt state "$ID" | jq -r .status)" = created ]
	kill -0 "$PID"
}

@test "create: --pid-file gets the init's host pid" {
	create_ctr true
	[ "$PID" -gt 1 ]
	[ -d /proc/"$PID" ]
	grep -q "^1$" <(awk '/^NSpid/ { print $NF }' /proc/$PID/status)
}

@test "create: --pid-file never follows a symlink planted at a temporary name" {
	echo original >"$TEST_DIR/victim"
	# The name the runtime used to write through (PATH.tmp), and others.
	ln -s "$TEST_DIR/victim" "$TEST_DIR/pid.tmp"
	create_ctr true
	[ "$(cat "$TEST_DIR/victim")" = original ]
	[ -L "$TEST_DIR/pid.tmp" ]
	[ ! -L "$TEST_DIR/pid" ]
	[ "$PID" -gt 1 ]
	[ -d /proc/"$PID" ]
	# No temporary file is left beside it.
	[ "$(ls "$TEST_DIR" | grep -c '^pid\.')" = 1 ]
}

@test "create: an invalid id is refused" {
	run rt create -b "$BUNDLE" '../escape'
	[ "$status" -ne 0 ]
	[[ "$output" == *"invalid container id"* ]]
	[ ! -e "$TEST_DIR/escape" ]
}

@test "start reports an exec failure and leaves the container stopped" {
	create_ctr /bin/no-such-program
	run rt start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no-such-program"* ]]
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "run: a program not in PATH is reported" {
	run_ctr no-such-program
	[ "$status" -ne 0 ]
	[[ "$output" == *'exec: "no-such-program": executable file not found in $PATH'* ]]
	assert_nothing_left
}

@test "list: table, json and quiet" {
	create_ctr sleep 30
	run rt list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == ID*PID*STATUS*BUNDLE* ]]
	[[ "${lines[1]}" == "$ID"*created* ]]
	run rt list -q
	[ "$output" = "$ID" ]
	run rt list --format json
	[ "$(jq -r '.[0].id' <<<"$output")" = "$ID" ]
	[ "$(jq -r '.[0].status' <<<"$output")" = created ]
	run rt list --format yaml
	[ "$status" -ne 0 ]
}

@test "annotations are kept in the state" {
	cfg '.annotations = {"org.example.key": "value"}'
	create_ctr true
	[ "$(rt state "$ID" | jq -r '.annotations["org.example.key"]')" = value ]
}

@test "a container whose annotations pass 64 KiB is created, started, killed and deleted" {
	local big
	big=$(head -c 70000 /dev/zero | tr '\0' a)
	cfg '.annotations = {"org.example.big": $v, "org.example.small": "x"}' --arg v "$big"
	create_ctr sleep 100
	[ "$(rt state "$ID" | jq -r '.annotations["org.example.big"] | length')" = 70000 ]
	rt start "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	rt kill "$ID" KILL
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "--version and --help" {
	run "$SCUTE_RUNTIME" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^scute-runtime\ version\ [0-9] ]]
	[[ "${lines[1]}" =~ ^spec:\ 1\.2\. ]]
	run "$SCUTE_RUNTIME" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *create* && "$output" == *features* ]]
	run "$SCUTE_RUNTIME" create --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--console-socket* ]]
}

@test "--log with --log-format json writes error lines" {
	run "$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log.json" --log-format json state nosuch
	[ "$status" -ne 0 ]
	local line
	line=$(tail -n1 "$TEST_DIR/log.json")
	[ "$(jq -r .level <<<"$line")" = error ]
	[[ "$(jq -r .msg <<<"$line")" == *'"nosuch" does not exist'* ]]
	[[ "$(jq -r .time <<<"$line")" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T ]]
}

@test "--systemd-cgroup is refused with a clear reason" {
	run "$SCUTE_RUNTIME" --systemd-cgroup --root "$ROOT" create -b "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *systemd* ]]
	assert_nothing_left
}

@test "unknown verb is an error" {
	run "$SCUTE_RUNTIME" frobnicate
	[ "$status" -ne 0 ]
	[[ "$output" == *'unknown command "frobnicate"'* ]]
}

@test "socket activation: LISTEN_FDS fds first, then --preserve-fds, and the env says so" {
	args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; probe fds'
	# LISTEN_PID must be the runtime's own pid, as systemd sets it.
	run bash -c 'exec 3</dev/null 4</dev/zero 5</dev/full 6</dev/urandom
		export LISTEN_FDS=2 LISTEN_PID=$$
		exec "$0" --root "$1" run --preserve-fds 1 -b "$2" "$3"' \
		"$SCUTE_RUNTIME" "$ROOT" "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "2 1" ]
	[[ "$output" == *"3 /dev/null"* && "$output" == *"4 /dev/zero"* && "$output" == *"5 /dev/full"* ]]
	[[ "$output" != *"6 "* ]]
	# For another process (LISTEN_PID not ours), nothing is passed.
	run bash -c 'exec 3</dev/null; LISTEN_FDS=1 LISTEN_PID=1 "$0" --root "$1" run -b "$2" "$3"' \
		"$SCUTE_RUNTIME" "$ROOT" "$BUNDLE" "$ID"
	[[ "$output" != *"3 /dev/null"* ]]
}

@test "--preserve-fds passes fds 3.. to the container, nothing else" {
	args probe fds
	run bash -c 'exec 3</dev/null 4</dev/zero 5</dev/full; "$0" --root "$1" run --preserve-fds 2 -b "$2" "$3"' \
		"$SCUTE_RUNTIME" "$ROOT" "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"3 /dev/null"* ]]
	[[ "$output" == *"4 /dev/zero"* ]]
	[[ "$output" != *"5 "* ]]
}

@test "--console-socket: the init's stdio is a pty whose master reaches the socket" {
	cfg '.process.terminal = true | .process.consoleSize = {height: 30, width: 100}'
	args sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo is-a-tty; readlink /proc/self/fd/0; stat -c %t:%T /dev/console; stty size'
	tty_receiver
	rt create --console-socket "$TEST_DIR/tty.sock" -b "$BUNDLE" "$ID"
	rt start "$ID"
	wait "$TTY_RECEIVER"
	cat "$TEST_DIR/tty.out"
	grep -q "^/dev/pts/0" "$TEST_DIR/tty.out"
	grep -q "is-a-tty" "$TEST_DIR/tty.out"
	grep -q "^88:0" "$TEST_DIR/tty.out"
	grep -q "^30 100" "$TEST_DIR/tty.out" # process.consoleSize
}

@test "spec: writes the hardened config, refuses to overwrite one" {
	local d=$TEST_DIR/spec
	mkdir -p "$d"
	"$SCUTE_RUNTIME" spec -b "$d"
	local c=$d/config.json
	[ "$(jq -c '.process.capabilities.bounding | sort' "$c")" = \
		'["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_SETGID","CAP_SETPCAP","CAP_SETUID"]' ]
	[ "$(jq -c '.process.capabilities.effective == .process.capabilities.bounding and .process.capabilities.permitted == .process.capabilities.bounding' "$c")" = true ]
	[ "$(jq -c '.process.capabilities.inheritable, .process.capabilities.ambient' "$c" | tr -d '\n')" = '[][]' ]
	[ "$(jq '.process.noNewPrivileges' "$c")" = true ]
	[ "$(jq '.root.readonly' "$c")" = true ]
	[ "$(jq '.linux.resources.pids.limit' "$c")" -gt 0 ]
	[ "$(jq -c '.process.rlimits' "$c")" = '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' ]
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["cgroup","ipc","mount","network","pid","uts"]' ]
	# At least Docker's masked and read-only paths.
	local p
	for p in /proc/asound /proc/acpi /proc/kcore /proc/keys /proc/latency_stats \
		/proc/timer_list /proc/timer_stats /proc/sched_debug /proc/scsi /sys/firmware \
		/sys/devices/virtual/powercap; do
		jq -e --arg p "$p" '.linux.maskedPaths | index($p)' "$c" >/dev/null
	done
	for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
		jq -e --arg p "$p" '.linux.readonlyPaths | index($p)' "$c" >/dev/null
	done
	run "$SCUTE_RUNTIME" spec -b "$d"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already exists"* ]]
}

@test "spec --rootless: a user namespace mapping the caller, no cgroup limits" {
	local d=$TEST_DIR/spec
	mkdir -p "$d"
	"$SCUTE_RUNTIME" spec --rootless -b "$d"
	[ "$(jq -c '.linux.uidMappings' "$d/config.json")" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
	jq -e '.linux.namespaces | map(.type) | index("user")' "$d/config.json" >/dev/null
	[ "$(jq '.linux.resources' "$d/config.json")" = null ]
	# It runs (here as root, so the caller's uid is 0).
	jq --arg r "$FILE_DIR/template/rootfs" '.root.path = $r | .process.args = ["cat", "/proc/self/uid_map"]' \
		"$d/config.json" >"$d/c" && mv "$d/c" "$d/config.json"
	run rt run -b "$d" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\ +0\ +$(id -u)\ +1$ ]]
}

@test "features: the runtime-spec features document, true to this build" {
	run "$SCUTE_RUNTIME" features
	[ "$status" -eq 0 ]
	[ "$(jq -r .ociVersionMax <<<"$output")" = 1.2.0 ]
	[ "$(jq -c '.linux.namespaces | sort' <<<"$output")" = '["cgroup","ipc","mount","network","pid","time","user","uts"]' ]
	jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")' <<<"$output" >/dev/null
	jq -e '.mountOptions | index("rbind") and index("nosymfollow")' <<<"$output" >/dev/null
	# What this build refuses, it does not claim.
	[ "$(jq '.linux.seccomp.enabled' <<<"$output")" = true ]
	jq -e '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY")' <<<"$output" >/dev/null
	[ "$(jq '.linux.apparmor.enabled' <<<"$output")" = true ] # supported by the build
	[ "$(jq '.linux.selinux.enabled' <<<"$output")" = true ]
	[ "$(jq '.linux.intelRdt.enabled' <<<"$output")" = false ]
	[ "$(jq '.linux.cgroup.rdma' <<<"$output")" = true ]
	# What the host has: this one runs neither AppArmor nor SELinux, and
	# the Landlock ABI is the kernel's.
	local abi
	abi=$(jq -r '.annotations["org.scute.landlock.abi"]' <<<"$output")
	[[ "$abi" =~ ^[0-9]+$ ]]
	if [ ! -e /sys/kernel/security/apparmor ]; then
		[ "$(jq -r '.annotations["org.scute.apparmor.host"]' <<<"$output")" = disabled ]
	fi
	[ -e /sys/fs/selinux/enforce ] ||
		[ "$(jq -r '.annotations["org.scute.selinux.host"]' <<<"$output")" = disabled ]
	[ "$(jq -c '.hooks' <<<"$output")" = '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]' ]
	! jq -e '.mountOptions | index("idmap")' <<<"$output" >/dev/null
}
