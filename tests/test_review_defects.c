/* SPDX-License-Identifier: Apache-2.0 */
/* Defects found in review: each test failed before its fix in src/. */
#include "pm_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_replay_equal(fixture *f)
{
    char *live = engine_dump(f->eng);
    char *replayed = replay_dump(&f->store);
    assert_string_equal(live, replayed);
    free(live);
    free(replayed);
}

/* handover.c answer(): 'by' became the record's assignee (a symbol) with
 * only a UTF-8 check, so a control character was stored in the event and
 * replay then refused the event (assignee with a control character). */
static void ack_by_with_control_character_is_refused_or_replays(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    pm_work(r, "desk", "ann");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_propose(p, f.eng));
    int rc = itsm_packet_acknowledge(p, f.eng, "bob\tsmith");
    assert_int_equal(rc, ITSM_EINVAL);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_replay_equal(&f);
    /* The receiver group goes into the record as a symbol too. */
    itsm_packet *q;
    assert_ok(itsm_packet_new(&q, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(q, ITSM_PT_RECEIVER_GROUP, "night\nshift"));
    assert_ok(itsm_packet_propose(q, f.eng));
    rc = itsm_packet_acknowledge(q, f.eng, "bob");
    assert_int_equal(rc, ITSM_EINVAL);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "desk");
    assert_replay_equal(&f);
    itsm_packet_free(p);
    itsm_packet_free(q);
    fixture_close(&f);
}

/* sla_int.h: the per-record SLA override was a uint8_t (index + 1), so in
 * a policy with more than 255 SLAs itsm_record_set_sla picked another SLA. */
/* A hand-set SLA is one byte of a record's timer state: a policy holds at
 * most ITSM_MAX_SLAS (255), the 256th is refused, and the last one can be
 * chosen by hand and keeps its own targets (it once wrapped to another). */
static void sla_override_of_the_last_of_255_slas_keeps_its_sla(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    size_t have = 0;
    for (int i = 0; i < 400; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        itsm_sla_def d = ITSM_SLA_DEF_INIT;
        d.name = name;
        for (int p = 0; p < 5; p++)
            d.resolution[p] = d.response[p] = (uint32_t)(3600 + i);
        int rc = itsm_policy_set_sla(pol, &d);
        if (rc == ITSM_ELIMIT) {
            assert_non_null(strstr(itsm_policy_errmsg(pol), "at most 255 SLAs"));
            break;
        }
        assert_ok(rc);
        have = (size_t)i;
    }
    char last[16];
    snprintf(last, sizeof last, "s%zu", have);
    fixture f;
    memset(&f, 0, sizeof f);
    f.clock.now = T0;
    memstore_init(&f.store);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.clock = vclock_read;
    o.clock_user = &f.clock;
    o.store = &memstore_methods;
    o.store_user = &f.store;
    assert_ok(itsm_engine_new(&f.eng, &o));
    itsm_policy_free(pol);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 2));
    assert_ok(itsm_record_set_sla(r, last));
    assert_string_equal(itsm_record_sla(r), last);
    itsm_timer_info ti = { .size = sizeof ti };
    assert_ok(itsm_record_timer(&ti, r, ITSM_TIMER_RESOLUTION, f.clock.now));
    assert_int_equal(ti.target, 3600 + (int)have);
    itsm_engine_free(f.eng);
    memstore_free(&f.store);
}


/* An engine over `pol` (freed here), a memstore and the virtual clock. */
static void fixture_policy(fixture *f, itsm_policy *pol)
{
    memset(f, 0, sizeof *f);
    f->clock.now = T0;
    memstore_init(&f->store);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.clock = vclock_read;
    o.clock_user = &f->clock;
    o.store = &memstore_methods;
    o.store_user = &f->store;
    assert_ok(itsm_engine_new(&f->eng, &o));
    itsm_policy_free(pol);
}

/* The incident lifecycle new --resolve--> resolved --close--> closed, plus
 * resolved --auto_close--> `ac_to` with `stamp` on resolve. */
static itsm_policy *small_incident_policy(const char *stamp, const char *ac_to)
{
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_lifecycle_clear(pol, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "resolved", 0));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "closed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "resolve"));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "close"));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "auto_close"));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "new"; t.event = "resolve"; t.to = "resolved"; t.stamp = stamp;
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &t));
    itsm_transition_def c = ITSM_TRANSITION_DEF_INIT;
    c.from = "resolved"; c.event = "close"; c.to = "closed";
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &c));
    itsm_transition_def a = ITSM_TRANSITION_DEF_INIT;
    a.from = "resolved"; a.event = "auto_close"; a.to = ac_to;
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &a));
    return pol;
}

/* policy.c parse_stamp accepted "resolved_at resolved_at": the transition
 * then put the field twice into one event, whose JSON ("set" with a
 * duplicate key) the store accepted and replay refused. */
static void a_field_stamped_twice_replays(void **state)
{
    (void)state;
    itsm_policy *pol = small_incident_policy("resolved_at resolved_at", "closed");
    fixture f;
    fixture_policy(&f, pol);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 60);
    itsm_engine *e2;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.policy = itsm_engine_policy(f.eng);
    assert_ok(itsm_engine_new(&e2, &eo));
    for (size_t i = 0; i < f.store.n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(e2, f.store.events[i], strlen(f.store.events[i]), &err);
        if (rc)
            fail_msg("replay of %s: %s", f.store.events[i], itsm_errmsg(e2));
    }
    char *a = engine_dump(f.eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
    fixture_close(&f);
}

/* sla.c: an auto_close transition that stays in the same (stop) state left
 * the auto-close due time unchanged, so itsm_engine_tick fired it again and
 * again without end, appending to the store each time. */
static void auto_close_into_the_same_state_fires_once(void **state)
{
    (void)state;
    itsm_policy *pol = small_incident_policy(NULL, "resolved");
    assert_ok(itsm_policy_set_closure(pol, 3600, 0, 0));
    fixture f;
    fixture_policy(&f, pol);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    size_t before = f.store.n, fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 7200, &fired));
    assert_true(fired <= 1);
    assert_true(f.store.n <= before + 1);
    fixture_close(&f);
}

/* sla.c itsm_engine_aging: the by-breach scratch array was malloc(max * 8),
 * which wraps for a huge `max` (a host passing "as many as there are"):
 * a 16-byte block then took one entry per record (heap overflow, seen by
 * ASan), or the call failed with ITSM_ENOMEM for a merely large max. */
static void aging_with_a_huge_max_stays_in_bounds(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    for (int i = 0; i < 6; i++) {
        itsm_change ch[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = ch;
        o.nfields = 2;
        itsm_record *r;
        f.clock.now += 60;
        assert_ok(itsm_record_open(&r, f.eng, &o));
    }
    itsm_aging_entry out[8] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n = 0;
    assert_ok(itsm_engine_aging(out, SIZE_MAX / 8 + 3, &n, f.eng, ITSM_AGING_BY_BREACH, f.clock.now));
    assert_int_equal(n, 6);
    assert_ok(itsm_engine_aging(out, SIZE_MAX / 32, &n, f.eng, ITSM_AGING_BY_BREACH, f.clock.now));
    assert_int_equal(n, 6);
    for (size_t i = 1; i < n; i++)
        assert_true(out[i - 1].time_left <= out[i].time_left);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ack_by_with_control_character_is_refused_or_replays),
        cmocka_unit_test(sla_override_of_the_last_of_255_slas_keeps_its_sla),
        cmocka_unit_test(a_field_stamped_twice_replays),
        cmocka_unit_test(auto_close_into_the_same_state_fires_once),
        cmocka_unit_test(aging_with_a_huge_max_stays_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
