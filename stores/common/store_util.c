/* SPDX-License-Identifier: Apache-2.0 */
/* store_util.c - see store_util.h. */
#include "store_util.h"

#include <stdio.h>
#include <stdlib.h>

/* The kind column: a policy event (a version's document, itsm_event_type
 * "policy") belongs to no record kind. */
static const char *kind_of(const itsm_event *ev)
{
    const char *k = itsm_kind_name(itsm_event_record_kind(ev));
    return k ? k : "policy";
}

static void envelope(store_row *row, const itsm_event *ev)
{
    row->record = itsm_event_record_id(ev);
    row->rev = itsm_event_revision(ev);
    row->kind = kind_of(ev);
    row->type = itsm_event_type(ev);
    row->at = itsm_event_time(ev);
    row->actor = itsm_event_actor(ev);
}

int store_row_bin(store_row *row, store_buf *buf, const itsm_event *ev)
{
    envelope(row, ev);
    size_t len = 0;
    if (itsm_event_to_binary(ev, buf->p, buf->cap, &len) != ITSM_OK) {
        size_t cap = len > 2 * buf->cap ? len : 2 * buf->cap;
        if (cap < 1024)
            cap = 1024;
        char *p = realloc(buf->p, cap);
        if (!p)
            return -1;
        buf->p = p;
        buf->cap = cap;
        if (itsm_event_to_binary(ev, buf->p, buf->cap, &len) != ITSM_OK)
            return -1;
    }
    row->json = buf->p;
    row->json_len = len;
    row->binary = 1;
    return 0;
}

int store_row_of(store_row *row, store_buf *buf, const itsm_event *ev)
{
    row->record = itsm_event_record_id(ev);
    row->rev = itsm_event_revision(ev);
    row->kind = kind_of(ev);
    row->type = itsm_event_type(ev);
    row->at = itsm_event_time(ev);
    row->actor = itsm_event_actor(ev);
    size_t len = 0;
    if (itsm_event_to_json(ev, buf->p, buf->cap, &len) != ITSM_OK) {
        /* Too small (or no buffer yet): grow to fit, at least doubling. */
        size_t cap = len + 1 > 2 * buf->cap ? len + 1 : 2 * buf->cap;
        if (cap < 1024)
            cap = 1024;
        char *p = realloc(buf->p, cap);
        if (!p)
            return -1;
        buf->p = p;
        buf->cap = cap;
        if (itsm_event_to_json(ev, buf->p, buf->cap, &len) != ITSM_OK)
            return -1;
    }
    row->json = buf->p;
    row->json_len = len;
    row->binary = 0;
    return 0;
}

void store_buf_free(store_buf *buf)
{
    free(buf->p);
    buf->p = NULL;
    buf->cap = 0;
}

void store_msg(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

void store_open_msg(char *errbuf, size_t errcap, const char *fmt, ...)
{
    if (!errbuf || errcap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, errcap, fmt, ap);
    va_end(ap);
}
