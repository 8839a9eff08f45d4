/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the policy tests (tests/test_policy_*.c): reading a file, a
 * policy's JSON, a refused policy call, adding a transition, and a small
 * policy. */
#ifndef ITSM_TEST_POLICY_CHECK_H
#define ITSM_TEST_POLICY_CHECK_H

#include "support.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef ITSM_TEST_DATA
#error "ITSM_TEST_DATA must name the tests/data directory"
#endif

/* ---- helpers --------------------------------------------------------------- */

static inline char *read_file(const char *path, size_t *len)
{
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 1024 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n - 1, fp);
        n += k;
        if (k == 0)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The policy document as a malloc'd string, its size asked first (no
 * more checked than that it is written). */
static inline char *policy_doc(const itsm_policy *p)
{
    size_t len = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *doc = malloc(len + 1);
    assert_non_null(doc);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    return doc;
}

/* The policy document as a malloc'd string. */
static inline char *to_json(const itsm_policy *p)
{
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    size_t len2 = 0;
    assert_int_equal(itsm_policy_to_json(p, buf, len + 1, &len2), ITSM_OK);
    assert_int_equal(len, len2);
    assert_int_equal(strlen(buf), len);
    return buf;
}

#define assert_pfails(p, call, code, needle) do {                           \
        int rc_ = (call);                                                   \
        if (rc_ != (code) || !strstr(itsm_policy_errmsg(p), (needle)))      \
            fail_msg("%s: got %s \"%s\", wanted %s containing \"%s\"",      \
                     #call, itsm_errname(rc_), itsm_policy_errmsg(p),       \
                     itsm_errname(code), (needle));                         \
    } while (0)

static inline int add_tr(itsm_policy *p, itsm_kind k, const char *from, const char *event, const char *to,
                  const char *guard, const char *stamp, const char *clear)
{
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = from;
    d.event = event;
    d.to = to;
    d.guard = guard;
    d.stamp = stamp;
    d.clear = clear;
    return itsm_policy_add_transition(p, k, &d);
}

/* An empty policy with a small, sound incident lifecycle:
 *   new --start--> work --finish--> done (closed), "*" --drop--> done. */
static inline itsm_policy *small_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "work", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "start"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "start", "work", "assignee", "responded_at?", NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "work", "finish", "done", "resolution_code", "resolved_at closed_at",
                     NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "done", NULL, "closed_at", NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

#endif
