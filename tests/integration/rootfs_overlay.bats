#!/usr/bin/env bats
# Issue 13 item 5: a container's root, an overlay of an image's layers
# with a directory of its own above them (src/engine/rootfs), through
# tests/tools/rootfs-tool: every layer seen with the top one winning,
# whiteouts and opaque directories honoured, writes kept out of the
# shared layers, setuid working, stacks deeper than the old option string
# allowed, a layer swapped for a symlink refused, removal leaving nothing
# and the collector keeping the layers of a mounted root.

load images

TOOL=$BUILD_DIR/tests/rootfs-tool
MKROOTFS=$BATS_TEST_DIRNAME/mkrootfs.py

# load_image CASE [ARGS]: make the case's archive and load it.
load_image() {
	python3 "$MKROOTFS" "$@" "$TEST_DIR/$1.tar"
	sc load -q -i "$TEST_DIR/$1.tar" >/dev/null
}

# mount_root IMAGE NAME: mount IMAGE at $TEST_DIR/NAME.mnt with
# $TEST_DIR/NAME as its directory; MNT and DIR say where.
mount_root() {
	DIR=$TEST_DIR/$2
	MNT=$TEST_DIR/$2.mnt
	mkdir -p "$MNT"
	on_teardown "umount -l '$MNT'"
	"$TOOL" mount "$STORE" "$1" "$DIR" "$MNT"
}

mounted() {
	grep -q " $1 " /proc/self/mountinfo
}

# No layer left: no row, no directory.
assert_no_layers() {
	[ "$(db 'SELECT count(*) FROM layers')" = 0 ]
	[ "$(ls "$STORE/layers" | wc -l)" = 0 ]
}

# expect_tool_error PATTERN ARGS...: rootfs-tool ARGS fails (exit 1) and
# says PATTERN.
expect_tool_error() {
	local pattern=$1
	shift
	run "$TOOL" "$@"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$pattern"* ]]
}

rootfs_rows() {
	db 'SELECT count(*) FROM rootfs'
}

# Every file of the store's layers, with its mode, owner and content.
layers_hash() {
	(cd "$STORE/layers" && find . -printf '%p %m %U:%G %y\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum
}

@test "rootfs: every layer is seen, the top one wins, whiteouts and opaque directories hide" {
	load_image stack
	mount_root scute-test/stack:1 c1
	[ "$(cat "$MNT/only-bottom") $(cat "$MNT/only-middle") $(cat "$MNT/only-top")" = "1 2 3" ]
	[ "$(cat "$MNT/shared")" = top ]
	[ "$(cat "$MNT/etc/hostname")" = top ]
	[ ! -e "$MNT/etc/gone" ]
	[ "$(ls -A "$MNT/opaque")" = new ]
	[ "$(ls -A "$MNT/etc")" = hostname ]
	[ "$(db 'SELECT top_layer FROM rootfs')" = "$(db 'SELECT top_layer FROM images')" ]
}

@test "rootfs: writes go to the upper directory, the layers stay as they were" {
	load_image stack
	before=$(layers_hash)
	mount_root scute-test/stack:1 c1
	echo changed >"$MNT/shared"
	echo more >>"$MNT/only-bottom"
	rm "$MNT/only-middle"
	rm -r "$MNT/opaque"
	mkdir "$MNT/newdir"
	echo new >"$MNT/newdir/file"
	chmod 600 "$MNT/etc/hostname"
	[ "$(cat "$MNT/shared")" = changed ]
	[ "$(cat "$DIR/upper/shared")" = changed ]
	[ "$(cat "$DIR/upper/newdir/file")" = new ]
	[ -c "$DIR/upper/only-middle" ] # a whiteout in the upper
	[ "$(layers_hash)" = "$before" ]
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	[ "$(layers_hash)" = "$before" ]
}

@test "rootfs: a root made unmounted, mounted, unmounted and mounted again keeps its writes" {
	load_image stack
	DIR=$TEST_DIR/c1
	MNT=$TEST_DIR/c1.mnt
	mkdir -p "$MNT"
	on_teardown "umount -l '$MNT'"
	"$TOOL" make "$STORE" scute-test/stack:1 "$DIR" "$MNT"
	! mounted "$MNT"
	[ -d "$DIR/upper" ] && [ -d "$DIR/work" ]
	[ "$(db 'SELECT count(*) FROM rootfs')" = 1 ]
	"$TOOL" remount "$STORE" "$DIR"
	mounted "$MNT"
	"$TOOL" remount "$STORE" "$DIR" # mounted already: nothing to do
	[ "$(grep -c " $MNT " /proc/self/mountinfo)" = 1 ]
	echo kept >"$MNT/written"
	"$TOOL" unmount "$STORE" "$DIR"
	! mounted "$MNT"
	"$TOOL" unmount "$STORE" "$DIR" # not mounted: nothing to do
	[ "$(cat "$DIR/upper/written")" = kept ]
	# the image removed by force: its layers stay for the root, which mounts again
	sc rmi -f scute-test/stack:1 >/dev/null
	sc image prune -a >/dev/null
	"$TOOL" remount "$STORE" "$DIR"
	[ "$(cat "$MNT/written") $(cat "$MNT/shared")" = "kept top" ]
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	[ "$(db 'SELECT count(*) FROM rootfs')" = 0 ]
	[ ! -e "$DIR" ]
	run "$TOOL" remount "$STORE" "$DIR"
	[ "$status" -eq 1 ]
	[[ "$output" == *"[ENOENT] no container root was made in $DIR"* ]]
}

@test "rootfs: setuid and setgid bits are kept and setuid works; nodev, not nosuid" {
	load_image stack
	mount_root scute-test/stack:1 c1
	[ "$(stat -c '%a %u:%g' "$MNT/bin/id")" = "4755 0:0" ]
	[ "$(stat -c '%a %u:%g' "$MNT/bin/sg")" = "2711 12:34" ]
	opts=$(awk -v m="$MNT" '$5 == m { print $6 }' /proc/self/mountinfo)
	[[ ",$opts," == *,nodev,* ]]
	[[ ",$opts," != *,nosuid,* ]]
	# the setuid-root id, run by nobody, has euid 0 (the test's own
	# directory made traversable for nobody)
	chmod 711 "$TEST_DIR"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$MNT/bin/id" -u
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
}

@test "rootfs: 250 layers mount, one fsconfig each, past the old option-string limit" {
	load_image tall 250
	mount_root scute-test/tall:250 c1
	[ "$(cat "$MNT/shared")" = 249 ]
	[ "$(ls "$MNT/f" | wc -l)" = 250 ]
	[ "$(cat "$MNT/f/0") $(cat "$MNT/f/249")" = "0 249" ]
	line=$(grep " $MNT " /proc/self/mountinfo)
	# one lowerdir+ each; on a kernel without it (the legacy path) l/0:l/1...
	[ "$(grep -o 'lowerdir+=' <<<"$line" | wc -l)" = 250 ] ||
		[ "$(grep -oE '[=:]l/[0-9]+' <<<"$line" | wc -l)" = 250 ]
}

@test "rootfs: an image with no layers is refused, naming it, and leaves nothing" {
	load_image nolayers
	mkdir "$TEST_DIR/m"
	expect_tool_error "image scute-test/empty:1 has no layers" \
		mount "$STORE" scute-test/empty:1 "$TEST_DIR/c1" "$TEST_DIR/m"
	[ ! -e "$TEST_DIR/c1" ]
	[ "$(rootfs_rows)" = 0 ]
	! mounted "$TEST_DIR/m"
}

@test "rootfs: attack: a layer directory swapped for a symlink in the store is refused" {
	load_image stack
	victim_layer=$(db "SELECT substr(chain_id, 8) FROM layers WHERE parent IS NULL")
	mv "$STORE/layers/$victim_layer" "$TEST_DIR/real-layer"
	on_teardown "rm -f '$STORE/layers/$victim_layer'; mv '$TEST_DIR/real-layer' '$STORE/layers/$victim_layer'"
	ln -s "$VICTIM" "$STORE/layers/$victim_layer"
	mkdir "$TEST_DIR/m"
	expect_tool_error "layer sha256:$victim_layer: a symlink in the store, not followed" \
		mount "$STORE" scute-test/stack:1 "$TEST_DIR/c1" "$TEST_DIR/m"
	! mounted "$TEST_DIR/m"
	[ ! -e "$TEST_DIR/c1" ]
	[ "$(rootfs_rows)" = 0 ]
	assert_victim_intact
}

@test "rootfs: removal leaves nothing: no mount, no directory, no row" {
	load_image stack
	mount_root scute-test/stack:1 c1
	echo x >"$MNT/written"
	mounted "$MNT"
	[ "$(rootfs_rows)" = 1 ]
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	! mounted "$MNT"
	[ ! -e "$DIR" ]
	[ "$(rootfs_rows)" = 0 ]
	[ "$(ls -A "$MNT")" = "" ]
}

@test "rootfs: removal while a process is inside detaches the mount and still leaves nothing" {
	load_image stack
	mount_root scute-test/stack:1 c1
	(cd "$MNT" && exec sleep 1000) 3>&- &
	busy=$!
	on_teardown "kill $busy"
	# the sleep's working directory is in the mount once it runs
	while [ "$(readlink "/proc/$busy/cwd")" != "$MNT" ]; do sleep 0.05; done
	run umount "$MNT"
	[ "$status" -ne 0 ] # busy: a plain unmount fails
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	! mounted "$MNT"
	[ ! -e "$DIR" ]
	[ "$(rootfs_rows)" = 0 ]
}

@test "rootfs: prune -a leaves an image a mounted root stands on" {
	load_image stack
	mount_root scute-test/stack:1 c1
	sc image prune -a >/dev/null
	[ "$(db 'SELECT count(*) FROM images')" = 1 ]
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	sc image prune -a >/dev/null
	[ "$(db 'SELECT count(*) FROM images')" = 0 ]
}

@test "rootfs: the collector keeps the layers of a mounted root after its image is removed" {
	load_image stack
	mount_root scute-test/stack:1 c1
	layers=$(db 'SELECT count(*) FROM layers')
	[ "$layers" = 3 ]
	# rmi refuses an image a container root uses, unless forced
	run sc rmi scute-test/stack:1
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"must be forced"*"container root $DIR"* ]]
	[ "$(db 'SELECT count(*) FROM images')" = 1 ]
	sc rmi -f scute-test/stack:1 >/dev/null
	sc image prune -a >/dev/null
	[ "$(db 'SELECT count(*) FROM images')" = 0 ]
	[ "$(db 'SELECT count(*) FROM layers')" = 3 ]
	[ "$(ls "$STORE/layers" | wc -l)" = 3 ]
	[ "$(db 'SELECT image IS NULL FROM rootfs')" = 1 ]
	[ "$(cat "$MNT/only-bottom") $(cat "$MNT/shared")" = "1 top" ]
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	sc image prune >/dev/null
	assert_no_layers
}

@test "rootfs: a row whose directory a crash removed is dropped, and its layers go" {
	load_image stack
	mount_root scute-test/stack:1 c1
	# a crash between the directory's removal and the row's
	umount "$MNT"
	rm -rf "$DIR"
	sc rmi scute-test/stack:1 >/dev/null
	[ "$(rootfs_rows)" = 0 ]
	assert_no_layers
}

@test "rootfs: a removal a crash interrupted after the unmount finishes" {
	load_image stack
	mount_root scute-test/stack:1 c1
	umount "$MNT"
	rm -rf "$DIR/upper"
	"$TOOL" umount "$STORE" "$DIR" "$MNT"
	[ ! -e "$DIR" ]
	[ "$(rootfs_rows)" = 0 ]
}

@test "rootfs: bad calls: an existing directory, a second root there, the wrong target, no root" {
	load_image stack
	mkdir -p "$TEST_DIR/m" "$TEST_DIR/taken"
	echo mine >"$TEST_DIR/taken/file"
	expect_tool_error "[EEXIST] image scute-test/stack:1: container root directory $TEST_DIR/taken: File exists" \
		mount "$STORE" scute-test/stack:1 "$TEST_DIR/taken" "$TEST_DIR/m"
	[ "$(cat "$TEST_DIR/taken/file")" = mine ]
	[ "$(rootfs_rows)" = 0 ]
	! mounted "$TEST_DIR/m"

	mount_root scute-test/stack:1 c1
	mkdir "$TEST_DIR/m2"
	expect_tool_error "container root $DIR: made already" \
		mount "$STORE" scute-test/stack:1 "$DIR" "$TEST_DIR/m2"
	! mounted "$TEST_DIR/m2"

	expect_tool_error "container root $DIR is mounted at $MNT, not at $TEST_DIR/m2" \
		umount "$STORE" "$DIR" "$TEST_DIR/m2"
	mounted "$MNT"
	[ -d "$DIR/upper" ]

	expect_tool_error "[ENOENT] no container root was made in $TEST_DIR/none" \
		umount "$STORE" "$TEST_DIR/none" "$TEST_DIR/m2"

	expect_tool_error "No such image: scute-test/nosuch:1" \
		mount "$STORE" scute-test/nosuch:1 "$TEST_DIR/c2" "$TEST_DIR/m2"
	[ ! -e "$TEST_DIR/c2" ]
	[ "$(rootfs_rows)" = 1 ]
}
