/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the field table - name, type, storage slot, range. */
#ifndef ITSM_SRC_FIELDS_H
#define ITSM_SRC_FIELDS_H

#include "itsm/record.h"

/* String fields are read with itsm__rec_str (core/record.h): slots below
 * ITSM__NTEXT are text fields, owned pointers in rec->text[slot]; the
 * others symbols, stored as 32-bit symbol ids in rec->sym[slot -
 * ITSM__NTEXT] (4 bytes instead of a pointer's 8). Numeric fields are stored by
 * width (itsm__rec_num in core/record.h reads them): slots below
 * ITSM__NSMALL hold values within 0..15 in 4 bits (flags, levels, impact,
 * urgency, priority), the next ITSM__NTIME hold times, the last
 * ITSM__NCOUNT counters within 0..INT32_MAX. A record pays 52 bytes for
 * its numbers instead of 120 (bench_memory); a test checks every field's
 * slot against its type and range. */
#define ITSM__NSTR 17
#define ITSM__NTEXT 6
#define ITSM__NSYM (ITSM__NSTR - ITSM__NTEXT)
#define ITSM__NSMALL 8
#define ITSM__NTIME 5
#define ITSM__NCOUNT 2
#define ITSM__NNUM (ITSM__NSMALL + ITSM__NTIME + ITSM__NCOUNT)
/* Slots of the field table named so that the paths every event takes
 * read them without the table: updated_at (an event's time check, apply)
 * and hold_reason (the service levels' pause, each step); priority,
 * major, service, responded_at and assignment_group (the service levels'
 * re-plan, sla/plan.h); impact, urgency, assignee, reassignments,
 * reopens and opened_at (what finalise derives on every update, step
 * and opening that changes them, core/finalise.c). */
#define ITSM__SLOT_UPDATED_AT 12
#define ITSM__SLOT_HOLD_REASON 13
#define ITSM__SLOT_PRIORITY 3
#define ITSM__SLOT_MAJOR 6
#define ITSM__SLOT_SERVICE 7
#define ITSM__SLOT_RESPONDED_AT 9
#define ITSM__SLOT_ASSIGNMENT_GROUP 11
#define ITSM__SLOT_IMPACT 1
#define ITSM__SLOT_URGENCY 2
#define ITSM__SLOT_ASSIGNEE 12
#define ITSM__SLOT_REASSIGNMENTS 13
#define ITSM__SLOT_REOPENS 14
#define ITSM__SLOT_OPENED_AT 8
/* The other symbols' slots, named for the opening's own table of where a
 * caller's symbol goes (core/finalise.c, open_sym_slot), so both it and
 * the field table read one number. */
#define ITSM__SLOT_CALLER 6
#define ITSM__SLOT_CI 8
#define ITSM__SLOT_CATEGORY 9
#define ITSM__SLOT_SUBCATEGORY 10
#define ITSM__SLOT_RESOLUTION_CODE 14
#define ITSM__SLOT_KNOWLEDGE_DECISION 15
#define ITSM__SLOT_CHANGE_TYPE 16

/* Where a built-in field's value is stored in a record (itsm__field_info's
 * `store`, from its type and slot): apply tests it alone instead of the
 * type and then the slot (a custom field's is 0, unused). */
enum {
    ITSM__STORE_TEXT = 1,   /* r->text[slot] */
    ITSM__STORE_SYM,        /* r->sym[slot - ITSM__NTEXT] */
    ITSM__STORE_SMALL,      /* 4 bits of r->small[slot / 2] */
    ITSM__STORE_TIME,       /* r->tm[slot - ITSM__NSMALL] */
    ITSM__STORE_COUNT       /* r->cnt[slot - ITSM__NSMALL - ITSM__NTIME] */
};
#define ITSM__STORE_NUM(slot) \
    ((slot) < ITSM__NSMALL ? ITSM__STORE_SMALL : (slot) < ITSM__NSMALL + ITSM__NTIME ? ITSM__STORE_TIME : ITSM__STORE_COUNT)

typedef struct itsm__field_info {
    const char     *name;
    itsm_field_type type;
    unsigned char   slot;
    unsigned char   engine_owned;
    unsigned char   store;        /* ITSM__STORE_*, a built-in field's (in the padding) */
    int64_t         min, max;     /* for int fields */
} itsm__field_info;

extern const itsm__field_info itsm__fields[ITSM_F__COUNT];

static inline int itsm__field_valid(int f) { return f >= 0 && f < (int)ITSM_F__COUNT; }
static inline int itsm__field_is_str(itsm_field f)
{
    return itsm__fields[f].type == ITSM_TYPE_TEXT || itsm__fields[f].type == ITSM_TYPE_SYMBOL;
}
/* Look a built-in field up by a name of `n` bytes; -1 if unknown (the
 * policy's custom fields too: itsm__policy_field_lookup). */
int itsm__field_lookup(const char *name, size_t n);

/* A custom field (declared by the policy): ITSM_F_CUSTOM_FIRST + its index. */
static inline int itsm__field_custom(int f) { return f >= (int)ITSM_F_CUSTOM_FIRST; }

/* A custom field's value in a record's custom block (eng->cxs, core/engine_int.h). */
typedef union itsm__cxv { const char *s; int64_t n; } itsm__cxv;
/* A custom int's value while it is unset, so that 0 is a value like any
 * other (itsm_record_has, conditions): no custom int's range reaches it
 * (itsm_policy_add_field), and a clear writes it as null. Set and unset
 * need no bit of their own: the record does not grow. A step's clear of
 * a built-in int is this value too, in the event only: written null
 * like a custom int's, it is 0 (the built-in ints' unset) in views and
 * in the record. */
#define ITSM__CX_UNSET INT64_MIN

/* The `str` of a custom int's change whose num is ITSM__CX_UNSET (a
 * clear) when the stored event wrote it 0, as older engines wrote clears
 * (docs/events.md): it is written back 0, so the event's hash and its
 * duplicates compare. NULL (a clear written null) otherwise. */
#define ITSM__CLEAR_AS_0 "0"

/* Whether a text says something: not NULL, and not blank (only spaces,
 * tabs and line breaks). A guard or a required note is not met by blank
 * text ("resolved needs ... notes", DESIGN section 3), as a handover's
 * checklist item is not (itsm/handover.h). Cheap: real text ends the
 * loop at its first byte. */
static inline int itsm__text_present(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 1;
    return 0;
}

#endif
