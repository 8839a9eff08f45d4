/* SPDX-License-Identifier: Apache-2.0 */
/* Handover packets as JSON: every kind round-trips to an equal packet and
 * the same bytes; malformed packets are refused with the expected error,
 * line and column (tests/data/packet/invalid/<case>/{input,error}). */
#include "pm_helpers.h"

#include <dirent.h>

#ifndef ITSM_TEST_DATA
#error "ITSM_TEST_DATA must name the tests/data directory"
#endif

static itsm_packet *full_packet(fixture *f, itsm_packet_kind kind)
{
    itsm_record *r = pm_incident(f, "payroll", "batch", "payroll run fails \"again\" \xc3\xa9\xe2\x82\xac");
    pm_work(r, "desk", "ann");
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "line one\nline two\ttabbed";
    assert_ok(itsm_record_add_note(r, &n));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, kind));
    for (int s = 0; s < ITSM_PT__COUNT; s++)
        if (!itsm_packet_text_of(p, (itsm_packet_text)s))
            assert_ok(itsm_packet_set_text(p, (itsm_packet_text)s, "set \\ by test"));
    itsm_packet_entry plain = { sizeof(itsm_packet_entry), "the relay in rack 4", NULL, ITSM_TIME_NONE };
    for (int l = ITSM_PL_HYPOTHESES; l <= ITSM_PL_ENGAGED_GROUPS; l++)
        assert_ok(itsm_packet_add(p, (itsm_packet_list)l, &plain));
    itsm_packet_entry comm = { sizeof(itsm_packet_entry), "status page updated", "comms", T0 + 5 };
    assert_ok(itsm_packet_add(p, ITSM_PL_COMMUNICATIONS, &comm));
    itsm_packet_entry act = { sizeof(itsm_packet_entry), "replace relay", "facilities", T0 + 86400 };
    itsm_packet_entry act2 = { sizeof(itsm_packet_entry), "check the twin rack", "facilities", ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &act));
    assert_ok(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &act2));
    assert_ok(itsm_packet_set_next_update(p, T0 + 1800));
    assert_ok(itsm_packet_set_contact_verified(p, 1));
    if (kind == ITSM_PACKET_TO_OPERATIONS) {
        assert_ok(itsm_packet_add_deliverable(p, "runbook", "project", "ops-lead", 1));
        assert_ok(itsm_packet_add_deliverable(p, "training", "project", "hr", 0));
        assert_ok(itsm_packet_set_deliverable_status(p, "runbook", ITSM_DELIVERABLE_APPROVED, "ops-lead"));
        assert_ok(itsm_packet_set_deliverable_status(p, "training", ITSM_DELIVERABLE_REJECTED, "hr"));
    }
    return p;
}

static void every_kind_round_trips_to_an_equal_packet(void **state)
{
    (void)state;
    for (int k = ITSM_PACKET_SHIFT; k <= ITSM_PACKET_TO_OPERATIONS; k++) {
        fixture f;
        fixture_open(&f);
        itsm_packet *p = full_packet(&f, (itsm_packet_kind)k);
        char *a = pm_packet_json(p);
        itsm_packet *q = NULL;
        itsm_parse_error err;
        int rc = itsm_packet_from_json(&q, a, strlen(a), NULL, NULL, &err);
        if (rc)
            fail_msg("kind %d: %s %zu:%zu %s\n%s", k, itsm_errname(rc), err.line, err.column, err.text, a);
        assert_true(itsm_packet_equal(p, q));
        assert_int_equal(itsm_packet_state_of(q), ITSM_PACKET_DRAFT);
        char *b = pm_packet_json(q);
        assert_string_equal(a, b);
        assert_non_null(strstr(a, "\"itsm_packet\":1"));
        /* a bare packet round-trips too (nulls and empty lists) */
        itsm_record *r;
        assert_ok(itsm_record_find(&r, f.eng, itsm_packet_record_id(p)));
        itsm_packet *bare;
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        assert_ok(itsm_record_open(&r, f.eng, &o));
        assert_ok(itsm_packet_new(&bare, r, (itsm_packet_kind)k));
        char *c = pm_packet_json(bare);
        itsm_packet *bq;
        assert_ok(itsm_packet_from_json(&bq, c, strlen(c), NULL, NULL, &err));
        assert_true(itsm_packet_equal(bare, bq));
        /* snprintf-style: a short buffer says how much is needed */
        char small[8];
        size_t len = 0;
        assert_int_equal(itsm_packet_to_json(p, small, sizeof small, &len), ITSM_ELIMIT);
        assert_int_equal(len, strlen(a));
        assert_int_equal(small[7], '\0');
        free(a);
        free(b);
        free(c);
        itsm_packet_free(p);
        itsm_packet_free(q);
        itsm_packet_free(bare);
        itsm_packet_free(bq);
        fixture_close(&f);
    }
}

static void parse_respects_limits_and_allocation_failures(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_packet *p = full_packet(&f, ITSM_PACKET_TO_OPERATIONS);
    char *a = pm_packet_json(p);
    itsm_json_limits lim = { 0, 0, 2 };
    itsm_packet *q = NULL;
    itsm_parse_error err;
    assert_int_equal(itsm_packet_from_json(&q, a, strlen(a), NULL, &lim, &err), ITSM_ELIMIT);
    assert_null(q);
    for (long n = 1;; n++) {
        failalloc fa = { 0, n, 0, 0 };
        itsm_allocator al = failalloc_make(&fa);
        int rc = itsm_packet_from_json(&q, a, strlen(a), &al, NULL, &err);
        if (rc == ITSM_OK) {
            assert_true(itsm_packet_equal(p, q));
            itsm_packet_free(q);
            assert_int_equal(fa.live, 0);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_null(q);
        assert_int_equal(fa.live, 0);
        assert_true(n < 2000);
    }
    assert_int_equal(itsm_packet_from_json(NULL, a, strlen(a), NULL, NULL, &err), ITSM_EINVAL);
    free(a);
    itsm_packet_free(p);
    fixture_close(&f);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    fclose(fp);
    buf[got] = '\0';
    *len = got;
    return buf;
}

static void malformed_packets_report_error_line_and_column(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/packet/invalid", ITSM_TEST_DATA);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int cases = 0, failures = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        size_t ilen = 0, elen = 0;
        snprintf(path, sizeof path, "%s/%s/input", dir, de->d_name);
        char *input = slurp(path, &ilen);
        snprintf(path, sizeof path, "%s/%s/error", dir, de->d_name);
        char *expect = slurp(path, &elen);
        assert_non_null(input);
        itsm_packet *p = NULL;
        itsm_parse_error err;
        int rc = itsm_packet_from_json(&p, input, ilen, NULL, NULL, &err);
        char got[400];
        snprintf(got, sizeof got, "%zu %zu %s %s", err.line, err.column, itsm_errname(rc), err.text);
        size_t line = 0, col = 0;
        char code[64] = "", text[256] = "";
        int ok = rc != ITSM_OK && expect &&
                 sscanf(expect, "%zu %zu %63s %255[^\n]", &line, &col, code, text) == 4 &&
                 line == err.line && col == err.column && strcmp(code, itsm_errname(rc)) == 0 &&
                 err.code == rc && strstr(err.text, text) != NULL;
        if (!ok) {
            print_error("%s: got \"%s\", want \"%s\"\n", de->d_name, got, expect ? expect : "(no error file)");
            failures++;
        }
        assert_null(p);
        itsm_packet_free(p);
        free(input);
        free(expect);
        cases++;
    }
    closedir(d);
    assert_true(cases >= 15);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_round_trips_to_an_equal_packet),
        cmocka_unit_test(parse_respects_limits_and_allocation_failures),
        cmocka_unit_test(malformed_packets_report_error_line_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
