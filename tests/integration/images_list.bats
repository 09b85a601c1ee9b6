#!/usr/bin/env bats
# Issue 13 item 4: scute images (image ls), history (image history) and
# image inspect -f, with docker's --format (table, json, Go templates),
# over small images made by mkimage.py and loaded into the test's store.
# Expected output is docker's CLI as its reference documents it
# ("docker image ls", "docker image history", "Format command and log
# output"): its columns, headers, units and field names.

load images

MKIMAGE=$BATS_TEST_DIRNAME/mkimage.py

# image NAME SPEC: archive NAME.tar from SPEC (mkimage.py) and load it.
image() {
	python3 "$MKIMAGE" "$TEST_DIR/$1.tar" "$2"
	sc load -i "$TEST_DIR/$1.tar" >/dev/null
}

# RFC 3339 of SECONDS before now, the times the CREATED column shows
ago() {
	date -u -d "@$(($(date +%s) - $1))" +%Y-%m-%dT%H:%M:%SZ
}

# Three images: A tagged three times in two repositories (two layers,
# 4.257 MB), B untagged with a history (10 bytes), C labelled. Their ages
# sit inside go-units' ranges (3 hours: 2.5 to 3.5 h; About an hour: 1 to
# 1.5 h; 9 days), far from the edges, so no test depends on its timing.
three_images() {
	CREATED_A=$(ago $((3 * 3600)))
	CREATED_B=$(ago $((9 * 86400)))
	image a "{\"tags\":[\"scute-test/a:1\",\"scute-test/a:latest\",\"other:2\"],
		\"created\":\"$CREATED_A\",\"layers\":[4000000,257000]}"
	image b "{\"seed\":\"b\",\"created\":\"$CREATED_B\",\"layers\":[10],
		\"history\":[{\"created_by\":\"/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / \",
		\"comment\":\"imported\"},{\"created_by\":\"/bin/sh -c\\ttrue\",\"empty_layer\":true}]}"
	image c "{\"tags\":[\"scute-test/c:x\"],\"seed\":\"c\",\"created\":\"$(ago 3700)\",
		\"labels\":{\"k\":\"v\",\"role\":\"db\"}}"
	A=$(sc image inspect -f '{{.Id}}' scute-test/a:1)
	C=$(sc image inspect -f '{{.Id}}' scute-test/c:x)
	B=$(db "SELECT id FROM images WHERE id NOT IN ('$A', '$C')")
	a=${A#sha256:} b=${B#sha256:} c=${C#sha256:}
	a=${a:0:12} b=${b:0:12} c=${c:0:12}
}

@test "images: docker's table, a row per tag, <none> for an image without one, newest first" {
	three_images
	run sc images
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "REPOSITORY     TAG       IMAGE ID       CREATED             SIZE" ]
	[ "${lines[1]}" = "scute-test/c   x         $c   About an hour ago   10B" ]
	[ "${lines[2]}" = "other          2         $a   3 hours ago         4.26MB" ]
	[ "${lines[3]}" = "scute-test/a   1         $a   3 hours ago         4.26MB" ]
	[ "${lines[4]}" = "scute-test/a   latest    $a   3 hours ago         4.26MB" ]
	[ "${lines[5]}" = "<none>         <none>    $b   9 days ago          10B" ]
	[ "${#lines[@]}" -eq 6 ]
	# the same under both of image's names
	[ "$(sc image ls)" = "$output" ]
	[ "$(sc image list)" = "$output" ]
	[ "$(sc images --format table)" = "$output" ]
	# -a: no intermediate images to show or hide
	[ "$(sc images -a)" = "$output" ]
}

@test "images: an empty store prints the header alone" {
	run sc images
	[ "$status" -eq 0 ]
	[ "$output" = "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE" ]
	run sc images -q
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "images -q: each ID once; --no-trunc: whole IDs; --digests: the DIGEST column" {
	three_images
	run sc images -q
	echo "$output"
	[ "$output" = "$(printf '%s\n' "$c" "$a" "$b")" ]
	run sc images -q --no-trunc
	[ "$output" = "$(printf '%s\n' "$C" "$A" "$B")" ]
	run sc images --no-trunc scute-test/c
	echo "$output"
	[ "${lines[1]}" = "scute-test/c   x         $C   About an hour ago   10B" ]
	run sc images --digests
	echo "$output"
	[ "${lines[0]}" = "REPOSITORY     TAG       DIGEST    IMAGE ID       CREATED             SIZE" ]
	[ "${lines[5]}" = "<none>         <none>    <none>    $b   9 days ago          10B" ]
}

@test "images --digests: a row per digest of the tag's repository; a digest without a tag" {
	three_images
	# the names a pull would record (pull is not in this release)
	d1=sha256:$(printf '1%.0s' {1..64}) d2=sha256:$(printf '2%.0s' {1..64})
	db "INSERT INTO repo_digests VALUES ('docker.io/scute-test/a@$d1', '$A'),
		('docker.io/scute-test/a@$d2', '$A'), ('docker.io/library/pulled@$d1', '$B')"
	run sc images --digests --format '{{.Repository}} {{.Tag}} {{.Digest}}'
	echo "$output"
	[ "$output" = "$(printf '%s\n' "scute-test/c x <none>" "other 2 <none>" \
		"scute-test/a 1 $d1" "scute-test/a 1 $d2" "scute-test/a latest $d1" \
		"scute-test/a latest $d2" "pulled <none> $d1")" ]
	# without --digests: a row per tag, and one for the untagged repository
	run sc images --format 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}'
	echo "$output"
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[5]}" = "pulled         <none>    $b" ]
	# B has a name now: not dangling
	[ "$(sc images -q --filter dangling=false)" = "$(printf '%s\n' "$c" "$a" "$b")" ]
	[ "$(sc images -q --filter reference=pulled)" = "$b" ]
}

@test "images --format: every field docker's image context has" {
	three_images
	# CreatedAt is local time, as Go's time.Unix gives it
	export TZ=UTC
	run sc images --format '{{.ID}}|{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.CreatedSince}}|{{.CreatedAt}}|{{.Size}}|{{.SharedSize}}|{{.UniqueSize}}|{{.VirtualSize}}|{{.Containers}}' scute-test/a:1
	echo "$output"
	[ "$status" -eq 0 ]
	created=$(date -u -d "$CREATED_A" '+%Y-%m-%d %H:%M:%S +0000 UTC')
	# Size at 3 digits, VirtualSize at 4, as docker's units; shared sizes
	# and containers are not worked out: N/A as docker shows them
	[ "$output" = "$a|scute-test/a|1|<none>|3 hours ago|$created|4.26MB|N/A|N/A|4.257MB|N/A" ]
	TZ=CET-1 run sc images --format '{{.CreatedAt}}' scute-test/a:1
	[ "$output" = "$(TZ=CET-1 date -d "$CREATED_A" '+%Y-%m-%d %H:%M:%S +0100 CET')" ]
	# docker's example: "{{.ID}}: {{.Repository}}", one line per row
	run sc images --format '{{.ID}}: {{.Repository}}'
	[ "${lines[4]}" = "$b: <none>" ]
	# \t and \n as docker expands them; a table of the chosen columns
	run sc images --format '{{.Repository}}\t{{.Tag}}' scute-test/c
	[ "$output" = "$(printf 'scute-test/c\tx')" ]
	run sc images --format 'table {{.ID}}\t{{.Repository}}\t{{.Tag}}\t{{.Containers}}' scute-test/c
	echo "$output"
	[ "${lines[0]}" = "IMAGE ID       REPOSITORY     TAG       CONTAINERS" ]
	[ "${lines[1]}" = "$c   scute-test/c   x         N/A" ]
	# a template naming the digest gets the DIGEST header and column
	run sc images --format 'table {{.Repository}}\t{{.Digest}}' scute-test/c
	[ "${lines[0]}" = "REPOSITORY     DIGEST" ]
}

@test "images --format json: a JSON object per row, docker's keys, HTML escaped as its rows are" {
	three_images
	run sc images --format json
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(echo "${lines[4]}" | jq -c 'keys')" = '["Containers","CreatedAt","CreatedSince","Digest","ID","Repository","SharedSize","Size","Tag","UniqueSize","VirtualSize"]' ]
	[ "$(echo "${lines[4]}" | jq -r '.ID + " " + .Repository + " " + .Size')" = "$b <none> 10B" ]
	[[ "${lines[4]}" == *'"Repository":"\u003cnone\u003e"'* ]]
	[ "$(sc images --format '{{json .}}')" = "$output" ]
	run sc images --format '{{json .Tag}}' scute-test/c
	[ "$output" = '"x"' ]
}

@test "images --filter: dangling, label, reference, and REPOSITORY[:TAG]" {
	three_images
	[ "$(sc images -q --filter dangling=true)" = "$b" ]
	[ "$(sc images -q --filter dangling=false)" = "$(printf '%s\n' "$c" "$a")" ]
	[ "$(sc images -q --filter label=k)" = "$c" ]
	[ "$(sc images -q --filter label=k=v --filter label=role=db)" = "$c" ]
	[ "$(sc images -q --filter label=k=w)" = "" ]
	[ "$(sc images -q --filter label=k --filter label=nope)" = "" ]
	# reference: path.Match on repo:tag or on repo; the rows are the names it matched
	[ "$(sc images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=scute-test/*')" = \
		"$(printf '%s\n' scute-test/c:x scute-test/a:1 scute-test/a:latest)" ]
	[ "$(sc images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=*:2')" = other:2 ]
	[ "$(sc images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=scute-test/a:l*')" = scute-test/a:latest ]
	# '*' does not cross a '/'
	[ "$(sc images -q --filter 'reference=*')" = "$a" ]
	# two patterns: either
	[ "$(sc images -q --filter reference=other --filter reference=scute-test/c)" = "$(printf '%s\n' "$c" "$a")" ]
	# the argument is a reference filter, as docker's CLI sends it
	[ "$(sc images --format '{{.Repository}}:{{.Tag}}' scute-test/a)" = "$(printf '%s\n' scute-test/a:1 scute-test/a:latest)" ]
	[ "$(sc images --format '{{.Repository}}:{{.Tag}}' scute-test/a:1)" = scute-test/a:1 ]
	[ "$(sc images -q nothing-here)" = "" ]
}

@test "images: a bad --filter or --format exits 125 naming it, before anything prints" {
	three_images
	run sc images --filter dangling=maybe
	[ "$status" -eq 125 ]
	[ "$output" = "scute: images: --filter: invalid filter 'dangling=maybe'" ]
	run sc images --filter since=x
	[ "$status" -eq 125 ]
	[ "$output" = "scute: images: --filter: invalid filter 'since=x'" ]
	run sc images --filter dangling
	[ "$status" -eq 125 ]
	[ "$output" = "scute: images: --filter: bad format of filter 'dangling' (expected name=value)" ]
	run sc images --format '{{.ID}} {{foo .Tag}}'
	[ "$status" -eq 125 ]
	[ "$output" = 'scute: --format: template: 1:10: function "foo" not defined' ]
	run sc images --format '{{.ID'
	[ "$status" -eq 125 ]
	[ "$output" = 'scute: --format: template: 1:5: unclosed action' ]
	run sc images --format '{{if .ID}}x'
	[ "$status" -eq 125 ]
	[ "$output" = 'scute: --format: template: 1:11: unexpected EOF' ]
	# an error while running: no row printed, not even the first
	run sc images --format '{{.Tag}} {{.Repository.Name}}'
	echo "$output"
	[ "$status" -eq 125 ]
	[ "$output" = 'scute: --format: template: 1:11: executing at <.Repository.Name>: can'"'"'t evaluate field Name in type string' ]
	run sc images --format "$(head -c 70000 /dev/zero | tr '\0' a)"
	[ "$status" -eq 125 ]
	[ "$output" = "scute: --format: template longer than 65536 bytes" ]
	run sc images a b
	[ "$status" -eq 125 ]
}

@test "history: docker's columns, <missing> below the top, CREATED BY at 45 with an ellipsis" {
	three_images
	run sc history "$b"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "IMAGE          CREATED      CREATED BY                                      SIZE      COMMENT" ]
	# the tab in the command is a space
	[ "${lines[1]}" = "$b   9 days ago   /bin/sh -c true                                 0B        " ]
	[ "${lines[2]}" = "<missing>      9 days ago   /bin/sh -c #(nop) ADD file:0123456789abcdef0…   10B       imported" ]
	[ "$(sc image history "$b")" = "$output" ]
	run sc history --no-trunc "$b"
	echo "$output"
	[[ "${lines[1]}" == "$B   9 days ago   /bin/sh -c true "* ]]
	[[ "${lines[2]}" == *"   /bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in /    10B       imported" ]]
	run sc history -q "$b"
	[ "$output" = "$(printf '%s\n' "$b" '<missing>')" ]
	# two layers, each its history entry
	run sc history --format '{{.ID}} {{.Size}} {{.CreatedBy}}' scute-test/a:1
	[ "$output" = "$(printf '%s\n' "$a 257kB layer 1" '<missing> 4MB layer 0')" ]
}

@test "history: -H=false gives bytes and RFC 3339; every field; json" {
	three_images
	export TZ=UTC
	run sc history -H=false --format '{{.Size}} {{.CreatedSince}}' "$b"
	echo "$output"
	[ "${lines[0]}" = "0 $CREATED_B" ]
	[ "${lines[1]}" = "10 $CREATED_B" ]
	[ "$(sc history --human=false -q "$b")" = "$(sc history -q "$b")" ]
	run sc history --human=true --format '{{.ID}}|{{.CreatedSince}}|{{.CreatedAt}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}' "$b"
	echo "$output"
	[ "${lines[1]}" = "<missing>|9 days ago|$CREATED_B|/bin/sh -c #(nop) ADD file:0123456789abcdef0…|10B|imported" ]
	run sc history --format json "$b"
	echo "$output"
	[ "$(echo "${lines[1]}" | jq -c 'keys')" = '["Comment","CreatedAt","CreatedBy","CreatedSince","ID","Size"]' ]
	[[ "${lines[1]}" == *'"ID":"\u003cmissing\u003e"'* ]]
	run sc history --format 'table {{.ID}}\t{{.Comment}}' "$b"
	[ "${lines[0]}" = "IMAGE          COMMENT" ]
	[ "${lines[2]}" = "<missing>      imported" ]
}

@test "history: bad input exits 125 naming it" {
	three_images
	run sc history -H=maybe "$b"
	[ "$status" -eq 125 ]
	[ "$output" = 'scute: history: --human: invalid value "maybe" (true or false)' ]
	run sc history --format '{{json}}' "$b"
	[ "$status" -eq 125 ]
	[[ "$output" == 'scute: --format: template: 1:2: executing at <json>: wrong number of args for json: want 1 got 0' ]]
	run sc history no-such-image
	[ "$status" -eq 125 ]
	[[ "$output" == *no-such-image* ]]
	run sc history
	[ "$status" -eq 125 ]
}

@test "image inspect -f: the template on each document, a line each" {
	three_images
	[ "$A" = "$(db "SELECT id FROM images WHERE id = '$A'")" ]
	run sc image inspect -f '{{.Id}} {{json .RepoTags}} {{.Config.Labels.k}}' scute-test/c:x "$b"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$C [\"scute-test/c:x\"] v" ]
	[ "${lines[1]}" = "$B [] <no value>" ]
	run sc image inspect --format '{{index .RepoTags 1}}|{{len .RootFS.Layers}}|{{range .RootFS.Layers}}{{.}} {{end}}' scute-test/a:1
	echo "$output"
	[[ "$output" == "scute-test/a:1|2|sha256:"*" sha256:"*" " ]]
	# docker's inspect runs it as written: no table, no \t expansion
	[ "$(sc image inspect -f 'table {{.Os}}\t' scute-test/c:x)" = 'table linux\t' ]
	# json (or nothing) is the document array
	[ "$(sc image inspect -f json scute-test/c:x)" = "$(sc image inspect scute-test/c:x)" ]
	run sc image inspect -f '{{.Id' scute-test/c:x
	[ "$status" -eq 125 ]
	[ "$output" = 'scute: --format: template: 1:5: unclosed action' ]
	# a missing image: the others still print, exit 125
	run sc image inspect -f '{{.Os}}' scute-test/c:x nope
	[ "$status" -eq 125 ]
	[ "${lines[1]}" = linux ]
}
