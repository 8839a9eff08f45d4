/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/bpi.h - the BPI Challenge 2013 incident log (Volvo IT Belgium,
 * VINST; DOI 10.4121/uuid:500573e6-accc-4b0c-9576-aa5468b10cee) mapped to
 * library calls under tools/bpi_policy.json.
 *
 * Each row is one status change of one incident (SR Number):
 *   - the first row opens the incident at the row's time, then fires the
 *     transition to the row's Status/Sub Status;
 *   - Status/Sub Status -> a state of the policy (Queued/Awaiting Assignment
 *     -> queued, Accepted/In Progress -> in_progress, Accepted/Wait - User ->
 *     wait_user, Completed/In Call -> in_call, ...); Unmatched/Unmatched keeps
 *     the current state and applies the fields;
 *   - Involved ST -> assignment_group (a change counts a reassignment); its
 *     suffix is the support line: none = 1st, " 2nd", " 3rd" -> the
 *     functional_level 1, 2, 3; Product -> ci; SR Latest Impact -> impact
 *     (Major and High 1, Medium 2, Low 3) and priority (Major 1, High 2,
 *     Medium 3, Low 4);
 *   - Owner First Name -> assignee and actor; "Siebel" is the system itself
 *     (actor only, never an assignee); "-" is missing; names are ISO-8859-1
 *     in the file and converted to UTF-8;
 *   - times are ISO 8601 with a fixed +01:00 offset, converted to UTC;
 *   - a Completed status followed by more activity is a reopen
 *     (resolved / in_call / closed --queue|assign|start--> ..., counting a
 *     reopen); Completed/Closed -> Completed/Resolved has no transition and
 *     is refused;
 *   - rows are applied per incident in time order (rp_order, replay.h);
 *   - a time that is not ISO 8601 with an offset, or not a real date, refuses
 *     the row;
 *   - the log's own figures, without the library: support team changes,
 *     pushes to a higher line (a row whose line is above the previous
 *     row's), the highest line, and ping-pong (a team had the incident,
 *     another took it, and the first had it again);
 *   - before each row the engine is ticked to the row's time (rp_tick), and
 *     an incident's SLA verdict is read at its last row (rp_verdict).
 */
#ifndef ITSM_TOOLS_BPI_H
#define ITSM_TOOLS_BPI_H

#include "replay.h"

typedef enum bpi_state {
    BPI_QUEUED = 0, BPI_ASSIGNED, BPI_IN_PROGRESS, BPI_WAIT, BPI_WAIT_USER, BPI_WAIT_IMPL,
    BPI_WAIT_VENDOR, BPI_WAIT_CUSTOMER, BPI_RESOLVED, BPI_IN_CALL, BPI_CLOSED, BPI_CANCELLED,
    BPI_UNMATCHED, BPI_NSTATES
} bpi_state;

typedef struct bpi_row {
    long        line;
    const char *bad;
    const char *number;      /* interned */
    int         cut;         /* the input ended inside this line */
    itsm_time   at;
    bpi_state   state;
    const char *team;        /* interned, as in the log (with its line suffix) */
    int         level;       /* 1..3 from the team's suffix */
    int         impact, priority;
    const char *product, *owner;   /* owner NULL for "-" */
    int         system;      /* the owner is "Siebel" */
} bpi_row;

/* The column names of one BPI 2013 CSV: the incidents file, or the problem
 * files (the same columns with "Problem ..." names, in another order). */
typedef struct bpi_names {
    const char *number, *time, *status, *sub, *team, *impact, *product, *owner;
    const char *what;        /* for the header error: "the BPI 2013 incidents CSV" */
} bpi_names;
extern const bpi_names bpi_incident_names;

typedef struct bpi_cols bpi_cols;
/* Column positions from the header line; NULL and a message in err when a
 * column of `names` is missing. Free with free(). */
bpi_cols *bpi_parse_header(const bpi_names *names, char *line, size_t len, char *err, size_t errcap);
void      bpi_parse_row(bpi_cols *c, rp_pool *pool, char *line, size_t len, long lineno, bpi_row *row);
/* "2010-03-31T15:59:42+01:00" -> UTC; ITSM_TIME_NONE if malformed or not a real date. */
itsm_time bpi_parse_time(const char *s);
/* 1 when rows[a] and rows[b] (a bpi_row array) say exactly the same. */
int       bpi_same(const void *rows, size_t a, size_t b);
/* The policy's state for a Status / Sub Status (NULL for Unmatched). */
const char *bpi_state_name(bpi_state s);

void bpi_begin(replay *rp);
void bpi_apply(replay *rp, const bpi_row *row);
void bpi_finish(replay *rp);

#endif
