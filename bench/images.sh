#!/bin/bash
# Images into an empty store, side by side in one run: `scute load` vs
# `docker load` (dockerd 20.10) vs `podman load` of the same multi-layer
# Debian archive, and `scute pull` vs `docker pull` vs `podman pull` of it
# from one local docker-registry (plain HTTP on 127.0.0.1). Rounds
# alternate the tools; each run starts from an empty store (the tool's
# own removal, untimed). Prints the median wall time and peak RSS of each
# (for docker the work is dockerd's: the highest of its VmHWM, a high-water
# mark over each dockerd's life, is shown instead of the CLI's). Every engine runs under a
# temporary root on the same filesystem, and is stopped at the end.
#
#   bench/images.sh [ROUNDS]    (BENCH_ROOTFS=FILE.tar reuses a Debian rootfs)
set -euo pipefail
rounds=${1:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
scute=${SCUTE:-$src/build/scute}
for tool in dockerd docker podman docker-registry skopeo mmdebstrap python3 jq; do
	command -v $tool >/dev/null || { echo "bench needs $tool"; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench needs GNU time (apt-get install time)"; exit 1; }
[ -x "$scute" ] || { echo "bench needs a build: $scute"; exit 1; }

work=$(mktemp -d /var/tmp/scute-bench-images.XXXXXX)
cleanup() {
	set +e
	for p in docker registry; do
		[ -f "$work/$p.pid" ] && kill "$(cat "$work/$p.pid")" 2>/dev/null
	done
	sleep 2
	awk -v d="$work" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
	[ -e "$work/had-run-containerd" ] || rm -rf /run/containerd
	for d in /sys/fs/cgroup/*/docker; do
		[ -e "$work/had-docker-cgroup" ] || { [ -d "$d" ] && rmdir "$d" 2>/dev/null; }
	done
	rm -rf "$work"
}
trap cleanup EXIT
[ -e /run/containerd ] && touch "$work/had-run-containerd"
ls -d /sys/fs/cgroup/*/docker >/dev/null 2>&1 && touch "$work/had-docker-cgroup"

# ---- the archive: a minimal Debian (mmdebstrap) and two layers above it ----
rootfs=${BENCH_ROOTFS:-}
if [ -z "$rootfs" ]; then
	rootfs=$work/debian.tar
	mmdebstrap --quiet --variant=minbase --include=ca-certificates,less bookworm "$rootfs" >/dev/null
fi
python3 - "$rootfs" "$work/debian.docker.tar" <<'EOF'
import gzip, hashlib, io, json, os, sys, tarfile
base = open(sys.argv[1], "rb").read()
def layer(files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for name, data in files:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()
tars = [base,
        layer([("opt/data/%d" % i, os.urandom(1 << 20)) for i in range(8)]),
        layer([("etc/motd", b"bench\n"), ("opt/text", b"scute " * 400000)])]
ids = ["sha256:" + hashlib.sha256(t).hexdigest() for t in tars]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
                  "config": {"Cmd": ["/bin/bash"]},
                  "rootfs": {"type": "layers", "diff_ids": ids},
                  "history": [{"created_by": "layer %d" % i} for i in range(3)]}).encode()
with tarfile.open(sys.argv[2], "w") as out:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000
        out.addfile(ti, io.BytesIO(data))
    names = []
    for i, t in enumerate(tars):
        n = "%064x/layer.tar" % (i + 1)
        add(n, gzip.compress(t, compresslevel=6, mtime=0)); names.append(n)
    cname = hashlib.sha256(cfg).hexdigest() + ".json"
    add(cname, cfg)
    add("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["bench/debian:1"],
                                      "Layers": names}]).encode())
EOF
archive=$work/debian.docker.tar

# ---- the peers, under $work ----
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
	"$work/registry" "$port" >"$work/registry.yml"
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
echo $! >"$work/registry.pid"
export DOCKER_HOST=unix://$work/docker.sock
# start_dockerd ROOT / stop_dockerd: dockerd on a data-root of its own,
# stopped gracefully; its VmHWM (peak RSS) is kept in $work/docker-hwm.
start_dockerd() {
	dockerd --data-root "$1" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
		-H "$DOCKER_HOST" --bridge none --iptables=false --ip6tables=false --ip-masq=false \
		--storage-driver overlay2 >>"$work/dockerd.log" 2>&1 &
	for _ in $(seq 200); do
		docker version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "dockerd did not start: $work/dockerd.log"
	exit 1
}
stop_dockerd() {
	local pid
	[ -f "$work/docker.pid" ] || return 0
	pid=$(cat "$work/docker.pid")
	awk '/VmHWM/ { print $2 }' "/proc/$pid/status" >>"$work/docker-hwm"
	kill "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	rm -f "$work/docker.pid"
}
start_dockerd "$work/roots/docker-0"
for _ in $(seq 200); do
	curl -s "http://127.0.0.1:$port/v2/" >/dev/null && break
	sleep 0.1
done
ref=127.0.0.1:$port/bench/debian:1
skopeo copy -q --dest-tls-verify=false "docker-archive:$archive" "docker://$ref"
# The tools under their temporary roots, as commands GNU time can run.
# Every run gets a new, never used root (dockerd is restarted on its new
# data-root, untimed), and the old ones are removed only after the last
# timed run: this machine's ext4 has no journal, and there the kernel's
# inode allocator steps over every inode of a block group deleted in the
# last minutes (recently_deleted), so removing 10k files just before a run
# makes the next one that allocates there several times slower (scute's
# load: 1.6 s, then 3.8, 6.7, 9.2 s in a row after rm -rf of the store;
# docker's after its own rmi alike). Nothing is deleted while the bench
# times.
mkdir -p "$work/bin"
printf '#!/bin/sh\nr=$(cat %s/pm-root)\nexec podman --root "$r" --runroot %s/prun --storage-driver overlay --cgroup-manager cgroupfs --events-backend none "$@"\n' \
	"$work" "$work" >"$work/bin/pm"
printf '#!/bin/sh\nexec %s --root "$(cat %s/sc-root)" --config %s "$@"\n' "$scute" "$work" "$work/scute.json" >"$work/bin/sc"
chmod +x "$work/bin/pm" "$work/bin/sc"
export PATH=$work/bin:$PATH
echo '{}' >"$work/scute.json"
fresh=0
mkdir -p "$work/roots"

# empty STORE: a new root (scute, podman) or docker's own removal (untimed)
empty() {
	fresh=$((fresh + 1))
	case $1 in
	scute) echo "$work/roots/scute-$fresh" >"$work/sc-root" ;;
	docker) stop_dockerd && start_dockerd "$work/roots/docker-$fresh" ;;
	podman) echo "$work/roots/podman-$fresh" >"$work/pm-root" ;;
	esac
	sync
}

# run NAME KIND COMMAND...: one timed run; appends "KIND NAME SECONDS KB".
run() {
	local name=$1 kind=$2
	shift 2
	empty "$name"
	/usr/bin/time -o "$work/t" -f '%e %M' "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
	echo "$kind $name $(cat "$work/t")" >>"$work/times"
}

for r in $(seq "$rounds"); do
	run scute load sc load -i "$archive"
	run docker load docker load -i "$archive"
	run podman load pm load -q -i "$archive"
	run scute pull sc pull "$ref"
	run docker pull docker pull -q "$ref"
	run podman pull pm pull -q --tls-verify=false "$ref"
done
stop_dockerd
dockerd_hwm=$(sort -n "$work/docker-hwm" | tail -n1)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "== images into an empty store: $rounds rounds, median wall time, peak RSS"
echo "   archive: $(du -m "$archive" | cut -f1) MB (3 gzip layers, $(du -m "$rootfs" | cut -f1) MB Debian base)"
echo "   $(dockerd --version), podman $(podman --version | awk '{print $3}'), $(date -u +%F)"
for kind in load pull; do
	s=$(awk -v k=$kind '$1 == k && $2 == "scute" { print $3 }' "$work/times" | median)
	for name in scute docker podman; do
		t=$(awk -v k=$kind -v n=$name '$1 == k && $2 == n { print $3 }' "$work/times" | median)
		m=$(awk -v k=$kind -v n=$name '$1 == k && $2 == n { print $4 }' "$work/times" | sort -n | tail -n1)
		[ $name = docker ] && m="$dockerd_hwm (dockerd VmHWM)"
		awk -v k=$kind -v n=$name -v t="$t" -v s="$s" -v m="$m" \
			'BEGIN { printf "   %s %-7s %6.2f s  %5.2fx scute  peak RSS %s KiB\n", k, n, t, t / s, m }'
	done
done
