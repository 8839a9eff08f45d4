/* SPDX-License-Identifier: Apache-2.0 */
/* What can fire now: the lifecycle events with a transition from a
 * record's state, each with the guard terms the record still misses, and
 * the terms the last failed guard missed (itsm_guard_missing_*). Computed
 * from the record and the policy at each call; nothing is kept. */
#include "core/core.h"
#include "core/abi.h"

#include <string.h>

/* The transition of the index-th allowed event of r (lifecycle event
 * order), or NULL; *event gets its event index. */
static const itsm__transition *allowed_nth(const itsm_record *r, size_t index, int *event)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(r->eng, r->kind);
    for (size_t e = 0; e < lc->nevents; e++) {
        const itsm__transition *t = itsm__find_transition(r->eng, r->kind, r->state, (int)e);
        if (t && index-- == 0) {
            *event = (int)e;
            return t;
        }
    }
    return NULL;
}

size_t itsm_record_allowed_count(const itsm_record *r)
{
    if (!r)
        return 0;
    const itsm__lifecycle *lc = itsm__lifecycle_of(r->eng, r->kind);
    size_t n = 0;
    for (size_t e = 0; e < lc->nevents; e++)
        n += itsm__find_transition(r->eng, r->kind, r->state, (int)e) != NULL;
    return n;
}

static size_t popcount64(uint64_t x)
{
    size_t n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

int itsm_record_allowed_at(const itsm_record *r, size_t index, itsm_allowed_event *out)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_allowed_at: out is NULL");
    int rc = ITSM__SIZED(r->eng, out, itsm_allowed_event, nmissing), e = 0;
    if (rc)
        return rc;
    const itsm__transition *t = allowed_nth(r, index, &e);
    if (!t)
        return itsm__err_const(r->eng, ITSM_EINVAL,
                               "itsm_record_allowed_at: allowed event index %zu is out of range (%s has %zu)",
                               index, r->id, itsm_record_allowed_count(r));
    static const itsm_event none;   /* no changes: the record as it is */
    const itsm__lifecycle *lc = itsm__lifecycle_of(r->eng, r->kind);
    itsm_allowed_event full = { sizeof full, lc->events[e], lc->states[t->to],
                                popcount64(itsm__guard_missing(r, &none, t)) };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* The need for term g of a guard, its strings borrowed from the policy. */
static void need_of(itsm_guard_need *n, const itsm_engine *eng, const itsm__gterm *g)
{
    static const itsm_need_kind kinds[] = { [ITSM__G_SET] = ITSM_NEED_FIELD, [ITSM__G_ANY] = ITSM_NEED_ANY_OF,
                                            [ITSM__G_EQ] = ITSM_NEED_VALUE, [ITSM__G_LINK] = ITSM_NEED_LINK,
                                            [ITSM__G_KIND] = ITSM_NEED_TERM };
    memset(n, 0, sizeof *n);
    n->size = sizeof *n;
    n->kind = kinds[g->op];
    n->term = g->text;
    if (g->op == ITSM__G_LINK) {
        n->link_kind = g->link_kind;
        return;
    }
    if (g->op == ITSM__G_KIND) {   /* "approved:all": the kind's name and its argument */
        n->field = g->gk->name;
        n->value = g->value;
        return;
    }
    n->field = itsm__field_of(eng, g->fields[0])->name;
    if (g->op == ITSM__G_EQ)   /* the term's own text after '=': "standard", "0" */
        n->value = strchr(g->text, '=') + 1;
}

/* The need-th set bit of miss, as a term index; -1 when there are fewer. */
static int nth_bit(uint64_t miss, size_t need)
{
    for (int i = 0; i < 64; i++)
        if ((miss >> i & 1) && need-- == 0)
            return i;
    return -1;
}

int itsm_record_allowed_need_at(const itsm_record *r, size_t index, size_t need, itsm_guard_need *out)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_allowed_need_at: out is NULL");
    int rc = ITSM__SIZED(r->eng, out, itsm_guard_need, term), e = 0;
    if (rc)
        return rc;
    const itsm__transition *t = allowed_nth(r, index, &e);
    if (!t)
        return itsm__err_const(r->eng, ITSM_EINVAL,
                               "itsm_record_allowed_need_at: allowed event index %zu is out of range (%s has %zu)",
                               index, r->id, itsm_record_allowed_count(r));
    static const itsm_event none;
    int i = nth_bit(itsm__guard_missing(r, &none, t), need);
    if (i < 0)
        return itsm__err_const(r->eng, ITSM_EINVAL,
                               "itsm_record_allowed_need_at: need index %zu is out of range ('%s' of %s misses %zu)",
                               need, itsm__lifecycle_of(r->eng, r->kind)->events[e], r->id,
                               popcount64(itsm__guard_missing(r, &none, t)));
    itsm_guard_need full;
    need_of(&full, r->eng, &t->terms[i]);
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

size_t itsm_guard_missing_count(const itsm_engine *eng)
{
    return eng && eng->err.code == ITSM_EGUARD && eng->guard_t ? popcount64(eng->guard_missing) : 0;
}

int itsm_guard_missing_at(const itsm_engine *eng, size_t index, itsm_guard_need *out)
{
    if (!eng || !out)
        return ITSM_EINVAL;
    /* A reading call that keeps the failure it reads: no message of its own. */
    if (out->size < ITSM__END(itsm_guard_need, term) || out->size > sizeof(itsm_guard_need))
        return ITSM_EINVAL;
    int i = itsm_guard_missing_count(eng) ? nth_bit(eng->guard_missing, index) : -1;
    if (i < 0)
        return ITSM_EINVAL;
    itsm_guard_need full;
    need_of(&full, eng, &eng->guard_t->terms[i]);
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}
