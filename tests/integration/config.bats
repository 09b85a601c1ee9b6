#!/usr/bin/env bats
# Every config.json feature, asserted from inside the container.

load helpers

@test "spec defaults: capabilities, no_new_privs, empty inheritable and ambient" {
	run_ctr probe status
	[ "$status" -eq 0 ]
	# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE
	[ "$(status_field CapEff)" = 00000000000005fb ]
	[ "$(status_field CapPrm)" = 00000000000005fb ]
	[ "$(status_field CapBnd)" = 00000000000005fb ]
	[ "$(status_field CapInh)" = 0000000000000000 ]
	[ "$(status_field CapAmb)" = 0000000000000000 ]
	[ "$(status_field NoNewPrivs)" = 1 ]
}

@test "capabilities: each of the five sets as configured" {
	cfg '.process.capabilities = {
		bounding: ["CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_NET_RAW"],
		permitted: ["CAP_NET_BIND_SERVICE", "CAP_CHOWN"],
		effective: ["CAP_CHOWN"],
		inheritable: ["CAP_NET_BIND_SERVICE"],
		ambient: ["CAP_NET_BIND_SERVICE"]}'
	cfg '.process.user.uid = 1000 | .process.user.gid = 1000'
	run_ctr probe status
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 0000000000002401 ]
	[ "$(status_field CapInh)" = 0000000000000400 ]
	[ "$(status_field CapAmb)" = 0000000000000400 ]
	# An unprivileged user's exec keeps only the ambient set.
	[ "$(status_field CapPrm)" = 0000000000000400 ]
	[ "$(status_field CapEff)" = 0000000000000400 ]
}

@test "capabilities: root with no capabilities at all" {
	cfg '.process.capabilities = {}'
	run_ctr probe status
	[ "$(status_field CapEff)" = 0000000000000000 ]
	[ "$(status_field CapBnd)" = 0000000000000000 ]
}

@test "noNewPrivileges false leaves NoNewPrivs 0" {
	cfg '.process.noNewPrivileges = false'
	run_ctr probe status
	[ "$(status_field NoNewPrivs)" = 0 ]
}

@test "user: uid, gid, additionalGids and umask" {
	cfg '.process.user = {uid: 1234, gid: 567, additionalGids: [10, 20], umask: 63}'
	run_ctr sh -c 'id -u; id -g; id -G; umask'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1234 ]
	[ "${lines[1]}" = 567 ]
	[ "${lines[2]}" = "567 10 20" ]
	[ "${lines[3]}" = 0077 ]
}

@test "umask defaults to 0022" {
	run_ctr sh -c umask
	[ "$output" = 0022 ]
}

@test "rlimits: soft and hard" {
	cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 321, hard: 654},
				 {type: "RLIMIT_CORE", soft: 0, hard: 0}]'
	run_ctr sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
	[ "${lines[0]}" = 321 ]
	[ "${lines[1]}" = 654 ]
	[ "${lines[2]}" = 0 ]
}

@test "env and cwd" {
	cfg '.process.env = ["FOO=bar baz", "PATH=/bin"] | .process.cwd = "/tmp/work/dir"'
	run_ctr sh -c 'echo "$FOO"; pwd'
	[ "${lines[0]}" = "bar baz" ]
	[ "${lines[1]}" = /tmp/work/dir ]
}

@test "hostname and domainname" {
	cfg '.hostname = "box1" | .domainname = "example.org"'
	run_ctr sh -c 'hostname; cat /proc/sys/kernel/domainname'
	[ "${lines[0]}" = box1 ]
	[ "${lines[1]}" = example.org ]
}

@test "oomScoreAdj" {
	cfg '.process.oomScoreAdj = 500'
	run_ctr cat /proc/self/oom_score_adj
	[ "$output" = 500 ]
}

@test "pid namespace: the process is pid 1" {
	run_ctr sh -c 'echo $$'
	[ "$output" = 1 ]
}

@test "no pid namespace: the host's pids are visible" {
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	run_ctr sh -c 'echo $$; [ -d /proc/1 ] && echo host-init-visible'
	[[ "${lines[0]}" == *"no pid namespace: the container shares the runtime's (host's)"* ]]
	[ "${lines[1]}" -gt 1 ]
	[ "${lines[2]}" = host-init-visible ]
}

@test "namespaces: each configured one differs from the host's" {
	cfg '.linux.namespaces += [{type: "time"}]'
	run_ctr sh -c 'for n in pid mnt uts ipc net cgroup time_for_children; do readlink /proc/self/ns/$n; done'
	[ "$status" -eq 0 ]
	local n i=0
	for n in pid mnt uts ipc net cgroup time_for_children; do
		[ "${lines[$i]}" != "$(readlink /proc/self/ns/$n)" ]
		i=$((i + 1))
	done
}

@test "namespaces: joining one by path" {
	ip netns add "scute-$ID"
	on_teardown "ip netns delete scute-$ID"
	cfg '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
		--arg p "/run/netns/scute-$ID"
	run_ctr readlink /proc/self/ns/net
	local want
	want=$(ip netns exec "scute-$ID" readlink /proc/self/ns/net)
	[ "$output" = "$want" ]
}

@test "time namespace offsets" {
	cfg '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 86400000}}'
	run_ctr cat /proc/uptime
	[ "${output%%.*}" -ge 86400000 ]
}

@test "user namespace with uid and gid mappings" {
	local r=$TEST_DIR/rootfs
	chmod 755 "$TEST_DIR" # the namespace's root is not the host's root
	cp -a "$FILE_DIR/template/rootfs" "$r"
	chown -R 100000:100000 "$r"
	cfg '.root.path = $r | .linux.namespaces += [{type: "user"}]
	     | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	     | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	     | .mounts |= map(select(.destination != "/sys/fs/cgroup"))' --arg r "$r"
	run_ctr sh -c 'cat /proc/self/uid_map; id -u; ls -ln /bin/busybox'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^\ +0\ +100000\ +65536$ ]]
	[ "${lines[1]}" = 0 ]
	[[ "${lines[2]}" == *" 0 "*" 0 "* ]]
	assert_nothing_left
}

@test "root.readonly: the root cannot be written, tmpfs mounts can" {
	run_ctr sh -c 'touch /x 2>&1; touch /dev/shm/ok && echo shm-ok'
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	[ "${lines[1]}" = shm-ok ]
}

@test "mounts: tmpfs with size and mode, and mount flags" {
	cfg '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs",
			  options: ["nosuid", "nodev", "noexec", "size=1m", "mode=0700"]}]'
	run_ctr sh -c 'grep " /scratch " /proc/self/mountinfo; stat -c %a /scratch'
	[[ "${lines[0]}" == *"nosuid,nodev,noexec"* ]]
	[[ "${lines[0]}" == *"size=1024k"* ]]
	[ "${lines[1]}" = 700 ]
}

@test "mounts: tmpfs with tmpcopyup starts with the image's files, links and modes" {
	cfg '.mounts += [{destination: "/etc", type: "tmpfs", source: "tmpfs", options: ["tmpcopyup"]},
			 {destination: "/bin", type: "tmpfs", source: "tmpfs", options: ["tmpcopyup", "ro"]}]'
	run_ctr sh -c 'grep -c root /etc/passwd; echo new >/etc/new && cat /etc/new; readlink /bin/sh; stat -c %a /bin/busybox; touch /bin/x 2>&1; grep " /bin " /proc/self/mountinfo | grep -c tmpfs'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = new ]            # a writable copy on a read-only root
	[ "${lines[2]}" = busybox ]        # symlinks copied as symlinks
	[ "${lines[3]}" = 755 ]
	[[ "${lines[4]}" == *"Read-only file system"* ]] # ro after the copy
	[ "${lines[5]}" = 1 ]
	cfg '.mounts += [{destination: "/x", type: "proc", source: "proc", options: ["tmpcopyup"]}]'
	run rt create -b "$BUNDLE" "$ID"
	[[ "$output" == *'option "tmpcopyup" is only for tmpfs mounts'* ]]
}

@test "mounts: bind (read-only) and rbind of a directory and a file" {
	mkdir -p "$TEST_DIR/vol/sub"
	echo data >"$TEST_DIR/vol/file"
	mount -t tmpfs tmpfs "$TEST_DIR/vol/sub"
	echo inner >"$TEST_DIR/vol/sub/x"
	cfg '.mounts += [{destination: "/v-ro", type: "bind", source: $v, options: ["bind", "ro"]},
			 {destination: "/v-r", source: $v, options: ["rbind", "nosuid"]},
			 {destination: "/etc/file", type: "bind", source: $f, options: ["bind", "ro"]}]' \
		--arg v "$TEST_DIR/vol" --arg f "$TEST_DIR/vol/file"
	run_ctr sh -c 'cat /etc/file; touch /v-ro/new 2>&1; cat /v-r/sub/x; ls /v-ro/sub | wc -l; touch /v-r/ok && echo rw-ok'
	umount "$TEST_DIR/vol/sub"
	[ "${lines[0]}" = data ]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	[ "${lines[2]}" = inner ]
	[ "${lines[3]}" = 0 ]
	[ "${lines[4]}" = rw-ok ]
}

@test "mounts: propagation options reach the mount" {
	mkdir -p "$TEST_DIR/vol"
	cfg '.mounts += [{destination: "/p", type: "bind", source: $v, options: ["rbind", "rshared"]}]' \
		--arg v "$TEST_DIR/vol"
	run_ctr grep " /p " /proc/self/mountinfo
	[[ "$output" == *"shared:"* ]]
}

@test "mounts: relative bind sources are relative to the bundle" {
	mkdir -p "$BUNDLE/data"
	echo rel >"$BUNDLE/data/f"
	cfg '.mounts += [{destination: "/data", source: "data", options: ["bind"]}]'
	run_ctr cat /data/f
	[ "$output" = rel ]
}

@test "rootfsPropagation: private" {
	cfg '.linux.rootfsPropagation = "private"'
	run_ctr sh -c 'grep " / / " /proc/self/mountinfo'
	[[ "$output" != *"master:"* && "$output" != *"shared:"* ]]
}

@test "masked paths are unreadable, read-only paths read-only" {
	run_ctr sh -c 'probe read /proc/keys; ls /sys/firmware | wc -l; probe write /proc/sys/kernel/hostname'
	[ "${lines[0]}" = "ok 0" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = EROFS ]
}

@test "default devices, links, /dev/shm" {
	run_ctr sh -c 'ls -l /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty | while read m l o g maj min rest; do echo "$m $maj$min"; done; for l in fd stdin ptmx; do readlink /dev/$l; done; grep " /dev/shm " /proc/self/mountinfo | wc -l'
	# ls sorts: full null random tty urandom zero
	[ "${lines[0]}" = "crw-rw-rw- 1,7" ]
	[ "${lines[1]}" = "crw-rw-rw- 1,3" ]
	[ "${lines[2]}" = "crw-rw-rw- 1,8" ]
	[ "${lines[3]}" = "crw-rw-rw- 5,0" ]
	[ "${lines[4]}" = "crw-rw-rw- 1,9" ]
	[ "${lines[5]}" = "crw-rw-rw- 1,5" ]
	[ "${lines[6]}" = /proc/self/fd ]
	[ "${lines[7]}" = /proc/self/fd/0 ]
	[ "${lines[8]}" = pts/ptmx ]
	[ "${lines[9]}" = 1 ]
}

@test "/dev/shm is mounted when the config has no mount for it" {
	cfg '.mounts |= map(select(.destination != "/dev/shm"))'
	run_ctr sh -c 'grep " /dev/shm " /proc/self/mountinfo'
	[[ "$output" == *"nosuid,nodev,noexec"* ]]
}

@test "linux.devices: extra nodes with mode and owner" {
	cfg '.linux.devices = [{path: "/dev/fuse-like", type: "c", major: 10, minor: 229,
				fileMode: 432, uid: 5, gid: 6},
			       {path: "/dev/sub/fifo", type: "p"}]
	     | .linux.resources.devices = [{allow: true, type: "c", major: 10, minor: 229}]'
	run_ctr sh -c 'stat -c "%A %t:%T %u:%g" /dev/fuse-like; stat -c %F /dev/sub/fifo'
	[ "${lines[0]}" = "crw-rw---- a:e5 5:6" ]
	[ "${lines[1]}" = fifo ]
}

@test "sysctl: namespaced keys are written" {
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "12345"}'
	run_ctr sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax'
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = 12345 ]
	[ "$(cat /proc/sys/kernel/msgmax)" != 12345 ]
}

@test "resources: memory, cpu and pids limits written to the cgroup" {
	cfg '.linux.resources = {memory: {limit: 67108864}, cpu: {shares: 512, quota: 50000, period: 100000}, pids: {limit: 42}}'
	create_ctr true
	[ "$(cat /sys/fs/cgroup/memory/$ID/memory.limit_in_bytes)" = 67108864 ]
	[ "$(cat /sys/fs/cgroup/cpu/$ID/cpu.shares)" = 512 ]
	[ "$(cat /sys/fs/cgroup/cpu/$ID/cpu.cfs_quota_us)" = 50000 ]
	[ "$(cat /sys/fs/cgroup/cpu/$ID/cpu.cfs_period_us)" = 100000 ]
	[ "$(cat /sys/fs/cgroup/pids/$ID/pids.max)" = 42 ]
	grep -qx "$PID" /sys/fs/cgroup/pids/$ID/cgroup.procs
	rt delete "$ID"
	assert_nothing_left
}

@test "resources: the pids limit is enforced" {
	cfg '.linux.resources = {pids: {limit: 5}}'
	run_ctr sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done 2>&1; echo done'
	[[ "$output" == *"can't fork"* || "$output" == *"Resource temporarily unavailable"* ]]
}

@test "cgroupsPath: absolute path is used" {
	cfg '.linux.cgroupsPath = $p' --arg p "/scute-it-$ID/c"
	on_teardown "for d in /sys/fs/cgroup/*/scute-it-$ID; do rmdir \$d; done"
	create_ctr true
	# devices: a v1 hierarchy every container has (the device rules).
	[ -d "/sys/fs/cgroup/devices/scute-it-$ID/c" ]
	grep -qx "$PID" "/sys/fs/cgroup/devices/scute-it-$ID/c/cgroup.procs"
	rt delete "$ID"
	[ ! -d "/sys/fs/cgroup/devices/scute-it-$ID/c" ]
}

@test "cgroup namespace: the container sees its cgroup as the root" {
	run_ctr sh -c 'cat /proc/self/cgroup | grep devices; ls /sys/fs/cgroup/devices/ | grep -c scute || true'
	[[ "${lines[0]}" == *":devices:/" ]]
	[ "${lines[1]}" = 0 ]
}

@test "--no-pivot runs the container with MS_MOVE + chroot" {
	args sh -c 'ls /bin/busybox && echo ok'
	run rt run --no-pivot -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *ok* ]]
}

@test "session keyring: a new one unless --no-new-keyring" {
	local host
	host=$("$PROBE" keyring)
	cfg 'del(.linux.seccomp)' # the default profile denies the keyring calls
	args probe keyring
	run rt run -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" != "$host" ]
	run rt run --no-new-keyring -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$host" ]
}

@test "cgroupsPath: an existing empty cgroup is joined and left in place" {
	local d
	for d in /sys/fs/cgroup/*/; do
		mountpoint -q "$d" || continue
		mkdir "$d/scute-joined-$ID"
		on_teardown "rmdir $d/scute-joined-$ID"
	done
	# A new cpuset cgroup has no cpus or memory nodes until given some.
	cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/scute-joined-$ID/cpuset.cpus"
	cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/scute-joined-$ID/cpuset.mems"
	cfg '.linux.cgroupsPath = $p' --arg p "/scute-joined-$ID"
	create_ctr true
	grep -qx "$PID" "/sys/fs/cgroup/pids/scute-joined-$ID/cgroup.procs"
	rt delete "$ID"
	[ -d "/sys/fs/cgroup/pids/scute-joined-$ID" ]
}

@test "cgroupsPath: a cgroup that already holds processes is refused" {
	create_ctr sleep 30
	local first=$ID
	ID=$ID-second
	cfg '.linux.cgroupsPath = $p' --arg p "/$first"
	run rt create -b "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already holds processes"* ]]
	[ ! -e "$ROOT/$ID" ]
	[ "$(rt state "$first" | jq -r .status)" = created ]
}

@test "with --log, a warning goes to the log only, never into the container's output" {
	# Engines give the runtime the container's stdio: a warning on stderr
	# would be read as the container's output.
	cfg '.linux.namespaces |= map(select(.type != "cgroup"))'
	args echo hello
	run "$SCUTE_RUNTIME" --root "$ROOT" --log "$TEST_DIR/log.json" --log-format json \
		run -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	grep -q '"level":"warning".*no cgroup namespace' "$TEST_DIR/log.json"
	# The control: without --log the warning is on stderr.
	run rt run -b "$BUNDLE" "$ID"
	[[ "${lines[0]}" == *"no cgroup namespace"* ]]
}
