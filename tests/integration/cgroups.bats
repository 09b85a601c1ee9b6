#!/usr/bin/env bats
# pause, resume, ps and the freezer, on this machine's cgroups.

load helpers

# The counter file is replaced by rename, so a reader never sees it empty
# (a truncate-then-write races the reader under load).
count() { cat "$TEST_DIR/data/count" 2>/dev/null || echo 0; }

# wait_count_above N: until the container has counted past N (10 s at most).
wait_count_above() {
	local i
	for i in $(seq 200); do
		[ "$(count)" -gt "$1" ] && return 0
		sleep 0.05
	done
	echo "the counter stayed at $(count), not above $1"
	return 1
}

@test "pause stops progress, resume restarts it; state says paused" {
	mkdir -p "$TEST_DIR/data"
	cfg '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["bind"]}]' --arg d "$TEST_DIR/data"
	create_ctr sh -c 'i=0; while :; do i=$((i+1)); echo $i > /data/.count; mv /data/.count /data/count; sleep 0.02; done'
	rt start "$ID"
	wait_count_above 2
	rt pause "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = paused ]
	# The v1 freezer where the container has one (a v1-only host), else
	# cgroup2's cgroup.freeze (hybrid: no v1 freezer directory is made).
	if [ -e /sys/fs/cgroup/freezer/"$ID" ]; then
		[ "$(cat /sys/fs/cgroup/freezer/"$ID"/freezer.state)" = FROZEN ]
	else
		grep -qx "frozen 1" /sys/fs/cgroup/unified/"$ID"/cgroup.events
	fi
	local a b
	a=$(count)
	sleep 0.4
	b=$(count)
	[ "$a" = "$b" ]
	run rt pause "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"is paused, not running"* ]]
	rt resume "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	wait_count_above "$b"
	run rt resume "$ID"
	[ "$status" -ne 0 ]
}

@test "a paused container is deleted only with --force, and nothing is left" {
	create_ctr sleep 30
	rt start "$ID"
	rt pause "$ID"
	run rt delete "$ID"
	[ "$status" -ne 0 ]
	rt delete --force "$ID"
	assert_nothing_left
}

@test "pause of a created container is refused" {
	create_ctr sleep 30
	run rt pause "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"is created, not running"* ]]
}

# wait_files FILE...: each exists within 5 s.
wait_files() {
	local f i
	for f in "$@"; do
		for i in $(seq 100); do [ -e "$f" ] && break; sleep 0.05; done
		[ -e "$f" ] || { echo "missing: $f"; return 1; }
	done
}

@test "kill --all TERM reaches every process; the state and freezer are untouched" {
	local d=$TEST_DIR/data
	mkdir -p "$d"
	cfg '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["bind"]}]' --arg d "$d"
	# Three children that end on TERM, and an init that notes it and runs on.
	local child='trap "touch /data/term-$1; exit 0" TERM; touch /data/ready-$1; while :; do sleep 0.05; done'
	create_ctr sh -c "for n in 1 2 3; do sh -c '$child' child \$n & done; trap 'touch /data/term-init' TERM; touch /data/ready-init; while :; do sleep 0.05; done"
	rt start "$ID"
	wait_files "$d"/ready-{1,2,3,init}
	rt kill --all "$ID" TERM
	wait_files "$d"/term-{1,2,3,init}
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	if [ -e /sys/fs/cgroup/freezer/"$ID"/freezer.state ]; then
		[ "$(cat /sys/fs/cgroup/freezer/"$ID"/freezer.state)" = THAWED ]
	fi
	rt kill "$ID" KILL
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "ps: json is the container's pids, table is ps -ef limited to them" {
	create_ctr sh -c 'sleep 31 & sleep 32 & wait'
	rt start "$ID"
	sleep 0.3
	run rt ps --format json "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'sort' <<<"$output")" = "$(sort -n /sys/fs/cgroup/pids/"$ID"/cgroup.procs | jq -s -c .)" ]
	[ "$(jq length <<<"$output")" -eq 3 ]
	run rt ps "$ID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	[ "${#lines[@]}" -eq 4 ]
	[[ "$output" == *"sleep 31"* && "$output" == *"sleep 32"* ]]
	run rt ps "$ID" -o pid,comm
	[[ "${lines[0]}" == *PID*COMMAND* ]]
	[ "${#lines[@]}" -eq 4 ]
	# ps's arguments reach ps as they are: no shell reads them.
	run rt ps "$ID" -o "pid';touch $TEST_DIR/injected;'"
	[ "$status" -ne 0 ]
	[ ! -e "$TEST_DIR/injected" ]
}

@test "devices: only the default set by default; linux.devices nodes need a rule" {
	cfg '.linux.devices = [{path: "/dev/extra", type: "c", major: 1, minor: 4}]'
	run_ctr sh -c 'probe read /dev/null; probe read /dev/extra; cat /sys/fs/cgroup/devices/devices.list'
	[ "${lines[0]}" = "ok 0" ]
	[ "${lines[1]}" = EPERM ]
	[[ "$output" == *"c 136:* rwm"* ]]
	[[ "$output" != *"a *:* rwm"* ]]
}

@test "devices: config rules in order; the runtime's own devices always follow" {
	cfg '.linux.devices = [{path: "/dev/extra", type: "c", major: 1, minor: 4},
			       {path: "/dev/extra2", type: "c", major: 1, minor: 11}]
	     | .linux.resources.devices = [{allow: true, type: "c", major: 1, minor: 4, access: "r"},
					    {allow: true, type: "c", major: 1, minor: 11, access: "rw"},
					    {allow: false, type: "c", major: 1, minor: 11, access: "rw"},
					    {allow: false, type: "c", major: 1, minor: 9, access: "rwm"}]'
	run_ctr sh -c 'probe read /dev/extra; probe write /dev/extra; head -c 1 /dev/extra2 2>&1; head -c 4 /dev/urandom | wc -c'
	echo "$output"
	# 1:4 (/dev/port) readable per the rule (the kernel may still refuse
	# with its own check, but not the cgroup's EPERM), not writable; a
	# later deny wins over 1:11; urandom, one of the runtime's own devices,
	# stays usable whatever the config says (as with runc).
	[ "${lines[0]}" != EPERM ]
	[ "${lines[1]}" = EPERM ]
	[[ "${lines[2]}" == *"Operation not permitted"* ]]
	[ "${lines[3]}" = 4 ]
}

@test "devices: Docker's rules (deny-all first) keep the runtime's devices" {
	cfg '.linux.resources.devices = [{allow: false, access: "rwm"},
					    {allow: true, type: "c", major: 1, minor: 5, access: "rwm"}]'
	run_ctr sh -c 'head -c 4 /dev/full | wc -c; head -c 4 /dev/zero | wc -c'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 4 ]
	[ "${lines[1]}" = 4 ]
}

@test "devices: bad rules name the field" {
	cfg '.linux.resources.devices = [{allow: true, type: "x"}]'
	expect_create_error 'linux.resources.devices[0]: type: "x" is not a, c or b'
	cfg '.linux.resources.devices = [{allow: true, access: "rwx"}]'
	expect_create_error 'linux.resources.devices[0]: access: "rwx"'
	cfg '.linux.resources.devices = [{type: "c"}]'
	expect_create_error 'linux.resources.devices[0]: allow: required'
}

@test "update: flags and --resources change live limits" {
	cfg '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 100}}'
	create_ctr sleep 30
	rt start "$ID"
	rt update --memory 96m --pids-limit 50 --cpu-quota 20000 --cpu-period 100000 "$ID"
	[ "$(cat /sys/fs/cgroup/memory/"$ID"/memory.limit_in_bytes)" = $((96 * 1024 * 1024)) ]
	[ "$(cat /sys/fs/cgroup/pids/"$ID"/pids.max)" = 50 ]
	[ "$(cat /sys/fs/cgroup/cpu/"$ID"/cpu.cfs_quota_us)" = 20000 ]
	# Docker's way: the resources JSON on stdin, unset fields as zeroes.
	echo '{"memory": {"limit": 134217728, "reservation": 0, "swap": 0}, "cpu": {"shares": 256},
	       "blockIO": {"weight": 0}, "pids": {"limit": 0}}' | rt update --resources - "$ID"
	[ "$(cat /sys/fs/cgroup/memory/"$ID"/memory.limit_in_bytes)" = 134217728 ]
	[ "$(cat /sys/fs/cgroup/cpu/"$ID"/cpu.shares)" = 256 ]
	[ "$(cat /sys/fs/cgroup/pids/"$ID"/pids.max)" = 50 ] # 0: left as it was
	rt update --pids-limit -1 "$ID"
	[ "$(cat /sys/fs/cgroup/pids/"$ID"/pids.max)" = max ]
}

@test "update: limits this build does not enforce are refused, bad values named" {
	create_ctr sleep 30
	run rt update --resources - "$ID" <<<'{"memory": {"kernel": 1048576}}'
	[ "$status" -ne 0 ]
	[[ "$output" == *"memory.kernel: a separate kernel memory limit is not enforced"* ]]
	run rt update --resources - "$ID" <<<'{"blockIO": {"leafWeight": 500}}'
	[ "$status" -ne 0 ]
	[[ "$output" == *"blockIO.leafWeight: this kernel has no leaf weights"* ]]
	run rt update --memory lots "$ID"
	[[ "$output" == *'--memory: "lots" is not a size'* ]]
	run rt update --memory 9999999999999t "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *'--memory: "9999999999999t" is too large'* ]]
	run rt update --cpuset-cpus 3-1 "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *'--cpuset-cpus: "3-1": the range 3-1 runs backwards'* ]]
	run rt update --resources - "$ID" <<<'{"cpu": {"mems": "0,"}}'
	[ "$status" -ne 0 ]
	[[ "$output" == *'update: linux.resources.cpu.mems: "0," is not a CPU or node list'* ]]
	run rt update --cpu-shares 12abc "$ID"
	[[ "$output" == *'--cpu-shares: "12abc" is not a whole number'* ]]
	run rt update --pids-limit 5 nosuch
	[[ "$output" == *'"nosuch" does not exist'* ]]
	run rt update --resources "$TEST_DIR/missing.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--resources $TEST_DIR/missing.json: unable to open"* ]]
	printf '{"pids": {"limit": }' >"$TEST_DIR/bad.json"
	run rt update --resources "$TEST_DIR/bad.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--resources $TEST_DIR/bad.json: line 1, column "* ]]
	# A limit refused by name never reaches the cgroup.
	run rt update --resources - nosuch <<<'{"memory": {"kernel": 1}}'
	[[ "$output" == *"memory.kernel"* ]]
}

@test "memory reservation, swap, swappiness, disableOOMKiller and cpuset on v1" {
	cfg '.linux.resources = {memory: {limit: 67108864, reservation: 33554432, swap: 134217728,
				 swappiness: 10, disableOOMKiller: true}, cpu: {cpus: "0", mems: "0"}}'
	args sh -c 'grep Cpus_allowed_list /proc/self/status'
	rt create -b "$BUNDLE" "$ID"
	local m=/sys/fs/cgroup/memory/$ID
	[ "$(cat $m/memory.limit_in_bytes)" = 67108864 ]
	[ "$(cat $m/memory.soft_limit_in_bytes)" = 33554432 ]
	[ "$(cat $m/memory.memsw.limit_in_bytes)" = 134217728 ]
	[ "$(cat $m/memory.swappiness)" = 10 ]
	grep -qx "oom_kill_disable 1" $m/memory.oom_control
	[ "$(cat /sys/fs/cgroup/cpuset/$ID/cpuset.cpus)" = 0 ]
	run rt start "$ID"
	sleep 0.2
}

@test "cpuset pinning is seen inside the container" {
	cfg '.linux.resources = {cpu: {cpus: "0"}}'
	run_ctr grep Cpus_allowed_list /proc/self/status
	[[ "$output" == *"Cpus_allowed_list:	0" ]]
}

@test "a limit this host cannot enforce is an error naming it" {
	grep -qw net_cls /proc/self/mountinfo && skip "this host mounts net_cls"
	cfg '.linux.resources = {network: {classID: 1048577}}'
	expect_create_error "linux.resources.network.classID: the net_cls controller is not available"
	cfg '.linux.resources = {blockIO: {weightDevice: [{major: 1, minor: 0, leafWeight: 300}]}}'
	expect_create_error "linux.resources.blockIO.weightDevice.leafWeight: this kernel has no leaf weights"
	if ! grep -q '^rdma' /proc/cgroups; then
		cfg '.linux.resources = {rdma: {mlx5_0: {hcaHandles: 2}}}'
		expect_create_error "linux.resources.rdma: the rdma controller is not available"
	fi
	if ! grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.subtree_control 2>/dev/null &&
		! mountpoint -q /sys/fs/cgroup/hugetlb; then
		cfg '.linux.resources = {hugepageLimits: [{pageSize: "2MB", limit: 2097152}]}'
		expect_create_error "linux.resources.hugepageLimits: the hugetlb controller is not available on this host (on this hybrid host"
	fi
	cfg '.linux.resources = {memory: {swappiness: 101}}'
	expect_create_error "linux.resources.memory.swappiness: 101 is out of range"
	cfg '.linux.resources = {hugepageLimits: [{pageSize: "2XB", limit: 1}]}'
	expect_create_error 'linux.resources.hugepageLimits[0]: pageSize: "2XB" is not a size like "2MB"'
	cfg '.linux.resources = {network: {priorities: [{name: "eth0/x", priority: 1}]}}'
	expect_create_error 'linux.resources.network.priorities[0]: name: required, an interface name'
}

@test "blockIO weight and weightDevice go to BFQ's files when blkio.weight is absent" {
	[ -e /sys/fs/cgroup/blkio ] || skip "no v1 blkio hierarchy"
	grep -qw bfq /sys/block/loop0/queue/scheduler || skip "no bfq scheduler"
	# A loop device of the test's own, switched to bfq.
	truncate -s 8M "$TEST_DIR/disk"
	local loop
	loop=$(losetup -f --show "$TEST_DIR/disk")
	on_teardown "losetup -d $loop"
	echo bfq >/sys/block/"${loop#/dev/}"/queue/scheduler
	local majmin
	majmin=$(cat /sys/block/"${loop#/dev/}"/dev)
	cfg '.linux.resources = {blockIO: {weight: 500, weightDevice: [{major: $maj, minor: $min, weight: 300}]}}' \
		--argjson maj "${majmin%:*}" --argjson min "${majmin#*:}"
	create_ctr true
	local b=/sys/fs/cgroup/blkio/$ID weight=blkio.weight
	[ -e $b/blkio.weight ] || weight=blkio.bfq.weight
	echo "$weight: $(cat $b/$weight)"
	[[ "$(cat $b/$weight)" == *500* ]]
	[[ "$(cat $b/${weight}_device)" == *"$majmin 300"* ]]
	run rt update --blkio-weight 200 "$ID"
	[[ "$(cat $b/$weight)" == *200* ]]
}

@test "memory kernelTCP on v1, and checkBeforeUpdate refuses a limit below usage" {
	[ -e /sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes ] || skip "no kmem.tcp files"
	cfg '.linux.resources = {memory: {limit: 67108864, kernelTCP: 8388608}}'
	create_ctr sh -c 'sleep 30'
	[ "$(cat /sys/fs/cgroup/memory/"$ID"/memory.kmem.tcp.limit_in_bytes)" = 8388608 ]
	rt start "$ID"
	run rt update --resources - "$ID" <<<'{"memory": {"limit": 8192, "checkBeforeUpdate": true}}'
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.resources.memory.limit: 8192 is below the container's current usage"* ]]
	[ "$(cat /sys/fs/cgroup/memory/"$ID"/memory.limit_in_bytes)" = 67108864 ]
	rt update --resources - "$ID" <<<'{"memory": {"limit": 33554432, "checkBeforeUpdate": true}}'
	[ "$(cat /sys/fs/cgroup/memory/"$ID"/memory.limit_in_bytes)" = 33554432 ]
}

@test "hugepageLimits on a cgroup v1 hugetlb hierarchy (in a private mount namespace)" {
	[ -e /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2MB huge pages"
	grep -q '^hugetlb' /proc/cgroups || skip "no hugetlb controller"
	grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.subtree_control 2>/dev/null &&
		skip "hugetlb is in use on cgroup2"
	mountpoint -q /sys/fs/cgroup/hugetlb && skip "hugetlb is mounted already"
	cfg '.linux.resources = {hugepageLimits: [{pageSize: "2MB", limit: 4194304}]}'
	args true
	mkdir "$TEST_DIR/hugetlb"
	# The hierarchy lives as long as the namespace's mount and our cgroup;
	# when both are gone the kernel hands hugetlb back to cgroup2.
	on_teardown "wait_hugetlb_back"
	run unshare -m sh -euc '
		mount -t cgroup -o hugetlb cgroup "$1"
		"$2" --root "$3" create -b "$4" "$5"
		cat "$1/$5/hugetlb.2MB.limit_in_bytes"
		"$2" --root "$3" delete "$5"
		ls "$1" | grep -c "^$5\$" || true
		umount "$1"' _ "$TEST_DIR/hugetlb" "$SCUTE_RUNTIME" "$ROOT" "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 4194304 ]
	[ "${lines[1]}" = 0 ]
}

# A v1 hierarchy unmounted while a removed cgroup is still dying lingers
# unmounted; mounting and unmounting it again once that is over ends it.
# The mount is made in a private mount namespace: in the host's, a runtime
# started meanwhile would take it for the host's hugetlb hierarchy, make a
# cgroup there and keep the mount busy.
wait_hugetlb_back() {
	local m
	m=$(mktemp -d /tmp/scute-hugetlb.XXXXXX)
	for _ in $(seq 100); do
		grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers && break
		unshare -m --propagation private sh -c \
			'mount -t cgroup -o hugetlb cgroup "$1" 2>/dev/null && umount "$1"' _ "$m" || true
		sleep 0.1
	done
	rmdir "$m"
}

@test "events --stats: cpu, memory and pids of the container" {
	cfg '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 77}}'
	create_ctr sh -c 'sleep 30 & wait'
	rt start "$ID"
	sleep 0.3
	run rt events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .type <<<"$output")" = stats ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
	[ "$(jq .data.memory.usage.limit <<<"$output")" = 67108864 ]
	[ "$(jq .data.memory.usage.usage <<<"$output")" -gt 0 ]
	[ "$(jq .data.pids.current <<<"$output")" -eq 2 ]
	[ "$(jq .data.pids.limit <<<"$output")" -eq 77 ]
	[ "$(jq .data.cpu.usage.total <<<"$output")" -gt 0 ]
}

@test "a memory hog is OOM-killed at the limit; events and state report it" {
	cfg '.linux.resources = {memory: {limit: 33554432}}'
	create_ctr sh -c 'sleep 0.5; dd if=/dev/zero of=/dev/null bs=64M count=1; echo "dd-rc=$?"'
	"$SCUTE_RUNTIME" --root "$ROOT" events --interval 10s "$ID" >"$TEST_DIR/events" &
	local watcher=$!
	rt start "$ID" >"$TEST_DIR/out" 2>&1
	wait_status stopped
	wait "$watcher"
	grep -qx "{\"type\":\"oom\",\"id\":\"$ID\"}" "$TEST_DIR/events"
	[ "$(rt state "$ID" | jq .oomKills)" -ge 1 ]
}

@test "cpu burst, realtime runtime/period and idle on v1" {
	cfg '.linux.resources = {cpu: {quota: 50000, period: 100000, burst: 20000,
				       realtimePeriod: 1000000, realtimeRuntime: 10000, idle: 1}}'
	create_ctr true
	local c=/sys/fs/cgroup/cpu/$ID
	[ "$(cat $c/cpu.cfs_burst_us)" = 20000 ]
	[ "$(cat $c/cpu.rt_period_us)" = 1000000 ]
	[ "$(cat $c/cpu.rt_runtime_us)" = 10000 ]
	[ "$(cat $c/cpu.idle)" = 1 ]
}

@test "a CPU hog at quota 50000/100000 uses about half a CPU" {
	cfg '.linux.resources = {cpu: {quota: 50000, period: 100000}}'
	create_ctr sh -c 'while :; do :; done'
	rt start "$ID"
	sleep 0.3
	local u0 u1 t0 t1
	u0=$(cat /sys/fs/cgroup/cpuacct/"$ID"/cpuacct.usage)
	t0=$(date +%s%N)
	sleep 2
	u1=$(cat /sys/fs/cgroup/cpuacct/"$ID"/cpuacct.usage)
	t1=$(date +%s%N)
	# CPU time over wall time, in percent: 50 expected, with a tolerance.
	local pct=$(((u1 - u0) * 100 / (t1 - t0)))
	echo "used $pct% of a CPU"
	[ "$pct" -ge 35 ] && [ "$pct" -le 60 ]
}

@test "unified: cgroup v2 files by name; bad names refused" {
	cfg '.linux.resources = {unified: {"../escape": "1"}}'
	run rt create -b "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.resources.unified.../escape: not a cgroup file name'* ]]
	# This hybrid host's cgroup2 holds no memory controller: named error.
	cfg '.linux.resources = {unified: {"memory.high": "50000000"}}'
	run rt create -b "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.resources.unified.memory.high"* ]]
	assert_nothing_left
}

@test "blockIO throttles: read/write bps and iops per device" {
	local dev
	dev=$(lsblk -dno MAJ:MIN "$(findmnt -no SOURCE / | sed 's/[0-9]*$//')" 2>/dev/null | tr -d ' ')
	[ -n "$dev" ] || dev=$(awk '$2 == "/" { print $3 }' /proc/self/mountinfo | head -n1)
	local ma=${dev%%:*} mi=${dev##*:}
	cfg '.linux.resources.blockIO = {
		throttleReadBpsDevice: [{major: ($ma | tonumber), minor: ($mi | tonumber), rate: 1048576}],
		throttleWriteIOPSDevice: [{major: ($ma | tonumber), minor: ($mi | tonumber), rate: 100}]}' \
		--arg ma "$ma" --arg mi "$mi"
	create_ctr true
	grep -qx "$ma:$mi 1048576" /sys/fs/cgroup/blkio/"$ID"/blkio.throttle.read_bps_device
	grep -qx "$ma:$mi 100" /sys/fs/cgroup/blkio/"$ID"/blkio.throttle.write_iops_device
}

# procs_of HIERARCHY: the container's pids there, sorted, on one line.
procs_of() { sort -n "/sys/fs/cgroup/$1/$ID/cgroup.procs" | tr '\n' ' '; }

@test "v1: only the hierarchies a limit needs; update makes one later and moves every process in" {
	[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ] || skip "no cgroup v1 hierarchies"
	cfg '.linux.resources.pids = {limit: 100}'
	create_ctr sh -c 'sleep 30 & sleep 30 & wait'
	rt start "$ID"
	[ -d /sys/fs/cgroup/pids/"$ID" ] && [ -d /sys/fs/cgroup/devices/"$ID" ]
	local h
	for h in memory cpu cpuacct cpuset blkio systemd; do
		[ ! -e /sys/fs/cgroup/$h/"$ID" ] || { echo "made without a limit: $h"; return 1; }
	done
	# The container's own view has no host tree where it has no cgroup.
	local seen
	seen=$(rt exec "$ID" ls /sys/fs/cgroup)
	[[ "$seen" == *pids* ]] && [[ "$seen" != *memory* ]]
	local want
	want=$(procs_of pids)
	[ "$(wc -w <<<"$want")" -eq 3 ]
	rt update --memory 96m "$ID"
	[ "$(cat /sys/fs/cgroup/memory/"$ID"/memory.limit_in_bytes)" = $((96 * 1024 * 1024)) ]
	[ "$(procs_of memory)" = "$want" ]
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	# Paused, the container stays paused through the move.
	rt pause "$ID"
	rt update --cpu-shares 256 "$ID"
	[ "$(cat /sys/fs/cgroup/cpu/"$ID"/cpu.shares)" = 256 ]
	[ "$(procs_of cpu)" = "$want" ]
	[ "$(rt state "$ID" | jq -r .status)" = paused ]
	rt resume "$ID"
	rt kill "$ID" KILL
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "v1: an exec racing an update that adds a hierarchy waits for it, and lands inside" {
	[ -d /sys/fs/cgroup/memory ] || skip "no cgroup v1 memory hierarchy"
	cfg '.linux.resources.pids = {limit: 100}'
	create_ctr sleep 60
	rt start "$ID"
	# An update in progress holds the state directory's lock (as update
	# does while it makes the hierarchy and moves the processes in).
	mkfifo "$TEST_DIR/go"
	flock -x "$ROOT/$ID" sh -c "touch '$TEST_DIR/held'; cat '$TEST_DIR/go' >/dev/null" &
	local holder=$! _
	# The exec starts only once the lock is really held.
	for _ in $(seq 100); do [ -e "$TEST_DIR/held" ] && break; sleep 0.1; done
	[ -e "$TEST_DIR/held" ]
	rt exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 60 &
	local exec=$!
	sleep 1
	# Not started while the update holds the lock.
	kill -0 "$exec"
	[ ! -s "$TEST_DIR/exec.pid" ]
	rt update --memory 96m "$ID" &
	local update=$!
	echo >"$TEST_DIR/go"
	wait "$holder"
	wait "$exec"
	wait "$update"
	# Whichever went first, the exec'd process is under the new limit.
	grep -qx "$(cat "$TEST_DIR/exec.pid")" /sys/fs/cgroup/memory/"$ID"/cgroup.procs
	rt kill "$ID" KILL
	wait_status stopped
	rt delete "$ID"
	assert_nothing_left
}

@test "v1: with linux.cgroupsPath (an engine's placement) the container is in every hierarchy" {
	[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/cpu ] || skip "no cgroup v1 hierarchies"
	cfg '.linux.cgroupsPath = $p | del(.linux.resources)' --arg p "/scute-it-$ID/c"
	on_teardown "for d in /sys/fs/cgroup/*/scute-it-$ID; do rmdir \$d; done"
	create_ctr true
	local h
	for h in memory cpu devices; do
		grep -qx "$PID" "/sys/fs/cgroup/$h/scute-it-$ID/c/cgroup.procs" ||
			{ echo "not in $h"; return 1; }
	done
	rt delete "$ID"
	[ ! -d "/sys/fs/cgroup/memory/scute-it-$ID/c" ]
}
