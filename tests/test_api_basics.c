/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the public API (include/itsm/ headers): the calls with no
 * record (options versions, free functions accepting NULL, names and codes)
 * and an engine's messages never stale. NULL for each pointer argument,
 * out-of-range enums and integers, and for strings an over-long one, invalid
 * UTF-8 and "": a negative code the header documents, a fresh engine message
 * naming the argument, every record (and the policy or packet given) exactly
 * as it was (support/api_check.h). */
#define _GNU_SOURCE 1   /* strcasestr */
#include "api_check.h"

/* ---- opts_init: unknown versions, NULL ---- */
#define OPTS_INIT(fn, type, ver) do {                                          \
        type o_;                                                               \
        memset(&o_, 0xAB, sizeof o_);                                          \
        unsigned char ref_[sizeof o_];                                         \
        memcpy(ref_, &o_, sizeof o_);                                          \
        EXPECT(fn(NULL, ver) == ITSM_EINVAL);                                  \
        EXPECT(fn(&o_, 0) == ITSM_EINVAL);                                     \
        EXPECT(fn(&o_, (ver) + 1) == ITSM_EINVAL);                             \
        EXPECT(fn(&o_, UINT_MAX) == ITSM_EINVAL);                              \
        EXPECT(memcmp(&o_, ref_, sizeof o_) == 0);                             \
        EXPECT(fn(&o_, ver) == ITSM_OK);                                       \
        EXPECT(o_.version == (ver));                                           \
    } while (0)

static void test_opts_init(void **state)
{
    (void)state;
    OPTS_INIT(itsm_engine_opts_init, itsm_engine_opts, ITSM_ENGINE_OPTS_VERSION);
    OPTS_INIT(itsm_record_opts_init, itsm_record_opts, ITSM_RECORD_OPTS_VERSION);
    OPTS_INIT(itsm_note_opts_init, itsm_note_opts, ITSM_NOTE_OPTS_VERSION);
    OPTS_INIT(itsm_transition_def_init, itsm_transition_def, ITSM_TRANSITION_DEF_VERSION);
    OPTS_INIT(itsm_calendar_def_init, itsm_calendar_def, ITSM_CALENDAR_DEF_VERSION);
    OPTS_INIT(itsm_sla_def_init, itsm_sla_def, ITSM_SLA_DEF_VERSION);
    OPTS_INIT(itsm_problem_rules_init, itsm_problem_rules, ITSM_PROBLEM_RULES_VERSION);
    OPTS_INIT(itsm_decision_opts_init, itsm_decision_opts, ITSM_DECISION_OPTS_VERSION);
    OPTS_INIT(itsm_problem_open_opts_init, itsm_problem_open_opts, ITSM_PROBLEM_OPEN_OPTS_VERSION);
    OPTS_INIT(itsm_knowledge_query_init, itsm_knowledge_query, ITSM_KNOWLEDGE_QUERY_VERSION);
    OPTS_INIT(itsm_report_opts_init, itsm_report_opts, ITSM_REPORT_OPTS_VERSION);
    assert_int_equal(failures, 0);
}

/* ---- free functions accept NULL ---- */
static void test_free_null(void **state)
{
    (void)state;
    itsm_engine_free(NULL);
    itsm_policy_free(NULL);
    itsm_packet_free(NULL);
    itsm_report_free(NULL);
}

/* ---- pure functions: names, codes, versions, fields, kinds ---- */
static void test_pure(void **state)
{
    (void)state;
    EXPECT(strcmp(itsm_errstr(12345), "unknown error") == 0);
    EXPECT(strcmp(itsm_errstr(INT_MIN), "unknown error") == 0);
    EXPECT(strcmp(itsm_errname(12345), "ITSM_EUNKNOWN") == 0);
    EXPECT(strcmp(itsm_errname(INT_MIN), "ITSM_EUNKNOWN") == 0);
    for (int c = ITSM_ETAMPER; c <= ITSM_OK; c++)
        EXPECT(itsm_errstr(c) && *itsm_errstr(c) && strncmp(itsm_errname(c), "ITSM_", 5) == 0);
    EXPECT(itsm_version_number() == ITSM_VERSION_NUMBER);
    EXPECT(strcmp(itsm_version_string(), ITSM_VERSION_STRING) == 0);

    EXPECT(itsm_kind_name((itsm_kind)0) == NULL);
    EXPECT(itsm_kind_name((itsm_kind)(ITSM_KIND_COUNT + 1)) == NULL);
    EXPECT(itsm_kind_name((itsm_kind)-1) == NULL);
    itsm_kind k = ITSM_KIND_CHANGE;
    EXPECT(itsm_kind_from_name(NULL, "incident") == ITSM_EINVAL);
    EXPECT(itsm_kind_from_name(&k, NULL) == ITSM_EINVAL);
    EXPECT(itsm_kind_from_name(&k, EMPTY) == ITSM_ENOTFOUND);
    EXPECT(itsm_kind_from_name(&k, LONG_STR) == ITSM_ENOTFOUND);
    EXPECT(itsm_kind_from_name(&k, BADUTF8) == ITSM_ENOTFOUND);
    EXPECT(k == ITSM_KIND_CHANGE);

    EXPECT(itsm_field_name((itsm_field)-1) == NULL);
    EXPECT(itsm_field_name(ITSM_F__COUNT) == NULL);
    EXPECT(itsm_field_type_of((itsm_field)-1) == 0);
    EXPECT(itsm_field_type_of(ITSM_F__COUNT) == 0);
    EXPECT(itsm_field_is_engine_owned((itsm_field)-1) == 0);
    EXPECT(itsm_field_is_engine_owned(ITSM_F__COUNT) == 0);
    itsm_field f = ITSM_F_CI;
    EXPECT(itsm_field_from_name(NULL, "summary") == ITSM_EINVAL);
    EXPECT(itsm_field_from_name(&f, NULL) == ITSM_EINVAL);
    EXPECT(itsm_field_from_name(&f, EMPTY) == ITSM_ENOTFOUND);
    EXPECT(itsm_field_from_name(&f, LONG_STR) == ITSM_ENOTFOUND);
    EXPECT(itsm_field_from_name(&f, BADUTF8) == ITSM_ENOTFOUND);
    EXPECT(f == ITSM_F_CI);

    itsm_packet_kind pk = ITSM_PACKET_TO_CHANGE;
    EXPECT(itsm_packet_kind_name((itsm_packet_kind)0) == NULL);
    EXPECT(itsm_packet_kind_name((itsm_packet_kind)6) == NULL);
    EXPECT(itsm_packet_kind_from_name(NULL, "shift") == ITSM_EINVAL);
    EXPECT(itsm_packet_kind_from_name(&pk, NULL) == ITSM_EINVAL);
    EXPECT(itsm_packet_kind_from_name(&pk, EMPTY) == ITSM_ENOTFOUND);
    EXPECT(itsm_packet_kind_from_name(&pk, LONG_STR) == ITSM_ENOTFOUND);
    EXPECT(itsm_packet_kind_from_name(&pk, BADUTF8) == ITSM_ENOTFOUND);
    EXPECT(pk == ITSM_PACKET_TO_CHANGE);

    EXPECT(itsm_verdict_name((itsm_verdict)0) == NULL);
    EXPECT(itsm_verdict_name((itsm_verdict)4) == NULL);
    EXPECT(itsm_reason_name((itsm_reason)0) == NULL);
    EXPECT(itsm_reason_name((itsm_reason)9) == NULL);
    EXPECT(itsm_deliverable_status_name((itsm_deliverable_status)0) == NULL);
    EXPECT(itsm_deliverable_status_name((itsm_deliverable_status)5) == NULL);
    EXPECT(itsm_report_measure_name((itsm_report_measure)-1) == NULL);
    EXPECT(itsm_report_measure_name((itsm_report_measure)ITSM_MEASURE_COUNT) == NULL);
    EXPECT(itsm_report_aging_bound(ITSM_REPORT_AGING_BUCKETS) == 0);
    EXPECT(itsm_report_aging_bound((size_t)-1) == 0);
    assert_int_equal(failures, 0);
}

/* ---- a message is never stale: a success after a failure, then a new failure ---- */
static void test_fresh_messages(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_record *r = NULL;
    EXPECT(itsm_record_find(&r, eng, "NOPE") == ITSM_ENOTFOUND);
    EXPECT(strstr(itsm_errmsg(eng), "NOPE") != NULL);
    EXPECT(itsm_record_find(&r, eng, "INC-1") == ITSM_OK);
    /* documented: the last failure's message is kept after a success */
    EXPECT(itsm_errcode(eng) == ITSM_ENOTFOUND && strstr(itsm_errmsg(eng), "NOPE") != NULL);
    EXPECT(itsm_engine_record_at(&r, eng, 99) == ITSM_EINVAL);
    EXPECT(itsm_errcode(eng) == ITSM_EINVAL && strstr(itsm_errmsg(eng), "NOPE") == NULL);
    world_close();
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_opts_init, reset),
        cmocka_unit_test_setup(test_free_null, reset),
        cmocka_unit_test_setup(test_pure, reset),
        cmocka_unit_test_setup(test_fresh_messages, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
