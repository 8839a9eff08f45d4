#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/valgrind.sh [BUILD-DIR] - the suite's compiled part under valgrind
# memcheck: every ctest test whose command is a program of the build (the
# cmocka tests, the examples, the store contract tests, the scenario
# stories and their fault matrices), two at a time, after the fixtures'
# setups (a test that writes what others read) one by one. Scripts, Python, PHP
# and the PostgreSQL tests are left out (they run programs valgrind would
# not follow usefully, or need a server). test_model runs 20,000 operations
# (ITSM_MODEL_OPS). Any memcheck error or definite/indirect leak fails it.
#
# BUILD-DIR defaults to build/ (./scripts/test.sh makes it). Skips, exit 0
# with a message, when valgrind is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind.sh: valgrind is not installed; skipping"
    exit 0
fi
out=$build/valgrind
rm -rf "$out"
mkdir -p "$out"

# One small script per test: cd to its directory, its environment,
# valgrind, its command.
ctest --test-dir "$build" --show-only=json-v1 | python3 -c '
import json, os, shlex, sys
build, out = sys.argv[1], sys.argv[2]
vg = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
      "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect"]
for t in json.load(sys.stdin)["tests"]:
    cmd = t.get("command") or []
    if not cmd or not os.path.realpath(cmd[0]).startswith(build + os.sep):
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    env = props.get("ENVIRONMENT", [])
    if isinstance(env, str):
        env = [env]
    if t["name"] == "test_model":
        env = env + ["ITSM_MODEL_OPS=20000"]
    wd = props.get("WORKING_DIRECTORY", build)
    # A fixture setup (it writes what other tests read) runs first.
    if props.get("FIXTURES_SETUP"):
        with open(os.path.join(out, "setups.list"), "a") as f:
            f.write(os.path.join(out, t["name"] + ".sh") + "\n")
    with open(os.path.join(out, t["name"] + ".sh"), "w") as f:
        f.write("cd %s && exec env %s %s\n" % (shlex.quote(wd), " ".join(shlex.quote(e) for e in env),
                                              shlex.join(vg + cmd)))
' "$build" "$out"

run_one() {
    local script=$1 name log
    name=$(basename "$script" .sh)
    log=$out/$name.log
    if bash "$script" > "$log" 2>&1; then
        echo "  ok   $name"
    else
        echo "  FAIL $name (log: $log)"
        tail -n 30 "$log"
        return 1
    fi
}
export -f run_one
export out

start=$(date +%s)
n=$(ls "$out"/*.sh | wc -l)
echo "valgrind.sh: $n programs under memcheck, two at a time"
status=0
touch "$out/setups.list"
while read -r setup; do run_one "$setup" || status=1; done < "$out/setups.list"
ls "$out"/*.sh | grep -vxFf "$out/setups.list" | xargs -P 2 -I{} bash -c 'run_one "$1"' _ {} || status=1
echo "valgrind.sh: done in $(( $(date +%s) - start ))s"
exit "$status"
