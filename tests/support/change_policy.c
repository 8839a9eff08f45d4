/* SPDX-License-Identifier: Apache-2.0 */
#include "change_policy.h"

#include <stdio.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

itsm_time at_utc(const char *iso)
{
    int y, mo, d, h, mi, s;
    if (sscanf(iso, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) != 6)
        fail_msg("bad time %s", iso);
    /* days from civil (Howard Hinnant) */
    y -= mo <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (itsm_time)days * 86400 + h * 3600 + mi * 60 + s;
}

itsm_policy *change_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const char *const cab[] = { "ann", "bob", "cat", "dan" }, *const ecab[] = { "eve", "fay" };
    assert_ok(itsm_policy_set_approver_group(p, "cab", cab, N_(cab)));
    assert_ok(itsm_policy_set_approver_group(p, "ecab", ecab, N_(ecab)));
    assert_ok(itsm_policy_clear_approval_rules(p));

    static const char *const standard[] = { "standard" }, *const emergency[] = { "emergency" };
    static const char *const high[] = { "high" }, *const carl[] = { "carl" }, *const managers[] = { "carl", "cleo" };
    static const char *const cio[] = { "cio" };
    itsm_approval_level_def l_ecab = ITSM_APPROVAL_LEVEL_DEF_INIT, l_exc = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l_ecab.name = "ecab";
    l_ecab.group = "ecab";
    l_exc.name = "window_exception";
    l_exc.people = cio;
    l_exc.npeople = 1;
    l_exc.exception = 1;
    itsm_approval_level_def l_cm = ITSM_APPROVAL_LEVEL_DEF_INIT, l_cab = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l_cm.name = "change_manager";
    l_cm.people = carl;
    l_cm.npeople = 1;
    l_cab.name = "cab";
    l_cab.group = "cab";
    l_cab.mode = ITSM_APPROVAL_QUORUM;
    l_cab.quorum = 2;
    itsm_approval_level_def l_norm = l_cm;
    l_norm.people = managers;
    l_norm.npeople = 2;
    itsm_approval_level_def l_any = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l_any.name = "approver";

    itsm_approval_level_def em[] = { l_ecab, l_exc }, hi[] = { l_cm, l_cab };
    itsm_approval_rule_def r = ITSM_APPROVAL_RULE_DEF_INIT;
    r.name = "standard_change";
    r.change_types = standard;
    r.nchange_types = 1;
    r.state = "assessed";
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    r.name = "emergency_change";
    r.change_types = emergency;
    r.levels = em;
    r.nlevels = 2;
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    r.name = "high_risk_change";
    r.change_types = NULL;
    r.nchange_types = 0;
    r.risks = high;
    r.nrisks = 1;
    r.levels = hi;
    r.nlevels = 2;
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    r.name = "change";
    r.risks = NULL;
    r.nrisks = 0;
    r.levels = &l_norm;
    r.nlevels = 1;
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    r.name = "service_request";
    r.kind = ITSM_KIND_SERVICE_REQUEST;
    r.state = "awaiting_approval";
    r.levels = &l_any;
    assert_ok(itsm_policy_add_approval_rule(p, &r));

    itsm_calendar_def c = ITSM_CALENDAR_DEF_INIT;
    itsm_work_span sunday = { 6, 3600, 5 * 3600 };
    c.name = "payroll_maintenance";
    c.zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    c.spans = &sunday;
    c.nspans = 1;
    assert_ok(itsm_policy_set_calendar(p, &c));
    itsm_calendar_def t = ITSM_CALENDAR_DEF_INIT;
    t.name = "trading";
    for (int d = 0; d < 5; d++) {
        t.start[d] = 8 * 3600;
        t.end[d] = 18 * 3600;
    }
    assert_ok(itsm_policy_set_calendar(p, &t));

    assert_ok(itsm_policy_set_maintenance_window(p, "payroll", "payroll_maintenance"));
    itsm_blackout_def b = ITSM_BLACKOUT_DEF_INIT;
    b.name = "year_end";
    b.from = at_utc("2026-12-15T00:00:00Z");
    b.to = at_utc("2027-01-05T00:00:00Z");
    assert_ok(itsm_policy_set_blackout(p, &b));
    static const char *const payments[] = { "payments" };
    itsm_blackout_def tb = ITSM_BLACKOUT_DEF_INIT;
    tb.name = "trading_hours";
    tb.calendar = "trading";
    tb.services = payments;
    tb.nservices = 1;
    assert_ok(itsm_policy_set_blackout(p, &tb));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

void change_fixture_open(fixture *f, const itsm_policy *policy, itsm_event_sink_fn sink, void *sink_user)
{
    itsm_policy *own = policy ? NULL : change_policy();
    fixture_open_sink(f, policy ? policy : own, sink, sink_user);
    itsm_policy_free(own);
}

itsm_record *change_open(fixture *f, const char *id, const char *type, const char *service, const char *ci)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "a change", 0 }, { ITSM_F_CHANGE_TYPE, type, 0 },
                        { ITSM_F_SERVICE, service, 0 }, { ITSM_F_CI, ci, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    o.id = id;
    o.fields = c;
    o.nfields = N_(c);
    itsm_record *r;
    int rc = itsm_record_open(&r, f->eng, &o);
    if (rc)
        fail_msg("opening %s: %s", id, itsm_errmsg(f->eng));
    return r;
}

void change_assess(itsm_record *r, const char *level)
{
    /* low 0+0+0+0+0, medium 2+2+1+1+1, high 4+4+3+1+1 */
    const char *low[] = { "few", "tested", "often", "none", "one" };
    const char *med[] = { "department", "untested", "rarely", "in_window", "several" };
    const char *hi[] = { "organisation", "none", "never", "in_window", "several" };
    const char *const q[] = { "users", "backout", "experience", "outage", "reach" };
    const char **a = !strcmp(level, "low") ? low : !strcmp(level, "medium") ? med : hi;
    for (int i = 0; i < 5; i++) {
        int rc = itsm_record_answer_risk(r, q[i], a[i]);
        if (rc)
            fail_msg("answering %s: %s", q[i], itsm_errmsg(itsm_record_engine(r)));
    }
}

itsm_record *change_authorized(fixture *f, const char *id, const char *service, const char *ci)
{
    itsm_record *r = change_open(f, id, "normal", service, ci);
    assert_int_equal(itsm_record_fire(r, "assess", NULL, 0), ITSM_OK);
    change_assess(r, "low");
    assert_int_equal(itsm_record_approve(r, NULL, "carl", NULL), ITSM_OK);
    itsm_change a = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_int_equal(itsm_record_fire(r, "authorize", &a, 1), ITSM_OK);
    return r;
}

void change_plan(itsm_record *r, const char *from, const char *to)
{
    int rc = itsm_change_plan(r, at_utc(from), at_utc(to));
    if (rc)
        fail_msg("planning %s: %s", itsm_record_id(r), itsm_errmsg(itsm_record_engine(r)));
}

char *change_replay_dump(const memstore *s)
{
    itsm_policy *p = change_policy();
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    itsm_engine *eng;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_OK);
    itsm_policy_free(p);
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(eng, s->events[i], strlen(s->events[i]), &err);
        if (rc != ITSM_OK)
            fail_msg("replay of event %zu failed: %s (%s)\n%s", i, itsm_errname(rc), itsm_errmsg(eng), s->events[i]);
    }
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    return d;
}

itsm_record *change_emergency_in_blackout(fixture *f)
{
    itsm_record *e = change_open(f, "ECHG1", "emergency", "mail", "relay01");
    assert_int_equal(itsm_record_fire(e, "assess", NULL, 0), ITSM_OK);
    change_assess(e, "low");
    assert_int_equal(itsm_record_approve(e, NULL, "fay", NULL), ITSM_OK);
    itsm_change a = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_int_equal(itsm_record_fire(e, "authorize", &a, 1), ITSM_OK);
    change_plan(e, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    assert_int_equal(itsm_record_approve(e, "window_exception", "cio", "mail relay patch cannot wait"), ITSM_OK);
    assert_int_equal(itsm_record_fire(e, "schedule", NULL, 0), ITSM_OK);
    return e;
}
