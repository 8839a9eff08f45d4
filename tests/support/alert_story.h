/* SPDX-License-Identifier: Apache-2.0 */
/* The alert-intake tests' policy and alert: the default policy with one
 * on-call escalation policy (alice pages first) and a grouping window, and
 * a "Disk full" alert (impact 2, urgency 2) of a key, service and group. */
#ifndef ITSM_TEST_ALERT_STORY_H
#define ITSM_TEST_ALERT_STORY_H

#include "support.h"
#include "itsm/oncall.h"

static const char *const alert_primary[] = { "alice" };

/* The default policy, alerts grouped within `window` seconds. */
static inline itsm_policy *alert_policy(unsigned window)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_oncall_step steps[1] = { { alert_primary, 1, 15 } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = "everything";
    d.steps = steps;
    d.nsteps = 1;
    assert_ok(itsm_policy_add_oncall(p, &d));
    assert_ok(itsm_policy_set_alert_window(p, window));
    return p;
}

/* Ingest the alert of `key` on `service` (NULL: none) in `group` (NULL:
 * the service's). */
static inline int ingest(fixture *f, itsm_record **out, itsm_alert_outcome *how, const char *key,
                         const char *service, const char *group)
{
    itsm_change c[4] = { { ITSM_F_SUMMARY, "Disk full", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                         { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_SERVICE, service, 0 } };
    itsm_alert a = ITSM_ALERT_INIT;
    a.dedup_key = key;
    a.group = group;
    a.fields = c;
    a.nfields = service ? 4 : 3;
    return itsm_alert_ingest(out, how, f->eng, &a);
}

#endif
