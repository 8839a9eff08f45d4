#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_readme_facts.sh SOURCE-DIR - facts the README states that the build
# decides: the CMake minimum (cmake_minimum_required), the ldconfig step
# after a system install, the demo's build and run times given apart, and
# every public header in the README's table of headers.
set -euo pipefail
src=$(cd "$1" && pwd)
fail=0
min=$(sed -n 's/^cmake_minimum_required(VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt" | head -n 1)
if grep -q "CMake $min or newer" "$src/README.md"; then
    echo "ok:   README states the CMake minimum, $min"
else
    echo "FAIL: README does not say 'CMake $min or newer' (cmake_minimum_required is $min)"; fail=1
fi
if grep -q "ldconfig" "$src/README.md"; then
    echo "ok:   README mentions ldconfig after a system install"
else
    echo "FAIL: README does not mention ldconfig"; fail=1
fi
if grep -q "cold build of what the demo needs took" "$src/README.md" &&
   ! grep -qi "about ten seconds" "$src/README.md"; then
    echo "ok:   README gives the demo's build and run times apart"
else
    echo "FAIL: README does not give the demo's build and run times apart"; fail=1
fi
missing=""
for h in "$src"/include/itsm/*.h; do
    b=itsm/$(basename "$h")
    grep -q "^| \`$b\` |" "$src/README.md" || missing="$missing $b"
done
if [ -z "$missing" ]; then
    echo "ok:   README's header table lists every public header"
else
    echo "FAIL: README's header table lacks:$missing"; fail=1
fi
exit "$fail"
