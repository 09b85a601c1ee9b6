#!/usr/bin/env bats
# Bad input: a clear error naming the field, a non-zero exit, nothing left.

load helpers


@test "JSON syntax errors give line and column" {
	printf '{\n  "ociVersion": "1.2.0",\n  "process": {,\n}\n' >"$BUNDLE/config.json"
	expect_create_error "config.json: line 3, column"
}

@test "a missing config.json is named" {
	rm "$BUNDLE/config.json"
	expect_create_error "config.json: "
}

@test "a config.json that is a FIFO is refused at once, not waited on" {
	rm "$BUNDLE/config.json"
	mkfifo "$BUNDLE/config.json"
	run timeout 10 "$SCUTE_RUNTIME" --root "$ROOT" create -b "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 124 ]
	[ "$status" -ne 0 ]
	[[ "$output" == *"config.json: not a regular file"* ]]
	assert_nothing_left
}

@test "unknown capability names its JSON path" {
	cfg '.process.capabilities.bounding[2] = "CAP_FOO"'
	expect_create_error 'config.json: process.capabilities.bounding[2]: unknown capability "CAP_FOO"'
}

@test "wrong types and missing required fields name their path" {
	cfg '.process.user.uid = "root"'
	expect_create_error 'config.json: process.user.uid: expected an integer'
	cfg '.process.user.uid = 0 | del(.process.cwd)'
	expect_create_error 'config.json: process.cwd: required field is missing'
	cfg '.process.cwd = "relative"'
	expect_create_error 'config.json: process.cwd: "relative" is not an absolute path'
	cfg '.process.cwd = "/" | .process.args = []'
	expect_create_error 'config.json: process.args: at least one argument is required'
}

@test "unknown rlimit, namespace, device type, propagation" {
	cfg '.process.rlimits = [{type: "RLIMIT_BOGUS", soft: 1, hard: 1}]'
	expect_create_error 'process.rlimits[0]: unknown rlimit type "RLIMIT_BOGUS"'
	cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 2, hard: 1}]'
	expect_create_error 'process.rlimits[0]: soft limit 2 is above the hard limit 1'
	cfg '.process.rlimits = [] | .linux.namespaces += [{type: "bogus"}]'
	expect_create_error 'linux.namespaces[6]: unknown namespace type "bogus"'
	cfg '.linux.namespaces[6] = {type: "pid"}'
	expect_create_error 'linux.namespaces[6]: namespace "pid" is listed twice'
	cfg 'del(.linux.namespaces[6]) | .linux.devices = [{path: "/dev/x", type: "z"}]'
	expect_create_error 'linux.devices[0]: unknown device type "z"'
	cfg 'del(.linux.devices) | .linux.rootfsPropagation = "sideways"'
	expect_create_error 'linux.rootfsPropagation: unknown propagation "sideways"'
}

@test "fields this build does not enforce are refused, unknown ones ignored" {
	cfg '.linux.intelRdt = {closID: "x"}'
	expect_create_error 'config.json: linux.intelRdt: not supported by this build'
	cfg 'del(.linux.intelRdt) | .process.scheduler = {policy: "SCHED_OTHER"}'
	expect_create_error 'config.json: process.scheduler: not supported'
	cfg 'del(.process.scheduler) | .linux.resources.memory = {kernel: 1048576}'
	expect_create_error 'config.json: linux.resources.memory.kernel: a separate kernel memory limit is not enforced'
	cfg '.linux.resources.memory = {useHierarchy: false}'
	expect_create_error 'linux.resources.memory.useHierarchy: false is not possible'
	cfg '.linux.resources.memory = {limit: 67108864, future: 5}'
	expect_create_error 'config.json: linux.resources.memory.future: not supported'
	# What an engine sends as zeroes means "not set", and is accepted.
	cfg '.linux.resources.memory = {kernel: 0} | .linux.resources.network = {classID: 0, priorities: []}'
	args true
	rt run -b "$BUNDLE" "$ID"
	cfg 'del(.linux.resources.memory) | del(.linux.resources.network) | .mounts[0].options += ["idmap"]'
	expect_create_error 'mounts[0].options[3]: mount option "idmap" is not supported'
	# An extension the runtime does not know is ignored (runtime-spec).
	cfg '.mounts[0].options |= map(select(. != "idmap")) | .org_example_ext = {a: 1} | .process.vendorThing = 1'
	args true
	rt run -b "$BUNDLE" "$ID"
}

@test "sysctls outside the container's namespaces are refused" {
	cfg '.linux.sysctl = {"kernel.panic": "1"}'
	expect_create_error 'linux.sysctl.kernel.panic: not isolated by a namespace'
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces |= map(select(.type != "network"))'
	expect_create_error 'linux.sysctl.net.ipv4.ip_forward: needs a network namespace'
	cfg '.linux.sysctl = {"kernel.msgmax": "1"} | .linux.namespaces |= map(select(.type != "ipc"))'
	expect_create_error 'linux.sysctl.kernel.msgmax: needs an ipc namespace'
	cfg '.linux.sysctl = {"../../kernel.panic": "1"}'
	expect_create_error 'malformed sysctl name'
}

@test "a user namespace without mappings, mappings without one" {
	cfg '.linux.namespaces += [{type: "user"}]'
	expect_create_error 'linux: a new user namespace needs uidMappings and gidMappings'
	cfg '.linux.namespaces |= map(select(.type != "user")) | .linux.uidMappings = [{containerID: 0, hostID: 1000, size: 1}]'
	expect_create_error 'uidMappings and gidMappings need a new user namespace'
}

@test "without a mount namespace, mounts are refused (they would go on the host)" {
	cfg '.linux.namespaces |= map(select(.type != "mount"))'
	expect_create_error 'config.json: mounts: needs a mount namespace'
}

@test "hostname without a uts namespace is refused" {
	cfg '.linux.namespaces |= map(select(.type != "uts"))'
	expect_create_error 'hostname: setting a hostname needs a uts namespace'
}

@test "a missing bind source fails create and leaves nothing" {
	cfg '.mounts += [{destination: "/x", type: "bind", source: "/nonexistent/src", options: ["bind"]}]'
	expect_create_error 'mounts[7]: bind mount source /nonexistent/src: No such file or directory'
}

@test "an unknown filesystem option fails create and leaves nothing" {
	cfg '.mounts[1].options += ["nosuchoption=1"]'
	expect_create_error 'mounts[1]'
}

@test "a missing rootfs fails create and leaves nothing" {
	cfg '.root.path = "/nonexistent/rootfs"'
	expect_create_error 'root.path /nonexistent/rootfs'
}

@test "a joined namespace that does not exist fails create" {
	cfg '.linux.namespaces |= map(if .type == "network" then .path = "/run/netns/nope" else . end)'
	expect_create_error 'linux.namespaces: open /run/netns/nope'
}

@test "a terminal without --console-socket fails create" {
	cfg '.process.terminal = true'
	expect_create_error 'process.terminal is true, but no --console-socket was given'
}

@test "an impossible oomScoreAdj fails create and leaves nothing" {
	# Lowering the score needs CAP_SYS_RESOURCE, which this host lacks.
	cfg '.process.oomScoreAdj = -1000'
	if capsh --has-p=cap_sys_resource 2>/dev/null; then
		skip "this host grants CAP_SYS_RESOURCE"
	fi
	expect_create_error 'process.oomScoreAdj'
}

@test "a cpu quota the kernel rejects fails create and leaves nothing" {
	cfg '.linux.resources.cpu = {quota: 1}'
	expect_create_error 'cpu.cfs_quota_us'
}

@test "a bad cpuset list fails create, naming the field, and leaves nothing" {
	cfg '.linux.resources.cpu = {cpus: "0-"}'
	expect_create_error 'config.json: linux.resources.cpu.cpus: "0-" is not a CPU or node list'
	cfg '.linux.resources.cpu = {mems: "2-1"}'
	expect_create_error 'config.json: linux.resources.cpu.mems: "2-1": the range 2-1 runs backwards'
}

@test "cgroupsPath with .. or a systemd slice is refused" {
	cfg '.linux.cgroupsPath = "/a/../../b"'
	expect_create_error 'linux.cgroupsPath: "/a/../../b" must not contain ".."'
	cfg '.linux.cgroupsPath = "system.slice:scute:x"'
	expect_create_error 'systemd'
}

@test "a failed exec after create leaves nothing once deleted" {
	args /nope
	rt create -b "$BUNDLE" "$ID"
	run rt start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"/nope"* ]]
	rt delete "$ID"
	assert_nothing_left
}

@test "state root: root's symlinks and . on the way are followed; a loop, another user's link, empty, / and over-long paths are refused" {
	# Relative and absolute links (root's) to the test's own directory,
	# with "." components: the state lands in $ROOT.
	ln -s . "$TEST_DIR/here"
	ln -s "$TEST_DIR" "$TEST_DIR/abs"
	args true
	"$SCUTE_RUNTIME" --root "$TEST_DIR/here/./state/." run -b "$BUNDLE" "$ID"
	[ -d "$ROOT" ]
	run "$SCUTE_RUNTIME" --root "$TEST_DIR/abs/state" list -q
	[ "$status" -eq 0 ]
	assert_nothing_left
	# Refused: each names the state directory and why.
	ln -s loop1 "$TEST_DIR/loop2"
	ln -s loop2 "$TEST_DIR/loop1"
	ln -s . "$TEST_DIR/theirs"
	chown -h 1000 "$TEST_DIR/theirs"
	touch "$TEST_DIR/file"
	local long
	long=$(printf 'x%.0s' $(seq 300))
	local -a roots=("$TEST_DIR/loop1/s" "$TEST_DIR/theirs/s" "" / "$TEST_DIR/$long/s" "$TEST_DIR/file/s")
	local -a says=("state directory $TEST_DIR/loop1/s: too many symlinks"
		"state directory $TEST_DIR/theirs/s: symlink theirs is not owned by root or uid 0"
		"state directory: empty path" "state directory /: not a usable directory"
		"state directory $TEST_DIR/$long/s: name too long"
		"state directory $TEST_DIR/file/s: open file: Not a directory")
	local i
	for i in "${!roots[@]}"; do
		run "$SCUTE_RUNTIME" --root "${roots[$i]}" create -b "$BUNDLE" "$ID"
		echo "${roots[$i]}: $status: $output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"${says[$i]}"* ]]
	done
	# Nothing was made through any of them.
	[ ! -e "$TEST_DIR/s" ] && [ ! -e "$TEST_DIR/$long" ]
	[ -z "$(ls -A "$ROOT" | grep -vx seccomp-cache)" ]
}

@test "container ids: empty, . and .., too long or with a slash are refused by every verb" {
	local id verb long
	long=$(printf 'a%.0s' $(seq 1100))
	mkdir -m 700 "$ROOT"
	for id in "" . .. "$long" a/b; do
		# (The message shows a long id's start, not all of it.)
		local want="invalid container id \"$id\""
		[ ${#id} -le 60 ] || want="invalid container id \"${id:0:60}"
		for verb in "create -b $BUNDLE" start state "kill --all" delete "delete --force" exec \
			pause resume ps; do
			# shellcheck disable=SC2086
			run rt $verb "$id"
			echo "$verb '$id': $status: ${output:0:120}"
			[ "$status" -ne 0 ]
			[[ "$output" == *"$want"* ]]
			# Only that: no claim about a state that was never read.
			[[ "$output" != *"state unreadable"* ]]
		done
		# With no state root at all, the id is still what is named.
		run "$SCUTE_RUNTIME" --root "$TEST_DIR/no-root" state "$id"
		[[ "$output" == *"$want"* ]]
	done
	[ -z "$(ls -A "$ROOT" | grep -vx seccomp-cache)" ]
	[ ! -e "$TEST_DIR/a" ]
}

# damaged_state NAME JSON: a state entry NAME holding state.json JSON (no
# state.json when JSON is empty); nothing of it runs or exists.
damaged_state() {
	# (Each level private: -p alone makes $ROOT by the umask, 0 in coverage runs.)
	mkdir -p -m 700 "$ROOT"
	mkdir -m 700 "$ROOT/$1"
	[ -z "$2" ] || printf '%s\n' "$2" >"$ROOT/$1/state.json"
}

@test "a damaged state entry is named by state and delete, and delete --force removes only it" {
	damaged_state empty ""
	damaged_state badjson '{'
	damaged_state nofield '{"id": "nofield"}'
	damaged_state cg "$(jq -cn '{ociVersion: "1.2.0", id: "cg", bundle: "/nonexistent",
		status: "stopped", pid: 0, starttime: 0, created: "2026-01-01T00:00:00Z", owner: 0,
		cgroups: [{path: 5, controllers: "pids"}]}')"
	local -A says=([empty]="state.json: No such file or directory"
		[badjson]="state.json: string or '}' expected"
		[nofield]="state.json: Object item not found: bundle"
		[cg]="state.json: malformed cgroups")
	local name
	for name in empty badjson nofield cg; do
		run rt state "$name"
		echo "state $name: $status: $output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"${says[$name]}"* ]]
		run rt delete "$name"
		[ "$status" -ne 0 ]
		[[ "$output" == *"${says[$name]}"* ]]
		[ -d "$ROOT/$name" ]
	done
	# A real container beside them is untouched by all of that.
	create_ctr true
	for name in empty badjson nofield cg; do
		run rt delete --force "$name"
		echo "delete --force $name: $status: $output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"container \"$name\": state unreadable, removed without cleanup"* ]]
		[ ! -e "$ROOT/$name" ]
	done
	[ "$(rt state "$ID" | jq -r .status)" = created ]
	rt delete --force "$ID"
	assert_nothing_left
}

@test "a hook killed by a signal, or failing after much output, fails create naming it and the end of its output" {
	cfg '.hooks = {prestart: [{path: "/bin/sh", args: ["sh", "-c", "kill -9 $$"]}]}'
	expect_create_error 'hooks.prestart[0] (/bin/sh): killed by signal 9'
	# Only the end of a long output is kept: it says why the hook failed.
	cfg '.hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c",
		"head -c 4000 /dev/zero | tr \"\\\\0\" x; echo; echo the-start-is-dropped >&2; head -c 600 /dev/zero | tr \"\\\\0\" y; echo why-it-failed; exit 3"]}]}'
	expect_create_error 'hooks.createRuntime[0] (/bin/sh): exit status 3: '
	[[ "$output" == *"yyyy"*"why-it-failed"* ]]
	[[ "$output" != *xxxx* ]]
	[[ "$output" != *the-start-is-dropped* ]]
}

@test "delete of a stopped container whose stored poststop hooks are malformed warns, naming them, and removes it" {
	mkdir -m 700 "$ROOT" "$ROOT/$ID"
	jq -n --arg id "$ID" '{ociVersion: "1.2.0", id: $id, bundle: "/nonexistent", status: "stopped",
		pid: 0, starttime: 0, created: "2026-01-01T00:00:00Z", owner: 0, cgroups: [],
		hooks: {poststop: 5}}' >"$ROOT/$ID/state.json"
	run rt delete "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"state.json: hooks.poststop: expected an array"* ]]
	assert_nothing_left
}

@test "linux.devices outside /dev, with . in the path, a name or parent too long fail create, naming the device" {
	local long
	long=$(printf 'd%.0s' $(seq 300))
	cfg '.linux.devices = [{path: "/etc/null2", type: "c", major: 1, minor: 3}]'
	expect_create_error 'device /etc/null2 is not below /dev'
	cfg '.linux.devices = [{path: "/dev/../etc/null2", type: "c", major: 1, minor: 3}]'
	expect_create_error 'device /dev/../etc/null2 is not below /dev'
	cfg '.linux.devices = [{path: "/dev/a/./null2", type: "c", major: 1, minor: 3}]'
	expect_create_error 'device /dev/a/./null2: "." in the path'
	cfg '.linux.devices = [{path: ("/dev/" + $l + "/null2"), type: "c", major: 1, minor: 3}]' --arg l "$long"
	expect_create_error "linux.devices[0]: create the parent directories of /dev/$long/null2: File name too long"
	# A parent past PATH_MAX (short components, so each would do).
	long=$(printf 'a/%.0s' $(seq 2100))
	cfg '.linux.devices = [{path: ("/dev/" + $l + "null2"), type: "c", major: 1, minor: 3}]' --arg l "$long"
	# (The message is cut at its size limit, before "path too long".)
	expect_create_error "linux.devices[0]: device /dev/${long:0:200}"
}

@test "a seccomp profile that forbids execve and names a listenerPath is refused" {
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/run/agent.sock",
	       syscalls: [{names: ["execve", "execveat"], action: "SCMP_ACT_ERRNO"},
			  {names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}'
	expect_create_error 'config.json: linux.seccomp: a profile that forbids execve cannot also hand its listener to listenerPath'
}

@test "CVE-2019-19921: proc or sysfs over a symlink or a file in the image fails create, naming the mount" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	# A link to a real directory of the image: a mount there could be
	# redirected (as a racing container would); refused, not followed.
	mkdir -p "$r/elsewhere"
	rm -rf "$r/proc"
	ln -s elsewhere "$r/proc"
	cfg '.root.path = $r' --arg r "$r"
	expect_create_error 'mount proc on /proc: not a directory (a symlink or a file is refused)'
	[ -z "$(ls -A "$r/elsewhere")" ]
	rm "$r/proc"
	mkdir "$r/proc"
	rm -rf "$r/sys"
	touch "$r/sys"
	expect_create_error 'mount sysfs on /sys: not a directory (a symlink or a file is refused)'
}
