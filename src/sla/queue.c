/* SPDX-License-Identifier: Apache-2.0 */
/* The service-level deadline queue: a binary min-heap of (time, record)
 * with lazy invalidation. Each record keeps the time of its earliest timer
 * (next_fire); an entry is live only while it matches. Stale entries are
 * dropped when they reach the top, and the heap is compacted when they
 * outnumber live ones. */
#include "sla/sla_int.h"
#include "core/core.h"

int itsm__sla_ent_less(const itsm__heapent *a, const itsm__heapent *b)
{
    itsm_time x = itsm__heapent_at(a), y = itsm__heapent_at(b);
    return x < y || (x == y && a->idx < b->idx);
}

static void sift_up(itsm__heapent *h, size_t i)
{
    itsm__heapent e = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!itsm__sla_ent_less(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static void sift_down(itsm__heapent *h, size_t n, size_t i)
{
    itsm__heapent e = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && itsm__sla_ent_less(&h[c + 1], &h[c]))
            c++;
        if (!itsm__sla_ent_less(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

/* Room was reserved: never fails. */
void itsm__sla_heap_push(itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    itsm__heapent e;
    memcpy(e.at, &at, sizeof at);
    e.idx = idx;
    se->heap[se->nheap] = e;
    sift_up(se->heap, se->nheap);
    se->nheap++;
}

/* Bottom-up: the hole at the top moves down along the smaller children to
 * a leaf, then the last entry rises from there. It came from the bottom
 * and rarely rises far, so each level costs one comparison instead of the
 * two of sifting it down from the top (a fired timer pops one entry). */
void itsm__sla_heap_pop(itsm__slaeng *se)
{
    size_t n = --se->nheap;
    if (!n)
        return;
    itsm__heapent *h = se->heap, e = h[n];
    size_t i = 0, c;
    while ((c = 2 * i + 1) < n) {
        if (c + 1 < n && itsm__sla_ent_less(&h[c + 1], &h[c]))
            c++;
        h[i] = h[c];
        i = c;
    }
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!itsm__sla_ent_less(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

int itsm__sla_ent_live(const itsm_engine *eng, const itsm__heapent *e)
{
    const itsm_record *r = eng->recs[e->idx];
    return itsm__sr(r) && itsm__sr(r)->next_fire == itsm__heapent_at(e);
}

void itsm__sla_heap_compact(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    for (size_t i = 0; i < se->nheap; i++) {
        itsm_record *r = eng->recs[se->heap[i].idx];
        if (itsm__sr(r))
            itsm__sr(r)->flags &= ~ITSM__SF_HELD;
    }
    size_t n = 0;
    for (size_t i = 0; i < se->nheap; i++) {
        itsm__heapent e = se->heap[i];
        itsm_record *r = eng->recs[e.idx];
        if (!itsm__sla_ent_live(eng, &e) || (itsm__sr(r)->flags & ITSM__SF_HELD))
            continue;
        itsm__sr(r)->flags |= ITSM__SF_HELD;
        se->heap[n++] = e;
    }
    se->nheap = n;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(se->heap, n, i);
}
