/* SPDX-License-Identifier: Apache-2.0 */
/* The default policy declares exactly the five lifecycles of DESIGN.md
 * section 3 (support/lifecycle_expected.h): its states, events and
 * transitions, with their guards, read from its own JSON document. */
#include "lifecycle_expected.h"

/* ---- the default policy declares exactly the expected lifecycles ---------- */

static const itsm__jval *member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v)
        fail_msg("policy document lacks '%s'", key);
    return v;
}

static const char *str_member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    return v && v->type == ITSM__JSTRING ? v->u.str.s : NULL;
}

static int true_member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    return v && v->type == ITSM__JTRUE;
}

/* The n words w, sorted, joined by single spaces into out[0..cap). */
static void join_sorted(const char **w, int n, char *out, size_t cap)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
            const char *t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    size_t off = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? " " : "", w[i]);
}

/* The guard text as a sorted word list, for an order-free comparison. */
static void words_of_guard(const xrow *row, char *out, size_t cap)
{
    const char *w[16];
    char eq[64], any[128];
    int n = 0;
    for (int i = 0; row->needs[i]; i++)
        w[n++] = row->needs[i];
    if (row->any[0]) {
        size_t off = 0;
        for (int i = 0; row->any[i]; i++)
            off += (size_t)snprintf(any + off, sizeof any - off, "%s%s", i ? "|" : "", row->any[i]);
        w[n++] = any;
    }
    if (row->eq_field) {
        snprintf(eq, sizeof eq, "%s=%s", row->eq_field, row->eq_value);
        w[n++] = eq;
    }
    if (row->link) {
        static char lk[32];
        snprintf(lk, sizeof lk, "link:%s", itsm_kind_name(row->link));
        w[n++] = lk;
    }
    for (int i = 0; row->terms[i]; i++)
        w[n++] = row->terms[i];
    join_sorted(w, n, out, cap);
}

static void sort_words(const char *in, char *out, size_t cap)
{
    char buf[512];
    const char *w[32];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", in ? in : "");
    for (char *tok = strtok(buf, " "); tok && n < 32; tok = strtok(NULL, " "))
        w[n++] = tok;
    join_sorted(w, n, out, cap);
}

static void default_policy_declares_exactly_the_expected_lifecycles(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *text = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, text, len + 1, &len));
    itsm__jdoc *doc;
    itsm_parse_error err;
    assert_ok(itsm__json_parse(&doc, text, len, NULL, NULL, &err));
    const itsm__jval *lcs = member(itsm__jdoc_root(doc), "lifecycles");
    assert_int_equal(lcs->u.obj.n, NLC);
    for (size_t k = 0; k < NLC; k++) {
        const xlifecycle *lc = &expected[k];
        const char *kn = itsm_kind_name(lc->kind);
        const itsm__jval *jl = member(lcs, kn);
        const itsm__jval *states = member(jl, "states");
        const itsm__jval *events = member(jl, "events");
        const itsm__jval *trans = member(jl, "transitions");

        size_t ns = 0;
        for (const xstate *s = lc->states; s->name; s++, ns++) {
            int found = 0;
            for (size_t i = 0; i < states->u.arr.n; i++) {
                const itsm__jval *js = &states->u.arr.items[i];
                if (strcmp(str_member(js, "name"), s->name) != 0)
                    continue;
                found = 1;
                if (true_member(js, "initial") != s->initial || true_member(js, "closed") != s->closed)
                    fail_msg("%s: state '%s' has the wrong initial/closed flags", kn, s->name);
            }
            if (!found)
                fail_msg("%s: the default policy lacks state '%s'", kn, s->name);
        }
        if (states->u.arr.n != ns)
            fail_msg("%s: the default policy has %zu states, DESIGN.md has %zu", kn, states->u.arr.n, ns);

        size_t ne = 0;
        for (const char *const *e = lc->events; *e; e++, ne++) {
            int found = 0;
            for (size_t i = 0; i < events->u.arr.n; i++)
                found |= strcmp(events->u.arr.items[i].u.str.s, *e) == 0;
            if (!found)
                fail_msg("%s: the default policy lacks event '%s'", kn, *e);
        }
        if (events->u.arr.n != ne)
            fail_msg("%s: the default policy has %zu events, expected %zu", kn, events->u.arr.n, ne);

        size_t nr = 0;
        for (const xrow *row = lc->rows; row->from; row++, nr++) {
            const itsm__jval *jt = NULL;
            for (size_t i = 0; i < trans->u.arr.n; i++) {
                const itsm__jval *c = &trans->u.arr.items[i];
                if (strcmp(str_member(c, "from"), row->from) == 0 &&
                    strcmp(str_member(c, "event"), row->event) == 0)
                    jt = c;
            }
            if (!jt)
                fail_msg("%s: the default policy lacks %s --%s-->", kn, row->from, row->event);
            if (strcmp(str_member(jt, "to"), row->to) != 0)
                fail_msg("%s: %s --%s--> goes to '%s', expected '%s'", kn, row->from, row->event,
                         str_member(jt, "to"), row->to);
            char want[512], got[512];
            words_of_guard(row, want, sizeof want);
            sort_words(str_member(jt, "guard"), got, sizeof got);
            if (strcmp(want, got) != 0)
                fail_msg("%s: %s --%s--> guard is \"%s\", expected \"%s\"", kn, row->from, row->event,
                         got, want);
            /* Effects: "?" keeps responded_at to the first response. */
            snprintf(want, sizeof want, "%s%s%s", (row->fx & X_RESPONDED) ? "responded_at? " : "",
                     (row->fx & X_RESOLVED) ? "resolved_at " : "", (row->fx & X_CLOSED) ? "closed_at " : "");
            sort_words(want, want, sizeof want);
            sort_words(str_member(jt, "stamp"), got, sizeof got);
            if (strcmp(want, got) != 0)
                fail_msg("%s: %s --%s--> stamps \"%s\", expected \"%s\"", kn, row->from, row->event, got,
                         want);
            sort_words(str_member(jt, "clear"), got, sizeof got);
            assert_string_equal(got, (row->fx & X_CLEARS_HOLD) ? "hold_reason" : "");
            assert_int_equal(true_member(jt, "counts_reopen"), (row->fx & X_REOPEN) != 0);
        }
        if (trans->u.arr.n != nr)
            fail_msg("%s: the default policy has %zu transitions, expected %zu", kn, trans->u.arr.n, nr);
    }
    itsm__jdoc_free(doc);
    free(text);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_policy_declares_exactly_the_expected_lifecycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
