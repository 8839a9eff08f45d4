/* SPDX-License-Identifier: Apache-2.0 */
/* The policy document: the default round-trips byte for byte, so do custom
 * and empty policies, member order and layout do not matter, an engine from
 * the parsed policy behaves like the default, the snprintf contract, NULL
 * arguments; and invalid documents are refused at the right place:
 * tests/data/policy/invalid/<case>/input holds the document,
 * tests/data/policy/invalid/<case>/error one line "<line> <column>
 * <CODE_NAME> <text substring>" (line and column 0 for a lifecycle finding,
 * which has no position in the text). */
#include "policy_check.h"

/* ---- the policy document ----------------------------------------------------- */

static void default_policy_json_round_trips_byte_for_byte(void **state)
{
    (void)state;
    itsm_policy *p, *q, *c;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *a = to_json(p);
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, &err);
    if (rc != ITSM_OK)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    assert_int_equal(err.code, ITSM_OK);
    char *b = to_json(q);
    assert_string_equal(a, b);
    assert_int_equal(itsm_policy_check(q), 0);
    /* A clone writes the same document too. */
    assert_ok(itsm_policy_clone(&c, q));
    char *cj = to_json(c);
    assert_string_equal(a, cj);
    itsm_policy_free(c);
    assert_int_equal(itsm_policy_clone(NULL, q), ITSM_EINVAL);
    assert_int_equal(itsm_policy_clone(&c, NULL), ITSM_EINVAL);
    /* The document names what the schema promises. */
    assert_non_null(strstr(a, "\"itsm_policy\":1"));
    assert_non_null(strstr(a, "\"priority_matrix\":[[1,2,3],[2,3,4],[3,4,5]]"));
    assert_non_null(strstr(a, "\"from\":\"*\",\"event\":\"cancel\",\"to\":\"canceled\""));
    assert_non_null(strstr(a, "\"guard\":\"cause workaround|no_workaround\""));
    assert_non_null(strstr(a, "\"stamp\":\"responded_at?\""));
    assert_non_null(strstr(a, "\"clear\":\"hold_reason\""));
    assert_non_null(strstr(a, "\"counts_reopen\":true"));
    free(a);
    free(b);
    free(cj);
    itsm_policy_free(p);
    itsm_policy_free(q);
}

static void custom_and_empty_policies_round_trip(void **state)
{
    (void)state;
    itsm_policy *p = small_policy(), *q, *e;
    assert_ok(itsm_policy_set_priority(p, 2, 2, 1));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "redo"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "done";
    d.event = "redo";
    d.to = "work";
    d.guard = "cause|workaround major=0 change_type=normal link:problem";
    d.clear = "resolution_code";
    d.counts_reopen = 1;
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    char *a = to_json(p);
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    char *b = to_json(q);
    assert_string_equal(a, b);
    assert_int_equal(itsm_policy_priority(q, 2, 2), 1);
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(p);

    assert_ok(itsm_policy_new_empty(&e, NULL));
    a = to_json(e);
    assert_non_null(strstr(a, "\"lifecycles\":{}"));
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    b = to_json(q);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(e);
}

/* Members may come in any order and white space is free; the writer's own
 * order is canonical. */
static void document_member_order_and_layout_do_not_matter(void **state)
{
    (void)state;
    const char *doc =
        "{\n"
        "  \"lifecycles\": {\n"
        "    \"knowledge\": {\n"
        "      \"transitions\": [ { \"to\": \"gone\", \"event\": \"retire\", \"from\": \"draft\",\n"
        "                           \"stamp\": \"closed_at\", \"guard\": null, \"counts_reopen\": false } ],\n"
        "      \"events\": [ \"retire\" ],\n"
        "      \"states\": [ { \"closed\": false, \"name\": \"draft\", \"initial\": true },\n"
        "                  { \"name\": \"gone\", \"closed\": true } ]\n"
        "    }\n"
        "  },\n"
        "  \"itsm_policy\": 1\n"
        "}\n";
    itsm_policy *p;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    if (rc)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    char *a = to_json(p);
    assert_non_null(strstr(a, "\"knowledge\":{\"states\":[{\"name\":\"draft\",\"initial\":true},"
                              "{\"name\":\"gone\",\"closed\":true}],\"events\":[\"retire\"],"
                              "\"transitions\":[{\"from\":\"draft\",\"event\":\"retire\",\"to\":\"gone\","
                              "\"stamp\":\"closed_at\"}]}"));
    /* No matrix given: the default one. */
    assert_int_equal(itsm_policy_priority(p, 2, 3), 4);
    free(a);
    itsm_policy_free(p);
}

static void run_scenario(fixture *f)
{
    itsm_record *inc, *prb, *chg;
    itsm_change init[] = { { ITSM_F_SUMMARY, "VPN drops", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                           { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_CATEGORY, "network", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    assert_ok(itsm_record_open(&inc, f->eng, &o));
    f->clock.now += 60;
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    assert_fails(f->eng, itsm_record_fire(inc, "start", NULL, 0), ITSM_EGUARD,
                 "transition 'start' from 'assigned' needs field 'assignee'");
    f->clock.now += 60;
    itsm_change a = { ITSM_F_ASSIGNEE, "dave", 0 };
    assert_ok(itsm_record_fire(inc, "start", &a, 1));
    itsm_change h = { ITSM_F_HOLD_REASON, "awaiting_supplier", 0 };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "hold", &h, 1));
    f->clock.now += 600;
    assert_ok(itsm_record_fire(inc, "resume", NULL, 0));
    itsm_change res[] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "new firmware", 0 } };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "reopen", NULL, 0));
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));
    itsm_change kd = { ITSM_F_KNOWLEDGE_DECISION, "candidate", 0 };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "auto_close", &kd, 1));
    assert_fails(f->eng, itsm_record_set_int(inc, ITSM_F_IMPACT, 1), ITSM_ESTATE, "closed");

    itsm_change pinit[] = { { ITSM_F_ASSIGNEE, "erin", 0 }, { ITSM_F_CATEGORY, "network", 0 },
                            { ITSM_F_CAUSE, "firmware bug", 0 } };
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = pinit;
    o.nfields = 3;
    assert_ok(itsm_record_open(&prb, f->eng, &o));
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_record_fire(prb, "assess", NULL, 0));
    assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
    itsm_change nw = { ITSM_F_NO_WORKAROUND, NULL, 1 };
    assert_ok(itsm_record_fire(prb, "identify", &nw, 1));
    assert_fails(f->eng, itsm_record_fire(prb, "request_change", NULL, 0), ITSM_EGUARD, "needs a linked change");
    itsm_change ct = { ITSM_F_CHANGE_TYPE, "standard", 0 };
    o.kind = ITSM_KIND_CHANGE;
    o.fields = &ct;
    o.nfields = 1;
    assert_ok(itsm_record_open(&chg, f->eng, &o));
    assert_ok(itsm_record_link(prb, ITSM_LINK_RELATED, chg));
    assert_ok(itsm_record_fire(prb, "request_change", NULL, 0));
    assert_fails(f->eng, itsm_record_fire(chg, "schedule", NULL, 0), ITSM_EGUARD, "needs a planned window");
    assert_ok(itsm_change_plan(chg, f->clock.now + 3600, f->clock.now + 7200));
    assert_ok(itsm_record_fire(chg, "schedule", NULL, 0));
    assert_string_equal(itsm_record_state(chg), "scheduled");
}

static void an_engine_from_the_parsed_policy_behaves_like_the_default(void **state)
{
    (void)state;
    itsm_policy *p, *q;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *a = to_json(p);
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    fixture f1, f2;
    fixture_open(&f1);
    fixture_open_with(&f2, q, NULL);
    run_scenario(&f1);
    run_scenario(&f2);
    char *d1 = engine_dump(f1.eng), *d2 = engine_dump(f2.eng);
    assert_string_equal(d1, d2);
    assert_int_equal(f1.store.n, f2.store.n);
    for (size_t i = 0; i < f1.store.n; i++)
        assert_string_equal(f1.store.events[i], f2.store.events[i]);
    /* The engine's own copy writes the same document. */
    char *b = to_json(itsm_engine_policy(f2.eng));
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(d1);
    free(d2);
    fixture_close(&f1);
    fixture_close(&f2);
    itsm_policy_free(p);
    itsm_policy_free(q);
}

static void to_json_follows_the_snprintf_contract(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *full = to_json(p);
    size_t n = strlen(full), len = 0;
    /* NULL with cap 0: the length only. */
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    assert_int_equal(len, n);
    /* Every short buffer: ELIMIT, the full length, a NUL-terminated prefix. */
    char *buf = malloc(n + 8);
    const size_t caps[] = { 1, 2, 10, n / 2, n - 1, n };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        memset(buf, 'Z', n + 8);
        len = 0;
        assert_int_equal(itsm_policy_to_json(p, buf, caps[i], &len), ITSM_ELIMIT);
        assert_int_equal(len, n);
        assert_int_equal(buf[caps[i] - 1], '\0');
        assert_memory_equal(buf, full, caps[i] - 1);
        assert_int_equal(buf[caps[i]], 'Z');   /* nothing past cap */
    }
    /* cap 0 with a buffer: nothing written. */
    memset(buf, 'Z', n + 8);
    assert_int_equal(itsm_policy_to_json(p, buf, 0, &len), ITSM_ELIMIT);
    assert_int_equal(buf[0], 'Z');
    /* Exactly enough, and more than enough. */
    assert_ok(itsm_policy_to_json(p, buf, n + 1, &len));
    assert_int_equal(len, n);
    assert_string_equal(buf, full);
    assert_ok(itsm_policy_to_json(p, buf, n + 8, &len));
    assert_string_equal(buf, full);
    /* Bad arguments. */
    assert_int_equal(itsm_policy_to_json(NULL, buf, n + 1, &len), ITSM_EINVAL);
    assert_int_equal(itsm_policy_to_json(p, buf, n + 1, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_to_json(p, NULL, 10, &len), ITSM_EINVAL);
    free(buf);
    free(full);
    itsm_policy_free(p);
}

static void free_only(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static void from_json_rejects_null_arguments_and_leaves_out_null(void **state)
{
    (void)state;
    itsm_policy *p = (itsm_policy *)&p;   /* not NULL, to see it reset */
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&p, NULL, 0, NULL, NULL, &err), ITSM_EINVAL);
    assert_int_equal(err.code, ITSM_EINVAL);
    assert_int_equal(itsm_policy_from_json(NULL, "{}", 2, NULL, NULL, &err), ITSM_EINVAL);
    assert_int_equal(itsm_policy_parse_json(NULL, "{}", 2, NULL, NULL, NULL), ITSM_EINVAL);
    p = (itsm_policy *)&p;
    assert_int_equal(itsm_policy_from_json(&p, "{", 1, NULL, NULL, NULL), ITSM_EPARSE);
    assert_null(p);
    p = (itsm_policy *)&p;
    assert_int_equal(itsm_policy_parse_json(&p, "[]", 2, NULL, NULL, &err), ITSM_EPARSE);
    assert_null(p);
    /* A half-set allocator. */
    itsm_allocator half = { NULL, NULL, NULL, NULL };
    half.free_fn = free_only;
    assert_int_equal(itsm_policy_from_json(&p, "{\"itsm_policy\":1}", 17, &half, NULL, NULL), ITSM_EINVAL);
    assert_null(p);
    assert_int_equal(itsm_policy_new_empty(&p, &half), ITSM_EINVAL);
    assert_int_equal(itsm_policy_new_default(&p, &half), ITSM_EINVAL);
    assert_int_equal(itsm_policy_new_empty(NULL, NULL), ITSM_EINVAL);
    /* Length is honoured: a valid prefix is a document, the rest ignored. */
    const char *doc = "{\"itsm_policy\":1}garbage";
    assert_ok(itsm_policy_from_json(&p, doc, 17, NULL, NULL, &err));
    itsm_policy_free(p);
    assert_int_equal(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 18);
    /* Limits apply to the policy document. */
    itsm_json_limits lim = { 8, 0, 0 };
    assert_int_equal(itsm_policy_from_json(&p, doc, 17, NULL, &lim, &err), ITSM_ELIMIT);
    assert_int_equal(err.code, ITSM_ELIMIT);
    assert_null(p);
}

/* ---- data-driven invalid documents --------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void invalid_policy_documents_are_refused_at_the_right_place(void **state)
{
    (void)state;
    const char *root = ITSM_TEST_DATA "/policy/invalid";
    DIR *dir = opendir(root);
    if (!dir)
        fail_msg("cannot open %s", root);
    char *names[256];
    size_t n = 0;
    for (struct dirent *de; (de = readdir(dir)) != NULL;) {
        if (de->d_name[0] == '.')
            continue;
        assert_true(n < 256);
        names[n] = malloc(strlen(de->d_name) + 1);
        strcpy(names[n++], de->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_str);
    assert_true(n >= 12);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        size_t ilen, elen;
        snprintf(path, sizeof path, "%s/%s/input", root, names[i]);
        char *input = read_file(path, &ilen);
        snprintf(path, sizeof path, "%s/%s/error", root, names[i]);
        char *expect = read_file(path, &elen);
        if (!input || !expect)
            fail_msg("%s: needs input and error files", names[i]);
        size_t line, column;
        char code[32];
        int used = 0;
        if (sscanf(expect, "%zu %zu %31s %n", &line, &column, code, &used) != 3)
            fail_msg("%s: bad error file", names[i]);
        char *needle = expect + used;
        needle[strcspn(needle, "\r\n")] = '\0';

        itsm_policy *p = (itsm_policy *)&p;
        itsm_parse_error err;
        memset(&err, 0xAB, sizeof err);
        int rc = itsm_policy_from_json(&p, input, ilen, NULL, NULL, &err);
        int ok = strcmp(itsm_errname(rc), code) == 0 && err.code == rc && err.line == line &&
                 err.column == column && strstr(err.text, needle) != NULL && p == NULL;
        if (!ok) {
            print_error("%s: got %s (err.code %s) at %zu:%zu \"%s\", wanted %s at %zu:%zu containing \"%s\"\n",
                        names[i], itsm_errname(rc), itsm_errname(err.code), err.line, err.column, err.text,
                        code, line, column, needle);
            failures++;
        }
        /* Without the check, only lifecycle findings pass. */
        p = NULL;
        rc = itsm_policy_parse_json(&p, input, ilen, NULL, NULL, NULL);
        if (strcmp(code, "ITSM_EPOLICY") == 0) {
            if (rc != ITSM_OK || !p || itsm_policy_check(p) == 0) {
                print_error("%s: parse_json gave %s or a clean check\n", names[i], itsm_errname(rc));
                failures++;
            }
        } else if (strcmp(itsm_errname(rc), code) != 0 || p) {
            print_error("%s: parse_json gave %s\n", names[i], itsm_errname(rc));
            failures++;
        }
        itsm_policy_free(p);
        free(input);
        free(expect);
        free(names[i]);
    }
    if (failures)
        fail_msg("%d of %zu invalid policy documents misreported", failures, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_policy_json_round_trips_byte_for_byte),
        cmocka_unit_test(custom_and_empty_policies_round_trip),
        cmocka_unit_test(document_member_order_and_layout_do_not_matter),
        cmocka_unit_test(an_engine_from_the_parsed_policy_behaves_like_the_default),
        cmocka_unit_test(to_json_follows_the_snprintf_contract),
        cmocka_unit_test(from_json_rejects_null_arguments_and_leaves_out_null),
        cmocka_unit_test(invalid_policy_documents_are_refused_at_the_right_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
