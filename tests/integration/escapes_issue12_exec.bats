#!/usr/bin/env bats
# issue 12, round 2 of attacks on what runs between clone and execve
# (finalise.c, init.c, exec.c, inherit.c, selfexec.c, container.c), each
# written as the attack.

load helpers

# Container A (pid_ns_owner), with no seccomp filter (Kubernetes'
# "Unconfined"); with "ptrace" it may trace (CAP_SYS_PTRACE).
unconfined_owner() {
	cfg 'del(.linux.seccomp)'
	if [ "${2:-}" = ptrace ]; then
		cfg "$PLUS_PTRACE"
	fi
	pid_ns_owner "$1"
}

# B's config: A's pid namespace joined by path (a pod sharing its process
# namespace), the hardened default otherwise.
joined_config() {
	jq --arg root "$FILE_DIR/template/rootfs" \
		'del(.process.capabilities.ambient) | .process.capabilities |= with_entries(.value -= ["CAP_SYS_PTRACE"])
		 | .root.path = $root | .process.args = ["true"]' \
		"$FILE_DIR/template/config.json" >"$BUNDLE/config.json"
	join_pid_ns
}

# The pid of host pid $1 in its innermost pid namespace.
inner_pid() {
	awk '$1 == "NSpid:" { print $NF }' /proc/"$1"/status
}

@test "issue 12: an init waiting for start (seccomp, no_new_privs false) holds no capability a later sibling in its pid namespace can take" {
	# A: the namespace's first process, which cannot trace.
	local a=${ID}a c=${ID}c
	unconfined_owner "$a"
	# B, Docker's default: a seccomp profile, no_new_privs not set;
	# created, waiting for start.
	joined_config
	cfg '.process.noNewPrivileges = false'
	create_ctr true
	[ "$(readlink /proc/"$PID"/ns/pid)" = "$(readlink /proc/"$APID"/ns/pid)" ]
	grep 'Cap\|Seccomp' /proc/"$PID"/status
	# Its filter is already in while it waits.
	[ "$(awk '$1 == "Seccomp:" { print $2 }' /proc/"$PID"/status)" = 2 ]
	# C joins the namespace afterwards (nothing in it can trace yet), with
	# CAP_SYS_PTRACE and no filter; it stops the waiting init, attaches,
	# reads its capabilities and steals its fds: nothing beyond C's own
	# bounding set, nothing of the host.
	mkdir "$TEST_DIR/c"
	jq "del(.linux.seccomp) | .process.args = [\"sleep\", \"60\"] | $PLUS_PTRACE" \
		"$BUNDLE/config.json" >"$TEST_DIR/c/config.json"
	rt run -d -b "$TEST_DIR/c" "$c"
	run rt exec "$c" probe inspect "$(inner_pid "$PID")"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"saw "*" attached"* ]]
	[[ "$output" != *gained* ]]
	[[ "$output" != *hostfd* ]]
	# And the init still starts, under its filter.
	rt start "$ID"
}

# The host pid of a process other than $APID in A's pid namespace, once
# one is there; fails once process $1 (the create) is gone without one.
new_in_a() {
	local ns p
	ns=$(readlink /proc/"$APID"/ns/pid)
	while kill -0 "$1" 2>/dev/null; do
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			[ "$p" != "$APID" ] && [ "$(readlink /proc/"$p"/ns/pid 2>/dev/null)" = "$ns" ] &&
				{ echo "$p"; return 0; }
		done
	done
	return 1
}

@test "issue 12: an init being set up in a shared pid namespace shows a sibling with CAP_SYS_PTRACE no host file" {
	local a=${ID}a
	unconfined_owner "$a" ptrace
	joined_config
	echo secret >"$TEST_DIR/host-secret"
	chmod 600 "$TEST_DIR/host-secret"
	mkfifo "$TEST_DIR/hold"
	on_teardown "timeout 5 sh -c 'echo >$TEST_DIR/hold'"
	# The prestart hook holds B's init where it is before pivot_root (what
	# a SIGSTOP from A does as well, without hooks).
	cfg '.hooks = {prestart: [{path: "/bin/sh", args: ["sh", "-c", ("read x <" + $f)]}]}' \
		--arg f "$TEST_DIR/hold"
	rt create -b "$BUNDLE" "$ID" >"$TEST_DIR/create.out" 2>&1 3>&- &
	local creator=$! b got=none
	if b=$(new_in_a "$creator"); then
		got=$(rt exec "$a" probe read "/proc/$(inner_pid "$b")/root$TEST_DIR/host-secret" || true)
		timeout 5 sh -c 'echo >"$1"' sh "$TEST_DIR/hold"
	fi
	wait "$creator" || true
	echo "read through B's init: $got"
	cat "$TEST_DIR/create.out"
	[[ "$got" != ok* ]]
	# Refused, naming why.
	grep -q "holds CAP_SYS_PTRACE" "$TEST_DIR/create.out"
	[ "$(rt state "$ID" 2>/dev/null | jq -r .status)" != created ]
}

@test "issue 12: joining a pid namespace whose processes cannot gain CAP_SYS_PTRACE still works (control)" {
	local a=${ID}a
	unconfined_owner "$a"
	joined_config
	create_ctr true
	[ "$(readlink /proc/"$PID"/ns/pid)" = "$(readlink /proc/"$APID"/ns/pid)" ]
	rt start "$ID"
}

@test "issue 12: an init that a sibling in its pid namespace stops does not hang start" {
	local a=${ID}a
	unconfined_owner "$a"
	joined_config
	create_ctr true
	# A (root, the same user: no capability needed) stops B's waiting init.
	rt exec "$a" kill -STOP "$(inner_pid "$PID")"
	on_teardown "kill -CONT $PID"
	run timeout 20 "$SCUTE_RUNTIME" --root "$ROOT" start "$ID"
	echo "$output"
	[ "$status" -ne 124 ] # not hung
	[ "$status" -ne 0 ]
	[[ "$output" == *"stopped or traced"* ]]
}

@test "issue 12: _SCUTE_INHERITED_FDS set by the caller cannot raise the passed-fd count (held)" {
	args probe fds
	# The count carried across the sealed re-exec, forged to 60: the
	# runtime's own fds (log, its /proc handle, sockets) would pass.
	run passing 'exec 3</dev/null 4</dev/zero; export _SCUTE_INHERITED_FDS=60' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" run -b "$BUNDLE" --preserve-fds 12 "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--preserve-fds 12: fd 5 was not passed to the runtime"* ]]
	# Forged with LISTEN_FDS too, and with exec.
	run passing 'exec 3</dev/null; export _SCUTE_INHERITED_FDS=60 LISTEN_FDS=8 LISTEN_PID=$$' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" run -b "$BUNDLE" "$ID"
	echo "$output"
	[[ "$output" == *"LISTEN_FDS 8: fd 4 was not passed to the runtime"* ]]
	args sleep 30
	rt run -d -b "$BUNDLE" "$ID"
	run passing 'exec 3</dev/null; export _SCUTE_INHERITED_FDS=60' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" exec --preserve-fds 10 "$ID" probe fds
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--preserve-fds 10: fd 4 was not passed to the runtime"* ]]
	# The control: what was passed, and nothing else.
	run passing 'exec 3</dev/null; export _SCUTE_INHERITED_FDS=60' \
		"$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" exec --preserve-fds 1 "$ID" probe fds
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "3 /dev/null" ]
}

@test "issue 12: exec -t --console-socket --preserve-fds, held before its execve and traced, holds nothing of the host (held)" {
	held_exec 8 cont
	tty_receiver
	run passing 'exec 3</dev/null' "$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log" \
		exec -t --console-socket "$TEST_DIR/tty.sock" --preserve-fds 1 "$ID" true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "^held " "$TEST_DIR/agent.out"
	attack_report
	grep -q '^saw ' "$TEST_DIR/attack"
}

@test "issue 12: an init that a sibling in its pid namespace stops during setup does not hang create" {
	local a=${ID}a
	unconfined_owner "$a"
	joined_config
	mkfifo "$TEST_DIR/hold"
	on_teardown "timeout 5 sh -c 'echo >$TEST_DIR/hold'"
	# The prestart hook holds create while A (root, no capability needed)
	# stops B's half-made init.
	cfg '.hooks = {prestart: [{path: "/bin/sh", args: ["sh", "-c", ("read x <" + $f)]}]}' \
		--arg f "$TEST_DIR/hold"
	timeout 20 "$SCUTE_RUNTIME" --root "$ROOT" create -b "$BUNDLE" "$ID" >"$TEST_DIR/create.out" 2>&1 3>&- &
	local creator=$! b rc=0
	b=$(new_in_a "$creator")
	rt exec "$a" kill -STOP "$(inner_pid "$b")"
	on_teardown "kill -CONT $b"
	timeout 5 sh -c 'echo >"$1"' sh "$TEST_DIR/hold"
	wait "$creator" || rc=$?
	cat "$TEST_DIR/create.out"
	[ "$rc" -ne 124 ] # not hung
	[ "$rc" -ne 0 ]
	grep -q "stopped or traced" "$TEST_DIR/create.out"
	[ "$(rt state "$ID" 2>/dev/null | jq -r .status)" != created ]
}
