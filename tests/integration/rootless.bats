#!/usr/bin/env bats
# Rootless: scute-runtime run by an unprivileged user, in a user namespace
# (spec --rootless), the maps written by the runtime for the user's own ids
# and by newuidmap/newgidmap for subordinate ranges; cgroups skipped with a
# warning when the user cannot create them and no limit is asked for.

load helpers

# as_user UID GID CMD...: run as that user, its runtime dir in the test's.
as_user() {
	local uid=$1 gid=$2
	shift 2
	setpriv --reuid="$uid" --regid="$gid" --clear-groups \
		env XDG_RUNTIME_DIR="$TEST_DIR/xdg-$uid" "$@"
}

# user_bundle UID GID: a bundle of the user's own, from spec --rootless.
user_bundle() {
	local uid=$1 gid=$2
	U_BUNDLE=$TEST_DIR/user-bundle
	# The runtime directory as pam_systemd makes it, 0700 (the coverage
	# pass runs under umask 0, and a state root under a directory others
	# may write is refused).
	mkdir -p "$U_BUNDLE"
	mkdir -p -m 700 "$TEST_DIR/xdg-$uid"
	cp -a "$FILE_DIR/template/rootfs" "$U_BUNDLE/rootfs"
	chown -R "$uid:$gid" "$U_BUNDLE" "$TEST_DIR/xdg-$uid"
	chmod 755 "$TEST_DIR"
	(cd "$U_BUNDLE" && as_user "$uid" "$gid" "$SCUTE_RUNTIME" spec --rootless)
}

u_cfg() {
	jq "$@" "$U_BUNDLE/config.json" >"$U_BUNDLE/c" && cat "$U_BUNDLE/c" >"$U_BUNDLE/config.json"
}

@test "rootless: an unprivileged user runs a hardened container in its own user namespace" {
	user_bundle 65534 65534
	u_cfg '.process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map; probe status; ls -n /bin/busybox"]'
	run as_user 65534 65534 "$SCUTE_RUNTIME" run -b "$U_BUNDLE" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"cgroups skipped: uid 65534 cannot create them"* ]]
	[[ "$output" == *$'\n0\n'* ]] # root inside
	[[ "$output" == *"0      65534          1"* ]]
	[ "$(status_field NoNewPrivs)" = 1 ]
	[ "$(status_field Seccomp)" = 2 ]
	[[ "$output" == *" 0 "*" 0 "*"/bin/busybox"* ]] # the user's files are root's inside
	# Its state lives in the user's runtime directory, and is gone after.
	[ -d "$TEST_DIR/xdg-65534/scute-runtime" ]
	[ -z "$(ls "$TEST_DIR/xdg-65534/scute-runtime" | grep -v seccomp-cache)" ]
}

@test "rootless: create, state, start, kill, delete as the user" {
	user_bundle 65534 65534
	u_cfg '.process.args = ["sleep", "30"]'
	as_user 65534 65534 "$SCUTE_RUNTIME" create -b "$U_BUNDLE" "$ID"
	[ "$(as_user 65534 65534 "$SCUTE_RUNTIME" state "$ID" | jq -r .status)" = created ]
	as_user 65534 65534 "$SCUTE_RUNTIME" start "$ID"
	[ "$(as_user 65534 65534 "$SCUTE_RUNTIME" state "$ID" | jq -r .status)" = running ]
	as_user 65534 65534 "$SCUTE_RUNTIME" kill "$ID" KILL
	as_user 65534 65534 "$SCUTE_RUNTIME" delete -f "$ID"
	! pgrep -u 65534 -f "sleep 30"
}

@test "rootless: limits the user cannot apply are an error, not skipped" {
	user_bundle 65534 65534
	u_cfg '.linux.resources = {memory: {limit: 67108864}}'
	run as_user 65534 65534 "$SCUTE_RUNTIME" run -b "$U_BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.resources: uid 65534 cannot create cgroups here, so the limits cannot apply"* ]]
	[ -z "$(ls "$TEST_DIR/xdg-65534/scute-runtime" 2>/dev/null | grep -v seccomp-cache)" ]
}

@test "rootless: subordinate ranges through newuidmap and newgidmap" {
	command -v newuidmap >/dev/null || skip "uidmap is not installed"
	local user=scute-t$$
	useradd -M -r -s /usr/sbin/nologin "$user"
	on_teardown "userdel $user"
	usermod --add-subuids 300000-365535 --add-subgids 300000-365535 "$user"
	local uid gid
	uid=$(id -u "$user")
	gid=$(id -g "$user")
	user_bundle "$uid" "$gid"
	chown 300005:300005 "$U_BUNDLE/rootfs/etc/passwd"
	u_cfg --argjson u "$uid" --argjson g "$gid" \
		'.linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: 300000, size: 65535}]
		 | .linux.gidMappings = [{containerID: 0, hostID: $g, size: 1}, {containerID: 1, hostID: 300000, size: 65535}]
		 | .process.args = ["sh", "-c", "cat /proc/self/uid_map; stat -c \"%u:%g\" /etc/passwd"]'
	run as_user "$uid" "$gid" "$SCUTE_RUNTIME" run -b "$U_BUNDLE" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"1     300000      65535"* ]]
	[[ "$output" == *"6:6"* ]] # host 300005 is 6 inside
	# Ranges the user does not own: newuidmap refuses, and so does create.
	u_cfg '.linux.uidMappings[1].hostID = 400000'
	run as_user "$uid" "$gid" "$SCUTE_RUNTIME" run -b "$U_BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.uidMappings: newuidmap refused the mapping"* ]]
}

@test "a state root that others could write is refused" {
	mkdir -p "$TEST_DIR/shared"
	chmod 1777 "$TEST_DIR/shared"
	args true
	run "$SCUTE_RUNTIME" --root "$TEST_DIR/shared" run -b "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"state directory $TEST_DIR/shared is not private to uid 0"* ]]
	assert_nothing_left
}
