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
        res = -1; closedt = -1
    }
    if (t < last) t = last
    last = t
    if ($7 != team) changes++
    team = $7
    if (l > lvl) lvl = l
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
    printf "ttr_p50 %.4f\nttr_p90 %.4f\nttr_p95 %.4f\n", pct(ttr, n, 50), pct(ttr, n, 90), pct(ttr, n, 95)
}
