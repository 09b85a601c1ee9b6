#!/usr/bin/env bats
# Issue 14, named volumes: scute volume create, ls (its columns, -q,
# --filter, --format), inspect (docker's shape, -f), rm (-f, a volume in
# use refused until its container goes) and prune (asks on a terminal,
# refuses without one unless -f; removes what a crash left). A container
# that uses a volume is made with tests/tools/container-tool and linked in
# the store as the container code links it. Each test has its own store.

load images

TOOL=$BUILD_DIR/tests/container-tool

ct() {
	"$TOOL" "$STORE" "$TEST_DIR/run" "$@"
}

# Nothing of any volume left: no row, no directory, nothing in tmp.
assert_no_volumes() {
	[ "$(db 'SELECT count(*) FROM volumes')" = 0 ]
	[ -z "$(ls -A "$STORE/volumes" 2>/dev/null)" ]
	[ -z "$(ls -A "$STORE/tmp" 2>/dev/null)" ]
}

@test "volume create, ls and inspect: docker's output, the directory in the store" {
	[ "$(sc volume create --label tier=db --label keep data)" = data ]
	[ "$(sc volume create cache)" = cache ]
	# a second create of a name gives the volume back as it is
	[ "$(sc volume create --label other=x data)" = data ]
	anon=$(sc volume create)
	[[ "$anon" =~ ^[0-9a-f]{64}$ ]]
	run sc volume ls
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "DRIVER    VOLUME NAME" ]
	[ "${#lines[@]}" = 4 ]
	[ "$(printf '%s\n' "${lines[@]:1}" | sort)" = "$(printf 'local     %s\n' "$anon" cache data | sort)" ]
	# by name, runs of digits by their value, as docker's CLI orders them
	sc volume create v10
	sc volume create v2
	[ "$(sc volume ls -q --filter name=^v | tr '\n' ' ')" = "v2 v10 " ]
	sc volume rm v2 v10
	[ "$(sc volume ls --filter label=tier=db -q)" = data ]
	# "^cach": no anonymous volume's hex name can match it (one may start with c)
	[ "$(sc volume ls --filter name=^cach -q)" = cache ]
	[ "$(sc volume ls --filter dangling=false -q)" = "" ]
	[ "$(sc volume ls --filter dangling=true -q | wc -l)" = 3 ]
	[ "$(sc volume ls --format '{{.Name}} {{.Labels}} {{.Scope}}' --filter name=data)" = "data keep=,tier=db local" ]
	[ "$(sc volume ls --format json --filter name=cache | jq -r .Mountpoint)" = "$STORE/volumes/cache/_data" ]
	run sc volume ls --filter colour=red
	[ "$status" -eq 125 ]
	[[ "$output" == *"invalid filter 'colour=red'"* ]]

	run sc volume inspect data
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0] | keys | join(",")' <<<"$output")" = "CreatedAt,Driver,Labels,Mountpoint,Name,Options,Scope" ]
	[ "$(jq -c '.[0] | [.Name, .Driver, .Scope, .Labels, .Options]' <<<"$output")" = '["data","local","local",{"keep":"","tier":"db"},{}]' ]
	[ "$(jq -r '.[0].Mountpoint' <<<"$output")" = "$STORE/volumes/data/_data" ]
	[[ "$(jq -r '.[0].CreatedAt' <<<"$output")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$ ]]
	[ "$(sc volume inspect -f '{{.Name}}={{.Driver}}' data cache | tr '\n' ' ')" = "data=local cache=local " ]
	[ "$(stat -c '%a %U %F' "$STORE/volumes/data/_data")" = "755 root directory" ]
	# a missing one fails, the others are printed
	run sc volume inspect -f '{{.Name}}' data nothere
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such volume: nothere"* ]]
	[[ "$output" == *data* ]]
}

@test "volume create: a bad name, driver or option fails naming it, and makes nothing" {
	for name in a -lead 'with space' 'sl/ash' '..' .hidden "$(printf 'v%.0s' $(seq 256))"; do
		run sc volume create -- "$name"
		echo "$output"
		[ "$status" -eq 125 ]
		[[ "$output" == *"invalid volume name \"$name\""* ]]
	done
	run sc volume create --driver nfs vol
	[ "$status" -eq 125 ]
	[[ "$output" == *'volume driver "nfs"'* ]]
	run sc volume create -o type=tmpfs vol
	[ "$status" -eq 125 ]
	[[ "$output" == *'volume option "type"'* ]]
	run sc volume create -o novalue vol
	[ "$status" -eq 125 ]
	[[ "$output" == *'--opt "novalue": not KEY=VALUE'* ]]
	run sc volume create --name one two
	[ "$status" -eq 125 ]
	assert_no_volumes
}

@test "volume rm: row and directory go; a missing one fails unless -f; the others still go" {
	sc volume create one
	sc volume create two
	echo kept >"$STORE/volumes/one/_data/file"
	run sc volume rm one nothere two
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such volume: nothere"* ]]
	[ "$(grep -cx 'one\|two' <<<"$output")" = 2 ]
	run sc volume rm -f nothere
	[ "$status" -eq 0 ]
	assert_no_volumes
}

@test "volume rm and prune: a volume in use stays until its container is removed" {
	busybox_rootfs
	sc import "$TEST_DIR/rootfs.tar" scute-test/bb:1 >/dev/null
	engine_config "{\"exec-root\": \"$TEST_DIR/run\"}"
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do '$TOOL' '$STORE' '$TEST_DIR/run' rm -f \$id; done"
	id=$(ct make scute-test/bb:1 user)
	sc volume create used
	sc volume create idle
	# linked as scute_volume_use links it
	db "INSERT INTO container_volumes(container_id, volume, destination) VALUES ('$id', 'used', '/data')"
	[ "$(sc volume ls --filter dangling=false -q)" = used ]
	run sc volume rm used
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"volume used is in use by container $id"* ]]
	run sc volume rm -f used
	[ "$status" -eq 125 ]
	run sc volume prune -f
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Deleted Volumes:" ]
	[ "${lines[1]}" = idle ]
	[ "$(sc volume ls -q)" = used ]
	[ -d "$STORE/volumes/used/_data" ]
	# the container's removal releases it
	sc rm "$id"
	[ "$(db 'SELECT count(*) FROM container_volumes')" = 0 ]
	[ "$(sc volume rm used)" = used ]
	assert_no_volumes
}

@test "volume prune: asks on a terminal, refuses without one, reports what it reclaimed" {
	sc volume create big
	sc volume create small
	head -c 1500 /dev/zero >"$STORE/volumes/big/_data/a"
	head -c 500 /dev/zero >"$STORE/volumes/small/_data/b"
	# no terminal and no -f: nothing removed
	run sc volume prune </dev/null
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"-f|--force"* ]]
	[ "$(sc volume ls -q | wc -l)" = 2 ]
	# on a terminal, "n" keeps them
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json volume prune" /dev/null <<<n
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"WARNING! This will remove all local volumes not used by at least one container."* ]]
	[[ "$output" == *"Are you sure you want to continue? [y/N]"* ]]
	[ "$(sc volume ls -q | wc -l)" = 2 ]
	# what a crash left (a directory with no row) goes with a prune too
	mkdir -p "$STORE/volumes/leftover/_data"
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json volume prune" /dev/null <<<y
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'Deleted Volumes:\r\nbig\r\nsmall\r\n\r\nTotal reclaimed space: 2kB'* ]]
	assert_no_volumes
	run sc volume prune -f
	[ "$status" -eq 0 ]
	[ "$output" = "Total reclaimed space: 0B" ]
}

@test "volumes: concurrent creates and removals of one name leave every directory with its row" {
	sc volume ls >/dev/null
	for i in $(seq 16); do
		(sc volume create race >/dev/null && sc volume rm race >/dev/null 2>&1; sc volume create race >/dev/null) &
	done
	wait
	[ "$(db "SELECT group_concat(name) FROM volumes")" = race ]
	[ "$(ls -A "$STORE/volumes")" = race ]
	[ "$(ls -A "$STORE/volumes/race")" = _data ]
	[ -z "$(ls -A "$STORE/tmp")" ]
	sc volume rm race
	assert_no_volumes
}
