# SPDX-License-Identifier: Apache-2.0
# tests/replay/uci_figures.awk - the replay report's figures for a UCI slice,
# computed from the CSV alone (no library), to check itsm-replay against:
#
#   zcat tests/data/replay/uci-first-200.csv.gz | awk -F, -f tests/replay/uci_figures.awk
#
# It restates the mapping rules of tools/uci.h in a few lines: an incident's
# rows are taken in time order (sys_updated_at, ties in file order); event
# time = max(sys_updated_at, opened_at); a New row after the incident left
# New is refused (the policy has no way back to New); the library stamps
# resolved_at on each entry into Resolved from another state, except a first
# row already Resolved at opened_at (logged after the fact: no time), and
# never on Closed; it counts a reassignment when assignment_group goes
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
#   - with P3=MINUTES (awk -v P3=2880) the P3 target is that instead
#     (tests/replay/test_whatif_replay.sh: the what-if's candidate);
#   - at the incident's last row the verdict is: breached if a breach fired
#     or the clock has reached the final priority's target (a clock stopped
#     exactly at its target is a breach); met if the clock stopped (Resolved
#     or Closed) before; still running and not breached = undecided, not
#     judged and not compared with made_sla.
# Team changes and ping-pong: the sequence of assignment groups ('?' is
# none, skipped): a change is a group other than the last one, ping-pong an
# incident whose group comes back after another group had it - over every
# row for the log's figures (log_team_changes, log_pingpong), over the
# applied rows for the library's (team_changes, pingpong).
# Why the two resolved_at differ (ttr_repeated, ttr_logged): the log keeps
# the last row of the final run of Resolved rows, the library the first;
# a first row Resolved at opened_at has no time in the library.
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
function finish(   i, j, n, v, k) {
    if (id == "") return
    # the incident's rows in time order (stable insertion sort)
    n = nrows
    for (i = 2; i <= n; i++) {
        v = rowt[i]; k = rowl[i]
        for (j = i - 1; j >= 1 && rowt[j] > v; j--) { rowt[j + 1] = rowt[j]; rowl[j + 1] = rowl[j] }
        rowt[j + 1] = v; rowl[j + 1] = k
    }
    for (i = 1; i <= n; i++) row(rowl[i], i == 1)
    incidents++
    if (reass == logreass) agree_reass++
    if (reopens == logreopen) agree_reopen++
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
        if (res >= 0 && mins(logres) != res && mins(logres) == runlast && res == runfirst) ttr_repeated++
    }
    if (res < 0 && logged && logres != "?") ttr_logged++
    if (logpp) log_pingpong++
    if (libpp) pingpong++
}
function target(p) { return p == 1 ? 240 : p == 2 ? 480 : p == 3 ? (P3 ? P3 : 4320) : p == 4 ? 7200 : 14400 }
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
# the group sequence: log (every row) or lib (applied rows)
function team(which, g) {
    if (g == "?") return
    if (which == "log") {
        if (loglast != "" && g != loglast) { log_team_changes++; if (g in logseen) logpp = 1 }
        logseen[g] = 1; loglast = g
    } else {
        if (liblast != "" && g != liblast) { team_changes++; if (g in libseen) libpp = 1 }
        libseen[g] = 1; liblast = g
    }
}
# one row of the current incident, in time order
function row(line, fresh,   f, t, s) {
    split(line, f, ",")
    t = mins(f[14])
    if (fresh) {
        opened = mins(f[10]); state = "New"
        reass = 0; reopens = 0; res = -1; group = "?"; who = "?"
        elapsed = 0; breached = 0; since = opened; prio = substr(f[23], 1, 1) + 0
        runfirst = -1; runlast = -1; logged = 0
        delete logseen; delete libseen; loglast = ""; liblast = ""; logpp = 0; libpp = 0
    }
    if (t < opened) t = opened
    s = f[2]
    team("log", f[24])
    if (s == "Resolved") { if (runfirst < 0) runfirst = t; runlast = t }
    else if (s != "Closed" && s != "-100") { runfirst = -1; runlast = -1 }
    logreass = f[4]; logreopen = f[5]; madesla = f[7]; logres = f[35]
    if (!fresh && s == "New" && state != "New") return   # refused: no way back to New
    # the tick to this row's time, before the row: a running clock that
    # has reached its target breaches (the record exists from the 2nd row)
    if (!fresh && running(state) && !breached && elapsed + t - since >= target(prio)) {
        breached = 1; fired++   # one sla_breach event
    }
    if (running(state) && t > since) elapsed += t - since
    if (t > since) since = t
    if (RULE == "group_change") {
        if (!fresh && f[24] != group) reass++
    } else if ((f[24] != "?" && group != "?" && f[24] != group) ||
               (RULE == "group_or_assignee" && f[25] != "?" && who != "?" && f[25] != who && f[24] == group)) reass++
    group = f[24]; who = f[25]
    team("lib", f[24])
    if (s != "-100" && s != state) {
        if (s == "Active" && (state == "Resolved" || state == "Closed")) reopens++
        if (s ~ /^Awaiting/ && state == "Resolved") reopens++
        if (s == "Resolved") {
            if (fresh && t == opened) logged = 1
            else res = t
        }
        state = s
    }
    prio = substr(f[23], 1, 1) + 0
}
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
    if ($1 != id) { finish(); id = $1; nrows = 0 }
    nrows++; rowt[nrows] = mins($14); rowl[nrows] = $0
}
END {
    if (bad_rule) exit 2
    finish()
    n = isort(ttr, resolved); m = isort(logttr, logresolved)
    printf "rows %d\nincidents %d\nreassignments_agree %d\nreopens_agree %d\n", rows, incidents, agree_reass, agree_reopen
    printf "resolved %d\nfcr %d\nsla_judged %d\nsla_met %d\nsla_compared %d\nsla_agree %d\n", resolved, fcr, sla_judged, sla_met, sla_cmp, sla_agree
    printf "ttr_p50 %.4f\nttr_p90 %.4f\nttr_p95 %.4f\nttr_p99 %.4f\n", pct(ttr, n, 50), pct(ttr, n, 90), pct(ttr, n, 95), pct(ttr, n, 99)
    printf "sla_fired %d\n", fired
    printf "log_resolved %d\nlog_fcr %d\nlog_ttr_p50 %.4f\nlog_ttr_p90 %.4f\nlog_ttr_p99 %.4f\n", logresolved, logfcr, pct(logttr, m, 50), pct(logttr, m, 90), pct(logttr, m, 99)
    printf "ttr_repeated_resolved_rows %d\nttr_logged_resolved %d\n", ttr_repeated, ttr_logged
    printf "log_team_changes %d\nlog_pingpong %d\nteam_changes %d\npingpong %d\n", log_team_changes, log_pingpong, team_changes, pingpong
}
