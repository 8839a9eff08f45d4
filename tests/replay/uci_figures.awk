# SPDX-License-Identifier: Apache-2.0
# tests/replay/uci_figures.awk - the replay report's figures for a UCI slice,
# computed from the CSV alone (no library), to check itsm-replay against:
#
#   zcat tests/data/replay/uci-first-200.csv.gz | awk -F, -f tests/replay/uci_figures.awk
#
# It restates the mapping rules of tools/uci.h in a few lines: event time =
# max(sys_updated_at, the incident's previous time, opened_at); the library
# stamps resolved_at on each entry into Resolved and, if still unset, on
# the entry into Closed; it counts a reassignment when assignment_group goes
# from one group to another ('?' = none) - with RULE=group_change on every
# change of group after the first row, '?' included - with RULE=group_or_assignee
# (awk -v RULE=..., the policy's counters.reassignment) also when
# assigned_to goes from one person to another while the group stays, once
# per row - and a reopen on Resolved|Closed -> Active and Resolved ->
# Awaiting ...
#
# SLA: the verdict is the library's resolution timer (tools/servicenow_policy.json,
# service_levels: P1 4h, P2 8h, P3 72h, P4 120h, P5 240h on the 24x7
# calendar), restated here independently of the library:
#   - the clock counts wall minutes while the incident is open and not
#     Resolved (Closed stops it for good; a reopen resumes it with the time
#     before carried over); with PAUSE=1 (awk -v PAUSE=1) it also stops in
#     the Awaiting ... states (the shipped policy does not pause: see the
#     policy's note);
#   - itsm-replay ticks the engine to each row's time before applying the
#     row, so a breach fires when, before a row, the running clock has
#     reached the target of the priority the incident had until then; a
#     fired breach stays (a later, laxer priority does not undo it);
#     (sla_fired counts those breaches: every incident of the slices
#     ends Resolved or Closed, so none is left to fire after its last row);
#   - at the incident's last row the verdict is: breached if a breach fired
#     or the clock has reached the final priority's target (a clock stopped
#     exactly at its target is a breach); met if the clock stopped (Resolved
#     or Closed) before; still running and not breached = undecided, not
#     judged and not compared with made_sla.
# Percentiles are nearest-rank, in hours.
function mins(s,   a, d, t, y, m, dd, era, yoe, doy, doe) {
    split(s, a, " "); split(a[1], d, "/"); split(a[2], t, ":")
    y = d[3] + 0; m = d[2] + 0; dd = d[1] + 0
    if (m <= 2) y--
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + dd - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return ((era * 146097 + doe - 719468) * 24 + t[1]) * 60 + t[2]
}
function finish() {
    if (id == "") return
    incidents++
    if (reass == logreass) agree_reass++
    if (reopens == logreopen) agree_reopen++
    if (res < 0) res = closedt
    if (res >= 0) {
        resolved++
        ttr[resolved] = res - opened
        if (reass == 0) fcr++
    }
    if (elapsed >= target(prio)) breached = 1
    if (breached || state == "Resolved" || state == "Closed") {
        sla_judged++
        if (!breached) sla_met++
        if (madesla == "true" || madesla == "false") {
            sla_cmp++
            if ((!breached) == (madesla == "true")) sla_agree++
        }
    }
    if (logres != "?") {
        logresolved++
        logttr[logresolved] = mins(logres) - opened
        if (logreass == 0) logfcr++
    }
}
function target(p) { return p == 1 ? 240 : p == 2 ? 480 : p == 3 ? 4320 : p == 4 ? 7200 : 14400 }
function running(s) { return s != "Resolved" && s != "Closed" && !(PAUSE && s ~ /^Awaiting/) }
# portable awk (mawk has no asort): insertion sort of arr[1..n]
function isort(arr, n,   i, j, v) {
    for (i = 2; i <= n; i++) {
        v = arr[i]
        for (j = i - 1; j >= 1 && arr[j] > v; j--) arr[j + 1] = arr[j]
        arr[j + 1] = v
    }
    return n
}
function pct(arr, n, p,   r) { r = int((p * n + 99) / 100); return arr[r > 0 ? r : 1] / 60 }
BEGIN {
    if (RULE == "") RULE = "group"
    if (RULE != "group" && RULE != "group_or_assignee" && RULE != "group_change") {
        print "uci_figures.awk: RULE must be group, group_or_assignee or group_change" > "/dev/stderr"
        bad_rule = 1; exit 2
    }
}
NR == 1 { next }
{
    rows++
    t = mins($14)
    if ($1 != id) {
        finish()
        id = $1; opened = mins($10); last = opened; state = "New"
        reass = 0; reopens = 0; res = -1; closedt = -1; group = "?"; who = "?"
        if ($2 != "New") first_not_new++
        elapsed = 0; breached = 0; since = opened; prio = substr($23, 1, 1) + 0
        fresh = 1
    } else fresh = 0
    if (t < last) t = last
    last = t
    # the tick to this row's time, before the row: a running clock that
    # has reached its target breaches (the record exists from the 2nd row)
    if (!fresh && running(state) && !breached && elapsed + t - since >= target(prio)) {
        breached = 1; fired++   # one sla_breach event
    }
    if (running(state) && t > since) elapsed += t - since
    if (t > since) since = t
    if (RULE == "group_change") {
        if (!fresh && $24 != group) reass++
    } else if (($24 != "?" && group != "?" && $24 != group) ||
               (RULE == "group_or_assignee" && $25 != "?" && who != "?" && $25 != who && $24 == group)) reass++
    group = $24; who = $25
    s = $2
    if (s != "-100" && s != state) {
        if (s == "Active" && (state == "Resolved" || state == "Closed")) reopens++
        if (s ~ /^Awaiting/ && state == "Resolved") reopens++
        if (s == "Resolved") res = t
        if (s == "Closed" && closedt < 0) closedt = t
        state = s
    }
    logreass = $4; logreopen = $5; prio = substr($23, 1, 1) + 0; madesla = $7; logres = $35
}
END {
    if (bad_rule) exit 2
    finish()
    n = isort(ttr, resolved); m = isort(logttr, logresolved)
    printf "rows %d\nincidents %d\nreassignments_agree %d\nreopens_agree %d\n", rows, incidents, agree_reass, agree_reopen
    printf "resolved %d\nfcr %d\nsla_judged %d\nsla_met %d\nsla_compared %d\nsla_agree %d\n", resolved, fcr, sla_judged, sla_met, sla_cmp, sla_agree
    printf "ttr_p50 %.4f\nttr_p90 %.4f\nttr_p95 %.4f\n", pct(ttr, n, 50), pct(ttr, n, 90), pct(ttr, n, 95)
    printf "sla_fired %d\n", fired
    printf "log_resolved %d\nlog_fcr %d\nlog_ttr_p50 %.4f\nlog_ttr_p90 %.4f\n", logresolved, logfcr, pct(logttr, m, 50), pct(logttr, m, 90)
}
