#!/usr/bin/env bats
# Container roots on a kernel without overlayfs's "lowerdir+" (Debian 12's
# stock 6.1, in a throwaway VM: ../shared/tools/vm-run): the legacy
# mount(2) path with short l/N names, a stack of 250 layers included, and
# removal leaving nothing. The build must be inside the checkout (the
# only host directory the VM may write).

load vm

@test "rootfs (in a 6.1 VM): the legacy mount, 250 layers, removal" {
	run_in_vm tests/integration/rootfs-guest.sh
	[ "$status" -eq 0 ]
	[[ "$output" == *"kernel 6.1."* ]]
	[[ "$output" == *"shared: top bottom: 1"* ]]
	[[ "$output" == *"gone: 1"* ]]
	[[ "$output" == *"opaque: new"* ]]
	[[ "$output" == *"setuid: 4755"* ]]
	[[ "$output" == *"rw,nodev,relatime rw,lowerdir=l/0:l/1:l/2,upperdir=upper,workdir=work"* ]]
	[[ "$output" == *"dir: upper work "* ]] # the l/ links gone after the mount
	[[ "$output" == *"upper: hello"* ]]
	[[ "$output" == *"tall: 249 250"* ]]
	[ "$(grep -c 'after: mounts 0 dir none' <<<"$output")" = 2 ]
	[[ "$output" == *"rows 0"* ]]
	[[ "$output" == *"--- done"* ]]
}
