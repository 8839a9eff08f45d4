/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/replay/test_log_input.c - strict reading of the logs (tools/csv.c,
 * tools/logs.c, tools/replay.c: rp_order): every malformed input is a
 * refused row or a stated quirk with its line number, never silent.
 *
 * Registered by tests/sqlite.cmake beside test_uci_mapping (it needs
 * tools/ and zlib).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "logs.h"
#include "uci.h"
#include "bpi.h"

static const char uci_header[] =
    "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,"
    "opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,"
    "location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,"
    "assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,"
    "resolved_by,resolved_at,closed_at\n";

/* One UCI row: the columns the tests vary, the rest as in the log. */
static void urow(char *out, size_t cap, const char *number, const char *state, const char *opened,
                 const char *updated, const char *group, const char *resolved, const char *closed)
{
    snprintf(out, cap,
             "%s,%s,true,0,0,0,true,Caller 1,Opened by  8,%s,?,?,Updated by 21,%s,Phone,Location 1,"
             "Category 1,Subcategory 1,?,?,2 - Medium,2 - Medium,3 - Moderate,%s,Resolver 1,false,false,"
             "Do Not Notify,?,?,?,?,code 5,Resolved by 1,%s,%s\n",
             number, state, opened, updated, group, resolved, closed);
}

static const char bpi_header[] =
    "SR Number;Change Date+Time;Status;Sub Status;Involved ST Function Div;Involved Org line 3;"
    "Involved ST;SR Latest Impact;Product;Country;Owner Country;Owner First Name\r\n";

typedef struct run {
    rp_pool     *pool;
    replay       rp;
    itsm_policy *pol;
    rp_input     in;
    int          loaded;
    char         path[64];
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

static void write_file(run *r, const char *text, size_t n, int gz)
{
    strcpy(r->path, "/tmp/itsm-log-XXXXXX");
    int fd = mkstemp(r->path);
    assert_true(fd >= 0);
    if (gz) {
        gzFile g = gzdopen(fd, "wb");
        assert_non_null(g);
        assert_int_equal(gzwrite(g, text, (unsigned)n), (int)n);
        assert_int_equal(gzclose(g), Z_OK);
    } else {
        assert_int_equal(write(fd, text, n), (ssize_t)n);
        close(fd);
    }
}

/* Load and replay r->path as log `name` under its shipped policy. */
static void replay_path(run *r, const char *name)
{
    const rp_mapper *m = rp_mapper_find(name);
    assert_non_null(m);
    char pp[512];
    snprintf(pp, sizeof pp, "%s/tools/%s", ITSM_SOURCE_DIR, m->policy);
    size_t len;
    char *doc = slurp(pp, &len);
    assert_int_equal(itsm_policy_from_json(&r->pol, doc, len, NULL, NULL, NULL), ITSM_OK);
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
    const char *paths[1] = { r->path };
    assert_int_equal(rp_load(&r->in, m, paths, 1, 0, r->pool, msg, sizeof msg), 0);
    r->loaded = 1;
    assert_int_equal(rp_run(&r->rp, &r->in, NULL, NULL), 0);
}

static void run_free(run *r)
{
    if (r->loaded)
        rp_input_free(&r->in);
    itsm_engine_free(r->rp.eng);
    rp_free(&r->rp);
    rp_pool_free(r->pool);
    itsm_policy_free(r->pol);
    unlink(r->path);
}

static const rp_quirk *quirk(const run *r, const char *name)
{
    for (int i = 0; i < r->rp.nquirks; i++)
        if (!strcmp(r->rp.quirk[i].name, name))
            return &r->rp.quirk[i];
    fail_msg("no quirk '%s'", name);
    return NULL;
}

/* The refusal of `line`, which must exist. */
static const rp_refusal *refusal(const run *r, long line)
{
    for (size_t i = 0; i < r->rp.nref; i++)
        if (r->rp.ref[i].line == line)
            return &r->rp.ref[i];
    fail_msg("line %ld was not refused", line);
    return NULL;
}

/* ---- dates ---- */

static void impossible_dates_are_refused_not_rolled_over(void **state)
{
    (void)state;
    assert_int_equal(rp_time_dmy("30/2/2016 10:00", 15), ITSM_TIME_NONE);
    assert_int_equal(rp_time_dmy("31/4/2016 10:00", 15), ITSM_TIME_NONE);
    assert_int_equal(rp_time_dmy("29/2/2017 10:00", 15), ITSM_TIME_NONE);   /* not a leap year */
    assert_int_equal(rp_time_dmy("29/2/2016 10:00", 15), 1456740000);      /* a leap year */
    assert_int_equal(rp_time_dmy("31/12/2016 23:59", 16), 1483228740);
    assert_int_equal(rp_time_dmy("1/3/2016 24:00", 14), ITSM_TIME_NONE);
    assert_int_equal(rp_time_dmy("1/3/2016 10:60", 14), ITSM_TIME_NONE);
    assert_int_equal(rp_time_dmy("1/3/2016 10:0", 13), ITSM_TIME_NONE);
    assert_int_equal(rp_time_dmy("1/13/2016 10:00", 15), ITSM_TIME_NONE);
    assert_int_equal(rp_time_dmy("0/3/2016 10:00", 14), ITSM_TIME_NONE);
    assert_int_equal(rp_time_iso("2012-02-30T10:00:00+01:00", 25), ITSM_TIME_NONE);
    assert_int_equal(rp_time_iso("2011-04-31T10:00:00+01:00", 25), ITSM_TIME_NONE);
    assert_int_equal(rp_time_iso("2010-03-31T15:59:42+01:00", 25), 1270047582);
    assert_int_equal(rp_time_iso("2010-03-31T14:59:42Z", 20), 1270047582);
    assert_int_equal(rp_time_iso("2010-03-31T15:59:42+01:0", 24), ITSM_TIME_NONE);
    assert_int_equal(rp_time_iso("2010-03-31 15:59:42+01:00", 25), ITSM_TIME_NONE);
}

/* A row whose sys_updated_at is 30/2 is refused with its line, and so is a
 * row whose resolved_at or closed_at is not a real time; '?' is missing. */
static void uci_bad_times_refuse_the_row(void **state)
{
    (void)state;
    run r = { 0 };
    char text[8192], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:00", "30/2/2016 10:00", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);   /* line 2: sys_updated_at */
    urow(row, sizeof row, "INC2", "New", "1/3/2016 09:00", "1/3/2016 10:00", "Group 1", "31/4/2016 10:00",
         "6/3/2016 10:00");
    strcat(text, row);   /* line 3: resolved_at */
    urow(row, sizeof row, "INC3", "New", "1/3/2016 09:00", "1/3/2016 10:00", "Group 1", "?", "6/3/2016 1");
    strcat(text, row);   /* line 4: closed_at */
    urow(row, sizeof row, "INC4", "New", "1/3/2016 09:00", "1/3/2016 10:00", "Group 1", "?", "?");
    strcat(text, row);   /* line 5: '?' is a missing value */
    write_file(&r, text, strlen(text), 0);
    replay_path(&r, "uci");
    assert_int_equal(r.rp.refused, 3);
    assert_string_equal(refusal(&r, 2)->reason, "malformed row: sys_updated_at is not a real D/M/YYYY HH:MM time");
    assert_string_equal(refusal(&r, 3)->reason, "malformed row: resolved_at is not a real D/M/YYYY HH:MM time");
    assert_string_equal(refusal(&r, 4)->reason, "malformed row: closed_at is not a real D/M/YYYY HH:MM time");
    assert_int_equal(r.rp.applied, 1);
    run_free(&r);
}

static void bpi_impossible_date_refuses_the_row(void **state)
{
    (void)state;
    run r = { 0 };
    char text[1024];
    snprintf(text, sizeof text, "%s%s%s", bpi_header,
             "1-1;2012-02-30T10:00:00+01:00;Accepted;In Progress;A2_1;Org line A2;V30;Medium;PROD1;se;Sweden;Anna\r\n",
             "1-2;2012-02-28T10:00:00+01:00;Accepted;In Progress;A2_1;Org line A2;V30;Medium;PROD1;se;Sweden;Anna\r\n");
    write_file(&r, text, strlen(text), 0);
    replay_path(&r, "bpi");
    assert_int_equal(r.rp.refused, 1);
    assert_string_equal(refusal(&r, 2)->reason,
                        "malformed row: Change Date+Time is not a real ISO 8601 time with an offset");
    run_free(&r);
}

/* ---- the end of the input ---- */

/* The last line without a line end may have lost part of its last field:
 * it is refused, never taken as whole. */
static void field_cut_at_end_of_file_is_refused(void **state)
{
    (void)state;
    run r = { 0 };
    char text[4096], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:00", "1/3/2016 09:00", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);
    urow(row, sizeof row, "INC1", "Active", "1/3/2016 09:00", "1/3/2016 09:30", "Group 2", "?", "6/3/2016 10:00");
    row[strlen(row) - 4] = '\0';   /* cut inside closed_at, no line end */
    strcat(text, row);
    write_file(&r, text, strlen(text), 0);
    replay_path(&r, "uci");
    assert_int_equal(r.rp.refused, 1);
    assert_string_equal(refusal(&r, 3)->reason, "line cut at the end of the input (no line end)");
    const rp_quirk *q = quirk(&r, "last line has no line end");
    assert_int_equal(q->count, 1);
    assert_int_equal(q->lines[0].line, 3);
    run_free(&r);
}

static void check_truncated(run *r, const char *why)
{
    assert_non_null(r->in.error);
    assert_non_null(strstr(r->in.error, why));
    assert_non_null(r->rp.input_error);
}

/* A gzip file cut in the middle: the rows before the cut are replayed, the
 * input is reported incomplete. */
static void gzip_cut_mid_file_is_reported(void **state)
{
    (void)state;
    run r = { 0 };
    size_t cap = 1 << 20, n = strlen(uci_header);
    char *text = malloc(cap), row[1024];
    memcpy(text, uci_header, n);
    for (int i = 0; i < 2000; i++) {
        char id[16];
        snprintf(id, sizeof id, "INC%d", i);
        urow(row, sizeof row, id, "New", "1/3/2016 09:00", "1/3/2016 09:00", "Group 1", "?", "6/3/2016 10:00");
        memcpy(text + n, row, strlen(row));
        n += strlen(row);
    }
    write_file(&r, text, n, 1);
    free(text);
    struct stat st;
    assert_int_equal(stat(r.path, &st), 0);
    assert_int_equal(truncate(r.path, st.st_size / 2), 0);
    replay_path(&r, "uci");
    check_truncated(&r, "gzip stream ends early");
    assert_true(r.rp.rows > 0 && r.rp.rows < 2000);
    run_free(&r);
}

/* Only the 8-byte trailer (CRC and length) missing: every row is there,
 * but the file is still reported incomplete - nothing checked it. */
static void gzip_missing_only_its_trailer_is_reported(void **state)
{
    (void)state;
    run r = { 0 };
    char text[4096], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:00", "1/3/2016 09:00", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);
    write_file(&r, text, strlen(text), 1);
    struct stat st;
    assert_int_equal(stat(r.path, &st), 0);
    assert_int_equal(truncate(r.path, st.st_size - 8), 0);
    replay_path(&r, "uci");
    check_truncated(&r, "gzip stream ends early");
    assert_int_equal(r.rp.rows, 1);
    assert_int_equal(r.rp.refused, 0);
    run_free(&r);
}

static void gzip_whole_file_reads_clean(void **state)
{
    (void)state;
    run r = { 0 };
    char text[4096], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:00", "1/3/2016 09:00", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);
    write_file(&r, text, strlen(text), 1);
    replay_path(&r, "uci");
    assert_null(r.in.error);
    assert_null(r.rp.input_error);
    assert_int_equal(r.rp.applied, 1);
    run_free(&r);
}

/* ---- order ---- */

/* An incident whose rows come back after another incident's is one
 * incident: counted once, its rows merged, the later block listed. */
static void repeated_incident_block_is_one_incident(void **state)
{
    (void)state;
    run r = { 0 };
    char text[8192], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:00", "1/3/2016 09:00", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);   /* 2 */
    urow(row, sizeof row, "INC2", "New", "1/3/2016 09:00", "1/3/2016 09:10", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);   /* 3 */
    urow(row, sizeof row, "INC1", "Active", "1/3/2016 09:00", "1/3/2016 09:30", "Group 2", "?", "6/3/2016 10:00");
    strcat(text, row);   /* 4: INC1 again */
    urow(row, sizeof row, "INC1", "Resolved", "1/3/2016 09:00", "1/3/2016 11:00", "Group 2", "1/3/2016 11:00",
         "6/3/2016 10:00");
    strcat(text, row);   /* 5 */
    write_file(&r, text, strlen(text), 0);
    replay_path(&r, "uci");
    assert_int_equal(r.rp.ninc, 2);
    assert_int_equal(r.rp.inc[0].rows, 3);
    assert_int_equal(r.rp.refused, 0);
    const rp_quirk *q = quirk(&r, "rows of a case resume after other cases' rows");
    assert_int_equal(q->count, 1);
    assert_int_equal(q->lines[0].line, 4);
    itsm_record *x;
    assert_int_equal(itsm_record_find(&x, r.rp.eng, "INC1"), ITSM_OK);
    assert_string_equal(itsm_record_state(x), "resolved");
    assert_int_equal(itsm_record_int(x, ITSM_F_REASSIGNMENTS), 1);
    run_free(&r);
}

/* Rows out of time order within an incident: listed with their lines and
 * applied in time order, so the stale row cannot undo the resolution. */
static void rows_out_of_time_order_are_listed_and_sorted(void **state)
{
    (void)state;
    run r = { 0 };
    char text[8192], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:48", "1/3/2016 11:10", "Group 1", "1/3/2016 11:03",
         "6/3/2016 12:00");
    strcat(text, row);   /* 2: stale, stamped after the resolution */
    urow(row, sizeof row, "INC1", "New", "1/3/2016 09:48", "1/3/2016 09:52", "Group 1", "1/3/2016 11:03",
         "6/3/2016 12:00");
    strcat(text, row);   /* 3: earlier than line 2 */
    urow(row, sizeof row, "INC1", "Resolved", "1/3/2016 09:48", "1/3/2016 11:03", "Group 1", "1/3/2016 11:03",
         "6/3/2016 12:00");
    strcat(text, row);   /* 4: earlier than line 2 too */
    write_file(&r, text, strlen(text), 0);
    replay_path(&r, "uci");
    const rp_quirk *q = quirk(&r, "row earlier than the case's previous row");
    assert_int_equal(q->count, 1);   /* line 4 is later than line 3, its previous row */
    assert_int_equal(q->lines[0].line, 3);
    itsm_record *x;
    assert_int_equal(itsm_record_find(&x, r.rp.eng, "INC1"), ITSM_OK);
    assert_int_equal(itsm_record_int(x, ITSM_F_RESOLVED_AT), rp_time_dmy("1/3/2016 11:03", 14));
    assert_string_equal(itsm_record_state(x), "resolved");
    /* the stale New row comes last and is refused: no way back to New */
    assert_int_equal(r.rp.refused, 1);
    assert_string_equal(refusal(&r, 2)->reason, "ITSM_ETRANSITION: 'renew' from 'resolved' (log: New)");
    run_free(&r);
}

/* A row that repeats an earlier row of its incident exactly is skipped. */
static void exact_repeat_is_skipped_and_listed(void **state)
{
    (void)state;
    run r = { 0 };
    char text[8192], row[1024];
    strcpy(text, uci_header);
    urow(row, sizeof row, "INC1", "Active", "1/3/2016 09:00", "1/3/2016 09:00", "Group 1", "?", "6/3/2016 10:00");
    strcat(text, row);
    strcat(text, row);   /* line 3: the same again */
    write_file(&r, text, strlen(text), 0);
    replay_path(&r, "uci");
    assert_int_equal(r.rp.rows, 2);
    assert_int_equal(r.rp.skipped, 1);
    assert_int_equal(r.rp.inc[0].rows, 1);
    const rp_quirk *q = quirk(&r, "row repeats an earlier row of its case exactly");
    assert_int_equal(q->count, 1);
    assert_int_equal(q->lines[0].line, 3);
    run_free(&r);
}

/* ---- columns carried into custom fields ---- */

static const char hd_header[] =
    "Case ID,Activity,Resource,Complete Timestamp,seriousness,customer,product,responsible_section,"
    "seriousness_2,service_level,service_type,support_section,workgroup\n";

/* One help desk row: the columns the test varies, the rest "Value 1". */
static void hrow(char *out, size_t cap, const char *activity, const char *at, const char *seriousness2,
                 const char *level)
{
    snprintf(out, cap, "Case 1,%s,Value 1,%s,Value 1,Value 1,Value 1,Value 1,%s,%s,Value 1,Value 1,Value 1\n",
             activity, at, seriousness2, level);
}

/* The help desk log under its shipped policy plus two custom fields, with
 * seriousness_2 carried into a text field and service_level into an int. */
static void replay_mapped(run *r, const char *text)
{
    write_file(r, text, strlen(text), 0);
    const rp_mapper *m = rp_mapper_find("helpdesk");
    char pp[512];
    snprintf(pp, sizeof pp, "%s/tools/%s", ITSM_SOURCE_DIR, m->policy);
    size_t len;
    char *doc = slurp(pp, &len);
    assert_int_equal(itsm_policy_from_json(&r->pol, doc, len, NULL, NULL, NULL), ITSM_OK);
    free(doc);
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = "seriousness2";
    d.type = ITSM_TYPE_TEXT;
    assert_int_equal(itsm_policy_add_field(r->pol, &d, NULL), ITSM_OK);
    d.name = "level";
    d.type = ITSM_TYPE_INT;
    d.min = 0;
    d.max = 9;
    assert_int_equal(itsm_policy_add_field(r->pol, &d, NULL), ITSM_OK);
    r->pool = rp_pool_new();
    rp_init(&r->rp, r->pool);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = r->pol;
    o.clock = rp_clock;
    o.clock_user = &r->rp.now;
    o.sink = rp_sink;
    o.sink_user = &r->rp;
    assert_int_equal(itsm_engine_new(&r->rp.eng, &o), ITSM_OK);
    static const rp_colmap maps[] = { { "seriousness_2", "seriousness2" }, { "service_level", "level" } };
    char msg[512];
    assert_int_equal(rp_map_fields(&r->rp, maps, 2, msg, sizeof msg), 0);
    const char *paths[1] = { r->path };
    assert_int_equal(rp_load_mapped(&r->in, m, paths, 1, 0, r->pool, maps, 2, msg, sizeof msg), 0);
    r->loaded = 1;
    assert_int_equal(rp_run(&r->rp, &r->in, NULL, NULL), 0);
}

static void a_mapped_column_is_carried_into_its_custom_field(void **state)
{
    (void)state;
    run r = { 0 };
    char text[4096], row[512];
    strcpy(text, hd_header);
    hrow(row, sizeof row, "Insert ticket", "2012-10-09T14:50:17+00:00", "Value 1", "3");
    strcat(text, row);   /* 2 */
    hrow(row, sizeof row, "Take in charge ticket", "2012-10-09T15:00:00+00:00", "Value 2", "3");
    strcat(text, row);   /* 3: seriousness_2 changes */
    hrow(row, sizeof row, "Wait", "2012-10-09T16:00:00+00:00", "Value 2", "high");
    strcat(text, row);   /* 4: not a number: a quirk, the step stands */
    replay_mapped(&r, text);
    assert_int_equal(r.rp.refused, 0);
    itsm_record *x;
    assert_int_equal(itsm_record_find(&x, r.rp.eng, "Case-1"), ITSM_OK);
    itsm_field s2, level;
    assert_int_equal(itsm_engine_field(&s2, r.rp.eng, "seriousness2"), ITSM_OK);
    assert_int_equal(itsm_engine_field(&level, r.rp.eng, "level"), ITSM_OK);
    assert_string_equal(itsm_record_str(x, s2), "Value 2");
    assert_int_equal(itsm_record_int(x, level), 3);
    assert_string_equal(itsm_record_state(x), "waiting");
    const rp_quirk *q = quirk(&r, "mapped column value the policy refuses (--map)");
    assert_int_equal(q->count, 1);
    assert_int_equal(q->lines[0].line, 4);
    run_free(&r);
}

static void a_map_to_an_unknown_column_or_field_is_refused(void **state)
{
    (void)state;
    run r = { 0 };
    char text[1024], row[512];
    strcpy(text, hd_header);
    hrow(row, sizeof row, "Insert ticket", "2012-10-09T14:50:17+00:00", "Value 1", "3");
    strcat(text, row);
    write_file(&r, text, strlen(text), 0);
    r.pool = rp_pool_new();
    static const rp_colmap col[] = { { "tier", "level" } };
    char msg[512];
    const char *paths[1] = { r.path };
    assert_int_equal(rp_load_mapped(&r.in, rp_mapper_find("helpdesk"), paths, 1, 0, r.pool, col, 1, msg,
                                    sizeof msg), -1);
    assert_string_equal(msg, "--map: the log has no column 'tier'");
    rp_input_free(&r.in);
    assert_int_equal(itsm_policy_new_default(&r.pol, NULL), ITSM_OK);
    rp_init(&r.rp, r.pool);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = r.pol;
    assert_int_equal(itsm_engine_new(&r.rp.eng, &o), ITSM_OK);
    static const rp_colmap fld[] = { { "service_level", "priority" } };   /* built in: not a custom field */
    assert_int_equal(rp_map_fields(&r.rp, fld, 1, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "declares no custom field 'priority'"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_mapped_column_is_carried_into_its_custom_field),
        cmocka_unit_test(a_map_to_an_unknown_column_or_field_is_refused),
        cmocka_unit_test(impossible_dates_are_refused_not_rolled_over),
        cmocka_unit_test(uci_bad_times_refuse_the_row),
        cmocka_unit_test(bpi_impossible_date_refuses_the_row),
        cmocka_unit_test(field_cut_at_end_of_file_is_refused),
        cmocka_unit_test(gzip_cut_mid_file_is_reported),
        cmocka_unit_test(gzip_missing_only_its_trailer_is_reported),
        cmocka_unit_test(gzip_whole_file_reads_clean),
        cmocka_unit_test(repeated_incident_block_is_one_incident),
        cmocka_unit_test(rows_out_of_time_order_are_listed_and_sorted),
        cmocka_unit_test(exact_repeat_is_skipped_and_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
