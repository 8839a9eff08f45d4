/* SPDX-License-Identifier: Apache-2.0 */
/* itsm/engine.h: "Every call that changes the engine also returns ...
 * ITSM_EINVAL when the clock returns a time outside 1970..9999"
 * (docs/integration.md: the clock "must stay within 1970..9999"). A host
 * whose clock misbehaves gets a refusal that changes and stores nothing,
 * from every kind of change - not a record dated in year 10000 or before
 * 1970 that no store, report or replay could read back. The bounds
 * themselves (ITSM_TIME_MIN, ITSM_TIME_MAX) are times like any other. */
#include "sla/sla_support.h"

#include <stdlib.h>
#include <string.h>

/* Every change below, on `f`'s records `inc` (open, worked) and `major`
 * (an accepted major incident), must be refused with ITSM_EINVAL at the
 * clock's current reading, leaving the engine and the store as they were. */
static void every_change_is_refused(fixture *f, itsm_record *inc, itsm_record *major)
{
    char *before = engine_dump(f->eng);
    size_t stored = f->store.n;
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_change c = { ITSM_F_SUMMARY, "renamed", 0 };
    itsm_note_opts note = ITSM_NOTE_OPTS_INIT;
    note.text = "called the user";
    itsm_alert al;
    assert_ok(itsm_alert_init(&al, ITSM_ALERT_VERSION));
    al.dedup_key = "disk-full-db01";
    itsm_alert_outcome out;
    struct { const char *what; int rc; } calls[] = {
        { "record_open", itsm_record_open(&r, f->eng, &o) },
        { "record_update", itsm_record_update(inc, &c, 1) },
        { "record_set_str", itsm_record_set_str(inc, ITSM_F_SUMMARY, "x") },
        { "record_fire", itsm_record_fire(inc, "hold", NULL, 0) },
        { "record_add_note", itsm_record_add_note(inc, &note) },
        { "record_link", itsm_record_link(inc, ITSM_LINK_RELATED, major) },
        { "record_escalate", itsm_record_escalate(inc, 2, "Network", "restart") },
        { "record_escalate_hierarchical", itsm_record_escalate_hierarchical(inc, "customer waiting") },
        { "record_set_sla", itsm_record_set_sla(inc, "standard") },
        { "major_propose", itsm_major_propose(inc, "manual") },
        { "major_communication_issued", itsm_major_communication_issued(major) },
        { "review_open", itsm_review_open(major) },
        { "alert_ingest", itsm_alert_ingest(&r, &out, f->eng, &al) },
    };
    for (size_t i = 0; i < sizeof calls / sizeof *calls; i++)
        if (calls[i].rc != ITSM_EINVAL)
            fail_msg("%s at clock %lld: got %s \"%s\", wanted ITSM_EINVAL", calls[i].what,
                     (long long)f->clock.now, itsm_errname(calls[i].rc), itsm_errmsg(f->eng));
    assert_non_null(strstr(itsm_errmsg(f->eng), "1970..9999"));
    assert_int_equal(f->store.n, stored);
    char *after = engine_dump(f->eng);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void a_clock_outside_1970_to_9999_makes_every_change_einval(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = open_inc(&f, 2, 2, "mail");     /* P3 */
    start_work(inc);
    itsm_record *major = open_inc(&f, 1, 1, "mail");   /* P1: proposed at opening */
    start_work(major);
    assert_ok(itsm_major_decide(major, 1, "mim_maria"));
    const itsm_time bad[] = { ITSM_TIME_MAX + 1, (itsm_time)-100, (itsm_time)-1, INT64_MAX, INT64_MIN };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        f.clock.now = bad[i];
        every_change_is_refused(&f, inc, major);
    }
    /* The tick goes by its own `now`, not the clock (itsm/sla.h): with the
     * clock still out of range, the P1 major incident's resolution breach
     * (4 h on 24x7) fires at its deadline. */
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 4 * HOUR, &fired));
    assert_true(fired >= 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"at\":\"2026-03-02T13:00:00Z\""), 1);
    /* A sane clock again: the engine goes on as before. */
    f.clock.now = T0 + 9 * HOUR;
    hold(inc, "awaiting_customer");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The bounds are inside: an engine at 1970-01-01T00:00:00Z opens a
 * record, and one at 9999-12-31T23:59:59Z works it. */
static void the_bounds_themselves_are_times(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = ITSM_TIME_MIN;
    itsm_record *r = open_inc(&f, 3, 3, NULL);
    assert_int_equal(itsm_record_int(r, ITSM_F_OPENED_AT), ITSM_TIME_MIN);
    f.clock.now = ITSM_TIME_MAX;
    start_work(r);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), ITSM_TIME_MAX);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"at\":\"9999-12-31T23:59:59Z\""));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_clock_outside_1970_to_9999_makes_every_change_einval),
        cmocka_unit_test(the_bounds_themselves_are_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
