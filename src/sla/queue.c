/* SPDX-License-Identifier: Apache-2.0 */
/* The service-level deadline queue: a 4-ary min-heap of (time, record)
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

/* Four children a node (ITSM__HEAP_ARITY): half the levels of a binary
 * heap, so a pop or push touches half as many entries. */
#define D ITSM__HEAP_ARITY

static void sift_up(itsm__heapent *h, size_t i)
{
    itsm__heapent e = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / D;
        if (!itsm__sla_ent_less(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

/* The smallest of the children of i (there is at least one: c < n). */
static inline size_t least_child(const itsm__heapent *h, size_t n, size_t c)
{
    if (c + D <= n) {   /* all four: a tournament, three comparisons */
        size_t a = itsm__sla_ent_less(&h[c + 1], &h[c]) ? c + 1 : c;
        size_t b = itsm__sla_ent_less(&h[c + 3], &h[c + 2]) ? c + 3 : c + 2;
        return itsm__sla_ent_less(&h[b], &h[a]) ? b : a;
    }
    size_t m = c, end = n;
    for (size_t k = c + 1; k < end; k++)
        if (itsm__sla_ent_less(&h[k], &h[m]))
            m = k;
    return m;
}

static void sift_down(itsm__heapent *h, size_t n, size_t i)
{
    itsm__heapent e = h[i];
    for (;;) {
        size_t c = D * i + 1;
        if (c >= n)
            break;
        c = least_child(h, n, c);
        if (!itsm__sla_ent_less(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

static void sink_top(itsm__heapent *h, size_t n, itsm__heapent e);

static inline void push_in(itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    itsm__heapent e;
    memcpy(e.at, &at, sizeof at);
    e.idx = idx;
    se->heap[se->nheap] = e;
    sift_up(se->heap, se->nheap);
    se->nheap++;
}

/* The firing record's entry popped first: apart, so the common push
 * calls nothing and saves no registers. */
__attribute__((noinline)) static void push_after_firing(itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    itsm__sla_heap_pop(se);
    push_in(se, at, idx);
}

/* Room was reserved: never fails. The firing record's entry, still on
 * top (itsm__sla_heap_retop), goes first: a pushed entry may rise above
 * it. */
void itsm__sla_heap_push(itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    if (se->top_firing) {
        push_after_firing(se, at, idx);
        return;
    }
    push_in(se, at, idx);
}

/* Bottom-up: the hole at the top moves down along the smallest children to
 * a leaf, then the last entry rises from there. It came from the bottom
 * and rarely rises far, so no level compares it on the way down (a fired
 * timer pops one entry). */
void itsm__sla_heap_pop(itsm__slaeng *se)
{
    se->top_firing = 0;   /* the top goes, whoever's it is */
    size_t n = --se->nheap;
    if (!n) {
        itsm__heap_set_empty(se->heap);   /* for the tick */
        return;
    }
    sink_top(se->heap, n, se->heap[n]);
}

/* The top entry replaced by `e`, the same bottom-up way as a pop: the hole
 * goes down to a leaf, then `e` rises from there. */
static void sink_top(itsm__heapent *h, size_t n, itsm__heapent e)
{
    size_t i = 0, c;
    /* Nodes with all four children: the tournament on the times, held in
     * registers, the index deciding a tie (itsm__sla_ent_less). */
    _Static_assert(D == 4, "the tournament below plays four children");
    while ((c = D * i + 1) + D <= n) {
        const itsm__heapent *p = &h[c];
        itsm_time t0 = itsm__heapent_at(&p[0]), t1 = itsm__heapent_at(&p[1]);
        itsm_time t2 = itsm__heapent_at(&p[2]), t3 = itsm__heapent_at(&p[3]);
        size_t a = 0, b = 2;
        if (t1 < t0 || (t1 == t0 && p[1].idx < p[0].idx)) {
            a = 1;
            t0 = t1;
        }
        if (t3 < t2 || (t3 == t2 && p[3].idx < p[2].idx)) {
            b = 3;
            t2 = t3;
        }
        if (t2 < t0 || (t2 == t0 && p[b].idx < p[a].idx))
            a = b;
        h[i] = p[a];
        i = c + a;
    }
    if ((c = D * i + 1) < n) {   /* the last parent, with fewer */
        c = least_child(h, n, c);
        h[i] = h[c];
        i = c;
    }
    while (i > 0) {
        size_t parent = (i - 1) / D;
        if (!itsm__sla_ent_less(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

/* A fired timer's record planned again: its entry, left on top by the
 * tick while it fired (top_firing), takes the new time (NONE: it goes) -
 * one walk down instead of a pop and a push. */
void itsm__sla_heap_retop(itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    if (at == ITSM_TIME_NONE) {
        itsm__sla_heap_pop(se);
        return;
    }
    se->top_firing = 0;
    itsm__heapent e;
    memcpy(e.at, &at, sizeof at);
    e.idx = idx;
    sink_top(se->heap, se->nheap, e);
}

void itsm__sla_heap_compact(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    if (se->top_firing)
        itsm__sla_heap_pop(se);   /* the firing record's entry: its fire plans it again */
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
    se->nheap = se->heap_kept = n;
    if (!n)
        itsm__heap_set_empty(se->heap);   /* for the tick */
    for (size_t i = n / 2; i-- > 0;)
        sift_down(se->heap, n, i);
}
