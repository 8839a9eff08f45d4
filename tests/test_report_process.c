/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report's process figures (itsm/report.h "process"): functional
 * escalations, group changes and ping-pong, read from the store's history.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static itsm_record *open_at(fixture *f, const char *id, const char *group, int level)
{
    itsm_change ch[3] = { { ITSM_F_SUMMARY, "mail", 0 }, { ITSM_F_ASSIGNMENT_GROUP, group, 0 },
                          { ITSM_F_FUNCTIONAL_LEVEL, NULL, level } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = ch;
    o.nfields = group ? (level ? 3 : 2) : 1;   /* level 0: none given */
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void move(fixture *f, itsm_record *r, const char *group, int level)
{
    itsm_change ch[2];
    size_t n = 0;
    ch[n++] = (itsm_change){ ITSM_F_ASSIGNMENT_GROUP, group, 0 };
    if (level)
        ch[n++] = (itsm_change){ ITSM_F_FUNCTIONAL_LEVEL, NULL, level };
    f->clock.now += 60;
    assert_ok(itsm_record_update(r, ch, n));
}

static void resolve(fixture *f, itsm_record *r)
{
    itsm_change a = { ITSM_F_ASSIGNEE, "ann", 0 };
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "done", 0 } };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(r, "start", &a, 1));
    assert_ok(itsm_record_fire(r, "resolve", res, 2));
}

/*   R1  desk(1) -> network(2) -> desk(3), resolved: two pushes up, two
 *       changes (desk->network, network->desk); desk had it back
 *   R2  desk(1), resolved: stayed at the first line
 *   R3  desk, cleared, then network: one change (a clear is no group) */
static void story(fixture *f)
{
    itsm_record *r1 = open_at(f, "R1", "desk", 1);
    move(f, r1, "network", 2);
    move(f, r1, "desk", 3);
    resolve(f, r1);
    itsm_record *r2 = open_at(f, "R2", "desk", 1);
    resolve(f, r2);
    itsm_record *r3 = open_at(f, "R3", "desk", 1);
    move(f, r3, NULL, 0);
    move(f, r3, "network", 0);
}

static void escalations_changes_and_ping_pong_from_the_history(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    story(&f);
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    assert_int_equal(itsm_report_process_available(rep), 1);
    itsm_report_process p = { .size = sizeof p };
    assert_ok(itsm_report_process_of(&p, rep));
    assert_int_equal(p.completed, 2);
    assert_int_equal(p.stayed_first_line, 1);
    assert_int_equal(p.functional_escalations, 2);
    assert_int_equal(p.escalated_records, 1);
    assert_int_equal(p.group_changes, 3);
    assert_int_equal(p.ping_pong_records, 1);
    assert_int_equal(p.ping_pong_returns, 1);

    size_t len;
    assert_int_equal(itsm_report_to_json(rep, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_report_to_json(rep, buf, len + 1, &len));
    assert_non_null(strstr(buf, "\"process\":{\"available\":true,\"completed\":2,\"stayed_first_line\":1,"
                                "\"functional_escalations\":2,\"escalated_records\":1,\"group_changes\":3,"
                                "\"ping_pong_records\":1,\"ping_pong_returns\":1}"));
    free(buf);
    assert_int_equal(itsm_report_to_csv(rep, NULL, 0, &len), ITSM_ELIMIT);
    buf = malloc(len + 1);
    assert_ok(itsm_report_to_csv(rep, buf, len + 1, &len));
    assert_non_null(strstr(buf, "\r\nprocess,available,,true\r\n"));
    assert_non_null(strstr(buf, "\r\nprocess,ping_pong_records,,1\r\n"));
    assert_non_null(strstr(buf, "\r\nprocess,functional_escalations,,2\r\n"));
    free(buf);
    itsm_report_free(rep);

    /* only the cohort counts: a period that holds R2 and R3 alone */
    o.from = T0 + 150;   /* R1 opened at T0, R2 at T0 + 180 */
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    assert_ok(itsm_report_process_of(&p, rep));
    assert_int_equal(p.completed, 1);
    assert_int_equal(p.functional_escalations, 0);
    assert_int_equal(p.group_changes, 1);
    assert_int_equal(p.ping_pong_records, 0);
    itsm_report_free(rep);
    fixture_close(&f);
}

/* Without a store there is no history: the figures are not available. */
static void no_store_no_history(void **state)
{
    (void)state;
    fixture f;
    memset(&f, 0, sizeof f);
    f.clock.now = T0;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.clock = vclock_read;
    eo.clock_user = &f.clock;
    assert_ok(itsm_engine_new(&f.eng, &eo));
    story(&f);
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    assert_int_equal(itsm_report_process_available(rep), 0);
    itsm_report_process p = { .size = sizeof p };
    assert_ok(itsm_report_process_of(&p, rep));
    assert_int_equal(p.group_changes, 0);
    size_t len;
    char buf[8192];
    assert_ok(itsm_report_to_json(rep, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\"process\":{\"available\":false}"));
    assert_int_equal(itsm_report_process_of(NULL, rep), ITSM_EINVAL);
    assert_int_equal(itsm_report_process_of(&p, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_report_process_available(NULL), 0);
    itsm_report_free(rep);
    itsm_engine_free(f.eng);
}

static int broken_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    (void)user;
    return emit(ctx, "{\"v\":1}", 7);
}
static int keep_all(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    (void)evs;
    (void)n;
    return ITSM_OK;
}

/* A store whose history cannot be read makes the report fail, saying why. */
static void unreadable_history_fails_the_report(void **state)
{
    (void)state;
    itsm_store st = { ITSM_STORE_VERSION, keep_all, broken_scan, NULL, NULL, NULL };
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = &st;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &eo));
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_fails(eng, itsm_report_new(&rep, eng, &o), ITSM_EPARSE, "could not be read back");
    assert_null(rep);
    itsm_engine_free(eng);
}

/* ---- the binary form ---- */

/* A store keeping the memstore's events, whose scan gives them in the
 * binary form (every one, or every other one: both forms in one scan). */
typedef struct binstore { memstore mem; int mixed; } binstore;

static int bin_append(void *user, const itsm_event *const *evs, size_t n)
{
    binstore *b = user;
    return memstore_methods.append(&b->mem, evs, n);
}

static int bin_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    binstore *b = user;
    for (size_t i = 0; i < b->mem.n; i++) {
        const char *json = b->mem.events[i];
        unsigned char bin[4096];
        size_t len;
        assert_ok(itsm_event_json_to_binary(json, strlen(json), bin, sizeof bin, &len, NULL));
        int rc = b->mixed && i % 2 ? emit(ctx, json, strlen(json)) : emit(ctx, (const char *)bin, len);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static void figures_from_binary_store(int mixed)
{
    binstore b;
    memset(&b, 0, sizeof b);
    memstore_init(&b.mem);
    b.mixed = mixed;
    itsm_store st = { ITSM_STORE_VERSION, bin_append, bin_scan, NULL, NULL, NULL };
    fixture f;
    memset(&f, 0, sizeof f);
    f.clock.now = T0;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = &st;
    eo.store_user = &b;
    eo.clock = vclock_read;
    eo.clock_user = &f.clock;
    assert_ok(itsm_engine_new(&f.eng, &eo));
    story(&f);
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    assert_int_equal(itsm_report_process_available(rep), 1);
    itsm_report_process p = { .size = sizeof p };
    assert_ok(itsm_report_process_of(&p, rep));
    assert_int_equal(p.completed, 2);
    assert_int_equal(p.stayed_first_line, 1);
    assert_int_equal(p.functional_escalations, 2);
    assert_int_equal(p.escalated_records, 1);
    assert_int_equal(p.group_changes, 3);
    assert_int_equal(p.ping_pong_records, 1);
    assert_int_equal(p.ping_pong_returns, 1);
    itsm_report_free(rep);
    itsm_engine_free(f.eng);
    memstore_free(&b.mem);
}

/* A store holding the binary form (read without a value tree) gives the
 * figures the JSON form gives; so does a scan mixing both forms. */
static void binary_history_gives_the_same_figures(void **state)
{
    (void)state;
    figures_from_binary_store(0);
    figures_from_binary_store(1);
}

/* Crafted binary events: what the tree-less reader leaves to the tree (a
 * member that is not a whole number) is read, and a damaged event still
 * fails the report, saying why. */
static const char *const crafted[] = {
    "{\"v\":1,\"type\":\"update\",\"record\":\"R1\",\"kind\":\"incident\",\"rev\":2,"
    "\"at\":\"2026-01-01T00:00:00Z\",\"set\":{\"functional_level\":2.5,\"assignment_group\":\"desk\"}}",
    "{\"v\":1,\"type\":\"update\",\"record\":\"R1\",\"kind\":\"incident\",\"rev\":3,"
    "\"at\":\"2026-01-01T00:00:00Z\",\"set\":{\"assignment_group\":{\"nested\":true}}}",
    "{\"v\":1,\"type\":\"update\",\"record\":\"R1\",\"kind\":\"incident\",\"rev\":4,"
    "\"at\":\"yesterday\"}",
};
typedef struct crafting { size_t n; int cut; } crafting;

static int crafted_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    const crafting *c = user;
    for (size_t i = 0; i < c->n; i++) {
        unsigned char bin[1024];
        size_t len;
        assert_ok(itsm_event_json_to_binary(crafted[i], strlen(crafted[i]), bin, sizeof bin, &len, NULL));
        int rc = emit(ctx, (const char *)bin, c->cut && i + 1 == c->n ? len - 3 : len);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static void binary_events_the_fast_reader_passes_on(void **state)
{
    (void)state;
    crafting c = { 2, 0 };
    itsm_store st = { ITSM_STORE_VERSION, keep_all, crafted_scan, NULL, NULL, NULL };
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = &st;
    eo.store_user = &c;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &eo));
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, eng, &o));
    assert_int_equal(itsm_report_process_available(rep), 1);
    itsm_report_free(rep);
    c.cut = 1;   /* the second event's last bytes missing */
    assert_fails(eng, itsm_report_new(&rep, eng, &o), ITSM_EPARSE, "could not be read back");
    assert_null(rep);
    c.n = 3;   /* a whole event whose time is no time */
    c.cut = 0;
    assert_fails(eng, itsm_report_new(&rep, eng, &o), ITSM_EPARSE, "'at' is not");
    assert_null(rep);
    itsm_engine_free(eng);
}

/* A record opened without a level is at the first line (as first-contact
 * resolution and itsm_record_escalate read it): escalating it to level 2
 * is a push to a higher line, counted like one from level 1, so the
 * escalation figures agree with stayed_first_line. */
static void escalation_from_no_level_counts_as_a_push(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_at(&f, "R1", "desk", 0);   /* no level given */
    itsm_record *plain = open_at(&f, "R2", "desk", 0);
    f.clock.now += 60;
    itsm_change pr[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
    assert_ok(itsm_record_update(r, pr, 2));   /* dispatching needs a priority (seed 002) */
    assert_ok(itsm_record_escalate(r, 2, "network", "restarted the mail relay"));
    resolve(&f, r);
    f.clock.now += 60;
    assert_ok(itsm_record_set_int(plain, ITSM_F_FUNCTIONAL_LEVEL, 1));   /* first line: no push */
    resolve(&f, plain);
    itsm_report *rep;
    itsm_report_opts ro = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, f.eng, &ro));
    itsm_report_process p = { .size = sizeof p };
    assert_ok(itsm_report_process_of(&p, rep));
    assert_int_equal(p.completed, 2);
    assert_int_equal(p.stayed_first_line, 1);
    assert_int_equal(p.functional_escalations, 1);
    assert_int_equal(p.escalated_records, 1);
    itsm_report_free(rep);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escalations_changes_and_ping_pong_from_the_history),
        cmocka_unit_test(escalation_from_no_level_counts_as_a_push),
        cmocka_unit_test(no_store_no_history),
        cmocka_unit_test(unreadable_history_fails_the_report),
        cmocka_unit_test(binary_history_gives_the_same_figures),
        cmocka_unit_test(binary_events_the_fast_reader_passes_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
