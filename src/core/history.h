/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: reading a store's events back as history, for the readers that
 * look at what happened rather than rebuild records (the report's process
 * figures, src/report_process.c; the conformance report, src/conformance*.c).
 *
 * itsm__hev_read takes one event's JSON form (docs/events.md) and gives its
 * envelope and type members; it checks what it reads (types, a known kind,
 * a well-formed time) but, unlike replay, does not re-check every field:
 * history readers tolerate members they do not need.
 *
 * itsm__strmap maps byte strings to numbers (keys copied), so a reader can
 * keep per-record state by record id and share repeated names.
 */
#ifndef ITSM_SRC_HISTORY_H
#define ITSM_SRC_HISTORY_H

#include "itsm/record.h"
#include "kit/json.h"
#include "kit/hash.h"

typedef enum itsm__htype {
    ITSM__H_OTHER = 0, ITSM__H_OPEN, ITSM__H_UPDATE, ITSM__H_TRANSITION, ITSM__H_NOTE, ITSM__H_LINK,
    ITSM__H_POLICY   /* a policy version's document (core/versions.c): no record's; kind 0, nothing else read */
} itsm__htype;

typedef struct itsm__hev {
    itsm__htype       type;
    const char       *record;     /* borrowed from the document, as every string here */
    size_t            nrecord;
    itsm_kind         kind;
    itsm_time         at;
    const char       *state;      /* open: the initial state */
    const char       *event, *from, *to;   /* transition */
    const itsm__jval *set;        /* the "set" object, or NULL */
    void             *flat;       /* read by an itsm__hreader without a tree: its members (set is NULL) */
    int               link_kind;  /* link: ITSM_LINK_* */
    itsm_kind         link_target_kind;
} itsm__hev;

/* Parse one event. On success *doc owns the strings *out borrows (free it
 * with itsm__jdoc_free). ITSM_EPARSE / ITSM_ELIMIT with err filled,
 * ITSM_ENOMEM, ITSM_EINVAL for NULL text. */
int itsm__hev_read(itsm__jdoc **doc, itsm__hev *out, const char *json, size_t len, const itsm_allocator *a,
                   const itsm_json_limits *limits, itsm_parse_error *err);

/* A field's value in a "set" object: 1 and *str (NULL for null) for a
 * string or null member; 1 and *num for a number or bool; 0 when absent.
 * `field` is a name whose bytes never change (a literal): an
 * itsm__hreader looks each up once, by its pointer. */
int itsm__hev_str(const itsm__hev *ev, const char *field, const char **str);
int itsm__hev_num(const itsm__hev *ev, const char *field, int64_t *num);

/* A reader of many events (a store's scan). An event in the binary form
 * whose members are plain - scalars, "set", "note" and "link" objects of
 * scalars, as the engine writes them - is read without a value tree, by
 * the binary replay's decoder (core/replay_bin_read.c); any other event,
 * and the JSON form, through the tree as itsm__hev_read reads it, which
 * also says what is wrong with a malformed one. Either way *ev is what
 * itsm__hev_read gives, and stays valid until the next read or the free.
 * itsm__hreader_new: NULL on ENOMEM (limits may be NULL: the defaults).
 * itsm__hreader_read: the codes of itsm__hev_read. */
typedef struct itsm__hreader itsm__hreader;
itsm__hreader *itsm__hreader_new(const itsm_allocator *a, const itsm_json_limits *limits);
void           itsm__hreader_free(itsm__hreader *h);
int            itsm__hreader_read(itsm__hreader *h, itsm__hev *ev, const void *data, size_t len,
                                  itsm_parse_error *err);

/* ---- string map ---- */

/* On the one hash table (kit/hash.h): entries in an array, the table
 * indexing them. */
typedef struct itsm__smentry { char *key; uint32_t len; size_t val; } itsm__smentry;
typedef struct itsm__strmap {
    itsm__smentry *ent;
    size_t         n, cap;
    itsm__htab     tab;
    itsm_allocator alloc;
} itsm__strmap;

void itsm__strmap_init(itsm__strmap *m, const itsm_allocator *a);
void itsm__strmap_free(itsm__strmap *m);
/* 1 and *val when the key is there, else 0. */
int  itsm__strmap_get(const itsm__strmap *m, const char *key, size_t len, size_t *val);
/* The map's copy of the key and *val, or NULL when it is not there. */
const char *itsm__strmap_lookup(const itsm__strmap *m, const char *key, size_t len, size_t *val);
/* The map's copy of the key, NULL when it is not there. */
const char *itsm__strmap_key(const itsm__strmap *m, const char *key, size_t len);
/* Add key -> val (the key must not be there); *stored (may be NULL) gets
 * the map's NUL-terminated copy. ITSM_OK or ITSM_ENOMEM. */
int  itsm__strmap_put(itsm__strmap *m, const char *key, size_t len, size_t val, const char **stored);

#endif
