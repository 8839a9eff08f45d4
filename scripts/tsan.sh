#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/tsan.sh - ThreadSanitizer: build the library and tests/test_threads
# with gcc -fsanitize=thread in build-tsan/, then run
#   * tests/test_threads: engines on four threads at once (each its own
#     story, a policy shared read-only by all, one engine shared behind the
#     host's lock);
#   * bindings/python/tests/test_threads.py against the TSan library (the
#     runtime preloaded into python): four Python threads on one engine,
#     kept apart only by the binding's per-engine lock (ctypes lets go of
#     the GIL in every C call);
#   * tests/stores/test_sqlite_pipeline and the store contract with
#     pipelined groups: libitsm-sqlite's writer thread beside the host's
#     (when SQLite is installed).
# Any data race reported fails it. gcc, because its runtime (libtsan) can be
# preloaded into an uninstrumented python; clang 14's crashes any program
# it is preloaded into on this kernel. Skips (exit 0, with a message)
# without gcc's TSan runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
runtime=$(gcc -print-file-name=libtsan.so 2>/dev/null || true)
if [ -z "$runtime" ] || [ ! -e "$runtime" ]; then
    echo "tsan.sh: gcc has no ThreadSanitizer runtime (Debian: libtsan2); skipping"
    exit 0
fi
runtime=$(readlink -f "$runtime")
out=build-tsan
mkdir -p "$out"
cmake -S . -B "$out" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" > "$out/tsan-configure.log" 2>&1 ||
    { cat "$out/tsan-configure.log" >&2; exit 1; }
targets=(itsm test_threads)
if grep -q '^SQLite3_INCLUDE_DIR:PATH=/' "$out/CMakeCache.txt"; then
    targets+=(test_sqlite_pipeline test_contract_sqlite)
fi
cmake --build "$out" -j2 --target "${targets[@]}" > "$out/tsan-build.log" 2>&1 ||
    { tail -n 40 "$out/tsan-build.log" >&2; exit 1; }

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
echo "tsan.sh: tests/test_threads"
"$out/tests/test_threads"

if [ -x "$out/tests/test_sqlite_pipeline" ]; then
    echo "tsan.sh: tests/stores/test_sqlite_pipeline, the store contract with pipelined groups"
    "$out/tests/test_sqlite_pipeline"
    "$out/tests/test_contract_sqlite" binary pipelined
fi

lib=$(ls "$out"/libitsm.so.*.*.* | head -n 1)
echo "tsan.sh: bindings/python/tests/test_threads.py against $lib"
# The interpreter itself, not a wrapper script (pyenv's shim is bash).
python=$(python3 -c 'import sys; print(sys.executable)')
(cd bindings/python &&
    LD_PRELOAD="$runtime" ITSM_LIBRARY="$PWD/../../$lib" PYTHONDONTWRITEBYTECODE=1 \
    "$python" -m unittest discover -s tests -p test_threads.py)
echo "tsan.sh: no data race"
