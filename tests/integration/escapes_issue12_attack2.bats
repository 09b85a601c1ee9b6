#!/usr/bin/env bats
# issue 12, attacks on the changes of 2026-12-02: cgroup v1 hierarchies made
# on demand by `update`, each written as the attack.

load helpers

# hold_console_socket: a console socket at $TEST_DIR/sock whose backlog is
# full, so that a connect() to it blocks until $TEST_DIR/go is written;
# then the connections are accepted and the pty fds they bring kept open.
hold_console_socket() {
	mkfifo "$TEST_DIR/go"
	python3 -c '
import signal, socket, sys
path, fifo = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(0)
filler = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
filler.connect(path)
open(fifo).read()
s.settimeout(10)
keep = []
for _ in range(2):
    try:
        c, _a = s.accept()
    except socket.timeout:
        break
    keep.append(c)
    try:
        keep.append(c.recvmsg(4096, socket.CMSG_SPACE(16)))
    except OSError:
        pass
signal.pause()
' "$TEST_DIR/sock" "$TEST_DIR/go" >/dev/null 2>&1 3>&- &
	on_teardown "kill $!"
	wait_socket "$TEST_DIR/sock"
}

# wait_syscall PID NR: until process PID sits in syscall NR (or is gone).
wait_syscall() {
	local _
	for _ in $(seq 100); do
		[ -d /proc/"$1" ] || return 0
		[ "$(cut -d' ' -f1 /proc/"$1"/syscall 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05
	done
	echo "process $1 never reached syscall $2"
	return 1
}

# silent_agent SYSCALL SCRIPT: a python seccomp agent running SCRIPT, which
# listens at argv[1] ($TEST_DIR/agent.sock), creates argv[2] once it is
# ready, and never answers; the container's SYSCALL is notified to it.
silent_agent() {
	python3 -c "$2" "$TEST_DIR/agent.sock" "$TEST_DIR/ready" >/dev/null 2>&1 3>&- &
	on_teardown "kill $!"
	local _
	for _ in $(seq 100); do [ -e "$TEST_DIR/ready" ] && break; sleep 0.1; done
	[ -e "$TEST_DIR/ready" ]
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
		syscalls: [{names: [$n], action: "SCMP_ACT_NOTIFY"}]}' \
		--arg p "$TEST_DIR/agent.sock" --arg n "$1"
}

# run_fails_in_time TEXT: `run -d` fails saying TEXT, neither hanging (the
# timeout's 124 or 137) nor succeeding; delete --force then leaves nothing.
run_fails_in_time() {
	run timeout -k 1 30 "$SCUTE_RUNTIME" --root "$ROOT" run -d -b "$BUNDLE" "$ID" </dev/null 3>&-
	echo "$output"
	[ "$status" -ne 124 ]
	[ "$status" -ne 137 ]
	[ "$status" -ne 0 ]
	[[ "$output" == *"$1"* ]]
	run timeout 10 "$SCUTE_RUNTIME" --root "$ROOT" delete --force "$ID"
	[ "$status" -eq 0 ]
	assert_nothing_left
}

@test "issue 12: an exec racing an update that makes the memory hierarchy runs inside the new limit" {
	[ "$(uname -m)" = x86_64 ] || skip "syscall numbers are x86_64's"
	[ -d /sys/fs/cgroup/memory ] || skip "no cgroup v1 memory hierarchy"
	args sleep 60
	rt run -d -b "$BUNDLE" "$ID"
	# Without a memory limit the container has no memory directory.
	[ ! -e "/sys/fs/cgroup/memory/$ID" ]
	hold_console_socket
	# The exec blocks in its console socket's connect (42), before its
	# helper is spawned (on the code attacked, after it read the state:
	# no memory directory).
	"$SCUTE_RUNTIME" --root "$ROOT" exec -d -t --console-socket "$TEST_DIR/sock" "$ID" sleep 60 \
		>"$TEST_DIR/exec.out" 2>&1 &
	local exec_pid=$!
	wait_syscall "$exec_pid" 42
	# The update makes the memory directory and moves the container in
	# (it must not wait for the blocked exec).
	run timeout 20 "$SCUTE_RUNTIME" --root "$ROOT" update --memory 100000000 "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	echo go >"$TEST_DIR/go"
	wait "$exec_pid" || { cat "$TEST_DIR/exec.out"; false; }
	# Every process of the container, the exec'd one too, is under the limit.
	local procs mem
	procs=$(sort "/sys/fs/cgroup/unified/$ID/cgroup.procs" 2>/dev/null || sort "/sys/fs/cgroup/pids/$ID/cgroup.procs")
	mem=$(sort "/sys/fs/cgroup/memory/$ID/cgroup.procs")
	echo "container: $procs; memory: $mem"
	[ "$(echo "$procs" | wc -l)" -eq 2 ]
	[ "$procs" = "$mem" ]
}

@test "issue 12: a seccomp agent that never answers a notified close does not hang start, nor delete --force" {
	silent_agent close '
import signal, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(8)
open(sys.argv[2], "w").close()
c, _a = s.accept()
keep = c.recvmsg(65536, socket.CMSG_SPACE(16))
signal.pause()
'
	args sleep 60
	run_fails_in_time "seccomp agent at $TEST_DIR/agent.sock: start: nothing from process"
}

@test "issue 12: a seccomp agent that never accepts (its backlog full) does not hang start" {
	silent_agent mkdir '
import signal, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(0)
fill = []
for _ in range(4):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.setblocking(False)
    try:
        c.connect(sys.argv[1])
    except OSError:
        break
    fill.append(c)
open(sys.argv[2], "w").close()
signal.pause()
'
	args true
	run_fails_in_time "listenerPath: connect to $TEST_DIR/agent.sock"
}

@test "issue 12: a process whose leader thread has exited does not make update's move fail, and its threads are under the new limit" {
	[ -d /sys/fs/cgroup/memory ] || skip "no cgroup v1 memory hierarchy"
	[ -d /sys/fs/cgroup/unified ] || skip "no cgroup2 on this hybrid host"
	command -v gcc >/dev/null || skip "no gcc to build the attacker"
	# The attacker: its main thread exits, a second thread lives on (a
	# zombie leader, whose /proc/PID/cgroup no move changes).
	printf '%s\n' '#include <pthread.h>' '#include <unistd.h>' '#include <sys/syscall.h>' \
		'static void *run(void *a) { for (;;) pause(); return a; }' \
		'int main(void) { pthread_t t; pthread_create(&t, 0, run, 0); syscall(SYS_exit, 0); }' \
		>"$TEST_DIR/zl.c"
	gcc -static -pthread -o "$FILE_DIR/template/rootfs/bin/zombie-leader" "$TEST_DIR/zl.c" ||
		skip "no static libc to build the attacker"
	on_teardown "rm -f $FILE_DIR/template/rootfs/bin/zombie-leader"
	args sh -c 'zombie-leader & exec sleep 60'
	rt run -d -b "$BUNDLE" "$ID"
	local leader="" _ p
	for _ in $(seq 100); do
		for p in $(cat "/sys/fs/cgroup/unified/$ID/cgroup.procs"); do
			grep -q '^State:.*Z' /proc/"$p"/status 2>/dev/null && leader=$p
		done
		[ -n "$leader" ] && break
		sleep 0.05
	done
	[ -n "$leader" ]
	run rt update --memory 100000000 "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	# Every thread of the container is under the limit.
	[ "$(sort "/sys/fs/cgroup/unified/$ID/cgroup.threads")" = "$(sort "/sys/fs/cgroup/memory/$ID/tasks")" ]
}
