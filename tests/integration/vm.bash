# Tests in a throwaway VM (../shared/tools/vm-run, Debian 12's stock
# kernel): the checkout is the VM's one writable host directory, so the
# build to test must be inside it.

VM_RUN=$BATS_TEST_DIRNAME/../../../shared/tools/vm-run

# run_in_vm GUEST_SCRIPT: run the script (a path in the checkout) as root
# in the VM, with `run` (output in $output, status in $status); skips
# when there is no VM to be had.
run_in_vm() {
	[ -z "${SCUTE_SKIP_VM:-}" ] || skip "SCUTE_SKIP_VM is set"
	[ -x "$VM_RUN" ] || skip "../shared/tools/vm-run is not here"
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 is not installed"
	local src
	src=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	run timeout 600 "$VM_RUN" "$src" -- env SCUTE_BUILD_DIR="${SCUTE_BUILD_DIR:-$src/build}" "$1"
	echo "$output"
}
