#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/test_sqlite_crash.sh HOST - the SQLite host's crash-and-replay test.
#
# HOST is examples/sqlite_host (built as example_sqlite_host). For several K:
#   1. run the script into a fresh file and _exit(1) right after the K-th
#      accepted mutation (a real process exit: no COMMIT pending, no close);
#   2. reload that file (--verify) and compare its dump with a clean run that
#      stopped after exactly K accepted mutations: every accepted change is
#      there and nothing else;
#   3. crash inside the (K+1)-th store append, after the INSERTs and before
#      COMMIT: the reload must still show exactly K mutations;
#   4. restart the host on the crashed file, let it finish the script, and
#      compare with an uninterrupted run.
set -euo pipefail
host=$1
n=5                     # incidents; 5 x 11 = 55 accepted mutations in all
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$host" "$work/full.db" --incidents $n --quiet
"$host" "$work/full.db" --verify > "$work/full.dump"
total=$(grep -c ' rev=' "$work/full.dump")
[ "$total" -eq $n ] || { echo "FAIL: uninterrupted run has $total records, wanted $n"; exit 1; }
# What an uninterrupted run stores (a priority 1 incident also carries the
# engine's major-incident proposal, so events need not be 11 per incident).
full_loaded=$("$host" "$work/full.db" --incidents $n | head -n 1 | sed 's/ from .*//')

fail=0
for k in 1 2 5 6 13 27 40 54; do
    rm -f "$work"/crash.db* "$work"/ref.db* "$work"/commit.db*
    # 1-2: crash right after the K-th accepted mutation
    set +e
    "$host" "$work/crash.db" --incidents $n --quiet --crash-after $k 2>/dev/null
    st=$?
    set -e
    if [ $st -ne 1 ]; then echo "FAIL K=$k: host exited $st, wanted the crash's 1"; fail=1; continue; fi
    "$host" "$work/crash.db" --verify > "$work/crash.dump"
    "$host" "$work/ref.db" --incidents $n --quiet --stop-after $k
    "$host" "$work/ref.db" --verify > "$work/ref.dump"
    if ! cmp -s "$work/crash.dump" "$work/ref.dump"; then
        echo "FAIL K=$k: state after the crash differs from the first $k accepted mutations:"
        diff "$work/ref.dump" "$work/crash.dump" | head -20
        fail=1
    fi
    # 3: crash inside the next append, before COMMIT: that change must vanish
    set +e
    "$host" "$work/commit.db" --incidents $n --quiet --crash-in-commit $((k + 1)) 2>/dev/null
    st=$?
    set -e
    if [ $st -ne 1 ]; then echo "FAIL K=$k: crash-in-commit exited $st"; fail=1; fi
    "$host" "$work/commit.db" --verify > "$work/commit.dump"
    if ! cmp -s "$work/commit.dump" "$work/ref.dump"; then
        echo "FAIL K=$k: a crash before COMMIT of mutation $((k + 1)) left a trace:"
        diff "$work/ref.dump" "$work/commit.dump" | head -20
        fail=1
    fi
    # 4: restart on the crashed file and finish the script
    "$host" "$work/crash.db" --incidents $n --quiet
    "$host" "$work/crash.db" --verify > "$work/resumed.dump"
    if ! cmp -s "$work/resumed.dump" "$work/full.dump"; then
        echo "FAIL K=$k: crash at $k + restart differs from an uninterrupted run:"
        diff "$work/full.dump" "$work/resumed.dump" | head -20
        fail=1
    fi
    # each accepted change is stored once: exactly the uninterrupted run's events
    loaded=$("$host" "$work/crash.db" --incidents $n | head -n 1 | sed 's/ from .*//')
    if [ "$loaded" != "$full_loaded" ]; then
        echo "FAIL K=$k: after restart: $loaded, uninterrupted: $full_loaded"; fail=1
    fi
    [ $fail -eq 0 ] && echo "ok K=$k: crash after $k, crash before commit $((k + 1)), restart and finish"
done
exit $fail
