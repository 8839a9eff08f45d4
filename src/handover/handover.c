/* SPDX-License-Identifier: Apache-2.0 */
/* The two-party handover (DESIGN section 9): propose, acknowledge and
 * reject as extension events, the engine's registry of proposals, the
 * quality log of desk_to_major handovers and its exception report. */
#include "core/abi.h"
#include "handover/handover_int.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)

enum { OP_PROPOSE = 1, OP_ACK, OP_REJECT };

/* The payload of a handover event. Owned by the event until applied. */
typedef struct ho_ext {
    int          op;
    uint32_t     seq;        /* the proposal's number as the events carry it (its `wire`) */
    itsm_packet *pkt;        /* propose: the engine's copy, moved into the registry */
    itsm_packet *reg;        /* the registry's packet: once applied (propose); answered (ack, reject) */
    int          score;      /* propose */
    uint32_t     missing;    /* propose */
    char        *missing_text;
    char        *by;         /* ack / reject (moved into the registry's packet) */
    char        *reason;     /* reject */
} ho_ext;

static void ext_dispose(itsm_engine *eng, itsm_event *ev)
{
    ho_ext *x = ev->ext;
    if (!x)
        return;
    itsm_packet_free(x->pkt);
    itsm__free(&eng->alloc, x->missing_text);
    itsm__free(&eng->alloc, x->by);
    itsm__free(&eng->alloc, x->reason);
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

/* The engine's registry, created on first use. NULL on ENOMEM (message set). */
static itsm__ho *ho_get(itsm_engine *eng)
{
    itsm__ho *ho = itsm__ho_of(eng);
    if (ho)
        return ho;
    if (!(ho = itsm__calloc(&eng->alloc, 1, sizeof *ho))) {
        itsm__oom(eng);
        return NULL;
    }
    itsm__htab_init(&ho->hix, itsm__hash_seed(ho));
    eng->cap[ITSM__CAP_HANDOVER] = ho;
    return ho;
}

static void engine_free(itsm_engine *eng)
{
    itsm__ho *ho = itsm__ho_of(eng);
    if (!ho)
        return;
    for (size_t i = 0; i < ho->nho; i++)
        itsm_packet_free(ho->ho[i]);
    itsm__free(&eng->alloc, ho->ho);
    itsm__htab_free(&ho->hix, &eng->alloc);
    itsm__free(&eng->alloc, ho->qlog);
    itsm__free(&eng->alloc, ho);
    eng->cap[ITSM__CAP_HANDOVER] = NULL;
}

/* By this engine's number: the registry holds proposals in the order this
 * engine learned of them, ho[i]->seq == i + 1. */
static itsm_packet *registry_find(const itsm__ho *pm, uint32_t seq, size_t *index)
{
    if (!pm || seq < 1 || seq > pm->nho)
        return NULL;
    if (index)
        *index = seq - 1;
    return pm->ho[seq - 1];
}

/* By what the events carry: the record and the proposing engine's number.
 * Several engines on one store number independently, so the number alone
 * is not unique; with the record it is (an engine proposes on a record only
 * at its latest revision, having seen every earlier proposal on it). */
static uint32_t wire_hash(const itsm__ho *pm, const char *id, uint32_t wire)
{
    return (uint32_t)itsm__hash_u64(itsm__hash_bytes(pm->hix.seed, id, strlen(id)), wire);
}

static itsm_packet *wire_find(const itsm__ho *pm, const char *id, uint32_t wire)
{
    if (!pm || !id)
        return NULL;
    itsm__hprobe it = itsm__htab_probe(&pm->hix, wire_hash(pm, id, wire));
    for (long pos; (pos = itsm__htab_next(&pm->hix, &it)) >= 0;) {
        itsm_packet *p = pm->ho[pos];
        if (p->wire == wire && strcmp(p->record_id, id) == 0)
            return p;
    }
    return NULL;
}

/* ---- JSON of the events ---- */

static void write_ext(const itsm_event *ev, itsm__jw *w)
{
    const ho_ext *x = ev->ext;
    itsm__jw_key(w, "handover");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "seq");
    itsm__jw_int(w, x->seq);
    if (x->op == OP_PROPOSE) {
        itsm__jw_key(w, "score");
        itsm__jw_int(w, x->score);
        itsm__jw_key(w, "missing");
        itsm__jw_arr_begin(w);
        for (int i = 0; i < ITSM__ITEM_COUNT; i++)
            if (x->missing & ((uint32_t)1 << i))
                itsm__jw_str(w, itsm__item_name(i));
        itsm__jw_arr_end(w);
        itsm__jw_key(w, "packet");
        /* After apply the copy lives in the registry; the event keeps a view. */
        itsm__packet_write(x->pkt ? x->pkt : x->reg, w);
    } else {
        itsm__jw_key(w, "by");
        itsm__jw_str(w, x->by ? x->by : itsm_packet_decided_by(x->reg));
        if (x->op == OP_REJECT) {
            itsm__jw_key(w, "reason");
            itsm__jw_str(w, x->reason ? x->reason : (x->reg ? x->reg->reason : NULL));
        }
    }
    itsm__jw_obj_end(w);
}

static int reserve_registry(itsm_engine *eng, itsm__ho *pm)
{
    if (itsm__grow(&eng->alloc, (void **)&pm->ho, &pm->cho, pm->nho + 1, sizeof *pm->ho) ||
        itsm__grow(&eng->alloc, (void **)&pm->qlog, &pm->cq, pm->nq + 1, sizeof *pm->qlog) ||
        itsm__htab_reserve(&pm->hix, &eng->alloc, pm->nho + 1))
        return itsm__oom(eng);
    return ITSM_OK;
}

static int read_ext(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err, int op)
{
    static const char *const pkeys[] = { "seq", "score", "missing", "packet", NULL };
    static const char *const akeys[] = { "seq", "by", NULL };
    static const char *const rkeys[] = { "seq", "by", "reason", NULL };
    const char *const *keys = op == OP_PROPOSE ? pkeys : op == OP_ACK ? akeys : rkeys;
    const itsm__jval *h = itsm__json_get(root, "handover");
    if (!h || h->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, h ? h : root, "a handover event needs a 'handover' object");
    int krc = itsm__json_only_keys(h, keys, "handover", err);
    if (krc)
        return krc;
    itsm__ho *pm = ho_get(eng);
    if (!pm)
        return ITSM_ENOMEM;
    ho_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    x->op = op;
    const itsm__jval *seq = itsm__json_get(h, "seq");
    if (!seq || seq->type != ITSM__JNUMBER || !seq->u.num.is_int || seq->u.num.i < 1 || seq->u.num.i > UINT32_MAX)
        return itsm__json_schema_error(err, seq ? seq : h, "'seq' must be a whole number >= 1");
    x->seq = (uint32_t)seq->u.num.i;
    itsm_packet *known = wire_find(pm, ev->rec->id, x->seq);
    if (op == OP_PROPOSE) {
        if (known)
            return itsm__json_schema_error(err, seq, "handover %u of %s was already proposed", x->seq,
                                           ev->rec->id);
        const itsm__jval *sc = itsm__json_get(h, "score"), *ms = itsm__json_get(h, "missing");
        const itsm__jval *pk = itsm__json_get(h, "packet");
        if (!sc || sc->type != ITSM__JNUMBER || !sc->u.num.is_int || sc->u.num.i < 0 || sc->u.num.i > 100)
            return itsm__json_schema_error(err, sc ? sc : h, "'score' must be 0..100");
        x->score = (int)sc->u.num.i;
        if (!ms || ms->type != ITSM__JARRAY)
            return itsm__json_schema_error(err, ms ? ms : h, "'missing' must be an array of item names");
        for (size_t i = 0; i < ms->u.arr.n; i++) {
            const itsm__jval *it = &ms->u.arr.items[i];
            int b = it->type == ITSM__JSTRING ? itsm__item_lookup(it->u.str.s, it->u.str.len) : -1;
            if (b < 0)
                return itsm__json_schema_error(err, it, "unknown checklist item");
            x->missing |= (uint32_t)1 << b;
        }
        if (!pk)
            return itsm__json_schema_error(err, h, "'packet' is required");
        int rc = itsm__packet_read(&x->pkt, &eng->alloc, pk, err);
        if (rc)
            return rc;
        if (strcmp(x->pkt->record_id, ev->rec->id) != 0)
            return itsm__json_schema_error(err, pk, "the packet is about %s, not %s", x->pkt->record_id, ev->rec->id);
        /* As proposing refuses it: a packet about another kind of record
         * is not about this one (its checks were for that kind). */
        if (x->pkt->record_kind != (int)ev->rec->kind)
            return itsm__json_schema_error(err, pk, "the packet names %s as kind '%s', but it is kind '%s'",
                                           ev->rec->id, itsm_kind_name((itsm_kind)x->pkt->record_kind),
                                           itsm_kind_name(ev->rec->kind));
        size_t n = itsm__items_text(x->missing, NULL, 0);
        if (!(x->missing_text = itsm__malloc(&eng->alloc, n + 1)))
            return ITSM_ENOMEM;
        itsm__items_text(x->missing, x->missing_text, n + 1);
        return reserve_registry(eng, pm) ? ITSM_ENOMEM : ITSM_OK;
    }
    if (!known || known->state != ITSM_PACKET_PROPOSED)
        return itsm__json_schema_error(err, seq, "handover %u of %s is not waiting for an answer", x->seq,
                                       ev->rec->id);
    x->reg = known;
    const itsm__jval *by = itsm__json_get(h, "by");
    if (!by || by->type != ITSM__JSTRING || strlen(by->u.str.s) != by->u.str.len ||
        !itsm__text_present(by->u.str.s))
        return itsm__json_schema_error(err, by ? by : h, "'by' must name who answered (a string, not blank)");
    if (!(x->by = itsm__strdup(&eng->alloc, by->u.str.s)))
        return ITSM_ENOMEM;
    if (op == OP_REJECT) {
        const itsm__jval *r = itsm__json_get(h, "reason");
        if (!r || r->type != ITSM__JSTRING || !r->u.str.len || strlen(r->u.str.s) != r->u.str.len)
            return itsm__json_schema_error(err, r ? r : h, "'reason' must be a non-empty string");
        if (!(x->reason = itsm__strdup(&eng->alloc, r->u.str.s)))
            return ITSM_ENOMEM;
    }
    return reserve_registry(eng, pm) ? ITSM_ENOMEM : ITSM_OK;
}

static int read_propose(itsm_engine *e, itsm_event *ev, const itsm__jval *r, itsm_parse_error *err)
{
    return read_ext(e, ev, r, err, OP_PROPOSE);
}
static int read_ack(itsm_engine *e, itsm_event *ev, const itsm__jval *r, itsm_parse_error *err)
{
    return read_ext(e, ev, r, err, OP_ACK);
}
static int read_reject(itsm_engine *e, itsm_event *ev, const itsm__jval *r, itsm_parse_error *err)
{
    return read_ext(e, ev, r, err, OP_REJECT);
}

/* Everything was reserved while the event was built or read. */
static void apply_ext(itsm_engine *eng, itsm_event *ev)
{
    itsm__ho *pm = itsm__ho_of(eng);
    ho_ext *x = ev->ext;
    if (x->op == OP_PROPOSE) {
        itsm_packet *p = x->pkt;
        p->state = ITSM_PACKET_PROPOSED;
        p->seq = (uint32_t)pm->nho + 1;
        p->wire = x->seq;
        p->proposed_at = ev->at;
        p->score = x->score;
        p->missing = x->missing;
        p->missing_text = x->missing_text;
        p->registry = 1;
        /* Who holds the record as it is sent (replay applies in the same
         * order, so it finds the same holder): its acknowledgement moves the
         * record only while it is still held so. */
        p->holder = itsm__rec_str(ev->rec, SLOT(ITSM_F_ASSIGNEE));
        x->missing_text = NULL;
        itsm__htab_put(&pm->hix, wire_hash(pm, p->record_id, p->wire), pm->nho);
        pm->ho[pm->nho++] = p;
        x->pkt = NULL;
        x->reg = p;
        return;
    }
    itsm_packet *p = x->reg;
    size_t index = p->seq - 1;
    p->state = x->op == OP_ACK ? ITSM_PACKET_ACKNOWLEDGED : ITSM_PACKET_REJECTED;
    p->decided_at = ev->at;
    p->decided_by = x->by;
    x->by = NULL;
    p->reason = x->reason;
    x->reason = NULL;
    if (x->op == OP_ACK && p->kind == ITSM_PACKET_DESK_TO_MAJOR && p->missing)
        pm->qlog[pm->nq++] = index;   /* never kicked back: the gaps go to the quality log */
}

static const char *const ext_keys[] = { "handover", NULL };

const itsm__evclass itsm__evc_handover_propose = { "handover_propose", ext_keys, write_ext, read_propose,
                                                   apply_ext, ext_dispose, NULL };
const itsm__evclass itsm__evc_handover_acknowledge = { "handover_acknowledge", ext_keys, write_ext, read_ack,
                                                       apply_ext, ext_dispose, NULL };
const itsm__evclass itsm__evc_handover_reject = { "handover_reject", ext_keys, write_ext, read_reject,
                                                  apply_ext, ext_dispose, NULL };

/* ---- the calls ---- */

static int enter(itsm_engine *eng, itsm_time *at)
{
    int rc = itsm__check_entry(eng);
    return rc ? rc : itsm__now(eng, at);
}

/* Start a handover event on `rec` with a fresh payload. */
int itsm__handover_acknowledged_kind(const itsm_event *ev)
{
    if (ev->type != ITSM__EV_EXT || ev->cls != &itsm__evc_handover_acknowledge || !ev->applied)
        return 0;
    const ho_ext *x = ev->ext;
    return x && x->reg ? x->reg->kind : 0;
}

static itsm_event *begin_ext(itsm_engine *eng, itsm_record *rec, const itsm__evclass *cls, itsm_time at,
                             ho_ext **x)
{
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, rec, at);
    if (!ev)
        return NULL;
    ev->cls = cls;
    if (!(*x = itsm__calloc(&eng->alloc, 1, sizeof **x))) {
        itsm__batch_abort(eng);
        itsm__oom(eng);
        return NULL;
    }
    ev->ext = *x;
    return ev;
}

/* Back to a draft: the packet's content without its handover (state,
 * numbers, answer, completeness when proposed). Frees; cannot fail. */
static void forget_handover(itsm_packet *p)
{
    itsm__free(&p->alloc, p->decided_by);
    itsm__free(&p->alloc, p->reason);
    itsm__free(&p->alloc, p->missing_text);
    p->decided_by = p->reason = p->missing_text = NULL;
    p->state = ITSM_PACKET_DRAFT;
    p->seq = p->wire = 0;
    p->proposed_at = p->decided_at = ITSM_TIME_NONE;
    p->score = 0;
    p->missing = 0;
}

/* The kinds whose acknowledgement moves the record to the receiver. */
static int moves_owner(int kind) { return kind == ITSM_PACKET_SHIFT || kind == ITSM_PACKET_DESK_TO_MAJOR; }

/* Whether a handover proposed on `reg`'s record after it, of a kind that
 * moves the record, was taken over already: the registry holds one
 * record's proposals in proposing order. */
static int superseded(const itsm__ho *pm, const itsm_packet *reg)
{
    for (size_t i = pm->nho; i-- > 0 && pm->ho[i] != reg;) {
        const itsm_packet *p = pm->ho[i];
        if (p->state == ITSM_PACKET_ACKNOWLEDGED && moves_owner(p->kind) && p->record_kind == reg->record_kind &&
            strcmp(p->record_id, reg->record_id) == 0)
            return 1;
    }
    return 0;
}

/* Whether `reg`'s record is still held as it was sent, by the one who
 * sent it (seed 000: control passes from whoever holds it; DESIGN 9:
 * ownership moves only on acknowledgement, never silently): its assignee
 * is the one it had at the proposal - not moved since by a reassignment,
 * another handover or anything else - and, when both are named, it is the
 * packet's sender (proposing refuses a sender who does not hold the
 * record; a proposal stored before that rule may still name one). */
static int held_as_sent(const itsm_packet *reg, const itsm_record *rec)
{
    const char *now = itsm__rec_str(rec, SLOT(ITSM_F_ASSIGNEE)), *sender = reg->text[ITSM_PT_SENDER];
    if (now != reg->holder && (!now || !reg->holder || strcmp(now, reg->holder) != 0))
        return 0;
    return !now || !sender || strcmp(now, sender) == 0;
}

/* ITSM_EINVAL for a shift or desk_to_major packet whose sender does not
 * hold its record: the outgoing person hands over what she holds (seed
 * 000: an incident manager "may need to pass control of an ongoing
 * incident to another team member"), and a former owner naming herself
 * would, once acknowledged, take the record from the one who holds it
 * now. A record no one person holds (no assignee: its group's queue) is
 * handed over by whoever is named. */
static int refuse_not_holder(itsm_engine *eng, const itsm_packet *pkt, const itsm_record *rec)
{
    const char *sender = pkt->text[ITSM_PT_SENDER], *holder = itsm__rec_str(rec, SLOT(ITSM_F_ASSIGNEE));
    if (sender && holder && strcmp(sender, holder) != 0)
        return itsm__err(eng, ITSM_EINVAL, "'%.60s' cannot hand %s over: '%.60s' holds it (control passes from "
                         "whoever holds it; a %s packet is sent by its assignee)", sender, rec->id, holder,
                         itsm_packet_kind_name((itsm_packet_kind)pkt->kind));
    return ITSM_OK;
}

/* ITSM_ESTATE for a closed record: nobody takes it over. */
static int refuse_closed(itsm_engine *eng, const itsm_record *rec)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, rec->kind);
    if (itsm__lc_is_closed(lc, rec->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot hand %s over: it is %s", rec->id, lc->states[rec->state]);
    return ITSM_OK;
}

int itsm_packet_propose(itsm_packet *pkt, itsm_engine *eng)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!pkt)
        return itsm__err(eng, ITSM_EINVAL, "packet is NULL");
    itsm_time at = 0;
    int rc = enter(eng, &at);
    if (rc)
        return rc;
    if (pkt->state != ITSM_PACKET_DRAFT) {
        /* A packet whose proposal the engine does not hold (a group rolled
         * back, a commit the store did not keep) is proposed again; one it
         * holds is not proposed twice. */
        const itsm_packet *held = wire_find(itsm__ho_of(eng), pkt->record_id, pkt->wire);
        if (pkt->registry || (held && itsm_packet_equal(held, pkt)))
            return itsm__err(eng, ITSM_ESTATE, "packet %u was proposed already", pkt->seq);
    }
    itsm_record *rec = pkt->record_id ? itsm__find(eng, pkt->record_id, strlen(pkt->record_id)) : NULL;
    if (!rec || (int)rec->kind != pkt->record_kind)
        return itsm__err(eng, ITSM_ENOTFOUND, "the engine has no %s '%s' for this packet",
                         itsm_kind_name((itsm_kind)pkt->record_kind), pkt->record_id ? pkt->record_id : "");
    /* The major incident team takes over incidents only (seed 001): a
     * desk_to_major handover of anything else would hand it over as one. */
    if (pkt->kind == ITSM_PACKET_DESK_TO_MAJOR && rec->kind != ITSM_KIND_INCIDENT)
        return itsm__err(eng, ITSM_EINVAL, "only incidents can be major incidents: a desk_to_major handover "
                         "is about an incident, and %s is a %s", rec->id, itsm_kind_name((itsm_kind)rec->kind));
    /* Service transition hands a project's delivery to operations at go-live
     * (seed 004: "the process where a product is transformed into a
     * service"): a change going live, whose implementation its gate holds
     * (gate:not_shut) - not an incident or a request, which nothing takes
     * into operation. */
    if (pkt->kind == ITSM_PACKET_TO_OPERATIONS && rec->kind != ITSM_KIND_CHANGE)
        return itsm__err(eng, ITSM_EINVAL, "a to_operations handover hands a change going live to operations "
                         "(service transition): %s is of kind %s", rec->id, itsm_kind_name((itsm_kind)rec->kind));
    if (pkt->kind == ITSM_PACKET_TO_OPERATIONS) {
        /* A gate with nothing to check would open on acknowledgement alone. */
        size_t required = 0;
        for (size_t i = 0; i < pkt->ndeliv; i++)
            required += pkt->deliv[i].required != 0;
        if (!required)
            return itsm__err(eng, ITSM_EINVAL, "a to_operations packet needs at least one required deliverable: "
                             "its gate would open with nothing to check");
        /* The service manager accepts into operations (seed 004): without a
         * receiver anyone, the implementer too, could open the gate. */
        if (!itsm__text_present(pkt->text[ITSM_PT_RECEIVER]))
            return itsm__err(eng, ITSM_EINVAL, "a to_operations packet needs its receiver, the service manager "
                             "who accepts it into operations: without one anyone could open its gate");
    }
    /* A packet read from JSON is not checked against this (a replayed store
     * keeps what it was given); proposing it is. */
    const char *sender = pkt->text[ITSM_PT_SENDER], *receiver = pkt->text[ITSM_PT_RECEIVER];
    for (size_t i = 0; i < pkt->ndeliv; i++) {
        if (strcmp(pkt->deliv[i].owner, pkt->deliv[i].approver) == 0)
            return itsm__err(eng, ITSM_EINVAL, ITSM__DELIV_SELF_APPROVAL, pkt->deliv[i].name, pkt->deliv[i].owner);
        /* The sender hands over for the project (seed 004): her approval
         * would be the project's own, whoever owns the deliverable. Checked
         * here, as the sender may be set after the deliverable. */
        if (sender && strcmp(sender, pkt->deliv[i].approver) == 0)
            return itsm__err(eng, ITSM_EINVAL, ITSM__DELIV_SENDER_APPROVAL, pkt->deliv[i].name, sender);
    }
    /* Two parties (DESIGN 9): a packet addressed to its own sender would
     * move nothing from one party to another. */
    if (sender && receiver && strcmp(sender, receiver) == 0)
        return itsm__err(eng, ITSM_EINVAL, "a handover takes two parties: '%.60s' is both its sender and its "
                         "receiver", sender);
    /* A closed record is handed over to nobody: a shift or desk_to_major
     * packet about one is not proposed (one whose record closes after the
     * proposal is acknowledged as received: answer below). */
    if (moves_owner(pkt->kind) && ((rc = refuse_closed(eng, rec)) || (rc = refuse_not_holder(eng, pkt, rec))))
        return rc;
    itsm__ho *pm = ho_get(eng);
    if (!pm)
        return ITSM_ENOMEM;
    if ((rc = reserve_registry(eng, pm)))
        return rc;
    ho_ext *x = NULL;
    itsm_event *ev = begin_ext(eng, rec, &itsm__evc_handover_propose, at, &x);
    if (!ev)
        return ITSM_ENOMEM;
    x->op = OP_PROPOSE;
    /* Its number: this engine's next one, unless another engine used that
     * on this record already (this one then replayed only part of the store). */
    x->seq = (uint32_t)pm->nho + 1;
    while (wire_find(pm, rec->id, x->seq))
        x->seq++;
    x->missing = itsm__packet_missing(pkt, itsm__ho_policy_of(eng->policy)->checklist[pkt->kind]);
    itsm_packet_completeness(&x->score, pkt, eng->policy, NULL, 0);
    size_t n = itsm__items_text(x->missing, NULL, 0);
    if (itsm__packet_copy(&x->pkt, pkt, &eng->alloc) || !(x->missing_text = itsm__malloc(&eng->alloc, n + 1))) {
        itsm__batch_abort(eng);
        return itsm__oom(eng);
    }
    itsm__items_text(x->missing, x->missing_text, n + 1);
    /* The copy is content only until apply stamps it. */
    forget_handover(x->pkt);
    uint32_t seq = x->seq;
    int score = x->score;
    uint32_t missing = x->missing;
    if ((rc = itsm__batch_commit(eng)))
        return rc;
    forget_handover(pkt);   /* a packet proposed again: its lost proposal's answer too */
    pkt->state = ITSM_PACKET_PROPOSED;
    pkt->seq = (uint32_t)pm->nho;   /* this engine's number; the proposal is its newest */
    pkt->wire = seq;
    pkt->proposed_at = at;
    pkt->score = score;
    pkt->missing = missing;
    return ITSM_OK;
}

/* Answer a proposal (acknowledge or reject). */
static int answer(itsm_packet *pkt, itsm_engine *eng, const char *by, const char *reason, int op)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!pkt || !by || !*by)
        return itsm__err(eng, ITSM_EINVAL, "packet and 'by' (who answers) are required");
    size_t bn = strlen(by);
    /* `by` may become the assignee: a symbol, checked as every symbol is,
     * that names someone (a blank one would file the answer under nobody). */
    if (itsm__check_symbol(&eng->err, "'by' (who answers)", NULL, by, bn))
        return eng->err.code;
    if (!itsm__text_present(by))
        return itsm__err(eng, ITSM_EINVAL, "'by' (who answers) is blank: it must name who answers");
    itsm_time at = 0;
    int rc = enter(eng, &at);
    if (rc)
        return rc;
    itsm__ho *pm = itsm__ho_of(eng);
    itsm_packet *reg = pkt->seq ? wire_find(pm, pkt->record_id, pkt->wire) : NULL;
    if (!reg || !pkt->record_id || strcmp(reg->record_id, pkt->record_id) != 0)
        return itsm__err(eng, ITSM_ENOTFOUND, "the engine has no proposal %u for this packet", pkt->seq);
    /* The number alone does not say it is this packet's proposal: after a
     * rollback (or a commit the store did not keep) another packet may
     * carry it, and answering for that one would move ownership on a
     * handover nobody acknowledged. */
    if (pkt != reg && !itsm_packet_equal(pkt, reg))
        return itsm__err(eng, ITSM_ENOTFOUND, "the engine has no proposal for this packet: handover %u of %s is "
                         "another packet (this one's proposal was rolled back or not kept by the store; propose "
                         "it again)", reg->seq, reg->record_id);
    if (reg->state != ITSM_PACKET_PROPOSED)
        return itsm__err(eng, ITSM_ESTATE, "handover %u was already %s", reg->seq,
                         reg->state == ITSM_PACKET_ACKNOWLEDGED ? "acknowledged" : "rejected");
    const char *receiver = reg->text[ITSM_PT_RECEIVER];
    if (receiver && strcmp(receiver, by) != 0)
        return itsm__err(eng, ITSM_EINVAL, "handover %u is for '%.60s'; '%.60s' cannot answer it", reg->seq,
                         receiver, by);
    /* The receiver answers, not the sender: a desk agent acknowledging her
     * own desk_to_major packet would start the major incident's phase with
     * nobody taking it over (DESIGN 9, seed 001). A named receiver is
     * checked above (and a packet stored, before this rule, with its sender
     * as receiver stays answerable by that receiver). */
    const char *sender = reg->text[ITSM_PT_SENDER];
    if (!receiver && sender && strcmp(sender, by) == 0)
        return itsm__err(eng, ITSM_EINVAL, "handover %u was sent by '%.60s': its receiver answers it, not its "
                         "sender (a handover takes two parties)", reg->seq, sender);
    itsm_record *rec = itsm__find(eng, reg->record_id, strlen(reg->record_id));
    if (!rec)
        return itsm__err(eng, ITSM_ENOTFOUND, "no record '%s'", reg->record_id);
    if (op == OP_REJECT) {
        if (reg->kind == ITSM_PACKET_DESK_TO_MAJOR)
            return itsm__err(eng, ITSM_ESTATE,
                             "a desk_to_major handover is never kicked back: acknowledge it and fix the "
                             "handover after the incident (its gaps go to the quality log)");
        if (!itsm__text_present(reason) || !itsm__utf8_valid(reason, strlen(reason)))
            return itsm__err(eng, ITSM_EINVAL, "kicking a handover back needs a reason (UTF-8, up to %d bytes)",
                             ITSM_MAX_TEXT);
        if (strlen(reason) > ITSM_MAX_TEXT)
            return itsm__err(eng, ITSM_ELIMIT, "the reason is %zu bytes; the limit is %d", strlen(reason),
                             ITSM_MAX_TEXT);
    }
    /* A record closed since the proposal is taken over by nobody: the
     * receiver acknowledges the packet as received - so it does not stay
     * proposed for ever (a desk_to_major one cannot be kicked back) and a
     * desk_to_major one's gaps still reach the quality log (seed 001) -
     * and ownership stays where it was. So too once a newer handover on
     * the record was taken over (seed 000: control passes from whoever
     * holds it): the late answer to an older one moves nothing back. And
     * once the record is no longer held as it was sent (a supervisor's
     * reassignment, another handover taken over): the acknowledgement
     * takes nothing from someone who never handed it over. */
    int moves = op == OP_ACK && moves_owner(reg->kind) &&
                !itsm__lc_is_closed(itsm__lifecycle_of(eng, rec->kind), rec->state) && !superseded(pm, reg) &&
                held_as_sent(reg, rec);
    /* A packet naming neither party is sent by whoever has the record (the
     * sender the prefill would name): its owner answering would hand the
     * record to herself - and a desk agent so start a major incident's
     * phase with nobody taking it over (DESIGN 9, seed 001). */
    const char *owner = itsm__rec_str(rec, itsm__fields[ITSM_F_ASSIGNEE].slot);
    if (moves_owner(reg->kind) && !receiver && !sender && owner && strcmp(owner, by) == 0 &&
        !itsm__lc_is_closed(itsm__lifecycle_of(eng, rec->kind), rec->state))
        return itsm__err(eng, ITSM_EINVAL, "handover %u names no sender, and '%.60s' has %s: its receiver answers "
                         "it, not who hands it over (a handover takes two parties)", reg->seq, owner, rec->id);
    if (op == OP_ACK && reg->kind == ITSM_PACKET_TO_OPERATIONS) {
        /* The list fills what the message's own words leave of it. */
        char msg[ITSM__ERRMSG];
        size_t k = itsm__gate_outstanding(reg, NULL, 0);
        int w = snprintf(msg, sizeof msg, "the operations gate stays shut: %zu required deliverable%s not approved: ",
                         k, k == 1 ? " is" : "s are");
        if (k) {
            itsm__gate_outstanding(reg, msg + w, sizeof msg - (size_t)w);
            return itsm__err(eng, ITSM_ESTATE, "%s", msg);
        }
    }
    if ((rc = reserve_registry(eng, pm)))
        return rc;
    ho_ext *x = NULL;
    itsm_event *ev = begin_ext(eng, rec, op == OP_ACK ? &itsm__evc_handover_acknowledge : &itsm__evc_handover_reject,
                               at, &x);
    if (!ev)
        return ITSM_ENOMEM;
    x->op = op;
    x->seq = reg->wire;
    x->reg = reg;
    if (!(x->by = itsm__strdup(&eng->alloc, by)) || (reason && op == OP_REJECT && !(x->reason = itsm__strdup(&eng->alloc, reason)))) {
        itsm__batch_abort(eng);
        return itsm__oom(eng);
    }
    if (moves) {
        /* Ownership moves now, and only now: the incident-manager role. The
         * change is proposed like any other, so the reassignment count
         * follows the policy's rule exactly as an update would. */
        const char *group = reg->text[ITSM_PT_RECEIVER_GROUP];
        const char *old = itsm__rec_str(rec, itsm__fields[ITSM_F_ASSIGNMENT_GROUP].slot);
        if ((rc = itsm__propose_str(eng, ev, ITSM_F_ASSIGNEE, by, bn, ITSM__BY_ENGINE)) ||
            (group && (!old || strcmp(group, old) != 0) &&
             (rc = itsm__propose_str(eng, ev, ITSM_F_ASSIGNMENT_GROUP, group, strlen(group), ITSM__BY_ENGINE)))) {
            itsm__batch_abort(eng);
            return rc;
        }
    }
    /* The caller's copy follows the engine's: its strings are allocated
     * before the commit, so a failure changes nothing and a success
     * delivers everything. */
    char *b2 = NULL, *r2 = NULL;
    if (pkt != reg && (!(b2 = itsm__strdup(&pkt->alloc, by)) ||
                       (op == OP_REJECT && !(r2 = itsm__strdup(&pkt->alloc, reason))))) {
        itsm__free(&pkt->alloc, b2);
        itsm__batch_abort(eng);
        return itsm__oom(eng);
    }
    if ((rc = itsm__batch_commit(eng))) {
        itsm__free(&pkt->alloc, b2);
        itsm__free(&pkt->alloc, r2);
        return rc;
    }
    if (pkt != reg) {
        itsm__free(&pkt->alloc, pkt->decided_by);
        pkt->decided_by = b2;
        if (op == OP_REJECT) {
            itsm__free(&pkt->alloc, pkt->reason);
            pkt->reason = r2;
        }
        pkt->state = reg->state;
        pkt->decided_at = reg->decided_at;
    }
    return ITSM_OK;
}

int itsm_packet_acknowledge(itsm_packet *pkt, itsm_engine *eng, const char *by)
{
    return answer(pkt, eng, by, NULL, OP_ACK);
}

int itsm_packet_reject(itsm_packet *pkt, itsm_engine *eng, const char *by, const char *reason)
{
    return answer(pkt, eng, by, reason, OP_REJECT);
}

/* ---- the engine's view ---- */

size_t itsm_engine_handover_count(const itsm_engine *eng)
{
    return eng && itsm__ho_of(eng) ? itsm__ho_of(eng)->nho : 0;
}

int itsm_engine_handover_at(itsm_packet **out, itsm_engine *eng, size_t index)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "itsm_engine_handover_at: out is NULL");
    size_t nho = itsm__ho_of(eng) ? itsm__ho_of(eng)->nho : 0;
    if (index >= nho)
        return itsm__err(eng, ITSM_EINVAL,
                         "itsm_engine_handover_at: handover index %zu is out of range (the engine has %zu)",
                         index, nho);
    *out = itsm__ho_of(eng)->ho[index];
    return ITSM_OK;
}

int itsm_engine_handover_find(itsm_packet **out, itsm_engine *eng, uint32_t seq)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "itsm_engine_handover_find: out is NULL");
    *out = registry_find(itsm__ho_of(eng), seq, NULL);
    if (!*out)
        return itsm__err(eng, ITSM_ENOTFOUND, "no handover %u", seq);
    return ITSM_OK;
}

size_t itsm_quality_log_count(const itsm_engine *eng)
{
    return eng && itsm__ho_of(eng) ? itsm__ho_of(eng)->nq : 0;
}

int itsm_quality_log_at(const itsm_engine *eng, size_t index, itsm_quality_entry *out)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_quality_log_at: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_quality_entry, missing);
    if (rc)
        return rc;
    size_t nq = itsm__ho_of(eng) ? itsm__ho_of(eng)->nq : 0;
    if (index >= nq)
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_quality_log_at: quality log index %zu is out of range (the log has %zu)",
                               index, nq);
    const itsm_packet *p = itsm__ho_of(eng)->ho[itsm__ho_of(eng)->qlog[index]];
    itsm_quality_entry full = { sizeof full, p->record_id, p->text[ITSM_PT_SENDER_GROUP], p->decided_at, p->seq,
                                p->score, p->missing_text ? p->missing_text : "" };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- the exception report ---- */

static int group_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;   /* null (no group) first */
    return strcmp(a, b);
}

int itsm_handover_report_to_json(const itsm_engine *eng, itsm_time from, itsm_time to, char *buf, size_t cap,
                                 size_t *len)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!len || (!buf && cap))
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_handover_report_to_json: %s",
                               !len ? "len is NULL" : "buf is NULL but cap is not 0");
    if (from < ITSM_TIME_MIN || from > ITSM_TIME_MAX || to < ITSM_TIME_MIN || to > ITSM_TIME_MAX)
        return itsm__err_const(eng, ITSM_EINVAL, "report period %lld..%lld is outside 1970..9999",
                               (long long)from, (long long)to);
    if (from > to)
        return itsm__err_const(eng, ITSM_EINVAL, "report period: from %lld is after to %lld",
                               (long long)from, (long long)to);
    const itsm__ho *pm = itsm__ho_of(eng);
    size_t n = pm ? pm->nho : 0;
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "from");
    itsm__jw_time(&w, from);
    itsm__jw_key(&w, "to");
    itsm__jw_time(&w, to);
    itsm__jw_key(&w, "groups");
    itsm__jw_arr_begin(&w);
    /* Groups in name order without allocating: repeatedly pick the
     * smallest group greater than the last one written. O(groups * n),
     * fine for a report. */
    const char *last = NULL;
    int have_last = 0;
    for (;;) {
        const char *next = NULL;
        int found = 0;
        for (size_t i = 0; i < n; i++) {
            const itsm_packet *p = pm->ho[i];
            if (p->kind != ITSM_PACKET_DESK_TO_MAJOR || p->state != ITSM_PACKET_ACKNOWLEDGED ||
                p->decided_at < from || p->decided_at > to)
                continue;
            const char *g = p->text[ITSM_PT_SENDER_GROUP];
            if (have_last && group_cmp(g, last) <= 0)
                continue;
            if (!found || group_cmp(g, next) < 0) {
                next = g;
                found = 1;
            }
        }
        if (!found)
            break;
        size_t total = 0, poor = 0, counts[ITSM__ITEM_COUNT] = { 0 };
        for (size_t i = 0; i < n; i++) {
            const itsm_packet *p = pm->ho[i];
            if (p->kind != ITSM_PACKET_DESK_TO_MAJOR || p->state != ITSM_PACKET_ACKNOWLEDGED ||
                p->decided_at < from || p->decided_at > to || group_cmp(p->text[ITSM_PT_SENDER_GROUP], next))
                continue;
            total++;
            if (p->missing)
                poor++;
            for (int b = 0; b < ITSM__ITEM_COUNT; b++)
                if (p->missing & ((uint32_t)1 << b))
                    counts[b]++;
        }
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "group");
        itsm__jw_str(&w, next);
        itsm__jw_key(&w, "handovers");
        itsm__jw_int(&w, (int64_t)total);
        itsm__jw_key(&w, "poor");
        itsm__jw_int(&w, (int64_t)poor);
        itsm__jw_key(&w, "missing");
        itsm__jw_obj_begin(&w);
        for (int b = 0; b < ITSM__ITEM_COUNT; b++)
            if (counts[b]) {
                itsm__jw_key(&w, itsm__item_name(b));
                itsm__jw_int(&w, (int64_t)counts[b]);
            }
        itsm__jw_obj_end(&w);
        itsm__jw_key(&w, "items");
        itsm__jw_arr_begin(&w);
        for (size_t i = 0; i < n; i++) {
            const itsm_packet *p = pm->ho[i];
            if (p->kind != ITSM_PACKET_DESK_TO_MAJOR || p->state != ITSM_PACKET_ACKNOWLEDGED || !p->missing ||
                p->decided_at < from || p->decided_at > to || group_cmp(p->text[ITSM_PT_SENDER_GROUP], next))
                continue;
            itsm__jw_obj_begin(&w);
            itsm__jw_key(&w, "record");
            itsm__jw_str(&w, p->record_id);
            itsm__jw_key(&w, "seq");
            itsm__jw_int(&w, p->seq);
            itsm__jw_key(&w, "at");
            itsm__jw_time(&w, p->decided_at);
            itsm__jw_key(&w, "score");
            itsm__jw_int(&w, p->score);
            itsm__jw_key(&w, "missing");
            itsm__jw_arr_begin(&w);
            for (int b = 0; b < ITSM__ITEM_COUNT; b++)
                if (p->missing & ((uint32_t)1 << b))
                    itsm__jw_str(&w, itsm__item_name(b));
            itsm__jw_arr_end(&w);
            itsm__jw_obj_end(&w);
        }
        itsm__jw_arr_end(&w);
        itsm__jw_obj_end(&w);
        last = next;
        have_last = 1;
    }
    itsm__jw_arr_end(&w);
    itsm__jw_obj_end(&w);
    return itsm__jw_finish(&w, len);
}

/* ---- the capability ---- */

int  itsm__ho_policy_new(void **sect, const itsm_allocator *a);
void itsm__ho_policy_free(void *sect, const itsm_allocator *a);
int  itsm__ho_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__ho_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err);
void itsm__ho_policy_write(const itsm_policy *p, itsm__jw *w);

static const char *const policy_keys[] = { "handover", NULL };
static const itsm__evclass *const classes[] = { &itsm__evc_handover_propose, &itsm__evc_handover_acknowledge,
                                                &itsm__evc_handover_reject, NULL };
static const itsm__guard_kind *const guards[] = { &itsm__guard_gate, NULL };

const itsm__capability itsm__cap_handover = {
    .name = "handover",
    .policy_keys = policy_keys,
    .policy_new = itsm__ho_policy_new,
    .policy_free = itsm__ho_policy_free,
    .policy_clone = itsm__ho_policy_clone,
    .policy_read = itsm__ho_policy_read,
    .policy_write = itsm__ho_policy_write,
    .engine_free = engine_free,
    .classes = classes,
    .guards = guards,
};
