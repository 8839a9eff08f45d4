/* SPDX-License-Identifier: Apache-2.0 */
/* A capability's engine state that is one map from record to entry
 * (core/capability.h): made and freed alike by every such capability. */
#include "core/core.h"
#include "kit/ptrmap.h"

int itsm__cap_map_init(itsm_engine *eng, int slot)
{
    itsm__ptrmap *m = itsm__calloc(&eng->alloc, 1, sizeof *m);
    if (!m)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(m);
    eng->cap[slot] = m;
    return ITSM_OK;
}

void itsm__cap_map_free(itsm_engine *eng, int slot, void (*entry_free)(itsm_engine *eng, void *entry))
{
    itsm__ptrmap *m = eng->cap[slot];
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        if (entry_free)
            entry_free(eng, m->v[i]);
        else
            itsm__free(&eng->alloc, m->v[i]);
    }
    itsm__ptrmap_free(m, &eng->alloc);
    itsm__free(&eng->alloc, m);
    eng->cap[slot] = NULL;
}
