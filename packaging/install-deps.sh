#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the Debian packages vmm needs to build and test, only those
# that are missing. Runs apt-get as root (or through sudo).
set -euo pipefail

packages=(
        # build
        gcc make cmake pkg-config
        # the fixed dependencies
        libxml2-dev libuv1-dev libssl-dev libprotobuf-c-dev protobuf-c-compiler
        libsystemd-dev libnl-3-dev libnl-route-3-dev libjson-c-dev libcmocka-dev
        # vmmctl's interactive shell
        libedit-dev
        # tests: schema checks of unit files, socket activation, JSON checks
        systemd libxml2-utils python3
        # the qemu driver (QEMU runs guests with TCG where there is no KVM)
        qemu-system-x86 qemu-utils
        # tap e2e test (qemud-e2e-tap.sh): a bridge in its namespace (ip),
        # a DHCP server on it for the guest (dnsmasq)
        iproute2 dnsmasq-base
        # fuzzing (tests/fuzz/run-fuzz.sh): clang and its libFuzzer runtime
        clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
                missing+=("$p")
        fi
done

if [ ${#missing[@]} -eq 0 ]; then
        exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
fi
echo "installing missing packages: ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
