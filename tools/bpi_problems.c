/* SPDX-License-Identifier: Apache-2.0 */
/* tools/bpi_problems.c - BPI 2013 problems linked to incidents (see bpi_problems.h). */
#include "bpi_problems.h"

#include <stdlib.h>
#include <string.h>

typedef struct ikey { const char *product; itsm_time opened; itsm_record *rec; size_t links; } ikey;

static int cmp_str(const char *a, const char *b)
{
    if (a == b)
        return 0;
    return !a ? -1 : !b ? 1 : strcmp(a, b);
}

static int cmp_ikey(const void *pa, const void *pb)
{
    const ikey *a = pa, *b = pb;
    int c = cmp_str(a->product, b->product);
    if (c)
        return c;
    return a->opened < b->opened ? -1 : a->opened > b->opened;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

static int cmp_time(const void *pa, const void *pb)
{
    itsm_time a = *(const itsm_time *)pa, b = *(const itsm_time *)pb;
    return a < b ? -1 : a > b;
}

/* The first index of k[0..n) not before (product, opened). */
static size_t lower(const ikey *k, size_t n, const char *product, itsm_time opened)
{
    size_t lo = 0, hi = n;
    ikey probe = { product, opened, NULL, 0 };
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_ikey(&k[mid], &probe) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double median_hours(itsm_time *v, size_t n)
{
    if (!n)
        return -1;
    qsort(v, n, sizeof *v, cmp_time);
    return (double)v[(50 * n + 99) / 100 - 1] / 3600.0;
}

int bp_link(replay *pr, const replay *ir, itsm_time at, bp_links *o)
{
    memset(o, 0, sizeof *o);
    ikey *k = malloc((ir->ninc + 1) * sizeof *k);
    size_t *per = malloc((pr->ninc + 1) * sizeof *per);
    itsm_time *tl = malloc((ir->ninc + 1) * sizeof *tl), *tu = malloc((ir->ninc + 1) * sizeof *tu);
    o->ttc = malloc((pr->ninc + 1) * sizeof *o->ttc);
    if (!k || !per || !tl || !tu || !o->ttc) {
        free(k);
        free(per);
        free(tl);
        free(tu);
        return -1;
    }
    size_t nk = 0, nper = 0;
    for (size_t i = 0; i < ir->ninc; i++) {
        itsm_record *r = ir->inc[i].rec;
        if (!r)
            continue;
        k[nk++] = (ikey){ itsm_record_str(r, ITSM_F_CI), itsm_record_int(r, ITSM_F_OPENED_AT), r, 0 };
    }
    o->incidents = nk;
    qsort(k, nk, sizeof *k, cmp_ikey);
    pr->now = at;
    for (size_t p = 0; p < pr->ninc; p++) {
        itsm_record *r = pr->inc[p].rec;
        if (!r)
            continue;
        o->problems++;
        itsm_time opened = itsm_record_int(r, ITSM_F_OPENED_AT);
        int open = itsm_record_is_open(r);
        itsm_time until = open ? ITSM_TIME_MAX : itsm_record_int(r, ITSM_F_CLOSED_AT);
        if (open)
            o->still_open++;
        else {
            o->closed++;
            o->ttc[o->nttc++] = until - opened;
        }
        o->reopened += itsm_record_int(r, ITSM_F_REOPENS) > 0;
        const char *product = itsm_record_str(r, ITSM_F_CI);
        size_t linked = 0;
        for (size_t i = lower(k, nk, product, opened); i < nk && !cmp_str(k[i].product, product) &&
                                                      k[i].opened < until; i++) {
            int rc = itsm_record_link(k[i].rec, ITSM_LINK_RELATED, r);
            if (rc != ITSM_OK) {
                o->refused++;
                continue;
            }
            o->links++;
            o->incidents_linked += k[i].links++ == 0;
            linked++;
        }
        if (linked) {
            o->problems_linked++;
            per[nper++] = linked;
        }
    }
    qsort(per, nper, sizeof *per, cmp_size);
    if (nper) {
        o->per_problem_p50 = per[(50 * nper + 99) / 100 - 1];
        o->per_problem_p90 = per[(90 * nper + 99) / 100 - 1];
        o->per_problem_max = per[nper - 1];
    }
    qsort(o->ttc, o->nttc, sizeof *o->ttc, cmp_time);
    /* do incidents on a product with an open problem take longer? */
    size_t nl = 0, nu = 0;
    for (size_t i = 0; i < nk; i++) {
        itsm_time res = itsm_record_int(k[i].rec, ITSM_F_RESOLVED_AT);
        if (res == ITSM_TIME_NONE)
            continue;
        if (k[i].links)
            tl[nl++] = res - k[i].opened;
        else
            tu[nu++] = res - k[i].opened;
    }
    o->ttr_linked_p50 = median_hours(tl, nl);
    o->ttr_unlinked_p50 = median_hours(tu, nu);
    free(k);
    free(per);
    free(tl);
    free(tu);
    return 0;
}

void bp_links_free(bp_links *l)
{
    free(l->ttc);
    memset(l, 0, sizeof *l);
}

static double pct_h(const bp_links *l, int p)
{
    if (!l->nttc)
        return -1;
    size_t r = ((size_t)p * l->nttc + 99) / 100;
    return (double)l->ttc[r ? r - 1 : 0] / 3600.0;
}

void bp_report_text(const bp_links *l, const char *incidents_line, FILE *out)
{
    fprintf(out, "\nthe problem side\n");
    if (incidents_line)
        fprintf(out, "  %s\n", incidents_line);
    fprintf(out, "  problems %zu: closed or cancelled at the end %zu, still open %zu, reopened at least once %zu\n",
            l->problems, l->closed, l->still_open, l->reopened);
    fprintf(out, "  time to close, hours (p50 / p90 / p95 / p99): %.1f / %.1f / %.1f / %.1f over %zu\n",
            pct_h(l, 50), pct_h(l, 90), pct_h(l, 95), pct_h(l, 99), l->nttc);
    fprintf(out, "  linked to incidents (same product, incident opened while the problem was open):\n"
                 "    %zu links; %zu of %zu problems have incidents, %zu of %zu incidents have a problem (%.1f%%)\n",
            l->links, l->problems_linked, l->problems, l->incidents_linked, l->incidents,
            l->incidents ? 100.0 * (double)l->incidents_linked / (double)l->incidents : 0.0);
    fprintf(out, "    incidents per linked problem p50 %zu, p90 %zu, max %zu; refused links %zu\n",
            l->per_problem_p50, l->per_problem_p90, l->per_problem_max, l->refused);
    fprintf(out, "    incidents' time to resolve p50: %.2f h with an open problem on their product, "
                 "%.2f h without\n", l->ttr_linked_p50, l->ttr_unlinked_p50);
}

void bp_report_json(const bp_links *l, FILE *out)
{
    fprintf(out, "  \"problems\": %zu,\n  \"problems_closed\": %zu,\n  \"problems_open\": %zu,\n"
                 "  \"problems_reopened\": %zu,\n  \"problems_closed_with_time\": %zu,\n",
            l->problems, l->closed, l->still_open, l->reopened, l->nttc);
    fprintf(out, "  \"ttc_hours\": {\"p50\": %.4f, \"p90\": %.4f, \"p95\": %.4f, \"p99\": %.4f},\n", pct_h(l, 50),
            pct_h(l, 90), pct_h(l, 95), pct_h(l, 99));
    fprintf(out, "  \"links\": %zu,\n  \"links_refused\": %zu,\n  \"linked_problems\": %zu,\n"
                 "  \"linked_incidents\": %zu,\n  \"incidents_replayed\": %zu,\n"
                 "  \"incidents_per_problem\": {\"p50\": %zu, \"p90\": %zu, \"max\": %zu},\n"
                 "  \"incident_ttr_p50_hours\": {\"with_problem\": %.4f, \"without\": %.4f}",
            l->links, l->refused, l->problems_linked, l->incidents_linked, l->incidents, l->per_problem_p50,
            l->per_problem_p90, l->per_problem_max, l->ttr_linked_p50, l->ttr_unlinked_p50);
}
