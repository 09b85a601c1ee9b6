#!/usr/bin/env bats
# issue 12, round 2 of attacks on what runs between clone and execve
# (finalise.c, init.c, exec.c, inherit.c, selfexec.c, container.c), each
# written as the attack.

load helpers

# Container A: sleeps, may trace (CAP_SYS_PTRACE), no seccomp filter
# (Kubernetes' "Unconfined"); sets APID (host pid of its init).
tracer_ctr() {
	local a=$1
	cfg 'del(.linux.seccomp) | .process.capabilities |= with_entries(if .key == "inheritable" or .key == "ambient"
	       then . else .value += ["CAP_SYS_PTRACE"] end)'
	args sleep 60
	rt create -b "$BUNDLE" --pid-file "$TEST_DIR/a.pid" "$a"
	rt start "$a"
	APID=$(cat "$TEST_DIR/a.pid")
}

# B's config: A's pid namespace joined by path (a pod sharing its process
# namespace), the hardened default otherwise.
joined_config() {
	jq --arg p "/proc/$APID/ns/pid" \
		'.linux.namespaces |= map(if .type == "pid" then .path = $p else . end)
		 | del(.process.capabilities.ambient) | .process.capabilities |= with_entries(.value -= ["CAP_SYS_PTRACE"])' \
		"$FILE_DIR/template/config.json" |
		jq --arg root "$FILE_DIR/template/rootfs" '.root.path = $root | .process.args = ["true"]' \
			>"$BUNDLE/config.json"
}

# The pid of host pid $1 in its innermost pid namespace.
inner_pid() {
	awk '$1 == "NSpid:" { print $NF }' /proc/"$1"/status
}

@test "issue 12: an init waiting for start (seccomp, no_new_privs false) holds no capability a sibling in its pid namespace can take" {
	local a=${ID}a
	tracer_ctr "$a"
	joined_config
	# Docker's default: a seccomp profile, no_new_privs not set.
	cfg '.process.noNewPrivileges = false'
	create_ctr true
	[ "$(readlink /proc/"$PID"/ns/pid)" = "$(readlink /proc/"$APID"/ns/pid)" ]
	grep 'Cap\|Seccomp' /proc/"$PID"/status
	# Its filter is already in while it waits.
	[ "$(awk '$1 == "Seccomp:" { print $2 }' /proc/"$PID"/status)" = 2 ]
	# A stops the waiting init, attaches, reads its capabilities and
	# steals its fds: nothing beyond A's own bounding set, nothing of the
	# host.
	run rt exec "$a" probe inspect "$(inner_pid "$PID")"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"saw "*" attached"* ]]
	[[ "$output" != *gained* ]]
	[[ "$output" != *hostfd* ]]
	# And the init still runs, under its filter, with its own sets.
	rt start "$ID"
}
