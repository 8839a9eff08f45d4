/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/uci.h - the UCI ServiceNow incident event log (DOI 10.24432/C57S4H)
 * mapped to library calls under tools/servicenow_policy.json.
 *
 * Two steps, so the benchmark can time the library alone:
 *   uci_parse_*  one CSV row -> a uci_row (no library call);
 *   uci_apply    one uci_row -> open / update / fire on the engine.
 *
 * The mapping, row by row (each point is a quirk of data/README.md handled
 * on purpose; the report counts how often each happened, with the line
 * numbers of the anomalies):
 *   - rows are applied per incident, in time order (rp_order, replay.h):
 *     an incident whose rows come back later is one incident; a row
 *     earlier than the incident's previous one takes its place in time
 *     (one incident of the log: a stale New row stamped after the Resolved
 *     row is then refused, and the incident is resolved at the time the log
 *     gives);
 *   - an incident's first row opens it (id = `number`) at `opened_at` with
 *     the row's fields, then fires the transition to the row's state at the
 *     row's time: the log does not always start at New;
 *   - a first row that is already Resolved at `opened_at` is an incident
 *     logged after it was resolved: the policy's `logged_resolved` step
 *     takes it to resolved without stamping resolved_at, so it has no time
 *     to resolve (the log gives none either, for 1,543 of its 1,545);
 *   - later rows: the fields that differ from the record become one update,
 *     or go with the transition in one atomic step when the state changed;
 *     the event time is `sys_updated_at` (D/M/YYYY HH:MM, read as UTC);
 *   - repeated Resolved rows: the first is the resolution (the policy has
 *     no resolved -> resolved step; the others are updates), where the log's
 *     resolved_at keeps the last;
 *   - Closed without a Resolved row is not a resolution: the policy's
 *     `close` stamps closed_at only;
 *   - a row that changes nothing is counted, and makes no event;
 *   - `?` is ServiceNow's NULL: a field that had a value and shows `?` is
 *     cleared; `?` on the first row leaves the field unset;
 *   - state -100 (not a ServiceNow state) keeps the current state and
 *     applies the row's fields;
 *   - a first sys_updated_at earlier than opened_at: the row is applied at
 *     opened_at (the record cannot change before it opens);
 *   - Closed -> Active is a reopen (the log's reopen_count counts it; the
 *     policy allows closed --reopen--> active), and so is Resolved ->
 *     Awaiting ... (the log counts it too); a Closed row after Closed
 *     that changes a field is an update of a closed record, which the
 *     library refuses (ITSM_ESTATE) and the report lists;
 *   - resolved_at / closed_at / closed_code carry the incident's final
 *     values on every row: they are not replayed as events (the library
 *     stamps its own resolved_at and closed_at); closed_code becomes the
 *     resolution_code of the resolve / close step; the log's values are kept
 *     for the report's comparison;
 *   - strict input: a time that is not D/M/YYYY HH:MM or not a real date
 *     (30/2/2016, 31/4/2016) refuses the row - in sys_updated_at, opened_at,
 *     resolved_at or closed_at alike (`?` is a missing value, not an error).
 * Before each row the engine is ticked to the row's time (rp_tick), so the
 * policy's service-level timers fire (breaches, as sla_breach events) in
 * deadline order; when an incident's rows are done its SLA verdict is
 * read from the library's resolution timer (rp_verdict).
 * Anything refused - by the library or by the mapper (a malformed row) - is
 * recorded with its line number and reason (replay.h), never skipped.
 */
#ifndef ITSM_TOOLS_UCI_H
#define ITSM_TOOLS_UCI_H

#include "replay.h"

typedef enum uci_state {
    UCI_NEW = 0, UCI_ACTIVE, UCI_AWAIT_USER, UCI_AWAIT_VENDOR, UCI_AWAIT_PROBLEM,
    UCI_AWAIT_EVIDENCE, UCI_RESOLVED, UCI_CLOSED, UCI_UNKNOWN_100, UCI_NSTATES
} uci_state;

/* The policy's state name for each uci_state (NULL for UCI_UNKNOWN_100). */
extern const char *const uci_state_policy_name[UCI_NSTATES];

typedef struct uci_row {
    long        line;
    const char *bad;           /* non-NULL: the mapper refuses the row (why) */
    const char *number;        /* the rest are interned; NULL for '?' */
    uci_state   state;
    int         cut;           /* the input ended inside this line */
    int         reassign, reopen, made_sla, priority, mod;   /* -1 for '?' */
    int         impact, urgency;                          /* 0 for '?' */
    const char *caller, *category, *subcategory, *ci, *group, *assignee, *closed_code, *updated_by;
    itsm_time   opened_at, updated_at, resolved_at, closed_at;   /* ITSM_TIME_NONE for '?' */
    /* The row's fields a later row is compared with (caller, category,
     * subcategory, ci, group, assignee, impact, urgency) as one number,
     * decided when the row is read: rows parsed one after another that
     * give the same values share it, any other row has another (numbers
     * are never reused in a process); 0 for a row the mapper refuses.
     * uci_apply tests it once instead of comparing the eight fields. */
    uint64_t    tuple;
} uci_row;

typedef struct uci_cols uci_cols;   /* column positions, from the header */

/* Read the header line; NULL (and a message in err) if a needed column is
 * missing. Free with free(). */
uci_cols *uci_parse_header(char *line, size_t len, char *err, size_t errcap);
/* Parse one data line (modified in place) into *row. Never fails: a row it
 * cannot read gets row->bad set. `c` remembers the last values of some
 * columns (rows of an incident repeat them), and the compared fields of
 * the last row it read well (row->tuple). */
void      uci_parse_row(uci_cols *c, rp_pool *pool, char *line, size_t len, long lineno, uci_row *row);
/* "D/M/YYYY HH:MM" as UTC; ITSM_TIME_NONE if malformed, not a real date, or '?'. */
itsm_time uci_parse_time(const char *s);
/* 1 when rows[a] and rows[b] (a uci_row array) say exactly the same. */
int       uci_same(const void *rows, size_t a, size_t b);

/* Register the quirk counters on rp (call once, before uci_apply). */
void uci_begin(replay *rp);
/* Apply one row; its outcome is counted in rp. */
void uci_apply(replay *rp, const uci_row *row);
/* Apply rows[0], rows[1], ... rows[n - 1] one after another, as
 * uci_apply each; the per-row call's saving and restoring of registers is
 * made once for the n (rp_run: logs.h, rp_mapper.apply_rows). */
void uci_apply_rows(replay *rp, const uci_row *rows, size_t n);

#endif
