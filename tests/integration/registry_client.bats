#!/usr/bin/env bats
# The registry client (src/engine/registry) against real peers and a
# hostile one, all on 127.0.0.1: Debian's docker-registry over TLS (a test
# CA, htpasswd auth) and over plain HTTP, filled by skopeo from an OCI
# layout of busybox-static; and tests/integration/hostile_registry.py,
# whose answers break the rules. tests/tools/registry-client drives the
# client. Every process started here is stopped in teardown.

SRC_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD_DIR=${SCUTE_BUILD_DIR:-$SRC_ROOT/build}
CLIENT=$BUILD_DIR/tests/registry-client
HOSTILE=$BATS_TEST_DIRNAME/hostile_registry.py

load registry

setup_file() {
	export REG_DIR TLS_PORT PLAIN_PORT MTLS_PORT DIFF_ID LAYER LAYER_SIZE CONFIG CONFIG_SIZE MANIFEST
	REG_DIR=$(mktemp -d /tmp/scute-registry.XXXXXX)
	make_ca "$REG_DIR"
	htpasswd -Bbn alice s3cret >"$REG_DIR/htpasswd"
	make_layout "$REG_DIR"
	TLS_PORT=$(free_port)
	PLAIN_PORT=$(free_port)
	MTLS_PORT=$(free_port)
	start_docker_registry tls "$TLS_PORT" tls
	start_docker_registry plain "$PLAIN_PORT"
	start_docker_registry mtls "$MTLS_PORT" mtls
	mkdir -p "$REG_DIR/certs/127.0.0.1:$TLS_PORT" "$REG_DIR/nocerts"
	cp "$REG_DIR/ca.crt" "$REG_DIR/certs/127.0.0.1:$TLS_PORT/ca.crt"
	wait_http "https://127.0.0.1:$TLS_PORT/v2/"
	wait_http "http://127.0.0.1:$PLAIN_PORT/v2/"
	wait_port "$MTLS_PORT"
	export REGISTRY_AUTH_FILE=$REG_DIR/skopeo-auth.json
	skopeo copy -q "oci:$REG_DIR/layout:t" "docker://127.0.0.1:$TLS_PORT/test/busybox:t" \
		--dest-cert-dir "$REG_DIR/certs/127.0.0.1:$TLS_PORT" --dest-creds alice:s3cret
	skopeo copy -q "oci:$REG_DIR/layout:t" "docker://127.0.0.1:$PLAIN_PORT/test/busybox:t" \
		--dest-tls-verify=false
}

teardown_file() {
	stop_registries
}

setup() {
	T=$(mktemp -d /tmp/scute-registry-test.XXXXXX)
	CFG=$T/docker/config.json
	HOSTILE_PIDS=()
}

teardown() {
	local p
	for p in "${HOSTILE_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}

# start_hostile AUTH [tls HTTP_PORT]: sets HPORT and HLOG.
start_hostile() {
	local name=h${#HOSTILE_PIDS[@]} args=(--auth "$1")
	if [ "${2:-}" = tls ]; then
		args+=(--tls-cert "$REG_DIR/server.crt" --tls-key "$REG_DIR/server.key" --http-port "$3")
	fi
	HLOG=$T/$name.log
	: >"$HLOG"
	python3 "$HOSTILE" "${args[@]}" --log "$HLOG" --port-file "$T/$name.port" 2>"$T/$name.err" &
	HOSTILE_PIDS+=($!)
	for _ in $(seq 50); do
		[ -s "$T/$name.port" ] && break
		sleep 0.1
	done
	HPORT=$(cat "$T/$name.port")
}

client_tls() {
	"$CLIENT" --certs-dir "$REG_DIR/certs" --config "$CFG" "127.0.0.1:$TLS_PORT" "$@"
}

client_hostile() {
	"$CLIENT" --certs-dir "$REG_DIR/certs" --config "$CFG" "127.0.0.1:$HPORT" "$@"
}

# expect_error TEXT: the last run failed printing exactly TEXT.
expect_error() {
	[ "$status" -eq 1 ] || { echo "status $status: $output"; return 1; }
	[ "$output" = "$1" ] || { printf 'got:  %s\nwant: %s\n' "$output" "$1"; return 1; }
}

login_alice() {
	mkdir -p "$T/docker"
	printf '{"auths":{"%s":{"auth":"%s"}}}' "$1" "$(printf alice:s3cret | base64)" >"$CFG"
}

@test "registry: login over verified TLS stores docker's config.json, 0600" {
	mkdir -p "$T/docker"
	printf '{"psFormat":"keep me","auths":{"other:1":{"auth":"eDp5"}}}' >"$CFG"
	run client_tls login alice s3cret
	[ "$status" -eq 0 ] && [ "$output" = "Login Succeeded" ]
	[ "$(stat -c %a "$CFG")" = 600 ]
	[ "$(jq -r '.psFormat' "$CFG")" = "keep me" ]
	[ "$(jq -r '.auths["other:1"].auth' "$CFG")" = eDp5 ]
	[ "$(jq -r --arg k "127.0.0.1:$TLS_PORT" '.auths[$k].auth' "$CFG" | base64 -d)" = alice:s3cret ]
	run client_tls logout
	[ "$output" = Removed ]
	[ "$(jq -r --arg k "127.0.0.1:$TLS_PORT" '.auths[$k]' "$CFG")" = null ]
	[ "$(jq -r '.auths["other:1"].auth' "$CFG")" = eDp5 ]
}

@test "registry: a wrong password is refused and nothing is stored" {
	run client_tls login alice wrong
	expect_error "[EACCES] registry 127.0.0.1:$TLS_PORT: login as alice: HTTP 401: UNAUTHORIZED: authentication required"
	[ ! -e "$CFG" ]
}

@test "registry: manifest and blob of a skopeo-pushed image, Basic auth from config.json" {
	login_alice "127.0.0.1:$TLS_PORT"
	run client_tls --out "$T/m.json" manifest test/busybox t
	[ "$status" -eq 0 ]
	[ "$output" = "$MANIFEST application/vnd.oci.image.manifest.v1+json $(stat -c %s "$REG_DIR/manifest.json")" ]
	cmp "$T/m.json" "$REG_DIR/manifest.json"
	run client_tls manifest test/busybox "$MANIFEST"
	[ "$status" -eq 0 ]
	client_tls blob test/busybox "$LAYER" "$LAYER_SIZE" >"$T/layer"
	cmp "$T/layer" "$REG_DIR/layer.tgz"
	run client_tls parallel test/busybox "$LAYER" "$LAYER_SIZE" 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s\n%s' "$LAYER" "$LAYER" "$LAYER")" ]
	run client_tls exists test/busybox "$CONFIG"
	[ "$output" = 1 ]
	run client_tls exists test/busybox "sha256:$(printf '%064d' 0)"
	[ "$output" = 0 ]
}

@test "registry: errors name registry, repository and the registry's error" {
	login_alice "127.0.0.1:$TLS_PORT"
	run client_tls manifest library/busybox latest
	expect_error "[ENOENT] registry 127.0.0.1:$TLS_PORT: manifest library/busybox:latest: HTTP 404: MANIFEST_UNKNOWN: manifest unknown"
	run client_tls manifest test/busybox t "sha256:$(printf '%064d' 0)"
	expect_error "[EBADMSG] registry 127.0.0.1:$TLS_PORT: manifest test/busybox:t: digest mismatch: asked for sha256:$(printf '%064d' 0), got $MANIFEST"
}

@test "registry: without credentials the registry's 401 is the error" {
	run client_tls manifest test/busybox t
	expect_error "[EACCES] registry 127.0.0.1:$TLS_PORT: manifest test/busybox:t: HTTP 401: UNAUTHORIZED: authentication required"
}

@test "registry: TLS is verified: without the test CA the registry is refused, and no plain HTTP is tried" {
	login_alice "127.0.0.1:$TLS_PORT"
	run "$CLIENT" --certs-dir "$REG_DIR/nocerts" --config "$CFG" "127.0.0.1:$TLS_PORT" manifest test/busybox t
	[ "$status" -eq 1 ]
	[[ "$output" == "[EPROTO] registry 127.0.0.1:$TLS_PORT: manifest test/busybox:t: GET https://127.0.0.1:$TLS_PORT/v2/: "*certificate* ]]
	[[ "$output" != *http://* ]]
	# localhost is the same server; its certificate names it too.
	mkdir -p "$T/certs/localhost:$TLS_PORT"
	cp "$REG_DIR/ca.crt" "$T/certs/localhost:$TLS_PORT/"
	login_alice "localhost:$TLS_PORT"
	run "$CLIENT" --certs-dir "$T/certs" --config "$CFG" "localhost:$TLS_PORT" manifest test/busybox t
	[ "$status" -eq 0 ]
}

@test "registry: a client certificate from certs.d, for a registry that requires one" {
	local dir=$T/certs/127.0.0.1:$MTLS_PORT
	mkdir -p "$dir"
	cp "$REG_DIR/ca.crt" "$dir/"
	run "$CLIENT" --certs-dir "$T/certs" --config "$CFG" "127.0.0.1:$MTLS_PORT" manifest test/busybox t
	[ "$status" -eq 1 ]
	[[ "$output" == "[EPROTO] registry 127.0.0.1:$MTLS_PORT: manifest test/busybox:t: GET https://127.0.0.1:$MTLS_PORT/v2/: "* ]]
	cp "$REG_DIR/client.cert" "$REG_DIR/client.key" "$dir/"
	run "$CLIENT" --certs-dir "$T/certs" --config "$CFG" "127.0.0.1:$MTLS_PORT" manifest test/busybox t
	expect_error "[ENOENT] registry 127.0.0.1:$MTLS_PORT: manifest test/busybox:t: HTTP 404: MANIFEST_UNKNOWN: manifest unknown"
	rm "$dir/client.key"
	run "$CLIENT" --certs-dir "$T/certs" --config "$CFG" "127.0.0.1:$MTLS_PORT" manifest test/busybox t
	expect_error "[EINVAL] registry 127.0.0.1:$MTLS_PORT: $dir: client.cert and client.key go together"
}

@test "registry: push blobs and a manifest; skopeo reads them back" {
	login_alice "127.0.0.1:$TLS_PORT"
	run client_tls push-blob test/pushed "$REG_DIR/config.json"
	[ "$status" -eq 0 ] && [ "$output" = "$CONFIG" ]
	run client_tls push-blob test/pushed "$REG_DIR/layer.tgz"
	[ "$status" -eq 0 ] && [ "$output" = "$LAYER" ]
	run client_tls exists test/pushed "$LAYER"
	[ "$output" = 1 ]
	run client_tls put-manifest test/pushed v1 application/vnd.oci.image.manifest.v1+json "$REG_DIR/manifest.json"
	[ "$status" -eq 0 ]
	REGISTRY_AUTH_FILE=$T/skopeo-auth.json skopeo inspect --raw --creds alice:s3cret \
		--cert-dir "$REG_DIR/certs/127.0.0.1:$TLS_PORT" "docker://127.0.0.1:$TLS_PORT/test/pushed:v1" >"$T/raw"
	cmp "$T/raw" "$REG_DIR/manifest.json"
}

@test "registry: plain HTTP on loopback, after HTTPS fails there" {
	run "$CLIENT" --config "$CFG" "127.0.0.1:$PLAIN_PORT" manifest test/busybox t
	[ "$status" -eq 0 ] && [ "${output%% *}" = "$MANIFEST" ]
	run "$CLIENT" --config "$CFG" "localhost:$PLAIN_PORT" blob test/busybox "$CONFIG" "$CONFIG_SIZE"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$REG_DIR/config.json")" ]
}

@test "registry: a credential helper in config.json is refused by name" {
	mkdir -p "$T/docker"
	printf '{"credsStore":"secretservice"}' >"$CFG"
	run client_tls manifest test/busybox t
	expect_error "[EOPNOTSUPP] registry 127.0.0.1:$TLS_PORT: $CFG: credentials for 127.0.0.1:$TLS_PORT are kept by the credential helper docker-credential-secretservice, and credential helpers are not supported (remove credsStore/credHelpers, or log in with scute login)"
}

@test "hostile registry: a manifest whose digest is not the one asked for" {
	start_hostile none
	local want=sha256:$(printf '%064d' 7)
	run client_hostile manifest wrongdigest "$want"
	expect_error "[EBADMSG] registry 127.0.0.1:$HPORT: manifest wrongdigest@$want: digest mismatch: asked for $want, got $(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import hostile_registry as h; print(h.GOOD_DIGEST)' "$BATS_TEST_DIRNAME")"
}

@test "hostile registry: a Docker-Content-Digest that does not match the body" {
	start_hostile none
	run client_hostile manifest badheader latest
	[ "$status" -eq 1 ]
	[[ "$output" == "[EBADMSG] registry 127.0.0.1:$HPORT: manifest badheader:latest: digest mismatch: Docker-Content-Digest says sha256:$(printf '1%.0s' $(seq 64)), body is sha256:"* ]]
	run client_hostile manifest good latest
	[ "$status" -eq 0 ]
}

@test "hostile registry: oversized and endless manifests stop at 4 MiB" {
	start_hostile none
	run client_hostile manifest big latest
	expect_error "[EFBIG] registry 127.0.0.1:$HPORT: manifest big:latest: GET http://127.0.0.1:$HPORT/v2/big/manifests/latest: body larger than 4194304 bytes (limit)"
	run timeout 20 "$CLIENT" --config "$CFG" "127.0.0.1:$HPORT" manifest endless latest
	expect_error "[EFBIG] registry 127.0.0.1:$HPORT: manifest endless:latest: GET http://127.0.0.1:$HPORT/v2/endless/manifests/latest: body larger than 4194304 bytes (limit)"
}

@test "hostile registry: an endless blob is cut at its size, a short one is an error" {
	start_hostile none
	local d=sha256:$(printf '%064d' 3)
	run timeout 20 "$CLIENT" --config "$CFG" "127.0.0.1:$HPORT" blob endless "$d" 10
	expect_error "[EFBIG] registry 127.0.0.1:$HPORT: blob endless@$d: GET http://127.0.0.1:$HPORT/v2/endless/blobs/$d: more than 10 bytes (endless body)"
	run client_hostile blob short "$d" 10
	[ "$status" -eq 1 ]
	[[ "$output" == "01234[EPROTO] registry 127.0.0.1:$HPORT: blob short@$d: GET http://127.0.0.1:$HPORT/v2/short/blobs/$d: transfer closed with 5 bytes remaining to read" ]]
	run client_hostile blob good "$d" 20
	expect_error "0123456789[EPROTO] registry 127.0.0.1:$HPORT: blob good@$d: 10 of 20 bytes"
}

@test "hostile registry: a stalled transfer fails" {
	start_hostile none
	local d=sha256:$(printf '%064d' 3)
	SECONDS=0
	run "$CLIENT" --stall-timeout 2 --config "$CFG" "127.0.0.1:$HPORT" blob stall "$d" 10
	[ "$SECONDS" -lt 15 ]
	[ "$status" -eq 1 ]
	[[ "$output" == "012[ETIMEDOUT] registry 127.0.0.1:$HPORT: blob stall@$d: GET http://127.0.0.1:$HPORT/v2/stall/blobs/$d: Operation too slow."* ]]
}

@test "hostile registry: credentials do not follow a redirect to another host name" {
	start_hostile basic
	login_alice "127.0.0.1:$HPORT"
	local d=sha256:$(printf '%064d' 3)
	run client_hostile blob redirect "$d" 10
	[ "$status" -eq 0 ] && [ "$output" = 0123456789 ]
	grep -qx "GET /v2/redirect/blobs/$d host=127.0.0.1:$HPORT auth=Basic YWxpY2U6czNjcmV0" "$HLOG"
	grep -qx "GET /data host=localhost:$HPORT auth=none" "$HLOG"
	# The control: a redirect on the same origin keeps them.
	run client_hostile blob sameredirect "$d" 10
	[ "$status" -eq 0 ]
	grep -qx "GET /data host=127.0.0.1:$HPORT auth=Basic YWxpY2U6czNjcmV0" "$HLOG"
}

@test "hostile registry: an upload location on another host gets no credentials" {
	start_hostile basic
	login_alice "127.0.0.1:$HPORT"
	printf 'layer' >"$T/blob"
	run client_hostile push-blob elsewhere "$T/blob"
	[ "$status" -eq 0 ]
	grep -qx "POST /v2/elsewhere/blobs/uploads/ host=127.0.0.1:$HPORT auth=Basic YWxpY2U6czNjcmV0" "$HLOG"
	grep -q "^PUT /upload?id=1&digest=sha256:[0-9a-f]* host=localhost:$HPORT auth=none$" "$HLOG"
}

@test "hostile registry: a redirect from https to http is refused" {
	start_hostile none
	local plain=$HPORT plain_log=$HLOG
	start_hostile basic tls "$plain"
	login_alice "127.0.0.1:$HPORT"
	mkdir -p "$T/certs/127.0.0.1:$HPORT"
	cp "$REG_DIR/ca.crt" "$T/certs/127.0.0.1:$HPORT/"
	local d=sha256:$(printf '%064d' 3)
	run "$CLIENT" --certs-dir "$T/certs" --config "$CFG" "127.0.0.1:$HPORT" blob downgrade "$d" 10
	expect_error "[EPERM] registry 127.0.0.1:$HPORT: blob downgrade@$d: GET https://127.0.0.1:$HPORT/v2/downgrade/blobs/$d: redirect from https to http://127.0.0.1:$plain refused (a downgrade)"
	[ ! -s "$plain_log" ]
}

@test "hostile registry: too many redirects" {
	start_hostile none
	local d=sha256:$(printf '%064d' 3)
	run client_hostile blob loop "$d" 10
	expect_error "[EPROTO] registry 127.0.0.1:$HPORT: blob loop@$d: GET http://127.0.0.1:$HPORT/v2/loop/blobs/$d: more than 5 redirects"
}

@test "hostile registry: the Bearer flow, and a wrong password at the token server" {
	start_hostile bearer
	run client_hostile login alice s3cret
	[ "$status" -eq 0 ]
	run client_hostile manifest good latest
	[ "$status" -eq 0 ]
	grep -qx "GET /token?service=hostile&scope=repository%3Agood%3Apull&account=alice host=127.0.0.1:$HPORT auth=Basic YWxpY2U6czNjcmV0" "$HLOG"
	grep -qx "GET /v2/good/manifests/latest host=127.0.0.1:$HPORT auth=Bearer goodtoken" "$HLOG"
	rm "$CFG"
	run client_hostile login alice wrong
	expect_error "[EACCES] registry 127.0.0.1:$HPORT: login as alice: token: HTTP 401: UNAUTHORIZED: incorrect username or password"
}

@test "hostile registry: a huge token response stops at 1 MiB" {
	start_hostile bearer-huge
	run client_hostile manifest good latest
	expect_error "[EFBIG] registry 127.0.0.1:$HPORT: manifest good:latest: token: GET http://127.0.0.1:$HPORT/token: body larger than 1048576 bytes (limit)"
}

@test "hostile registry: a token realm over plain HTTP elsewhere gets no credentials" {
	start_hostile bearer-http-realm
	login_alice "127.0.0.1:$HPORT"
	run client_hostile manifest good latest
	expect_error "[EPERM] registry 127.0.0.1:$HPORT: manifest good:latest: token realm http://registry.example:80 refused (plain HTTP only to loopback or insecure registries)"
}
