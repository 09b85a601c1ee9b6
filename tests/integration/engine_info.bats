#!/usr/bin/env bats
# scute info and version (issue 14): the engine config's keys as info
# shows them with the config file as their source, the built-in defaults
# without one, errors naming the key (and the value) that is wrong, the
# store's counts, docker's JSON keys under --format, and version's
# sections.

load images

TOOL=$BUILD_DIR/tests/container-tool

every_key_config() {
	mkdir -p "$TEST_DIR/certs"
	cat >"$TEST_DIR/scute.json" <<JSON
{
	"data-root": "$TEST_DIR/elsewhere",
	"certs-dir": "$TEST_DIR/certs",
	"exec-root": "$TEST_DIR/run",
	"max-layer-size": "2g",
	"insecure-registries": ["registry.test:5000", "10.9.0.0/16"],
	"no-new-privileges": false,
	"seccomp-profile": "unconfined",
	"default-ulimits": {"nproc": {"Name": "nproc", "Soft": 512, "Hard": 1024}},
	"default-shm-size": "128M",
	"default-cgroupns-mode": "host",
	"init": true,
	"init-path": "/usr/bin/tini-test",
	"log-driver": "json-file",
	"log-opts": {"max-size": "10m", "max-file": "3"},
	"default-capabilities": ["chown", "cap_kill", "CAP_SETUID"],
	"default-pids-limit": 256
}
JSON
}

# The line of `info` that starts with LABEL (after its indent).
info_line() {
	grep -E "^ +$1: " <<<"$output"
}

@test "info: every key of the config, with the config as its source" {
	every_key_config
	run sc info
	echo "$output"
	[ "$status" -eq 0 ]
	cfg=$TEST_DIR/scute.json
	[ "$(info_line Capabilities)" = "  Capabilities: CAP_CHOWN, CAP_KILL, CAP_SETUID ($cfg)" ]
	[ "$(info_line 'No New Privileges')" = "  No New Privileges: false ($cfg)" ]
	[ "$(info_line 'Seccomp Profile')" = "  Seccomp Profile: unconfined ($cfg)" ]
	[ "$(info_line 'Pids Limit')" = "  Pids Limit: 256 ($cfg)" ]
	[ "$(info_line Ulimits)" = "  Ulimits: nofile=1024:1024, nproc=512:1024 ($cfg)" ]
	[ "$(info_line 'Shm Size')" = "  Shm Size: 128MiB ($cfg)" ]
	[ "$(info_line 'Cgroupns Mode')" = "  Cgroupns Mode: host ($cfg)" ]
	[ "$(info_line Init)" = "  Init: true ($cfg)" ]
	[ "$(info_line 'Init Path')" = "  Init Path: /usr/bin/tini-test ($cfg)" ]
	[ "$(info_line 'Log Driver')" = "  Log Driver: json-file ($cfg)" ]
	[ "$(info_line 'Log Opts')" = "  Log Opts: max-size=10m, max-file=3 ($cfg)" ]
	[ "$(info_line 'Network Mode')" = "  Network Mode: none (built-in)" ]
	[ "$(info_line 'Engine Config')" = " Engine Config: $cfg" ]
	[ "$(info_line 'Exec Root')" = " Exec Root: $TEST_DIR/run" ]
	[ "$(info_line 'Certs Dir')" = " Certs Dir: $TEST_DIR/certs" ]
	[ "$(info_line 'Max Layer Size')" = " Max Layer Size: 2GiB" ]
	[ "$(info_line 'Logging Driver')" = " Logging Driver: json-file" ]
	grep -qx '  registry.test:5000' <<<"$output"
	grep -qx '  10.9.0.0/16' <<<"$output"
	# the security options follow the defaults: no no-new-privileges,
	# no cgroupns, seccomp's profile as configured
	grep -qx '   Profile: unconfined' <<<"$output"
	! grep -qx '  no-new-privileges' <<<"$output"
	! grep -qx '  cgroupns' <<<"$output"
	# --root wins over data-root; the store was not made by looking
	[ "$(info_line 'Docker Root Dir')" = " Docker Root Dir: $STORE" ]
	[ ! -e "$STORE" ] && [ ! -e "$TEST_DIR/elsewhere" ]
}

@test "info: the same in docker's JSON keys, ScuteDefaults with sources" {
	every_key_config
	run sc info --format json
	[ "$status" -eq 0 ]
	cfg=$TEST_DIR/scute.json
	j() { jq -r "$1" <<<"$output"; }
	[ "$(j '.ScuteDefaults.PidsLimit.Value')" = 256 ]
	[ "$(j '.ScuteDefaults.PidsLimit.Source')" = "$cfg" ]
	[ "$(j '.ScuteDefaults.ShmSize.Value')" = 134217728 ]
	[ "$(j '.ScuteDefaults.Capabilities.Value | join(",")')" = CAP_CHOWN,CAP_KILL,CAP_SETUID ]
	[ "$(j '.ScuteDefaults.Ulimits.Value[1] | "\(.Name) \(.Soft) \(.Hard)"')" = "nproc 512 1024" ]
	[ "$(j '.ScuteDefaults.NetworkMode.Source')" = built-in ]
	[ "$(j '.SecurityOptions | map(select(startswith("name=seccomp"))) | .[0]')" = name=seccomp,profile=unconfined ]
	[ "$(j '.RegistryConfig.IndexConfigs["registry.test:5000"].Secure')" = false ]
	[ "$(j '.RegistryConfig.InsecureRegistryCIDRs | index("10.9.0.0/16") != null')" = true ]
	[ "$(j '.Containers')" = 0 ] && [ "$(j '.Images')" = 0 ]
	[ "$(j '.Driver')" = overlay2 ] && [ "$(j '.OSType')" = linux ]
	[ "$(j '.NCPU')" = "$(nproc)" ]
	[ "$(j '.KernelVersion')" = "$(uname -r)" ]
	[ "$(j '.Architecture')" = "$(uname -m)" ]
	# a template, as docker's -f takes it
	run sc info -f '{{.ScuteDefaults.CgroupnsMode.Value}} {{.ServerVersion}}'
	[ "$status" -eq 0 ]
	[[ "$output" == "host "* ]]
	run sc info -f '{{json .ScuteDefaults.Init}}'
	[ "$output" = "{\"Source\":\"$cfg\",\"Value\":true}" ]
	run sc info -f '{{.Nope'
	[ "$status" -eq 125 ]
	[[ "$output" == *"--format"* ]]
}

@test "info: without a config every default is built-in, as the hardened spec has it" {
	rm "$TEST_DIR/scute.json"
	run "$SCUTE" --root "$STORE" --config "$TEST_DIR/absent.json" info
	[ "$status" -eq 125 ]
	[[ "$output" == *"$TEST_DIR/absent.json"* ]]
	# no --config and no /etc/scute/scute.json: no config at all
	if [ ! -e /etc/scute/scute.json ]; then
		run "$SCUTE" --root "$STORE" info --format json
		[ "$status" -eq 0 ]
		[ "$(jq -r '[.ScuteDefaults[].Source] | unique | join(",")' <<<"$output")" = built-in ]
		[ "$(jq -r '.ScuteEngine.ConfigFile' <<<"$output")" = null ]
		run "$SCUTE" --root "$STORE" info
		[ "$(info_line 'Engine Config')" = " Engine Config: none" ]
	fi
	echo '{}' >"$TEST_DIR/scute.json"
	run sc info --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.ScuteDefaults[].Source] | unique | join(",")' <<<"$output")" = built-in ]
	[ "$(jq -r '.ScuteEngine.ConfigFile' <<<"$output")" = "$TEST_DIR/scute.json" ]
	run sc info
	echo "$output"
	[ "$(info_line Capabilities)" = "  Capabilities: CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_NET_BIND_SERVICE, CAP_SETGID, CAP_SETPCAP, CAP_SETUID (built-in)" ]
	[ "$(info_line 'No New Privileges')" = "  No New Privileges: true (built-in)" ]
	[ "$(info_line 'Seccomp Profile')" = "  Seccomp Profile: builtin (built-in)" ]
	[ "$(info_line 'Pids Limit')" = "  Pids Limit: 1024 (built-in)" ]
	[ "$(info_line Ulimits)" = "  Ulimits: nofile=1024:1024 (built-in)" ]
	[ "$(info_line 'Shm Size')" = "  Shm Size: 64MiB (built-in)" ]
	[ "$(info_line 'Cgroupns Mode')" = "  Cgroupns Mode: private (built-in)" ]
	[ "$(info_line Init)" = "  Init: false (built-in)" ]
	[ "$(info_line 'Init Path')" = "  Init Path: /usr/local/libexec/scute/scute-init (built-in)" ]
	[ "$(info_line 'Log Driver')" = "  Log Driver: json-file (built-in)" ]
	[ "$(info_line 'Log Opts')" = "  Log Opts: none (built-in)" ]
	[ "$(info_line 'Exec Root')" = " Exec Root: /run/scute" ]
	[ "$(info_line 'Max Layer Size')" = " Max Layer Size: 64GiB" ]
	grep -qx '   Profile: builtin' <<<"$output"
	grep -qx '  no-new-privileges' <<<"$output"
	grep -qx '  cgroupns' <<<"$output"
	# the host's own facts, read where the kernel keeps them
	cgv=1
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] && cgv=2
	[ "$(info_line 'Cgroup Version')" = " Cgroup Version: $cgv" ]
	[ "$(info_line 'Kernel Version')" = " Kernel Version: $(uname -r)" ]
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
		grep -qx '  apparmor' <<<"$output"
	else
		! grep -qx '  apparmor' <<<"$output"
	fi
}

@test "info: an unknown key is refused, naming it" {
	engine_config '{"init": true, "no-such-option": 1}'
	run sc info
	[ "$status" -eq 125 ]
	[[ "$output" == *"$TEST_DIR/scute.json: unknown key \"no-such-option\""* ]]
}

@test "info: a bad value is refused, naming the key and the value" {
	for bad in '"default-cgroupns-mode": "shared"|default-cgroupns-mode: "shared"' \
		'"default-shm-size": "12x"|default-shm-size: "12x"' \
		'"log-driver": "syslog"|log-driver: "syslog"' \
		'"seccomp-profile": "relative.json"|seccomp-profile: "relative.json"' \
		'"init-path": "tini"|init-path: "tini"' \
		'"default-pids-limit": 0|default-pids-limit: 0' \
		'"default-capabilities": ["CAP_FLY"]|default-capabilities[0]: unknown capability "CAP_FLY"' \
		'"default-ulimits": {"nofile": {"Soft": 9, "Hard": 1}}|default-ulimits.nofile: Soft 9 is above Hard 1' \
		'"default-ulimits": {"files": {"Soft": 1, "Hard": 1}}|default-ulimits: unknown ulimit "files"' \
		'"log-opts": {"max-file": "none"}|log-opts.max-file: "none"' \
		'"no-new-privileges": "yes"|no-new-privileges: not a boolean' \
		'"init": 1|init: not a boolean'; do
		engine_config "{${bad%%|*}}"
		run sc info
		echo "$bad: $output"
		[ "$status" -eq 125 ]
		[[ "$output" == *"$TEST_DIR/scute.json: ${bad#*|}"* ]]
	done
}

@test "info: counts the store's containers and images, as the kernel has them" {
	busybox_rootfs
	sc import "$TEST_DIR/rootfs.tar" scute-test/info:1 >/dev/null
	engine_config "{\"exec-root\": \"$TEST_DIR/run\"}"
	on_teardown "for m in \$(awk -v d='$TEST_DIR' 'index(\$5, d) == 1 { print \$5 }' /proc/self/mountinfo | sort -r); do umount -l \$m; done"
	on_teardown "for id in \$(sqlite3 '$STORE/scute.db' 'SELECT id FROM containers'); do '$TOOL' '$STORE' '$TEST_DIR/run' rm -f \$id; done"
	"$TOOL" "$STORE" "$TEST_DIR/run" make scute-test/info:1 one true >/dev/null
	"$TOOL" "$STORE" "$TEST_DIR/run" make scute-test/info:1 up sh -c 'sleep 300' >/dev/null
	counts='{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}} {{.Images}}'
	run sc info --format "$counts"
	[ "$status" -eq 0 ]
	[ "$output" = "2 0 0 2 1" ]
	"$TOOL" "$STORE" "$TEST_DIR/run" start -d up
	run sc info
	[ "$(info_line Containers)" = " Containers: 2" ]
	[ "$(info_line Running)" = "  Running: 1" ]
	[ "$(info_line Stopped)" = "  Stopped: 1" ]
	[ "$(info_line Images)" = " Images: 1" ]
	[ "$(info_line 'Docker Root Dir')" = " Docker Root Dir: $STORE" ]
	# killed behind scute's back, its waiter too: not counted as running
	pid=$(sc inspect -f '{{.State.Pid}}' up)
	waiter=$(ps -o ppid= -p "$pid" | tr -d ' ')
	kill -9 "$waiter" "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	run sc info --format "$counts"
	[ "$output" = "2 0 0 2 1" ]
}

@test "version: client and server sections, --format" {
	run sc version
	echo "$output"
	[ "$status" -eq 0 ]
	ver=$(sed -n "s/^  version : '\(.*\)',$/\1/p" "$SRC_ROOT/meson.build")
	grep -qx " Version:          $ver" <<<"$output"
	grep -qx " API version:      1.41" <<<"$output"
	grep -qx "Server: scute Engine" <<<"$output"
	grep -qx " libseccomp:" <<<"$output"
	run sc version --format '{{.Server.Version}} {{.Client.ApiVersion}} {{.Server.Os}}'
	[ "$output" = "$ver 1.41 linux" ]
	run sc version -f json
	[ "$(jq -r '.Server.Components[] | select(.Name == "libscute") | .Version' <<<"$output")" = "$ver" ]
	[ "$(jq -r '.Server.Components[] | select(.Name == "libseccomp") | .Version' <<<"$output")" != "" ]
	[ "$(jq -r '.Server.KernelVersion' <<<"$output")" = "$(uname -r)" ]
	# built from a git checkout: a commit of it (the build's, maybe not HEAD)
	if git -C "$SRC_ROOT" rev-parse HEAD >/dev/null 2>&1; then
		commit=$(jq -r .Client.GitCommit <<<"$output")
		[[ "$commit" =~ ^[0-9a-f]{12}$ ]]
		git -C "$SRC_ROOT" cat-file -e "$commit^{commit}"
	fi
}
