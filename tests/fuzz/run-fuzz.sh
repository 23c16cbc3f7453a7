#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Short fuzz run of the XML models (issue 4): configures a clang build with
# libFuzzer, ASan and UBSan, builds the fuzz targets, and runs each from
# the seed corpus (../shared/corpus/<kind>/, copied into a temporary
# directory under the fuzz build dir, never into the source tree).
# Prints execs, execs/s, new inputs and crashes per target; exits 1 when a
# target crashed, 77 (skip) when clang, its libFuzzer runtime or the corpus
# is missing. Crash inputs are kept in VMM_FUZZ_CRASH_DIR.
#
# Environment (all optional):
#   VMM_FUZZ_SECONDS     seconds per target (10; 60 with VMM_LONG_TESTS=1);
#                        roundtrip runs twice as long (see below)
#   VMM_FUZZ_TARGETS     targets to run ("domain network pool vol secret
#                        nodedev roundtrip")
#   VMM_FUZZ_BUILD_DIR   the clang build (default: <source>/build-fuzz)
#   VMM_FUZZ_CRASH_DIR   where crash inputs go (/tmp/vmm-fuzz-crashes)
#   VMM_FUZZ_CC          the compiler (clang)
#   VMM_FUZZ_JOBS        build parallelism (2)
#   VMM_FUZZ_SEED        libFuzzer's -seed (1: the short run repeats itself)
#   VMM_FUZZ_KNOWN       "text|text": failures whose message contains one
#                        of these are known bugs, not crashes (unset: none)
#   VMM_SOURCE_DIR, VMM_CORPUS_DIR  the tree and the seed corpus
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=${VMM_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
corpus=${VMM_CORPUS_DIR:-$src/../shared/corpus}
build=${VMM_FUZZ_BUILD_DIR:-$src/build-fuzz}
crashes=${VMM_FUZZ_CRASH_DIR:-/tmp/vmm-fuzz-crashes}
cc=${VMM_FUZZ_CC:-clang}
jobs=${VMM_FUZZ_JOBS:-2}
targets=${VMM_FUZZ_TARGETS:-domain network pool vol secret nodedev roundtrip}
if [ -n "${VMM_FUZZ_SECONDS:-}" ]; then
        seconds=$VMM_FUZZ_SECONDS
elif [ "${VMM_LONG_TESTS:-0}" = 1 ]; then
        seconds=60
else
        seconds=10
fi

skip() {
        echo "SKIP: $*"
        exit 77
}

# --- what the run needs ---
command -v "$cc" >/dev/null 2>&1 ||
        skip "no $cc: fuzzing needs clang (Debian: apt-get install clang libclang-rt-14-dev)"
command -v cmake >/dev/null 2>&1 || skip "no cmake"
[ -d "$corpus" ] || skip "no seed corpus at $corpus"

mkdir -p "$build" "$crashes"
probe=$(mktemp -d "$build/probe.XXXXXX")
work=
cleanup() {
        rm -rf "$probe"
        [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
        >"$probe/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" \
        >"$probe/log" 2>&1; then
        cat "$probe/log"
        skip "$cc cannot link -fsanitize=fuzzer (the libFuzzer runtime is missing;" \
                "Debian: apt-get install libclang-rt-14-dev)"
fi

# --- the clang build (configured once, then incremental) ---
if [ ! -f "$build/CMakeCache.txt" ]; then
        echo "configuring the fuzz build in $build"
        CC=$cc cmake -S "$src" -B "$build" -DVMM_FUZZ=ON -DVMM_SANITIZE=ON \
                -DCMAKE_BUILD_TYPE= -DCMAKE_C_FLAGS="-O1 -g -fsanitize=fuzzer-no-link" \
                -DVMM_CORPUS_DIR="$corpus" >"$build/configure.log" 2>&1 ||
                { cat "$build/configure.log"; echo "FAIL: configuring the fuzz build"; exit 1; }
fi
build_targets=
for t in $targets; do
        build_targets="$build_targets fuzz-$t"
done
echo "building$build_targets"
# shellcheck disable=SC2086 # one word per target
if ! cmake --build "$build" -j"$jobs" --target $build_targets >"$build/build.log" 2>&1; then
        tail -n 60 "$build/build.log"
        echo "FAIL: building the fuzz targets (full log: $build/build.log)"
        exit 1
fi

# --- a dictionary: XML syntax plus every element and attribute name the
# seeds use, so mutations produce names the parsers know ---
work=$(mktemp -d "$build/run.XXXXXX")
dict=$work/xml.dict
{
        for tok in '<?xml version=\"1.0\"?>' '<![CDATA[' ']]>' '<!--' '-->' '/>' '</' \
                '&amp;' '&lt;' '&#x' '&#' '<!DOCTYPE' '<!ENTITY' 'xmlns=' 'xmlns:' \
                '=\"yes\"' '=\"no\"' '=\"on\"' '=\"off\"' '=\"0\"' '=\"-1\"' \
                '=\"18446744073709551615\"' '=\"0x\"' 'unit=\"' 'KiB' 'GiB' 'TiB'; do
                printf '"%s"\n' "$tok"
        done
        find "$corpus" -name '*.xml' -exec cat {} + 2>/dev/null |
                grep -oE '<[A-Za-z_][A-Za-z0-9_.:-]*|[A-Za-z_][A-Za-z0-9_.:-]*="' |
                sort -u | sed -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/"/'
} >"$dict"

seed_dirs() {
        case $1 in
        roundtrip) echo "$corpus"/*/ ;;
        *) echo "$corpus/$1/" ;;
        esac
}

stat_of() { # stat_of NAME LOG: a libFuzzer -print_final_stats value
        sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

printf '\nfuzzing from the seed corpus; crash inputs go to %s\n' "$crashes"
printf '%-10s %5s %6s %10s %9s %6s %6s %8s  %s\n' target secs seeds execs execs/s new rss_mb crashes result
passed=0
failed=0
failures=
for t in $targets; do
        exe=$build/tests/fuzz-$t
        [ -x "$exe" ] || exe=$(find "$build" -name "fuzz-$t" -type f -perm -u+x | head -n 1)
        dir=$work/corpus-$t
        mkdir -p "$dir"
        # prefixed with the folder: two kinds may have files of one name
        for d in $(seed_dirs "$t"); do
                for f in "$d"*.xml; do
                        [ -f "$f" ] || continue
                        cp "$f" "$dir/$(basename "$d")-$(basename "$f")"
                done
        done
        seeds=$(find "$dir" -type f | wc -l)
        log=$build/fuzz-$t.log
        before=$(find "$crashes" -name "fuzz-$t-*" -type f | wc -l)
        # roundtrip gets twice the time: loading its 689 seeds through the
        # whole pipeline alone takes 5-10 s under the sanitizers
        secs=$seconds
        [ "$t" != roundtrip ] || secs=$((seconds * 2))
        seed_opt=
        seed_opt=-seed=${VMM_FUZZ_SEED:-1}
        rc=0
        # error_exitcode=1: libFuzzer's default (77) would read as a skip;
        # $seed_opt is empty or one word
        # shellcheck disable=SC2086
        ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        VMM_SCHEMA_DIR=${VMM_SCHEMA_DIR:-$src/schemas} \
                "$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
                -rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1 \
                -artifact_prefix="$crashes/fuzz-$t-" -dict="$dict" $seed_opt "$dir" \
                >"$log" 2>&1 || rc=$?
        after=$(find "$crashes" -name "fuzz-$t-*" -type f | wc -l)
        found=$((after - before))
        execs=$(stat_of number_of_executed_units "$log")
        rate=$(stat_of average_exec_per_sec "$log")
        new=$(stat_of new_units_added "$log")
        rss=$(stat_of peak_rss_mb "$log")
        if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ] && [ -n "$execs" ]; then
                result=ok
                passed=$((passed + 1))
        else
                result="FAIL (exit $rc)"
                failed=$((failed + 1))
                failures="$failures $t"
                [ "$found" -gt 0 ] || found=1
        fi
        printf '%-10s %5s %6s %10s %9s %6s %6s %8s  %s\n' "$t" "$secs" "$seeds" "${execs:-?}" "${rate:-?}" \
                "${new:-?}" "${rss:-?}" "$found" "$result"
done

for t in $failures; do
        log=$build/fuzz-$t.log
        printf '\n=== fuzz-%s failed; log %s ===\n' "$t" "$log"
        grep -E '^(INFO: Seed:|==[0-9]+==ERROR|SUMMARY|vmm-fuzz:|.*runtime error:|artifact_prefix|Test unit written)' \
                "$log" || true
        grep -E '^ +#[0-9]+ ' "$log" | head -n 30 || true
done
printf '\nfuzz: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
