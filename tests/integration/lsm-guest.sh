#!/bin/sh
# Run inside ../shared/tools/vm-run (AppArmor on, Landlock ABI 2 on Debian's
# stock kernel) by lsm.bats: profiles applied and enforced, and Landlock's
# best effort against disableBestEffort on an older ABI.
set -eu
cd "$(dirname "$0")/../.."
# The build to test: the release one unless the suite runs another.
build=${SCUTE_BUILD_DIR:-build}
rt=$build/scute-runtime
b=$(mktemp -d /tmp/lsm.XXXXXX)
SCUTE_RUNTIME=$rt scripts/mkbundle.sh "$b" "$build/tests/probe" >/dev/null
set_cfg() {
	jq "$1" "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
}
run_ctr() {
	$rt --root "$b/state" run -b "$b" "$1" 2>&1 | sed "s/^/$1: /" || true
}
cp "$b/config.json" "$b/config.default"
mkdir "$b/spec"
$rt spec -b "$b/spec"
echo "spec: $(jq -r .process.apparmorProfile "$b/spec/config.json")"

# scute-default, loaded by create on first use.
set_cfg '.process.apparmorProfile = "scute-default"
	| .process.args = ["sh", "-c", "cat /proc/self/attr/current; probe read /proc/kcore; probe read /proc/version >/dev/null && echo version-ok"]'
run_ctr default
echo "loaded: $(grep -c '^scute-default ' /sys/kernel/security/apparmor/profiles)"

# A profile of the test's own, denying one file.
echo 'profile scute-test flags=(attach_disconnected) { file, capability, network, signal, umount, deny /proc/version r, }' |
	apparmor_parser -r
set_cfg '.process.apparmorProfile = "scute-test"
	| .process.args = ["sh", "-c", "cat /proc/self/attr/current; probe read /proc/version"]'
run_ctr test
# exec'd processes get the container's profile.
set_cfg '.process.args = ["sleep", "10"]'
$rt --root "$b/state" run -d -b "$b" execd
echo "exec: $($rt --root "$b/state" exec execd cat /proc/self/attr/current)"
$rt --root "$b/state" delete -f execd
# CVE-2019-16884: an image whose /proc is not procfs (here a tmpfs, where a
# path-based write to /proc/self/attr/exec would land in a plain file)
# still gets its profile: labels go through the runtime's own procfs handle.
cp "$b/config.json" "$b/config.saved"
set_cfg '.mounts |= map(if .destination == "/proc" then .type = "tmpfs" | .source = "tmpfs" | .options = [] else . end)
	| .process.args = ["sleep", "10"]'
$rt --root "$b/state" run -d -b "$b" shadow
pid=$($rt --root "$b/state" state shadow | jq .pid)
echo "shadow: $(cat /proc/$pid/attr/current)"
$rt --root "$b/state" delete -f shadow
cp "$b/config.saved" "$b/config.json"
set_cfg '.process.apparmorProfile = "unconfined" | .process.args = ["cat", "/proc/self/attr/current"]'
run_ctr unconfined
set_cfg '.process.apparmorProfile = "scute-nope"'
run_ctr missing
$rt apparmor load --name scute-x
echo "loaded x: $(grep -c '^scute-x ' /sys/kernel/security/apparmor/profiles)"

# Landlock ABI 2: truncate (ABI 3) and bind_tcp (ABI 4) are dropped.
set_cfg 'del(.process.apparmorProfile)
	| .process.landlock = {ruleset: {handledAccessFS: ["execute", "write_file", "read_file", "read_dir", "truncate"],
	                                 handledAccessNet: ["bind_tcp"]},
	    rules: {pathBeneath: [{allowedAccess: ["execute", "read_file", "read_dir"], paths: ["/"]}]}}
	| .process.args = ["sh", "-c", "probe write /dev/shm/x; probe bind 8081"]'
$rt --debug --root "$b/state" run -b "$b" ll 2>&1 | grep -v '^\[.*\(init\|create\|start\|delete\|seccomp\)' | sed 's/^/landlock: /' || true
set_cfg '.process.landlock.disableBestEffort = true'
run_ctr strict
# The defaults, on a kernel that has /proc/sysrq-trigger (the test host's
# has none): it cannot even be opened for writing.
cp "$b/config.default" "$b/config.json"
set_cfg '.process.args = ["sh", "-c", "probe openw /proc/sysrq-trigger; probe read /proc/kcore"]'
run_ctr sysrq
for c in default test execd shadow unconfined missing ll strict sysrq; do
	echo "--- left: $(ls -d /sys/fs/cgroup/$c "$b/state/$c" 2>/dev/null || echo none)"
done
rm -rf "$b"
