/* SPDX-License-Identifier: Apache-2.0 */
/* The post-incident review's calls (itsm/review.h): each step checks its
 * arguments, then the review's state, and commits one event; the readers
 * and the timeline excerpt. */
#include "review/review_ext.h"
#include "core/abi.h"
#include "itsm/escalation.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

/* ---- steps ---- */

/* The checks every step on an existing review starts with: the entry, the
 * review (ITSM_ENOTFOUND when none). */
static int review_entry(itsm_record *r, itsm__review **rv)
{
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!(*rv = itsm__review_find(eng, r)))
        return itsm__err(eng, ITSM_ENOTFOUND, "%s has no post-incident review (itsm_review_open)", r->id);
    return ITSM_OK;
}

static int refuse_complete(itsm_record *r, const itsm__review *rv, const char *what)
{
    if (!rv->complete)
        return ITSM_OK;
    return itsm__err(r->eng, ITSM_ESTATE, "the review of %s is complete: no %s can be added", r->id, what);
}

/* The step's one event on `r` at `at`, its payload *x for the caller to
 * fill before itsm__batch_commit; `text` (may be NULL) is copied into
 * x->text. Nothing is left behind when memory runs out. */
static int step_begin(itsm_record *r, int what, itsm_time at, const char *text, itsm__rv_ext **x)
{
    itsm_engine *eng = r->eng;
    char *copy = NULL;
    if (text && !(copy = itsm__strdup(&eng->alloc, text)))
        return itsm__oom(eng);
    itsm__batch_begin(eng);
    if (!itsm__rv_add(eng, r, what, at, x)) {
        itsm__batch_abort(eng);
        itsm__free(&eng->alloc, copy);
        return ITSM_ENOMEM;
    }
    (*x)->text = copy;
    return ITSM_OK;
}

/* The action `id` of the review, not done yet: ITSM_ENOTFOUND naming the
 * review's actions when there is none, ITSM_ESTATE ("... is `done`") when
 * it is done. */
static int open_action(itsm_record *r, const itsm__review *rv, const char *id, const char *done, int *ix)
{
    if (!id)
        return itsm__err(r->eng, ITSM_EINVAL, "the action's id is required");
    if ((*ix = itsm__review_action_ix(rv, id, strlen(id))) >= 0) {
        const itsm__rv_action *a = &rv->acts[*ix];
        if (a->done)
            return itsm__err(r->eng, ITSM_ESTATE, "action '%s' of the review of %s is %s", a->id, r->id, done);
        return ITSM_OK;
    }
    char list[256];
    size_t off = 0;
    list[0] = '\0';
    for (size_t i = 0; i < rv->nacts && off < sizeof list; i++)
        off += (size_t)snprintf(list + off, sizeof list - off, "%s'%s'", i ? ", " : "", rv->acts[i].id);
    return itsm__err(r->eng, ITSM_ENOTFOUND, "the review of %s has no action '%.64s' (it has %s)", r->id, id,
                     rv->nacts ? list : "none");
}

int itsm_review_open(itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (r->kind != ITSM_KIND_INCIDENT || itsm_record_major_state(r) != ITSM_MAJOR_ACCEPTED)
        return itsm__err(eng, ITSM_EINVAL,
                         "%s is not an accepted major incident: only a major incident has a post-incident review",
                         r->id);
    if (itsm__review_find(eng, r))
        return itsm__err(eng, ITSM_EEXISTS, "%s has a post-incident review already", r->id);
    itsm_time at;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__review *rv = itsm__calloc(&eng->alloc, 1, sizeof *rv);
    if (!rv)
        return itsm__oom(eng);
    rv->rec = r;
    itsm__rv_ext *x;
    if ((rc = step_begin(r, ITSM__RV_OPENED, at, NULL, &x))) {
        itsm__free(&eng->alloc, rv);
        return rc;
    }
    x->rv = rv;
    return itsm__batch_commit(eng);
}

int itsm_review_add_cause(itsm_record *r, const char *text)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm__review *rv;
    itsm_time at;
    int rc;
    if ((rc = review_entry(r, &rv)) || (rc = itsm__text_arg(eng, text, "the cause")) ||
        (rc = refuse_complete(r, rv, "cause")))
        return rc;
    if (rv->ncauses >= ITSM_REVIEW_MAX_ITEMS)
        return itsm__err(eng, ITSM_ELIMIT, "the review of %s has %d causes, the most a review holds", r->id,
                         ITSM_REVIEW_MAX_ITEMS);
    itsm__rv_ext *x;
    if ((rc = itsm__now(eng, &at)) || (rc = step_begin(r, ITSM__RV_CAUSE, at, text, &x)))
        return rc;
    return itsm__batch_commit(eng);
}

int itsm_review_add_action(itsm_record *r, const char *id, const char *text, const char *owner, itsm_time due)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm__review *rv;
    const char *sid, *sowner = NULL;
    itsm_time at;
    int rc;
    /* arguments before state */
    if ((rc = review_entry(r, &rv)) || (rc = itsm__symbol_arg(eng, id, "the action's id", &sid)) ||
        (rc = itsm__text_arg(eng, text, "the action's text")) ||
        (owner && (rc = itsm__symbol_arg(eng, owner, "the action's owner", &sowner))) ||
        (rc = itsm__check_time(eng, due, "the action's due time")))
        return rc;
    if ((rc = refuse_complete(r, rv, "action")))
        return rc;
    if (itsm__review_action_ix(rv, sid, strlen(sid)) >= 0)
        return itsm__err(eng, ITSM_EEXISTS, "the review of %s has an action '%s' already", r->id, sid);
    if (rv->nacts >= ITSM_REVIEW_MAX_ITEMS)
        return itsm__err(eng, ITSM_ELIMIT, "the review of %s has %d actions, the most a review holds", r->id,
                         ITSM_REVIEW_MAX_ITEMS);
    if ((rc = itsm__now(eng, &at)))
        return rc;
    if (due <= at) {
        char d[21], n[21];
        itsm__time_format(due, d);
        itsm__time_format(at, n);
        return itsm__err(eng, ITSM_EINVAL, "action '%s' is due %s, not after now (%s)", sid, d, n);
    }
    itsm__rv_ext *x;
    if ((rc = step_begin(r, ITSM__RV_ACTION, at, text, &x)))
        return rc;
    x->id = sid;
    x->owner = sowner;
    x->due = due;
    return itsm__batch_commit(eng);
}

int itsm_review_assign_action(itsm_record *r, const char *id, const char *owner)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm__review *rv;
    const char *sowner;
    itsm_time at;
    int ix, rc;
    if ((rc = review_entry(r, &rv)) || (rc = itsm__symbol_arg(eng, owner, "the action's owner", &sowner)) ||
        (rc = open_action(r, rv, id, "done", &ix)))
        return rc;
    const itsm__rv_action *a = &rv->acts[ix];
    if (a->owner == sowner)   /* interned: the same name is the same pointer */
        return itsm__err(eng, ITSM_ESTATE, "action '%s' of the review of %s is owned by %s already", a->id, r->id,
                         sowner);
    itsm__rv_ext *x;
    if ((rc = itsm__now(eng, &at)) || (rc = step_begin(r, ITSM__RV_ASSIGNED, at, NULL, &x)))
        return rc;
    x->id = a->id;
    x->ix = ix;
    x->owner = sowner;
    return itsm__batch_commit(eng);
}

int itsm_review_action_done(itsm_record *r, const char *id, const char *note)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm__review *rv;
    itsm_time at;
    int ix, rc;
    if ((rc = review_entry(r, &rv)) || (note && *note && (rc = itsm__text_arg(eng, note, "the note"))) ||
        (rc = open_action(r, rv, id, "done already", &ix)))
        return rc;
    const itsm__rv_action *a = &rv->acts[ix];
    if (!a->owner)
        return itsm__err(eng, ITSM_ESTATE, "action '%s' of the review of %s has no owner: assign it before it is done",
                         a->id, r->id);
    itsm__rv_ext *x;
    if ((rc = itsm__now(eng, &at)) || (rc = step_begin(r, ITSM__RV_DONE, at, note && *note ? note : NULL, &x)))
        return rc;
    x->id = a->id;
    x->ix = ix;
    return itsm__batch_commit(eng);
}

int itsm_review_complete(itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm__review *rv;
    itsm_time at;
    int rc;
    if ((rc = review_entry(r, &rv)))
        return rc;
    if (rv->complete)
        return itsm__err(eng, ITSM_ESTATE, "the review of %s is complete already", r->id);
    if (!rv->ncauses)
        return itsm__err(eng, ITSM_ESTATE, "the review of %s cannot be complete: no contributing cause is recorded",
                         r->id);
    for (size_t i = 0; i < rv->nacts; i++)
        if (!rv->acts[i].owner)
            return itsm__err(eng, ITSM_ESTATE, "the review of %s cannot be complete: action '%s' (%.80s) has no owner",
                             r->id, rv->acts[i].id, rv->acts[i].text);
    itsm__rv_ext *x;
    if ((rc = itsm__now(eng, &at)) || (rc = step_begin(r, ITSM__RV_COMPLETED, at, NULL, &x)))
        return rc;
    return itsm__batch_commit(eng);
}

/* ---- reading ---- */

int itsm_record_review(itsm_review_info *out, const itsm_record *r)
{
    int rc = ITSM__REC_OUT(r, out, itsm_review_info, overdue_actions, "itsm_record_review");
    if (rc)
        return rc;
    const itsm__review *rv = itsm__review_find(r->eng, r);
    if (!rv)   /* an answer, not a failure: the engine's last message stays */
        return ITSM_ENOTFOUND;
    itsm_review_info full = { sizeof full, rv->opened_at, rv->opened_by, rv->complete, rv->completed_at,
                              rv->completed_by, rv->ncauses, rv->nacts, 0, 0, 0 };
    for (size_t i = 0; i < rv->nacts; i++) {
        const itsm__rv_action *a = &rv->acts[i];
        if (a->done)
            continue;
        full.open_actions++;
        full.unowned_actions += !a->owner;
        full.overdue_actions += a->overdue;
    }
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* The review of `r` for a reader by index whose preamble (ITSM__REC_OUT)
 * passed: ITSM_ENOTFOUND (an answer, as itsm_record_review's: the engine's
 * last message stays), or ITSM_EINVAL for an index out of range. */
static int reader(const itsm_record *r, size_t index, const itsm__review **rv, size_t (*count)(const itsm__review *),
                  const char *what)
{
    if (!(*rv = itsm__review_find(r->eng, r)))
        return ITSM_ENOTFOUND;
    if (index >= count(*rv))
        return itsm__err_const(r->eng, ITSM_EINVAL, "%s: index %zu is out of range (%zu)", what, index, count(*rv));
    return ITSM_OK;
}

static size_t ncauses(const itsm__review *rv) { return rv->ncauses; }
static size_t nactions(const itsm__review *rv) { return rv->nacts; }

int itsm_review_cause_at(itsm_review_cause *out, const itsm_record *r, size_t index)
{
    const itsm__review *rv = NULL;
    int rc = ITSM__REC_OUT(r, out, itsm_review_cause, at, "itsm_review_cause_at");
    if (rc || (rc = reader(r, index, &rv, ncauses, "itsm_review_cause_at")))
        return rc;
    const itsm__rv_cause *c = &rv->causes[index];
    itsm_review_cause full = { sizeof full, c->text, c->by, c->at };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

int itsm_review_action_at(itsm_review_action *out, const itsm_record *r, size_t index)
{
    const itsm__review *rv = NULL;
    int rc = ITSM__REC_OUT(r, out, itsm_review_action, overdue, "itsm_review_action_at");
    if (rc || (rc = reader(r, index, &rv, nactions, "itsm_review_action_at")))
        return rc;
    const itsm__rv_action *a = &rv->acts[index];
    itsm_review_action full = { sizeof full, a->id,      a->text,    a->owner,   a->due, a->added_at, a->added_by,
                                a->done,     a->done_at, a->done_by, a->note,    a->overdue };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

int itsm_engine_review_actions(itsm_engine *eng, size_t *open, size_t *overdue, size_t *unowned)
{
    if (!eng)
        return ITSM_EINVAL;
    const itsm__rveng *st = itsm__rv_of(eng);
    if (open)
        *open = st->open;
    if (overdue)
        *overdue = st->overdue;
    if (unowned)
        *unowned = st->unowned;
    return ITSM_OK;
}

/* ---- the timeline excerpt ---- */

/* The key moments: what changed the course of the incident or what people
 * were told, not the bookkeeping between. */
static int key_moment(const itsm_timeline_entry *e)
{
    if (strcmp(e->type, "update") == 0)
        return 0;
    if (strcmp(e->type, "note") == 0)
        return e->kind == ITSM_NOTE_CUSTOMER;
    return 1;
}

int itsm_review_timeline(itsm_timeline **out, itsm_record *r)
{
    if (out)
        *out = NULL;
    if (!out || !r)
        return ITSM_EINVAL;
    int rc = itsm_record_timeline(out, r);
    if (rc)
        return rc;
    itsm__timeline_keep(*out, key_moment);
    return ITSM_OK;
}
