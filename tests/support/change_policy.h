/* SPDX-License-Identifier: Apache-2.0 */
/* Test support for change enablement: a practitioner's policy (a named
 * change authority, a CAB and an ECAB, maintenance windows and blackouts
 * on calendars) and engines over it. */
#ifndef ITSM_TEST_CHANGE_POLICY_H
#define ITSM_TEST_CHANGE_POLICY_H

#include "support.h"

/*
 * The default policy plus:
 *   approver groups  cab: ann bob cat dan; ecab: eve fay
 *   rules            standard_change (nothing to approve); emergency_change
 *                    (ecab: one of the ecab; window_exception: the cio,
 *                    an exception level); high_risk_change (change_manager:
 *                    carl; cab: a quorum of 2 of the cab); change
 *                    (change_manager: carl or cleo); service_request
 *                    (approver: anyone)
 *   calendars        payroll_maintenance: Sundays 01:00-05:00 Paris time;
 *                    trading: weekdays 08:00-18:00 UTC
 *   schedule         payroll's maintenance window is payroll_maintenance;
 *                    blackouts year_end (2026-12-15..2027-01-05, every
 *                    change) and trading_hours (calendar trading, payments)
 * Free with itsm_policy_free.
 */
itsm_policy *change_policy(void);

/* fixture_open over `policy` (NULL: change_policy()); `sink` may be NULL. */
void change_fixture_open(fixture *f, const itsm_policy *policy, itsm_event_sink_fn sink, void *sink_user);

/* replay_dump over change_policy(). Caller frees. */
char *change_replay_dump(const memstore *s);

/* Open a change (host id `id`) with these fields; asserts. */
itsm_record *change_open(fixture *f, const char *id, const char *type, const char *service, const char *ci);
/* Answer the default questionnaire for a low (0), medium (7) or high (13) risk. */
void change_assess(itsm_record *r, const char *level);
/* An authorized normal change (low risk, approved by carl, implementer
 * ivan); asserts. */
itsm_record *change_authorized(fixture *f, const char *id, const char *service, const char *ci);
/* itsm_change_plan from `from` to `to` (at_utc strings); asserts. */
void change_plan(itsm_record *r, const char *from, const char *to);
/* Emergency change ECHG1 on mail/relay01 approved by the ECAB (fay) and, for
 * its window exception, the cio; implementer ivan; scheduled in the year-end
 * blackout 2026-12-20T22:00Z..23:00Z. Asserts each step. */
itsm_record *change_emergency_in_blackout(fixture *f);
/* 2026 times, UTC: "2026-12-20T22:00:00Z" as itsm_time. */
itsm_time at_utc(const char *iso);

#endif
