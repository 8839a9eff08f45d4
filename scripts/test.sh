#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/test.sh [--asan] [CTEST-ARGS...]
#
# Build and run the whole test suite from the top of the tree:
#
#   ./scripts/test.sh          cmake -S . -B build && cmake --build build -j2
#                              && ctest --test-dir build --output-on-failure -j2
#   ./scripts/test.sh --asan   the same in build-asan/, with AddressSanitizer
#                              and UBSan (-DITSM_SANITIZE=ON, Debug), built
#                              with clang when it is installed; skipped
#                              service-level re-plans are recomputed and
#                              checked (-DITSM_CHECK_REPLAN=ON)
#
# Any further arguments go to ctest, e.g. ./scripts/test.sh -R engine.
# The build directories are reused; delete them to start over (a compiler
# choice is fixed when a build directory is first configured).
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/deps.sh test

asan=0
if [ "${1:-}" = "--asan" ]; then
    asan=1
    shift
elif [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,17s/^# \{0,1\}//p' "$0"
    exit 0
fi

if [ "$asan" -eq 0 ]; then
    cmake -S . -B build && cmake --build build -j2 && ctest --test-dir build --output-on-failure -j2 "$@"
    exit
fi

# ---- --asan -------------------------------------------------------------
if [ ! -f build-asan/CMakeCache.txt ] && command -v clang >/dev/null 2>&1; then
    export CC=clang
    command -v clang++ >/dev/null 2>&1 && export CXX=clang++
fi
echo "test.sh: AddressSanitizer + UBSan build in build-asan (CC=${CC:-default})"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cmake -S . -B build-asan -DITSM_SANITIZE=ON -DITSM_CHECK_REPLAN=ON -DCMAKE_BUILD_TYPE=Debug \
    && cmake --build build-asan -j2 \
    && ctest --test-dir build-asan --output-on-failure -j2 "$@"
