#!/bin/sh
# Run inside ../shared/tools/vm-run (pure cgroup v2) by cgroup_v2.bats:
# limits on cgroup2 files, seen from inside the container, and cleanup.
set -eu
cd "$(dirname "$0")/../.."
rt=build/scute-runtime
b=$(mktemp -d /tmp/v2.XXXXXX)
scripts/mkbundle.sh "$b" build/tests/probe >/dev/null
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
rm -rf "$b"
