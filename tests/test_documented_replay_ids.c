/* SPDX-License-Identifier: Apache-2.0 */
/* docs/events.md, "Reading events back": "Generated ids are recounted from
 * the open events, so an engine rebuilt from a store generates the same
 * next id (INC-000007 after INC-000006) as the engine that wrote it" - per
 * kind, whatever ids the host gave some records itself (EXT-42), and
 * whether the last generated record is open or closed. */
#include "sla/sla_support.h"

#include <stdio.h>
#include <string.h>

static itsm_record *open_kind(itsm_engine *eng, itsm_kind kind, const char *id)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &o));
    return r;
}

static void a_rebuilt_engine_generates_the_next_ids_the_writer_would(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    for (int i = 0; i < 6; i++)
        open_kind(f.eng, ITSM_KIND_INCIDENT, NULL);
    open_kind(f.eng, ITSM_KIND_INCIDENT, "EXT-42");
    itsm_record *last = NULL;
    assert_ok(itsm_record_find(&last, f.eng, "INC-000006"));
    assert_ok(itsm_record_fire(last, "cancel", NULL, 0));     /* the newest generated one, closed */
    open_kind(f.eng, ITSM_KIND_PROBLEM, NULL);
    open_kind(f.eng, ITSM_KIND_SERVICE_REQUEST, NULL);

    itsm_engine *b = replay_into(&f.store, NULL);
    static const struct { itsm_kind kind; const char *want; } next[] = {
        { ITSM_KIND_INCIDENT, "INC-000007" },
        { ITSM_KIND_PROBLEM, "PRB-000002" },
    };
    for (size_t i = 0; i < sizeof next / sizeof *next; i++) {
        itsm_record *in_a = open_kind(f.eng, next[i].kind, NULL);
        itsm_record *in_b = open_kind(b, next[i].kind, NULL);
        assert_string_equal(itsm_record_id(in_a), next[i].want);
        assert_string_equal(itsm_record_id(in_b), next[i].want);
    }
    /* The service request's next id is the writer's too, whatever its prefix. */
    itsm_record *ra = open_kind(f.eng, ITSM_KIND_SERVICE_REQUEST, NULL);
    itsm_record *rb = open_kind(b, ITSM_KIND_SERVICE_REQUEST, NULL);
    assert_string_equal(itsm_record_id(ra), itsm_record_id(rb));
    itsm_engine_free(b);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_rebuilt_engine_generates_the_next_ids_the_writer_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
