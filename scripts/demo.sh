#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/demo.sh [ITSM-REPLAY-ARGS...] - the main demonstration.
#
# From a clean clone, in one command: build the library and its tools into
# build-demo/ (no tests, so it is quick; build/ stays free for
# ./scripts/test.sh), then replay the whole UCI ServiceNow incident event
# log (data/uci-incident-event-log, CC BY 4.0, see data/README.md) through
# the library into a SQLite file with the example store, and print the
# report: rows applied and refused (grouped by reason, with line numbers),
# the data's quirks and how each was handled, the library's counters
# against the log's own, time to resolve, first-contact resolution, and SLA
# verdicts (the library's resolution timers, targets from the policy
# document, ticked through the rows) against the log's made_sla.
#
# The SQLite file is written with --sync normal (see below).
# Needs cmake, a C compiler, libsqlite3-dev and zlib1g-dev. Extra arguments
# go to itsm-replay, e.g. ./scripts/demo.sh --report json, or
# ./scripts/demo.sh --log bpi for the BPI Challenge 2013 incidents.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh >&2    # installs only what a fresh machine lacks
start=$(date +%s)

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
echo "demo: building into build-demo/ ..." >&2
mkdir -p build-demo
log=build-demo/build.log
cmake -S . -B build-demo -DITSM_BUILD_TESTS=OFF -DITSM_BUILD_BENCH=OFF \
      -DCMAKE_BUILD_TYPE=Release > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
cmake --build build-demo -j"$jobs" >> "$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
if [ ! -x build-demo/tools/itsm-replay ]; then
    echo "demo: itsm-replay was not built (is libsqlite3-dev / zlib1g-dev installed?)" >&2
    exit 1
fi
echo "demo: built in $(( $(date +%s) - start )) s" >&2

db=build-demo/itsm-replay.db
rm -f "$db" "$db-wal" "$db-shm"
# synchronous=NORMAL in WAL mode: every append is its own transaction and
# survives a crash of the process; only power loss could drop the last
# ones. Pass --sync full for fsync on every append (slower: one fsync per
# event; see bench/RESULTS-replay.md).
build-demo/tools/itsm-replay --sqlite "$db" --sync normal "$@"
echo "demo: done in $(( $(date +%s) - start )) s; every accepted event is in $db" >&2
