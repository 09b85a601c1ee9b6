# Shared by the engine suites (containerd, docker, podman): each starts its
# engine under a temporary root in setup_file, points it at the built
# scute-runtime, and in teardown_file stops it and removes what it and the
# containers left: mounts, processes, cgroup parents and run directories
# that did not exist before.

load helpers

# The busybox image archive every engine imports (scripts/mkimage.sh).
make_image() {
	SCUTE_RUNTIME=$SCUTE_RUNTIME "$SRC_ROOT/scripts/mkimage.sh" "$ENGINE_DIR/busybox.tar" "$PROBE"
}

# remember_absent PATH...: those missing now are removed at the end.
remember_absent() {
	local p
	for p in "$@"; do
		[ -e "$p" ] || echo "$p" >>"$ENGINE_DIR/absent"
	done
}

# Cgroup parents an engine asks the runtime to create (/docker, /default,
# /libpod_parent) in every hierarchy.
remember_cgroup_parent() {
	local d
	for d in /sys/fs/cgroup/*/ /sys/fs/cgroup/unified/; do
		remember_absent "$d$1"
	done
}

# Kill PIDFILE's process (TERM, then KILL after 20 s) and wait for it.
stop_daemon() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 200); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

engine_cleanup() {
	local m p
	# Shims and their containers are children of nothing we wait for.
	pkill -9 -f "containerd-shim.*$ENGINE_DIR" 2>/dev/null || true
	pkill -9 -f "conmon.*$ENGINE_DIR" 2>/dev/null || true
	for _ in $(seq 50); do
		pgrep -f "(containerd-shim|conmon).*$ENGINE_DIR" >/dev/null || break
		sleep 0.1
	done
	for m in $(awk -v d="$ENGINE_DIR" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	if [ -f "$ENGINE_DIR/absent" ]; then
		# Deepest first; a cgroup is removed once its children are.
		while read -r p; do
			if [ -d "$p" ]; then
				find "$p" -depth -type d -exec rmdir {} \; 2>/dev/null || true
			fi
			rm -rf "$p" 2>/dev/null || true
		done < <(sort -r "$ENGINE_DIR/absent")
	fi
	rm -rf "$ENGINE_DIR"
}

# wait_for CMD...: retry for up to 20 s.
wait_for() {
	for _ in $(seq 200); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
