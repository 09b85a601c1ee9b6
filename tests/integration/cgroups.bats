#!/usr/bin/env bats
# pause, resume, ps and the freezer, on this machine's cgroups.

load helpers

count() { cat "$TEST_DIR/data/count" 2>/dev/null || echo 0; }

@test "pause stops progress, resume restarts it; state says paused" {
	mkdir -p "$TEST_DIR/data"
	cfg '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["bind"]}]' --arg d "$TEST_DIR/data"
	create_ctr sh -c 'i=0; while :; do i=$((i+1)); echo $i > /data/count; sleep 0.02; done'
	rt start "$ID"
	sleep 0.3
	rt pause "$ID"
	[ "$(rt state "$ID" | jq -r .status)" = paused ]
	[ "$(cat /sys/fs/cgroup/freezer/"$ID"/freezer.state)" = FROZEN ]
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
	sleep 0.4
	[ "$(count)" -gt "$b" ]
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
}
