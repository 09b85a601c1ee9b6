#!/bin/sh
# Run inside ../shared/tools/vm-run (AppArmor on, Debian 12's stock kernel)
# by engine_lsm_vm.bats: what `scute run` confines with where the host
# runs AppArmor: scute's default profile by default, the hardening guides'
# apparmor=docker-default as scute's profile when no profile of that name
# is loaded, a profile of the operator's, unconfined, and a missing one.
set -eu
cd "$(dirname "$0")/../.."
build=${SCUTE_BUILD_DIR:-build}
t=$(mktemp -d /tmp/engine-lsm.XXXXXX)
# the guest's / is an overlay, which cannot be an upper directory
mount -t tmpfs tmpfs "$t"
printf '{"exec-root": "%s/run"}\n' "$t" >"$t/scute.json"
sc() { "$build/scute" --root "$t/store" --config "$t/scute.json" "$@"; }
SCUTE_RUNTIME=$build/scute-runtime scripts/mkbundle.sh "$t/b" "$build/tests/probe" >/dev/null
tar -C "$t/b/rootfs" -cf "$t/rootfs.tar" .
sc import "$t/rootfs.tar" scute-test/bb:1 >/dev/null
show() { # NAME ARGS...: the label the container runs under, prefixed
	name=$1
	shift
	sc run --rm "$@" scute-test/bb:1 cat /proc/self/attr/current 2>&1 | sed "s/^/$name: /" || true
}
show default
show docker-default --security-opt apparmor=docker-default
echo 'profile scute-test flags=(attach_disconnected) { file, capability, network, signal, umount, deny /proc/version r, }' |
	apparmor_parser -r
show test --security-opt apparmor=scute-test
sc run --rm --security-opt apparmor=scute-test scute-test/bb:1 probe read /proc/version 2>&1 |
	sed 's/^/test read: /' || true
show unconfined --security-opt apparmor=unconfined
sc run --rm --security-opt apparmor=scute-nope scute-test/bb:1 true >"$t/out" 2>&1 && echo "missing: ran" ||
	echo "missing: $? $(cat "$t/out")"
echo "--- left: $(sc ps -aq | wc -l) containers, $(grep -c "$t/store" /proc/self/mountinfo) mounts"
umount -l "$t"
