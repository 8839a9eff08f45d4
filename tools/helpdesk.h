/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/helpdesk.h - the help desk log of an Italian software company
 * (Mirko Polato, 4TU.ResearchData, DOI 10.4121/uuid:0c60edf1-6f83-4e75-9367-
 * 4c63b3e9d5bb) mapped to library calls under tools/helpdesk_policy.json.
 *
 * One row is one activity of one ticket (Case ID), with its resource and
 * time. The mapping, row by row (the report counts each quirk):
 *   - rows are applied per ticket in time order (rp_order, replay.h); a
 *     row that repeats the ticket's previous row exactly (127 in the log,
 *     each right after its twin: the same activity, resource and second)
 *     is skipped;
 *   - the record id is the Case ID with its space as '-' ("Case 12" ->
 *     "Case-12": a record id has no spaces);
 *   - the first row opens the ticket at the row's time; "Insert ticket"
 *     is the opening itself, any other first activity is then fired;
 *   - activity -> lifecycle event and state: Assign seriousness ->
 *     assign_seriousness (triaged), Take in charge ticket -> take_in_charge
 *     (in_progress, the first stamps responded_at), Wait -> wait (waiting),
 *     Require upgrade -> require_upgrade (awaiting_upgrade), Create SW
 *     anomaly -> create_sw_anomaly (sw_anomaly), Resolve SW anomaly ->
 *     resolve_sw_anomaly (anomaly_resolved, only from sw_anomaly), Schedule
 *     intervention -> schedule_intervention (scheduled), Resolve ticket ->
 *     resolve (resolved, stamps resolved_at), Closed -> close (closed, only
 *     from resolved);
 *   - an activity that leads where the ticket already is changes only the
 *     fields (a second Resolve ticket is no new resolution: the policy has
 *     no resolved -> resolved step; a second Assign seriousness is a new
 *     assessment);
 *   - RESOLVED, INVALID, VERIFIED, DUPLICATE (8 rows) are statuses of the
 *     linked software anomaly in its bug tracker, not help desk activities:
 *     the ticket keeps its state, the row's fields are applied;
 *   - activity after Resolve ticket or Closed is a reopen (the policy's
 *     counts_reopen steps out of resolved, and out of closed by
 *     take_in_charge);
 *   - columns: Resource -> the actor of every row, and the assignee on
 *     Take in charge ticket; customer -> caller; product -> ci;
 *     service_type -> service; responsible_section -> category;
 *     support_section -> subcategory; workgroup -> assignment_group (the
 *     team: team changes and ping-pong); seriousness, seriousness_2 and
 *     service_level are read (the report counts their changes) but have no
 *     field of the library to go to;
 *   - times: ISO 8601 with an offset (+00:00 in this conversion), strict
 *     (a date that does not exist refuses the row).
 * There is no SLA column and the policy defines no service level: the
 * report's verdicts say "no target".
 */
#ifndef ITSM_TOOLS_HELPDESK_H
#define ITSM_TOOLS_HELPDESK_H

#include "replay.h"

typedef enum hd_activity {
    HD_INSERT = 0, HD_ASSIGN_SERIOUSNESS, HD_TAKE_IN_CHARGE, HD_WAIT, HD_REQUIRE_UPGRADE, HD_CREATE_ANOMALY,
    HD_RESOLVE_ANOMALY, HD_SCHEDULE, HD_RESOLVE, HD_CLOSED, HD_BUG_RESOLVED, HD_BUG_INVALID, HD_BUG_VERIFIED,
    HD_BUG_DUPLICATE, HD_NACTIVITIES
} hd_activity;

typedef struct hd_row {
    long        line;
    const char *bad;
    const char *ticket;      /* interned */
    int         cut;
    itsm_time   at;
    hd_activity activity;
    const char *resource, *customer, *product, *service_type, *responsible, *support, *workgroup;
    const char *seriousness, *seriousness2, *service_level;   /* interned, kept for the report */
} hd_row;

typedef struct hd_cols hd_cols;
hd_cols *hd_parse_header(char *line, size_t len, char *err, size_t errcap);
void     hd_parse_row(hd_cols *c, rp_pool *pool, char *line, size_t len, long lineno, hd_row *row);
/* 1 when rows[a] and rows[b] (an hd_row array) say exactly the same. */
int      hd_same(const void *rows, size_t a, size_t b);

void hd_begin(replay *rp);
void hd_apply(replay *rp, const hd_row *row);

#endif
