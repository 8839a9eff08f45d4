/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_access.h - itsm-store's view of a store: open it by name (a SQLite
 * file or a postgresql:// URI), hand an engine its callbacks, summarise it,
 * and copy its rows to another store. The rows are the tables of
 * docs/store-schema.md, read and written in seq order.
 */
#ifndef ITSM_STORE_ACCESS_H
#define ITSM_STORE_ACCESS_H

#include <itsm.h>

#include <stddef.h>

typedef struct sa_store sa_store;

typedef struct sa_summary {
    int       schema_version;
    long long events, records, first_at, last_at;
    int       ntypes;
    struct { char name[32]; long long count; } types[16];
} sa_summary;

/* NULL with the reason in err when it cannot be opened. `schema` is the
 * PostgreSQL schema (NULL: public); a SQLite file takes none. */
sa_store         *sa_open(const char *where, const char *schema, char *err, size_t cap);
void              sa_close(sa_store *st);
const char       *sa_name(const sa_store *st);
int               sa_found(const sa_store *st);   /* schema version found when opened */
const itsm_store *sa_methods(const sa_store *st);
void             *sa_handle(const sa_store *st);
const char       *sa_errmsg(const sa_store *st);
/* 0, or -1 with sa_errmsg. */
int sa_count(sa_store *st, long long *events);
int sa_summarise(sa_store *st, sa_summary *out);
/* Every row of `from`, in seq order, into `to` in one transaction (all or
 * none); *n gets the number copied. */
int sa_copy(sa_store *from, sa_store *to, long long *n);

#endif
