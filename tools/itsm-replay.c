/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-replay: replay a real incident event log through the library and
 * report how the library's view compares with the log's own.
 *
 *   itsm-replay [--log uci|bpi] [--input FILE] [--policy FILE]
 *               [--memory | --sqlite FILE [--sync full|normal]]
 *               [--limit N] [--report text|json] [--list-rows N] [--quiet]
 *
 *   --log      uci (default): the UCI ServiceNow incident event log,
 *              bpi: the BPI Challenge 2013 incidents (tools/uci.h, bpi.h)
 *   --input    the CSV, plain or gzip (default: the copy under data/)
 *   --policy   the lifecycle document (default: tools/servicenow_policy.json
 *              or tools/bpi_policy.json)
 *   --memory   no store: the library alone (the default)
 *   --sqlite   persist every event through the SQLite store
 *              (libitsm-sqlite, <itsm/stores/sqlite.h>) into FILE, which must be new or
 *              empty; afterwards a second engine is loaded from FILE and
 *              compared record by record with the first
 *   --sync     the SQLite store's durability (default full)
 *   --limit    only the first N incidents
 *   --report   text (default) or json, on stdout
 *   --list-rows  text report: line numbers listed per refusal reason
 *              (default 20; 0 = all)
 *   --quiet    no progress line on stderr
 *
 * Exit status: 0 when the replay ran (refused rows are part of the report,
 * not an error), 1 on a setup or store failure, 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include "replay.h"
#include "uci.h"
#include "bpi.h"
#include <itsm/stores/sqlite.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef ITSM_REPLAY_SOURCE_DIR
#define ITSM_REPLAY_SOURCE_DIR "."
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 14, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap && !(buf = realloc(buf, cap *= 2)))
            break;
    }
    fclose(f);
    if (buf)
        *len = n;
    return buf;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: itsm-replay [--log uci|bpi] [--input FILE] [--policy FILE]\n"
            "                   [--memory | --sqlite FILE [--sync full|normal]]\n"
            "                   [--limit N] [--report text|json] [--list-rows N] [--quiet]\n");
    return 2;
}

typedef struct progress { double start, last; int quiet; const char *what; } progress;

static void tick(progress *p, size_t done, size_t total, int force)
{
    if (p->quiet)
        return;
    double t = now_s();
    int tty = isatty(2);
    if (!force && t - p->last < (tty ? 0.5 : 5.0))
        return;
    p->last = t;
    if (total)
        fprintf(stderr, "%sitsm-replay: %s %zu/%zu rows (%.0f%%), %.1f s", tty ? "\r" : "", p->what, done,
                total, 100.0 * (double)done / (double)total, t - p->start);
    else
        fprintf(stderr, "%sitsm-replay: %s %zu rows, %.1f s", tty ? "\r" : "", p->what, done, t - p->start);
    if (force || !tty)
        fputc('\n', stderr);
    fflush(stderr);
}

/* After a SQLite run: a fresh engine loaded from the file must hold the
 * same records, states, revisions and counters as the one that wrote it. */
static int verify_reload(const itsm_policy *pol, itsm_sqlite *st, itsm_engine *eng, char *msg, size_t cap)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = itsm_sqlite_store();
    o.store_user = st;
    itsm_engine *e2;
    int rc = itsm_engine_new(&e2, &o);
    if (rc == ITSM_OK && (rc = itsm_engine_load(e2)) != ITSM_OK)
        snprintf(msg, cap, "load: %s (%s)", itsm_errname(rc), itsm_errmsg(e2));
    if (rc == ITSM_OK && itsm_engine_record_count(e2) != itsm_engine_record_count(eng)) {
        snprintf(msg, cap, "%zu records reloaded, %zu written", itsm_engine_record_count(e2),
                 itsm_engine_record_count(eng));
        rc = ITSM_ECONFLICT;
    }
    for (size_t i = 0; rc == ITSM_OK && i < itsm_engine_record_count(eng); i++) {
        itsm_record *a, *b;
        itsm_engine_record_at(&a, eng, i);
        itsm_engine_record_at(&b, e2, i);
        int same = !strcmp(itsm_record_id(a), itsm_record_id(b)) &&
                   !strcmp(itsm_record_state(a), itsm_record_state(b)) &&
                   itsm_record_revision(a) == itsm_record_revision(b);
        for (int f = 0; same && f < ITSM_F__COUNT; f++) {
            const char *x = itsm_record_str(a, (itsm_field)f), *y = itsm_record_str(b, (itsm_field)f);
            same = (x == NULL) == (y == NULL) && (!x || !strcmp(x, y)) &&
                   itsm_record_int(a, (itsm_field)f) == itsm_record_int(b, (itsm_field)f);
        }
        if (!same) {
            snprintf(msg, cap, "record %s differs after reload", itsm_record_id(a));
            rc = ITSM_ECONFLICT;
        }
    }
    itsm_engine_free(e2);
    return rc;
}

int main(int argc, char **argv)
{
    const char *log = "uci", *input = NULL, *policy_path = NULL, *sqlite_path = NULL, *report = "text";
    int quiet = 0, sync = ITSM_SQLITE_SYNC_FULL;
    long limit = 0, list_rows = 20;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--memory"))
            sqlite_path = NULL;
        else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else if (more && !strcmp(a, "--log"))
            log = argv[++i];
        else if (more && !strcmp(a, "--input"))
            input = argv[++i];
        else if (more && !strcmp(a, "--policy"))
            policy_path = argv[++i];
        else if (more && !strcmp(a, "--sqlite"))
            sqlite_path = argv[++i];
        else if (more && !strcmp(a, "--limit"))
            limit = atol(argv[++i]);
        else if (more && !strcmp(a, "--list-rows"))
            list_rows = atol(argv[++i]);
        else if (more && !strcmp(a, "--report"))
            report = argv[++i];
        else if (more && !strcmp(a, "--sync")) {
            const char *s = argv[++i];
            if (!strcmp(s, "full"))
                sync = ITSM_SQLITE_SYNC_FULL;
            else if (!strcmp(s, "normal"))
                sync = ITSM_SQLITE_SYNC_NORMAL;
            else
                return usage();
        } else
            return usage();
    }
    int uci = !strcmp(log, "uci");
    if ((!uci && strcmp(log, "bpi")) || (strcmp(report, "text") && strcmp(report, "json")) || limit < 0 ||
        list_rows < 0)
        return usage();
    char defin[1024], defpol[1024];
    snprintf(defin, sizeof defin, "%s/data/%s", ITSM_REPLAY_SOURCE_DIR,
             uci ? "uci-incident-event-log/incident_event_log.csv.gz" : "bpic2013/incidents.csv.gz");
    snprintf(defpol, sizeof defpol, "%s/tools/%s", ITSM_REPLAY_SOURCE_DIR,
             uci ? "servicenow_policy.json" : "bpi_policy.json");
    if (!input)
        input = defin;
    if (!policy_path)
        policy_path = defpol;

    /* the policy */
    size_t plen;
    char *ptext = read_file(policy_path, &plen);
    if (!ptext) {
        fprintf(stderr, "itsm-replay: %s: %s\n", policy_path, strerror(errno));
        return 1;
    }
    itsm_policy *pol;
    itsm_parse_error perr;
    int rc = itsm_policy_from_json(&pol, ptext, plen, NULL, NULL, &perr);
    free(ptext);
    if (rc != ITSM_OK) {
        fprintf(stderr, "itsm-replay: %s:%zu:%zu: %s (%s)\n", policy_path, perr.line, perr.column, perr.text,
                itsm_errname(rc));
        return 1;
    }

    /* parse every row first: the replay then times the library (and the store) only */
    progress pg = { now_s(), 0, quiet, "parsing" };
    rp_lines *in = rp_lines_open(input);
    if (!in) {
        fprintf(stderr, "itsm-replay: %s: %s\n", input, strerror(errno ? errno : ENOENT));
        return 1;
    }
    rp_pool *pool = rp_pool_new();
    size_t len, nrows = 0, crow = 0, nincidents = 0;
    char *line = rp_lines_next(in, &len);
    char err[512];
    void *cols = line ? (uci ? (void *)uci_parse_header(line, err, sizeof err)
                             : (void *)bpi_parse_header(line, err, sizeof err))
                      : NULL;
    if (!cols) {
        fprintf(stderr, "itsm-replay: %s: %s\n", input, line ? err : "empty file");
        return 1;
    }
    uci_row *urows = NULL;
    bpi_row *brows = NULL;
    long lineno = 1;
    const char *lastid = NULL;
    while ((line = rp_lines_next(in, &len))) {
        lineno++;
        if (len == 0)
            continue;
        if (nrows == crow) {
            crow = crow ? 2 * crow : 1 << 14;
            urows = uci ? realloc(urows, crow * sizeof *urows) : NULL;
            brows = uci ? NULL : realloc(brows, crow * sizeof *brows);
            if (uci ? !urows : !brows) {
                fprintf(stderr, "itsm-replay: out of memory\n");
                return 1;
            }
        }
        const char *id;
        if (uci) {
            uci_parse_row(cols, pool, line, lineno, &urows[nrows]);
            id = urows[nrows].number;
        } else {
            bpi_parse_row(cols, pool, line, lineno, &brows[nrows]);
            id = brows[nrows].number;
        }
        if (id != lastid) {
            if (limit && (long)nincidents == limit)
                break;
            nincidents++;
            lastid = id;
        }
        nrows++;
        if ((nrows & 4095) == 0)
            tick(&pg, nrows, 0, 0);
    }
    rp_lines_close(in);
    free(cols);

    /* the engine, over SQLite or memory */
    replay rp;
    rp_init(&rp, pool);
    itsm_sqlite *store = NULL;
    uint64_t nstored = 0;
    if (sqlite_path) {
        itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
        so.sync = sync;
        if (itsm_sqlite_open(&store, sqlite_path, &so, err, sizeof err) != ITSM_OK) {
            fprintf(stderr, "itsm-replay: %s\n", err);
            return 1;
        }
        if (itsm_sqlite_count(store, &nstored) != ITSM_OK || nstored != 0) {
            fprintf(stderr, "itsm-replay: %s already holds events; give a new file\n", sqlite_path);
            return 1;
        }
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = store ? itsm_sqlite_store() : NULL;
    o.store_user = store;
    o.clock = rp_clock;
    o.clock_user = &rp.now;
    o.sink = rp_sink;
    o.sink_user = &rp;
    if ((rc = itsm_engine_new(&rp.eng, &o)) != ITSM_OK) {
        fprintf(stderr, "itsm-replay: engine: %s\n", itsm_errname(rc));
        return 1;
    }
    if (uci)
        uci_begin(&rp);
    else
        bpi_begin(&rp);
    pg.what = store ? "replaying into SQLite" : "replaying";
    pg.start = now_s();
    pg.last = 0;
    double t0 = now_s();
    for (size_t i = 0; i < nrows; i++) {
        if (uci)
            uci_apply(&rp, &urows[i]);
        else
            bpi_apply(&rp, &brows[i]);
        if ((i & 1023) == 0)
            tick(&pg, i, nrows, 0);
    }
    if (uci)
        rp_finish(&rp); /* the last incident's SLA verdict */
    else
        bpi_finish(&rp);
    double secs = now_s() - t0;
    tick(&pg, nrows, nrows, 1);

    /* a store failure is not a refusal by the policy: stop loudly */
    int status = 0;
    for (size_t i = 0; i < rp.nref; i++)
        if (!strncmp(rp.ref[i].reason, "ITSM_ESTORE", 11) || !strncmp(rp.ref[i].reason, "ITSM_ECONFLICT", 14)) {
            fprintf(stderr, "itsm-replay: the store failed at line %ld: %s %s\n", rp.ref[i].line,
                    rp.ref[i].message, store ? itsm_sqlite_errmsg(store) : "");
            status = 1;
            break;
        }
    char storedesc[1100];
    if (store) {
        char msg[256] = "";
        if ((rc = verify_reload(pol, store, rp.eng, msg, sizeof msg)) != ITSM_OK) {
            fprintf(stderr, "itsm-replay: reload from %s failed: %s\n", sqlite_path, msg);
            status = 1;
        }
        itsm_sqlite_count(store, &nstored);
        snprintf(storedesc, sizeof storedesc, "sqlite %s (synchronous=%s), %llu events; reloaded: %s",
                 sqlite_path, sync == ITSM_SQLITE_SYNC_FULL ? "FULL" : "NORMAL", (unsigned long long)nstored,
                 rc == ITSM_OK ? "identical records" : "DIFFERENT");
    } else {
        snprintf(storedesc, sizeof storedesc, "memory (no store: the library alone)");
    }
    rp_report_opts ro = { uci ? RP_LOG_UCI : RP_LOG_BPI, input, policy_path, storedesc,
                          !strcmp(report, "json"), (size_t)list_rows, secs };
    rp_report(&rp, &ro, stdout);

    itsm_engine_free(rp.eng);
    itsm_sqlite_close(store);
    itsm_policy_free(pol);
    rp_free(&rp);
    rp_pool_free(pool);
    free(urows);
    free(brows);
    return status;
}
