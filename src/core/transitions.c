/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's transition table: for each kind, the transition a step
 * takes from each state on each event, looked up in one read (every step
 * looks its transition up). */
#include "core/core.h"

#include <string.h>

int itsm__tr_index_build(itsm_engine *eng, const itsm_policy *p, uint16_t *out[ITSM_KIND_COUNT + 1])
{
    memset(out, 0, (ITSM_KIND_COUNT + 1) * sizeof *out);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &p->lc[k];
        size_t ns = lc->nstates, ne = lc->nevents;
        /* [from * ne + event]: the transition's position + 1, 0 for none */
        uint16_t *ix = itsm__calloc(&eng->alloc, ns * ne + 1, sizeof *ix);
        if (!ix) {
            itsm__tr_index_free(eng, out);
            return ITSM_ENOMEM;
        }
        out[k] = ix;
        /* As itsm__lc_find: the first transition from the state itself
         * wins; else the first from any open state, unless the state is
         * closed. */
        for (size_t i = lc->ntrans; i-- > 0;) {
            const itsm__transition *t = &lc->trans[i];
            if (t->from >= 0 && (size_t)t->from < ns && t->event >= 0 && (size_t)t->event < ne)
                ix[(size_t)t->from * ne + (size_t)t->event] = (uint16_t)(i + 1);
        }
        for (size_t i = lc->ntrans; i-- > 0;) {
            const itsm__transition *t = &lc->trans[i];
            if (t->from != ITSM__ANY_OPEN || t->event < 0 || (size_t)t->event >= ne)
                continue;
            for (size_t s = 0; s < ns; s++) {
                uint16_t *slot = &ix[s * ne + (size_t)t->event];
                const itsm__transition *cur = *slot ? &lc->trans[*slot - 1] : NULL;
                if (!itsm__lc_is_closed(lc, (int)s) && (!cur || cur->from == ITSM__ANY_OPEN))
                    *slot = (uint16_t)(i + 1);
            }
        }
    }
    return ITSM_OK;
}

void itsm__tr_index_free(itsm_engine *eng, uint16_t *ix[ITSM_KIND_COUNT + 1])
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        itsm__free(&eng->alloc, ix[k]);
        ix[k] = NULL;
    }
}

void itsm__tr_index_set(itsm_engine *eng, uint16_t *ix[ITSM_KIND_COUNT + 1])
{
    itsm__tr_index_free(eng, eng->tr_ix);
    memcpy(eng->tr_ix, ix, sizeof eng->tr_ix);
}

const itsm__transition *itsm__find_transition_slow(const itsm_engine *eng, int kind, int from, int event)
{
    return itsm__lc_find(itsm__lifecycle_of(eng, kind), from, event);
}
