/* SPDX-License-Identifier: Apache-2.0 */
/* The report (include/itsm/report.h) on a small hand-built engine; every
 * expected figure is worked out by hand in the comments beside it. */
#include "support.h"

#include <itsm/report.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define H ((itsm_time)3600)
#define D ((itsm_time)86400)

static itsm_record *open_inc(fixture *f, const char *id, const char *cat, int impact, int urgency)
{
    itsm_change ch[3] = { { ITSM_F_SUMMARY, "s", 0 }, { ITSM_F_IMPACT, NULL, impact },
                          { ITSM_F_URGENCY, NULL, urgency } };
    itsm_change all[4];
    memcpy(all, ch, sizeof ch);
    size_t n = 3;
    if (cat) {
        all[3].field = ITSM_F_CATEGORY;
        all[3].str = cat;
        all[3].num = 0;
        n = 4;
    }
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = all;
    o.nfields = n;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void start(itsm_record *r, const char *group)
{
    itsm_change ch[2] = { { ITSM_F_ASSIGNMENT_GROUP, group, 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_ok(itsm_record_fire(r, "start", ch, 2));
}

static void resolve(itsm_record *r)
{
    itsm_change ch[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "done", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", ch, 2));
}

/*
 * The story (T0 = Monday 2026-03-02 09:00Z):
 *   A  network, P3 (2,2). T0 open; T0+1h start (respond 1h); T0+3h resolve
 *      (resolve 3h). Level 1, no reassignment: first contact.
 *   B  network, P5 (3,3). T0+1d open; +30m start; +1h reassign to "net2"
 *      (1 reassignment); +4h resolve (resolve 4h); +5h reopen; +6h resolve
 *      again (resolve 6h: the latest). Not first contact (reassigned).
 *   C  email, P1 (1,1). T0+2d open; never started (no respond), open.
 *   D  no category, P3. T0+8d (next Monday) open; +2h start (respond 2h);
 *      +10h resolve (resolve 10h), escalated to level 2 first: not first contact.
 *   E  problem, T0-1d: before the period - not in the cohort, but open
 *      (aging), category "network".
 * Period [T0 - 9h (Monday 00:00), T0 + 14d). now = T0 + 10d.
 */
static void build(fixture *f)
{
    vclock *c = &f->clock;
    c->now = T0 - D;
    itsm_record_opts po = ITSM_RECORD_OPTS_INIT;
    po.kind = ITSM_KIND_PROBLEM;
    po.id = "E";
    itsm_change pc[2] = { { ITSM_F_SUMMARY, "p", 0 }, { ITSM_F_CATEGORY, "network", 0 } };
    po.fields = pc;
    po.nfields = 2;
    itsm_record *e;
    assert_ok(itsm_record_open(&e, f->eng, &po));

    c->now = T0;
    itsm_record *a = open_inc(f, "A", "network", 2, 2);
    c->now = T0 + H;
    start(a, "desk");
    c->now = T0 + 3 * H;
    resolve(a);

    itsm_time tb = T0 + D;
    c->now = tb;
    itsm_record *b = open_inc(f, "B", "network", 3, 3);
    c->now = tb + H / 2;
    start(b, "desk");
    c->now = tb + H;
    assert_ok(itsm_record_set_str(b, ITSM_F_ASSIGNMENT_GROUP, "net2"));
    c->now = tb + 4 * H;
    resolve(b);
    c->now = tb + 5 * H;
    assert_ok(itsm_record_fire(b, "reopen", NULL, 0));
    c->now = tb + 6 * H;
    resolve(b);

    c->now = T0 + 2 * D;
    open_inc(f, "C", "email", 1, 1);

    itsm_time td = T0 + 8 * D;
    c->now = td;
    itsm_record *d = open_inc(f, "D", NULL, 2, 2);
    c->now = td + 2 * H;
    start(d, "desk");
    assert_ok(itsm_record_set_int(d, ITSM_F_FUNCTIONAL_LEVEL, 2));
    c->now = td + 10 * H;
    resolve(d);

    c->now = T0 + 10 * D;
}

static itsm_report *make(fixture *f)
{
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.from = T0 - 9 * H;
    o.to = T0 + 14 * D;
    itsm_report *r;
    assert_ok(itsm_report_new(&r, f->eng, &o));
    return r;
}

static void test_volume(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build(&f);
    itsm_report *r = make(&f);

    /* Cohort: A B C D (E opened before the period). */
    assert_int_equal(itsm_report_total(r), 4);
    assert_int_equal(itsm_report_by_kind(r, ITSM_KIND_INCIDENT), 4);
    assert_int_equal(itsm_report_by_kind(r, ITSM_KIND_PROBLEM), 0);
    /* Priorities: A 3, B 5, C 1, D 3. */
    assert_int_equal(itsm_report_by_priority(r, 0), 0);
    assert_int_equal(itsm_report_by_priority(r, 1), 1);
    assert_int_equal(itsm_report_by_priority(r, 3), 2);
    assert_int_equal(itsm_report_by_priority(r, 5), 1);
    /* Categories, NULL first: (none) 1, email 1, network 2. */
    assert_int_equal(itsm_report_category_count(r), 3);
    itsm_report_row row = { .size = sizeof row };
    assert_ok(itsm_report_category_at(r, 0, &row));
    assert_null(row.name);
    assert_int_equal(row.count, 1);
    assert_ok(itsm_report_category_at(r, 1, &row));
    assert_string_equal(row.name, "email");
    assert_ok(itsm_report_category_at(r, 2, &row));
    assert_string_equal(row.name, "network");
    assert_int_equal(row.count, 2);
    assert_int_equal(itsm_report_category_at(r, 3, &row), ITSM_EINVAL);
    /* States: C new (or whatever the major rule leaves it in: still "new"),
     * A B D resolved. */
    assert_int_equal(itsm_report_state_count(r), 2);
    assert_ok(itsm_report_state_at(r, 0, &row));
    assert_int_equal(row.kind, ITSM_KIND_INCIDENT);
    assert_string_equal(row.name, "new");
    assert_int_equal(row.count, 1);
    assert_ok(itsm_report_state_at(r, 1, &row));
    assert_string_equal(row.name, "resolved");
    assert_int_equal(row.count, 3);

    itsm_report_free(r);
    fixture_close(&f);
}

static void test_durations(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build(&f);
    itsm_report *r = make(&f);
    itsm_report_stat s = { .size = sizeof s };

    /* Respond: A 3600, B 1800, D 7200 -> sorted 1800 3600 7200.
     * mean 4200; p50 rank ceil(1.5)=2 -> 3600; p90 rank ceil(2.7)=3 -> 7200. */
    assert_ok(itsm_report_duration(&s, r, ITSM_MEASURE_RESPOND_WALL));
    assert_int_equal(s.count, 3);
    assert_true(fabs(s.mean - 4200.0) < 1e-9);
    assert_int_equal(s.min, 1800);
    assert_int_equal(s.max, 7200);
    assert_int_equal(s.p50, 3600);
    assert_int_equal(s.p90, 7200);
    assert_int_equal(s.p95, 7200);
    /* Resolve: A 3h, B 6h (latest), D 10h -> mean 19h/3. */
    assert_ok(itsm_report_duration(&s, r, ITSM_MEASURE_RESOLVE_WALL));
    assert_int_equal(s.count, 3);
    assert_true(fabs(s.mean - 19.0 * 3600 / 3) < 1e-6);
    assert_int_equal(s.p50, 6 * 3600);
    assert_int_equal(s.p95, 10 * 3600);
    /* Default calendar 24x7: working time equals wall time. */
    itsm_report_stat w = { .size = sizeof w };
    assert_ok(itsm_report_duration(&w, r, ITSM_MEASURE_RESOLVE_WORK));
    assert_int_equal(w.p50, s.p50);
    assert_string_equal(itsm_report_calendar(r), "24x7");
    itsm_report_free(r);

    /* On the default "business" calendar (Mon-Fri 09:00-17:00 UTC):
     *   A Mon 09:00 -> 12:00: 3h. B Tue 09:00 -> 15:00: 6h.
     *   D Tue Mar 10 09:00 -> 19:00: 8h (work stops at 17:00). */
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.calendar = "business";
    assert_ok(itsm_report_new(&r, f.eng, &o));
    assert_ok(itsm_report_duration(&w, r, ITSM_MEASURE_RESOLVE_WORK));
    assert_int_equal(w.count, 3);
    assert_int_equal(w.min, 3 * 3600);
    assert_int_equal(w.p50, 6 * 3600);
    assert_int_equal(w.max, 8 * 3600);
    itsm_report_free(r);

    o.calendar = "no_such_calendar";
    assert_fails(f.eng, itsm_report_new(&r, f.eng, &o), ITSM_ENOTFOUND, "no_such_calendar");
    o.calendar = NULL;
    o.to = o.from;
    assert_fails(f.eng, itsm_report_new(&r, f.eng, &o), ITSM_EINVAL, "after its start");
    fixture_close(&f);
}

static void test_figures(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build(&f);
    itsm_report *r = make(&f);
    itsm_report_figures g = { .size = sizeof g };
    assert_ok(itsm_report_figures_of(&g, r));
    /* Resolved: A B D. First contact: A only (B reassigned, D level 2). */
    assert_int_equal(g.resolved, 3);
    assert_int_equal(g.first_contact, 1);
    assert_true(fabs(g.first_contact_rate - 1.0 / 3) < 1e-12);
    /* Reassignments: B's "desk" -> "net2" only (setting the first group is not one). */
    assert_int_equal(g.reassignments, 1);
    assert_int_equal(g.reassigned_records, 1);
    /* Reopen: B once, of 3 ever resolved. */
    assert_int_equal(g.reopens, 1);
    assert_int_equal(g.reopened_records, 1);
    assert_int_equal(g.ever_resolved, 3);
    assert_true(fabs(g.reopen_rate - 1.0 / 3) < 1e-12);

    /* Aging at now = T0+10d of records open now (A B D are resolved, which
     * is an open state): A 10d, B 9d, C 8d -> [7d,30d); D 2d -> [1d,3d);
     * E 11d -> [7d,30d). */
    assert_int_equal(itsm_report_aging(r, 0), 0);
    assert_int_equal(itsm_report_aging(r, 1), 1);
    assert_int_equal(itsm_report_aging(r, 2), 0);
    assert_int_equal(itsm_report_aging(r, 3), 4);
    assert_int_equal(itsm_report_aging(r, 4), 0);
    assert_int_equal(itsm_report_aging_bound(3), 7 * 86400);

    /* Trends. Week 1 (Mon Mar 2): network opened 2, resolved 2 (A, B);
     * email opened 1. Week 2 (Mon Mar 9): (none) opened 1, resolved 1 (D).
     * Rows by week then category: W2 none, W1 email, W1 network -> sorted:
     * W1 email, W1 network, W2 none. */
    assert_int_equal(itsm_report_trend_count(r), 3);
    itsm_report_trend t = { .size = sizeof t };
    itsm_time w1 = T0 - 9 * H;
    assert_ok(itsm_report_trend_at(r, 0, &t));
    assert_int_equal(t.week, w1);
    assert_string_equal(t.category, "email");
    assert_int_equal(t.opened, 1);
    assert_int_equal(t.resolved, 0);
    assert_ok(itsm_report_trend_at(r, 1, &t));
    assert_string_equal(t.category, "network");
    assert_int_equal(t.opened, 2);
    assert_int_equal(t.resolved, 2);
    assert_ok(itsm_report_trend_at(r, 2, &t));
    assert_int_equal(t.week, w1 + 7 * D);
    assert_null(t.category);
    assert_int_equal(t.opened, 1);
    assert_int_equal(t.resolved, 1);

    /* SLA (default "standard"): resolution targets P1 4h 24x7, P3 1 day and
     * P5 80h on the business calendar. A (P3, 3h work) met; B (P5) met;
     * D (P3, 8h) met; C (P1, open since T0+2d, 8 days) breached. */
    itsm_report_sla_figures sla = { .size = sizeof sla };
    assert_ok(itsm_report_sla(&sla, r));
    assert_int_equal(sla.tracked, 4);
    assert_int_equal(sla.met, 3);
    assert_int_equal(sla.breached, 1);
    assert_true(fabs(sla.compliance - 0.75) < 1e-12);
    itsm_report_free(r);

    /* Kind filter: problems only -> the cohort is empty (E is before the
     * period), but E ages. */
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.kinds = ITSM_REPORT_KIND(ITSM_KIND_PROBLEM);
    o.now = T0 + 10 * D;
    assert_ok(itsm_report_new(&r, f.eng, &o));
    assert_int_equal(itsm_report_total(r), 1);   /* all time: E counts */
    assert_int_equal(itsm_report_aging(r, 3), 1);
    itsm_report_free(r);
    fixture_close(&f);
}

/* SLA compliance counts met as "resolved within target" (report.h): an
 * incident canceled before its target (logged in error, a duplicate) was
 * never resolved, so it is tracked but neither met nor breached; one
 * canceled after its breach stays breached. */
static void sla_compliance_does_not_count_a_canceled_incident_as_met(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0;
    itsm_record *a = open_inc(&f, "A", "network", 2, 2);   /* P3: one business day */
    itsm_record *x = open_inc(&f, "X", "network", 2, 2);
    itsm_record *late = open_inc(&f, "L", "network", 1, 1);   /* P1: 4 h, 24x7 */
    f.clock.now = T0 + H;
    start(a, "desk");
    assert_ok(itsm_record_fire(x, "cancel", NULL, 0));
    f.clock.now = T0 + 2 * H;
    resolve(a);
    assert_ok(itsm_engine_tick(f.eng, T0 + 5 * H, NULL));   /* L breaches at T0 + 4h */
    f.clock.now = T0 + 5 * H;
    assert_ok(itsm_record_fire(late, "cancel", NULL, 0));
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *r;
    assert_ok(itsm_report_new(&r, f.eng, &o));
    itsm_report_sla_figures sla = { .size = sizeof sla };
    assert_ok(itsm_report_sla(&sla, r));
    assert_int_equal(sla.tracked, 3);
    assert_int_equal(sla.met, 1);
    assert_int_equal(sla.breached, 1);
    assert_true(fabs(sla.compliance - 0.5) < 1e-12);
    itsm_report_free(r);
    fixture_close(&f);
}

static void test_writers(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build(&f);
    itsm_report *r = make(&f);
    size_t len = 0;
    assert_int_equal(itsm_report_to_json(r, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_report_to_json(r, buf, len + 1, &len));
    assert_int_equal(strlen(buf), len);
    assert_non_null(strstr(buf, "\"total\":4"));
    assert_non_null(strstr(buf, "\"by_kind\":{\"incident\":4,"));
    assert_non_null(strstr(buf, "{\"category\":null,\"count\":1}"));
    assert_non_null(strstr(buf, "\"respond_wall\":{\"count\":3,\"mean\":4200,\"min\":1800,"
                                "\"max\":7200,\"p50\":3600,\"p90\":7200,\"p95\":7200,\"p99\":7200}"));
    assert_non_null(strstr(buf, "\"reassignments\":1"));
    assert_non_null(strstr(buf, "\"sla\":{\"tracked\":4,\"met\":3,\"breached\":1,"
                                "\"compliance\":0.75}"));
    assert_non_null(strstr(buf, "{\"week\":\"2026-03-09T00:00:00Z\",\"category\":null,\"opened\":1,"
                                "\"resolved\":1}"));
    /* The writer is a pure function of the report. */
    char *again = malloc(len + 1);
    size_t len2;
    assert_ok(itsm_report_to_json(r, again, len + 1, &len2));
    assert_string_equal(buf, again);
    /* The JSON reads back as a valid document (the strict reader). */
    itsm_policy *p = NULL;
    itsm_parse_error pe;
    /* Not a policy, so a schema error, never a syntax error. */
    assert_int_equal(itsm_policy_parse_json(&p, buf, len, NULL, NULL, &pe), ITSM_EPARSE);
    assert_null(strstr(pe.text, "syntax"));
    free(again);
    free(buf);

    /* CSV: truncation reports the full length; the content has the lines. */
    char small[16];
    assert_int_equal(itsm_report_to_csv(r, small, sizeof small, &len), ITSM_ELIMIT);
    assert_int_equal(strlen(small), sizeof small - 1);
    buf = malloc(len + 1);
    assert_ok(itsm_report_to_csv(r, buf, len + 1, &len));
    assert_true(strncmp(buf, "section,key,subkey,value\r\n", 26) == 0);
    assert_non_null(strstr(buf, "\r\nperiod,from,,2026-03-02T00:00:00Z\r\n"));
    assert_non_null(strstr(buf, "\r\nby_category,network,,2\r\n"));
    assert_non_null(strstr(buf, "\r\nby_category,,,1\r\n"));
    assert_non_null(strstr(buf, "\r\nby_state,incident,resolved,3\r\n"));
    assert_non_null(strstr(buf, "\r\nby_priority,3,,2\r\n"));
    assert_non_null(strstr(buf, "\r\nduration,resolve_wall,p50,21600\r\n"));
    assert_non_null(strstr(buf, "\r\nfigures,reopen_rate,,0.333333333333333"));
    assert_non_null(strstr(buf, "\r\naging,604800,,4\r\n"));
    assert_non_null(strstr(buf, "\r\ntrend_opened,2026-03-02T00:00:00Z,network,2\r\n"));
    assert_non_null(strstr(buf, "\r\ntrend_resolved,2026-03-09T00:00:00Z,,1\r\n"));
    free(buf);
    assert_int_equal(itsm_report_to_csv(NULL, NULL, 0, &len), ITSM_EINVAL);
    itsm_report_free(r);
    fixture_close(&f);
}

static void test_quoting_and_args(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_inc(&f, "Q", "net,\"core\"", 3, 3);
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *r;
    assert_ok(itsm_report_new(&r, f.eng, &o));
    char buf[4096];
    size_t len;
    assert_ok(itsm_report_to_csv(r, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\r\nby_category,\"net,\"\"core\"\"\",,1\r\n"));
    itsm_report_free(r);

    assert_int_equal(itsm_report_new(&r, NULL, &o), ITSM_EINVAL);
    assert_int_equal(itsm_report_new(&r, f.eng, NULL), ITSM_EINVAL);
    o.kinds = 1u << 9;
    assert_int_equal(itsm_report_new(&r, f.eng, &o), ITSM_EINVAL);
    o.kinds = 0;
    o.version = 99;
    assert_int_equal(itsm_report_new(&r, f.eng, &o), ITSM_EINVAL);
    assert_int_equal(itsm_report_opts_init(&o, 99), ITSM_EINVAL);
    assert_ok(itsm_report_opts_init(&o, ITSM_REPORT_OPTS_VERSION));
    assert_int_equal(o.to, ITSM_TIME_MAX);
    itsm_report_free(NULL);
    assert_int_equal(itsm_report_total(NULL), 0);
    assert_null(itsm_report_measure_name((itsm_report_measure)7));
    fixture_close(&f);
}

/* One shift packet on `rec` from `group`, with exactly the checklist items
 * in `have` set (object, defect, receiver; sender_group when group is set),
 * proposed at `at`. */
static void handover(fixture *f, itsm_record *rec, const char *group, int object, int defect, int receiver,
                     itsm_time at)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, rec, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_OBJECT, object ? "payroll batch" : NULL));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, defect ? "fails at step 3" : NULL));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, receiver ? "bob" : NULL));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, group));
    f->clock.now = at;
    assert_ok(itsm_packet_propose(p, f->eng));
    itsm_packet_free(p);
}

/* DESIGN 10: the report gives handover completeness by sending group over
 * the period: packets proposed, mean completeness score and complete ones;
 * packets proposed outside the period, or on records the kinds or the
 * filter leave out, do not count. */
static void report_gives_handover_completeness_by_sending_group(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    /* four items: 25 points each */
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, "object defect sender_group receiver"));
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_record *a = open_inc(&f, "A", "network", 2, 2), *b = open_inc(&f, "B", "network", 2, 2),
                *c = open_inc(&f, "C", "email", 2, 2), *d = open_inc(&f, "D", "email", 2, 2),
                *e = open_inc(&f, "E", "email", 2, 2);
    handover(&f, a, "desk-a", 1, 1, 1, T0 + H);            /* 100 */
    handover(&f, b, "desk-a", 1, 0, 0, T0 + 2 * H);        /* 50: object, sender_group */
    handover(&f, c, NULL, 1, 1, 1, T0 + 3 * H);            /* 75: no sender_group */
    handover(&f, d, "desk-c", 1, 1, 1, T0 + 4 * H);        /* 100 */
    handover(&f, e, "desk-b", 1, 1, 1, T0 + 20 * D);       /* after the period */
    f.clock.now = T0 + 21 * D;

    itsm_report *r = make(&f);
    assert_int_equal(itsm_report_sender_count(r), 3);
    itsm_report_sender row = { .size = sizeof row };
    assert_ok(itsm_report_sender_at(r, 0, &row));   /* no group first */
    assert_null(row.sender_group);
    assert_int_equal(row.packets, 1);
    assert_true(fabs(row.mean_score - 75.0) < 1e-9);
    assert_int_equal(row.complete, 0);
    assert_ok(itsm_report_sender_at(r, 1, &row));
    assert_string_equal(row.sender_group, "desk-a");
    assert_int_equal(row.packets, 2);
    assert_true(fabs(row.mean_score - 75.0) < 1e-9);
    assert_int_equal(row.complete, 1);
    assert_ok(itsm_report_sender_at(r, 2, &row));
    assert_string_equal(row.sender_group, "desk-c");
    assert_int_equal(row.packets, 1);
    assert_true(fabs(row.mean_score - 100.0) < 1e-9);
    assert_int_equal(row.complete, 1);
    assert_int_equal(itsm_report_sender_at(r, 3, &row), ITSM_EINVAL);
    itsm_report_free(r);

    /* the kinds and the filter select packets by their record, as every
     * figure over records */
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.from = T0 - 9 * H;
    o.to = T0 + 14 * D;
    o.filter = "category == 'network'";
    assert_ok(itsm_report_new(&r, f.eng, &o));
    assert_int_equal(itsm_report_sender_count(r), 1);
    assert_ok(itsm_report_sender_at(r, 0, &row));
    assert_string_equal(row.sender_group, "desk-a");
    assert_int_equal(row.packets, 2);
    itsm_report_free(r);
    o.filter = NULL;
    o.kinds = ITSM_REPORT_KIND(ITSM_KIND_CHANGE);
    assert_ok(itsm_report_new(&r, f.eng, &o));
    assert_int_equal(itsm_report_sender_count(r), 0);
    itsm_report_free(r);
    itsm_engine_free(f.eng);
    memstore_free(&f.store);
    itsm_policy_free(pol);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    /* Every allocation of itsm_report_new may fail: ENOMEM, nothing leaks. */
    for (long n = 1;; n++) {
        failalloc fa = { 0, 0, 0, 0 };
        vclock c = { T0 };
        itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
        eo.clock = vclock_read;
        eo.clock_user = &c;
        eo.alloc = failalloc_make(&fa);
        itsm_engine *eng;
        assert_ok(itsm_engine_new(&eng, &eo));
        fixture f;
        f.eng = eng;
        f.clock = c;
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        itsm_change ch[2] = { { ITSM_F_SUMMARY, "x", 0 }, { ITSM_F_CATEGORY, "net", 0 } };
        ro.fields = ch;
        ro.nfields = 2;
        itsm_record *rec;
        assert_ok(itsm_record_open(&rec, eng, &ro));
        long before = fa.live;
        fa.fail_at = fa.calls + n;
        itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
        itsm_report *r = NULL;
        int rc = itsm_report_new(&r, eng, &o);
        fa.fail_at = 0;
        if (rc == ITSM_OK) {
            assert_int_equal(itsm_report_total(r), 1);
            itsm_report_free(r);
            assert_int_equal(fa.live, before);
            itsm_engine_free(eng);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_null(r);
        assert_int_equal(fa.live, before);
        itsm_engine_free(eng);
        (void)f;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_volume),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_figures),
        cmocka_unit_test(sla_compliance_does_not_count_a_canceled_incident_as_met),
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_quoting_and_args),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(report_gives_handover_completeness_by_sending_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
