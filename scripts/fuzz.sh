#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/fuzz.sh [SECONDS] - build every libFuzzer target in tests/fuzz/
# with clang (AddressSanitizer + UBSan) and run each for SECONDS (default 60)
# from its seed corpus. Fails on any crash, leak or abort, naming the target.
# Skips (exit 0, with a message) when clang or its fuzzer runtime is missing.
#
# FUZZ_JOBS (default: the number of processors, at most 2) compilers and
# fuzzers run at once: each fuzzer is single-threaded and time-boxed, so two
# at a time on two cores give each target the same CPU in half the wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
out=${FUZZ_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-$(n=$(nproc 2>/dev/null || echo 1); echo $(( n < 2 ? n : 2 )))}
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz.sh: clang is not installed; skipping the fuzz run"
    exit 0
fi
mkdir -p "$out/lib"
export FUZZ_OUT=$out FUZZ_SECS=$secs
export FUZZ_FLAGS="-std=c11 -g -O1 -fno-sanitize-recover=all -Iinclude -Isrc"

# The library is compiled once, instrumented, and every target links it.
compile_one() {
    local c=$1 o
    o="$FUZZ_OUT/lib/$(echo "${c#src/}" | tr / _).o"
    # shellcheck disable=SC2086
    clang $FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -c "$c" -o "$o" \
        2> "$o.log" || { cat "$o.log" >&2; return 1; }
}
export -f compile_one
find src -name "*.c" | sort | xargs -P "$jobs" -I{} bash -c 'compile_one "$1"' _ {} \
    || { echo "fuzz.sh: the library did not compile" >&2; exit 1; }

# A target that needs more than the library names it in its header, on one
# or more lines (a target split into several files lists them):
#   * fuzz-build: -Itools tools/uci.c ... -lz
link_one() {
    local src=$1 name extra
    name=$(basename "$src" .c)
    read -r -a extra <<< "$(sed -n 's/^ \* fuzz-build: //p' "$src" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    clang $FUZZ_FLAGS -fsanitize=fuzzer,address,undefined \
        "$FUZZ_OUT"/lib/*.o "${extra[@]}" "$src" -lm -o "$FUZZ_OUT/$name" 2> "$FUZZ_OUT/$name.build.log"
}
export -f link_one
first=$(ls tests/fuzz/fuzz_*.c | head -n 1)
if ! link_one "$first"; then
    log=$out/$(basename "$first" .c).build.log
    if grep -q "fuzzer" "$log" && ! grep -q "error:" "$log"; then
        echo "fuzz.sh: clang has no libFuzzer runtime here; skipping"; exit 0
    fi
    cat "$log" >&2
    exit 1
fi
ls tests/fuzz/fuzz_*.c | tail -n +2 | xargs -P "$jobs" -I{} bash -c \
    'link_one "$1" || { cat "$FUZZ_OUT/$(basename "$1" .c).build.log" >&2; exit 1; }' _ {} \
    || { echo "fuzz.sh: a fuzz target did not build" >&2; exit 1; }

# Each target from its own working corpus first (new units go there, never
# into the seed corpus in the repository), then the seeds.
run_one() {
    local name=$1 corpus seeds=()
    corpus=tests/fuzz/corpus/${name#fuzz_}
    mkdir -p "$FUZZ_OUT/$name.corpus"
    [ -d "$corpus" ] && seeds=("$corpus")
    if ! "$FUZZ_OUT/$name" -max_total_time="$FUZZ_SECS" -print_final_stats=0 \
            "$FUZZ_OUT/$name.corpus" "${seeds[@]}" > "$FUZZ_OUT/$name.log" 2>&1; then
        tail -n 40 "$FUZZ_OUT/$name.log" >&2
        echo "fuzz.sh: $name FAILED (log: $FUZZ_OUT/$name.log)" >&2
        return 1
    fi
    echo "  $name: $(grep -E "^Done [0-9]+ runs" "$FUZZ_OUT/$name.log")"
}
export -f run_one
echo "fuzz.sh: $(ls tests/fuzz/fuzz_*.c | wc -l) targets for ${secs}s each, $jobs at a time"
ls tests/fuzz/fuzz_*.c | xargs -n 1 basename | sed 's/\.c$//' \
    | xargs -P "$jobs" -I{} bash -c 'run_one "$1"' _ {} \
    || { echo "fuzz.sh: a fuzz target failed" >&2; exit 1; }
