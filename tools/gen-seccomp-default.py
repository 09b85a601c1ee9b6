#!/usr/bin/env python3
"""Write profiles/seccomp-default.json, scute's default seccomp profile.

    cc -o /tmp/syscall-names tools/syscall-names.c -lseccomp
    /tmp/syscall-names | sort -u > /tmp/names.txt
    tools/gen-seccomp-default.py /tmp/names.txt > profiles/seccomp-default.json

The policy is the lists below; the allow list is every system call libseccomp
knows minus those. A maintainer tool: the build uses the JSON it wrote."""
import json
import sys

allnames = [l.strip() for l in open(sys.argv[1]) if l.strip()]

per_cap = {
 "CAP_SYS_ADMIN": ["mount", "umount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount",
                   "open_tree", "mount_setattr", "pivot_root", "unshare", "setns", "fanotify_init",
                   "sethostname", "setdomainname", "quotactl", "lookup_dcookie"],
 "CAP_SYS_PTRACE": ["ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "process_madvise"],
 "CAP_SYS_BOOT": ["reboot"],
 "CAP_SYS_MODULE": ["init_module", "finit_module", "delete_module"],
 "CAP_SYS_TIME": ["settimeofday", "stime", "clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64"],
 "CAP_SYS_CHROOT": ["chroot"],
 "CAP_SYS_RAWIO": ["iopl", "ioperm"],
 "CAP_SYS_PACCT": ["acct"],
 "CAP_SYSLOG": ["syslog"],
 "CAP_SYS_TTY_CONFIG": ["vhangup"],
 "CAP_DAC_READ_SEARCH": ["open_by_handle_at"],
 "CAP_BPF": ["bpf"],
 "CAP_PERFMON": ["perf_event_open"],
 # Docker's rule: NUMA memory policy only for those trusted with scheduling.
 # move_pages and migrate_pages (denied outright before) move memory of
 # other processes when allowed; they come with the same capability.
 "CAP_SYS_NICE": ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node", "migrate_pages",
                  "move_pages"],
}
always_denied = ["add_key", "keyctl", "request_key", "kexec_load", "kexec_file_load", "userfaultfd",
  "io_uring_setup", "io_uring_enter", "io_uring_register", "nfsservctl", "create_module", "get_kernel_syms",
  "query_module", "uselib", "sysfs", "_sysctl", "ustat", "bdflush", "vm86", "vm86old", "modify_ldt",
  "pciconfig_iobase", "pciconfig_read", "pciconfig_write", "vmsplice", "nice", "swapon", "swapoff", "oldfstat", "oldlstat", "oldolduname", "oldstat", "olduname",
  "sgetmask", "ssetmask", "io_pgetevents", "io_pgetevents_time64"]
# Reserved or never implemented on Linux: left to the default (ENOSYS).
unimplemented = ["afs_syscall", "break", "ftime", "getpmsg", "gtty", "idle", "lock", "mpx", "prof", "profil",
  "putpmsg", "security", "stty", "tuxcall", "ulimit", "vserver"]
arm_only = ["arm_fadvise64_64", "arm_sync_file_range", "breakpoint", "cacheflush", "set_tls", "get_tls", "usr26", "usr32"]
x86_only = ["arch_prctl"]
special = ["clone", "clone3", "personality", "socket", "socketcall"]
# Newer than the profile: the default answers them ENOSYS so libcs fall back.
newer = ["quotactl_fd", "futex_requeue", "futex_wait", "futex_wake", "futex_waitv", "cachestat", "fchmodat2", "map_shadow_stack"]

capped = [n for v in per_cap.values() for n in v]
excluded = set(capped + always_denied + unimplemented + arm_only + x86_only + special + newer)
allow = sorted(n for n in allnames if n not in excluded)

ns_flags = {"CLONE_NEWTIME": 0x80, "CLONE_NEWNS": 0x20000, "CLONE_NEWCGROUP": 0x02000000, "CLONE_NEWUTS": 0x04000000,
            "CLONE_NEWIPC": 0x08000000, "CLONE_NEWUSER": 0x10000000, "CLONE_NEWPID": 0x20000000, "CLONE_NEWNET": 0x40000000}
mask = sum(ns_flags.values())

s = []
s.append({"comment": "Ordinary system calls: everything the kernel offers except what is listed below, which is denied, relaxed per capability, or left to the default (ENOSYS).",
          "names": allow, "action": "SCMP_ACT_ALLOW"})
s.append({"comment": "x86 thread-local storage setup.", "names": x86_only, "action": "SCMP_ACT_ALLOW",
          "includes": {"arches": ["amd64", "x32", "x86", "386"]}})
s.append({"comment": "ARM private calls.", "names": arm_only, "action": "SCMP_ACT_ALLOW",
          "includes": {"arches": ["arm", "arm64"]}})
s.append({"comment": "clone without namespace flags.", "names": ["clone"], "action": "SCMP_ACT_ALLOW",
          "args": [{"index": 0, "value": mask, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
          "excludes": {"caps": ["CAP_SYS_ADMIN"]}})
for name, bit in ns_flags.items():
    s.append({"comment": "clone making a new namespace (%s)." % name, "names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
              "args": [{"index": 0, "value": bit, "valueTwo": bit, "op": "SCMP_CMP_MASKED_EQ"}],
              "excludes": {"caps": ["CAP_SYS_ADMIN"]}})
s.append({"comment": "clone3 cannot be filtered by flags (they are behind a pointer): ENOSYS, and glibc falls back to clone.",
          "names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "excludes": {"caps": ["CAP_SYS_ADMIN"]}})
s.append({"comment": "With CAP_SYS_ADMIN: clone and clone3 with any flags.", "names": ["clone", "clone3"], "action": "SCMP_ACT_ALLOW",
          "includes": {"caps": ["CAP_SYS_ADMIN"]}})
# socketcall (i386's multiplexer) carries its arguments in memory, where no
# filter sees them: it would let any family through. It goes first: given a
# socket rule on x86, libseccomp also writes it for socketcall(SYS_SOCKET),
# without the argument checks, unless socketcall has a rule of its own.
s.append({"comment": "socketcall (i386) hides its arguments from the filter; the direct socket calls (i386 since Linux 4.3) are filtered below.",
          "names": ["socketcall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})
# socket: every address family but AF_ALG (38: CVE-2026-31431, a page-cache
# write through algif_aead) and AF_VSOCK (40: the hypervisor's services),
# as Docker's default. The allowed families are listed with 64-bit compares
# up to the last one Linux knows (AF_MCTP, 45), so a value with junk in its
# upper half (which the kernel truncates to an int) matches none of them and
# gets the default (ENOSYS), as does a family newer than the profile.
AF_ALG, AF_VSOCK, AF_LAST = 38, 40, 45
for fam, what in [(AF_ALG, "AF_ALG"), (AF_VSOCK, "AF_VSOCK")]:
    s.append({"comment": "socket: never %s." % what, "names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
              "args": [{"index": 0, "value": fam, "op": "SCMP_CMP_EQ"}]})
s.append({"comment": "socket: address families 0 to 37.", "names": ["socket"], "action": "SCMP_ACT_ALLOW",
          "args": [{"index": 0, "value": AF_ALG - 1, "op": "SCMP_CMP_LE"}]})
for fam in [f for f in range(AF_ALG + 1, AF_LAST + 1) if f != AF_VSOCK]:
    s.append({"comment": "socket: address family %d." % fam, "names": ["socket"], "action": "SCMP_ACT_ALLOW",
              "args": [{"index": 0, "value": fam, "op": "SCMP_CMP_EQ"}]})
for v, what in [(0x0, "PER_LINUX"), (0x8, "PER_LINUX32"), (0x20000, "UNAME26"), (0x20008, "UNAME26 | PER_LINUX32"), (0xffffffff, "query")]:
    s.append({"comment": "personality: %s only." % what, "names": ["personality"], "action": "SCMP_ACT_ALLOW",
              "args": [{"index": 0, "value": v, "op": "SCMP_CMP_EQ"}]})
s.append({"comment": "Never: the kernel keyring is not namespaced; kexec, obsolete and unsafe interfaces, io_uring, userfaultfd.",
          "names": sorted(always_denied), "action": "SCMP_ACT_ERRNO", "errnoRet": 1})
for cap, names in per_cap.items():
    s.append({"comment": "Needs %s." % cap, "names": names, "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"caps": [cap]}})
    s.append({"comment": "Allowed with %s." % cap, "names": names, "action": "SCMP_ACT_ALLOW", "includes": {"caps": [cap]}})

profile = {
  "comment": "scute's default seccomp profile (Docker profile format). Unknown or newer system calls get ENOSYS so that libcs fall back; known dangerous ones get EPERM unless the container holds the capability that makes them meaningful. The x32 ABI is left out (calls through it are killed): distributions disable it, and every architecture in the filter makes it longer.",
  "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
  "archMap": [
    {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]},
    {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
  "syscalls": s}
json.dump(profile, sys.stdout, indent=1)
sys.stdout.write("\n")
