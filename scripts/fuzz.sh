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
mkdir -p "$out"
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    corpus=tests/fuzz/corpus/${name#fuzz_}
    # A target that needs more than the library names it in its header:
    #   * fuzz-build: -Itools tools/uci.c ... -lz
    read -r -a extra <<< "$(sed -n 's/^ \* fuzz-build: //p' "$src")"
    if ! clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -Iinclude -Isrc $(find src -name "*.c" | sort) "${extra[@]}" "$src" -lm -o "$out/$name" 2> "$out/$name.build.log"; then
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
