#!/bin/bash
# Line coverage of src/lib from the whole test suite (unit, integration,
# and the VM tests unless SCUTE_SKIP_VM is set), with gcov and gcovr.
#   scripts/coverage.sh [BUILD_DIR] [MIN]   (default build-cov, 80)
# Builds BUILD_DIR with -Db_coverage=true, runs tests/run-all.sh against it
# (any test failure fails this), writes BUILD_DIR/coverage.txt and
# BUILD_DIR/coverage.html, and fails when src/lib's line coverage is below
# MIN percent. Container processes write their counters through a handle
# on the host's root (src/lib/coverage.h); umask 0 keeps the counter files
# writable for the non-root users some tests run as.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-cov}
min=${2:-80}
[ -f "$build/build.ninja" ] ||
	meson setup "$build" -Db_coverage=true -Dbuildtype=debug >/dev/null
ninja -C "$build" >/dev/null
find "$build" -name '*.gcda' -delete
umask 0
SCUTE_BUILD_DIR="$PWD/$build" tests/run-all.sh >"$build/tests.log" 2>&1 ||
	{ tail -n 60 "$build/tests.log"; echo "coverage: the test suite failed"; exit 1; }
tail -n 1 "$build/tests.log"
umask 022
gcovr -r . --object-directory "$build" --filter 'src/lib/' \
	--txt "$build/coverage.txt" --html-details "$build/coverage.html" \
	--print-summary --fail-under-line "$min" "$build" ||
	{ cat "$build/coverage.txt"; echo "coverage: src/lib is below $min% of lines"; exit 1; }
