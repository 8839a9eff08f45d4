/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/replay.h - what the log replays (uci.c, bpi.c) share: a string
 * pool, a gzip line reader, per-incident bookkeeping, the refusal list and
 * the quirk counters, and the report (report.c).
 *
 * The report is computed here from the library's records through the public
 * read API (itsm_record_int/str), next to the log's own columns. The SLA
 * verdicts are the library's own: the policy document's service_levels
 * section gives the targets, the replay ticks the engine to each row's time
 * before applying the row (rp_tick: breaches fire as events, in deadline
 * order), and at an incident's last row the record's resolution timer
 * (itsm_record_timer) gives met / breached (rp_verdict).
 */
#ifndef ITSM_TOOLS_REPLAY_H
#define ITSM_TOOLS_REPLAY_H

#include <itsm.h>
#include <stdio.h>

/* ---- string pool: equal strings get the same pointer ---- */
typedef struct rp_pool rp_pool;
rp_pool    *rp_pool_new(void);
void        rp_pool_free(rp_pool *p);
const char *rp_intern(rp_pool *p, const char *s, size_t n);

/* ---- lines of a plain or gzip file (zlib reads both) ---- */
typedef struct rp_lines rp_lines;
rp_lines *rp_lines_open(const char *path);      /* NULL + errno on failure */
/* The next line without its LF / CRLF, NUL-terminated, writable until the
 * next call; NULL at the end. *len gets its length. */
char     *rp_lines_next(rp_lines *l, size_t *len);
void      rp_lines_close(rp_lines *l);
/* Split `line` in place at `sep`; at most max fields; returns the count. */
int       rp_split(char *line, char sep, char **fields, int max);

/* ---- the replay ---- */

/* One incident as the log sees it at its last row. */
typedef struct rp_incident {
    const char  *id;            /* interned */
    itsm_record *rec;           /* NULL if the library never opened it */
    itsm_time    last_t;        /* event time of the last applied row */
    long         rows;
    /* the log's own columns at the incident's last row (-1 / ITSM_TIME_NONE: absent) */
    int          log_reassign, log_reopen, log_made_sla, log_priority;
    itsm_time    log_opened, log_resolved, log_closed;
    /* BPI: support line changes and the highest line, counted from the log */
    int          log_team_changes, log_max_level, lib_max_level;
    /* the library's resolution timer at the incident's last row (rp_verdict) */
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
    const char *record;   /* interned */
    const char *reason;   /* interned: the group key */
    char       *message;  /* the library's message (itsm_errmsg) or the mapper's */
} rp_refusal;

enum { RP_MAX_QUIRKS = 16 };
typedef struct rp_quirk { const char *name; const char *handling; long count; } rp_quirk;

typedef struct replay {
    itsm_engine *eng;
    itsm_time    now;              /* the virtual clock the engine reads */
    rp_pool     *pool;
    const char  *actor;            /* interned: the engine's current actor */
    long rows, applied, unchanged, refused;
    unsigned long long events;     /* events the library accepted (sink) */
    unsigned long long fired;      /* timers itsm_engine_tick fired (breaches, ...) */
    /* the resolution targets the library applied, by priority (seen at verdicts) */
    uint32_t     sla_target[5];
    const char  *sla_calendar[5];  /* borrowed from the engine's policy */
    const char  *sla_name;         /* the SLA's name, borrowed likewise */
    rp_incident *inc;  size_t ninc, cinc;
    rp_refusal  *ref;  size_t nref, cref;
    rp_quirk     quirk[RP_MAX_QUIRKS];
    int          nquirks;
    /* Per field, the last (library value, row value) pair the mapper found
     * equal: both are interned (engine, pool), so the same pair again is
     * equal without comparing bytes. */
    const char  *eq_lib[ITSM_F__COUNT], *eq_row[ITSM_F__COUNT];
} replay;

/* The engine is created by the caller (with rp_clock/&rp->now and
 * rp_sink/rp as clock and sink); rp_init only sets up the bookkeeping. */
void      rp_init(replay *rp, rp_pool *pool);
void      rp_free(replay *rp);
itsm_time rp_clock(void *user);
void      rp_sink(void *user, const itsm_event *const *events, size_t n);
int       rp_quirk_add(replay *rp, const char *name, const char *handling); /* its index */
void      rp_refuse(replay *rp, long line, const char *record, const char *reason, const char *message);
/* Refusal by the library: reason "<ITSM_E...>: <what>", message itsm_errmsg. */
void      rp_refuse_lib(replay *rp, long line, const char *record, int rc, const char *what);
rp_incident *rp_incident_add(replay *rp, const char *id);
void      rp_set_actor(replay *rp, const char *actor_interned);
/* Tick the engine to `t` (before applying a row at t): every timer due by
 * then fires as events in deadline order. A failure is a refusal of `line`. */
void      rp_tick(replay *rp, itsm_time t, long line, const char *record);
/* Read the library's verdict on `in` from its record's resolution timer, as
 * of in->last_t. The mappers call it when an incident's last row is done
 * (the next incident starts) and rp_finish for the last one. */
void      rp_verdict(replay *rp, rp_incident *in);
void      rp_finish(replay *rp);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long long rp_days_from_civil(long long y, unsigned m, unsigned d);

/* ---- report ---- */
typedef enum rp_log_kind { RP_LOG_UCI, RP_LOG_BPI } rp_log_kind;

typedef struct rp_report_opts {
    rp_log_kind kind;
    const char *input;          /* the file replayed */
    const char *policy;         /* the policy document used */
    const char *store;          /* "memory" or "sqlite FILE" */
    int         json;           /* 1: JSON, 0: text */
    size_t      list_rows;      /* text: row numbers listed per refusal reason */
    double      seconds;        /* wall time of the replay */
} rp_report_opts;

void rp_report(const replay *rp, const rp_report_opts *o, FILE *out);

#endif
