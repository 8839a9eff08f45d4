/* SPDX-License-Identifier: Apache-2.0 */
/* The groups a major incident engaged, per record (major/engaged.h): room
 * is made in the reserve hook, so that applying an event only writes. */
#include "major/engaged.h"
#include "sla/sla_int.h"
#include "kit/ptrmap.h"

#include <string.h>

typedef struct engaged {
    const void  *key;     /* the record (ptrmap: the first member) */
    size_t       n, cap;
    const char **groups;  /* interned */
} engaged;

typedef struct majeng {
    itsm__ptrmap recs;    /* record -> engaged */
} majeng;

static majeng *me_of(const itsm_engine *eng) { return (majeng *)eng->cap[ITSM__CAP_MAJOR]; }

int itsm__major_engine_init(itsm_engine *eng)
{
    majeng *me = itsm__calloc(&eng->alloc, 1, sizeof *me);
    if (!me)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&me->recs);
    eng->cap[ITSM__CAP_MAJOR] = me;
    return ITSM_OK;
}

void itsm__major_engine_free(itsm_engine *eng)
{
    majeng *me = me_of(eng);
    if (!me)
        return;
    for (size_t i = 0; i < me->recs.n; i++) {
        engaged *e = me->recs.v[i];
        itsm__free(&eng->alloc, (void *)e->groups);
        itsm__free(&eng->alloc, e);
    }
    itsm__ptrmap_free(&me->recs, &eng->alloc);
    itsm__free(&eng->alloc, me);
    eng->cap[ITSM__CAP_MAJOR] = NULL;
}

static int is_engagement(const itsm_event *ev)
{
    return ev->type == ITSM__EV_EXT && ev->cls == &itsm__xclasses[ITSM__X_MAJ_GROUPS] && ev->rec && ev->ext;
}

/* An entry made here that its batch then does not apply stays empty: it
 * lists nothing, as before. */
int itsm__major_engaged_reserve(itsm_engine *eng)
{
    majeng *me = me_of(eng);
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (!is_engagement(ev))
            continue;
        size_t more = 0;   /* every engagement of this record in the batch */
        for (size_t j = 0; j < eng->nbatch; j++)
            if (is_engagement(&eng->batch[j]) && eng->batch[j].rec == ev->rec)
                more += ((const itsm__xev *)eng->batch[j].ext)->nsym;
        engaged *e = itsm__ptrmap_get(&me->recs, ev->rec);
        if (!e) {
            if (itsm__ptrmap_reserve(&me->recs, &eng->alloc, 1) ||
                !(e = itsm__calloc(&eng->alloc, 1, sizeof *e)))
                return itsm__oom(eng);
            e->key = ev->rec;
            itsm__ptrmap_put(&me->recs, e);
        }
        if (e->n + more > e->cap) {
            size_t cap = e->n + more + 4;
            const char **g = itsm__malloc(&eng->alloc, cap * sizeof *g);
            if (!g)
                return itsm__oom(eng);
            if (e->n)
                memcpy(g, e->groups, e->n * sizeof *g);
            itsm__free(&eng->alloc, (void *)e->groups);
            e->groups = g;
            e->cap = cap;
        }
    }
    return ITSM_OK;
}

void itsm__major_engaged_apply(itsm_engine *eng, itsm_event *ev)
{
    if (!is_engagement(ev))
        return;
    engaged *e = itsm__ptrmap_get(&me_of(eng)->recs, ev->rec);
    const itsm__xev *x = ev->ext;
    for (unsigned i = 0; e && i < x->nsym; i++) {
        const char *g = x->sym[2 + i];
        size_t k = 0;
        while (k < e->n && e->groups[k] != g && strcmp(e->groups[k], g) != 0)
            k++;
        if (k == e->n && e->n < e->cap)
            e->groups[e->n++] = g;
    }
}

const char *const *itsm__major_engaged(const itsm_engine *eng, const itsm_record *r, size_t *n)
{
    const majeng *me = me_of(eng);
    const engaged *e = me && me->recs.n ? itsm__ptrmap_get(&me->recs, r) : NULL;
    *n = e ? e->n : 0;
    return e && e->n ? e->groups : NULL;
}
