#!/usr/bin/env bats
# Issue 14, the verbs that change containers in place: pause and unpause
# (the cgroup freezer: the container's processes stop making progress,
# ps and inspect say so), update (the limits reach a live container's
# cgroup and its record, a stopped container's record only; bad values
# refused naming the flag and value, changing nothing) and container prune
# (stopped containers only, with its filters). Containers are made and
# started with tests/tools/container-tool until create and run land.

load images

TOOL=$BUILD_DIR/tests/container-tool
RUNTIME=$BUILD_DIR/scute-runtime

ct() {
	"$TOOL" "$STORE" "$TEST_DIR/run" "$@"
}

setup_engine() {
	busybox_rootfs
	sc import "$TEST_DIR/rootfs.tar" scute-test/bb:1 >/dev/null
	engine_config "{\"exec-root\": \"$TEST_DIR/run\"}"
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
	# a paused container is thawed first, or its SIGKILL never lands
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do '$RUNTIME' --root '$TEST_DIR/run/runtime' resume \$id; '$TOOL' '$STORE' '$TEST_DIR/run' rm -f \$id; done"
}

# A container that counts into /tick about 20 times a second.
TICKER='i=0; while :; do i=$((i+1)); echo $i >/tick; busybox sleep 0.05; done'

# The value of container $1's file $2 in its own layer.
upper_file() {
	cat "$STORE/containers/$1/fs/upper/$2" 2>/dev/null
}

# The directory of process $1's cgroup in the v1 hierarchy $2.
cgroup_of() {
	local rel
	rel=$(awk -F: -v h="$2" '$2 == h { print $3 }' "/proc/$1/cgroup")
	echo "/sys/fs/cgroup/$2$rel"
}

# The freezer libscute froze process $1 with: cgroup2's cgroup.freeze
# where the unified hierarchy has it (this host), else v1's freezer.
freezer_of() {
	local v1
	v1=$(cgroup_of "$1" freezer)
	if [ "$v1" != /sys/fs/cgroup/freezer/ ]; then
		echo "$v1"
	else
		echo "/sys/fs/cgroup/unified$(awk -F: '$2 == "" { print $3 }' "/proc/$1/cgroup")"
	fi
}

# FROZEN or THAWED, as the freezer of process $1 says.
freezer_state() {
	local d
	d=$(freezer_of "$1")
	if [ -e "$d/freezer.state" ]; then
		cat "$d/freezer.state"
	elif grep -qx 'frozen 1' "$d/cgroup.events"; then
		echo FROZEN
	else
		echo THAWED
	fi
}

# Thaw the freezer directory $1 by hand.
thaw() {
	if [ -e "$1/freezer.state" ]; then echo THAWED >"$1/freezer.state"; else echo 0 >"$1/cgroup.freeze"; fi
}

# Wait until container $1's counter moves on from $2.
ticks_past() {
	for _ in $(seq 100); do
		[ "$(upper_file "$1" tick)" != "$2" ] && [ -n "$(upper_file "$1" tick)" ] && return 0
		sleep 0.05
	done
	return 1
}

wait_status() {
	for _ in $(seq 100); do
		[ "$(sc inspect -f '{{.State.Status}}' "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "pause: every process is frozen, ps and inspect say paused; unpause lets it go on" {
	setup_engine
	id=$(ct make scute-test/bb:1 tick sh -c "$TICKER")
	ct start -d tick
	ticks_past "$id" ""
	pid=$(sc inspect -f '{{.State.Pid}}' tick)
	# the container's own cgroup, not this shell's
	[ "$(freezer_of "$pid")" != "$(freezer_of $$)" ]
	[ "$(freezer_state "$pid")" = THAWED ]
	[ "$(sc pause tick)" = tick ]
	[ "$(freezer_state "$pid")" = FROZEN ]
	before=$(upper_file "$id" tick)
	sleep 0.5
	[ "$(upper_file "$id" tick)" = "$before" ]
	[ "$(sc inspect -f '{{.State.Status}} {{.State.Paused}} {{.State.Running}} {{.State.Pid}}' tick)" = "paused true true $pid" ]
	[[ "$(sc ps --format '{{.Names}} {{.Status}} {{.State}}')" == "tick Up "*" (Paused) paused" ]]
	[ "$(sc ps --filter status=paused -q)" = "${id:0:12}" ]
	run sc pause tick
	[ "$status" -eq 125 ]
	[[ "$output" == *"container $id is already paused"* ]]
	[ "$(sc container unpause tick)" = tick ]
	[ "$(freezer_state "$pid")" = THAWED ]
	ticks_past "$id" "$before"
	[ "$(sc inspect -f '{{.State.Status}} {{.State.Paused}}' tick)" = "running false" ]
	[[ "$(sc ps --format '{{.Status}}')" != *Paused* ]]
	run sc unpause tick
	[ "$status" -eq 125 ]
	[[ "$output" == *"container $id is not paused"* ]]
	sc container pause "${id:0:10}" >/dev/null
	[ "$(freezer_state "$pid")" = FROZEN ]
	# rm -f of a paused one: killed and thawed, so it really ends
	[ "$(sc rm -f tick)" = tick ]
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	run kill -0 "$pid"
	[ "$status" -ne 0 ]
	[ "$(db 'SELECT count(*) FROM containers')" = 0 ]
	[ ! -e "$TEST_DIR/run/runtime/$id" ]
}

@test "pause: refused for a stopped container, and for one that is not there; kill of a paused one" {
	setup_engine
	id=$(ct make scute-test/bb:1 done sh -c 'exit 0')
	ct start done
	run sc pause done
	[ "$status" -eq 125 ]
	[[ "$output" == *"container $id is not running"* ]]
	run sc unpause done
	[ "$status" -eq 125 ]
	[[ "$output" == *"container $id is not paused"* ]]
	[ "$(sc inspect -f '{{.State.Status}}' done)" = exited ]
	# docker goes on past one it cannot pause, and fails at the end
	ct make scute-test/bb:1 up sh -c "$TICKER" >/dev/null
	ct start -d up
	run sc pause nothing up
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such container: nothing"* ]]
	[ "${lines[-1]}" = up ]
	[ "$(sc inspect -f '{{.State.Status}}' up)" = paused ]
	run sc pause
	[ "$status" -eq 125 ]
	# SIGKILL to a paused container reaches it (thawed after), its exit recorded
	[ "$(sc kill up)" = up ]
	wait_status up exited
	[ "$(sc inspect -f '{{.State.ExitCode}} {{.State.Paused}}' up)" = "137 false" ]
}

@test "pause: the record follows a freeze made behind the engine's back, and a paused init that died" {
	setup_engine
	id=$(ct make scute-test/bb:1 side sh -c "$TICKER")
	ct start -d side
	"$RUNTIME" --root "$TEST_DIR/run/runtime" pause "$id"
	[ "$(sc inspect -f '{{.State.Status}}' side)" = paused ]
	"$RUNTIME" --root "$TEST_DIR/run/runtime" resume "$id"
	[ "$(sc ps --format '{{.State}}')" = running ]
	# paused, its waiter killed, then its init killed (under v1's freezer
	# it dies once thawed; cgroup2's lets a SIGKILL through)
	sc pause side >/dev/null
	pid=$(sc inspect -f '{{.State.Pid}}' side)
	waiter=$(ps -o ppid= -p "$pid" | tr -d ' ')
	kill -9 "$waiter"
	while kill -0 "$waiter" 2>/dev/null; do sleep 0.05; done
	[ "$(sc inspect -f '{{.State.Status}}' side)" = paused ]
	freezer=$(freezer_of "$pid")
	kill -9 "$pid"
	thaw "$freezer"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	[[ "$(sc ps -a --format '{{.Status}}')" == "Exited (255) "* ]]
	[[ "$(sc inspect -f '{{.State.Error}}' side)" == "its exit status is unknown"* ]]
}

@test "update: a running container's cgroup gets the limits, and its record; bad values change nothing" {
	setup_engine
	id=$(ct make scute-test/bb:1 up sh -c "$TICKER")
	ct start -d up
	pid=$(sc inspect -f '{{.State.Pid}}' up)
	[ "$(sc update --memory 64m --pids-limit 50 up)" = up ]
	mem=$(cgroup_of "$pid" memory)
	pids=$(cgroup_of "$pid" pids)
	# the container's own cgroups, not this shell's
	[ "$mem" != "$(cgroup_of $$ memory)" ]
	[ "$pids" != "$(cgroup_of $$ pids)" ]
	[ "$(cat "$mem/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$pids/pids.max")" = 50 ]
	[ "$(sc inspect -f '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}' up)" = "67108864 50" ]
	# --cpus as dockerd: a period of 100 ms and a quota in proportion
	[ "$(sc container update --cpus 0.5 --cpu-shares 512 up)" = up ]
	cpu=$(cgroup_of "$pid" cpu)
	[ "$(cat "$cpu/cpu.cfs_period_us") $(cat "$cpu/cpu.cfs_quota_us") $(cat "$cpu/cpu.shares")" = "100000 50000 512" ]
	[ "$(sc inspect -f '{{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.Memory}}' up)" = "500000000 512 67108864" ]
	# paused, it is updated all the same, and stays paused
	sc pause up >/dev/null
	[ "$(sc update --pids-limit 60 up)" = up ]
	[ "$(cat "$pids/pids.max")" = 60 ]
	[ "$(sc inspect -f '{{.State.Status}} {{.HostConfig.PidsLimit}}' up)" = "paused 60" ]
	sc unpause up >/dev/null
	# a restart policy alone: the cgroups as they were
	[ "$(sc update --restart unless-stopped up)" = up ]
	[ "$(sc inspect -f '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.PidsLimit}}' up)" = "unless-stopped 60" ]
	[ "$(cat "$pids/pids.max")" = 60 ]
	before=$(sc inspect -f '{{json .HostConfig}}' up)
	for bad in '--memory 12x:--memory: "12x"' '--cpus abc:--cpus: "abc"' '--pids-limit x:--pids-limit: "x"' \
		'--cpuset-cpus 0-x:--cpuset-cpus: "0-x"' '--restart sometimes:--restart: "sometimes"' \
		'--memory-swap -2:--memory-swap: "-2"' '--blkio-weight 70000:--blkio-weight: 70000'; do
		run sc update ${bad%%:*} up
		echo "$bad: $output"
		[ "$status" -eq 125 ]
		[[ "$output" == *"${bad#*:}"* ]]
	done
	# values the engine refuses name the field and the value
	run sc update --memory 1k up
	[ "$status" -eq 125 ]
	[[ "$output" == *"cannot update container $id: HostConfig.Memory: 1024: the minimum memory limit is 6MB"* ]]
	run sc update --cpu-period 50000 up
	[ "$status" -eq 125 ]
	[[ "$output" == *"CPU Period cannot be updated as NanoCPUs has already been set"* ]]
	run sc update up
	[ "$status" -eq 125 ]
	[[ "$output" == *"you must provide one or more flags"* ]]
	[ "$(sc inspect -f '{{json .HostConfig}}' up)" = "$before" ]
	[ "$(cat "$mem/memory.limit_in_bytes") $(cat "$pids/pids.max")" = "67108864 60" ]
}

@test "update: a stopped container has its record changed; restart policy as docker checks it" {
	setup_engine
	ct make scute-test/bb:1 st sh -c 'exit 0' >/dev/null
	ct make scute-test/bb:1 gone AUTOREMOVE true >/dev/null
	ct start st
	[ "$(sc update -m 32m --memory-swap 64m --cpu-shares 256 --restart on-failure:3 st)" = st ]
	sc inspect st | jq -e '.[0].HostConfig | .Memory == 33554432 and .MemorySwap == 67108864
		and .CpuShares == 256 and .RestartPolicy == {"Name": "on-failure", "MaximumRetryCount": 3}'
	[ "$(sc inspect -f '{{.State.Status}}' st)" = exited ]
	# dockerd's memory-and-swap rule against what was set before
	run sc update -m 128m st
	[ "$status" -eq 125 ]
	[[ "$output" == *"update the memoryswap at the same time"* ]]
	[ "$(sc update -m 128m --memory-swap -1 --restart no st)" = st ]
	sc inspect st | jq -e '.[0].HostConfig | .Memory == 134217728 and .MemorySwap == -1
		and .RestartPolicy.Name == "no"'
	run sc update --restart always:2 st
	[ "$status" -eq 125 ]
	[[ "$output" == *'--restart: "always:2"'* ]]
	run sc update --restart always gone
	[ "$status" -eq 125 ]
	[[ "$output" == *"AutoRemove is enabled"* ]]
	# unchanged: none was set, which inspect shows as docker's empty policy
	sc inspect gone | jq -e '.[0].HostConfig.RestartPolicy.Name == ""'

}

@test "container prune: only stopped containers go, with its filters and docker's report" {
	setup_engine
	up=$(ct make scute-test/bb:1 up sh -c "$TICKER")
	paused=$(ct make scute-test/bb:1 paused sh -c "$TICKER")
	# a hard link counts once
	wrote=$(ct make scute-test/bb:1 wrote sh -c 'echo hello >/f; busybox ln /f /g; exit 1')
	made=$(ct make scute-test/bb:1 made true)
	keep=$(ct make scute-test/bb:1 keep true)
	db "UPDATE containers SET config = json_set(config, '\$.Labels', json('{\"keep\": \"yes\"}')) WHERE name = 'keep'"
	ct start -d up
	ct start -d paused
	sc pause paused >/dev/null
	run ct start wrote
	[ "$(upper_file "$wrote" f)" = hello ]
	[ "$(upper_file "$wrote" g)" = hello ]
	# no terminal to ask on, and no -f
	run sc container prune </dev/null
	[ "$status" -eq 125 ]
	[[ "$output" == *"use -f"* ]]
	run sc container prune --filter bogus=1 -f
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid filter 'bogus=1'"* ]]
	run sc container prune --filter until=yesterday -f
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid filter 'until=yesterday'"* ]]
	# made after 2000, and within the last hour: nothing goes
	[ "$(sc container prune -f --filter until=2000-01-01T00:00:00Z)" = "Total reclaimed space: 0B" ]
	[ "$(sc container prune -f --filter until=1h)" = "Total reclaimed space: 0B" ]
	[ "$(sc container prune -f --filter label=keep=yes)" = "$(printf 'Deleted Containers:\n%s\n\nTotal reclaimed space: 0B' "$keep")" ]
	run sc container prune -f --filter 'label!=keep' --filter "until=$(($(date +%s) + 60))"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Deleted Containers:" ]
	[ "$(printf '%s\n' "${lines[1]}" "${lines[2]}" | sort)" = "$(printf '%s\n' "$wrote" "$made" | sort)" ]
	[ "${lines[3]}" = "Total reclaimed space: 6B" ]
	[ "$(sc ps -a --format '{{.Names}}' | sort | tr '\n' ' ')" = "paused up " ]
	[ "$(db 'SELECT count(*) FROM rootfs')" = 2 ]
	for gone in "$wrote" "$made" "$keep"; do
		[ ! -e "$STORE/containers/$gone" ]
	done
	# with a terminal: asked, and "n" keeps them
	sc stop -t 1 up >/dev/null
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json container prune" /dev/null <<<n
	[[ "$output" == *"WARNING! This will remove all stopped containers."* ]]
	[[ "$output" != *"Deleted Containers"* ]]
	[ "$(sc inspect -f '{{.State.Status}}' up)" = exited ]
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json container prune" /dev/null <<<y
	[[ "$output" == *"Deleted Containers:"*"$up"* ]]
	[ "$(sc ps -a -q --no-trunc)" = "$paused" ]
}
