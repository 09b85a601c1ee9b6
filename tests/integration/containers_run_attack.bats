#!/usr/bin/env bats
# Attacks on the run path (issue 14): a hostile image (its files and its
# config), a hostile create body, a hostile container process. Each test
# is the attack; a control shows the path works where that is cheap.

load images
bats_require_minimum_version 1.5.0

PROBE=${PROBE:-$BUILD_DIR/tests/probe}
MKARCHIVE_DIR=$BATS_TEST_DIRNAME

setup_engine() {
	busybox_rootfs
	cp "$PROBE" "$TEST_DIR/rootfs/bin/probe"
	for a in id sleep mkdir touch stat readlink; do ln -sf busybox "$TEST_DIR/rootfs/bin/$a"; done
	printf 'root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n' >"$TEST_DIR/rootfs/etc/passwd"
	printf 'root:x:0:\nbob:x:1000:\n' >"$TEST_DIR/rootfs/etc/group"
	mkdir -p "$TEST_DIR/rootfs/tmp" "$TEST_DIR/rootfs/proc" "$TEST_DIR/rootfs/sys" "$TEST_DIR/rootfs/dev"
	engine_config "{\"exec-root\": \"$TEST_DIR/run\", \"init-path\": \"$BUILD_DIR/scute-init\"}"
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do '$SCUTE' --root '$STORE' --config '$TEST_DIR/scute.json' rm -f -v \$id; done"
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
}

# image TAG [CONFIG]: the rootfs as it is now, as a one-layer image with
# CONFIG (a JSON object, the image's "config") loaded as TAG.
image() {
	tar -C "$TEST_DIR/rootfs" -cf "$TEST_DIR/layer.tar" .
	MKDIR=$BATS_TEST_DIRNAME python3 - "$TEST_DIR/layer.tar" "$TEST_DIR/image.tar" "$1" "${2:-{\}}" <<-'PY'
		import json, os, sys
		sys.path.insert(0, os.environ["MKDIR"])
		import mkarchive
		layer = open(sys.argv[1], "rb").read()
		cfg = mkarchive.config(["sha256:" + mkarchive.sha(layer)], {"config": json.loads(sys.argv[4])})
		open(sys.argv[2], "wb").write(mkarchive.docker_archive([layer], tags=[sys.argv[3]], cfg=cfg))
	PY
	sc load -i "$TEST_DIR/image.tar" >/dev/null
}

rows() {
	db 'SELECT count(*) FROM containers'
}

@test "image: a StopSignal that is no signal is refused at create (stop could never stop it)" {
	setup_engine
	for sig in -9 0 SIGFOO; do
		image scute-test/sig:1 "{\"Cmd\": [\"sleep\", \"30\"], \"StopSignal\": \"$sig\"}"
		run sc run -d scute-test/sig:1
		echo "$sig: $output"
		[ "$status" -eq 125 ]
		[[ "$output" == *"Config.StopSignal"* ]]
		[ "$(rows)" = 0 ]
	done
	# control: a real one is kept, and stop sends it
	image scute-test/sig:1 '{"Cmd": ["sh", "-c", "trap \"exit 42\" USR1; while :; do sleep 1; done"], "StopSignal": "SIGUSR1"}'
	sc run -d --name usr1 scute-test/sig:1 >/dev/null
	sc stop -t 10 usr1 >/dev/null
	[ "$(sc inspect -f '{{.State.ExitCode}}' usr1)" = 42 ]
}

@test "image: /etc/passwd and /etc/group that lead out of the root, or name uid/gid -1" {
	setup_engine
	echo 'hostonly:x:4242:4242::/hosthome:/bin/sh' >"$TEST_DIR/hostpw"
	echo 'hostgrp:x:4343:' >"$TEST_DIR/hostgr"
	ln -sf "$TEST_DIR/hostpw" "$TEST_DIR/rootfs/etc/passwd"
	ln -sf "../../../../../../../../../..$TEST_DIR/hostgr" "$TEST_DIR/rootfs/etc/group"
	image scute-test/pw:1
	run sc run --rm -u hostonly scute-test/pw:1 id -u
	[ "$status" -eq 125 ]
	[[ "$output" == *"unable to find user hostonly"* ]]
	run sc run --rm -u 0:hostgrp scute-test/pw:1 id -g
	[ "$status" -eq 125 ]
	[[ "$output" == *"unable to find group hostgrp"* ]]
	# uid/gid 4294967295 is "leave unchanged" to setresuid: the container
	# would stay root under a name that says otherwise
	printf 'root:x:0:0::/:/bin/sh\nnobody2:x:4294967295:4294967295::/:/bin/sh\n' >"$TEST_DIR/pw"
	printf 'root:x:0:\nnogroup2:x:4294967295:\n' >"$TEST_DIR/gr"
	rm "$TEST_DIR/rootfs/etc/passwd" "$TEST_DIR/rootfs/etc/group"
	cp "$TEST_DIR/pw" "$TEST_DIR/rootfs/etc/passwd"
	cp "$TEST_DIR/gr" "$TEST_DIR/rootfs/etc/group"
	image scute-test/pw:2
	run sc run --rm -u nobody2 scute-test/pw:2 id -u
	[ "$status" -eq 125 ]
	[[ "$output" == *"uid: 4294967295 is out of range"* ]]
	run sc run --rm -u 0:nogroup2 scute-test/pw:2 id -u
	[ "$status" -eq 125 ]
	[[ "$output" == *"gid: 4294967295 is out of range"* ]]
	# a FIFO (open would block) and /dev/zero-like files are refused, not read
	rm "$TEST_DIR/rootfs/etc/passwd"
	mkfifo "$TEST_DIR/rootfs/etc/passwd"
	image scute-test/pw:3
	run timeout 30 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" run --rm -u root scute-test/pw:3 true
	[ "$status" -eq 125 ]
	[[ "$output" == *"not a regular file"* ]]
}

@test "image: VOLUME and WORKDIR through symlinks that point out of the root land inside it" {
	setup_engine
	rel=../../../../../../../../../..$VICTIM
	ln -sf "$rel/vol" "$TEST_DIR/rootfs/v"
	ln -sf "$VICTIM/wd" "$TEST_DIR/rootfs/w"
	image scute-test/vol:1 '{"Cmd": ["sh", "-c", "echo in > /v/f; pwd"], "Volumes": {"/v": {}}, "WorkingDir": "/w"}'
	run sc run --rm scute-test/vol:1
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$VICTIM/vol" ]
	[ ! -e "$VICTIM/wd" ]
	[ "$(ls -A "$VICTIM")" = file ]
}

@test "runtime: a symlink planted in a shared volume cannot steer the next container's mounts out" {
	setup_engine
	image scute-test/bb:1
	mkdir "$TEST_DIR/data"
	# the first container leaves /v/sub → the host's victim directory (by
	# a relative path long enough to leave the volume's host directory too)
	sc run --rm -v shared:/v scute-test/bb:1 sh -c "ln -s ../../../../../../../../../..$VICTIM/made /v/sub; ln -s $VICTIM /v/abs"
	run sc run --rm -v shared:/v -v "$TEST_DIR/data:/v/sub/bind" --tmpfs /v/abs/t scute-test/bb:1 sh -c 'ls -d /v/sub/bind /v/abs/t'
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$VICTIM/made" ]
	[ ! -e "$VICTIM/t" ]
	[ "$(ls -A "$VICTIM")" = file ]
}

@test "runtime: nothing the container sees is writable: /dev/init, exe of its processes, no fds leaked" {
	setup_engine
	[ -x "$BUILD_DIR/scute-init" ] || skip "scute-init is not built"
	image scute-test/bb:1
	run sc run --rm --init scute-test/bb:1 sh -c 'probe openw /dev/init; probe fds; probe exe-attack 1'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != ok ]
	[[ "$output" != *writable* ]]
	[[ "$output" == *"refused 1 "* ]]
	[ "$(echo "$output" | grep -cv -e '^refused ' -e '^E[A-Z]*$')" = 0 ]
}

@test "flags: --read-only covers / with binds and volumes on it; hardening of --tmpfs by default" {
	setup_engine
	image scute-test/bb:1
	mkdir "$TEST_DIR/data"
	run sc run --rm --read-only -v "$TEST_DIR/data:/mnt" -v vol:/v --tmpfs /t scute-test/bb:1 \
		sh -c 'probe write /x; probe write /etc/x; probe write /mnt/x; probe write /v/x; cat /proc/mounts'
	echo "$output"
	[ "${lines[0]}" = EROFS ]
	[ "${lines[1]}" = EROFS ]
	[ "${lines[2]}" = ok ]
	[ "${lines[3]}" = ok ]
	[[ "$output" == *" /t tmpfs rw,nosuid,nodev,noexec"* ]]
}

@test "image: /etc and a bind's destination as symlinks out of the root: hostname, hosts, the bind land inside" {
	setup_engine
	rel=../../../../../../../../../..$VICTIM
	ln -sf "$rel" "$TEST_DIR/rootfs/up"
	rm -rf "$TEST_DIR/rootfs/etc"
	ln -sf "$rel/etc" "$TEST_DIR/rootfs/etc"
	echo hostfile >"$TEST_DIR/hf"
	image scute-test/etc:1
	run sc run --rm -h box -v "$TEST_DIR/hf:/up/hf" --device /dev/null:/dev/xnull scute-test/etc:1 \
		sh -c 'cat /etc/hostname /up/hf'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *box*hostfile* ]]
	[ "$(ls -A "$VICTIM")" = file ]
}

@test "runtime: fds the CLI holds reach neither a foreground nor a detached container" {
	setup_engine
	image scute-test/bb:1
	mkdir "$TEST_DIR/out"
	echo x >"$TEST_DIR/held"
	run sc run --rm scute-test/bb:1 probe fds 3<"$TEST_DIR/held" 7<>"$TEST_DIR/held"
	echo "fg: $output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# control: the probe does report an fd that is there
	[[ "$(sc run --rm scute-test/bb:1 sh -c 'probe fds 5</etc/hostname')" == *hostname* ]]
	sc run -d --name bg -v "$TEST_DIR/out:/out" scute-test/bb:1 sh -c 'probe fds >/out/fds; echo done >>/out/fds' \
		3<"$TEST_DIR/held" 7<>"$TEST_DIR/held" >/dev/null
	for _ in $(seq 100); do grep -q done "$TEST_DIR/out/fds" 2>/dev/null && break; sleep 0.1; done
	cat "$TEST_DIR/out/fds"
	[ "$(cat "$TEST_DIR/out/fds")" = done ]
}

@test "flags: --ipc container:C where C has the host's: kernel.shm* is refused, it would be the host's" {
	setup_engine
	image scute-test/bb:1
	sc run -d --name hostipc --ipc host scute-test/bb:1 sleep 60 >/dev/null
	# the host's own value: nothing changes even if it were written
	shm=$(cat /proc/sys/kernel/shmmax)
	run sc run --rm --ipc container:hostipc --sysctl kernel.shmmax="$shm" scute-test/bb:1 true
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"kernel.shmmax"*"would change the host"* ]]
	# control: in a namespace of its own it is set
	sc run -d --name own --ipc shareable scute-test/bb:1 sleep 60 >/dev/null
	[ "$(sc run --rm --ipc container:own scute-test/bb:1 true; echo $?)" = 0 ]
	[ "$(sc run --rm --sysctl kernel.shmmax=4096 scute-test/bb:1 cat /proc/sys/kernel/shmmax)" = 4096 ]
	sc rm -f hostipc own >/dev/null
}

@test "image: its VOLUME does not cover the request's own -v :ro, --tmpfs and --mount at that path" {
	setup_engine
	ln -sf /bin/busybox "$TEST_DIR/rootfs/bin/grep"
	mkdir "$TEST_DIR/data"
	echo hostdata >"$TEST_DIR/data/f"
	image scute-test/vol:1 '{"Cmd": ["sh"], "Volumes": {"/data": {}, "/t": {}, "/m/": {}, "/own": {}}}'
	run sc run --rm -v "$TEST_DIR/data:/data:ro" --tmpfs /t --mount type=tmpfs,target=/m scute-test/vol:1 \
		sh -c 'cat /data/f; probe write /data/x; grep -E " /(data|t|m|own) " /proc/mounts'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hostdata ]
	[ "${lines[1]}" = EROFS ]
	[ "$(echo "$output" | grep -c ' /data ')" = 1 ]
	[[ "$output" == *" /t tmpfs rw,nosuid,nodev,noexec"* ]]
	[ "$(echo "$output" | grep -c ' /t ')" = 1 ]
	[ "$(echo "$output" | grep -c ' /m ')" = 1 ]
	# the image's destination that nothing else covers still gets its volume
	[ "$(echo "$output" | grep -c ' /own ')" = 1 ]
	[ -z "$(ls -A "$STORE/volumes")" ]
}

@test "image: its VOLUME at a parent does not hide the request's mounts below it" {
	setup_engine
	ln -sf /bin/busybox "$TEST_DIR/rootfs/bin/grep"
	mkdir "$TEST_DIR/data"
	echo hostdata >"$TEST_DIR/data/f"
	image scute-test/vol:1 '{"Cmd": ["sh"], "Volumes": {"/data": {}}}'
	run sc run --rm -v "$TEST_DIR/data:/data/sub:ro" --tmpfs /data/t scute-test/vol:1 \
		sh -c 'cat /data/sub/f; probe write /data/sub/x; probe write /data/t/x; probe write /data/x'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hostdata ]
	[ "${lines[1]}" = EROFS ]
	[ "${lines[2]}" = ok ]
	[ "${lines[3]}" = ok ]
}

@test "runtime: what the container leaves in its root cannot make rm touch the host" {
	setup_engine
	image scute-test/bb:1
	# symlinks to the victim (absolute, and climbing), a directory it
	# cannot read, a FIFO, and a deep tree
	sc run --name leaves scute-test/bb:1 sh -c "
		busybox ln -s $VICTIM /abs && busybox ln -s ../../../../../../../../../..$VICTIM /rel &&
		mkdir -p /locked/in && touch /locked/in/f && busybox chmod 000 /locked/in /locked &&
		busybox mkfifo /fifo && d=/deep && for i in \$(busybox seq 200); do d=\$d/d; done && mkdir -p \$d"
	dir=$STORE/containers/$(sc inspect -f '{{.Id}}' leaves)
	[ "$(sc inspect -f '{{.State.ExitCode}}' leaves)" = 0 ]
	[ -d "$dir" ]
	sc rm leaves >/dev/null
	[ ! -e "$dir" ]
	[ "$(ls -A "$VICTIM")" = file ]
	[ "$(cat "$VICTIM/file")" = keep ]
}

@test "runtime: what the container leaves in a named volume cannot make volume rm touch the host" {
	setup_engine
	image scute-test/bb:1
	sc run --rm -v left:/v scute-test/bb:1 sh -c "
		busybox ln -s $VICTIM /v/abs && busybox ln -s ../../../../../../../../../..$VICTIM /v/rel &&
		mkdir -p /v/locked/in && touch /v/locked/in/f && busybox chmod 000 /v/locked/in /v/locked"
	[ -L "$STORE/volumes/left/_data/abs" ]
	[ "$(sc volume rm left)" = left ]
	[ ! -e "$STORE/volumes/left" ]
	[ "$(ls -A "$VICTIM")" = file ]
	[ "$(cat "$VICTIM/file")" = keep ]
}
