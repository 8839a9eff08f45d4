/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the store tests (tests/stores/test_sqlite_*.c,
 * test_pg_*.c): open an incident and add a note through an engine over
 * the store under test, whichever store that is. */
#ifndef ITSM_TEST_STORE_RECORDS_H
#define ITSM_TEST_STORE_RECORDS_H

#include "support.h"

/* Opens the incident `id`; what itsm_record_open gave. */
static inline int store_open_incident(itsm_engine *eng, const char *id)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    itsm_record *r = NULL;
    return itsm_record_open(&r, eng, &o);
}

/* Adds the note `text` to the record `id`, which must be there; what
 * itsm_record_add_note gave. */
static inline int store_note(itsm_engine *eng, const char *id, const char *text)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, id));
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = text;
    return itsm_record_add_note(r, &o);
}

#endif
