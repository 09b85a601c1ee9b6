#!/bin/sh
# Run inside ../shared/tools/vm-run (pure cgroup v2) by cgroup_v2.bats:
# limits on cgroup2 files, seen from inside the container, and cleanup.
set -eu
cd "$(dirname "$0")/../.."
# The build to test: the release one unless the suite runs another.
build=${SCUTE_BUILD_DIR:-build}
rt=$build/scute-runtime
b=$(mktemp -d /tmp/v2.XXXXXX)
SCUTE_RUNTIME=$rt scripts/mkbundle.sh "$b" "$build/tests/probe" >/dev/null
jq '.process.args = ["sh", "-c", "cat /proc/self/cgroup; for f in memory.high memory.max memory.low memory.swap.max pids.max cpu.max cpu.max.burst cpu.weight cpuset.cpus io.weight; do echo \"$f $(cat /sys/fs/cgroup/$f | head -n1)\"; done; grep Cpus_allowed_list /proc/self/status; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done 2>&1 | head -n1"]
    | .linux.resources = {unified: {"memory.high": "50003968"},
                          memory: {limit: 67108864, reservation: 33554432, swap: 134217728},
                          pids: {limit: 6}, blockIO: {weight: 500},
                          cpu: {shares: 1024, quota: 50000, period: 100000, burst: 20000, cpus: "0"}}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
echo "--- run"
$rt --root "$b/state" run -b "$b" v2test || echo "run-status=$?"
echo "--- left: $(ls -d /sys/fs/cgroup/v2test 2>/dev/null || echo none)"
echo "--- v1-only"
jq '.process.args = ["true"] | .linux.resources = {memory: {swappiness: 10}}' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -b "$b" v2s 2>&1 || true
echo "--- pause"
jq '.process.args = ["sleep", "30"] | del(.linux.resources)' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -d -b "$b" v2p
$rt --root "$b/state" pause v2p
echo "frozen: $(grep frozen /sys/fs/cgroup/v2p/cgroup.events)"
echo "status: $($rt --root "$b/state" state v2p | jq -r .status)"
$rt --root "$b/state" resume v2p
echo "thawed: $(grep frozen /sys/fs/cgroup/v2p/cgroup.events)"
$rt --root "$b/state" delete -f v2p
echo "--- left: $(ls -d /sys/fs/cgroup/v2p 2>/dev/null || echo none)"
echo "--- devices"
# /dev/extra (10:200) is outside the runtime's own set and denied; after
# an update allowing it, the container opens it once /go appears (the
# driver may still fail the read, but not with the cgroup's EPERM).
jq '.process.args = ["sh", "-c", "probe read /dev/null; probe read /dev/extra; while [ ! -e /go ]; do sleep 0.1; done; probe read /dev/extra"]
    | .linux.devices = [{path: "/dev/extra", type: "c", major: 10, minor: 200}]
    | .linux.resources = {devices: [{allow: false, access: "rwm"}]}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -d -b "$b" v2d >"$b/out" 2>&1 || { cat "$b/out"; exit 1; }
for i in $(seq 300); do
	[ "$(wc -l <"$b/out")" -ge 2 ] && break
	sleep 0.1
done
echo '{"devices": [{"allow": true, "type": "c", "major": 10, "minor": 200, "access": "rw"}]}' |
	$rt --root "$b/state" update --resources - v2d
touch "$b/rootfs/go"
for i in $(seq 300); do
	[ "$($rt --root "$b/state" state v2d | jq -r .status)" = stopped ] && break
	sleep 0.1
done
echo "devices: $(tr '\n' ' ' <"$b/out")"
$rt --root "$b/state" delete -f v2d
rm -f "$b/rootfs/go"
echo "--- hugetlb"
jq '.process.args = ["sh", "-c", "cat /sys/fs/cgroup/hugetlb.2MB.max /sys/fs/cgroup/hugetlb.2MB.rsvd.max"]
    | del(.linux.devices) | .linux.resources = {hugepageLimits: [{pageSize: "2MB", limit: 4194304}]}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -b "$b" v2h 2>&1 | sed 's/^/hugetlb: /'
echo "--- memory checks"
jq '.process.args = ["sleep", "30"] | .linux.resources = {memory: {limit: 67108864, kernelTCP: 1048576}}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -d -b "$b" v2m 2>&1 || true
jq '.linux.resources = {memory: {limit: 67108864}}' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -d -b "$b" v2m
echo '{"memory": {"limit": 4096, "checkBeforeUpdate": true}}' |
	$rt --root "$b/state" update --resources - v2m 2>&1 || true
echo "memory.max after: $(cat /sys/fs/cgroup/v2m/memory.max)"
$rt --root "$b/state" delete -f v2m
echo "--- rdma"
jq '.process.args = ["true"] | .linux.resources = {rdma: {mlx5_0: {hcaHandles: 2}}}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -b "$b" v2r 2>&1 || true
echo "--- network (v1 net_cls and net_prio beside cgroup2)"
jq '.process.args = ["true"] | .linux.resources = {network: {classID: 1048577, priorities: [{name: "lo", priority: 5}]}}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
mkdir -p /tmp/netcg
unshare -m sh -euc '
	mount -t cgroup -o net_cls,net_prio cgroup /tmp/netcg
	"$1" --root "$2/state" create -b "$2" v2n
	echo "classid: $(cat /tmp/netcg/v2n/net_cls.classid)"
	echo "ifpriomap: $(grep "^lo " /tmp/netcg/v2n/net_prio.ifpriomap)"
	"$1" --root "$2/state" delete v2n
	echo "--- left: $(ls -d /tmp/netcg/v2n /sys/fs/cgroup/v2n 2>/dev/null || echo none)"' _ "$rt" "$b"
echo "--- io on a loop device with bfq"
modprobe loop && modprobe bfq
truncate -s 8M "$b/disk"
loop=$(losetup -f --show "$b/disk")
echo bfq >"/sys/block/${loop#/dev/}/queue/scheduler"
majmin=$(cat "/sys/block/${loop#/dev/}/dev")
jq --argjson maj "${majmin%:*}" --argjson min "${majmin#*:}" \
	'.process.args = ["sh", "-c", "cat /sys/fs/cgroup/io.max /sys/fs/cgroup/io.bfq.weight"]
	| .linux.resources = {blockIO: {weight: 300, weightDevice: [{major: $maj, minor: $min, weight: 200}],
	  throttleReadBpsDevice: [{major: $maj, minor: $min, rate: 1048576}],
	  throttleWriteIOPSDevice: [{major: $maj, minor: $min, rate: 100}]}}' \
	"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
$rt --root "$b/state" run -b "$b" v2io 2>&1 | sed 's/^/io: /'
losetup -d "$loop"
for c in v2d v2h v2m v2r v2io; do
	echo "--- left: $(ls -d /sys/fs/cgroup/$c 2>/dev/null || echo none)"
done
rm -rf "$b"
