#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/fuzz.sh [SECONDS] - build every libFuzzer target in tests/fuzz/
# with clang (AddressSanitizer + UBSan) and run each for SECONDS (default 60)
# from its seed corpus. Exits non-zero on the first crash, leak or abort.
# Skips (exit 0, with a message) when clang or its fuzzer runtime is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
out=${FUZZ_DIR:-build-fuzz}
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz.sh: clang is not installed; skipping the fuzz run"
    exit 0
fi
mkdir -p "$out/lib"
flags=(-std=c11 -g -O1 -fno-sanitize-recover=all -Iinclude -Isrc)
# The library is compiled once, instrumented, and every target links it.
objs=()
for c in $(find src -name "*.c" | sort); do
    o="$out/lib/$(echo "${c#src/}" | tr / _).o"
    if ! clang "${flags[@]}" -fsanitize=fuzzer-no-link,address,undefined -c "$c" -o "$o" 2> "$out/lib.build.log"; then
        cat "$out/lib.build.log" >&2
        exit 1
    fi
    objs+=("$o")
done
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    corpus=tests/fuzz/corpus/${name#fuzz_}
    # A target that needs more than the library names it in its header,
    # on one or more lines (a target split into several files lists them):
    #   * fuzz-build: -Itools tools/uci.c ... -lz
    read -r -a extra <<< "$(sed -n 's/^ \* fuzz-build: //p' "$src" | tr '\n' ' ')"
    if ! clang "${flags[@]}" -fsanitize=fuzzer,address,undefined \
            "${objs[@]}" "${extra[@]}" "$src" -lm -o "$out/$name" 2> "$out/$name.build.log"; then
        if grep -q "fuzzer" "$out/$name.build.log" && ! grep -q "error:" "$out/$name.build.log"; then
            echo "fuzz.sh: clang has no libFuzzer runtime here; skipping"; exit 0
        fi
        cat "$out/$name.build.log" >&2
        exit 1
    fi
    mkdir -p "$out/$name.corpus"
    seeds=()
    [ -d "$corpus" ] && seeds=("$corpus")
    echo "fuzz.sh: $name for ${secs}s"
    "$out/$name" -max_total_time="$secs" -print_final_stats=0 "$out/$name.corpus" "${seeds[@]}" \
        > "$out/$name.log" 2>&1 || { tail -n 40 "$out/$name.log" >&2; echo "fuzz.sh: $name FAILED" >&2; exit 1; }
    grep -E "^Done [0-9]+ runs" "$out/$name.log" | sed "s/^/  $name: /"
done
