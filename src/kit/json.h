/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the one strict, bounded JSON reader, and a writer.
 *
 * Reader: parses a whole document into a tree owned by an itsm__jdoc.
 * Strict RFC 8259: valid UTF-8 only (overlongs, surrogates encoded in
 * UTF-8, code points > U+10FFFF refused; \u escapes must pair surrogates),
 * no duplicate keys within one object, no trailing garbage, no comments,
 * no leading zeros, no NaN/Infinity. Limits from itsm_json_limits
 * (zero = default). Errors fill itsm_parse_error with 1-based line and
 * byte column of the offending byte.
 *
 * Writer: snprintf-style into a caller buffer, never allocates, always
 * counts the full length, so the public *_to_json functions need no
 * ownership rules.
 */
#ifndef ITSM_SRC_JSON_H
#define ITSM_SRC_JSON_H

#include "itsm/common.h"
#include "itsm/json.h"

typedef enum itsm__jtype {
    ITSM__JNULL = 0,
    ITSM__JFALSE,
    ITSM__JTRUE,
    ITSM__JNUMBER,
    ITSM__JSTRING,
    ITSM__JARRAY,
    ITSM__JOBJECT
} itsm__jtype;

typedef struct itsm__jval itsm__jval;
typedef struct itsm__jmember itsm__jmember;

struct itsm__jval {
    itsm__jtype type;
    size_t line, column, offset;   /* where the value starts, for schema errors */
    union {
        struct { double d; int64_t i; int is_int; } num; /* is_int: no fraction/exponent and fits int64 */
        struct { char *s; size_t len; } str;             /* NUL-terminated; may contain \u0000 as a NUL byte */
        struct { itsm__jval *items; size_t n; } arr;
        struct { itsm__jmember *members; size_t n; } obj;/* in document order */
    } u;
};

struct itsm__jmember {
    char *key;
    size_t klen;
    size_t line, column;           /* of the key */
    itsm__jval val;
};

typedef struct itsm__jdoc itsm__jdoc;

/* Parse `len` bytes (no NUL needed). On success *out owns the tree and
 * itsm__jdoc_root gives the root. `err` may be NULL. Returns ITSM_OK,
 * ITSM_EPARSE, ITSM_ELIMIT, ITSM_ENOMEM or ITSM_EINVAL (NULL text/out). */
int itsm__json_parse(itsm__jdoc **out, const char *text, size_t len,
                     const itsm_allocator *alloc, const itsm_json_limits *limits,
                     itsm_parse_error *err);
const itsm__jval *itsm__jdoc_root(const itsm__jdoc *doc);
void itsm__jdoc_free(itsm__jdoc *doc);   /* NULL ok */

/* The bytes of `doc` (`len` bytes) that the first `n` decoded bytes of the
 * string whose opening quote is at doc[at] take there, each escape counted
 * as written ("\u00e9" is 6 bytes for 2 decoded); SIZE_MAX when doc[at]
 * does not start such a string. For a place inside a string value. */
size_t itsm__json_raw_span(const char *doc, size_t len, size_t at, size_t n);

/* The member `key` of an object, NULL if absent or `obj` is not an object. */
const itsm__jval *itsm__json_get(const itsm__jval *obj, const char *key);

/* Refuse an object member not in `keys` (NULL-terminated), comparing whole
 * keys (a key with an embedded NUL never matches): ITSM_OK, or ITSM_EPARSE
 * with "unknown member 'K' in WHERE" at that member's value. */
int itsm__json_only_keys(const itsm__jval *obj, const char *const *keys, const char *where,
                         itsm_parse_error *err);

/* Fill `err` (if non-NULL) for a schema error at value `v`:
 * code ITSM_EPARSE, v's position, printf-style text. Returns ITSM_EPARSE. */
int itsm__json_schema_error(itsm_parse_error *err, const itsm__jval *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- writer ------------------------------------------------------------- */

#define ITSM__JW_MAX_DEPTH 32

typedef struct itsm__jw {
    char  *buf;
    size_t cap;
    size_t len;                          /* full length so far, even past cap */
    int    depth;
    unsigned char need_comma[ITSM__JW_MAX_DEPTH];
    /* The binary event form (kit/json_bin.c) instead of JSON text: the
     * same calls write it. is_obj says which containers are open; a
     * binary document nested deeper than the array is refused (`deep`). */
    unsigned char bin, deep;
    unsigned char is_obj[ITSM__JW_MAX_DEPTH];
} itsm__jw;

void itsm__jw_init(itsm__jw *w, char *buf, size_t cap);
/* A writer of the binary event form (docs/events.md): the same calls; no
 * NUL is added, and the result fits when *len <= cap. */
void itsm__jw_init_bin(itsm__jw *w, void *buf, size_t cap);
void itsm__jw_obj_begin(itsm__jw *w);
void itsm__jw_obj_end(itsm__jw *w);
void itsm__jw_arr_begin(itsm__jw *w);
void itsm__jw_arr_end(itsm__jw *w);
void itsm__jw_key(itsm__jw *w, const char *key);        /* writes ,"key": as needed */
void itsm__jw_keyn(itsm__jw *w, const char *key, size_t n);
/* A key of the binary form's table (docs/events.md, "Binary form") by its
 * entry: the binary writer writes the entry without looking the name up;
 * the JSON writer writes the name. The entries the event writer uses: */
enum {
    ITSM__K_V = 0, ITSM__K_TYPE, ITSM__K_RECORD, ITSM__K_KIND, ITSM__K_REV, ITSM__K_AT, ITSM__K_ACTOR,
    ITSM__K_STATE, ITSM__K_EVENT, ITSM__K_FROM, ITSM__K_TO, ITSM__K_NOTE, ITSM__K_LINK, ITSM__K_SET,
    ITSM__K_TEXT, ITSM__K_EXPECTED_RESTORATION, ITSM__K_NEXT_UPDATE, ITSM__K_TARGET, ITSM__K_TARGET_KIND,
    ITSM__K_FIELD0,  /* the built-in fields follow, in itsm_field order */
    ITSM__K_NKEYS = 66   /* entries in the table of version 1 */
};
void itsm__jw_keyc(itsm__jw *w, int entry);
/* A key known to be outside that table (its name written inline): the
 * same bytes as itsm__jw_keyn, without looking it up. */
void itsm__jw_key_untabled(itsm__jw *w, const char *key, size_t n);
/* The entry of a key in that table, or -1. */
int itsm__bin_key_entry(const char *key, size_t n);
/* A string known to be ASCII without control characters or quotes (a
 * time, an id's hex): written without checking it. */
void itsm__jw_ascii(itsm__jw *w, const char *s, size_t n);
void itsm__jw_str(itsm__jw *w, const char *s);          /* a string value; NULL writes null */
void itsm__jw_strn(itsm__jw *w, const char *s, size_t n);
void itsm__jw_int(itsm__jw *w, int64_t v);
void itsm__jw_double(itsm__jw *w, double v);            /* shortest text that reads back equal */
void itsm__jw_bool(itsm__jw *w, int v);
void itsm__jw_null(itsm__jw *w);
void itsm__jw_time(itsm__jw *w, itsm_time t);           /* "YYYY-MM-DDTHH:MM:SSZ", or null for ITSM_TIME_NONE */
/* NUL-terminate (when cap > 0), set *len to the full length.
 * ITSM_OK if everything fitted, else ITSM_ELIMIT. */
int  itsm__jw_finish(itsm__jw *w, size_t *len);

/* ---- the binary event form (kit/json_bin.c, docs/events.md) ------------- */

/* Its first byte: never the first byte of JSON text. */
#define ITSM__BIN_MAGIC 0xE5
#define ITSM__BIN_VERSION 1

/* Read the binary form into the same tree the JSON reader makes (strict:
 * every byte accounted for, canonical encodings only, valid UTF-8, no
 * duplicate keys, the limits). Errors as itsm__json_parse; the error's
 * column is the byte offset + 1, its line 1. */
int itsm__bin_parse(itsm__jdoc **out, const void *data, size_t len, const itsm_allocator *alloc,
                    const itsm_json_limits *limits, itsm_parse_error *err);
/* A stored event in either form: the binary form when it starts with
 * ITSM__BIN_MAGIC, JSON otherwise. */
int itsm__event_parse(itsm__jdoc **out, const void *data, size_t len, const itsm_allocator *alloc,
                      const itsm_json_limits *limits, itsm_parse_error *err);
/* Write a tree value through a writer (either form). */
void itsm__jw_value(itsm__jw *w, const itsm__jval *v);

/* ---- helpers shared with the rest of the library ------------------------ */

/* 1 if s[0..n) is valid UTF-8 (same rules as the reader) with no NUL byte. */
int itsm__utf8_valid(const char *s, size_t n);
/* The bytes of s (NUL-terminated, valid UTF-8) that fit in `max` without
 * cutting a character in two: text cut for a message stays UTF-8. */
size_t itsm__utf8_prefix(const char *s, size_t max);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (21 bytes incl. NUL).
 * t must be within ITSM_TIME_MIN..ITSM_TIME_MAX. */
void itsm__time_format(itsm_time t, char out[21]);
/* Parse exactly that form (and only it). ITSM_OK or ITSM_EPARSE. */
int  itsm__time_parse(const char *s, size_t n, itsm_time *out);
/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t itsm__days_from_civil(int64_t y, unsigned m, unsigned d);
void    itsm__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
