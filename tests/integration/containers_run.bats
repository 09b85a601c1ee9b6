#!/usr/bin/env bats
# Issue 14: scute create, run, start, restart, and the flags of run checked
# from inside the container with the probe, including the hardening
# guides' scenarios; the errors of item 6 (125 and nothing created, 126,
# 127). Each test has its own store, exec-root and image.

load images
bats_require_minimum_version 1.5.0

PROBE=${PROBE:-$BUILD_DIR/tests/probe}
TESTDATA=$SRC_ROOT/../shared/testdata

setup_engine() {
	busybox_rootfs
	cp "$PROBE" "$TEST_DIR/rootfs/bin/probe"
	for a in chown sleep mkdir id touch rm; do ln -sf busybox "$TEST_DIR/rootfs/bin/$a"; done
	printf 'root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n' >"$TEST_DIR/rootfs/etc/passwd"
	printf 'root:x:0:\nbob:x:1000:\nwheel:x:10:bob\n' >"$TEST_DIR/rootfs/etc/group"
	mkdir -p "$TEST_DIR/rootfs/tmp" "$TEST_DIR/rootfs/home/bob"
	tar -C "$TEST_DIR/rootfs" -cf "$TEST_DIR/rootfs.tar" .
	sc import "$TEST_DIR/rootfs.tar" scute-test/bb:1 >/dev/null
	engine_config "{\"exec-root\": \"$TEST_DIR/run\", \"init-path\": \"$BUILD_DIR/scute-init\"}"
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do '$SCUTE' --root '$STORE' --config '$TEST_DIR/scute.json' rm -f \$id; done"
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
}

rows() {
	db 'SELECT count(*) FROM containers'
}

# Nothing of container ID is left: no row, no mount, no directory, no
# runtime state, no cgroup named after it.
assert_gone() {
	[ "$(db "SELECT count(*) FROM containers WHERE id = '$1'")" = 0 ]
	! grep -q "$1" /proc/self/mountinfo
	[ ! -e "$STORE/containers/$1" ]
	[ ! -e "$TEST_DIR/run/containers/$1" ]
	[ ! -e "$TEST_DIR/run/runtime/$1" ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -name "*$1*" 2>/dev/null)" ]
}

@test "run: output, the container's exit status, and --rm leaves nothing" {
	setup_engine
	run sc run --rm --name once scute-test/bb:1 sh -c 'echo hello from $HOSTNAME; exit 7'
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == "hello from "* ]]
	[ "$(rows)" = 0 ]
	! grep -q "$TEST_DIR/store/containers" /proc/self/mountinfo
	[ -z "$(ls -A "$STORE/containers")" ]
	[ -z "$(ls -A "$TEST_DIR/run/containers" 2>/dev/null)" ]
}

@test "create, then start -a, start, restart, and the record of each" {
	setup_engine
	id=$(sc create --name c1 --label team=blue -e A=1 -w /tmp scute-test/bb:1 sh -c 'pwd; echo A=$A; exit 3')
	[[ "$id" =~ ^[0-9a-f]{64}$ ]]
	[ "$(sc inspect -f '{{.State.Status}}' c1)" = created ]
	[ "$(sc inspect -f '{{.Config.Labels.team}} {{.Config.WorkingDir}}' c1)" = "blue /tmp" ]
	run sc start -a c1
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = /tmp ]
	[ "${lines[1]}" = A=1 ]
	[ "$(sc inspect -f '{{.State.Status}} {{.State.ExitCode}}' c1)" = "exited 3" ]
	sc create --name c2 scute-test/bb:1 sh -c 'trap "exit 0" TERM; while :; do sleep 1; done' >/dev/null
	[ "$(sc start c2)" = c2 ]
	[ "$(sc inspect -f '{{.State.Status}}' c2)" = running ]
	pid1=$(sc inspect -f '{{.State.Pid}}' c2)
	[ "$(sc restart -t 5 c2)" = c2 ]
	pid2=$(sc inspect -f '{{.State.Pid}}' c2)
	[ "$(sc inspect -f '{{.State.Status}}' c2)" = running ]
	[ "$pid1" != "$pid2" ]
	sc stop c2 >/dev/null
	[ "$(sc inspect -f '{{.State.Status}}' c2)" = exited ]
}

@test "run -d: ps shows it; the image's config is merged as docker merges it" {
	setup_engine
	id=$(sc run -d --name bg scute-test/bb:1 sh -c 'trap "exit 0" TERM; while :; do sleep 1; done')
	[[ "$id" =~ ^[0-9a-f]{64}$ ]]
	[ "$(sc ps --format '{{.Names}} {{.State}}')" = "bg running" ]
	[ "$(sc inspect -f '{{.HostConfig.NetworkMode}} {{.HostConfig.ShmSize}} {{.HostConfig.IpcMode}}' bg)" = "none 67108864 private" ]
	sc stop bg >/dev/null
	[ "$(sc inspect -f '{{.State.ExitCode}}' bg)" = 0 ]
}

@test "defaults: the hardened capability set, no_new_privs, seccomp filter" {
	setup_engine
	run sc run --rm scute-test/bb:1 probe status
	echo "$output"
	[ "$status" -eq 0 ]
	# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE
	[[ "$output" == *"CapEff:	00000000000005fb"* ]]
	[[ "$output" == *"CapBnd:	00000000000005fb"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
	run sc run --rm --security-opt no-new-privileges=false scute-test/bb:1 probe status
	[[ "$output" == *"NoNewPrivs:	0"* ]]
	run sc run --rm --security-opt seccomp=unconfined scute-test/bb:1 probe status
	[[ "$output" == *"Seccomp:	0"* ]]
}

@test "guides: after --cap-drop ALL chown fails; with CHOWN, DAC_OVERRIDE, FOWNER it works" {
	setup_engine
	run sc run --rm --cap-drop ALL scute-test/bb:1 sh -c 'touch /tmp/f && chown 1000 /tmp/f'
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	run sc run --rm --cap-drop ALL --cap-add CHOWN --cap-add dac_override --cap-add CAP_FOWNER \
		scute-test/bb:1 sh -c 'touch /tmp/f && chown 1000 /tmp/f && echo ok'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	run sc run --rm --cap-drop ALL --cap-add NET_BIND_SERVICE scute-test/bb:1 probe status
	[[ "$output" == *"CapEff:	0000000000000400"* ]]
}

@test "guides: a setuid-root binary run by uid 1000 gains nothing" {
	setup_engine
	# the image's own setuid-root copy of the probe
	cp "$PROBE" "$TEST_DIR/rootfs/bin/suid-probe"
	chmod 4755 "$TEST_DIR/rootfs/bin/suid-probe"
	tar -C "$TEST_DIR/rootfs" -cf "$TEST_DIR/rootfs2.tar" .
	sc import "$TEST_DIR/rootfs2.tar" scute-test/suid:1 >/dev/null
	run sc run --rm -u bob scute-test/suid:1 suid-probe status
	echo "$output"
	[[ "$output" == *"Uid:	1000	1000	1000	1000"* ]]
	[[ "$output" == *"CapEff:	0000000000000000"* ]]
	# control: without no-new-privileges the kernel honours the bit
	run sc run --rm -u bob --security-opt no-new-privileges=false scute-test/suid:1 suid-probe status
	[[ "$output" == *"Uid:	1000	0	0	0"* ]]
}

@test "users: names from the image's /etc/passwd and /etc/group, --group-add" {
	setup_engine
	run sc run --rm -u bob --group-add 4242 scute-test/bb:1 sh -c 'id -u; id -g; id -G; echo $HOME'
	echo "$output"
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = "1000 10 4242" ]
	[ "${lines[3]}" = /home/bob ]
	run sc run --rm -u alice scute-test/bb:1 true
	[ "$status" -eq 125 ]
	[[ "$output" == *"unable to find user alice"* ]]
}

@test "guides: --memory 20m kills a memory hog (137, OOMKilled)" {
	setup_engine
	run sc run --name hog --memory 20m --memory-swap 20m scute-test/bb:1 sh -c 'a=xxxxxxxxxxxxxxxx; while :; do a="$a$a"; done'
	echo "$output"
	[ "$status" -eq 137 ]
	[ "$(sc inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}' hog)" = "true 137 20971520" ]
}

@test "guides: --pids-limit stops a fork bomb" {
	setup_engine
	run sc run --rm --pids-limit 10 scute-test/bb:1 probe forks 50
	echo "$output"
	# "STARTED ERRNO": the probe is one of the 10
	[[ "$output" == *" EAGAIN" ]]
	[ "${output%% *}" -lt 10 ]
}

@test "guides: --read-only with --tmpfs /tmp" {
	setup_engine
	run sc run --rm --read-only --tmpfs /tmp scute-test/bb:1 sh -c 'probe write /etc/x; probe write /tmp/x'
	echo "$output"
	[ "${lines[0]}" = EROFS ]
	[ "${lines[1]}" = ok ]
}

@test "seccomp: a Docker-format file is enforced; the profile that forbids execve still starts" {
	setup_engine
	cat >"$TEST_DIR/nomkdir.json" <<-'EOF'
	{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
	EOF
	run sc run --rm --security-opt seccomp="$TEST_DIR/nomkdir.json" scute-test/bb:1 probe sys mkdir /tmp/d
	[ "$output" = EPERM ]
	run sc run --rm scute-test/bb:1 probe sys mkdir /tmp/d
	[ "$output" = ok ]
	[ -f "$TESTDATA/webserver-noexec-seccomp.json" ] || skip "../shared/testdata is not here"
	run sc run --rm --security-opt seccomp="$TESTDATA/webserver-noexec-seccomp.json" scute-test/bb:1 sh -c 'echo started; /bin/true; echo "rc=$?"'
	echo "$output"
	[ "${lines[0]}" = started ]
	[[ "$output" == *"rc=126"* ]]
}

@test "errors: a bad value is 125 naming it and creates nothing; 127 and 126 for the command" {
	setup_engine
	for bad in '--memory 12x' '--cpus -1' '--cap-add CAP_FOO' '--restart bogus' '--ulimit nofile=a' \
		"--security-opt seccomp=$TEST_DIR/missing.json" '--bogus-flag'; do
		run sc run --rm $bad scute-test/bb:1 true
		echo "$bad: $output"
		[ "$status" -eq 125 ]
		[[ "$output" == *"${bad%% *}"* ]]
	done
	echo '{"defaultAction": ' >"$TEST_DIR/broken.json"
	run sc run --security-opt seccomp="$TEST_DIR/broken.json" scute-test/bb:1 true
	[ "$status" -eq 125 ]
	[[ "$output" == *broken.json* ]]
	run sc run scute-test/nope:1 true
	[ "$status" -eq 125 ]
	sc create --name taken scute-test/bb:1 true >/dev/null
	run sc create --name taken scute-test/bb:1 true
	[ "$status" -eq 125 ]
	[[ "$output" == *taken* ]]
	[ "$(rows)" = 1 ]
	sc rm taken >/dev/null
	run -127 sc run --rm scute-test/bb:1 /no/such/program
	[[ "$output" == *"/no/such/program"* ]]
	run -127 sc run --rm scute-test/bb:1 nosuchprogram
	[[ "$output" == *"executable file not found"* ]]
	run -126 sc run --rm scute-test/bb:1 /etc/passwd
	[ "$(rows)" = 0 ]
	! grep -q "$TEST_DIR/store/containers" /proc/self/mountinfo
}

@test "--privileged: a warning naming what it turns off, visible in inspect" {
	setup_engine
	run sc run --name priv --privileged scute-test/bb:1 probe status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *WARNING*privileged* ]]
	[[ "$output" == *"Seccomp:	0"* ]]
	# every capability the host can hand on (its bounding set)
	[[ "$output" == *"CapEff:	$(awk '/^CapBnd/ { print $2 }' /proc/self/status)"* ]]
	[ "$(sc inspect -f '{{.HostConfig.Privileged}}' priv)" = true ]
	sc create --name plain scute-test/bb:1 true >/dev/null
	[ "$(sc ps -a --format '{{.Names}} {{.Privileged}}' | sort)" = "$(printf 'plain false\npriv true')" ]
	# the host's device nodes, as docker gives them; none without it
	[ -c /dev/kmsg ] || skip "the host has no /dev/kmsg"
	run sc run --rm --privileged scute-test/bb:1 sh -c '[ -c /dev/kmsg ] && echo there'
	[ "${lines[-1]}" = there ]
	run sc run --rm scute-test/bb:1 sh -c '[ -e /dev/kmsg ] || echo absent'
	[ "$output" = absent ]
}

@test "--init: scute-init is pid 1, reaps, and passes the status on" {
	setup_engine
	[ -x "$BUILD_DIR/scute-init" ] || skip "scute-init is not built"
	run sc run --rm --init scute-test/bb:1 sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "${lines[0]}" == "/dev/init -- sh -c"* ]]
}

@test "namespaces: --network host shares the host's, none has only lo; --pid host" {
	setup_engine
	run sc run --rm scute-test/bb:1 cat /proc/net/dev
	[ "$(echo "$output" | grep -c ':')" = 1 ]
	[ "$(sc run --rm --network host scute-test/bb:1 sh -c 'readlink /proc/self/ns/net')" = "$(readlink /proc/self/ns/net)" ]
	[ "$(sc run --rm --pid host scute-test/bb:1 sh -c 'readlink /proc/self/ns/pid')" = "$(readlink /proc/self/ns/pid)" ]
	[ "$(sc run --rm scute-test/bb:1 sh -c 'readlink /proc/self/ns/pid')" != "$(readlink /proc/self/ns/pid)" ]
	[ "$(sc run --rm --hostname box scute-test/bb:1 cat /etc/hostname)" = box ]
}

@test "mounts: -v HOST:CTR:ro, a named volume kept between containers, --mount tmpfs" {
	setup_engine
	mkdir "$TEST_DIR/data"
	echo payload >"$TEST_DIR/data/in"
	run sc run --rm -v "$TEST_DIR/data:/data:ro" scute-test/bb:1 sh -c 'cat /data/in; probe write /data/x'
	[ "${lines[0]}" = payload ]
	[ "${lines[1]}" = EROFS ]
	sc run --rm -v vol1:/v scute-test/bb:1 sh -c 'echo kept > /v/f'
	[ "$(sc run --rm -v vol1:/v scute-test/bb:1 cat /v/f)" = kept ]
	[ "$(sc volume ls -q)" = vol1 ]
	run sc run --rm --mount type=tmpfs,destination=/scratch,tmpfs-size=1m scute-test/bb:1 sh -c 'probe write /scratch/x'
	[ "$output" = ok ]
}

@test "guides: --cpus .5 holds a busy loop near half a CPU" {
	setup_engine
	sc run -d --name busy --cpus .5 scute-test/bb:1 sh -c 'while :; do :; done' >/dev/null
	[ "$(sc inspect -f '{{.HostConfig.NanoCpus}}' busy)" = 500000000 ]
	pid=$(sc inspect -f '{{.State.Pid}}' busy)
	# the container's cpuacct (v1) or cpu.stat (v2) usage over 3 s
	usage() {
		local v1 v2 d
		v1=$(awk -F: '$2 ~ /(^|,)cpuacct(,|$)/ { print $3 }' "/proc/$pid/cgroup")
		v2=$(awk -F: '$1 == 0 { print $3 }' "/proc/$pid/cgroup")
		for d in /sys/fs/cgroup/cpuacct /sys/fs/cgroup/cpu,cpuacct; do
			if [ -n "$v1" ] && [ -f "$d$v1/cpuacct.usage" ]; then
				echo $(($(cat "$d$v1/cpuacct.usage") / 1000))
				return
			fi
		done
		awk '$1 == "usage_usec" { print $2 }' "/sys/fs/cgroup$v2/cpu.stat"
	}
	a=$(usage)
	sleep 3
	b=$(usage)
	used=$(((b - a) / 3000)) # ms of CPU per second
	echo "used ${used} ms/s"
	# never more than the quota (with a scheduler period's slack), and it ran
	[ "$used" -le 600 ]
	[ "$used" -gt 50 ]
	sc rm -f busy >/dev/null
}

@test "-i: the container reads stdin only when asked, as docker's" {
	setup_engine
	run sh -c "echo fed | '$SCUTE' --root '$STORE' --config '$TEST_DIR/scute.json' run --rm scute-test/bb:1 sh -c 'cat; echo end'"
	[ "$output" = end ]
	run sh -c "echo fed | '$SCUTE' --root '$STORE' --config '$TEST_DIR/scute.json' run --rm -i scute-test/bb:1 sh -c 'cat; echo end'"
	[ "${lines[0]}" = fed ]
	[ "${lines[1]}" = end ]
	run sc run --rm -t scute-test/bb:1 true
	[ "$status" -eq 125 ]
	[[ "$output" == *"-t"* ]]
}

@test "--network host: the host's hostname, as docker records it" {
	setup_engine
	sc create --name hn --network host scute-test/bb:1 true >/dev/null
	[ "$(sc inspect -f '{{.Config.Hostname}}' hn)" = "$(hostname)" ]
	[ "$(sc run --rm --network host scute-test/bb:1 sh -c 'echo $HOSTNAME')" = "$(hostname)" ]
	[ "$(sc run --rm --network host scute-test/bb:1 cat /etc/hostname 2>/dev/null)" = "$(hostname)" ]
	# the host's hosts file (a copy): what resolves on the host resolves here
	[ "$(sc run --rm --network host scute-test/bb:1 cat /etc/hosts 2>/dev/null)" = "$(head -c 65535 /etc/hosts)" ]
}

@test "restart keeps a --rm container, as docker's; its stop then removes it" {
	setup_engine
	sc run -d --rm --name rr scute-test/bb:1 sh -c 'trap "exit 0" TERM; while :; do sleep 1; done' >/dev/null
	pid1=$(sc inspect -f '{{.State.Pid}}' rr)
	[ "$(sc restart -t 5 rr)" = rr ]
	[ "$(sc inspect -f '{{.State.Status}}' rr)" = running ]
	[ "$(sc inspect -f '{{.State.Pid}}' rr)" != "$pid1" ]
	sc stop rr >/dev/null
	for _ in $(seq 50); do [ "$(rows)" = 0 ] && break; sleep 0.1; done
	[ "$(rows)" = 0 ]
}
