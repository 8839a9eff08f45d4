/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario --faults: the fault matrix of one script.
 *
 * A clean run counts the allocations and store appends each action makes
 * (only those: engine creation and expectations are not counted). Then
 * the script runs again once for every one of them, with that allocation
 * or that append failing. At the action that meets the fault:
 *   - if it fails, the code is ITSM_ENOMEM (allocation) or ITSM_ESTORE
 *     (append), and nothing changed: everything the public getters show
 *     (state.h) and the runner's packets are as before, and nothing was
 *     stored. A tick fires timers one batch at a time, so one that fails
 *     may keep the timers fired before: then the store's replay must equal
 *     the engine. The action is then retried with nothing failing;
 *   - if it succeeds despite the fault, it must have delivered everything:
 *     the run goes on and must end where the clean run ended.
 * Every run must pass all its expectations, end in the clean run's state,
 * replay from its store into an equal engine, and give back every block.
 * A statement that makes several calls (packet set with several slots)
 * runs one call at a time.
 */
#include "runner.h"
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct run_matrix {
    int     recording;            /* the clean run: note what each action does */
    long   *allocs, *appends;     /* per action of the clean run */
    size_t  nacts, cacts;
    size_t  act;                  /* actions so far in this run */
    long    fail_alloc, fail_append;
    int     met;                  /* the injected fault was met */
    char   *final_state;          /* the clean run's end */
} run_matrix;

/* Everything the API shows, plus the runner's packets. NULL: no memory. */
static char *runner_state(runner *r, int packets)
{
    state_buf b = { NULL, 0, 0, 0, 0 };
    state_put(&b, "%s", "");
    state_engine(&b, r->eng, r->now);
    for (size_t i = 0; packets && i < r->npackets; i++) {
        state_put(&b, "script packet %s ", r->packets[i].name);
        state_packet(&b, r->packets[i].pkt);
    }
    if (b.oom || b.errors) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* The first line where two states differ, for the message. */
void run_state_difference(runner *r, const char *what, const char *a, const char *b)
{
    size_t line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    size_t na = strcspn(la, "\n"), nb = strcspn(lb, "\n");
    run_fail(r, "%s; first difference at line %zu of the state:\n  was: %.*s\n  now: %.*s", what, line,
             (int)(na > 600 ? 600 : na), la, (int)(nb > 600 ? 600 : nb), lb);
}

/* A store for the replaying engine: nothing is appended to it, but it can
 * give events back, so that engine keeps (and checks) the hash chain too. */
static int no_append(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    (void)evs;
    (void)n;
    return ITSM_ESTORE;
}

static int no_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    (void)user;
    (void)emit;
    (void)ctx;
    return ITSM_OK;
}

static const itsm_store replay_store = { ITSM_STORE_VERSION, no_append, no_scan, NULL, NULL, NULL };

/* The store's events replayed into a fresh engine must equal the live
 * one; `binary`: replayed in the binary form (which the library applies
 * without a value tree). */
static int replay_equal_as(runner *r, int binary)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = r->policy;
    o.store = &replay_store;
    itsm_engine *e = NULL;
    if (itsm_engine_new(&e, &o) != ITSM_OK)
        return run_fail(r, "cannot create the replay engine");
    for (size_t i = 0; i < r->host->nev; i++) {
        itsm_parse_error pe;
        int rc;
        if (binary) {
            size_t bl = 0;
            unsigned char *bin = NULL;
            rc = itsm_event_json_to_binary(r->host->ev[i], r->host->len[i], NULL, 0, &bl, NULL);
            if ((rc == ITSM_OK || rc == ITSM_ELIMIT) && bl && (bin = malloc(bl)))
                rc = itsm_event_json_to_binary(r->host->ev[i], r->host->len[i], bin, bl, &bl, NULL);
            if (rc == ITSM_OK)
                rc = itsm_engine_replay(e, bin, bl, &pe);
            free(bin);
        } else {
            rc = itsm_engine_replay_json(e, r->host->ev[i], r->host->len[i], &pe);
        }
        if (rc != ITSM_OK) {
            run_fail(r, "stored event %zu does not replay: %s: %s\n  %s", i + 1, itsm_errname(rc), itsm_errmsg(e),
                     r->host->ev[i]);
            itsm_engine_free(e);
            return -1;
        }
    }
    char *live = state_text(r->eng, r->now), *rep = state_text(e, r->now);
    int rc = 0;
    if (!live || !rep)
        rc = run_fail(r, "out of memory, or a getter refused");
    else if (strcmp(live, rep) != 0) {
        run_state_difference(r, binary ? "the store's replay in the binary form differs from the engine"
                                       : "the store's replay differs from the engine", live, rep);
        rc = -1;
    }
    free(live);
    free(rep);
    itsm_engine_free(e);
    return rc;
}

static int replay_equal(runner *r) { return replay_equal_as(r, 0); }

static int note_action(run_matrix *m, long allocs, long appends)
{
    if (m->nacts == m->cacts) {
        size_t cap = m->cacts ? 2 * m->cacts : 256;
        long *a = realloc(m->allocs, cap * sizeof *a);
        if (!a)
            return -1;
        m->allocs = a;
        long *s = realloc(m->appends, cap * sizeof *s);
        if (!s)
            return -1;
        m->appends = s;
        m->cacts = cap;
    }
    m->allocs[m->nacts] = allocs;
    m->appends[m->nacts++] = appends;
    return 0;
}

static int is_tick(const cmd_row *cmd) { return !strcmp(cmd->name, "tick"); }

static int one_action(runner *r, const cmd_row *cmd, tok *t, size_t n)
{
    run_host *h = r->host;
    run_matrix *m = r->matrix;
    /* Reading the next deadline drops stale timer entries: nothing
     * observable, but it changes what the next action allocates. The
     * snapshot below reads it only in the run whose fault falls here, so
     * every run reads it before every action to keep the clean run's path. */
    if (m)
        (void)itsm_engine_next_deadline(r->eng);
    long a0 = h->calls, s0 = h->appends;
    if (!m || m->recording || m->met) {
        h->armed = 1;
        int rc = cmd->fn(r, t, n);
        h->armed = 0;
        if (m && m->recording && note_action(m, h->calls - a0, h->appends - s0))
            return run_fail(r, "out of memory");
        if (m)
            m->act++;
        return rc;
    }
    /* Does the fault fall in this action? The run is the clean one up to it. */
    size_t i = m->act++;
    int here = i < m->nacts && ((m->fail_alloc > a0 && m->fail_alloc <= a0 + m->allocs[i]) ||
                                (m->fail_append > s0 && m->fail_append <= s0 + m->appends[i]));
    char *before = here ? runner_state(r, 1) : NULL;
    if (here && !before)
        return run_fail(r, "out of memory, or a getter refused");
    size_t stored = h->nev;
    h->failed_alloc = h->failed_store = 0;
    h->armed = 1;
    int rc = cmd->fn(r, t, n);
    h->armed = 0;
    int hit = h->failed_alloc || h->failed_store;
    if (hit && !here) {
        free(before);
        return run_fail(r, "the run left the clean run's path before the injected fault");
    }
    if (!hit || rc) {
        free(before);
        return rc;
    }
    m->met = 1;
    if (r->act_rc == ITSM_OK) {   /* a success must have delivered all: the end state tells */
        free(before);
        return 0;
    }
    int want = h->failed_alloc ? ITSM_ENOMEM : ITSM_ESTORE;
    if (r->act_rc != want) {
        free(before);
        return run_fail(r, "%s failed with %s (%s), not %s", cmd->name, itsm_errname(r->act_rc), r->act_msg,
                        itsm_errname(want));
    }
    size_t fired = r->fired;
    if (is_tick(cmd)) {
        /* Timers fired before the failure stay fired (and stored). */
        if (replay_equal(r)) {
            free(before);
            return -1;
        }
    } else {
        char *after = runner_state(r, 1);
        if (!after) {
            free(before);
            return run_fail(r, "out of memory, or a getter refused");
        }
        int same = !strcmp(before, after);
        if (!same)
            run_state_difference(r, "the failed call changed something", before, after);
        free(after);
        if (!same) {
            free(before);
            return -1;
        }
        if (h->nev != stored) {
            free(before);
            return run_fail(r, "the failed call stored %zu events", h->nev - stored);
        }
    }
    free(before);
    /* The retry, with nothing failing. */
    r->act_rc = ITSM_OK;
    r->act_msg[0] = '\0';
    h->armed = 1;
    rc = cmd->fn(r, t, n);
    h->armed = 0;
    if (is_tick(cmd))
        r->fired += fired;
    return rc;
}

int run_action(runner *r, const cmd_row *cmd, tok *t, size_t n)
{
    if (!r->host)
        return cmd->fn(r, t, n);
    if (r->matrix && !strcmp(cmd->name, "packet set") && n > 2) {
        /* One slot (one library call) at a time. */
        for (size_t i = 1; i < n; i++) {
            tok one[2] = { t[0], t[i] };
            int rc = one_action(r, cmd, one, 2);
            if (rc || r->act_rc)
                return rc;
        }
        return 0;
    }
    return one_action(r, cmd, t, n);
}

int run_matrix_end(runner *r)
{
    run_matrix *m = r->matrix;
    /* the clean run's store also in the binary form */
    if (replay_equal(r) || (m->recording && replay_equal_as(r, 1)))
        return -1;
    char *end = runner_state(r, 1);
    if (!end)
        return run_fail(r, "out of memory, or a getter refused");
    if (m->recording) {
        m->final_state = end;
        return 0;
    }
    int rc = 0;
    if (strcmp(end, m->final_state) != 0) {
        run_state_difference(r, "the run did not end where the clean run ended", m->final_state, end);
        rc = -1;
    }
    free(end);
    return rc;
}

/* One run of the script; `label` names it in messages. */
static int one_run(const char *file, const char *label, run_matrix *m)
{
    run_host h;
    memset(&h, 0, sizeof h);
    h.fail_call = m->fail_alloc;
    h.fail_append = m->fail_append;
    m->act = 0;
    m->met = 0;
    int rc = run_script(file, label, &h, m, 1);
    if (!rc && h.live != 0) {
        fprintf(stderr, "%s: %ld blocks not freed\n", label, h.live);
        rc = 1;
    }
    if (!rc && !m->recording && !m->met) {
        fprintf(stderr, "%s: the injected fault was never met\n", label);
        rc = 1;
    }
    run_host_free(&h);
    return rc;
}

long run_faults_offset_of_today(long stride)
{
    time_t now = time(NULL);
    return stride > 1 && now > 0 ? (long)(now / 86400 % stride) : 0;
}

int run_faults(const char *file, long stride, long offset)
{
    run_matrix m;
    memset(&m, 0, sizeof m);
    m.recording = 1;
    int rc = one_run(file, file, &m);
    m.recording = 0;
    long allocs = 0, appends = 0;
    for (size_t i = 0; i < m.nacts; i++) {
        allocs += m.allocs[i];
        appends += m.appends[i];
    }
    /* A sample names its stride and offset, so a failure reruns as it was:
     * itsm-scenario --faults --stride N --offset K story.itsm */
    char label[1200], sample[64] = "";
    if (stride > 1)
        snprintf(sample, sizeof sample, "sample --stride %ld --offset %ld", stride, offset);
    const char *sep = stride > 1 ? "; " : "";
    long runs = 0, nalloc = 0, nappend = 0;
    for (long k = 1 + offset; !rc && k <= allocs; k += stride, runs++, nalloc++) {
        snprintf(label, sizeof label, "%s (allocation %ld of %ld failing%s%s)", file, k, allocs, sep, sample);
        m.fail_alloc = k;
        rc = one_run(file, label, &m);
    }
    m.fail_alloc = 0;
    for (long k = 1 + offset; !rc && k <= appends; k += stride, runs++, nappend++) {
        snprintf(label, sizeof label, "%s (store append %ld of %ld failing%s%s)", file, k, appends, sep,
                 sample);
        m.fail_append = k;
        rc = one_run(file, label, &m);
    }
    if (!rc)
        printf("%s: fault matrix ok: %ld runs, %zu actions, %ld allocations and %ld store appends failed%s%s%s\n",
               file, runs, m.nacts, nalloc, nappend, stride > 1 ? " (" : "", sample, stride > 1 ? ")" : "");
    free(m.allocs);
    free(m.appends);
    free(m.final_state);
    return rc;
}
