/* SPDX-License-Identifier: Apache-2.0 */
/* Approvals: the rule that applies, who separation of duties excludes, the
 * tally of a level and the rule's status; the guard "approved:..." and the
 * reading calls (itsm/approval.h). Deciding and the events: approval.c. */
#include "approval/approval_int.h"
#include "core/abi.h"
#include "kit/names.h"
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

#define STR(r, ev, f) itsm__view_str((r), (ev), (f))

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


itsm__ap_sod itsm__ap_sod_of(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const itsm__ap_rule *rule)
{
    itsm__ap_sod s = { NULL, NULL };
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
const char *itsm__ap_excluded(const itsm__ap_sod *s, const char *who)
{
    if (s->requester && strcmp(s->requester, who) == 0)
        return "requester";
    if (s->implementer && strcmp(s->implementer, who) == 0)
        return "implementer";
    return NULL;
}

long itsm__ap_level_index(const itsm__ap_rule *rule, const char *name)
{
    for (size_t i = 0; i < rule->nlevels; i++)
        if (strcmp(rule->levels[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* The named approvers of a level (people, then group members not named),
 * without duplicates. At most 2 * ITSM_APPROVAL_MAX_PEOPLE. */
size_t itsm__ap_level_people(const itsm_engine *eng, const itsm__ap_level *l, const char **out)
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


/* The decision `who` took at `level` (approve, reject or delegate), or NULL. */
const itsm__ap_decision *itsm__ap_decision_of(const itsm__ap_rec *ar, const char *level, const char *who)
{
    for (size_t i = ar ? ar->n : 0; i-- > 0;) {
        const itsm__ap_decision *d = &ar->d[i];
        if (strcmp(d->level, level) == 0 && strcmp(d->by, who) == 0)
            return d;
    }
    return NULL;
}

void itsm__ap_tally_level(const itsm_engine *eng, const itsm__ap_rec *ar, const itsm__ap_level *l, const itsm__ap_sod *s,
                        itsm__ap_tally *t)
{
    memset(t, 0, sizeof *t);
    const char *people[2 * ITSM_APPROVAL_MAX_PEOPLE];
    size_t np = itsm__ap_level_people(eng, l, people);
    t->open = np == 0;
    if (t->open) {
        for (size_t i = 0; ar && i < ar->n; i++) {
            const itsm__ap_decision *d = &ar->d[i];
            if (strcmp(d->level, l->name) != 0 || d->verdict == ITSM_VERDICT_DELEGATE)
                continue;
            const char *why = itsm__ap_excluded(s, d->by);
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
        const char *why = itsm__ap_excluded(s, people[i]);
        if (why) {   /* not in the electorate: a vote they cast does not count */
            const itsm__ap_decision *own = itsm__ap_decision_of(ar, l->name, people[i]);
            if (own && own->verdict != ITSM_VERDICT_DELEGATE) {
                t->void_by = people[i];
                t->void_role = why;
            }
            continue;
        }
        t->voters++;
        const itsm__ap_decision *d = itsm__ap_decision_of(ar, l->name, people[i]);
        const char *holder = people[i];
        if (d && d->verdict == ITSM_VERDICT_DELEGATE) {
            holder = d->to;
            d = itsm__ap_decision_of(ar, l->name, holder);
            if (d && d->verdict == ITSM_VERDICT_DELEGATE)
                d = NULL;   /* the delegate gave their own vote away: they decide nothing here */
            if ((why = itsm__ap_excluded(s, holder))) {
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
int itsm__ap_rule_status(const itsm_engine *eng, const itsm__ap_rec *ar, const itsm__ap_rule *rule, const itsm__ap_sod *s,
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
        itsm__ap_tally t;
        itsm__ap_tally_level(eng, ar, &rule->levels[i], s, &t);
        if (t.status != ITSM_LEVEL_APPROVED) {
            *current = (long)i;
            return t.status == ITSM_LEVEL_REJECTED ? ITSM_APPROVAL_REJECTED : ITSM_APPROVAL_PENDING;
        }
    }
    return ITSM_APPROVAL_APPROVED;
}

const itsm__ap_decision *itsm__ap_kept_rejection(const itsm_engine *eng, const itsm__ap_rec *ar,
                                                 const itsm_record *r, const itsm_event *ev,
                                                 const itsm__ap_rule *now)
{
    if (!ar || !ar->rejected_under || ar->round_at == ITSM_TIME_NONE ||
        (now && strcmp(now->name, ar->rejected_under) == 0))
        return NULL;
    const itsm__ap_policy *ap = itsm__ap_policy_of(eng->policy);
    const itsm__ap_rule *was = NULL;
    for (size_t i = 0; i < ap->nrules && !was; i++)
        if (strcmp(ap->rules[i].name, ar->rejected_under) == 0)
            was = &ap->rules[i];
    if (!was)
        return NULL;   /* gone with a policy version: nothing to re-tally */
    /* Re-tallied, not remembered: a rejecter who became requester or
     * implementer since stops counting here as under their own rule. */
    itsm__ap_sod s = itsm__ap_sod_of(eng, r, ev, was);
    long k;
    if (itsm__ap_rule_status(eng, ar, was, &s, &k) != ITSM_APPROVAL_REJECTED)
        return NULL;
    itsm__ap_tally t;
    itsm__ap_tally_level(eng, ar, &was->levels[k], &s, &t);
    return t.rejected_by;
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
    itsm__ap_sod s = itsm__ap_sod_of(eng, r, ev, rule);
    for (size_t k = 0; k < rule->nlevels; k++) {
        if (!rule->levels[k].exception)
            continue;
        if (!*level)
            *level = rule->levels[k].name;
        itsm__ap_tally t;
        if (ar && ar->round_at != ITSM_TIME_NONE) {
            itsm__ap_tally_level(eng, ar, &rule->levels[k], &s, &t);
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

/* 1 when the term holds; else 0, with what is missing in why[0..cap)
 * when why is not NULL. */
static int approved_eval(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                         int64_t num, char *why, size_t cap)
{
    const itsm__ap_rule *rule = itsm__ap_rule_for(eng, r, ev);
    if (!rule || !rule->nlevels)
        return 1;   /* nothing to approve */
    const itsm__ap_rec *ar = itsm__ap_rec_of(eng, r);
    if (!ar || ar->round_at == ITSM_TIME_NONE) {
        if (why)
            snprintf(why, cap, "approval under approval rule '%s', whose round opens when %s enters '%s'",
                     rule->name, r->id, rule->state ? rule->state : "its initial state");
        return 0;
    }
    const itsm__ap_decision *kept = itsm__ap_kept_rejection(eng, ar, r, ev, rule);
    if (kept) {
        if (why)
            snprintf(why, cap, "approval under approval rule '%s', but %.60s rejected %s at level '%s' of approval "
                     "rule '%s'%s%.120s%s; a rejected round stays rejected until %s enters '%s' again", rule->name,
                     kept->by, r->id, kept->level, kept->rule, kept->comment ? ": \"" : "",
                     kept->comment ? kept->comment : "", kept->comment ? "\"" : "", r->id,
                     rule->state ? rule->state : "its initial state");
        return 0;
    }
    long upto = (long)rule->nlevels;
    if (num > 0 && num < upto)
        upto = (long)num;
    if (num < 0) {
        long k = itsm__ap_level_index(rule, arg);
        if (k < 0) {
            if (why)
                snprintf(why, cap, "level '%s' approved, but approval rule '%s' has no such level", arg, rule->name);
            return 0;
        }
        upto = k + 1;
    }
    itsm__ap_sod s = itsm__ap_sod_of(eng, r, ev, rule);
    for (long k = 0; k < upto; k++) {
        const itsm__ap_level *l = &rule->levels[k];
        /* The level the term names is needed even as an exception level;
         * "approved:N" past the rule's last level names none of its. */
        int named = num < 0 ? k == upto - 1 : num > 0 && k == num - 1;
        if (l->exception && !named)
            continue;
        itsm__ap_tally t;
        itsm__ap_tally_level(eng, ar, l, &s, &t);
        if (t.status == ITSM_LEVEL_APPROVED)
            continue;
        if (!why)
            return 0;
        char unvoted[200] = "";
        if (t.void_by)
            snprintf(unvoted, sizeof unvoted, "; %.60s's decision does not count: %.60s is the %s (separation of "
                     "duties)", t.void_by, t.void_by, t.void_role);
        if (t.status == ITSM_LEVEL_REJECTED)
            snprintf(why, cap, "level %ld '%s' of approval rule '%s' approved, but %.60s rejected it%s%.120s%s",
                     k + 1, l->name, rule->name, t.rejected_by->by, t.rejected_by->comment ? ": \"" : "",
                     t.rejected_by->comment ? t.rejected_by->comment : "", t.rejected_by->comment ? "\"" : "");
        else if (!t.open && t.voters < t.needed + (l->mode == ITSM_APPROVAL_ALL && !t.voters))
            snprintf(why, cap, "level %ld '%s' of approval rule '%s' approved, but only %zu of its approvers may "
                     "decide on %s%s", k + 1, l->name, rule->name, t.voters, r->id, unvoted);
        else
            snprintf(why, cap, "level %ld '%s' of approval rule '%s' approved: %zu of %zu approvals%s", k + 1, l->name,
                     rule->name, t.approvals, t.needed, unvoted);
        return 0;
    }
    return 1;
}

static int guard_met(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg, int64_t num)
{
    return approved_eval(eng, r, ev, arg, num, NULL, 0);
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                           int64_t num, char *out, size_t cap)
{
    approved_eval(eng, r, ev, arg, num, out, cap);
}

const itsm__guard_kind itsm__ap_guard_approved = { "approved", guard_parse, guard_met, guard_describe };

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
    itsm__ap_sod s = { NULL, NULL };
    if (rule)
        s = itsm__ap_sod_of(eng, r, &none, rule);
    full.status = (itsm_approval_status)itsm__ap_rule_status(eng, ar, rule, &s, &cur);
    if (full.status == ITSM_APPROVAL_PENDING || full.status == ITSM_APPROVAL_APPROVED) {
        if (itsm__ap_kept_rejection(eng, ar, r, &none, rule))
            full.status = ITSM_APPROVAL_REJECTED;
    }
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
    if (!rule)   /* an answer, not a failure: the engine's last message stays */
        return ITSM_ENOTFOUND;
    if (index >= rule->nlevels)
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_record_approval_level: approval level %zu is out of range (rule '%s' has %zu)",
                               index, rule->name, rule->nlevels);
    const itsm__ap_level *l = &rule->levels[index];
    itsm__ap_sod s = itsm__ap_sod_of(eng, r, &none, rule);
    itsm__ap_tally t;
    itsm__ap_tally_level(eng, itsm__ap_rec_of(eng, r), l, &s, &t);
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
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_record_approval_at: approval decision %zu is out of range (%s has %zu)",
                               index, r->id, n);
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
