#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# test_scripts.sh SOURCE-DIR - the helper scripts behave as their users need:
#
#   demo_help_leaves_database_alone   scripts/demo.sh --help prints its usage
#       and exits 0 without building, installing or touching the previous
#       demo database
#   deps_demo_needs_no_test_packages  scripts/deps.sh demo asks for the
#       build and demo packages only (no libcmocka-dev, no python3-mypy)
#   deps_never_says_installing_when_it_cannot  as a non-root user without
#       sudo, deps.sh names what is missing and the command to run, exits 1,
#       and never claims to be installing
#   deps_installs_as_root  as root it runs apt-get install with exactly the
#       missing packages of the purpose
#
# deps.sh runs against stub dpkg/id/apt-get/sudo commands in a private PATH,
# so nothing is installed.
set -uo pipefail
src=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-scripts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bash=$(command -v bash)
passed=0 failed=0
ok()   { echo "ok:   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# ---- deps.sh against stubs ------------------------------------------------------
stub=$tmp/stub
mkdir -p "$stub"
# dpkg: nothing is installed; apt-get and sudo record their arguments.
printf '#!%s\nexit 1\n' "$bash" > "$stub/dpkg"
printf '#!%s\necho "$*" >> "%s/apt.log"\nexit 0\n' "$bash" "$tmp" > "$stub/apt-get"
printf '#!%s\necho "$*" >> "%s/sudo.log"\nexit 1\n' "$bash" "$tmp" > "$stub/sudo"
printf '#!%s\necho "${STUB_UID:-1000}"\n' "$bash" > "$stub/id"
printf '#!%s\necho "$*" >> "%s/cmake.log"\nexit 1\n' "$bash" "$tmp" > "$stub/cmake"
chmod +x "$stub"/*
ln -s "$(command -v env)" "$stub/env"

# ---- demo.sh --help ----------------------------------------------------------
demo_dir=$tmp/demo
mkdir -p "$demo_dir"
printf 'previous run\n' > "$demo_dir/itsm-replay.db"
printf 'wal\n' > "$demo_dir/itsm-replay.db-wal"
before=$(cat "$demo_dir/itsm-replay.db" "$demo_dir/itsm-replay.db-wal" | cksum)
for arg in --help -h "--report json --help"; do
    # shellcheck disable=SC2086 # word splitting of the argument list on purpose
    out=$(ITSM_DEMO_DIR="$demo_dir" PATH="$stub:$PATH" "$bash" "$src/scripts/demo.sh" $arg 2>&1)
    rc=$?
    after=$(cat "$demo_dir/itsm-replay.db" "$demo_dir/itsm-replay.db-wal" 2>/dev/null | cksum)
    if [ "$rc" -eq 0 ] && [ "$before" = "$after" ] && [ ! -e "$tmp/cmake.log" ] && [ ! -e "$tmp/apt.log" ] &&
       grep -q "demo.sh \[--help\]" <<<"$out"; then   # not a pipe: under pipefail grep -q may end it early
        ok "demo_help_leaves_database_alone ($arg)"
    else
        fail "demo_help_leaves_database_alone ($arg): exit $rc, database $( [ "$before" = "$after" ] && echo kept || echo CHANGED), output: $out"
    fi
done

run_deps() {   # run_deps UID [ARGS...] -> output in $tmp/out, status in $rc
    local uid=$1
    shift
    rm -f "$tmp/apt.log" "$tmp/sudo.log"
    STUB_UID=$uid PATH=$stub "$bash" "$src/scripts/deps.sh" "$@" > "$tmp/out" 2>&1
    rc=$?
}

run_deps 1000 demo
if [ "$rc" -eq 1 ] && ! grep -qi "installing" "$tmp/out" && grep -q "apt-get install" "$tmp/out" &&
   [ ! -e "$tmp/apt.log" ]; then
    ok "deps_never_says_installing_when_it_cannot"
else
    fail "deps_never_says_installing_when_it_cannot: exit $rc: $(cat "$tmp/out")"
fi
if grep -q "libsqlite3-dev" "$tmp/out" && grep -q "zlib1g-dev" "$tmp/out" &&
   ! grep -q "libcmocka-dev\|python3-mypy\|doxygen" "$tmp/out"; then
    ok "deps_demo_needs_no_test_packages"
else
    fail "deps_demo_needs_no_test_packages: $(cat "$tmp/out")"
fi

run_deps 0 demo
installed=$(grep "^install " "$tmp/apt.log" 2>/dev/null | tr ' ' '\n' | grep -v '^-' | grep -v '^install$' | sort | tr '\n' ' ')
# (cmake is one of the stubs, so it is present)
want="gcc libc6-dev libsqlite3-dev make pkg-config zlib1g-dev "
if [ "$rc" -eq 0 ] && [ "$installed" = "$want" ]; then
    ok "deps_installs_as_root (demo: $installed)"
else
    fail "deps_installs_as_root (demo): exit $rc, apt-get install got '$installed', want '$want': $(cat "$tmp/out")"
fi

run_deps 0 test
if [ "$rc" -eq 0 ] && grep -q "libcmocka-dev" "$tmp/apt.log" && grep -q "python3-mypy" "$tmp/apt.log"; then
    ok "deps_installs_as_root (test includes the test packages)"
else
    fail "deps_installs_as_root (test): exit $rc: $(cat "$tmp/out" "$tmp/apt.log" 2>/dev/null)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
