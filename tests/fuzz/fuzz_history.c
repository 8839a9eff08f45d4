/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for reading stored events back as history without a
 * value tree (src/core/history.c, itsm__hreader_read: the report's
 * process figures read the whole store this way), see README.md. The
 * input is cut into events where the bytes E5 01 (the binary form's
 * header) begin; each is read by the tree-less reader and by the tree
 * reader it hands back to (itsm__hev_read). Both must give the same code
 * and, for an event read, the same envelope (type, record, kind, time,
 * states, event, link) and the same answers for the "set" members the
 * library's readers ask for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/history.h"
#include "kit/alloc.h"
#include "itsm/errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz_history: check failed: %s (line %d)\n", #cond, __LINE__);   \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void same_event(const itsm__hev *a, const itsm__hev *b)
{
    static const char *const fields[] = { "assignment_group", "functional_level", "priority", "assignee",
                                          "resolved_at", "not_a_field" };
    CHECK(a->type == b->type);
    CHECK(a->nrecord == b->nrecord && memcmp(a->record, b->record, a->nrecord) == 0);
    if (a->type == ITSM__H_POLICY)
        return;
    CHECK(a->kind == b->kind && a->at == b->at);
    CHECK(same_str(a->state, b->state) && same_str(a->event, b->event));
    CHECK(same_str(a->from, b->from) && same_str(a->to, b->to));
    CHECK(a->link_kind == b->link_kind && a->link_target_kind == b->link_target_kind);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *sa = NULL, *sb = NULL;
        int64_t na = 0, nb = 0;
        int ha = itsm__hev_str(a, fields[i], &sa), hb = itsm__hev_str(b, fields[i], &sb);
        CHECK(ha == hb && (!ha || same_str(sa, sb)));
        ha = itsm__hev_num(a, fields[i], &na);
        hb = itsm__hev_num(b, fields[i], &nb);
        CHECK(ha == hb && (!ha || na == nb));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    itsm_allocator a;
    CHECK(itsm__alloc_resolve(&a, NULL) == ITSM_OK);
    itsm__hreader *h = itsm__hreader_new(&a, NULL);
    CHECK(h);
    for (size_t at = 0; at < size;) {
        size_t end = at + 1;
        while (end + 1 < size && !(data[end] == 0xE5 && data[end + 1] == 0x01))
            end++;
        if (end + 1 >= size)
            end = size;
        itsm__hev fast, tree;
        itsm__jdoc *doc = NULL;
        itsm_parse_error e1, e2;
        int rc1 = itsm__hreader_read(h, &fast, data + at, end - at, &e1);
        int rc2 = itsm__hev_read(&doc, &tree, (const char *)data + at, end - at, &a, NULL, &e2);
        CHECK(rc1 == rc2);
        if (rc1 == ITSM_OK)
            same_event(&fast, &tree);
        else
            CHECK(strcmp(e1.text, e2.text) == 0);
        itsm__jdoc_free(doc);
        at = end;
    }
    itsm__hreader_free(h);
    return 0;
}
