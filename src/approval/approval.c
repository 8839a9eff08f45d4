/* SPDX-License-Identifier: Apache-2.0 */
/* Approvals (itsm/approval.h): the rule that applies, the tally of a
 * level, the decisions as events, rounds, and the guard "approved:...". */
#include "approval/approval_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/value.h"
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

#define STR(r, ev, f) itsm__view_str((r), (ev), (f))

/* ---- engine state ---- */

static int engine_init(itsm_engine *eng)
{
    itsm__ap *ap = itsm__calloc(&eng->alloc, 1, sizeof *ap);
    if (!ap)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&ap->recs);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        if (itsm__ap_kind_has_rules(itsm__ap_policy_of(eng->policy), k))
            ap->kinds |= 1u << k;
    eng->cap[ITSM__CAP_APPROVALS] = ap;
    return ITSM_OK;
}

static void decisions_clear(itsm_engine *eng, itsm__ap_rec *ar)
{
    for (size_t i = 0; i < ar->n; i++)
        itsm__free(&eng->alloc, ar->d[i].comment);
    ar->n = 0;
}

static void rec_free(itsm_engine *eng, itsm__ap_rec *ar)
{
    decisions_clear(eng, ar);
    itsm__free(&eng->alloc, ar->d);
    itsm__free(&eng->alloc, ar);
}

static void engine_free(itsm_engine *eng)
{
    itsm__ap *ap = itsm__ap_of(eng);
    if (!ap)
        return;
    for (size_t i = 0; i < ap->recs.n; i++)
        rec_free(eng, ap->recs.v[i]);
    for (size_t i = 0; i < ap->nspare; i++)
        rec_free(eng, ap->spare[i]);
    itsm__ptrmap_free(&ap->recs, &eng->alloc);
    itsm__free(&eng->alloc, ap->spare);
    itsm__free(&eng->alloc, ap);
    eng->cap[ITSM__CAP_APPROVALS] = NULL;
}

itsm__ap_rec *itsm__ap_rec_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ap *ap = itsm__ap_of(eng);
    return ap && r ? itsm__ptrmap_get(&ap->recs, r) : NULL;
}

/* Room for `k` more records' state, allocated ahead: apply cannot fail. */
static int reserve_recs(itsm_engine *eng, size_t k)
{
    itsm__ap *ap = itsm__ap_of(eng);
    if (itsm__ptrmap_reserve(&ap->recs, &eng->alloc, k) ||
        itsm__grow(&eng->alloc, (void **)&ap->spare, &ap->cspare, k, sizeof *ap->spare))
        return itsm__oom(eng);
    while (ap->nspare < k) {
        itsm__ap_rec *ar = itsm__calloc(&eng->alloc, 1, sizeof *ar);
        if (!ar)
            return itsm__oom(eng);
        ap->spare[ap->nspare++] = ar;
    }
    return ITSM_OK;
}

/* A reserved state for `r`, now in the map. */
static itsm__ap_rec *rec_insert(itsm_engine *eng, const itsm_record *r)
{
    itsm__ap *ap = itsm__ap_of(eng);
    itsm__ap_rec *ar = ap->spare[--ap->nspare];
    memset(ar, 0, sizeof *ar);
    ar->rec = r;
    ar->round_at = ar->decided_at = ITSM_TIME_NONE;
    itsm__ptrmap_put(&ap->recs, ar);
    return ar;
}

/* ---- the rule and the people ---- */

const itsm__ap_rule *itsm__ap_rule_for(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev)
{
    const itsm__ap_policy *ap = itsm__ap_policy_of(eng->policy);
    const char *risk = NULL;
    int risk_known = 0;
    for (size_t i = 0; i < ap->nrules; i++) {
        const itsm__ap_rule *rule = &ap->rules[i];
        if (rule->kind != r->kind)
            continue;
        if (rule->nchange_types) {
            const char *ct = STR(r, ev, ITSM_F_CHANGE_TYPE);
            if (!ct || itsm__strv_find(rule->change_types, rule->nchange_types, ct) < 0)
                continue;
        }
        if (rule->nrisks) {
            if (!risk_known) {
                risk = itsm__risk_level_of(eng, r);
                risk_known = 1;
            }
            if (itsm__strv_find(rule->risks, rule->nrisks, risk ? risk : "none") < 0)
                continue;
        }
        return rule;
    }
    return NULL;
}

/* Who separation of duties excludes, as the step would leave the record. */
typedef struct sod {
    const char *requester, *implementer;
} sod;

static sod sod_of(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const itsm__ap_rule *rule)
{
    sod s = { NULL, NULL };
    if (rule->separation & ITSM_APPROVAL_SOD_REQUESTER) {
        s.requester = STR(r, ev, ITSM_F_CALLER);
        if (!s.requester) {
            const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
            s.requester = ar ? ar->opener : NULL;
        }
    }
    if (rule->separation & ITSM_APPROVAL_SOD_IMPLEMENTER)
        s.implementer = STR(r, ev, ITSM_F_ASSIGNEE);
    return s;
}

/* "requester", "implementer" or NULL. */
static const char *excluded(const sod *s, const char *who)
{
    if (s->requester && strcmp(s->requester, who) == 0)
        return "requester";
    if (s->implementer && strcmp(s->implementer, who) == 0)
        return "implementer";
    return NULL;
}

static long level_index(const itsm__ap_rule *rule, const char *name)
{
    for (size_t i = 0; i < rule->nlevels; i++)
        if (strcmp(rule->levels[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* The named approvers of a level (people, then group members not named),
 * without duplicates. At most 2 * ITSM_APPROVAL_MAX_PEOPLE. */
static size_t level_people(const itsm_engine *eng, const itsm__ap_level *l, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->npeople; i++)
        out[n++] = l->people[i];
    const itsm__ap_group *g = l->group ? itsm__ap_group_find(itsm__ap_policy_of(eng->policy), l->group) : NULL;
    for (size_t i = 0; g && i < g->n; i++)
        if (itsm__strv_find(l->people, l->npeople, g->members[i]) < 0)
            out[n++] = g->members[i];
    return n;
}

/* ---- the tally of one level ---- */

typedef struct tally {
    int         status;         /* itsm_level_status */
    size_t      approvals, rejections, needed;
    size_t      voters;         /* eligible named approvers; 0: open to anyone */
    int         open;           /* open to anyone */
    const char *void_by;        /* a decision that does not count, and why */
    const char *void_role;
    const itsm__ap_decision *rejected_by;   /* the latest rejection */
} tally;

/* The decision `who` took at `level` (approve, reject or delegate), or NULL. */
static const itsm__ap_decision *decision_of(const itsm__ap_rec *ar, const char *level, const char *who)
{
    for (size_t i = ar ? ar->n : 0; i-- > 0;) {
        const itsm__ap_decision *d = &ar->d[i];
        if (strcmp(d->level, level) == 0 && strcmp(d->by, who) == 0)
            return d;
    }
    return NULL;
}

static void tally_level(const itsm_engine *eng, const itsm__ap_rec *ar, const itsm__ap_level *l, const sod *s,
                        tally *t)
{
    memset(t, 0, sizeof *t);
    const char *people[2 * ITSM_APPROVAL_MAX_PEOPLE];
    size_t np = level_people(eng, l, people);
    t->open = np == 0;
    if (t->open) {
        for (size_t i = 0; ar && i < ar->n; i++) {
            const itsm__ap_decision *d = &ar->d[i];
            if (strcmp(d->level, l->name) != 0 || d->verdict == ITSM_VERDICT_DELEGATE)
                continue;
            const char *why = excluded(s, d->by);
            if (why) {
                t->void_by = d->by;
                t->void_role = why;
            } else if (d->verdict == ITSM_VERDICT_APPROVE) {
                t->approvals++;
            } else {
                t->rejections++;
                t->rejected_by = d;
            }
        }
        t->needed = l->mode == ITSM_APPROVAL_QUORUM ? l->quorum : 1;
        t->status = t->approvals >= t->needed ? ITSM_LEVEL_APPROVED
                  : t->rejections ? ITSM_LEVEL_REJECTED : ITSM_LEVEL_PENDING;
        return;
    }
    for (size_t i = 0; i < np; i++) {
        const char *why = excluded(s, people[i]);
        if (why) {   /* not in the electorate: a vote they cast does not count */
            const itsm__ap_decision *own = decision_of(ar, l->name, people[i]);
            if (own && own->verdict != ITSM_VERDICT_DELEGATE) {
                t->void_by = people[i];
                t->void_role = why;
            }
            continue;
        }
        t->voters++;
        const itsm__ap_decision *d = decision_of(ar, l->name, people[i]);
        const char *holder = people[i];
        if (d && d->verdict == ITSM_VERDICT_DELEGATE) {
            holder = d->to;
            d = decision_of(ar, l->name, holder);
            if (d && d->verdict == ITSM_VERDICT_DELEGATE)
                d = NULL;   /* the delegate gave their own vote away: they decide nothing here */
            if ((why = excluded(s, holder))) {
                if (d) {
                    t->void_by = holder;
                    t->void_role = why;
                }
                continue;
            }
        }
        if (!d)
            continue;
        if (d->verdict == ITSM_VERDICT_APPROVE) {
            t->approvals++;
        } else {
            t->rejections++;
            t->rejected_by = d;
        }
    }
    t->needed = l->mode == ITSM_APPROVAL_ALL ? t->voters : l->mode == ITSM_APPROVAL_QUORUM ? l->quorum : 1;
    if (t->needed && t->approvals >= t->needed)
        t->status = ITSM_LEVEL_APPROVED;
    else if (t->needed && t->voters >= t->needed && t->rejections > t->voters - t->needed)
        t->status = ITSM_LEVEL_REJECTED;
    else
        t->status = ITSM_LEVEL_PENDING;
}

/* The rule's status and its first required level not approved (or -1). */
static int rule_status(const itsm_engine *eng, const itsm__ap_rec *ar, const itsm__ap_rule *rule, const sod *s,
                       long *current)
{
    *current = -1;
    if (!rule || !rule->nlevels)
        return ITSM_APPROVAL_NONE;
    if (!ar || ar->round_at == ITSM_TIME_NONE)
        return ITSM_APPROVAL_NOT_STARTED;
    for (size_t i = 0; i < rule->nlevels; i++) {
        if (rule->levels[i].exception)
            continue;
        tally t;
        tally_level(eng, ar, &rule->levels[i], s, &t);
        if (t.status != ITSM_LEVEL_APPROVED) {
            *current = (long)i;
            return t.status == ITSM_LEVEL_REJECTED ? ITSM_APPROVAL_REJECTED : ITSM_APPROVAL_PENDING;
        }
    }
    return ITSM_APPROVAL_APPROVED;
}

int itsm__ap_exception_approved(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                                const char **rule_name, const char **level)
{
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, ev);
    *rule_name = rule ? rule->name : NULL;
    *level = NULL;
    if (!rule)
        return 0;
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    sod s = sod_of(eng, r, ev, rule);
    for (size_t k = 0; k < rule->nlevels; k++) {
        if (!rule->levels[k].exception)
            continue;
        if (!*level)
            *level = rule->levels[k].name;
        tally t;
        if (ar && ar->round_at != ITSM_TIME_NONE) {
            tally_level(eng, ar, &rule->levels[k], &s, &t);
            if (t.status == ITSM_LEVEL_APPROVED)
                return 1;
        }
    }
    return 0;
}

int itsm__ap_lead(const itsm_engine *eng, const itsm_record *r, itsm_time *requested, itsm_time *decided)
{
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (!ar || ar->round_at == ITSM_TIME_NONE || ar->decided_at == ITSM_TIME_NONE)
        return ITSM_ENOTFOUND;
    *requested = ar->round_at;
    *decided = ar->decided_at;
    return ITSM_OK;
}

/* ---- events ---- */

typedef struct ap_ext {
    int         verdict;
    const char *rule, *level, *by, *to;   /* interned */
    char       *comment;                  /* owned until applied */
    const char *shown;                    /* after apply: the round's copy */
} ap_ext;

static const char *const verdict_names[] = { NULL, "approve", "reject", "delegate" };

const char *itsm_approval_verdict_name(itsm_approval_verdict v)
{
    return v >= ITSM_VERDICT_APPROVE && v <= ITSM_VERDICT_DELEGATE ? verdict_names[v] : NULL;
}

static void ext_dispose(itsm_engine *eng, itsm_event *ev)
{
    ap_ext *x = ev->ext;
    if (!x)
        return;
    itsm__free(&eng->alloc, x->comment);
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static void write_ext(const itsm_event *ev, itsm__jw *w)
{
    const ap_ext *x = ev->ext;
    itsm__jw_key(w, "approval");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "rule");
    itsm__jw_str(w, x->rule);
    itsm__jw_key(w, "level");
    itsm__jw_str(w, x->level);
    itsm__jw_key(w, "by");
    itsm__jw_str(w, x->by);
    if (x->verdict == ITSM_VERDICT_DELEGATE) {
        itsm__jw_key(w, "to");
        itsm__jw_str(w, x->to);
    }
    itsm__jw_key(w, "comment");
    itsm__jw_str(w, ev->applied ? x->shown : x->comment);
    itsm__jw_obj_end(w);
}

/* Room in the record's round for one more decision. */
static int reserve_decision(itsm_engine *eng, itsm__ap_rec *ar)
{
    if (itsm__grow(&eng->alloc, (void **)&ar->d, &ar->cap, ar->n + 1, sizeof *ar->d))
        return itsm__oom(eng);
    return ITSM_OK;
}

static int read_ext(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err, int verdict)
{
    static const char *const keys[] = { "rule", "level", "by", "comment", NULL };
    static const char *const dkeys[] = { "rule", "level", "by", "to", "comment", NULL };
    const itsm__jval *a = itsm__json_get(root, "approval");
    if (!a || a->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, a ? a : root, "an approval event needs an 'approval' object");
    int rc = itsm__json_only_keys(a, verdict == ITSM_VERDICT_DELEGATE ? dkeys : keys, "approval", err);
    if (rc)
        return rc;
    ap_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    x->verdict = verdict;
    const char *names[] = { "rule", "level", "by", "to" };
    const char **slots[] = { &x->rule, &x->level, &x->by, &x->to };
    for (int i = 0; i < (verdict == ITSM_VERDICT_DELEGATE ? 4 : 3); i++) {
        const itsm__jval *v = itsm__json_get(a, names[i]);
        itsm__errbuf e;
        int bad = !v || v->type != ITSM__JSTRING ||
                  (i < 2 ? !itsm__pname_okn(v->u.str.s, v->u.str.len)
                         : itsm__check_symbol(&e, "name", NULL, v->u.str.s, v->u.str.len) != ITSM_OK);
        if (bad)
            return itsm__json_schema_error(err, v ? v : a, "'%s' must be %s", names[i],
                                           i < 2 ? "a policy name" : "a person's name");
        if (!(*slots[i] = itsm__intern(eng, v->u.str.s, v->u.str.len)))
            return ITSM_ENOMEM;
    }
    const itsm__jval *c = itsm__json_get(a, "comment");
    if (c && c->type != ITSM__JNULL) {
        itsm__errbuf e;
        if (c->type != ITSM__JSTRING || !c->u.str.len ||
            itsm__check_text(&e, "comment", NULL, c->u.str.s, c->u.str.len) != ITSM_OK)
            return itsm__json_schema_error(err, c, "'comment' must be null or 1..%d bytes of UTF-8", ITSM_MAX_TEXT);
        if (!(x->comment = itsm__strndup(&eng->alloc, c->u.str.s, c->u.str.len)))
            return ITSM_ENOMEM;
    }
    itsm__ap_rec *ar = itsm__ap_rec_of(eng, ev->rec);
    if (!ar) {
        /* A record of a kind this policy has no rule for: it still keeps
         * the decisions its store holds. */
        if (reserve_recs(eng, 1))
            return ITSM_ENOMEM;
        ar = rec_insert(eng, ev->rec);
    }
    return reserve_decision(eng, ar) ? ITSM_ENOMEM : ITSM_OK;
}

static int read_approve(itsm_engine *e, itsm_event *ev, const itsm__jval *r, itsm_parse_error *err)
{
    return read_ext(e, ev, r, err, ITSM_VERDICT_APPROVE);
}
static int read_reject(itsm_engine *e, itsm_event *ev, const itsm__jval *r, itsm_parse_error *err)
{
    return read_ext(e, ev, r, err, ITSM_VERDICT_REJECT);
}
static int read_delegate(itsm_engine *e, itsm_event *ev, const itsm__jval *r, itsm_parse_error *err)
{
    return read_ext(e, ev, r, err, ITSM_VERDICT_DELEGATE);
}

/* The round's outcome follows every decision at a required level: its
 * time when the decision approved or rejected the round, else none. */
static void apply_ext(itsm_engine *eng, itsm_event *ev)
{
    ap_ext *x = ev->ext;
    itsm__ap_rec *ar = itsm__ap_rec_of(eng, ev->rec);
    itsm__ap_decision *d = &ar->d[ar->n++];
    d->verdict = x->verdict;
    d->rule = x->rule;
    d->level = x->level;
    d->by = x->by;
    d->to = x->to;
    d->comment = x->comment;
    d->at = ev->at;
    x->shown = x->comment;   /* the round owns it now */
    x->comment = NULL;
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, ev->rec, ev);
    long k = rule ? level_index(rule, x->level) : -1;
    if (k < 0 || rule->levels[k].exception)
        return;
    sod s = sod_of(eng, ev->rec, ev, rule);
    long cur;
    int st = rule_status(eng, ar, rule, &s, &cur);
    ar->decided_at = st == ITSM_APPROVAL_APPROVED || st == ITSM_APPROVAL_REJECTED ? ev->at : ITSM_TIME_NONE;
}

static const char *const ext_keys[] = { "approval", NULL };

static const itsm__evclass evc_approve = { "approval_approve", ext_keys, write_ext, read_approve, apply_ext,
                                           ext_dispose };
static const itsm__evclass evc_reject = { "approval_reject", ext_keys, write_ext, read_reject, apply_ext,
                                          ext_dispose };
static const itsm__evclass evc_delegate = { "approval_delegate", ext_keys, write_ext, read_delegate, apply_ext,
                                            ext_dispose };

/* ---- rounds: opened by entering the rule's state ---- */

static int reserve(itsm_engine *eng)
{
    unsigned kinds = itsm__ap_of(eng)->kinds;
    size_t k = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        k += ev->type == ITSM__EV_OPEN && (kinds >> ev->rec->kind & 1u);
    }
    return k ? reserve_recs(eng, k) : ITSM_OK;
}

static void after_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    if (!(itsm__ap_of(eng)->kinds >> r->kind & 1u) ||
        (ev->type != ITSM__EV_OPEN && ev->type != ITSM__EV_TRANSITION))
        return;
    itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (ev->type == ITSM__EV_OPEN) {
        if (!ar)
            ar = rec_insert(eng, r);
        ar->opener = ev->actor;
    }
    if (!ar)
        return;   /* replayed onto a record opened under a policy without rules for it */
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, ev);
    if (!rule || !rule->nlevels)
        return;
    const char *state = itsm__lifecycle_of(eng, r->kind)->states[r->state];
    if (ev->type == ITSM__EV_OPEN ? rule->state != NULL : !rule->state || strcmp(rule->state, state) != 0)
        return;
    if (ev->type == ITSM__EV_TRANSITION && strcmp(ev->from_name, ev->to_name) == 0)
        return;   /* a step that stays in the state does not start a new round */
    decisions_clear(eng, ar);   /* a new round */
    ar->round_at = ev->at;
    ar->decided_at = ITSM_TIME_NONE;
}

/* ---- deciding ---- */

static int no_rule(itsm_engine *eng, const itsm_record *r)
{
    const char *ct = r->str[itsm__fields[ITSM_F_CHANGE_TYPE].slot];
    return itsm__err(eng, ITSM_ENOTFOUND, "no approval rule applies to %s %s%s%s", itsm_kind_name((itsm_kind)r->kind),
                     r->id, ct ? " of change type " : "", ct ? ct : "");
}

static int decide(itsm_record *r, int verdict, const char *level, const char *by, const char *to,
                  const char *comment)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    static const itsm_event none;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    const char *iby = NULL, *ito = NULL;
    if ((rc = itsm__symbol_arg(eng, by, "'by' (who decides)", &iby)) ||
        (verdict == ITSM_VERDICT_DELEGATE && (rc = itsm__symbol_arg(eng, to, "'to' (the delegate)", &ito))))
        return rc;
    size_t cn = comment ? strlen(comment) : 0;
    if (cn && (rc = itsm__check_text(&eng->err, "comment", NULL, comment, cn)))
        return rc;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot decide on %s: it is %s", r->id, lc->states[r->state]);
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, &none);
    if (!rule)
        return no_rule(eng, r);
    if (!rule->nlevels)
        return itsm__err(eng, ITSM_ENOTFOUND, "%s needs no approval: approval rule '%s' has no levels", r->id,
                         rule->name);
    itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (!ar || ar->round_at == ITSM_TIME_NONE)
        return itsm__err(eng, ITSM_ESTATE, "approvals for %s open when it enters '%s' (approval rule '%s')", r->id,
                         rule->state ? rule->state : "its initial state", rule->name);
    sod s = sod_of(eng, r, &none, rule);
    long k;
    if (level) {
        if ((k = level_index(rule, level)) < 0)
            return itsm__err(eng, ITSM_ENOTFOUND, "approval rule '%s' has no level '%.63s'", rule->name, level);
    } else if (rule_status(eng, ar, rule, &s, &k) == ITSM_APPROVAL_APPROVED) {
        return itsm__err(eng, ITSM_ESTATE, "every required level of approval rule '%s' is approved for %s%s",
                         rule->name, r->id, "; name an exception level to decide on it");
    }
    const itsm__ap_level *l = &rule->levels[k];
    for (long i = 0; i < k; i++) {
        tally t;
        if (rule->levels[i].exception)
            continue;
        tally_level(eng, ar, &rule->levels[i], &s, &t);
        if (t.status != ITSM_LEVEL_APPROVED)
            return itsm__err(eng, ITSM_ESTATE, "level %ld '%s' of approval rule '%s' waits for level %ld '%s'", k + 1,
                             l->name, rule->name, i + 1, rule->levels[i].name);
    }
    tally t;
    tally_level(eng, ar, l, &s, &t);
    if (t.status != ITSM_LEVEL_PENDING)
        return itsm__err(eng, ITSM_ESTATE, "level '%s' of approval rule '%s' is already %s for %s", l->name,
                         rule->name, t.status == ITSM_LEVEL_APPROVED ? "approved" : "rejected", r->id);
    const char *why = excluded(&s, iby);
    if (why)
        return itsm__err(eng, ITSM_EINVAL, "%.60s cannot decide on %s at level '%s' of approval rule '%s': %.60s "
                         "is the %s (separation of duties)", iby, r->id, l->name, rule->name, iby, why);
    const itsm__ap_decision *mine = decision_of(ar, l->name, iby);
    if (mine)
        return itsm__err(eng, ITSM_ESTATE, "%.60s already %s at level '%s' of approval rule '%s'%s%.60s", iby,
                         mine->verdict == ITSM_VERDICT_APPROVE ? "approved"
                         : mine->verdict == ITSM_VERDICT_REJECT ? "rejected" : "delegated",
                         l->name, rule->name, mine->to ? " to " : "", mine->to ? mine->to : "");
    const char *people[2 * ITSM_APPROVAL_MAX_PEOPLE];
    size_t np = level_people(eng, l, people);
    int named = 0, holds = 0;
    for (size_t i = 0; i < np; i++) {
        named |= strcmp(people[i], iby) == 0;
        const itsm__ap_decision *d = decision_of(ar, l->name, people[i]);
        holds |= d && d->verdict == ITSM_VERDICT_DELEGATE && strcmp(d->to, iby) == 0;
    }
    if (verdict == ITSM_VERDICT_DELEGATE) {
        if (!np)
            return itsm__err(eng, ITSM_EINVAL, "level '%s' of approval rule '%s' takes anyone's decision: there is "
                             "no vote to delegate", l->name, rule->name);
        if (!named)
            return itsm__err(eng, ITSM_EINVAL, "%.60s is not an approver at level '%s' of approval rule '%s' and "
                             "has no vote to delegate", iby, l->name, rule->name);
        if (ito == iby)
            return itsm__err(eng, ITSM_EINVAL, "%.60s cannot delegate to themself", iby);
        if ((why = excluded(&s, ito)))
            return itsm__err(eng, ITSM_EINVAL, "%.60s cannot hold a vote on %s at level '%s' of approval rule '%s': "
                             "%.60s is the %s (separation of duties)", ito, r->id, l->name, rule->name, ito, why);
        const itsm__ap_decision *theirs = decision_of(ar, l->name, ito);
        if (theirs && theirs->verdict == ITSM_VERDICT_DELEGATE)
            return itsm__err(eng, ITSM_EINVAL, "%.60s delegated their own vote at level '%s' and cannot hold "
                             "another's", ito, l->name);
    } else if (np && !named && !holds) {
        return itsm__err(eng, ITSM_EINVAL, "%.60s is not an approver at level '%s' of approval rule '%s'%s%s%s",
                         iby, l->name, rule->name, l->group ? " (group '" : "", l->group ? l->group : "",
                         l->group ? "')" : "");
    }

    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)) || (rc = reserve_decision(eng, ar)))
        return rc;
    const char *irule = itsm__intern(eng, rule->name, strlen(rule->name));
    const char *ilevel = irule ? itsm__intern(eng, l->name, strlen(l->name)) : NULL;
    if (!ilevel)
        return itsm__oom(eng);
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    ev->cls = verdict == ITSM_VERDICT_APPROVE ? &evc_approve : verdict == ITSM_VERDICT_REJECT ? &evc_reject
                                                                                               : &evc_delegate;
    ap_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x || (cn && !(x->comment = itsm__strndup(&eng->alloc, comment, cn)))) {
        itsm__free(&eng->alloc, x);
        itsm__batch_abort(eng);
        return itsm__oom(eng);
    }
    ev->ext = x;
    x->verdict = verdict;
    x->rule = irule;
    x->level = ilevel;
    x->by = iby;
    x->to = ito;
    return itsm__batch_commit(eng);
}

int itsm_record_approve(itsm_record *r, const char *level, const char *by, const char *comment)
{
    return decide(r, ITSM_VERDICT_APPROVE, level, by, NULL, comment);
}

int itsm_record_reject_approval(itsm_record *r, const char *level, const char *by, const char *comment)
{
    return decide(r, ITSM_VERDICT_REJECT, level, by, NULL, comment);
}

int itsm_record_delegate_approval(itsm_record *r, const char *level, const char *by, const char *to,
                                  const char *comment)
{
    return decide(r, ITSM_VERDICT_DELEGATE, level, by, to, comment);
}

/* ---- the guard "approved:all|N|LEVEL" ---- */

static int guard_parse(const char *arg, size_t n, int64_t *num, itsm__errbuf *e)
{
    if (n == 3 && memcmp(arg, "all", 3) == 0) {
        *num = 0;
        return ITSM_OK;
    }
    if (n == 1 && arg[0] >= '1' && arg[0] <= '0' + ITSM_APPROVAL_MAX_LEVELS) {
        *num = arg[0] - '0';
        return ITSM_OK;
    }
    if (itsm__pname_okn(arg, n) && !(arg[0] >= '0' && arg[0] <= '9')) {
        *num = -1;   /* a level by name */
        return ITSM_OK;
    }
    return itsm__errbuf_set(e, ITSM_EINVAL, "'approved:' takes all, a level number 1..%d or a level name",
                            ITSM_APPROVAL_MAX_LEVELS);
}

static int guard_check(itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg, int64_t num,
                       const char *event, const char *from)
{
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, ev);
    if (!rule || !rule->nlevels)
        return ITSM_OK;   /* nothing to approve */
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (!ar || ar->round_at == ITSM_TIME_NONE)
        return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs approval under approval rule '%s', "
                         "whose round opens when %s enters '%s'", event, from, rule->name, r->id,
                         rule->state ? rule->state : "its initial state");
    long upto = (long)rule->nlevels;
    if (num > 0 && num < upto)
        upto = (long)num;
    if (num < 0) {
        long k = level_index(rule, arg);
        if (k < 0)
            return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs level '%s' approved, but approval "
                             "rule '%s' has no such level", event, from, arg, rule->name);
        upto = k + 1;
    }
    sod s = sod_of(eng, r, ev, rule);
    for (long k = 0; k < upto; k++) {
        const itsm__ap_level *l = &rule->levels[k];
        if (l->exception && !(num != 0 && k == upto - 1))
            continue;
        tally t;
        tally_level(eng, ar, l, &s, &t);
        if (t.status == ITSM_LEVEL_APPROVED)
            continue;
        char why[200] = "";
        if (t.void_by)
            snprintf(why, sizeof why, "; %.60s's decision does not count: %.60s is the %s (separation of duties)",
                     t.void_by, t.void_by, t.void_role);
        if (t.status == ITSM_LEVEL_REJECTED)
            return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs level %ld '%s' of approval rule "
                             "'%s' approved, but %.60s rejected it%s%.120s%s", event, from, k + 1, l->name,
                             rule->name, t.rejected_by->by, t.rejected_by->comment ? ": \"" : "",
                             t.rejected_by->comment ? t.rejected_by->comment : "",
                             t.rejected_by->comment ? "\"" : "");
        if (!t.open && t.voters < t.needed + (l->mode == ITSM_APPROVAL_ALL && !t.voters))
            return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs level %ld '%s' of approval rule "
                             "'%s' approved, but only %zu of its approvers may decide on %s%s", event, from, k + 1,
                             l->name, rule->name, t.voters, r->id, why);
        return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs level %ld '%s' of approval rule '%s' "
                         "approved: %zu of %zu approvals%s", event, from, k + 1, l->name, rule->name, t.approvals,
                         t.needed, why);
    }
    return ITSM_OK;
}

static const itsm__guard_kind guard_approved = { "approved", guard_parse, guard_check };

/* ---- reading ---- */

const char *itsm_approval_status_name(itsm_approval_status s)
{
    static const char *const names[] = { "none", "not_started", "pending", "approved", "rejected" };
    return (int)s >= 0 && (int)s <= ITSM_APPROVAL_REJECTED ? names[s] : NULL;
}

int itsm_record_approval(itsm_approval_info *out, const itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    static const itsm_event none;
    const itsm_engine *eng = r->eng;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_record_approval: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_approval_info, decided_at);
    if (rc)
        return rc;
    itsm_approval_info full;
    memset(&full, 0, sizeof full);
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, &none);
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    long cur = -1;
    sod s = { NULL, NULL };
    if (rule)
        s = sod_of(eng, r, &none, rule);
    full.status = (itsm_approval_status)rule_status(eng, ar, rule, &s, &cur);
    full.rule = rule ? rule->name : NULL;
    full.levels = rule ? rule->nlevels : 0;
    full.current = cur < 0 ? 0 : (size_t)cur + 1;
    full.requested_at = ar && full.status != ITSM_APPROVAL_NONE ? ar->round_at : ITSM_TIME_NONE;
    full.decided_at = ar && (full.status == ITSM_APPROVAL_APPROVED || full.status == ITSM_APPROVAL_REJECTED)
                          ? ar->decided_at : ITSM_TIME_NONE;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

int itsm_record_approval_level(itsm_approval_level *out, const itsm_record *r, size_t index)
{
    if (!r)
        return ITSM_EINVAL;
    static const itsm_event none;
    const itsm_engine *eng = r->eng;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_record_approval_level: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_approval_level, exception);
    if (rc)
        return rc;
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, &none);
    if (!rule)
        return itsm__err_const(eng, ITSM_ENOTFOUND, "no approval rule applies to %s", r->id);
    if (index >= rule->nlevels)
        return itsm__err_const(eng, ITSM_EINVAL, "approval level %zu is out of range (rule '%s' has %zu)", index,
                               rule->name, rule->nlevels);
    const itsm__ap_level *l = &rule->levels[index];
    sod s = sod_of(eng, r, &none, rule);
    tally t;
    tally_level(eng, itsm__ap_rec_of(eng, r), l, &s, &t);
    itsm_approval_level full;
    memset(&full, 0, sizeof full);
    full.name = l->name;
    full.mode = (itsm_approval_mode)l->mode;
    full.status = (itsm_level_status)t.status;
    full.approvals = t.approvals;
    full.rejections = t.rejections;
    full.needed = t.needed;
    full.voters = t.voters;
    full.exception = l->exception;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

size_t itsm_record_approval_count(const itsm_record *r)
{
    const itsm__ap_rec *ar = r ? itsm__ap_rec_of(r->eng, r) : NULL;
    return ar ? ar->n : 0;
}

int itsm_record_approval_at(itsm_approval_decision *out, const itsm_record *r, size_t index)
{
    if (!r)
        return ITSM_EINVAL;
    const itsm_engine *eng = r->eng;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_record_approval_at: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_approval_decision, at);
    if (rc)
        return rc;
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    size_t n = ar ? ar->n : 0;
    if (index >= n)
        return itsm__err_const(eng, ITSM_EINVAL, "approval decision %zu is out of range (%s has %zu)", index, r->id,
                               n);
    const itsm__ap_decision *d = &ar->d[index];
    itsm_approval_decision full;
    memset(&full, 0, sizeof full);
    full.verdict = (itsm_approval_verdict)d->verdict;
    full.rule = d->rule;
    full.level = d->level;
    full.by = d->by;
    full.to = d->to;
    full.comment = d->comment;
    full.at = d->at;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- the capability ---- */

static const char *const policy_keys[] = { "approvals", NULL };
static const itsm__evclass *const classes[] = { &evc_approve, &evc_reject, &evc_delegate, NULL };
static const itsm__guard_kind *const guards[] = { &guard_approved, NULL };

const itsm__capability itsm__cap_approvals = {
    .name = "approvals",
    .policy_keys = policy_keys,
    .policy_new = itsm__ap_policy_new,
    .policy_free = itsm__ap_policy_free,
    .policy_clone = itsm__ap_policy_clone,
    .policy_read = itsm__ap_policy_read,
    .policy_write = itsm__ap_policy_write,
    .policy_check = itsm__ap_policy_check,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .reserve = reserve,
    .after_apply = after_apply,
    .classes = classes,
    .guards = guards,
};
