#!/bin/bash
# tests/fuzz/run.sh [SECONDS]: build the libFuzzer targets (clang, ASan and
# UBSan, leaks found too) in build-fuzz and run each for SECONDS (default
# 60) from its seed corpus in tests/fuzz/corpus/TARGET. New inputs go to a
# scratch directory; a crash stops the run, its input kept in
# build-fuzz/crashes/ (fix it, then add the input to the target's corpus).
set -euo pipefail
secs=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$src/build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" >/dev/null
mkdir -p "$build/crashes"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for f in "$src"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	t=${t#fuzz_}
	scratch=$(mktemp -d)
	seeds=("$src/tests/fuzz/corpus/$t")
	# Docker-format profiles from elsewhere are seeds too, when present.
	[ "$t" != seccomp_docker ] || [ ! -d "$src/../shared/testdata" ] ||
		seeds+=("$src/../shared/testdata")
	echo "== fuzz_$t for ${secs}s"
	if ! "$build/tests/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$build/crashes/$t-" -print_final_stats=1 \
		"$scratch" "${seeds[@]}" >"$build/fuzz_$t.log" 2>&1; then
		tail -n 40 "$build/fuzz_$t.log"
		status=1
	fi
	grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz_$t.log" | tr '\n' ' '
	echo
	rm -rf "$scratch"
done
exit $status
