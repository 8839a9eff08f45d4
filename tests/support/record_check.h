/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the record tests (tests/test_record_*.c): opening a record of
 * any kind, adding a note, a refused call that must change neither the
 * engine nor the store. */
#ifndef ITSM_TEST_RECORD_CHECK_H
#define ITSM_TEST_RECORD_CHECK_H

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* A refused call: its code, a message containing `needle`, and neither the
 * engine nor the store changed. */
#define refuse(f, call, code, needle) do {                                  \
        char *b_ = engine_dump((f)->eng);                                   \
        size_t n_ = (f)->store.n;                                           \
        assert_fails((f)->eng, call, code, needle);                         \
        char *a_ = engine_dump((f)->eng);                                   \
        if (strcmp(a_, b_) != 0)                                            \
            fail_msg("%s changed the engine although it failed", #call);    \
        assert_int_equal((f)->store.n, n_);                                 \
        free(a_);                                                           \
        free(b_);                                                           \
    } while (0)

/* itsm_record_open of a record of `kind` (id and fields may be NULL). */
static inline int open_into(itsm_record **r, fixture *f, itsm_kind kind, const char *id, const itsm_change *fields,
                            size_t n)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    o.fields = fields;
    o.nfields = n;
    return itsm_record_open(r, f->eng, &o);
}

static inline itsm_record *open_kind(fixture *f, itsm_kind kind, const char *id, const itsm_change *fields, size_t n)
{
    itsm_record *r = NULL;
    int rc = open_into(&r, f, kind, id, fields, n);
    if (rc != ITSM_OK)
        fail_msg("open: %s: %s", itsm_errname(rc), itsm_errmsg(f->eng));
    return r;
}

static inline itsm_record *open_inc(fixture *f) { return open_kind(f, ITSM_KIND_INCIDENT, NULL, NULL, 0); }

static inline int open_with(fixture *f, itsm_kind kind, const char *id, const itsm_change *fields, size_t n)
{
    itsm_record *r = (itsm_record *)f;   /* must come back NULL on failure */
    int rc = open_into(&r, f, kind, id, fields, n);
    if (rc != ITSM_OK)
        assert_null(r);
    return rc;
}

static inline int add_note(itsm_record *r, itsm_note_kind kind, const char *text, itsm_time eta, itsm_time next)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.kind = kind;
    o.text = text;
    o.expected_restoration = eta;
    o.next_update = next;
    return itsm_record_add_note(r, &o);
}

static inline char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

#endif
