#!/usr/bin/env bats
# Landlock (process.landlock): filesystem trees, an exec allow-list, TCP
# port rules and scoping on this kernel; errors that name the field. The
# older ABI of Debian's stock kernel is tested in lsm.bats (in a VM).

load helpers

setup() {
	[ "$(abi)" -ge 1 ] || skip "this kernel has no Landlock"
	TEST_DIR=$(mktemp -d /tmp/scute-test.XXXXXX)
	ROOT=$TEST_DIR/state
	BUNDLE=$TEST_DIR/bundle
	ID=t$$-$BATS_TEST_NUMBER
	mkdir -p "$BUNDLE"
	jq --arg root "$FILE_DIR/template/rootfs" '.root.path = $root
	   | .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid"]}]' \
		"$FILE_DIR/template/config.json" >"$BUNDLE/config.json"
}

abi() {
	"$SCUTE_RUNTIME" features | jq -r '.annotations["org.scute.landlock.abi"]'
}

@test "landlock: read-only and read-write trees; writes elsewhere are refused" {
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["execute", "write_file", "read_file",
	       "read_dir", "remove_file", "make_reg", "make_dir"]},
	     rules: {pathBeneath: [
	       {allowedAccess: ["execute", "read_file", "read_dir"], paths: ["/bin", "/etc", "/proc", "/dev"]},
	       {allowedAccess: ["write_file", "read_file", "read_dir", "remove_file", "make_reg", "make_dir"],
	        paths: ["/tmp"]}]}}'
	run_ctr sh -c 'probe write /tmp/x; probe read /etc/passwd; probe write /dev/shm/x; probe write /etc/passwd; mkdir /dev/shm/d 2>&1; probe read /root; true'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = ok ]
	[[ "${lines[1]}" == "ok "* ]]
	[ "${lines[2]}" = EACCES ]                  # /dev/shm is writable, but not to us
	[ "${lines[3]}" = EACCES ] || [ "${lines[3]}" = EROFS ] # read-only tree
	[[ "${lines[4]}" == *"Permission denied"* ]]
	[ "${lines[5]}" = EACCES ]                 # read_dir outside the trees
	# Without the section, the same writes work.
	cfg 'del(.process.landlock)'
	run_ctr sh -c 'probe write /dev/shm/x'
	[ "$output" = ok ]
}

@test "landlock: an exec allow-list runs the entrypoint and refuses /bin/sh" {
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["execute"]},
	     rules: {pathBeneath: [{allowedAccess: ["execute"], paths: ["/bin/probe"]}]}}'
	run_ctr probe exec /bin/sh
	echo "$output"
	[ "$output" = EACCES ]
	# The entrypoint itself must be allowed: /bin/sh is not.
	run_ctr sh -c true
	[ "$status" -ne 0 ]
	[[ "$output" == *"exec sh"*"Permission denied"* ]]
	assert_nothing_left
}

@test "landlock: a TCP bind rule permits one port and refuses another" {
	[ "$(abi)" -ge 4 ] || skip "Landlock ABI 4 (network) needed"
	cfg '.process.landlock = {ruleset: {handledAccessNet: ["bind_tcp"]},
	     rules: {netPort: [{allowedAccess: ["bind_tcp"], ports: [8080]}]}}'
	run_ctr sh -c 'probe bind 8080; probe bind 8081'
	echo "$output"
	[ "${lines[0]}" = ok ]
	[ "${lines[1]}" = EACCES ]
}

@test "landlock: scoped signals keep the container from signalling the host" {
	[ "$(abi)" -ge 6 ] || skip "Landlock ABI 6 (scoping) needed"
	# In the host's pid namespace, the container's root could signal the
	# host's init (kill -0 only asks); scoped, it cannot.
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	# (The last line: the runtime warns first that the pid namespace is shared.)
	run_ctr probe kill 1
	[ "${lines[-1]}" = ok ]
	cfg '.process.landlock = {ruleset: {scoped: ["signal"]}}'
	run_ctr probe kill 1
	[ "${lines[-1]}" = EPERM ]
}

@test "landlock: a missing path is skipped, unless disableBestEffort" {
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["write_file"]},
	     rules: {pathBeneath: [{allowedAccess: ["write_file"], paths: ["/nonexistent", "/tmp"]}]}}'
	args probe write /tmp/x
	run rt --debug run -b "$BUNDLE" "$ID"
	[[ "$output" == *"landlock: /nonexistent does not exist in the container; rule skipped"* ]]
	[[ "$output" == *ok* ]]
	cfg '.process.landlock.disableBestEffort = true'
	expect_create_error 'process.landlock.rules.pathBeneath[0].paths[0]: /nonexistent: No such file'
	# Directory rights on a file: masked to the file's, or an error.
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["read_dir", "read_file"]},
	     rules: {pathBeneath: [{allowedAccess: ["read_dir", "read_file"], paths: ["/bin/probe"]}]},
	     disableBestEffort: true}'
	expect_create_error 'process.landlock.rules.pathBeneath[0]: /bin/probe is not a directory'
}

@test "landlock: bad sections name the field" {
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["read_file", "fly"]}}'
	expect_create_error 'process.landlock.ruleset: handledAccessFS[1]: "fly" is not a Landlock right'
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["read_file"]},
	     rules: {pathBeneath: [{allowedAccess: ["write_file"], paths: ["/tmp"]}]}}'
	expect_create_error 'process.landlock.rules.pathBeneath[0]: allowedAccess: write_file not in ruleset.handledAccessFS'
	cfg '.process.landlock = {ruleset: {handledAccessFS: ["read_file"]},
	     rules: {pathBeneath: [{allowedAccess: ["read_file"], paths: ["tmp"]}]}}'
	expect_create_error 'process.landlock.rules.pathBeneath[0]: paths[0]: "tmp" is not an absolute path'
	cfg '.process.landlock = {ruleset: {handledAccessNet: ["bind_tcp"]},
	     rules: {netPort: [{allowedAccess: ["bind_tcp"], ports: [70000]}]}}'
	expect_create_error 'process.landlock.rules.netPort[0]: ports[0]: expected a port'
	cfg '.process.landlock = {ruleset: {scoped: ["signal"]}} | .process.noNewPrivileges = false'
	expect_create_error 'process.landlock: needs process.noNewPrivileges to be true'
}
