/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the handover capability - packets, the two-party handover and
 * the quality log (DESIGN section 9).
 *
 * Engine state (eng->cap[ITSM__CAP_HANDOVER], created on first use): the
 * registry of every proposed packet, its index by (record, number) and the
 * quality log of desk_to_major handovers that lacked something.
 *
 * Policy section (policy->sect[ITSM__CAP_HANDOVER]): the checklist of each
 * packet kind, document member "handover".
 */
#ifndef ITSM_SRC_HANDOVER_INT_H
#define ITSM_SRC_HANDOVER_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "kit/json.h"
#include "itsm/handover.h"

#define ITSM__PACKET_KINDS 5

/* ---- policy section ---- */

typedef struct itsm__ho_policy {
    uint32_t checklist[ITSM__PACKET_KINDS + 1];   /* item bits, indexed by itsm_packet_kind */
} itsm__ho_policy;

static inline itsm__ho_policy *itsm__ho_policy_of(const itsm_policy *p)
{
    return (itsm__ho_policy *)p->sect[ITSM__CAP_HANDOVER];
}

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
    int            registry;       /* 1: an engine's own copy (itsm_engine_handover_at), never proposed itself */
    const char    *holder;         /* the registry's copy: the record's assignee when the proposal applied (an
                                      interned symbol, the engine's; NULL: none), whom an acknowledgement takes
                                      it from - only while the record is still held so (handover.c, answer) */
    itsm__errbuf   err;            /* why the last changing call on it failed */
};

/* Checklist items. */
#define ITSM__ITEM_COUNT 23
const char *itsm__item_name(int item);
int         itsm__item_lookup(const char *name, size_t n);   /* -1 if unknown */
/* Bits of `checklist` the packet does not satisfy. */
uint32_t    itsm__packet_missing(const itsm_packet *pkt, uint32_t checklist);
/* "a b c" for the bits of `mask`, snprintf-style; returns the full length. */
size_t      itsm__items_text(uint32_t mask, char *buf, size_t cap);
/* A space-separated item list as bits; ITSM_ENOTFOUND names the unknown
 * item in `e`. */
int         itsm__items_parse(const char *list, uint32_t *out, itsm__errbuf *e);

/* Seed 004: the project delivers, the receivers approve - an owner
 * approving her own deliverable is no approval. Refused when it is added
 * and when a packet read from JSON is proposed, with this message (name,
 * owner). */
#define ITSM__DELIV_SELF_APPROVAL \
    "deliverable '%.60s': its approver must be someone other than its owner '%.60s' (the receivers approve what " \
    "the project delivers)"
/* Seed 004 again: the packet's sender hands over for the project, so she
 * approves none of its deliverables. Refused when proposed (name, sender). */
#define ITSM__DELIV_SENDER_APPROVAL \
    "deliverable '%.60s': its approver '%.60s' is the packet's sender (the receivers approve what the project " \
    "delivers)"

itsm_packet *itsm__packet_alloc(const itsm_allocator *a, int kind);
/* Free the packet's content (not the handle). */
void         itsm__packet_clear_all(itsm_packet *pkt);
int          itsm__packet_copy(itsm_packet **out, const itsm_packet *src, const itsm_allocator *a);
/* The packet text slots that hold a person's or group's name (sender,
 * receiver and their groups): symbols, checked as symbol fields are. */
int          itsm__packet_slot_is_name(int slot);

/* JSON: write the packet object with `w`; read it from a parsed value. */
void itsm__packet_write(const itsm_packet *pkt, struct itsm__jw *w);
int  itsm__packet_read(itsm_packet **out, const itsm_allocator *a, const itsm__jval *v,
                       itsm_parse_error *err);

/* ---- engine state ---- */

typedef struct itsm__ho {
    itsm_packet  **ho;         /* proposals, in the order applied: ho[i]->seq == i + 1 */
    size_t         nho, cho;
    itsm__htab     hix;        /* (record id, wire) -> position in ho */
    size_t        *qlog;       /* indexes into ho: desk_to_major accepted with gaps */
    size_t         nq, cq;
} itsm__ho;

static inline itsm__ho *itsm__ho_of(const itsm_engine *eng)
{
    return (itsm__ho *)eng->cap[ITSM__CAP_HANDOVER];
}

/* The required deliverables a to_operations packet's gate waits for, as
 * "'name' (status, approver 'x'), ..." into buf[0..cap): whole entries
 * while they fit, then ", ... and N more" (buf may be NULL with cap 0);
 * returns how many there are. */
size_t itsm__gate_outstanding(const itsm_packet *pkt, char *buf, size_t cap);
/* The guard kind "gate:open" / "gate:not_shut" (handover/gate.c). */
extern const itsm__guard_kind itsm__guard_gate;

extern const itsm__capability itsm__cap_handover;

/* The kind of the packet an applied handover_acknowledge event accepted
 * (itsm_packet_kind); 0 for any other event. The major incident's first
 * phase starts at the acceptance of its desk handover (src/sla). */
struct itsm_event;
int itsm__handover_acknowledged_kind(const struct itsm_event *ev);

#endif
