# Shared by the bench/ scripts (sourced): setup and cleanup, bundles on one
# busybox rootfs, alternating hyperfine rounds, medians and ratios to crun.
# Needs root, hyperfine, GNU time, jq, crun, runc and a build in ./build.

src=$(cd "$(dirname "$0")/.." && pwd)
scute=${SCUTE_RUNTIME:-$src/build/scute-runtime}
work=$(mktemp -d /tmp/scute-bench.XXXXXX)
# The runtimes' state roots live on a tmpfs of the bench's own, as /run is
# on any systemd host (the runtimes' default roots are under /run; this
# kind of VM has /run on its root ext4, whose journal would be measured).
states=$work/states
mounted_hugetlb=

bench_cleanup() {
	local d
	for d in "$states"/state-*; do
		[ -d "$d" ] || continue
		for rt in "$scute" crun runc; do "$rt" --root "$d" delete -f bench >/dev/null 2>&1; done
	done
	! mountpoint -q "$states" || umount "$states"
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
	[ -z "$mounted_hugetlb" ] || { umount /sys/fs/cgroup/hugetlb && rmdir /sys/fs/cgroup/hugetlb; }
}
trap bench_cleanup EXIT
mkdir "$states"
mount -t tmpfs -o size=64m,mode=0700 scute-bench-states "$states"

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
	for _ in $(seq 100); do
		[ -z "$(cat /sys/fs/cgroup/unified/cgroup.controllers)" ] && break
		sleep 0.05
	done
fi

SCUTE_RUNTIME=$scute "$src/scripts/mkbundle.sh" "$work/rootfs-bundle" >/dev/null
rootfs=$work/rootfs-bundle/rootfs

# bundle NAME SPEC-COMMAND [JQ-FILTER]: a bundle running /bin/true whose
# config comes from SPEC-COMMAND, then JQ-FILTER.
bundle() {
	local dir=$work/$1
	mkdir -p "$dir"
	(cd "$dir" && eval "$2")
	jq --arg r "$rootfs" '.root.path = $r | .root.readonly = true
		| .process.terminal = false | .process.args = ["/bin/true"] | '"${3:-.}" \
		"$dir/config.json" >"$dir/c" && mv "$dir/c" "$dir/config.json"
}

bench_header() {
	echo "$(date -u +%Y-%m-%d) $(uname -r), $(nproc) cores; scute-runtime $($scute --version | head -n1 | awk '{print $3}'), $(crun --version | head -n1), $(runc --version | head -n1)"
}

median() { # median FILE NAME: of the seconds recorded for NAME
	awk -v n="$2" '$1 == n && $2 != "rss" { print $2 }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# entry_cmd RUNTIME BUNDLE NAME: the command an entry times; with no
# BUNDLE, RUNTIME is the whole command (a reference such as the floor).
entry_cmd() {
	if [ -n "$2" ]; then echo "$1 --root $states/state-$3 run -b $work/$2 bench"; else echo "$1"; fi
}

# measure TITLE ROUNDS RUNS ENTRY...: each ENTRY is NAME|RUNTIME|BUNDLE|PREPARE
# (PREPARE, a shell command run before each timed run, may be empty). Rounds
# alternate the entries; prints medians, ratios to the entry named crun, and
# the peak RSS of one run of each.
measure() {
	local title=$1 rounds=$2 runs=$3 r e
	shift 3
	local times=$work/times-$RANDOM
	last_times=$times # for a caller that compares with another figure
	for r in $(seq "$rounds"); do
		for e in "$@"; do
			IFS='|' read -r name rt b prep <<<"$e"
			local cmd
			cmd=$(entry_cmd "$rt" "$b" "$name")
			hyperfine -N --warmup 3 --runs "$runs" ${prep:+--prepare "$prep"} \
				--export-json "$work/h.json" "$cmd" >"$work/h.log" 2>&1 || {
				cat "$work/h.log"
				$cmd
				exit 1
			}
			jq -r --arg n "$name" '.results[0].times[] | "\($n) \(.)"' "$work/h.json" >>"$times"
		done
	done
	for e in "$@"; do
		IFS='|' read -r name rt b prep <<<"$e"
		[ -z "$prep" ] || sh -c "$prep"
		# shellcheck disable=SC2046 # the command is words, as hyperfine -N takes it
		echo "$name rss $(/usr/bin/time -f %M $(entry_cmd "$rt" "$b" "$name") 2>&1 >/dev/null | tail -n1)" >>"$times"
	done
	echo "== $title: $rounds rounds x $runs runs each, median wall time"
	local base
	base=$(median "$times" crun)
	for e in "$@"; do
		IFS='|' read -r name rt b prep <<<"$e"
		awk -v n="$name" -v m="$(median "$times" "$name")" -v c="$base" \
			-v rss="$(awk -v n="$name" '$1 == n && $2 == "rss" { print $3 }' "$times")" \
			'BEGIN { printf "  %-12s median %7.2f ms  (%.2fx crun)  peak RSS %6d KiB\n", n, m * 1000, m / c, rss }'
	done
}
