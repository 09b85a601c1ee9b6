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
	for p in private slave shared unbindable; do
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
