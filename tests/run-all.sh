#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The whole test suite, as CI runs it: installs what is missing, builds
# with -Werror twice (plain, and with ASan+UBSan) and runs every test in
# both builds. Long fuzz and load runs are opt-in (VMM_LONG_TESTS=1).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

packaging/install-deps.sh

run_build() {
        local dir=$1
        shift
        cmake -S . -B "$dir" -DVMM_WERROR=ON "$@" >/dev/null
        cmake --build "$dir" -j"$jobs"
        ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 600
}

# The independent Node.js client test needs protobufjs (pinned by
# tests/node/package-lock.json); without node it skips with a message.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        echo "== npm ci (tests/node)"
        npm ci --prefix tests/node --no-audit --no-fund ||
                echo "npm ci failed: the Node.js client test will skip"
fi

echo "== build and test (-Werror)"
run_build build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo

echo "== build and test (-Werror, ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_build build/ci-asan -DCMAKE_BUILD_TYPE=Debug -DVMM_SANITIZE=ON
