#!/bin/sh
# Run inside ../shared/tools/vm-run (Debian 12's stock kernel, 6.1: no
# overlayfs "lowerdir+") by rootfs_legacy_vm.bats: container roots by the
# legacy mount(2) path, a small stack and one of 250 layers, and removal.
set -eu
cd "$(dirname "$0")/../.."
build=${SCUTE_BUILD_DIR:-build}
tool=$build/tests/rootfs-tool
t=$(mktemp -d /tmp/rootfs-vm.XXXXXX)
# the guest's / is an overlay, which cannot be an upper directory
mount -t tmpfs tmpfs "$t"
echo '{}' >"$t/scute.json"
sc() { "$build/scute" --root "$t/store" --config "$t/scute.json" "$@"; }
python3 tests/integration/mkrootfs.py stack "$t/stack.tar"
python3 tests/integration/mkrootfs.py tall 250 "$t/tall.tar"
sc load -q -i "$t/stack.tar" >/dev/null
sc load -q -i "$t/tall.tar" >/dev/null
mkdir "$t/m"
echo "kernel $(uname -r)"
echo "--- stack"
"$tool" mount "$t/store" scute-test/stack:1 "$t/c1" "$t/m"
echo "shared: $(cat "$t/m/shared") bottom: $(cat "$t/m/only-bottom")"
echo "gone: $(ls "$t/m/etc/gone" 2>&1 | grep -c 'No such file')"
echo "opaque: $(ls -A "$t/m/opaque")"
echo "setuid: $(stat -c %a "$t/m/bin/id")"
echo "options: $(awk -v m="$t/m" '$5 == m { print $6, $NF }' /proc/self/mountinfo)"
echo "dir: $(ls -A "$t/c1" | tr '\n' ' ')"
echo hello >"$t/m/written"
echo "upper: $(cat "$t/c1/upper/written")"
"$tool" umount "$t/store" "$t/c1" "$t/m"
echo "after: mounts $(grep -c " $t/m " /proc/self/mountinfo || true) dir $(ls -d "$t/c1" 2>/dev/null || echo none) rows $(sqlite3 "$t/store/scute.db" 'SELECT count(*) FROM rootfs')"
echo "--- tall"
"$tool" mount "$t/store" scute-test/tall:250 "$t/c2" "$t/m"
echo "tall: $(cat "$t/m/shared") $(ls "$t/m/f" | wc -l)"
"$tool" umount "$t/store" "$t/c2" "$t/m"
echo "after: mounts $(grep -c " $t/m " /proc/self/mountinfo || true) dir $(ls -d "$t/c2" 2>/dev/null || echo none)"
umount "$t"
rmdir "$t"
echo "--- done"
