/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario SCRIPT... - run scripted stories against the library.
 *
 * Each script runs on a fresh engine (default policy, records and their
 * stored events in memory, a virtual clock at 2026-03-02T09:00:00Z). The
 * first failing expectation or malformed line stops the run with
 * "SCRIPT:LINE: message" on stderr and exit status 1; when every script passes, one summary line per
 * script goes to stdout and the exit status is 0. Exit status 2: usage or
 * an unreadable file. The format is in docs/scenario.md.
 *
 * --events FILE appends every
 * stored event to FILE; --faults runs the fault matrix (faults.c).
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2026-03-02T09:00:00Z, a Monday. */
#define RUN_T0 ((itsm_time)1772442000)

static itsm_time clock_read(void *user)
{
    return ((const runner *)user)->now;
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) {
        fprintf(stderr, "itsm-scenario: out of memory\n");
        exit(2);
    }
    memcpy(d, s, n);
    return run_out(d);
}

/* ---- renamed runs ---- */

const char *run_names_prefix;
static itsm_policy *run_base_policy;   /* --policy: the policy of every script */

const char *run_in(const char *name)
{
    static char buf[4][256];
    static int k;
    if (!run_names_prefix || !name)
        return name;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s%s", run_names_prefix, name);
    return buf[k];
}

char *run_out(char *s)
{
    size_t pn = run_names_prefix ? strlen(run_names_prefix) : 0;
    if (!s || !pn)
        return s;
    char *w = s;
    for (const char *p = s; *p;) {
        if (!strncmp(p, run_names_prefix, pn))
            p += pn;
        else
            *w++ = *p++;
    }
    *w = '\0';
    return s;
}

const char *run_state(const itsm_record *rec)
{
    static char buf[4][256];
    static int k;
    const char *s = itsm_record_state(rec);
    if (!run_names_prefix || !s)
        return s;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s", s);
    return run_out(buf[k]);
}

static void sink(void *user, const itsm_event *const *events, size_t n)
{
    runner *r = user;
    for (size_t i = 0; i < n; i++) {
        if (r->nevs == r->cevs) {
            r->cevs = r->cevs ? 2 * r->cevs : 32;
            r->evs = realloc(r->evs, r->cevs * sizeof *r->evs);
            if (!r->evs) {
                fprintf(stderr, "itsm-scenario: out of memory\n");
                exit(2);
            }
        }
        seen_event *e = &r->evs[r->nevs++];
        e->type = dup_or_null(itsm_event_type(events[i]));
        e->record = dup_or_null(itsm_event_record_id(events[i]));
        e->name = dup_or_null(itsm_event_name(events[i]));
        e->from = dup_or_null(itsm_event_from_state(events[i]));
        e->to = dup_or_null(itsm_event_to_state(events[i]));
    }
}

void run_events_clear(runner *r)
{
    for (size_t i = 0; i < r->nevs; i++) {
        free(r->evs[i].type);
        free(r->evs[i].record);
        free(r->evs[i].name);
        free(r->evs[i].from);
        free(r->evs[i].to);
    }
    r->nevs = 0;
}

int run_engine_make(runner *r, const itsm_policy *policy, itsm_engine **out)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = policy;
    o.clock = clock_read;
    o.clock_user = r;
    o.sink = sink;
    o.sink_user = r;
    if (r->host) {
        o.alloc = run_host_alloc(r->host);
        o.store = &run_host_store;
        o.store_user = r->host;
    }
    int rc = itsm_engine_new(out, &o);
    if (rc)
        return run_fail(r, "cannot create the engine: %s", itsm_errname(rc));
    return 0;
}

int run_engine_new(runner *r)
{
    itsm_engine_free(r->eng);
    r->eng = NULL;
    if (r->host)
        run_host_clear_events(r->host);   /* a new engine starts a new store */
    return run_engine_make(r, r->policy, &r->eng);
}

static const cmd_row *find_command(tok *t, size_t n, size_t *words)
{
    const cmd_row *best = NULL;
    const cmd_row *const tables[] = { run_commands, run_commands_expect, run_commands_ext,
                                      run_commands_packet, run_commands_change,
                                      run_commands_agreement, run_commands_request,
                                      run_commands_followup, run_commands_oncall, run_commands_review,
                                      run_commands_versions, run_commands_whatif, run_commands_migration };
    *words = 0;
    if (!n || t[0].key || t[0].quoted)
        return NULL;
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        for (const cmd_row *c = tables[k]; c->name; c++) {
            const char *sp = strchr(c->name, ' ');
            if (!sp) {
                if (!strcmp(c->name, t[0].text) && *words < 1) {
                    best = c;
                    *words = 1;
                }
            } else if (n >= 2 && !t[1].key && !t[1].quoted &&
                       strlen(t[0].text) == (size_t)(sp - c->name) &&
                       !strncmp(c->name, t[0].text, (size_t)(sp - c->name)) &&
                       !strcmp(sp + 1, t[1].text)) {
                best = c;
                *words = 2;
            }
        }
    }
    return best;
}

/* The message for an action that failed and was not expected to. */
static void unexpected_failure(runner *r)
{
    fprintf(stderr, "%s:%zu: %s failed: %s: %s\n", r->file, r->act_line, r->act_name,
            itsm_errname(r->act_rc), r->act_msg);
}

int run_script(const char *file, const char *label, run_host *host, struct run_matrix *matrix, int quiet)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", file);
        return 2;
    }
    runner *r = calloc(1, sizeof *r);
    if (!r) {
        fclose(f);
        return 2;
    }
    /* A plain run keeps the store in memory too: the what-if, the
     * migration check and store reloads read it back. */
    run_host own;
    memset(&own, 0, sizeof own);
    r->file = label ? label : file;
    r->host = host ? host : &own;
    if (run_base_policy && itsm_policy_clone(&r->policy, run_base_policy)) {
        free(r);
        fclose(f);
        return 2;
    }
    r->matrix = matrix;
    r->now = RUN_T0;
    const char *slash = strrchr(file, '/');
    if (slash && (size_t)(slash - file) < sizeof r->dir)
        snprintf(r->dir, sizeof r->dir, "%.*s", (int)(slash - file), file);
    else
        snprintf(r->dir, sizeof r->dir, ".");

    int status = 0;
    char *line = NULL;
    size_t cap = 0;
    if (run_engine_new(r)) {
        fprintf(stderr, "%s:0: %s\n", r->file, r->err);
        status = 1;
    }
    file = r->file;   /* messages name the label from here on */
    while (!status) {
        /* getline is POSIX, not C11: read by hand. */
        size_t len = 0;
        int c;
        while ((c = fgetc(f)) != EOF) {
            if (len + 2 > cap) {
                cap = cap ? 2 * cap : 256;
                char *nl = realloc(line, cap);
                if (!nl) {
                    status = 2;
                    break;
                }
                line = nl;
            }
            line[len++] = (char)c;
            if (c == '\n')
                break;
        }
        if (status || (c == EOF && len == 0))
            break;
        line[len] = '\0';
        r->line++;

        tok t[RUN_MAX_TOKENS];
        int n = run_tokenize(r, line, t, RUN_MAX_TOKENS);
        if (n < 0) {
            fprintf(stderr, "%s:%zu: %s\n", file, r->line, r->err);
            status = 1;
            break;
        }
        if (n == 0)
            continue;
        size_t words;
        const cmd_row *cmd = find_command(t, (size_t)n, &words);
        if (!cmd) {
            if (r->act_pending) {
                unexpected_failure(r);
            } else if (n >= 2 && !strcmp(t[0].text, "expect")) {
                fprintf(stderr, "%s:%zu: unknown expectation '%s'\n", file, r->line, t[1].text);
            } else {
                fprintf(stderr, "%s:%zu: unknown command '%s'\n", file, r->line,
                        t[0].key ? t[0].key : t[0].text);
            }
            status = 1;
            break;
        }
        int is_expect_error = !strcmp(cmd->name, "expect error");
        if (r->act_pending && !is_expect_error) {
            unexpected_failure(r);
            status = 1;
            break;
        }
        if (is_expect_error && !r->act_last) {
            fprintf(stderr, "%s:%zu: expect error must follow a command that calls the library\n",
                    file, r->line);
            status = 1;
            break;
        }
        r->nstatements++;
        r->err[0] = '\0';
        if (cmd->action) {
            r->act_rc = ITSM_OK;
            r->act_msg[0] = '\0';
            snprintf(r->act_name, sizeof r->act_name, "%s", cmd->name);
            r->act_line = r->line;
        }
        int rc = cmd->action ? run_action(r, cmd, t + words, (size_t)n - words)
                             : cmd->fn(r, t + words, (size_t)n - words);
        if (rc) {
            fprintf(stderr, "%s:%zu: %s\n", file, r->line, r->err);
            status = 1;
            break;
        }
        if (cmd->expect)
            r->nexpect++;
        if (cmd->action) {
            r->act_last = 1;
            r->act_pending = r->act_rc != ITSM_OK;
        } else {
            r->act_last = 0;
            if (is_expect_error)
                r->act_pending = 0;
        }
    }
    if (!status && r->act_pending) {
        unexpected_failure(r);
        status = 1;
    }
    if (!status && matrix && run_matrix_end(r)) {
        fprintf(stderr, "%s: %s\n", file, r->err);
        status = 1;
    }
    if (!status && !quiet)
        printf("%s: ok, %zu statements, %zu expectations\n", file, r->nstatements, r->nexpect);
    free(line);
    fclose(f);
    run_events_clear(r);
    free(r->evs);
    itsm_report_free(r->report);
    run_packets_free(r);
    run_versions_free(r);
    run_whatif_free(r);
    run_migration_free(r);
    itsm_engine_free(r->eng);
    itsm_policy_free(r->policy);
    free(r);
    run_host_free(&own);
    return status;
}

static int write_events(const char *path, const run_host *h)
{
    FILE *f = fopen(path, "ab");
    if (!f) {
        fprintf(stderr, "%s: cannot open for writing\n", path);
        return 2;
    }
    for (size_t i = 0; i < h->nev; i++) {
        fwrite(h->ev[i], 1, h->len[i], f);
        fputc('\n', f);
    }
    return fclose(f) ? 2 : 0;
}

/* --policy FILE: read and check the document every script then runs under. */
static int load_base_policy(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 2;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4096 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return 2;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got);
    fclose(f);
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&run_base_policy, buf, len, NULL, NULL, &err);
    free(buf);
    if (rc) {
        fprintf(stderr, "%s:%zu:%zu: %s (%s)\n", path, err.line, err.column, err.text, itsm_errname(rc));
        return 2;
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: itsm-scenario [--events FILE] [--policy FILE [--names PREFIX]] SCRIPT...\n"
                    "       itsm-scenario --faults [--stride N [--offset K]] SCRIPT...\n"
                    "Runs each script (docs/scenario.md); stops at the first failure.\n"
                    "  --events FILE  append every stored event (JSON, one a line) to FILE\n"
                    "  --policy FILE  run every script under this policy document (a script's\n"
                    "                 own policy statement still replaces it)\n"
                    "  --names PREFIX the policy's state and event names are the default ones\n"
                    "                 with PREFIX in front: names in the scripts get it, names\n"
                    "                 and messages the engine reports lose it\n"
                    "  --faults       the fault matrix: rerun each script failing every\n"
                    "                 allocation and every store append of its actions in turn\n"
                    "  --stride N     with --faults: fail every N-th one only (default 1)\n"
                    "  --offset K     with --stride: fail positions K+1, K+1+N, ... (0..N-1;\n"
                    "                 default: the day's number modulo N, so the sample\n"
                    "                 rotates day by day; a failure names the K it ran)\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *events = NULL;
    int faults = 0;
    long stride = 1, offset = -1;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--events") && i + 1 < argc) {
            events = argv[++i];
        } else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
            if (load_base_policy(argv[++i]))
                return 2;
        } else if (!strcmp(argv[i], "--names") && i + 1 < argc) {
            run_names_prefix = argv[++i];
        } else if (!strcmp(argv[i], "--faults")) {
            faults = 1;
        } else if (!strcmp(argv[i], "--stride") && i + 1 < argc) {
            stride = strtol(argv[++i], NULL, 10);
            if (stride < 1)
                return usage();
        } else if (!strcmp(argv[i], "--offset") && i + 1 < argc) {
            char *end;
            offset = strtol(argv[++i], &end, 10);
            if (*end || offset < 0)
                return usage();
        } else {
            return usage();
        }
    }
    if (i >= argc || (faults && events) || offset >= stride || (offset >= 0 && !faults))
        return usage();
    if (offset < 0)
        offset = run_faults_offset_of_today(stride);
    for (; i < argc; i++) {
        int rc;
        if (faults) {
            rc = run_faults(argv[i], stride, offset);
        } else if (events) {
            run_host h;
            memset(&h, 0, sizeof h);
            rc = run_script(argv[i], NULL, &h, NULL, 0);
            if (!rc)
                rc = write_events(events, &h);
            run_host_free(&h);
        } else {
            rc = run_script(argv[i], NULL, NULL, NULL, 0);
        }
        if (rc) {
            itsm_policy_free(run_base_policy);
            return rc;
        }
    }
    itsm_policy_free(run_base_policy);
    return 0;
}
