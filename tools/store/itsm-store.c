/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-store: look after an event store of stores/ (docs/store-schema.md).
 *
 *   itsm-store info   STORE
 *   itsm-store verify STORE [--policy FILE]
 *   itsm-store copy   STORE NEW-STORE
 *
 * STORE is a SQLite file, or a PostgreSQL connection URI
 * (postgresql://...), optionally with --schema NAME (default public).
 * A NEW-STORE's schema is given with --to-schema NAME.
 *
 *   info    the schema version, events, records, the time span, events by type
 *   verify  load every event into a fresh engine (under the policy document
 *           given, else the default policy), as a host does when it starts:
 *           exit 0 when every event applies, 1 with the library's message
 *           (which names the record and revision) when one does not
 *   copy    every event, in order and byte for byte, into a store that has
 *           no events yet (creating it): a backup into a file, a restore
 *           from one, or a move from SQLite to PostgreSQL and back. Verify
 *           the copy before using it.
 *
 * Exit status: 0 done, 1 the store failed or did not verify, 2 usage.
 * Opening a store created or migrated its schema, as every host does.
 */
#define _POSIX_C_SOURCE 200809L
#include <itsm.h>
#include "store_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: itsm-store info STORE [--schema NAME]\n"
                    "       itsm-store verify STORE [--schema NAME] [--policy FILE]\n"
                    "       itsm-store copy STORE NEW-STORE [--schema NAME] [--to-schema NAME]\n"
                    "STORE: a SQLite file or a postgresql:// URI\n");
    return 2;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    *len = b ? fread(b, 1, (size_t)n, f) : 0;
    fclose(f);
    return b;
}

static void when(char *buf, size_t cap, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(buf, cap, "%lld", t);
}

static int info(sa_store *st)
{
    sa_summary s;
    if (sa_summarise(st, &s) != 0) {
        fprintf(stderr, "itsm-store: %s\n", sa_errmsg(st));
        return 1;
    }
    char first[32] = "-", last[32] = "-";
    if (s.events) {
        when(first, sizeof first, s.first_at);
        when(last, sizeof last, s.last_at);
    }
    printf("store:          %s\n", sa_name(st));
    printf("schema version: %d (%s)\n", s.schema_version,
           sa_found(st) == s.schema_version ? "as found" : sa_found(st) == 0 ? "created now" : "migrated now");
    printf("events:         %lld\n", s.events);
    printf("records:        %lld\n", s.records);
    printf("first event:    %s\n", first);
    printf("last event:     %s\n", last);
    for (int i = 0; i < s.ntypes; i++)
        printf("  %-14s %lld\n", s.types[i].name, s.types[i].count);
    return 0;
}

static int verify(sa_store *st, const char *policy_path)
{
    itsm_policy *pol = NULL;
    if (policy_path) {
        size_t len;
        char *doc = slurp(policy_path, &len);
        itsm_parse_error perr;
        if (!doc) {
            perror(policy_path);
            return 1;
        }
        int rc = itsm_policy_from_json(&pol, doc, len, NULL, NULL, &perr);
        free(doc);
        if (rc != ITSM_OK) {
            fprintf(stderr, "itsm-store: %s:%zu:%zu: %s\n", policy_path, perr.line, perr.column, perr.text);
            return 1;
        }
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = sa_methods(st);
    o.store_user = sa_handle(st);
    itsm_engine *eng = NULL;
    int rc = itsm_engine_new(&eng, &o);
    double t0 = now_s();
    if (rc == ITSM_OK)
        rc = itsm_engine_load(eng);
    double secs = now_s() - t0;
    long long events = 0;
    sa_count(st, &events);
    if (rc != ITSM_OK) {
        printf("%s: does NOT verify: %s: %s\n  (store: %s)\n", sa_name(st), itsm_errname(rc),
               eng ? itsm_errmsg(eng) : "", sa_errmsg(st));
    } else {
        printf("%s: verified: %lld events load into %zu records in %.3f s (%.0f events/s)\n", sa_name(st), events,
               itsm_engine_record_count(eng), secs, secs > 0 ? (double)events / secs : 0.0);
    }
    itsm_engine_free(eng);
    itsm_policy_free(pol);
    return rc == ITSM_OK ? 0 : 1;
}

static int copy(sa_store *from, sa_store *to)
{
    long long have = 0;
    if (sa_count(to, &have) != 0) {
        fprintf(stderr, "itsm-store: %s\n", sa_errmsg(to));
        return 1;
    }
    if (have) {
        fprintf(stderr, "itsm-store: %s already holds %lld events; copy needs a store without any\n", sa_name(to),
                have);
        return 1;
    }
    double t0 = now_s();
    long long n = 0;
    if (sa_copy(from, to, &n) != 0) {
        fprintf(stderr, "itsm-store: copy failed (nothing was kept): %s%s\n", sa_errmsg(from), sa_errmsg(to));
        return 1;
    }
    printf("copied %lld events from %s to %s in %.3f s\n", n, sa_name(from), sa_name(to), now_s() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *cmd = argv[1], *a = NULL, *b = NULL, *schema = NULL, *to_schema = NULL, *policy = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--schema") && i + 1 < argc)
            schema = argv[++i];
        else if (!strcmp(argv[i], "--to-schema") && i + 1 < argc)
            to_schema = argv[++i];
        else if (!strcmp(argv[i], "--policy") && i + 1 < argc)
            policy = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return usage();
        else if (!a)
            a = argv[i];
        else if (!b)
            b = argv[i];
        else
            return usage();
    }
    int is_copy = !strcmp(cmd, "copy");
    if (!a || (is_copy != (b != NULL)) || (!is_copy && strcmp(cmd, "info") && strcmp(cmd, "verify")) ||
        (policy && strcmp(cmd, "verify")) || (to_schema && !is_copy))
        return usage();
    char err[1024];
    sa_store *st = sa_open(a, schema, err, sizeof err);
    if (!st) {
        fprintf(stderr, "itsm-store: %s\n", err);
        return 1;
    }
    int rc;
    if (!strcmp(cmd, "info"))
        rc = info(st);
    else if (!strcmp(cmd, "verify"))
        rc = verify(st, policy);
    else {
        sa_store *dst = sa_open(b, to_schema, err, sizeof err);
        if (!dst) {
            fprintf(stderr, "itsm-store: %s\n", err);
            sa_close(st);
            return 1;
        }
        rc = copy(st, dst);
        sa_close(dst);
    }
    sa_close(st);
    return rc;
}
