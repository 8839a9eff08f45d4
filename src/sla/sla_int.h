/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the service-levels capability - calendars, the per-record
 * clocks, the one deadline queue and the tick - and the state the
 * capabilities built on it share: escalation, communication, major
 * incidents and closure keep their flags in the record's timer state and
 * their timers in the same queue; each has its own rules, calls and event
 * classes (src/escalation, src/communication, src/major, src/closure).
 *
 * Policy section (policy->sect[ITSM__CAP_SERVICE_LEVELS], itsm__sl): the
 * document members "calendars", "service_levels", "escalation",
 * "major_incident", "communication" and "closure".
 * Engine state (eng->cap[ITSM__CAP_SERVICE_LEVELS], itsm__se): the queue,
 * the open list, the breadth index, known outages, the policy's indexes.
 * Record state (itsm__rec_xs(rec, ITSM__XS_TIMERS), itsm__sr): incidents and service
 * requests only, in the record's own block (record_size).
 */
#ifndef ITSM_SRC_SLA_INT_H
#define ITSM_SRC_SLA_INT_H

#include "itsm/sla.h"
#include <string.h>
#include "itsm/escalation.h"
#include "itsm/communication.h"
#include "kit/alloc.h"
#include "core/core.h"
#include "core/batch.h"
#include "sla/calendar.h"
#include "sla/agreement.h"
#include "capabilities.h"

struct itsm_event;

/* ---- policy section ---- */

#define ITSM__MAX_WARN     8
#define ITSM__MAX_LADDER   9
#define ITSM__MAX_STOP     8
typedef struct itsm__sla {
    char    *name;
    uint32_t response[5], resolution[5];   /* seconds of working time; 0 = none */
    int      cal[5];                       /* calendar index per priority */
} itsm__sla;

typedef struct itsm__svcsla { char *service; int sla; } itsm__svcsla;
typedef struct itsm__ola { char *group; uint32_t target; int cal; } itsm__ola;
typedef struct itsm__pausedef { char *reason; unsigned mask; } itsm__pausedef;
typedef struct itsm__route { char *category, *service, *group; } itsm__route;   /* NULL = any */
/* A rule by condition (sla/conditions.c): the condition as written and
 * compiled; the group a route gives, or the SLA index a rule gives. */
typedef struct itsm__when { char *text; struct itsm__cond *cond; char *group; int sla; } itsm__when;
#define ITSM__MAX_WHEN 64

typedef struct itsm__slapol {
    itsm__cal     *cals;    size_t ncals, ccals;
    itsm__sla     *slas;    size_t nslas, cslas;
    int            default_sla;
    itsm__svcsla  *svc;     size_t nsvc, csvc;
    itsm__ola     *olas;    size_t nolas, colas;
    itsm__pausedef *pauses; size_t npauses, cpauses;
    char          *stop[ITSM__MAX_STOP];    size_t nstop;
    unsigned       warn[ITSM__MAX_WARN];    size_t nwarn;   /* permille, ascending */
    char          *ladder[ITSM__MAX_LADDER]; size_t nladder;
    int            climb_on_breach, climb_on_warning;
    int            climb_on_ola_breach;     /* an OLA breach climbs too (default on) */
    itsm__route   *routes;  size_t nroutes, croutes;
    itsm__when    *wroutes; size_t nwroutes, cwroutes;   /* routes by condition: tried first, in order */
    itsm__when    *rules;   size_t nrules, crules;       /* SLAs by condition: tried first, in order */
    uint64_t       rule_fields;   /* ev->fset bits of the fields the SLA rules read (custom: one bit) */
    int            rule_state;    /* an SLA rule reads the state (bit 0), updated_at (bit 1: every
                                     event sets it) */
    int            major_priority;          /* priority <= this proposes; 0: off */
    uint32_t       major_breadth;           /* open incidents on a service; 0: off */
    uint32_t       major_comms_due, major_groups_due;
    uint32_t       cadence[5];
    int            broadcast_max_priority;
    uint32_t       auto_close_after;        /* wall seconds; 0: off */
    unsigned       survey_permille;
    int            knowledge_candidate;
    itsm__agreement *agrs;  size_t nagrs, cagrs;   /* agreements (agreement_policy.c) */
} itsm__slapol;

/* The section's capability hooks (sla_policy.c). */
int  itsm__slapol_new(void **out, const itsm_allocator *a);   /* the defaults */
void itsm__slapol_free(void *sp, const itsm_allocator *a);
int  itsm__slapol_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__cal_find(const itsm__slapol *sp, const char *name);
int  itsm__sla_find(const itsm__slapol *sp, const char *name);
/* Rules by condition (conditions.c): free and copy a list; the SLA of the
 * first rule that holds for a record (NULL: none holds); the group of the
 * first route that holds for a record as an event leaves it (NULL). */
void itsm__whens_free(itsm__when *w, size_t n, const itsm_allocator *a);
int  itsm__whens_clone(itsm__when **out, size_t *nout, const itsm__when *src, size_t n, const itsm_allocator *a);
const itsm__sla *itsm__sla_by_rule(const itsm__slapol *sp, const itsm_record *r);
/* The same, kept per record: itsm__sla_rule_before forgets the record's
 * choice when an event may change what the rules read (before it
 * applies), itsm__sla_rule_after chooses again once it has applied, and
 * itsm__sla_by_rule_kept answers from the kept choice (evaluating the
 * rules when none is kept). */
void itsm__sla_rule_before(itsm_record *r, const struct itsm_event *ev);
void itsm__sla_rule_after(itsm_record *r);
const itsm__sla *itsm__sla_by_rule_kept(const itsm__slapol *sp, const itsm_record *r);
const char *itsm__route_by_rule(const itsm__slapol *sp, const itsm_record *r, const struct itsm_event *ev);

struct itsm__jval;
struct itsm__jw;
/* The policy document's members (sla_json.c). */
extern const char *const itsm__slapol_json_keys[];
int  itsm__slapol_read_json(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__slapol_write_json(const itsm_policy *p, struct itsm__jw *w);

/* ---- per-record state ---- */

enum { ITSM__CK_RESPONSE = 0, ITSM__CK_RESOLUTION = 1, ITSM__CK_OLA = 2, ITSM__NCK = 3 };

typedef struct itsm__clock {
    uint32_t elapsed;      /* working seconds counted until `since` */
    uint32_t paused;       /* working seconds paused until `since` */
    uint8_t  warned;       /* warnings fired */
    uint8_t  breached;     /* ITSM__CB_* */
    uint8_t  run;          /* counting at `since` */
    uint8_t  hold;         /* paused at `since` */
} itsm__clock;

/* A clock's breached bits. A stopped clock keeps the verdict of its stop
 * (a settled record keeps its verdicts, as an agreement's instance does):
 * a priority or SLA changed afterwards does not judge it again under the
 * new target; a clock that runs again (a reopen) drops it. */
#define ITSM__CB_FIRED  1u   /* its breach fired, or a re-judge marked it */
#define ITSM__CB_JUDGED 2u   /* stopped with a target: the verdict was taken at the stop */
#define ITSM__CB_LATE   4u   /* ... and the target was reached by then */

/* flags */
#define ITSM__SF_NU_OVERDUE   0x0001u  /* overdue fired for the current next-update due */
#define ITSM__SF_AC_BLOCKED   0x0002u  /* auto-close refused by a guard */
#define ITSM__SF_MAJ_PROPOSED 0x0004u
#define ITSM__SF_MAJ_REJECTED 0x0008u
#define ITSM__SF_MAJ_COMMS    0x0010u  /* initial communication issued */
#define ITSM__SF_MAJ_GROUPS   0x0020u  /* technical groups engaged */
#define ITSM__SF_MAJ_COMMS_MISSED  0x0040u
#define ITSM__SF_MAJ_GROUPS_MISSED 0x0080u
#define ITSM__SF_OUTAGE       0x0100u  /* a declared known outage */
#define ITSM__SF_HELD         0x0200u  /* in the heap at next_fire */
#define ITSM__SF_OPEN_LISTED  0x0400u  /* on the open list */
#define ITSM__SF_KB_CANDIDATE 0x0800u  /* resolved with no knowledge matched */
#define ITSM__SF_NU_PROMISE   0x1000u  /* nu_at is a customer update's promise */
#define ITSM__SF_EXC_LISTED   0x2000u  /* on the aging exception list (may be stale) */
#define ITSM__SF_ALWAYS       0x4000u  /* every calendar of its plan is 24x7 (set by each re-plan) */
#define ITSM__SF_PAGED        0x8000u  /* an on-call page waits for its acknowledgement (src/oncall) */
#define ITSM__SF_MOVED        0x10000u /* moved to another policy version at the event being applied */
#define ITSM__SF_RULE_KEPT    0x20000u /* the bits from ITSM__SF_RULE_SHIFT up hold the SLA the SLA rules
                                           choose for the record as it is (conditions.c) */
#define ITSM__SF_RULE_EVERY   0x40000u /* its SLA rules read updated_at, which every event sets: every
                                           event re-plans */
#define ITSM__SF_HOLD_SHIFT   19       /* flags >> it & 7: the pause mask the clocks' hold flags were set
                                          with (hold == run & it, every clock): the quiet step compares
                                          masks instead of clocks (plan.h, holds_set_with) */
#define ITSM__SF_HOLD_MASK    (7u << ITSM__SF_HOLD_SHIFT)
#define ITSM__SF_RULE_SHIFT   24       /* flags >> it: that SLA's index + 1 (0: no rule holds); in the
                                          flags, where the record's block has no byte to spare */

/* An instance of one agreement on a record (agreement_run.c). */
typedef struct itsm__agrinst {
    uint32_t     elapsed;       /* working seconds counted until the record's `since` */
    uint32_t     paused;        /* working seconds paused until `since` */
    itsm_time    started_at, stopped_at;
    uint8_t      active;        /* applies now */
    uint8_t      ever;          /* applied at some time */
    uint8_t      started;
    uint8_t      stopped;       /* 1: stopped within its target, 2: stopped past it (its verdict) */
    uint8_t      hold;
    uint8_t      warned, breached;
    /* The conditions' verdicts on the record as it is (bit k: condition
     * ITSM__AC_k held), for the conditions whose bit is in `known`: an
     * event clears the bits of those whose inputs it changed. */
    uint8_t      verd, known;
} itsm__agrinst;

/* One step of a record's agreement history. */
typedef struct itsm__agrent {
    itsm_time    at;
    uint16_t     agr;           /* index in the policy's agreements */
    uint8_t      step;          /* itsm_agreement_step */
    uint8_t      level;
    uint8_t      verdict;
} itsm__agrent;

/* A record's agreements: one instance per agreement of the policy, and
 * the history; room for the steps of a batch is reserved before it
 * applies. */
typedef struct itsm__agrrec {
    itsm__agrinst *inst;
    itsm__agrent  *hist;  size_t nhist, chist;
    size_t         want;        /* reserve's count */
} itsm__agrrec;

typedef struct itsm__slarec {
    itsm_time    since;         /* last event time: clocks are exact until here */
    itsm_time    state_since;   /* when the current state was entered */
    itsm_time    nu_at;         /* next update: the promised time (ITSM__SF_NU_PROMISE), else the
                                   start the cadence counts from; NONE: not started */
    itsm_time    major_at;      /* the first phase of an accepted major incident started: the
                                   acceptance of its desk handover if there was one, else the
                                   decision; NONE: not a major incident */
    itsm_time    desk_at;       /* a desk_to_major handover was acknowledged; NONE: none */
    itsm_time    next_fire;     /* earliest timer; NONE: nothing scheduled */
    itsm__agrrec *agr;          /* agreements; NULL when the policy has none */
    uint32_t     ola_group;     /* the symbol id of the group the OLA clock belongs to; 0: none */
    uint32_t     prev, next;    /* open list, by opening: positions in eng->recs, ITSM__NIL at the ends */
    itsm__clock  ck[ITSM__NCK];
    uint32_t     idx;           /* position in eng->recs */
    uint32_t     svc;           /* slot in eng->sla->svc this incident is counted in; ITSM__NIL: none */
    uint32_t     flags;         /* ITSM__SF_* */
    uint8_t      state;         /* state at `since` */
    uint8_t      sla_ovr;       /* SLA index + 1 set by hand; 0: by service / default (a policy
                                   holds at most ITSM_MAX_SLAS = 255) */
    uint8_t      next_what;     /* what fires at next_fire (FIRE_*) and, below, its clock or action:
                                   the tick fires it without planning again; FIRE_NONE: ask earliest() */
    uint8_t      next_ck;
} itsm__slarec;

#define ITSM__NIL UINT32_MAX

/* The bits of itsm__slaeng's live_state. */
#define ITSM__ST_OPEN 1u
#define ITSM__ST_STOP 2u

/* ---- engine state ---- */

/* A deadline queue entry: the time's 8 bytes 4-byte aligned, so an entry
 * is 12 bytes, not 16 (one per open record: bench_memory counts it); read
 * and written with memcpy, one 8-byte load or store. */
typedef struct itsm__heapent { uint32_t at[2]; uint32_t idx; } itsm__heapent;
/* The queue's children per node (queue.c): those of entry i are
 * ITSM__HEAP_ARITY * i + 1 onwards. */
#define ITSM__HEAP_ARITY 4
static inline itsm_time itsm__heapent_at(const itsm__heapent *e)
{
    itsm_time t;
    memcpy(&t, e->at, sizeof t);
    return t;
}
/* The time heap[0] holds while the queue is empty: later than any time a
 * tick is given (ITSM_TIME_MAX), so that the tick asks the top's time
 * alone whether anything is due. The queue's array is made with the
 * engine (sla.c, engine_init) and never shrinks. */
#define ITSM__HEAP_NEVER INT64_MAX
static inline void itsm__heap_set_empty(itsm__heapent *h)
{
    itsm_time t = ITSM__HEAP_NEVER;
    memcpy(h[0].at, &t, sizeof t);
    h[0].idx = 0;
}

typedef struct itsm__outage {
    const char  *service;       /* interned */
    itsm_record *rec;
} itsm__outage;

/* Open (not closed, not in a stop state) incidents per service, for the
 * breadth rule: `first` is the incident that started the current run (the
 * first opened on the service since it last had none; ITSM__NIL once it
 * left), `proposed` is set when the breadth rule proposed a major incident
 * for the run, and cleared when the count drops to 0. */
typedef struct itsm__svccount {
    const char *service;    /* interned */
    uint32_t    open;
    uint32_t    first;
    uint32_t    proposed;
} itsm__svccount;

/* An opening's first plan under a version's policy for one priority
 * (replan.c, itsm__sla_replan_open): what a new record, unanswered, held
 * for no reason, with no SLA by hand, opening into a state where the clocks
 * count under the policy's default SLA, gets from the whole re-plan. Its
 * clocks are made zeroed, so which of them start and when the first of
 * their thresholds falls are the SLA's targets for the priority alone: on
 * a 24x7 calendar, the opening's time plus a constant. */
typedef struct itsm__opentpl {
    int64_t  due;      /* the first timer's distance from the opening; -1: none */
    int64_t  at_max;   /* the latest opening whose quick count does not overflow */
    uint8_t  run[ITSM__NCK];   /* the clocks that start: each clock's run byte */
    uint8_t  what, ck; /* the first timer (FIRE_NONE, 0: none) */
    uint8_t  quick;    /* the form applies: no service map, no SLA rules, the SLA's calendar
                          for the priority 24x7 with working time in its week */
} itsm__opentpl;

typedef struct itsm__slaeng {
    itsm__heapent *heap;  size_t nheap, cheap;
    size_t         heap_kept;       /* entries the last compaction kept (tick.c, tick_due) */
    itsm_record   *oldest, *newest; /* open list: by opened_at, then id, once sorted */
    size_t         nopen;
    uint8_t        open_unsorted;   /* a record joined the open list ahead of its place (another
                                       node's older record caught up on): aging sorts it first */
    itsm__outage  *outages; size_t noutages, coutages;
    itsm__svccount *svc;  size_t nsvc, csvc;   /* open incidents per service */
    uint32_t      *exc;   size_t nexc, cexc;   /* aging: records whose resolution clock is paused
                                                  or breached (lazily compacted) */
    itsm_record   *firing;          /* the record whose timer the tick is firing */
    uint8_t        top_firing;      /* the queue's top is still firing's entry: its re-plan replaces it
                                       (queue.c, itsm__sla_heap_retop) */
    /* Events reserve may let through without looking again (sla.c,
     * reserve): an applied event takes at most one entry of the queue, the
     * breadth index, the aging list and the outages, so the least room
     * left in them (and below the queue's compaction mark) when reserve
     * last grew them, less the events reserved since. 0: look (always with
     * agreements). Whatever takes room outside a step sets it to 0. */
    uint32_t       room;
    /* Which states stop the service-level clocks, by kind and state index:
     * resolved once from the policy's names, read on every apply. */
    uint64_t       stop_bits[ITSM_KIND_COUNT + 1][(ITSM__MAX_STATES + 63) / 64];
    /* Each state by kind and index: open under live_policy (the engine's
     * policy when they were found; ITSM__ST_OPEN) and a stop state
     * (ITSM__ST_STOP); the clocks count where it is ITSM__ST_OPEN alone
     * (replan_short.c, the step between open states; replan.c). A byte a
     * state: every step reads two, one load each. */
    uint8_t        live_state[ITSM_KIND_COUNT + 1][ITSM__MAX_STATES + 1];
    const itsm_policy *live_policy;
    /* live_policy when the policy has no agreements (then no record has
     * instances) and no version has SLA rules, else NULL: the after-event
     * leaves (replan_short.c) ask one comparison with the engine's policy,
     * not three tests, whether their short forms may decide alone. */
    const itsm_policy *short_policy;
    /* The fields whose change an event must re-plan for under some version
     * of the engine's policy (the union of timer_fields_in and the hold
     * reason, replan_short.c): an update's leaf tests them without looking
     * up its record's version. */
    uint64_t       timer_fields;
    /* The auto_close role's event by kind (-1: none), resolved likewise:
     * every re-plan asks whether a stopped record can auto-close. */
    int            auto_close_ev[ITSM_KIND_COUNT + 1];
    /* The stop states, by kind and index, whose auto_close step under
     * live_policy leads to another state (schedule.c, auto_close_due):
     * found with live_state, not looked up at each schedule. */
    uint64_t       ac_bits[ITSM_KIND_COUNT + 1][(ITSM__MAX_STATES + 63) / 64];
    /* Payloads of disposed extension events, kept for the next ones: a
     * fired timer's step makes and disposes one or two (sla_events.c). */
    struct itsm__xev *xfree[3];
    /* The last hold reason's pause mask under the last policy version
     * (plan.h, pause_mask_cached): by the version's index, which names one
     * policy for the engine's life (versions are only added). */
    uint32_t       pm_reason;       /* its symbol id; 0: none yet */
    unsigned       pm_mask;
    uint16_t       pm_pv;
    uint8_t        nxfree;          /* of xfree */
    /* Every calendar a record without a hand-set SLA can count in is 24x7:
     * its working time is wall time, so advancing its clocks needs no
     * calendar lookup. */
    uint8_t        cals_always;
    uint8_t        has_agreements;  /* the policy has agreements */
    uint8_t        has_rules;       /* a version of the policy has SLA rules (conditions.c keeps
                                       their choice per record) */
    uint8_t        loading;         /* a store loads: schedules are planned at its end (sla.c, load) */
    const char    *ck_sym[ITSM__NCK];  /* the clocks' names as interned (itsm__timer_sym) */
    /* The escalation ladder's audiences as interned, under ladder_policy
     * (a version's policy lives as long as the engine): src/escalation. */
    const char    *ladder_sym[ITSM__MAX_LADDER];
    const itsm_policy *ladder_policy;
    /* An opening's first plan by priority (0: none) under the version
     * open_pv - 1 (0: none made yet): replan.c. By the version's index, as
     * pm_pv: it names one policy for the engine's life. */
    uint32_t       open_pv;
    itsm__opentpl  open_tpl[6];
} itsm__slaeng;

static inline itsm__slaeng *itsm__se(const itsm_engine *eng)
{
    return (itsm__slaeng *)eng->cap[ITSM__CAP_SERVICE_LEVELS];
}
/* The next update is owed from `at`: at the cadence from it, or at `at`
 * itself when it is a promise (a customer update's or an outage notice's
 * next update); a new due time that has not been overdue yet. */
static inline void itsm__nu_owed(itsm__slarec *s, itsm_time at, int promise)
{
    s->nu_at = at;
    s->flags = (s->flags & ~(ITSM__SF_NU_PROMISE | ITSM__SF_NU_OVERDUE)) | (promise ? ITSM__SF_NU_PROMISE : 0u);
}

static inline itsm__slarec *itsm__sr(const itsm_record *r)
{
    return (itsm__slarec *)itsm__rec_xs(r, ITSM__XS_TIMERS);
}

/* A running clock gains `w` seconds, of pause while it holds. */
_Static_assert(offsetof(itsm__clock, paused) == offsetof(itsm__clock, elapsed) + sizeof(uint32_t),
               "paused follows elapsed: itsm__sla_count_up picks one by the hold flag");
static inline void itsm__sla_count_up(itsm__clock *c, int64_t w)
{
    if (!c->run)
        return;
    /* elapsed, or paused while it holds: picked by offset, no branch */
    uint32_t *acc = (uint32_t *)(void *)((char *)c + offsetof(itsm__clock, elapsed) + sizeof(uint32_t) * c->hold);
    int64_t sum = (int64_t)*acc + w;
    *acc = sum > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
}

/* Each running clock gains `w` seconds: a 24x7 calendar's work from
 * `since` to the event time. */
static inline void itsm__sla_count_all(itsm__slarec *s, int64_t w)
{
    _Static_assert(ITSM__NCK == 3, "each clock below");
    itsm__sla_count_up(&s->ck[0], w);
    itsm__sla_count_up(&s->ck[1], w);
    itsm__sla_count_up(&s->ck[2], w);
}

/* xapply's SLA set by hand (`sla`: its index + 1, 0 none) on the record
 * of `ev`: where it leaves 24x7 the before hook counts again (sla.c). */
void itsm__sla_set_by_hand(itsm_engine *eng, itsm_event *ev, itsm__slarec *s, int sla);
#ifdef ITSM_CHECK_REPLAN
/* Whether the after hook's count is exact for `r` (sla.c, count_where). */
int itsm__sla_alone_exact(const itsm_engine *eng, const itsm_record *r, const itsm__slarec *s);
#endif

/* A deadline of the major incident's first phase met at `at`: done, and
 * missed as well when `at` is past its due time, whether or not a tick
 * reported it first (as a stopped clock met late reads breached). */
static inline void itsm__major_done(const itsm_record *r, itsm__slarec *s, int groups, itsm_time at)
{
    const itsm__slapol *sp = (const itsm__slapol *)itsm__rec_policy(r)->sect[ITSM__CAP_SERVICE_LEVELS];
    if (s->major_at == ITSM_TIME_NONE)
        return;
    s->flags |= groups ? ITSM__SF_MAJ_GROUPS : ITSM__SF_MAJ_COMMS;
    if (at > s->major_at + (groups ? sp->major_groups_due : sp->major_comms_due))
        s->flags |= groups ? ITSM__SF_MAJ_GROUPS_MISSED : ITSM__SF_MAJ_COMMS_MISSED;
}

/* A communication to the customers (a customer update, an outage notice)
 * at `at` expecting restoration at `eta` and promising the next update at
 * `next`; on an accepted major incident it is also the initial
 * communication (seeds 001, 002). The next update is owed at the earlier
 * of the two: "if the IT organization is unable to meet the expected time
 * frame for restoration of service, proactive status updates" tell the
 * customer (seed 002) - restoring in time stops the clock anyway. */
static inline void itsm__customers_told(const itsm_record *r, itsm__slarec *s, itsm_time at, itsm_time eta,
                                        itsm_time next)
{
    itsm__nu_owed(s, eta != ITSM_TIME_NONE && eta > at && eta < next ? eta : next, 1);
    if (itsm__rec_num(r, ITSM__SLOT_MAJOR) && !(s->flags & ITSM__SF_MAJ_COMMS))
        itsm__major_done(r, s, 0, at);
}
static inline itsm__slapol *itsm__sl(const itsm_policy *p)
{
    return (itsm__slapol *)p->sect[ITSM__CAP_SERVICE_LEVELS];
}

/* ---- shared between the sla files ---- */
const itsm__cal *itsm__rec_cal(const itsm_engine *eng, const itsm_record *r);
uint32_t itsm__rec_target(const itsm_engine *eng, const itsm_record *r, int ck);
/* Find live_state again (sla.c): after the engine's policy changed. */
void itsm__sla_live_bits(itsm_engine *eng);

/* Inline: every hook asks it several times per event. */
static inline int itsm__state_is_stop(const itsm_engine *eng, const itsm_record *r, int state)
{
    return (int)((itsm__se(eng)->stop_bits[r->kind][(unsigned)state / 64] >> ((unsigned)state % 64)) & 1u);
}

/* Open and not in a stop state (resolved, fulfilled): a record still being
 * worked, whose clocks count. `state` may be the one a step takes it to. */
static inline int itsm__state_is_live(const itsm_engine *eng, const itsm_record *r, int state)
{
    return !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), state) && !itsm__state_is_stop(eng, r, state);
}

/* ---- between the service-level files (sla.c, schedule.c, replan*.c, tick.c, timers.c) ---- */

/* The earliest timer of a record and what it fires. */
enum { FIRE_NONE = 0, FIRE_WARNING, FIRE_BREACH, FIRE_OVERDUE, FIRE_AUTOCLOSE, FIRE_MAJ_COMMS, FIRE_MAJ_GROUPS,
       FIRE_PAGE,
       FIRE_REVIEW_ACTION,   /* a post-incident review's action (src/review); ck: its index */
       FIRE_AGR_WARNING, FIRE_AGR_BREACH };
typedef struct fire { itsm_time at; int what; int ck; } fire;
fire      itsm__sla_earliest(const itsm_engine *eng, const itsm_record *r);
/* The calendar clock `ck` counts in; the due time of a clock and of the
 * next customer update (ITSM_TIME_NONE: none). */
const itsm__cal *itsm__sla_cal_of(const itsm_engine *eng, const itsm_record *r, int ck);
itsm_time itsm__sla_clock_due(const itsm_engine *eng, const itsm_record *r, int ck);
itsm_time itsm__sla_nu_due(const itsm_engine *eng, const itsm_record *r);
/* Plan the record's next timer again after its flags changed outside a
 * step (sla/rejudge.c); the queue grows by one. ITSM_ENOMEM. */
int       itsm__sla_replan(itsm_engine *eng, itsm_record *r);
/* The deadline queue (room reserved by the capability's reserve hook). */
void      itsm__sla_heap_push(itsm__slaeng *se, itsm_time at, uint32_t idx);
void      itsm__sla_heap_pop(itsm__slaeng *se);
void      itsm__sla_heap_retop(itsm__slaeng *se, itsm_time at, uint32_t idx);
/* Whether the queue's top is record `idx`'s entry at `at` (its live one
 * when `at` is its next_fire) and no fired entry waits there: a record
 * whose timer moves then replaces it (itsm__sla_heap_retop) or drops it
 * (itsm__sla_heap_pop) instead of leaving it stale for the tick to drop
 * (a tick, and often a compaction, for each). */
static inline int itsm__sla_heap_top_is(const itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    return se->nheap && se->heap[0].idx == idx && !se->top_firing && itsm__heapent_at(&se->heap[0]) == at;
}
int       itsm__sla_ent_less(const itsm__heapent *a, const itsm__heapent *b);
/* Whether entry `e` is its record's next timer (else stale). Inline: the
 * tick asks it of every entry it takes. */
static inline int itsm__sla_ent_live(const itsm_engine *eng, const itsm__heapent *e)
{
    const itsm__slarec *s = itsm__sr(eng->recs[e->idx]);
    return s && s->next_fire == itsm__heapent_at(e);
}
/* The open list's order (aging by age): by opened_at, ties by record id,
 * so every engine holding the records lists them alike. */
static inline int itsm__sla_opened_after(const itsm_record *a, const itsm_record *b)
{
    itsm_time oa = itsm__rec_num(a, ITSM__SLOT_OPENED_AT);   /* named: every opening asks (fields.h) */
    itsm_time ob = itsm__rec_num(b, ITSM__SLOT_OPENED_AT);
    return oa != ob ? oa > ob : strcmp(a->id, b->id) > 0;
}
/* Drop stale entries and duplicates; O(heap). Changes nothing observable. */
void      itsm__sla_heap_compact(itsm_engine *eng);
/* An open record whose resolution clock is paused or breached: on the
 * aging exception list, not found through the queue. */
int       itsm__sla_exc_qualifies(const itsm__slarec *s);
/* One hierarchical escalation step in the batch being built (escalation:
 * src/escalation). `reason` is a string literal ("breach", ...): interned
 * by its pointer. ITSM_ELIMIT at the top of the ladder. */
int       itsm__add_step(itsm_engine *eng, itsm_record *r, itsm_time at, const char *reason, const char *note);

extern const itsm__capability itsm__cap_service_levels;

/* The extension payload of every event class of this capability. */
#define ITSM__XSYMS 6
typedef struct itsm__xev {
    int          cls;                   /* ITSM__X_* */
    int64_t      num;
    itsm_time    t1, t2;
    const char  *sym[ITSM__XSYMS];      /* interned */
    unsigned     nsym;                  /* for list members */
    char        *text;                  /* owned */
} itsm__xev;

enum {
    ITSM__X_WARNING = 0, ITSM__X_BREACH, ITSM__X_STEP, ITSM__X_FUNCTIONAL,
    ITSM__X_OVERDUE, ITSM__X_AC_BLOCKED, ITSM__X_SLA_SET,
    ITSM__X_MAJ_PROPOSED, ITSM__X_MAJ_DECIDED, ITSM__X_MAJ_COMMS, ITSM__X_MAJ_GROUPS,
    ITSM__X_MAJ_MISSED, ITSM__X_OUTAGE, ITSM__X_OUTAGE_END, ITSM__X_AGR_WARNING, ITSM__X_AGR_BREACH,
    ITSM__X_COUNT
};
extern const struct itsm__evclass itsm__xclasses[ITSM__X_COUNT];

/* Add an extension event of class `cls` to the batch, with a zeroed payload.
 * NULL on ENOMEM (message set). */
struct itsm_event *itsm__xev_add(itsm_engine *eng, int cls, itsm_record *r, itsm_time at,
                                 itsm__xev **payload);
/* itsm__xev_add inline, with a kept payload (the tick's events: every
 * fired timer adds one or two); without one, the general path. */
static inline struct itsm_event *itsm__xev_add_in(itsm_engine *eng, int cls, itsm_record *r, itsm_time at,
                                                  itsm__xev **payload)
{
    itsm__slaeng *se = itsm__se(eng);
    if (!se->nxfree)
        return itsm__xev_add(eng, cls, r, at, payload);
    itsm_event *ev = itsm__batch_add_in(eng, ITSM__EV_EXT, r, at);
    if (!ev)
        return NULL;
    itsm__xev *x = se->xfree[--se->nxfree];
    /* xnew's zeroed payload, but for the list's slots past nsym: nothing
     * reads those (xwrite, xread and the builders go by nsym) */
    x->cls = cls;
    x->num = 0;
    x->t1 = x->t2 = ITSM_TIME_NONE;
    x->sym[0] = x->sym[1] = NULL;
    x->nsym = 0;
    x->text = NULL;
    ev->cls = &itsm__xclasses[cls];
    ev->ext = x;
    *payload = x;
    return ev;
}
const char *itsm__timer_name(int ck);
const char *itsm__timer_sym(itsm_engine *eng, int ck);

/* A step of these capabilities on one record: the entry checks (a
 * tracked, open record; the step's time), a one-event batch of class
 * `cls`, and the abort on failure (returns rc). */
int  itsm__xstep_begin(itsm_record *r, itsm_time *at, const char *what);
int  itsm__xstep_one(itsm_record *r, int cls, itsm_time at, struct itsm_event **ev, itsm__xev **x);
int  itsm__xstep_fail(itsm_engine *eng, int rc);
const char *itsm__ladder_audience(const itsm_engine *eng, int level);
/* ---- agreements on records (agreement_run.c) ---- */

/* Reserve: every record of the batch with service levels gets its
 * instances, and room for the history steps the batch can add. */
int  itsm__agr_reserve(itsm_engine *eng);
/* Before an event: advance the running clocks from `from` to `to`. */
void itsm__agr_advance(const itsm_engine *eng, itsm_record *r, itsm_time from, itsm_time to);
/* After an event: evaluate every agreement's conditions on the record. */
void itsm__agr_evaluate(itsm_engine *eng, const itsm_event *ev);
/* The earliest warning or breach of the record's instances (FIRE_NONE,
 * at NONE: none). */
fire itsm__agr_earliest(const itsm_engine *eng, const itsm_record *r);
/* The tick: the warning or breach (`what`, FIRE_AGR_*) of agreement `g`
 * due at `due`, as an event at `at`. Scalars: the caller's fire stays in
 * registers. */
int  itsm__agr_fire(itsm_engine *eng, itsm_record *r, int what, int g, itsm_time due, itsm_time at);
/* Applying a stored warning or breach; the agreement's index (or -1). */
void itsm__agr_apply_x(itsm_engine *eng, itsm_event *ev, int breach);
int  itsm__agr_find(const itsm__slapol *sp, const char *name);
void itsm__agr_free(itsm_engine *eng, itsm__slarec *s);

/* The breadth rule's slot for an interned service; ITSM__NIL when none. */
uint32_t itsm__svc_find(const itsm__slaeng *se, const char *service);

#endif
