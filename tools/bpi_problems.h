/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/bpi_problems.h - the BPI Challenge 2013 problems (closed problems,
 * DOI 10.4121/uuid:c2c3b154-ab26-4b31-a0e8-8f2350ddac11; open problems,
 * DOI 10.4121/uuid:3537c19d-6c64-4b1d-815d-915ab0e479da) as problem records
 * under the problem lifecycle of tools/bpi_policy.json, linked to the BPI
 * incidents where the data allows.
 *
 * The rows are read by the BPI mapper (bpi.h, bpi_problem_names) from both
 * files as one log: 465 problems are in both files (an export of the open
 * problems taken earlier than that of the closed ones), their rows in the
 * open file a subset of those in the closed one. rp_order merges each
 * problem's rows and skips the exact repeats, so a problem is counted once
 * and its rows once (quirks "rows of a case resume ..." and "row repeats
 * ... exactly", with the open file's lines).
 *
 * Links. The logs share no id: an incident names no problem and a problem
 * no incident. What they share is the product. An incident is linked
 * (related, both ways) to every problem on its product that was open when
 * the incident was opened: opened at or before it, and not closed or
 * cancelled before it (a problem reopened later counts as open from its
 * opening to its last closing; one still open at the end of the log is
 * open until then). The incidents are replayed first, into the same
 * engine (their figures: one line of the report); the links are made once
 * both are replayed, at the time of the log's last row, so no record's
 * history runs backwards.
 */
#ifndef ITSM_TOOLS_BPI_PROBLEMS_H
#define ITSM_TOOLS_BPI_PROBLEMS_H

#include "replay.h"

typedef struct bp_links {
    size_t links;               /* incident-problem links made */
    size_t refused;             /* links the library refused */
    size_t incidents, incidents_linked;   /* incidents replayed, with at least one link */
    size_t problems, problems_linked;     /* problems opened, with at least one link */
    size_t per_problem_p50, per_problem_p90, per_problem_max;   /* incidents per linked problem */
    double ttr_linked_p50, ttr_unlinked_p50;   /* incidents' time to resolve, hours (-1: none) */
    size_t closed, still_open, reopened;  /* problems at the end of the log */
    itsm_time *ttc;             /* closed problems' closed_at - opened_at, sorted (owned) */
    size_t nttc;
} bp_links;

/* Link the incidents of `incidents` to the problems of `problems` (one
 * engine) as above, at time `at`. Returns 0, or -1 when out of memory. */
int  bp_link(replay *problems, const replay *incidents, itsm_time at, bp_links *out);
void bp_links_free(bp_links *l);
/* The problem side of the report, as text, or as JSON members (no braces). */
void bp_report_text(const bp_links *l, const char *incidents_line, FILE *out);
void bp_report_json(const bp_links *l, FILE *out);

#endif
