/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_store.c - libitsm-sqlite: the handle and the store callbacks
 * (include/itsm/stores/sqlite.h). */
#include "sqlite_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct itsm_sqlite {
    sqlite3      *db;
    sqlite3_stmt *begin, *commit, *rollback, *maxrev, *insert, *after, *count, *history, *version;
    sqlite3_stmt *savepoint, *release, *rollback_to;
    store_buf     buf;      /* event JSON, reused */
    sqlite_revs   revs;     /* newest revisions known, while nobody else writes */
    sqlite3_int64 seen;     /* PRAGMA data_version in the last append */
    int           grouped;  /* inside a group: appends are savepoints of its transaction */
    int           in_savepoint;   /* the append being made has a savepoint */
    uint64_t      group_pos;   /* the position when the group began */
    uint64_t      pos;      /* seq of the newest event the engine is known to hold */
    int           found;    /* schema version when opened */
    int           form;     /* an itsm_sqlite_form */
    sqlite_pipe  *pipe;     /* the writer thread of a group's appends (opts.pipeline), or NULL */
    sqlite3_int64 pipe_first;   /* the writer's: the seq of the append it is writing */
    /* A pipelined group looks up the records its cache does not know on a
     * second, read-only connection: it sees everything committed (the
     * group holds the write lock: nothing else commits meanwhile) without
     * waiting for the writer; the group's own rows are in the cache while
     * revs_whole. NULL for a private database (":memory:", ""). */
    sqlite3      *rdb;
    sqlite3_stmt *rmaxrev;
    /* A pipelined handle's checkpoints, on a thread of their own, asked
     * by the commits' WAL hook in place of SQLite's automatic checkpoint
     * (sqlite_checkpoint.c). NULL for a private database. */
    sqlite_ckpt  *ckpt;
    long          ckpt_seen;   /* the checkpointer's passes when the WAL last held few pages */
    int           wal_pages;   /* WAL frames after the last commit */
    int           revs_whole;
    /* Every record of the file is in the cache: it was empty when opened,
     * nobody else has committed since, and the cache never forgot one. A
     * record it does not know then has no event (no lookup at all). */
    int           knows_all;
    /* itsm_sqlite_db lent the connection to the host: between two calls
     * it is the host's, so a pipelined append waits for its rows. */
    int           lent;
    char          errmsg[512];
};

/* A pipelined group hands the writer its rows PIPE_BATCH at a time (when
 * it is free: enough to pay for waking it, few enough to start early) and
 * waits for it past PIPE_LIMIT rows (bounded memory). */
enum { PIPE_BATCH = 64, PIPE_LIMIT = 8192 };

/* WAL pages after a commit that ask for a checkpoint: SQLite's own default
 * for its automatic checkpoint (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT). */
enum { CHECKPOINT_PAGES = 1000 };
/* Past this many, the committing thread copies what the checkpointer's
 * last pass left however much it is: commits faster than its passes would
 * otherwise keep the WAL from ever starting again. */
enum { WAL_PAGES_MAX = 4 * CHECKPOINT_PAGES };

static int pipe_insert(void *ctx, const store_row *row, int first, int last, char *msg, size_t cap);

/* The bytes of a version's struct: the members it has (later ones are
 * appended, so a caller built against an older header has a smaller one). */
static size_t opts_size(unsigned version)
{
    return version == 1   ? offsetof(itsm_sqlite_opts, busy_timeout_ms) + sizeof(int)
           : version == 2 ? offsetof(itsm_sqlite_opts, form) + sizeof(int)
                          : sizeof(itsm_sqlite_opts);
}

/* Every use of the connection outside a group's appends waits until the
 * writer thread has written what it was given. */
static void settle(itsm_sqlite *s)
{
    if (s && s->pipe && s->grouped)
        sqlite_pipe_drain(s->pipe, NULL, 0);   /* a failure is the commit's to report */
}

int itsm_sqlite_opts_init(itsm_sqlite_opts *opts, unsigned version)
{
    if (!opts || version < 1 || version > ITSM_SQLITE_OPTS_VERSION)
        return ITSM_EINVAL;
    itsm_sqlite_opts d = ITSM_SQLITE_OPTS_INIT;
    d.version = version;
    memcpy(opts, &d, opts_size(version));
    return ITSM_OK;
}

static void remember(itsm_sqlite *s, const char *what)
{
    store_msg(s->errmsg, sizeof s->errmsg, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int prep(itsm_sqlite *s, sqlite3_stmt **st, const char *sql)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
        return 0;
    remember(s, sql);
    return -1;
}

void itsm_sqlite_close(itsm_sqlite *s)
{
    if (!s)
        return;
    sqlite_pipe_free(s->pipe);   /* the writer finishes; an open group is rolled back with the connection */
    if (s->ckpt)
        sqlite3_wal_hook(s->db, NULL, NULL);   /* nobody to ask from here on */
    sqlite3_finalize(s->rmaxrev);
    sqlite3_close(s->rdb);
    sqlite_ckpt_free(s->ckpt);   /* before the last connection: its close checkpoints what is left */
    sqlite3_stmt *st[] = { s->begin, s->commit, s->rollback, s->maxrev, s->insert, s->after, s->count,
                           s->history, s->version, s->savepoint, s->release, s->rollback_to };
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
        sqlite3_finalize(st[i]);
    sqlite3_close(s->db);
    store_buf_free(&s->buf);
    sqlite_revs_clear(&s->revs);
    free(s);
}

/* After each commit on the handle's connection (the host's thread), in
 * place of SQLite's automatic checkpoint. Once the WAL holds a
 * checkpoint's worth of pages, the checkpointer copies them while the host
 * goes on. The WAL file starts again from its beginning only at a write
 * transaction that began when every page of the WAL was in the database
 * already - under a steady stream of commits, never, if only the other
 * thread checkpointed (each commit adds pages behind it). So the
 * checkpointer runs again for what came during its pass, and once a pass
 * has left only the last commit's pages, or the WAL holds WAL_PAGES_MAX
 * (waiting for a pass under way: the bound holds however slow the passes
 * are), the committing thread copies the rest itself, and the next
 * transaction starts the WAL again. Commits faster than the passes reach
 * WAL_PAGES_MAX first: the WAL then holds about four times what SQLite's
 * own checkpoint would let it hold, and the committing thread copies a
 * few hundred pages of every 4,000 where SQLite's copies them all. */
static int wal_committed(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)name;
    itsm_sqlite *s = ctx;
    long passes;
    int copied, before = s->wal_pages;
    int busy = sqlite_ckpt_busy(s->ckpt, &passes, &copied);
    s->wal_pages = pages;
    if (pages < CHECKPOINT_PAGES || pages < before)
        s->ckpt_seen = passes;   /* a new WAL: the passes before say nothing of it */
    if (pages < CHECKPOINT_PAGES)
        return SQLITE_OK;
    if (busy) {
        if (pages < WAL_PAGES_MAX)
            return SQLITE_OK;   /* the checkpointer's pass is under way */
        sqlite_ckpt_wait(s->ckpt, &passes, &copied);
    } else if (passes == s->ckpt_seen || (copied < before && pages < WAL_PAGES_MAX)) {
        sqlite_ckpt_ask(s->ckpt);   /* the first pass, or another for the pages since the last */
        return SQLITE_OK;
    }
    (void)sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

int itsm_sqlite_open(itsm_sqlite **out, const char *path, const itsm_sqlite_opts *opts, char *errbuf,
                     size_t errcap)
{
    if (out)
        *out = NULL;
    itsm_sqlite_opts o = ITSM_SQLITE_OPTS_INIT;
    if (!out || !path) {
        store_open_msg(errbuf, errcap, "itsm_sqlite_open: NULL %s", out ? "path" : "out");
        return ITSM_EINVAL;
    }
    if (opts) {
        /* Only the members the caller's version has: the rest keep their
         * defaults (its struct may end before them). */
        if (opts->version < 1 || opts->version > ITSM_SQLITE_OPTS_VERSION) {
            if (opts->version)
                store_open_msg(errbuf, errcap,
                               "itsm_sqlite_open: SQLite store options version %u is newer than this library's %u "
                               "(itsm %s)", opts->version, ITSM_SQLITE_OPTS_VERSION, ITSM_VERSION_STRING);
            else
                store_open_msg(errbuf, errcap,
                               "itsm_sqlite_open: SQLite store options version 0 is not a version (1..%u; use "
                               "ITSM_SQLITE_OPTS_INIT or itsm_sqlite_opts_init)", ITSM_SQLITE_OPTS_VERSION);
            return ITSM_EINVAL;
        }
        memcpy(&o, opts, opts_size(opts->version));
    }
    if (o.pipeline != 0 && o.pipeline != 1) {
        store_open_msg(errbuf, errcap, "itsm_sqlite_open: pipeline must be 0 or 1 (got %d)", o.pipeline);
        return ITSM_EINVAL;
    }
    if ((o.sync != ITSM_SQLITE_SYNC_FULL && o.sync != ITSM_SQLITE_SYNC_NORMAL) ||
        (o.form != ITSM_SQLITE_FORM_JSON && o.form != ITSM_SQLITE_FORM_BINARY)) {
        int bad_sync = o.sync != ITSM_SQLITE_SYNC_FULL && o.sync != ITSM_SQLITE_SYNC_NORMAL;
        store_open_msg(errbuf, errcap, "itsm_sqlite_open: unknown %s %u", bad_sync ? "sync mode" : "form",
                       bad_sync ? (unsigned)o.sync : (unsigned)o.form);
        return ITSM_EINVAL;
    }
    itsm_sqlite *s = calloc(1, sizeof *s);
    if (!s) {
        store_open_msg(errbuf, errcap, "out of memory");
        return ITSM_ENOMEM;
    }
    s->form = o.form;
    /* No connection mutex: a handle is used by one thread at a time (the
     * header says so), and locking it is work every call pays. */
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        store_open_msg(errbuf, errcap, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        itsm_sqlite_close(s);
        return rc == SQLITE_NOMEM ? ITSM_ENOMEM : ITSM_ESTORE;
    }
    int busy_ms = o.busy_timeout_ms == 0 ? 5000 : o.busy_timeout_ms < 0 ? 0 : o.busy_timeout_ms;
    sqlite3_busy_timeout(s->db, busy_ms);
    /* WAL: readers never block the writer, and a commit is one append to
     * the log (an in-memory database stays in its own journal mode). */
    char *msg = NULL;
    const char *pragmas = o.sync == ITSM_SQLITE_SYNC_NORMAL
        ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        store_open_msg(errbuf, errcap, "%s: %s", path, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        itsm_sqlite_close(s);
        return ITSM_ESTORE;
    }
    char why[512];
    if (sqlite_schema_prepare(s->db, &s->found, why, sizeof why)) {
        store_open_msg(errbuf, errcap, "%s: %s", path, why);
        itsm_sqlite_close(s);
        return ITSM_ESTORE;
    }
    if (prep(s, &s->begin, "BEGIN IMMEDIATE") || prep(s, &s->commit, "COMMIT") ||
        prep(s, &s->rollback, "ROLLBACK") ||
        prep(s, &s->maxrev, "SELECT max(rev) FROM itsm_events WHERE record = ?1") ||
        prep(s, &s->insert,
             "INSERT INTO itsm_events (record, rev, kind, type, at, actor, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") ||
        prep(s, &s->after, "SELECT seq, json FROM itsm_events WHERE seq > ?1 ORDER BY seq") ||
        prep(s, &s->count, "SELECT count(*) FROM itsm_events") ||
        prep(s, &s->history, "SELECT json FROM itsm_events WHERE record = ?1 ORDER BY rev") ||
        prep(s, &s->version, "PRAGMA data_version") || prep(s, &s->savepoint, "SAVEPOINT itsm_append") ||
        prep(s, &s->release, "RELEASE itsm_append") || prep(s, &s->rollback_to, "ROLLBACK TO itsm_append")) {
        store_open_msg(errbuf, errcap, "%s: %s", path, s->errmsg);
        itsm_sqlite_close(s);
        return ITSM_ESTORE;
    }
    if (o.pipeline && sqlite_pipe_new(&s->pipe, pipe_insert, s)) {
        store_open_msg(errbuf, errcap, "%s: no memory or thread for the pipelined writer", path);
        itsm_sqlite_close(s);
        return ITSM_ENOMEM;
    }
    /* An empty file: every record it will hold goes through this handle's
     * cache until another connection commits (check_others). The version
     * is read first, so a commit made before the emptiness test shows up
     * at the next check_others. */
    if (sqlite3_step(s->version) == SQLITE_ROW) {
        s->seen = sqlite3_column_int64(s->version, 0);
        sqlite3_stmt *any = NULL;
        if (sqlite3_prepare_v2(s->db, "SELECT EXISTS (SELECT 1 FROM itsm_events)", -1, &any, NULL) == SQLITE_OK &&
            sqlite3_step(any) == SQLITE_ROW && sqlite3_column_int(any, 0) == 0)
            s->knows_all = 1;
        sqlite3_finalize(any);
    }
    sqlite3_reset(s->version);
    /* Without the reader (a private database, or it would not open) a
     * pipelined group waits for its writer to look a record up: slower,
     * the same answers. */
    if (o.pipeline && *path && strcmp(path, ":memory:") != 0 &&
        sqlite3_open_v2(path, &s->rdb, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(s->rdb, busy_ms);
        if (sqlite3_prepare_v3(s->rdb, "SELECT max(rev) FROM itsm_events WHERE record = ?1", -1,
                               SQLITE_PREPARE_PERSISTENT, &s->rmaxrev, NULL) != SQLITE_OK) {
            sqlite3_close(s->rdb);
            s->rdb = NULL;
        }
    } else if (s->rdb) {
        sqlite3_close(s->rdb);
        s->rdb = NULL;
    }
    /* The WAL hook replaces SQLite's automatic checkpoint; without the
     * checkpointer (no thread or connection for it) the handle keeps it. */
    if (s->rdb && sqlite_ckpt_new(&s->ckpt, path, o.sync) == 0)
        sqlite3_wal_hook(s->db, wal_committed, s);
    *out = s;
    return ITSM_OK;
}

const char *itsm_sqlite_errmsg(const itsm_sqlite *s) { return s ? s->errmsg : "no database"; }
int         itsm_sqlite_schema_found(const itsm_sqlite *s) { return s ? s->found : -1; }

uint64_t itsm_sqlite_position(const itsm_sqlite *s)
{
    settle((itsm_sqlite *)(uintptr_t)s);   /* the writer moves it on: the handle is not const inside */
    return s ? s->pos : 0;
}

sqlite3 *itsm_sqlite_db(itsm_sqlite *s)
{
    settle(s);
    if (s)
        s->lent = 1;
    return s ? s->db : NULL;
}

int itsm_sqlite_count(itsm_sqlite *s, uint64_t *out)
{
    if (!s || !out)
        return ITSM_EINVAL;
    settle(s);
    int rc = sqlite3_step(s->count);
    if (rc == SQLITE_ROW)
        *out = (uint64_t)sqlite3_column_int64(s->count, 0);
    else
        remember(s, "counting the events");
    sqlite3_reset(s->count);
    return rc == SQLITE_ROW ? ITSM_OK : ITSM_ESTORE;
}

/* ---- append ---------------------------------------------------------------- */

static int step_done(itsm_sqlite *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    remember(s, what);
    return -1;
}

/* Drop the cached revisions: lookups ask the file again. */
static void forget_revs(itsm_sqlite *s)
{
    sqlite_revs_clear(&s->revs);
    s->knows_all = 0;
}

/* A failed append: roll back (in a group only this append, to its
 * savepoint - an append of one event has none: its one INSERT is undone by
 * SQLite itself - and the group goes on), and forget the revisions it
 * noted. */
static int undo(itsm_sqlite *s, int code)
{
    if (s->grouped) {
        if (s->in_savepoint) {
            sqlite3_step(s->rollback_to);
            sqlite3_reset(s->rollback_to);
            sqlite3_step(s->release);
            sqlite3_reset(s->release);
            s->in_savepoint = 0;
        }
    } else {
        sqlite3_step(s->rollback);
        sqlite3_reset(s->rollback);
    }
    forget_revs(s);
    return code;
}

/* The newest stored revision of `record` (0: none) into *have: from the
 * handle's cache (its entry in *entry, else SIZE_MAX), else the (record,
 * rev) index. */
static int stored_rev(itsm_sqlite *s, const char *record, uint64_t *have, size_t *entry)
{
    if ((*entry = sqlite_revs_find(&s->revs, record, have)) != SIZE_MAX)
        return 0;
    sqlite3_bind_text(s->maxrev, 1, record, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s->maxrev);
    *have = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s->maxrev, 0) : 0;
    sqlite3_reset(s->maxrev);
    sqlite3_clear_bindings(s->maxrev);
    if (rc == SQLITE_ROW)
        return 0;
    remember(s, "reading the newest revision");
    return -1;
}

/* Inside the write transaction: drop the cached revisions if another
 * connection committed since this handle's last append. */
static int check_others(itsm_sqlite *s)
{
    int rc = sqlite3_step(s->version);
    sqlite3_int64 v = rc == SQLITE_ROW ? sqlite3_column_int64(s->version, 0) : -1;
    sqlite3_reset(s->version);
    if (rc != SQLITE_ROW) {
        remember(s, "PRAGMA data_version");
        return -1;
    }
    if (v != s->seen)
        forget_revs(s);
    s->seen = v;
    return 0;
}

/* One INSERT; 0, or ITSM_ECONFLICT ((record, rev) taken after all: never
 * a duplicate) or ITSM_ESTORE with why in msg. */
static int insert_row(itsm_sqlite *s, const store_row *row, char *msg, size_t cap)
{
    sqlite3_stmt *st = s->insert;
    sqlite3_bind_text(st, 1, row->record, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)row->rev);
    sqlite3_bind_text(st, 3, row->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->at);
    if (row->actor)
        sqlite3_bind_text(st, 6, row->actor, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 6);
    if (row->binary)
        sqlite3_bind_blob(st, 7, row->json, (int)row->json_len, SQLITE_STATIC);
    else
        sqlite3_bind_text(st, 7, row->json, (int)row->json_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);   /* every parameter is bound anew each time */
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    store_msg(msg, cap, "inserting an event: %s", sqlite3_errmsg(s->db));
    return sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE ? ITSM_ECONFLICT : ITSM_ESTORE;
}

/* The writer thread's side of a pipelined group: the INSERT, and the
 * position moved on as sq_append moves it. */
static int pipe_insert(void *ctx, const store_row *row, int first, int last, char *msg, size_t cap)
{
    itsm_sqlite *s = ctx;
    if (sqlite3_get_autocommit(s->db)) {   /* see group_gone */
        store_msg(msg, cap, "SQLite rolled the group's transaction back");
        return ITSM_ESTORE;
    }
    int rc = insert_row(s, row, msg, cap);
    if (rc)
        return rc;
    sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
    if (first)
        s->pipe_first = id;
    if (last && (uint64_t)s->pipe_first == s->pos + 1)
        s->pos = (uint64_t)id;
    return 0;
}

/* The newest stored revision of a record the cache does not know, inside
 * a pipelined group, into *have (0: none). */
static int piped_lookup(itsm_sqlite *s, const char *record, uint64_t *have)
{
    *have = 0;
    if (s->knows_all)
        return 0;   /* not in the cache: not in the file */
    if (s->revs_whole && s->rmaxrev) {   /* committed: the reader's; the group's own: the cache's */
        sqlite3_bind_text(s->rmaxrev, 1, record, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s->rmaxrev);
        *have = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s->rmaxrev, 0) : 0;
        if (rc != SQLITE_ROW)
            store_msg(s->errmsg, sizeof s->errmsg, "reading the newest revision: %s", sqlite3_errmsg(s->rdb));
        sqlite3_reset(s->rmaxrev);
        sqlite3_clear_bindings(s->rmaxrev);
        return rc == SQLITE_ROW ? 0 : -1;
    }
    /* no reader (a private database, or it would not open), or the cache
     * lost the group's rows: the writer's connection after it caught up
     * (the (record, rev) key would refuse a taken id only in the writer,
     * losing the group) */
    sqlite_pipe_drain(s->pipe, NULL, 0);
    size_t entry;
    return stored_rev(s, record, have, &entry);
}

/* A refused pipelined append: the cache moved on for its earlier events,
 * so forget it (from now on a lookup waits for the writer). */
static int piped_refuse(itsm_sqlite *s, int code)
{
    forget_revs(s);
    s->revs_whole = 0;
    return code;
}

/* An append inside a pipelined group. Its revisions are checked here,
 * before any of its rows is queued, so a conflict refuses this call alone
 * and the group goes on, as without the pipeline; the rows then go to the
 * writer thread and this returns. A record the handle has no revision of
 * is looked up (piped_lookup). A failure of the writer's INSERTs (a
 * full disk) loses the group: this and every later append say so, and
 * the commit fails. */
static int append_piped(itsm_sqlite *s, const itsm_event *const *evs, size_t n)
{
    int rc = sqlite_pipe_failed(s->pipe, s->errmsg, sizeof s->errmsg);
    if (rc) {
        size_t l = strlen(s->errmsg);
        store_msg(s->errmsg + l, sizeof s->errmsg - l, " (an earlier append of this group: the group is lost)");
        return ITSM_ESTORE;
    }
    for (size_t i = 0; i < n; i++) {
        const char *record = itsm_event_record_id(evs[i]);
        uint64_t rev = itsm_event_revision(evs[i]), have = 0;
        size_t entry = sqlite_revs_find(&s->revs, record, &have);
        if (entry == SIZE_MAX && piped_lookup(s, record, &have))
            return piped_refuse(s, ITSM_ESTORE);
        if (have + 1 != rev) {
            store_msg(s->errmsg, sizeof s->errmsg, "%s: the store holds revision %llu, the %s event is revision %llu",
                      record, (unsigned long long)have, itsm_event_type(evs[i]), (unsigned long long)rev);
            return piped_refuse(s, ITSM_ECONFLICT);
        }
        /* later events of the same record in this append check against it */
        if (entry != SIZE_MAX) {
            sqlite_revs_set(&s->revs, entry, rev);
        } else if (sqlite_revs_put(&s->revs, record, rev)) {
            store_msg(s->errmsg, sizeof s->errmsg, "out of memory for the revision of %s", record);
            return piped_refuse(s, ITSM_ESTORE);
        }
    }
    size_t mark = sqlite_pipe_mark(s->pipe), rows = sqlite_pipe_rows(s->pipe);
    for (size_t i = 0; i < n; i++) {
        store_row row;
        if ((s->form == ITSM_SQLITE_FORM_BINARY ? store_row_bin(&row, &s->buf, evs[i])
                                                : store_row_of(&row, &s->buf, evs[i])) ||
            sqlite_pipe_put(s->pipe, &row, i == 0, i + 1 == n)) {
            store_msg(s->errmsg, sizeof s->errmsg, "out of memory for the row of %s", itsm_event_record_id(evs[i]));
            sqlite_pipe_cut(s->pipe, mark, rows);
            return piped_refuse(s, ITSM_ESTORE);
        }
    }
    if (s->lent)
        sqlite_pipe_drain(s->pipe, NULL, 0);   /* a failure is the next append's and the commit's to report */
    else
        sqlite_pipe_push(s->pipe, PIPE_BATCH, PIPE_LIMIT);
    return ITSM_OK;
}

/* SQLite ends the whole transaction on some errors (a full disk, I/O, out
 * of memory, an interrupt, RAISE(ROLLBACK)): inside a group the later
 * appends would then run in autocommit and be kept while the group is
 * not. So a group whose transaction is gone refuses every append, and its
 * commit fails. */
static int group_gone(itsm_sqlite *s)
{
    if (!sqlite3_get_autocommit(s->db))
        return 0;
    store_msg(s->errmsg, sizeof s->errmsg, "SQLite rolled the group's transaction back: the group is lost");
    return 1;
}

static int sq_append(void *user, const itsm_event *const *evs, size_t n)
{
    itsm_sqlite *s = user;
    if (s->grouped && s->pipe)
        return append_piped(s, evs, n);
    if (s->grouped && group_gone(s))
        return ITSM_ESTORE;
    if (sqlite_revs_trim(&s->revs))
        s->knows_all = 0;
    if (s->grouped) {   /* the group holds the write lock: nobody else wrote */
        /* Several events need a savepoint to be kept whole or not at all;
         * one is a single INSERT, which SQLite keeps or undoes by itself. */
        s->in_savepoint = n > 1;
        if (s->in_savepoint && step_done(s, s->savepoint, "SAVEPOINT")) {
            s->in_savepoint = 0;
            return ITSM_ESTORE;
        }
    } else {
        if (step_done(s, s->begin, "BEGIN IMMEDIATE"))
            return ITSM_ESTORE;
        if (check_others(s))
            return undo(s, ITSM_ESTORE);
    }
    sqlite3_int64 first = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        store_row row;
        if (s->form == ITSM_SQLITE_FORM_BINARY ? store_row_bin(&row, &s->buf, evs[i])
                                               : store_row_of(&row, &s->buf, evs[i])) {
            store_msg(s->errmsg, sizeof s->errmsg, "out of memory for the JSON of %s", itsm_event_record_id(evs[i]));
            return undo(s, ITSM_ESTORE);
        }
        /* The revision check of sys/store.h. Earlier events of this batch
         * are already inserted, so several events of one record check out. */
        /* A first revision needs no query: revisions start at 1 and have
         * no gaps, so a record with any event stored has its revision 1,
         * and the (record, rev) key refuses the INSERT as a conflict. */
        uint64_t have = 0;
        size_t entry = SIZE_MAX;
        if (row.rev == 1)
            entry = sqlite_revs_find(&s->revs, row.record, &have);   /* known stored: still refused below */
        else if (stored_rev(s, row.record, &have, &entry))
            return undo(s, ITSM_ESTORE);
        if (have + 1 != row.rev) {
            store_msg(s->errmsg, sizeof s->errmsg,
                      "%s: the store holds revision %llu, the %s event is revision %llu", row.record,
                      (unsigned long long)have, row.type, (unsigned long long)row.rev);
            return undo(s, ITSM_ECONFLICT);
        }
        int rc = insert_row(s, &row, s->errmsg, sizeof s->errmsg);
        if (rc)
            return undo(s, rc);
        last = sqlite3_last_insert_rowid(s->db);
        if (i == 0)
            first = last;
        /* undone with the batch if it fails; a known record's entry is
         * moved on where it is, without looking it up again */
        if (entry != SIZE_MAX)
            sqlite_revs_set(&s->revs, entry, row.rev);
        else if (sqlite_revs_put(&s->revs, row.record, row.rev))
            s->knows_all = 0;   /* out of memory */
    }
    if (s->grouped ? s->in_savepoint && step_done(s, s->release, "RELEASE") : step_done(s, s->commit, "COMMIT"))
        return undo(s, ITSM_ESTORE);
    s->in_savepoint = 0;
    /* Nobody wrote between the newest event this handle knew and this
     * batch: the engine holds everything up to the batch's end. */
    if (n > 0 && (uint64_t)first == s->pos + 1)
        s->pos = (uint64_t)last;
    return ITSM_OK;
}

/* ---- reading --------------------------------------------------------------- */

typedef int (*row_fn)(void *ctx, const char *json, size_t len);

/* Every event after the position, in order; the position follows each
 * event `fn` accepts. */
static int read_after(itsm_sqlite *s, row_fn fn, void *ctx, size_t *nread)
{
    size_t n = 0;
    int rc, out = ITSM_OK;
    settle(s);
    sqlite3_bind_int64(s->after, 1, (sqlite3_int64)s->pos);
    while ((rc = sqlite3_step(s->after)) == SQLITE_ROW) {
        uint64_t seq = (uint64_t)sqlite3_column_int64(s->after, 0);
        /* the stored bytes, whichever form (a text column read as bytes) */
        const char *json = (const char *)sqlite3_column_blob(s->after, 1);
        size_t len = (size_t)sqlite3_column_bytes(s->after, 1);
        if ((out = fn(ctx, json ? json : "", len)) != ITSM_OK) {
            store_msg(s->errmsg, sizeof s->errmsg, "the event at seq %llu was refused: %s",
                      (unsigned long long)seq, itsm_errname(out));
            break;
        }
        s->pos = seq;
        n++;
    }
    if (out == ITSM_OK && rc != SQLITE_DONE) {
        remember(s, "reading the events");
        out = ITSM_ESTORE;
    }
    sqlite3_reset(s->after);
    if (nread)
        *nread = n;
    return out;
}

static int sq_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    itsm_sqlite *s = user;
    settle(s);
    s->pos = 0;   /* a scan is the whole log, whatever was read before */
    return read_after(s, emit, ctx, NULL);
}

static int replay_one(void *ctx, const char *json, size_t len)
{
    return itsm_engine_replay(ctx, json, len, NULL);   /* either form */
}

int itsm_sqlite_catch_up(itsm_sqlite *s, itsm_engine *eng, size_t *nread)
{
    if (nread)
        *nread = 0;
    if (!s || !eng)
        return ITSM_EINVAL;
    return read_after(s, replay_one, eng, nread);
}

/* One record's events in revision order: one range of the (record, rev)
 * index. */
static int sq_read_record(void *user, const char *record, itsm_store_emit_fn emit, void *ctx)
{
    itsm_sqlite *s = user;
    int rc, out = ITSM_OK;
    settle(s);
    sqlite3_bind_text(s->history, 1, record, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s->history)) == SQLITE_ROW) {
        const char *json = (const char *)sqlite3_column_blob(s->history, 0);
        if ((out = emit(ctx, json ? json : "", (size_t)sqlite3_column_bytes(s->history, 0))) != ITSM_OK)
            break;
    }
    if (out == ITSM_OK && rc != SQLITE_DONE) {
        remember(s, "reading a record's events");
        out = ITSM_ESTORE;
    }
    sqlite3_reset(s->history);
    sqlite3_clear_bindings(s->history);
    return out;
}

/* A group is one write transaction: BEGIN IMMEDIATE (holding the write
 * lock, so other writers wait until it ends), each append a savepoint in
 * it, one COMMIT. */
static int sq_group(void *user, int op)
{
    itsm_sqlite *s = user;
    switch (op) {
    case ITSM_STORE_GROUP_BEGIN:
        if (s->grouped) {
            store_msg(s->errmsg, sizeof s->errmsg, "a group is open already");
            return ITSM_ESTATE;
        }
        if (step_done(s, s->begin, "BEGIN IMMEDIATE"))
            return ITSM_ESTORE;
        if (check_others(s)) {
            undo(s, 0);
            return ITSM_ESTORE;
        }
        s->grouped = 1;
        s->group_pos = s->pos;
        /* a pipelined group keeps its own rows in the cache: never emptied
         * inside it (it may grow past its limit by the group's records) */
        if (sqlite_revs_trim(&s->revs))
            s->knows_all = 0;
        s->revs_whole = 1;
        return ITSM_OK;
    case ITSM_STORE_GROUP_COMMIT:
    case ITSM_STORE_GROUP_ABORT:
        if (!s->grouped) {
            store_msg(s->errmsg, sizeof s->errmsg, "no group is open");
            return ITSM_ESTATE;
        }
        if (s->pipe) {
            /* the writer's rows first; if one of them failed, the group is lost */
            char why[sizeof s->errmsg];
            int lost = sqlite_pipe_drain(s->pipe, why, sizeof why);
            sqlite_pipe_reset(s->pipe);
            if (lost && op == ITSM_STORE_GROUP_COMMIT) {
                s->grouped = 0;
                sqlite3_step(s->rollback);
                sqlite3_reset(s->rollback);
                forget_revs(s);
                s->pos = s->group_pos;
                store_msg(s->errmsg, sizeof s->errmsg, "the group was not kept: %s", why);
                return ITSM_ESTORE;
            }
        }
        if (op == ITSM_STORE_GROUP_COMMIT && group_gone(s)) {
            s->grouped = 0;
            forget_revs(s);
            s->pos = s->group_pos;
            return ITSM_ESTORE;
        }
        s->grouped = 0;
        if (op == ITSM_STORE_GROUP_COMMIT && !step_done(s, s->commit, "COMMIT"))
            return ITSM_OK;
        /* aborted, or the commit failed: none of the group is kept */
        sqlite3_step(s->rollback);
        sqlite3_reset(s->rollback);
        forget_revs(s);
        s->pos = s->group_pos;
        return op == ITSM_STORE_GROUP_ABORT ? ITSM_OK : ITSM_ESTORE;
    default:
        store_msg(s->errmsg, sizeof s->errmsg, "unknown group operation %d", op);
        return ITSM_EINVAL;
    }
}

static const itsm_store methods = { ITSM_STORE_VERSION, sq_append, sq_scan, NULL, sq_read_record, sq_group };

const itsm_store *itsm_sqlite_store(void) { return &methods; }
