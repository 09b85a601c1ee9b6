#!/usr/bin/env bats
# OCI hooks: each kind at its moment and in its namespaces, with the state
# on stdin, args, env and timeout; a failing hook fails its operation
# (poststop only warns).

load helpers

# hook KIND SCRIPT: append a hook running /bin/sh -c SCRIPT (env FOO=bar).
hook() {
	cfg ".hooks.$1 += [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \$s], env: [\"FOO=bar\"]}]" --arg s "$2"
}

setup_log() {
	mkdir -p "$TEST_DIR/log"
	LOG=$TEST_DIR/log/hooks
	cfg '.mounts += [{destination: "/log", type: "bind", source: $d, options: ["rbind", "rw"]}]' \
		--arg d "$TEST_DIR/log"
}

@test "hooks: every kind at its moment, with the state on stdin" {
	setup_log
	for kind in prestart createRuntime createContainer poststart poststop; do
		hook $kind "read -r s; echo \"$kind \$FOO \$(echo \"\$s\" | grep -o '\"status\":\"[a-z]*\"') mnt=\$(readlink /proc/self/ns/mnt)\" >>$LOG"
	done
	# startContainer runs inside the container: its paths are the container's.
	hook startContainer "read -r s; echo \"startContainer \$FOO \$(echo \"\$s\" | grep -o '\"status\":\"[a-z]*\"') mnt=\$(readlink /proc/self/ns/mnt)\" >>/log/hooks"
	create_ctr sleep 30
	local host_mnt ctr_mnt
	host_mnt=$(readlink /proc/self/ns/mnt)
	ctr_mnt=$(readlink /proc/"$PID"/ns/mnt)
	cat "$LOG"
	[ "$(wc -l <"$LOG")" -eq 3 ]
	[ "$(sed -n 1p "$LOG")" = "prestart bar \"status\":\"creating\" mnt=$host_mnt" ]
	[ "$(sed -n 2p "$LOG")" = "createRuntime bar \"status\":\"creating\" mnt=$host_mnt" ]
	[ "$(sed -n 3p "$LOG")" = "createContainer bar \"status\":\"creating\" mnt=$ctr_mnt" ]
	rt start "$ID"
	[ "$(sed -n 4p "$LOG")" = "startContainer bar \"status\":\"created\" mnt=$ctr_mnt" ]
	[ "$(sed -n 5p "$LOG")" = "poststart bar \"status\":\"running\" mnt=$host_mnt" ]
	rt delete --force "$ID"
	[ "$(sed -n 6p "$LOG")" = "poststop bar \"status\":\"stopped\" mnt=$host_mnt" ]
	assert_nothing_left
}

@test "hooks: a failing prestart hook fails create, naming it, and leaves nothing" {
	hook prestart 'echo boom >&2; exit 3'
	expect_create_error 'hooks.prestart[0] (/bin/sh): exit status 3: boom'
	cfg 'del(.hooks) | .hooks.createContainer = [{path: "/bin/sleep", args: ["sleep", "10"], timeout: 1}]'
	expect_create_error 'hooks.createContainer[0] (/bin/sleep): timed out after 1 s'
	cfg 'del(.hooks) | .hooks.createRuntime = [{path: "/nonexistent/hook"}]'
	# Again and again: the hook is often gone before its state is written,
	# which must not kill the runtime with SIGPIPE (it did, now and then).
	local i
	for i in 1 2 3 4 5 6 7 8; do
		expect_create_error 'hooks.createRuntime[0] (/nonexistent/hook): exit status 127: exec /nonexistent/hook: No such file'
	done
}

@test "hooks: a failing startContainer or poststart hook fails start; poststop only warns" {
	hook startContainer 'exit 4'
	create_ctr sleep 30
	run rt start "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"hooks.startContainer[0] (/bin/sh): exit status 4"* ]]
	rt delete --force "$ID"
	cfg 'del(.hooks)'
	hook poststart 'exit 5'
	hook poststop 'echo cleanup failed >&2; exit 6'
	create_ctr sleep 30
	run rt start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"hooks.poststart[0] (/bin/sh): exit status 5"* ]]
	wait_status stopped # the half-started container was killed
	run rt delete "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hooks.poststop[0] (/bin/sh): exit status 6: cleanup failed"* ]]
	assert_nothing_left
}

@test "hooks: run whose start fails leaves nothing and runs poststop; run's container is running when poststart runs" {
	setup_log
	hook startContainer 'exit 4'
	hook poststop "echo poststop >>$LOG"
	run rt run -b "$BUNDLE" --detach "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"hooks.startContainer[0] (/bin/sh): exit status 4"* ]]
	[ "$(cat "$LOG")" = poststop ]
	assert_nothing_left
	cfg 'del(.hooks)'
	# run writes the state once, as running, with the init's pid.
	hook poststart "cat >$LOG"
	args sleep 30
	rt run -b "$BUNDLE" --detach "$ID"
	grep -q '"status":"running"' "$LOG"
	run rt state "$ID"
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .pid <<<"$output")" -gt 1 ]
	rt delete --force "$ID"
	assert_nothing_left
}

@test "hooks: bad hook entries name the field" {
	cfg '.hooks = {prestart: [{path: "relative/hook"}]}'
	expect_create_error 'config.json: hooks.prestart[0]: path: "relative/hook" is not an absolute path'
	cfg '.hooks = {poststart: [{args: ["x"]}]}'
	expect_create_error 'config.json: hooks.poststart[0].path: required'
	cfg '.hooks = {poststop: [{path: "/bin/true", timeout: 0}]}'
	expect_create_error 'config.json: hooks.poststop[0].timeout: 0 is out of range'
	cfg '.hooks = {createRuntime: "x"}'
	expect_create_error 'config.json: hooks.createRuntime: expected an array'
}

# record KIND FILE: a hook script that appends what KIND saw to FILE: the
# state's status and pid, and its own net, pid and mount namespaces.
record() {
	echo "read -r s; echo \"$1 \$(echo \"\$s\" | grep -o '\"status\":\"[a-z]*\"') \$(echo \"\$s\" | grep -o '\"pid\":[0-9]*') net=\$(readlink /proc/self/ns/net) pid=\$(readlink /proc/self/ns/pid) mnt=\$(readlink /proc/self/ns/mnt)\" >>$2"
}

@test "hooks: with namespaces joined by path, runtime hooks run in the runtime's, container hooks in the container's" {
	setup_log
	# A network namespace and a pid namespace of the test's own.
	local netns=scute-hooks-$$-$BATS_TEST_NUMBER
	ip netns add "$netns"
	on_teardown "ip netns delete $netns"
	# (unshare ignores SIGTERM while it waits: the namespace's init, its
	# child, is the one to kill.)
	unshare --pid --fork sleep 600 3>&- &
	local holder=$! i
	for i in $(seq 100); do pgrep -P "$holder" >/dev/null && break; sleep 0.05; done
	on_teardown "kill -KILL $(pgrep -P "$holder")"
	cfg '.linux.namespaces |= map(if .type == "network" then .path = $n elif .type == "pid" then .path = $p else . end)' \
		--arg n "/run/netns/$netns" --arg p "/proc/$holder/ns/pid_for_children"
	local kind
	for kind in prestart createRuntime createContainer poststart poststop; do
		hook $kind "$(record $kind "$LOG")"
	done
	hook startContainer "$(record startContainer /log/hooks)"
	create_ctr sleep 30
	local host="net=$(readlink /proc/$$/ns/net) pid=$(readlink /proc/$$/ns/pid) mnt=$(readlink /proc/$$/ns/mnt)"
	local ctr="net=$(ip netns exec "$netns" readlink /proc/self/ns/net) pid=$(readlink /proc/"$holder"/ns/pid_for_children) mnt=$(readlink /proc/"$PID"/ns/mnt)"
	# The init as the container sees it: the last of its NSpid.
	local inner
	inner=$(awk '$1 == "NSpid:" { print $NF }' /proc/"$PID"/status)
	[ "$inner" != "$PID" ]
	[ "$ctr" != "$host" ]
	rt start "$ID"
	rt delete --force "$ID"
	cat "$LOG"
	[ "$(sed -n 1p "$LOG")" = "prestart \"status\":\"creating\" \"pid\":$PID $host" ]
	[ "$(sed -n 2p "$LOG")" = "createRuntime \"status\":\"creating\" \"pid\":$PID $host" ]
	[ "$(sed -n 3p "$LOG")" = "createContainer \"status\":\"creating\" \"pid\":$inner $ctr" ]
	[ "$(sed -n 4p "$LOG")" = "startContainer \"status\":\"created\" \"pid\":$inner $ctr" ]
	[ "$(sed -n 5p "$LOG")" = "poststart \"status\":\"running\" \"pid\":$PID $host" ]
	[[ "$(sed -n 6p "$LOG")" == "poststop \"status\":\"stopped\" "*" $host" ]]
	assert_nothing_left
}

@test "hooks: a failing poststop hook warns, and the next poststop hook still runs" {
	setup_log
	hook poststop 'echo first failed >&2; exit 7'
	hook poststop "echo second ran >>$LOG"
	create_ctr sleep 30
	run rt delete --force "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hooks.poststop[0] (/bin/sh): exit status 7: first failed"* ]]
	[ "$(cat "$LOG")" = "second ran" ]
	assert_nothing_left
}

@test "hooks: prestart and createRuntime are not in the container's new time namespace" {
	setup_log
	cfg '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 86400}}'
	hook prestart "echo \"prestart \$(readlink /proc/self/ns/time)\" >>$LOG"
	hook createRuntime "echo \"createRuntime \$(readlink /proc/self/ns/time)\" >>$LOG"
	hook createContainer "echo \"createContainer \$(readlink /proc/self/ns/time)\" >>$LOG"
	create_ctr true
	cat "$LOG"
	local host ctr
	host=$(readlink /proc/$$/ns/time)
	ctr=$(readlink /proc/"$PID"/ns/time)
	[ "$host" != "$ctr" ]
	[ "$(sed -n 1p "$LOG")" = "prestart $host" ]
	[ "$(sed -n 2p "$LOG")" = "createRuntime $host" ]
	[ "$(sed -n 3p "$LOG")" = "createContainer $ctr" ]
}
