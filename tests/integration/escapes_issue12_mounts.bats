#!/usr/bin/env bats
# Escape attempts against the issue 12 mount work: containers without a
# mount namespace (a chroot in the host's tree), mount namespaces joined by
# path, nested device paths, /dev/console, bind mount flags.

load helpers

# drop_ns TYPE: the config without a namespace of that type.
drop_ns() {
	cfg '.linux.namespaces |= map(select(.type != $t))' --arg t "$1"
}

# A config that mounts nothing, on a rootfs of the test's own, with no mount
# namespace: the container is a chroot in the host's mount tree.
no_mountns_config() {
	cp -a "$FILE_DIR/template/rootfs" "$TEST_DIR/rootfs"
	cfg '.root.path = $r | .root.readonly = false | del(.mounts) | del(.linux.maskedPaths)
	     | del(.linux.readonlyPaths) | del(.linux.rootfsPropagation)' --arg r "$TEST_DIR/rootfs"
	drop_ns mount
}

# add_cap CAP: CAP in every capability set of the process, and no seccomp
# filter (scute's own denies chroot; Kubernetes "Unconfined" sends none, and
# Docker's profile allows chroot to a holder of CAP_SYS_CHROOT).
add_cap() {
	cfg '.process.capabilities |= with_entries(.value += [$c]) | del(.linux.seccomp)' --arg c "$1"
}

@test "no mount namespace: CAP_SYS_CHROOT (double chroot out of the chroot) is refused" {
	no_mountns_config
	add_cap CAP_SYS_CHROOT
	echo secret >"$TEST_DIR/host-file"
	# Before the fix the probe printed "ok 7": it read the host's file.
	run_ctr /bin/probe chroot-escape /x "$TEST_DIR/host-file"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" != *"ok 7"* ]]
	[[ "$output" == *"config.json: process.capabilities.bounding: CAP_SYS_CHROOT"* ]]
	assert_nothing_left
}

@test "no mount namespace: CAP_SYS_CHROOT only in a setuid binary's reach (bounding) is refused too" {
	no_mountns_config
	cfg '.process.capabilities.bounding += ["CAP_SYS_CHROOT"] | .process.noNewPrivileges = false'
	run_ctr true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"config.json: process.capabilities.bounding: CAP_SYS_CHROOT"* ]]
	assert_nothing_left
}

@test "no mount namespace: without CAP_SYS_CHROOT the chroot holds, and a user namespace cannot be made" {
	no_mountns_config
	echo secret >"$TEST_DIR/host-file"
	run_ctr sh -c "/bin/probe chroot-escape /x $TEST_DIR/host-file; /bin/probe sys unshare 0x10000000; true"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n 2 | head -n 1)" = "chroot EPERM" ]
	[ "$(printf '%s\n' "$output" | tail -n 1)" = EPERM ]
	assert_nothing_left
}

@test "control: with a mount namespace CAP_SYS_CHROOT stays inside (the old root is detached)" {
	add_cap CAP_SYS_CHROOT
	echo secret >"$TEST_DIR/host-file"
	cp -a "$FILE_DIR/template/rootfs" "$TEST_DIR/rootfs"
	cfg '.root.path = $r | .root.readonly = false' --arg r "$TEST_DIR/rootfs"
	run_ctr /bin/probe chroot-escape /tmp/x "$TEST_DIR/host-file"
	echo "$output"
	[ "$output" = ENOENT ]
	assert_nothing_left
}

# in_host_sandbox CMD...: CMD in a mount namespace (B) below a throwaway
# "host": a new pid namespace whose pid 1 (a shell, in mount namespace A,
# rooted at the real /) stands for the host's init. As a runtime started by a
# service with a private mount namespace, the runtime's own namespace (B) is
# not the host's (A). Prints CMD's rc, then "root-intact" if pid 1's root
# still holds the test's files afterwards (pivot_root in A would have moved
# it into the container's root).
in_host_sandbox() {
	T=$TEST_DIR unshare -m -p -f --mount-proc --propagation private sh -c '
		unshare -m --propagation private "$@" </dev/null; echo "rc=$?"
		test -d "$T/bundle" && echo root-intact' sh "$@"
}

@test "joined mount namespace: the host's (pid 1's) is refused, the host's root is not pivoted" {
	cfg '.linux.namespaces |= map(if .type == "mount" then .path = "/proc/1/ns/mnt" else . end)'
	args true
	run in_host_sandbox "$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID"
	echo "$output"
	[[ "$output" == *"mount namespace /proc/1/ns/mnt is the host's (pid 1's)"* ]]
	[[ "$output" == *rc=1* ]]
	[[ "$output" == *root-intact* ]]
	assert_nothing_left
	# The same namespace through a symlink. (Bind-mounted on a file it
	# cannot be: the kernel binds a mount namespace's file only in an older
	# namespace than it, and the host's is older than the runtime's.)
	ln -s /proc/1/ns/mnt "$TEST_DIR/hostns"
	cfg '.linux.namespaces |= map(if .type == "mount" then .path = $p else . end)' \
		--arg p "$TEST_DIR/hostns"
	run in_host_sandbox "$SCUTE_RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID"
	echo "$output"
	[[ "$output" == *"mount namespace $TEST_DIR/hostns is the host's (pid 1's)"* ]]
	[[ "$output" == *root-intact* ]]
	assert_nothing_left
}

@test "joined mount namespace: the runtime's own under another path (symlink, /proc/PID, thread-self) is refused" {
	local p
	# (A bind mount of it in its own tree is refused by the kernel.)
	! mount --bind /proc/self/ns/mnt "$TEST_DIR/link" 2>/dev/null
	ln -s /proc/self/ns/mnt "$TEST_DIR/link"
	cp "$BUNDLE/config.json" "$TEST_DIR/base.json"
	for p in "$TEST_DIR/link" "/proc/$$/ns/mnt" /proc/thread-self/ns/mnt; do
		cp "$TEST_DIR/base.json" "$BUNDLE/config.json"
		cfg '.linux.namespaces |= map(if .type == "mount" then .path = $p else . end)' --arg p "$p"
		expect_create_error "mount namespace $p is the runtime's own"
	done
}

# bind_case OPTIONS_JSON: a bind mount of $TEST_DIR/src (holding a tmpfs at
# sub) on /b with these options; the container tries to write at the top and
# in the submount, then prints /b's and /b/sub's mount options.
bind_case() {
	mkdir -p "$TEST_DIR/src/sub"
	on_teardown "umount $TEST_DIR/src/sub"
	mount -t tmpfs tmpfs "$TEST_DIR/src/sub"
	cfg '.mounts += [{destination: "/b", type: "bind", source: $s, options: $o}]' \
		--arg s "$TEST_DIR/src" --argjson o "$1"
	# (One line: args takes one argument a line.)
	run_ctr sh -c 'echo x >/b/top && echo wrote-top; echo x >/b/sub/f && echo wrote-sub; awk "\$5 == \"/b\" || \$5 == \"/b/sub\" { print \$5, \$6 }" /proc/self/mountinfo'
	echo "$output"
	umount "$TEST_DIR/src/sub"
}

@test "bind mounts: ro, nosuid, nodev, noexec stay with filesystem data options beside them" {
	bind_case '["rbind", "ro", "nosuid", "nodev", "noexec", "mode=755", "size=10m", "uid=0"]'
	[ "$status" -eq 0 ]
	[[ "$output" != *wrote-top* ]]
	[[ "$output" =~ "/b ro,nosuid,nodev,noexec" ]]
	[ ! -e "$TEST_DIR/src/top" ]
	assert_nothing_left
}

@test "bind mounts: recursive read-only (rro) is not dropped as a filesystem option" {
	bind_case '["rbind", "rro"]'
	[ "$status" -eq 0 ]
	[[ "$output" != *wrote-top* ]]
	[[ "$output" != *wrote-sub* ]]
	[[ "$output" =~ "/b ro" ]]
	[[ "$output" =~ "/b/sub ro" ]]
	[ ! -e "$TEST_DIR/src/top" ]
	assert_nothing_left
}

@test "no mount namespace: the init and an exec'd process hold no fd beyond stdio (fchdir would leave the chroot)" {
	no_mountns_config
	args sh -c '/bin/probe fds; exec sleep 60'
	rt create -b "$BUNDLE" "$ID" >"$TEST_DIR/out" 2>&1
	rt start "$ID"
	run rt exec "$ID" /bin/probe fds
	echo "exec: $output"
	[ "$status" -eq 0 ]
	[ -z "$(printf '%s\n' "$output" | grep -v '^linux.namespaces:')" ]
	rt kill "$ID" KILL
	run cat "$TEST_DIR/out"
	echo "init: $output"
	[ -z "$(printf '%s\n' "$output" | grep -v '^linux.namespaces:')" ]
	rt delete --force "$ID"
	assert_nothing_left
}

@test "no mount namespace: an image's dev symlink to a host directory gets no device nodes" {
	no_mountns_config
	mkdir "$TEST_DIR/hostdev"
	rm -rf "$TEST_DIR/rootfs/dev"
	ln -s "$TEST_DIR/hostdev" "$TEST_DIR/rootfs/dev"
	run_ctr true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"open /dev (it must be a directory, not a symlink)"* ]]
	[ -z "$(ls -A "$TEST_DIR/hostdev")" ]
	assert_nothing_left
}

@test "no mount namespace: an image's dev/null symlink to a host file is replaced, the file untouched" {
	no_mountns_config
	echo original >"$TEST_DIR/host-file"
	ln -sf "$TEST_DIR/host-file" "$TEST_DIR/rootfs/dev/null"
	ln -sf "$TEST_DIR/host-file" "$TEST_DIR/rootfs/dev/zero"
	run_ctr sh -c 'stat -c %F:%t:%T /dev/null /dev/zero'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"character special file:1:3"*"character special file:1:5"* ]]
	[ "$(cat "$TEST_DIR/host-file")" = original ]
	[ -f "$TEST_DIR/host-file" ]
	assert_nothing_left
}

@test "--no-pivot: CAP_SYS_CHROOT (double chroot) does not reach the host's tree" {
	add_cap CAP_SYS_CHROOT
	cp -a "$FILE_DIR/template/rootfs" "$TEST_DIR/rootfs"
	cfg '.root.path = $r | .root.readonly = false' --arg r "$TEST_DIR/rootfs"
	echo secret >"$TEST_DIR/host-file"
	# The old root stays under the moved rootfs; ".." up to it steps back
	# into the mount stacked on it, so the walk ends in the container's /.
	args sh -c "/bin/probe chroot-escape /x $TEST_DIR/host-file; /bin/probe chroot-escape /y /bin/busybox"
	run rt run --no-pivot -b "$BUNDLE" "$ID"
	echo "$output"
	[ "${lines[0]}" = ENOENT ]
	[[ "${lines[1]}" == "ok "* ]]
	assert_nothing_left
}

@test "a namespace path that is a FIFO fails create instead of hanging it (mount and network)" {
	local t
	mkfifo "$TEST_DIR/fifo"
	cp "$BUNDLE/config.json" "$TEST_DIR/base.json"
	for t in mount network; do
		cp "$TEST_DIR/base.json" "$BUNDLE/config.json"
		cfg '.linux.namespaces |= map(if .type == $t then .path = $p else . end)' \
			--arg t "$t" --arg p "$TEST_DIR/fifo"
		run timeout 20 "$SCUTE_RUNTIME" --root "$ROOT" create -b "$BUNDLE" "$ID" </dev/null
		echo "$t: $output"
		[ "$status" -ne 0 ] && [ "$status" -ne 124 ]
		[[ "$output" == *"$TEST_DIR/fifo"* ]]
		assert_nothing_left
	done
}

@test "joined mount namespace: one owned by another user namespace (its owner could plant mounts) is refused" {
	touch "$TEST_DIR/mntns" "$TEST_DIR/userns"
	on_teardown "umount $TEST_DIR/mntns; umount $TEST_DIR/userns"
	# A user's namespaces (as a rootless container has): whoever holds the
	# user namespace may mount in the mount namespace at any time, so a
	# rootful container set up there would run what they mount into it.
	unshare --user="$TEST_DIR/userns" --mount="$TEST_DIR/mntns" --map-root-user \
		--propagation private true
	cfg '.linux.namespaces |= map(if .type == "mount" then .path = $p else . end)' \
		--arg p "$TEST_DIR/mntns"
	args true
	run rt run -b "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"mount namespace $TEST_DIR/mntns belongs to another user namespace than the container's"* ]]
	umount "$TEST_DIR/mntns"
	umount "$TEST_DIR/userns"
	assert_nothing_left
}

@test "no mount namespace: the host's /proc is not visible, and mknod of a host disk is refused" {
	no_mountns_config
	run_ctr sh -c 'ls /proc | wc -l; test -e /proc/1/root && echo host-proc; mknod /tmp/disk b 8 0 && echo made-node; true'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tr -d ' ' | grep -Ex '[0-9]+')" = 0 ]
	[[ "$output" != *host-proc* ]]
	[[ "$output" != *made-node* ]]
	[ ! -e "$TEST_DIR/rootfs/tmp/disk" ]
	assert_nothing_left
}
