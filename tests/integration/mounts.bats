#!/usr/bin/env bats
# Mounts and namespaces: rootfs propagation on a shared host, mount options
# engines send, tmpcopyup limits, namespaces shared with or joined from the
# host.

load helpers

# in_shared_ns CMD...: run CMD in a mount namespace of the test's own whose
# mounts are all shared, as on a systemd host; afterwards print how many
# mounts of this test's files that namespace holds (a leak from the runtime).
in_shared_ns() {
	T=$TEST_DIR F=$FILE_DIR unshare -m --propagation shared sh -c '"$@"; echo "rc=$?"
		echo "left=$(grep -c -e "$T" -e "$F" /proc/self/mountinfo)"' sh "$@"
}

# The host's mounts a runtime acting without a mount namespace would touch:
# /, /proc, /sys, /dev and this test's files. (Not a count of all mounts:
# other work on the machine mounts and unmounts elsewhere meanwhile.)
host_mounts_at_risk() {
	awk -v dir="$TEST_DIR" -v files="$FILE_DIR" '$5 == "/" || $5 ~ "^/(proc|sys|dev)(/|$)" ||
		index($5, dir) == 1 || index($5, files) == 1 { print $5, $9, $10 }' /proc/self/mountinfo |
		sort
}

# The propagation tags of the container's / (shared:N, master:N, unbindable).
root_tags() {
	printf '%s\n' "$1" | awk '$5 == "/" { for (i = 7; $i != "-"; i++) printf "%s ", $i; print "" }' |
		sed 's/:[0-9]*//g'
}

@test "rootfsPropagation: each value on a shared host, nothing leaked" {
	args cat /proc/self/mountinfo
	local p want
	for p in private rprivate slave rslave shared rshared unbindable runbindable; do
		case $p in
		*private) want="" ;;
		*slave) want="master" ;;
		*shared) want="shared master" ;;
		*unbindable) want="unbindable" ;;
		esac
		cfg '.linux.rootfsPropagation = $p' --arg p "$p"
		run in_shared_ns "$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID-$p"
		echo "$p: $output"
		[[ "$output" == *"rc=0"* ]]
		[[ "$output" == *"left=0"* ]]
		[ "$(root_tags "$output" | xargs)" = "$want" ]
		assert_nothing_left "$ID-$p"
	done
}

@test "rootfsPropagation: a failed create on a shared host leaves no mount behind" {
	local p
	# The last mount fails, after the rootfs, /proc, /dev ... are made.
	cfg '.mounts += [{destination: "/x", type: "bind", source: "/nonexistent-scute", options: ["bind"]}]'
	for p in private rprivate slave rslave shared rshared unbindable runbindable; do
		cfg '.linux.rootfsPropagation = $p' --arg p "$p"
		run in_shared_ns "$SCUTE_RUNTIME" --root "$ROOT" create -b "$BUNDLE" "$ID-$p"
		echo "$p: $output"
		[[ "$output" == *"/nonexistent-scute"* ]]
		[[ "$output" == *"left=0"* ]]
		[[ "$output" != *"rc=0"* ]]
		assert_nothing_left "$ID-$p"
	done
}

@test "mounts: filesystem options on a bind mount are accepted, and named with --debug" {
	mkdir "$TEST_DIR/vol"
	echo data >"$TEST_DIR/vol/file"
	cfg '.mounts += [{destination: "/vol", type: "bind", source: $s, options: ["rbind", "mode=755", "size=1k", "ro"]}]' \
		--arg s "$TEST_DIR/vol"
	args sh -c 'cat /vol/file; touch /vol/x 2>&1 || true'
	run rt --debug run -b "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *data* ]]
	[[ "$output" == *"Read-only file system"* ]]
	[[ "$output" == *'option "mode=755" does not apply to a bind mount; ignored'* ]]
	[[ "$output" == *'option "size=1k" does not apply to a bind mount; ignored'* ]]
	assert_nothing_left
}

@test "tmpcopyup: an image tree deeper than the copy limit fails cleanly" {
	local r=$TEST_DIR/rootfs d
	cp -a "$FILE_DIR/template/rootfs" "$r"
	d=$r/opt
	for i in $(seq 40); do d=$d/level$i; done
	mkdir -p "$d"
	cfg '.root.path = $r | .mounts += [{destination: "/opt", type: "tmpfs", source: "tmpfs", options: ["tmpcopyup"]}]' \
		--arg r "$r"
	run_ctr true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"mounts["*"tmpcopyup /opt: directory level33 is nested deeper than 32 levels"* ]]
	assert_nothing_left
}

# drop_ns TYPE: the config without a namespace of that type.
drop_ns() {
	cfg '.linux.namespaces |= map(select(.type != $t))' --arg t "$1"
}

@test "namespaces: an omitted pid, network, ipc, uts or cgroup namespace is the host's, with a warning" {
	local t p
	for t in pid network ipc uts cgroup; do
		p=$t
		[ "$t" = network ] && p=net
		jq --arg root "$FILE_DIR/template/rootfs" '.root.path = $root' \
			"$FILE_DIR/template/config.json" >"$BUNDLE/config.json"
		drop_ns "$t"
		[ "$t" != uts ] || cfg 'del(.hostname)'
		args stat -L -c %i "/proc/self/ns/$p"
		run rt --debug run -b "$BUNDLE" "$ID-$t"
		echo "$t: $output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"linux.namespaces: no $t namespace: the container shares the runtime's (host's) $t namespace"* ]]
		[ "$(printf '%s\n' "$output" | grep -Ex '[0-9]+')" = "$(stat -L -c %i "/proc/self/ns/$p")" ]
		assert_nothing_left "$ID-$t"
	done
}

# A config that mounts nothing, for a container in the host's mount tree.
no_mountns_config() {
	cfg '.root.path = $r | .root.readonly = false | del(.mounts) | del(.linux.maskedPaths)
	     | del(.linux.readonlyPaths) | del(.linux.rootfsPropagation)' --arg r "$1"
	drop_ns mount
}

@test "namespaces: without a mount namespace the init is chrooted in the host's mount tree, nothing mounted" {
	local r=$TEST_DIR/rootfs before
	cp -a "$FILE_DIR/template/rootfs" "$r"
	no_mountns_config "$r"
	touch "$TEST_DIR/host-marker"
	before=$(host_mounts_at_risk)
	args sleep 60
	# (To a file: the init keeps its stdio, which `run` would wait on.)
	rt --debug create -b "$BUNDLE" --pid-file "$TEST_DIR/pid" "$ID" >"$TEST_DIR/out" 2>&1
	run cat "$TEST_DIR/out"
	echo "$output"
	[[ "$output" == *"no mount namespace: the container shares the runtime's (host's) mount namespace"* ]]
	PID=$(cat "$TEST_DIR/pid")
	[ "$(stat -L -c %i "/proc/$PID/ns/mnt")" = "$(stat -L -c %i /proc/self/ns/mnt)" ]
	[ "$(readlink "/proc/$PID/root")" = "$r" ]
	[ "$(host_mounts_at_risk)" = "$before" ]
	[ -c "$r/dev/null" ]
	# exec enters the same root, not the runtime's.
	run rt exec "$ID" sh -c "ls /bin/busybox; test -e $TEST_DIR/host-marker && echo host-root; true"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == */bin/busybox* ]]
	[[ "$output" != *host-root* ]]
	rt delete --force "$ID"
	[ "$(host_mounts_at_risk)" = "$before" ]
	assert_nothing_left
}

@test "namespaces: without a mount namespace, what would mount on the host is refused" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	no_mountns_config "$r"
	cp "$BUNDLE/config.json" "$TEST_DIR/base.json"
	local f
	for f in '.mounts = [{destination: "/proc", type: "proc", source: "proc"}]:mounts' \
		'.linux.maskedPaths = ["/proc/kcore"]:linux.maskedPaths' \
		'.linux.readonlyPaths = ["/proc/sys"]:linux.readonlyPaths' \
		'.root.readonly = true:root.readonly' \
		'.linux.devices = [{path: "/dev/x", type: "c", major: 1, minor: 3}]:linux.devices' \
		'.linux.rootfsPropagation = "shared":linux.rootfsPropagation' \
		'.process.terminal = true:process.terminal'; do
		cp "$TEST_DIR/base.json" "$BUNDLE/config.json"
		cfg "${f%:*}"
		expect_create_error "config.json: ${f##*:}: needs a mount namespace"
	done
}

@test "namespaces: a mount namespace joined by path is the container's, its mounts seen inside" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	mkdir "$r/shared"
	touch "$TEST_DIR/mntns"
	on_teardown "umount $TEST_DIR/mntns"
	# A namespace of the test's own, holding a tmpfs over the rootfs's
	# /shared that the runtime's namespace does not have.
	unshare --mount="$TEST_DIR/mntns" --propagation private \
		sh -c "mount -t tmpfs tmpfs $r/shared && echo from-the-namespace >$r/shared/file"
	[ ! -e "$r/shared/file" ]
	cfg '.root.path = $r | .linux.namespaces |= map(if .type == "mount" then .path = $p else . end)' \
		--arg r "$r" --arg p "$TEST_DIR/mntns"
	run_ctr sh -c 'cat /shared/file; stat -L -c %i /proc/self/ns/mnt'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = from-the-namespace ]
	[ "${lines[1]}" = "$(stat -L -c %i "$TEST_DIR/mntns")" ]
	# The runtime itself never entered it.
	[ "$(stat -L -c %i /proc/self/ns/mnt)" != "${lines[1]}" ]
	umount "$TEST_DIR/mntns"
	assert_nothing_left
}

@test "namespaces: joining the runtime's own mount namespace by path is refused" {
	local before
	before=$(host_mounts_at_risk)
	cfg '.linux.namespaces |= map(if .type == "mount" then .path = "/proc/self/ns/mnt" else . end)'
	expect_create_error "mount namespace /proc/self/ns/mnt is the runtime's own"
	[ "$(host_mounts_at_risk)" = "$before" ]
}

@test "sysfs without a network namespace of its own: the host's, bound read-only" {
	# The kernel refuses a new sysfs outside a new network namespace.
	cfg '.linux.namespaces |= map(select(.type != "network"))'
	run_ctr sh -c 'awk "\$5 == \"/sys\" { print \"sys\", \$6 }" /proc/self/mountinfo; probe write /sys/kernel/uevent_helper || true'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"the container shares the runtime's (host's) network namespace"* ]]
	[[ "$output" == *$'\nsys ro,nosuid,nodev,noexec'* ]]
	[[ "$output" == *$'\nEROFS'* ]]
	assert_nothing_left
}
