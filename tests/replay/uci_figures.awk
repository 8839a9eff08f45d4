# tests/replay/uci_figures.awk - the replay report's figures for a UCI slice,
# computed from the CSV alone (no library), to check itsm-replay against:
#
#   zcat tests/data/replay/uci-first-200.csv.gz | awk -F, -f tests/replay/uci_figures.awk
#
# It restates the mapping rules of tools/uci.h in a few lines: event time =
# max(sys_updated_at, the incident's previous time, opened_at); the library
# stamps resolved_at on each entry into Resolved and, if still unset, on
# the entry into Closed; it counts a reassignment when assignment_group goes
# from one group to another ('?' = none), and a reopen on Resolved|Closed ->
# Active and Resolved -> Awaiting ...; SLA targets P1 4h, P2 8h, P3 72h, P4 120h.
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
        target = prio == 1 ? 240 : prio == 2 ? 480 : prio == 3 ? 4320 : 7200
        if (res - opened <= target) sla_met++
        if ((res - opened <= target) == (madesla == "true")) sla_agree++
    }
    if (logres != "?") {
        logresolved++
        logttr[logresolved] = mins(logres) - opened
        if (logreass == 0) logfcr++
    }
}
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
NR == 1 { next }
{
    rows++
    t = mins($14)
    if ($1 != id) {
        finish()
        id = $1; opened = mins($10); last = opened; state = "New"
        reass = 0; reopens = 0; res = -1; closedt = -1; group = "?"
        if ($2 != "New") first_not_new++
    }
    if (t < last) t = last
    last = t
    if ($24 != "?" && group != "?" && $24 != group) reass++
    group = $24
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
    finish()
    n = isort(ttr, resolved); m = isort(logttr, logresolved)
    printf "rows %d\nincidents %d\nreassignments_agree %d\nreopens_agree %d\n", rows, incidents, agree_reass, agree_reopen
    printf "resolved %d\nfcr %d\nsla_met %d\nsla_agree %d\n", resolved, fcr, sla_met, sla_agree
    printf "ttr_p50 %.4f\nttr_p90 %.4f\nttr_p95 %.4f\n", pct(ttr, n, 50), pct(ttr, n, 90), pct(ttr, n, 95)
    printf "log_resolved %d\nlog_fcr %d\nlog_ttr_p50 %.4f\nlog_ttr_p90 %.4f\n", logresolved, logfcr, pct(logttr, m, 50), pct(logttr, m, 90)
}
