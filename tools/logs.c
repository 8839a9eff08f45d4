/* SPDX-License-Identifier: Apache-2.0 */
/* tools/logs.c - the logs itsm-replay knows, read and applied (see logs.h). */
#include "logs.h"
#include "uci.h"
#include "bpi.h"
#include "helpdesk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- the mappers ---- */

static void *uci_header(char *line, size_t len, int index, char *err, size_t cap)
{
    (void)index;
    return uci_parse_header(line, len, err, cap);
}
static void uci_parse(void *c, rp_pool *p, char *line, size_t len, long no, void *row)
{
    uci_parse_row(c, p, line, len, no, row);
}
static void uci_key(const void *row, rp_rowkey *k)
{
    const uci_row *w = row;
    k->id = w->number;
    k->t = w->bad ? ITSM_TIME_NONE : w->updated_at;
    k->line = w->line;
}
static void uci_cut(void *row) { ((uci_row *)row)->cut = 1; }
static void uci_run(replay *rp, const void *row) { uci_apply(rp, row); }
static void uci_run_rows(replay *rp, const void *rows, size_t n) { uci_apply_rows(rp, rows, n); }

static void *bpi_header(char *line, size_t len, int index, char *err, size_t cap)
{
    (void)index;
    return bpi_parse_header(&bpi_incident_names, line, len, err, cap);
}
static void *bpi_problem_header(char *line, size_t len, int index, char *err, size_t cap)
{
    (void)index;
    return bpi_parse_header(&bpi_problem_names, line, len, err, cap);
}
static void bpi_parse(void *c, rp_pool *p, char *line, size_t len, long no, void *row)
{
    bpi_parse_row(c, p, line, len, no, row);
}
static void bpi_key(const void *row, rp_rowkey *k)
{
    const bpi_row *w = row;
    k->id = w->number;
    k->t = w->bad ? ITSM_TIME_NONE : w->at;
    k->line = w->line;
}
static void bpi_cut(void *row) { ((bpi_row *)row)->cut = 1; }
static void bpi_run(replay *rp, const void *row) { bpi_apply(rp, row); }

static void *hd_header(char *line, size_t len, int index, char *err, size_t cap)
{
    (void)index;
    return hd_parse_header(line, len, err, cap);
}
static void hd_parse(void *c, rp_pool *p, char *line, size_t len, long no, void *row)
{
    hd_parse_row(c, p, line, len, no, row);
}
static void hd_key(const void *row, rp_rowkey *k)
{
    const hd_row *w = row;
    k->id = w->ticket;
    k->t = w->bad ? ITSM_TIME_NONE : w->at;
    k->line = w->line;
}
static void hd_cut(void *row) { ((hd_row *)row)->cut = 1; }
static void hd_run(replay *rp, const void *row) { hd_apply(rp, row); }

static const rp_mapper mappers[] = {
    { "uci", "UCI incident event log (ServiceNow)", RP_LOG_UCI, ITSM_KIND_INCIDENT,
      { "uci-incident-event-log/incident_event_log.csv.gz", NULL }, "servicenow_policy.json", sizeof(uci_row),
      uci_header, uci_parse, uci_key, uci_cut, uci_same, uci_begin, uci_run, rp_finish, ',', uci_run_rows },
    { "bpi", "BPI Challenge 2013 incidents (Volvo IT, VINST)", RP_LOG_BPI, ITSM_KIND_INCIDENT,
      { "bpic2013/incidents.csv.gz", NULL }, "bpi_policy.json", sizeof(bpi_row),
      bpi_header, bpi_parse, bpi_key, bpi_cut, bpi_same, bpi_begin, bpi_run, bpi_finish, ';', NULL },
    { "bpi-problems", "BPI Challenge 2013 problems (Volvo IT, VINST)", RP_LOG_BPI_PROBLEMS, ITSM_KIND_PROBLEM,
      { "bpic2013/closed_problems.csv.gz", "bpic2013/open_problems.csv.gz", NULL }, "bpi_policy.json",
      sizeof(bpi_row), bpi_problem_header, bpi_parse, bpi_key, bpi_cut, bpi_same, bpi_begin, bpi_run, bpi_finish,
      ';', NULL },
    { "helpdesk", "help desk log of an Italian software company", RP_LOG_HELPDESK, ITSM_KIND_INCIDENT,
      { "helpdesk/helpdesk.csv.gz", NULL }, "helpdesk_policy.json", sizeof(hd_row),
      hd_header, hd_parse, hd_key, hd_cut, hd_same, hd_begin, hd_run, rp_finish, ',', NULL },
};

const rp_mapper *rp_mapper_find(const char *name)
{
    for (size_t i = 0; i < sizeof mappers / sizeof mappers[0]; i++)
        if (!strcmp(mappers[i].name, name))
            return &mappers[i];
    return NULL;
}

const char *rp_mapper_names(void) { return "uci|bpi|bpi-problems|helpdesk"; }

/* ---- reading ---- */

static int grow(rp_input *in)
{
    size_t cap = in->cap ? 2 * in->cap : 1 << 14;
    char *rows = realloc(in->rows, cap * in->m->row_size);
    if (rows)
        in->rows = rows;
    rp_rowkey *keys = rows ? realloc(in->keys, cap * sizeof *keys) : NULL;
    if (keys)
        in->keys = keys;
    unsigned char *file = keys ? realloc(in->file, cap) : NULL;
    if (file)
        in->file = file;
    const char **mapped = file && in->nmaps ? realloc(in->mapped, cap * (size_t)in->nmaps * sizeof *mapped) : NULL;
    if (mapped)
        in->mapped = mapped;
    if (!file || (in->nmaps && !mapped))
        return -1;
    in->cap = cap;
    return 0;
}

int rp_load(rp_input *in, const rp_mapper *m, const char *const *paths, int npaths, long limit, rp_pool *pool,
            char *err, size_t errcap)
{
    return rp_load_mapped(in, m, paths, npaths, limit, pool, NULL, 0, err, errcap);
}

int rp_load_mapped(rp_input *in, const rp_mapper *m, const char *const *paths, int npaths, long limit, rp_pool *pool,
                   const rp_colmap *maps, int nmaps, char *err, size_t errcap)
{
    memset(in, 0, sizeof *in);
    in->m = m;
    in->nmaps = nmaps < RP_MAX_MAPS ? nmaps : RP_MAX_MAPS;
    int pos[RP_MAX_MAPS];
    char *mbuf = NULL;   /* a copy of the line the maps split */
    size_t mcap = 0;
    long cases = 0;
    const char *lastid = NULL;
    for (int fi = 0; fi < npaths && fi < 4; fi++) {
        const char *path = in->files[fi] = rp_intern(pool, paths[fi], strlen(paths[fi]));
        in->nfiles = fi + 1;
        errno = 0;
        rp_lines *l = rp_lines_open(path);
        if (!l) {
            snprintf(err, errcap, "%s: %s", path, strerror(errno ? errno : ENOENT));
            free(mbuf);
            return -1;
        }
        size_t len;
        int cut;
        char *line = rp_lines_next(l, &len, &cut);
        if (line && in->nmaps && rp__map_header(in, line, len, maps, in->nmaps, pos, err, errcap)) {
            free(mbuf);
            rp_lines_close(l);
            return -1;
        }
        void *cols = line ? m->header(line, len, fi, err, errcap) : NULL;
        if (!cols) {
            if (!line)
                snprintf(err, errcap, "%s: %s", path, rp_lines_error(l) ? rp_lines_error(l) : "empty file");
            else {
                char msg[512];
                snprintf(msg, sizeof msg, "%s: %s", path, err);
                snprintf(err, errcap, "%s", msg);
            }
            free(mbuf);
            rp_lines_close(l);
            return -1;
        }
        long lineno = 1;
        int stop = 0;
        while (!stop && (line = rp_lines_next(l, &len, &cut))) {
            lineno++;
            if (len == 0 && !cut)
                continue;
            if (in->n == in->cap && grow(in)) {
                snprintf(err, errcap, "out of memory");
                free(mbuf);
                free(cols);
                rp_lines_close(l);
                return -1;
            }
            void *row = in->rows + in->n * m->row_size;
            if (in->nmaps && rp__map_row(in, pool, &mbuf, &mcap, line, len, pos, in->n)) {
                snprintf(err, errcap, "out of memory");
                free(mbuf);
                free(cols);
                rp_lines_close(l);
                return -1;
            }
            m->parse(cols, pool, line, len, lineno, row);
            if (cut)
                m->mark_cut(row);
            rp_rowkey *k = &in->keys[in->n];
            m->key(row, k);
            k->file = path;
            if (k->id != lastid && k->id) {
                if (limit && cases == limit) {
                    stop = 1;
                    break;
                }
                cases++;
                lastid = k->id;
            }
            in->file[in->n] = (unsigned char)fi;
            in->n++;
        }
        const char *e = stop ? NULL : rp_lines_error(l);
        if (e && !in->error) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s: %s; read up to line %ld", path, e, lineno);
            in->error = rp_intern(pool, msg, strlen(msg));
            in->error_line = lineno;
        }
        free(cols);
        rp_lines_close(l);
        if (stop)
            break;
    }
    free(mbuf);
    return 0;
}

void rp_input_free(rp_input *in)
{
    free(in->rows);
    free(in->keys);
    free(in->file);
    free(in->mapped);
    memset(in, 0, sizeof *in);
}

/* ---- applying ---- */

/* Group commit: `how` 0 begins the first group, 1 commits one and begins
 * the next, 2 commits the last. 1 while a group is open; 0 when none is
 * (the last was committed, or the store failed: rp->store_error says). */
static int group_cut(replay *rp, int how)
{
    int rc = how ? itsm_engine_commit(rp->eng) : ITSM_OK;
    if (rc == ITSM_OK && how < 2)
        rc = itsm_engine_begin(rp->eng);
    if (rc != ITSM_OK) {
        const char *m = itsm_errmsg(rp->eng);
        rp->store_error = rp_intern(rp->pool, m, strlen(m));
        return 0;
    }
    return how < 2;
}

int rp_run(replay *rp, const rp_input *in, void (*progress)(void *user, size_t done, size_t total), void *user)
{
    size_t *order = malloc((in->n ? in->n : 1) * sizeof *order);
    unsigned char *dup = malloc(in->n ? in->n : 1);
    if (!order || !dup || rp_order(rp, in->keys, in->n, order, dup, in->m->same, in->rows)) {
        free(order);
        free(dup);
        return -1;
    }
    rp->kind = in->m->record_kind;
    rp->input_error = in->error;
    int grouped = rp->group && group_cut(rp, 0);
    if (in->nmaps)
        rp->map_quirk = rp_quirk_add(rp, "mapped column value the policy refuses (--map)",
                                     "not set; the row's own step stands", 1);
    in->m->begin(rp);
    rp_reserve_cases(rp, rp_count_cases(in->keys, in->n));
    /* outside a group and without mapped columns, nothing is done between
     * rows but skipping a duplicate, a new file's name and the progress:
     * the rows between, when they follow each other in the file (the
     * usual order), are a run the mapper applies in its own loop */
    int runs = in->m->apply_rows && !grouped && !in->nmaps;
    for (size_t i = 0; i < in->n && !rp->store_error; i++) {
        size_t r = order[i];
        rp->file = in->files[in->file[r]];
        if (runs && !dup[r]) {
            /* up to the next row the progress is told at (i & 1023 == 0),
             * a row out of file order, a duplicate or another file */
            size_t end = (i + 1023) & ~(size_t)1023, j = i + 1;
            if (end >= in->n)
                end = in->n - 1;
            while (j <= end && order[j] == r + (j - i) && !dup[order[j]] && in->file[order[j]] == in->file[r])
                j++;
            in->m->apply_rows(rp, in->rows + r * in->m->row_size, j - i);
            i = j - 1;   /* the run's last row */
        } else if (dup[r]) {
            rp->rows++;
            rp->skipped++;
        } else {
            in->m->apply(rp, in->rows + r * in->m->row_size);
            if (in->nmaps && rp->nmaps)
                rp__map_carry(rp, in, r);
        }
        if (grouped && itsm_engine_group_events(rp->eng) >= rp->group)
            grouped = group_cut(rp, 1);
        if (progress && (i & 1023) == 0)
            progress(user, i, in->n);
    }
    if (!rp->store_error)
        in->m->finish(rp);
    else
        rp_case_done(rp);   /* the rows applied are noted in full all the same */
    if (grouped)
        group_cut(rp, 2);
    free(order);
    free(dup);
    return 0;
}
