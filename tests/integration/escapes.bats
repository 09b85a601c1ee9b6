#!/usr/bin/env bats
# One test per escape class of shared/REFERENCE.md §2 that the runtime
# touches, each written as the attack.

load helpers

# A second bundle whose container joins the pid namespace of $PID.
joined_bundle() {
	B2=$TEST_DIR/bundle2
	mkdir -p "$B2"
	jq --arg ns "/proc/$PID/ns/pid" \
		'.linux.namespaces |= map(if .type == "pid" then .path = $ns else . end)
		 | .process.args = ["probe", "exe-attack"]' "$BUNDLE/config.json" >"$B2/config.json"
}

@test "CVE-2019-5736: the init's /proc/PID/exe is a read-only overlay view, not the host binary" {
	create_ctr true
	[ "$(stat -L -f -c %T /proc/$PID/exe)" = overlayfs ]
	[ "$(stat -L -c %d:%i /proc/$PID/exe)" != "$(stat -L -c %d:%i "$SCUTE_RUNTIME")" ]
	cmp /proc/$PID/exe "$SCUTE_RUNTIME" # the same bytes, no copy made
	run sh -c "exec 3>>/proc/$PID/exe"
	[[ "$output" == *"Read-only file system"* ]]
	# Not even a clone of the view made writable reaches the file: the
	# overlay's superblock itself is read-only.
	run python3 - /proc/$PID/exe <<-'EOF'
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	OPEN_TREE_CLONE, AT_EMPTY_PATH, MOUNT_ATTR_RDONLY = 1, 0x1000, 1
	class Attr(ctypes.Structure):
	    _fields_ = [("set", ctypes.c_uint64), ("clr", ctypes.c_uint64),
	                ("prop", ctypes.c_uint64), ("userns", ctypes.c_uint64)]
	fd = os.open(sys.argv[1], os.O_PATH)
	t = libc.syscall(428, fd, b"", OPEN_TREE_CLONE | AT_EMPTY_PATH)  # open_tree
	if t < 0:
	    print("clone refused", os.strerror(ctypes.get_errno())); sys.exit(0)
	a = Attr(0, MOUNT_ATTR_RDONLY, 0, 0)
	r = libc.syscall(442, t, b"", AT_EMPTY_PATH, ctypes.byref(a), ctypes.sizeof(a))  # mount_setattr
	print("setattr", r, os.strerror(ctypes.get_errno()) if r else "")
	try:
	    os.open("/proc/self/fd/%d" % t, os.O_WRONLY); print("writable")
	except OSError as e:
	    print("refused", e.strerror)
	EOF
	echo "$output"
	[[ "$output" != *writable* ]]
	[[ "$output" == *"refused Read-only file system"* || "$output" == "clone refused"* ]]
}

@test "CVE-2019-5736: where no overlay can stack on the binary, the init runs a sealed memfd copy" {
	# Two overlays deep (each with an upper, so writable): a third, the
	# runtime's view, exceeds the kernel's stacking depth.
	local d=$TEST_DIR/stack
	mkdir -p $d/l $d/u1 $d/w1 $d/o1 $d/u2 $d/w2 $d/o2
	mount -t overlay -o lowerdir=$d/l,upperdir=$d/u1,workdir=$d/w1 scute-test $d/o1
	mkdir -p $d/o1/l2
	mount -t overlay -o lowerdir=$d/o1/l2,upperdir=$d/u2,workdir=$d/w2 scute-test $d/o2 ||
		{ umount $d/o1; skip "overlayfs does not stack here"; }
	cp "$SCUTE_RUNTIME" $d/o2/scute-runtime
	SCUTE_RUNTIME=$d/o2/scute-runtime create_ctr true
	local exe
	exe=$(readlink /proc/$PID/exe)
	rt delete --force "$ID"
	umount $d/o2
	umount $d/o1
	[[ "$exe" == "/memfd:scute-runtime (deleted)" ]]
}

@test "CVE-2019-5736: a container cannot write the runtime through /proc/PID/exe" {
	create_ctr sleep 5
	joined_bundle
	# Without CAP_SYS_PTRACE the waiting init is out of reach (not dumpable).
	run rt run -b "$B2" "$ID-b"
	[ "$status" -eq 0 ]
	[[ "$output" == "refused 1 EACCES" ]]
	# With it, the attacker holds the init's exe, waits for the init to
	# exec (so nothing runs the runtime image any more) and writes: the
	# file it holds is on a read-only overlay.
	jq '.process.capabilities = {bounding: ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE"],
	    effective: ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE"], permitted: ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE"]}
	    | .process.args = ["probe", "exe-attack", "1"]' \
		"$B2/config.json" >"$B2/c" && mv "$B2/c" "$B2/config.json"
	# Detached, so that no runtime process is left running when it writes.
	rt run -d -b "$B2" "$ID-c" >"$TEST_DIR/attack"
	rt start "$ID"
	wait_line "$TEST_DIR/attack" "^refused 1\|^writable 1" 60
	cat "$TEST_DIR/attack"
	grep -q "^refused 1 EROFS$" "$TEST_DIR/attack"
	! grep -q writable "$TEST_DIR/attack"
}

@test "CVE-2019-5736 during exec: the exec'd process's exe is the sealed view" {
	# A seccomp agent lets the init's own exec through and holds the exec'd
	# process in its execve for 3 s, while it still runs the runtime's
	# image; the container's init (the attacker, with CAP_SYS_PTRACE) finds
	# it, holds its exe, and writes once it has exec'd.
	execve_agent 3
	cfg '.process.capabilities = {bounding: ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE"],
	       effective: ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE"], permitted: ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE"]}'
	args probe exe-watch 20
	rt run -d -b "$BUNDLE" "$ID" >"$TEST_DIR/attack"
	rt exec -d "$ID" /bin/true
	grep -q "^held " "$TEST_DIR/agent.out" # the exec'd process was held
	wait_line "$TEST_DIR/attack" "^refused\|^writable\|^none"
	cat "$TEST_DIR/attack"
	grep -q "^refused [0-9]* EROFS$" "$TEST_DIR/attack"
	! grep -q "writable\|none" "$TEST_DIR/attack"
}

@test "CVE-2022-29162: no inheritable capabilities reach a file-capability binary" {
	cfg '.root.readonly = false | .process.noNewPrivileges = false
	     | .process.user.uid = 1000 | .process.user.gid = 1000'
	local fcap=$FILE_DIR/template/rootfs/bin/probe-fcap
	cp "$PROBE" "$fcap"
	setcap cap_net_raw+ei "$fcap"
	run_ctr probe-fcap status
	[ "$status" -eq 0 ]
	[ "$(status_field CapInh)" = 0000000000000000 ]
	[ "$(status_field CapEff)" = 0000000000000000 ]
	# The control: had the runtime put NET_RAW in the inheritable set, the
	# binary would have gained it.
	cfg '.process.capabilities.inheritable = ["CAP_NET_RAW"] | .process.capabilities.bounding += ["CAP_NET_RAW"]'
	run_ctr probe-fcap status
	rm -f "$fcap"
	[ "$(status_field CapEff)" = 0000000000002000 ]
}

@test "CVE-2024-21626: a leaked fd is not inherited and cannot be the cwd" {
	# fd 7 to the host's cgroup tree, as in the advisory.
	args probe fds
	run bash -c 'exec 7</sys/fs/cgroup; "$0" --root "$1" run -b "$2" "$3"' \
		"$SCUTE_RUNTIME" "$ROOT" "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cfg '.process.cwd = "/proc/self/fd/7"'
	args probe cwd
	run bash -c 'exec 7</sys/fs/cgroup; "$0" --root "$1" run -b "$2" "$3"' \
		"$SCUTE_RUNTIME" "$ROOT" "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.cwd"* ]]
	[[ "$output" != */sys/fs/cgroup* ]]
	assert_nothing_left
}

@test "CVE-2025-31133: masking never mounts the container's own /dev/null" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	# The image's /dev/null is a symlink to a procfs file; no tmpfs /dev.
	ln -s /proc/sys/kernel/core_pattern "$r/dev/null"
	cfg '.root.path = $r | .mounts |= map(select(.destination | startswith("/dev") | not))' --arg r "$r"
	run_ctr sh -c 'stat -c "%F %t:%T" /proc/keys; probe write /proc/keys'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file 1:3" ]
	[ "${lines[1]}" = ok ]
	[ ! -L "$r/dev/null" ] || [ "$(readlink "$r/dev/null")" != /proc/sys/kernel/core_pattern ] || false
	[ "$(cat /proc/sys/kernel/core_pattern)" != x ]
}

@test "CVE-2021-30465/CVE-2024-45310: a symlinked mount destination stays inside the root" {
	local r=$TEST_DIR/rootfs host=$TEST_DIR/host-target
	cp -a "$FILE_DIR/template/rootfs" "$r"
	# Absolute and relative links that point out of the rootfs on the host.
	ln -s "$host" "$r/evil-abs"
	ln -s ../../../../../../../.."$host" "$r/evil-rel"
	cfg '.root.path = $r | .mounts += [
		{destination: "/evil-abs/a/b", type: "tmpfs", source: "tmpfs"},
		{destination: "/evil-rel/c", type: "tmpfs", source: "tmpfs"}]' --arg r "$r"
	run_ctr sh -c 'grep -c " '"$host"'/a/b \| '"$host"'/c " /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "$output" = 2 ]
	[ ! -e "$host" ]
	[ -d "$r$host/a/b" ]
	assert_nothing_left
}

@test "/dev as a symlink in the image does not redirect device creation" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	rm -rf "$r/dev"
	ln -s etc "$r/dev"
	cfg '.root.path = $r | .mounts |= map(select(.destination | startswith("/dev") | not))' --arg r "$r"
	run_ctr true
	[ "$status" -ne 0 ]
	[[ "$output" == *"/dev"*"symlink"* ]]
	[ ! -e "$r/etc/null" ]
	[ ! -e "$r/etc/shm" ]
	assert_nothing_left
}

@test "/proc writes go through the runtime's procfs handle, not the container's /proc" {
	# A decoy over /proc/sys/net/ipv4 inside the container.
	mkdir -p "$TEST_DIR/decoy"
	echo 0 >"$TEST_DIR/decoy/ip_forward"
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.readonlyPaths = []
	     | .mounts += [{destination: "/proc/sys/net/ipv4", type: "bind", source: $d, options: ["bind"]}]' \
		--arg d "$TEST_DIR/decoy"
	run_ctr cat /proc/sys/net/ipv4/ip_forward
	[ "$status" -eq 0 ]
	[ "$(cat "$TEST_DIR/decoy/ip_forward")" = 0 ]
}

@test "procfs and sysfs are never mounted over a symlink" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	rmdir "$r/proc"
	mkdir "$r/elsewhere"
	ln -s elsewhere "$r/proc"
	cfg '.root.path = $r' --arg r "$r"
	run_ctr true
	[ "$status" -ne 0 ]
	[[ "$output" == *"mounts[0]"*"not a directory"* ]]
	assert_nothing_left
}

# What a container cannot do with nothing but scute's defaults (the config
# `scute-runtime spec` writes): each test makes the attempt from inside.

@test "defaults: no mounts and no new namespaces" {
	run_ctr sh -c 'mount -t tmpfs none /tmp 2>/dev/null && echo mounted; probe sys mount; for f in 0x20000 0x10000000 0x40000000 0x8000000; do echo "unshare $f: $(probe sys unshare $f)"; done'
	[ "$status" -eq 0 ]
	[[ "$output" != *mounted* ]]
	[ "${lines[0]}" = EPERM ]
	[[ "$output" == *"unshare 0x20000: EPERM"* ]]    # mount
	[[ "$output" == *"unshare 0x10000000: EPERM"* ]] # user
	[[ "$output" == *"unshare 0x40000000: EPERM"* ]] # net
	[[ "$output" == *"unshare 0x8000000: EPERM"* ]]  # ipc
}

@test "defaults: no kernel modules, no reboot, no clock changes" {
	run_ctr sh -c 'for c in init_module finit_module delete_module reboot clock_settime settimeofday; do echo "$c: $(probe sys $c)"; done'
	[ "$status" -eq 0 ]
	local c
	for c in init_module finit_module delete_module reboot clock_settime settimeofday; do
		[[ "$output" == *"$c: EPERM"* ]]
	done
}

@test "defaults: no raw or packet sockets" {
	run_ctr sh -c 'echo "raw: $(probe sys raw-socket)"; echo "packet: $(probe sys packet-socket)"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"raw: EPERM"* ]]
	[[ "$output" == *"packet: EPERM"* ]]
}

@test "defaults: /proc/sys and /proc/sysrq-trigger cannot be opened for writing; /proc/kcore reads nothing" {
	run_ctr sh -c 'for p in /proc/sys/kernel/hostname /proc/sys/vm/drop_caches /proc/sysrq-trigger; do echo "$p: $(probe openw $p)"; done; echo "kcore: $(probe read /proc/kcore)"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"/proc/sys/kernel/hostname: EROFS"* ]]
	[[ "$output" == *"/proc/sys/vm/drop_caches: EROFS"* ]]
	# This host's kernel has no sysrq (lsm.bats checks it in a VM that has).
	if [ -e /proc/sysrq-trigger ]; then
		[[ "$output" == *"/proc/sysrq-trigger: EROFS"* ]]
	else
		[[ "$output" == *"/proc/sysrq-trigger: ENOENT"* ]]
	fi
	# Masked: an empty file where the host's memory image would be (this
	# host's kernel has none; in lsm.bats's VM, scute-default denies it).
	if [ -e /proc/kcore ]; then
		[[ "$output" == *"kcore: ok 0"* ]]
	else
		[[ "$output" == *"kcore: ENOENT"* ]]
	fi
}

@test "defaults: a process outside the container cannot be ptraced" {
	sleep 60 &
	local victim=$!
	on_teardown "kill $victim"
	# Its own pid namespace: the host's pids are not there to attach to.
	run_ctr probe sys ptrace-attach "$victim"
	[ "$status" -ne 0 ]
	[[ "$output" == EPERM || "$output" == ESRCH ]]
	# Even sharing the host's pid namespace, where the victim is visible.
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	run_ctr probe sys ptrace-attach "$victim"
	[ "$status" -ne 0 ]
	[ "${lines[-1]}" = EPERM ] # (after the runtime's warning about the pid namespace)
	grep -q '^TracerPid:[[:space:]]*0$' /proc/$victim/status
}

@test "defaults: the pids limit stops a fork bomb" {
	[ "$(jq .linux.resources.pids.limit "$BUNDLE/config.json")" = 1024 ]
	run_ctr probe forks 2000
	[ "$status" -eq 1 ]
	# The probe itself is one of the 1024.
	[ "$output" = "1023 EAGAIN" ]
}

@test "defaults: a setuid-root binary runs with the caller's ids (no_new_privs)" {
	local suid=$FILE_DIR/template/rootfs/bin/probe-suid
	cp "$PROBE" "$suid"
	chown 0:0 "$suid"
	chmod 4755 "$suid"
	on_teardown "rm -f $suid"
	cfg '.process.user = {uid: 1000, gid: 1000}'
	run_ctr probe-suid status
	[ "$status" -eq 0 ]
	[ "$(status_field Uid)" = 1000 ]
	[[ "$(printf '%s\n' "$output" | grep '^Uid:')" =~ ^Uid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000 ]]
	# The control: without no_new_privs the same binary becomes root.
	cfg '.process.noNewPrivileges = false'
	run_ctr probe-suid status
	[ "$status" -eq 0 ]
	[[ "$(printf '%s\n' "$output" | grep '^Uid:')" =~ ^Uid:[[:space:]]+1000[[:space:]]+0[[:space:]] ]]
}

@test "CVE-2025-52565: a /dev/console symlink in the image does not redirect the console" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	echo original >"$r/etc/target"
	ln -s ../etc/target "$r/dev/console"
	# The image's own /dev, so that its symlink is there when the runtime
	# puts the pty on /dev/console.
	cfg '.root.path = $r | .mounts |= map(select(.destination != "/dev"))
	     | .process.terminal = true | .process.args = ["sh", "-c", "stat -c %t:%T /dev/console"]' \
		--arg r "$r"
	tty_receiver
	run rt create --console-socket "$TEST_DIR/tty.sock" -b "$BUNDLE" "$ID"
	kill "$TTY_RECEIVER" 2>/dev/null || true
	echo "$output"
	# Refused, without following the link: nothing mounted over its target.
	[ "$status" -ne 0 ]
	[[ "$output" == *"create /dev/console: Too many levels of symbolic links"* ]]
	[ "$(cat "$r/etc/target")" = original ]
	! grep -q "$r/etc/target" /proc/self/mountinfo
	assert_nothing_left
}

# issue 12: mounts and devices

@test "nested linux.devices paths do not follow an image symlink out of the root" {
	local r=$TEST_DIR/rootfs host=$TEST_DIR/hostdir
	cp -a "$FILE_DIR/template/rootfs" "$r"
	mkdir "$host"
	ln -s "$host" "$r/dev/a"
	# The image's own /dev: no tmpfs of the config's between it and the link.
	cfg '.root.path = $r | .mounts |= map(select(.destination != "/dev"))
	     | .linux.devices = [{path: "/dev/a/b/c", type: "c", major: 1, minor: 3}]' --arg r "$r"
	run_ctr true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.devices[0]"*"/dev/a/b/c"*"symbolic links"* ]]
	[ -z "$(ls -A "$host")" ]
	assert_nothing_left
}

@test "nested linux.devices paths: the directories are made inside the root (control)" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	cfg '.root.path = $r | .mounts |= map(select(.destination != "/dev"))
	     | .linux.devices = [{path: "/dev/a/b/c", type: "c", major: 1, minor: 3}]' --arg r "$r"
	run_ctr stat -c %t:%T /dev/a/b/c
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 1:3 ]
	assert_nothing_left
}

# console_create ROOTFS: create with a terminal and the image's own /dev,
# bounded by a timeout (a runtime that opens a FIFO there would hang).
console_create() {
	cfg '.root.path = $r | .mounts |= map(select(.destination != "/dev"))
	     | .process.terminal = true' --arg r "$1"
	tty_receiver
	run timeout 20 "$SCUTE_RUNTIME" --root "$ROOT" create --console-socket "$TEST_DIR/tty.sock" \
		-b "$BUNDLE" "$ID"
	echo "$output"
}

@test "a FIFO at the image's /dev/console does not block create" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	mkfifo "$r/dev/console"
	args sh -c 'stat -c %t /dev/console'
	console_create "$r"
	[ "$status" -eq 0 ]
	# The pty is mounted on a file the runtime made in place of the FIFO.
	grep -q ' /dev/console ' "/proc/$(rt state "$ID" | jq -r .pid)/mountinfo"
	rt delete --force "$ID"
	[ -f "$r/dev/console" ]
	assert_nothing_left
}

@test "a device node at the image's /dev/console is not opened by the runtime" {
	local r=$TEST_DIR/rootfs
	cp -a "$FILE_DIR/template/rootfs" "$r"
	# A device no driver has: opening it would fail with ENXIO.
	mknod "$r/dev/console" c 4000 7
	args true
	console_create "$r"
	[ "$status" -eq 0 ]
	[[ "$output" != *"No such device"* ]]
	rt delete --force "$ID"
	assert_nothing_left
}

# issue 12: hooks, sysctl, seccomp default

# A network namespace of the test's own, named after it, deleted afterwards.
test_netns() {
	NETNS=scute-t$$-$BATS_TEST_NUMBER
	ip netns add "$NETNS"
	on_teardown "ip netns delete $NETNS"
}

@test "sysctl: a config joining the host's namespaces cannot write the host's sysctls" {
	# The test's own namespaces are the host's (and the runtime's).
	local key ns value before after
	for key in net.ipv4.ip_forward:network:net kernel.msgmax:ipc:ipc kernel.domainname:uts:uts; do
		IFS=: read -r key ns value <<<"$key"
		before=$(cat "/proc/sys/${key//.//}")
		# Should the defence ever fail, the host gets its value back.
		on_teardown "echo '$before' >/proc/sys/${key//.//}"
		# A value the host does not have, so that a write would show.
		case $key in
		net.*) value=$((1 - before)) ;;
		kernel.msgmax) value=$((before + 1)) ;;
		*) value=scute-was-here ;;
		esac
		cfg '.linux.sysctl = {($k): $v} | .linux.namespaces |= map(if .type == $t then .path = $p else . end)' \
			--arg k "$key" --arg v "$value" --arg t "$ns" --arg p "/proc/$$/ns/${ns/network/net}"
		expect_create_error "linux.sysctl.$key: the ${ns} namespace /proc/$$/ns/${ns/network/net} is the runtime's own"
		[ "$(cat "/proc/sys/${key//.//}")" = "$before" ]
	done
}

@test "sysctl: a network namespace joined by path that is not the host's takes net.* sysctls (control)" {
	test_netns
	local before
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": ($v | tostring)} | .linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
		--argjson v $((1 - before)) --arg p "/run/netns/$NETNS"
	run_ctr cat /proc/sys/net/ipv4/ip_forward
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = $((1 - before)) ]
	[ "$(ip netns exec "$NETNS" cat /proc/sys/net/ipv4/ip_forward)" = $((1 - before)) ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$before" ]
}

@test "hooks: a container sharing a pid namespace never sees the runtime or its hooks in it" {
	# Container A; B joins A's pid namespace by path and has hooks. The
	# runtime making B, and the hooks it runs, hold host privileges and
	# fds: none of them may ever be a process of A's namespace.
	pid_ns_owner "${ID}a"
	local rec="echo \"\$(readlink /proc/self/ns/pid) \$(readlink /proc/\$PPID/ns/pid)\" >>$TEST_DIR/seen"
	join_pid_ns
	cfg '.hooks = {prestart: [{path: "/bin/sh", args: ["sh", "-c", $r]}], createRuntime: [{path: "/bin/sh", args: ["sh", "-c", $r]}]}' \
		--arg r "$rec"
	create_ctr true
	local host ctr
	host=$(readlink /proc/$$/ns/pid)
	ctr=$(readlink /proc/"$APID"/ns/pid)
	cat "$TEST_DIR/seen"
	[ "$(readlink /proc/"$PID"/ns/pid)" = "$ctr" ] # B is in A's namespace
	[ "$(wc -l <"$TEST_DIR/seen")" -eq 2 ]
	[ "$(sort -u "$TEST_DIR/seen")" = "$host $host" ]
}

@test "seccomp default: the AF_VSOCK refusal cannot be bypassed through socketcall or the upper half of the argument" {
	sockcall_in_rootfs
	# 4294967336 is 1 << 32 | 40: the kernel takes the family as an int
	# (AF_VSOCK); a filter comparing the whole register would see another
	# value. socketcall carries the family where no filter can read it.
	local try='echo "$(sockcall64 socket 40 1) $(sockcall64 socket 4294967336 1) $(sockcall32 socketcall 40 1)"'
	run_ctr sh -c "$try"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "EPERM ENOSYS EPERM" ]
	# The control: without the profile, each of the three gets a vsock.
	cfg 'del(.linux.seccomp)'
	run_ctr sh -c "$try"
	[ "$output" = "ok ok ok" ]
}

# issue 12: fds and exec

# A copy of the rootfs, writable, and a host file (a copy of probe) that the
# attacks below try to run; sets R, HOST and HOST_SUM.
fd_attack_setup() {
	R=$TEST_DIR/rootfs
	HOST=$TEST_DIR/host-probe
	cp -a "$FILE_DIR/template/rootfs" "$R"
	cp "$PROBE" "$HOST"
	HOST_SUM=$(sha256sum <"$HOST")
	cfg '.root.path = $r | .root.readonly = false' --arg r "$R"
}

# /proc/self/fd/N, then up past any root to the host file.
via_fd() {
	echo "/proc/self/fd/$1/../../../../../../../../..$HOST"
}

@test "issue 12: the init's program found through /proc/self/fd/N never runs a host file" {
	fd_attack_setup
	args sh status
	local n
	for n in $(seq 3 64); do
		ln -sfn "$(via_fd "$n")" "$R/bin/sh"
		run rt --log "$TEST_DIR/log" run -b "$BUNDLE" "$ID"
		[ "$status" -ne 0 ] || { echo "fd $n: $output"; false; }
		[[ "$output" != *CapEff* ]]
		[[ "$output" == *'"sh": executable file not found in $PATH'* ]]
	done
	assert_nothing_left
	[ "$(sha256sum <"$HOST")" = "$HOST_SUM" ]
	# The control: a /bin/sh of the image's own runs.
	ln -sfn probe "$R/bin/sh"
	run rt run -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *CapEff* ]]
}

@test "issue 12: exec's program found through /proc/self/fd/N never runs a host file" {
	fd_attack_setup
	args sleep 60
	rt run -d -b "$BUNDLE" "$ID"
	local n
	for n in $(seq 3 64); do
		# Planted by the container itself.
		rt exec "$ID" ln -sfn "$(via_fd "$n")" /bin/sh
		run rt --log "$TEST_DIR/log" exec "$ID" sh status
		[ "$status" -ne 0 ] || { echo "fd $n: $output"; false; }
		[[ "$output" != *CapEff* ]]
		[[ "$output" == *'"sh": executable file not found in $PATH'* ]]
	done
	[ "$(sha256sum <"$HOST")" = "$HOST_SUM" ]
	rt exec "$ID" ln -sfn probe /bin/sh
	run rt exec "$ID" sh status
	[ "$status" -eq 0 ]
	[[ "$output" == *CapEff* ]]
}

@test "issue 12 (CVE-2016-9962): exec's process, stopped and traced at birth, holds nothing of the host" {
	cfg 'del(.linux.seccomp)' # Kubernetes' "Unconfined"
	tracer_config 6 cont
	rt run -d -b "$BUNDLE" "$ID" >"$TEST_DIR/attack"
	local i
	for i in $(seq 20); do
		run rt exec "$ID" true
		[ "$status" -eq 0 ] || { echo "exec $i: status $status: $output"; cat "$TEST_DIR/attack"; false; }
	done
	attack_report
}

@test "issue 12 (CVE-2016-9962): a process held before its exec is found, and yields nothing" {
	held_exec 8 cont
	run rt exec "$ID" true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "^held " "$TEST_DIR/agent.out"
	attack_report
	grep -q '^saw ' "$TEST_DIR/attack"
}

@test "issue 12: exec completes while the container holds a stolen copy of its socket" {
	held_exec 8 hold
	local t0=$SECONDS
	run timeout 9 "$SCUTE_RUNTIME" --root "$ROOT" exec "$ID" true
	echo "exec took $((SECONDS - t0)) s"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^stole .* socket:' "$TEST_DIR/attack"
	attack_report
}

@test "issue 12: a process the container stops before its exec does not hang exec" {
	held_exec 20 stop
	# (The attacker keeps it stopped for 20 s; exec gives up after 10.)
	run timeout 15 "$SCUTE_RUNTIME" --root "$ROOT" exec "$ID" true
	echo "$output"
	[ "$status" -ne 124 ] # not hung
	[ "$status" -ne 0 ]
	[[ "$output" == *"did not exec within"* ]]
	grep -q '^saw ' "$TEST_DIR/attack"
	! grep -q '^gained\|^hostfd' "$TEST_DIR/attack"
}

# issue 12: state root

# every_verb_refused ROOT PATTERN: each verb on container $ID (and a new
# one) through --root ROOT fails and says PATTERN.
every_verb_refused() {
	local root=$1 pattern=$2 verb
	local -a verbs=("create -b $BUNDLE ${ID}new" "start $ID" "state $ID" "kill $ID KILL"
		"kill --all $ID TERM" "delete $ID" "delete --force $ID" "exec $ID true" "list"
		"ps $ID" "events --stats $ID" "pause $ID" "resume $ID"
		"update --pids-limit 10 $ID")
	for verb in "${verbs[@]}"; do
		# shellcheck disable=SC2086
		run "$SCUTE_RUNTIME" --root "$root" $verb
		echo "$verb: $status: $output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"$pattern"* ]]
	done
}

@test "state root: a symlink, a group-writable or foreign root, or an unsafe parent is refused by every verb" {
	create_ctr sleep 100
	# Whatever fails below, the container is cleaned up through a usable root.
	on_teardown "chown 0 '$ROOT'; chmod 700 '$ROOT' '$TEST_DIR'; rt delete --force '$ID'"
	# A symlink to the real root.
	ln -s "$ROOT" "$TEST_DIR/link"
	every_verb_refused "$TEST_DIR/link" "state directory $TEST_DIR/link is a symlink"
	# A refused list prints no table header (or anything else) on stdout.
	run sh -c "'$SCUTE_RUNTIME' --root '$TEST_DIR/link' list 2>/dev/null"
	[ "$status" -ne 0 ] && [ -z "$output" ]
	# Group-writable.
	chmod 770 "$ROOT"
	every_verb_refused "$ROOT" "state directory $ROOT is not private to uid 0"
	chmod 700 "$ROOT"
	# Owned by another user.
	chown 1000 "$ROOT"
	every_verb_refused "$ROOT" "state directory $ROOT is not private to uid 0"
	chown 0 "$ROOT"
	# A parent others may write to (no sticky bit): they could swap the root.
	chmod 777 "$TEST_DIR"
	every_verb_refused "$ROOT" "is writable by others (mode 777)"
	chmod 1777 "$TEST_DIR" # sticky, as /tmp: accepted
	# A parent owned by another user.
	mkdir "$TEST_DIR/theirs"
	chown 1000 "$TEST_DIR/theirs"
	every_verb_refused "$TEST_DIR/theirs/state" "theirs is owned by uid 1000"
	chmod 700 "$TEST_DIR"
	# The container was never touched: the same verbs work through the real root.
	[ "$(rt state "$ID" | jq -r .status)" = created ]
	rt list -q | grep -qx "$ID"
	rt delete --force "$ID"
	assert_nothing_left
}

# evil_state DIR ID: a state.json whose poststop hook leaves a marker.
evil_state() {
	mkdir -p "$1"
	jq -n --arg id "$2" --arg m "$TEST_DIR/marker" '{ociVersion: "1.2.0", id: $id,
		bundle: "/nonexistent", status: "stopped", pid: 0, starttime: 0,
		created: "2026-01-01T00:00:00Z", owner: 0, cgroups: [],
		hooks: {poststop: [{path: "/bin/sh", args: ["sh", "-c", ("touch " + $m)]}]}}' \
		>"$1/state.json"
}

@test "state root: ROOT/ID swapped for a symlink to another directory: its hooks never run" {
	mkdir -p -m 700 "$ROOT"
	evil_state "$TEST_DIR/elsewhere" "$ID"
	ln -s "$TEST_DIR/elsewhere" "$ROOT/$ID"
	run rt state "$ID"
	[ "$status" -ne 0 ]
	run rt delete "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	run rt delete --force "$ID"
	echo "$output"
	[ ! -e "$TEST_DIR/marker" ]
	# Only the planted name went; what it pointed to is untouched.
	[ ! -L "$ROOT/$ID" ]
	[ -f "$TEST_DIR/elsewhere/state.json" ]
	# The control: the same state in a real directory of the root runs it.
	evil_state "$ROOT/${ID}ctl" "${ID}ctl"
	chmod 700 "$ROOT/${ID}ctl"
	rt delete "${ID}ctl"
	[ -e "$TEST_DIR/marker" ]
}
