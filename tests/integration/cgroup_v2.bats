#!/usr/bin/env bats
# Pure cgroup v2, in a throwaway VM (../shared/tools/vm-run, Debian's stock
# kernel): limits land in the cgroup2 files with v2's conversions, the pids
# limit holds, device rules hold as an eBPF program, pause/resume use
# cgroup.freeze, delete leaves nothing.

VM_RUN=$BATS_TEST_DIRNAME/../../../shared/tools/vm-run

@test "cgroup v2 (in a VM): limits, conversions, pids, freeze, cleanup" {
	[ -z "${SCUTE_SKIP_VM:-}" ] || skip "SCUTE_SKIP_VM is set"
	[ -x "$VM_RUN" ] || skip "../shared/tools/vm-run is not here"
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 is not installed"
	local src
	src=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	run timeout 600 "$VM_RUN" "$src" -- env SCUTE_BUILD_DIR="${SCUTE_BUILD_DIR:-$src/build}" \
		tests/integration/v2-guest.sh
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"0::/"* ]] # its own cgroup namespace
	[[ "$output" == *"memory.max 67108864"* ]]
	[[ "$output" == *"memory.high 50003968"* ]] # unified, by name
	[[ "$output" == *"pids.max 6"* ]]
	[[ "$output" == *"cpu.max 50000 100000"* ]]
	[[ "$output" == *"cpu.max.burst 20000"* ]]
	[[ "$output" == *"cpu.weight 39"* ]] # shares 1024, as runc converts
	[[ "$output" == *"memory.low 33554432"* ]]
	[[ "$output" == *"memory.swap.max 67108864"* ]] # memory+swap minus memory
	[[ "$output" == *"cpuset.cpus 0"* ]]
	[[ "$output" == *"Cpus_allowed_list:	0"* ]]
	[[ "$output" == *"io.weight default 4950"* ]] # blkio 500
	[[ "$output" == *"memory.swappiness: cgroup v2 has no per-cgroup swappiness"* ]]
	[[ "$output" == *"can't fork"* ]]
	[[ "$output" != *"run-status="* ]]
	[[ "$output" == *"frozen: frozen 1"* ]]
	[[ "$output" == *"status: paused"* ]]
	[[ "$output" == *"thawed: frozen 0"* ]]
	# Device rules as an eBPF program: null allowed, 10:200 not; after
	# update (the old program replaced) 10:200 opens.
	[[ "$output" == *"devices: ok 0 EPERM "* ]]
	[ "$(grep '^devices: ' <<<"$output" | awk '{print $5}')" != EPERM ]
	[ -n "$(grep '^devices: ' <<<"$output" | awk '{print $5}')" ]
	[[ "$output" == *"hugetlb: 4194304"* ]]
	[ "$(grep -c '^hugetlb: 4194304' <<<"$output")" -eq 2 ] # and the reservation
	[[ "$output" == *"memory.kernelTCP: cgroup v2 has no separate TCP memory limit"* ]]
	[[ "$output" == *"linux.resources.memory.limit: 4096 is below the container's current usage"* ]]
	[[ "$output" == *"memory.max after: 67108864"* ]]
	[[ "$output" == *"linux.resources.rdma.mlx5_0"* ]]
	[[ "$output" == *"classid: 1048577"* ]]
	[[ "$output" == *"ifpriomap: lo 5"* ]]
	# Throttles in io.max, weights through BFQ (as the device uses it).
	[[ "$output" == *"io: 7:"*" rbps=1048576 wbps=max riops=max wiops=100"* ]]
	[[ "$output" == *"io: default 300"* ]]
	[[ "$output" == *"io: 7:"*" 200"* ]]
	[ "$(grep -c -- '--- left: none' <<<"$output")" -eq 8 ]
	[ -z "$(grep -- '--- left: /' <<<"$output")" ]
}
