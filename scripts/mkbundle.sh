#!/bin/sh
# mkbundle.sh DIR [PROBE]: an OCI bundle with a busybox rootfs (from Debian's
# busybox-static) and scute-runtime's hardened config.json.
set -eu
dir=$1
probe=${2:-}
runtime=${SCUTE_RUNTIME:-$(dirname "$0")/../build/scute-runtime}
busybox=$(command -v busybox || echo /bin/busybox)
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" \
	"$dir/rootfs/tmp" "$dir/rootfs/etc" "$dir/rootfs/root"
cp "$busybox" "$dir/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$dir/rootfs/bin/$applet" ] || ln -s busybox "$dir/rootfs/bin/$applet"
done
[ -z "$probe" ] || cp "$probe" "$dir/rootfs/bin/probe"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/rootfs/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' >"$dir/rootfs/etc/group"
chmod 1777 "$dir/rootfs/tmp"
[ -e "$dir/config.json" ] || "$runtime" spec -b "$dir"
