/* SPDX-License-Identifier: Apache-2.0 */
/* The event classes of service levels and of the capabilities built on
 * them (escalation, major incidents, communication, closure).
 *
 * Every class shares one payload (itsm__xev) and one table-driven JSON
 * form: each member is a number, a boolean, a time, a symbol, a list of
 * symbols or a text. */
#include "major/engaged.h"
#include "sla/sla_int.h"
#include "core/core.h"
#include "core/batch.h"
#include "kit/json.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

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
    [ITSM__X_AGR_WARNING] = { "agreement_warning",
        { { "agreement", M_SYM0, 1 }, { "level", M_NUM, 1 }, { "due", M_T1, 0 }, { "audience", M_LIST, 0 } },
        { "agreement", "level", "due", "audience", NULL } },
    [ITSM__X_AGR_BREACH] = { "agreement_breach",
        { { "agreement", M_SYM0, 1 }, { "level", M_NUM, 1 }, { "due", M_T1, 0 }, { "audience", M_LIST, 0 } },
        { "agreement", "level", "due", "audience", NULL } },
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

/* Names in the payload are symbols: checked as every symbol is. */
static int sym_valid(const char *s, size_t n)
{
    itsm__errbuf e;
    return itsm__check_symbol(&e, "name", NULL, s, n) == ITSM_OK;
}

static void xdispose(itsm_engine *eng, itsm_event *ev)
{
    itsm__xev *x = ev->ext;
    if (!x)
        return;
    if (x->text)   /* most payloads carry none: no call */
        itsm__free(&eng->alloc, x->text);
    itsm__slaeng *se = itsm__se(eng);
    if (se && se->nxfree < sizeof se->xfree / sizeof se->xfree[0])
        se->xfree[se->nxfree++] = x;
    else
        itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static itsm__xev *xnew(itsm_engine *eng, int cls)
{
    itsm__slaeng *se = itsm__se(eng);
    itsm__xev *x;
    if (se && se->nxfree)
        x = se->xfree[--se->nxfree];
    else
        x = itsm__malloc(&eng->alloc, sizeof *x);
    if (x)
        *x = (itsm__xev){ .cls = cls, .t1 = ITSM_TIME_NONE, .t2 = ITSM_TIME_NONE };
    return x;
}

/* The clock whose name the `n` bytes at `s` are (exactly), or -1. */
static int clock_named(const char *s, size_t n)
{
    switch (n) {
    case 3: return memcmp(s, "ola", 3) == 0 ? ITSM__CK_OLA : -1;
    case 8: return memcmp(s, "response", 8) == 0 ? ITSM__CK_RESPONSE : -1;
    case 10: return memcmp(s, "resolution", 10) == 0 ? ITSM__CK_RESOLUTION : -1;
    default: return -1;
    }
}

/* A refusal: the message at the value `at` when reading the tree (err),
 * none when reading the binary replay's members (it reads the event again
 * as a tree, which says what is wrong). */
#define REFUSE(at, ...) (err ? itsm__json_schema_error(err, (at), __VA_ARGS__) : ITSM_EPARSE)

/* A name of the payload: from the tree, checked and interned; from the
 * binary replay's members, through its symbols met before (the same
 * check). NULL when it is no symbol, or on ENOMEM (*oom). */
static const char *xsym(itsm_engine *eng, const char *s, size_t n, int bin, int *oom)
{
    const char *sym;
    if (bin)
        return itsm__replay_symbol(eng, s, n);
    if (!sym_valid(s, n))
        return NULL;
    if (!(sym = itsm__intern(eng, s, n)))
        *oom = 1;
    return sym;
}

/* The payload from its members as xdesc lists them: vals[i] is d->m[i]'s
 * (type -1: absent). From the tree (xread: jv[i] its value, err for the
 * message) or from the binary replay's members (xread_members: jv and err
 * NULL, times and names through the replay's caches): one reading, so the
 * two accept the same and make the same payload. */
static int xread_vals(itsm_engine *eng, itsm_event *ev, const itsm__evmember *vals, const itsm__jval *root,
                      const itsm__jval *const *jv, itsm_parse_error *err)
{
    int cls = cls_index(ev), bin = !jv, oom = 0;
    /* A clock's warning or breach names its clock: found by its bytes and
     * taken as the engine interned it once (the same symbol), without the
     * symbol check and the symbol table's look-up; anything else by them. */
    int names_clock = cls == ITSM__X_WARNING || cls == ITSM__X_BREACH, clock_known = 0;
    const xdesc *d = &descs[cls];
    itsm__xev *x = xnew(eng, cls);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    for (int i = 0; d->m[i].key; i++) {
        const xmember *m = &d->m[i];
        const itsm__evmember *v = &vals[i];
        const itsm__jval *at = jv ? jv[i] : NULL;
        if (v->type < 0) {
            if (m->required)
                return REFUSE(root, "%s event needs '%s'", d->name, m->key);
            continue;
        }
        switch (m->type) {
        case M_NUM:
            if (v->type != ITSM__JNUMBER || v->i < 0 || v->i > 1000000)
                return REFUSE(at, "'%s' must be a whole number", m->key);
            x->num = v->i;
            break;
        case M_BOOL:
            if (v->type != ITSM__JTRUE && v->type != ITSM__JFALSE)
                return REFUSE(at, "'%s' must be true or false", m->key);
            x->num = v->type == ITSM__JTRUE;
            break;
        case M_T1:
        case M_T2: {
            itsm_time t;
            if (v->type != ITSM__JSTRING ||
                (bin ? itsm__replay_time(eng, v->s, v->n, &t) : itsm__time_parse(v->s, v->n, &t) != ITSM_OK))
                return REFUSE(at, "'%s' must be a time", m->key);
            if (m->type == M_T1) x->t1 = t; else x->t2 = t;
            break;
        }
        case M_SYM0:
        case M_SYM1: {
            int ck = names_clock && m->type == M_SYM0 && v->type == ITSM__JSTRING ? clock_named(v->s, v->n) : -1;
            if (ck >= 0) {
                if (!(x->sym[0] = itsm__timer_sym(eng, ck)))
                    return ITSM_ENOMEM;
                clock_known = 1;
                break;
            }
            const char *sym = v->type == ITSM__JSTRING ? xsym(eng, v->s, v->n, bin, &oom) : NULL;
            if (!sym)
                return oom ? ITSM_ENOMEM : REFUSE(at, "'%s' must be a name", m->key);
            x->sym[m->type == M_SYM0 ? 0 : 1] = sym;
            break;
        }
        case M_LIST:
            if (v->type != ITSM__JARRAY || v->n > ITSM__XSYMS - 2)
                return REFUSE(at, "'%s' must be a list of at most 4 names", m->key);
            for (size_t k = 0; k < v->n; k++) {
                const itsm__evmember *e = &v->items[k];
                const char *sym = e->type == ITSM__JSTRING ? xsym(eng, e->s, e->n, bin, &oom) : NULL;
                if (!sym)
                    return oom ? ITSM_ENOMEM : REFUSE(at ? &at->u.arr.items[k] : NULL, "'%s' must be a list of names", m->key);
                x->sym[2 + x->nsym++] = sym;
            }
            break;
        case M_TEXT:
            if (v->type != ITSM__JSTRING || !v->n || v->n > ITSM_MAX_TEXT || !itsm__utf8_valid(v->s, v->n))
                return REFUSE(at, "'%s' must be 1..65536 bytes of UTF-8", m->key);
            if (!(x->text = itsm__strndup(&eng->alloc, v->s, v->n)))
                return ITSM_ENOMEM;
            break;
        }
    }
    if (names_clock && !clock_known &&
        strcmp(x->sym[0], "response") != 0 && strcmp(x->sym[0], "resolution") != 0 && strcmp(x->sym[0], "ola") != 0)
        return REFUSE(root, "unknown timer '%.40s'", x->sym[0]);
    if ((cls == ITSM__X_AGR_WARNING || cls == ITSM__X_AGR_BREACH) &&
        (!itsm__sr(ev->rec) || itsm__agr_find(itsm__sl(eng->policy), x->sym[0]) < 0))
        return REFUSE(root, "the policy has no agreement '%.63s'", x->sym[0]);
    if (cls == ITSM__X_OUTAGE && !itsm__sr(ev->rec))
        return REFUSE(root, "an outage needs an incident or request");
    return ITSM_OK;
}

/* A tree value as xread_vals takes it: a list's first items into items[]
 * (more than it takes are refused before they are read). */
static void xval_of(const itsm__jval *j, itsm__evmember *v, itsm__evmember items[ITSM__XSYMS - 2])
{
    *v = (itsm__evmember){ .type = (int)j->type };
    switch (j->type) {
    case ITSM__JNUMBER:
        if (!j->u.num.is_int)
            v->type = ITSM__JOBJECT;   /* a number not whole: no member takes it, as an object */
        v->i = j->u.num.i;
        break;
    case ITSM__JSTRING:
        v->s = j->u.str.s;
        v->n = j->u.str.len;
        break;
    case ITSM__JARRAY:
        v->n = j->u.arr.n;
        v->items = items;
        for (size_t k = 0; k < j->u.arr.n && k < ITSM__XSYMS - 2; k++)
            xval_of(&j->u.arr.items[k], &items[k], NULL);
        break;
    default:
        break;
    }
}

static int xread(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    const xdesc *d = &descs[cls_index(ev)];
    itsm__evmember vals[5], items[5][ITSM__XSYMS - 2];
    const itsm__jval *jv[5];
    for (int i = 0; d->m[i].key; i++)
        if ((jv[i] = itsm__json_get(root, d->m[i].key)))
            xval_of(jv[i], &vals[i], items[i]);
        else
            vals[i].type = -1;
    return xread_vals(eng, ev, vals, root, jv, err);
}

/* The binary replay's members, m[i] the one keys[i] names: the class's
 * keys are its xdesc's (itsm__xclasses below), in their order. */
static int xread_members(itsm_engine *eng, itsm_event *ev, const itsm__evmember *m)
{
    return xread_vals(eng, ev, m, NULL, NULL, NULL) ? -1 : 0;
}

/* Clock `ck`'s name, interned in this engine once and kept (symbols live
 * as long as the engine): applying the event compares it by pointer. NULL
 * on ENOMEM. */
const char *itsm__timer_sym(itsm_engine *eng, int ck)
{
    itsm__slaeng *se = itsm__se(eng);
    if (!se->ck_sym[ck])
        se->ck_sym[ck] = itsm__intern_literal(eng, itsm__timer_name(ck));
    return se->ck_sym[ck];
}

/* The clock a warning or breach names: by pointer when the tick made it
 * (interned by itsm__timer_sym), else by name. */
static int timer_index_by_name(const char *s);

/* Inline: every warning and breach applied asks. */
static inline int timer_index(const itsm__slaeng *se, const char *s)
{
    if (!s) return -1;
    for (int ck = 0; ck < ITSM__NCK; ck++)
        if (s == se->ck_sym[ck])
            return ck;
    return timer_index_by_name(s);
}

static int timer_index_by_name(const char *s)
{
    if (strcmp(s, "response") == 0) return ITSM__CK_RESPONSE;
    if (strcmp(s, "resolution") == 0) return ITSM__CK_RESOLUTION;
    if (strcmp(s, "ola") == 0) return ITSM__CK_OLA;
    return -1;
}

static void xapply(itsm_engine *eng, itsm_event *ev)
{
    itsm__xev *x = ev->ext;
    itsm_record *r = ev->rec;
    itsm__slarec *s = itsm__sr(r);
    if (!s)
        return;
    int ck;
    /* a clock's warning or breach first: every fired timer applies one */
    if (x->cls == ITSM__X_WARNING || x->cls == ITSM__X_BREACH) {
        if ((ck = timer_index(itsm__se(eng), x->sym[0])) < 0)
            return;
        if (x->cls == ITSM__X_BREACH)
            s->ck[ck].breached |= ITSM__CB_FIRED;
        else if (s->ck[ck].warned < 255)
            s->ck[ck].warned++;
        return;
    }
    switch (x->cls) {
    case ITSM__X_OVERDUE:
        s->flags |= ITSM__SF_NU_OVERDUE;
        break;
    case ITSM__X_AC_BLOCKED:
        s->flags |= ITSM__SF_AC_BLOCKED;
        break;
    case ITSM__X_SLA_SET:
        itsm__sla_set_by_hand(eng, ev, s, x->sym[0] ? itsm__sla_find(itsm__sl(itsm__rec_policy(ev->rec)), x->sym[0]) + 1 : 0);
        break;
    case ITSM__X_MAJ_PROPOSED:
        /* The breadth rule fires once per run of open incidents on a service. */
        if (x->sym[0] && strcmp(x->sym[0], "breadth") == 0 && itsm__se(eng)) {
            uint32_t slot = itsm__svc_find(itsm__se(eng), STR(r, ITSM_F_SERVICE));
            if (slot != ITSM__NIL)
                itsm__se(eng)->svc[slot].proposed = 1;
        }
        s->flags |= ITSM__SF_MAJ_PROPOSED;
        s->flags &= ~ITSM__SF_MAJ_REJECTED;
        break;
    case ITSM__X_MAJ_DECIDED:
        if (x->num) {
            s->major_at = s->desk_at != ITSM_TIME_NONE ? s->desk_at : ev->at;
            s->flags &= ~(ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_GROUPS | ITSM__SF_MAJ_COMMS_MISSED |
                                    ITSM__SF_MAJ_GROUPS_MISSED);
        } else {
            s->flags |= ITSM__SF_MAJ_REJECTED;
            /* Not a major incident: a desk handover before it led nowhere,
             * and one that comes if it becomes one starts its phase. */
            s->desk_at = ITSM_TIME_NONE;
        }
        s->flags &= ~ITSM__SF_MAJ_PROPOSED;
        break;
    case ITSM__X_MAJ_COMMS:
    case ITSM__X_MAJ_GROUPS:
        /* the first time counts: a later communication or group is not
         * the one the deadline waited for */
        if (!(s->flags & (x->cls == ITSM__X_MAJ_GROUPS ? ITSM__SF_MAJ_GROUPS : ITSM__SF_MAJ_COMMS)))
            itsm__major_done(r, s, x->cls == ITSM__X_MAJ_GROUPS, ev->at);
        if (x->cls == ITSM__X_MAJ_GROUPS)
            itsm__major_engaged_apply(eng, ev);   /* the groups listed (major/engaged.c) */
        break;
    case ITSM__X_MAJ_MISSED:
        s->flags |= strcmp(x->sym[0], "communication") == 0 ? ITSM__SF_MAJ_COMMS_MISSED : ITSM__SF_MAJ_GROUPS_MISSED;
        break;
    case ITSM__X_OUTAGE: {
        itsm__slaeng *se = itsm__se(eng);
        s->flags |= ITSM__SF_OUTAGE;
        /* The notice is a customer communication, as a customer update is
         * (seed 002): its next update a promise; on an accepted major
         * incident, its initial communication (seed 001). */
        itsm__customers_told(r, s, ev->at, x->t1, x->t2);
        se->outages[se->noutages].service = x->sym[0];
        se->outages[se->noutages++].rec = r;
        break;
    }
    case ITSM__X_AGR_WARNING:
    case ITSM__X_AGR_BREACH:
        itsm__agr_apply_x(eng, ev, x->cls == ITSM__X_AGR_BREACH);
        break;
    case ITSM__X_OUTAGE_END: {
        itsm__slaeng *se = itsm__se(eng);
        s->flags &= ~ITSM__SF_OUTAGE;
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

/* Each class's keys are its xdesc's, in the order of its members
 * (xread_members takes them so). */
#define XCLASS(c, name) [c] = { name, descs[c].keys, xwrite, xread, xapply, xdispose, xread_members }
const itsm__evclass itsm__xclasses[ITSM__X_COUNT] = {
    XCLASS(ITSM__X_WARNING, "sla_warning"),
    XCLASS(ITSM__X_BREACH, "sla_breach"),
    XCLASS(ITSM__X_STEP, "escalation_step"),
    XCLASS(ITSM__X_FUNCTIONAL, "functional_escalation"),
    XCLASS(ITSM__X_OVERDUE, "update_overdue"),
    XCLASS(ITSM__X_AC_BLOCKED, "auto_close_blocked"),
    XCLASS(ITSM__X_SLA_SET, "sla_assigned"),
    XCLASS(ITSM__X_MAJ_PROPOSED, "major_proposed"),
    XCLASS(ITSM__X_MAJ_DECIDED, "major_decided"),
    XCLASS(ITSM__X_MAJ_COMMS, "major_communication_issued"),
    XCLASS(ITSM__X_MAJ_GROUPS, "major_groups_engaged"),
    XCLASS(ITSM__X_MAJ_MISSED, "major_deadline_missed"),
    XCLASS(ITSM__X_OUTAGE, "outage_declared"),
    XCLASS(ITSM__X_OUTAGE_END, "outage_ended"),
    XCLASS(ITSM__X_AGR_WARNING, "agreement_warning"),
    XCLASS(ITSM__X_AGR_BREACH, "agreement_breach"),
};
#undef XCLASS

itsm_event *itsm__xev_add(itsm_engine *eng, int cls, itsm_record *r, itsm_time at, itsm__xev **payload)
{
    itsm__xev *x = xnew(eng, cls);
    if (!x) {
        itsm__oom(eng);
        return NULL;
    }
    itsm_event *ev = itsm__batch_add_in(eng, ITSM__EV_EXT, r, at);   /* inline: every fired timer adds one */
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return NULL;
    }
    ev->cls = &itsm__xclasses[cls];
    ev->ext = x;
    *payload = x;
    return ev;
}


/* ---- steps on a record with service levels ---- */

int itsm__xstep_begin(itsm_record *r, itsm_time *at, const char *what)
{
    itsm_engine *eng = r->eng;
    int rc;
    if ((rc = itsm__check_entry(eng)))
        return rc;
    if (!itsm__sr(r))
        return itsm__err(eng, ITSM_ESTATE, "cannot %s %s: only incidents and requests have service levels", what,
                         r->id);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot %s %s: it is %s", what, r->id, lc->states[r->state]);
    return itsm__now(eng, at);
}

int itsm__xstep_one(itsm_record *r, int cls, itsm_time at, itsm_event **ev, itsm__xev **x)
{
    itsm__batch_begin(r->eng);
    *ev = itsm__xev_add(r->eng, cls, r, at, x);
    return *ev ? ITSM_OK : ITSM_ENOMEM;
}

int itsm__xstep_fail(itsm_engine *eng, int rc)
{
    itsm__batch_abort(eng);
    return rc;
}
