/* SPDX-License-Identifier: Apache-2.0 */
/* The operations gate (seed 004) in the lifecycle: the guard kind
 * "gate:open" / "gate:not_shut" on a record's to_operations handovers,
 * and the list of what keeps a gate shut. */
#include "handover/handover_int.h"

#include <stdio.h>
#include <string.h>

/* `s` cut to at most `max` bytes at a character boundary, "..." marking a
 * cut; into out[0..cap). */
static void cut_text(char *out, size_t cap, const char *s, size_t max)
{
    size_t n = itsm__utf8_prefix(s, max);
    snprintf(out, cap, "%.*s%s", (int)n, s, s[n] ? "..." : "");
}

/* Whole entries only, while they fit with room left for the tail that
 * counts the rest: a name cut at the end of the buffer is no name. */
size_t itsm__gate_outstanding(const itsm_packet *p, char *buf, size_t cap)
{
    enum { TAIL = 32 };   /* ", ... and 1024 more" */
    size_t n = 0, shown = 0, off = 0;
    for (size_t i = 0; i < p->ndeliv; i++)
        n += p->deliv[i].required && p->deliv[i].status != ITSM_DELIVERABLE_APPROVED;
    if (cap)
        buf[0] = '\0';
    for (size_t i = 0; i < p->ndeliv && cap; i++) {
        const itsm__deliv *d = &p->deliv[i];
        if (!d->required || d->status == ITSM_DELIVERABLE_APPROVED)
            continue;
        char name[100], approver[80], one[256];
        cut_text(name, sizeof name, d->name, 80);
        cut_text(approver, sizeof approver, d->approver, 60);
        int w = snprintf(one, sizeof one, "%s'%s' (%s, approver '%s')", off ? ", " : "", name,
                         itsm_deliverable_status_name((itsm_deliverable_status)d->status), approver);
        size_t room = shown + 1 < n ? TAIL : 0;
        if (off + (size_t)w + room >= cap)
            break;
        memcpy(buf + off, one, (size_t)w + 1);
        off += (size_t)w;
        shown++;
    }
    if (shown < n && cap)
        snprintf(buf + off, cap - off, "%s... and %zu more", off ? ", " : "", n - shown);
    return n;
}

/* The record's latest to_operations handover, or NULL. */
static const itsm_packet *latest_to_operations(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ho *ho = itsm__ho_of(eng);
    for (size_t i = ho ? ho->nho : 0; i-- > 0;) {
        const itsm_packet *p = ho->ho[i];
        if (p->kind == ITSM_PACKET_TO_OPERATIONS && strcmp(p->record_id, r->id) == 0)
            return p;
    }
    return NULL;
}

enum { GATE_NOT_SHUT = 0, GATE_OPEN = 1 };

static int guard_parse(const char *arg, size_t n, int64_t *num, itsm__errbuf *e)
{
    if (n == 4 && memcmp(arg, "open", 4) == 0)
        *num = GATE_OPEN;
    else if (n == 8 && memcmp(arg, "not_shut", 8) == 0)
        *num = GATE_NOT_SHUT;
    else
        return itsm__errbuf_set(e, ITSM_EINVAL, "'gate:' takes 'open' (an acknowledged to_operations handover) or "
                                "'not_shut' (none, or the latest acknowledged)");
    return ITSM_OK;
}

static int guard_met(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg, int64_t num)
{
    (void)ev;
    (void)arg;
    const itsm_packet *p = latest_to_operations(eng, r);
    return p ? itsm_packet_gate_open(p) : num == GATE_NOT_SHUT;
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                           int64_t num, char *out, size_t cap)
{
    (void)ev;
    (void)arg;
    (void)num;
    const itsm_packet *p = latest_to_operations(eng, r);
    if (!p) {
        snprintf(out, cap, "the operations gate open, but no to_operations handover was proposed for %s", r->id);
        return;
    }
    size_t n = itsm__gate_outstanding(p, NULL, 0);
    if (p->state == ITSM_PACKET_REJECTED) {
        snprintf(out, cap, "the operations gate open, but handover %u of %s was rejected by '%.60s': %.200s", p->seq,
                 r->id, p->decided_by ? p->decided_by : "?", p->reason ? p->reason : "");
    } else if (n) {
        /* The list gets what this sentence leaves, less room for the
         * refusal's own words around it ("transition '...' from '...'
         * needs "), so that it ends whole. */
        enum { OUTER = 100 };
        int w = snprintf(out, cap, "the operations gate open, but handover %u of %s has %zu required deliverable%s "
                         "not approved: ", p->seq, r->id, n, n == 1 ? "" : "s");
        if (w > 0 && (size_t)w + OUTER < cap)
            itsm__gate_outstanding(p, out + w, cap - (size_t)w - OUTER);
    } else {
        snprintf(out, cap, "the operations gate open, but handover %u of %s waits for acknowledgement%s%.60s%s",
                 p->seq, r->id, p->text[ITSM_PT_RECEIVER] ? " by '" : "",
                 p->text[ITSM_PT_RECEIVER] ? p->text[ITSM_PT_RECEIVER] : "", p->text[ITSM_PT_RECEIVER] ? "'" : "");
    }
}

const itsm__guard_kind itsm__guard_gate = { "gate", guard_parse, guard_met, guard_describe };
