#!/usr/bin/env bats
# Issue 13 item 6: hostile archives never write outside the layer, never
# publish a bad image, and leave nothing behind. Each test is the attack,
# checked against a victim directory beside the store.

load images

@test "hostile: a .. path is refused" {
	expect_load_error dotdot '": ".." in the path'
}

@test "hostile: an absolute path is refused" {
	expect_load_error absolute 'an absolute path'
}

@test "hostile: a file written through a symlink to outside is refused" {
	expect_load_error symlink_through '"lnk" is a symlink'
}

@test "hostile: a file written through a relative symlink climbing out is refused" {
	expect_load_error symlink_relative 'is a symlink'
}

@test "hostile: a hard link out of the layer by .. is refused" {
	expect_load_error hardlink_out 'hard link'
}

@test "hostile: a hard link to an absolute path is refused" {
	expect_load_error hardlink_abs 'hard link: member "'"$VICTIM"'/file": an absolute path'
}

@test "hostile: a hard link through the layer's own symlink is refused" {
	expect_load_error hardlink_via_symlink '"s" is a symlink'
	# the victim's link count shows no new link was made anywhere
	[ "$(stat -c %h "$VICTIM/file")" = 1 ]
}

@test "hostile: a directory replaced by a symlink, then written below, is refused" {
	expect_load_error dir_then_symlink '"d" is a symlink'
}

@test "hostile: device nodes are not made, and a warning names each" {
	archive devices
	run sc load -i "$TEST_DIR/devices.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'member "dev/sda": a device node, not created'* ]]
	[[ "$output" == *'member "dev/mem": a device node, not created'* ]]
	id=$(db 'SELECT id FROM images')
	dir=$(top_layer_dir "$id")
	[ -f "$dir/etc/after-devices" ]
	[ -z "$(find "$dir" -type b -o -type c)" ]
	assert_victim_intact
}

@test "hostile: whiteouts become overlay whiteouts and opaque directories" {
	archive whiteouts
	sc load -i "$TEST_DIR/whiteouts.tar"
	id=$(db 'SELECT id FROM images')
	dir=$(top_layer_dir "$id")
	[ "$(stat -c '%F %t:%T %u:%g' "$dir/etc/gone")" = "character special file 0:0 0:0" ]
	[ ! -e "$dir/etc/.wh.gone" ]
	[ "$(getfattr --only-values -n trusted.overlay.opaque "$dir/opaque")" = y ]
	[ ! -e "$dir/opaque/.wh..wh..opq" ]
	[ -f "$dir/opaque/new" ]
}

@test "hostile: only user.* and security.capability xattrs are set; setuid and setgid stay" {
	archive xattrs_modes
	sc load -i "$TEST_DIR/xattrs_modes.tar"
	dir=$(top_layer_dir "$(db 'SELECT id FROM images')")
	run getfattr -d -m - "$dir/bin/tool"
	echo "$output"
	[[ "$output" == *'user.keep="yes"'* ]]
	[[ "$output" == *'security.capability='* ]]
	[[ "$output" != *trusted.* ]]
	[[ "$output" != *security.selinux* ]]
	[ "$(stat -c '%a %u:%g' "$dir/bin/tool")" = "4755 0:0" ]
	[ "$(stat -c '%a %u:%g' "$dir/bin/sgid")" = "2711 12:34" ]
}

@test "hostile: a layer whose diff_id is not the config's is refused" {
	expect_load_error diff_id_mismatch "but the config's rootfs.diff_ids[0] is sha256:0000"
}

@test "hostile: a config whose name is not its digest is refused" {
	expect_load_error config_digest_mismatch 'digest mismatch: expected sha256:ffff'
}

@test "hostile: a truncated archive is refused" {
	expect_load_error truncated 'Truncated tar archive'
}

@test "hostile: a manifest naming thousands of layers is refused by a limit" {
	expect_load_error many_layers 'Layers: 3000 layers, more than 500'
}

@test "hostile: a config of many megabytes is refused by a limit" {
	expect_load_error huge_config 'a JSON document of 9437'
}

@test "hostile: a decompression bomb stops at max-layer-size" {
	engine_config '{"max-layer-size": "10m"}'
	expect_load_error bomb 'more than 10485760 bytes uncompressed (the limit, max-layer-size)'
	# control: the default limit takes the same layer
	engine_config '{}'
	sc load -i "$TEST_DIR/bomb.tar"
}

@test "hostile: a gzip layer whose CRC-32 is wrong is refused" {
	expect_load_error bad_crc 'gzip data with a CRC-32 or length that does not match the data'
	# control: a layer of two gzip members (pigz, cat) loads
	archive gzip_members
	sc load -i "$TEST_DIR/gzip_members.tar"
	sc image inspect scute-test/hostile:1 >/dev/null
}

@test "hostile: a gzip header longer than a read, with every field and FHCRC, loads" {
	# cut by load's first read inside its extra field, the header lost its
	# flags: the name was read as deflate data, FHCRC refused
	archive gzip_long_header
	run sc load -i "$TEST_DIR/gzip_long_header.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(top_layer_dir "$(db 'SELECT id FROM images')")
	[ "$(head -1 "$dir/etc/motd")" = fields ]
}

@test "hostile: a name that is not UTF-8 is refused" {
	expect_load_error non_utf8 'a name that is not UTF-8'
}

@test "hostile: a tag that is not a reference is refused" {
	expect_load_error bad_tag 'RepoTags[0]: invalid image reference "UPPER/Case:1"'
}

@test "hostile: a path thousands of directories deep is refused, and a good load still works" {
	ulimit -n 1024
	expect_load_error deep 'more than 256 directories deep'
	archive good
	sc load -i "$TEST_DIR/good.tar"
}

@test "hostile: a bad second image leaves nothing of the good first one" {
	expect_load_error second_image_bad 'manifest.json: [1]'
}

@test "load: 1500 layer members under ulimit -n 1024 (one fd per layer is not kept)" {
	ulimit -n 1024
	archive layers_1500
	run sc load -i "$TEST_DIR/layers_1500.tar"
	echo "$output" | tail -3
	[ "$status" -eq 0 ]
	[ "$(db 'SELECT count(*) FROM images')" = 3 ]
	[ "$(db 'SELECT count(*) FROM layers')" = 1500 ]
}

@test "hostile: an OCI layer whose blob is not what its mediaType says is refused" {
	expect_load_error oci_media_mismatch 'the blob is not what mediaType "application/vnd.oci.image.layer.v1.tar+gzip" says'
	# control: the same archive with the right mediaType loads
	archive oci_good
	run sc load -i "$TEST_DIR/oci_good.tar"
	[ "$status" -eq 0 ]
	[ "$output" = "Loaded image: scute-test/oci:1" ]
}

@test "hostile: what is not an archive is refused" {
	expect_load_error not_an_archive 'Unrecognized archive format'
}

@test "hostile: control: the well-formed archive of the same maker loads" {
	archive good
	run sc load -i "$TEST_DIR/good.tar"
	[ "$status" -eq 0 ]
	[ "$output" = "Loaded image: scute-test/hostile:1" ]
	[ "$(db 'SELECT count(*) FROM layers')" = 2 ]
}

# import_split FILE K: scute import - of FILE through a pipe whose first
# read gives its first K bytes alone.
import_split() {
	{
		head -c "$2" "$1"
		sleep 0.5
		tail -c +"$(($2 + 1))" "$1"
	} | sc import - "${@:3}"
}

@test "hostile: a tarball whose first read is one byte is told by its magic still" {
	busybox_rootfs
	gzip -c "$TEST_DIR/rootfs.tar" >"$TEST_DIR/rootfs.tar.gz"
	xz -c "$TEST_DIR/rootfs.tar" >"$TEST_DIR/rootfs.tar.xz"
	# gzip's magic cut after its first byte was read as a plain tar
	run import_split "$TEST_DIR/rootfs.tar.gz" 1 localhost/split:1
	echo "$output"
	[ "$status" -eq 0 ]
	sc image inspect localhost/split:1 >/dev/null
	# xz's, after three of its six, was "Unrecognized archive format"
	sc rmi localhost/split:1 >/dev/null
	run import_split "$TEST_DIR/rootfs.tar.xz" 3
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *'decompress: xz compression (layers are plain tar, gzip or zstd)'* ]]
	assert_store_empty
}

# expect_load_error_in_time CASE PATTERN: expect_load_error, with a hang
# (one thread waiting for the other forever) failing after 120 s.
expect_load_error_in_time() {
	archive "$1"
	run timeout 120 "$SCUTE" --root "$STORE" --config "$TEST_DIR/scute.json" load -i "$TEST_DIR/$1.tar"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"$2"* ]]
	assert_store_empty
}

@test "hostile: the tar side failing while the decompressing thread waits for room stops both" {
	expect_load_error_in_time gzip_tar_error_full_ring '/pwned": ".." in the path'
}

@test "hostile: a gzip or zstd stream ending mid-file fails on the decompressing thread while the tar side waits" {
	expect_load_error_in_time gzip_cut_mid_file 'layer.tar": decompress: the gzip stream ends early'
	expect_load_error_in_time zstd_cut_mid_file 'decompress: Truncated zstd input'
}

@test "hostile: a zstd bomb stops at max-layer-size; a zstd layer loads" {
	engine_config '{"max-layer-size": "10m"}'
	expect_load_error_in_time zstd_bomb 'more than 10485760 bytes uncompressed (the limit, max-layer-size)'
	archive zstd_good
	sc load -i "$TEST_DIR/zstd_good.tar"
	[ "$(head -1 "$(top_layer_dir "$(db 'SELECT id FROM images')")/etc/motd")" = zstd ]
}

@test "hostile: an OCI gzip layer whose blob is its digest but whose diff_id is not the config's is refused" {
	expect_load_error_in_time oci_gzip_diff_id_mismatch "but the config's rootfs.diff_ids[0] is sha256:"
}

@test "hostile: a full disk under the layer (tar side) or the blob (decompressing side) leaves nothing" {
	local small=$TEST_DIR/small
	mkdir "$small"
	mount -t tmpfs -o size=6m tmpfs "$small"
	on_teardown "umount $small"
	STORE=$small/store
	# 8 MiB of a file that does not compress: the layer's write or the
	# blob's (both 8 MiB, written on the two threads at once) fails first
	expect_load_error_in_time noise 'No space left on device'
	[[ "$output" == *'member "noise": write'* || "$output" == *'blob store: write'* ]]
	# 8 MiB after a small gzip stream: only the blob has them, written by
	# the decompressing thread once the tar side has every member
	expect_load_error_in_time gzip_trailing_noise 'blob store: write tmp-'
	[[ "$output" == *'No space left on device'* ]]
	# control: the same store loads what fits
	archive good
	sc load -i "$TEST_DIR/good.tar"
}
