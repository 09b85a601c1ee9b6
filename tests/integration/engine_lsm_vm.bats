#!/usr/bin/env bats
# Issue 14 item 3 where AppArmor runs (a throwaway VM, ../shared/tools/
# vm-run): scute run confines with scute's default profile, takes the
# hardening guides' apparmor=docker-default as written, applies an
# operator's profile, runs unconfined only when asked, and refuses a
# profile that is not loaded. This host (AppArmor off) refuses them all:
# containers_run.bats and test_oci_config.

load vm

@test "AppArmor (in a VM): scute run's default, docker-default, an operator's profile, unconfined, a missing one" {
	run_in_vm tests/integration/engine-lsm-guest.sh
	[ "$status" -eq 0 ]
	[[ "$output" == *"default: scute-default (enforce)"* ]]
	[[ "$output" == *"docker-default: scute-default (enforce)"* ]]
	[[ "$output" == *"test: scute-test (enforce)"* ]]
	[[ "$output" == *"test read: EACCES"* ]]
	[[ "$output" == *"unconfined: unconfined"* ]]
	[[ "$output" == *"missing: 125 "*"scute-nope"* ]] # the runtime's error, not the program's 127
	[[ "$output" == *"--- left: 0 containers, 0 mounts"* ]]
}
