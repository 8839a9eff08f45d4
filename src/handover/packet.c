/* SPDX-License-Identifier: Apache-2.0 */
/* Handover packets: the object, its content, prefill from a record, and
 * completeness against the policy's checklist (DESIGN section 9). */
#include "core/abi.h"
#include "handover/handover_int.h"
#include "major/engaged.h"
#include "kit/value.h"
#include "itsm/sla.h"
#include "itsm/escalation.h"
#include "itsm/review.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define BIT(i) ((uint32_t)1 << (i))

static const char *const kind_names[] = { NULL, "shift", "desk_to_major", "to_problem", "to_change",
                                          "to_operations" };

const char *itsm_packet_kind_name(itsm_packet_kind kind)
{
    return (int)kind >= 1 && (int)kind <= ITSM__PACKET_KINDS ? kind_names[kind] : NULL;
}

int itsm_packet_kind_from_name(itsm_packet_kind *out, const char *name)
{
    if (!out || !name)
        return ITSM_EINVAL;
    for (int k = 1; k <= ITSM__PACKET_KINDS; k++)
        if (strcmp(kind_names[k], name) == 0) {
            *out = (itsm_packet_kind)k;
            return ITSM_OK;
        }
    return ITSM_ENOTFOUND;
}

const char *itsm_deliverable_status_name(itsm_deliverable_status s)
{
    static const char *const names[] = { NULL, "pending", "delivered", "approved", "rejected" };
    return (int)s >= 1 && (int)s <= 4 ? names[s] : NULL;
}

/* ---- checklist items ---- */

/* Bits 0..9 are the fact slots, in itsm_packet_text order. */
static const char *const item_names[ITSM__ITEM_COUNT] = {
    "object", "defect", "what_is", "what_is_not", "where_is", "where_is_not", "when_is",
    "when_is_not", "extent_is", "extent_is_not", "status", "next_update", "actions",
    "communications", "hypotheses", "other_places", "identical_things", "engaged_groups",
    "open_actions", "contact_verified", "deliverables", "sender_group", "receiver"
};
enum { IT_STATUS = 10, IT_NEXT_UPDATE, IT_ACTIONS, IT_COMMS, IT_HYPO, IT_OTHER, IT_IDENT, IT_GROUPS,
       IT_OPEN, IT_CONTACT, IT_DELIV, IT_SENDER_GROUP, IT_RECEIVER };

const char *itsm__item_name(int item)
{
    return item >= 0 && item < ITSM__ITEM_COUNT ? item_names[item] : NULL;
}

int itsm__item_lookup(const char *name, size_t n)
{
    for (int i = 0; i < ITSM__ITEM_COUNT; i++)
        if (strlen(item_names[i]) == n && memcmp(item_names[i], name, n) == 0)
            return i;
    return -1;
}

static void put_byte(char *buf, size_t cap, size_t at, char c)
{
    if (buf && at + 1 < cap)
        buf[at] = c;
}

size_t itsm__items_text(uint32_t mask, char *buf, size_t cap)
{
    size_t len = 0;
    for (int i = 0; i < ITSM__ITEM_COUNT; i++) {
        if (!(mask & BIT(i)))
            continue;
        const char *s = item_names[i];
        /* snprintf-style: a truncated result is a prefix of the full text */
        if (len)
            put_byte(buf, cap, len++, ' ');
        for (; *s; s++)
            put_byte(buf, cap, len++, *s);
    }
    if (buf && cap)
        buf[len < cap ? len : cap - 1] = '\0';
    return len;
}

/* A list is present when one of its entries says something (an open
 * action also names an owner): a list of blanks is as empty as none. */
static int list_present(const itsm_packet *p, int l)
{
    const itsm__plist *pl = &p->list[l];
    for (size_t i = 0; i < pl->n; i++)
        if (itsm__text_present(pl->v[i].text) &&
            (l != ITSM_PL_OPEN_ACTIONS || itsm__text_present(pl->v[i].who)))
            return 1;
    return 0;
}

/* At least one deliverable, and each says what it is, who delivers it and
 * who approves it. */
static int deliverables_present(const itsm_packet *p)
{
    for (size_t i = 0; i < p->ndeliv; i++)
        if (!itsm__text_present(p->deliv[i].name) || !itsm__text_present(p->deliv[i].owner) ||
            !itsm__text_present(p->deliv[i].approver))
            return 0;
    return p->ndeliv > 0;
}

static int item_present(const itsm_packet *p, int item)
{
    if (item < IT_STATUS)
        return itsm__text_present(p->text[item]);
    switch (item) {
    case IT_STATUS: return itsm__text_present(p->text[ITSM_PT_STATUS]);
    case IT_NEXT_UPDATE: return p->next_update != ITSM_TIME_NONE;
    case IT_ACTIONS: return list_present(p, ITSM_PL_ACTIONS);
    case IT_COMMS: return list_present(p, ITSM_PL_COMMUNICATIONS);
    case IT_HYPO: return list_present(p, ITSM_PL_HYPOTHESES);
    case IT_OTHER: return list_present(p, ITSM_PL_OTHER_PLACES);
    case IT_IDENT: return list_present(p, ITSM_PL_IDENTICAL_THINGS);
    case IT_GROUPS: return list_present(p, ITSM_PL_ENGAGED_GROUPS);
    case IT_OPEN: return list_present(p, ITSM_PL_OPEN_ACTIONS);
    case IT_CONTACT: return p->contact_verified != 0;
    case IT_DELIV: return deliverables_present(p);
    case IT_SENDER_GROUP: return itsm__text_present(p->text[ITSM_PT_SENDER_GROUP]);
    case IT_RECEIVER: return itsm__text_present(p->text[ITSM_PT_RECEIVER]);
    }
    return 0;
}

uint32_t itsm__packet_missing(const itsm_packet *p, uint32_t checklist)
{
    uint32_t m = 0;
    for (int i = 0; i < ITSM__ITEM_COUNT; i++)
        if ((checklist & BIT(i)) && !item_present(p, i))
            m |= BIT(i);
    return m;
}

static int popcount(uint32_t m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

int itsm_packet_completeness(int *score, const itsm_packet *p, const itsm_policy *policy, char *missing,
                             size_t cap)
{
    if (!score || !p || !policy || (!missing && cap))
        return ITSM_EINVAL;
    uint32_t list = itsm__ho_policy_of(policy)->checklist[p->kind];
    uint32_t miss = itsm__packet_missing(p, list);
    int total = popcount(list);
    *score = total ? (int)((100 * (total - popcount(miss))) / total) : 100;
    /* snprintf-style (common.h): a cut list says so; a cut name is no name */
    if (cap && itsm__items_text(miss, missing, cap) >= cap)
        return ITSM_ELIMIT;
    return ITSM_OK;
}

/* ---- the object ---- */

static int perr(itsm_packet *p, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int perr(itsm_packet *p, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    itsm__errbuf_vset(&p->err, code, fmt, ap);
    va_end(ap);
    return code;
}

itsm_packet *itsm__packet_alloc(const itsm_allocator *a, int kind)
{
    itsm_packet *p = itsm__calloc(a, 1, sizeof *p);
    if (!p)
        return NULL;
    p->alloc = *a;
    p->kind = kind;
    p->created_at = ITSM_TIME_NONE;
    p->next_update = ITSM_TIME_NONE;
    p->proposed_at = p->decided_at = ITSM_TIME_NONE;
    p->state = ITSM_PACKET_DRAFT;
    return p;
}

void itsm__packet_clear_all(itsm_packet *p)
{
    const itsm_allocator *a = &p->alloc;
    itsm__free(a, p->record_id);
    for (int i = 0; i < ITSM_PT__COUNT; i++)
        itsm__free(a, p->text[i]);
    for (int l = 0; l < ITSM_PL__COUNT; l++) {
        for (size_t i = 0; i < p->list[l].n; i++) {
            itsm__free(a, p->list[l].v[i].text);
            itsm__free(a, p->list[l].v[i].who);
        }
        itsm__free(a, p->list[l].v);
    }
    for (size_t i = 0; i < p->ndeliv; i++) {
        itsm__free(a, p->deliv[i].name);
        itsm__free(a, p->deliv[i].owner);
        itsm__free(a, p->deliv[i].approver);
        itsm__free(a, p->deliv[i].approved_by);
    }
    itsm__free(a, p->deliv);
    itsm__free(a, p->decided_by);
    itsm__free(a, p->reason);
    itsm__free(a, p->missing_text);
}

void itsm_packet_free(itsm_packet *p)
{
    if (!p)
        return;
    itsm_allocator a = p->alloc;
    itsm__packet_clear_all(p);
    itsm__free(&a, p);
}

static int dup_opt(const itsm_allocator *a, char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return ITSM_OK;
    *dst = itsm__strdup(a, src);
    return *dst ? ITSM_OK : ITSM_ENOMEM;
}

int itsm__packet_copy(itsm_packet **out, const itsm_packet *s, const itsm_allocator *a)
{
    itsm_packet *p = itsm__packet_alloc(a, s->kind);
    if (!p)
        return ITSM_ENOMEM;
    int rc = dup_opt(a, &p->record_id, s->record_id);
    p->record_kind = s->record_kind;
    p->created_at = s->created_at;
    p->next_update = s->next_update;
    p->contact_verified = s->contact_verified;
    p->state = s->state;
    p->seq = s->seq;
    p->wire = s->wire;
    p->proposed_at = s->proposed_at;
    p->decided_at = s->decided_at;
    p->score = s->score;
    p->missing = s->missing;
    for (int i = 0; i < ITSM_PT__COUNT && !rc; i++)
        rc = dup_opt(a, &p->text[i], s->text[i]);
    for (int l = 0; l < ITSM_PL__COUNT && !rc; l++) {
        const itsm__plist *sl = &s->list[l];
        if (!sl->n)
            continue;
        if (!(p->list[l].v = itsm__calloc(a, sl->n, sizeof *sl->v))) {
            rc = ITSM_ENOMEM;
            break;
        }
        p->list[l].cap = sl->n;
        for (size_t i = 0; i < sl->n && !rc; i++) {
            itsm__pentry *e = &p->list[l].v[i];
            p->list[l].n = i + 1;
            e->at = sl->v[i].at;
            if (!(rc = dup_opt(a, &e->text, sl->v[i].text)))
                rc = dup_opt(a, &e->who, sl->v[i].who);
        }
    }
    if (!rc && s->ndeliv) {
        if (!(p->deliv = itsm__calloc(a, s->ndeliv, sizeof *p->deliv)))
            rc = ITSM_ENOMEM;
        else
            p->cdeliv = s->ndeliv;
        for (size_t i = 0; i < s->ndeliv && !rc; i++) {
            itsm__deliv *d = &p->deliv[i];
            p->ndeliv = i + 1;
            d->status = s->deliv[i].status;
            d->required = s->deliv[i].required;
            if (!(rc = dup_opt(a, &d->name, s->deliv[i].name)) && !(rc = dup_opt(a, &d->owner, s->deliv[i].owner)) &&
                !(rc = dup_opt(a, &d->approver, s->deliv[i].approver)))
                rc = dup_opt(a, &d->approved_by, s->deliv[i].approved_by);
        }
    }
    if (!rc)
        rc = dup_opt(a, &p->decided_by, s->decided_by);
    if (!rc)
        rc = dup_opt(a, &p->reason, s->reason);
    if (!rc)
        rc = dup_opt(a, &p->missing_text, s->missing_text);
    if (rc) {
        itsm_packet_free(p);
        return rc;
    }
    *out = p;
    return ITSM_OK;
}

int itsm_packet_clone(itsm_packet **out, const itsm_packet *pkt)
{
    if (!out || !pkt)
        return ITSM_EINVAL;
    *out = NULL;
    return itsm__packet_copy(out, pkt, &pkt->alloc);
}

itsm_packet_kind itsm_packet_kind_of(const itsm_packet *p) { return p ? (itsm_packet_kind)p->kind : (itsm_packet_kind)0; }
itsm_packet_state itsm_packet_state_of(const itsm_packet *p) { return p ? (itsm_packet_state)p->state : (itsm_packet_state)0; }
const char *itsm_packet_record_id(const itsm_packet *p) { return p ? p->record_id : NULL; }
itsm_kind itsm_packet_record_kind(const itsm_packet *p) { return p ? (itsm_kind)p->record_kind : (itsm_kind)0; }
itsm_time itsm_packet_created_at(const itsm_packet *p) { return p ? p->created_at : ITSM_TIME_NONE; }
uint32_t itsm_packet_seq(const itsm_packet *p) { return p ? p->seq : 0; }
const char *itsm_packet_errmsg(const itsm_packet *p) { return p ? p->err.msg : "no packet"; }
const char *itsm_packet_decided_by(const itsm_packet *p) { return p ? p->decided_by : NULL; }
itsm_time itsm_packet_decided_at(const itsm_packet *p) { return p ? p->decided_at : ITSM_TIME_NONE; }
const char *itsm_packet_reason(const itsm_packet *p) { return p ? p->reason : NULL; }
itsm_time itsm_packet_proposed_at(const itsm_packet *p) { return p ? p->proposed_at : ITSM_TIME_NONE; }
itsm_time itsm_packet_next_update(const itsm_packet *p) { return p ? p->next_update : ITSM_TIME_NONE; }
int itsm_packet_contact_verified(const itsm_packet *p) { return p ? p->contact_verified : 0; }

static int check_draft(itsm_packet *p)
{
    if (p->state != ITSM_PACKET_DRAFT)
        return perr(p, ITSM_ESTATE, "packet %u was proposed: its content cannot change", p->seq);
    return ITSM_OK;
}

static int check_text(itsm_packet *p, const char *s, const char *what)
{
    return itsm__check_text(&p->err, what, NULL, s, strlen(s));
}

int itsm__packet_slot_is_name(int slot)
{
    return slot == ITSM_PT_SENDER || slot == ITSM_PT_SENDER_GROUP || slot == ITSM_PT_RECEIVER ||
           slot == ITSM_PT_RECEIVER_GROUP;
}

static const char *const slot_names[ITSM_PT__COUNT] = {
    "object", "defect", "what_is", "what_is_not", "where_is", "where_is_not", "when_is", "when_is_not",
    "extent_is", "extent_is_not", "status", "sender", "sender_group", "receiver", "receiver_group"
};

int itsm_packet_set_text(itsm_packet *p, itsm_packet_text slot, const char *value)
{
    if (!p)
        return ITSM_EINVAL;
    if ((int)slot < 0 || (int)slot >= ITSM_PT__COUNT)
        return perr(p, ITSM_EINVAL, "unknown packet text slot %d", (int)slot);
    int rc = check_draft(p);
    if (rc)
        return rc;
    /* A name slot may become a record's assignee or group: a symbol, and
     * one that names someone (a blank receiver would be anyone's). */
    int name = itsm__packet_slot_is_name((int)slot);
    if (value && (rc = name ? itsm__check_symbol(&p->err, slot_names[slot], NULL, value, strlen(value))
                            : check_text(p, value, slot_names[slot])))
        return rc;
    if (value && name && !itsm__text_present(value))
        return perr(p, ITSM_EINVAL, "%s cannot be blank: it names someone (use NULL to clear it)", slot_names[slot]);
    char *copy = NULL;
    if (value && !(copy = itsm__strdup(&p->alloc, value)))
        return perr(p, ITSM_ENOMEM, "out of memory");
    itsm__free(&p->alloc, p->text[slot]);
    p->text[slot] = copy;
    return ITSM_OK;
}

const char *itsm_packet_text_of(const itsm_packet *p, itsm_packet_text slot)
{
    if (!p || (int)slot < 0 || (int)slot >= ITSM_PT__COUNT)
        return NULL;
    return p->text[slot];
}

int itsm_packet_set_next_update(itsm_packet *p, itsm_time due)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = check_draft(p);
    if (rc)
        return rc;
    if (due != ITSM_TIME_NONE && (due < ITSM_TIME_MIN || due > ITSM_TIME_MAX))
        return perr(p, ITSM_EINVAL, "next update time is outside 1970..9999");
    p->next_update = due;
    return ITSM_OK;
}

int itsm_packet_set_contact_verified(itsm_packet *p, int verified)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = check_draft(p);
    if (rc)
        return rc;
    p->contact_verified = verified ? 1 : 0;
    return ITSM_OK;
}

static int list_is_plain(int l)
{
    return l == ITSM_PL_HYPOTHESES || l == ITSM_PL_OTHER_PLACES || l == ITSM_PL_IDENTICAL_THINGS ||
           l == ITSM_PL_ENGAGED_GROUPS;
}

/* Validate and append; `check` off for the engine's own prefill. */
static int list_add(itsm_packet *p, int l, const itsm_packet_entry *e)
{
    int rc;
    if (!e || !e->text || !*e->text)
        return perr(p, ITSM_EINVAL, "a packet entry needs its text");
    if ((rc = check_text(p, e->text, "entry text")))
        return rc;
    if (list_is_plain(l) && (e->who || e->at != ITSM_TIME_NONE))
        return perr(p, ITSM_EINVAL, "this list holds plain text: who must be NULL and at ITSM_TIME_NONE");
    if (l == ITSM_PL_OPEN_ACTIONS && !itsm__text_present(e->who))
        return perr(p, ITSM_EINVAL, "an open action needs its owner (not blank)");
    if (e->who && (rc = check_text(p, e->who, "entry who")))
        return rc;
    if (e->at != ITSM_TIME_NONE && (e->at < ITSM_TIME_MIN || e->at > ITSM_TIME_MAX))
        return perr(p, ITSM_EINVAL, "entry time is outside 1970..9999");
    itsm__plist *pl = &p->list[l];
    if (pl->n >= ITSM_PACKET_MAX_ENTRIES)
        return perr(p, ITSM_ELIMIT, "a packet list holds at most %d entries", ITSM_PACKET_MAX_ENTRIES);
    if (itsm__grow(&p->alloc, (void **)&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v))
        return perr(p, ITSM_ENOMEM, "out of memory");
    itsm__pentry ne = { NULL, NULL, e->at };
    if (!(ne.text = itsm__strdup(&p->alloc, e->text)) || (e->who && !(ne.who = itsm__strdup(&p->alloc, e->who)))) {
        itsm__free(&p->alloc, ne.text);
        return perr(p, ITSM_ENOMEM, "out of memory");
    }
    pl->v[pl->n++] = ne;
    return ITSM_OK;
}

int itsm_packet_add(itsm_packet *p, itsm_packet_list list, const itsm_packet_entry *e)
{
    if (!p)
        return ITSM_EINVAL;
    if ((int)list < 0 || (int)list >= ITSM_PL__COUNT)
        return perr(p, ITSM_EINVAL, "unknown packet list %d", (int)list);
    int rc = check_draft(p);
    if (rc)
        return rc;
    if (!e)
        return list_add(p, (int)list, e);
    char msg[256];
    if (ITSM__SIZED_MSG(e, itsm_packet_entry, at, msg, sizeof msg))
        return perr(p, ITSM_EINVAL, "%s", msg);
    /* Read as far as the caller's struct reaches; later members keep
     * their defaults. */
    itsm_packet_entry full = { sizeof full, NULL, NULL, ITSM_TIME_NONE };
    memcpy(&full, e, e->size);
    return list_add(p, (int)list, &full);
}

int itsm_packet_clear(itsm_packet *p, itsm_packet_list list)
{
    if (!p)
        return ITSM_EINVAL;
    if ((int)list < 0 || (int)list >= ITSM_PL__COUNT)
        return perr(p, ITSM_EINVAL, "unknown packet list %d", (int)list);
    int rc = check_draft(p);
    if (rc)
        return rc;
    itsm__plist *pl = &p->list[list];
    for (size_t i = 0; i < pl->n; i++) {
        itsm__free(&p->alloc, pl->v[i].text);
        itsm__free(&p->alloc, pl->v[i].who);
    }
    pl->n = 0;
    return ITSM_OK;
}

size_t itsm_packet_count(const itsm_packet *p, itsm_packet_list list)
{
    if (!p || (int)list < 0 || (int)list >= ITSM_PL__COUNT)
        return 0;
    return p->list[list].n;
}

int itsm_packet_at(const itsm_packet *p, itsm_packet_list list, size_t index, itsm_packet_entry *out)
{
    if (!p)
        return ITSM_EINVAL;
    /* A reading call, but a failing one still explains itself: the packet's
     * message is the one thing it may change (packets are never const objects). */
    itsm_packet *mp = (itsm_packet *)(uintptr_t)p;
    if (!out)
        return perr(mp, ITSM_EINVAL, "itsm_packet_at: out is NULL");
    if ((int)list < 0 || (int)list >= ITSM_PL__COUNT)
        return perr(mp, ITSM_EINVAL, "unknown packet list %d", (int)list);
    char msg[256];
    if (ITSM__SIZED_MSG(out, itsm_packet_entry, at, msg, sizeof msg))
        return perr(mp, ITSM_EINVAL, "%s", msg);
    if (index >= p->list[list].n)
        return perr(mp, ITSM_EINVAL, "itsm_packet_at: entry index %zu is out of range (the list has %zu)", index,
                    (size_t)p->list[list].n);
    const itsm__pentry *e = &p->list[list].v[index];
    itsm_packet_entry full = { sizeof full, e->text, e->who, e->at };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- deliverables ---- */

static itsm__deliv *deliv_find(const itsm_packet *p, const char *name)
{
    for (size_t i = 0; i < p->ndeliv; i++)
        if (strcmp(p->deliv[i].name, name) == 0)
            return &p->deliv[i];
    return NULL;
}

int itsm_packet_add_deliverable(itsm_packet *p, const char *name, const char *owner, const char *approver,
                                int required)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = check_draft(p);
    if (rc)
        return rc;
    /* Blank is missing: a blank approver would be matched by a blank `by`. */
    if (!itsm__text_present(name) || !itsm__text_present(owner) || !itsm__text_present(approver))
        return perr(p, ITSM_EINVAL, "a deliverable needs a name, an owner and an appointed approver (not blank)");
    if ((rc = check_text(p, name, "deliverable name")) || (rc = check_text(p, owner, "deliverable owner")) ||
        (rc = check_text(p, approver, "deliverable approver")))
        return rc;
    if (strcmp(owner, approver) == 0)
        return perr(p, ITSM_EINVAL, ITSM__DELIV_SELF_APPROVAL, name, owner);
    if (deliv_find(p, name))
        return perr(p, ITSM_EEXISTS, "deliverable '%.60s' is already listed", name);
    if (p->ndeliv >= ITSM_PACKET_MAX_ENTRIES)
        return perr(p, ITSM_ELIMIT, "a packet holds at most %d deliverables", ITSM_PACKET_MAX_ENTRIES);
    if (itsm__grow(&p->alloc, (void **)&p->deliv, &p->cdeliv, p->ndeliv + 1, sizeof *p->deliv))
        return perr(p, ITSM_ENOMEM, "out of memory");
    itsm__deliv d = { NULL, NULL, NULL, NULL, ITSM_DELIVERABLE_PENDING, required ? 1 : 0 };
    if (!(d.name = itsm__strdup(&p->alloc, name)) || !(d.owner = itsm__strdup(&p->alloc, owner)) ||
        !(d.approver = itsm__strdup(&p->alloc, approver))) {
        itsm__free(&p->alloc, d.name);
        itsm__free(&p->alloc, d.owner);
        return perr(p, ITSM_ENOMEM, "out of memory");
    }
    p->deliv[p->ndeliv++] = d;
    return ITSM_OK;
}

int itsm_packet_set_deliverable_status(itsm_packet *p, const char *name, itsm_deliverable_status status,
                                       const char *by)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = check_draft(p);
    if (rc)
        return rc;
    if (!name || !itsm_deliverable_status_name(status))
        return perr(p, ITSM_EINVAL, "a deliverable name and a known status are needed");
    itsm__deliv *d = deliv_find(p, name);
    if (!d)
        return perr(p, ITSM_ENOTFOUND, "no deliverable '%.60s'", name);
    /* Each status is the act of one party (seed 004: the project delivers,
     * the receivers approve): the owner delivers, the appointed approver
     * approves or rejects, and either takes it back to pending - the owner
     * to rework it, the approver to withdraw a verdict. Approval always
     * names its approver (the gate counts it); the other statuses may be
     * recorded by the host with no `by` (as before 0.2), but a named party
     * must be the right one. */
    int owner = by && strcmp(by, d->owner) == 0, approver = by && strcmp(by, d->approver) == 0;
    int anonymous = !by && status != ITSM_DELIVERABLE_APPROVED;
    if (status == ITSM_DELIVERABLE_DELIVERED && !owner && !anonymous)
        return perr(p, ITSM_EINVAL, "deliverable '%.60s' can only be delivered by its owner '%.60s'", name, d->owner);
    if ((status == ITSM_DELIVERABLE_APPROVED || status == ITSM_DELIVERABLE_REJECTED) && !approver && !anonymous)
        return perr(p, ITSM_EINVAL, "deliverable '%.60s' can only be %s by its appointed approver '%.60s'", name,
                    status == ITSM_DELIVERABLE_APPROVED ? "approved" : "rejected", d->approver);
    if (status == ITSM_DELIVERABLE_PENDING && !owner && !approver && !anonymous)
        return perr(p, ITSM_EINVAL,
                    "deliverable '%.60s' can only be reset to pending by its owner '%.60s' or its appointed approver "
                    "'%.60s'", name, d->owner, d->approver);
    char *ab = NULL;
    if (status == ITSM_DELIVERABLE_APPROVED) {
        if (!(ab = itsm__strdup(&p->alloc, by)))
            return perr(p, ITSM_ENOMEM, "out of memory");
    }
    itsm__free(&p->alloc, d->approved_by);
    d->approved_by = ab;
    d->status = (int)status;
    return ITSM_OK;
}

size_t itsm_packet_deliverable_count(const itsm_packet *p) { return p ? p->ndeliv : 0; }

int itsm_packet_deliverable_at(const itsm_packet *p, size_t index, itsm_deliverable *out)
{
    if (!p)
        return ITSM_EINVAL;
    itsm_packet *mp = (itsm_packet *)(uintptr_t)p;   /* the message only, as itsm_packet_at */
    if (!out)
        return perr(mp, ITSM_EINVAL, "itsm_packet_deliverable_at: out is NULL");
    char msg[256];
    if (ITSM__SIZED_MSG(out, itsm_deliverable, required, msg, sizeof msg))
        return perr(mp, ITSM_EINVAL, "%s", msg);
    if (index >= p->ndeliv)
        return perr(mp, ITSM_EINVAL,
                    "itsm_packet_deliverable_at: deliverable index %zu is out of range (the packet has %zu)", index,
                    (size_t)p->ndeliv);
    const itsm__deliv *d = &p->deliv[index];
    itsm_deliverable full = { sizeof full, d->name, d->owner, d->approver, (itsm_deliverable_status)d->status,
                              d->approved_by, d->required };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

int itsm_packet_gate_open(const itsm_packet *p)
{
    if (!p || p->kind != ITSM_PACKET_TO_OPERATIONS || p->state != ITSM_PACKET_ACKNOWLEDGED)
        return 0;
    for (size_t i = 0; i < p->ndeliv; i++)
        if (p->deliv[i].required && p->deliv[i].status != ITSM_DELIVERABLE_APPROVED)
            return 0;
    return 1;
}

/* ---- equality ---- */

static int str_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int itsm_packet_equal(const itsm_packet *a, const itsm_packet *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->record_kind != b->record_kind || !str_same(a->record_id, b->record_id) ||
        a->created_at != b->created_at || a->next_update != b->next_update ||
        a->contact_verified != b->contact_verified || a->ndeliv != b->ndeliv)
        return 0;
    for (int i = 0; i < ITSM_PT__COUNT; i++)
        if (!str_same(a->text[i], b->text[i]))
            return 0;
    for (int l = 0; l < ITSM_PL__COUNT; l++) {
        if (a->list[l].n != b->list[l].n)
            return 0;
        for (size_t i = 0; i < a->list[l].n; i++) {
            const itsm__pentry *x = &a->list[l].v[i], *y = &b->list[l].v[i];
            if (x->at != y->at || !str_same(x->text, y->text) || !str_same(x->who, y->who))
                return 0;
        }
    }
    for (size_t i = 0; i < a->ndeliv; i++) {
        const itsm__deliv *x = &a->deliv[i], *y = &b->deliv[i];
        if (x->status != y->status || x->required != y->required || !str_same(x->name, y->name) ||
            !str_same(x->owner, y->owner) || !str_same(x->approver, y->approver) ||
            !str_same(x->approved_by, y->approved_by))
            return 0;
    }
    return 1;
}

/* ---- prefill ---- */

static int set_fmt(itsm_packet *p, int slot, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int set_fmt(itsm_packet *p, int slot, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!(p->text[slot] = itsm__strdup(&p->alloc, buf)))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

static int set_str(itsm_packet *p, int slot, const char *s)
{
    /* A blank assignee or group names nobody: no sender rather than one
     * the packet reader refuses. */
    if (!s || (itsm__packet_slot_is_name(slot) && !itsm__text_present(s)))
        return ITSM_OK;
    return (p->text[slot] = itsm__strdup(&p->alloc, s)) ? ITSM_OK : ITSM_ENOMEM;
}

/* Whether `l` of `p` holds an entry with `text` already. */
static int list_has(const itsm_packet *p, int l, const char *text)
{
    for (size_t i = 0; i < p->list[l].n; i++)
        if (strcmp(p->list[l].v[i].text, text) == 0)
            return 1;
    return 0;
}

/* Whether the acknowledged handover `h` is part of the storyboard a
 * packet about `r` goes on from: one taken over on `r` itself (an
 * incident's shift and desk handovers, before its to_problem one), or,
 * for a problem, on an incident related to it. */
static int storyboard_of(const itsm_packet *h, const itsm_record *r)
{
    if (h->state != ITSM_PACKET_ACKNOWLEDGED)
        return 0;
    if (h->record_kind == r->kind && strcmp(h->record_id, r->id) == 0)
        return 1;
    if (r->kind != ITSM_KIND_PROBLEM || h->record_kind != ITSM_KIND_INCIDENT)
        return 0;
    const itsm_record *inc = itsm__find(r->eng, h->record_id, strlen(h->record_id));
    for (uint32_t k = 0; inc && k < inc->x->nlinks; k++)
        if (inc->x->links[k].kind == ITSM_LINK_RELATED && inc->x->links[k].target == r)
            return 1;
    return 0;
}

/* A packet goes on from the storyboard handed over before it (seed 000:
 * no team redoes the last one's work, "regardless of whether one
 * Incident Manager is handing off to another" or the incident team to
 * problem management): from the latest handover acknowledged on its
 * record - and, for a problem, on each incident related to it - in
 * proposing order, the is-not facts the packet lacks and the brain dump -
 * hypotheses, other places, identical things - not already listed. The
 * latest one only: each handover was prefilled from the one before, so
 * what a later one left out was ruled out, and does not come back. */
static int carry_handovers(itsm_packet *p, const itsm_record *r)
{
    static const int facts[] = { ITSM_PT_WHAT_IS_NOT, ITSM_PT_WHERE_IS_NOT, ITSM_PT_WHEN_IS_NOT,
                                 ITSM_PT_EXTENT_IS_NOT };
    static const int lists[] = { ITSM_PL_HYPOTHESES, ITSM_PL_OTHER_PLACES, ITSM_PL_IDENTICAL_THINGS };
    const itsm__ho *ho = itsm__ho_of(r->eng);
    if (!ho || !ho->nho)
        return ITSM_OK;
    /* the latest per record, newest first: at most one per record */
    size_t cap = (size_t)r->x->nlinks + 1, n = 0;
    size_t *pick = itsm__malloc(&r->eng->alloc, cap * sizeof *pick);
    if (!pick)
        return ITSM_ENOMEM;
    for (size_t i = ho->nho; i-- > 0 && n < cap;) {
        const itsm_packet *h = ho->ho[i];
        int seen = 0;
        for (size_t k = 0; k < n && !seen; k++)
            seen = ho->ho[pick[k]]->record_kind == h->record_kind &&
                   strcmp(ho->ho[pick[k]]->record_id, h->record_id) == 0;
        if (!seen && storyboard_of(h, r))
            pick[n++] = i;
    }
    int rc = ITSM_OK;
    for (size_t k = n; k-- > 0 && !rc;) {   /* in proposing order */
        const itsm_packet *h = ho->ho[pick[k]];
        for (size_t f = 0; f < sizeof facts / sizeof facts[0] && !rc; f++)
            if (!p->text[facts[f]] && h->text[facts[f]] && !(p->text[facts[f]] = itsm__strdup(&p->alloc, h->text[facts[f]])))
                rc = ITSM_ENOMEM;
        for (size_t l = 0; l < sizeof lists / sizeof lists[0] && !rc; l++)
            for (size_t e = 0; e < h->list[lists[l]].n && !rc; e++) {
                const char *text = h->list[lists[l]].v[e].text;
                if (list_has(p, lists[l], text))
                    continue;
                itsm_packet_entry pe = { sizeof pe, text, NULL, ITSM_TIME_NONE };
                rc = list_add(p, lists[l], &pe);
                if (rc == ITSM_ELIMIT)   /* a full list keeps its first entries */
                    rc = ITSM_OK;
            }
    }
    itsm__free(&r->eng->alloc, pick);
    return rc;
}

/* The post-incident review of `rec`, if it has one, handed on (seed 000:
 * problem management compiles the action items and transitions them to
 * change management and continual improvement): its contributing causes
 * into the brain dump, its open action items that have an owner (a
 * packet's open action has one) as open actions with their due dates. */
static int carry_review(itsm_packet *p, const itsm_record *rec)
{
    itsm_review_info info = { .size = sizeof info };
    if (itsm_record_review(&info, rec) != ITSM_OK)
        return ITSM_OK;
    int rc = ITSM_OK;
    for (size_t i = 0; i < info.causes && !rc; i++) {
        itsm_review_cause c = { .size = sizeof c };
        if (itsm_review_cause_at(&c, rec, i) != ITSM_OK || list_has(p, ITSM_PL_HYPOTHESES, c.text))
            continue;
        itsm_packet_entry e = { sizeof e, c.text, NULL, ITSM_TIME_NONE };
        rc = list_add(p, ITSM_PL_HYPOTHESES, &e);
    }
    for (size_t i = 0; i < info.actions && (!rc || rc == ITSM_ELIMIT); i++) {
        itsm_review_action a = { .size = sizeof a };
        if (itsm_review_action_at(&a, rec, i) != ITSM_OK || a.done || !a.owner ||
            list_has(p, ITSM_PL_OPEN_ACTIONS, a.text))
            continue;
        itsm_packet_entry e = { sizeof e, a.text, a.owner, a.due };
        rc = list_add(p, ITSM_PL_OPEN_ACTIONS, &e);
    }
    return rc == ITSM_ELIMIT ? ITSM_OK : rc;   /* a full list keeps its first entries */
}

/* The event that issued a major incident's initial communication, from
 * its history: the first communication to its customers - the event
 * itself, an outage notice, a customer update - after its last acceptance
 * (which owes it anew). Its time and author go into `e` (borrowed from
 * `tl`); without a history `e` stays without them. */
static void initial_communication(const itsm_timeline *tl, itsm_packet_entry *e)
{
    itsm_time at = ITSM_TIME_NONE;
    const char *who = NULL;
    for (size_t i = 0; i < itsm_timeline_count(tl); i++) {
        itsm_timeline_entry t = { .size = sizeof t };
        if (itsm_timeline_at(tl, i, &t) || !t.type)
            continue;
        if (!strcmp(t.type, "major_decided") && itsm__timeline_flag(tl, i, "accepted") == 1) {
            at = ITSM_TIME_NONE;
            who = NULL;
        } else if (at == ITSM_TIME_NONE &&
                   (!strcmp(t.type, "major_communication_issued") || !strcmp(t.type, "outage_declared") ||
                    (!strcmp(t.type, "note") && t.kind == ITSM_NOTE_CUSTOMER))) {
            at = t.at;
            who = t.author;
        }
    }
    e->at = at;
    e->who = at != ITSM_TIME_NONE ? who : NULL;
}

static int prefill(itsm_packet *p, const itsm_record *r)
{
    itsm_engine *eng = r->eng;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *service = itsm__rec_str(r, SLOT(ITSM_F_SERVICE)), *ci = itsm__rec_str(r, SLOT(ITSM_F_CI));
    const char *cat = itsm__rec_str(r, SLOT(ITSM_F_CATEGORY)), *sub = itsm__rec_str(r, SLOT(ITSM_F_SUBCATEGORY));
    const char *group = itsm__rec_str(r, SLOT(ITSM_F_ASSIGNMENT_GROUP)), *hold = itsm__rec_str(r, SLOT(ITSM_F_HOLD_REASON));
    int rc = ITSM_OK;
    if (!(p->record_id = itsm__strdup(&p->alloc, r->id)))
        return ITSM_ENOMEM;
    p->record_kind = r->kind;
    p->contact_verified = itsm__rec_num(r, SLOT(ITSM_F_CONTACT_VERIFIED)) != 0;
    if (!rc) rc = set_str(p, ITSM_PT_OBJECT, itsm__rec_str(r, SLOT(ITSM_F_SUMMARY)));
    if (!rc) rc = set_str(p, ITSM_PT_DEFECT, itsm__rec_str(r, SLOT(ITSM_F_DESCRIPTION)));
    if (!rc && cat)
        rc = sub ? set_fmt(p, ITSM_PT_WHAT_IS, "category %.250s / %.250s", cat, sub)
                 : set_fmt(p, ITSM_PT_WHAT_IS, "category %.250s", cat);
    if (!rc && (service || ci))
        rc = set_fmt(p, ITSM_PT_WHERE_IS, "service %.250s, configuration item %.250s", service ? service : "-",
                     ci ? ci : "-");
    /* A problem's defect was seen when its first incident was, not when
     * the problem was opened: the When fact is the incidents' (seed 000:
     * problem management builds on what the incident team recorded). */
    itsm_time since = itsm__rec_num(r, SLOT(ITSM_F_OPENED_AT));
    for (uint32_t i = 0; r->kind == ITSM_KIND_PROBLEM && i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        itsm_time at = itsm__rec_num(t, SLOT(ITSM_F_OPENED_AT));
        if (r->x->links[i].kind == ITSM_LINK_RELATED && t->kind == ITSM_KIND_INCIDENT && at != ITSM_TIME_NONE &&
            (since == ITSM_TIME_NONE || at < since))
            since = at;
    }
    if (!rc && since != ITSM_TIME_NONE) {
        char t[21];
        itsm__time_format(since, t);
        rc = set_fmt(p, ITSM_PT_WHEN_IS, "since %s", t);
    }
    /* An unset impact or priority is unknown, as an unset service or CI
     * is above: "-", never 0, which no scale has (a fact, not a guess). */
    int64_t impact = itsm__rec_num(r, SLOT(ITSM_F_IMPACT)), prio = itsm__rec_num(r, SLOT(ITSM_F_PRIORITY));
    if (!rc && (impact || prio)) {
        char ib[24] = "-", pb[24] = "-";
        if (impact)
            snprintf(ib, sizeof ib, "%lld", (long long)impact);
        if (prio)
            snprintf(pb, sizeof pb, "%lld", (long long)prio);
        rc = set_fmt(p, ITSM_PT_EXTENT_IS, "impact %s, priority %s", ib, pb);
    }
    char custom[400];
    if (!r->x->cx || !itsm__custom_format(r, custom, sizeof custom))
        custom[0] = '\0';
    if (!rc)
        rc = set_fmt(p, ITSM_PT_STATUS, "%s%s%.250s%s%s%s", lc->states[r->state], hold ? " (" : "", hold ? hold : "",
                     hold ? ")" : "", custom[0] ? "; " : "", custom);
    /* Who hands over: for a shift or desk_to_major packet the one who
     * holds the record, its assignee (seed 000: the outgoing incident
     * manager passes control of what she holds; a supervisor at the
     * keyboard does not hold it), else - no one person holds it - the
     * engine's actor; for the other kinds the actor (who decides the
     * incident goes to problem management, ...), else the assignee. */
    const char *assignee = itsm__rec_str(r, SLOT(ITSM_F_ASSIGNEE));
    const char *actor = itsm__text_present(eng->actor) ? eng->actor : NULL;
    int holds = (p->kind == ITSM_PACKET_SHIFT || p->kind == ITSM_PACKET_DESK_TO_MAJOR) && itsm__text_present(assignee);
    const char *sender = holds ? assignee : actor ? actor : assignee;
    if (!rc) rc = set_str(p, ITSM_PT_SENDER, sender);
    if (!rc) rc = set_str(p, ITSM_PT_SENDER_GROUP, group);
    for (uint32_t i = 0; i < r->x->nnotes && !rc; i++) {
        const itsm__note *n = &r->x->notes[i];
        itsm_packet_entry e = { sizeof e, n->text, n->author, n->at };
        if (n->kind == ITSM_NOTE_CUSTOMER) {
            rc = list_add(p, ITSM_PL_COMMUNICATIONS, &e);
            p->next_update = n->next_update;
        } else {
            rc = list_add(p, ITSM_PL_ACTIONS, &e);
        }
        if (rc == ITSM_ELIMIT)   /* a very long timeline: keep the first entries */
            rc = ITSM_OK;
    }
    /* A major incident's initial communication is a communication sent
     * (DESIGN 9) also when no customer update carried it - issued by hand
     * or by its outage notice: the next manager must not send it again
     * nor read the packet as having told nobody (seed 001). */
    if (!rc && p->list[ITSM_PL_COMMUNICATIONS].n == 0 && itsm_record_major_phase(r) != ITSM_PHASE_NONE) {
        itsm_time due;
        int done = 0, missed = 0;
        if (itsm_record_major_deadline(&due, &done, &missed, r, 0) == ITSM_OK && done) {
            itsm_packet_entry e = { sizeof e, "initial communication of the major incident issued", NULL,
                                    ITSM_TIME_NONE };
            /* The engine keeps only the flag; the history says when and by
             * whom, so the next manager can tell the customers' last word. */
            itsm_timeline *tl = itsm__history_of(eng, r);
            initial_communication(tl, &e);
            rc = list_add(p, ITSM_PL_COMMUNICATIONS, &e);
            itsm_timeline_free(tl);
        }
    }
    if (!rc && itsm__rec_str(r, SLOT(ITSM_F_CAUSE))) {
        itsm_packet_entry e = { sizeof e, itsm__rec_str(r, SLOT(ITSM_F_CAUSE)), NULL, ITSM_TIME_NONE };
        rc = list_add(p, ITSM_PL_HYPOTHESES, &e);
    }
    if (!rc && itsm__text_present(group)) {
        itsm_packet_entry e = { sizeof e, group, NULL, ITSM_TIME_NONE };
        rc = list_add(p, ITSM_PL_ENGAGED_GROUPS, &e);
    }
    /* and the technical groups a major incident engaged (DESIGN 9: the
     * next manager must not have to ask who is working on it) */
    size_t ng = 0;
    const char *const *engaged = itsm__major_engaged(eng, r, &ng);
    for (size_t i = 0; i < ng && !rc; i++) {
        if (group && strcmp(engaged[i], group) == 0)
            continue;
        itsm_packet_entry e = { sizeof e, engaged[i], NULL, ITSM_TIME_NONE };
        rc = list_add(p, ITSM_PL_ENGAGED_GROUPS, &e);
        if (rc == ITSM_ELIMIT)
            rc = ITSM_OK;
    }
    /* the review of the record, and a problem's of its incidents */
    if (!rc)
        rc = carry_review(p, r);
    for (uint32_t i = 0; !rc && r->kind == ITSM_KIND_PROBLEM && i < r->x->nlinks; i++)
        if (r->x->links[i].kind == ITSM_LINK_RELATED && r->x->links[i].target->kind == ITSM_KIND_INCIDENT)
            rc = carry_review(p, r->x->links[i].target);
    if (!rc)
        rc = carry_handovers(p, r);
    /* The next update the engine tracks (the cadence from the first
     * response, or the last customer update's promise) while it runs; a
     * settled record keeps the last promise read above. */
    itsm_timer_info nu = { .size = sizeof nu };
    if (!rc && p->created_at != ITSM_TIME_NONE &&
        itsm_record_timer(&nu, r, ITSM_TIMER_NEXT_UPDATE, p->created_at) == ITSM_OK && nu.due != ITSM_TIME_NONE)
        p->next_update = nu.due;
    return rc == ITSM_OK ? ITSM_OK : ITSM_ENOMEM;
}

int itsm_packet_new(itsm_packet **out, const itsm_record *rec, itsm_packet_kind kind)
{
    if (!out)
        return ITSM_EINVAL;
    *out = NULL;
    if (!rec)
        return ITSM_EINVAL;
    itsm_engine *eng = rec->eng;
    if (!itsm_packet_kind_name(kind))
        return itsm__err(eng, ITSM_EINVAL, "unknown packet kind %d", (int)kind);
    itsm_packet *p = itsm__packet_alloc(&eng->alloc, (int)kind);
    if (!p)
        return itsm__oom(eng);
    itsm_time now = eng->clock(eng->clock_user);
    p->created_at = now < ITSM_TIME_MIN || now > ITSM_TIME_MAX ? ITSM_TIME_NONE : now;
    if (prefill(p, rec) != ITSM_OK) {
        itsm_packet_free(p);
        return itsm__oom(eng);
    }
    *out = p;
    return ITSM_OK;
}
