/* SPDX-License-Identifier: Apache-2.0 */
/* The record holding a known outage (seed 002: the availability
 * information customers check "must be dynamic and reliable"; DESIGN 6).
 * The outage stays with the service it was declared on, even when its
 * record is moved to another service; so ending it - by hand, by
 * restoring or canceling the record - tells the host the service it was
 * declared on, and a record holds one outage at a time: a second notice
 * from it is refused until the first is ended, so no outage is left behind
 * on a service with nobody able to end it. Black-box: the public API and
 * the stored events. */
#include "sla/sla_support.h"

/* Declared on Web, the record is moved to Mail (the outage stays with
 * Web). Ending it by hand ends Web's outage and says so: a status page fed
 * by the events shows Web back, and Mail was never down. */
static void ending_an_outage_names_the_service_it_was_declared_on(void **state)
{
    (void)state;
    fixture f;
    evcapture cap = { 0 };
    fixture_open_sink(&f, NULL, evcapture_sink, &cap);
    itsm_record *o = open_inc(&f, 1, 2, "Web");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_set_str(o, ITSM_F_SERVICE, "Mail"));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Web"), o);
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_outage_end(o));
    assert_null(itsm_engine_outage(f.eng, "Web"));
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    const char *ended = last_of(&f.store, "outage_ended");
    assert_non_null(strstr(ended, "\"service\":\"Web\""));
    assert_non_null(strstr(cap.json[cap.n - 1], "\"service\":\"Web\""));
    /* Web can have a new outage, declared by another record */
    itsm_record *w = open_inc(&f, 1, 2, "Web");
    assert_ok(itsm_outage_declare(w, T0 + 3 * HOUR, T0 + HOUR));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Web"), w);
    assert_replay_same(&f, NULL, T0 + HOUR);
    evcapture_free(&cap);
    fixture_close(&f);
}

/* The same record, moved to Mail while it holds Web's outage, cannot
 * declare Mail's as well: the refusal names the outage it holds and
 * nothing is stored. Canceled, it ends Web's outage, naming Web, and
 * leaves no service in outage. */
static void a_record_holds_one_known_outage_at_a_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Web");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_set_str(o, ITSM_F_SERVICE, "Mail"));
    size_t stored = f.store.n;
    uint64_t rev = itsm_record_revision(o);
    assert_fails(f.eng, itsm_outage_declare(o, T0 + 3 * HOUR, T0 + HOUR), ITSM_EEXISTS, "Web");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_revision(o), rev);
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    /* a new incident on Mail is not linked to the record of Web's outage */
    itsm_record *m = open_inc(&f, 2, 2, "Mail");
    assert_int_equal(itsm_record_link_count(m), 0);
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_fire(o, "cancel", NULL, 0));
    assert_null(itsm_engine_outage(f.eng, "Web"));
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(count_events(&f.store, "outage_ended"), 1);
    assert_non_null(strstr(last_of(&f.store, "outage_ended"), "\"service\":\"Web\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Ended by hand, the record may declare again - on the service it is on
 * now - and restoring it ends that one, naming it. */
static void after_ending_its_outage_a_record_may_declare_another(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Web");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_set_str(o, ITSM_F_SERVICE, "Mail"));
    assert_ok(itsm_outage_end(o));
    assert_ok(itsm_outage_declare(o, T0 + 3 * HOUR, T0 + HOUR));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Mail"), o);
    assert_null(itsm_engine_outage(f.eng, "Web"));
    start_work(o);
    f.clock.now = T0 + 40 * MIN;
    resolve(o);
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(count_events(&f.store, "outage_ended"), 2);
    assert_non_null(strstr(last_of(&f.store, "outage_ended"), "\"service\":\"Mail\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

typedef struct { uint64_t s; } walk_rng;
static uint32_t next_u32(walk_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

static int linked_to(const itsm_record *r, const itsm_record *o)
{
    for (size_t l = 0; l < itsm_record_link_count(r); l++) {
        itsm_link lk = { .size = sizeof lk };
        assert_ok(itsm_record_link_at(r, l, &lk));
        if (lk.kind == ITSM_LINK_RELATED && strcmp(lk.target_id, itsm_record_id(o)) == 0)
            return 1;
    }
    return 0;
}

/* In any legal order - incidents opened on a service or on none, outages
 * declared, records moved between services, taken up, restored, reopened,
 * canceled, outages ended by hand - every incident opened on a service
 * with a known outage, or moved onto it unrestored, is linked to it; a
 * known outage is held by an open, unrestored record; it ends once; and a
 * replay agrees. */
static void known_outages_stay_reliable_in_any_order(void **state)
{
    (void)state;
    static const char *const services[3] = { "Mail", "Web", "VPN" };
    for (uint64_t seed = 1; seed <= 200; seed++) {
        walk_rng rng = { seed * 0x9e3779b97f4a7c15ull + 7 };
        fixture f;
        fixture_open(&f);
        itsm_record *r[24];
        size_t n = 0;
        itsm_time now = T0;
        for (int step = 0; step < 80; step++) {
            now += (itsm_time)(next_u32(&rng) % HOUR);
            f.clock.now = now;
            int op = (int)(next_u32(&rng) % 8);
            const char *svc = services[next_u32(&rng) % 3];
            if (op == 0 && n < 24) {
                itsm_record *o = itsm_engine_outage(f.eng, svc);
                r[n] = open_inc(&f, 1 + (int)(next_u32(&rng) % 3), 1 + (int)(next_u32(&rng) % 3),
                                next_u32(&rng) % 4 ? svc : NULL);
                if (o && itsm_record_str(r[n], ITSM_F_SERVICE) && !linked_to(r[n], o))
                    fail_msg("seed %llu: %s opened on %s during %s's outage, not linked", (unsigned long long)seed,
                             itsm_record_id(r[n]), svc, itsm_record_id(o));
                n++;
                continue;
            }
            if (!n)
                continue;
            itsm_record *x = r[next_u32(&rng) % n];
            if (!itsm_record_is_open(x))
                continue;
            itsm_change owner[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
            itsm_change fix[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 } };
            switch (op) {
            case 1:
                itsm_outage_declare(x, now + HOUR, now + 30 * MIN);
                break;
            case 2:
                itsm_record_fire(x, "start", owner, 2);
                break;
            case 3:
                itsm_record_fire(x, "resolve", fix, 2);
                break;
            case 4:
                itsm_record_fire(x, "reopen", owner, 2);
                break;
            case 5:
                if (next_u32(&rng) % 3 == 0)
                    itsm_record_fire(x, "cancel", NULL, 0);
                break;
            case 6: {
                itsm_record *o = itsm_engine_outage(f.eng, svc);
                const char *was = itsm_record_str(x, ITSM_F_SERVICE);
                int moved = !was || strcmp(was, svc) != 0;
                if (itsm_record_set_str(x, ITSM_F_SERVICE, svc) == ITSM_OK && o && o != x && moved &&
                    strcmp(itsm_record_state(x), "resolved") != 0 && !linked_to(x, o))
                    fail_msg("seed %llu: %s moved onto %s during %s's outage, not linked", (unsigned long long)seed,
                             itsm_record_id(x), svc, itsm_record_id(o));
                break;
            }
            default:
                if (next_u32(&rng) % 3 == 0)
                    itsm_outage_end(x);
                break;
            }
            for (int k = 0; k < 3; k++) {
                itsm_record *o = itsm_engine_outage(f.eng, services[k]);
                if (o && (!itsm_record_is_open(o) || !strcmp(itsm_record_state(o), "resolved")))
                    fail_msg("seed %llu: the outage of %s is held by %s, %s", (unsigned long long)seed, services[k],
                             itsm_record_id(o), itsm_record_state(o));
            }
        }
        size_t held = 0;
        for (int k = 0; k < 3; k++)
            held += itsm_engine_outage(f.eng, services[k]) != NULL;
        assert_int_equal(count_events(&f.store, "outage_declared"), count_events(&f.store, "outage_ended") + held);
        assert_replay_same(&f, NULL, now);
        fixture_close(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ending_an_outage_names_the_service_it_was_declared_on),
        cmocka_unit_test(a_record_holds_one_known_outage_at_a_time),
        cmocka_unit_test(after_ending_its_outage_a_record_may_declare_another),
        cmocka_unit_test(known_outages_stay_reliable_in_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
