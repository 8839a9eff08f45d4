/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/replay.h - what the log replays (uci.c, bpi.c, bpi_problems.c,
 * helpdesk.c) share: a string pool, per-case bookkeeping (a case is an
 * incident or a problem of the log), the refusal list, the quirk counters
 * with their line numbers, the order rows are applied in, and the report
 * (report.c).
 *
 * The report is computed here from the library's records through the public
 * read API (itsm_record_int/str), next to the log's own columns. The SLA
 * verdicts are the library's own: the policy document's service_levels
 * section gives the targets, the replay ticks the engine to each row's time
 * before applying the row (rp_tick: breaches fire as events, in deadline
 * order), and at a case's last row the record's resolution timer
 * (itsm_record_timer) gives met / breached (rp_verdict).
 *
 * Row order (rp_order): the rows of one case are applied together, in time
 * order. A case whose rows come back after other cases' rows is one case
 * (its rows are merged, counted once in every per-case figure); rows of a
 * case earlier than its previous row are applied in time order (ties keep
 * the file's order); a row that repeats an earlier row of its case exactly
 * is skipped. Each is a quirk listed with its line numbers.
 */
#ifndef ITSM_TOOLS_REPLAY_H
#define ITSM_TOOLS_REPLAY_H

#include <itsm.h>
#include <stdio.h>

#include "csv.h"

/* ---- string pool: equal strings get the same pointer ---- */
typedef struct rp_pool rp_pool;
rp_pool    *rp_pool_new(void);
void        rp_pool_free(rp_pool *p);
const char *rp_intern(rp_pool *p, const char *s, size_t n);
/* The number of distinct strings the pool holds. */
size_t      rp_pool_count(const rp_pool *p);

/* The engine's handle of a pooled string (itsm_engine_symbol), made once
 * per replay and kept in front of the string's bytes: rows pass handles,
 * which the engine knows by address, and a field read back
 * (itsm_record_str) equals a handle by pointer. A string the engine
 * refuses as a symbol is its own "handle": the library refuses it where it
 * is used, as it would the plain string. The handle is for the replay's
 * engine (replay.eng, which a replay keeps from its first rp_sym on): the
 * replay's epoch, unique per rp_init, names both, so one compare tells a
 * handle made for it (0: none yet). n is the string's length, for
 * itsm_engine_symbol_n. */
typedef struct rp_symhead { unsigned long epoch; const char *handle; size_t n; } rp_symhead;
struct replay;
const char *rp_sym_slow(struct replay *rp, const char *pooled);

/* A one-entry cache per column: rows of one case repeat most values, and
 * comparing the bytes with the last ones is cheaper than hashing them. */
typedef struct rp_memo { const char *interned; size_t n; itsm_time t; char buf[32]; } rp_memo;
const char *rp_intern_memo(rp_pool *p, rp_memo *m, const char *s, size_t n);
/* A time column through `parse`, remembered likewise. */
itsm_time   rp_time_memo(rp_memo *m, const char *s, size_t n, itsm_time (*parse)(const char *, size_t));

/* A log's header line: split at `sep`, the position of each of the `n`
 * needed columns `names` in pos[] (their memos emptied), the column count in
 * *ncols. 0, or -1 with the reason in err ("header: no column 'X' (is this
 * WHAT?)") when a column is missing or there are too many. */
int rp_find_columns(char *line, size_t len, char sep, const char *const *names, int n, int *pos,
                    rp_memo *memo, int *ncols, const char *what, char *err, size_t errcap);

/* ---- the replay ---- */

/* One case (incident or problem) as the log sees it at its last row. A new
 * case starts zero-filled but for the fields rp_incident_get sets (the
 * -1 / ITSM_TIME_NONE ones): a field added here starts at 0 / NULL. */
typedef struct rp_incident {
    const char  *id;            /* interned */
    itsm_record *rec;           /* NULL if the library never opened it */
    int          open_tried;    /* a row tried to open it (refused: rec stays NULL) */
    itsm_time    last_t;        /* event time of the last applied row */
    long         rows;
    /* the log's own columns at the case's last row (-1 / ITSM_TIME_NONE: absent) */
    int          log_reassign, log_reopen, log_made_sla, log_priority;
    itsm_time    log_opened, log_resolved, log_closed;
    /* the support team and line, counted from the log alone: team changes,
     * pushes to a higher line, the highest line, and whether a team came
     * back after another had it (ping-pong) */
    int          log_team_changes, log_escalations, log_max_level, lib_max_level, log_pingpong;
    int          log_level;     /* the line at the last row */
    const char  *log_team;      /* the team at the last row (interned) */
    /* the distinct teams seen, for ping-pong: the first ones in team_few
     * (most cases have one or two, few more than six: no allocation), the
     * rest in teams */
    const char  *team_few[6];
    const char **teams;
    int          nteams, cteams;
    int          log_completed; /* the log reached a completed status */
    /* the rows of the latest resolution in the log: the first and the last
     * row of the run of Resolved rows (ITSM_TIME_NONE: none) */
    itsm_time    run_first, run_last;
    int          logged_resolved;   /* the first row was already resolved, at the opening */
    const char  *prev[2];       /* a mapper's last values of columns it only counts (interned) */
    /* A mapper's copy of record fields it compares rows with, as they are
     * at record revision known_rev (0: none read). Events are the only way
     * a record changes, so while itsm_record_revision still gives known_rev
     * the copy stands and the fields need not be read again; the sink
     * moves known_rev over events it proved leave the copy true (see
     * replay.watch). known_state is the record's state at known_rev:
     * only transitions move a state, and the sink puts the state one it
     * moved the copy over entered there (known_from -1: the mapper's
     * code for it not made yet), so it is not read again either. */
    uint64_t     known_rev;
    const char  *known_state;
    const char  *known_str[7];
    int64_t      known_num[2];
    /* the row value (interned) last found equal to known_str[i], kept
     * while a read gives the same field value: a row repeating it is
     * compared by one pointer, without its handle. NULL (a row's '?')
     * only while known_str[i] is NULL; a mapper's own mark when no value
     * is known equal (uci.c: pool_unknown) */
    const char  *known_pool[7];
    /* a mapper's mark of the row values known_pool holds, when a row's
     * own mark tells they are its values too (uci.c: uci_row.tuple; 0:
     * none) */
    uint64_t     known_row;
    int          known_from;    /* a mapper's own code for known_state (-1: to be made) */
    /* the library's resolution timer at the case's last row (rp_verdict) */
    int          sla;           /* RP_SLA_* */
    int          sla_paused;    /* the timer recorded paused time */
} rp_incident;

enum {
    RP_SLA_NONE = 0,    /* no target (no priority) or never opened */
    RP_SLA_MET,         /* stopped (resolved or closed) before its target */
    RP_SLA_BREACHED,    /* the breach fired, or the clock reached the target */
    RP_SLA_RUNNING      /* still open at its last row, target not reached: undecided */
};

typedef struct rp_refusal {
    long        line;     /* line number in the file (the header is line 1) */
    const char *file;     /* the input file (interned) */
    const char *record;   /* interned */
    const char *reason;   /* interned: the group key */
    char       *message;  /* the library's message (itsm_errmsg) or the mapper's */
} rp_refusal;

/* A line of an input file (the file is interned; logs of one file name it too). */
typedef struct rp_where { const char *file; long line; } rp_where;

enum { RP_MAX_QUIRKS = 24 };
typedef struct rp_quirk {
    const char *name, *handling;
    long        count;
    int         listed;         /* line numbers are kept (anomalies, not routine mapping) */
    rp_where   *lines;
    size_t      nlines, clines;
} rp_quirk;

/* The shared quirks of reading and ordering (rp_order, rp_read_end). */
enum { RP_Q_NOT_CONTIGUOUS = 0, RP_Q_OUT_OF_ORDER, RP_Q_DUPLICATE, RP_Q_CUT_LINE, RP_Q_SHARED };

typedef struct replay {
    itsm_engine *eng;
    itsm_time    now;              /* the virtual clock the engine reads */
    rp_pool     *pool;
    const char  *actor;            /* interned: the engine's current actor */
    const char  *file;             /* the input file of the rows being applied (interned) */
    size_t       cur;              /* the case whose rows are being applied: index + 1, 0 none */
    const char  *cur_id;           /* its id (NULL: none), and the case (rp_row_case) */
    rp_incident *cur_in;
    /* A mapper's step when the current case's rows are done (NULL: none),
     * before its verdict (rp_case_done): uci.c writes the log's columns of
     * the case's last row (case_last, its own) then, not at every row. */
    void       (*case_done)(struct replay *rp, rp_incident *in);
    const void  *case_last;
    itsm_kind    kind;             /* the kind of record the mapper opens (0: incident) */
    long rows, applied, unchanged, refused, skipped;
    unsigned long long events;     /* events the library accepted (sink) */
    unsigned long long fired;      /* timers itsm_engine_tick fired (breaches, ...) */
    /* the resolution targets the library applied, by priority (seen at verdicts) */
    uint32_t     sla_target[5];
    const char  *sla_calendar[5];  /* borrowed from the engine's policy */
    const char  *sla_name;         /* the SLA's name, borrowed likewise */
    rp_incident *inc;  size_t ninc, cinc;
    size_t      *slot; size_t cslot;   /* id -> index + 1 (open addressing on the pointer) */
    rp_refusal  *ref;  size_t nref, cref;
    rp_quirk     quirk[RP_MAX_QUIRKS];
    int          nquirks;
    const char  *input_error;      /* the input could not be read whole (interned) */
    /* Group commit (itsm_engine_begin): rp_run commits a group every time
     * it holds at least this many events (0: every step is its own
     * transaction); a group the store did not keep stops the run with its
     * message here (interned). */
    size_t       group;
    const char  *store_error;
    /* which engine the handles kept in the pool are for (rp_sym): a
     * number per rp_init, so an engine freed and another made at its
     * address never meets the old handles */
    unsigned long epoch;
    /* the record states a mapper compares (itsm_record_state), as the
     * engine gives them: compared by pointer, learnt at first sight */
    const char  *state_seen[12];
    /* The state a mapper's records open in (itsm_record_state after the
     * first opening: a lifecycle has one initial state) and the mapper's
     * code for it; NULL: not learnt yet. */
    const char  *open_state;
    int          open_from;
    long         opened;           /* records this replay opened (rp_foreign) */
    /* A mapper's copy of record fields (rp_incident.known_*) kept valid by
     * the sink: the case watched (index + 1, 0: none) and its record
     * (itsm_event_record), the fields the copy holds (itsm_event_fields
     * bits), and those the mapper's own step under way changes. An event
     * on the record at the copy's next revision that changes exactly
     * those (none, for any other event) moves the copy's revision on and
     * clears watch_expect: the step's own event did, so the values the
     * mapper wrote into the copy stand. Anything else leaves the copy
     * behind the record, to be read again (known_rev 0). */
    size_t       watch;
    rp_incident *watch_in;         /* &inc[watch - 1] (NULL: none), moved with inc */
    const itsm_record *watch_rec;
    uint64_t     watch_fields, watch_expect;
    /* The watched case's record is being opened (watch_rec NULL until
     * then): the sink takes the first event at revision 1, the opening's
     * own, for the record (watch_rec) and, when it changes exactly
     * watch_expect of the copy's fields, starts the copy at revision 1
     * (known_rev 1: the values the mapper opened with stand). */
    int          watch_open;
    /* Whether the copy is checked against the record's revision (1 from
     * rp_init). Once the sink took an opening's event (watch_open) it is
     * this replay's, and outside a group (group 0) every event reaches it
     * before the call that made it returns (engine.h: apply, then sink):
     * it hears every event of the watched record, in revision order, and
     * a copy it kept (known_rev not 0) stands without asking (0). In a
     * group the sink hears nothing until the commit: revisions are
     * compared, as events and rows come. */
    int          ask_rev;
    /* The engine's deadline queue, read before a tick (itsm/sla.h:
     * itsm_due_view_earliest) to leave out one that would fire nothing;
     * NULL: tick every time (a library laid out otherwise, or a mapper that
     * does not read it). The UCI mapper's (uci_begin). */
    const itsm_due_view *due;
    /* The library's events are laid out otherwise than itsm/event.h's
     * ITSM_EVENT_LAYOUT (itsm_event_layout): the sink reads them through
     * the getters alone, and asks revisions always (ask_rev stays 1), so
     * never on its usual call (sink_one). */
    int          getters;
    /* The count of events of the sink's usual call, which it takes
     * without its loop, reading the event inline: 1 once ask_rev is 0 (a
     * step's own event alone), (size_t)-1 (no call) while it is 1 or an
     * opening is watched (watch_open); set with both (rp_watch_open), so
     * the sink tests them at once. */
    size_t       sink_one;
    /* an optional observer of every row's move, accepted or refused (the
     * conformance report and the process map); see rp_move */
    void       (*on_move)(void *user, const rp_incident *in, const char *from, const char *to,
                          const char *event, int refused);
    void        *on_move_user;
    /* columns carried into custom fields (logs.h: rp_map_fields) */
    int           nmaps;
    itsm_field    map_field[8];
    itsm_field_type map_type[8];
    int           map_quirk;
} replay;

/* The engine is created by the caller (with rp_clock/&rp->now and
 * rp_sink/rp as clock and sink); rp_init only sets up the bookkeeping and
 * the shared quirks (RP_Q_*); a mapper's own quirks follow. */
void      rp_init(replay *rp, rp_pool *pool);
void      rp_free(replay *rp);
itsm_time rp_clock(void *user);
void      rp_sink(void *user, const itsm_event *const *events, size_t n);
/* `listed`: keep the line numbers of every occurrence. Returns its index. */
int       rp_quirk_add(replay *rp, const char *name, const char *handling, int listed);
/* One occurrence, at `line` of rp->file. */
void      rp_quirk_note(replay *rp, int quirk, long line);
void      rp_refuse(replay *rp, long line, const char *record, const char *reason, const char *message);
/* Refusal by the library: reason "<ITSM_E...>: <what>", message itsm_errmsg. */
void      rp_refuse_lib(replay *rp, long line, const char *record, int rc, const char *what);
/* The case with this (interned) id, made on first sight. *fresh (may be
 * NULL) is 1 when it was made now. The pointer is valid until the next call. */
rp_incident *rp_incident_get(replay *rp, const char *id, int *fresh);
/* Room for `n` more cases, made before the replay so that it never
 * regrows its tables; rp_count_cases gives an upper bound from the rows'
 * keys (a case whose rows come back after others counts again). The
 * engine is told too (itsm_engine_reserve): as many records, and a symbol
 * for each string of the pool at most. */
void      rp_reserve_cases(replay *rp, size_t n);
/* The case of the row about to be applied. When it is not the case of the
 * previous row, that case's rows are done: its verdict is read (rp_verdict).
 * *fresh is 1 when the case is new. */
rp_incident *rp_row_case_slow(replay *rp, const char *id, int *fresh);
static inline rp_incident *rp_row_case(replay *rp, const char *id, int *fresh)
{
    if (rp->cur_in && rp->cur_id == id) {   /* the same case as the row before */
        *fresh = 0;
        return rp->cur_in;
    }
    return rp_row_case_slow(rp, id, fresh);
}
/* Note the log's support team and line of a row (team NULL: none given). */
void      rp_team_seen_slow(rp_incident *in, const char *team, int level);
static inline void rp_team_seen(rp_incident *in, const char *team, int level)
{
    if ((level <= 0 || level == in->log_level) && (!team || team == in->log_team))
        return;   /* nothing moved: the usual row */
    rp_team_seen_slow(in, team, level);
}
/* rp_team_seen at a case's first row (level 0): a case with no team yet
 * takes its first without the slow call, the usual opening. */
static inline void rp_team_first(rp_incident *in, const char *team)
{
    if (team && !in->nteams) {
        in->team_few[0] = in->log_team = team;
        in->nteams = 1;
    } else {
        rp_team_seen(in, team, 0);
    }
}
/* The handle of a pooled string (NULL stays NULL); see rp_symhead. */
static inline const char *rp_sym(replay *rp, const char *pooled)
{
    if (!pooled)
        return NULL;
    const rp_symhead *h = (const rp_symhead *)(const void *)(pooled - sizeof *h);
    return h->epoch == rp->epoch ? h->handle : rp_sym_slow(rp, pooled);
}
/* Make `actor_interned` the engine's actor (itsm_engine_set_actor), once
 * per change of actor: rows of one case often share it. The engine knows
 * the handle by its address (the call is a cache lookup), so the change
 * itself is made here, not behind another call. */
static inline void rp_set_actor(replay *rp, const char *actor_interned)
{
    if (actor_interned != rp->actor && itsm_engine_set_actor(rp->eng, rp_sym(rp, actor_interned)) == ITSM_OK)
        rp->actor = actor_interned;
}
/* Start (1) or end (0) the watch of an opening (replay.watch_open). */
static inline void rp_watch_open(replay *rp, int on)
{
    rp->watch_open = on;
    rp->sink_one = on || rp->ask_rev ? (size_t)-1 : 1;
}
/* Whether the engine may hold a record this replay did not open (another
 * input, or one the library opened itself): only then is a new case's id
 * worth looking up before opening it. */
static inline int rp_foreign(const replay *rp)
{
    return itsm_engine_record_count(rp->eng) != (size_t)rp->opened;
}
/* Tick the engine to `t` (before applying a row at t): every timer due by
 * then fires as events in deadline order. A failure is a refusal of `line`. */
void      rp_tick_failed(replay *rp, int rc, long line, const char *record);
static inline void rp_tick(replay *rp, itsm_time t, long line, const char *record)
{
    size_t fired = 0;
    int rc = itsm_engine_tick(rp->eng, t, &fired);
    rp->fired += fired;
    if (rc != ITSM_OK)
        rp_tick_failed(rp, rc, line, record);
}
/* Tell the observer about one row's move (from == to: the row kept the state). */
static inline void rp_move(replay *rp, const rp_incident *in, const char *from, const char *to, const char *event,
                           int refused)
{
    if (rp->on_move)
        rp->on_move(rp->on_move_user, in, from, to, event, refused);
}
/* Read the library's verdict on `in` from its record's resolution timer, as
 * of in->last_t: when a case's rows are done (rp_row_case) and, for the
 * last case, in rp_finish. */
void      rp_verdict(replay *rp, rp_incident *in);
void      rp_finish(replay *rp);
/* The mapper's step for the current case (replay.case_done), if any: when
 * its rows are done (rp_row_case, rp_finish), or the run stopped early. */
void      rp_case_done(replay *rp);

/* ---- row order ---- */

/* What rp_order needs of one parsed row. */
typedef struct rp_rowkey {
    const char *id;      /* interned; NULL: a row refused before its case is known */
    itsm_time   t;       /* ITSM_TIME_NONE: a row refused before its time is known */
    long        line;
    const char *file;    /* interned */
} rp_rowkey;

size_t rp_count_cases(const rp_rowkey *keys, size_t n);

/* The order to apply n rows in (see the top of this file): order[] gets the
 * row indices, dup[i] is set to 1 for a row that repeats an earlier one (as
 * `same` says; NULL: no row repeats). The quirks RP_Q_NOT_CONTIGUOUS,
 * RP_Q_OUT_OF_ORDER and RP_Q_DUPLICATE are counted with their lines.
 * Returns 0, or -1 when out of memory. */
int rp_order(replay *rp, const rp_rowkey *keys, size_t n, size_t *order, unsigned char *dup,
             int (*same)(const void *rows, size_t a, size_t b), const void *rows);

/* A line that ended at the end of the input without a line end: refused
 * (its last field may be cut), listed as RP_Q_CUT_LINE. */
void rp_refuse_cut(replay *rp, long line, const char *record);

/* ---- report ---- */
typedef enum rp_log_kind { RP_LOG_UCI, RP_LOG_BPI, RP_LOG_HELPDESK, RP_LOG_BPI_PROBLEMS } rp_log_kind;

typedef struct rp_report_opts {
    rp_log_kind kind;
    const char *input;          /* the file(s) replayed */
    const char *policy;         /* the policy document used */
    const char *store;          /* "memory" or "sqlite FILE" */
    int         json;           /* 1: JSON, 0: text */
    size_t      list_rows;      /* text: row numbers listed per refusal reason */
    double      seconds;        /* wall time of the replay */
    const itsm_report *library; /* the library's report over the replayed store (may be NULL) */
    const itsm_conformance *conformance;   /* the log's moves against a policy (may be NULL) */
    const char *conformance_policy;        /* that policy's document */
    itsm_kind   record_kind;               /* the kind of record a case is */
    const char *extra;          /* a mapper's own section (text or JSON members), may be NULL */
} rp_report_opts;

void rp_report(const replay *rp, const rp_report_opts *o, FILE *out);

#endif
