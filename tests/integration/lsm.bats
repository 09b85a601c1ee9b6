#!/usr/bin/env bats
# AppArmor and SELinux labels. AppArmor for real in a throwaway VM
# (../shared/tools/vm-run: AppArmor on, Landlock ABI 2), with Landlock's
# best effort on that older ABI; on this host, where AppArmor and SELinux
# are off, the errors.

load helpers

VM_RUN=$BATS_TEST_DIRNAME/../../../shared/tools/vm-run

@test "AppArmor (in a VM): scute-default and a test profile confine; Landlock on ABI 2" {
	[ -z "${SCUTE_SKIP_VM:-}" ] || skip "SCUTE_SKIP_VM is set"
	[ -x "$VM_RUN" ] || skip "../shared/tools/vm-run is not here"
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 is not installed"
	run timeout 600 "$VM_RUN" "$SRC_ROOT" -- env SCUTE_BUILD_DIR="$BUILD_DIR" \
		tests/integration/lsm-guest.sh
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"spec: scute-default"* ]]          # spec names it where AppArmor is on
	[[ "$output" == *"default: scute-default (enforce)"* ]]
	[[ "$output" == *"default: EACCES"* ]]              # /proc/kcore, denied by the profile
	[[ "$output" == *"default: version-ok"* ]]
	[[ "$output" == *"loaded: 1"* ]]                    # create loaded it on first use
	[[ "$output" == *"test: scute-test (enforce)"* ]]
	[[ "$output" == *"test: EACCES"* ]]                 # the test profile's deny rule
	[[ "$output" == *"exec: scute-test (enforce)"* ]]     # exec gets the container's profile
	[[ "$output" == *"shadow: scute-test (enforce)"* ]]   # CVE-2019-16884: /proc shadowed
	[[ "$output" == *"unconfined: unconfined"* ]]
	[[ "$output" == *'missing: scute-runtime: process.apparmorProfile: profile "scute-nope" is not loaded'* ]]
	[[ "$output" == *"loaded x: 1"* ]]
	[[ "$output" == *"handledAccessFS: dropping truncate (this kernel has ABI 2)"* ]]
	[[ "$output" == *"handledAccessNet: dropping bind_tcp (this kernel has ABI 2)"* ]]
	[[ "$output" == *"landlock: EACCES"* ]]             # the write outside the tree
	[[ "$output" == *"landlock: ok"* ]]                 # bind: not restricted on ABI 2
	[[ "$output" == *'strict: scute-runtime: process.landlock.ruleset.handledAccessFS: "truncate" needs Landlock ABI 3; this kernel has ABI 2'* ]]
	[[ "$output" == *"sysrq: EROFS"* ]]                 # the defaults: read-only
	[[ "$output" == *"sysrq: EACCES"* ]]                # and /proc/kcore denied
	[ "$(grep -c -- '--- left: none' <<<"$output")" -eq 9 ]
}

@test "labels this host cannot apply are errors naming them; unconfined runs" {
	[ "$("$SCUTE_RUNTIME" features | jq -r '.annotations["org.scute.apparmor.host"]')" = disabled ] ||
		skip "AppArmor is on here"
	cfg '.process.apparmorProfile = "scute-default"'
	expect_create_error 'process.apparmorProfile: "scute-default": AppArmor is not enabled on this host'
	cfg '.process.apparmorProfile = "unconfined"'
	args true
	rt run -b "$BUNDLE" "$ID"
	cfg 'del(.process.apparmorProfile) | .process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	expect_create_error 'process.selinuxLabel: "system_u:system_r:container_t:s0:c1,c2": SELinux is not enabled on this host'
	cfg 'del(.process.selinuxLabel) | .linux.mountLabel = "system_u:object_r:container_file_t:s0"'
	expect_create_error 'linux.mountLabel: "system_u:object_r:container_file_t:s0": SELinux is not enabled'
	cfg 'del(.linux.mountLabel) | .process.selinuxLabel = "just-a-type"'
	expect_create_error 'process.selinuxLabel: "just-a-type" is not a user:role:type[:level] label'
	cfg 'del(.process.selinuxLabel) | .process.apparmorProfile = "two words"'
	expect_create_error 'process.apparmorProfile: "two words" is not a profile name'
	run "$SCUTE_RUNTIME" apparmor load
	[ "$status" -ne 0 ]
	[[ "$output" == *"AppArmor is not enabled on this host"* ]]
	run "$SCUTE_RUNTIME" apparmor load --print --name mine
	[ "$status" -eq 0 ]
	[[ "$output" == *"profile mine flags=(attach_disconnected,mediate_deleted) {"* ]]
	[[ "$output" == *"deny mount,"* ]]
	[[ "$output" != *"@@NAME@@"* ]]
	# spec does not name a profile the host cannot load.
	run "$SCUTE_RUNTIME" spec -b "$TEST_DIR"
	[ "$(jq -r '.process.apparmorProfile // "none"' "$TEST_DIR/config.json")" = none ]
}
