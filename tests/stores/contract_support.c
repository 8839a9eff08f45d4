/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract_support.c - the helpers every file of the store contract uses
 * (contract_int.h): nodes over the driver's store, what a sink heard, what
 * a scan gave.
 */
#include "contract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const contract_driver *drv;

void *open_handle(const char *where)
{
    void *h = NULL;
    int rc = drv->open(&h, where);
    if (rc != ITSM_OK)
        fail_msg("%s: opening '%s': %s", drv->name, where, itsm_errname(rc));
    return h;
}

void node_open(node *n, const char *where, itsm_event_sink_fn sink, void *sink_user)
{
    n->h = open_handle(where);
    n->clock.now = T0;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = drv->methods();
    o.store_user = n->h;
    o.clock = vclock_read;
    o.clock_user = &n->clock;
    o.sink = sink;
    o.sink_user = sink_user;
    assert_ok(itsm_engine_new(&n->eng, &o));
    int rc = itsm_engine_load(n->eng);
    if (rc != ITSM_OK)
        fail_msg("%s: loading '%s': %s (%s; %s)", drv->name, where, itsm_errname(rc), itsm_errmsg(n->eng),
                 drv->errmsg(n->h));
}

void node_close(node *n)
{
    itsm_engine_free(n->eng);
    drv->close(n->h);
    n->eng = NULL;
    n->h = NULL;
}

size_t catch_up(node *n)
{
    size_t got = 0;
    int rc = drv->catch_up(n->h, n->eng, &got);
    if (rc != ITSM_OK)
        fail_msg("%s: catch-up: %s (%s; %s)", drv->name, itsm_errname(rc), itsm_errmsg(n->eng), drv->errmsg(n->h));
    return got;
}

uint64_t stored(node *n)
{
    uint64_t k = 0;
    assert_ok(drv->count(n->h, &k));
    return k;
}

char *dump_of_store(const char *where)
{
    node n;
    node_open(&n, where, NULL, NULL);
    char *d = engine_dump(n.eng);
    node_close(&n);
    return d;
}

itsm_record *open_incident(node *n, const char *id)
{
    itsm_change f[] = { { ITSM_F_SUMMARY, "Printer on fire", 0 }, { ITSM_F_IMPACT, NULL, 3 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = f;
    o.nfields = 2;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, n->eng, &o));
    return r;
}

itsm_record *find(node *n, const char *id)
{
    itsm_record *r = NULL;
    assert_ok(itsm_record_find(&r, n->eng, id));
    return r;
}

int work_note(itsm_record *r, const char *text)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = text;
    return itsm_record_add_note(r, &o);
}

void assert_same(const char *a, const char *b, const char *what)
{
    if (strcmp(a, b) != 0)
        fail_msg("%s: %s differ:\n--- first\n%s\n--- second\n%s", drv->name, what, a, b);
}

uint64_t count_of(void *h)
{
    uint64_t k = 0;
    assert_ok(drv->count(h, &k));
    return k;
}

void record_sink(void *user, const itsm_event *const *evs, size_t n)
{
    recording *r = user;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        itsm_event_to_json(evs[i], NULL, 0, &len);
        r->json = realloc(r->json, (r->n + 1) * sizeof *r->json);
        r->json[r->n] = malloc(len + 1);
        itsm_event_to_json(evs[i], r->json[r->n], len + 1, &len);
        r->n++;
    }
}

char *as_json(const char *doc, size_t len)
{
    size_t n = len;
    char *out = NULL;
    if (len > 0 && (unsigned char)doc[0] == 0xE5) {
        if (itsm_event_binary_to_json(doc, len, NULL, 0, &n, NULL) != ITSM_ELIMIT)
            return NULL;
        out = malloc(n + 1);
        if (out && itsm_event_binary_to_json(doc, len, out, n + 1, &n, NULL) != ITSM_OK) {
            free(out);
            return NULL;
        }
        return out;
    }
    out = malloc(len + 1);
    if (out) {
        memcpy(out, doc, len);
        out[len] = '\0';
    }
    return out;
}

int scan_emit(void *ctx, const char *doc, size_t len)
{
    scanned *s = ctx;
    char *json = as_json(doc, len);
    if (json && event_is_policy(json)) {
        if (!s->npolicy++)
            s->policy_at = s->n;
        free(json);
        return ITSM_OK;
    }
    if (!json || s->n >= s->want->n || strcmp(s->want->json[s->n], json)) {
        if (!s->mismatch)
            print_error("scan event %zu: %s\n", s->n, json ? json : "(not an event)");
        s->mismatch = 1;
    }
    free(json);
    s->n++;
    return ITSM_OK;
}
