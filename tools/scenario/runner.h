/* SPDX-License-Identifier: Apache-2.0 */
/* itsm-scenario: the runner's shared state, the script tokenizer and the
 * command table (docs/scenario.md describes the script format). */
#ifndef ITSM_SCENARIO_RUNNER_H
#define ITSM_SCENARIO_RUNNER_H

#include <stddef.h>
#include <itsm.h>

#define RUN_MAX_TOKENS 64

/* One token of a statement. `key=value` (the key unquoted) is split:
 * key holds the part before '=', text the value. */
typedef struct tok {
    char *text;      /* unescaped; owned by the line buffer */
    char *key;       /* NULL unless key=value */
    int   quoted;    /* the value was written in double quotes */
} tok;

/* An event the sink saw (copied: events are borrowed only during the sink). */
typedef struct seen_event {
    char *type, *record, *name, *from, *to;
} seen_event;

/* The runner's own host (host.c), for --events and --faults: a store
 * keeping every event's JSON, an allocator counting blocks. Calls are
 * counted only while `armed` (during an action); the numbered one fails. */
typedef struct run_host {
    int     armed;
    long    calls, fail_call;      /* allocations while armed; fail this one (1-based; 0: none) */
    long    appends, fail_append;  /* store appends while armed; fail this one */
    int     failed_alloc, failed_store;
    long    live;                  /* blocks allocated and not freed */
    char  **ev;                    /* every stored event's JSON, in order */
    size_t *len;
    size_t  nev, cev;
} run_host;

itsm_allocator run_host_alloc(run_host *h);
extern const itsm_store run_host_store;
void run_host_clear_events(run_host *h);
void run_host_free(run_host *h);

struct run_matrix;   /* faults.c */

typedef struct runner {
    const char  *file;            /* for messages (in --faults: names the injected fault) */
    size_t       line;
    char         dir[1024];       /* the script's directory, for relative paths */

    itsm_engine *eng;
    itsm_policy *policy;          /* the policy the engine was made with; NULL: default */
    itsm_time    now;             /* the virtual clock */

    /* the last action (a statement that calls the library) */
    int          act_pending;     /* it failed and no `expect error` has looked at it yet */
    int          act_last;        /* the previous statement was an action */
    int          act_rc;
    char         act_msg[512];
    char         act_name[64];
    size_t       act_line;

    seen_event  *evs;             /* the sink's window since the last `expect events` */
    size_t       nevs, cevs;

    size_t       nstatements, nexpect;
    char         err[2048];       /* a script error: the message without file:line */

    /* results of actions that expectations inspect */
    int          have_decision;
    itsm_decision decision;
    itsm_match   matches[32];
    size_t       nmatches, nmatches_total;
    const char  *knowledge_decision;
    itsm_report *report;
    size_t       fired;           /* timers the last tick fired */
    itsm_record *alert_rec;       /* the incident the last `alert` opened or joined */
    int          alert_outcome;   /* and how (itsm_alert_outcome) */

    /* handover packets by script name (owned) */
    struct run_packet { char *name; itsm_packet *pkt; } *packets;
    size_t       npackets;

    /* policy versions by script name (commands_versions.c; owned) */
    struct run_version { char *name; char *id; } *versions;
    size_t       nversions;
    itsm_whatif *whatif;          /* the last `whatif` (commands_whatif.c) */
    itsm_migration *migration;    /* the last `migration check` (commands_migration.c) */

    run_host    *host;            /* the engine's store and allocator (a plain run has its own) */
    struct run_matrix *matrix;    /* --faults: the fault matrix's run (faults.c) */
} runner;

/* Handlers return 0 when the statement ran (an action may still have
 * failed: it sets act_rc), or -1 with r->err set for a script error. */
typedef int (*cmd_fn)(runner *r, tok *t, size_t n);

typedef struct cmd_row {
    const char *name;             /* one or two words: "clock set", "open" */
    cmd_fn      fn;
    int         action;           /* 1: calls the library; its failure must be expected */
    int         expect;           /* 1: counts as an expectation */
} cmd_row;

/* Rows for records, problems and reports (commands.c), and the
 * expectations (commands_expect.c), ended by a NULL name. */
extern const cmd_row run_commands[];
extern const cmd_row run_commands_expect[];
/* Rows for service levels, escalation, major incidents, outages and the
 * exceptions report (commands_ext.c), ended by a NULL name. */
extern const cmd_row run_commands_ext[];
/* Rows for handover packets (commands_packet.c), ended by a NULL name. */
extern const cmd_row run_commands_packet[];
/* Rows for approvals, risk assessment and the change schedule
 * (commands_change.c), ended by a NULL name. */
extern const cmd_row run_commands_change[];
/* Expectations on agreements (commands_agreement.c). */
extern const cmd_row run_commands_agreement[];
/* Rows for request fulfilment (commands_request.c), ended by a NULL name. */
extern const cmd_row run_commands_request[];
/* Rows for on-call pages and alert intake (commands_oncall.c). */
extern const cmd_row run_commands_oncall[];
/* Rows for survey answers and problem proposals (commands_followup.c),
 * ended by a NULL name. */
extern const cmd_row run_commands_followup[];
/* Rows for post-incident reviews (commands_review.c), ended by a NULL name. */
extern const cmd_row run_commands_review[];
/* Rows for policy versions and store reloads (commands_versions.c), the
 * what-if (commands_whatif.c) and the migration check
 * (commands_migration.c), each ended by a NULL name. */
extern const cmd_row run_commands_versions[];
extern const cmd_row run_commands_whatif[];
extern const cmd_row run_commands_migration[];
/* Free what those keep in the runner. */
void run_versions_free(runner *r);
void run_whatif_free(runner *r);
void run_migration_free(runner *r);
void run_packets_free(runner *r);

/* Set r->err printf-style and return -1. */
int run_fail(runner *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Tokenize one line in place. Returns the number of tokens, or -1 with
 * r->err set (bad quoting, too many tokens). */
int run_tokenize(runner *r, char *line, tok *out, size_t max);

/* Values. Each returns 0, or -1 with r->err set naming `what`. */
int run_parse_int(runner *r, const char *s, int64_t *out, const char *what);
int run_parse_duration(runner *r, const char *s, int64_t *out, const char *what);
/* ISO "YYYY-MM-DDTHH:MM:SSZ", "now", or +/-duration from the clock. */
int run_parse_time(runner *r, const char *s, itsm_time *out, const char *what);
int run_parse_bool(runner *r, const char *s, int *out, const char *what);
void run_format_time(itsm_time t, char out[32]);

/* Renamed runs (--policy FILE --names PREFIX, docs/scenario.md): every
 * script runs under FILE, whose state and event names are the default
 * policy's with PREFIX in front; the names a script writes get PREFIX
 * (run_in) and PREFIX is taken out of every name and message the engine
 * reports before a script compares them (run_out, in place). Without
 * --names both leave names as they are. */
extern const char *run_names_prefix;
const char *run_in(const char *name);
char *run_out(char *s);
/* itsm_record_state as a script compares it. */
const char *run_state(const itsm_record *rec);

/* Engine lifecycle (main.c). run_engine_new starts a new store;
 * run_engine_make makes an engine under `policy` (NULL: the default) on
 * the runner's store as it is, with the runner's clock and sink. */
int  run_engine_new(runner *r);
int  run_engine_make(runner *r, const itsm_policy *policy, itsm_engine **out);
void run_events_clear(runner *r);

/* Run one script (main.c): 0 passed, 1 failed (the message printed as
 * "LABEL:LINE: message"), 2 unreadable. `host` and `matrix` may be NULL;
 * `label` names the script in messages (NULL: the file name). `quiet`
 * leaves out the summary line. */
int run_script(const char *file, const char *label, run_host *host, struct run_matrix *matrix, int quiet);

/* Run an action statement (faults.c): directly, or under --faults with
 * the injected fault checked and the call retried. */
int run_action(runner *r, const cmd_row *cmd, tok *t, size_t n);

/* Helpers every command file shares (commands_shared.c). run_act keeps an
 * action's result for `expect error` (its message as the script reads it);
 * run_need and run_bare check a statement's arguments; run_find_rec makes a
 * missing record an action failure, run_need_rec a script failure. */
int run_act(runner *r, int rc);
int run_need(runner *r, size_t n, size_t min, size_t max, const char *usage);
int run_bare(runner *r, const tok *t, const char *what);
itsm_record *run_find_rec(runner *r, const char *id, int *rc);
itsm_record *run_need_rec(runner *r, const char *id);
/* The index of `s` in a table of names (NULL entries skipped), or -1;
 * RUN_NAMES(table) passes a table and its length. */
int run_name_index(const char *const *names, size_t n, const char *s);
#define RUN_NAMES(a) (a), (sizeof(a) / sizeof((a)[0]))
itsm_field_type run_field_type(runner *r, itsm_field f);
/* Read and check a policy document (a path relative to the script's
 * directory). 0 with *out owned by the caller, or -1 with r->err set. */
int run_read_policy(runner *r, const char *file, itsm_policy **out);
/* Field changes from key=value tokens, typed by the field (commands.c);
 * out has room for RUN_MAX_CHANGES. */
#define RUN_MAX_CHANGES (ITSM_F__COUNT + ITSM_MAX_CUSTOM_FIELDS)
int run_parse_changes(runner *r, tok *t, size_t n, itsm_change *out, size_t *nout);
int run_link_kind(runner *r, const char *s, itsm_link_kind *out);
/* --faults at the end of a run (faults.c): the final checks. 0, or -1 with
 * r->err set. */
int run_matrix_end(runner *r);
/* Set r->err to `what` and the first line where the engine states (state.h)
 * `a` and `b` differ (faults.c). */
void run_state_difference(runner *r, const char *what, const char *a, const char *b);
/* itsm-scenario --faults SCRIPT: the matrix for one script, failing
 * positions offset + 1, offset + 1 + stride, ... (stride 1: every one);
 * returns the exit status. */
int run_faults(const char *file, long stride, long offset);
/* The offset a sampled matrix uses when none is given: the day's number
 * (UTC) modulo the stride, so consecutive days' runs cover every position
 * and runs on one day repeat each other (faults.c). */
long run_faults_offset_of_today(long stride);

#endif
