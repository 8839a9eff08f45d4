/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: policy versions (docs/policy.md, "Versions") - adopting a
 * new version mid-story, the version a record is under, and reloading the
 * store into a fresh engine that must show exactly what the live one shows.
 *
 * Version ids are content hashes, so scripts name versions instead: the
 * version the engine ran under before the first adoption is `initial`,
 * an adopted one is named by `as=NAME` or by its file name without ".json".
 */
#include "runner.h"
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static const char *version_name(const runner *r, const char *id)
{
    for (size_t i = 0; id && i < r->nversions; i++)
        if (!strcmp(r->versions[i].id, id))
            return r->versions[i].name;
    return NULL;
}

static const char *version_id(const runner *r, const char *name)
{
    for (size_t i = 0; i < r->nversions; i++)
        if (!strcmp(r->versions[i].name, name))
            return r->versions[i].id;
    return NULL;
}

/* Name a version id (a second name for a known id is ignored). */
static int add_version(runner *r, const char *name, const char *id)
{
    if (version_name(r, id))
        return 0;
    if (version_id(r, name))
        return run_fail(r, "a version named '%s' exists already", name);
    struct run_version *v = realloc(r->versions, (r->nversions + 1) * sizeof *v);
    if (!v)
        return run_fail(r, "out of memory");
    r->versions = v;
    v[r->nversions].name = dup_str(name);
    v[r->nversions].id = dup_str(id);
    if (!v[r->nversions].name || !v[r->nversions].id) {
        free(v[r->nversions].name);
        free(v[r->nversions].id);
        return run_fail(r, "out of memory");
    }
    r->nversions++;
    return 0;
}

/* The engine's version before any adoption is `initial`. */
static int name_initial(runner *r)
{
    return r->nversions ? 0 : add_version(r, "initial", itsm_engine_policy_version(r->eng));
}

void run_versions_free(runner *r)
{
    for (size_t i = 0; i < r->nversions; i++) {
        free(r->versions[i].name);
        free(r->versions[i].id);
    }
    free(r->versions);
    r->versions = NULL;
    r->nversions = 0;
}

/* policy adopt FILE [as=NAME] */
static int cmd_policy_adopt(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 2, "policy adopt FILE.json [as=NAME]") || run_bare(r, &t[0], "file"))
        return -1;
    char name[256];
    if (n == 2) {
        if (!t[1].key || strcmp(t[1].key, "as"))
            return run_fail(r, "policy adopt: expected as=NAME, got '%s'", t[1].key ? t[1].key : t[1].text);
        snprintf(name, sizeof name, "%s", t[1].text);
    } else {
        const char *base = strrchr(t[0].text, '/');
        base = base ? base + 1 : t[0].text;
        size_t len = strlen(base);
        if (len > 5 && !strcmp(base + len - 5, ".json"))
            len -= 5;
        snprintf(name, sizeof name, "%.*s", (int)len, base);
    }
    if (name_initial(r))
        return -1;
    itsm_policy *p = NULL;
    if (run_read_policy(r, t[0].text, &p))
        return -1;
    int rc = itsm_engine_adopt_policy(r->eng, p);
    itsm_policy_free(p);
    if (rc == ITSM_OK && add_version(r, name, itsm_engine_policy_version(r->eng)))
        return -1;
    return run_act(r, rc);
}

/* expect version ID|engine NAME: the version a record is under (engine:
 * the engine's current one). */
static int cmd_expect_version(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect version ID|engine NAME") || name_initial(r))
        return -1;
    const char *id;
    if (!strcmp(t[0].text, "engine")) {
        id = itsm_engine_policy_version(r->eng);
    } else {
        itsm_record *rec = run_need_rec(r, t[0].text);
        if (!rec)
            return -1;
        id = itsm_record_policy_version(rec);
    }
    const char *have = version_name(r, id);
    if (!version_id(r, t[1].text))
        return run_fail(r, "no version named '%s'", t[1].text);
    if (!have || strcmp(have, t[1].text))
        return run_fail(r, "%s is under version %s, expected %s", t[0].text, have ? have : id ? id : "none",
                        t[1].text);
    return 0;
}

/* store reload: a fresh engine under the current version loads the store
 * (itsm_engine_load); everything it shows as of the clock must equal the
 * live engine, which it then replaces. */
static int cmd_store_reload(runner *r, tok *t, size_t n)
{
    (void)t;
    if (run_need(r, n, 0, 0, "store reload"))
        return -1;
    if (r->npackets)
        return run_fail(r, "store reload: the script holds handover packets of the engine it would replace");
    itsm_policy *p = NULL;
    if (itsm_policy_clone(&p, itsm_engine_policy(r->eng)))
        return run_fail(r, "store reload: cannot copy the current policy");
    itsm_engine *e = NULL;
    int rc = run_engine_make(r, p, &e);
    itsm_policy_free(p);
    if (rc)
        return -1;
    rc = itsm_engine_load(e);
    if (rc) {
        run_fail(r, "store reload: itsm_engine_load: %s: %s", itsm_errname(rc), itsm_errmsg(e));
        itsm_engine_free(e);
        return -1;
    }
    char *live = state_text(r->eng, r->now), *loaded = state_text(e, r->now);
    rc = 0;
    if (!live || !loaded) {
        rc = run_fail(r, "store reload: out of memory, or a getter refused");
    } else if (strcmp(live, loaded)) {
        run_state_difference(r, "the reloaded store differs from the engine", live, loaded);
        rc = -1;
    }
    free(live);
    free(loaded);
    if (rc) {
        itsm_engine_free(e);
        return -1;
    }
    itsm_engine_free(r->eng);
    r->eng = e;
    r->alert_rec = NULL;
    run_events_clear(r);
    return 0;
}

const cmd_row run_commands_versions[] = {
    /* name               handler              action expect */
    { "policy adopt",     cmd_policy_adopt,    1, 0 },
    { "expect version",   cmd_expect_version,  0, 1 },
    { "store reload",     cmd_store_reload,    0, 1 },
    { NULL, NULL, 0, 0 }
};
