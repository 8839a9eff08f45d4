/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the JSON reader's own state, shared by its two files:
 * json_scan.c (the arena, error positions, strings, numbers) and
 * json_read.c (containers, duplicate keys, the document). */
#ifndef ITSM_SRC_KIT_JSON_INT_H
#define ITSM_SRC_KIT_JSON_INT_H

#include "kit/json.h"
#include "kit/alloc.h"
#include "itsm/errors.h"
#include "kit/hash.h"

#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEPTH_CAP ((size_t)10000)
/* Objects up to this many members are checked for duplicates linearly;
 * bigger ones get a hash table so a huge object stays O(n). */
#define JSON_LINEAR_KEYS ((size_t)16)
/* Significant digits handed to strtod: enough for correct rounding of any
 * binary64 value (767 are needed) once a sticky digit marks the rest. */
#define JSON_MAX_SIG_DIGITS 780

/* ---- the arena the tree lives in ---- */

typedef struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
} arena_block;

typedef struct arena {
    const itsm_allocator *a;
    arena_block *head;         /* newest block first */
    size_t next_size;
    void *last;                /* most recent allocation, so it can shrink */
} arena;

#define ARENA_ALIGN (alignof(max_align_t))
#define ARENA_MAX_BLOCK ((size_t)4 * 1024 * 1024)

/* A parsed document: its tree and the arena's blocks. */
struct itsm__jdoc {
    itsm_allocator alloc;
    arena_block *blocks;
    itsm__jval root;
};

void *itsm__jp_arena_alloc(arena *ar, size_t size);
void  itsm__jp_arena_shrink_last(arena *ar, void *p, size_t size);
void  itsm__jp_arena_free(const itsm_allocator *a, arena_block *b);

/* ---- UTF-8 ---- */

typedef enum utf8_fault {
    UTF8_OK = 0,
    UTF8_BAD_LEAD,       /* 0x80..0xC1, 0xF5..0xFF */
    UTF8_TRUNCATED,      /* a continuation byte is missing */
    UTF8_OVERLONG,
    UTF8_SURROGATE,
    UTF8_TOO_BIG
} utf8_fault;
/* The length of the valid UTF-8 sequence at s (avail bytes), or 0 with
 * *why set. */
size_t itsm__jp_utf8_seq(const unsigned char *s, size_t avail, utf8_fault *why);

/* ---- the parser ---- */

/* A key of an open object, waiting for its value. */
typedef struct pkey {
    char *key;
    size_t klen, line, column;
} pkey;

typedef struct frame {
    size_t start;              /* first pending value on the value stack */
    size_t kstart;             /* first pending key on the key stack (objects) */
    int is_obj;
    size_t line, column, offset;
    itsm__htab tab;            /* duplicate keys of a big object: key -> index (kit/hash.h) */
} frame;

typedef struct parser {
    const unsigned char *p;
    size_t len, pos;
    size_t line, line_start;   /* newlines occur only in white space */
    const itsm_allocator *a;
    size_t max_string, max_depth;
    uint64_t seed;             /* per-parse hash seed against crafted collisions */
    arena ar;
    /* Children of open containers wait here until their container closes
     * and its exact size is known; keys apart, so arrays cost less. */
    itsm__jval *vals;
    size_t nvals, capvals;
    pkey *keys;
    size_t nkeys, capkeys;
    frame *fr;
    size_t nfr, capfr;
    itsm_parse_error *err;
} parser;


/* Fill ps->err at byte offset `off` (line and column from it); returns code. */
int  itsm__jp_fail(parser *ps, int code, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void itsm__jp_set_error(itsm_parse_error *err, int code, size_t line, size_t column, size_t offset,
                        const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;
int  itsm__jp_nomem(parser *ps);
int  itsm__jp_is_digit(unsigned char c);
void itsm__jp_skip_ws(parser *ps);
void itsm__jp_set_pos(const parser *ps, itsm__jval *v);
int  itsm__jp_fail_unexpected(parser *ps, const char *expected);
/* A string at ps->pos (its opening quote): decoded into the arena. */
int  itsm__jp_parse_string(parser *ps, char **out, size_t *out_len);
int  itsm__jp_parse_number(parser *ps, itsm__jval *v);

#endif
