/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the field table - name, type, storage slot, range. */
#ifndef ITSM_SRC_FIELDS_H
#define ITSM_SRC_FIELDS_H

#include "itsm/record.h"

/* String fields live in rec->str[slot], the others in rec->num[slot]. */
#define ITSM__NSTR 17
#define ITSM__NNUM 15

typedef struct itsm__field_info {
    const char     *name;
    itsm_field_type type;
    unsigned char   slot;
    unsigned char   engine_owned;
    int64_t         min, max;     /* for int fields */
} itsm__field_info;

extern const itsm__field_info itsm__fields[ITSM_F__COUNT];

static inline int itsm__field_valid(int f) { return f >= 0 && f < (int)ITSM_F__COUNT; }
static inline int itsm__field_is_str(itsm_field f)
{
    return itsm__fields[f].type == ITSM_TYPE_TEXT || itsm__fields[f].type == ITSM_TYPE_SYMBOL;
}
/* Look a field up by a name of `n` bytes; -1 if unknown. */
int itsm__field_lookup(const char *name, size_t n);

#endif
