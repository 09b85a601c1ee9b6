# Shared by the registry tests: Debian's docker-registry on 127.0.0.1 under
# a temporary directory ($REG_DIR), a test CA and server/client
# certificates, and a one-layer OCI layout of busybox-static for skopeo to
# push.

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL: until something answers there (5 s).
wait_http() {
	local i
	for i in $(seq 50); do
		curl -sk -o /dev/null "$1" && return 0
		sleep 0.1
	done
	echo "nothing answers at $1" >&2
	return 1
}

# wait_port PORT: until 127.0.0.1:PORT accepts connections (5 s).
wait_port() {
	local i
	for i in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "nothing listens on $1" >&2
	return 1
}

make_ca() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=scute test CA" \
		-keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/san.ext" -out "$d/server.crt" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=scute test client" \
		-keyout "$d/client.key" -out "$d/client.csr" 2>/dev/null
	openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -out "$d/client.cert" 2>/dev/null
}

# A one-layer OCI image layout of busybox-static, tag "t".
make_layout() {
	local d=$1 l=$1/layout
	mkdir -p "$d/rootfs/bin" "$l/blobs/sha256"
	cp /bin/busybox "$d/rootfs/bin/busybox"
	tar -C "$d/rootfs" --owner=0 --group=0 --mtime=@0 -cf "$d/layer.tar" .
	DIFF_ID=sha256:$(sha256sum <"$d/layer.tar" | cut -d' ' -f1)
	gzip -n -c "$d/layer.tar" >"$d/layer.tgz"
	LAYER=sha256:$(sha256sum <"$d/layer.tgz" | cut -d' ' -f1)
	LAYER_SIZE=$(stat -c %s "$d/layer.tgz")
	cp "$d/layer.tgz" "$l/blobs/sha256/${LAYER#sha256:}"
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/busybox","sh"]},"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
		"$DIFF_ID" >"$d/config.json"
	CONFIG=sha256:$(sha256sum <"$d/config.json" | cut -d' ' -f1)
	CONFIG_SIZE=$(stat -c %s "$d/config.json")
	cp "$d/config.json" "$l/blobs/sha256/${CONFIG#sha256:}"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
		"$CONFIG" "$CONFIG_SIZE" "$LAYER" "$LAYER_SIZE" >"$d/manifest.json"
	MANIFEST=sha256:$(sha256sum <"$d/manifest.json" | cut -d' ' -f1)
	cp "$d/manifest.json" "$l/blobs/sha256/${MANIFEST#sha256:}"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"t"}}]}' \
		"$MANIFEST" "$(stat -c %s "$d/manifest.json")" >"$l/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$l/oci-layout"
}

# start_docker_registry NAME PORT [tls|mtls]: Debian's docker-registry (tls:
# htpasswd auth; mtls: a client certificate signed by the test CA instead).
start_docker_registry() {
	local name=$1 port=$2 d=$REG_DIR
	{
		printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$d/$name-data"
		printf 'http:\n  addr: 127.0.0.1:%s\n' "$port"
		if [ "${3:-}" = tls ] || [ "${3:-}" = mtls ]; then
			printf '  tls:\n    certificate: %s\n    key: %s\n' "$d/server.crt" "$d/server.key"
		fi
		if [ "${3:-}" = mtls ]; then
			printf '    clientcas:\n      - %s\n' "$d/ca.crt"
		elif [ "${3:-}" = tls ]; then
			printf 'auth:\n  htpasswd:\n    realm: scute-test\n    path: %s\n' "$d/htpasswd"
		fi
	} >"$d/$name.yml"
	docker-registry serve "$d/$name.yml" >"$d/$name.log" 2>&1 &
	echo $! >"$d/$name.pid"
}

# Stop every registry started under $REG_DIR and remove it.
stop_registries() {
	local f
	for f in "$REG_DIR"/*.pid; do
		[ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	rm -rf "$REG_DIR"
}

# port_from FILE: the port a test server wrote to FILE once it listens (5 s).
port_from() {
	for _ in $(seq 50); do
		[ -s "$1" ] && break
		sleep 0.1
	done
	cat "$1"
}
