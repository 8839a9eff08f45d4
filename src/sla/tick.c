/* SPDX-License-Identifier: Apache-2.0 */
/* The tick: fire every timer that is due, each as its own step, at its
 * own deadline (DESIGN.md sections 4-7). */
#include "sla/plan.h"
#include "review/review_int.h"
#include "core/core.h"
#include "core/commit_one.h"
#include "kit/json.h"
#include "oncall/oncall_int.h"

#include <string.h>

/* ---- the tick ---- */

/* The tick's symbols are the library's literals (timer names, audiences):
 * interned once, then found by pointer. */
static const char *isym(itsm_engine *eng, const char *s)
{
    return itsm__intern_literal(eng, s);
}

static int add_audience(itsm_engine *eng, itsm__xev *x, const itsm_record *r)
{
    (void)eng;
    const char *who[2] = { STR(r, ITSM_F_ASSIGNEE), STR(r, ITSM_F_ASSIGNMENT_GROUP) };
    for (int i = 0; i < 2; i++)
        if (who[i])
            x->sym[2 + x->nsym++] = who[i];   /* already interned */
    return ITSM_OK;
}

/* What fires at the record's next_fire: what the last plan found (the
 * tick's entry is live, so nothing the plan reads changed since). Inline:
 * every fired timer asks. */
static inline fire planned(itsm_engine *eng, const itsm_record *r, const itsm__slarec *s)
{
    if (s->next_what == FIRE_NONE || s->next_fire == ITSM_TIME_NONE)
        return itsm__sla_earliest(eng, r);
    fire f = { s->next_fire, s->next_what, s->next_ck };
#ifdef ITSM_CHECK_REPLAN
    fire g = itsm__sla_earliest(eng, r);
    if (g.at != f.at || g.what != f.what || g.ck != f.ck)
        itsm__sla_replan_differs(eng, r, "the tick's kept plan", "what*256+clock at next timer", f.what * 256 + f.ck,
                       g.at != f.at ? -1 : g.what * 256 + g.ck);
#else
    (void)eng;
#endif
    return f;
}

ITSM__ALWAYS_INLINE int build_fire(itsm_engine *eng, itsm_record *r, itsm_time now, int *did)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));   /* the version the timer ran under */
    const itsm__slarec *s = itsm__sr(r);
    fire f = planned(eng, r, s);   /* the live entry's plan stands */
    *did = 0;
    if (f.what == FIRE_NONE || f.at > now)
        return ITSM_OK;
    /* A timer fires at its own deadline (a late tick still records when the
     * breach happened), never before the record's last event. */
    now = f.at > s->since ? f.at : s->since;
    itsm__xev *x = NULL;
    itsm_event *ev;
    int rc = ITSM_OK;
    itsm__batch_begin(eng);
    if (f.what >= FIRE_AGR_WARNING) {
        if ((rc = itsm__agr_fire(eng, r, f.what, f.ck, f.at, now)))
            return rc;
        *did = 1;
        return ITSM_OK;
    }
    switch (f.what) {
    case FIRE_WARNING:
    case FIRE_BREACH: {
        int breach = f.what == FIRE_BREACH;
        if (!(ev = itsm__xev_add_in(eng, breach ? ITSM__X_BREACH : ITSM__X_WARNING, r, now, &x)))
            return ITSM_ENOMEM;
        /* Final as built: it changes no field, and its time is not before
         * the record's last event (now >= since >= updated_at), the one
         * check finalising it would make. */
#ifdef ITSM_CHECK_REPLAN
        if (itsm__finalise_time(eng, ev) != ITSM_OK)
            __builtin_trap();
#endif
        ev->final = 1;
        eng->unfinal--;
        x->num = s->ck[f.ck].warned + 1;
        x->t1 = breach ? f.at : clock_due_of(eng, r, s, f.ck);
        /* the clock's name, interned at its first timer */
        if (!(x->sym[0] = itsm__se(eng)->ck_sym[f.ck]) && !(x->sym[0] = itsm__timer_sym(eng, f.ck)))
            return itsm__oom(eng);
        add_audience(eng, x, r);
        int climb = breach ? sp->climb_on_breach : sp->climb_on_warning;
        if (f.ck == ITSM__CK_OLA)
            climb = breach && sp->climb_on_ola_breach;   /* an OLA warning never climbs */
        if (climb && itsm__ladder_audience(eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1) &&
            !(rc = itsm__add_step(eng, r, now, breach ? "breach" : "warning", NULL))) {
            /* Final as built too: its one change, the level, derives
             * nothing, and its time is the warning's or breach's. */
            itsm_event *step = &eng->batch[eng->nbatch - 1];
            _Static_assert(!(ITSM__FSET_DERIVING & ((uint64_t)1 << ITSM_F_HIERARCHICAL_LEVEL)),
                           "the level derives nothing");
#ifdef ITSM_CHECK_REPLAN
            if (step->fset != (uint64_t)1 << ITSM_F_HIERARCHICAL_LEVEL || itsm__finalise_time(eng, step) != ITSM_OK)
                __builtin_trap();
#endif
            if (!step->final) {
                step->final = 1;
                eng->unfinal--;
            }
        }
        break;
    }
    case FIRE_OVERDUE: {
        if (!(ev = itsm__xev_add(eng, ITSM__X_OVERDUE, r, now, &x)))
            return ITSM_ENOMEM;
        x->t1 = itsm__sla_nu_due(eng, r);
        itsm_audience a = itsm_record_audience(r);
        if (!(x->sym[0] = isym(eng, a == ITSM_AUDIENCE_BROADCAST ? "broadcast" : "callers")))
            return itsm__oom(eng);
        break;
    }
    case FIRE_AUTOCLOSE:
        /* The auto_close role's event: the timer runs only when it is set. */
        rc = itsm__batch_fire(r, itsm__role_event(eng, r->kind, ITSM_ROLE_AUTO_CLOSE), NULL, 0, now);
        if (rc == ITSM_EGUARD || rc == ITSM_ETRANSITION) {
            char why[sizeof eng->err.msg];
            memcpy(why, eng->err.msg, sizeof why);
            itsm__batch_abort(eng);
            itsm__batch_begin(eng);
            if (!(ev = itsm__xev_add(eng, ITSM__X_AC_BLOCKED, r, now, &x)))
                return ITSM_ENOMEM;
            if (!(x->text = itsm__strdup(&eng->alloc, why)))
                return itsm__oom(eng);
            rc = ITSM_OK;
        }
        break;
    case FIRE_PAGE:
        rc = itsm__oncall_fire(eng, r, now);
        break;
    case FIRE_MAJ_COMMS:
    case FIRE_MAJ_GROUPS: {
        int comms = f.what == FIRE_MAJ_COMMS;
        if (!(ev = itsm__xev_add(eng, ITSM__X_MAJ_MISSED, r, now, &x)))
            return ITSM_ENOMEM;
        x->t1 = itsm__sr(r)->major_at + (comms ? sp->major_comms_due : sp->major_groups_due);
        if (!(x->sym[0] = isym(eng, comms ? "communication" : "groups")))
            return itsm__oom(eng);
        break;
    }
    case FIRE_REVIEW_ACTION:
        rc = itsm__review_fire(eng, r, f.ck, now);
        break;
    default:
        break;
    }
    if (rc)
        return rc;
    *did = 1;
    return ITSM_OK;
}

/* The fire built one extension event, final as built (a warning or a
 * breach that climbs nothing): its commit with the type known
 * (itsm__commit_one; the switches fold), as itsm__batch_commit would
 * commit it. */
static inline int one_ext(const itsm_engine *eng)
{
    return eng->nbatch == 1 && eng->batch[0].type == ITSM__EV_EXT && !eng->unfinal;
}

static int tick_due(itsm_engine *eng, itsm_time now, size_t *fired);
static int tick_checked(itsm_engine *eng, itsm_time now, size_t *fired);

/* A call the entry's or the time's check (itsm__check_entry,
 * itsm__check_time: their conditions, tested here) may refuse goes on apart
 * (tick_checked, the checks made in full), a jump: the common tick,
 * nothing due, then calls nothing and saves no registers. */
int itsm_engine_tick(itsm_engine *eng, itsm_time now, size_t *fired)
{
    if (fired)
        *fired = 0;
    if (!eng)
        return ITSM_EINVAL;
    if (itsm__entry_blocked(eng) || itsm__time_outside(now))
        return tick_checked(eng, now, fired);
    /* an empty queue's top is later than any time (ITSM__HEAP_NEVER) */
    if (itsm__heapent_at(&itsm__se(eng)->heap[0]) > now)
        return ITSM_OK;   /* nothing due: most ticks */
    return tick_due(eng, now, fired);
}

/* The tick with the entry's and the time's checks made in full. */
__attribute__((noinline)) static int tick_checked(itsm_engine *eng, itsm_time now, size_t *fired)
{
    int rc;
    if ((rc = itsm__check_entry(eng)) || (rc = itsm__check_time(eng, now, "tick time")))
        return rc;
    itsm__slaeng *se = itsm__se(eng);
    if (!se->nheap || itsm__heapent_at(&se->heap[0]) > now)
        return ITSM_OK;
    return tick_due(eng, now, fired);
}

/* itsm_engine_tick's loop, apart so the common call needs no frame. */
__attribute__((noinline)) static int tick_due(itsm_engine *eng, itsm_time now, size_t *fired)
{
    itsm__slaeng *se = itsm__se(eng);
    int rc = ITSM_OK;
    size_t n = 0;
    eng->has_now = 1;   /* every step of the tick happens at its time */
    eng->fixed_now = now;
    while (itsm__heapent_at(&se->heap[0]) <= now) {   /* an empty queue's top is never due */
        itsm__heapent e = se->heap[0];
        itsm_record *r = eng->recs[e.idx];
        if (!itsm__sla_ent_live(eng, &e)) {
            /* Stale: a resolve leaves its breach entry, a close its
             * auto-close entry. Past twice what the last compaction kept
             * most are: all go at once, and the queue every push and pop
             * walks stays shallow (while few records are open it would be
             * nearly all stale). The pushes since, more than the entries
             * kept, pay for the pass. */
            if (se->nheap > 2 * se->heap_kept)
                itsm__sla_heap_compact(eng);
            else
                itsm__sla_heap_pop(se);
            continue;
        }
        /* The entry stays on top while the timer fires: the record's
         * re-plan replaces it (schedule.c), one walk down the queue
         * instead of a pop and a push. Whatever else changes the queue
         * first pops it (queue.c). */
        int did = 0;
        se->firing = r;
        se->top_firing = 1;
        rc = build_fire(eng, r, now, &did);
        if (!rc && did)
            rc = one_ext(eng) ? itsm__commit_one(eng, &eng->batch[0], ITSM__EV_EXT) : itsm__batch_commit(eng);
        else if (rc)
            itsm__batch_abort(eng);
        se->firing = NULL;
        if (se->top_firing) {
            /* not planned again: it goes, as a stale entry would (on
             * failure it stays, to fire at the next tick) */
            se->top_firing = 0;
            if (!rc)
                itsm__sla_heap_pop(se);
        } else if (rc) {
            itsm__sla_heap_push(se, itsm__heapent_at(&e), e.idx);   /* room: it was popped */
        }
        if (rc)
            break;
        if (did)
            n++;
    }
    eng->has_now = 0;
    if (fired)
        *fired = n;
    return rc;
}

itsm_time itsm_engine_next_deadline(itsm_engine *eng)
{
    if (!eng || !itsm__se(eng))
        return ITSM_TIME_NONE;
    itsm__slaeng *se = itsm__se(eng);
    /* Drop stale tops: nothing observable changes. */
    while (se->nheap && !itsm__sla_ent_live(eng, &se->heap[0]))
        itsm__sla_heap_pop(se);
    return se->nheap ? itsm__heapent_at(&se->heap[0]) : ITSM_TIME_NONE;
}

