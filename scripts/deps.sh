#!/bin/sh
# Install what scute needs to build and test on Debian 12 (as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	gcc libc6-dev meson ninja-build pkg-config \
	libjansson-dev libcap-dev libseccomp-dev nettle-dev libsqlite3-dev libcmocka-dev scdoc \
	libarchive-dev libisal-dev libcurl4-gnutls-dev \
	busybox-static bats jq iproute2 libcap2-bin procps bsdutils uidmap \
	docker-registry skopeo apache2-utils openssl mmdebstrap python3 attr sqlite3 zstd \
	clang libclang-rt-14-dev clang-tidy clang-format cppcheck gcovr \
	qemu-system-x86 >/dev/null
# The engines the integration tests drive scute-runtime from, each started
# by its test under a temporary root: installed without starting their
# services (policy-rc.d 101 tells the package scripts not to).
if ! command -v dockerd >/dev/null || ! command -v podman >/dev/null ||
	! command -v containerd >/dev/null; then
	policy=/usr/sbin/policy-rc.d
	made_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod +x "$policy"
		made_policy=1
	fi
	apt-get install -y -qq containerd docker.io podman >/dev/null
	[ -z "$made_policy" ] || rm -f "$policy"
fi
