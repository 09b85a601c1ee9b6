#!/bin/bash
# libscute's folders are layers (docs/hacking.md "Layout of libscute"): a
# file may include headers of its own folder or of a lower layer only.
# Front ends (src/runtime) include the public API (src/lib/scute.h) and
# their own headers only. The engine (src/engine) is a layer above
# libscute: it includes scute.h, base/cleanup.h (the cleanup attributes)
# and headers of its own folders, never another libscute header. Prints
# each include that breaks a rule; exits 1 if there is one.
set -euo pipefail
cd "$(dirname "$0")/../../src/lib"
declare -A rank=([base]=0 [oci]=1 [security]=2 [cgroups]=2 [sandbox]=3)
declare -A home
for d in "${!rank[@]}"; do
	for f in "$d"/*; do home[${f##*/}]=$d; done
done
bad=0
for d in "${!rank[@]}"; do
	for f in "$d"/*.[ch]; do
		while read -r inc; do
			h=${home[$inc]:-}
			[ -n "$h" ] && [ "$h" != "$d" ] || continue
			if [ "${rank[$h]}" -ge "${rank[$d]}" ]; then
				echo "layers: $f includes $h/$inc (a layer not below $d)"
				bad=1
			fi
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
	done
done
for f in ../runtime/*.[ch]; do
	while read -r inc; do
		case $inc in
		scute.h | runtime*.h) ;;
		*)
			echo "layers: ${f#../} includes $inc (front ends use scute.h only)"
			bad=1
			;;
		esac
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
# The engine's folders, by file name (headers are reached with -iquote).
declare -A engine
for f in ../engine/*/*.h; do
	[ -e "$f" ] && engine[${f##*/}]=1
done
for f in ../engine/*/*.[ch]; do
	[ -e "$f" ] || continue
	while read -r inc; do
		case $inc in
		scute.h | base/cleanup.h) ;;
		*)
			if [ -z "${engine[$inc]:-}" ]; then
				echo "layers: ${f#../} includes $inc (the engine uses scute.h, base/cleanup.h and its own headers)"
				bad=1
			fi
			;;
		esac
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
# The scute CLI (src/cli) is a front end over the engine: scute.h,
# base/cleanup.h, the engine's headers and its own (format/ included).
for f in ../cli/*.[ch] ../cli/*/*.[ch]; do
	[ -e "$f" ] || continue
	while read -r inc; do
		case $inc in
		scute.h | base/cleanup.h | cli*.h | run_flags*.h | format*.h) ;;
		*)
			if [ -z "${engine[$inc]:-}" ]; then
				echo "layers: ${f#../} includes $inc (the CLI uses scute.h, base/cleanup.h, the engine's headers and its own)"
				bad=1
			fi
			;;
		esac
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
exit "$bad"
