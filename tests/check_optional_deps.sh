#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_optional_deps.sh SOURCE-DIR
#
# A plain `cmake -S . -B build` on a machine without cmocka must configure,
# say clearly that the tests are skipped and why, and build the library.
# cmocka is hidden by pointing its cache entries at nothing (the same
# branch a machine without libcmocka-dev takes). The build directory is a
# temporary one, removed afterwards.
set -euo pipefail
src=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-nocmocka.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
die() { echo "check_optional_deps: FAIL: $*" >&2; exit 1; }

echo "== cmake -S . -B <tmp> with cmocka absent"
env -u CC -u CFLAGS cmake -S "$src" -B "$tmp/build" \
    -DCMOCKA_INCLUDE="$tmp/no-cmocka" -DCMOCKA_LIB="$tmp/no-cmocka/libcmocka.so" \
    > "$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; die "configure failed without cmocka"; }
grep -A3 "cmocka not found" "$tmp/configure.log" | sed 's/^/    /'
grep -q "cmocka not found, so the test suite is skipped" "$tmp/configure.log" \
    || { cat "$tmp/configure.log"; die "no clear message that the tests are skipped"; }
grep -q "libcmocka-dev" "$tmp/configure.log" || die "the message does not say what to install"

echo "== cmake --build <tmp> --target itsm"
cmake --build "$tmp/build" -j2 --target itsm > "$tmp/build.log" 2>&1 \
    || { tail -n 40 "$tmp/build.log"; die "the library did not build without cmocka"; }
ls "$tmp/build"/libitsm.so* > /dev/null 2>&1 || die "no libitsm.so was built"

# No cmocka test may be registered (they could not build).
ctest --test-dir "$tmp/build" -N > "$tmp/ctest.log" 2>&1 || true
if grep -q "test_smoke" "$tmp/ctest.log"; then
    die "cmocka tests are registered although cmocka is absent"
fi
echo "ok: without cmocka the library builds and the tests are skipped with a message"
