/* SPDX-License-Identifier: Apache-2.0 */
#include "support.h"
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

static void incident_walks_from_new_to_closed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r;
    itsm_change init[] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                           { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 3;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "Mail", 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));
    assert_string_equal(itsm_record_state(r), "assigned");
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    printf("%s%s\n", d, f.store.events[0]);
    free(d);
    free(d2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(incident_walks_from_new_to_closed) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
