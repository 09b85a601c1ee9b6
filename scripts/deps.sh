#!/bin/sh
# Install what scute needs to build and test on Debian 12 (as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	gcc libc6-dev meson ninja-build pkg-config \
	libjansson-dev libcap-dev libseccomp-dev libcmocka-dev scdoc \
	busybox-static bats jq iproute2 libcap2-bin procps \
	qemu-system-x86 >/dev/null
