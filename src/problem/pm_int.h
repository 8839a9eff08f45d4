/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: layouts shared by the issue-4 files (problem.c, packet.c,
 * packet_json.c, handover.c, knowledge.c, pm_policy.c). */
#ifndef ITSM_SRC_PM_INT_H
#define ITSM_SRC_PM_INT_H

#include "core/core.h"
#include "kit/json.h"
#include "problem/pm.h"
#include "itsm/problem.h"
#include "itsm/handover.h"
#include "itsm/knowledge.h"

/* ---- packets ---- */

typedef struct itsm__pentry {
    char     *text;
    char     *who;
    itsm_time at;
} itsm__pentry;

typedef struct itsm__plist {
    itsm__pentry *v;
    size_t        n, cap;
} itsm__plist;

typedef struct itsm__deliv {
    char *name, *owner, *approver, *approved_by;
    int   status;
    int   required;
} itsm__deliv;

struct itsm_packet {
    itsm_allocator alloc;
    int            kind;
    char          *record_id;
    int            record_kind;
    itsm_time      created_at;
    char          *text[ITSM_PT__COUNT];
    itsm_time      next_update;
    int            contact_verified;
    itsm__plist    list[ITSM_PL__COUNT];
    itsm__deliv   *deliv;
    size_t         ndeliv, cdeliv;
    /* the handover (not content) */
    int            state;
    uint32_t       seq;            /* this engine's number: position in its registry, from 1 */
    uint32_t       wire;           /* the proposing engine's number, as the events carry it */
    itsm_time      proposed_at, decided_at;
    char          *decided_by;
    char          *reason;
    int            score;          /* completeness when proposed */
    uint32_t       missing;        /* checklist items missing when proposed */
    char          *missing_text;   /* the same, space-separated (for the quality log) */
    char           errmsg[160];
};

/* Checklist items. */
#define ITSM__ITEM_COUNT 23
const char *itsm__item_name(int item);
int         itsm__item_lookup(const char *name, size_t n);   /* -1 if unknown */
/* Bits of `checklist` the packet does not satisfy. */
uint32_t    itsm__packet_missing(const itsm_packet *pkt, uint32_t checklist);
/* "a b c" for the bits of `mask`, snprintf-style; returns the full length. */
size_t      itsm__items_text(uint32_t mask, char *buf, size_t cap);

itsm_packet *itsm__packet_alloc(const itsm_allocator *a, int kind);
/* Free the packet's content (not the handle). */
void         itsm__packet_clear_all(itsm_packet *pkt);
int          itsm__packet_copy(itsm_packet **out, const itsm_packet *src, const itsm_allocator *a);

/* JSON: write the packet object with `w`; read it from a parsed value. */
void itsm__packet_write(const itsm_packet *pkt, struct itsm__jw *w);
int  itsm__packet_read(itsm_packet **out, const itsm_allocator *a, const itsm__jval *v,
                       itsm_parse_error *err);

/* ---- engine state ---- */

typedef struct itsm__rslot {
    itsm_time    at;
    itsm_record *rec;
} itsm__rslot;

typedef struct itsm__rbucket {
    const char  *service, *category;   /* interned */
    itsm__rslot *v;
    size_t       n, cap;
} itsm__rbucket;

struct itsm__pm {
    itsm__rbucket *b;
    size_t         nb, cb;
    size_t        *tab;        /* open addressing: bucket index + 1, 0 = empty */
    size_t         tab_cap;
    int            stale;      /* the index missed something: rebuild before reading */

    itsm_packet  **ho;         /* proposals, in the order applied: ho[i]->seq == i + 1 */
    size_t         nho, cho;
    size_t        *hix;        /* open addressing on (record id, wire): index into ho + 1, 0 = empty */
    size_t         hcap;
    size_t        *qlog;       /* indexes into ho: desk_to_major accepted with gaps */
    size_t         nq, cq;

    /* Problems and knowledge articles, the only records a knowledge search
     * reads, so resolving an incident does not scan every record. Caught up
     * lazily from eng->recs[ks_seen..] (records never leave or change kind). */
    itsm_record  **ks;
    size_t         nks, cks, ks_seen;
};

/* The engine's state, created on first use. NULL on ENOMEM (message set). */
struct itsm__pm *itsm__pm_get(itsm_engine *eng);
/* Make sure the recurrence index is current (rebuild if stale). */
int  itsm__pm_index_ready(itsm_engine *eng);
/* The bucket of (service, category), or NULL. Both interned. */
itsm__rbucket *itsm__pm_bucket(struct itsm__pm *pm, const char *service, const char *category);

/* Knowledge classification for closure (see itsm_knowledge_decide): the
 * decision a record would get, without changing anything. Static string;
 * NULL on ENOMEM. For the closure code (issue 3) to put into its own step. */
const char *itsm__knowledge_classify(itsm_engine *eng, itsm_record *rec);

#endif
