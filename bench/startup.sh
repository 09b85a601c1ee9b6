#!/bin/bash
# Container start path: scute-runtime vs crun vs runc, `run` of /bin/true on
# the same busybox rootfs, (a) each runtime's own default spec, (b) one
# identical hardened config for all three (scute's spec, seccomp included).
# Rounds alternate the runtimes so drift on the machine hits all alike.
#
#   bench/startup.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
rounds=${1:-5}
runs=${2:-40}
. "$(dirname "$0")/lib.sh"

bundle own-scute "$scute spec"
bundle own-crun "crun spec"
bundle own-runc "runc spec"
# crun 1.8 knows runtime-spec versions up to 1.1 only; the content is the same.
bundle hardened "$scute spec" '.ociVersion = "1.0.2"'

bench_header
measure "own default spec" "$rounds" "$runs" \
	"scute|$scute|own-scute|" "crun|crun|own-crun|" "runc|runc|own-runc|"
# The floor, making the same namespaces and running true and nothing else
# (issue 12's goal: the hardened config within 3x of it), is timed in the
# same alternating rounds, so that it sees the same machine.
floor_cmd="unshare --fork --pid --mount --uts --ipc --net true"
measure "identical hardened config" "$rounds" "$runs" \
	"scute|$scute|hardened|" "crun|crun|hardened|" "runc|runc|hardened|" "floor|$floor_cmd||"
echo "== floor: $floor_cmd"
awk -v f="$(median "$last_times" floor)" -v s="$(median "$last_times" scute)" \
	'BEGIN { printf "  scute hardened / floor %.2fx\n", s / f }'
