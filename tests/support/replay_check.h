/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the replay tests (tests/test_replay*.c,
 * tests/test_event_json.c): a copied string, and a short story over a few
 * records to replay. */
#ifndef ITSM_TEST_REPLAY_CHECK_H
#define ITSM_TEST_REPLAY_CHECK_H

#include "support.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static inline char *dupstr(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

static inline void build_story(fixture *f)
{
    itsm_record *inc, *prb;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_change c[] = { { ITSM_F_SUMMARY, "VPN drops", 0 }, { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
    o.fields = c;
    o.nfields = 3;
    assert_ok(itsm_engine_set_actor(f->eng, "alice"));
    assert_ok(itsm_record_open(&inc, f->eng, &o));
    o.kind = ITSM_KIND_PROBLEM;
    o.nfields = 1;
    assert_ok(itsm_record_open(&prb, f->eng, &o));
    f->clock.now += 60;
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "Looking into it";
    n.expected_restoration = f->clock.now + 3600;
    n.next_update = f->clock.now + 600;
    assert_ok(itsm_record_add_note(inc, &n));
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_record_set_str(inc, ITSM_F_DESCRIPTION, "multi\nline"));
}

#endif
