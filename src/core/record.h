/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the record - its layout (struct itsm_record, and itsm__recx
 * for what only some records have), its built-in fields read and set by
 * slot, and its block: the record, its capabilities' state, its opening
 * texts and its id in one allocation (core/engine.c). Part of
 * core/core.h, which includes every part in order: include that (or
 * core/engine_int.h), since itsm__rec_str reads a symbol through
 * itsm__sym_of, defined with struct itsm_engine in core/engine_int.h.
 */
#ifndef ITSM_SRC_CORE_RECORD_H
#define ITSM_SRC_CORE_RECORD_H

#include "itsm/engine.h"
#include "core/fields.h"

#include <stdint.h>
#include <string.h>

typedef struct itsm__note {
    itsm_time   at, eta, next_update;
    const char *author;      /* interned */
    char       *text;        /* owned */
    int         kind;
} itsm__note;

typedef struct itsm__link {
    const itsm_record *target;   /* records are never freed before the engine */
    unsigned char      kind;
} itsm__link;

/* What only some records have: notes, links, custom fields' values. A
 * record without any points at the one shared empty itsm__recx_none
 * (never written); the first reserve of a note, link or custom block
 * gives it its own (itsm__rec_extras), so an open incident with none of
 * them pays one pointer instead of 28 bytes. */
typedef struct itsm__recx {
    itsm__note    *notes;
    itsm__link    *links;
    uint32_t       nnotes, nlinks;    /* their arrays' room follows from the counts
                                         (itsm__reserve_note) */
    uint32_t       cx;                /* its custom fields' block: eng->cxs[cx - 1]; 0: none yet */
} itsm__recx;
extern const itsm__recx itsm__recx_none;

/* Per-record slots a capability may keep state in. The registry assigns
 * them (src/capabilities.h). A capability with a record_size
 * (core/capability.h) finds its state inside the record's own block, at
 * the offset the record keeps for its slot (2 bytes, only for the kinds
 * it declares: no record pays a pointer for state it has not). */
#define ITSM__REC_SLOTS 1

/* Ordered by width, widest first: no padding between members
 * (bench_memory counts every byte of it per open record). */
struct itsm_record {
    itsm_engine   *eng;
    char          *id;
    uint64_t       rev;
    itsm__recx    *x;                 /* notes, links, custom fields: &itsm__recx_none when none */
    char          *text[ITSM__NTEXT];  /* text fields, owned (core/fields.h) */
    /* numeric fields by width (core/fields.h); read them with itsm__rec_num */
    int64_t        tm[ITSM__NTIME];
    uint32_t       sym[ITSM__NSYM];    /* symbol fields: their symbol id (eng->syms[id - 1]); 0: unset */
    int32_t        cnt[ITSM__NCOUNT];
    uint16_t       pending;           /* events for it in the batch being built */
    uint16_t       pv;                /* the policy version it is under: eng->vers[pv] (core/versions.c) */
    uint16_t       xoff[ITSM__REC_SLOTS];   /* capabilities' state: at (char *)r + xoff; 0: none */
    unsigned char  kind;
    unsigned char  state;
    uint8_t        small[ITSM__NSMALL / 2];   /* two 4-bit values a byte (0..15) */
};

/* A capability's per-record state (its record_slot), or NULL when records
 * of this kind have none. */
static inline void *itsm__rec_xs(const itsm_record *r, unsigned slot)
{
    return r->xoff[slot] ? (char *)(uintptr_t)r + r->xoff[slot] : NULL;
}

/* A built-in numeric field's value by its slot (itsm__fields[f].slot), and
 * setting it (the value checker has held it to the field's range, which
 * the slot's width holds). */
static inline int64_t itsm__rec_num(const itsm_record *r, unsigned slot)
{
    if (slot < ITSM__NSMALL)
        return (r->small[slot / 2] >> (slot % 2 * 4)) & 15;
    if (slot < ITSM__NSMALL + ITSM__NTIME)
        return r->tm[slot - ITSM__NSMALL];
    return r->cnt[slot - ITSM__NSMALL - ITSM__NTIME];
}
static inline void itsm__rec_set_num(itsm_record *r, unsigned slot, int64_t v)
{
    if (slot < ITSM__NSMALL)
        r->small[slot / 2] = (uint8_t)((r->small[slot / 2] & (0xf0u >> (slot % 2 * 4))) |
                                       ((unsigned)v & 15u) << (slot % 2 * 4));
    else if (slot < ITSM__NSMALL + ITSM__NTIME)
        r->tm[slot - ITSM__NSMALL] = v;
    else
        r->cnt[slot - ITSM__NSMALL - ITSM__NTIME] = (int32_t)v;
}

/* The symbol an interned symbol's id names (itsm__sym_id), and the id of
 * an interned symbol: the 4 bytes before its text in the engine's symbol
 * blocks. */
static inline const char *itsm__sym_of(const itsm_engine *eng, uint32_t id);
static inline uint32_t itsm__sym_id(const char *sym)
{
    uint32_t id;
    memcpy(&id, sym - sizeof id, sizeof id);
    return id;
}
/* A built-in string field's value by its slot (itsm__fields[f].slot):
 * text owned by the record, or an interned symbol; NULL when unset. */
static inline const char *itsm__rec_str(const itsm_record *r, unsigned slot)
{
    if (slot < ITSM__NTEXT)
        return r->text[slot];
    uint32_t id = r->sym[slot - ITSM__NTEXT];
    return id ? itsm__sym_of(r->eng, id) : NULL;
}

/* ---- the record's block ---- */

/* A record's block: the record, the capabilities' state of its kind
 * (record_size), `room` bytes for the short texts it opens with, its id.
 * itsm__record_alloc_room carves it from the engine's records' blocks (it
 * goes with itsm__record_free); itsm__record_alloc, with no room, is an
 * allocation of its own (a policy version's record, freed with itsm__free). */
itsm_record *itsm__record_alloc_room(itsm_engine *eng, const char *id, size_t n, int kind, size_t room);
itsm_record *itsm__record_alloc(itsm_engine *eng, const char *id, size_t n, int kind);
/* At most this many bytes of a record's opening texts go inside its
 * block (each with its NUL): the short ones most records have, without a
 * chunk of their own. A text replaced later leaves its bytes there. */
#define ITSM__TEXT_INLINE 64
/* Whether p is a text inside r's own block (the room before its id):
 * not freed on its own. */
static inline int itsm__rec_inline(const itsm_record *r, const void *p)
{
    return (uintptr_t)p - (uintptr_t)r < (uintptr_t)r->id - (uintptr_t)r;
}
/* A copy of a text value for an OPEN event's record block when it fits
 * the room left, else NULL (the caller allocates it). */
char        *itsm__text_inline(itsm_engine *eng, itsm_event *ev, const char *s, size_t n);
void         itsm__record_free(itsm_engine *eng, itsm_record *r);

#endif
