/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-replay: replay a real event log through the library and report how
 * the library's view compares with the log's own.
 *
 *   itsm-replay [--log uci|bpi|bpi-problems|helpdesk] [--input FILE]... [--policy FILE]
 *               [--memory | --none | --sqlite FILE [--sync full|normal] [--group N]
 *               [--form json|binary]]
 *               [--limit N] [--report text|json] [--list-rows N] [--quiet]
 *               [--conformance POLICY] [--conformance-csv FILE] [--svg FILE]
 *               [--map COLUMN=FIELD]... [--whatif CANDIDATE.json [--whatif-json FILE]]
 *
 *   --log      uci (default): the UCI ServiceNow incident event log,
 *              bpi: the BPI Challenge 2013 incidents (tools/uci.h, bpi.h),
 *              bpi-problems: its closed and open problems, linked to the
 *              incidents (tools/bpi_problems.h), helpdesk: the help desk
 *              log of an Italian software company (tools/helpdesk.h)
 *   --input    the CSV, plain or gzip (default: the copy under data/);
 *              repeat it for a log of several files
 *   --policy   the lifecycle document (default: tools/servicenow_policy.json
 *              or tools/bpi_policy.json)
 *   --memory   keep every event's JSON in memory (the default): the store
 *              the library's history-based figures read
 *   --none     no store: the library alone
 *   --sqlite   persist every event through the SQLite store (libitsm-sqlite,
 *              <itsm/stores/sqlite.h>) into FILE, which must be new or
 *              empty
 *              With a store, a second engine is loaded from it afterwards and
 *              compared record by record with the first.
 *   --sync     the SQLite store's durability (default full)
 *   --form     with --sqlite: keep each event as its JSON text (json, the
 *              default: readable with any SQL tool) or in the binary form
 *              (binary, itsm_event_to_binary: smaller, faster to write and
 *              to load; the reload and the report read it without a JSON
 *              parse). The events and the report are the same either way.
 *   --group    with --sqlite: commit the events in groups of at least N
 *              (default 1000; itsm_engine_begin / _commit: each step still
 *              reaches the store before it applies, and a group is one
 *              durable transaction); 0: every step its own transaction
 *   --limit    only the first N cases
 *   --report   text (default) or json, on stdout
 *   --list-rows  text report: line numbers listed per refusal reason or
 *              quirk (default 20; 0 = all)
 *   --quiet    no progress line on stderr
 *   --conformance  check every row's move (accepted or refused) against
 *              this policy document (default: the replay's own policy);
 *              the report gives the library's conformance report
 *              (itsm/conformance.h)
 *   --conformance-csv  write that report as CSV to FILE
 *   --svg      write the process map (states, moves with counts, moves not
 *              allowed or refused in red) as SVG to FILE (tools/procmap.h)
 *   --map      carry the log's COLUMN into FIELD, a custom field the
 *              policy declares ("fields"), on each row's record after the
 *              row's own step (up to 8; tools/logs.h says how values are
 *              read; a value the policy refuses is a quirk with its line)
 *   --whatif   after the replay, judge the store's events again under
 *              the CANDIDATE policy document (itsm/whatif.h) and print
 *              the difference from the run: verdicts that flip, breaches
 *              per SLA and per group, times to resolve (needs a store
 *              that gives its events back: --memory or --sqlite)
 *   --whatif-json  write that what-if as JSON (every flip) to FILE
 *   --incidents  bpi-problems: the BPI incidents replayed first, into the
 *              same engine, to link the problems to (default: the copy
 *              under data/; "none": no incidents, no links)
 *
 * Exit status: 0 when the replay ran (refused rows are part of the report,
 * not an error), 1 on a setup or store failure or an input that could not
 * be read whole (a truncated or damaged gzip file: the rows before the
 * damage are replayed and reported), 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include "replay.h"
#include "logs.h"
#include "store.h"
#include "procmap.h"
#include "bpi_problems.h"
#include "whatif.h"

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
        if (n == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);   /* out of memory: the caller sees NULL, nothing leaks */
            buf = grown;
        }
    }
    fclose(f);
    if (buf)
        *len = n;
    return buf;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: itsm-replay [--log %s] [--input FILE]... [--policy FILE]\n"
            "                   [--memory | --none | --sqlite FILE [--sync full|normal] [--group N]\n"
            "                                                  [--form json|binary]]\n"
            "                   [--limit N] [--report text|json] [--list-rows N] [--quiet]\n"
            "                   [--conformance POLICY] [--conformance-csv FILE] [--svg FILE]\n"
            "                   [--incidents FILE|none] [--map COLUMN=FIELD]...\n"
            "                   [--whatif CANDIDATE.json [--whatif-json FILE]]\n",
            rp_mapper_names());
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

static void on_progress(void *user, size_t done, size_t total) { tick(user, done, total, 0); }

/* After a run with a store: a fresh engine loaded from it must hold the
 * same records, states, revisions and fields as the one that wrote it. */
static int verify_reload(const itsm_policy *pol, rp_store *st, itsm_engine *eng, char *msg, size_t cap)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = rp_store_methods(st);
    o.store_user = rp_store_user(st);
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
                   itsm_record_revision(a) == itsm_record_revision(b) &&
                   itsm_record_link_count(a) == itsm_record_link_count(b);
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

/* Every row's move goes to the conformance report (rp_move). */
typedef struct observer { itsm_conformance *c; itsm_kind kind; int failed; } observer;

static void observe(void *user, const rp_incident *in, const char *from, const char *to, const char *event,
                    int refused)
{
    observer *ob = user;
    if (from && !strcmp(from, to))
        return;   /* the row kept the state: no move */
    itsm_observed_move m = ITSM_OBSERVED_MOVE_INIT;
    m.kind = ob->kind;
    m.record = in->id;
    m.from = from;
    m.to = to;
    m.event = event;
    m.refused = refused;
    m.fields = in->rec;
    if (itsm_conformance_observe(ob->c, &m) != ITSM_OK && !ob->failed++)
        fprintf(stderr, "itsm-replay: conformance: %s\n", itsm_conformance_errmsg(ob->c));
}

static int write_text(const char *path, const char *what, int (*write)(FILE *, const void *), const void *arg)
{
    FILE *f = fopen(path, "w");
    int bad = !f || write(f, arg);
    if (f && fclose(f))
        bad = 1;
    if (bad)
        fprintf(stderr, "itsm-replay: cannot write the %s to %s: %s\n", what, path, strerror(errno));
    return bad;
}

static int write_csv(FILE *f, const void *arg)
{
    size_t len;
    itsm_conformance_to_csv(arg, NULL, 0, &len);
    char *buf = malloc(len + 1);
    int bad = !buf || itsm_conformance_to_csv(arg, buf, len + 1, &len) != ITSM_OK || fwrite(buf, 1, len, f) != len;
    free(buf);
    return bad;
}

typedef struct svgarg { const itsm_conformance *c; itsm_kind kind; const char *title; } svgarg;
static int write_svg(FILE *f, const void *arg)
{
    const svgarg *a = arg;
    return rp_procmap_svg(a->c, a->kind, a->title, f);
}

static int write_whatif_json(FILE *f, const void *arg)
{
    size_t len;
    itsm_whatif_to_json(arg, SIZE_MAX, NULL, 0, &len);
    char *buf = malloc(len + 1);
    int bad = !buf || itsm_whatif_to_json(arg, SIZE_MAX, buf, len + 1, &len) != ITSM_OK ||
              fwrite(buf, 1, len, f) != len || fputc('\n', f) == EOF;
    free(buf);
    return bad;
}

static itsm_policy *load_policy(const char *path);

/* --whatif: the store's events judged again under the candidate. */
static int whatif(replay *rp, rp_store *store, const char *path, const char *json_path, int text, size_t nflips)
{
    if (!rp_store_scans(store)) {
        fprintf(stderr, "itsm-replay: --whatif needs a store that gives its events back (--memory or --sqlite)\n");
        return 1;
    }
    itsm_policy *cand = load_policy(path);
    if (!cand)
        return 1;
    itsm_whatif *w;
    int rc = itsm_whatif_new(&w, rp->eng, cand, NULL);
    itsm_policy_free(cand);
    if (rc != ITSM_OK) {
        fprintf(stderr, "itsm-replay: what-if under %s: %s (%s)\n", path, itsm_errname(rc), itsm_errmsg(rp->eng));
        return 1;
    }
    if (text)
        rp_whatif_text(w, path, 10, nflips, stdout);
    int bad = json_path && write_text(json_path, "what-if JSON", write_whatif_json, w);
    itsm_whatif_free(w);
    return bad;
}

/* The engine's clock: the `now` of whichever replay is applying rows (the
 * incidents first, for bpi-problems, then the problems). */
static itsm_time clock_of(void *user) { return **(itsm_time **)user; }

static itsm_policy *load_policy(const char *path)
{
    size_t plen;
    char *ptext = read_file(path, &plen);
    if (!ptext) {
        fprintf(stderr, "itsm-replay: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    itsm_policy *pol;
    itsm_parse_error perr;
    int rc = itsm_policy_from_json(&pol, ptext, plen, NULL, NULL, &perr);
    free(ptext);
    if (rc != ITSM_OK) {
        fprintf(stderr, "itsm-replay: %s:%zu:%zu: %s (%s)\n", path, perr.line, perr.column, perr.text,
                itsm_errname(rc));
        return NULL;
    }
    return pol;
}

int main(int argc, char **argv)
{
    const char *log = "uci", *policy_path = NULL, *sqlite_path = NULL, *report = "text";
    const char *conf_path = NULL, *conf_csv = NULL, *svg_path = NULL, *incidents_path = NULL;
    const char *whatif_path = NULL, *whatif_json = NULL;
    const char *inputs[4];
    int ninputs = 0, quiet = 0, sync = RP_SYNC_FULL, form = RP_FORM_JSON, store_kind = RP_STORE_MEMORY;
    long limit = 0, list_rows = 20, group = 1000;
    rp_colmap maps[RP_MAX_MAPS];
    int nmaps = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--memory"))
            store_kind = RP_STORE_MEMORY;
        else if (!strcmp(a, "--none"))
            store_kind = RP_STORE_NONE;
        else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else if (more && !strcmp(a, "--log"))
            log = argv[++i];
        else if (more && !strcmp(a, "--input")) {
            if (ninputs == 4)
                return usage();
            inputs[ninputs++] = argv[++i];
        } else if (more && !strcmp(a, "--policy"))
            policy_path = argv[++i];
        else if (more && !strcmp(a, "--conformance"))
            conf_path = argv[++i];
        else if (more && !strcmp(a, "--conformance-csv"))
            conf_csv = argv[++i];
        else if (more && !strcmp(a, "--whatif"))
            whatif_path = argv[++i];
        else if (more && !strcmp(a, "--whatif-json"))
            whatif_json = argv[++i];
        else if (more && !strcmp(a, "--svg"))
            svg_path = argv[++i];
        else if (more && !strcmp(a, "--map")) {
            char *eq = strchr(argv[++i], '=');
            if (!eq || eq == argv[i] || !eq[1] || nmaps == RP_MAX_MAPS)
                return usage();
            *eq = '\0';
            maps[nmaps++] = (rp_colmap){ argv[i], eq + 1 };
        } else if (more && !strcmp(a, "--incidents"))
            incidents_path = argv[++i];
        else if (more && !strcmp(a, "--sqlite")) {
            sqlite_path = argv[++i];
            store_kind = RP_STORE_SQLITE;
        } else if (more && !strcmp(a, "--limit"))
            limit = atol(argv[++i]);
        else if (more && !strcmp(a, "--group"))
            group = atol(argv[++i]);
        else if (more && !strcmp(a, "--list-rows"))
            list_rows = atol(argv[++i]);
        else if (more && !strcmp(a, "--report"))
            report = argv[++i];
        else if (more && !strcmp(a, "--sync")) {
            const char *s = argv[++i];
            if (!strcmp(s, "full"))
                sync = RP_SYNC_FULL;
            else if (!strcmp(s, "normal"))
                sync = RP_SYNC_NORMAL;
            else
                return usage();
        } else if (more && !strcmp(a, "--form")) {
            const char *s = argv[++i];
            if (!strcmp(s, "json"))
                form = RP_FORM_JSON;
            else if (!strcmp(s, "binary"))
                form = RP_FORM_BINARY;
            else
                return usage();
        } else
            return usage();
    }
    const rp_mapper *m = rp_mapper_find(log);
    if (!m || (strcmp(report, "text") && strcmp(report, "json")) || limit < 0 || list_rows < 0 || group < 0 ||
        (whatif_json && !whatif_path))
        return usage();
    char defin[4][1024], defpol[1024];
    if (!ninputs)
        for (; m->inputs[ninputs]; ninputs++) {
            snprintf(defin[ninputs], sizeof defin[ninputs], "%s/data/%s", ITSM_REPLAY_SOURCE_DIR,
                     m->inputs[ninputs]);
            inputs[ninputs] = defin[ninputs];
        }
    snprintf(defpol, sizeof defpol, "%s/tools/%s", ITSM_REPLAY_SOURCE_DIR, m->policy);
    if (!policy_path)
        policy_path = defpol;

    itsm_policy *pol = load_policy(policy_path);
    if (!pol)
        return 1;
    if (!conf_path)
        conf_path = policy_path;
    itsm_policy *cpol = conf_path == policy_path ? pol : load_policy(conf_path);
    observer ob = { NULL, m->record_kind, 0 };
    if (!cpol || itsm_conformance_new(&ob.c, cpol, NULL) != ITSM_OK) {
        fprintf(stderr, "itsm-replay: cannot start the conformance report\n");
        return 1;
    }
    if (cpol != pol)
        itsm_policy_free(cpol);

    /* read every row first: the replay then times the library (and the store) only */
    progress pg = { now_s(), 0, quiet, "reading" };
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char err[1024];
    if (!pool || rp_load_mapped(&in, m, inputs, ninputs, limit, pool, maps, nmaps, err, sizeof err)) {
        fprintf(stderr, "itsm-replay: %s\n", pool ? err : "out of memory");
        return 1;
    }
    tick(&pg, in.n, 0, 0);

    /* the engine, over its store */
    replay rp;
    rp_init(&rp, pool);
    rp_store *store;
    if (rp_store_open(&store, store_kind, sqlite_path, sync, form, err, sizeof err)) {
        fprintf(stderr, "itsm-replay: %s\n", err);
        return 1;
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = rp_store_methods(store);
    o.store_user = rp_store_user(store);
    itsm_time *clk = &rp.now;
    o.clock = clock_of;
    o.clock_user = &clk;
    o.sink = rp_sink;
    o.sink_user = &rp;
    int rc;
    if ((rc = itsm_engine_new(&rp.eng, &o)) != ITSM_OK) {
        fprintf(stderr, "itsm-replay: engine: %s\n", itsm_errname(rc));
        return 1;
    }
    if (nmaps && rp_map_fields(&rp, maps, nmaps, err, sizeof err)) {
        fprintf(stderr, "itsm-replay: %s\n", err);
        return 1;
    }
    /* bpi-problems: the incidents first, into the same engine, to link to */
    replay rpi;
    rp_input iin;
    int with_incidents = m->kind == RP_LOG_BPI_PROBLEMS && (!incidents_path || strcmp(incidents_path, "none"));
    char incline[512] = "";
    if (with_incidents) {
        char defi[1024];
        const rp_mapper *mi = rp_mapper_find("bpi");
        snprintf(defi, sizeof defi, "%s/data/%s", ITSM_REPLAY_SOURCE_DIR, mi->inputs[0]);
        const char *ipath = incidents_path ? incidents_path : defi;
        if (rp_load(&iin, mi, &ipath, 1, 0, pool, err, sizeof err)) {
            fprintf(stderr, "itsm-replay: %s\n", err);
            return 1;
        }
        rp_init(&rpi, pool);
        rpi.eng = rp.eng;
        rpi.group = store_kind == RP_STORE_SQLITE ? (size_t)group : 0;
        clk = &rpi.now;
        if (rp_run(&rpi, &iin, NULL, NULL) || rpi.store_error) {
            fprintf(stderr, "itsm-replay: %s\n", rpi.store_error ? rpi.store_error : "out of memory");
            return 1;
        }
        snprintf(incline, sizeof incline,
                 "incidents replayed first (%s): %ld rows, %zu incidents, %ld refused, %llu events",
                 ipath, rpi.rows, rpi.ninc, rpi.refused, rp.events);
        if (iin.error) {
            fprintf(stderr, "itsm-replay: %s\n", iin.error);
            return 1;
        }
        rp.events = 0;
        rp.fired = 0;
        clk = &rp.now;
    }
    rp.on_move = observe;
    rp.on_move_user = &ob;
    rp.group = store_kind == RP_STORE_SQLITE ? (size_t)group : 0;
    pg.what = store_kind == RP_STORE_SQLITE ? "replaying into SQLite" : "replaying";
    pg.start = now_s();
    pg.last = 0;
    double t0 = now_s();
    if (rp_run(&rp, &in, on_progress, &pg)) {
        fprintf(stderr, "itsm-replay: out of memory\n");
        return 1;
    }
    double secs = now_s() - t0;
    tick(&pg, in.n, in.n, 1);
    bp_links links;
    memset(&links, 0, sizeof links);
    if (with_incidents) {
        itsm_time end = rp.now > rpi.now ? rp.now : rpi.now;
        for (size_t i = 0; i < rp.ninc; i++)
            if (rp.inc[i].last_t > end)
                end = rp.inc[i].last_t;
        if (bp_link(&rp, &rpi, end, &links)) {
            fprintf(stderr, "itsm-replay: out of memory\n");
            return 1;
        }
    }

    /* a store failure is not a refusal by the policy: stop loudly */
    int status = 0;
    for (size_t i = 0; i < rp.nref; i++)
        if (!strncmp(rp.ref[i].reason, "ITSM_ESTORE", 11) || !strncmp(rp.ref[i].reason, "ITSM_ECONFLICT", 14)) {
            fprintf(stderr, "itsm-replay: the store failed at line %ld: %s %s\n", rp.ref[i].line,
                    rp.ref[i].message, rp_store_errmsg(store));
            status = 1;
            break;
        }
    if (in.error) {
        fprintf(stderr, "itsm-replay: %s\n", in.error);
        status = 1;
    }
    if (rp.store_error) {
        fprintf(stderr, "itsm-replay: the store failed, the replay stopped: %s %s\n", rp.store_error,
                rp_store_errmsg(store));
        status = 1;
    }
    char storedesc[1200], desc[1024];
    rp_store_describe(store, desc, sizeof desc);
    if (rp.group)
        snprintf(desc + strlen(desc), sizeof desc - strlen(desc), ", committed in groups of %zu+ events", rp.group);
    if (rp_store_scans(store)) {
        char msg[256] = "";
        if ((rc = verify_reload(pol, store, rp.eng, msg, sizeof msg)) != ITSM_OK) {
            fprintf(stderr, "itsm-replay: reload from the store failed: %s\n", msg);
            status = 1;
        }
        snprintf(storedesc, sizeof storedesc, "%s; reloaded: %s", desc,
                 rc == ITSM_OK ? "identical records" : "DIFFERENT");
    } else {
        snprintf(storedesc, sizeof storedesc, "%s", desc);
    }
    char inputdesc[4200] = "";
    for (int i = 0; i < in.nfiles; i++)
        snprintf(inputdesc + strlen(inputdesc), sizeof inputdesc - strlen(inputdesc), "%s%s", i ? ", " : "",
                 in.files[i]);
    /* the library's own report over what the store holds (its history) */
    itsm_report *lib = NULL;
    itsm_report_opts ropts = ITSM_REPORT_OPTS_INIT;
    ropts.kinds = ITSM_REPORT_KIND(m->record_kind);
    if (rp.ninc && (rc = itsm_report_new(&lib, rp.eng, &ropts)) != ITSM_OK) {
        fprintf(stderr, "itsm-replay: the library's report: %s (%s)\n", itsm_errname(rc), itsm_errmsg(rp.eng));
        status = 1;
    }
    /* the problem side, for bpi-problems */
    char *extra = NULL;
    size_t extralen = 0;
    if (m->kind == RP_LOG_BPI_PROBLEMS) {
        FILE *mem = open_memstream(&extra, &extralen);
        if (!mem) {
            fprintf(stderr, "itsm-replay: out of memory\n");
            return 1;
        }
        if (!with_incidents)
            snprintf(incline, sizeof incline, "no incidents replayed (--incidents none): no links");
        if (!strcmp(report, "json"))
            bp_report_json(&links, mem);
        else
            bp_report_text(&links, incline, mem);
        fclose(mem);
    }
    rp_report_opts ro = { m->kind, inputdesc, policy_path, storedesc, !strcmp(report, "json"),
                          (size_t)list_rows, secs, lib, ob.c, conf_path, m->record_kind, extra };
    rp_report(&rp, &ro, stdout);
    itsm_report_free(lib);
    if (whatif_path && whatif(&rp, store, whatif_path, whatif_json, !strcmp(report, "text"), (size_t)list_rows))
        status = 1;
    if (conf_csv && write_text(conf_csv, "conformance CSV", write_csv, ob.c))
        status = 1;
    char title[1400];
    const char *base = strrchr(conf_path, '/');
    snprintf(title, sizeof title, "%s: process map (%s lifecycle of %s)", m->title, itsm_kind_name(m->record_kind),
             base ? base + 1 : conf_path);
    svgarg sa = { ob.c, m->record_kind, title };
    if (svg_path && write_text(svg_path, "process map", write_svg, &sa))
        status = 1;
    itsm_conformance_free(ob.c);
    free(extra);
    bp_links_free(&links);
    if (with_incidents) {
        rp_free(&rpi);
        rp_input_free(&iin);
    }

    itsm_engine_free(rp.eng);
    rp_store_close(store);
    itsm_policy_free(pol);
    rp_free(&rp);
    rp_input_free(&in);
    rp_pool_free(pool);
    return status;
}
