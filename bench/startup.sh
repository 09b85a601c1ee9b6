#!/bin/bash
# Container start path: scute-runtime vs crun vs runc, `run` of /bin/true on
# the same busybox rootfs, (a) each runtime's own default spec, (b) one
# identical hardened config for all three. Rounds alternate the runtimes so
# drift on the machine hits all of them alike. Prints each median, the
# ratios against crun, and peak RSS. Needs root, hyperfine, GNU time, crun,
# runc and a build in ./build.
#
#   bench/startup.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
rounds=${1:-5}
runs=${2:-40}
src=$(cd "$(dirname "$0")/.." && pwd)
scute=${SCUTE_RUNTIME:-$src/build/scute-runtime}
work=$(mktemp -d /tmp/scute-bench.XXXXXX)
mounted_hugetlb=
cleanup() {
	for rt in scute crun runc; do
		for d in "$work/state-$rt"-*; do
			[ -d "$d" ] || continue
			"$(cmd_of $rt)" --root "$d" delete -f bench >/dev/null 2>&1 || true
		done
	done
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
	[ -z "$mounted_hugetlb" ] || { umount /sys/fs/cgroup/hugetlb && rmdir /sys/fs/cgroup/hugetlb; }
}
cmd_of() { case $1 in scute) echo "$scute" ;; *) echo "$1" ;; esac; }
trap cleanup EXIT

for tool in hyperfine crun runc jq; do
	command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)"; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench needs GNU time (apt-get install time)"; exit 1; }

# crun refuses hybrid hosts whose cgroup2 still offers a controller; on this
# kind of machine that is hugetlb, which a v1 mount takes away from it. (The
# kernel hands it back to cgroup2 lazily after an unmount, so look at the
# mount, not at cgroup.controllers.)
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
	mkdir -p /sys/fs/cgroup/hugetlb
	mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
	mounted_hugetlb=1
	for _ in $(seq 100); do # cgroup2 lets go of the controller lazily
		[ -z "$(cat /sys/fs/cgroup/unified/cgroup.controllers)" ] && break
		sleep 0.05
	done
fi

SCUTE_RUNTIME=$scute "$src/scripts/mkbundle.sh" "$work/rootfs-bundle" >/dev/null
rootfs=$work/rootfs-bundle/rootfs

# bundle NAME SPEC-COMMAND: a bundle whose config comes from SPEC-COMMAND.
bundle() {
	local dir=$work/$1
	mkdir -p "$dir"
	(cd "$dir" && eval "$2")
	jq --arg r "$rootfs" '.root.path = $r | .root.readonly = true
		| .process.terminal = false | .process.args = ["/bin/true"]' \
		"$dir/config.json" >"$dir/c" && mv "$dir/c" "$dir/config.json"
}
bundle own-scute "$scute spec"
bundle own-crun "crun spec"
bundle own-runc "runc spec"
# crun 1.8 knows runtime-spec versions up to 1.1 only; the content is the same.
bundle hardened "$scute spec && jq '.ociVersion = \"1.0.2\"' config.json >c && mv c config.json"

measure() { # measure LABEL BUNDLE-FOR-scute BUNDLE-FOR-crun BUNDLE-FOR-runc
	local label=$1 b_scute=$2 b_crun=$3 b_runc=$4 r rt
	: >"$work/times-$label"
	for r in $(seq "$rounds"); do
		for rt in scute crun runc; do
			local b=b_$rt
			hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" \
				"$(cmd_of $rt) --root $work/state-$rt-$label run -b $work/${!b} bench" \
				>"$work/h.log" 2>&1 || {
				cat "$work/h.log"
				"$(cmd_of $rt)" --root "$work/state-$rt-$label" run -b "$work/${!b}" bench
				exit 1
			}
			jq -r --arg rt "$rt" '.results[0].times[] | "\($rt) \(.)"' "$work/h.json" \
				>>"$work/times-$label"
		done
	done
	for rt in scute crun runc; do
		local b=b_$rt rss
		rss=$(/usr/bin/time -f %M "$(cmd_of $rt)" --root "$work/state-$rt-$label" run \
			-b "$work/${!b}" bench 2>&1 >/dev/null | tail -n1)
		echo "$rt rss $rss" >>"$work/times-$label"
	done
	echo "== $label: $rounds rounds x $runs runs each, median wall time"
	local crun_med
	crun_med=$(median "$work/times-$label" crun)
	for rt in scute crun runc; do
		local med
		med=$(median "$work/times-$label" "$rt")
		awk -v rt="$rt" -v m="$med" -v c="$crun_med" \
			-v rss="$(awk -v rt="$rt" '$1 == rt && $2 == "rss" { print $3 }' "$work/times-$label")" \
			'BEGIN { printf "  %-6s median %7.2f ms  (%.2fx crun)  peak RSS %6d KiB\n", rt, m * 1000, m / c, rss }'
	done
}

median() { # median FILE RUNTIME: of the seconds recorded for RUNTIME
	awk -v rt="$2" '$1 == rt && $2 != "rss" { print $2 }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "$(date -u +%Y-%m-%d) $(uname -r), $(nproc) cores; scute-runtime $($scute --version | head -n1 | awk '{print $3}'), $(crun --version | head -n1), $(runc --version | head -n1)"
measure own own-scute own-crun own-runc
measure hardened hardened hardened hardened
