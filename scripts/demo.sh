#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/demo.sh [--help] [ITSM-REPLAY-ARGS...] - the main demonstration.
#
# From a clean clone, in one command: build the library and its tools into
# build-demo/ (no tests; build/ stays free for ./scripts/test.sh), then
# replay the whole UCI ServiceNow incident event log (data/, CC BY 4.0, see
# data/README.md) through the library into a SQLite file (libitsm-sqlite,
# in groups of 1,000 events, each in the binary form), and print the
# report: rows applied and refused (by reason, with line numbers), the
# data's quirks and how each was handled, the library's
# counters against the log's own, time to resolve, first-contact
# resolution, and SLA verdicts against the log's made_sla.
#
# Extra arguments go to itsm-replay, e.g. --report json, or --log bpi for
# the BPI Challenge 2013 incidents; --help prints this and changes nothing.
# Needs cmake, a C compiler, libsqlite3-dev and zlib1g-dev (installed by
# scripts/deps.sh demo when run as root). The database is written with
# --sync normal (see below); the previous one is replaced only when the new
# run succeeds. ITSM_DEMO_DIR sets the build directory (default build-demo).
set -euo pipefail
cd "$(dirname "$0")/.."

# Arguments first: asking for help must not build, install or delete.
for a in "$@"; do
    case "$a" in
        -h|--help)
            sed -n '3,20s/^# \{0,1\}//p' "$0"
            exit 0 ;;
    esac
done

dir=${ITSM_DEMO_DIR:-build-demo}
bash scripts/deps.sh demo >&2
start=$(date +%s)

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
mkdir -p "$dir"
log=$dir/build.log
echo "demo: building the library and itsm-replay into $dir/ ($jobs jobs; output in $log) ..." >&2
{ cmake -S . -B "$dir" -DITSM_BUILD_TESTS=OFF -DITSM_BUILD_BENCH=OFF \
        -DCMAKE_BUILD_TYPE=Release &&
  cmake --build "$dir" -j"$jobs" --target itsm-replay; } > "$log" 2>&1 \
    || { tail -n 40 "$log" >&2; echo "demo: the build failed (whole log: $log)" >&2; exit 1; }
if [ ! -x "$dir/tools/itsm-replay" ]; then
    grep -i "itsm-replay\|sqlite\|zlib" "$log" >&2 || true
    echo "demo: itsm-replay was not built (are libsqlite3-dev and zlib1g-dev installed?)" >&2
    exit 1
fi
built=$(date +%s)
echo "demo: built in $(( built - start )) s; replaying the log (progress on this line) ..." >&2

# The previous database is set aside, and comes back if this run fails.
db=$dir/itsm-replay.db
prev=$dir/itsm-replay.prev.db
rm -f "$prev" "$prev-wal" "$prev-shm"
for suffix in "" -wal -shm; do
    if [ -e "$db$suffix" ]; then mv "$db$suffix" "$prev$suffix"; fi
done
restore() {
    rm -f "$db" "$db-wal" "$db-shm"
    for suffix in "" -wal -shm; do
        if [ -e "$prev$suffix" ]; then mv "$prev$suffix" "$db$suffix"; fi
    done
}
# Group commit, 1,000 events per group (--group 1000, itsm_engine_begin /
# _commit): every step still reaches the store before it applies, and each
# group is one transaction, durable at its commit. synchronous=NORMAL in WAL
# mode: a committed group survives a crash of the process; only power loss
# could drop the last ones. --sync full fsyncs every commit; --group 0 makes
# every step its own transaction (slower; see bench/RESULTS-stores.md).
# Each event is kept in the binary form (--form binary): the same events
# as their JSON text (itsm_event_binary_to_json gives it back byte for
# byte), and the reload after the replay and the report's reading of the
# store take them without a JSON parse. --form json keeps the JSON text,
# readable with any SQL tool.
set +e
"$dir/tools/itsm-replay" --sqlite "$db" --sync normal --group 1000 --form binary "$@"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    restore
    echo "demo: itsm-replay failed (exit $rc); the previous database, if any, is back in $db" >&2
    exit "$rc"
fi
rm -f "$prev" "$prev-wal" "$prev-shm"
echo "demo: built in $(( built - start )) s, replayed in $(( $(date +%s) - built )) s; every accepted event is in $db" >&2
