#!/usr/bin/env bats
# scute pull, push, login and logout against real peers on 127.0.0.1:
# Debian's docker-registry (plain HTTP, and TLS with a test CA and htpasswd
# auth) filled by skopeo, and tests/integration/layout_registry.py, which
# serves an OCI layout byte for byte (hostile images a real registry would
# refuse, a blob that stops halfway). Every process started here is stopped
# in teardown; each test has its own store (images.bash).

load images
load registry

LAYOUT_REGISTRY=$BATS_TEST_DIRNAME/layout_registry.py

setup_file() {
	export REG_DIR TLS_PORT PLAIN_PORT
	REG_DIR=$(mktemp -d /tmp/scute-pull.XXXXXX)
	make_ca "$REG_DIR"
	htpasswd -Bbn alice s3cret >"$REG_DIR/htpasswd"
	python3 "$BATS_TEST_DIRNAME/mklayout.py" "$REG_DIR/oci"
	TLS_PORT=$(free_port)
	PLAIN_PORT=$(free_port)
	start_docker_registry tls "$TLS_PORT" tls
	start_docker_registry plain "$PLAIN_PORT"
	mkdir -p "$REG_DIR/certs/127.0.0.1:$TLS_PORT"
	cp "$REG_DIR/ca.crt" "$REG_DIR/certs/127.0.0.1:$TLS_PORT/ca.crt"
	wait_http "https://127.0.0.1:$TLS_PORT/v2/"
	wait_http "http://127.0.0.1:$PLAIN_PORT/v2/"
	export REGISTRY_AUTH_FILE=$REG_DIR/skopeo-auth.json
	for t in multi sibling; do
		skopeo copy -q "oci:$REG_DIR/oci:$t" "docker://127.0.0.1:$PLAIN_PORT/test/$t:1" \
			--dest-tls-verify=false
	done
	skopeo copy -q --all "oci:$REG_DIR/oci:index" \
		"docker://127.0.0.1:$PLAIN_PORT/test/index:1" --dest-tls-verify=false
	skopeo copy -q "oci:$REG_DIR/oci:multi" "docker://127.0.0.1:$TLS_PORT/private/multi:1" \
		--dest-cert-dir "$REG_DIR/certs/127.0.0.1:$TLS_PORT" --dest-creds alice:s3cret
}

teardown_file() {
	stop_registries
}

# The config digest of layout tag $1 (for a manifest), from the layout.
layout_config() {
	python3 - "$REG_DIR/oci" "$1" <<'EOF'
import json, sys
d, tag = sys.argv[1], sys.argv[2]
idx = json.load(open(d + "/index.json"))
m = [x for x in idx["manifests"] if x["annotations"]["org.opencontainers.image.ref.name"] == tag][0]
print(json.load(open(d + "/blobs/sha256/" + m["digest"][7:]))["config"]["digest"])
EOF
}

# layout_registry ARGS: serve the layout (a copy: --stall/--corrupt name
# blobs of it); LPORT is its port.
layout_registry() {
	python3 "$LAYOUT_REGISTRY" "$REG_DIR/oci" --port-file "$TEST_DIR/lport" "$@" &
	local pid=$!
	on_teardown "kill $pid"
	LPORT=$(port_from "$TEST_DIR/lport")
}

@test "pull: a three-layer image from docker-registry, verified, with its tag and RepoDigest" {
	run sc pull "127.0.0.1:$PLAIN_PORT/test/multi:1"
	echo "$output"
	[ "$status" -eq 0 ]
	# no terminal: nothing but the digest
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
	digest=$output
	run sc image inspect "127.0.0.1:$PLAIN_PORT/test/multi:1"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.[0].Id')" = "$(layout_config multi)" ]
	[ "$(echo "$output" | jq -r '.[0].RepoDigests[0]')" = "127.0.0.1:$PLAIN_PORT/test/multi@$digest" ]
	[ "$(echo "$output" | jq -r '.[0].RootFS.Layers | length')" = 3 ]
	[ "$(db 'SELECT count(*) FROM layers')" = 3 ]
	# the top layer's files, each layer unpacked under its chain ID
	top=$(top_layer_dir "$(layout_config multi)")
	[ -f "$top/top" ]
	# pulling again finds everything in the store and fetches no layer
	run sc -D pull "127.0.0.1:$PLAIN_PORT/test/multi:1"
	[ "$status" -eq 0 ]
	[[ "$output" != *fetching* ]]
	[ "$(echo "$output" | grep -c 'in the store already')" = 3 ]
}

@test "pull: on a terminal, docker's layer lines and summary; -q prints only the digest" {
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json pull 127.0.0.1:$PLAIN_PORT/test/multi:1" /dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Pull complete"* ]]
	[[ "$output" == *"Downloading ["* ]]
	[[ "$output" == *"Digest: sha256:"* ]]
	[[ "$output" == *"Status: Downloaded newer image for 127.0.0.1:$PLAIN_PORT/test/multi:1"* ]]
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json pull -q 127.0.0.1:$PLAIN_PORT/test/sibling:1" /dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(echo "$output" | tr -d '\r')" =~ ^sha256:[0-9a-f]{64}$ ]]
}

@test "pull: by digest gives no tag, only the RepoDigest" {
	digest=$(skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$PLAIN_PORT/test/multi:1" | sha256sum | cut -d' ' -f1)
	run sc pull "127.0.0.1:$PLAIN_PORT/test/multi@sha256:$digest"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(db 'SELECT count(*) FROM tags')" = 0 ]
	[ "$(db 'SELECT name FROM repo_digests')" = "127.0.0.1:$PLAIN_PORT/test/multi@sha256:$digest" ]
}

@test "pull: an index gives this machine's platform; --platform picks another; an absent one is an error naming what there is" {
	run sc pull "127.0.0.1:$PLAIN_PORT/test/index:1"
	[ "$status" -eq 0 ]
	[ "$(sc image inspect "127.0.0.1:$PLAIN_PORT/test/index:1" | jq -r '.[0].Architecture')" = amd64 ]
	run sc pull --platform linux/arm64 "127.0.0.1:$PLAIN_PORT/test/index:1"
	[ "$status" -eq 0 ]
	[ "$(sc image inspect "127.0.0.1:$PLAIN_PORT/test/index:1" | jq -r '.[0].Architecture')" = arm64 ]
	rm -rf "$STORE"
	run sc pull --platform linux/s390x "127.0.0.1:$PLAIN_PORT/test/index:1"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *s390x* && "$output" == *linux/arm64* ]]
	assert_store_empty
	# a single-platform image for another platform than asked for
	run sc pull --platform linux/arm64 "127.0.0.1:$PLAIN_PORT/test/multi:1"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"is for linux/amd64"* ]]
	assert_store_empty
}

@test "pull: two pulls of images sharing a layer, at once, unpack it once" {
	(sc_exec -D pull "127.0.0.1:$PLAIN_PORT/test/multi:1" >"$TEST_DIR/a.log" 2>&1) &
	a=$!
	(sc_exec -D pull "127.0.0.1:$PLAIN_PORT/test/sibling:1" >"$TEST_DIR/b.log" 2>&1) &
	b=$!
	wait $a
	wait $b
	cat "$TEST_DIR/a.log" "$TEST_DIR/b.log"
	base=$(skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$PLAIN_PORT/test/multi:1" | jq -r '.layers[0].digest')
	[ "$(cat "$TEST_DIR/a.log" "$TEST_DIR/b.log" | grep -c "layer $base: fetching")" = 1 ]
	[ "$(db 'SELECT count(*) FROM images')" = 2 ]
	[ "$(db 'SELECT count(*) FROM layers')" = 4 ]
	run sc image inspect "127.0.0.1:$PLAIN_PORT/test/sibling:1"
	[ "$status" -eq 0 ]
}

@test "pull: TLS with htpasswd auth: refused without login; login stores docker's config.json (0600); logout removes it" {
	engine_config "{\"certs-dir\": \"$REG_DIR/certs\"}"
	export DOCKER_CONFIG=$TEST_DIR/docker
	run sc pull "127.0.0.1:$TLS_PORT/private/multi:1"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *401* || "$output" == *denied* || "$output" == *unauthorized* ]]
	assert_store_empty
	run sh -c "echo wrong | $SCUTE --root $STORE --config $TEST_DIR/scute.json login -u alice --password-stdin 127.0.0.1:$TLS_PORT"
	echo "$output"
	[ "$status" -eq 125 ]
	[ ! -e "$DOCKER_CONFIG/config.json" ]
	run sh -c "echo s3cret | $SCUTE --root $STORE --config $TEST_DIR/scute.json login -u alice --password-stdin 127.0.0.1:$TLS_PORT"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "Login Succeeded" ]
	[ "$(stat -c %a "$DOCKER_CONFIG/config.json")" = 600 ]
	[ "$(jq -r ".auths[\"127.0.0.1:$TLS_PORT\"].auth" "$DOCKER_CONFIG/config.json" | base64 -d)" = alice:s3cret ]
	run sc pull "127.0.0.1:$TLS_PORT/private/multi:1"
	echo "$output"
	[ "$status" -eq 0 ]
	# the test CA is needed: without certs-dir the certificate is refused
	engine_config '{}'
	run sc pull "127.0.0.1:$TLS_PORT/private/multi:1"
	echo "$output"
	[ "$status" -eq 125 ]
	run sc logout "127.0.0.1:$TLS_PORT"
	[ "$status" -eq 0 ]
	[ "$output" = "Removing login credentials for 127.0.0.1:$TLS_PORT" ]
	[ "$(jq -r '.auths | length' "$DOCKER_CONFIG/config.json")" = 0 ]
	run sc logout "127.0.0.1:$TLS_PORT"
	[ "$output" = "Not logged in to 127.0.0.1:$TLS_PORT" ]
}

@test "login: bad usage is refused before anything is sent" {
	run sc login --password-stdin localhost:1
	[ "$status" -eq 125 ]
	[[ "$output" == *"--password-stdin needs --username"* ]]
	run sc login -u a -p b --password-stdin localhost:1
	[ "$status" -eq 125 ]
	[[ "$output" == *"mutually exclusive"* ]]
	run sc login localhost:1 </dev/null
	[ "$status" -eq 125 ]
	[[ "$output" == *"not a terminal"* ]]
}

@test "push: a loaded image to docker-registry; skopeo reads it back; a pull into an empty store gives the same image" {
	archive good
	sc load -i "$TEST_DIR/good.tar"
	sc tag scute-test/hostile:1 "127.0.0.1:$PLAIN_PORT/pushed/good:1"
	run sc push "127.0.0.1:$PLAIN_PORT/pushed/good:1"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
	digest=$output
	id=$(sc image inspect scute-test/hostile:1 | jq -r '.[0].Id')
	[ "$(sc image inspect scute-test/hostile:1 | jq -r '.[0].RepoDigests[0]')" = "127.0.0.1:$PLAIN_PORT/pushed/good@$digest" ]
	# a real peer reads what scute pushed
	[ "$(skopeo inspect --tls-verify=false "docker://127.0.0.1:$PLAIN_PORT/pushed/good:1" | jq -r .Digest)" = "$digest" ]
	skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$PLAIN_PORT/pushed/good:1" "oci:$TEST_DIR/copy:1"
	# and back into an empty store: the same ID
	rm -rf "$STORE"
	run sc pull "127.0.0.1:$PLAIN_PORT/pushed/good:1"
	[ "$status" -eq 0 ]
	[ "$(sc image inspect "127.0.0.1:$PLAIN_PORT/pushed/good:1" | jq -r '.[0].Id')" = "$id" ]
	# pushing again sends no layer
	run script -qec "$SCUTE --root $STORE --config $TEST_DIR/scute.json push 127.0.0.1:$PLAIN_PORT/pushed/good:1" /dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Layer already exists"* && "$output" != *Pushed* ]]
}

@test "push: an unknown image, a digest reference and a refused registry are errors" {
	run sc push "127.0.0.1:$PLAIN_PORT/nothing:1"
	[ "$status" -eq 125 ]
	[[ "$output" == *"No such image"* ]]
	run sc push "127.0.0.1:$PLAIN_PORT/x@sha256:$(printf %064d 0)"
	[ "$status" -eq 125 ]
	[[ "$output" == *"name a tag"* ]]
	archive good
	sc load -i "$TEST_DIR/good.tar"
	sc tag scute-test/hostile:1 "127.0.0.1:$TLS_PORT/pushed/good:1"
	engine_config "{\"certs-dir\": \"$REG_DIR/certs\"}"
	DOCKER_CONFIG=$TEST_DIR/docker run sc push "127.0.0.1:$TLS_PORT/pushed/good:1"
	echo "$output"
	[ "$status" -eq 125 ]
}

# expect_pull_error TAG PATTERN [ARGS]: pulling the layout's TAG from the
# layout registry fails with 125, says PATTERN, and leaves nothing.
expect_pull_error() {
	run sc pull "127.0.0.1:$LPORT/x/y:$1"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"$2"* ]]
	assert_store_empty
}

@test "pull: hostile images are refused and leave nothing: diff_id mismatch, layer count mismatch, ../ entry" {
	layout_registry
	expect_pull_error baddiffid "rootfs.diff_ids[1]"
	expect_pull_error countmismatch "2 layers, but its config has 1"
	expect_pull_error hostile "../escaped"
	[ ! -e "$STORE/../escaped" ] && [ ! -e "$TEST_DIR/escaped" ]
}

@test "pull: a layer blob whose bytes are not its digest is refused and leaves nothing" {
	blob=$(jq -r '.layers[2].digest' "$REG_DIR/oci/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "multi") | .digest' "$REG_DIR/oci/index.json" | cut -c8-)")
	layout_registry --corrupt "${blob#sha256:}"
	expect_pull_error multi "$blob"
}

@test "pull: kill -9 while a layer streams leaves the store consistent, and a rerun succeeds" {
	blob=$(jq -r '.layers[2].digest' "$REG_DIR/oci/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "multi") | .digest' "$REG_DIR/oci/index.json" | cut -c8-)")
	rm -f "$REG_DIR/oci/requests"
	layout_registry --stall "${blob#sha256:}"
	(sc_exec pull "127.0.0.1:$LPORT/x/y:multi" >/dev/null 2>&1) &
	pid=$!
	for _ in $(seq 100); do
		grep -q "$blob" "$REG_DIR/oci/requests" 2>/dev/null && break
		sleep 0.1
	done
	grep -q "$blob" "$REG_DIR/oci/requests"
	sleep 0.5
	kill -9 $pid
	wait $pid || true
	# nothing visible
	[ "$(db 'SELECT count(*) FROM images')" = 0 ]
	# the rerun from the well-behaved registry sweeps what was left and succeeds
	run sc pull "127.0.0.1:$PLAIN_PORT/test/multi:1"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$(ls -A "$STORE/tmp")" ]
	[ "$(db 'SELECT count(*) FROM layers')" = 3 ]
	[ "$(db 'SELECT count(*) FROM blobs')" = 5 ]
	[ "$(ls "$STORE/blobs/sha256" | wc -l)" = 5 ]
}

@test "pull: bad references are errors naming them" {
	run sc pull "library/BusyBox:1"
	[ "$status" -eq 125 ]
	[[ "$output" == *library/BusyBox* ]]
	run sc pull
	[ "$status" -eq 125 ]
	run sc pull "127.0.0.1:1/x:1"
	echo "$output"
	[ "$status" -eq 125 ]
	assert_store_empty
}
