#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/replay/bpi_problem_figures.py INCIDENTS CLOSED OPEN - the problem
side of the replay report for BPI 2013, computed from the CSVs alone (no
library), to check itsm-replay --log bpi-problems against:

    python3 tests/replay/bpi_problem_figures.py incidents.csv.gz closed_problems.csv.gz open_problems.csv.gz

It restates tools/bpi_problems.h and the BPI mapping (tools/bpi.h):

- a problem's rows from both files, in time order (ties: the closed file
  first), rows equal to an earlier one of the problem skipped; Unmatched
  keeps the status; a problem is closed when its status is Completed/Closed
  or Completed/Cancelled, closed_at the last entry into one of them, and
  reopened when it leaves one for Queued, Assigned or In Progress;
- an incident's rows likewise (one file); the rows the replay refuses - in
  Completed/In Call, Closed or Cancelled, a row that neither reopens the
  incident nor repeats its status without a change - change nothing;
- product: the last non-empty product of the rows applied; opened: the
  first row's time;
- a link for every incident and every problem on the same product with
  problem opened <= incident opened < the problem's closed_at (never, if
  it is open at the end).
Percentiles nearest-rank, in hours.
"""
import csv
import datetime
import gzip
import io
import sys

CLOSED = ("Completed/In Call", "Completed/Closed", "Completed/Cancelled")
REOPEN = ("Queued/Awaiting Assignment", "Accepted/Assigned", "Accepted/In Progress")


def rows_of(path, number, time, status, sub, team, impact, owner):
    with gzip.open(path, "rb") as f:
        for r in csv.DictReader(io.TextIOWrapper(f, encoding="latin-1", newline=""), delimiter=";"):
            t = int(datetime.datetime.fromisoformat(r[time]).timestamp())
            yield r[number], (t, r[status] + "/" + r[sub], r[team], r[impact], r["Product"], r[owner])


def cases(paths_and_names):
    by = {}
    for path, names in paths_and_names:
        for number, row in rows_of(path, *names):
            by.setdefault(number, []).append(row)
    out = {}
    for number, rs in by.items():
        rs = sorted(enumerate(rs), key=lambda x: (x[1][0], x[0]))
        seen, keep = set(), []
        for _, r in rs:
            if r not in seen:
                seen.add(r)
                keep.append(r)
        out[number] = keep
    return out


def replay(rs, refuse_in_closed):
    state, opened, product, closed_at, reopened = None, rs[0][0], "", None, False
    team = level = impact = owner = None
    for k, (t, st, tm, imp, prod, own) in enumerate(rs):
        lvl = 2 if tm.endswith(" 2nd") else 3 if tm.endswith(" 3rd") else 1
        if refuse_in_closed and k and state in CLOSED:
            if st == state or st == "Unmatched/Unmatched":
                if tm != team or (prod and prod != product) or lvl != level or imp != impact or \
                        (own not in ("Siebel", "-", "") and own != owner):
                    continue
            elif st not in REOPEN:
                continue
        team, level, impact = tm, lvl, imp
        if own not in ("Siebel", "-", ""):
            owner = own
        if prod:
            product = prod
        if st != "Unmatched/Unmatched" and st != state:
            if st in CLOSED and state not in CLOSED:
                closed_at = t
            if state in CLOSED and st not in CLOSED:
                reopened = True
            state = st
    is_closed = state in ("Completed/Closed", "Completed/Cancelled")
    return opened, product, closed_at if is_closed else None, reopened


def pct(v, p):
    if not v:
        return -1.0
    return v[max((p * len(v) + 99) // 100, 1) - 1] / 3600.0


def main():
    inc_path, closed_path, open_path = sys.argv[1:4]
    names = ("Problem Number", "Problem Change Date+Time", "Problem Status", "Problem Sub Status",
             "Problem Involved Owner ST", "Problem Latest Impact", "Problem Involved Action Owner First Name")
    problems = cases([(closed_path, names), (open_path, names)])
    incidents = cases([(inc_path, ("SR Number", "Change Date+Time", "Status", "Sub Status", "Involved ST",
                                   "SR Latest Impact", "Owner First Name"))])
    inc = [replay(rs, True) for rs in incidents.values()]
    by_product = {}
    for opened, product, _, _ in inc:
        by_product.setdefault(product, []).append(opened)
    links = linked_problems = 0
    linked_incidents = set()
    ttc, closed, reopened = [], 0, 0
    for rs in problems.values():
        opened, product, closed_at, re = replay(rs, False)
        reopened += re
        if closed_at is not None:
            closed += 1
            ttc.append(closed_at - opened)
        n = 0
        for i, o in enumerate(by_product.get(product, [])):
            if o >= opened and (closed_at is None or o < closed_at):
                n += 1
                linked_incidents.add((product, i))
        links += n
        linked_problems += n > 0
    ttc.sort()
    out = {
        "problems": len(problems), "problems_closed": closed, "problems_open": len(problems) - closed,
        "problems_reopened": reopened, "links": links, "linked_problems": linked_problems,
        "linked_incidents": len(linked_incidents), "incidents_replayed": len(incidents),
        "rows": sum(1 for _ in rows_of(closed_path, *names)) + sum(1 for _ in rows_of(open_path, *names)),
        "rows_skipped": 0,
        "ttc_p50": "%.4f" % pct(ttc, 50), "ttc_p90": "%.4f" % pct(ttc, 90), "ttc_p99": "%.4f" % pct(ttc, 99),
    }
    out["rows_skipped"] = out["rows"] - sum(len(rs) for rs in problems.values())
    for k, v in out.items():
        print(k, v)


if __name__ == "__main__":
    main()
