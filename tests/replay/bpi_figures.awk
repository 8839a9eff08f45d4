# SPDX-License-Identifier: Apache-2.0
# tests/replay/bpi_figures.awk - the replay report's figures for a BPI 2013
# slice, computed from the CSV alone (no library):
#
#   zcat tests/data/replay/bpi-first-100.csv.gz | tr -d '\r' | awk -F';' -f tests/replay/bpi_figures.awk
#
# Mapping rules of tools/bpi.h restated: the time is the ISO time minus its
# offset; resolved_at is stamped on each entry into Completed/Resolved or
# Completed/In Call and, if still unset, on the entry into Completed/Closed;
# a reassignment is a change of Involved ST; the support line is the team's
# suffix (" 2nd", " 3rd", else 1st). Percentiles nearest-rank, in hours.
#
# Process figures, over every row (the log's: log_*) and over the rows the
# library applies (its report: completed, stayed_first_line, escalations,
# escalated, team_changes, pingpong). A row is refused when the incident is
# in a closed status (Completed/In Call, Closed or Cancelled) and the row
# neither reopens it (Queued, Assigned, In Progress) nor repeats its status
# without a change. Completed = reached a Completed status (library: a
# resolved_at or a closed status); a push to a higher line is a row whose
# line is above the previous row's; ping-pong, a team that has the incident
# again after another team had it.
function secs(s,   y, m, d, era, yoe, doy, doe, off) {
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    off = (substr(s, 21, 2) * 3600 + substr(s, 24, 2) * 60) * (substr(s, 20, 1) == "+" ? 1 : -1)
    if (m <= 2) y--
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return (era * 146097 + doe - 719468) * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2) - off
}
function isort(arr, n,   i, j, v) {
    for (i = 2; i <= n; i++) {
        v = arr[i]
        for (j = i - 1; j >= 1 && arr[j] > v; j--) arr[j + 1] = arr[j]
        arr[j + 1] = v
    }
    return n
}
function pct(arr, n, p,   r) { r = int((p * n + 99) / 100); return arr[r > 0 ? r : 1] / 3600 }
function closed(st) { return st == "Completed/In Call" || st == "Completed/Closed" || st == "Completed/Cancelled" }
function finish() {
    if (id == "") return
    incidents++
    if (lvl >= 2) line2++
    if (lvl >= 3) line3++
    if (res < 0) res = closedt
    if (res >= 0) {
        resolved++
        ttr[resolved] = res - opened
        if (changes == 0) fcr++
    }
    if (logdone) { log_completed++; if (lvl <= 1) log_first++ }
    if (logesc) log_escalated++
    if (logpp) log_pingpong++
    if (res >= 0 || closed(state)) { completed++; if (liblvl <= 1) first++ }
    if (libesc) escalated++
    if (libpp) pingpong++
}
NR == 1 { next }
{
    rows++
    t = secs($2)
    st = $3 "/" $4
    l = $7 ~ / 2nd$/ ? 2 : $7 ~ / 3rd$/ ? 3 : 1
    if ($1 != id) {
        finish()
        id = $1; opened = t; last = t; state = ""; team = $7; changes = 0; lvl = l
        res = -1; closedt = -1; logdone = 0; loglvl = l; logesc = 0; logpp = 0
        delete seen; seen[$7] = 1
        libteam = $7; liblvl = l; libcur = l; libesc = 0; libpp = 0; delete libseen; libseen[$7] = 1
        libowner = $12; libprod = $9; libimp = $8; fresh = 1
    } else fresh = 0
    if (t < last) t = last
    last = t
    # the log's figures, every row
    if ($7 != team) { changes++; log_team_changes++; if ($7 in seen) logpp = 1 }
    seen[$7] = 1
    team = $7
    if (l > loglvl) { log_escalations++; logesc = 1 }
    loglvl = l
    if (l > lvl) lvl = l
    if ($3 == "Completed") logdone = 1
    # the library's: rows it applies
    if (!fresh && closed(state)) {
        if (st == state || st == "Unmatched/Unmatched") {
            if ($7 != libteam || $9 != libprod || l != libcur || $8 != libimp || ($12 != libowner && $12 != "Siebel" && $12 != "-")) next
        } else if (st != "Queued/Awaiting Assignment" && st != "Accepted/Assigned" && st != "Accepted/In Progress") next
    }
    if ($7 != libteam) { team_changes++; if ($7 in libseen) libpp = 1 }
    libseen[$7] = 1; libteam = $7; libprod = $9; libimp = $8
    if ($12 != "Siebel" && $12 != "-") libowner = $12
    if (!fresh && l > libcur) { escalations++; libesc = 1 }
    libcur = l
    if (l > liblvl) liblvl = l
    if (st != "Unmatched/Unmatched" && st != state) {
        if (st == "Completed/Resolved" || st == "Completed/In Call") res = t
        if (st == "Completed/Closed" && closedt < 0) closedt = t
        state = st
    }
}
END {
    finish()
    n = isort(ttr, resolved)
    printf "rows %d\nincidents %d\nline2 %d\nline3 %d\nresolved %d\nfcr %d\n", rows, incidents, line2, line3, resolved, fcr
    printf "ttr_p50 %.4f\nttr_p90 %.4f\nttr_p95 %.4f\nttr_p99 %.4f\n", pct(ttr, n, 50), pct(ttr, n, 90), pct(ttr, n, 95), pct(ttr, n, 99)
    printf "log_completed %d\nlog_stayed_first_line %d\nlog_escalations %d\nlog_escalated %d\nlog_team_changes %d\nlog_pingpong %d\n", log_completed, log_first, log_escalations, log_escalated, log_team_changes, log_pingpong
    printf "completed %d\nstayed_first_line %d\nescalations %d\nescalated %d\nteam_changes %d\npingpong %d\n", completed, first, escalations, escalated, team_changes, pingpong
}
