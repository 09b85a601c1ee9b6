#!/bin/bash
# Static analysis as CI runs it; any finding fails.
#   1. clang-format --dry-run --Werror over every C file (.clang-format),
#      and libscute's include layers (scripts/lint/layers.sh)
#   2. clang-tidy over src/ (.clang-tidy says which checks and why not others)
#   3. cppcheck over everything the build compiles
#   4. gcc -fanalyzer over the whole build; reports read and found false
#      are listed in scripts/lint/analyzer-known with the reason
# Usage: scripts/lint.sh [BUILD_DIR]   (a configured meson build, default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/compile_commands.json" ] || meson setup "$build" >/dev/null
# Built, so that the generated sources the compile database names exist.
ninja -C "$build" >/dev/null
failed=0

echo "-- clang-format"
git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror || failed=1

echo "-- include layers"
scripts/lint/layers.sh || failed=1

echo "-- clang-tidy"
# The generated sources (embedded profiles) are left out: they are data.
run-clang-tidy -p "$build" -quiet -j "$(nproc)" "$PWD/src/" >"$build/clang-tidy.log" 2>&1 ||
	{ grep -E "(warning|error): " "$build/clang-tidy.log" | sort -u; failed=1; }

echo "-- cppcheck"
# Left out: variableScope (style); readdir/usleep/getpwuid thread-safety
# (every scute process is single-threaded); the probe's fds at exit (it is
# a one-shot test helper); glibc's own MS_NOUSER (1 << 31) in sys/mount.h,
# which the engine's pkg-config -I/usr/include/<triplet> lets cppcheck read;
# varFuncNullUB: a NULL that ends a test's list of strings, which glibc's
# NULL ((void *)0) makes a pointer as the callee reads it.
cppcheck --project="$build/compile_commands.json" -i "$build" -q -j "$(nproc)" \
	--enable=warning,style,portability,performance --inline-suppr --error-exitcode=1 \
	-D__x86_64__ -D__GNUC__ --library=posix --library=scripts/lint/jansson.cfg \
	--suppress=missingIncludeSystem --suppress=variableScope --suppress=readdirCalled \
	--suppress=usleepCalled --suppress=getpwuidCalled --suppress=varFuncNullUB \
	--suppress="resourceLeak:*tests/probe/probe.c" \
	--suppress="integerOverflow:/usr/include/*/sys/mount.h" \
	--suppress="shiftTooManyBitsSigned:/usr/include/*/sys/mount.h" || failed=1

echo "-- gcc -fanalyzer"
analyzer_build="$build-analyzer"
[ -d "$analyzer_build" ] || CC=gcc meson setup "$analyzer_build" -Dc_args=-fanalyzer >/dev/null
ninja -C "$analyzer_build" -t clean >/dev/null
ninja -C "$analyzer_build" >"$analyzer_build/analyzer.log" 2>&1 ||
	{ tail -n 30 "$analyzer_build/analyzer.log"; failed=1; }
# "FILE: In function 'F':" comes before each function's reports ("In
# function 'F'," alone when F was inlined from a header).
awk -v known=scripts/lint/analyzer-known '
	BEGIN { while ((getline l < known) > 0) if (l !~ /^#/ && split(l, f, " ") >= 3) ok[f[1] " " f[2] " " f[3]] = 1 }
	/(: |^)In function / { fn = $0; sub(/.*In function [^A-Za-z_]*/, "", fn); sub(/[^A-Za-z0-9_]*$/, "", fn) }
	/: warning: .*\[-Wanalyzer-/ {
		file = $0; sub(/:.*/, "", file); sub(/^(\.\.\/)+/, "", file); sub(/^.*\/src\//, "src/", file)
		opt = $0; sub(/.*\[/, "", opt); sub(/\].*/, "", opt)
		if (!ok[file " " fn " " opt]) { print; bad = 1 }
	}
	END { exit bad }' "$analyzer_build/analyzer.log" || failed=1

[ "$failed" -eq 0 ] && echo "lint: clean"
exit "$failed"
