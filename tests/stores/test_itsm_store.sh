#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/stores/test_itsm_store.sh ITSM-STORE SQLITE-HOST
#
# tools/store/itsm-store on a store written by examples/sqlite_host:
#   info            counts events, records and types
#   verify          loads it (exit 0); a store with an event missing in the
#                   middle of a record's history does not verify (exit 1,
#                   the message names the record)
#   copy            into a new SQLite file: the same events byte for byte,
#                   and it verifies; into a store that has events: refused
#   PostgreSQL      when ITSM_PG_CONNINFO is set (with_postgres.sh): copy to a
#                   schema, verify there, copy back, byte for byte again
set -euo pipefail
tool=$1 host=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/itsm-store-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# says PATTERN CMD...: CMD succeeds and prints a line matching PATTERN (its
# output kept in a file: `CMD | grep -q` under pipefail fails whenever grep
# stops reading before CMD has written everything)
says() { local want=$1; shift; "$@" > "$work/said" && grep -q "$want" "$work/said"; }
# SQL on a SQLite file through python3's sqlite3 (no sqlite3 program needed)
sql() {
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]):
    print(*row)
c.commit()' "$1" "$2"
}
events() { sql "$1" "SELECT seq, json FROM itsm_events ORDER BY seq"; }

"$host" "$work/a.db" --incidents 4 --quiet
"$tool" info "$work/a.db" > "$work/info"
grep -q "^records: *4$" "$work/info" || fail "info: $(cat "$work/info")"
n=$(sql "$work/a.db" "SELECT count(*) FROM itsm_events")
grep -q "^events: *$n$" "$work/info" || fail "info does not count $n events: $(cat "$work/info")"
says "verified: $n events load into 4 records" "$tool" verify "$work/a.db" || fail "verify a.db"
echo "ok: info and verify"

says "copied $n events" "$tool" copy "$work/a.db" "$work/b.db" || fail "copy"
[ "$(events "$work/a.db")" = "$(events "$work/b.db")" ] || fail "the copy differs"
"$tool" verify "$work/b.db" > /dev/null || fail "the copy does not verify"
if "$tool" copy "$work/a.db" "$work/b.db" 2> "$work/err"; then fail "copy into a store with events"; fi
grep -q "already holds $n events" "$work/err" || fail "copy refusal: $(cat "$work/err")"
echo "ok: copy, byte for byte, refused into a store with events"

cp "$work/a.db" "$work/gap.db"
sql "$work/gap.db" "DELETE FROM itsm_events WHERE record = 'INC-0002' AND rev = 3"
set +e
"$tool" verify "$work/gap.db" > "$work/gap.out" 2>&1
st=$?
set -e
[ "$st" -eq 1 ] || fail "a store with a gap verified (exit $st): $(cat "$work/gap.out")"
grep -q "does NOT verify" "$work/gap.out" && grep -q "INC-0002" "$work/gap.out" ||
    fail "the gap's message: $(cat "$work/gap.out")"
echo "ok: a gap does not verify: $(head -n 1 "$work/gap.out")"

if [ -n "${ITSM_PG_CONNINFO:-}" ]; then
    uri=$(python3 -c 'import sys; d = dict(kv.split("=", 1) for kv in sys.argv[1].split());
print("postgresql://%s@%s:%s/%s" % (d["user"], d["host"], d["port"], d["dbname"]))' "$ITSM_PG_CONNINFO")
    says "copied $n events" "$tool" copy "$work/a.db" "$uri" --to-schema copied || fail "copy to PostgreSQL"
    says "verified: $n events" "$tool" verify "$uri" --schema copied || fail "verify on PostgreSQL"
    says "^records: *4$" "$tool" info "$uri" --schema copied || fail "info on PostgreSQL"
    says "copied $n events" "$tool" copy "$uri" "$work/back.db" --schema copied || fail "copy back"
    [ "$(events "$work/a.db")" = "$(events "$work/back.db")" ] || fail "the round trip through PostgreSQL differs"
    echo "ok: SQLite -> PostgreSQL -> SQLite, byte for byte, verified on the way"
fi
