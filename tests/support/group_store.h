/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A store with groups for the tests: events kept as JSON lines, a mark where
 * the open group began (itsm/sys/store.h: a group commits or aborts as one).
 * Each switch makes one failure the test asks for:
 *   fail_append_at  the n-th append (1-based) is refused with ITSM_ESTORE
 *   fail_scan       every scan is refused with ITSM_ESTORE
 *   fail_commit     a commit drops the group and fails with ITSM_ESTORE
 *   tamper          a scan gives the newest event with its hash changed
 * and the counters say what the engine asked for. Header-only: each test
 * program that includes it gets its own copy (cmocka asserts inside).
 */
#ifndef ITSM_TESTS_GROUP_STORE_H
#define ITSM_TESTS_GROUP_STORE_H

#include "support.h"

#include <stdlib.h>
#include <string.h>

typedef struct gstore {
    char  **ev;
    size_t  n, cap, mark;
    int     fail_append_at, fail_scan, fail_commit, tamper;
    int     grouped, appends, commits, aborts;
} gstore;

static inline int g_append(void *user, const itsm_event *const *evs, size_t n)
{
    gstore *s = user;
    if (++s->appends == s->fail_append_at)
        return ITSM_ESTORE;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        itsm_event_to_json(evs[i], NULL, 0, &len);
        if (s->n == s->cap)
            s->ev = realloc(s->ev, (s->cap = s->cap ? 2 * s->cap : 16) * sizeof *s->ev);
        s->ev[s->n] = malloc(len + 1);
        itsm_event_to_json(evs[i], s->ev[s->n++], len + 1, &len);
    }
    return ITSM_OK;
}

static inline int g_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    gstore *s = user;
    if (s->fail_scan)
        return ITSM_ESTORE;
    for (size_t i = 0; i < s->n; i++) {
        char *text = s->ev[i];
        size_t len = strlen(text);
        char *copy = NULL;
        if (s->tamper && i == s->n - 1) {   /* the newest event: its hash member edited */
            copy = malloc(len + 1);
            memcpy(copy, text, len + 1);
            char *h = strstr(copy, "\"hash\":\"");
            assert_non_null(h);
            h += strlen("\"hash\":\"");
            *h = *h == '0' ? '1' : '0';
            text = copy;
        }
        int rc = emit(ctx, text, len);
        free(copy);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static inline int g_group(void *user, int op)
{
    gstore *s = user;
    if (op == ITSM_STORE_GROUP_BEGIN) {
        s->grouped = 1;
        s->mark = s->n;
        return ITSM_OK;
    }
    s->grouped = 0;
    int failed = op == ITSM_STORE_GROUP_COMMIT && s->fail_commit;
    if (op == ITSM_STORE_GROUP_COMMIT && !failed) {
        s->commits++;
        return ITSM_OK;
    }
    s->aborts += !failed;
    while (s->n > s->mark)
        free(s->ev[--s->n]);
    return failed ? ITSM_ESTORE : ITSM_OK;
}

static inline void gstore_free(gstore *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ev[i]);
    free(s->ev);
    memset(s, 0, sizeof *s);
}

static const itsm_store gmethods = { ITSM_STORE_VERSION, g_append, g_scan, NULL, NULL, g_group };

/* An engine that stores in `s` and reads the time from `clock`. */
static inline itsm_engine *gstore_engine(gstore *s, vclock *clock)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &gmethods;
    o.store_user = s;
    o.clock = vclock_read;
    o.clock_user = clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    return eng;
}

#endif
