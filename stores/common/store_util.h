/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_util.h - what every store of stores/ does the same way: an event's
 * row (the columns of docs/store-schema.md) and its JSON in a reused
 * buffer, and error text into a fixed buffer. Internal to the store
 * libraries (hidden symbols).
 */
#ifndef ITSM_STORE_UTIL_H
#define ITSM_STORE_UTIL_H

#include <itsm.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* One event as a row of itsm_events (seq is the store's to assign). The
 * strings are borrowed from the event, json from the row buffer. */
typedef struct store_row {
    const char *record;
    uint64_t    rev;
    const char *kind;
    const char *type;
    itsm_time   at;
    const char *actor;   /* NULL when nobody was named */
    const char *json;       /* the event: JSON text, or its binary form when `binary` */
    size_t      json_len;
    int         binary;
} store_row;

/* A growable buffer the rows' JSON is written into, reused across events. */
typedef struct store_buf {
    char  *p;
    size_t cap;
} store_buf;

/* Fill *row from ev; the JSON goes to buf (grown as needed).
 * 0, or -1 when memory for the JSON ran out. */
int  store_row_of(store_row *row, store_buf *buf, const itsm_event *ev);
/* The same with the event in its binary form. */
int  store_row_bin(store_row *row, store_buf *buf, const itsm_event *ev);
void store_buf_free(store_buf *buf);

/* snprintf into a message buffer of `cap` bytes, never failing. */
void store_msg(char *dst, size_t cap, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The message of a failed open into the caller's buffer (NULL: dropped). */
void store_open_msg(char *errbuf, size_t errcap, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
