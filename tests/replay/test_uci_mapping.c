/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/replay/test_uci_mapping.c - the UCI log mapping (tools/uci.c), one
 * test per quirk of data/README.md on a tiny inline CSV.
 *
 * Lives in tests/replay/ (not tests/) so the tests/ glob, which links only
 * the library, does not pick it up: it also needs tools/ (zlib) and is
 * registered by tests/sqlite.cmake.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "uci.h"
#include "logs.h"

static const char header[] =
    "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,"
    "opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,"
    "location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,"
    "assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,"
    "resolved_by,resolved_at,closed_at";

/* One row with the columns a test cares about; the rest as in the log. */
static char *row(const char *number, const char *state, int reassign, int reopen, const char *opened,
                 const char *updated, const char *category, const char *impact, const char *urgency,
                 const char *group, const char *assignee)
{
    char *s = malloc(1024);
    snprintf(s, 1024,
             "%s,%s,true,%d,%d,0,true,Caller 1,Opened by  8,%s,?,?,Updated by 21,%s,Phone,Location 1,"
             "%s,Subcategory 1,?,?,%s,%s,3 - Moderate,%s,%s,false,false,Do Not Notify,?,?,?,?,code 5,"
             "Resolved by 1,1/3/2016 10:00,6/3/2016 10:00",
             number, state, reassign, reopen, opened, updated, category, impact, urgency, group, assignee);
    return s;
}

typedef struct run {
    rp_pool     *pool;
    replay       rp;
    itsm_policy *pol;
    rp_input     in;
} run;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = malloc(1 << 16);
    *len = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

/* Write `text` to a new temporary file; returns its path (free it). */
static char *temp_file(const char *text, size_t n)
{
    char *path = strdup("/tmp/itsm-uci-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Replay a whole input file through a fresh engine, as itsm-replay does
 * (rp_load, rp_run: rows per incident in time order); `getters`: the sink
 * reads every event through the getters, as with a library whose events
 * are laid out otherwise than itsm/event.h's (replay.getters). */
static void replay_file_read(run *r, const char *path, const rp_mapper *m, int getters)
{
    size_t len;
    char *doc = slurp(ITSM_SOURCE_DIR "/tools/servicenow_policy.json", &len);
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&r->pol, doc, len, NULL, NULL, &err), ITSM_OK);
    free(doc);
    r->pool = rp_pool_new();
    rp_init(&r->rp, r->pool);
    assert_int_equal(r->rp.getters, 0);   /* the library's events are laid out as the header says */
    r->rp.getters = getters;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = r->pol;
    o.clock = rp_clock;
    o.clock_user = &r->rp.now;
    o.sink = rp_sink;
    o.sink_user = &r->rp;
    assert_int_equal(itsm_engine_new(&r->rp.eng, &o), ITSM_OK);
    char msg[512];
    const char *paths[1] = { path };
    assert_int_equal(rp_load(&r->in, m, paths, 1, 0, r->pool, msg, sizeof msg), 0);
    assert_int_equal(rp_run(&r->rp, &r->in, NULL, NULL), 0);
}

static void replay_file_with(run *r, const char *path, const rp_mapper *m) { replay_file_read(r, path, m, 0); }

static void replay_file(run *r, const char *path) { replay_file_with(r, path, rp_mapper_find("uci")); }

/* Replay the rows (NULL-terminated, each freed; a header in front, each
 * ending with a line end unless `cut`) through a fresh engine. */
static void replay_rows_cut(run *r, char **rows, int cut)
{
    size_t cap = sizeof header + 2, n = 0;
    for (long i = 0; rows[i]; i++)
        cap += strlen(rows[i]) + 1;
    char *text = malloc(cap);
    n += (size_t)sprintf(text, "%s\n", header);
    for (long i = 0; rows[i]; i++) {
        n += (size_t)sprintf(text + n, "%s%s", rows[i], rows[i + 1] || !cut ? "\n" : "");
        free(rows[i]);
    }
    char *path = temp_file(text, n);
    free(text);
    replay_file(r, path);
    unlink(path);
    free(path);
}

static void replay_rows(run *r, char **rows) { replay_rows_cut(r, rows, 0); }

static void run_free(run *r)
{
    rp_input_free(&r->in);
    itsm_engine_free(r->rp.eng);
    rp_free(&r->rp);
    rp_pool_free(r->pool);
    itsm_policy_free(r->pol);
}

static long quirk(const run *r, const char *name)
{
    for (int i = 0; i < r->rp.nquirks; i++)
        if (!strcmp(r->rp.quirk[i].name, name))
            return r->rp.quirk[i].count;
    fail_msg("no quirk '%s'", name);
    return -1;
}

static itsm_record *rec(run *r, const char *id)
{
    itsm_record *x;
    assert_int_equal(itsm_record_find(&x, r->rp.eng, id), ITSM_OK);
    return x;
}

#define T(d, hm) uci_parse_time(d " " hm)

static void time_is_minutes_utc(void **state)
{
    (void)state;
    assert_int_equal(uci_parse_time("29/2/2016 01:16"), 1456708560);
    assert_int_equal(uci_parse_time("5/3/2016 12:00"), 1457179200);
    assert_int_equal(uci_parse_time("?"), ITSM_TIME_NONE);
    assert_int_equal(uci_parse_time("31/2/2016 25:00"), ITSM_TIME_NONE);
    assert_int_equal(uci_parse_time("1/3/2016 10:00:00"), ITSM_TIME_NONE);
}

/* The log does not always start at New: open at opened_at, then the
 * transition to the first row's state at the row's time. */
static void first_row_not_new(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Resolved", 0, 0, "1/3/2016 09:00", "1/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_string_equal(itsm_record_state(x), "resolved");
    assert_int_equal(itsm_record_int(x, ITSM_F_OPENED_AT), T("1/3/2016", "09:00"));
    assert_int_equal(itsm_record_int(x, ITSM_F_RESOLVED_AT), T("1/3/2016", "10:00"));
    assert_string_equal(itsm_record_str(x, ITSM_F_RESOLUTION_CODE), "code 5");
    assert_int_equal(quirk(&r, "first row is not New"), 1);
    assert_int_equal(r.rp.applied, 1);
    assert_int_equal(r.rp.events, 2); /* open + resolve */
    run_free(&r);
}

/* State -100 is no ServiceNow state: keep the state, apply the fields. */
static void state_minus_100(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "-100", 0, 0, "1/3/2016 09:00", "1/3/2016 09:30", "Category 2",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "-100", 0, 0, "1/3/2016 09:00", "1/3/2016 09:40", "Category 2",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_string_equal(itsm_record_state(x), "active");
    assert_string_equal(itsm_record_str(x, ITSM_F_CATEGORY), "Category 2");
    assert_int_equal(quirk(&r, "state -100"), 2);
    assert_int_equal(r.rp.applied, 2);
    assert_int_equal(r.rp.unchanged, 1);
    assert_int_equal(r.rp.refused, 0);
    run_free(&r);
}

/* A second Closed row: nothing changed -> unchanged; a change -> the
 * library refuses to update a closed record, and the row is listed. */
static void closed_twice(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Resolved", 0, 0, "1/3/2016 09:00", "1/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Closed", 0, 0, "1/3/2016 09:00", "6/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Closed", 0, 0, "1/3/2016 09:00", "6/3/2016 10:30", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Closed", 0, 0, "1/3/2016 09:00", "6/3/2016 11:00", "Category 9",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_string_equal(itsm_record_state(x), "closed");
    assert_string_equal(itsm_record_str(x, ITSM_F_CATEGORY), "Category 1");
    assert_int_equal(quirk(&r, "Closed row after Closed"), 2);
    assert_int_equal(r.rp.unchanged, 1);
    assert_int_equal(r.rp.refused, 1);
    assert_int_equal(r.rp.nref, 1);
    assert_int_equal(r.rp.ref[0].line, 5);
    assert_string_equal(r.rp.ref[0].reason, "ITSM_ESTATE: update in state 'closed'");
    run_free(&r);
}

/* Closed -> Active is a reopen, counted as the log counts it; so is
 * Resolved -> Awaiting User Info. */
static void closed_to_active_reopens(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Resolved", 0, 0, "1/3/2016 09:00", "1/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Closed", 0, 0, "1/3/2016 09:00", "6/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Active", 0, 1, "1/3/2016 09:00", "7/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Resolved", 0, 1, "1/3/2016 09:00", "7/3/2016 11:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Awaiting User Info", 0, 2, "1/3/2016 09:00", "7/3/2016 12:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_string_equal(itsm_record_state(x), "awaiting_user_info");
    assert_int_equal(itsm_record_int(x, ITSM_F_REOPENS), 2);
    assert_int_equal(quirk(&r, "Closed -> Active"), 1);
    assert_int_equal(r.rp.refused, 0);
    run_free(&r);
}

/* sys_updated_at going backwards: the incident's rows are applied in time
 * order, so the earlier Active row comes first and the stale New row, now
 * after it, is refused (no way back to New). */
static void time_goes_backwards(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 11:10", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 09:52", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_string_equal(itsm_record_state(x), "active");
    assert_int_equal(itsm_record_int(x, ITSM_F_UPDATED_AT), T("1/3/2016", "09:52"));
    assert_int_equal(itsm_record_int(x, ITSM_F_RESPONDED_AT), T("1/3/2016", "09:52"));
    assert_int_equal(quirk(&r, "row earlier than the case's previous row"), 1);
    assert_int_equal(r.rp.refused, 1);
    assert_int_equal(r.rp.ref[0].line, 2);
    run_free(&r);
}

/* The first update before opened_at: applied at opened_at. */
static void first_update_before_opened(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 08:30", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_int_equal(itsm_record_int(x, ITSM_F_OPENED_AT), T("1/3/2016", "09:00"));
    assert_int_equal(itsm_record_int(x, ITSM_F_RESPONDED_AT), T("1/3/2016", "09:00"));
    assert_int_equal(quirk(&r, "first sys_updated_at before opened_at"), 1);
    run_free(&r);
}

/* '?' is NULL: unset on the first row, a clear after a value. Under the
 * shipped policy's reassignment rule, group_change (what ServiceNow counts),
 * every change of group after the first row counts, through '?' too. */
static void question_mark_is_null(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "?", "2 - Medium",
                         "2 - Medium", "Group 1", "?"),
                     row("INC1", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 09:10", "Category 1",
                         "2 - Medium", "2 - Medium", "?", "Resolver 1"),
                     row("INC1", "Active", 1, 0, "1/3/2016 09:00", "1/3/2016 09:20", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 2", "Resolver 1"),
                     row("INC1", "Active", 2, 0, "1/3/2016 09:00", "1/3/2016 09:30", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 3", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *x = rec(&r, "INC1");
    assert_string_equal(itsm_record_str(x, ITSM_F_ASSIGNMENT_GROUP), "Group 3");
    assert_int_equal(itsm_record_int(x, ITSM_F_REASSIGNMENTS), 3); /* 1 -> ? -> 2 -> 3 */
    assert_int_equal(quirk(&r, "'?' after a value"), 1);
    run_free(&r);
}

/* A row that changes nothing tracked makes no event. */
static void row_changes_nothing(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 09:05", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    assert_int_equal(r.rp.unchanged, 1);
    assert_int_equal(r.rp.events, 2); /* open + activate; nothing for row 2 */
    assert_int_equal(itsm_record_revision(rec(&r, "INC1")), 2);
    run_free(&r);
}

/* Priority comes from the policy's matrix (the 4 levels found in the data). */
static void priority_matrix_of_the_data(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "3 - Low", "Group 1", "?"),
                     row("INC2", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "3 - Low", "3 - Low", "Group 1", "?"),
                     row("INC3", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "1 - High", "1 - High", "Group 1", "?"),
                     NULL };
    replay_rows(&r, rows);
    assert_int_equal(itsm_record_int(rec(&r, "INC1"), ITSM_F_PRIORITY), 4);
    assert_int_equal(itsm_record_int(rec(&r, "INC2"), ITSM_F_PRIORITY), 4);
    assert_int_equal(itsm_record_int(rec(&r, "INC3"), ITSM_F_PRIORITY), 1);
    run_free(&r);
}

/* The two times to resolve, as the policy decides them: an incident logged
 * already Resolved at opened_at has no resolution time ('logged_resolved');
 * of repeated Resolved rows the first is the resolution; Closed without a
 * Resolved row is not a resolution. */
static void time_to_resolve_decisions(void **state)
{
    (void)state;
    run r;
    char *rows[] = { row("INC1", "Resolved", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC1", "Closed", 0, 0, "1/3/2016 09:00", "6/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC2", "Active", 0, 0, "1/3/2016 09:00", "1/3/2016 09:10", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC2", "Resolved", 0, 0, "1/3/2016 09:00", "1/3/2016 10:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC2", "Resolved", 0, 0, "1/3/2016 09:00", "1/3/2016 12:00", "Category 2",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC3", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     row("INC3", "Closed", 0, 0, "1/3/2016 09:00", "1/3/2016 09:30", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "Resolver 1"),
                     NULL };
    replay_rows(&r, rows);
    itsm_record *a = rec(&r, "INC1"), *b = rec(&r, "INC2"), *c = rec(&r, "INC3");
    assert_string_equal(itsm_record_state(a), "closed");
    assert_int_equal(itsm_record_int(a, ITSM_F_RESOLVED_AT), ITSM_TIME_NONE);
    assert_int_equal(quirk(&r, "first row already Resolved at opened_at"), 1);
    assert_int_equal(itsm_record_int(b, ITSM_F_RESOLVED_AT), T("1/3/2016", "10:00"));
    assert_string_equal(itsm_record_str(b, ITSM_F_CATEGORY), "Category 2");
    assert_int_equal(quirk(&r, "Resolved row after Resolved"), 1);
    assert_string_equal(itsm_record_state(c), "closed");
    assert_int_equal(itsm_record_int(c, ITSM_F_RESOLVED_AT), ITSM_TIME_NONE);
    assert_int_equal(itsm_record_int(c, ITSM_F_CLOSED_AT), T("1/3/2016", "09:30"));
    assert_int_equal(r.rp.refused, 0);
    run_free(&r);
}

/* A malformed row is refused by the mapper with its line number; a later
 * row of an incident whose first row was refused is listed too. */
static void malformed_rows_are_listed(void **state)
{
    (void)state;
    run r;
    char *bad = malloc(64);
    strcpy(bad, "INC9,New,true,0");
    char *rows[] = { row("INC1", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "?"),
                     bad,
                     row("INC2", "Bogus", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1",
                         "2 - Medium", "2 - Medium", "Group 1", "?"),
                     NULL };
    replay_rows(&r, rows);
    assert_int_equal(r.rp.refused, 2);
    assert_int_equal(r.rp.ref[0].line, 3);
    assert_string_equal(r.rp.ref[0].reason, "malformed row: fewer columns than the header");
    assert_int_equal(r.rp.ref[1].line, 4);
    assert_string_equal(r.rp.ref[1].reason, "unknown incident_state");
    run_free(&r);
}

/* Apply a file's rows in file order (not rp_order's), through the
 * mapper's own loop (`runs`) or row by row, as bench_replay does. */
static void apply_in_file_order(run *r, const char *path, int runs)
{
    size_t len;
    char *doc = slurp(ITSM_SOURCE_DIR "/tools/servicenow_policy.json", &len);
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&r->pol, doc, len, NULL, NULL, &err), ITSM_OK);
    free(doc);
    r->pool = rp_pool_new();
    rp_init(&r->rp, r->pool);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = r->pol;
    o.clock = rp_clock;
    o.clock_user = &r->rp.now;
    o.sink = rp_sink;
    o.sink_user = &r->rp;
    assert_int_equal(itsm_engine_new(&r->rp.eng, &o), ITSM_OK);
    char msg[512];
    const char *paths[1] = { path };
    const rp_mapper *m = rp_mapper_find("uci");
    assert_int_equal(rp_load(&r->in, m, paths, 1, 0, r->pool, msg, sizeof msg), 0);
    r->rp.file = r->in.files[0];
    m->begin(&r->rp);
    rp_reserve_cases(&r->rp, r->in.n);
    if (runs)
        m->apply_rows(&r->rp, r->in.rows, r->in.n);
    else
        for (size_t i = 0; i < r->in.n; i++)
            m->apply(&r->rp, r->in.rows + i * m->row_size);
    rp_finish(&r->rp);
}

/* A malformed row that names another case makes that case the current
 * one (row_refused): in the mapper's loop (which keeps the current case's
 * id in a register) the next row of the case before is found again, not
 * taken for the malformed row's case. rp_order puts a case's rows
 * together, so only rows applied in file order meet this. */
static void malformed_row_in_a_run_changes_the_case(void **state)
{
    (void)state;
    char *rows[] = { row("INC1", "New", 0, 0, "1/3/2016 09:00", "1/3/2016 09:00", "Category 1", "2 - Medium",
                         "2 - Medium", "Group 1", "?"),
                     row("INC2", "Bogus", 0, 0, "1/3/2016 09:00", "1/3/2016 09:05", "Category 1", "2 - Medium",
                         "2 - Medium", "Group 1", "?"),
                     row("INC1", "Active", 1, 0, "1/3/2016 09:00", "1/3/2016 09:10", "Category 1", "2 - Medium",
                         "2 - Medium", "Group 2", "?"),
                     NULL };
    size_t cap = sizeof header + 2, n;
    for (int i = 0; rows[i]; i++)
        cap += strlen(rows[i]) + 1;
    char *text = malloc(cap);
    n = (size_t)sprintf(text, "%s\n", header);
    for (int i = 0; rows[i]; i++) {
        n += (size_t)sprintf(text + n, "%s\n", rows[i]);
        free(rows[i]);
    }
    char *path = temp_file(text, n);
    free(text);
    run a, b;
    apply_in_file_order(&a, path, 1);
    apply_in_file_order(&b, path, 0);
    unlink(path);
    free(path);
    assert_int_equal(a.rp.refused, 1);
    assert_int_equal(a.rp.ninc, 2);
    assert_int_equal(a.rp.inc[0].rows, 2);   /* INC1: its opening and its Active row */
    assert_int_equal(a.rp.inc[1].rows, 1);   /* INC2: the malformed row */
    assert_int_equal(a.rp.applied, b.rp.applied);
    assert_int_equal(a.rp.unchanged, b.rp.unchanged);
    assert_int_equal(a.rp.rows, b.rp.rows);
    assert_true(a.rp.events == b.rp.events);
    for (size_t i = 0; i < a.rp.ninc; i++) {
        assert_int_equal(a.rp.inc[i].rows, b.rp.inc[i].rows);
        assert_int_equal(a.rp.inc[i].log_team_changes, b.rp.inc[i].log_team_changes);
        assert_int_equal(a.rp.inc[i].last_t, b.rp.inc[i].last_t);
    }
    run_free(&a);
    run_free(&b);
}

enum { CASES = 400 };

/* A log of CASES cases of four rows (New, Active, Active, Resolved; their
 * teams and urgency changing), five rows duplicated, five cases' third row
 * earlier than their second. The file's path, to unlink and free. */
static char *cases_file(void)
{
    size_t cap = sizeof header + 2 + (size_t)CASES * 5 * 1024, n;
    char *text = malloc(cap);
    n = (size_t)sprintf(text, "%s\n", header);
    static const char *const states[] = { "New", "Active", "Active", "Resolved" };
    static const char *const groups[] = { "Group 1", "Group 2", "Group 1", "Group 3" };
    for (int c = 0; c < CASES; c++)
        for (int k = 0; k < 4; k++) {
            char id[16], upd[32];
            snprintf(id, sizeof id, "INC%d", c + 1);
            snprintf(upd, sizeof upd, "%d/3/2016 %02d:%02d", 1 + c / 100, c % 89 == 7 && k == 2 ? 9 : 9 + k, c % 60);
            char *w = row(id, states[k], k, 0, "1/3/2016 08:00", upd, "Category 1", "2 - Medium",
                          k == 2 ? "1 - High" : "2 - Medium", groups[(k + c) % 4], "Resolver 1");
            n += (size_t)sprintf(text + n, "%s\n", w);
            if (c % 97 == 5 && k == 1)   /* a duplicate: rp_run skips it between runs */
                n += (size_t)sprintf(text + n, "%s\n", w);
            free(w);
        }
    char *path = temp_file(text, n);
    free(text);
    return path;
}

/* Two replays of one log left the same counts, cases and quirks. */
static void same_replay(const run *a, const run *b)
{
    assert_int_equal(a->rp.rows, b->rp.rows);
    assert_int_equal(a->rp.applied, b->rp.applied);
    assert_int_equal(a->rp.unchanged, b->rp.unchanged);
    assert_int_equal(a->rp.refused, b->rp.refused);
    assert_int_equal(a->rp.skipped, b->rp.skipped);
    assert_true(a->rp.events == b->rp.events && a->rp.events > 0);
    assert_true(a->rp.fired == b->rp.fired);
    assert_int_equal(a->rp.ninc, b->rp.ninc);
    for (size_t i = 0; i < a->rp.ninc; i++) {
        assert_int_equal(a->rp.inc[i].rows, b->rp.inc[i].rows);
        assert_int_equal(a->rp.inc[i].sla, b->rp.inc[i].sla);
        assert_int_equal(a->rp.inc[i].log_team_changes, b->rp.inc[i].log_team_changes);
        assert_int_equal(a->rp.inc[i].last_t, b->rp.inc[i].last_t);
    }
    for (int i = 0; i < a->rp.nquirks; i++)
        assert_int_equal(a->rp.quirk[i].count, b->rp.quirk[i].count);
}

/* rp_run gives the mapper's runs of rows to uci_apply_rows (its own
 * loop): cut at a duplicate row, at a row applied out of file order (a
 * case's third row earlier than its second), at the progress rows (every
 * 1024th) and at the end, they leave the same replay as uci_apply row by
 * row. */
static void rows_in_runs_as_one_by_one(void **state)
{
    (void)state;
    char *path = cases_file();
    run a, b;
    replay_file(&a, path);
    rp_mapper one = *rp_mapper_find("uci");
    assert_non_null(one.apply_rows);
    one.apply_rows = NULL;   /* uci_apply per row */
    replay_file_with(&b, path, &one);
    unlink(path);
    free(path);
    assert_int_equal(a.rp.rows, CASES * 4 + 5);
    assert_int_equal(a.rp.skipped, 5);
    assert_int_equal(quirk(&a, "row earlier than the case's previous row"), 5);
    same_replay(&a, &b);
    run_free(&a);
    run_free(&b);
}

/* The sink reads its usual event inline (itsm/event.h, layout
 * ITSM_EVENT_LAYOUT) and every event through the getters when the
 * library's events are laid out otherwise (replay.getters): both leave
 * the same replay (a Debug build also checks the copy of each case's
 * record at every row, and the inline reads against the getters). */
static void events_read_inline_as_by_the_getters(void **state)
{
    (void)state;
    char *path = cases_file();
    run a, b;
    replay_file(&a, path);
    replay_file_read(&b, path, rp_mapper_find("uci"), 1);
    unlink(path);
    free(path);
    assert_true(a.rp.sink_one == 1);            /* its usual call read inline */
    assert_true(b.rp.sink_one == (size_t)-1);   /* never: every event through the getters */
    same_replay(&a, &b);
    run_free(&a);
    run_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_is_minutes_utc),
        cmocka_unit_test(first_row_not_new),
        cmocka_unit_test(state_minus_100),
        cmocka_unit_test(closed_twice),
        cmocka_unit_test(closed_to_active_reopens),
        cmocka_unit_test(time_goes_backwards),
        cmocka_unit_test(first_update_before_opened),
        cmocka_unit_test(question_mark_is_null),
        cmocka_unit_test(row_changes_nothing),
        cmocka_unit_test(priority_matrix_of_the_data),
        cmocka_unit_test(malformed_rows_are_listed),
        cmocka_unit_test(malformed_row_in_a_run_changes_the_case),
        cmocka_unit_test(time_to_resolve_decisions),
        cmocka_unit_test(rows_in_runs_as_one_by_one),
        cmocka_unit_test(events_read_inline_as_by_the_getters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
