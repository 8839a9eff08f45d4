/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for replaying the binary form without a value tree
 * (src/core/replay_bin.c), see README.md. The input is cut into events
 * where the bytes E5 01 (the form's header) begin, and the events are
 * replayed in turn into two fresh engines under the default policy: one
 * as the library runs (the tree-free path first), one held to the tree
 * path. After every event both must give the same code, the same message
 * and parse error, and the same records (a compact dump of what the
 * getters show, the service levels' clocks included); a refused event
 * must change nothing. At the end both engines still take a live mutation.
 */
#include "itsm/sla.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "fuzz_replay_binary: check failed: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

typedef struct sbuf { char *s; size_t n, cap; } sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    char tmp[512];
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t n = k < 0 ? 0 : (size_t)k >= sizeof tmp ? sizeof tmp - 1 : (size_t)k;
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        CHECK(b->s);
    }
    memcpy(b->s + b->n, tmp, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* What the getters show of every record. */
static char *dump(const itsm_engine *eng)
{
    sbuf b = { NULL, 0, 0 };
    put(&b, "%zu records\n", itsm_engine_record_count(eng));
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        CHECK(itsm_engine_record_at(&r, eng, i) == ITSM_OK);
        put(&b, "%s %s %s rev=%llu\n", itsm_record_id(r), itsm_kind_name(itsm_record_kind(r)), itsm_record_state(r),
            (unsigned long long)itsm_record_revision(r));
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            if (!itsm_record_has(r, (itsm_field)f))
                continue;
            const char *s = itsm_record_str(r, (itsm_field)f);
            if (s)
                put(&b, " %d=\"%s\"\n", f, s);
            else
                put(&b, " %d=%lld\n", f, (long long)itsm_record_int(r, (itsm_field)f));
        }
        for (size_t t = 0; t < itsm_record_timeline_count(r); t++) {
            itsm_timeline_entry e = { .size = sizeof e };
            CHECK(itsm_record_timeline_at(r, t, &e) == ITSM_OK);
            put(&b, " note %d %lld %s %lld %lld %s\n", (int)e.kind, (long long)e.at, e.author ? e.author : "-",
                (long long)e.expected_restoration, (long long)e.next_update, e.text);
        }
        for (size_t l = 0; l < itsm_record_link_count(r); l++) {
            itsm_link k = { .size = sizeof k };
            CHECK(itsm_record_link_at(r, l, &k) == ITSM_OK);
            put(&b, " link %d %s\n", (int)k.kind, k.target_id);
        }
        /* what the service levels' events apply: each clock's warnings and
         * breach (seen at a fixed time, so the two engines agree on it) */
        const char *sla = itsm_record_sla(r);
        put(&b, " sla %s", sla ? sla : "-");
        for (int t = ITSM_TIMER_RESPONSE; t <= ITSM_TIMER_NEXT_UPDATE; t++) {
            itsm_timer_info ti = { .size = sizeof ti };
            if (itsm_record_timer(&ti, r, (itsm_timer)t, 1772442000) == ITSM_OK)
                put(&b, " %d:%d/%d/%u", t, (int)ti.status, ti.breached, ti.warnings);
        }
        put(&b, "\n");
    }
    return b.s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    itsm_engine *eng[2];
    for (int tree = 0; tree < 2; tree++) {
        CHECK(itsm_engine_new(&eng[tree], NULL) == ITSM_OK);
        eng[tree]->replay_tree = tree;
    }
    char *before = dump(eng[0]);
    for (size_t at = 0; at < size;) {
        size_t end = at + 1;
        while (end + 1 < size && !(data[end] == 0xE5 && data[end + 1] == 0x01))
            end++;
        if (end + 1 >= size)
            end = size;
        itsm_parse_error err[2];
        int rc[2];
        for (int tree = 0; tree < 2; tree++)
            rc[tree] = itsm_engine_replay(eng[tree], data + at, end - at, &err[tree]);
        CHECK(rc[0] == rc[1]);
        CHECK(strcmp(itsm_errmsg(eng[0]), itsm_errmsg(eng[1])) == 0);
        CHECK(err[0].code == err[1].code && strcmp(err[0].text, err[1].text) == 0);
        char *a = dump(eng[0]), *b = dump(eng[1]);
        CHECK(strcmp(a, b) == 0);
        if (rc[0] != ITSM_OK)
            CHECK(strcmp(a, before) == 0);
        free(b);
        free(before);
        before = a;
        at = end;
    }
    free(before);
    for (int tree = 0; tree < 2; tree++) {
        itsm_record *r;
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.id = "FUZZ-LIVE-1";
        int rc = itsm_record_open(&r, eng[tree], &o);
        CHECK(rc == ITSM_OK || rc == ITSM_EEXISTS);
        itsm_engine_free(eng[tree]);
    }
    return 0;
}
