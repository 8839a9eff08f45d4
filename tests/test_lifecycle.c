/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The five default lifecycles, checked against DESIGN.md section 3
 * (support/lifecycle_expected.h writes them out as data, independently of
 * src/policy/policy_default.c), case by generated case:
 *
 *   - every expected transition is allowed, from every state it leaves
 *     ("*" = every open state), with exactly the expected guard fields set,
 *     and has the expected effects (state, open/closed, stamps, clears,
 *     reopen counter, one stored event, replay gives the same records);
 *   - every guard field, missing, refuses the step with ITSM_EGUARD and a
 *     message naming the state, the event and the field;
 *   - every (state, event) pair the expectation does not allow is refused
 *     with ITSM_ETRANSITION naming the event and the state, and so is an
 *     unknown event in every state;
 *   - a refused step leaves the record exactly as it was and stores nothing;
 *   - closed records refuse updates and notes (ITSM_ESTATE);
 *   - every state offers exactly its transitions, with what each misses.
 *
 * The generated cases get names that state their rule, e.g.
 * "incident_resolve_from_on_hold_needs_resolution_code".
 */
#include "lifecycle_expected.h"

/* The expected transition for (state, event), exact rows before "*". */
static const xrow *xfind(const xlifecycle *lc, const char *state, const char *event)
{
    const xrow *any = NULL;
    for (const xrow *r = lc->rows; r->from; r++) {
        if (strcmp(r->event, event) != 0 || !row_leaves(lc, r, state))
            continue;
        if (strcmp(r->from, "*") != 0)
            return r;
        any = r;
    }
    return any;
}

/* Unset a field in the same step: NULL for a string, 0 (false) for a bool. */
static void chg_unset(chg *l, const char *name)
{
    itsm_change *c = chg_slot(l, field_of(name));
    c->str = NULL;
    c->num = 0;
}

static int in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

/* Unset every string and bool field the row's guard does not name, so a
 * step that needs more than expected is caught. */
static void chg_only(chg *l, const xrow *row)
{
    for (int f = 0; f < ITSM_F__COUNT; f++) {
        itsm_field_type t = itsm_field_type_of((itsm_field)f);
        const char *name = itsm_field_name((itsm_field)f);
        if (itsm_field_is_engine_owned((itsm_field)f) || t == ITSM_TYPE_INT || t == ITSM_TYPE_TIME)
            continue;
        /* A change's classification stays: unset past its approval round it
         * would need an approval nobody can give, and is refused
         * (test_change_reclassify_approvals.c). */
        if (f == ITSM_F_CHANGE_TYPE)
            continue;
        if (in_list(row->needs, name) || in_list(row->any, name) ||
            (row->eq_field && strcmp(row->eq_field, name) == 0))
            continue;
        chg_unset(l, name);
    }
}

/* ---- generated cases ------------------------------------------------------ */

enum mode { M_ALLOWED, M_GUARD_FIELD, M_GUARD_ANY, M_GUARD_EQ, M_GUARD_LINK, M_GUARD_TERM, M_REFUSED,
            M_UNKNOWN_EVENT, M_CLOSED, M_OFFERED };

typedef struct tcase {
    enum mode          mode;
    const xlifecycle  *lc;
    const xrow        *row;     /* M_ALLOWED, M_GUARD_* */
    const char        *state;   /* the state the record is driven to */
    const char        *event;   /* M_REFUSED */
    const char        *field;   /* M_GUARD_FIELD: the missing field; M_GUARD_TERM: the term */
} tcase;

static void run_allowed(const tcase *tc)
{
    const xrow *row = tc->row;
    const xstate *to = xstate_of(tc->lc, row->to);

    /* 1. With exactly what the guard needs: the effects. */
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    if (row->link)
        link_kind(&f, r, ITSM_LINK_RELATED, row->link);
    satisfy_terms(&f, r, row, NULL);
    itsm_time responded = itsm_record_int(r, ITSM_F_RESPONDED_AT);
    itsm_time resolved = itsm_record_int(r, ITSM_F_RESOLVED_AT);
    itsm_time closed = itsm_record_int(r, ITSM_F_CLOSED_AT);
    itsm_time opened = itsm_record_int(r, ITSM_F_OPENED_AT);
    int64_t reopens = itsm_record_int(r, ITSM_F_REOPENS);
    int held = itsm_record_has(r, ITSM_F_HOLD_REASON);
    uint64_t rev = itsm_record_revision(r);
    size_t stored = f.store.n;

    chg l = { .n = 0 };
    chg_satisfy(&l, row);
    f.clock.now += 3600;
    itsm_time at = f.clock.now;
    int rc = itsm_record_fire(r, row->event, l.c, l.n);
    if (rc != ITSM_OK)
        fail_msg("%s: %s --%s--> %s refused: %s \"%s\"", itsm_kind_name(tc->lc->kind), tc->state,
                 row->event, row->to, itsm_errname(rc), itsm_errmsg(f.eng));
    assert_string_equal(itsm_record_state(r), row->to);
    assert_int_equal(itsm_record_is_open(r), !to->closed);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    assert_int_equal(f.store.n, stored + 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), at);
    assert_int_equal(itsm_record_int(r, ITSM_F_OPENED_AT), opened);

    itsm_time want_responded = (row->fx & X_RESPONDED) && responded == ITSM_TIME_NONE ? at : responded;
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), want_responded);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), (row->fx & X_RESOLVED) ? at : resolved);
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), (row->fx & X_CLOSED) ? at : closed);
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), reopens + ((row->fx & X_REOPEN) ? 1 : 0));
    if (row->fx & X_CLEARS_HOLD)
        assert_false(itsm_record_has(r, ITSM_F_HOLD_REASON));
    else if (in_list(row->needs, "hold_reason"))
        assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_customer");
    else
        assert_int_equal(itsm_record_has(r, ITSM_F_HOLD_REASON), held);
    /* The guard fields given with the event were applied with it. */
    for (size_t i = 0; i < l.n; i++)
        if (l.c[i].str)
            assert_string_equal(itsm_record_str(r, l.c[i].field), l.c[i].str);
        else
            assert_int_equal(itsm_record_int(r, l.c[i].field), l.c[i].num);

    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);

    /* 2. With every other string and bool field unset: the guard asks for
     * nothing more than expected. Each member of an "any" group alone is
     * enough. */
    int nany = 0;
    while (row->any[nany])
        nany++;
    for (int alt = 0; alt < (nany ? nany : 1); alt++) {
        fixture g;
        fixture_open(&g);
        r = open_kind(&g, tc->lc->kind);
        drive(&g, r, tc->lc, tc->state);
        if (row->link)
            link_kind(&g, r, ITSM_LINK_RELATED, row->link);
        satisfy_terms(&g, r, row, NULL);
        chg m = { .n = 0 };
        chg_only(&m, row);
        chg_satisfy(&m, row);
        if (nany) {
            for (int i = 0; i < nany; i++)
                chg_unset(&m, row->any[i]);
            chg_fill(&m, row->any[alt]);
        }
        rc = itsm_record_fire(r, row->event, m.c, m.n);
        if (rc != ITSM_OK)
            fail_msg("%s: %s --%s--> %s with only its guard fields%s%s: %s \"%s\"",
                     itsm_kind_name(tc->lc->kind), tc->state, row->event, row->to,
                     nany ? " and " : "", nany ? row->any[alt] : "", itsm_errname(rc), itsm_errmsg(g.eng));
        assert_string_equal(itsm_record_state(r), row->to);
        fixture_close(&g);
    }
}

static void run_guard(const tcase *tc)
{
    const xrow *row = tc->row;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    if (row->link && tc->mode != M_GUARD_LINK)
        link_kind(&f, r, ITSM_LINK_RELATED, row->link);
    satisfy_terms(&f, r, row, tc->mode == M_GUARD_TERM ? tc->field : NULL);
    chg l = { .n = 0 };
    chg_satisfy(&l, row);
    char needle[256];
    int off;
    switch (tc->mode) {
    case M_GUARD_TERM: {
        const char *why = break_term(&f, r, tc->field);
        snprintf(needle, sizeof needle, "transition '%s' from '%s' needs ", row->event, tc->state);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, why);
        break;
    }
    case M_GUARD_FIELD:
        chg_unset(&l, tc->field);
        snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field '%s'", row->event,
                 tc->state, tc->field);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        break;
    case M_GUARD_ANY:
        off = snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field ", row->event,
                       tc->state);
        for (int i = 0; row->any[i]; i++) {
            chg_unset(&l, row->any[i]);
            off += snprintf(needle + off, sizeof needle - (size_t)off, "%s'%s'", i ? " or " : "",
                            row->any[i]);
        }
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        break;
    case M_GUARD_EQ: {
        itsm_field_type t = itsm_field_type_of(field_of(row->eq_field));
        int is_str = t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL;
        if (is_str)
            snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field '%s' = '%s'",
                     row->event, tc->state, row->eq_field, row->eq_value);
        else
            snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field '%s' = %s",
                     row->event, tc->state, row->eq_field, row->eq_value);
        chg_value(&l, row->eq_field, row->eq_wrong);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        if (is_str) {   /* unset is no match either */
            chg_unset(&l, row->eq_field);
            expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        }
        break;
    }
    case M_GUARD_LINK:
        snprintf(needle, sizeof needle, "transition '%s' from '%s' needs a linked %s", row->event,
                 tc->state, itsm_kind_name(row->link));
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        /* A link to a record of another kind does not count. */
        link_kind(&f, r, ITSM_LINK_RELATED, row->link == ITSM_KIND_INCIDENT ? ITSM_KIND_PROBLEM
                                                                            : ITSM_KIND_INCIDENT);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        break;
    default:
        fail();
    }
    fixture_close(&f);
}

static void run_refused(const tcase *tc)
{
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    char needle[256];
    if (tc->mode == M_UNKNOWN_EVENT) {
        /* An event no lifecycle knows, and one the other lifecycles know. */
        snprintf(needle, sizeof needle, "no transition 'no_such_event' from '%s'", tc->state);
        expect_refusal(&f, r, "no_such_event", NULL, ITSM_ETRANSITION, needle);
        const char *foreign = tc->lc->kind == ITSM_KIND_INCIDENT ? "approve" : "hold";
        snprintf(needle, sizeof needle, "no transition '%s' from '%s'", foreign, tc->state);
        expect_refusal(&f, r, foreign, NULL, ITSM_ETRANSITION, needle);
    } else {
        /* Refused even with every field a guard could want. */
        chg l = { .n = 0 };
        for (const xrow *row = tc->lc->rows; row->from; row++)
            if (strcmp(row->event, tc->event) == 0)
                chg_satisfy(&l, row);
        snprintf(needle, sizeof needle, "no transition '%s' from '%s'", tc->event, tc->state);
        expect_refusal(&f, r, tc->event, &l, ITSM_ETRANSITION, needle);
    }
    fixture_close(&f);
}

static void run_closed(const tcase *tc)
{
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    assert_false(itsm_record_is_open(r));
    char *before = engine_dump(f.eng);
    size_t stored = f.store.n;
    char needle[128];
    snprintf(needle, sizeof needle, "it is %s", tc->state);
    assert_fails(f.eng, itsm_record_set_str(r, ITSM_F_SUMMARY, "late edit"), ITSM_ESTATE, needle);
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_IMPACT, 1), ITSM_ESTATE, needle);
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "late note";
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_ESTATE, needle);
    n.kind = ITSM_NOTE_CUSTOMER;
    n.expected_restoration = f.clock.now + 3600;
    n.next_update = f.clock.now + 3600;
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_ESTATE, needle);
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, stored);
    free(before);
    free(after);
    fixture_close(&f);
}

/* ---- what can fire now --------------------------------------------------- */

static int has_related(const itsm_record *r, itsm_kind kind)
{
    for (size_t i = 0; i < itsm_record_link_count(r); i++) {
        itsm_link l = { .size = sizeof l };
        assert_ok(itsm_record_link_at(r, i, &l));
        if (l.kind == ITSM_LINK_RELATED && l.target_kind == kind)
            return 1;
    }
    return 0;
}

/* The terms of row's guard the record misses as it is, written as the
 * policy writes them ("a", "a|b", "f=v", "link:kind"), space-separated. */
/* Whether a capability term holds, read through the public API (the
 * records here have no handover: no gate is shut). */
static int term_holds(const itsm_record *r, const char *term)
{
    if (!strcmp(term, "approved:all")) {
        itsm_approval_info ai = { .size = sizeof ai };
        assert_ok(itsm_record_approval(&ai, r));
        return ai.status == ITSM_APPROVAL_APPROVED || ai.status == ITSM_APPROVAL_NONE;
    }
    if (!strcmp(term, "risk:assessed")) {
        itsm_risk_info ri = { .size = sizeof ri };
        assert_ok(itsm_record_risk(&ri, r));
        return !ri.questions || ri.level;
    }
    if (!strcmp(term, "window:allowed")) {
        itsm_time s, e;
        return itsm_change_planned(&s, &e, r) == ITSM_OK;
    }
    if (!strcmp(term, "tasks:done")) {
        for (size_t i = 0; i < itsm_request_task_count(r); i++) {
            itsm_task_info t = { .size = sizeof t };
            assert_ok(itsm_request_task_at(&t, r, i));
            if (t.state == ITSM_TASK_WAITING || t.state == ITSM_TASK_OPEN)
                return 0;
        }
        return 1;
    }
    if (!strcmp(term, "review:owned")) {
        /* the reviews of the record and of the records linked to it */
        for (size_t l = 0; l <= itsm_record_link_count(r); l++) {
            itsm_record *t = (itsm_record *)r;
            if (l) {
                itsm_link k = { .size = sizeof k };
                assert_ok(itsm_record_link_at(r, l - 1, &k));
                assert_ok(itsm_record_find(&t, itsm_record_engine(r), k.target_id));
            }
            itsm_review_info ri = { .size = sizeof ri };
            if (itsm_record_review(&ri, t) == ITSM_OK && ri.unowned_actions)
                return 0;
        }
        return 1;
    }
    return !strcmp(term, "gate:not_shut");
}

static size_t expected_missing(const itsm_record *r, const xrow *row, char *out, size_t cap)
{
    size_t n = 0, off = 0;
    out[0] = '\0';
#define MISS(...) (n++, off += (size_t)snprintf(out + off, cap - off, __VA_ARGS__))
    for (int i = 0; row->needs[i]; i++)
        if (!itsm_record_has(r, field_of(row->needs[i])))
            MISS(" %s", row->needs[i]);
    if (row->any[0]) {
        int any = 0;
        for (int i = 0; row->any[i]; i++)
            any |= itsm_record_has(r, field_of(row->any[i]));
        if (!any) {
            MISS(" ");
            for (int i = 0; row->any[i]; i++)
                off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? "|" : "", row->any[i]);
        }
    }
    if (row->eq_field) {
        itsm_field f = field_of(row->eq_field);
        itsm_field_type t = itsm_field_type_of(f);
        int met = t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL
                      ? itsm_record_str(r, f) && !strcmp(itsm_record_str(r, f), row->eq_value)
                      : itsm_record_int(r, f) == atoll(row->eq_value);
        if (!met)
            MISS(" %s=%s", row->eq_field, row->eq_value);
    }
    if (row->link && !has_related(r, row->link))
        MISS(" link:%s", itsm_kind_name(row->link));
    for (int i = 0; row->terms[i]; i++)
        if (!term_holds(r, row->terms[i]))
            MISS(" %s", row->terms[i]);
#undef MISS
    return n;
}

static int same_need(const itsm_guard_need *a, const itsm_guard_need *b)
{
    return a->kind == b->kind && a->term == b->term && a->field == b->field && a->value == b->value &&
           a->link_kind == b->link_kind;
}

/* In every state: the events offered are exactly the expected transitions
 * from it, each with exactly the guard terms the record misses; firing one
 * that misses terms fails naming all of them, with the same terms as data;
 * one that misses none fires. */
static void run_offered(const tcase *tc)
{
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    size_t want = 0;
    for (const char *const *ev = tc->lc->events; *ev; ev++)
        want += xfind(tc->lc, tc->state, *ev) != NULL;
    size_t n = itsm_record_allowed_count(r);
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++) {
        itsm_allowed_event a = { .size = sizeof a };
        assert_ok(itsm_record_allowed_at(r, i, &a));
        const xrow *row = xfind(tc->lc, tc->state, a.event);
        if (!row)
            fail_msg("%s in %s offers '%s', which the lifecycle does not allow", itsm_kind_name(tc->lc->kind),
                     tc->state, a.event);
        assert_string_equal(a.to_state, row->to);
        char miss[512], got[512] = "";
        size_t nmiss = expected_missing(r, row, miss, sizeof miss), off = 0;
        assert_int_equal(a.nmissing, nmiss);
        for (size_t j = 0; j < a.nmissing; j++) {
            itsm_guard_need need = { .size = sizeof need };
            assert_ok(itsm_record_allowed_need_at(r, i, j, &need));
            off += (size_t)snprintf(got + off, sizeof got - off, " %s", need.term);
            char word[160];
            snprintf(word, sizeof word, " %s ", need.term);
            char padded[520];
            snprintf(padded, sizeof padded, "%s ", miss);
            if (!strstr(padded, word))
                fail_msg("%s --%s-->: need '%s' is not among the expected ones:%s", tc->state, a.event,
                         need.term, miss);
            switch (need.kind) {
            case ITSM_NEED_FIELD: assert_string_equal(need.field, need.term); break;
            case ITSM_NEED_ANY_OF: assert_non_null(strchr(need.term, '|')); break;
            case ITSM_NEED_VALUE: assert_string_equal(need.value, strchr(need.term, '=') + 1); break;
            case ITSM_NEED_LINK: assert_int_equal(need.link_kind, row->link); assert_null(need.field); break;
            case ITSM_NEED_TERM:
                assert_true(!strncmp(need.term, need.field, strlen(need.field)) && need.term[strlen(need.field)] == ':');
                assert_string_equal(need.value, need.term + strlen(need.field) + 1);
                break;
            default: fail_msg("need kind %d", (int)need.kind);
            }
        }
        itsm_guard_need none = { .size = sizeof none };
        assert_int_equal(itsm_record_allowed_need_at(r, i, a.nmissing, &none), ITSM_EINVAL);
        if (a.nmissing) {
            /* Firing it as it is names every term, and gives them as data. */
            char *before = engine_dump(f.eng);
            assert_int_equal(itsm_record_fire(r, a.event, NULL, 0), ITSM_EGUARD);
            char *after = engine_dump(f.eng);
            assert_string_equal(before, after);
            free(before), free(after);
            assert_int_equal(itsm_guard_missing_count(f.eng), a.nmissing);
            for (size_t j = 0; j < a.nmissing; j++) {
                itsm_guard_need x = { .size = sizeof x }, y = { .size = sizeof y };
                assert_ok(itsm_guard_missing_at(f.eng, j, &x));
                assert_ok(itsm_record_allowed_need_at(r, i, j, &y));
                assert_true(same_need(&x, &y));
                const char *name = x.kind == ITSM_NEED_LINK ? itsm_kind_name(x.link_kind) : x.field;
                if (!strstr(itsm_errmsg(f.eng), name))
                    fail_msg("\"%s\" does not name %s", itsm_errmsg(f.eng), name);
            }
        } else {
            /* Nothing missing: it fires as the record is. */
            fixture g;
            fixture_open(&g);
            itsm_record *q = open_kind(&g, tc->lc->kind);
            drive(&g, q, tc->lc, tc->state);
            g.clock.now += 60;
            int rc = itsm_record_fire(q, a.event, NULL, 0);
            if (rc != ITSM_OK)
                fail_msg("%s --%s--> offered as ready: %s \"%s\"", tc->state, a.event, itsm_errname(rc),
                         itsm_errmsg(g.eng));
            assert_string_equal(itsm_record_state(q), row->to);
            fixture_close(&g);
        }
    }
    itsm_allowed_event beyond = { .size = sizeof beyond };
    assert_int_equal(itsm_record_allowed_at(r, n, &beyond), ITSM_EINVAL);
    fixture_close(&f);
}

static void generated(void **state)
{
    const tcase *tc = *state;
    switch (tc->mode) {
    case M_ALLOWED: run_allowed(tc); break;
    case M_GUARD_FIELD:
    case M_GUARD_ANY:
    case M_GUARD_EQ:
    case M_GUARD_LINK:
    case M_GUARD_TERM: run_guard(tc); break;
    case M_REFUSED:
    case M_UNKNOWN_EVENT: run_refused(tc); break;
    case M_CLOSED: run_closed(tc); break;
    case M_OFFERED: run_offered(tc); break;
    }
}

/* ---- main: build the generated cases -------------------------------------- */

typedef struct suite {
    struct CMUnitTest *tests;
    tcase **cases;
    char **names;
    size_t n, cap;
} suite;

static void add(suite *s, const char *name, CMUnitTestFunction fn, tcase *tc)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->tests = realloc(s->tests, s->cap * sizeof *s->tests);
        s->cases = realloc(s->cases, s->cap * sizeof *s->cases);
        s->names = realloc(s->names, s->cap * sizeof *s->names);
        if (!s->tests || !s->cases || !s->names)
            abort();
    }
    char *copy = malloc(strlen(name) + 1);
    if (!copy)
        abort();
    strcpy(copy, name);
    struct CMUnitTest t = { copy, fn, NULL, NULL, tc };
    s->tests[s->n] = t;
    s->cases[s->n] = tc;
    s->names[s->n] = copy;
    s->n++;
}

static tcase *mk(enum mode m, const xlifecycle *lc, const xrow *row, const char *st, const char *ev,
                 const char *field)
{
    tcase *tc = malloc(sizeof *tc);
    if (!tc)
        abort();
    tc->mode = m;
    tc->lc = lc;
    tc->row = row;
    tc->state = st;
    tc->event = ev;
    tc->field = field;
    return tc;
}

int main(void)
{
    suite s = { NULL, NULL, NULL, 0, 0 };
    char name[256];
    for (size_t k = 0; k < NLC; k++) {
        const xlifecycle *lc = &expected[k];
        const char *kn = itsm_kind_name(lc->kind);
        for (const xrow *row = lc->rows; row->from; row++) {
            for (const xstate *st = lc->states; st->name; st++) {
                if (!row_leaves(lc, row, st->name))
                    continue;
                /* An exact row for this state shadows "*". */
                if (xfind(lc, st->name, row->event) != row)
                    continue;
                snprintf(name, sizeof name, "%s_%s_from_%s_goes_to_%s", kn, row->event, st->name, row->to);
                add(&s, name, generated, mk(M_ALLOWED, lc, row, st->name, NULL, NULL));
                for (int i = 0; row->needs[i]; i++) {
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_%s", kn, row->event, st->name,
                             row->needs[i]);
                    add(&s, name, generated, mk(M_GUARD_FIELD, lc, row, st->name, NULL, row->needs[i]));
                }
                if (row->any[0]) {
                    int off = snprintf(name, sizeof name, "%s_%s_from_%s_needs", kn, row->event, st->name);
                    for (int i = 0; row->any[i]; i++)
                        off += snprintf(name + off, sizeof name - (size_t)off, "%s%s", i ? "_or_" : "_",
                                        row->any[i]);
                    add(&s, name, generated, mk(M_GUARD_ANY, lc, row, st->name, NULL, NULL));
                }
                if (row->eq_field) {
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_%s_%s", kn, row->event, st->name,
                             row->eq_field, row->eq_value);
                    add(&s, name, generated, mk(M_GUARD_EQ, lc, row, st->name, NULL, NULL));
                }
                if (row->link) {
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_a_linked_%s", kn, row->event,
                             st->name, itsm_kind_name(row->link));
                    add(&s, name, generated, mk(M_GUARD_LINK, lc, row, st->name, NULL, NULL));
                }
                for (int i = 0; row->terms[i]; i++) {
                    char term[64];
                    snprintf(term, sizeof term, "%s", row->terms[i]);
                    *strchr(term, ':') = '_';
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_%s", kn, row->event, st->name, term);
                    add(&s, name, generated, mk(M_GUARD_TERM, lc, row, st->name, NULL, row->terms[i]));
                }
            }
        }
        for (const xstate *st = lc->states; st->name; st++) {
            for (const char *const *ev = lc->events; *ev; ev++) {
                if (xfind(lc, st->name, *ev))
                    continue;
                snprintf(name, sizeof name, "%s_%s_refuses_%s", kn, st->name, *ev);
                add(&s, name, generated, mk(M_REFUSED, lc, NULL, st->name, *ev, NULL));
            }
            snprintf(name, sizeof name, "%s_%s_refuses_unknown_events", kn, st->name);
            add(&s, name, generated, mk(M_UNKNOWN_EVENT, lc, NULL, st->name, NULL, NULL));
            snprintf(name, sizeof name, "%s_%s_offers_its_transitions_with_what_each_misses", kn, st->name);
            add(&s, name, generated, mk(M_OFFERED, lc, NULL, st->name, NULL, NULL));
            if (st->closed) {
                snprintf(name, sizeof name, "%s_%s_is_closed_refusing_updates_and_notes", kn, st->name);
                add(&s, name, generated, mk(M_CLOSED, lc, NULL, st->name, NULL, NULL));
            }
        }
    }

    int failed = _cmocka_run_group_tests("test_lifecycle", s.tests, s.n, NULL, NULL);
    for (size_t i = 0; i < s.n; i++) {
        free(s.cases[i]);
        free(s.names[i]);
    }
    free(s.tests);
    free(s.cases);
    free(s.names);
    return failed;
}
