/* SPDX-License-Identifier: Apache-2.0 */
/* The event classes of service levels, escalation, major incidents and
 * communication, and the step that adds derived events to a live batch.
 *
 * Every class shares one payload (itsm__xev) and one table-driven JSON
 * form: each member is a number, a boolean, a time, a symbol, a list of
 * symbols or a text. */
#include "sla_int.h"
#include "engine_int.h"
#include "json.h"
#include "pm_int.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) ((r)->num[SLOT(f)])
#define STR(r, f) ((r)->str[SLOT(f)])

enum { M_NUM = 1, M_BOOL, M_T1, M_T2, M_SYM0, M_SYM1, M_LIST, M_TEXT };

typedef struct xmember { const char *key; int type; int required; } xmember;

typedef struct xdesc { const char *name; xmember m[5]; const char *keys[6]; } xdesc;

static const xdesc descs[ITSM__X_COUNT] = {
    [ITSM__X_WARNING] = { "sla_warning",
        { { "timer", M_SYM0, 1 }, { "level", M_NUM, 1 }, { "due", M_T1, 0 }, { "audience", M_LIST, 0 } },
        { "timer", "level", "due", "audience", NULL } },
    [ITSM__X_BREACH] = { "sla_breach",
        { { "timer", M_SYM0, 1 }, { "due", M_T1, 0 }, { "audience", M_LIST, 0 } },
        { "timer", "due", "audience", NULL } },
    [ITSM__X_STEP] = { "escalation_step",
        { { "level", M_NUM, 1 }, { "audience", M_SYM0, 1 }, { "reason", M_SYM1, 1 }, { "note", M_TEXT, 0 } },
        { "level", "audience", "reason", "note", NULL } },
    [ITSM__X_FUNCTIONAL] = { "functional_escalation",
        { { "level", M_NUM, 1 }, { "group", M_SYM0, 0 }, { "tried", M_TEXT, 1 } },
        { "level", "group", "tried", NULL } },
    [ITSM__X_OVERDUE] = { "update_overdue",
        { { "due", M_T1, 1 }, { "audience", M_SYM0, 1 } },
        { "due", "audience", NULL } },
    [ITSM__X_AC_BLOCKED] = { "auto_close_blocked",
        { { "reason", M_TEXT, 1 } },
        { "reason", NULL } },
    [ITSM__X_SLA_SET] = { "sla_assigned",
        { { "sla", M_SYM0, 0 } },
        { "sla", NULL } },
    [ITSM__X_MAJ_PROPOSED] = { "major_proposed",
        { { "reason", M_SYM0, 1 }, { "note", M_TEXT, 0 } },
        { "reason", "note", NULL } },
    [ITSM__X_MAJ_DECIDED] = { "major_decided",
        { { "accepted", M_BOOL, 1 }, { "manager", M_SYM0, 1 } },
        { "accepted", "manager", NULL } },
    [ITSM__X_MAJ_COMMS] = { "major_communication_issued", { { NULL, 0, 0 } }, { NULL } },
    [ITSM__X_MAJ_GROUPS] = { "major_groups_engaged",
        { { "groups", M_LIST, 1 } },
        { "groups", NULL } },
    [ITSM__X_MAJ_MISSED] = { "major_deadline_missed",
        { { "deadline", M_SYM0, 1 }, { "due", M_T1, 1 } },
        { "deadline", "due", NULL } },
    [ITSM__X_OUTAGE] = { "outage_declared",
        { { "service", M_SYM0, 1 }, { "expected_restoration", M_T1, 1 }, { "next_update", M_T2, 1 } },
        { "service", "expected_restoration", "next_update", NULL } },
    [ITSM__X_OUTAGE_END] = { "outage_ended",
        { { "service", M_SYM0, 1 } },
        { "service", NULL } },
};

static int cls_index(const itsm_event *ev)
{
    return (int)(ev->cls - itsm__xclasses);
}

static void xwrite(const itsm_event *ev, itsm__jw *w)
{
    const itsm__xev *x = ev->ext;
    const xdesc *d = &descs[cls_index(ev)];
    for (const xmember *m = d->m; m->key; m++) {
        switch (m->type) {
        case M_NUM: itsm__jw_key(w, m->key); itsm__jw_int(w, x->num); break;
        case M_BOOL: itsm__jw_key(w, m->key); itsm__jw_bool(w, x->num != 0); break;
        case M_T1:
            if (x->t1 != ITSM_TIME_NONE) { itsm__jw_key(w, m->key); itsm__jw_time(w, x->t1); }
            break;
        case M_T2:
            if (x->t2 != ITSM_TIME_NONE) { itsm__jw_key(w, m->key); itsm__jw_time(w, x->t2); }
            break;
        case M_SYM0:
        case M_SYM1: {
            const char *s = x->sym[m->type == M_SYM0 ? 0 : 1];
            if (s) { itsm__jw_key(w, m->key); itsm__jw_str(w, s); }
            break;
        }
        case M_LIST:
            itsm__jw_key(w, m->key);
            itsm__jw_arr_begin(w);
            for (unsigned i = 0; i < x->nsym; i++)
                itsm__jw_str(w, x->sym[2 + i]);
            itsm__jw_arr_end(w);
            break;
        case M_TEXT:
            if (x->text) { itsm__jw_key(w, m->key); itsm__jw_str(w, x->text); }
            break;
        }
    }
}

static int sym_valid(const char *s, size_t n)
{
    if (n == 0 || n > ITSM_MAX_SYMBOL || !itsm__utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

static void xdispose(itsm_engine *eng, itsm_event *ev)
{
    itsm__xev *x = ev->ext;
    if (!x)
        return;
    itsm__free(&eng->alloc, x->text);
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static itsm__xev *xnew(itsm_engine *eng, int cls)
{
    itsm__xev *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (x) {
        x->cls = cls;
        x->t1 = x->t2 = ITSM_TIME_NONE;
    }
    return x;
}

static int xread(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    int cls = cls_index(ev);
    const xdesc *d = &descs[cls];
    itsm__xev *x = xnew(eng, cls);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    for (const xmember *m = d->m; m->key; m++) {
        const itsm__jval *v = itsm__json_get(root, m->key);
        if (!v) {
            if (m->required)
                return itsm__json_schema_error(err, root, "%s event needs '%s'", d->name, m->key);
            continue;
        }
        switch (m->type) {
        case M_NUM:
            if (v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < 0 || v->u.num.i > 1000000)
                return itsm__json_schema_error(err, v, "'%s' must be a whole number", m->key);
            x->num = v->u.num.i;
            break;
        case M_BOOL:
            if (v->type != ITSM__JTRUE && v->type != ITSM__JFALSE)
                return itsm__json_schema_error(err, v, "'%s' must be true or false", m->key);
            x->num = v->type == ITSM__JTRUE;
            break;
        case M_T1:
        case M_T2: {
            itsm_time t;
            if (v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, &t) != ITSM_OK)
                return itsm__json_schema_error(err, v, "'%s' must be a time", m->key);
            if (m->type == M_T1) x->t1 = t; else x->t2 = t;
            break;
        }
        case M_SYM0:
        case M_SYM1:
            if (v->type != ITSM__JSTRING || !sym_valid(v->u.str.s, v->u.str.len))
                return itsm__json_schema_error(err, v, "'%s' must be a name", m->key);
            if (!(x->sym[m->type == M_SYM0 ? 0 : 1] = itsm__intern(eng, v->u.str.s, v->u.str.len)))
                return ITSM_ENOMEM;
            break;
        case M_LIST:
            if (v->type != ITSM__JARRAY || v->u.arr.n > ITSM__XSYMS - 2)
                return itsm__json_schema_error(err, v, "'%s' must be a list of at most 4 names", m->key);
            for (size_t i = 0; i < v->u.arr.n; i++) {
                const itsm__jval *e = &v->u.arr.items[i];
                if (e->type != ITSM__JSTRING || !sym_valid(e->u.str.s, e->u.str.len))
                    return itsm__json_schema_error(err, e, "'%s' must be a list of names", m->key);
                if (!(x->sym[2 + x->nsym++] = itsm__intern(eng, e->u.str.s, e->u.str.len)))
                    return ITSM_ENOMEM;
            }
            break;
        case M_TEXT:
            if (v->type != ITSM__JSTRING || !v->u.str.len || v->u.str.len > ITSM_MAX_TEXT ||
                !itsm__utf8_valid(v->u.str.s, v->u.str.len))
                return itsm__json_schema_error(err, v, "'%s' must be 1..65536 bytes of UTF-8", m->key);
            if (!(x->text = itsm__strndup(&eng->alloc, v->u.str.s, v->u.str.len)))
                return ITSM_ENOMEM;
            break;
        }
    }
    if ((cls == ITSM__X_WARNING || cls == ITSM__X_BREACH) &&
        strcmp(x->sym[0], "response") != 0 && strcmp(x->sym[0], "resolution") != 0 && strcmp(x->sym[0], "ola") != 0)
        return itsm__json_schema_error(err, root, "unknown timer '%.40s'", x->sym[0]);
    if (cls == ITSM__X_OUTAGE && !ev->rec->sla)
        return itsm__json_schema_error(err, root, "an outage needs an incident or request");
    return ITSM_OK;
}

static int timer_index(const char *s)
{
    if (!s) return -1;
    if (strcmp(s, "response") == 0) return ITSM__CK_RESPONSE;
    if (strcmp(s, "resolution") == 0) return ITSM__CK_RESOLUTION;
    if (strcmp(s, "ola") == 0) return ITSM__CK_OLA;
    return -1;
}

static void xapply(itsm_engine *eng, itsm_event *ev)
{
    itsm__xev *x = ev->ext;
    itsm_record *r = ev->rec;
    itsm__slarec *s = r->sla;
    if (!s)
        return;
    int ck;
    switch (x->cls) {
    case ITSM__X_WARNING:
        if ((ck = timer_index(x->sym[0])) >= 0 && s->ck[ck].warned < 255)
            s->ck[ck].warned++;
        break;
    case ITSM__X_BREACH:
        if ((ck = timer_index(x->sym[0])) >= 0)
            s->ck[ck].breached = 1;
        break;
    case ITSM__X_OVERDUE:
        s->flags |= ITSM__SF_NU_OVERDUE;
        break;
    case ITSM__X_AC_BLOCKED:
        s->flags |= ITSM__SF_AC_BLOCKED;
        break;
    case ITSM__X_SLA_SET:
        s->sla_ovr = (uint8_t)(x->sym[0] ? itsm__sla_find(eng->policy->sl, x->sym[0]) + 1 : 0);
        break;
    case ITSM__X_MAJ_PROPOSED:
        /* The breadth rule fires once per run of open incidents on a service. */
        if (x->sym[0] && strcmp(x->sym[0], "breadth") == 0 && eng->sla) {
            uint32_t slot = itsm__svc_find(eng->sla, STR(r, ITSM_F_SERVICE));
            if (slot != ITSM__NIL)
                eng->sla->svc[slot].proposed = 1;
        }
        s->flags |= ITSM__SF_MAJ_PROPOSED;
        s->flags &= (uint16_t)~ITSM__SF_MAJ_REJECTED;
        break;
    case ITSM__X_MAJ_DECIDED:
        if (x->num) {
            s->major_at = ev->at;
            s->flags &= (uint16_t)~(ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_GROUPS | ITSM__SF_MAJ_COMMS_MISSED |
                                    ITSM__SF_MAJ_GROUPS_MISSED);
        } else {
            s->flags |= ITSM__SF_MAJ_REJECTED;
        }
        s->flags &= (uint16_t)~ITSM__SF_MAJ_PROPOSED;
        break;
    case ITSM__X_MAJ_COMMS:
        s->flags |= ITSM__SF_MAJ_COMMS;
        break;
    case ITSM__X_MAJ_GROUPS:
        s->flags |= ITSM__SF_MAJ_GROUPS;
        break;
    case ITSM__X_MAJ_MISSED:
        s->flags |= strcmp(x->sym[0], "communication") == 0 ? ITSM__SF_MAJ_COMMS_MISSED : ITSM__SF_MAJ_GROUPS_MISSED;
        break;
    case ITSM__X_OUTAGE: {
        itsm__slaeng *se = eng->sla;
        s->flags |= ITSM__SF_OUTAGE;
        se->outages[se->noutages].service = x->sym[0];
        se->outages[se->noutages++].rec = r;
        break;
    }
    case ITSM__X_OUTAGE_END: {
        itsm__slaeng *se = eng->sla;
        s->flags &= (uint16_t)~ITSM__SF_OUTAGE;
        for (size_t i = 0; i < se->noutages; i++)
            if (se->outages[i].rec == r) {
                memmove(&se->outages[i], &se->outages[i + 1], (se->noutages - i - 1) * sizeof *se->outages);
                se->noutages--;
                break;
            }
        break;
    }
    default:
        break;
    }
}

static const char *const k_sla_warning[] = { "timer", "level", "due", "audience", NULL };
static const char *const k_sla_breach[] = { "timer", "due", "audience", NULL };
static const char *const k_escalation_step[] = { "level", "audience", "reason", "note", NULL };
static const char *const k_functional_escalation[] = { "level", "group", "tried", NULL };
static const char *const k_update_overdue[] = { "due", "audience", NULL };
static const char *const k_auto_close_blocked[] = { "reason", NULL };
static const char *const k_sla_assigned[] = { "sla", NULL };
static const char *const k_major_proposed[] = { "reason", "note", NULL };
static const char *const k_major_decided[] = { "accepted", "manager", NULL };
static const char *const k_major_communication_issued[] = { NULL };
static const char *const k_major_groups_engaged[] = { "groups", NULL };
static const char *const k_major_deadline_missed[] = { "deadline", "due", NULL };
static const char *const k_outage_declared[] = { "service", "expected_restoration", "next_update", NULL };
static const char *const k_outage_ended[] = { "service", NULL };

const itsm__evclass itsm__xclasses[ITSM__X_COUNT] = {
    [ITSM__X_WARNING] = { "sla_warning", k_sla_warning, xwrite, xread, xapply, xdispose },
    [ITSM__X_BREACH] = { "sla_breach", k_sla_breach, xwrite, xread, xapply, xdispose },
    [ITSM__X_STEP] = { "escalation_step", k_escalation_step, xwrite, xread, xapply, xdispose },
    [ITSM__X_FUNCTIONAL] = { "functional_escalation", k_functional_escalation, xwrite, xread, xapply, xdispose },
    [ITSM__X_OVERDUE] = { "update_overdue", k_update_overdue, xwrite, xread, xapply, xdispose },
    [ITSM__X_AC_BLOCKED] = { "auto_close_blocked", k_auto_close_blocked, xwrite, xread, xapply, xdispose },
    [ITSM__X_SLA_SET] = { "sla_assigned", k_sla_assigned, xwrite, xread, xapply, xdispose },
    [ITSM__X_MAJ_PROPOSED] = { "major_proposed", k_major_proposed, xwrite, xread, xapply, xdispose },
    [ITSM__X_MAJ_DECIDED] = { "major_decided", k_major_decided, xwrite, xread, xapply, xdispose },
    [ITSM__X_MAJ_COMMS] = { "major_communication_issued", k_major_communication_issued, xwrite, xread, xapply, xdispose },
    [ITSM__X_MAJ_GROUPS] = { "major_groups_engaged", k_major_groups_engaged, xwrite, xread, xapply, xdispose },
    [ITSM__X_MAJ_MISSED] = { "major_deadline_missed", k_major_deadline_missed, xwrite, xread, xapply, xdispose },
    [ITSM__X_OUTAGE] = { "outage_declared", k_outage_declared, xwrite, xread, xapply, xdispose },
    [ITSM__X_OUTAGE_END] = { "outage_ended", k_outage_ended, xwrite, xread, xapply, xdispose },
};

itsm_event *itsm__xev_add(itsm_engine *eng, int cls, itsm_record *r, itsm_time at, itsm__xev **payload)
{
    itsm__xev *x = xnew(eng, cls);
    if (!x) {
        itsm__oom(eng);
        return NULL;
    }
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return NULL;
    }
    ev->cls = &itsm__xclasses[cls];
    ev->ext = x;
    *payload = x;
    return ev;
}

/* ---- derived events of a live batch ---- */

static const char *view_str(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return itsm__fields[f].type == ITSM_TYPE_TEXT ? (ev->applied ? c->str : c->owned) : c->str;
    return r->str[SLOT(f)];
}

static int64_t view_num(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    return c ? c->num : r->num[SLOT(f)];
}

int itsm__has_knowledge_link(const itsm_record *r);
int itsm__has_knowledge_link(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->nlinks; i++)
        if (r->links[i].kind == ITSM_LINK_RELATED && r->links[i].target->kind == ITSM_KIND_KNOWLEDGE)
            return 1;
    return 0;
}

static itsm_record *outage_for(const itsm_engine *eng, const char *service)
{
    if (!eng->sla || !service)
        return NULL;
    for (size_t i = 0; i < eng->sla->noutages; i++)
        if (eng->sla->outages[i].service == service)   /* interned */
            return eng->sla->outages[i].rec;
    return NULL;
}

static int major_decided(const itsm_record *r, const itsm_event *ev)
{
    uint16_t fl = r->sla ? r->sla->flags : 0;
    return (r->sla && r->sla->major_at != ITSM_TIME_NONE) || (fl & (ITSM__SF_MAJ_PROPOSED | ITSM__SF_MAJ_REJECTED)) ||
           (ev ? view_num(r, ev, ITSM_F_MAJOR) : r->num[SLOT(ITSM_F_MAJOR)]);
}

static int in_batch(const itsm_engine *eng, size_t upto, int cls, const itsm_record *r)
{
    for (size_t i = 0; i < upto; i++) {
        const itsm_event *e = &eng->batch[i];
        if (e->rec == r && e->type == ITSM__EV_EXT && e->ext && ((itsm__xev *)e->ext)->cls == cls)
            return 1;
    }
    return 0;
}

int itsm__sla_extend(itsm_engine *eng)
{
    const itsm__slapol *sp = eng->policy->sl;
    size_t n0 = eng->nbatch;
    int rc = ITSM_OK;
    /* An open event is added without its record, so the record does not
     * count it yet: count it, so derived events get the next revisions.
     * The same pass looks for an event the rules below can act on (a
     * superset of their conditions): most batches have none. */
    int derives = 0;
    for (size_t i = 0; i < n0; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (ev->type == ITSM__EV_OPEN && r->pending == 0)
            r->pending = 1;
        if (!r || r->kind != ITSM_KIND_INCIDENT)
            continue;
        if (ev->type == ITSM__EV_OPEN ||
            (ev->type != ITSM__EV_EXT && ((sp->major_priority && itsm__ev_has(ev, ITSM_F_PRIORITY)) ||
                                          (sp->major_breadth && itsm__ev_has(ev, ITSM_F_SERVICE)))) ||
            (ev->type == ITSM__EV_TRANSITION && itsm__state_is_stop(eng, r, ev->to_state) &&
             !itsm__state_is_stop(eng, r, r->state)))
            derives = 1;
    }
    if (!derives)
        return itsm__sla_reserve(eng);
    for (size_t i = 0; i < n0 && !rc; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (!r || r->kind != ITSM_KIND_INCIDENT)
            continue;
        if (ev->type == ITSM__EV_OPEN) {
            /* Routing: first time right. */
            const char *svc = view_str(r, ev, ITSM_F_SERVICE);
            if (!itsm__ev_has(ev, ITSM_F_ASSIGNMENT_GROUP) && sp->nroutes) {
                const char *g = itsm_policy_route(eng->policy, view_str(r, ev, ITSM_F_CATEGORY), svc);
                if (g) {
                    itsm__change *c = itsm__ev_change(ev, ITSM_F_ASSIGNMENT_GROUP);
                    if (!c)
                        return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
                    if (!(c->str = itsm__intern(eng, g, strlen(g))))
                        return itsm__oom(eng);
                }
            }
            /* A known outage on the service: link the new incident to it. */
            itsm_record *o = outage_for(eng, svc);
            if (o) {
                size_t ia = eng->nbatch;
                itsm_time at = ev->at;
                if (!itsm__batch_add(eng, ITSM__EV_LINK, r, at) || !itsm__batch_add(eng, ITSM__EV_LINK, o, at))
                    return ITSM_ENOMEM;
                ev = &eng->batch[i];   /* the batch may have moved */
                itsm_event *a = &eng->batch[ia], *b = &eng->batch[ia + 1];
                a->link_kind = ITSM_LINK_RELATED;
                a->target = o;
                b->link_kind = ITSM_LINK_RELATED;
                b->target = r;
                if ((rc = itsm__reserve_link(eng, r)) || (rc = itsm__reserve_link(eng, o)))
                    return rc;
            }
        }
        if (!r->sla && ev->type != ITSM__EV_OPEN)
            continue;
        /* Major incident by rule: priority at or above the threshold. */
        if (sp->major_priority && ev->type != ITSM__EV_EXT && itsm__ev_has(ev, ITSM_F_PRIORITY)) {
            int64_t p = view_num(r, ev, ITSM_F_PRIORITY);
            uint16_t fl = r->sla ? r->sla->flags : 0;
            int decided = (r->sla && r->sla->major_at != ITSM_TIME_NONE) ||
                          (fl & (ITSM__SF_MAJ_PROPOSED | ITSM__SF_MAJ_REJECTED)) || view_num(r, ev, ITSM_F_MAJOR);
            /* Not for a step that closes the record (canceled with impact 1):
             * a closed record cannot be proposed by hand either. */
            int st = ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_TRANSITION ? ev->to_state : r->state;
            int closes = itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), st);
            if (p >= 1 && p <= sp->major_priority && !decided && !closes &&
                !in_batch(eng, eng->nbatch, ITSM__X_MAJ_PROPOSED, r)) {
                itsm__xev *x;
                if (!itsm__xev_add(eng, ITSM__X_MAJ_PROPOSED, r, ev->at, &x))
                    return ITSM_ENOMEM;
                ev = &eng->batch[i];
                if (!(x->sym[0] = itsm__intern(eng, "priority", 8)))
                    return itsm__oom(eng);
            }
        }
        /* Major incident by rule: impact breadth. An incident that joins a
         * service's open incidents (opened on it, or moved to it, and open
         * and not in a stop state after the event: a resolved incident
         * moved onto a service does not join) and brings their count to
         * the threshold proposes the incident that started the run (the
         * first still open; else itself), once per run. */
        if (sp->major_breadth && ev->type != ITSM__EV_EXT &&
            (ev->type == ITSM__EV_OPEN || itsm__ev_has(ev, ITSM_F_SERVICE))) {
            const char *svc = view_str(r, ev, ITSM_F_SERVICE);
            uint32_t slot = itsm__svc_find(eng->sla, svc);
            const itsm__svccount *c = slot != ITSM__NIL ? &eng->sla->svc[slot] : NULL;
            int st = ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_TRANSITION ? ev->to_state : r->state;
            int live = !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), st) && !itsm__state_is_stop(eng, r, st);
            int joins = svc && live && (!r->sla || r->sla->svc != slot || slot == ITSM__NIL);
            uint32_t count = (c ? c->open : 0) + 1;
            if (joins && !(c && c->proposed) && count >= sp->major_breadth) {
                itsm_record *t = c && c->first != ITSM__NIL ? eng->recs[c->first] : r;
                if (!major_decided(t, t == r ? ev : NULL) && !in_batch(eng, eng->nbatch, ITSM__X_MAJ_PROPOSED, t)) {
                    itsm__xev *x;
                    char note[320];
                    snprintf(note, sizeof note, "%lu open incidents on %.255s", (unsigned long)count, svc);
                    if (!itsm__xev_add(eng, ITSM__X_MAJ_PROPOSED, t, ev->at, &x))
                        return ITSM_ENOMEM;
                    ev = &eng->batch[i];
                    if (!(x->sym[0] = itsm__intern(eng, "breadth", 7)) || !(x->text = itsm__strdup(&eng->alloc, note)))
                        return itsm__oom(eng);
                }
            }
        }
        if (ev->type != ITSM__EV_TRANSITION || !itsm__state_is_stop(eng, r, ev->to_state) ||
            itsm__state_is_stop(eng, r, r->state))
            continue;
        /* Resolving an accepted major incident resolves its children. */
        if (!view_num(r, ev, ITSM_F_MAJOR))
            continue;
        const char *code = view_str(r, ev, ITSM_F_RESOLUTION_CODE);
        const char *notes = view_str(r, ev, ITSM_F_RESOLUTION_NOTES);
        const char *evname = ev->ev_name;
        itsm_time at = ev->at;
        for (uint32_t l = 0; l < r->nlinks && !rc; l++) {
            if (r->links[l].kind != ITSM_LINK_CHILD)
                continue;
            itsm_record *ch = (itsm_record *)(uintptr_t)r->links[l].target;
            const itsm__lifecycle *lc = itsm__lifecycle_of(eng, ch->kind);
            if (itsm__lc_is_closed(lc, ch->state) || itsm__state_is_stop(eng, ch, ch->state))
                continue;   /* already resolved or closed */
            /* The policy's parent_resolved step where the child's state has
             * one (the default lifecycle: from every open state), else the
             * parent's own event. */
            const char *name = "parent_resolved";
            int e = itsm__lc_event(lc, name);
            if (e < 0 || !itsm__lc_find(lc, ch->state, e)) {
                name = evname;
                e = itsm__lc_event(lc, name);
            }
            if (e < 0 || !itsm__lc_find(lc, ch->state, e))
                continue;
            itsm_change chg[2] = { { ITSM_F_RESOLUTION_CODE, code, 0 }, { ITSM_F_RESOLUTION_NOTES, notes, 0 } };
            rc = itsm__batch_fire(ch, name, chg, 2, at);
        }
    }
    /* Resolution and knowledge: resolving an incident whose knowledge
     * decision is unset records, in the same step, what knowledge it
     * matched: linked (an article is linked), matched (an article matches),
     * or candidate (none: the resolution should become knowledge). Children
     * resolved with their parent above are covered too. */
    for (size_t i = 0; sp->knowledge_candidate && i < eng->nbatch && !rc; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (!r || r->kind != ITSM_KIND_INCIDENT || ev->type != ITSM__EV_TRANSITION ||
            !itsm__state_is_stop(eng, r, ev->to_state) || itsm__state_is_stop(eng, r, r->state) ||
            view_str(r, ev, ITSM_F_KNOWLEDGE_DECISION))
            continue;
        const char *d = itsm__knowledge_classify(eng, r);
        if (!d)
            return itsm__oom(eng);
        itsm__change *c = itsm__ev_change(ev, ITSM_F_KNOWLEDGE_DECISION);
        if (!c)
            return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
        if (!(c->str = itsm__intern(eng, d, strlen(d))))
            return itsm__oom(eng);
    }
    if (rc)
        return rc;
    return itsm__sla_reserve(eng);
}
