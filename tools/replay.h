/*
 * tools/replay.h - what the log replays (uci.c, bpi.c) share: a string
 * pool, a gzip line reader, per-incident bookkeeping, the refusal list and
 * the quirk counters, and the report (report.c).
 *
 * The report is computed here from the library's records through the public
 * read API (itsm_record_int/str), next to the log's own columns. When the
 * library's reporting API (DESIGN section 10) lands, the library-side
 * figures (time to resolve, first-contact resolution, SLA) move to it; the
 * comparison with the log's columns stays here.
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
} rp_incident;

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
    rp_incident *inc;  size_t ninc, cinc;
    rp_refusal  *ref;  size_t nref, cref;
    rp_quirk     quirk[RP_MAX_QUIRKS];
    int          nquirks;
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

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long long rp_days_from_civil(long long y, unsigned m, unsigned d);

/* ---- report ---- */
typedef enum rp_log_kind { RP_LOG_UCI, RP_LOG_BPI } rp_log_kind;

typedef struct rp_sla_target { int priority; itsm_time seconds; } rp_sla_target;

typedef struct rp_report_opts {
    rp_log_kind kind;
    const char *input;          /* the file replayed */
    const char *policy;         /* the policy document used */
    const char *store;          /* "memory" or "sqlite FILE" */
    int         json;           /* 1: JSON, 0: text */
    size_t      list_rows;      /* text: row numbers listed per refusal reason */
    double      seconds;        /* wall time of the replay */
} rp_report_opts;

/* The SLA targets (resolution, wall time, by priority) the report uses. */
extern const rp_sla_target rp_sla_targets[];
extern const size_t        rp_nsla_targets;

void rp_report(const replay *rp, const rp_report_opts *o, FILE *out);

#endif
