#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/replay/test_replay_strict_input.sh REPLAY DATA-DIR - strict input of
# itsm-replay, seen from outside (its JSON report and exit status) for the
# help desk and BPI 2013 problem logs (strict input): every
# malformed input is a refused row or a stated quirk with its line numbers
# (header = line 1), never silent:
#   - impossible dates (30 Feb, 31 Apr) and a time without its offset are
#     refused rows, not rolled over or read as local time;
#   - a last line without its line end is refused (its field may be cut);
#   - a case's block repeated later in the file is one case, its later
#     block's first line stated;
#   - a row earlier than its case's previous row is stated with its line;
#   - a .gz cut mid-file, or missing only its trailer, is an input error
#     (exit status 1) naming the file and the line it read up to.
# (test_log_input checks the readers themselves from inside.)
set -euo pipefail
replay=$1
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

V='Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1'
{
    echo 'Case ID,Activity,Resource,Complete Timestamp,seriousness,customer,product,responsible_section,seriousness_2,service_level,service_type,support_section,workgroup'
    echo "Case 1,Assign seriousness,Value 1,2012-10-09T14:50:17+00:00,$V"    # 2
    echo "Case 1,Take in charge ticket,Value 1,2012-10-09T14:51:01+00:00,$V" # 3
    echo "Case 1,Resolve ticket,Value 1,2012-10-10T11:54:26+00:00,$V"        # 4
    echo "Case 2,Assign seriousness,Value 1,2012-02-30T10:00:00+00:00,$V"    # 5: 30 Feb
    echo "Case 2,Take in charge ticket,Value 1,2012-04-31T10:00:00+00:00,$V" # 6: 31 Apr
    echo "Case 2,Resolve ticket,Value 1,2012-05-01T10:00:00,$V"              # 7: no offset
    echo "Case 3,Assign seriousness,Value 1,2012-06-01T10:00:00+00:00,$V"    # 8
    echo "Case 3,Resolve ticket,Value 1,2012-06-03T10:00:00+00:00,$V"        # 9
    echo "Case 3,Take in charge ticket,Value 1,2012-06-02T10:00:00+00:00,$V" # 10: earlier
    echo "Case 1,Closed,Value 1,2012-10-12T11:54:26+00:00,$V"                # 11: Case 1 again
    printf 'Case 4,Assign seriousness,Value 1,2012-07-01T10:00:00+00:00,Value 1,Val' # 12: cut
} > "$work/hd.csv"
set +e
"$replay" --log helpdesk --input "$work/hd.csv" --none --quiet --report json > "$work/hd.json"
rc=$?
set -e
[ "$rc" -eq 0 ] || { echo "helpdesk: exit status $rc" >&2; exit 1; }

python3 - "$work/hd.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
def refused(part):
    return sorted(x["line"] for g in r["refused_by_reason"] if part in g["reason"] for x in g["rows"])
def quirk(part):
    q = [q for q in r["quirks"] if part in q["quirk"]]
    assert len(q) == 1, "quirk %r: %s" % (part, q)
    return q[0]["count"], sorted(l["line"] for l in q[0].get("lines", []))
assert r["input_error"] is None, r["input_error"]
assert r["rows"] == 11, r["rows"]                     # every data line accounted for
assert r["rows_refused"] == 4, r["rows_refused"]
assert r["rows_applied"] + r["rows_unchanged"] + r["rows_skipped"] + r["rows_refused"] == r["rows"]
assert refused("not a real ISO 8601 time") == [5, 6, 7], refused("not a real ISO 8601 time")
assert refused("line cut at the end") == [12], refused("line cut at the end")
# A refused row names its case as an applied row's record is named (no spaces).
records = sorted({x["record"] for g in r["refused_by_reason"] for x in g["rows"]})
assert records == ["Case-2", "Case-4"], records
assert quirk("last line has no line end") == (1, [12]), quirk("last line has no line end")
assert quirk("resume after other cases") == (1, [11]), quirk("resume after other cases")
assert quirk("earlier than the case's previous row") == (1, [10]), quirk("earlier than")
assert r["incidents"] == 4, r["incidents"]            # Case 1 counted once
# Case 3 in time order: resolved 48 h after opening, not 24 h.
assert r["resolved"] == 2, r["resolved"]
assert abs(r["ttr_hours"]["p99"] - 48.0) < 1e-3, r["ttr_hours"]
EOF

P='Problem Number;Problem Change Date+Time;Problem Sub Status;Problem Status;Problem Latest Impact;Problem Involved ST Org line 3;Problem Involved ST Function Div;Problem Involved Owner ST;Product;Country;Problem Involved Action Owner Country;Problem Involved Action Owner First Name'
T='High;Org line A2;A2_2;J11 2nd;PROD191;se;INDIA;Minnie'
{
    echo "$P"
    echo "1-1;2012-03-14T15:49:42+01:00;Awaiting Assignment;Queued;$T"   # 2
    echo "1-1;2012-03-15T11:53:52+01:00;In Progress;Accepted;$T"         # 3
    echo "1-2;2012-02-30T10:00:00+01:00;Awaiting Assignment;Queued;$T"   # 4: 30 Feb
    echo "1-2;2012-04-31T10:00:00+01:00;In Progress;Accepted;$T"         # 5: 31 Apr
    echo "1-3;2012-05-02T10:00:00+01:00;Awaiting Assignment;Queued;$T"   # 6
} > "$work/bp.csv"
"$replay" --log bpi-problems --input "$work/bp.csv" --incidents none --none --quiet --report json > "$work/bp.json"
python3 - "$work/bp.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
lines = sorted(x["line"] for g in r["refused_by_reason"] if "not a real ISO 8601 time" in g["reason"]
               for x in g["rows"])
assert lines == [4, 5], r["refused_by_reason"]
assert r["rows"] == 5 and r["rows_refused"] == 2, (r["rows"], r["rows_refused"])
EOF

# A gzip stream cut mid-file, or missing only its 8-byte trailer.
zcat "$data/helpdesk-first-400.csv.gz" | gzip -9 -n > "$work/full.csv.gz"
size=$(stat -c %s "$work/full.csv.gz")
head -c $((size - 8)) "$work/full.csv.gz" > "$work/notrailer.csv.gz"
head -c $((size / 2)) "$work/full.csv.gz" > "$work/half.csv.gz"
for cut in notrailer half; do
    set +e
    "$replay" --log helpdesk --input "$work/$cut.csv.gz" --none --quiet --report json \
        > "$work/$cut.json" 2> "$work/$cut.err"
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || { echo "$cut: exit status $rc, wanted 1" >&2; exit 1; }
    grep -q "$cut.csv.gz: gzip stream ends early, the file is truncated" "$work/$cut.err" \
        || { echo "$cut: stderr does not say the stream is truncated:" >&2; cat "$work/$cut.err" >&2; exit 1; }
    python3 - "$work/$cut.json" "$cut" <<'EOF'
import json, re, sys
r = json.load(open(sys.argv[1]))
e = r["input_error"]
assert e and "is truncated" in e and re.search(r"read up to line \d+$", e), e
EOF
done
"$replay" --log helpdesk --input "$work/full.csv.gz" --none --quiet --report json > "$work/full.json"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["input_error"] is None' "$work/full.json"
echo "ok: strict input of the help desk and BPI problem logs"
