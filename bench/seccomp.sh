#!/bin/bash
# Seccomp on the start path: run of /bin/true with scute's default profile
# (the OCI section `spec` writes) given to all three runtimes; scute with a
# cold compiled-filter cache (emptied before each run) and a warm one. Then
# the cost of compiling the containers-common profile (cold minus warm) and
# of loading a cached filter (--debug timestamps).
#
#   bench/seccomp.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
rounds=${1:-5}
runs=${2:-40}
. "$(dirname "$0")/lib.sh"

bundle default "$scute spec" '.ociVersion = "1.0.2"'
bundle none "$scute spec" '.ociVersion = "1.0.2" | del(.linux.seccomp)'
profile=$src/../shared/testdata/containers-default-seccomp.json
[ -f "$profile" ] || profile=$src/profiles/seccomp-default.json
"$scute" seccomp convert "$profile" >"$work/cc.json"
jq --slurpfile cc "$work/cc.json" '.linux.seccomp = $cc[0]' "$work/default/config.json" \
	>"$work/cc-config.json"
mkdir -p "$work/common" && mv "$work/cc-config.json" "$work/common/config.json"

bench_header
measure "default profile" "$rounds" "$runs" \
	"scute-warm|$scute|default|" \
	"scute-cold|$scute|default|rm -rf $states/state-scute-cold/seccomp-cache" \
	"scute-none|$scute|none|" \
	"crun|crun|default|" "runc|runc|default|"
measure "containers-common profile ($(basename "$profile"))" "$rounds" "$runs" \
	"cc-warm|$scute|common|" \
	"cc-cold|$scute|common|rm -rf $states/state-cc-cold/seccomp-cache" \
	"crun|crun|common|"

# The filter load from the cache: from "config loaded" to "cache: hit".
for i in $(seq 20); do
	"$scute" --root "$states/state-scute-warm" --debug run -b "$work/default" bench 2>&1 |
		awk -F'[][ ]' '/config loaded/ { split($2, a, "."); t0 = a[1] * 1e6 + a[2] }
			/seccomp cache: hit/ { split($2, a, "."); print (a[1] * 1e6 + a[2] - t0) / 1000 }'
done | sort -g | awk '{ v[NR] = $1 } END { printf "cached filter load: median %.3f ms over %d runs\n", v[int((NR + 1) / 2)], NR }'
