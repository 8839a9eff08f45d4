/* SPDX-License-Identifier: Apache-2.0 */
/* Problem-record decision (seed 000, DESIGN section 8) and acting on the
 * verdict: problem from incident, change from known error, closing a
 * problem with a resolution code. The recurrence index: recurrence.c. */
#include "problem/problem_int.h"
#include "kit/json.h"
#include "sla/sla_int.h"
#include "core/abi.h"
#include "kit/opts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)

/* ======================================================================
 * The decision
 * ====================================================================== */

const char *itsm_verdict_name(itsm_verdict v)
{
    switch (v) {
    case ITSM_VERDICT_CLOSE: return "close";
    case ITSM_VERDICT_TO_PROBLEM: return "to_problem";
    case ITSM_VERDICT_TO_CHANGE: return "to_change";
    }
    return NULL;
}

const char *itsm_reason_name(itsm_reason r)
{
    static const char *const names[] = { NULL, "cause_unknown", "cause_known", "root_cause_needed",
                                         "root_cause_not_needed", "major_review", "recurrence",
                                         "fix_needs_change", "no_follow_up" };
    return (int)r >= 1 && (int)r <= 8 ? names[r] : NULL;
}

ITSM__DEFINE_INIT(itsm_decision_opts_init, itsm_decision_opts, ITSM_DECISION_OPTS_VERSION, ITSM_DECISION_OPTS_INIT)

static void add_reason(itsm_decision *d, itsm_reason code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void add_reason(itsm_decision *d, itsm_reason code, const char *fmt, ...)
{
    if (d->nreasons == ITSM_DECISION_MAX_REASONS)
        return;
    itsm_decision_reason *r = &d->reasons[d->nreasons++];
    r->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof r->text, fmt, ap);
    va_end(ap);
}

/* A name as "%.*s" arguments, cut to `max` bytes at a character boundary:
 * a reason's text stays UTF-8 for every binding. */
#define FIT(s, max) (int)itsm__utf8_prefix((s), (max)), (s)
/* The resolution code of a problem closed without a fix because the
 * inconvenience is accepted (DESIGN 3; no role: its name is fixed). */
#define RISK_ACCEPTED "risk_accepted"

/* "30 days", "36 hours", "5400 seconds": the window as the policy gave it,
 * never rounded down (a 36-hour window is not "1 days"). */
static void window_words(char *out, size_t cap, int64_t w)
{
    if (w % 86400 == 0)
        snprintf(out, cap, "%lld day%s", (long long)(w / 86400), w == 86400 ? "" : "s");
    else if (w % 3600 == 0)
        snprintf(out, cap, "%lld hour%s", (long long)(w / 3600), w == 3600 ? "" : "s");
    else
        snprintf(out, cap, "%lld second%s", (long long)w, w == 1 ? "" : "s");
}

/* Whether the fix of `r` still needs a change, read from the record: a
 * related change still to be carried out (no resolved_at: a completed
 * implementation stamps it, a backed-out one does not). A change already
 * implemented - an emergency change that restored the service - is the
 * fix done, nothing left to hand over. */
static int change_pending(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind == ITSM_LINK_RELATED && t->kind == ITSM_KIND_CHANGE &&
            itsm__rec_num(t, SLOT(ITSM_F_RESOLVED_AT)) == ITSM_TIME_NONE)
            return 1;
    }
    return 0;
}

/* A history entry that enters the known_error or waits_on_change state. */
typedef struct known_error_q { const char *ke, *wc; } known_error_q;

static int enters_known_error(const itsm_timeline_entry *e, void *arg)
{
    const known_error_q *q = arg;
    return e->event && e->to_state &&
           ((q->ke && !strcmp(e->to_state, q->ke)) || (q->wc && !strcmp(e->to_state, q->wc)));
}

/* Whether problem t was a known error before it settled: its history (the
 * store's events, itsm_record_timeline) holds a transition into the state
 * of the known_error or waits_on_change role. Settled without a fix (risk
 * accepted) it keeps the cause it found but no longer sits there, and the
 * record keeps no trace of it (no field or stamp: the record is at its
 * size). 0 when the store cannot tell (no read_record): then, as before,
 * only the state and the resolution code speak. */
static int was_known_error(itsm_engine *eng, const itsm_record *t)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, ITSM_KIND_PROBLEM);
    int ke = itsm__role_ix(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR);
    int wc = itsm__role_ix(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_WAITS_ON_CHANGE);
    if (ke < 0 && wc < 0)
        return 0;
    known_error_q q = { ke >= 0 ? lc->states[ke] : NULL, wc >= 0 ? lc->states[wc] : NULL };
    return itsm__history_find(eng, t, enters_known_error, &q) != ITSM_TIME_NONE;
}

/* The problem record, linked to the incident, that knows its cause: a
 * known error (itsm__prb_is_known_error), a problem fixed (its resolution
 * code the fix_applied role's), or one settled after it was a known error
 * (closed without a fix - risk accepted -: the cause was found all the
 * same) - not one whose cause is still a hypothesis under analysis, nor
 * one closed without a fix before its cause was known; NULL if none. */
static const itsm_record *problem_with_cause(itsm_engine *eng, const itsm_record *r)
{
    const char *fixed = itsm__role_value(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED);
    const itsm_record *settled = NULL;
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind != ITSM_LINK_RELATED || t->kind != ITSM_KIND_PROBLEM ||
            !itsm__text_present(itsm__rec_str(t, SLOT(ITSM_F_CAUSE))))
            continue;
        const char *code = itsm__rec_str(t, SLOT(ITSM_F_RESOLUTION_CODE));
        if (itsm__prb_is_known_error(eng, t) || (fixed && code && strcmp(code, fixed) == 0))
            return t;
        if (!settled && !itsm__state_is_live(eng, t, t->state))
            settled = t;
    }
    /* Only now the history, one store read: a problem the record alone
     * names wins, and one still in work (its cause under analysis) never
     * asks. */
    for (uint32_t i = 0; settled && i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind == ITSM_LINK_RELATED && t->kind == ITSM_KIND_PROBLEM &&
            itsm__text_present(itsm__rec_str(t, SLOT(ITSM_F_CAUSE))) && !itsm__state_is_live(eng, t, t->state) &&
            was_known_error(eng, t))
            return t;
    }
    return NULL;
}

/* The problem record, related to incident `r`, that was a known error and
 * was closed with its risk accepted (seed 003: whether the inconvenience
 * outweighs "the ongoing cost of recurring incidents" is "a management
 * call" - this is that call): it holds r's recurrence as a known error
 * still open does, whenever r began, since recurring is the risk that was
 * accepted. NULL if none, or when the store cannot give the history
 * (was_known_error). Asked only for a recurrence: it reads the history. */
static const itsm_record *risk_accepted_of(itsm_engine *eng, const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        const char *code = t->kind == ITSM_KIND_PROBLEM ? itsm__rec_str(t, SLOT(ITSM_F_RESOLUTION_CODE)) : NULL;
        if (r->x->links[i].kind == ITSM_LINK_RELATED && code && !strcmp(code, RISK_ACCEPTED) &&
            !itsm__state_is_live(eng, t, t->state) && was_known_error(eng, t))
            return t;
    }
    return NULL;
}

/* The major incident `r` is a child of (its outage: the callers'
 * incidents attached to it share its cause); NULL if none. */
static const itsm_record *major_parent(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind == ITSM_LINK_PARENT && t->kind == ITSM_KIND_INCIDENT &&
            itsm__rec_num(t, SLOT(ITSM_F_MAJOR)))
            return t;
    }
    return NULL;
}

static int answer_ok(int a, int from_record_ok)
{
    return a == ITSM_ANSWER_NO || a == ITSM_ANSWER_YES || (from_record_ok && a == ITSM_ANSWER_FROM_RECORD);
}

int itsm_problem_decide(itsm_decision *dst, itsm_record *inc, const itsm_decision_opts *opts)
{
    if (!inc)
        return ITSM_EINVAL;
    itsm_engine *eng = inc->eng;
    itsm_decision_opts defaults = ITSM_DECISION_OPTS_INIT;
    if (!dst)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    if (!opts)
        opts = &defaults;
    int vrc = itsm__version_out(eng, opts->version, ITSM_DECISION_OPTS_VERSION, "decision options");
    if (vrc || (vrc = ITSM__SIZED(eng, dst, itsm_decision, reasons)))
        return vrc;
    if (inc->kind != ITSM_KIND_INCIDENT)
        return itsm__err(eng, ITSM_EINVAL, "%s is a %s; the decision is for incidents", inc->id,
                         itsm_kind_name((itsm_kind)inc->kind));
    /* arguments before state */
    if (!answer_ok(opts->cause_known, 1) || !answer_ok(opts->fix_needs_change, 1) ||
        !answer_ok(opts->root_cause_needed, 1))
        return itsm__err(eng, ITSM_EINVAL, "answer %s must be ITSM_ANSWER_NO, _YES or _FROM_RECORD",
                         !answer_ok(opts->cause_known, 1)        ? "cause_known"
                         : !answer_ok(opts->fix_needs_change, 1) ? "fix_needs_change"
                                                                 : "root_cause_needed");
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, inc->kind);
    /* Finished: resolved (a stop state) or closed after a resolution. A
     * reopened incident keeps its first resolved_at but is back in work. */
    if (itsm__rec_num(inc, SLOT(ITSM_F_RESOLVED_AT)) == ITSM_TIME_NONE ||
        itsm__state_is_live(eng, inc, inc->state))
        return itsm__err(eng, ITSM_ESTATE, "%s is not finished (state '%s'): resolve it first", inc->id,
                         lc->states[inc->state]);
    const itsm__prb_policy *pp = itsm__prb_policy_of(eng->policy);

    /* Built aside: the caller's struct changes only on success, and only
     * as far as its size reaches. */
    itsm_decision full, *out = &full;
    memset(out, 0, sizeof *out);
    /* From the record: its own cause (a cause of only blanks says nothing,
     * as guards and itsm_record_has see it), else the cause of a problem
     * it is linked to - a known error already says why it happened -, else,
     * for a child of a major incident, the outage's: the cause its parent
     * states or the parent's problem knows (one outage, one cause). */
    const itsm_record *known_by = NULL, *parent = NULL;
    int cause_known = opts->cause_known;
    if (cause_known == ITSM_ANSWER_FROM_RECORD) {
        cause_known = itsm__text_present(itsm__rec_str(inc, SLOT(ITSM_F_CAUSE))) ||
                      (known_by = problem_with_cause(eng, inc)) != NULL;
        if (!cause_known && (parent = major_parent(inc)) != NULL) {
            if (itsm__text_present(itsm__rec_str(parent, SLOT(ITSM_F_CAUSE))))
                cause_known = 1, known_by = parent;
            else
                cause_known = (known_by = problem_with_cause(eng, parent)) != NULL;
        }
    }
    int problem = 0, recurring = 0;
    /* Already linked to the known error it recurs on (or to the problem
     * whose fix came after it began): that problem record holds the
     * recurrence, so neither the count nor a proposal asks for another one
     * (the Kepner-Tregoe answers decide, as for any incident). */
    const itsm_record *ke = itsm__prb_known_error_of(eng, inc);
    /* 1. Kepner-Tregoe: both questions must be answered yes. */
    if (cause_known) {
        add_reason(out, ITSM_REASON_CAUSE_KNOWN, "the cause of %s is known%s%.*s%s%.*s", inc->id,
                   !known_by ? "" : known_by->kind == ITSM_KIND_PROBLEM ? ": problem " : ": major incident ",
                   FIT(known_by ? known_by->id : "", 40),
                   parent && known_by && known_by != parent ? " of major incident " : "",
                   FIT(parent && known_by && known_by != parent ? parent->id : "", 40));
    } else {
        if (opts->root_cause_needed == ITSM_ANSWER_FROM_RECORD)
            return itsm__err(eng, ITSM_EINVAL,
                             "the cause of %s is unknown: answer whether the root cause is needed to act",
                             inc->id);
        add_reason(out, ITSM_REASON_CAUSE_UNKNOWN, "the cause of %s is still unknown", inc->id);
        if (opts->root_cause_needed) {
            add_reason(out, ITSM_REASON_ROOT_CAUSE_NEEDED,
                       "the root cause is needed to act (Kepner-Tregoe: both questions yes)");
            problem = 1;
        } else {
            add_reason(out, ITSM_REASON_ROOT_CAUSE_NOT_NEEDED,
                       "the root cause is not needed to act: digging further would not change what is done");
        }
    }
    /* 2. Major incidents always get a problem review. */
    if (pp->major_review && itsm__rec_num(inc, SLOT(ITSM_F_MAJOR))) {
        add_reason(out, ITSM_REASON_MAJOR_REVIEW, "%s is a major incident: a problem review is mandatory", inc->id);
        problem = 1;
    }
    /* 3. Recurrence, through the index. */
    const char *s = itsm__rec_str(inc, SLOT(ITSM_F_SERVICE)), *c = itsm__rec_str(inc, SLOT(ITSM_F_CATEGORY));
    const char *ci = pp->recurrence_ci ? itsm__rec_str(inc, SLOT(ITSM_F_CI)) : NULL;
    if (pp->recurrence_count > 0 && s && c && (ci || !pp->recurrence_ci)) {
        int rc = itsm__prb_recurrence(&out->recurrence, eng, s, c, ci, itsm__rec_num(inc, SLOT(ITSM_F_OPENED_AT)));
        if (rc)
            return rc;
        char window[32];
        window_words(window, sizeof window, pp->recurrence_window);
        if (out->recurrence >= (size_t)pp->recurrence_count) {
            recurring = 1;
            if (!ke)
                ke = risk_accepted_of(eng, inc);
            if (!ke) {
                add_reason(out, ITSM_REASON_RECURRENCE, "%zu incidents on %.*s/%.*s%s%.*s within %s (threshold %d)",
                           out->recurrence, FIT(s, 50), FIT(c, 50), ci ? "/" : "", FIT(ci ? ci : "", 40), window,
                           pp->recurrence_count);
                problem = 1;
            }
        }
    }
    /* An earlier incident of a cluster the engine proposed (or turned into
     * a problem) is handed to problem management with it: counting only
     * the incidents opened before it would call it "nothing more to do". */
    size_t pidx;
    itsm_problem_proposal prop = { .size = sizeof prop };
    if (!recurring && itsm_record_problem_proposal(&pidx, inc) == ITSM_OK &&
        itsm_engine_problem_proposal_at(&prop, eng, pidx) == ITSM_OK && prop.status != ITSM_PROPOSAL_DISMISSED) {
        recurring = 1;
        if (!ke)
            ke = risk_accepted_of(eng, inc);
        if (!ke) {
            add_reason(out, ITSM_REASON_RECURRENCE,
                       "%s is one of %zu incidents on %.*s/%.*s of a problem proposal (%s%s%.*s)", inc->id,
                       prop.incidents, FIT(prop.service, 50), FIT(prop.category, 50),
                       itsm_proposal_status_name(prop.status), prop.problem ? ": " : "",
                       FIT(prop.problem ? prop.problem : "", 40));
            problem = 1;
        }
    }
    if (recurring && ke && itsm__prb_is_known_error(eng, ke))
        add_reason(out, ITSM_REASON_RECURRENCE, "%.*s recurs on known error %.*s, which holds the recurrence: no new problem",
                   FIT(inc->id, 40), FIT(ke->id, 40));
    else if (recurring && ke && itsm__rec_str(ke, SLOT(ITSM_F_RESOLUTION_CODE)) &&
             !strcmp(itsm__rec_str(ke, SLOT(ITSM_F_RESOLUTION_CODE)), RISK_ACCEPTED))
        add_reason(out, ITSM_REASON_RECURRENCE,
                   "%.*s recurs on known error %.*s, closed with its risk accepted, which holds the recurrence: "
                   "no new problem", FIT(inc->id, 40), FIT(ke->id, 40));
    else if (recurring && ke)   /* fixed since the incident began */
        add_reason(out, ITSM_REASON_RECURRENCE,
                   "%.*s recurred before problem %.*s was fixed, which holds the recurrence: no new problem",
                   FIT(inc->id, 40), FIT(ke->id, 40));
    /* 4./5. */
    int needs_change = opts->fix_needs_change == ITSM_ANSWER_FROM_RECORD ? change_pending(inc)
                                                                         : opts->fix_needs_change;
    out->problem_proposed = problem;
    if (problem) {
        out->verdict = ITSM_VERDICT_TO_PROBLEM;
    } else if (cause_known && needs_change) {
        add_reason(out, ITSM_REASON_FIX_NEEDS_CHANGE,
                   "the cause is known and the fix needs a change: hand straight to change");
        out->verdict = ITSM_VERDICT_TO_CHANGE;
    } else {
        add_reason(out, ITSM_REASON_NO_FOLLOW_UP, "service is restored and nothing calls for more work: close");
        out->verdict = ITSM_VERDICT_CLOSE;
    }
    itsm__sized_put(dst, dst->size, out);
    return ITSM_OK;
}

/* ======================================================================
 * Acting on the verdict
 * ====================================================================== */

ITSM__DEFINE_INIT(itsm_problem_open_opts_init, itsm_problem_open_opts, ITSM_PROBLEM_OPEN_OPTS_VERSION, ITSM_PROBLEM_OPEN_OPTS_INIT)

/* Copy a field of `src` into the event (value as it is in src). */
static int carry(itsm_engine *eng, itsm_event *ev, const itsm_record *src, itsm_field f)
{
    const itsm__field_info *fi = &itsm__fields[f];
    if (!itsm_record_has(src, f) || itsm__ev_has(ev, f))
        return ITSM_OK;
    if (itsm__field_is_str(f)) {
        const char *v = itsm__rec_str(src, fi->slot);
        return itsm__propose_str(eng, ev, f, v, strlen(v), ITSM__BY_ENGINE);
    }
    return itsm__propose_num(eng, ev, f, itsm__rec_num(src, fi->slot), ITSM__BY_ENGINE);
}

/* The options and the new record's id, before anything is built. */
static int open_prepare(itsm_engine *eng, int kind, const itsm_problem_open_opts *opts, char idbuf[32],
                        const char **id, size_t *idn, uint64_t *seq)
{
    int vrc = itsm__version_out(eng, opts->version, ITSM_PROBLEM_OPEN_OPTS_VERSION, "problem open options");
    if (vrc)
        return vrc;
    if (opts->nfields && !opts->fields)
        return itsm__err(eng, ITSM_EINVAL, "fields is NULL but nfields is %zu", opts->nfields);
    if (opts->nfields > ITSM_F__COUNT)
        return itsm__err(eng, ITSM_EINVAL, "too many fields");
    if (itsm__lc_initial(itsm__lifecycle_of(eng, kind)) < 0)
        return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no lifecycle for %s records",
                         itsm_kind_name((itsm_kind)kind));
    return itsm__new_id(eng, kind, opts->id, idbuf, id, idn, seq);
}

/* The OPEN event of a record of `kind` carrying `src`'s fields, in the
 * batch being built (the caller aborts it on error). */
static int open_build(itsm_record **out, itsm_record *src, int kind, const itsm_problem_open_opts *opts,
                      const itsm_field *carried, size_t ncarried, const char *default_change_type, const char *id,
                      size_t idn, itsm_time at)
{
    itsm_engine *eng = src->eng;
    itsm_event *ev = itsm__batch_open(eng, kind, id, idn, at);
    if (!ev)
        return eng->err.code;
    itsm_record *r = ev->rec;
    int rc = itsm__propose_all(eng, ev, opts->fields, opts->nfields);
    for (size_t i = 0; i < ncarried && !rc; i++)
        rc = carry(eng, ev, src, carried[i]);
    /* A problem also carries the policy's own fields that apply to it:
     * the data the desk gathered (seed 000: problem management does not
     * ask the customer again). */
    for (uint32_t i = 0; kind == ITSM_KIND_PROBLEM && i < eng->policy->ncf && !rc; i++) {
        const itsm__cfield *cf = &eng->policy->cf[i];
        itsm_field f = (itsm_field)((int)ITSM_F_CUSTOM_FIRST + (int)i);
        if (!(cf->kinds & (1u << kind)) || !itsm_record_has(src, f) || itsm__ev_has(ev, f))
            continue;
        int str = cf->info.type == ITSM_TYPE_TEXT || cf->info.type == ITSM_TYPE_SYMBOL || cf->info.type == ITSM_TYPE_ENUM;
        itsm_change c = { f, str ? itsm_record_str(src, f) : NULL, str ? 0 : itsm_record_int(src, f) };
        rc = itsm__propose(eng, ev, &c, ITSM__BY_ENGINE);
    }
    if (!rc && default_change_type && !itsm__ev_has(ev, ITSM_F_CHANGE_TYPE))
        rc = itsm__propose_str(eng, ev, ITSM_F_CHANGE_TYPE, default_change_type, strlen(default_change_type),
                               ITSM__BY_ENGINE);
    if (!rc && kind == ITSM_KIND_CHANGE && !itsm__ev_has(ev, ITSM_F_DESCRIPTION) &&
        (itsm__rec_str(src, SLOT(ITSM_F_CAUSE)) || itsm__rec_str(src, SLOT(ITSM_F_WORKAROUND)))) {
        /* The known error travels with the change. */
        const char *cause = itsm__rec_str(src, SLOT(ITSM_F_CAUSE)), *wa = itsm__rec_str(src, SLOT(ITSM_F_WORKAROUND));
        size_t n = (cause ? strlen(cause) : 0) + (wa ? strlen(wa) : 0) + 64;
        char *text = NULL;
        if (n > ITSM_MAX_TEXT)
            rc = itsm__err(eng, ITSM_ELIMIT, "the known error is too long to carry into the change");
        else if (!(text = itsm__malloc(&eng->alloc, n)))
            rc = itsm__oom(eng);
        if (text) {
            snprintf(text, n, "Known error %s. Cause: %s. Workaround: %s", src->id, cause ? cause : "-",
                     wa ? wa : "none");
            rc = itsm__propose_str(eng, ev, ITSM_F_DESCRIPTION, text, strlen(text), ITSM__BY_ENGINE);
            itsm__free(&eng->alloc, text);
        }
    }
    *out = r;
    return rc;
}

/* Open a record of `kind` from `src` (fields carried) and link both ways,
 * in one batch. */
static int open_linked(itsm_record **out, itsm_record *src, itsm_kind kind, const itsm_problem_open_opts *opts,
                       const itsm_field *carried, size_t ncarried, const char *default_change_type)
{
    itsm_engine *eng = src->eng;
    itsm_problem_open_opts defaults = ITSM_PROBLEM_OPEN_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    char idbuf[32];
    const char *id;
    size_t idn;
    uint64_t seq;
    int rc = open_prepare(eng, (int)kind, opts, idbuf, &id, &idn, &seq);
    if (rc)
        return rc;
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__batch_begin(eng);
    itsm_record *r = NULL;
    rc = open_build(&r, src, (int)kind, opts, carried, ncarried, default_change_type, id, idn, at);
    if (!rc)
        rc = itsm__batch_link(eng, src, ITSM_LINK_RELATED, r, at);
    if (rc) {
        itsm__batch_abort(eng);
        return rc;
    }
    if ((rc = itsm__batch_commit(eng)))
        return rc;
    itsm__remember_id(eng, (int)kind, opts->id != NULL, r, seq);
    *out = r;
    return ITSM_OK;
}

static const itsm_field problem_carried[] = { ITSM_F_SUMMARY, ITSM_F_DESCRIPTION, ITSM_F_CALLER, ITSM_F_SERVICE,
                                              ITSM_F_CI, ITSM_F_CATEGORY, ITSM_F_SUBCATEGORY, ITSM_F_IMPACT,
                                              ITSM_F_URGENCY, ITSM_F_PRIORITY, ITSM_F_CAUSE, ITSM_F_WORKAROUND };

int itsm__problem_prepare(itsm_engine *eng, const itsm_problem_open_opts *opts, char idbuf[32], const char **id,
                          size_t *idn, uint64_t *seq)
{
    return open_prepare(eng, ITSM_KIND_PROBLEM, opts, idbuf, id, idn, seq);
}

int itsm__problem_build(itsm_record **out, itsm_record *incident, const itsm_problem_open_opts *opts,
                        const char *id, size_t idn, itsm_time at)
{
    return open_build(out, incident, ITSM_KIND_PROBLEM, opts, problem_carried,
                      sizeof problem_carried / sizeof *problem_carried, NULL, id, idn, at);
}

int itsm_problem_open_from_incident(itsm_record **out, itsm_record *inc, const itsm_problem_open_opts *opts)
{
    if (!inc)
        return ITSM_EINVAL;
    itsm_engine *eng = inc->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    if (inc->kind != ITSM_KIND_INCIDENT)
        return itsm__err(eng, ITSM_EINVAL, "%s is not an incident", inc->id);
    return open_linked(out, inc, ITSM_KIND_PROBLEM, opts, problem_carried,
                       sizeof problem_carried / sizeof *problem_carried, NULL);
}

int itsm_change_open_from_problem(itsm_record **out, itsm_record *prb, const itsm_problem_open_opts *opts)
{
    static const itsm_field carried[] = { ITSM_F_SUMMARY, ITSM_F_DESCRIPTION, ITSM_F_SERVICE, ITSM_F_CI,
                                          ITSM_F_CATEGORY, ITSM_F_IMPACT, ITSM_F_URGENCY, ITSM_F_PRIORITY };
    if (!prb)
        return ITSM_EINVAL;
    itsm_engine *eng = prb->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    if (prb->kind != ITSM_KIND_PROBLEM)
        return itsm__err(eng, ITSM_EINVAL, "%s is not a problem", prb->id);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, prb->kind);
    int ke = itsm__role_ix(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR);
    if ((int)prb->state != ke)
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': a change comes from a known error%s%s%s", prb->id,
                         lc->states[prb->state], ke < 0 ? " (the policy's problem lifecycle maps no known_error role)" : " ('",
                         ke < 0 ? "" : lc->states[ke], ke < 0 ? "" : "')");
    return open_linked(out, prb, ITSM_KIND_CHANGE, opts, carried, sizeof carried / sizeof *carried, "normal");
}

/* Open, unresolved and on hold for one of the hold reasons the roles
 * awaiting_change and awaiting_problem name (symbols are interned:
 * pointers compare). A canceled incident may keep its hold reason: it
 * waits for nothing. */
static int waiting_on_problem(const itsm_engine *eng, const itsm_record *r)
{
    const char *h = itsm__rec_str(r, SLOT(ITSM_F_HOLD_REASON));
    return r->kind == ITSM_KIND_INCIDENT && h &&
           (h == itsm__role_value(eng, ITSM_KIND_INCIDENT, ITSM_ROLE_AWAITING_CHANGE) ||
            h == itsm__role_value(eng, ITSM_KIND_INCIDENT, ITSM_ROLE_AWAITING_PROBLEM)) &&
           itsm__state_is_live(eng, r, r->state);
}

int itsm_problem_close(itsm_record *prb, const char *code, const char *notes)
{
    if (!prb)
        return ITSM_EINVAL;
    itsm_engine *eng = prb->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (prb->kind != ITSM_KIND_PROBLEM)
        return itsm__err(eng, ITSM_EINVAL, "%s is not a problem", prb->id);
    /* The fix code is the policy's fix_applied role; the others close
     * without a fix. */
    const char *fixed = itsm__role_value(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED);
    const char *const codes[] = { fixed, RISK_ACCEPTED, "duplicate", "canceled" };
    int known = 0;
    for (size_t i = 0; i < sizeof codes / sizeof *codes && code && !known; i++)
        known = codes[i] && strcmp(codes[i], code) == 0;
    if (!known)
        return itsm__err(eng, ITSM_EINVAL,
                         "problem resolution code must be %s, risk_accepted, duplicate or canceled (got '%.40s')",
                         fixed ? fixed : "fix_applied", code ? code : "(null)");
    int fix = strcmp(code, fixed) == 0;
    if (!itsm__text_present(notes))
        return itsm__err(eng, ITSM_EINVAL, fix ? "closing with %s needs notes on the fix"
                                               : "closing without a fix needs the justification (seed 000)%s", fix ? fixed : "");
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm_change ch[2] = { { ITSM_F_RESOLUTION_CODE, code, 0 },
                          { fix ? ITSM_F_RESOLUTION_NOTES : ITSM_F_CLOSE_JUSTIFICATION, notes, 0 } };
    itsm__batch_begin(eng);
    rc = itsm__batch_fire(prb, itsm__role_event(eng, ITSM_KIND_PROBLEM, fix ? ITSM_ROLE_RESOLVE : ITSM_ROLE_CLOSE_WITHOUT_FIX),
                          ch, 2, at);
    /* The incidents on hold for this problem hear of it either way: a fix
     * resumes them; closed without one, nothing more will come, and their
     * owners are told so (they stay on hold: restoring them otherwise, or
     * waiting on the problem a duplicate names, is their owners' call). */
    const char *resume = itsm__role_event(eng, ITSM_KIND_INCIDENT, ITSM_ROLE_RESUME);
    for (uint32_t i = 0; !rc && i < prb->x->nlinks; i++) {
        itsm_record *inc = (itsm_record *)(uintptr_t)prb->x->links[i].target;
        if (prb->x->links[i].kind != ITSM_LINK_RELATED || !waiting_on_problem(eng, inc))
            continue;
        /* Never before the incident's last event (a log replayed case by
         * case): it resumes and gets its note at that event's time, and the
         * problem's step is not refused for it. */
        itsm_time last = itsm__rec_num(inc, SLOT(ITSM_F_UPDATED_AT)), inc_at = last > at ? last : at;
        int can = fix && resume && itsm__fire_check(inc, resume) == ITSM_OK;
        if (can)
            rc = itsm__batch_fire(inc, resume, NULL, 0, inc_at);
        if (rc)
            break;
        char text[200];
        if (fix)
            snprintf(text, sizeof text, "problem %s fixed (%.40s): %s", prb->id, fixed,
                     can ? "resumed from hold" : "may move on (resume it)");
        else
            snprintf(text, sizeof text, "problem %s closed without a fix (%.40s): no fix will come, resume it",
                     prb->id, code);
        rc = itsm__batch_system_note(eng, inc, inc_at, text);
    }
    if (rc) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}
