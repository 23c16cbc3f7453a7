#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Quick start: installs what is missing, builds vmm, and runs a short
# session on the embedded test driver (test:///default): no hypervisor
# and no daemon needed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packaging/install-deps.sh
cmake -S . -B build/quickstart -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/quickstart -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

vmmctl=build/quickstart/cli/vmmctl
echo "== vmmctl on test:///default"
set -x
"$vmmctl" -c test:///default "list --all ; define examples/guest-test.xml ; start guest1 ; list --all ; dominfo guest1 ; destroy guest1 ; undefine guest1 ; list --all"
