#!/bin/bash
# Run every test: the cmocka unit tests, then the bats integration tests (as
# root, on the real kernel). Builds first if needed. Ends with the summary
# line "N passed, N failed, N skipped"; exits non-zero on any failure.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${SCUTE_BUILD_DIR:-$src/build}
export SCUTE_BUILD_DIR=$build

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" >/dev/null || exit 1
fi
ninja -C "$build" >/dev/null || { echo "build failed"; exit 1; }

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$build"/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	ok=$(grep -c '^\[       OK \]' "$log")
	bad=$(grep -c '^\[  FAILED  \] [a-z_]' "$log")
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		failed=$((failed + 1)) # crashed before reporting
	fi
done

if [ "$(id -u)" -ne 0 ]; then
	echo "integration tests need root; skipped"
else
	bats --tap "$src"/tests/integration/*.bats | tee "$log"
	passed=$((passed + $(grep -c '^ok .*' "$log") - $(grep -c '^ok .* # skip' "$log")))
	skipped=$((skipped + $(grep -c '^ok .* # skip' "$log")))
	failed=$((failed + $(grep -c '^not ok' "$log")))
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n1)
	ran=$(grep -c '^\(not \)\?ok ' "$log")
	if [ -n "$planned" ] && [ "$ran" -lt "$planned" ]; then
		failed=$((failed + planned - ran)) # the runner stopped early
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
