/* SPDX-License-Identifier: Apache-2.0 */
/*
 * consumer.c - a minimal host of an installed itsm (tests/check_install.sh).
 *
 * Opens an engine with the default options, opens an incident, assigns it
 * and prints what it sees. Exits non-zero on any failure, with the reason.
 */
#include <itsm.h>

#include <stdio.h>
#include <string.h>

static int failed(const itsm_engine *eng, const char *what, int rc)
{
    fprintf(stderr, "consumer: %s failed: %s (%s)%s%s\n", what, itsm_errname(rc),
            itsm_errstr(rc), eng ? ": " : "", eng ? itsm_errmsg(eng) : "");
    return 1;
}

static int run(itsm_engine *eng)
{
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    itsm_change open_fields[1];
    itsm_change assign_fields[1];
    itsm_record *rec = NULL;
    const char *opened_state;
    const char *group;
    int rc;

    open_fields[0].field = ITSM_F_SUMMARY;
    open_fields[0].str = "printer on floor 3 is offline";
    open_fields[0].num = 0;
    ro.kind = ITSM_KIND_INCIDENT;
    ro.fields = open_fields;
    ro.nfields = 1;
    rc = itsm_record_open(&rec, eng, &ro);
    if (rc != ITSM_OK)
        return failed(eng, "itsm_record_open", rc);
    if (rec == NULL || itsm_record_id(rec) == NULL || itsm_record_state(rec) == NULL) {
        fprintf(stderr, "consumer: itsm_record_open gave no record, id or state\n");
        return 1;
    }
    opened_state = itsm_record_state(rec);
    printf("opened   %s state=%s revision=%llu\n", itsm_record_id(rec), opened_state,
           (unsigned long long)itsm_record_revision(rec));
    if (itsm_record_revision(rec) != 1) {
        fprintf(stderr, "consumer: a new record should be at revision 1\n");
        return 1;
    }

    assign_fields[0].field = ITSM_F_ASSIGNMENT_GROUP;
    assign_fields[0].str = "service_desk";
    assign_fields[0].num = 0;
    rc = itsm_record_fire(rec, "assign", assign_fields, 1);
    if (rc != ITSM_OK)
        return failed(eng, "itsm_record_fire(\"assign\")", rc);
    printf("assigned %s state=%s revision=%llu\n", itsm_record_id(rec), itsm_record_state(rec),
           (unsigned long long)itsm_record_revision(rec));

    if (itsm_record_revision(rec) != 2) {
        fprintf(stderr, "consumer: revision after assign is %llu, expected 2\n",
                (unsigned long long)itsm_record_revision(rec));
        return 1;
    }
    group = itsm_record_str(rec, ITSM_F_ASSIGNMENT_GROUP);
    if (group == NULL || strcmp(group, "service_desk") != 0) {
        fprintf(stderr, "consumer: assignment_group is '%s', expected 'service_desk'\n",
                group ? group : "(unset)");
        return 1;
    }
    if (!itsm_record_is_open(rec)) {
        fprintf(stderr, "consumer: an assigned incident should still be open\n");
        return 1;
    }
    if (itsm_engine_record_count(eng) != 1) {
        fprintf(stderr, "consumer: the engine should hold exactly one record\n");
        return 1;
    }
    return 0;
}

int main(void)
{
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    itsm_engine *eng = NULL;
    int rc, status;

    printf("itsm %s (header %s)\n", itsm_version_string(), ITSM_VERSION_STRING);
    if (itsm_version_number() != ITSM_VERSION_NUMBER) {
        fprintf(stderr, "consumer: library version %d, header version %d\n",
                itsm_version_number(), ITSM_VERSION_NUMBER);
        return 1;
    }

    rc = itsm_engine_new(&eng, &opts);
    if (rc != ITSM_OK)
        return failed(NULL, "itsm_engine_new", rc);
    status = run(eng);
    itsm_engine_free(eng);
    if (status == 0)
        printf("consumer: ok\n");
    return status;
}
