/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the migration check's result (itsm/migration.h). Every string
 * it hands out is its own copy (strs). */
#ifndef ITSM_SRC_MIGRATION_INT_H
#define ITSM_SRC_MIGRATION_INT_H

#include "itsm/migration.h"
#include "whatif/whatif_int.h"

struct itsm_migration {
    itsm_allocator          alloc;
    itsm_time               now;
    size_t                  records;
    size_t                  counts[ITSM_MIGRATION_KIND_COUNT];
    itsm_migration_finding *list;  size_t nlist, clist;
    char                  **strs;  size_t nstrs, cstrs;
};

/* The result's own copy of `s` (NULL: out of memory; s must not be NULL). */
const char *itsm__migration_keep(itsm_migration *m, const char *s);

#endif
