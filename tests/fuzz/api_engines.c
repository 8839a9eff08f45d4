/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_api's engines (fuzz_api.h): a store that fails once when told to
 * (the allocator is tests/support/failalloc.h), the policies the engines
 * run, and an engine's state as the text of everything its public getters
 * show (tools/scenario/state.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>

#include "fuzz_api.h"
#include "state.h"

itsm_time g_now;
itsm_policy *g_policy;

/* ---- a store of JSON lines that fails one append when told to ---- */

static int ms_append(void *user, const itsm_event *const *evs, size_t n)
{
    mstore *s = user;
    if (s->fail_code) {
        int code = s->fail_code;
        s->fail_code = 0;
        s->failed = 1;
        return code;
    }
    CHECK(n >= 1);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        CHECK(itsm_event_to_json(evs[i], NULL, 0, &len) == ITSM_ELIMIT);
        char *buf = malloc(len + 1);
        CHECK(buf && itsm_event_to_json(evs[i], buf, len + 1, &len) == ITSM_OK);
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 64;
            s->ev = realloc(s->ev, s->cap * sizeof *s->ev);
            s->len = realloc(s->len, s->cap * sizeof *s->len);
            CHECK(s->ev && s->len);
        }
        s->ev[s->n] = buf;
        s->len[s->n++] = len;
    }
    return ITSM_OK;
}

/* A store that gives its events back, so the engine writes the hash chain. */
static int ms_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    mstore *s = user;
    for (size_t i = 0; i < s->n; i++) {
        int rc = emit(ctx, s->ev[i], s->len[i]);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static const itsm_store ms_methods = { ITSM_STORE_VERSION, ms_append, ms_scan, NULL, NULL, NULL };

static void ms_free(mstore *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ev[i]);
    free(s->ev);
    free(s->len);
    memset(s, 0, sizeof *s);
}

/* ---- the policies ---- */

static const char catalogue[] =
    "\"catalogue\":[{\"name\":\"new_laptop\",\"tasks\":["
    "{\"name\":\"order_laptop\",\"group\":\"procurement\",\"step\":1,\"ola_minutes\":60},"
    "{\"name\":\"create_account\",\"group\":\"identity\",\"step\":1},"
    "{\"name\":\"image_laptop\",\"group\":\"desktop\",\"step\":2}]},"
    "{\"name\":\"software_install\",\"tasks\":[{\"name\":\"install\",\"group\":\"desktop\"}]}]";

itsm_policy *fuzz_policy(void)
{
    itsm_policy *def = NULL, *pol = NULL;
    CHECK(itsm_policy_new_default(&def, NULL) == ITSM_OK);
    size_t len = 0;
    CHECK(itsm_policy_to_json(def, NULL, 0, &len) == ITSM_ELIMIT);
    char *doc = malloc(len + 1), *with = malloc(len + sizeof catalogue);
    CHECK(doc && with && itsm_policy_to_json(def, doc, len + 1, &len) == ITSM_OK);
    itsm_policy_free(def);
    char *at = strstr(doc, "\"catalogue\":[]");
    CHECK(at != NULL);
    size_t head = (size_t)(at - doc), cut = strlen("\"catalogue\":[]");
    memcpy(with, doc, head);
    memcpy(with + head, catalogue, sizeof catalogue - 1);
    strcpy(with + head + sizeof catalogue - 1, at + cut);
    CHECK(itsm_policy_from_json(&pol, with, strlen(with), NULL, NULL, NULL) == ITSM_OK);
    free(doc);
    free(with);
    CHECK(itsm_policy_set_closure(pol, 3 * 86400, 1000, 1) == ITSM_OK);
    itsm_blackout_def bo = ITSM_BLACKOUT_DEF_INIT;
    bo.name = "freeze";
    bo.from = T_START + 86400;
    bo.to = T_START + 2 * 86400;
    CHECK(itsm_policy_set_blackout(pol, &bo) == ITSM_OK);
    itsm_agreement_target t = { 0, 4 * 3600, NULL };
    itsm_agreement_def ag = ITSM_AGREEMENT_DEF_INIT;
    ag.name = "contract";
    ag.applies = "priority <= 2";
    ag.stop = "state == 'resolved'";
    ag.targets = &t;
    ag.ntargets = 1;
    CHECK(itsm_policy_set_agreement(pol, &ag, NULL) == ITSM_OK);
    static const char *const first[] = { "ann" }, *const then[] = { "bob", "desk" };
    itsm_oncall_step steps[2] = { { first, 1, 5 }, { then, 2, 15 } };
    itsm_oncall_def oc = ITSM_ONCALL_DEF_INIT;
    oc.name = "desk";
    oc.steps = steps;
    oc.nsteps = 2;
    oc.repeat = 1;
    CHECK(itsm_policy_add_oncall(pol, &oc) == ITSM_OK);
    CHECK(itsm_policy_set_alert_window(pol, 10) == ITSM_OK);
    CHECK(itsm_policy_check(pol) == 0);
    return pol;
}

/* The policy versions a call may adopt: the engines' own, one with
 * shorter targets, one with longer targets and another agreement target
 * (made once from g_policy, kept for the process: the engines copy them). */
const itsm_policy *version_policy(int which)
{
    static itsm_policy *pol[3];
    if (!which)
        return g_policy;
    if (!pol[which]) {
        CHECK(itsm_policy_clone(&pol[which], g_policy) == ITSM_OK);
        itsm_sla_def d = ITSM_SLA_DEF_INIT;
        d.name = "standard";
        for (int i = 0; i < 5; i++) {
            d.response[i] = (uint32_t)(which == 1 ? 600 : 7200);
            d.resolution[i] = (uint32_t)(which == 1 ? 3600 : 86400) * (uint32_t)(i + 1);
        }
        CHECK(itsm_policy_set_sla(pol[which], &d) == ITSM_OK);
        CHECK(itsm_policy_set_name(pol[which], which == 1 ? "short" : "long") == ITSM_OK);
        if (which == 2) {
            itsm_agreement_target t = { 0, 8 * 3600, NULL };
            itsm_agreement_def ag = ITSM_AGREEMENT_DEF_INIT;
            ag.name = "contract";
            ag.applies = "priority <= 2";
            ag.stop = "state == 'resolved'";
            ag.targets = &t;
            ag.ntargets = 1;
            CHECK(itsm_policy_set_agreement(pol[which], &ag, NULL) == ITSM_OK);
        }
        CHECK(itsm_policy_check(pol[which]) == 0);
    }
    return pol[which];
}

/* ---- the engines ---- */

static itsm_time clock_read(void *user) { return *(const itsm_time *)user; }

void side_open(side *s, int with_store)
{
    memset(s, 0, sizeof *s);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = clock_read;
    o.clock_user = &g_now;
    o.policy = g_policy;
    o.alloc = failalloc_make(&s->fa);
    if (with_store) {
        o.store = &ms_methods;
        o.store_user = &s->st;
    }
    CHECK(itsm_engine_new(&s->eng, &o) == ITSM_OK);
}

void side_close(side *s)
{
    for (int i = 0; i < NPK; i++)
        itsm_packet_free(s->pk[i]);
    itsm_engine_free(s->eng);
    ms_free(&s->st);
    CHECK(s->fa.live == 0);
}

char *side_state(side *s, int packets)
{
    state_buf b = { NULL, 0, 0, 0, 0 };
    state_put(&b, "%s", "");
    state_engine(&b, s->eng, g_now);
    for (int i = 0; packets && i < NPK; i++) {
        state_put(&b, "caller %d ", i);
        if (s->pk[i])
            state_packet(&b, s->pk[i]);
        else
            state_put(&b, "none\n");
    }
    CHECK(!b.oom && !b.errors);
    return b.s;
}

void same_state(side *a, side *b, const char *what)
{
    char *x = side_state(a, 1), *y = side_state(b, 1);
    if (strcmp(x, y) != 0) {
        fprintf(stderr, "fuzz_api: %s (op %d)\n--- A\n%s--- B\n%s", what, g_op, x, y);
        abort();
    }
    free(x);
    free(y);
}
