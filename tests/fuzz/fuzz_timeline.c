/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for a record's history (itsm_record_timeline), which
 * reads the store's events of one record back and folds them, see
 * README.md.
 *
 * The engine holds one incident, INC-000001; its store's read_record gives
 * the input's lines as that record's events (a store's events are one per
 * line). For every input:
 *   - the code is ITSM_OK, or one a damaged store may give: ITSM_EPARSE,
 *     ITSM_ELIMIT or ITSM_ESTORE (never ITSM_ENOMEM: the allocator here
 *     does not fail), with a message; *out is NULL then;
 *   - an accepted history has one entry per line, revisions 1, 2, ...,
 *     every entry and change readable, every string NUL-terminated, every
 *     old value the previous new value of its field;
 *   - the record is unchanged, and freeing the history and then the engine
 *     gives back every block (a counting allocator).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>
#include "../support/failalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz_timeline: check failed: %s (line %d)\n", #cond, \
                    __LINE__);                                                    \
            abort();                                                              \
        }                                                                         \
    } while (0)

static itsm_time fixed_clock(void *user)
{
    (void)user;
    return (itsm_time)1772442000;
}

/* The store: appends are kept nowhere; read_record gives the input. */
typedef struct input { const char *data; size_t size, lines; } input;

static int keep_nothing(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user, (void)evs, (void)n;
    return ITSM_OK;
}

static int read_lines(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    input *in = user;
    CHECK(id && !strcmp(id, "INC-000001"));
    in->lines = 0;
    for (size_t at = 0; at < in->size;) {
        const char *nl = memchr(in->data + at, '\n', in->size - at);
        size_t len = nl ? (size_t)(nl - (in->data + at)) : in->size - at;
        in->lines++;
        int rc = emit(ctx, in->data + at, len);
        if (rc)
            return rc;
        at += len + 1;
    }
    return ITSM_OK;
}

/* The last new value of each field, to check old values against. */
typedef struct seen { char field[64]; const char *value; } seen;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    failalloc cnt = { 0 };
    input in = { (const char *)data, size, 0 };
    itsm_store st = { ITSM_STORE_VERSION, keep_nothing, NULL, NULL, read_lines, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &st;
    o.store_user = &in;
    o.clock = fixed_clock;
    o.alloc = failalloc_make(&cnt);
    o.limits.max_document = 1 << 16;
    o.limits.max_string = 1 << 12;
    o.limits.max_depth = 16;
    itsm_engine *eng = NULL;
    CHECK(itsm_engine_new(&eng, &o) == ITSM_OK);
    itsm_record *r = NULL;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    CHECK(itsm_record_open(&r, eng, &ro) == ITSM_OK);

    itsm_timeline *tl = (itsm_timeline *)&in;
    int rc = itsm_record_timeline(&tl, r);
    if (rc != ITSM_OK) {
        CHECK(rc == ITSM_EPARSE || rc == ITSM_ELIMIT || rc == ITSM_ESTORE);
        CHECK(tl == NULL);
        CHECK(itsm_errcode(eng) == rc && *itsm_errmsg(eng));
    } else {
        CHECK(itsm_timeline_complete(tl) == 1);
        size_t n = itsm_timeline_count(tl);
        CHECK(n == in.lines);
        seen s[32];
        size_t ns = 0;
        int dropped = 0;   /* a field not followed: its later changes are not checked */
        for (size_t i = 0; i < n; i++) {
            itsm_timeline_entry e = { .size = sizeof e };
            CHECK(itsm_timeline_at(tl, i, &e) == ITSM_OK);
            CHECK(e.revision == i + 1);
            CHECK(e.type && e.text && e.json);
            CHECK(strlen(e.type) + strlen(e.text) + strlen(e.json) < 3 * size + 4096);
            CHECK(e.at >= ITSM_TIME_MIN && e.at <= ITSM_TIME_MAX);
            for (size_t j = 0; j < e.nchanges; j++) {
                itsm_field_change c = { .size = sizeof c };
                CHECK(itsm_timeline_change_at(tl, i, j, &c) == ITSM_OK);
                CHECK(c.field);
                size_t k = 0;
                while (k < ns && strcmp(s[k].field, c.field))
                    k++;
                if (k < ns) {
                    CHECK(c.old_value == s[k].value ||
                          (c.old_value && s[k].value && !strcmp(c.old_value, s[k].value)));
                } else {
                    CHECK(dropped || c.old_value == NULL);   /* a field first set */
                    if (ns < 32 && strlen(c.field) < sizeof s[0].field) {
                        strcpy(s[ns].field, c.field);
                        k = ns++;
                    } else {
                        dropped = 1;
                    }
                }
                if (k < ns)
                    s[k].value = c.new_value;
            }
            itsm_field_change c = { .size = sizeof c };
            CHECK(itsm_timeline_change_at(tl, i, e.nchanges, &c) == ITSM_EINVAL);
        }
        itsm_timeline_entry e = { .size = sizeof e };
        CHECK(itsm_timeline_at(tl, n, &e) == ITSM_EINVAL);
        itsm_timeline_free(tl);
    }
    CHECK(itsm_record_revision(r) == 1);
    itsm_engine_free(eng);
    CHECK(cnt.live == 0);
    return 0;
}
