/* SPDX-License-Identifier: Apache-2.0 */
/* Approvals (itsm/approval.h): the engine state, the decisions as events,
 * rounds opened by the lifecycle, and deciding. The rule that applies,
 * the tally, the guard and the reading calls: approval_tally.c. */
#include "approval/approval_int.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

/* ---- engine state ---- */

/* A policy version joins: its rules' kinds are watched too. */
static void version_added(itsm_engine *eng, const itsm_policy *p)
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        if (itsm__ap_kind_has_rules(itsm__ap_policy_of(p), k))
            itsm__ap_of(eng)->kinds |= 1u << k;
    /* Events of kinds no rule names never reach the hooks. */
    itsm__cap_watch_kinds(eng, ITSM__CAP_APPROVALS, itsm__ap_of(eng)->kinds);
}


static int engine_init(itsm_engine *eng)
{
    itsm__ap *ap = itsm__calloc(&eng->alloc, 1, sizeof *ap);
    if (!ap)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&ap->recs);
    eng->cap[ITSM__CAP_APPROVALS] = ap;
    for (size_t i = 0; i < eng->nvers; i++)   /* every version the engine knows */
        version_added(eng, eng->vers[i]->policy);
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
    long k = rule ? itsm__ap_level_index(rule, x->level) : -1;
    if (k < 0 || rule->levels[k].exception)
        return;
    itsm__ap_sod s = itsm__ap_sod_of(eng, ev->rec, ev, rule);
    long cur;
    int st = itsm__ap_rule_status(eng, ar, rule, &s, &cur);
    if (st == ITSM_APPROVAL_REJECTED)
        ar->rejected_under = d->rule;   /* kept through a later change of rule */
    else if (itsm__ap_kept_rejection(eng, ar, ev->rec, ev, rule))
        return;   /* still rejected (a store written before deciding refused this): decided then */
    ar->decided_at = st == ITSM_APPROVAL_APPROVED || st == ITSM_APPROVAL_REJECTED ? ev->at : ITSM_TIME_NONE;
}

static const char *const ext_keys[] = { "approval", NULL };

static const itsm__evclass evc_approve = { "approval_approve", ext_keys, write_ext, read_approve, apply_ext,
                                           ext_dispose, NULL };
static const itsm__evclass evc_reject = { "approval_reject", ext_keys, write_ext, read_reject, apply_ext,
                                          ext_dispose, NULL };
static const itsm__evclass evc_delegate = { "approval_delegate", ext_keys, write_ext, read_delegate, apply_ext,
                                            ext_dispose, NULL };

/* ---- rounds: opened by entering the rule's state ---- */

static int reserve(itsm_engine *eng)
{
    if (!eng->reserve_recs)
        return ITSM_OK;   /* the batch opens no record (the core counts them) */
    unsigned kinds = itsm__ap_of(eng)->kinds;
    size_t k = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        k += ev->type == ITSM__EV_OPEN && (kinds >> ev->rec->kind & 1u);
    }
    return k ? reserve_recs(eng, k) : ITSM_OK;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void open_round(itsm_engine *eng, itsm_event *ev);

/* Events of the kinds some rule names (itsm__cap_watch_kinds) pass here;
 * the work is out of line so this stays a few instructions. */
static void after_apply(itsm_engine *eng, itsm_event *ev)
{
    if ((itsm__ap_of(eng)->kinds >> ev->rec->kind & 1u) &&
        (ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_TRANSITION))
        open_round(eng, ev);
}

/* Whether entering `state` (NULL: opening the record) opens a round. The
 * rule that applies as the step leaves the record decides; when none with
 * levels does yet - its risk is not assessed, or its type needs none - any
 * rule of its kind that names the state does, since the rule that applies
 * once it is assessed or reclassified can only count decisions taken in a
 * round that opened on the way in. */
static int names_state(const itsm__ap_rule *rule, const char *state)
{
    return state ? rule->state && strcmp(rule->state, state) == 0 : rule->state == NULL;
}

static int opens_round(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *state)
{
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, ev);
    if (rule && rule->nlevels)
        return names_state(rule, state);
    const itsm__ap_policy *ap = itsm__ap_policy_of(eng->policy);
    for (size_t i = 0; i < ap->nrules; i++)
        if (ap->rules[i].kind == r->kind && ap->rules[i].nlevels && names_state(&ap->rules[i], state))
            return 1;
    return 0;
}

static void open_round(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (ev->type == ITSM__EV_OPEN) {
        if (!ar)
            ar = rec_insert(eng, r);
        ar->opener = ev->actor;
    }
    if (!ar)
        return;   /* replayed onto a record opened under a policy without rules for it */
    const char *state = ev->type == ITSM__EV_OPEN ? NULL : itsm__lifecycle_of(eng, r->kind)->states[r->state];
    if (!opens_round(eng, r, ev, state))
        return;
    if (ev->type == ITSM__EV_TRANSITION && strcmp(ev->from_name, ev->to_name) == 0)
        return;   /* a step that stays in the state does not start a new round */
    decisions_clear(eng, ar);   /* a new round */
    ar->rejected_under = NULL;
    ar->round_at = ev->at;
    ar->decided_at = ITSM_TIME_NONE;
}

/* ---- deciding ---- */

static int no_rule(itsm_engine *eng, const itsm_record *r)
{
    const char *ct = itsm__rec_str(r, itsm__fields[ITSM_F_CHANGE_TYPE].slot);
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
    const itsm__ap_decision *kept = itsm__ap_kept_rejection(eng, ar, r, &none, rule);
    if (kept)
        return itsm__err(eng, ITSM_ESTATE, "%.60s rejected %s at level '%s' of approval rule '%s': the round stays "
                         "rejected under approval rule '%s' until %s enters '%s' again", kept->by, r->id, kept->level,
                         kept->rule, rule->name, r->id, rule->state ? rule->state : "its initial state");
    itsm__ap_sod s = itsm__ap_sod_of(eng, r, &none, rule);
    long k;
    if (level) {
        if ((k = itsm__ap_level_index(rule, level)) < 0)
            return itsm__err(eng, ITSM_ENOTFOUND, "approval rule '%s' has no level '%.63s'", rule->name, level);
    } else if (itsm__ap_rule_status(eng, ar, rule, &s, &k) == ITSM_APPROVAL_APPROVED) {
        return itsm__err(eng, ITSM_ESTATE, "every required level of approval rule '%s' is approved for %s%s",
                         rule->name, r->id, "; name an exception level to decide on it");
    }
    const itsm__ap_level *l = &rule->levels[k];
    for (long i = 0; i < k; i++) {
        itsm__ap_tally t;
        if (rule->levels[i].exception)
            continue;
        itsm__ap_tally_level(eng, ar, &rule->levels[i], &s, &t);
        if (t.status != ITSM_LEVEL_APPROVED)
            return itsm__err(eng, ITSM_ESTATE, "level %ld '%s' of approval rule '%s' waits for level %ld '%s'", k + 1,
                             l->name, rule->name, i + 1, rule->levels[i].name);
    }
    itsm__ap_tally t;
    itsm__ap_tally_level(eng, ar, l, &s, &t);
    if (t.status != ITSM_LEVEL_PENDING)
        return itsm__err(eng, ITSM_ESTATE, "level '%s' of approval rule '%s' is already %s for %s", l->name,
                         rule->name, t.status == ITSM_LEVEL_APPROVED ? "approved" : "rejected", r->id);
    const char *why = itsm__ap_excluded(&s, iby);
    if (why)
        return itsm__err(eng, ITSM_EINVAL, "%.60s cannot decide on %s at level '%s' of approval rule '%s': %.60s "
                         "is the %s (separation of duties)", iby, r->id, l->name, rule->name, iby, why);
    const itsm__ap_decision *mine = itsm__ap_decision_of(ar, l->name, iby);
    if (mine)
        return itsm__err(eng, ITSM_ESTATE, "%.60s already %s at level '%s' of approval rule '%s'%s%.60s", iby,
                         mine->verdict == ITSM_VERDICT_APPROVE ? "approved"
                         : mine->verdict == ITSM_VERDICT_REJECT ? "rejected" : "delegated",
                         l->name, rule->name, mine->to ? " to " : "", mine->to ? mine->to : "");
    const char *people[2 * ITSM_APPROVAL_MAX_PEOPLE];
    size_t np = itsm__ap_level_people(eng, l, people);
    int named = 0;
    const char *holds = NULL;   /* whose delegated vote `by` holds */
    for (size_t i = 0; i < np; i++) {
        named |= strcmp(people[i], iby) == 0;
        const itsm__ap_decision *d = itsm__ap_decision_of(ar, l->name, people[i]);
        if (!holds && d && d->verdict == ITSM_VERDICT_DELEGATE && strcmp(d->to, iby) == 0)
            holds = people[i];
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
        /* One hop: the tally gives a holder's vote to nobody once the
         * holder delegates, so the vote they hold would be lost. */
        if (holds)
            return itsm__err(eng, ITSM_EINVAL, "%.60s holds %.60s's vote at level '%s' of approval rule '%s' and "
                             "cannot delegate: a delegated vote goes one hop", iby, holds, l->name, rule->name);
        if ((why = itsm__ap_excluded(&s, ito)))
            return itsm__err(eng, ITSM_EINVAL, "%.60s cannot hold a vote on %s at level '%s' of approval rule '%s': "
                             "%.60s is the %s (separation of duties)", ito, r->id, l->name, rule->name, ito, why);
        const itsm__ap_decision *theirs = itsm__ap_decision_of(ar, l->name, ito);
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

/* ---- reclassification ---- */

/* A type whose rule needs no approval (a standard change: pre-authorized)
 * is one a record has from the start. Reclassified to it after it left its
 * initial state, a record whose type needed approval would pass
 * `approved:all` without one - `authorize` with change_type=standard.
 * The other way (standard to normal) picks up approval, so it needs a
 * round to be decided in before the steps that check it: the record is
 * still in its initial state, or in the state where the new rule's round
 * opens with that round open. Later - a standard change already on the
 * schedule - no round would ever open and the change would go live
 * unapproved. */
static int reclassified_past_approval(itsm_engine *eng, const itsm_event *ev)
{
    static const itsm_event unchanged;   /* the record as it is */
    const itsm_record *r = ev->rec;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if ((int)r->state == itsm__lc_initial(lc))
        return ITSM_OK;
    const itsm__ap_rule *was = itsm__ap_rule_for(eng, r, &unchanged), *now = itsm__ap_rule_for(eng, r, ev);
    const char *from = itsm__view_str(r, &unchanged, ITSM_F_CHANGE_TYPE), *to = itsm__view_str(r, ev, ITSM_F_CHANGE_TYPE);
    const char *st = lc->states[r->state];
    if (was && was->nlevels && !(now && now->nlevels))
        return itsm__err(eng, ITSM_ESTATE,
                         "%s is '%s': reclassified from change type '%s' to '%s' it would skip the approval rule "
                         "'%s' (a type that needs no approval is given when the record is opened)",
                         r->id, st, from ? from : "none", to ? to : "none", was->name);
    if ((was && was->nlevels) || !now || !now->nlevels)
        return ITSM_OK;
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (now->state && strcmp(now->state, st) == 0 && ar && ar->round_at != ITSM_TIME_NONE)
        return ITSM_OK;
    return itsm__err(eng, ITSM_ESTATE,
                     "%s is '%s': reclassified from change type '%s' to '%s' it needs approval rule '%s', whose "
                     "round opens when it enters '%s'; past that it would go on unapproved (raise a new change)",
                     r->id, st, from ? from : "none", to ? to : "none", now->name,
                     now->state ? now->state : lc->states[itsm__lc_initial(lc)]);
}

static int extend(itsm_engine *eng, size_t n0)
{
    for (size_t i = 0; i < n0; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (ev->rec && ev->type != ITSM__EV_OPEN && itsm__ev_has(ev, ITSM_F_CHANGE_TYPE)) {
            int rc = reclassified_past_approval(eng, ev);
            if (rc)
                return rc;
        }
    }
    return ITSM_OK;
}

/* ---- the capability ---- */

static const char *const policy_keys[] = { "approvals", NULL };
static const itsm__evclass *const classes[] = { &evc_approve, &evc_reject, &evc_delegate, NULL };
static const itsm__guard_kind *const guards[] = { &itsm__ap_guard_approved, NULL };

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
    .extend_fields = (uint64_t)1 << ITSM_F_CHANGE_TYPE,   /* a reclassification */
    .extend = extend,
    .watch_types = (1u << ITSM__EV_OPEN) | (1u << ITSM__EV_TRANSITION),   /* rounds open on these alone */
    .reserve = reserve,
    .after_apply = after_apply,
    .classes = classes,
    .guards = guards,
    .version_added = version_added,
};
