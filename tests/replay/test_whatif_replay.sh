#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/replay/test_whatif_replay.sh REPLAY DATA-DIR SOURCE-DIR - itsm-replay
# --whatif on the first 200 incidents of the UCI log:
#
#   - under its own policy (tools/servicenow_policy.json) nothing flips;
#   - under tools/servicenow_p3_48h.json (P3 resolution 72 h -> 48 h, the
#     README's example) the breaches of both sides are the ones
#     tests/replay/uci_figures.awk computes without the library under each
#     target (awk -v P3=4320 and -v P3=2880 minutes), every flip is a P3
#     resolution met -> breached, and the text section says so.
set -euo pipefail
replay=$1
data=$2
src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
slice="$data/uci-first-200.csv.gz"

awk_met() { zcat "$slice" | awk -F, -v P3="$1" -f "$src/tests/replay/uci_figures.awk" | awk '$1 == "sla_met" { print $2 }'; }
met72=$(awk_met 4320)
met48=$(awk_met 2880)

"$replay" --log uci --input "$slice" --quiet --whatif "$src/tools/servicenow_policy.json" \
    --whatif-json "$work/same.json" > "$work/same.txt"
"$replay" --log uci --input "$slice" --quiet --whatif "$src/tools/servicenow_p3_48h.json" \
    --whatif-json "$work/p3.json" > "$work/p3.txt"

python3 - "$work/same.json" "$work/p3.json" "$met72" "$met48" <<'PY' || fail=1
import json, sys
same, p3 = (json.load(open(p)) for p in sys.argv[1:3])
met72, met48 = int(sys.argv[3]), int(sys.argv[4])
bad = 0
def want(what, got, exp):
    global bad
    ok = got == exp
    bad |= not ok
    print("%s %s: %s%s" % ("ok:  " if ok else "FAIL:", what, got, "" if ok else " (wanted %s)" % exp))
want("records", p3["records"], 200)
want("the policy against itself: flips", same["flips"], 0)
want("the policy against itself: breached both sides",
     (same["actual_breached"], same["candidate_breached"]), (200 - met72, 200 - met72))
want("P3 48 h: breached under 72 h (awk P3=4320)", p3["actual_breached"], 200 - met72)
want("P3 48 h: breached under 48 h (awk P3=2880)", p3["candidate_breached"], 200 - met48)
want("P3 48 h: flips to breached", (p3["flips"], p3["to_breached"], p3["to_met"]), (met72 - met48, met72 - met48, 0))
want("P3 48 h: every flip a P3 resolution met -> breached, elapsed in (48 h, 72 h)",
     all(f["priority"] == 3 and f["clock"] == "resolution" and f["actual"]["verdict"] == "met"
         and f["candidate"]["verdict"] == "breached" and 172800 <= f["actual"]["elapsed"] < 259200
         for f in p3["flip_list"]), True)
want("P3 48 h: flips listed", p3["flips_listed"], p3["flips"])
want("P3 48 h: group rows add up",
     (sum(g["actual_breached"] for g in p3["groups"]), sum(g["candidate_breached"] for g in p3["groups"]),
      sum(g["to_breached"] for g in p3["groups"])),
     (p3["actual_breached"], p3["candidate_breached"], p3["to_breached"]))
want("P3 48 h: times to resolve unchanged", p3["durations"]["resolve_wall"]["changed"], 0)
sys.exit(bad)
PY

if grep -q "breached: $((200 - met72)) actual -> $((200 - met48)) candidate" "$work/p3.txt"; then
    echo "ok:   the text section gives the breaches of both sides"
else
    echo "FAIL: the text section lacks 'breached: $((200 - met72)) actual -> $((200 - met48)) candidate'"
    sed -n '/WHAT-IF/,$p' "$work/p3.txt"
    fail=1
fi
# a store that cannot give its events back cannot be judged again
if "$replay" --log uci --input "$slice" --quiet --none --whatif "$src/tools/servicenow_p3_48h.json" \
       > /dev/null 2> "$work/err.txt"; then
    echo "FAIL: --none --whatif succeeded"; fail=1
elif grep -q "needs a store that gives its events back" "$work/err.txt"; then
    echo "ok:   --none --whatif is refused, saying why"
else
    echo "FAIL: --none --whatif: $(cat "$work/err.txt")"; fail=1
fi
exit "$fail"
