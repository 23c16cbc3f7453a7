#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the build into a temporary prefix, compiles examples/list-domains.c
# against the installed headers and library through pkg-config, as a user
# of the library would, runs it on test:///default and checks its output.
#   test-example-install.sh BUILD_DIR EXAMPLE_SOURCE
set -eu

build=$1
src=$2
cc=${CC:-cc}

command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }
command -v "$cc" >/dev/null || { echo "SKIP: no C compiler ($cc)"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vmm-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
        cat "$work/install.log"
        echo "FAIL: cmake --install $build --prefix $prefix"
        exit 1
fi

pc=$(find "$prefix" -name libvmm.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: libvmm.pc was not installed under $prefix"; exit 1; }
[ -f "$prefix/include/vmm/vmm.h" ] || { echo "FAIL: vmm/vmm.h was not installed"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
# The .pc names paths relative to ${prefix}; the install went elsewhere
# than the configured prefix, so say where.
flags=$(pkg-config --define-variable=prefix="$prefix" --cflags --libs libvmm)
libdir=$(pkg-config --define-variable=prefix="$prefix" --variable=libdir libvmm)
case "$flags" in
*"$prefix"*) ;;
*) echo "FAIL: pkg-config flags do not point into the prefix: $flags"; exit 1 ;;
esac

# Only the installed headers: no -I into the source tree. A library built
# with sanitizers needs their runtime first in the program
# (VMM_EXAMPLE_CFLAGS comes from the sanitizer build).
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror ${VMM_EXAMPLE_CFLAGS:-} "$src" $flags -o "$work/list-domains"

LD_LIBRARY_PATH=$libdir "$work/list-domains" test:///default >"$work/out" 2>&1 || {
        rc=$?
        cat "$work/out"
        echo "FAIL: list-domains exited with $rc"
        exit 1
}
cat "$work/out"
# The default state's one domain: id 1, name test, running, 2 GiB.
if ! grep -Eq '^ +1 +test +running +2097152$' "$work/out"; then
        echo "FAIL: the domain 'test' (id 1, running, 2097152 KiB) is not listed"
        exit 1
fi
# A URI that no driver serves fails with a message, not a crash.
if LD_LIBRARY_PATH=$libdir "$work/list-domains" test:///no/such/file.xml >"$work/err" 2>&1; then
        echo "FAIL: opening a missing test file succeeded"
        exit 1
fi
grep -q 'no/such/file.xml' "$work/err" || { cat "$work/err"; echo "FAIL: no message"; exit 1; }
echo "PASS"
