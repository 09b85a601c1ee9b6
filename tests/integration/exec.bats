#!/usr/bin/env bats
# exec: a new process in a running container gets its namespaces, cgroup,
# seccomp filter, Landlock rules and capability limits, never more.

load helpers

start_ctr() {
	create_ctr "$@"
	rt start "$ID"
}

@test "exec: the container's namespaces, cgroup, filter and limits" {
	start_ctr sleep 30
	run rt exec "$ID" sh -c 'probe status; for n in mnt pid net ipc uts cgroup; do readlink /proc/self/ns/$n; done; cat /proc/self/cgroup | grep pids; echo pid=$$'
	echo "$output"
	[ "$status" -eq 0 ]
	local ns
	for ns in mnt pid net ipc uts cgroup; do
		[[ "$output" == *"$(readlink /proc/"$PID"/ns/$ns)"* ]]
	done
	[[ "$output" == *"pids:/"* ]]        # the container's cgroup, as its cgroupns root
	[[ "$output" != *"pid=1"* ]]         # in the pid namespace, not its init
	# Same capability sets, no_new_privs and a seccomp filter as the init.
	local init_status
	init_status=$(grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/"$PID"/status | tr -s '\t ' ' ')
	while read -r line; do
		[[ "$(tr -s '\t ' ' ' <<<"$output")" == *"$line"* ]]
	done <<<"$init_status"
	# The process is in the container's cgroup on the host too.
	rt exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 20
	local epid
	epid=$(cat "$TEST_DIR/exec.pid")
	[ "$(grep pids /proc/"$epid"/cgroup)" = "$(grep pids /proc/"$PID"/cgroup)" ]
	run rt ps --format json "$ID"
	[[ "$output" == *"$epid"* ]]
}

@test "exec: exit status, --env, --user, --cwd, --additional-gids" {
	start_ctr sleep 30
	run rt exec "$ID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run rt exec -e FOO=bar -e PATH=/bin --user 1000:1001 -g 5 -g 6 --cwd /etc "$ID" sh -c 'echo $FOO $PATH; id -u; id -g; id -G; pwd'
	echo "$output"
	[ "${lines[0]}" = "bar /bin" ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = 1001 ]
	[ "${lines[3]}" = "1001 5 6" ]
	[ "${lines[4]}" = /etc ]
	run rt exec "$ID" /nonexistent
	[ "$status" -ne 0 ]
	[[ "$output" == *"nonexistent"* ]]
	# An id past 32 bits would wrap to root in a uid_t: refused.
	run rt exec --user 4294967296 "$ID" id -u
	[ "$status" -ne 0 ]
	[[ "$output" == *'--user: "4294967296" is not UID[:GID]'* ]]
	run rt exec -g 4294967296 "$ID" id -u
	[ "$status" -ne 0 ]
	[[ "$output" == *'--additional-gids: 4294967296 is out of range'* ]]
	run rt exec --preserve-fds 1x "$ID" true
	[[ "$output" == *'--preserve-fds: "1x" is not a whole number'* ]]
}

@test "exec: --cap adds only within the container's bounding set" {
	cfg '.process.capabilities.bounding += ["CAP_NET_RAW"]'
	start_ctr sleep 30
	run rt exec --cap NET_RAW "$ID" grep CapEff /proc/self/status
	[ "$status" -eq 0 ]
	# NET_RAW is bit 13.
	[ $(( 0x$(awk '{print $2}' <<<"$output") >> 13 & 1 )) -eq 1 ]
	run rt exec --cap CAP_SYS_ADMIN "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"capability CAP_SYS_ADMIN is not in the container's bounding set"* ]]
	# A --process file may not ask for more either.
	jq '.process | .args = ["true"] | .capabilities.effective += ["CAP_SYS_MODULE"]' \
		"$BUNDLE/config.json" >"$TEST_DIR/process.json"
	run rt exec --process "$TEST_DIR/process.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"CAP_SYS_MODULE is not in the container's bounding set"* ]]
}

@test "exec: --process, as containerd sends it" {
	start_ctr sleep 30
	jq '.process | .args = ["sh", "-c", "echo $HELLO; pwd"] | .env += ["HELLO=world"] | .cwd = "/tmp"' \
		"$BUNDLE/config.json" >"$TEST_DIR/process.json"
	run rt exec --process "$TEST_DIR/process.json" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = world ]
	[ "${lines[1]}" = /tmp ]
	echo '{"args": ["x"]' >"$TEST_DIR/bad.json"
	run rt exec --process "$TEST_DIR/bad.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--process $TEST_DIR/bad.json: line"* ]]
}

@test "exec: the container's Landlock rules hold for exec'd processes" {
	[ "$("$SCUTE_RUNTIME" features | jq -r '.annotations["org.scute.landlock.abi"]')" -ge 1 ] ||
		skip "no Landlock"
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["write_file", "make_reg"]}}'
	start_ctr sleep 30
	run rt exec "$ID" probe write /dev/shm/x
	[ "$output" = EACCES ]
}

@test "exec: --tty sends a pty of its own to --console-socket" {
	start_ctr sleep 30
	tty_receiver
	rt exec -d --tty --console-socket "$TEST_DIR/tty.sock" "$ID" sh -c 'tty; [ -t 0 ] && echo is-a-tty'
	wait "$TTY_RECEIVER"
	cat "$TEST_DIR/tty.out"
	grep -q "^/dev/pts/" "$TEST_DIR/tty.out"
	grep -q "is-a-tty" "$TEST_DIR/tty.out"
	run rt exec --tty "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"needs --console-socket"* ]]
}

@test "exec: a stopped or missing container is refused" {
	create_ctr true
	rt start "$ID"
	wait_status stopped
	run rt exec "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"is stopped: cannot exec in it"* ]]
	run rt exec nosuch true
	[[ "$output" == *'"nosuch" does not exist'* ]]
}

@test "exec: --no-new-privs, --preserve-fds, and labels this host cannot apply" {
	cfg '.process.noNewPrivileges = false'
	start_ctr sleep 30
	run rt exec "$ID" grep NoNewPrivs /proc/self/status
	[[ "$output" == *"0" ]]
	run rt exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
	[[ "$output" == *"1" ]]
	run bash -c 'exec 3</dev/null 4</dev/zero; "$0" --root "$1" exec --preserve-fds 1 "$2" probe fds' \
		"$SCUTE_RUNTIME" "$ROOT" "$ID"
	echo "$output"
	[[ "$output" == *"3 /dev/null"* ]]
	[[ "$output" != *"4 "* ]]
	if [ ! -e /sys/kernel/security/apparmor ]; then
		run rt exec --apparmor scute-default "$ID" true
		[ "$status" -ne 0 ]
		[[ "$output" == *"AppArmor is not enabled on this host"* ]]
	fi
	if [ ! -e /sys/fs/selinux/enforce ]; then
		run rt exec --process-label system_u:system_r:container_t:s0 "$ID" true
		[ "$status" -ne 0 ]
		[[ "$output" == *"SELinux is not enabled on this host"* ]]
	fi
}

# issue 12: only fds the caller really passed may be preserved (`passing`
# opens exactly the fds a test passes).

@test "issue 12: --preserve-fds past what was passed is refused (create, run, exec)" {
	args probe fds
	# run: the two passed fds, and not the runtime's own --log file.
	run passing 'exec 3</dev/null 4</dev/zero' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" run -b "$BUNDLE" --preserve-fds 2 "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = $'3 /dev/null\n4 /dev/zero' ]
	# More than was passed: the runtime's fds (log, sockets, its /proc
	# handle) would follow; refused, naming the first missing fd.
	local verb
	for verb in run create; do
		run passing 'exec 3</dev/null 4</dev/zero' \
			"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" $verb -b "$BUNDLE" --preserve-fds 12 "$ID"
		echo "$output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"--preserve-fds 12: fd 5 was not passed to the runtime"* ]]
		assert_nothing_left
	done
	# None passed at all.
	run passing true "$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" --preserve-fds 1 "$ID"
	[[ "$output" == *"--preserve-fds 1: fd 3 was not passed to the runtime"* ]]
	# Past the fd limit.
	run passing 'ulimit -n 32; exec 3</dev/null' \
		"$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" --preserve-fds 40 "$ID"
	[[ "$output" == *"--preserve-fds 40: fd 42 is past the fd limit (32)"* ]]
	# LISTEN_FDS follows the same rule (LISTEN_PID: the runtime, which the
	# shell becomes with exec).
	run passing 'exec 3</dev/null; export LISTEN_FDS=3 LISTEN_PID=$$' \
		"$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID"
	[[ "$output" == *"LISTEN_FDS 3: fd 4 was not passed to the runtime"* ]]
	run passing 'exec 3</dev/null; export LISTEN_FDS=1 LISTEN_PID=$$' \
		"$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "3 /dev/null" ]
	assert_nothing_left
}

@test "issue 12: exec --preserve-fds passes exactly the fds given" {
	start_ctr sleep 30
	run passing 'exec 3</dev/null 4</dev/zero' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" exec --preserve-fds 2 "$ID" probe fds
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = $'3 /dev/null\n4 /dev/zero' ]
	run passing 'exec 3</dev/null 4</dev/zero' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" exec --preserve-fds 12 "$ID" probe fds
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--preserve-fds 12: fd 5 was not passed to the runtime"* ]]
	# Without --preserve-fds, nothing but stdio.
	run passing 'exec 3</dev/null' "$SCUTE_RUNTIME" --root "$ROOT" exec "$ID" probe fds
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "issue 12: --debug --log: the closed fds' numbers never carry log lines" {
	# With nothing passed the log is fd 3; once the init and exec's helper
	# have closed their fds, the start connection or a listener takes 3.
	args probe fds
	run passing true "$SCUTE_RUNTIME" --root "$ROOT" --debug --log "$TEST_DIR/log" run -b "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *[0-9]" "/* ]]
	args sleep 30
	rt run -d -b "$BUNDLE" "$ID"
	run passing true "$SCUTE_RUNTIME" --root "$ROOT" --debug --log "$TEST_DIR/log" exec "$ID" probe fds
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *[0-9]" "/* ]]
}
