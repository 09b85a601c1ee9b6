#!/bin/bash
# The engine's container start, side by side in one run: `scute run --rm
# IMAGE true` vs `docker run --rm --network none` (dockerd 20.10 + runc)
# vs `podman run --rm --network none` (podman 4.3 + crun), all on the same
# busybox image (imported by scute, `scute save` loaded into the others),
# and `scute-runtime run` of a bundle with the same rootfs and the
# hardened config as the floor. Rounds alternate the tools, so drift on
# the machine hits all alike; each round is one hyperfine per tool.
# Then `scute ps -a` over 1000 stored containers and `scute inspect` of
# one of them. Every engine runs under a temporary root, stopped at the end.
#
#   bench/engine.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
rounds=${1:-5}
runs=${2:-20}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SCUTE_BUILD_DIR:-$src/build}
scute=${SCUTE:-$build/scute}
runtime=${SCUTE_RUNTIME:-$build/scute-runtime}
for tool in dockerd docker podman hyperfine jq; do
	command -v $tool >/dev/null || { echo "bench needs $tool"; exit 1; }
done
[ -x "$scute" ] && [ -x "$runtime" ] || { echo "bench needs a build: $scute"; exit 1; }

work=$(mktemp -d /var/tmp/scute-bench-engine.XXXXXX)
cleanup() {
	set +e
	"$work/bin/sc" ps -aq --no-trunc 2>/dev/null | xargs -r "$work/bin/sc" rm -f >/dev/null 2>&1
	[ -f "$work/docker.pid" ] && kill "$(cat "$work/docker.pid")" 2>/dev/null && sleep 2
	"$runtime" --root "$work/rt-state" delete -f bench >/dev/null 2>&1
	awk -v d="$work" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
	[ -e "$work/had-run-containerd" ] || rm -rf /run/containerd
	for d in /sys/fs/cgroup/*/docker /sys/fs/cgroup/*/libpod_parent; do
		[ -e "$work/had-peer-cgroups" ] || { [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; }
	done
	rm -rf "$work"
}
trap cleanup EXIT
[ -e /run/containerd ] && touch "$work/had-run-containerd"
ls -d /sys/fs/cgroup/*/docker /sys/fs/cgroup/*/libpod_parent >/dev/null 2>&1 && touch "$work/had-peer-cgroups"

# ---- the image and the floor's bundle: one busybox rootfs ----
SCUTE_RUNTIME=$runtime "$src/scripts/mkbundle.sh" "$work/bundle" >/dev/null
jq '.process.args = ["true"] | .root.readonly = false' "$work/bundle/config.json" >"$work/c.json"
mv "$work/c.json" "$work/bundle/config.json"
tar -C "$work/bundle/rootfs" -cf "$work/rootfs.tar" .
mkdir -p "$work/bin"
printf '{"exec-root": "%s/scute-run"}\n' "$work" >"$work/scute.json"
printf '#!/bin/sh\nexec %s --root %s/scute --config %s "$@"\n' "$scute" "$work" "$work/scute.json" >"$work/bin/sc"
# podman asks for more open files and processes than this machine lets a
# container have (RLIMIT_NOFILE's hard limit is 20000, REFERENCE.md §4; its
# runc refused even the host's own hard limits): scute's nofile, 4096 procs
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n' >"$work/containers.conf"
printf '#!/bin/sh\nCONTAINERS_CONF=%s/containers.conf exec podman --root %s/podman --runroot %s/prun --storage-driver overlay --cgroup-manager cgroupfs --events-backend none "$@"\n' \
	"$work" "$work" "$work" >"$work/bin/pm"
chmod +x "$work/bin/sc" "$work/bin/pm"
export PATH=$work/bin:$PATH
image=bench/busybox:1
sc import "$work/rootfs.tar" "$image" >/dev/null
sc save -o "$work/image.tar" "$image"
pm load -q -i "$work/image.tar" >/dev/null

export DOCKER_HOST=unix://$work/docker.sock
dockerd --data-root "$work/docker" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
	-H "$DOCKER_HOST" --bridge none --iptables=false --ip6tables=false --ip-masq=false \
	--storage-driver overlay2 >"$work/dockerd.log" 2>&1 &
for _ in $(seq 200); do
	docker version >/dev/null 2>&1 && break
	sleep 0.1
done
docker load -q -i "$work/image.tar" >/dev/null

# ---- container start: alternating rounds ----
declare -A cmds=(
	[scute]="sc run --rm $image true"
	[docker]="docker run --rm --network none $image true"
	[podman]="pm run --rm --network none $image true"
	[scute-runtime]="$runtime --root $work/rt-state run -b $work/bundle bench"
)
order=(scute docker podman scute-runtime)
for name in "${order[@]}"; do ${cmds[$name]} >/dev/null; done # warm every cache once
for r in $(seq "$rounds"); do
	for name in "${order[@]}"; do
		hyperfine -N -w 2 -r "$runs" --export-json "$work/$name-$r.json" "${cmds[$name]}" >/dev/null 2>&1 ||
			{ echo "$name failed: ${cmds[$name]}"; ${cmds[$name]}; exit 1; }
	done
done
median_ms() { # the median of each round's median, in ms
	for f in "$work/$1"-*.json; do jq '.results[0].median * 1000' "$f"; done |
		sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "== container start (run --rm IMAGE true): $rounds rounds x $runs runs, median"
echo "   $(dockerd --version), podman $(podman --version | awk '{print $3}'), $(date -u +%F), $(nproc) CPUs"
s=$(median_ms scute)
for name in "${order[@]}"; do
	awk -v n="$name" -v t="$(median_ms "$name")" -v s="$s" \
		'BEGIN { printf "   %-14s %7.1f ms  %6.2fx scute\n", n, t, t / s }'
done

# ---- the store: ps -a over 1000 containers, inspect of one ----
for i in $(seq 1000); do echo "sc create --name c$i --label n=$i $image true"; done |
	xargs -P 2 -I{} sh -c '{} >/dev/null'
hyperfine -N -w 3 -r 30 --export-json "$work/ps.json" "sc ps -a" "sc inspect c500" >/dev/null 2>&1
echo "== the store, 1000 containers: median"
jq -r '.results[] | "   \(.command | sub("^sc "; "scute "))  \(.median * 1000 | . * 10 | round / 10) ms"' "$work/ps.json"
