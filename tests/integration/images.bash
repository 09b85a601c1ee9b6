# Shared setup for the image tests: a store, an engine config and a
# victim directory per test, archives from tests/integration/mkarchive.py
# and from podman (a real peer, under a temporary root). Everything is
# under the test's own directory and removed with it.

SRC_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD_DIR=${SCUTE_BUILD_DIR:-$SRC_ROOT/build}
SCUTE=${SCUTE:-$BUILD_DIR/scute}
MKARCHIVE=$BATS_TEST_DIRNAME/mkarchive.py

setup() {
	TEST_DIR=$(mktemp -d /tmp/scute-img.XXXXXX)
	STORE=$TEST_DIR/store
	VICTIM=$TEST_DIR/victim
	mkdir -p "$VICTIM"
	echo keep >"$VICTIM/file"
	echo '{}' >"$TEST_DIR/scute.json"
}

teardown() {
	local c
	for c in "${CLEANUP[@]}"; do
		eval "$c" >/dev/null 2>&1 || true
	done
	rm -rf "$TEST_DIR"
}

CLEANUP=()
on_teardown() {
	CLEANUP+=("$1")
}

sc() {
	"$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" "$@"
}

# sc_exec ARGS: scute in place of the (sub)shell, so that `sc_exec ... &`
# leaves scute's own pid in $!.
sc_exec() {
	exec "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" "$@"
}

# engine_config JSON: the engine config for this test's commands.
engine_config() {
	printf '%s\n' "$1" >"$TEST_DIR/scute.json"
}

archive() {
	python3 "$MKARCHIVE" "$1" "$TEST_DIR/$1.tar" "$VICTIM"
}

db() {
	sqlite3 "$STORE/scute.db" "$@"
}

# The store holds nothing: no image, layer or blob row, no file under
# layers/, blobs/sha256/ or tmp/, and the victim is as it was.
assert_store_empty() {
	local left
	left=$(ls -A "$STORE/layers" "$STORE/blobs/sha256" "$STORE/tmp" 2>/dev/null | grep -v ':$' | grep . || true)
	[ -z "$left" ] || { echo "files left: $left"; return 1; }
	if [ -e "$STORE/scute.db" ]; then
		[ "$(db 'SELECT count(*) FROM images') $(db 'SELECT count(*) FROM layers') $(db 'SELECT count(*) FROM blobs')" = "0 0 0" ] ||
			{ echo "rows left"; return 1; }
	fi
	assert_victim_intact
}

assert_victim_intact() {
	[ "$(ls -A "$VICTIM")" = file ] || { echo "victim changed: $(ls -A "$VICTIM")"; return 1; }
	[ "$(cat "$VICTIM/file")" = keep ]
}

# expect_load_error CASE PATTERN: loading the case fails with exit 125,
# says PATTERN, and leaves nothing.
expect_load_error() {
	archive "$1"
	run sc load -i "$TEST_DIR/$1.tar"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"$2"* ]]
	assert_store_empty
}

# A busybox rootfs tarball.
busybox_rootfs() {
	local d=$TEST_DIR/rootfs
	mkdir -p "$d/bin" "$d/etc"
	cp /bin/busybox "$d/bin/"
	for a in sh ls cat echo true; do ln -sf busybox "$d/bin/$a"; done
	echo scute >"$d/etc/hostname"
	tar -C "$d" -cf "$TEST_DIR/rootfs.tar" .
}

# podman, under the test's own root (vfs: no mounts to clean up; its libpod
# tmp, /run/libpod by default, inside the test's directory too).
pm() {
	podman --root "$TEST_DIR/podman" --runroot "$TEST_DIR/podman-run" --tmpdir "$TEST_DIR/podman-tmp" \
		--storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend none "$@"
}

# The layer directory of the chain ID of image $1's top layer.
top_layer_dir() {
	local top
	top=$(db "SELECT top_layer FROM images WHERE id = '$1'")
	echo "$STORE/layers/${top#sha256:}"
}
