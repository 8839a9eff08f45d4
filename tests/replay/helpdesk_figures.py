#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/replay/helpdesk_figures.py - the replay report's figures for a slice
of the help desk log, computed from the CSV alone (no library), to check
itsm-replay against:

    zcat tests/data/replay/helpdesk-first-400.csv.gz | python3 tests/replay/helpdesk_figures.py

It restates the mapping of tools/helpdesk.h and the policy of
tools/helpdesk_policy.json in a few lines:

- a ticket's rows in file order (the log keeps them in time order); a row
  equal to one before it at the same second, column for column, is skipped;
- activities lead to states (Assign seriousness -> triaged, Take in charge
  ticket -> in_progress, ...); the bug tracker's RESOLVED / INVALID /
  VERIFIED / DUPLICATE keep the state; an activity leading where the
  ticket is changes fields only;
- steps: any open state to any state but anomaly_resolved (only from
  sw_anomaly), resolved (not from resolved) and closed (only from
  resolved); out of closed only Take in charge (a reopen); a step the
  policy does not have is refused and changes nothing;
- in closed, a row that would change a field is refused;
- resolved_at is stamped by every step into resolved; reassignments count
  workgroup moving from one group to another on applied rows;
- team changes / ping-pong over the workgroup sequence: the log's over
  every row not skipped, the library's over the rows applied.
Percentiles are nearest-rank, in hours.
"""
import csv
import datetime
import sys

STATE = {
    "Insert ticket": "new", "Assign seriousness": "triaged", "Take in charge ticket": "in_progress",
    "Wait": "waiting", "Require upgrade": "awaiting_upgrade", "Create SW anomaly": "sw_anomaly",
    "Resolve SW anomaly": "anomaly_resolved", "Schedule intervention": "scheduled",
    "Resolve ticket": "resolved", "Closed": "closed",
}
FIELDS = ("customer", "product", "service_type", "responsible_section", "support_section", "workgroup")


def seconds(s):
    return int(datetime.datetime.fromisoformat(s).timestamp())


def allowed(cur, to, activity):
    if cur == "closed":
        return activity == "Take in charge ticket"
    if activity == "Insert ticket":
        return False
    if to == "anomaly_resolved":
        return cur == "sw_anomaly"
    if to == "closed":
        return cur == "resolved"
    return True


class Teams:
    def __init__(self):
        self.last, self.seen, self.changes, self.pingpong = None, set(), 0, False

    def see(self, team):
        if not team or team == self.last:
            return
        if self.last is not None:
            self.changes += 1
            self.pingpong |= team in self.seen
        self.seen.add(team)
        self.last = team


def pct(values, p):
    if not values:
        return -1.0
    r = (p * len(values) + 99) // 100
    return values[max(r, 1) - 1] / 3600.0


def main():
    rows = list(csv.DictReader(sys.stdin))
    tickets = {}
    for i, r in enumerate(rows):
        tickets.setdefault(r["Case ID"], []).append(r)
    out = {"rows": len(rows), "incidents": len(tickets)}
    skipped = refused = 0
    ttr, fcr, completed_log, completed = [], 0, 0, 0
    log_changes = log_pp = lib_changes = lib_pp = 0
    for rs in tickets.values():
        seen = []
        state, fields, opened, resolved = "new", {}, None, None
        reassign, log_teams, lib_teams, done = 0, Teams(), Teams(), False
        for k, r in enumerate(rs):
            key = tuple(r.values())
            if key in seen:
                skipped += 1
                continue
            seen.append(key)
            a, t = r["Activity"], seconds(r["Complete Timestamp"])
            log_teams.see(r["workgroup"])
            done |= a in ("Resolve ticket", "Closed")
            new = {f: r[f] for f in FIELDS if r[f]}
            if opened is None:
                opened, fields = t, new
                lib_teams.see(r["workgroup"])
                if a == "Insert ticket":
                    continue
            changed = any(fields.get(f) != v for f, v in new.items())
            to = STATE.get(a)
            if to is None or to == state:
                if state == "closed" and changed:
                    refused += 1
                    continue
            elif not allowed(state, to, a):
                refused += 1
                continue
            else:
                if to == "resolved":
                    resolved = t
                state = to
            if new.get("workgroup") and fields.get("workgroup") and new["workgroup"] != fields["workgroup"]:
                reassign += 1
            fields.update(new)
            lib_teams.see(r["workgroup"])
        completed_log += done
        log_changes += log_teams.changes
        log_pp += log_teams.pingpong
        lib_changes += lib_teams.changes
        lib_pp += lib_teams.pingpong
        if resolved is not None:
            ttr.append(resolved - opened)
            fcr += reassign == 0
        completed += resolved is not None or state == "closed"
    ttr.sort()
    out.update({
        "rows_skipped": skipped, "rows_refused": refused, "resolved": len(ttr), "fcr": fcr,
        "ttr_p50": "%.4f" % pct(ttr, 50), "ttr_p90": "%.4f" % pct(ttr, 90), "ttr_p95": "%.4f" % pct(ttr, 95),
        "ttr_p99": "%.4f" % pct(ttr, 99), "log_completed": completed_log, "completed": completed,
        "log_team_changes": log_changes, "log_pingpong": log_pp, "team_changes": lib_changes,
        "pingpong": lib_pp,
    })
    for k, v in out.items():
        print(k, v)


if __name__ == "__main__":
    main()
