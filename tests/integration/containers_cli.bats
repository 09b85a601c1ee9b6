#!/usr/bin/env bats
# Issue 14 item 1, the verbs that read and act on existing containers:
# ps (its columns, -a -q -n -l --no-trunc --filter --format), inspect
# (docker's shape, -f, --type), kill, stop (its timeout), wait, rename and
# rm. Containers are made and started with tests/tools/container-tool
# until create and run land; the verbs are the scute CLI's.

load images

TOOL=$BUILD_DIR/tests/container-tool

ct() {
	"$TOOL" "$STORE" "$TEST_DIR/run" "$@"
}

setup_engine() {
	busybox_rootfs
	sc import "$TEST_DIR/rootfs.tar" scute-test/bb:1 >/dev/null
	engine_config "{\"exec-root\": \"$TEST_DIR/run\"}"
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do '$TOOL' '$STORE' '$TEST_DIR/run' rm -f \$id; done"
}

wait_status() {
	for _ in $(seq 100); do
		[ "$(sc inspect -f '{{.State.Status}}' "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "ps: running ones by default, every one with -a, docker's columns" {
	setup_engine
	up=$(ct make scute-test/bb:1 up sh -c 'sleep 300')
	done_id=$(ct make scute-test/bb:1 done sh -c 'echo a long command line; exit 3')
	ct start -d up
	run ct start done
	[ "$status" -eq 3 ]
	run sc ps
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "CONTAINER ID   IMAGE             COMMAND"*"CREATED"*"STATUS"*"PORTS"*"NAMES" ]]
	[ "${#lines[@]}" = 2 ]
	[[ "${lines[1]}" == "${up:0:12}   scute-test/bb:1   \"sh -c 'sleep 300'\""*"Up "*"up" ]]
	[ "$(sc ps -a -l --format '{{.Command}}')" = "\"sh -c 'echo a long …\"" ]
	[ "$(sc ps -a -l --no-trunc --format '{{.Command}}')" = "\"sh -c 'echo a long command line; exit 3'\"" ]
	run sc ps -a --format '{{.Names}}|{{.Status}}|{{.State}}'
	[ "${lines[0]%%|*}" = done ]
	[[ "${lines[0]}" == "done|Exited (3) "*" ago|exited" ]]
	[[ "${lines[1]}" == "up|Up "*"|running" ]]
	[ "$(sc ps -q)" = "${up:0:12}" ]
	[ "$(sc ps -a -q --no-trunc | sort)" = "$(printf '%s\n' "$up" "$done_id" | sort)" ]
	[ "$(sc ps -l --format '{{.Names}}')" = done ]
	[ "$(sc ps -n 2 -q | wc -l)" = 2 ]
	[ "$(sc ps -a --filter status=exited --format '{{.Names}}')" = done ]
	[ "$(sc ps --filter status=exited --format '{{.Names}}')" = done ]
	[ "$(sc ps -a --filter exited=3 --format '{{.Names}}')" = done ]
	[ "$(sc ps -a --filter name=u --format '{{.Names}}')" = up ]
	[ "$(sc ps -a --filter id=${up:0:6} --format '{{.Names}}')" = up ]
	[ "$(sc ps -a --filter ancestor=scute-test/bb:1 -q | wc -l)" = 2 ]
	[ "$(sc ps -a --filter ancestor=other:1 -q | wc -l)" = 0 ]
	sc ps -a --format json | head -1 | jq -e '.Names == "done" and .State == "exited"'
	run sc ps --filter bogus=1
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid filter 'bogus=1'"* ]]
	run sc ps --filter status=sleeping
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid filter 'status=sleeping'"* ]]
	run sc ps -n x
	[ "$status" -eq 125 ]
	[[ "$output" == *'--last "x"'* ]]
}

@test "ps: a container whose processes were killed behind scute's back is not shown running" {
	setup_engine
	ct make scute-test/bb:1 gone >/dev/null
	ct start -d gone sh -c 'sleep 300'
	pid=$(sc inspect -f '{{.State.Pid}}' gone)
	waiter=$(ps -o ppid= -p "$pid" | tr -d ' ')
	kill -9 "$waiter" "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	[ -z "$(sc ps -q)" ]
	[[ "$(sc ps -a --format '{{.Status}}')" == "Exited (255) "* ]]
	[[ "$(sc inspect -f '{{.State.Error}}' gone)" == "its exit status is unknown"* ]]
}

@test "inspect: docker's shape for a container, -f, --type, and images still" {
	setup_engine
	id=$(ct make scute-test/bb:1 web)
	run ct start web sh -c 'exit 4'
	doc=$(sc inspect web)
	echo "$doc" | jq -e --arg id "$id" '.[0].Id == $id and .[0].Name == "/web"
		and .[0].State.Status == "exited" and .[0].State.ExitCode == 4
		and .[0].State.Running == false and (.[0].State.FinishedAt | test("^20"))
		and .[0].Driver == "overlay2" and .[0].Config.Image == "scute-test/bb:1"
		and (.[0].Image | startswith("sha256:")) and .[0].RestartCount == 0'
	[ -d "$(echo "$doc" | jq -r '.[0].GraphDriver.Data.UpperDir')" ]
	[ "$(sc inspect -f '{{.State.ExitCode}} {{.Name}}' "${id:0:8}")" = "4 /web" ]
	[ "$(sc container inspect -f '{{.Id}}' web)" = "$id" ]
	sc inspect --type image scute-test/bb:1 | jq -e '.[0].RepoTags == ["scute-test/bb:1"]'
	sc inspect scute-test/bb:1 | jq -e '.[0].RepoTags == ["scute-test/bb:1"]'
	run sc inspect --type container scute-test/bb:1
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such container: scute-test/bb:1"* ]]
	run sc inspect nothing web
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such object: nothing"* ]]
	echo "$output" | grep -q '"Name": "/web"'
	run sc inspect -f '{{.Nope' web
	[ "$status" -eq 125 ]
}

@test "kill, stop, wait: signals reach the init, stop's timeout ends in SIGKILL, wait gives the code" {
	setup_engine
	ct make scute-test/bb:1 kk >/dev/null
	ct make scute-test/bb:1 stubborn >/dev/null
	ct start -d kk sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done'
	[ "$(sc kill -s TERM kk)" = kk ]
	wait_status kk exited
	[[ "$(sc ps -a --filter name=kk --format '{{.Status}}')" == "Exited (42) "* ]]
	run sc kill kk
	[ "$status" -eq 125 ]
	[[ "$output" == *"cannot kill container kk: container "*" is not running"* ]]
	ct start -d stubborn sh -c 'trap "" TERM; while :; do sleep 1; done'
	(sleep 0.5; sc wait stubborn >"$TEST_DIR/waited") &
	[ "$(sc stop -t 1 stubborn)" = stubborn ]
	[ "$(sc inspect -f '{{.State.Status}} {{.State.ExitCode}}' stubborn)" = "exited 137" ]
	for _ in $(seq 50); do [ -s "$TEST_DIR/waited" ] && break; sleep 0.1; done
	[ "$(cat "$TEST_DIR/waited")" = 137 ]
	[ "$(sc wait stubborn)" = 137 ]
	[ "$(sc stop stubborn)" = stubborn ] # stopped already: fine
	run sc stop -t x stubborn
	[ "$status" -eq 125 ]
	run sc kill -s BOGUS stubborn
	[ "$status" -eq 125 ]
	[[ "$output" == *'--signal "BOGUS"'* ]]
}

@test "rename and rm: docker's rules, rm of a running one only with -f" {
	setup_engine
	id=$(ct make scute-test/bb:1 one)
	ct make scute-test/bb:1 two >/dev/null
	sc rename one uno
	[ "$(sc inspect -f '{{.Name}}' "$id")" = /uno ]
	run sc rename uno two
	[ "$status" -eq 125 ]
	[[ "$output" == *'"/two" is already in use'* ]]
	run sc rename uno 'bad name'
	[ "$status" -eq 125 ]
	[[ "$output" == *'invalid container name "bad name"'* ]]
	ct start -d uno sh -c 'sleep 300'
	run sc rm uno
	[ "$status" -eq 125 ]
	[[ "$output" == *"you cannot remove a running container $id"* ]]
	# docker goes on past one it cannot remove
	run sc rm nothing two
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such container: nothing"* ]]
	[ "${lines[-1]}" = two ]
	[ "$(sc rm -f uno)" = uno ]
	[ -z "$(sc ps -a -q)" ]
	[ "$(db 'SELECT count(*) FROM containers') $(db 'SELECT count(*) FROM rootfs')" = "0 0" ]
	! grep -q " $STORE/containers/" /proc/self/mountinfo
	sc rmi scute-test/bb:1 >/dev/null
}
