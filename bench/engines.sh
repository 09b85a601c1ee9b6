#!/bin/bash
# The start of a whole container behind an engine: `docker run --rm busybox
# true` (dockerd 20.10) and `ctr run --rm … true` (containerd 1.6) with
# scute-runtime, crun and runc behind the same engine, rounds alternating the
# runtimes. Each engine runs under a temporary root, as in the tests.
#
#   bench/engines.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
rounds=${1:-3}
runs=${2:-15}
. "$(dirname "$0")/lib.sh"
for tool in dockerd containerd ctr docker; do
	command -v $tool >/dev/null || { echo "bench needs $tool"; exit 1; }
done

eng=$work/engines
mkdir -p "$eng"
engines_cleanup() {
	set +e # every step runs, whatever one before it did
	docker -H "unix://$eng/docker.sock" rm -f $(docker -H "unix://$eng/docker.sock" ps -aq) >/dev/null 2>&1 || true
	for p in docker containerd; do
		[ -f "$eng/$p.pid" ] && kill "$(cat "$eng/$p.pid")" 2>/dev/null || true
	done
	sleep 3
	pkill -9 -f "containerd-shim.*$eng" 2>/dev/null || true
	awk -v d="$eng" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
	for n in docker default; do
		[ -e "$eng/had-$n" ] && continue
		for d in /sys/fs/cgroup/*/$n; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done
	done
	[ -e "$eng/had-run-containerd" ] || rm -rf /run/containerd
	bench_cleanup
}
trap engines_cleanup EXIT
for n in docker default; do ls -d /sys/fs/cgroup/*/$n >/dev/null 2>&1 && touch "$eng/had-$n"; done
# Both containerds put their shims' sockets under /run/containerd.
[ -e /run/containerd ] && touch "$eng/had-run-containerd"

SCUTE_RUNTIME=$scute "$src/scripts/mkimage.sh" "$eng/busybox.tar"

export DOCKER_HOST=unix://$eng/docker.sock
dockerd --data-root "$eng/data" --exec-root "$eng/exec" --pidfile "$eng/docker.pid" \
	-H "$DOCKER_HOST" --bridge none --iptables=false --ip6tables=false --ip-masq=false \
	--userland-proxy=false --storage-driver overlay2 \
	--add-runtime scute="$scute" --add-runtime crun="$(command -v crun)" >"$eng/dockerd.log" 2>&1 &
cat >"$eng/containerd.toml" <<TOML
version = 2
root = "$eng/c-root"
state = "$eng/c-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$eng/c.sock"
[ttrpc]
  address = "$eng/c.sock.ttrpc"
TOML
containerd --config "$eng/containerd.toml" >"$eng/containerd.log" 2>&1 &
echo $! >"$eng/containerd.pid"
for _ in $(seq 200); do
	docker version >/dev/null 2>&1 && ctr -a "$eng/c.sock" version >/dev/null 2>&1 && break
	sleep 0.1
done
docker load -i "$eng/busybox.tar" >/dev/null
ctr -a "$eng/c.sock" images import "$eng/busybox.tar" >/dev/null

# measure_cmds TITLE NAME=COMMAND...: alternating hyperfine rounds.
measure_cmds() {
	local title=$1 times=$work/times-$RANDOM r e
	shift
	for r in $(seq "$rounds"); do
		for e in "$@"; do
			hyperfine --warmup 2 --runs "$runs" --export-json "$work/h.json" "${e#*=}" \
				>"$work/h.log" 2>&1 || { cat "$work/h.log"; exit 1; }
			jq -r --arg n "${e%%=*}" '.results[0].times[] | "\($n) \(.)"' "$work/h.json" >>"$times"
		done
	done
	echo "== $title: $rounds rounds x $runs runs each, median wall time"
	local base
	base=$(median "$times" crun)
	for e in "$@"; do
		awk -v n="${e%%=*}" -v m="$(median "$times" "${e%%=*}")" -v c="$base" \
			'BEGIN { printf "  %-8s median %8.1f ms  (%.2fx crun)\n", n, m * 1000, m / c }'
	done
}

bench_header
echo "  $(dockerd --version), $(containerd --version | awk '{print $1, $3}')"
img=busybox:scute
measure_cmds "docker run --rm --network none $img true" \
	"scute=docker run --rm --network none --runtime scute $img true" \
	"crun=docker run --rm --network none --runtime crun $img true" \
	"runc=docker run --rm --network none --runtime runc $img true"
ctr="ctr -a $eng/c.sock run --rm"
measure_cmds "ctr run --rm docker.io/library/$img true" \
	"scute=$ctr --runc-binary $scute docker.io/library/$img b-scute true" \
	"crun=$ctr --runc-binary $(command -v crun) docker.io/library/$img b-crun true" \
	"runc=$ctr --runc-binary $(command -v runc) docker.io/library/$img b-runc true"
