/* SPDX-License-Identifier: Apache-2.0 */
/* A packet's documented bounds (itsm/handover.h, docs/handover.md): a
 * list holds ITSM_PACKET_MAX_ENTRIES (1024) entries and a text
 * ITSM_MAX_TEXT (65536) bytes - at the limit taken, one past it
 * ITSM_ELIMIT with the packet unchanged, built in memory or read from
 * JSON alike. */
#include "pm_helpers.h"

static itsm_packet *draft(fixture *f)
{
    itsm_record *r = pm_incident(f, "payroll", "batch", "payroll run fails");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    return p;
}

/* The packet's JSON (malloc'd), which reads back into an equal packet. */
static char *reads_back_whole(const itsm_packet *p)
{
    char *json = pm_packet_json(p);
    itsm_packet *q = NULL;
    itsm_parse_error err;
    assert_ok(itsm_packet_from_json(&q, json, strlen(json), NULL, NULL, &err));
    assert_true(itsm_packet_equal(p, q));
    itsm_packet_free(q);
    return json;
}

static void a_list_takes_1024_entries_and_refuses_the_next(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_packet *p = draft(&f);
    size_t had = itsm_packet_count(p, ITSM_PL_HYPOTHESES);
    itsm_packet_entry e = { sizeof e, "a hypothesis", NULL, ITSM_TIME_NONE };
    for (size_t i = had; i < ITSM_PACKET_MAX_ENTRIES; i++)
        assert_ok(itsm_packet_add(p, ITSM_PL_HYPOTHESES, &e));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1024);
    assert_int_equal(itsm_packet_add(p, ITSM_PL_HYPOTHESES, &e), ITSM_ELIMIT);
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1024);
    assert_true(itsm_packet_errmsg(p)[0] != '\0');

    /* its JSON reads back whole; one more entry in the document is refused */
    char *json = reads_back_whole(p);
    itsm_packet *q = NULL;
    itsm_parse_error err;
    const char *list = strstr(json, "\"hypotheses\":[");
    assert_non_null(list);
    size_t at = (size_t)(list - json) + strlen("\"hypotheses\":[");
    size_t n = strlen(json);
    char *more = malloc(n + 32);
    memcpy(more, json, at);
    memcpy(more + at, "\"one more\",", 11);
    memcpy(more + at + 11, json + at, n - at + 1);
    q = NULL;
    assert_int_equal(itsm_packet_from_json(&q, more, strlen(more), NULL, NULL, &err), ITSM_ELIMIT);
    assert_null(q);
    assert_true(err.line >= 1 && err.column >= 1);
    free(more);
    free(json);
    itsm_packet_free(p);
    fixture_close(&f);
}

static void a_text_takes_65536_bytes_and_refuses_the_next(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_packet *p = draft(&f);
    char *big = malloc(ITSM_MAX_TEXT + 2);
    memset(big, 'x', ITSM_MAX_TEXT + 1);
    big[ITSM_MAX_TEXT + 1] = 0;
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, "aborts at step 3"));
    assert_int_equal(itsm_packet_set_text(p, ITSM_PT_DEFECT, big), ITSM_ELIMIT);
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_DEFECT), "aborts at step 3");   /* unchanged */
    itsm_packet_entry e = { sizeof e, big, NULL, ITSM_TIME_NONE };
    assert_int_equal(itsm_packet_add(p, ITSM_PL_OTHER_PLACES, &e), ITSM_ELIMIT);
    assert_int_equal(itsm_packet_count(p, ITSM_PL_OTHER_PLACES), 0);
    big[ITSM_MAX_TEXT] = 0;
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, big));
    assert_int_equal(strlen(itsm_packet_text_of(p, ITSM_PT_DEFECT)), ITSM_MAX_TEXT);
    assert_ok(itsm_packet_add(p, ITSM_PL_OTHER_PLACES, &e));

    /* its JSON reads back whole */
    char *json = reads_back_whole(p);
    free(json);
    free(big);
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_list_takes_1024_entries_and_refuses_the_next),
        cmocka_unit_test(a_text_takes_65536_bytes_and_refuses_the_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
