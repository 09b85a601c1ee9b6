#!/bin/sh
# Build a busybox image from Debian's busybox-static (no internet), import
# it into a store of the demo's own, and run it with `scute run --rm` and
# the hardening guides' flags; the container prints what confines it, as
# seen from inside. Needs root and ./build; leaves nothing behind.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SCUTE_BUILD_DIR:-$src/build}
scute=${SCUTE:-$build/scute}
dir=$(mktemp -d /tmp/scute-demo.XXXXXX)
sc() { "$scute" --root "$dir/store" --config "$dir/scute.json" "$@"; }
trap 'sc rm -f demo >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
printf '{"exec-root": "%s/run"}\n' "$dir" >"$dir/scute.json"
SCUTE_RUNTIME=$build/scute-runtime "$src/scripts/mkbundle.sh" "$dir"
cat >"$dir/rootfs/bin/scute-report" <<'REPORT'
names="CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
CHECKPOINT_RESTORE"
caps() { # decode a /proc/self/status capability mask
	mask=$((0x$1)); i=0; out=""
	for n in $names; do
		[ $(((mask >> i) & 1)) -eq 1 ] && out="$out $n"
		i=$((i + 1))
	done
	echo "${out:- (none)}"
}
field() { awk -v f="$1:" '$1 == f { print $2 }' /proc/self/status; }
echo "scute: a hardened container, as seen from inside"
for set in Bnd Prm Eff Inh Amb; do echo "  Cap$set:$(caps "$(field Cap$set)")"; done
echo "  no_new_privs: $(field NoNewPrivs)"
echo "  seccomp: mode $(field Seccomp) (2: a filter is installed)"
unshare -m true 2>/dev/null || echo "  unshare (a new mount namespace): refused"
echo "  pid in its own namespace: $$"
echo "  hostname: $(hostname)"
echo "  user: uid $(id -u), gid $(id -g)"
echo "  open files limit: $(ulimit -n)"
echo "  pids limit (cgroup): $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)"
echo "  memory limit (cgroup): $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max) bytes"
echo "  cpu quota (cgroup): $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max) per $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cut -d' ' -f2 /sys/fs/cgroup/cpu.max) us"
touch /x 2>/dev/null || echo "  root filesystem: read-only"
[ -s /proc/kcore ] || echo "  /proc/kcore, /proc/keys ...: masked"
(echo 1 >/proc/sys/kernel/hostname) 2>/dev/null || echo "  /proc/sys: read-only"
REPORT
tar -C "$dir/rootfs" -cf "$dir/rootfs.tar" .
sc import "$dir/rootfs.tar" scute-demo/busybox:1 >/dev/null
echo "scute run --rm --cap-drop ALL --cap-add NET_BIND_SERVICE --security-opt no-new-privileges \\"
echo "    --memory 128m --cpus .5 --pids-limit 64 --read-only scute-demo/busybox:1"
sc run --rm --name demo --cap-drop ALL --cap-add NET_BIND_SERVICE \
	--security-opt no-new-privileges --memory 128m --cpus .5 --pids-limit 64 --read-only \
	scute-demo/busybox:1 sh /bin/scute-report
