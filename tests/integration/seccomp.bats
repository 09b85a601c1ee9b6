#!/usr/bin/env bats
# linux.seccomp: actions, errno, arguments, architectures, flags, NOTIFY,
# and a profile that forbids execve.

load helpers

# seccomp JSON: set linux.seccomp.
seccomp() {
	cfg ".linux.seccomp = $1"
}

@test "seccomp: the filter is installed (Seccomp: 2) and errnoRet is the errno seen" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [
		{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 28},
		{names: ["unshare"], action: "SCMP_ACT_ERRNO"}]}'
	run_ctr sh -c 'probe status | grep Seccomp; probe sys mkdir /tmp/x; probe sys unshare 0x20000'
	[ "${lines[0]}" = "Seccomp:	2" ]
	[ "${lines[1]}" = ENOSPC ]
	[ "${lines[2]}" = EPERM ]
}

@test "seccomp: defaultErrnoRet and an allow list" {
	seccomp '{defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38, syscalls: [
		{names: ["execve", "brk", "mmap", "munmap", "mprotect", "arch_prctl", "set_tid_address",
			 "exit_group", "write", "getpid", "open", "openat", "read", "close", "fstat",
			 "newfstatat", "prlimit64", "rt_sigaction", "rt_sigprocmask", "uname", "readlinkat",
			 "getrandom", "rseq", "set_robust_list", "ioctl", "lseek", "getdents64", "readlink"],
		 action: "SCMP_ACT_ALLOW"}]}'
	run_ctr probe sys unshare 0
	[ "$output" = ENOSYS ]
	run_ctr probe sys getpid
	[ "$output" = ok ]
}

@test "seccomp: argument rules (personality)" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [
		{names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 13,
		 args: [{index: 0, value: 8, op: "SCMP_CMP_NE"}]},
		{names: ["mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
		 args: [{index: 1, value: 448, valueTwo: 448, op: "SCMP_CMP_MASKED_EQ"}]}]}'
	run_ctr sh -c 'probe sys personality 8; probe sys personality 0x0020000; probe sys personality 0xffffffff'
	[ "${lines[0]}" = ok ]
	[ "${lines[1]}" = EACCES ]
	[ "${lines[2]}" = EACCES ]
}

@test "seccomp: several conditions on one argument are alternatives" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [
		{names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 13,
		 args: [{index: 0, value: 1, op: "SCMP_CMP_EQ"}, {index: 0, value: 2, op: "SCMP_CMP_EQ"}]}]}'
	run_ctr sh -c 'probe sys personality 1; probe sys personality 2; probe sys personality 0'
	[ "${lines[0]}" = EACCES ]
	[ "${lines[1]}" = EACCES ]
	[ "${lines[2]}" = ok ]
}

@test "seccomp: KILL_PROCESS, TRAP and LOG actions" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [
		{names: ["getppid"], action: "SCMP_ACT_LOG"},
		{names: ["unshare"], action: "SCMP_ACT_KILL_PROCESS"},
		{names: ["personality"], action: "SCMP_ACT_TRAP"}]}'
	run_ctr sh -c 'probe sys unshare 0 2>/dev/null; echo "rc=$?"; probe sys personality 0 2>/dev/null; echo "rc=$?"; echo "ppid=$PPID"'
	[[ "$output" == *"rc=159"*"rc=159"* ]] # 128 + SIGSYS, twice
	[[ "$output" == *"ppid=0"* ]]
}

@test "seccomp: x86 (int 0x80) entry points follow the profile when listed" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		  syscalls: [{names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 13}]}'
	run_ctr sh -c 'probe sys getpid; probe sys getpid-i386; probe sys getpid-x32'
	[ "${lines[0]}" = EACCES ]
	[ "${lines[1]}" = EACCES ]
	[ "${lines[2]}" = EACCES ]
	# Not listed: a call through another architecture's entry is killed.
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"], syscalls: []}'
	run_ctr sh -c 'probe sys getpid-i386; echo "rc=$?"'
	[[ "$output" == *"rc=159"* ]]
}

@test "seccomp: flags are accepted and applied" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
		  syscalls: [{names: ["unshare"], action: "SCMP_ACT_ERRNO"}]}'
	run_ctr probe sys unshare 0
	[ "$output" = EPERM ]
}

@test "seccomp: unknown syscall names are skipped and shown with --debug" {
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["no_such_call", "unshare"], action: "SCMP_ACT_ERRNO"}]}'
	args probe sys unshare 0
	run rt --debug run -b "$BUNDLE" "$ID"
	[[ "$output" == *'syscall "no_such_call" unknown here, skipped'* ]]
	[[ "$output" == *EPERM* ]]
}

@test "seccomp: bad actions, operators, architectures, indexes, flags name the field" {
	local c
	for c in '{defaultAction: "SCMP_ACT_FOO"}|linux.seccomp.defaultAction: unknown action "SCMP_ACT_FOO"' \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["x"], action: "SCMP_ACT_NOPE"}]}|linux.seccomp.syscalls[0].action: unknown action' \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["x"], action: "SCMP_ACT_ERRNO", args: [{index: 6, value: 1, op: "SCMP_CMP_EQ"}]}]}|linux.seccomp.syscalls[0].args[0].index: 6 is out of range' \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["x"], action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 1, op: "SCMP_CMP_XX"}]}]}|linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_XX"' \
		'{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_Z80"]}|linux.seccomp.architectures[0]: unknown architecture "SCMP_ARCH_Z80"' \
		'{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_FOO"]}|linux.seccomp.flags[0]: unknown flag' \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["x"], action: "SCMP_ACT_NOTIFY"}]}|SCMP_ACT_NOTIFY needs a listenerPath'; do
		seccomp "${c%%|*}"
		run rt create -b "$BUNDLE" "$ID"
		echo "$output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"${c#*|}"* ]]
		assert_nothing_left
	done
}

@test "seccomp without noNewPrivileges is installed with CAP_SYS_ADMIN, then dropped" {
	cfg '.process.noNewPrivileges = false'
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["unshare"], action: "SCMP_ACT_ERRNO"}]}'
	run_ctr sh -c 'probe status; probe sys unshare 0'
	[ "$(status_field NoNewPrivs)" = 0 ]
	[ "$(status_field Seccomp)" = 2 ]
	[ "$(status_field CapEff)" = 00000000000005fb ]
	[ "${lines[-1]}" = EPERM ]
}

@test "seccomp: a profile that forbids execve still starts the container; later execs fail ENOSYS" {
	cfg '.root.readonly = false'
	seccomp '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["execve", "execveat"], action: "SCMP_ACT_ERRNO"}]}'
	run_ctr sh -c 'echo first-exec-ran; echo data > /tmp/f; read x < /tmp/f; echo "$x"; /bin/true; echo "exec-rc=$?"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = first-exec-ran ]
	[ "${lines[1]}" = data ]
	[[ "$output" == *"/bin/true: Function not implemented"* ]]
	[[ "$output" == *"exec-rc=126"* ]]
	rm -f "$FILE_DIR/template/rootfs/tmp/f"
}

@test "seccomp: SCMP_ACT_NOTIFY hands the listener and the state to the agent" {
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p, listenerMetadata: "meta-1",
		  syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}' --arg p "$TEST_DIR/agent.sock"
	"$PROBE" seccomp-agent "$TEST_DIR/agent.sock" "$TEST_DIR/agent.out" &
	local agent=$!
	for i in $(seq 50); do [ -S "$TEST_DIR/agent.sock" ] && break; sleep 0.05; done
	run_ctr probe sys mkdir /tmp/notified
	wait "$agent"
	cat "$TEST_DIR/agent.out"
	# The agent answered EPERM (its choice) and saw the call and the state.
	[ "$output" = EPERM ]
	grep -q '"metadata":"meta-1"' "$TEST_DIR/agent.out"
	grep -q "\"id\":\"$ID\"" "$TEST_DIR/agent.out"
	grep -q '"fds":\["seccompFd"\]' "$TEST_DIR/agent.out"
	grep -q "^syscall mkdir" "$TEST_DIR/agent.out"
}
