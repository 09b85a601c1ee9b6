#!/usr/bin/env bats
# scute create against dockerd 20.10's create, the same flags on the same
# image (one archive loaded into both): the fields of inspect that the
# flags and the image's config set must be docker's, but for the
# differences listed in normalize(), each of them on purpose. dockerd runs
# under a temporary root with no bridge and no iptables (engines.bash).

load engines

SCUTE=${SCUTE:-$BUILD_DIR/scute}

setup_file() {
	command -v dockerd >/dev/null || skip "dockerd (docker.io) is not installed"
	export ENGINE_DIR DOCKER_HOST STORE
	ENGINE_DIR=$(mktemp -d /tmp/scute-docker-cmp.XXXXXX)
	DOCKER_HOST=unix://$ENGINE_DIR/docker.sock
	STORE=$ENGINE_DIR/store
	remember_cgroup_parent docker
	remember_absent /run/containerd
	dockerd --data-root "$ENGINE_DIR/data" --exec-root "$ENGINE_DIR/exec" \
		--pidfile "$ENGINE_DIR/docker.pid" -H "$DOCKER_HOST" --bridge none \
		--iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
		--storage-driver overlay2 >"$ENGINE_DIR/dockerd.log" 2>&1 &
	image_archive "$ENGINE_DIR/img.tar"
	printf '{"exec-root": "%s/run"}\n' "$ENGINE_DIR" >"$ENGINE_DIR/scute.json"
	sc load -i "$ENGINE_DIR/img.tar" >/dev/null
	wait_for docker version
	docker load -i "$ENGINE_DIR/img.tar" >/dev/null
}

teardown_file() {
	[ -n "${ENGINE_DIR:-}" ] || return 0
	local id
	for id in $(sc ps -aq 2>/dev/null); do sc rm -f "$id" >/dev/null 2>&1 || true; done
	docker rm -f $(docker ps -aq) >/dev/null 2>&1 || true
	docker volume prune -f >/dev/null 2>&1 || true
	stop_daemon "$ENGINE_DIR/docker.pid"
	engine_cleanup
}

setup() {
	TEST_DIR=$(mktemp -d /tmp/scute-test.XXXXXX)
}

teardown() {
	rm -rf "$TEST_DIR"
}

sc() {
	"$SCUTE" --root "$STORE" --config "$ENGINE_DIR/scute.json" "$@"
}

# image_archive OUT: a docker archive of a busybox rootfs whose config sets
# what create merges (Env, Cmd, WorkingDir, Labels, Volumes, StopSignal,
# Healthcheck), made by Python, not by either engine.
image_archive() {
	local d=$ENGINE_DIR/rootfs
	mkdir -p "$d/bin" "$d/etc" "$d/tmp"
	cp /bin/busybox "$d/bin/"
	for a in sh ls cat echo true sleep; do ln -sf busybox "$d/bin/$a"; done
	printf 'root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n' >"$d/etc/passwd"
	printf 'root:x:0:\nbob:x:1000:\nwheel:x:10:bob\n' >"$d/etc/group"
	tar -C "$d" -cf "$ENGINE_DIR/rootfs.tar" .
	python3 - "$ENGINE_DIR/rootfs.tar" "$1" <<'PY'
import hashlib, io, json, sys, tarfile
layer = open(sys.argv[1], "rb").read()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
    "config": {"Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "FROM_IMAGE=1", "OVER=image"],
               "Cmd": ["sh", "-c", "echo image"], "WorkingDir": "/tmp",
               "Labels": {"from.image": "yes", "over": "image"}, "Volumes": {"/data": {}},
               "StopSignal": "SIGQUIT",
               "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 30000000000, "Retries": 2}},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
    "history": [{"created_by": "test"}]}).encode()
with tarfile.open(sys.argv[2], "w") as out:
    def add(n, d):
        ti = tarfile.TarInfo(n); ti.size = len(d); out.addfile(ti, io.BytesIO(d))
    add("1/layer.tar", layer)
    c = hashlib.sha256(cfg).hexdigest() + ".json"
    add(c, cfg)
    add("manifest.json", json.dumps([{"Config": c, "RepoTags": ["cmp/bb:1"], "Layers": ["1/layer.tar"]}]).encode())
PY
}

# The compared fields of `inspect`'s first element.
FIELDS='.[0] | {
 Name, Path, Args, Status: .State.Status, Id12: .Id[0:12],
 Config: (.Config | {Cmd, Entrypoint, Env, User, WorkingDir, Labels, Hostname, Domainname,
   StopSignal, StopTimeout, Volumes, Healthcheck, Tty, OpenStdin, AttachStdout}
   # dockerd 20.10 does not keep one order of Env between runs either (the
   # same create gave two in CI): compared sorted, duplicates kept
   | .Env |= (if . then sort else . end)),
 HostConfig: (.HostConfig | {Binds, Mounts, Tmpfs, ReadonlyRootfs, Init, NanoCpus, CpuShares,
   CpuQuota, CpuPeriod, CpusetCpus, CpusetMems, Memory, MemorySwap, MemoryReservation,
   OomKillDisable, OomScoreAdj, PidsLimit, Ulimits, BlkioWeight, Devices, DeviceCgroupRules,
   CapAdd, CapDrop, Privileged, SecurityOpt, Sysctls, GroupAdd, IpcMode, PidMode, UTSMode,
   CgroupnsMode, ShmSize, RestartPolicy, LogConfig, AutoRemove, NetworkMode}
   # dockerd 20.10 lists Binds in no fixed order (it rebuilds the list
   # from a map): compared as a set
   | .Binds |= (if . then sort else . end))

}'

# The differences on purpose, taken out of both sides alike.
NORMALIZE=$(cat <<'JQ'
 # each engine its own ID: the generated hostname is the ID's first 12
 (if .Config.Hostname == .Id12 then .Config.Hostname = "<id12>" else . end)
 | del(.Id12)
 # dockerd 20.10 defaults to the host's cgroup namespace on a cgroup v1
 # host like this one; scute gives every container its own (engine config
 # "default-cgroupns-mode")
 | (if $engine == "docker" and $cgroupns == "" then .HostConfig.CgroupnsMode |= (if . == "host" then "private" else . end) else . end)
 # docker's CLI sends [] for no --device and no --ulimit, scute's nothing:
 # both mean none
 | .HostConfig.Devices |= (if . == [] then null else . end)
 | .HostConfig.Ulimits |= (if . == [] then null else . end)
 # dockerd adds label=disable (SELinux) for --privileged, --pid host and
 # --ipc host; scute records only what was asked: it labels a container
 # only when --security-opt label= asks, so there is nothing to disable
 | (if $engine == "docker" then .HostConfig.SecurityOpt |= (if . == null then . else map(select(. != "label=disable")) | (if . == [] then null else . end) end) else . end)
 # -e NAME with NAME unset here: docker's CLI sends the bare name, which
 # dockerd keeps; scute's leaves it out (run_flags_kv.c), so the container
 # has no such variable either way
 | (if $engine == "docker" then .Config.Env |= map(select(. != "Z")) else . end)
 # dockerd drops --blkio-weight, with a warning, where the blkio root has
 # no blkio.weight (a BFQ-only kernel, as on this machine); scute keeps it
 # and sets blkio.bfq.weight, as runc does
 | (if $engine == "scute" and $noweight == "yes" then .HostConfig.BlkioWeight = 0 else . end)
 # --ipc/--pid container:NAME: each records the other container's own ID
 | .HostConfig.IpcMode |= (if startswith("container:") then "container:<id>" else . end)
 | .HostConfig.PidMode |= (if startswith("container:") then "container:<id>" else . end)
JQ
)

# compare NAME FLAGS... IMAGE [CMD...]: create with both, diff the fields.
compare() {
	local name=$1 cgroupns= noweight=no
	shift
	[ -e /sys/fs/cgroup/blkio/blkio.weight ] || [ ! -d /sys/fs/cgroup/blkio ] || noweight=yes
	[[ " $* " != *" --cgroupns "* ]] || cgroupns=set
	run docker create --network none --name "$name" "$@"
	echo "docker: $output"
	[ "$status" -eq 0 ]
	run sc create --name "$name" "$@"
	echo "scute: $output"
	[ "$status" -eq 0 ]
	docker inspect "$name" | jq -S "$FIELDS" |
		jq -S --arg engine docker --arg cgroupns "$cgroupns" --arg noweight "$noweight" "$NORMALIZE" >"$TEST_DIR/docker.json"
	sc inspect "$name" | jq -S "$FIELDS" |
		jq -S --arg engine scute --arg cgroupns "$cgroupns" --arg noweight "$noweight" "$NORMALIZE" >"$TEST_DIR/scute.json"
	diff -u "$TEST_DIR/docker.json" "$TEST_DIR/scute.json"
}

@test "docker vs scute: the image's config alone, and NetworkMode none for both" {
	compare plain cmp/bb:1
	# docker's own default network, "default" (its bridge), is not scute's
	docker create --name defnet cmp/bb:1 >/dev/null
	[ "$(docker inspect -f '{{.HostConfig.NetworkMode}}' defnet)" = default ]
	sc create --name defnet cmp/bb:1 >/dev/null
	[ "$(sc inspect -f '{{.HostConfig.NetworkMode}}' defnet)" = none ]
}

@test "docker vs scute: command, environment, labels, user, names, stop" {
	printf 'F=1\nA=0\n' >"$TEST_DIR/env"
	printf 'lf=1\n' >"$TEST_DIR/labels"
	compare cmd1 --env-file "$TEST_DIR/env" -e A=1 -e OVER=run -e Z -l x=y -l over=run \
		--label-file "$TEST_DIR/labels" -u 1000:1000 -w /work -h myhost \
		--domainname example.org --stop-signal SIGTERM --stop-timeout 20 \
		--entrypoint /bin/sh cmp/bb:1 -c 'echo hi'
	compare cmd2 --entrypoint '' -u bob cmp/bb:1 echo x
	compare cmd3 -i cmp/bb:1
}

@test "docker vs scute: healthchecks merged field by field with the image's" {
	compare hc1 --health-cmd true --health-interval 5s --health-timeout 3s \
		--health-retries 4 --health-start-period 1s cmp/bb:1
	compare hc2 --health-interval 7s cmp/bb:1
	compare hc3 --no-healthcheck cmp/bb:1
}

@test "docker vs scute: volumes, binds, mounts, tmpfs, read-only, init" {
	mkdir -p "$TEST_DIR/vol"
	compare vol1 -v "$TEST_DIR/vol:/v1:ro" -v "$TEST_DIR/vol:/v2" -v cmpnamed1:/v3 -v /anon \
		--mount "type=bind,src=$TEST_DIR/vol,dst=/m1,readonly" \
		--mount type=volume,src=cmpnamed2,dst=/m2 --mount type=tmpfs,dst=/m3,tmpfs-size=1m \
		--tmpfs /t1 --tmpfs /t2:rw,size=64k --read-only --init cmp/bb:1
}

@test "docker vs scute: resources" {
	compare res1 --cpus 1.5 --cpu-shares 512 --cpuset-cpus 0 --cpuset-mems 0 -m 64m \
		--memory-swap 128m --memory-reservation 32m --oom-kill-disable --oom-score-adj 100 \
		--pids-limit 50 --ulimit nofile=100:200 --ulimit nproc=10 --blkio-weight 300 \
		--shm-size 32m cmp/bb:1
	[ "$(sc inspect -f '{{.HostConfig.BlkioWeight}}' res1)" = 300 ]
	compare res2 --cpu-quota 50000 --cpu-period 100000 -m 1g cmp/bb:1
}

@test "docker vs scute: devices, capabilities, security options, sysctls, groups" {
	# both CLIs record capabilities as CAP_X, whatever the spelling given
	compare sec1 --device /dev/null:/dev/mynull:rw --device /dev/zero \
		--device-cgroup-rule 'c 1:3 rmw' --cap-add net_admin --cap-add CAP_SYS_TIME \
		--cap-drop chown --cap-drop MKNOD --security-opt no-new-privileges \
		--security-opt apparmor=unconfined --security-opt seccomp=unconfined \
		--sysctl net.ipv4.ip_forward=1 --sysctl kernel.msgmax=65536 \
		--group-add 10 --group-add wheel cmp/bb:1
	compare sec2 --cap-drop ALL --cap-add NET_BIND_SERVICE cmp/bb:1
	compare sec3 --privileged cmp/bb:1
}

@test "docker vs scute: namespaces, restart policies, logging, --rm" {
	compare ns1 --ipc shareable --pid host --uts host --cgroupns private \
		--restart on-failure:3 --log-driver none cmp/bb:1
	compare ns2 --rm --ipc none --log-opt max-size=10m --log-opt max-file=3 cmp/bb:1
	compare ns3 --restart unless-stopped --ipc container:ns1 --pid container:ns1 cmp/bb:1
	[ "$(sc inspect -f '{{.HostConfig.IpcMode}}' ns3)" = "container:$(sc inspect -f '{{.Id}}' ns1)" ]
	compare ns4 --restart always --cgroupns host cmp/bb:1
	run sc create --ipc container:nosuch cmp/bb:1
	[ "$status" -eq 125 ]
	[[ "$output" == *IpcMode*nosuch* ]]
}
